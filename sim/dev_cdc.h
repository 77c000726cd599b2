/* SPDX-License-Identifier: MIT */
/**
 * @file dev_cdc.h
 * @brief `cdc`: a CDC-ACM serial port (class/cdc, ud_cdc.h) wired like a loopback plug.
 *
 * VID 0x1209, PID 0x0003, strings "udcore" / "udcore cdc echo" / "0003", interface string
 * UD_SIM_CDC_INTF_STRING. One CDC-ACM function: interface 0 (communication, notifications on
 * EP1 IN), interface 1 (data, bulk EP1 OUT and EP2 IN, 64-byte packets), grouped by an IAD.
 * Full speed only (built with UD_CDC_MAX_PACKET 64). Receive and transmit rings of
 * UD_SIM_CDC_RING bytes each, task context.
 *
 * The application is an echo that runs only in the registry's `step` hook (the script's
 * `step`), so a test or the explorer decides when it runs: each step moves every received
 * byte that fits in the transmit ring back to it and flushes. With `--lazy-flush`
 * (`lazy_flush`) every other step does not flush what it wrote if that is whole packets into
 * an empty transmit ring: they go without a flush (a writer that keeps pace with the host). Like a loopback plug, DTR
 * drives DCD and DSR (SERIAL_STATE) and a break from the host comes back as a break event.
 * The callbacks count what the host did, for tests.
 */
#ifndef UD_SIM_DEV_CDC_H
#define UD_SIM_DEV_CDC_H

#include <stdint.h>

#include "udcore/ud_cdc.h"

struct ud_world;
struct ud_sim_options;

#define UD_SIM_CDC_INTF_STRING "udcore cdc echo"
/** Ring size: two full-speed packets, so a third one unread is NAKed. */
#define UD_SIM_CDC_RING 128u

struct ud_sim_cdc {
	struct ud_cdc cdc;
	uint8_t rx[UD_SIM_CDC_RING];
	uint8_t tx[UD_SIM_CDC_RING];
	/* What the host did. */
	uint32_t line_codings, control_lines, breaks, states;
	uint8_t lines;
	uint16_t last_break;
	uint32_t echoed;          /* bytes the echo moved */
	uint8_t lazy_flush;       /* --lazy-flush */
	uint8_t skip_next;        /* lazy_flush: this echo may leave whole packets unflushed */
	struct ud_cdc_config cfg; /* `cdc` points to it (ud_cdc_init() keeps no copy) */
};

int ud_sim_cdc_setup(struct ud_world *w, const struct ud_sim_options *opt);

/** Add the echo function in @p s to @p dev (for devices that combine functions). */
int ud_sim_cdc_add(struct ud_device *dev, struct ud_sim_cdc *s);

/** One echo step of @p s: what the host sent is written back. */
void ud_sim_cdc_echo(struct ud_sim_cdc *s);

/** One step of the echo application. */
void ud_sim_cdc_step(struct ud_world *w);

#endif /* UD_SIM_DEV_CDC_H */
