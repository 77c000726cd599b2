/* SPDX-License-Identifier: MIT */
/*
 * The CMSIS-DAP v2 transport and its queue (issue 5, "The queue"), against a fake engine that
 * echoes commands: descriptors, NAK instead of drop, order, out-of-order completions (DAPLink
 * #1026), zero-length OUTs, TransferAbort out of band, engines without or with too much of a
 * response. The resets are in test_dap_resets.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dap_host.h"
#include "dap_stream.h"
#include "fake_engine.h"

struct th t;

/* ---- descriptors ---- */

static const uint8_t *find_desc(const uint8_t *p, uint16_t len, uint8_t type, unsigned nth)
{
	for (uint16_t off = 0; off + 2 <= len && p[off] >= 2; off = (uint16_t)(off + p[off]))
		if (p[off + 1] == type && nth-- == 0)
			return p + off;
	return NULL;
}

static bool utf16_contains(const uint8_t *p, uint16_t len, const char *ascii)
{
	size_t n = strlen(ascii);
	for (uint16_t off = 0; off + 2 * n <= len; off++) {
		size_t i = 0;
		while (i < n && p[off + 2 * i] == (uint8_t)ascii[i] && p[off + 2 * i + 1] == 0)
			i++;
		if (i == n)
			return true;
	}
	return false;
}

static void test_v2_descriptors(void **state)
{
	uint8_t buf[512];
	uint16_t n = 0;

	(void)state;
	assert_int_equal(th_control(&t, 0x80, UD_REQ_GET_DESCRIPTOR, 0x0200, 0, 255, NULL, buf, &n),
	                 0);
	const uint8_t *intf = find_desc(buf, n, UD_DESC_INTERFACE, 0);
	assert_non_null(intf);
	assert_int_equal(intf[4], 2);    /* bNumEndpoints */
	assert_int_equal(intf[5], 0xff); /* vendor class, subclass 0, protocol 0 */
	assert_int_equal(intf[6], 0x00);
	assert_int_equal(intf[7], 0x00);
	const uint8_t *e0 = find_desc(buf, n, UD_DESC_ENDPOINT, 0);
	const uint8_t *e1 = find_desc(buf, n, UD_DESC_ENDPOINT, 1);
	assert_false(e0[2] & 0x80u); /* OUT first */
	assert_true(e1[2] & 0x80u);  /* then IN */
	assert_int_equal(e0[3], UD_EP_BULK);
	assert_int_equal(e1[3], UD_EP_BULK);
	assert_int_equal(e0[4] | (e0[5] << 8), 64);

	uint8_t istr = intf[8];
	assert_int_equal(th_control(&t, 0x80, UD_REQ_GET_DESCRIPTOR, (uint16_t)(0x0300 | istr),
	                            0x0409, 255, NULL, buf, &n),
	                 0);
	assert_true(utf16_contains(buf + 2, (uint16_t)(n - 2), "CMSIS-DAP"));

	/* bcdUSB 2.01, BOS, and the MS OS 2.0 set naming the CMSIS-DAP v2 GUID. */
	assert_int_equal(th_control(&t, 0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18, NULL, buf, &n),
	                 0);
	assert_int_equal(buf[2] | (buf[3] << 8), 0x0201);
	assert_int_equal(th_control(&t, 0xc0, UD_MSOS2_VENDOR_CODE, 0, 7, 512, NULL, buf, &n), 0);
	assert_true(utf16_contains(buf, n, "DeviceInterfaceGUIDs"));
	assert_true(utf16_contains(buf, n, UD_DAP_V2_GUID));

	/* DAP_Info 0xFE / 0xFF come from the configuration. */
	assert_int_equal(ud_dap_engine(&t.dap)->info->packet_count, 4);
	assert_int_equal(ud_dap_engine(&t.dap)->info->packet_size, 64);
	assert_int_equal(fe_log.inits, 1);
}

static void test_custom_interface_string(void **state)
{
	struct th_opts o = {.interface_string = "My probe CMSIS-DAP"};
	uint8_t buf[256];
	uint16_t n = 0;

	(void)state;
	th_init(&t, 2, 1, 64, &o);
	assert_int_equal(th_control(&t, 0x80, UD_REQ_GET_DESCRIPTOR, 0x0200, 0, 255, NULL, buf, &n),
	                 0);
	uint8_t istr = find_desc(buf, n, UD_DESC_INTERFACE, 0)[8];
	assert_int_equal(th_control(&t, 0x80, UD_REQ_GET_DESCRIPTOR, (uint16_t)(0x0300 | istr),
	                            0x0409, 255, NULL, buf, &n),
	                 0);
	assert_true(utf16_contains(buf + 2, (uint16_t)(n - 2), "My probe CMSIS-DAP"));
}

/* ---- the stream ---- */

static void test_echo(void **state)
{
	(void)state;
	send(1);
	expect_response(1);
	send(2);
	send(3);
	expect_response(2);
	expect_response(3);
	expect_no_response();
	assert_int_equal(ud_dap_stats(&t.dap)->commands, 3);
	assert_int_equal(ud_dap_stats(&t.dap)->responses, 3);
	assert_int_equal(t.notifies, 3);
	assert_true(ud_dap_idle(&t.dap));
}

/* Idle means nothing is left to send either: a response executed but not yet read by the
 * host keeps the probe busy. */
static void test_not_idle_until_response_read(void **state)
{
	(void)state;
	send(1);
	assert_int_equal(ud_dap_pending(&t.dap), 0); /* executed */
	assert_false(ud_dap_idle(&t.dap));           /* but still at the IN endpoint */
	expect_response(1);
	assert_true(ud_dap_idle(&t.dap));
}

/* A host that writes more commands than the packet count without reading is NAKed, then gets
 * every response in order as it reads. */
static void test_full_queue_naks_then_all_in_order(void **state)
{
	(void)state;
	for (uint32_t s = 1; s <= 4; s++) {
		assert_int_equal(send_packet(s), UD_VDC_ACK);
		th_settle(&t);
	}
	for (int i = 0; i < 5; i++) { /* however long it waits */
		assert_int_equal(send_packet(5), UD_VDC_NAK);
		th_settle(&t);
	}
	assert_int_equal(ud_dap_stats(&t.dap)->commands, 4);
	expect_response(1);
	assert_int_equal(send_packet(5), UD_VDC_ACK); /* a slot came free */
	th_settle(&t);
	assert_int_equal(send_packet(6), UD_VDC_NAK);
	for (uint32_t s = 2; s <= 5; s++)
		expect_response(s);
	send(6);
	expect_response(6);
	expect_no_response();
}

/* The same with ud_dap_process() not running at all: commands wait in their slots, IN NAKs,
 * and OUT NAKs once the slots are taken. */
static void test_full_queue_without_process(void **state)
{
	(void)state;
	t.process_in_settle = false;
	for (uint32_t s = 1; s <= 4; s++) {
		assert_int_equal(send_packet(s), UD_VDC_ACK);
		th_settle(&t);
	}
	assert_int_equal(send_packet(5), UD_VDC_NAK);
	assert_int_equal(ud_dap_pending(&t.dap), 4);
	assert_false(ud_dap_idle(&t.dap));
	uint8_t buf[64];
	uint16_t n;
	assert_int_equal(th_in(&t, buf, &n), UD_VDC_NAK);
	assert_true(ud_dap_process(&t.dap));
	th_settle(&t); /* the wake runs the pump in ud_task() */
	t.process_in_settle = true;
	expect_response(1);
	send(5);
	for (uint32_t s = 2; s <= 5; s++)
		expect_response(s);
}

/* DAPLink #1026: two OUT completions are handled before the IN completion of an earlier
 * response. Nothing may stall: every command is answered, in order. */
static void test_two_outs_before_in_completion(void **state)
{
	uint8_t buf[64];
	uint16_t n;

	(void)state;
	t.process_in_settle = false;
	assert_int_equal(send_packet(1), UD_VDC_ACK);
	th_settle(&t);
	assert_true(ud_dap_process(&t.dap));
	th_settle(&t); /* response 1 is at the IN endpoint */

	assert_int_equal(th_in(&t, buf, &n), UD_VDC_ACK); /* IN completion now pending */
	assert_int_equal(n, 8);
	int in_irq = th_find_irq(&t, t.dap.q.ep_in);
	assert_true(in_irq >= 0);

	assert_int_equal(send_packet(2), UD_VDC_ACK);
	th_irq(&t, (unsigned)th_find_irq(&t, t.dap.q.ep_out));
	ud_task(&t.dev);
	assert_int_equal(send_packet(3), UD_VDC_ACK);
	th_irq(&t, (unsigned)th_find_irq(&t, t.dap.q.ep_out));
	ud_task(&t.dev);
	assert_int_equal(ud_dap_stats(&t.dap)->commands, 3);

	/* Process both before the IN completion is even delivered. */
	assert_true(ud_dap_process(&t.dap));
	assert_true(ud_dap_process(&t.dap));
	assert_false(ud_dap_process(&t.dap));
	ud_task(&t.dev);
	assert_int_equal(th_in(&t, buf, &n), UD_VDC_NAK); /* response 2 waits for the slot */

	th_irq(&t, (unsigned)th_find_irq(&t, t.dap.q.ep_in));
	ud_task(&t.dev);
	t.process_in_settle = true;
	expect_response(2);
	expect_response(3);
	expect_no_response();
}

/* The same order with a queue of two: the second OUT finds no free slot and is NAKed until
 * the IN completion frees one, then goes through. */
static void test_two_outs_before_in_completion_full(void **state)
{
	uint8_t buf[64];
	uint16_t n;

	(void)state;
	th_init(&t, 2, 2, 64, NULL);
	t.process_in_settle = false;
	assert_int_equal(send_packet(1), UD_VDC_ACK);
	th_settle(&t);
	ud_dap_process(&t.dap);
	th_settle(&t);
	assert_int_equal(th_in(&t, buf, &n), UD_VDC_ACK);

	assert_int_equal(send_packet(2), UD_VDC_ACK);
	th_irq(&t, (unsigned)th_find_irq(&t, t.dap.q.ep_out));
	ud_task(&t.dev);
	assert_int_equal(send_packet(3), UD_VDC_NAK); /* both slots taken: 1 (sending), 2 */
	ud_dap_process(&t.dap);
	ud_task(&t.dev);
	assert_int_equal(send_packet(3), UD_VDC_NAK);

	th_irq(&t, (unsigned)th_find_irq(&t, t.dap.q.ep_in)); /* response 1 sent: slot free */
	ud_task(&t.dev);
	assert_int_equal(send_packet(3), UD_VDC_ACK);
	t.process_in_settle = true;
	th_settle(&t);
	expect_response(2);
	expect_response(3);
}

/* The IN completion arrives after the next response was produced, and the OUT completion
 * after both: each order ends with everything answered. */
static void test_completion_orders(void **state)
{
	uint8_t buf[64];
	uint16_t n;

	(void)state;
	t.process_in_settle = false;
	assert_int_equal(send_packet(1), UD_VDC_ACK);
	th_settle(&t);
	assert_int_equal(send_packet(2), UD_VDC_ACK);
	th_settle(&t);
	ud_dap_process(&t.dap);
	ud_task(&t.dev); /* response 1 at IN */
	assert_int_equal(th_in(&t, buf, &n), UD_VDC_ACK);
	assert_int_equal(send_packet(3), UD_VDC_ACK);
	/* pending: IN completion, OUT completion. Deliver the OUT first, then process, then IN. */
	th_irq(&t, (unsigned)th_find_irq(&t, t.dap.q.ep_out));
	ud_dap_process(&t.dap);
	ud_dap_process(&t.dap);
	ud_task(&t.dev);
	th_irq(&t, 0);
	ud_task(&t.dev);
	t.process_in_settle = true;
	expect_response(2);
	expect_response(3);
	expect_no_response();
}

/* ---- what is not a command ---- */

static void test_zero_length_out_ignored(void **state)
{
	(void)state;
	th_init(&t, 2, 1, 64, NULL); /* one slot: a consumed slot would block the next command */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(th_out(&t, NULL, 0), UD_VDC_ACK);
		th_settle(&t);
	}
	expect_no_response();
	assert_int_equal(ud_dap_stats(&t.dap)->zlps, 3);
	assert_int_equal(ud_dap_stats(&t.dap)->commands, 0);
	send(1);
	expect_response(1);
	assert_int_equal(fe_log.executes, 1);
}

static void test_transfer_abort_out_of_band(void **state)
{
	const uint8_t abort_cmd[1] = {UD_DAP_ID_TRANSFER_ABORT};

	(void)state;
	th_init(&t, 2, 2, 64, NULL);
	t.process_in_settle = false;
	assert_int_equal(send_packet(1), UD_VDC_ACK);
	th_settle(&t); /* command 1 waits for process, holding a slot */
	assert_int_equal(th_out(&t, abort_cmd, 1), UD_VDC_ACK);
	th_settle(&t);
	/* The engine saw the abort at once, from ud_task(), before process ran. */
	assert_int_equal(fe_log.aborts, 1);
	assert_int_equal(fe_log.executes, 0);
	/* It took no slot: the second slot still takes command 2. */
	assert_int_equal(send_packet(2), UD_VDC_ACK);
	th_settle(&t);
	t.process_in_settle = true;
	th_settle(&t);
	expect_response(1);
	expect_response(2);
	expect_no_response(); /* and the abort got no response */
	assert_int_equal(ud_dap_stats(&t.dap)->aborts, 1);
	assert_int_equal(fe_log.executes, 2);
}

/* An engine that gives no response frees the slot without sending anything. */
static void test_engine_without_response(void **state)
{
	const uint8_t none[1] = {FE_CMD_NONE};

	(void)state;
	th_init(&t, 2, 1, 64, NULL);
	assert_int_equal(th_write(&t, none, 1, true), UD_VDC_ACK);
	expect_no_response();
	assert_int_equal(ud_dap_stats(&t.dap)->silent, 1);
	send(7);
	expect_response(7);
}

/* An engine that claims more than the packet is cut to the packet. */
static void test_engine_overlong_response_clamped(void **state)
{
	const uint8_t huge[1] = {FE_CMD_HUGE};
	uint8_t buf[TH_MAX_SIZE];

	(void)state;
	assert_int_equal(th_write(&t, huge, 1, true), UD_VDC_ACK);
	assert_int_equal(th_read(&t, buf, 64), 64);
	expect_no_response();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_v2_descriptors, setup_v2),
		cmocka_unit_test_setup(test_custom_interface_string, setup_v2),
		cmocka_unit_test_setup(test_echo, setup_v2),
		cmocka_unit_test_setup(test_not_idle_until_response_read, setup_v2),
		cmocka_unit_test_setup(test_full_queue_naks_then_all_in_order, setup_v2),
		cmocka_unit_test_setup(test_full_queue_without_process, setup_v2),
		cmocka_unit_test_setup(test_two_outs_before_in_completion, setup_v2),
		cmocka_unit_test_setup(test_two_outs_before_in_completion_full, setup_v2),
		cmocka_unit_test_setup(test_completion_orders, setup_v2),
		cmocka_unit_test_setup(test_zero_length_out_ignored, setup_v2),
		cmocka_unit_test_setup(test_transfer_abort_out_of_band, setup_v2),
		cmocka_unit_test_setup(test_engine_without_response, setup_v2),
		cmocka_unit_test_setup(test_engine_overlong_response_clamped, setup_v2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
