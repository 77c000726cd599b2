/* SPDX-License-Identifier: MIT */
/*
 * The GPIO bit-bang SWD backend (ud_swd_gpio.h): the SWD wire protocol on two pins.
 *
 *   request  start(1) APnDP RnW A2 A3 parity stop(0) park(1)        host drives, LSB first
 *   trn      turnaround cycles: nobody drives                        (1..4)
 *   ack      3 bits                                                  target drives
 *   read     32 data bits + parity, then trn                         target drives
 *   write    trn, then 32 data bits + parity                         host drives
 *   idle     idle cycles with SWDIO low                              host drives
 */
#include <stddef.h>

#include "udcore/ud_config.h" /* UD_SWD_GPIO_CONFIG may be set in UD_CONFIG_FILE */
#include "udcore/ud_swd_gpio.h"

#ifdef UD_SWD_GPIO_CONFIG
#include UD_SWD_GPIO_CONFIG
#endif

/* Pin access; a board may replace any of these with register accesses (see the header). */
#ifndef UD_SWD_GPIO_SWCLK
#define UD_SWD_GPIO_SWCLK(g, v) ((g)->ops->swclk_write((g)->ctx, (v)))
#endif
#ifndef UD_SWD_GPIO_SWDIO
#define UD_SWD_GPIO_SWDIO(g, v) ((g)->ops->swdio_write((g)->ctx, (v)))
#endif
#ifndef UD_SWD_GPIO_SWDIO_IN
#define UD_SWD_GPIO_SWDIO_IN(g) ((g)->ops->swdio_read((g)->ctx))
#endif
#ifndef UD_SWD_GPIO_SWDIO_DIR
#define UD_SWD_GPIO_SWDIO_DIR(g, out) ((g)->ops->swdio_output((g)->ctx, (out)))
#endif
#ifndef UD_SWD_GPIO_HALF
#define UD_SWD_GPIO_HALF(g) half_period(g)
static void half_period(const struct ud_swd_gpio *g)
{
	if (g->ops->half_period)
		g->ops->half_period(g->ctx);
}
#endif

/* After a WAIT or FAULT with the data phase on, and after a missing acknowledge: the data
 * phase is 32 bits and parity. */
#define DATA_PHASE_CYCLES 33u

static uint8_t parity32(uint32_t v)
{
	v ^= v >> 16;
	v ^= v >> 8;
	v ^= v >> 4;
	v ^= v >> 2;
	v ^= v >> 1;
	return (uint8_t)(v & 1u);
}

/* One cycle with the host driving @bit: set it half a period after the last rising edge, just
 * before SWCLK goes low; the target samples it on the next rising edge. */
static void cycle_out(struct ud_swd_gpio *g, uint8_t bit)
{
	(void)g; /* a board's register macros (UD_SWD_GPIO_CONFIG) need not use it */
	UD_SWD_GPIO_SWDIO(g, bit);
	UD_SWD_GPIO_SWCLK(g, 0);
	UD_SWD_GPIO_HALF(g);
	UD_SWD_GPIO_SWCLK(g, 1);
	UD_SWD_GPIO_HALF(g);
}

/* One cycle with SWDIO released: sample while SWCLK is low, before the rising edge after
 * which the target presents its next bit. */
static uint8_t cycle_in(struct ud_swd_gpio *g)
{
	(void)g; /* as in cycle_out() */
	UD_SWD_GPIO_SWCLK(g, 0);
	UD_SWD_GPIO_HALF(g);
	uint8_t bit = UD_SWD_GPIO_SWDIO_IN(g) ? 1u : 0u;
	UD_SWD_GPIO_SWCLK(g, 1);
	UD_SWD_GPIO_HALF(g);
	return bit;
}

/* @n <= 32 bits of @v, LSB first. */
static void write_bits(struct ud_swd_gpio *g, uint32_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		cycle_out(g, (uint8_t)((v >> i) & 1u));
}

/* @n cycles with SWDIO low: idle cycles, or a data phase nobody reads. */
static void zeros_out(struct ud_swd_gpio *g, unsigned n)
{
	while (n--)
		cycle_out(g, 0);
}

static uint32_t read_bits(struct ud_swd_gpio *g, unsigned n)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)cycle_in(g) << i;
	return v;
}

static void idle_in(struct ud_swd_gpio *g, unsigned n)
{
	while (n--)
		(void)cycle_in(g);
}

static void drive(struct ud_swd_gpio *g, uint8_t on)
{
	(void)g; /* as in cycle_out() */
	UD_SWD_GPIO_SWDIO_DIR(g, on);
}

/* The end of every operation: SWCLK high (it ended each cycle), SWDIO high. */
static void park(struct ud_swd_gpio *g)
{
	UD_SWD_GPIO_SWDIO(g, 1);
	g->swdio = 1;
	g->swclk = 1;
}

/* The data phase of an acknowledged transfer. */
static uint8_t data_phase(struct ud_swd_gpio *g, uint8_t req, uint32_t *data, unsigned trn)
{
	if (req & UD_SWD_RNW) {
		uint32_t v = read_bits(g, 32);
		uint8_t p = cycle_in(g);
		idle_in(g, trn);
		drive(g, 1);
		*data = v;
		return p == parity32(v) ? 0 : UD_SWD_PARITY_ERROR;
	}
	idle_in(g, trn);
	drive(g, 1);
	write_bits(g, *data, 32);
	cycle_out(g, parity32(*data));
	return 0;
}

static uint8_t gpio_transfer(void *ctx, uint8_t request, uint32_t *data,
                             const struct ud_swd_cfg *cfg)
{
	struct ud_swd_gpio *g = ctx;
	uint8_t req = request & UD_SWD_REQ_MASK;
	uint32_t header = 0x81u | (uint32_t)req << 1 | (uint32_t)parity32(req) << 5;
	unsigned trn = cfg->turnaround >= 1 && cfg->turnaround <= 4 ? cfg->turnaround : 1u;
	uint8_t result;

	drive(g, 1);
	write_bits(g, header, 8);
	drive(g, 0);
	idle_in(g, trn);
	uint8_t ack = (uint8_t)read_bits(g, 3);
	result = ack;
	if (ack == UD_SWD_ACK_OK) {
		result |= data_phase(g, req, data, trn);
		zeros_out(g, cfg->idle_cycles);
	} else if (ack == UD_SWD_ACK_WAIT || ack == UD_SWD_ACK_FAULT) {
		if (cfg->data_phase && (req & UD_SWD_RNW))
			idle_in(g, DATA_PHASE_CYCLES);
		idle_in(g, trn);
		drive(g, 1);
		if (cfg->data_phase && !(req & UD_SWD_RNW))
			zeros_out(g, DATA_PHASE_CYCLES);
	} else {
		/* No valid acknowledge: keep off the line for as long as a target that read
		 * something else could be sending data, then take it back. */
		idle_in(g, trn + DATA_PHASE_CYCLES);
		drive(g, 1);
	}
	park(g);
	return result;
}

static void gpio_sequence_out(void *ctx, uint32_t bits, const uint8_t *data)
{
	struct ud_swd_gpio *g = ctx;

	drive(g, 1);
	for (uint32_t i = 0; i < bits; i++)
		cycle_out(g, (uint8_t)((data[i / 8] >> (i % 8)) & 1u));
	g->swdio = bits ? (uint8_t)((data[(bits - 1) / 8] >> ((bits - 1) % 8)) & 1u) : g->swdio;
	g->swclk = 1;
}

static void gpio_sequence_in(void *ctx, uint32_t bits, uint8_t *data)
{
	struct ud_swd_gpio *g = ctx;

	for (uint32_t i = 0; i < (bits + 7) / 8; i++)
		data[i] = 0;
	drive(g, 0); /* stays released until the next output */
	for (uint32_t i = 0; i < bits; i++)
		data[i / 8] |= (uint8_t)(cycle_in(g) << (i % 8));
	g->swclk = 1;
}

static uint8_t read_pins(struct ud_swd_gpio *g)
{
	uint8_t in = 0;
	uint8_t nreset = g->nreset ? (uint8_t)(g->nreset - 1u) : 1u;

	if (g->ops->nreset_read)
		nreset = g->ops->nreset_read(g->ctx) ? 1u : 0u;
	if (g->swclk)
		in |= UD_SWJ_SWCLK;
	if (UD_SWD_GPIO_SWDIO_IN(g))
		in |= UD_SWJ_SWDIO;
	if (nreset)
		in |= UD_SWJ_NRESET;
	return in;
}

static uint8_t gpio_pins(void *ctx, uint8_t value, uint8_t select, uint32_t wait_us)
{
	struct ud_swd_gpio *g = ctx;

	if (select & UD_SWJ_SWCLK) {
		g->swclk = (value & UD_SWJ_SWCLK) ? 1u : 0u;
		UD_SWD_GPIO_SWCLK(g, g->swclk);
	}
	if (select & UD_SWJ_SWDIO) {
		g->swdio = (value & UD_SWJ_SWDIO) ? 1u : 0u;
		UD_SWD_GPIO_SWDIO(g, g->swdio);
	}
	if ((select & UD_SWJ_NRESET) && g->ops->nreset_write) {
		uint8_t level = (value & UD_SWJ_NRESET) ? 1u : 0u;
		g->ops->nreset_write(g->ctx, level);
		g->nreset = (uint8_t)(level + 1u);
	}
	uint8_t in = read_pins(g);
	/* Wait for the selected pins to follow (an open-drain nRESET held low by the target). */
	while (wait_us > 0 && ((in ^ value) & select) && g->ops->delay_us) {
		g->ops->delay_us(g->ctx, 1);
		wait_us--;
		in = read_pins(g);
	}
	return in;
}

static uint32_t gpio_clock(void *ctx, uint32_t hz)
{
	struct ud_swd_gpio *g = ctx;

	return g->ops->set_clock ? g->ops->set_clock(g->ctx, hz) : hz;
}

static void gpio_delay_us(void *ctx, uint32_t us)
{
	struct ud_swd_gpio *g = ctx;

	if (g->ops->delay_us)
		g->ops->delay_us(g->ctx, us);
}

static void gpio_connect(void *ctx)
{
	struct ud_swd_gpio *g = ctx;

	if (g->ops->port_enable)
		g->ops->port_enable(g->ctx, 1);
	UD_SWD_GPIO_SWCLK(g, 1);
	g->swclk = 1;
	park(g);
	drive(g, 1);
}

static void gpio_disconnect(void *ctx)
{
	struct ud_swd_gpio *g = ctx;

	drive(g, 0);
	if (g->ops->port_enable)
		g->ops->port_enable(g->ctx, 0);
}

static void gpio_host_status(void *ctx, uint8_t type, uint8_t on)
{
	struct ud_swd_gpio *g = ctx;

	if (g->ops->led)
		g->ops->led(g->ctx, type, on);
}

const struct ud_swd_io ud_swd_gpio_io = {
	.transfer = gpio_transfer,
	.sequence_out = gpio_sequence_out,
	.sequence_in = gpio_sequence_in,
	.pins = gpio_pins,
	.clock = gpio_clock,
	.delay_us = gpio_delay_us,
	.connect = gpio_connect,
	.disconnect = gpio_disconnect,
	.host_status = gpio_host_status,
	.reset_target = NULL,
};
