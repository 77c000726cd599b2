/* SPDX-License-Identifier: MIT */
/*
 * The Linux usbtest tests 1-8, 13, 14, 21 and 29 replayed against the `zero` and `zero-mod63`
 * devices through the host model, at full and high speed. The host side follows usbtest
 * (drivers/usb/misc/usbtest.c, facts only):
 *
 * - before every test the host selects alternate setting 0 (SET_INTERFACE);
 * - simple_io (tests 1-4): one transfer per iteration; OUT buffers get the pattern and
 *   URB_ZERO_PACKET, IN reads must return exactly the length asked (URB_SHORT_NOT_OK) and match
 *   the pattern; with `vary` the length goes len += vary, len %= max, 0 -> min(vary, max);
 * - perform_sglist (tests 5-8): `sglen` buffers per iteration, sizes varied as above, pattern
 *   byte j of buffer k is ((j + bytes before k) % maxpacket) % 63. We send a list as one
 *   transfer, as a scatter-gather capable host controller (xHCI) does;
 * - halt_simple (13): on IN then OUT: not halted (GET_STATUS 0, one 512-byte transfer works),
 *   SET_FEATURE(HALT), halted (GET_STATUS 1, two transfers STALL), CLEAR_FEATURE, not halted;
 * - ctrl_out (14, 21): write i+j patterned bytes with 0x5b, read them back with 0x5c, compare;
 *   the length grows by `vary` and wraps to 1 (realworld) or 0;
 * - toggle_sync_simple (29): clear halt, write 2 * maxpacket with a ZLP (DATA0 DATA1 DATA0),
 *   clear halt again (the toggle goes back to DATA0 on both sides), write again.
 *
 * The device's own statistics (bytes sunk, pattern errors) confirm what the host saw. Two tests
 * show what a device that does not reset its toggle on clear-halt does: it loses a packet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bulk_world.h"

#define EP_OUT 0x01u
#define EP_IN 0x81u

static unsigned pattern; /* usbtest's `pattern` module parameter: 0 or 1 */
static uint8_t buf[4096];

static struct ud_bulk_zero *zero(void)
{
	return &bw.app.zero.zero;
}

static void up(int pat, enum ud_speed speed, uint8_t ep0)
{
	pattern = (unsigned)pat;
	bw_registered(pat ? "zero-mod63" : "zero", speed, ep0);
	bw_attach(UD_OS_LINUX);
	assert_int_equal(bw.dev.info->vid, 0x0525);
	assert_int_equal(bw.dev.info->pid, 0xa4a0);
}

/* What usbtest does before each test (usbtest_ioctl: set_altsetting(alt 0)). */
static void begin_test(void)
{
	bw_set_interface0(0);
}

/* usbtest's pattern: byte i of a buffer whose first byte is at stream offset @p offset. */
static void fill(uint8_t *b, uint32_t len, uint32_t offset)
{
	for (uint32_t i = 0; i < len; i++)
		b[i] = pattern ? (uint8_t)(((i + offset) % bw_mps()) % 63) : 0;
}

static void check(const uint8_t *b, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++) {
		uint8_t want = pattern ? (uint8_t)((i % bw_mps()) % 63) : 0;
		if (b[i] != want)
			fail_msg("byte %u is %u, not %u", (unsigned)i, b[i], want);
	}
}

static uint32_t next_len(uint32_t len, uint32_t vary, uint32_t max)
{
	if (!vary)
		return len;
	len = (len + vary) % max;
	return len ? len : (vary < max ? vary : max);
}

/* simple_io: @p iterations transfers of @p length (varied), each must end as @p expected. */
static void simple_io(bool in, uint32_t length, unsigned iterations, uint32_t vary,
                      enum ud_sim_status expected)
{
	uint32_t len = length;

	for (unsigned i = 0; i < iterations; i++) {
		enum ud_sim_status st;
		if (in) {
			st = bw_read(1, (uint16_t)len);
		} else {
			fill(buf, len, 0);
			st = bw_write(1, buf, (uint16_t)len, true);
		}
		if (st != expected)
			fail_msg("%s %u bytes, iteration %u: %s (%s)", in ? "read" : "write",
			         (unsigned)len, i, ud_sim_status_name(st), bw_r.message);
		if (in && st == UD_SIM_OK) {
			assert_int_equal(bw_r.len, len); /* URB_SHORT_NOT_OK */
			check(bw_r.data, len);
		}
		len = next_len(len, vary, length);
	}
}

/* The device saw no bad data and nothing is halted. */
static void device_happy(void)
{
	assert_int_equal(zero()->stats.pattern_errors, 0);
	assert_int_equal(zero()->stats.errors, 0);
	assert_int_equal(bw_ep_status(EP_OUT), 0);
	assert_int_equal(bw_ep_status(EP_IN), 0);
	bw_assert_clean();
}

/* ---- tests 1-4: simple bulk I/O ---- */

static void run_simple(int pat, enum ud_speed speed)
{
	up(pat, speed, 0);
	begin_test(); /* test 1: write 512 bytes 20 times */
	uint32_t before = zero()->stats.out_bytes;
	simple_io(false, 512, 20, 0, UD_SIM_OK);
	assert_int_equal(zero()->stats.out_bytes - before, 20 * 512);
	begin_test(); /* test 2: read 512 bytes 20 times */
	simple_io(true, 512, 20, 0, UD_SIM_OK);
	begin_test(); /* test 3: write 0..4096 bytes, vary 421 */
	before = zero()->stats.out_bytes;
	simple_io(false, 4096, 30, 421, UD_SIM_OK);
	uint32_t total = 0, len = 4096;
	for (unsigned i = 0; i < 30; i++, len = next_len(len, 421, 4096))
		total += len;
	assert_int_equal(zero()->stats.out_bytes - before, total);
	begin_test(); /* test 4: read 0..4096 bytes, vary one packet (the source sends whole
	               * packets: a length that is not a multiple would overflow, as on a bus) */
	simple_io(true, 4096, 30, bw_mps(), UD_SIM_OK);
	device_happy();
}

static void test_simple_fs_zeros(void **state)
{
	(void)state;
	run_simple(0, UD_SPEED_FULL);
}

static void test_simple_fs_mod63(void **state)
{
	(void)state;
	run_simple(1, UD_SPEED_FULL);
}

static void test_simple_hs_zeros(void **state)
{
	(void)state;
	run_simple(0, UD_SPEED_HIGH);
}

static void test_simple_hs_mod63(void **state)
{
	(void)state;
	run_simple(1, UD_SPEED_HIGH);
}

/* ---- tests 5-8: queued (scatter-gather) bulk I/O ---- */

static void perform_sglist(bool in, unsigned iterations, unsigned sglen, uint32_t length,
                           uint32_t vary)
{
	uint32_t total = 0, size = length;

	for (unsigned k = 0; k < sglen; k++) {
		if (!in)
			fill(buf + total, size, total);
		total += size;
		size = next_len(size, vary, length);
	}
	assert_true(total <= sizeof(buf));
	for (unsigned i = 0; i < iterations; i++) {
		if (in) {
			assert_int_equal(bw_read(1, (uint16_t)total), UD_SIM_OK);
			assert_int_equal(bw_r.len, total);
			check(bw_r.data, total);
		} else {
			assert_int_equal(bw_write(1, buf, (uint16_t)total, false), UD_SIM_OK);
		}
	}
}

static void run_sglist(int pat, enum ud_speed speed)
{
	uint16_t mps;

	up(pat, speed, 0);
	mps = bw_mps();
	begin_test(); /* test 5: write 10 sglists of 4 x 512 bytes */
	perform_sglist(false, 10, 4, 512, 0);
	begin_test(); /* test 6: read 10 sglists of 4 x 512 bytes */
	perform_sglist(true, 10, 4, 512, 0);
	begin_test(); /* test 7: write sglists of 0..1024-byte entries, vary 421 */
	perform_sglist(false, 10, 3, 1024, 421);
	begin_test(); /* test 8: read sglists of entries varied by a packet */
	perform_sglist(true, 10, 4, 1024, mps);
	/* The sink saw every byte in whole transfers; what it has not completed yet is less than
	 * one request (its 4096 bytes fill, or a short packet ends them). */
	device_happy();
}

static void test_sglist_fs_zeros(void **state)
{
	(void)state;
	run_sglist(0, UD_SPEED_FULL);
}

static void test_sglist_fs_mod63(void **state)
{
	(void)state;
	run_sglist(1, UD_SPEED_FULL);
}

static void test_sglist_hs_mod63(void **state)
{
	(void)state;
	run_sglist(1, UD_SPEED_HIGH);
}

/* ---- test 13: halts ---- */

static void verify_not_halted(uint8_t ep)
{
	assert_int_equal(bw_ep_status(ep), 0);
	simple_io(UD_EP_IS_IN(ep), 512, 1, 0, UD_SIM_OK);
}

static void verify_halted(uint8_t ep)
{
	assert_int_equal(bw_ep_status(ep), 1);
	simple_io(UD_EP_IS_IN(ep), 512, 1, 0, UD_SIM_STALL);
	simple_io(UD_EP_IS_IN(ep), 512, 1, 0, UD_SIM_STALL);
}

static void test_halt(uint8_t ep)
{
	verify_not_halted(ep);
	bw_set_halt(ep);
	verify_halted(ep);
	bw_clear_halt(ep);
	verify_not_halted(ep);
}

static void run_halts(int pat, enum ud_speed speed)
{
	up(pat, speed, 0);
	begin_test();
	for (unsigned i = 0; i < 5; i++) { /* halt_simple, 5 iterations */
		test_halt(EP_IN);
		test_halt(EP_OUT);
	}
	device_happy();
}

static void test_halt_fs(void **state)
{
	(void)state;
	run_halts(1, UD_SPEED_FULL);
}

static void test_halt_hs(void **state)
{
	(void)state;
	run_halts(0, UD_SPEED_HIGH);
}

/* ---- tests 14 and 21: control write/read through 0x5b/0x5c ---- */

static void ctrl_out(unsigned count, uint32_t length, uint32_t vary, bool realworld)
{
	static uint8_t cbuf[4096];
	uint32_t len = length;
	unsigned zero_len = 0;

	for (unsigned i = 0; i < count; i++) {
		for (uint32_t j = 0; j < len; j++)
			cbuf[j] = (uint8_t)(i + j);
		bw_control_ok(0x40, 0x5b, 0, 0, (uint16_t)len, cbuf, (uint16_t)len);
		assert_int_equal(bw_r.len, len);
		bw_control_ok(0xc0, 0x5c, 0, 0, (uint16_t)len, NULL, 0);
		assert_int_equal(bw_r.len, len);
		for (uint32_t j = 0; j < len; j++)
			if (bw_r.data[j] != (uint8_t)(i + j))
				fail_msg("ctrl_out iteration %u, byte %u is %u", i, (unsigned)j,
				         bw_r.data[j]);
		zero_len += len == 0;
		len += vary;
		if (len > length)
			len = realworld ? 1 : 0;
	}
	if (!realworld)
		assert_true(zero_len > 0); /* the zero-length case was exercised */
}

static void run_ctrl(enum ud_speed speed, uint8_t ep0)
{
	up(0, speed, ep0);
	begin_test(); /* test 14: 0..256 bytes, vary 1, strict (zero length included) */
	ctrl_out(300, 256, 1, false);
	begin_test(); /* test 14: up to 4096 bytes (Linux's EP0 buffer), vary 511 */
	ctrl_out(20, 4096, 511, true);
	begin_test(); /* test 21: the same requests from an unaligned host buffer */
	ctrl_out(200, 130, 3, true);
	assert_true(zero()->stats.ctrl_writes >= 520);
	assert_int_equal(zero()->stats.ctrl_writes, zero()->stats.ctrl_reads);
	device_happy();
}

static void test_ctrl_fs_ep0_8(void **state)
{
	(void)state;
	run_ctrl(UD_SPEED_FULL, 8);
}

static void test_ctrl_fs_ep0_64(void **state)
{
	(void)state;
	run_ctrl(UD_SPEED_FULL, 64);
}

static void test_ctrl_hs(void **state)
{
	(void)state;
	run_ctrl(UD_SPEED_HIGH, 0);
}

/* ---- test 29: clear-halt resets the toggle, halted or not ---- */

static void toggle_sync_simple(void)
{
	uint16_t maxp = bw_mps();
	uint32_t before = zero()->stats.out_bytes;

	bw_clear_halt(EP_OUT);                        /* DATA0 on both sides */
	simple_io(false, 2u * maxp, 1, 0, UD_SIM_OK); /* DATA0, DATA1, DATA0 (the ZLP) */
	assert_int_equal(bw.host.ep[1].toggle_out, 1);
	bw_clear_halt(EP_OUT); /* the host goes back to DATA0: so must the device */
	assert_int_equal(bw.host.ep[1].toggle_out, 0);
	simple_io(false, 2u * maxp, 1, 0, UD_SIM_OK);
	assert_int_equal(zero()->stats.out_bytes - before, 4u * maxp);
}

static void run_toggle(int pat, enum ud_speed speed)
{
	up(pat, speed, 0);
	begin_test();
	for (unsigned i = 0; i < 10; i++)
		toggle_sync_simple();
	device_happy();
}

static void test_toggle_fs(void **state)
{
	(void)state;
	run_toggle(1, UD_SPEED_FULL);
}

static void test_toggle_hs(void **state)
{
	(void)state;
	run_toggle(0, UD_SPEED_HIGH);
}

/* The teeth of test 29: a device whose toggle stays DATA1 after the clear takes the host's
 * first DATA0 packet for a repeat, acknowledges and drops it. Half the transfer is lost. */
static void test_toggle_not_reset_loses_a_packet(void **state)
{
	(void)state;
	up(1, UD_SPEED_FULL, 0);
	begin_test();
	bw_clear_halt(EP_OUT);
	simple_io(false, 128, 1, 0, UD_SIM_OK); /* DATA0 DATA1 DATA0: the device expects DATA1 */
	uint32_t before = zero()->stats.out_bytes;
	bw_clear_halt(EP_OUT);
	bw.vdc.ep[UD_EP_INDEX(EP_OUT)].toggle = 1; /* the broken device keeps its toggle */
	simple_io(false, 128, 1, 0, UD_SIM_OK);    /* the host sees nothing wrong... */
	assert_int_equal(zero()->stats.out_bytes - before, 64); /* ...but 64 bytes are lost */
}

/* The same on IN, with the loopback so the lost bytes are recognisable. */
static void test_in_toggle_not_reset_loses_a_packet(void **state)
{
	(void)state;
	static uint8_t data[192];

	bw_registered("bulk", UD_SPEED_FULL, 0);
	bw_attach(UD_OS_LINUX);
	bw_fill(data, sizeof(data), 11);
	assert_int_equal(bw_write(1, data, sizeof(data), true), UD_SIM_OK);
	assert_int_equal(bw_in(1), UD_SIM_ACK);   /* DATA0: the device's toggle is now DATA1 */
	bw_clear_halt(EP_IN);                     /* host DATA0; a correct device too... */
	bw.vdc.ep[UD_EP_INDEX(EP_IN)].toggle = 1; /* ...this one is not */
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_true(bw_r.dup); /* the host drops bytes 64..127 as a repeat */
	assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
	assert_int_equal(bw_r.len, 64);
	assert_memory_equal(bw_r.data, data + 128, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_fs_zeros),
		cmocka_unit_test(test_simple_fs_mod63),
		cmocka_unit_test(test_simple_hs_zeros),
		cmocka_unit_test(test_simple_hs_mod63),
		cmocka_unit_test(test_sglist_fs_zeros),
		cmocka_unit_test(test_sglist_fs_mod63),
		cmocka_unit_test(test_sglist_hs_mod63),
		cmocka_unit_test(test_halt_fs),
		cmocka_unit_test(test_halt_hs),
		cmocka_unit_test(test_ctrl_fs_ep0_8),
		cmocka_unit_test(test_ctrl_fs_ep0_64),
		cmocka_unit_test(test_ctrl_hs),
		cmocka_unit_test(test_toggle_fs),
		cmocka_unit_test(test_toggle_hs),
		cmocka_unit_test(test_toggle_not_reset_loses_a_packet),
		cmocka_unit_test(test_in_toggle_not_reset_loses_a_packet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
