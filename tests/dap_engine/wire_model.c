/* SPDX-License-Identifier: MIT */
#include "wire_model.h"

#include <stddef.h>
#include <string.h>

enum wire_state {
	W_WAIT_IDLE, /* after a line reset: until the host drives a 0 */
	W_IDLE,      /* waiting for a start bit */
	W_HEADER,    /* request header bits 1..7 */
	W_TRN_ACK,   /* turnaround before the acknowledge */
	W_ACK,       /* driving the acknowledge */
	W_RDATA,     /* driving read data and parity */
	W_TRN_WDATA, /* turnaround before write data */
	W_WDATA,     /* sampling write data and parity */
	W_SKIP,      /* turnaround (and data phase) cycles nobody reads */
};

#define DATA_PHASE 33u

static uint8_t parity32(uint32_t v)
{
	uint8_t p = 0;
	while (v) {
		p ^= (uint8_t)(v & 1u);
		v >>= 1;
	}
	return p;
}

static uint8_t level(const struct wire_model *w)
{
	if (w->host_out)
		return w->host_level;
	if (w->tgt_drive)
		return w->tgt_level;
	return 1; /* pull-up */
}

static void drive(struct wire_model *w, uint32_t bit)
{
	w->tgt_drive = 1;
	w->tgt_level = (uint8_t)(bit & 1u);
}

static void release(struct wire_model *w)
{
	w->tgt_drive = 0;
}

static void header_done(struct wire_model *w)
{
	uint8_t req = (uint8_t)((w->hdr >> 1) & 0x0fu);
	bool bad = ((w->hdr >> 5) & 1u) != parity32(req) || (w->hdr & 0x40u) || !(w->hdr & 0x80u);

	if (bad) {
		/* All 1s is a line reset under way (the target hears it too), not a host bug. */
		if (w->hdr != 0xffu)
			w->bad_headers++;
		ud_swd_target_protocol_error(w->t);
		w->state = W_IDLE;
		return;
	}
	w->req = req;
	w->trn = ud_swd_target_turnaround(w->t);
	w->cnt = w->trn;
	w->state = W_TRN_ACK;
}

/* The acknowledge has been read: what follows it. */
static void after_ack(struct wire_model *w)
{
	if (w->ack == UD_SWD_ACK_OK && (w->req & UD_SWD_RNW)) {
		w->parity = parity32(w->data);
		if (w->flip_parity) {
			w->flip_parity--;
			w->parity ^= 1u;
		}
		drive(w, w->data);
		w->n = 1;
		w->state = W_RDATA;
	} else if (w->ack == UD_SWD_ACK_OK) {
		release(w);
		w->cnt = w->trn;
		w->state = W_TRN_WDATA;
	} else {
		release(w);
		w->cnt = w->trn + (ud_swd_target_data_phase(w->t) ? DATA_PHASE : 0u);
		w->state = W_SKIP;
	}
}

static void frame(struct wire_model *w, uint8_t bit)
{
	switch (w->state) {
	case W_WAIT_IDLE:
		if (w->host_out && !bit)
			w->state = W_IDLE;
		break;
	case W_IDLE:
		if (w->t->mode == UD_SWD_TARGET_SWD && w->t->state != UD_SWD_TARGET_LOCKOUT &&
		    w->host_out && bit) {
			w->hdr = 1;
			w->n = 1;
			w->state = W_HEADER;
		}
		break;
	case W_HEADER:
		w->hdr |= (uint32_t)bit << w->n;
		if (++w->n == 8)
			header_done(w);
		break;
	case W_TRN_ACK:
		if (--w->cnt)
			break;
		w->ack = ud_swd_target_request(w->t, w->req, &w->data);
		if (w->ack == UD_SWD_ACK_NONE) {
			w->state = W_IDLE; /* silent: the pull-up answers */
			break;
		}
		drive(w, w->ack);
		w->n = 1;
		w->state = W_ACK;
		break;
	case W_ACK:
		if (w->n < 3)
			drive(w, (uint32_t)w->ack >> w->n++);
		else
			after_ack(w);
		break;
	case W_RDATA:
		if (w->n < 32) {
			drive(w, w->data >> w->n++);
		} else if (w->n == 32) {
			drive(w, w->parity);
			w->n++;
		} else {
			release(w);
			w->cnt = w->trn;
			w->state = W_SKIP;
		}
		break;
	case W_TRN_WDATA:
		if (--w->cnt == 0) {
			w->n = 0;
			w->data = 0;
			w->state = W_WDATA;
		}
		break;
	case W_WDATA:
		if (w->n < 32) {
			w->data |= (uint32_t)bit << w->n++;
		} else {
			ud_swd_target_write(w->t, w->req, w->data, bit == parity32(w->data));
			w->state = W_IDLE;
		}
		break;
	default: /* W_SKIP */
		if (--w->cnt == 0)
			w->state = W_IDLE;
		break;
	}
}

static void rising_edge(struct wire_model *w)
{
	uint8_t bit = level(w);

	w->rising++;
	if (w->host_out && w->tgt_drive)
		w->contention++;
	if (!w->tgt_drive) {
		/* The target hears the line whenever it does not drive it itself. */
		uint32_t resets = w->t->line_resets;
		ud_swd_target_line_bit(w->t, bit);
		if (w->t->line_resets != resets) {
			w->state = W_WAIT_IDLE;
			return;
		}
	}
	frame(w, bit);
}

static void swclk_write(void *ctx, uint8_t v)
{
	struct wire_model *w = ctx;

	if (!w->clk && v)
		rising_edge(w);
	w->clk = v ? 1 : 0;
}

static void swdio_write(void *ctx, uint8_t v)
{
	struct wire_model *w = ctx;

	w->host_level = v ? 1 : 0;
}

static uint8_t swdio_read(void *ctx)
{
	return level(ctx);
}

static void swdio_output(void *ctx, uint8_t on)
{
	struct wire_model *w = ctx;

	w->host_out = on ? 1 : 0;
}

static void nreset_write(void *ctx, uint8_t v)
{
	struct wire_model *w = ctx;

	w->nreset = v ? 1 : 0;
}

static uint8_t nreset_read(void *ctx)
{
	struct wire_model *w = ctx;

	return w->nreset_hold_us ? 0 : w->nreset;
}

static void port_enable(void *ctx, uint8_t on)
{
	struct wire_model *w = ctx;

	if (on)
		w->port_on++;
	else
		w->port_off++;
}

static void half_period(void *ctx)
{
	struct wire_model *w = ctx;

	w->halves++;
}

static uint32_t set_clock(void *ctx, uint32_t hz)
{
	struct wire_model *w = ctx;

	w->clock_hz = hz > 4000000u ? 4000000u : hz; /* a board with a 4 MHz ceiling */
	return w->clock_hz;
}

static void delay_us(void *ctx, uint32_t us)
{
	struct wire_model *w = ctx;

	w->t->time_us += us;
	w->nreset_hold_us = w->nreset_hold_us > us ? w->nreset_hold_us - us : 0;
}

static void led(void *ctx, uint8_t type, uint8_t on)
{
	struct wire_model *w = ctx;
	uint8_t bit = (uint8_t)(1u << type);

	w->t->leds = on ? (uint8_t)(w->t->leds | bit) : (uint8_t)(w->t->leds & ~bit);
}

const struct ud_swd_gpio_ops wire_model_ops = {
	.swclk_write = swclk_write,
	.swdio_write = swdio_write,
	.swdio_read = swdio_read,
	.swdio_output = swdio_output,
	.nreset_write = nreset_write,
	.nreset_read = nreset_read,
	.port_enable = port_enable,
	.half_period = half_period,
	.set_clock = set_clock,
	.delay_us = delay_us,
	.led = led,
};

void wire_model_init(struct wire_model *w, struct ud_swd_target *t)
{
	memset(w, 0, sizeof(*w));
	w->t = t;
	w->clk = 1;
	w->host_level = 1;
	w->nreset = 1;
	w->state = W_WAIT_IDLE;
}
