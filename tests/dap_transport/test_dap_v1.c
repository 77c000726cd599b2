/* SPDX-License-Identifier: MIT */
/*
 * CMSIS-DAP v1: the queue behind a HID interface with 64-byte input and output reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dap_host.h"
#include "fake_engine.h"

static struct th t;

static int setup_v1(void **state)
{
	(void)state;
	memset(&fe_log, 0, sizeof(fe_log));
	th_init(&t, 1, 4, 64, NULL);
	return 0;
}

/* A report as a host sends it: the command, zero-padded to 64 bytes. */
static void send_report(uint8_t id, uint8_t seq)
{
	uint8_t r[64] = {0};
	r[0] = id;
	r[1] = seq;
	assert_int_equal(th_write(&t, r, 64, false), UD_VDC_ACK);
}

static void expect_report(uint8_t id, uint8_t seq)
{
	uint8_t got[64], want[64] = {0};
	want[0] = id;
	want[1] = seq;
	assert_int_equal(th_read(&t, got, 64), 64);
	assert_memory_equal(got, want, 64);
}

static const uint8_t *find_desc(const uint8_t *p, uint16_t len, uint8_t type, unsigned nth)
{
	for (uint16_t off = 0; off + 2 <= len && p[off] >= 2; off = (uint16_t)(off + p[off]))
		if (p[off + 1] == type && nth-- == 0)
			return p + off;
	return NULL;
}

static void test_v1_descriptors(void **state)
{
	uint8_t buf[256];
	uint16_t n = 0;

	(void)state;
	assert_int_equal(th_control(&t, 0x80, UD_REQ_GET_DESCRIPTOR, 0x0200, 0, 255, NULL, buf, &n),
	                 0);
	const uint8_t *intf = find_desc(buf, n, UD_DESC_INTERFACE, 0);
	assert_int_equal(intf[4], 2);
	assert_int_equal(intf[5], UD_HID_CLASS);
	const uint8_t *hid = find_desc(buf, n, UD_HID_DESC_HID, 0);
	assert_non_null(hid);
	assert_int_equal(hid[0], 9);
	assert_int_equal(hid[6], UD_HID_DESC_REPORT);
	uint16_t rlen = (uint16_t)(hid[7] | (hid[8] << 8));
	const uint8_t *e0 = find_desc(buf, n, UD_DESC_ENDPOINT, 0);
	const uint8_t *e1 = find_desc(buf, n, UD_DESC_ENDPOINT, 1);
	assert_int_equal(e0[3], UD_EP_INTERRUPT);
	assert_int_equal(e1[3], UD_EP_INTERRUPT);
	assert_int_equal(e0[4], 64);
	assert_int_equal(e1[4], 64);
	assert_true((e0[2] ^ e1[2]) & 0x80u); /* one IN, one OUT */

	/* The report descriptor: 64-byte input and output reports, no report ID. */
	uint8_t rd[64];
	assert_int_equal(
		th_control(&t, 0x81, UD_REQ_GET_DESCRIPTOR, 0x2200, t.dap.intf, 64, NULL, rd, &n),
		0);
	assert_int_equal(n, rlen);
	const uint8_t count64[3] = {0x96, 64, 0};
	unsigned found = 0;
	for (unsigned i = 0; i + 3 <= n; i++)
		found += memcmp(rd + i, count64, 3) == 0;
	assert_int_equal(found, 2);
	for (unsigned i = 0; i + 1 < n; i++)
		assert_false(rd[i] == 0x85); /* no Report ID item */

	/* The HID descriptor on its own, as in the configuration. */
	uint8_t hd[9];
	assert_int_equal(
		th_control(&t, 0x81, UD_REQ_GET_DESCRIPTOR, 0x2100, t.dap.intf, 9, NULL, hd, &n),
		0);
	assert_memory_equal(hd, hid, 9);

	/* Hosts find v1 probes by a product string with "CMSIS-DAP" in it: the app's job. */
	assert_int_equal(ud_dap_engine(&t.dap)->info->packet_size, 64);
}

static void test_v1_stream_padded(void **state)
{
	const uint8_t short_cmd[3] = {FE_CMD_LEN, 3, 0};
	uint8_t got[64];

	(void)state;
	send_report(0x40, 1);
	expect_report(0x40, 1);
	assert_int_equal(fe_log.last_len, 64); /* the command arrives as the whole report */

	/* A 3-byte response goes out as a whole 64-byte report, zero-padded. */
	uint8_t r[64] = {0};
	memcpy(r, short_cmd, sizeof(short_cmd));
	assert_int_equal(th_write(&t, r, 64, false), UD_VDC_ACK);
	assert_int_equal(th_read(&t, got, 64), 64);
	assert_int_equal(got[0], FE_CMD_LEN);
	assert_int_equal(got[1], 1);
	assert_int_equal(got[2], 2);
	for (unsigned i = 3; i < 64; i++)
		assert_int_equal(got[i], 0);
}

static void test_v1_full_queue_and_order(void **state)
{
	(void)state;
	for (uint8_t s = 1; s <= 4; s++)
		send_report(0x40, s);
	uint8_t r[64] = {0x40, 5};
	assert_int_equal(th_out(&t, r, 64), UD_VDC_NAK);
	expect_report(0x40, 1);
	send_report(0x40, 5);
	for (uint8_t s = 2; s <= 5; s++)
		expect_report(0x40, s);
}

static void test_v1_abort_and_resets(void **state)
{
	(void)state;
	t.process_in_settle = false;
	send_report(0x40, 1);
	send_report(UD_DAP_ID_TRANSFER_ABORT, 0);
	assert_int_equal(fe_log.aborts, 1);
	th_clear_halt(&t, t.dap.q.ep_in);
	t.process_in_settle = true;
	th_settle(&t);
	uint8_t got[64];
	assert_int_equal(th_read(&t, got, 64), -1);
	send_report(0x40, 2);
	expect_report(0x40, 2);

	th_set_interface(&t, t.dap.intf, 0);
	send_report(0x40, 3);
	expect_report(0x40, 3);
	th_bus_reset_and_enumerate(&t);
	send_report(0x40, 4);
	expect_report(0x40, 4);
}

/* HID class requests as the DAP v1 function answers them. */
static void test_v1_class_requests(void **state)
{
	uint8_t buf[64];
	uint16_t n = 0;
	uint8_t intf;

	(void)state;
	intf = t.dap.intf;
	/* GET_REPORT(input): zeros, and nothing is taken from the queue. */
	send_report(0x40, 9);
	assert_int_equal(th_control(&t, 0xa1, UD_HID_GET_REPORT, 0x0100, intf, 64, NULL, buf, &n),
	                 0);
	assert_int_equal(n, 64);
	for (unsigned i = 0; i < 64; i++)
		assert_int_equal(buf[i], 0);
	expect_report(0x40, 9);
	assert_int_equal(th_control(&t, 0xa1, UD_HID_GET_REPORT, 0x0200, intf, 64, NULL, buf, &n),
	                 -1); /* output */
	assert_int_equal(th_control(&t, 0xa1, UD_HID_GET_REPORT, 0x0101, intf, 64, NULL, buf, &n),
	                 -1); /* a report ID that does not exist */
	/* SET_REPORT: commands come on the interrupt OUT endpoint only. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(th_control(&t, 0x21, UD_HID_SET_REPORT, 0x0200, intf, 64, buf, NULL, NULL),
	                 -1);
	/* SET_IDLE stored, never applied; GET_IDLE reports it. */
	assert_int_equal(th_control(&t, 0x21, UD_HID_SET_IDLE, 0x7d00, intf, 0, NULL, NULL, NULL),
	                 0);
	assert_int_equal(th_control(&t, 0xa1, UD_HID_GET_IDLE, 0, intf, 1, NULL, buf, &n), 0);
	assert_int_equal(buf[0], 0x7d);
	/* Not a boot interface: no protocol requests. */
	assert_int_equal(th_control(&t, 0xa1, UD_HID_GET_PROTOCOL, 0, intf, 1, NULL, buf, &n), -1);
	assert_int_equal(th_control(&t, 0x21, UD_HID_SET_PROTOCOL, 0, intf, 0, NULL, NULL, NULL),
	                 -1);
	/* The stream is untouched by all of it. */
	send_report(0x40, 10);
	expect_report(0x40, 10);
}

/* v1 with reports larger than a packet (128-byte reports on 64-byte endpoints). */
static void test_v1_two_packet_reports(void **state)
{
	uint8_t r[128] = {0x40, 1}, got[128];

	(void)state;
	th_init(&t, 1, 2, 128, NULL);
	r[127] = 0x77;
	assert_int_equal(th_write(&t, r, 128, false), UD_VDC_ACK);
	assert_int_equal(fe_log.last_len, 128);
	assert_int_equal(th_read(&t, got, 128), 128);
	assert_memory_equal(got, r, 128);
	/* GET_REPORT of a report as large as the EP0 buffer is answered whole (zeros)... */
	uint16_t n;
	uint8_t buf[256];
	th_init(&t, 1, 1, UD_CTRL_BUF_SIZE, NULL);
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(th_control(&t, 0xa1, UD_HID_GET_REPORT, 0x0100, t.dap.intf,
	                            UD_CTRL_BUF_SIZE, NULL, buf, &n),
	                 0);
	assert_int_equal(n, UD_CTRL_BUF_SIZE);
	for (unsigned i = 0; i < UD_CTRL_BUF_SIZE; i++)
		assert_int_equal(buf[i], 0);
	/* ...one larger than the EP0 buffer is refused, not cut. */
	th_init(&t, 1, 1, 1024, NULL);
	assert_int_equal(
		th_control(&t, 0xa1, UD_HID_GET_REPORT, 0x0100, t.dap.intf, 255, NULL, buf, &n),
		-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_v1_descriptors, setup_v1),
		cmocka_unit_test_setup(test_v1_stream_padded, setup_v1),
		cmocka_unit_test_setup(test_v1_full_queue_and_order, setup_v1),
		cmocka_unit_test_setup(test_v1_abort_and_resets, setup_v1),
		cmocka_unit_test_setup(test_v1_class_requests, setup_v1),
		cmocka_unit_test_setup(test_v1_two_packet_reports, setup_v1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
