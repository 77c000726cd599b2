/* SPDX-License-Identifier: MIT */
/*
 * Packet size against wMaxPacketSize: the host reads packet-size transfers, so a response is
 * followed by a ZLP exactly when it is a non-zero multiple of wMaxPacketSize and shorter than
 * the packet size; commands end on a short packet (or ZLP) or at the packet size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dap_host.h"
#include "fake_engine.h"

static struct th t;

/* Ask the fake engine for a response of exactly n bytes. */
static void ask_len(uint16_t n)
{
	const uint8_t c[3] = {FE_CMD_LEN, (uint8_t)n, (uint8_t)(n >> 8)};
	assert_int_equal(th_write(&t, c, 3, true), UD_VDC_ACK);
}

/* Read one response packet by packet: its length, and whether it ended with a ZLP. */
static uint16_t read_packets(bool *zlp)
{
	uint8_t pkt[1024];
	uint16_t n = 0, total = 0;

	*zlp = false;
	for (int i = 0; i < 64; i++) {
		enum ud_vdc_result r = th_in(&t, pkt, &n);
		if (r == UD_VDC_NAK) {
			th_settle(&t);
			continue;
		}
		assert_int_equal(r, UD_VDC_ACK);
		total = (uint16_t)(total + n);
		th_settle(&t);
		if (n < t.mps || total == t.dap.q.packet) {
			*zlp = n == 0;
			return total;
		}
	}
	fail_msg("no response");
	return 0;
}

static void expect_nothing_more(void)
{
	uint8_t pkt[1024];
	uint16_t n = 0;
	th_settle(&t);
	assert_int_equal(th_in(&t, pkt, &n), UD_VDC_NAK);
}

/* 512-byte packets on a 64-byte full-speed endpoint. */
static void test_512_on_full_speed(void **state)
{
	bool zlp;

	(void)state;
	th_init(&t, 2, 2, 512, NULL);
	assert_int_equal(t.mps, 64);
	assert_int_equal(ud_dap_engine(&t.dap)->info->packet_size, 512);

	ask_len(128); /* two full packets, shorter than 512: a ZLP ends it */
	assert_int_equal(read_packets(&zlp), 128);
	assert_true(zlp);
	expect_nothing_more();

	ask_len(512); /* exactly the packet size: no ZLP (the host's read is complete) */
	assert_int_equal(read_packets(&zlp), 512);
	assert_false(zlp);
	expect_nothing_more();

	ask_len(100); /* 64 + 36: the short packet ends it */
	assert_int_equal(read_packets(&zlp), 100);
	assert_false(zlp);
	expect_nothing_more();

	ask_len(1);
	assert_int_equal(read_packets(&zlp), 1);
	expect_nothing_more();
}

/* Commands of several packets: a ZLP ends one that fills whole packets; a full packet-size
 * command needs none; every one counts once. */
static void test_512_commands_on_full_speed(void **state)
{
	uint8_t c[512], got[512];

	(void)state;
	th_init(&t, 2, 2, 512, NULL);
	for (unsigned i = 0; i < sizeof(c); i++)
		c[i] = (uint8_t)(i * 7u + 1u);
	c[0] = 0x40;

	assert_int_equal(th_write(&t, c, 128, true), UD_VDC_ACK); /* 64 + 64 + ZLP */
	assert_int_equal(fe_log.last_len, 128);
	assert_int_equal(th_read(&t, got, 512), 128);
	assert_memory_equal(got, c, 128);

	assert_int_equal(th_write(&t, c, 512, false), UD_VDC_ACK); /* 8 packets, no ZLP needed */
	assert_int_equal(fe_log.last_len, 512);
	assert_int_equal(th_read(&t, got, 512), 512);
	assert_memory_equal(got, c, 512);

	assert_int_equal(th_write(&t, c, 130, false), UD_VDC_ACK); /* ends on the short packet */
	assert_int_equal(fe_log.last_len, 130);
	assert_int_equal(th_read(&t, got, 512), 130);
	assert_int_equal(ud_dap_stats(&t.dap)->commands, 3);
	assert_int_equal(ud_dap_stats(&t.dap)->zlps, 0);
}

/* 64-byte packets on a 512-byte high-speed endpoint: every response is one short packet. */
static void test_64_on_high_speed(void **state)
{
	struct th_opts o = {.speed = UD_SPEED_HIGH};
	bool zlp;

	(void)state;
	th_init(&t, 2, 4, 64, &o);
	assert_int_equal(t.mps, 512);
	ask_len(64);
	assert_int_equal(read_packets(&zlp), 64);
	assert_false(zlp);
	expect_nothing_more();
	ask_len(10);
	assert_int_equal(read_packets(&zlp), 10);
	expect_nothing_more();
}

/* 512 at high speed: equal sizes, one packet per response, never a ZLP. */
static void test_512_on_high_speed(void **state)
{
	struct th_opts o = {.speed = UD_SPEED_HIGH};
	bool zlp;

	(void)state;
	th_init(&t, 2, 4, 512, &o);
	ask_len(512);
	assert_int_equal(read_packets(&zlp), 512);
	assert_false(zlp);
	expect_nothing_more();
}

/* A 64-byte command, written as OpenOCD writes it (no ZLP), executes at once, and its 64-byte
 * echo comes back with no ZLP: the packet in effect is 64. */
static void exact_packet_round_trip(void)
{
	uint8_t c[64];
	for (unsigned i = 0; i < sizeof(c); i++)
		c[i] = (uint8_t)(0x40 + i); /* the fake engine echoes it */
	assert_int_equal(th_write(&t, c, 64, false), UD_VDC_ACK);
	th_settle(&t);
	assert_int_equal(fe_log.executes, 1);
	assert_int_equal(fe_log.last_len, 64);
	assert_int_equal(fe_log.last_cap, 64);
	bool zlp;
	assert_int_equal(read_packets(&zlp), 64);
	assert_false(zlp);
	expect_nothing_more();
}

/* packet_size_fs: a 512-byte high-speed probe behind a full-speed hub runs 64-byte packets;
 * back at high speed, 512 again. */
static void test_fs_packet_size(void **state)
{
	(void)state;
	const struct th_opts hs = {.speed = UD_SPEED_HIGH, .size_fs = 64};
	th_init(&t, 2, 4, 512, &hs);
	assert_int_equal(t.dap.q.packet, 512);
	ask_len(300);
	th_settle(&t);
	assert_int_equal(fe_log.last_cap, 512);
	bool zlp;
	assert_int_equal(read_packets(&zlp), 300);

	t.speed = UD_SPEED_FULL; /* the host resets it at full speed */
	th_bus_reset_and_enumerate(&t);
	assert_int_equal(t.mps, 64);
	assert_int_equal(t.dap.q.packet, 64);
	memset(&fe_log, 0, sizeof(fe_log));
	exact_packet_round_trip();
	assert_int_equal(t.dap.engine.packet, 64); /* what the engine reports in DAP_Info 0xFF */

	t.speed = UD_SPEED_HIGH;
	th_bus_reset_and_enumerate(&t);
	assert_int_equal(t.dap.q.packet, 512);
	ask_len(10);
	th_settle(&t);
	assert_int_equal(fe_log.last_cap, 512);
	assert_int_equal(t.dap.engine.packet, 512);
}

/* Without packet_size_fs the same probe keeps 512-byte packets at full speed (faster for
 * hosts that end commands with a ZLP or short packet: pyOCD). */
static void test_no_fs_packet_size(void **state)
{
	(void)state;
	const struct th_opts hs = {.speed = UD_SPEED_HIGH};
	th_init(&t, 2, 4, 512, &hs);
	t.speed = UD_SPEED_FULL;
	th_bus_reset_and_enumerate(&t);
	assert_int_equal(t.dap.q.packet, 512);
	ask_len(100);
	th_settle(&t);
	assert_int_equal(fe_log.last_cap, 512);
}

/* A command longer than the packet (100-byte packets, 64-byte endpoint, the host sends two
 * full packets): the part that fits cannot be executed as sent; it answers 0xFF. */
static void test_overlong_command(void **state)
{
	uint8_t c[128], got[128];

	(void)state;
	th_init(&t, 2, 2, 100, NULL);
	memset(c, 0x40, sizeof(c));
	assert_int_equal(th_write(&t, c, 128, false), UD_VDC_ACK);
	assert_int_equal(th_read(&t, got, 100), 1);
	assert_int_equal(got[0], UD_DAP_INVALID);
	assert_int_equal(ud_dap_stats(&t.dap)->overlong, 1);
	assert_int_equal(fe_log.executes, 0);
	/* and the stream goes on */
	assert_int_equal(th_write(&t, c, 5, false), UD_VDC_ACK);
	assert_int_equal(th_read(&t, got, 100), 5);
}

static int reset_log(void **state)
{
	(void)state;
	memset(&fe_log, 0, sizeof(fe_log));
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_512_on_full_speed, reset_log),
		cmocka_unit_test_setup(test_512_commands_on_full_speed, reset_log),
		cmocka_unit_test_setup(test_64_on_high_speed, reset_log),
		cmocka_unit_test_setup(test_512_on_high_speed, reset_log),
		cmocka_unit_test_setup(test_fs_packet_size, reset_log),
		cmocka_unit_test_setup(test_no_fs_packet_size, reset_log),
		cmocka_unit_test_setup(test_overlong_command, reset_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
