/* SPDX-License-Identifier: MIT */
/**
 * @file ud_skeleton.h
 * @brief A template port for a real USB device controller. Not a driver: every operation that
 * needs hardware returns UD_ERR_NOTSUP until you fill it in.
 *
 * To start a port for controller "foo":
 * 1. copy port/skeleton to port/foo, rename `skeleton`/`skel` to `foo` everywhere;
 * 2. replace the placeholder register macros at the top of foo.c with your controller's;
 * 3. fill each operation, reading the comment above it and ud_port.h (the contract);
 * 4. declare the truth in `caps` (endpoint count, packet sizes, speeds, flags);
 * 5. call ud_foo_irq_handler() from the controller's interrupt vector;
 * 6. remove every SKEL_UNFINISHED; then run the scenario tests of the simulator against your
 *    understanding, and the real-host tests against your board.
 *
 * Use: `ud_skeleton_init(&skel); ud_device_init(&dev, ud_skeleton_port(&skel), &info);`
 */
#ifndef UD_SKELETON_H
#define UD_SKELETON_H

#include <stdint.h>

#include "udcore/ud_channel.h"
#include "udcore/ud_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What the driver remembers per endpoint and direction that the hardware does not. */
struct ud_skeleton_ep {
	uint8_t *buf;        /**< transfer buffer (owned by the core until the report) */
	uint32_t len;        /**< transfer length */
	uint32_t done;       /**< bytes moved so far */
	uint16_t max_packet; /**< from ep_open(), or the EP0 size */
	uint8_t busy;        /**< a transfer is in flight */
	uint8_t dead;        /**< a bus reset disabled it; the core closes it later */
};

/** One controller instance. Allocate it statically. */
struct ud_skeleton {
	struct ud_port port;
	struct ud_port_caps caps;
	struct ud_skeleton_ep ep[UD_EP_SLOTS];
	uint8_t ep0_max_packet;
};

/** @brief Fill @p skel's port (ops, caps, priv) and remember it for the interrupt handler. */
void ud_skeleton_init(struct ud_skeleton *skel);

/** The port to hand to ud_device_init(). */
static inline struct ud_port *ud_skeleton_port(struct ud_skeleton *skel)
{
	return &skel->port;
}

/**
 * @brief The controller's interrupt handler: decodes the interrupt flags into
 * ud_port_report_*() calls. Call it from the interrupt vector (or make it the vector).
 */
void ud_skeleton_irq_handler(void);

#ifdef __cplusplus
}
#endif

#endif /* UD_SKELETON_H */
