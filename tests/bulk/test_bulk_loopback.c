/* SPDX-License-Identifier: MIT */
/*
 * The `bulk` device (loopback personality) through the host model: every transfer length of
 * the issue at full and high speed comes back byte for byte, with a ZLP exactly when the
 * length is a multiple of the max packet size; several transfers in flight come back in
 * order; a full loopback NAKs instead of dropping; a bus reset with requests queued restarts
 * cleanly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bulk_world.h"

static const uint16_t lengths[] = {0,   1,   2,   63,  64,   65,   127,  128,
                                   129, 511, 512, 513, 1023, 1024, 1025, 4096};

static uint8_t sent[4096], got[4096 + 512];

static struct ud_bulk_loopback *lb(void)
{
	return &bw.app.bulk.lb;
}

static void up(enum ud_speed speed, uint8_t ep0, enum ud_host_os os)
{
	bw_registered("bulk", speed, ep0);
	bw_attach(os);
	assert_int_equal(bw.host.speed, speed);
}

/* Read one transfer packet by packet: the data, then (when owed) exactly one ZLP, then NAK.
 * Returns the bytes read. */
static uint32_t read_echo(uint16_t len)
{
	uint16_t mps = bw_mps();
	uint32_t n = 0;

	for (;;) {
		assert_int_equal(bw_in(1), UD_SIM_ACK);
		assert_false(bw_r.dup);
		assert_true(n + bw_r.len <= sizeof(got));
		memcpy(got + n, bw_r.data, bw_r.len);
		n += bw_r.len;
		if (bw_r.len < mps)
			break; /* a short packet or the ZLP ends the transfer */
	}
	/* A packet-aligned transfer (including the empty one) ended with a ZLP: the last packet
	 * was that ZLP. Nothing else follows. */
	if (len % mps == 0)
		assert_int_equal(bw_r.len, 0);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	return n;
}

static void loop_lengths(enum ud_speed speed, uint8_t ep0)
{
	up(speed, ep0, UD_OS_LINUX);
	for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		uint16_t len = lengths[i];
		bw_fill(sent, len, 1000u + i);
		assert_int_equal(bw_write(1, sent, len, true), UD_SIM_OK);
		assert_int_equal(bw_r.len, len);
		uint32_t n = read_echo(len);
		assert_int_equal(n, len);
		assert_memory_equal(got, sent, len);
	}
	assert_int_equal(lb()->stats.transfers, sizeof(lengths) / sizeof(lengths[0]));
	assert_int_equal(lb()->stats.overflows + lb()->stats.errors, 0);
	bw_assert_clean();
}

static void test_lengths_full_speed(void **state)
{
	(void)state;
	loop_lengths(UD_SPEED_FULL, 64);
}

static void test_lengths_full_speed_ep0_8(void **state)
{
	(void)state;
	loop_lengths(UD_SPEED_FULL, 8);
}

static void test_lengths_high_speed(void **state)
{
	(void)state;
	loop_lengths(UD_SPEED_HIGH, 64);
}

/* The host model's whole-transfer read sees the same: the data, ended by the ZLP. */
static void test_whole_reads(void **state)
{
	(void)state;
	up(UD_SPEED_HIGH, 0, UD_OS_WINDOWS);
	for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		uint16_t len = lengths[i];
		bw_fill(sent, len, 77u + i);
		assert_int_equal(bw_write(1, sent, len, true), UD_SIM_OK);
		assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
		assert_int_equal(bw_r.len, len);
		assert_memory_equal(bw_r.data, sent, len);
		if (len == 4096) /* the read stopped at its limit: the ZLP is still there */
			assert_int_equal(bw_in(1), UD_SIM_ACK);
		assert_int_equal(bw_in(1), UD_SIM_NAK);
	}
}

/* Transfers written back to back come back as separate transfers, in order, and when every
 * slot is full the OUT endpoint NAKs (the host waits) rather than losing data. */
static void test_in_flight_order_and_backpressure(void **state)
{
	(void)state;
	static uint8_t a[100], b[64], c[10];

	up(UD_SPEED_FULL, 0, UD_OS_LINUX);
	bw_fill(a, sizeof(a), 1);
	bw_fill(b, sizeof(b), 2);
	bw_fill(c, sizeof(c), 3);
	assert_int_equal(bw_write(1, a, sizeof(a), true), UD_SIM_OK);
	assert_int_equal(bw_write(1, b, sizeof(b), true), UD_SIM_OK);
	assert_int_equal(UD_BULK_LOOPBACK_SLOTS, 2);
	/* Both slots wait to be read: the third transfer is NAKed, not dropped. */
	assert_int_equal(bw_out(1, c, sizeof(c)), UD_SIM_NAK);
	assert_int_equal(bw_write(1, c, sizeof(c), true), UD_SIM_TIMEOUT);

	assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
	assert_int_equal(bw_r.len, sizeof(a));
	assert_memory_equal(bw_r.data, a, sizeof(a));
	/* A slot is free again: the third transfer goes in now. */
	assert_int_equal(bw_write(1, c, sizeof(c), true), UD_SIM_OK);
	assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
	assert_int_equal(bw_r.len, sizeof(b));
	assert_memory_equal(bw_r.data, b, sizeof(b));
	assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
	assert_int_equal(bw_r.len, sizeof(c));
	assert_memory_equal(bw_r.data, c, sizeof(c));
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	bw_assert_clean();
}

/* A transfer that is a multiple of the packet size and not ended by a ZLP is not over yet:
 * nothing comes back until the host ends it. */
static void test_aligned_transfer_needs_host_zlp(void **state)
{
	(void)state;
	up(UD_SPEED_FULL, 0, UD_OS_LINUX);
	bw_fill(sent, 128, 9);
	assert_int_equal(bw_write(1, sent, 128, false), UD_SIM_OK);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	assert_int_equal(bw_out(1, NULL, 0), UD_SIM_ACK); /* the host's ZLP ends it */
	assert_int_equal(read_echo(128), 128);
	assert_memory_equal(got, sent, 128);
}

/* Reset and reconfiguration with requests queued and data waiting: everything the core had
 * ends with a shutdown, the loop restarts empty, and works as before. */
static void test_reset_and_reconfigure(void **state)
{
	(void)state;
	up(UD_SPEED_HIGH, 0, UD_OS_LINUX);
	bw_fill(sent, 700, 5);
	assert_int_equal(bw_write(1, sent, 700, true), UD_SIM_OK); /* one slot in IN, one OUT */
	bw_attach(UD_OS_MACOS);                                    /* bus reset, new address */
	assert_int_equal(bw_in(1), UD_SIM_NAK);                    /* the old echo is gone */
	assert_int_equal(bw_write(1, sent, 700, true), UD_SIM_OK);
	assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
	assert_int_equal(bw_r.len, 700);
	assert_memory_equal(bw_r.data, sent, 700);

	/* SET_CONFIGURATION(1) again and SET_INTERFACE: the same, without a reset. */
	assert_int_equal(bw_write(1, sent, 10, true), UD_SIM_OK);
	bw_control_ok(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, 0);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	assert_int_equal(bw_write(1, sent, 10, true), UD_SIM_OK);
	bw_set_interface0(0);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	assert_int_equal(bw_write(1, sent, 513, true), UD_SIM_OK);
	assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
	assert_int_equal(bw_r.len, 513);
	assert_memory_equal(bw_r.data, sent, 513);
	assert_int_equal(lb()->stats.errors, 0);
	bw_assert_clean();
}

/* Windows binds WinUSB: BOS and the MS OS 2.0 set carry the GUID. */
static void test_winusb_descriptors(void **state)
{
	(void)state;
	static const char guid[] = UD_SIM_BULK_GUID;
	uint8_t wide[2 * sizeof(guid)];

	up(UD_SPEED_FULL, 0, UD_OS_WINDOWS);
	bw_control_ok(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18, NULL, 0);
	assert_int_equal(bw_r.data[2] | (bw_r.data[3] << 8), 0x0201); /* bcdUSB 2.01 */
	bw_control_ok(0x80, UD_REQ_GET_DESCRIPTOR, 0x0f00, 0, 5, NULL, 0);
	uint16_t bos_len = (uint16_t)(bw_r.data[2] | (bw_r.data[3] << 8));
	bw_control_ok(0x80, UD_REQ_GET_DESCRIPTOR, 0x0f00, 0, bos_len, NULL, 0);
	uint8_t code = bw_r.data[bos_len - 2];
	uint16_t set_len = (uint16_t)(bw_r.data[bos_len - 4] | (bw_r.data[bos_len - 3] << 8));
	bw_control_ok(0xc0, code, 0, 7, set_len, NULL, 0);
	assert_int_equal(bw_r.len, set_len);
	for (unsigned i = 0; i < sizeof(guid) - 1; i++) {
		wide[2 * i] = (uint8_t)guid[i];
		wide[2 * i + 1] = 0;
	}
	bool found_guid = false, found_winusb = false;
	for (unsigned i = 0; i + 2 * (sizeof(guid) - 1) <= bw_r.len; i++) {
		found_guid |= memcmp(bw_r.data + i, wide, 2 * (sizeof(guid) - 1)) == 0;
		found_winusb |= i + 6 <= bw_r.len && memcmp(bw_r.data + i, "WINUSB", 6) == 0;
	}
	assert_true(found_guid);
	assert_true(found_winusb);
}

/* Faults a port may report, injected into the vdc behind the core's back: an overflow (the vdc
 * itself reports one only for a buffer that is not a multiple of the packet size) is dropped,
 * not echoed; a transfer the port refuses (UD_ERR_IO) is counted and its slot stays idle. */
static void test_port_faults(void **state)
{
	(void)state;
	static uint8_t data[64];
	struct ud_vdc_ep *out = &bw.vdc.ep[UD_EP_INDEX(0x01)];
	struct ud_vdc_ep *in = &bw.vdc.ep[UD_EP_INDEX(0x81)];

	up(UD_SPEED_FULL, 0, UD_OS_LINUX);
	bw_fill(data, sizeof(data), 8);
	assert_true(out->armed);
	out->len = 10; /* the port has room for 10 bytes only */
	assert_int_equal(bw_out(1, data, 64), UD_SIM_ACK);
	assert_int_equal(lb()->stats.overflows, 1);
	assert_int_equal(bw_in(1), UD_SIM_NAK);                  /* nothing echoed */
	assert_int_equal(bw_write(1, data, 5, true), UD_SIM_OK); /* and the loop goes on */
	assert_int_equal(bw_read(1, 64), UD_SIM_OK);
	assert_memory_equal(bw_r.data, data, 5);

	/* The port refuses the echo: the slot stops, the other one carries on. */
	in->stalled = 1;
	assert_int_equal(bw_write(1, data, 6, true), UD_SIM_OK);
	assert_int_equal(lb()->stats.errors, 1);
	in->stalled = 0;
	assert_int_equal(bw_write(1, data, 7, true), UD_SIM_OK);
	/* The port refuses the next receive: that slot stops too, and with both slots stopped
	 * the device NAKs until the next enable restarts them. */
	out->stalled = 1;
	assert_int_equal(bw_read(1, 64), UD_SIM_OK);
	assert_int_equal(bw_r.len, 7);
	assert_int_equal(lb()->stats.errors, 2);
	out->stalled = 0;
	assert_int_equal(bw_out(1, data, 1), UD_SIM_NAK);
	assert_int_equal(bw.vdc.stats.xfer_on_stalled, 2);
	bw_set_interface0(0);
	assert_int_equal(bw_write(1, data, 8, true), UD_SIM_OK);
	assert_int_equal(bw_read(1, 64), UD_SIM_OK);
	assert_int_equal(bw_r.len, 8);
}

static void test_add_errors(void **state)
{
	(void)state;
	static struct ud_bulk_loopback l;
	static uint8_t mem[2 * 512];
	struct ud_device dev;
	struct ud_vdc vdc;
	struct ud_device_info info = {.vid = 1, .pid = 2, .ep0_max_packet = 64};
	struct ud_bulk_loopback_config cfg = {.mem = mem, .slot_size = 512};

	ud_vdc_init(&vdc, NULL);
	assert_int_equal(ud_device_init(&dev, &vdc.port, &info), 0);
	assert_int_equal(ud_bulk_loopback_add(NULL, &l, &cfg), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_loopback_add(&dev, NULL, &cfg), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_loopback_add(&dev, &l, NULL), UD_ERR_INVAL);
	cfg.mem = NULL;
	assert_int_equal(ud_bulk_loopback_add(&dev, &l, &cfg), UD_ERR_INVAL);
	cfg.mem = mem;
	cfg.slot_size = 0;
	assert_int_equal(ud_bulk_loopback_add(&dev, &l, &cfg), UD_ERR_INVAL);
	cfg.slot_size = 64;
	assert_int_equal(ud_bulk_loopback_add(&dev, &l, &cfg), UD_ERR_INVAL);
	cfg.slot_size = 512;
	assert_int_equal(ud_bulk_loopback_add(&dev, &l, &cfg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths_full_speed),
		cmocka_unit_test(test_lengths_full_speed_ep0_8),
		cmocka_unit_test(test_lengths_high_speed),
		cmocka_unit_test(test_whole_reads),
		cmocka_unit_test(test_in_flight_order_and_backpressure),
		cmocka_unit_test(test_aligned_transfer_needs_host_zlp),
		cmocka_unit_test(test_reset_and_reconfigure),
		cmocka_unit_test(test_winusb_descriptors),
		cmocka_unit_test(test_port_faults),
		cmocka_unit_test(test_add_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
