/* SPDX-License-Identifier: MIT */
/**
 * @file usbip_urb.h
 * @brief The URB engine of the USB/IP server: it owns the world of the exported device and
 * carries the client's URBs through the virtual bus as a host controller would.
 *
 * Each endpoint (EP0 for control, and every endpoint number and direction) has a FIFO of
 * pending URBs; only the head of a FIFO is on the bus. A round of the engine runs the device's
 * `step` hook, then moves at most one packet for the head of every FIFO through the host
 * model (sim/host.h): an OUT URB is cut into max-packet pieces (plus a zero-length packet when
 * URB_ZERO_PACKET asks for one, or when the URB is empty) and completes when the last piece is
 * ACKed; an IN URB gathers packets until a short one or until its buffer is full; a control URB
 * goes through SETUP, data and status stages. A NAK leaves the URB where it is: it is retried
 * on the next round, for as long as it takes (a client that gives up sends CMD_UNLINK). STALL
 * completes with -EPIPE, no handshake with -EPROTO, babble with -EOVERFLOW.
 *
 * Requests a USB/IP client never expects the device to see are handled here the way Linux's
 * usbip-host does: SET_ADDRESS is answered at once (the device was addressed when it was
 * attached), and a hub-class SET_FEATURE(PORT_RESET) resets the device, addresses it again and
 * restores its configuration.
 *
 * Not thread-safe; the server calls it from its single poll loop.
 */
#ifndef UD_SIM_USBIP_URB_H
#define UD_SIM_USBIP_URB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "usbip_proto.h"
#include "world.h"

/** The address the engine gives the device when it attaches it. */
#define UD_USBIP_DEV_ADDRESS 2u

/** Fault injection for negative tests (`udsim serve --fault NAME`). */
enum ud_usbip_fault {
	/** Every 4th IN URB with data on a non-control endpoint gets one byte flipped. */
	UD_USBIP_FAULT_CORRUPT_IN = 1u << 0,
};

enum ud_usbip_stage {
	UD_USBIP_STAGE_SETUP = 0,
	UD_USBIP_STAGE_DATA,
	UD_USBIP_STAGE_STATUS,
};

struct ud_usbip_urb {
	struct ud_usbip_urb *next;
	uint32_t seqnum;
	uint32_t flags;  /**< transfer_flags */
	uint32_t len;    /**< buffer size (IN) or bytes to send (OUT) */
	uint32_t done;   /**< bytes moved so far */
	uint8_t epnum;   /**< 0..15 */
	uint8_t in;      /**< direction of the data (of the data stage for control) */
	uint8_t stage;   /**< control transfers: enum ud_usbip_stage */
	uint8_t zlp_due; /**< OUT: the terminating zero-length packet is still to be sent */
	uint8_t setup[8];
	uint8_t *buf; /**< len bytes (NULL if len is 0), owned by the URB */
};

/** Called when a URB ends; @p u->buf holds @p actual bytes of IN data. The engine frees the
 * URB after the call. */
typedef void (*ud_usbip_complete_fn)(void *ctx, const struct ud_usbip_urb *u, int32_t status,
                                     uint32_t actual);

struct ud_usbip_queue {
	struct ud_usbip_urb *head, *tail;
};

/** Queue index: 0 for EP0 (both directions share one FIFO, as control transfers are
 * sequential), n for EPn OUT, 16 + n for EPn IN. */
#define UD_USBIP_QUEUES 32u

struct ud_usbip_engine {
	struct ud_world *w;
	const char *device;
	struct ud_sim_options opt;
	unsigned faults;
	ud_usbip_complete_fn complete;
	void *ctx;
	struct ud_usbip_queue q[UD_USBIP_QUEUES];
	unsigned pending;      /**< URBs queued */
	size_t pending_bytes;  /**< their buffers */
	uint32_t in_with_data; /**< IN URBs completed with data (fault injection counter) */
	struct ud_sim_result r;
};

/**
 * @brief Build a fresh world for @p device in @p w, plug it in, reset it and give it address
 * UD_USBIP_DEV_ADDRESS, as the hub and host controller of the exporting machine would.
 * @return 0, or -1 with a reason in @p err.
 */
int ud_usbip_device_attach(struct ud_world *w, const char *device, const struct ud_sim_options *opt,
                           char *err, size_t errlen);

/**
 * @brief Attach @p device in @p w and read its device and configuration descriptors into the
 * USB/IP device record @p rec (bus id "1-1", bus 1, device UD_USBIP_DEV_ADDRESS; the
 * configuration and interfaces are those of the first configuration).
 * @return 0, or -1 with a reason in @p err.
 */
int ud_usbip_device_probe(struct ud_world *w, const char *device, const struct ud_sim_options *opt,
                          struct ud_usbip_device *rec, char *err, size_t errlen);

/** @brief An empty engine driving @p w (attach the device with ud_usbip_device_attach()). */
void ud_usbip_engine_init(struct ud_usbip_engine *e, struct ud_world *w, ud_usbip_complete_fn fn,
                          void *ctx, unsigned faults);

/** @brief Queue @p u (allocated with malloc, buffer included); the engine owns it from now on
 * and completes it exactly once, later (ud_usbip_complete_fn), unless it is unlinked or
 * flushed. */
void ud_usbip_engine_submit(struct ud_usbip_engine *e, struct ud_usbip_urb *u);

/** @brief Remove the pending URB @p seqnum without completing it. @return true if it was
 * pending (it is freed), false if it is unknown or already completed. */
bool ud_usbip_engine_unlink(struct ud_usbip_engine *e, uint32_t seqnum);

/** @brief One round: the device's step hook, then one packet for the head URB of every
 * endpoint. @return true if anything moved (a packet ACKed, a URB completed). */
bool ud_usbip_engine_round(struct ud_usbip_engine *e);

/** @brief Free every pending URB without completing it (the client is gone). @return how
 * many there were. */
unsigned ud_usbip_engine_flush(struct ud_usbip_engine *e);

/** @brief Free a URB and its buffer. */
void ud_usbip_urb_free(struct ud_usbip_urb *u);

#endif /* UD_SIM_USBIP_URB_H */
