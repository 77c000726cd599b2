/* SPDX-License-Identifier: MIT */
/*
 * An SWD target at the pin level, for testing the GPIO bit-bang backend on the PC: it provides
 * the board callbacks (struct ud_swd_gpio_ops), watches SWCLK's rising edges, decodes line
 * resets, the JTAG-to-SWD select sequence and request headers (start, parity, stop, park),
 * drives the acknowledge, read data and parity, samples write data and checks its parity, and
 * keeps the turnaround and the data phase of the simulated target's registers
 * (sim/swd_target.h), which answer behind it.
 *
 * Conventions (the same as ud_swd_gpio.h): the target samples SWDIO on the rising edge and
 * changes what it drives right after a rising edge; an undriven line reads 1 (pull-up). The
 * target only starts a header on a 1 the host drives, and ignores everything but line resets
 * while locked out.
 */
#ifndef UD_TEST_WIRE_MODEL_H
#define UD_TEST_WIRE_MODEL_H

#include <stdint.h>

#include "swd_target.h"
#include "udcore/ud_swd_gpio.h"

struct wire_model {
	struct ud_swd_target *t;
	/* Pins. */
	uint8_t clk, host_out, host_level, tgt_drive, tgt_level, nreset;
	/* The target's frame. */
	uint8_t state, n, req, ack, trn, parity;
	uint32_t hdr, data, cnt;
	/* Injection: the next N read data phases carry a wrong parity bit. */
	uint32_t flip_parity;
	/* Injection: nRESET reads low for this long (an external circuit holding the reset). */
	uint32_t nreset_hold_us;
	/* Observations. */
	uint32_t rising;      /* SWCLK rising edges */
	uint32_t halves;      /* half periods waited */
	uint32_t contention;  /* rising edges with both sides driving SWDIO */
	uint32_t bad_headers; /* headers with a wrong parity, stop or park bit */
	uint32_t port_on, port_off;
	uint32_t clock_hz;
};

/* The callbacks; their ctx is a struct wire_model. */
extern const struct ud_swd_gpio_ops wire_model_ops;

/* Idle line, SWCLK high, nobody driving, in front of @t. */
void wire_model_init(struct wire_model *w, struct ud_swd_target *t);

#endif /* UD_TEST_WIRE_MODEL_H */
