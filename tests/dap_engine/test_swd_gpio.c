/* SPDX-License-Identifier: MIT */
/*
 * The GPIO bit-bang backend (class/dap/swd_gpio.c) on the PC: the engine drives it, its pin
 * callbacks go to a model of the wire (wire_model.c) with the simulated target's registers
 * behind it. The OpenOCD sequence and memory traffic must give the same bytes as over the
 * transfer-level backend; every frame must have the exact number of clock cycles; the two
 * sides must never drive SWDIO at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "openocd_seq.h"
#include "udcore/ud_swd_gpio.h"
#include "wire_model.h"

static struct wire_model w;
static struct ud_swd_gpio gpio;

static void start(const struct ud_swd_gpio_ops *ops)
{
	gpio = (struct ud_swd_gpio){.ops = ops, .ctx = &w};
	h_init_io(&ud_swd_gpio_io, &gpio);
	wire_model_init(&w, &h.t);
}

static int setup(void **state)
{
	(void)state;
	start(&wire_model_ops);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(w.contention, 0);
	assert_int_equal(w.bad_headers, 0);
	return 0;
}

/* Clock cycles of the last command. */
static uint32_t edges_before;
static void mark(void)
{
	edges_before = w.rising;
}
static uint32_t cycles(void)
{
	return w.rising - edges_before;
}

static void test_gpio_openocd(void **state)
{
	(void)state;
	openocd_init();
	openocd_memory();
	assert_int_equal(w.port_on, 1);
	assert_int_equal(h.t.no_acks, 0);
	assert_int_equal(h.t.faults, 0);
	assert_int_equal(h.t.ctrl_stat & UD_DP_WDATAERR, 0); /* every write's parity was right */
}

static void test_gpio_frame_cycles(void **state)
{
	(void)state;
	h_attach();
	mark();
	uint32_t halves = w.halves;
	h_dp_read(DP_DPIDR); /* header 8, trn 1, ack 3, data 33, trn 1 */
	assert_int_equal(cycles(), 46);
	assert_int_equal(w.halves - halves, 2 * 46); /* each cycle: low half, high half */
	mark();
	h_dp_write(DP_SELECT, 0); /* header 8, trn 1, ack 3, trn 1, data 33 */
	assert_int_equal(cycles(), 46);
	EXEC(0x04, 0x07, 0x40, 0x00, 0x00, 0x00); /* 7 idle cycles after each transfer */
	mark();
	h_dp_read(DP_DPIDR);
	assert_int_equal(cycles(), 46 + 7);
	EXEC(0x04, 0x00, 0x40, 0x00, 0x00, 0x00);
	/* WAIT: header 8, trn 1, ack 3, trn 1, then the retry. */
	h.t.inject_wait = 2;
	mark();
	assert_int_equal(h_dp_read(DP_RESEND), h.t.resend);
	assert_int_equal(cycles(), 13 + 13 + 46);
	/* FAULT without the data phase: header 8, trn 1, ack 3, trn 1; nothing after it. */
	h.t.inject_fault = 1;
	mark();
	EXEC(0x05, 0x00, 0x01, 0x0a); /* RESEND: can FAULT */
	EXPECT(0x05, 0x00, 0x04);
	assert_int_equal(cycles(), 13);
	EXEC(0x08, 0x00, 0x04, 0x00, 0x00, 0x00); /* STKERRCLR */
	EXPECT(0x08, 0x00);
	/* No acknowledge: back off for trn + 33 cycles. */
	h.t.inject_no_ack = 1;
	mark();
	EXEC(0x05, 0x00, 0x01, 0x02);
	EXPECT(0x05, 0x00, 0x07);
	assert_int_equal(cycles(), 8 + 1 + 3 + 1 + 33);
	assert_int_equal(h_dp_read(DP_DPIDR), UD_SWD_TARGET_DPIDR);
}

static void test_gpio_data_phase(void **state)
{
	(void)state;
	h_attach();
	h_dp_write(DP_CTRL, UD_DP_CSYSPWRUPREQ | UD_DP_CDBGPWRUPREQ | UD_DP_ORUNDETECT);
	EXEC(0x13, 0x04); /* data phase on WAIT/FAULT */
	EXEC(0x04, 0x00, 0x03, 0x00, 0x00, 0x00);
	h_memap_word();
	/* A read: WAIT (sets STICKYORUN) with a 33-cycle data phase, then FAULT, same length. */
	h.t.inject_wait = 1;
	mark();
	EXEC(0x05, 0x00, 0x01, 0x0f);
	EXPECT(0x05, 0x00, 0x04);
	assert_int_equal(cycles(), 2 * (8 + 1 + 3 + 33 + 1));
	EXEC(0x08, 0x00, 0x10, 0x00, 0x00, 0x00);
	EXPECT(0x08, 0x00);
	/* A write: the same, trn before the data phase. */
	h.t.inject_wait = 1;
	mark();
	EXEC(0x05, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x20);
	EXPECT(0x05, 0x00, 0x04);
	assert_int_equal(cycles(), 2 * (8 + 1 + 3 + 1 + 33));
	EXEC(0x08, 0x00, 0x10, 0x00, 0x00, 0x00);
	/* Frames stayed aligned: memory works. */
	h_ap_write(AP_TAR, 0x20000040u);
	h_ap_write(AP_DRW, 0x600dcafeu);
	h_ap_write(AP_TAR, 0x20000040u);
	assert_int_equal(h_ap_read(AP_DRW), 0x600dcafeu);
}

static void test_gpio_turnaround(void **state)
{
	(void)state;
	h_attach();
	h_memap_word();
	h_dp_write(DP_SELECT, 1);
	h_dp_write(DP_CTRL, 0x340); /* WCR.TURNROUND = 3: four cycles */
	EXEC(0x13, 0x03);
	h_dp_write(DP_SELECT, 0);
	mark();
	assert_int_equal(h_dp_read(DP_DPIDR), UD_SWD_TARGET_DPIDR);
	assert_int_equal(cycles(), 8 + 4 + 3 + 33 + 4);
	h_ap_write(AP_TAR, 0x20000080u);
	h_ap_write(AP_DRW, 0x12345678u);
	h_ap_write(AP_TAR, 0x20000080u);
	assert_int_equal(h_ap_read(AP_DRW), 0x12345678u);
	/* A host that disagrees sees no acknowledge, and the target locks out. */
	EXEC(0x13, 0x00);
	EXEC(0x05, 0x00, 0x01, 0x02);
	assert_int_equal(h.resp[1], 0);
	assert_int_not_equal(h.resp[2], UD_SWD_ACK_OK);
	w.contention = 0; /* expected here: the two sides disagree on the frame */
}

static void test_gpio_parity_error(void **state)
{
	(void)state;
	h_attach();
	w.flip_parity = 1;
	EXEC(0x05, 0x00, 0x02, 0x02, 0x02);
	EXPECT(0x05, 0x00, 0x09);
	assert_int_equal(h_dp_read(DP_DPIDR), UD_SWD_TARGET_DPIDR);
}

static void test_gpio_lockout(void **state)
{
	(void)state;
	h_attach();
	EXEC(0x12, 0x40, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00); /* line reset, idle */
	mark();
	EXEC(0x05, 0x00, 0x01, 0x06); /* not DPIDR first: ignored */
	EXPECT(0x05, 0x00, 0x07);
	assert_int_equal(cycles(), 46);
	EXEC(0x12, 0x40, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00);
	assert_int_equal(h_dp_read(DP_DPIDR), UD_SWD_TARGET_DPIDR);
}

static void test_gpio_pins(void **state)
{
	(void)state;
	EXEC(0x02, 0x01);
	EXEC(0x10, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00); /* assert nRESET */
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO);
	assert_int_equal(w.nreset, 0);
	/* Release it while the board holds it low for 700 us: the wait follows it. */
	w.nreset_hold_us = 700;
	EXEC(0x10, 0x80, 0x80, 0xe8, 0x03, 0x00, 0x00);
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO | UD_SWJ_NRESET);
	assert_int_equal(h.t.time_us, 700);
	/* Held longer than the wait: the wait ends, nRESET still reads low. */
	w.nreset_hold_us = 5000;
	EXEC(0x10, 0x80, 0x80, 0xe8, 0x03, 0x00, 0x00);
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO);
	assert_int_equal(h.t.time_us, 1700);
	/* SWCLK and SWDIO low. */
	EXEC(0x10, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x10, 0x00);
	assert_int_equal(w.clk, 0);
	EXEC(0x10, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(w.clk, 1);
	EXEC(0x09, 0x10, 0x00);
	assert_int_equal(h.t.time_us, 1700 + 16);
	EXEC(0x01, 0x01, 0x01);
	assert_int_equal(h.t.leds, 2);
	EXEC(0x03);
	assert_int_equal(w.port_off, 1);
	assert_int_equal(w.host_out, 0);
}

static void test_gpio_sequences_and_clock(void **state)
{
	struct pkt p;
	(void)state;
	EXEC(0x02, 0x01);
	mark();
	EXEC(0x1d, 0x02, 0x08, 0xaa, 0x84); /* 8 out, 4 in: the pull-up */
	EXPECT(0x1d, 0x00, 0x0f);
	assert_int_equal(cycles(), 12);
	assert_int_equal(w.host_out, 0);
	pkt_init(&p, 0x12);
	pkt_u8(&p, 0);
	for (unsigned i = 0; i < 32; i++)
		pkt_u8(&p, 0x00);
	mark();
	h_exec_pkt(&p);
	assert_int_equal(cycles(), 256);
	assert_int_equal(w.host_out, 1);
	EXEC(0x11, 0x80, 0x96, 0x98, 0x00); /* 10 MHz: the board gives 4 */
	EXPECT(0x11, 0x00);
	assert_int_equal(h.e.clock_hz, 4000000);
}

/* A board that supplies only the four pin callbacks. */
static void test_gpio_minimal_board(void **state)
{
	static struct ud_swd_gpio_ops ops;
	(void)state;
	ops.swclk_write = wire_model_ops.swclk_write;
	ops.swdio_write = wire_model_ops.swdio_write;
	ops.swdio_read = wire_model_ops.swdio_read;
	ops.swdio_output = wire_model_ops.swdio_output;
	start(&ops);
	h_attach();
	EXEC(0x10, 0x00, 0x80, 0x10, 0x00, 0x00, 0x00); /* no nRESET pin: reads released */
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO | UD_SWJ_NRESET);
	EXEC(0x11, 0x80, 0x96, 0x98, 0x00);
	assert_int_equal(h.e.clock_hz, 10000000);
	EXEC(0x09, 0x10, 0x00);
	EXPECT(0x09, 0x00);
	EXEC(0x01, 0x00, 0x01);
	EXPECT(0x01, 0x00);
	EXEC(0x03);
	EXPECT(0x03, 0x00);
	assert_int_equal(w.port_on + w.port_off, 0);
}

/* A board that drives nRESET but cannot read it back: DAP_SWJ_Pins reports the level last
 * written (released before any write). */
static void test_gpio_nreset_write_only(void **state)
{
	static struct ud_swd_gpio_ops ops;
	(void)state;
	ops = wire_model_ops;
	ops.nreset_read = NULL;
	start(&ops);
	EXEC(0x02, 0x01);
	EXEC(0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00); /* nothing selected: read only */
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO | UD_SWJ_NRESET);
	EXEC(0x10, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00); /* assert nRESET */
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO);
	assert_int_equal(w.nreset, 0);
	EXEC(0x10, 0x80, 0x80, 0x00, 0x00, 0x00, 0x00); /* release it */
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO | UD_SWJ_NRESET);
	assert_int_equal(w.nreset, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gpio_openocd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_frame_cycles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_data_phase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_turnaround, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_parity_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_lockout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_pins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_sequences_and_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_minimal_board, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gpio_nreset_write_only, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
