/* SPDX-License-Identifier: MIT */
/*
 * Every command the engine implements, well formed: byte layouts as the CMSIS-DAP
 * specification gives them, and what reaches the backend. The transfer commands have their
 * own file (test_dap_transfer.c); malformed packets too (test_dap_malformed.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

/* A backend that records what the engine asked for, then lets the simulated target do it. */
static struct {
	uint32_t pins_wait, seq_bits, seq_calls;
	uint8_t seq_data[32];
	uint8_t pins_value, pins_select;
	uint8_t reset_result;
	uint32_t resets;
} rec;

static uint8_t rec_pins(void *ctx, uint8_t value, uint8_t select, uint32_t wait_us)
{
	rec.pins_value = value;
	rec.pins_select = select;
	rec.pins_wait = wait_us;
	return ud_swd_target_io.pins(ctx, value, select, wait_us);
}

static void rec_sequence_out(void *ctx, uint32_t bits, const uint8_t *data)
{
	rec.seq_calls++;
	rec.seq_bits = bits;
	memcpy(rec.seq_data, data, (bits + 7) / 8 <= 32 ? (bits + 7) / 8 : 32);
	ud_swd_target_io.sequence_out(ctx, bits, data);
}

static uint8_t rec_reset_target(void *ctx)
{
	(void)ctx;
	rec.resets++;
	return rec.reset_result;
}

static struct ud_swd_io rec_io;

static int setup(void **state)
{
	(void)state;
	memset(&rec, 0, sizeof(rec));
	rec_io = ud_swd_target_io;
	rec_io.pins = rec_pins;
	rec_io.sequence_out = rec_sequence_out;
	rec_io.reset_target = rec_reset_target;
	h_init();
	return 0;
}

static void use_rec_io(void)
{
	h_init_io(&rec_io, &h.t);
}

/* ---- DAP_Info ---- */

static void test_info_strings(void **state)
{
	(void)state;
	EXEC(0x00, 0x01);
	EXPECT(0x00, 7, 'u', 'd', 'c', 'o', 'r', 'e', 0);
	EXEC(0x00, 0x02);
	assert_int_equal(h.len, 2 + 17);
	assert_int_equal(h.resp[1], 17);
	assert_string_equal((const char *)h.resp + 2, "udcore CMSIS-DAP");
	EXEC(0x00, 0x03);
	EXPECT(0x00, 5, '0', '0', '0', '1', 0);
	EXEC(0x00, 0x04);
	EXPECT(0x00, 6, '2', '.', '1', '.', '1', 0);
	EXEC(0x00, 0x05); /* target vendor: not known */
	EXPECT(0x00, 0x00);
	EXEC(0x00, 0x06);
	EXPECT(0x00, 4, 's', 'i', 'm', 0);
	EXEC(0x00, 0x07);
	EXPECT(0x00, 0x00);
	EXEC(0x00, 0x08);
	EXPECT(0x00, 0x00);
	EXEC(0x00, 0x09);
	EXPECT(0x00, 6, '0', '.', '1', '.', '0', 0);
	h.info.board_vendor = "";
	EXEC(0x00, 0x07); /* an empty string is Len 1, distinct from none */
	EXPECT(0x00, 0x01, 0x00);
	h.info.board_name = "board";
	h.info.target_vendor = "ARM";
	EXEC(0x00, 0x08);
	EXPECT(0x00, 6, 'b', 'o', 'a', 'r', 'd', 0);
	EXEC(0x00, 0x05);
	EXPECT(0x00, 4, 'A', 'R', 'M', 0);
}

static void test_info_values(void **state)
{
	(void)state;
	EXEC(0x00, 0xf0);
	EXPECT(0x00, 0x01, UD_DAP_CAP_SWD | UD_DAP_CAP_ATOMIC);
	EXEC(0x00, 0xfe);
	EXPECT(0x00, 0x01, 0x04);
	EXEC(0x00, 0xff);
	EXPECT(0x00, 0x02, 0x40, 0x00);
	h.info.packet_size = 512;
	h.info.packet_count = 255;
	EXEC(0x00, 0xff);
	EXPECT(0x00, 0x02, 0x00, 0x02);
	/* A transport running smaller packets now (a v2 probe at full speed with
	 * packet_size_fs) has that size reported. */
	h.e.packet = 64;
	EXEC(0x00, 0xff);
	EXPECT(0x00, 0x02, 0x40, 0x00);
	h.e.packet = 0;
	EXEC(0x00, 0xfe);
	EXPECT(0x00, 0x01, 0xff);
	/* A board may hide features, not invent them. */
	h.info.capabilities = UD_DAP_CAP_SWD | UD_DAP_CAP_JTAG | UD_DAP_CAP_SWO_UART;
	EXEC(0x00, 0xf0);
	EXPECT(0x00, 0x01, UD_DAP_CAP_SWD);
	h.info.capabilities = UD_DAP_CAP_TIMER;
	EXEC(0x00, 0xf0);
	EXPECT(0x00, 0x01, 0x00);
}

static void test_info_unknown_ids(void **state)
{
	(void)state;
	static const uint8_t ids[] = {0x00, 0x0a, 0x10, 0x7f, 0xef, 0xf1, 0xf2, 0xfb, 0xfc, 0xfd};
	for (unsigned i = 0; i < sizeof(ids); i++) {
		EXEC(0x00, ids[i]);
		EXPECT(0x00, 0x00); /* an unrecognised id returns no value */
	}
}

static void test_info_long_strings(void **state)
{
	char s[300];
	(void)state;
	/* 64-byte packets: 61 characters + NUL + 2 header bytes is the most that fits. */
	memset(s, 'x', sizeof(s));
	s[61] = '\0';
	h.info.product = s;
	EXEC(0x00, 0x02);
	assert_int_equal(h.len, 64);
	assert_int_equal(h.resp[1], 62);
	assert_int_equal(h.resp[63], 0);
	s[61] = 'x';
	s[62] = '\0';
	EXEC(0x00, 0x02);
	EXPECT(0x00, 0x00); /* cannot be reported whole: none */
	/* Without a packet size, Len (a byte) is the limit: 254 characters. */
	h.info.packet_size = 0;
	s[62] = 'x';
	s[254] = '\0';
	h_exec_cap((const uint8_t[]){0x00, 0x02}, 2, 1024);
	assert_int_equal(h.len, 257);
	assert_int_equal(h.resp[1], 255);
	s[254] = 'x';
	s[255] = '\0';
	h_exec_cap((const uint8_t[]){0x00, 0x02}, 2, 1024);
	EXPECT(0x00, 0x00);
}

/* ---- general commands ---- */

static void test_host_status(void **state)
{
	(void)state;
	EXEC(0x01, 0x00, 0x01);
	EXPECT(0x01, 0x00);
	assert_int_equal(h.t.leds, 1);
	EXEC(0x01, 0x01, 0x01);
	EXPECT(0x01, 0x00);
	assert_int_equal(h.t.leds, 3);
	EXEC(0x01, 0x00, 0x00);
	EXPECT(0x01, 0x00);
	assert_int_equal(h.t.leds, 2);
	EXEC(0x01, 0x01, 0x07); /* any non-zero status is "on" */
	assert_int_equal(h.t.leds, 2);
	EXEC(0x01, 0x02, 0x01); /* no such indicator */
	EXPECT(0x01, 0xff);
	assert_int_equal(h.t.leds, 2);
	rec_io.host_status = NULL; /* a backend without LEDs still answers OK */
	use_rec_io();
	EXEC(0x01, 0x00, 0x01);
	EXPECT(0x01, 0x00);
}

static void test_connect_disconnect(void **state)
{
	(void)state;
	EXEC(0x02, 0x00); /* default port: SWD */
	EXPECT(0x02, 0x01);
	assert_int_equal(h.t.connects, 1);
	EXEC(0x02, 0x01);
	EXPECT(0x02, 0x01);
	EXEC(0x02, 0x02); /* JTAG: not implemented */
	EXPECT(0x02, 0x00);
	EXEC(0x02, 0x03);
	EXPECT(0x02, 0x00);
	assert_int_equal(h.t.connects, 2);
	assert_int_equal(h.e.port, UD_DAP_PORT_SWD); /* a failed connect changes nothing */
	EXEC(0x03);
	EXPECT(0x03, 0x00);
	assert_int_equal(h.t.disconnects, 1);
	assert_int_equal(h.e.port, UD_DAP_PORT_DISABLED);
	EXEC(0x05, 0x00, 0x01, 0x02); /* disconnected: no transfers */
	EXPECT(0x05, 0x00, UD_SWD_ACK_NONE);
	rec_io.connect = NULL;
	rec_io.disconnect = NULL;
	use_rec_io();
	EXEC(0x02, 0x01);
	EXPECT(0x02, 0x01);
	EXEC(0x03);
	EXPECT(0x03, 0x00);
}

static void test_delay(void **state)
{
	(void)state;
	EXEC(0x09, 0x10, 0x27);
	EXPECT(0x09, 0x00);
	assert_int_equal(h.t.time_us, 10000);
	EXEC(0x09, 0xff, 0xff);
	EXPECT(0x09, 0x00);
	assert_int_equal(h.t.time_us, 10000 + 65535);
	rec_io.delay_us = NULL;
	use_rec_io();
	EXEC(0x09, 0x01, 0x00);
	EXPECT(0x09, 0x00);
}

static void test_reset_target(void **state)
{
	(void)state;
	EXEC(0x0a); /* no device-specific sequence */
	EXPECT(0x0a, 0x00, 0x00);
	use_rec_io();
	EXEC(0x0a);
	EXPECT(0x0a, 0x00, 0x00);
	rec.reset_result = 5;
	EXEC(0x0a);
	EXPECT(0x0a, 0x00, 0x01);
	assert_int_equal(rec.resets, 2);
}

static void test_transfer_configure(void **state)
{
	(void)state;
	assert_int_equal(h.e.wait_retry, 100);
	assert_int_equal(h.e.match_retry, 0);
	EXEC(0x04, 0x05, 0x34, 0x12, 0x78, 0x56);
	EXPECT(0x04, 0x00);
	assert_int_equal(h.e.swd.idle_cycles, 5);
	assert_int_equal(h.e.wait_retry, 0x1234);
	assert_int_equal(h.e.match_retry, 0x5678);
}

/* ---- SWJ / SWD ---- */

static void test_swj_pins(void **state)
{
	(void)state;
	use_rec_io();
	EXEC(0x10, 0x00, 0x80, 0x10, 0x27, 0x00, 0x00); /* assert nRESET, wait 10 ms */
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO);
	assert_int_equal(rec.pins_value, 0x00);
	assert_int_equal(rec.pins_select, 0x80);
	assert_int_equal(rec.pins_wait, 10000);
	EXEC(0x10, 0xff, 0x80, 0xff, 0xff, 0xff, 0xff); /* release; the wait is capped at 3 s */
	EXPECT(0x10, UD_SWJ_SWCLK | UD_SWJ_SWDIO | UD_SWJ_NRESET);
	assert_int_equal(rec.pins_wait, 3000000);
	EXEC(0x10, 0x00, 0x03, 0xc0, 0xc6, 0x2d, 0x00); /* SWCLK, SWDIO low; 3 s exactly */
	EXPECT(0x10, UD_SWJ_NRESET);
	assert_int_equal(rec.pins_wait, 3000000);
	rec_io.pins = NULL; /* no pins: all read 0 */
	use_rec_io();
	EXEC(0x10, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x10, 0x00);
}

static void test_swj_clock(void **state)
{
	(void)state;
	EXEC(0x11, 0x80, 0x84, 0x1e, 0x00); /* 2 MHz */
	EXPECT(0x11, 0x00);
	assert_int_equal(h.t.clock_hz, 2000000);
	assert_int_equal(h.e.clock_hz, 2000000);
	EXEC(0x11, 0x00, 0x00, 0x00, 0x00); /* 0 Hz */
	EXPECT(0x11, 0xff);
	assert_int_equal(h.e.clock_hz, 2000000);
	rec_io.clock = NULL;
	use_rec_io();
	EXEC(0x11, 0x01, 0x00, 0x00, 0x00);
	EXPECT(0x11, 0x00);
	assert_int_equal(h.e.clock_hz, 1);
}

static void test_swj_sequence(void **state)
{
	struct pkt p;
	(void)state;
	use_rec_io();
	EXEC(0x12, 0x08, 0xa5);
	EXPECT(0x12, 0x00);
	assert_int_equal(rec.seq_bits, 8);
	assert_int_equal(rec.seq_data[0], 0xa5);
	EXEC(0x12, 0x09, 0x5a, 0x01); /* 9 bits: two bytes */
	EXPECT(0x12, 0x00);
	assert_int_equal(rec.seq_bits, 9);
	assert_int_equal(rec.seq_data[1], 0x01);
	/* Count 0 means 256 bits: 32 data bytes. */
	pkt_init(&p, 0x12);
	pkt_u8(&p, 0);
	for (unsigned i = 0; i < 32; i++)
		pkt_u8(&p, (uint8_t)i);
	h_exec_pkt(&p);
	EXPECT(0x12, 0x00);
	assert_int_equal(rec.seq_bits, 256);
	assert_memory_equal(rec.seq_data, p.b + 2, 32);
	assert_int_equal(rec.seq_calls, 3);
}

static void test_swd_configure(void **state)
{
	(void)state;
	assert_int_equal(h.e.swd.turnaround, 1);
	EXEC(0x13, 0x05);
	EXPECT(0x13, 0x00);
	assert_int_equal(h.e.swd.turnaround, 2);
	assert_int_equal(h.e.swd.data_phase, 1);
	EXEC(0x13, 0xfb); /* reserved bits ignored */
	assert_int_equal(h.e.swd.turnaround, 4);
	assert_int_equal(h.e.swd.data_phase, 0);
	EXEC(0x13, 0x00);
	assert_int_equal(h.e.swd.turnaround, 1);
}

static void test_swd_sequence(void **state)
{
	struct pkt p;
	(void)state;
	use_rec_io();
	/* 8 cycles out, then 4 cycles in: the pull-up reads 1s, padded with 0s. */
	EXEC(0x1d, 0x02, 0x08, 0xaa, 0x84);
	EXPECT(0x1d, 0x00, 0x0f);
	assert_int_equal(rec.seq_bits, 8);
	assert_int_equal(rec.seq_data[0], 0xaa);
	/* Cycles 0 means 64: out takes 8 bytes, in gives 8. */
	EXEC(0x1d, 0x02, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x80);
	EXPECT(0x1d, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	assert_int_equal(rec.seq_bits, 64);
	assert_int_equal(rec.seq_data[7], 8);
	/* 33 cycles in: 5 bytes, bit 32 alone in the last. */
	EXEC(0x1d, 0x01, 0xa1);
	EXPECT(0x1d, 0x00, 0xff, 0xff, 0xff, 0xff, 0x01);
	/* No sequences at all. */
	EXEC(0x1d, 0x00);
	EXPECT(0x1d, 0x00);
	/* Seven 64-bit inputs: 2 + 56 bytes, the most a 64-byte packet takes. */
	pkt_init(&p, 0x1d);
	pkt_u8(&p, 7);
	for (unsigned i = 0; i < 7; i++)
		pkt_u8(&p, 0x80);
	h_exec_pkt(&p);
	assert_int_equal(h.len, 58);
}

/* ---- atomic commands ---- */

static void test_execute_commands(void **state)
{
	(void)state;
	/* The specification's example: SWJ_Pins, Delay, SWJ_Pins. */
	EXEC(0x7f, 0x03, 0x10, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x09, 0x64, 0x00, 0x10, 0x80,
	     0x80, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x7f, 0x03, 0x10, 0x03, 0x09, 0x00, 0x10, 0x83);
	assert_int_equal(h.t.time_us, 100);
	/* Info and a transfer inside. */
	h_attach();
	EXEC(0x7f, 0x02, 0x00, 0xfe, 0x05, 0x00, 0x01, 0x02);
	EXPECT(0x7f, 0x02, 0x00, 0x01, 0x04, 0x05, 0x01, 0x01, 0x77, 0x14, 0xa0, 0x2b);
	EXEC(0x7f, 0x00);
	EXPECT(0x7f, 0x00);
}

static void test_queue_commands(void **state)
{
	(void)state;
	/* Each queued packet is answered like DAP_ExecuteCommands (0x7F, NumCmd, responses). */
	EXEC(0x7e, 0x02, 0x10, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x09, 0x64, 0x00);
	EXPECT(0x7f, 0x02, 0x10, 0x03, 0x09, 0x00);
	EXEC(0x7e, 0x01, 0x09, 0x64, 0x00);
	EXPECT(0x7f, 0x01, 0x09, 0x00);
	EXEC(0x10, 0x80, 0x80, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x10, 0x83);
	assert_int_equal(h.t.time_us, 200);
}

/* Bytes after the last command (HID reports are padded) are ignored. */
static void test_trailing_bytes_ignored(void **state)
{
	uint8_t req[64] = {0x09, 0x05, 0x00};
	(void)state;
	h_exec(req, sizeof(req));
	EXPECT(0x09, 0x00);
	memset(req, 0, sizeof(req));
	req[0] = 0x03;
	h_exec(req, sizeof(req));
	EXPECT(0x03, 0x00);
	memset(req, 0, sizeof(req));
	req[0] = 0x7f; /* one DAP_Info 0x00: Len 0 */
	req[1] = 0x01;
	h_exec(req, sizeof(req));
	EXPECT(0x7f, 0x01, 0x00, 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_info_strings, setup),
		cmocka_unit_test_setup(test_info_values, setup),
		cmocka_unit_test_setup(test_info_unknown_ids, setup),
		cmocka_unit_test_setup(test_info_long_strings, setup),
		cmocka_unit_test_setup(test_host_status, setup),
		cmocka_unit_test_setup(test_connect_disconnect, setup),
		cmocka_unit_test_setup(test_delay, setup),
		cmocka_unit_test_setup(test_reset_target, setup),
		cmocka_unit_test_setup(test_transfer_configure, setup),
		cmocka_unit_test_setup(test_swj_pins, setup),
		cmocka_unit_test_setup(test_swj_clock, setup),
		cmocka_unit_test_setup(test_swj_sequence, setup),
		cmocka_unit_test_setup(test_swd_configure, setup),
		cmocka_unit_test_setup(test_swd_sequence, setup),
		cmocka_unit_test_setup(test_execute_commands, setup),
		cmocka_unit_test_setup(test_queue_commands, setup),
		cmocka_unit_test_setup(test_trailing_bytes_ignored, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
