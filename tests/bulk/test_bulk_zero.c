/* SPDX-License-Identifier: MIT */
/*
 * The Gadget Zero personality's own rules (ud_bulk_zero.h): the exact checks of the 0x5b/0x5c
 * control requests, the sink's pattern check and the halt it raises, the source's pattern at
 * both speeds, the pattern switch, and registration errors. The usbtest sequences themselves
 * are in test_bulk_usbtest.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bulk_world.h"

static struct ud_bulk_zero *zero(void)
{
	return &bw.app.zero.zero;
}

static void up(const char *name, enum ud_speed speed)
{
	bw_registered(name, speed, 0);
	bw_attach(UD_OS_LINUX);
}

static void test_ctrl_rules(void **state)
{
	(void)state;
	static uint8_t data[4097];

	up("zero", UD_SPEED_FULL);
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 3);
	/* The good cases: stored, returned; zero length both ways; the whole 4096 bytes. */
	bw_control_ok(0x40, 0x5b, 0, 0, 5, data, 5);
	bw_control_ok(0xc0, 0x5c, 0, 0, 5, NULL, 0);
	assert_int_equal(bw_r.len, 5);
	assert_memory_equal(bw_r.data, data, 5);
	bw_control_ok(0x40, 0x5b, 0, 0, 0, NULL, 0);
	bw_control_ok(0xc0, 0x5c, 0, 0, 0, NULL, 0);
	assert_int_equal(bw_r.len, 0);
	bw_control_ok(0x40, 0x5b, 0, 0, 4096, data, 4096);
	bw_control_ok(0xc0, 0x5c, 0, 0, 4096, NULL, 0);
	assert_memory_equal(bw_r.data, data, 4096);
	/* A shorter read returns the start of what was stored. */
	bw_control_ok(0xc0, 0x5c, 0, 0, 7, NULL, 0);
	assert_memory_equal(bw_r.data, data, 7);
	assert_int_equal(zero()->stats.ctrl_writes, 3);
	assert_int_equal(zero()->stats.ctrl_reads, 4);

	/* Wrong bmRequestType (other recipient, class type, direction): not Gadget Zero's. */
	static const uint8_t bad_out[] = {0x41, 0x42, 0x43, 0x20, 0x00, 0xc0};
	for (unsigned i = 0; i < sizeof(bad_out); i++)
		assert_int_equal(bw_control(bad_out[i], 0x5b, 0, 0, 1, data, 1), UD_SIM_STALL);
	static const uint8_t bad_in[] = {0xc1, 0xc2, 0xa0, 0x80};
	for (unsigned i = 0; i < sizeof(bad_in); i++)
		assert_int_equal(bw_control(bad_in[i], 0x5c, 0, 0, 1, NULL, 0), UD_SIM_STALL);
	assert_int_equal(bw_control(0x40, 0x5c, 0, 0, 0, NULL, 0), UD_SIM_STALL);
	/* wValue, wIndex non-zero; wLength beyond the buffer. */
	assert_int_equal(bw_control(0x40, 0x5b, 1, 0, 1, data, 1), UD_SIM_STALL);
	assert_int_equal(bw_control(0x40, 0x5b, 0, 1, 1, data, 1), UD_SIM_STALL);
	assert_int_equal(bw_control(0x40, 0x5b, 0x8000, 0, 0, NULL, 0), UD_SIM_STALL);
	assert_int_equal(bw_control(0x40, 0x5b, 0, 0, 4097, data, 4097), UD_SIM_STALL);
	assert_int_equal(bw_control(0xc0, 0x5c, 0, 0x0100, 1, NULL, 0), UD_SIM_STALL);
	assert_int_equal(bw_control(0xc0, 0x5c, 2, 0, 1, NULL, 0), UD_SIM_STALL);
	assert_int_equal(bw_control(0xc0, 0x5c, 0, 0, 4097, NULL, 0), UD_SIM_STALL);
	/* Other vendor codes are not answered. */
	assert_int_equal(bw_control(0x40, 0x5a, 0, 0, 0, NULL, 0), UD_SIM_STALL);
	assert_int_equal(bw_control(0xc0, 0x5d, 0, 0, 1, NULL, 0), UD_SIM_STALL);
	/* The host sends more or less than wLength in the data stage: STALL, and not counted. */
	assert_int_equal(bw_control(0x40, 0x5b, 0, 0, 4, data, 8), UD_SIM_STALL);
	assert_int_equal(bw_control(0x40, 0x5b, 0, 0, 100, data, 10), UD_SIM_STALL);
	assert_int_equal(zero()->stats.ctrl_writes, 3);
	assert_int_equal(zero()->stats.ctrl_reads, 4);
	/* EP0 is fine afterwards: the stored data is what the last good write left... except
	 * for what a refused data stage wrote into it, which Gadget Zero does not undo either. */
	bw_control_ok(0x40, 0x5b, 0, 0, 2, data + 9, 2);
	bw_control_ok(0xc0, 0x5c, 0, 0, 2, NULL, 0);
	assert_memory_equal(bw_r.data, data + 9, 2);
	bw_assert_clean();
}

/* The sink checks every transfer against the pattern and halts OUT on a mismatch. */
static void test_sink_pattern_error_halts(void **state)
{
	(void)state;
	static uint8_t data[200];

	up("zero-mod63", UD_SPEED_FULL);
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)((i % 64) % 63);
	assert_int_equal(bw_write(1, data, sizeof(data), true), UD_SIM_OK);
	assert_int_equal(zero()->stats.pattern_errors, 0);
	data[130] ^= 1;
	assert_int_equal(bw_write(1, data, sizeof(data), true), UD_SIM_OK);
	assert_int_equal(zero()->stats.pattern_errors, 1);
	assert_int_equal(bw_ep_status(0x01), 1);
	assert_int_equal(bw_write(1, data, 10, true), UD_SIM_STALL);
	/* The host clears the halt and the sink takes good data again. */
	bw_clear_halt(0x01);
	data[130] ^= 1;
	assert_int_equal(bw_write(1, data, sizeof(data), true), UD_SIM_OK);
	assert_int_equal(zero()->stats.out_transfers, 3);
	assert_int_equal(zero()->stats.out_bytes, 3 * sizeof(data));
	assert_int_equal(zero()->stats.pattern_errors, 1);

	/* Pattern 0: anything but zeros is an error. */
	up("zero", UD_SPEED_HIGH);
	memset(data, 0, sizeof(data));
	assert_int_equal(bw_write(1, data, sizeof(data), true), UD_SIM_OK);
	data[0] = 0x55; /* what an unwritten sink byte holds: must not pass either */
	assert_int_equal(bw_write(1, data, 1, true), UD_SIM_OK);
	assert_int_equal(zero()->stats.pattern_errors, 1);
	assert_int_equal(bw_ep_status(0x01), 1);
}

/* A port that reports bytes it never stored is caught: the sink refills with 0x55. */
static void test_sink_refills(void **state)
{
	(void)state;
	static uint8_t data[64];

	up("zero", UD_SPEED_FULL);
	memset(data, 0, sizeof(data));
	assert_int_equal(bw_write(1, data, sizeof(data), true), UD_SIM_OK);
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(bw.app.zero.out_buf[i], 0x55);
}

/* The source: pattern 1 restarts every packet, at the packet size of the bus. */
static void test_source_patterns(void **state)
{
	(void)state;
	up("zero-mod63", UD_SPEED_HIGH);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 512);
	for (unsigned i = 0; i < 512; i++)
		assert_int_equal(bw_r.data[i], (i % 512) % 63);
	/* A whole request (4096) is sent without a ZLP, then the next one follows. */
	for (unsigned n = 1; n < 9; n++) {
		assert_int_equal(bw_in(1), UD_SIM_ACK);
		assert_int_equal(bw_r.len, 512);
		assert_int_equal(bw_r.data[0], 0);
		assert_int_equal(bw_r.data[63], 0);
		assert_int_equal(bw_r.data[64], 1);
	}
	assert_int_equal(zero()->stats.in_transfers, 1);
	assert_int_equal(zero()->stats.in_bytes, 4096);

	up("zero-mod63", UD_SPEED_FULL);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 64);
	assert_int_equal(bw_r.data[62], 62);
	assert_int_equal(bw_r.data[63], 0);

	up("zero", UD_SPEED_FULL);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(bw_r.data[i], 0);
}

/* ud_bulk_zero_set_pattern() takes effect at the next enable, for source and sink together. */
static void test_set_pattern(void **state)
{
	(void)state;
	static uint8_t data[64];

	up("zero", UD_SPEED_FULL);
	assert_int_equal(ud_bulk_zero_set_pattern(NULL, 1), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_zero_set_pattern(zero(), 2), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_zero_set_pattern(zero(), UD_BULK_ZERO_PATTERN_MOD63), 0);
	assert_int_equal(zero()->pattern, UD_BULK_ZERO_PATTERN_ZEROS); /* not yet */
	memset(data, 0, sizeof(data));
	assert_int_equal(bw_write(1, data, 10, true), UD_SIM_OK);
	assert_int_equal(zero()->stats.pattern_errors, 0);
	bw_set_interface0(0);
	assert_int_equal(zero()->pattern, UD_BULK_ZERO_PATTERN_MOD63);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.data[1], 1);
	for (unsigned i = 0; i < 64; i++)
		data[i] = (uint8_t)(i % 63);
	assert_int_equal(bw_write(1, data, 64, true), UD_SIM_OK);
	assert_int_equal(zero()->stats.pattern_errors, 0);
}

/* Bus reset and reconfiguration while both requests are queued: they end, and the next
 * enable starts them again. */
static void test_reset_restarts(void **state)
{
	(void)state;
	up("zero", UD_SPEED_FULL);
	assert_int_equal(bw_in(1), UD_SIM_ACK); /* the source is half way through a request */
	bw_attach(UD_OS_WINDOWS);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.pid, 0);
	bw_control_ok(0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0, NULL, 0);
	assert_int_equal(bw_in(1), UD_SIM_TIMEOUT); /* not configured: no endpoint */
	bw_control_ok(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, 0);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(zero()->stats.errors, 0);
	bw_assert_clean();
}

/* Faults a port may report, injected into the vdc behind the core's back: an overflow counts
 * and the sink goes on; a transfer the port refuses counts and leaves the endpoint idle. */
static void test_port_faults(void **state)
{
	(void)state;
	static uint8_t data[64];
	struct ud_vdc_ep *out = &bw.vdc.ep[UD_EP_INDEX(0x01)];
	struct ud_vdc_ep *in = &bw.vdc.ep[UD_EP_INDEX(0x81)];

	up("zero", UD_SPEED_FULL);
	memset(data, 0, sizeof(data));
	out->len = 10;
	assert_int_equal(bw_out(1, data, 64), UD_SIM_ACK);
	assert_int_equal(zero()->stats.errors, 1);
	assert_int_equal(bw_write(1, data, 64, true), UD_SIM_OK);
	assert_int_equal(zero()->stats.out_transfers, 1);

	/* The sink's next transfer is refused: the sink stops (NAK). */
	bw.host.manual = 1;
	assert_int_equal(bw_out(1, data, 3), UD_SIM_ACK);
	out->stalled = 1;
	bw_pump_manual();
	out->stalled = 0;
	bw.host.manual = 0;
	assert_int_equal(zero()->stats.errors, 2);
	assert_int_equal(bw_out(1, data, 3), UD_SIM_NAK);

	/* The source's next request is refused: the source stops too. */
	for (unsigned i = 0; i < 63; i++)
		assert_int_equal(bw_in(1), UD_SIM_ACK);
	bw.host.manual = 1;
	assert_int_equal(bw_in(1), UD_SIM_ACK); /* the last packet of the 4096-byte request */
	in->stalled = 1;
	bw_pump_manual();
	in->stalled = 0;
	bw.host.manual = 0;
	assert_int_equal(zero()->stats.in_transfers, 1);
	assert_int_equal(zero()->stats.errors, 3);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	/* The next enable starts both again. */
	bw_set_interface0(0);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_out(1, data, 3), UD_SIM_ACK);
}

/* The application cancels both requests through the embedded bulk function: a cancel is not
 * an error (`stats.errors` counts UD_ERR_IO and UD_ERR_OVERFLOW only), and both endpoints stay
 * idle until the next enable. */
static void test_cancel_is_not_an_error(void **state)
{
	(void)state;
	static uint8_t data[3];

	up("zero", UD_SPEED_FULL);
	assert_int_equal(ud_bulk_flush(&zero()->bulk), 2);
	bw_pump_manual();
	assert_int_equal(zero()->stats.errors, 0);
	assert_int_equal(bw_out(1, data, 3), UD_SIM_NAK);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	bw_set_interface0(0);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_out(1, data, 3), UD_SIM_ACK);
	assert_int_equal(zero()->stats.errors, 0);
	bw_assert_clean();
}

static void test_add_errors(void **state)
{
	(void)state;
	static struct ud_bulk_zero z;
	static uint8_t a[512], b[512], c[16];
	struct ud_device dev;
	struct ud_vdc vdc;
	struct ud_device_info info = {.vid = 1, .pid = 2, .ep0_max_packet = 64};
	struct ud_bulk_zero_config cfg = {.in_buf = a, .out_buf = b, .buflen = 512};

	ud_vdc_init(&vdc, NULL);
	assert_int_equal(ud_device_init(&dev, &vdc.port, &info), 0);
	assert_int_equal(ud_bulk_zero_add(NULL, &z, &cfg), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_zero_add(&dev, NULL, &cfg), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_zero_add(&dev, &z, NULL), UD_ERR_INVAL);
	cfg.in_buf = NULL;
	assert_int_equal(ud_bulk_zero_add(&dev, &z, &cfg), UD_ERR_INVAL);
	cfg.in_buf = a;
	cfg.out_buf = NULL;
	assert_int_equal(ud_bulk_zero_add(&dev, &z, &cfg), UD_ERR_INVAL);
	cfg.out_buf = b;
	cfg.pattern = 2;
	assert_int_equal(ud_bulk_zero_add(&dev, &z, &cfg), UD_ERR_INVAL);
	cfg.pattern = 1;
	cfg.buflen = 0;
	assert_int_equal(ud_bulk_zero_add(&dev, &z, &cfg), UD_ERR_INVAL);
	cfg.buflen = 500;
	assert_int_equal(ud_bulk_zero_add(&dev, &z, &cfg), UD_ERR_INVAL);
	cfg.buflen = 512;
	cfg.ctrl_size = 16;
	assert_int_equal(ud_bulk_zero_add(&dev, &z, &cfg), UD_ERR_INVAL);
	cfg.ctrl_buf = c;
	assert_int_equal(ud_bulk_zero_add(&dev, &z, &cfg), 0);
	assert_int_equal(z.bulk.ep_in, 0x81);
}

/* Without a control buffer only zero-length control tests pass. */
static struct ud_bulk_zero small;
static uint8_t small_in[512], small_out[512];

static int add_small(struct ud_device *dev)
{
	const struct ud_bulk_zero_config cfg = {.in_buf = small_in,
	                                        .out_buf = small_out,
	                                        .buflen = 512,
	                                        .interface_string = "small zero"};
	return ud_bulk_zero_add(dev, &small, &cfg);
}

static void test_no_ctrl_buffer(void **state)
{
	(void)state;
	static const uint8_t one = 1;

	bw_custom(UD_SPEED_FULL, add_small);
	bw_attach(UD_OS_MACOS);
	bw_control_ok(0x40, 0x5b, 0, 0, 0, NULL, 0);
	bw_control_ok(0xc0, 0x5c, 0, 0, 0, NULL, 0);
	assert_int_equal(bw_control(0x40, 0x5b, 0, 0, 1, &one, 1), UD_SIM_STALL);
	assert_int_equal(bw_control(0xc0, 0x5c, 0, 0, 1, NULL, 0), UD_SIM_STALL);
	/* 512-byte requests: the source sends one packet (high speed would be one too). */
	assert_int_equal(bw_read(1, 512), UD_SIM_OK);
	assert_int_equal(bw_r.len, 512);
	assert_int_equal(small.stats.in_transfers, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctrl_rules),
		cmocka_unit_test(test_sink_pattern_error_halts),
		cmocka_unit_test(test_sink_refills),
		cmocka_unit_test(test_source_patterns),
		cmocka_unit_test(test_set_pattern),
		cmocka_unit_test(test_reset_restarts),
		cmocka_unit_test(test_port_faults),
		cmocka_unit_test(test_cancel_is_not_an_error),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_no_ctrl_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
