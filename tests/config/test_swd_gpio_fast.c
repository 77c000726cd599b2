/* SPDX-License-Identifier: MIT */
/*
 * The GPIO SWD backend's fast path: class/dap/swd_gpio.c built with UD_SWD_GPIO_CONFIG naming
 * swd_gpio_fast.h, whose pin macros are register accesses that ignore `g`, and every pin
 * callback NULL (ud_swd_gpio.h allows it; a callback still used would crash here). A model of
 * the target in the half-period hook logs what the host drives at each rising edge and plays a
 * script of bits, one per cycle, while the host has released SWDIO. The full protocol is tested
 * through the callbacks in tests/dap_engine/test_swd_gpio.c; this checks that the macros carry
 * it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "swd_gpio_fast.h"
#include "udcore/ud_swd_gpio.h"

struct fake_gpio fake_gpio_port;

static struct target_model {
	uint8_t script[64]; /* bits the target presents while SWDIO is released */
	unsigned script_len, script_pos;
	uint8_t out[64]; /* bits the host drove, one per rising edge */
	unsigned out_len;
	unsigned halves;
} t;

/* While the host drives SWDIO, the target samples it at each rising edge. While the host has
 * released it, the target shows the next bit of its script (1, the pull-up, past its end) from
 * one rising edge to the next: the host must sample with SWCLK low, before the edge. */
void fake_gpio_half(void)
{
	int driving = (fake_gpio_port.dir & FAKE_SWDIO) != 0u;
	int high = (fake_gpio_port.odr & FAKE_SWCLK) != 0u;

	t.halves++;
	if (driving) {
		if (high && t.out_len < sizeof(t.out))
			t.out[t.out_len++] = (fake_gpio_port.odr & FAKE_SWDIO) ? 1u : 0u;
		return;
	}
	if (high)
		t.script_pos++;
	uint8_t bit = t.script_pos < t.script_len ? t.script[t.script_pos] : 1u;
	FAKE_GPIO_SET(fake_gpio_port.idr, FAKE_SWDIO, bit);
}

static const struct ud_swd_gpio_ops no_pins = {0}; /* every callback NULL */
static struct ud_swd_gpio gpio;
static const struct ud_swd_cfg cfg = {.turnaround = 1, .data_phase = 0, .idle_cycles = 0};

static int setup(void **state)
{
	(void)state;
	fake_gpio_port = (struct fake_gpio){0};
	t = (struct target_model){0};
	gpio = (struct ud_swd_gpio){.ops = &no_pins, .ctx = NULL};
	ud_swd_gpio_io.connect(&gpio);
	return 0;
}

static void script_bits(uint32_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		t.script[t.script_len++] = (uint8_t)((v >> i) & 1u);
}

static uint32_t out_bits(unsigned from, unsigned n)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint32_t)t.out[from + i] << i;
	return v;
}

static unsigned parity(uint32_t v)
{
	unsigned p = 0;
	for (; v; v >>= 1)
		p ^= v & 1u;
	return p;
}

/* The target's answer to a read: turnaround, acknowledge, data, parity, turnaround. */
static void script_read(uint8_t ack, uint32_t data, unsigned par)
{
	script_bits(1, 1);
	script_bits(ack, 3);
	script_bits(data, 32);
	script_bits(par, 1);
	script_bits(1, 1);
}

static void assert_parked(void)
{
	assert_int_equal(fake_gpio_port.odr & (FAKE_SWCLK | FAKE_SWDIO), FAKE_SWCLK | FAKE_SWDIO);
	assert_int_equal(fake_gpio_port.dir & FAKE_SWDIO, FAKE_SWDIO);
}

static void test_fast_read(void **state)
{
	(void)state;
	uint32_t data = 0;
	script_read(UD_SWD_ACK_OK, 0x2ba01477u, parity(0x2ba01477u));
	assert_int_equal(ud_swd_gpio_io.transfer(&gpio, UD_SWD_RNW, &data, &cfg), UD_SWD_ACK_OK);
	assert_int_equal(data, 0x2ba01477u);
	assert_int_equal(t.out_len, 8);
	assert_int_equal(out_bits(0, 8), 0xa5); /* DP read of address 0: start RnW parity park */
	assert_int_equal(t.script_pos, 38);     /* everything the target sent was clocked in */
	assert_int_equal(t.halves, 2 * 46);
	assert_parked();
}

static void test_fast_read_bad_parity(void **state)
{
	(void)state;
	uint32_t data = 0;
	script_read(UD_SWD_ACK_OK, 0x12345678u, !parity(0x12345678u));
	assert_int_equal(ud_swd_gpio_io.transfer(&gpio, UD_SWD_RNW, &data, &cfg),
	                 UD_SWD_ACK_OK | UD_SWD_PARITY_ERROR);
}

static void test_fast_write(void **state)
{
	(void)state;
	uint32_t data = 0xf00dcafeu;
	script_bits(1, 1); /* turnaround, OK, turnaround */
	script_bits(UD_SWD_ACK_OK, 3);
	script_bits(1, 1);
	assert_int_equal(ud_swd_gpio_io.transfer(&gpio, UD_SWD_A3, &data, &cfg), UD_SWD_ACK_OK);
	assert_int_equal(t.out_len, 8 + 33);
	assert_int_equal(out_bits(0, 8), 0xb1); /* DP write of address 8: start A3 parity park */
	assert_int_equal(out_bits(8, 32), 0xf00dcafeu);
	assert_int_equal(t.out[40], parity(0xf00dcafeu));
	assert_parked();
}

/* No target: the pull-up reads acknowledge 7, then the back-off with the line released. */
static void test_fast_no_target(void **state)
{
	(void)state;
	uint32_t data = 0;
	assert_int_equal(ud_swd_gpio_io.transfer(&gpio, UD_SWD_RNW, &data, &cfg), UD_SWD_ACK_NONE);
	assert_int_equal(t.halves, 2 * (8 + 1 + 3 + 1 + 33));
	assert_parked();
}

static void test_fast_pins(void **state)
{
	(void)state;
	uint8_t in = ud_swd_gpio_io.pins(&gpio, 0, UD_SWJ_SWCLK | UD_SWJ_SWDIO, 0);
	assert_int_equal(fake_gpio_port.odr & (FAKE_SWCLK | FAKE_SWDIO), 0);
	assert_int_equal(in, UD_SWJ_NRESET); /* idr still 0; nRESET never written reads 1 */
	fake_gpio_port.idr = FAKE_SWDIO;
	in = ud_swd_gpio_io.pins(&gpio, UD_SWJ_SWCLK, UD_SWJ_SWCLK, 0);
	assert_int_equal(fake_gpio_port.odr & FAKE_SWCLK, FAKE_SWCLK);
	assert_int_equal(in, UD_SWJ_SWCLK | UD_SWJ_SWDIO | UD_SWJ_NRESET);
	ud_swd_gpio_io.disconnect(&gpio);
	assert_int_equal(fake_gpio_port.dir & FAKE_SWDIO, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fast_read, setup),
		cmocka_unit_test_setup(test_fast_read_bad_parity, setup),
		cmocka_unit_test_setup(test_fast_write, setup),
		cmocka_unit_test_setup(test_fast_no_target, setup),
		cmocka_unit_test_setup(test_fast_pins, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
