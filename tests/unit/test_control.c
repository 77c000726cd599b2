/* SPDX-License-Identifier: MIT */
/*
 * The EP0 control engine (control.c), transfers that go well: data stages both ways at every
 * EP0 packet size, the ZLP rule, a host ending an IN data stage early; and OUT data stages
 * that do not match what was announced. Fixture: control_fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "control_fixture.h"

/* ---- IN data stages ---- */

static void in_case(uint16_t n, uint16_t wlength)
{
	struct mock_ctrl r;
	uint16_t mps = mock_ep0_mps();
	uint16_t sent = n < wlength ? n : wlength;
	bool zlp = sent < wlength && sent % mps == 0; /* incl. an empty reply */
	unsigned packets = sent / mps + ((sent % mps) || zlp ? 1u : 0u);

	reply_len = n;
	mock_clear_log();
	int rc = mock_ctrl(V_IN, REQ, 0, 0, wlength, NULL, &r);
	if (rc != MOCK_ACK)
		fail_msg("mps %u reply %u wLength %u: result %d (stage %d), log %s", mps, n,
		         wlength, rc, r.stall_stage, mock.log);
	assert_int_equal(r.len, sent);
	assert_memory_equal(r.data, pattern, sent);
	assert_int_equal(r.zlp, zlp);
	assert_int_equal(r.packets, packets);
	/* The core hands the port the whole reply at once, plus a separate ZLP when needed. */
	unsigned xfers = mock_count(MOCK_EP_XFER, 0x80);
	assert_int_equal(xfers, sent && zlp ? 2 : 1);
	assert_int_equal(mock.calls[mock_index(MOCK_EP_XFER, 0x80)].len, sent && zlp ? 0 : sent);
}

static void in_sweep(void)
{
	uint16_t mps = mock_ep0_mps();
	const uint16_t lens[] = {0,
	                         1,
	                         (uint16_t)(mps - 1),
	                         mps,
	                         (uint16_t)(mps + 1),
	                         (uint16_t)(2 * mps),
	                         (uint16_t)(3 * mps + 5),
	                         255,
	                         256};
	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		uint16_t n = lens[i];
		in_case(n, n ? n : 1);         /* reply == wLength: never a ZLP */
		in_case(n, (uint16_t)(n + 1)); /* shorter than asked */
		in_case(n, (uint16_t)(n + mps));
		in_case(n, 1024);
		if (n > 1)
			in_case(n, (uint16_t)(n - 1)); /* longer than asked: cut to wLength */
	}
}

static void test_in_data_stage_every_ep0_size(void **state)
{
	(void)state;
	const uint8_t sizes[] = {8, 16, 32, 64};
	for (unsigned i = 0; i < 4; i++) {
		up(sizes[i], UD_SPEED_FULL);
		assert_int_equal(mock_ep0_mps(), sizes[i]);
		in_sweep();
		assert_int_equal(mock_teardown(NULL), 0);
	}
}

static void test_in_data_stage_high_speed(void **state)
{
	(void)state;
	up(64, UD_SPEED_HIGH);
	assert_int_equal(mock_ep0_mps(), 64);
	in_sweep();
}

/* reply_copy keeps the data although the caller's stack buffer is gone. */
static void test_reply_copy_from_stack(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(8, UD_SPEED_FULL);
	mode = M_REPLY_COPY_STACK;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 100, NULL, &r), MOCK_ACK);
	assert_int_equal(r.len, 64);
	assert_memory_equal(r.data, pattern + 100, 64);
	assert_true(r.zlp); /* 64 < 100, a multiple of 8 */
	/* Cut to wLength. */
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 10, NULL, &r), MOCK_ACK);
	assert_int_equal(r.len, 10);
	assert_memory_equal(r.data, pattern + 100, 10);
}

/* A host may end an IN data stage early by starting the status stage (USB 2.0 8.5.3.2): the
 * rest of the data is dropped and the transfer ends well. */
static void test_host_ends_in_data_early(void **state)
{
	(void)state;
	up(8, UD_SPEED_FULL);
	reply_len = 100;
	mock_setup(V_IN, REQ, 0, 0, 100);
	mock_run();
	assert_true(mock_busy(0x80));
	assert_true(mock_busy(0x00)); /* the status stage may come at any time */
	mock_xfer_done(0x00, 0, UD_OK);
	mock_run();
	assert_false(mock_busy(0x80));
	assert_false(mock_busy(0x00));
	assert_false(mock_stalled(0x80));
	assert_int_equal(mock_count(MOCK_EP_ABORT, 0x80), 1);
	assert_int_equal(mdev.port_errors, 0);
	reply_len = 4;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 4, NULL, NULL), MOCK_ACK);
}

/* Data where the host owes a zero-length status OUT: a protocol error, stalled. */
static void test_data_in_status_stage_refused(void **state)
{
	(void)state;
	up(8, UD_SPEED_FULL);
	reply_len = 4;
	mock_setup(V_IN, REQ, 0, 0, 4);
	mock_run();
	mock_xfer_done(0x80, 4, UD_OK);
	mock_run();
	mock_out_data(0x00, "x", 1); /* does not fit the zero-length status transfer */
	mock_run();
	assert_true(mock_stalled(0x80));
	assert_true(mock_stalled(0x00));
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 4, NULL, NULL), MOCK_ACK);
}

/* ---- OUT data stages ---- */

static void test_out_data_stage_every_ep0_size(void **state)
{
	(void)state;
	const uint8_t sizes[] = {8, 16, 32, 64};
	for (unsigned i = 0; i < 4; i++) {
		up(sizes[i], UD_SPEED_FULL);
		mode = M_RECEIVE;
		uint8_t mps = sizes[i];
		const uint16_t lens[] = {1,   mps, (uint16_t)(mps + 1), (uint16_t)(3 * mps),
		                         300, 1024};
		for (unsigned j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
			uint16_t n = lens[j];
			memset(rxbuf, 0, sizeof(rxbuf));
			rx_calls = 0;
			mock_clear_log();
			mock_setup(V_OUT, REQ, 0, 0, n);
			mock_run();
			const struct mock_call *c = mock_last(MOCK_EP_XFER, 0x00);
			assert_non_null(c);
			assert_ptr_equal(c->buf, rxbuf);
			assert_int_equal(c->len, n);
			mock_out_data(0x00, pattern, n);
			mock_run();
			assert_int_equal(rx_calls, 1);
			assert_int_equal(rx_status, UD_OK);
			assert_int_equal(rx_len, n);
			assert_memory_equal(rxbuf, pattern, n);
			/* Status IN armed; EP0 OUT stalled against more data than announced. */
			assert_true(mock_busy(0x80));
			assert_int_equal(mock.ep[UD_EP_INDEX(0x80)].len, 0);
			assert_true(mock_stalled(0x00));
			assert_false(mock_stalled(0x80));
			assert_true(mock_index(MOCK_EP_STALL, 0x00) <
			            mock_index(MOCK_EP_XFER, 0x80));
			mock_xfer_done(0x80, 0, UD_OK);
			mock_run();
			assert_int_equal(rx_calls, 1);
			assert_false(mock_busy(0x80) || mock_busy(0x00));
		}
		/* The host model does the same. */
		assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 77, pattern + 1, NULL), MOCK_ACK);
		assert_memory_equal(rxbuf, pattern + 1, 77);
		assert_int_equal(mock_teardown(NULL), 0);
	}
}

static void test_out_longer_than_announced_refused(void **state)
{
	(void)state;
	up(8, UD_SPEED_FULL);
	mode = M_RECEIVE;
	mock_setup(V_OUT, REQ, 0, 0, 16);
	mock_run();
	mock_out_data(0x00, pattern, 17); /* the port stores 16 and reports the overflow */
	mock_run();
	assert_int_equal(rx_calls, 1);
	assert_int_equal(rx_status, UD_ERR_OVERFLOW);
	assert_true(mock_stalled(0x00));
	assert_true(mock_stalled(0x80));
	assert_false(mock_busy(0x80));
	/* The next SETUP is answered normally. */
	mode = M_REPLY;
	reply_len = 3;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 3, NULL, NULL), MOCK_ACK);
	assert_int_equal(rx_calls, 1);
}

static void test_out_shorter_than_announced_refused(void **state)
{
	(void)state;
	up(8, UD_SPEED_FULL);
	mode = M_RECEIVE;
	mock_setup(V_OUT, REQ, 0, 0, 16);
	mock_run();
	mock_out_data(0x00, pattern, 5); /* a short packet ends the stage early */
	mock_run();
	assert_int_equal(rx_calls, 1);
	assert_int_equal(rx_status, UD_ERR_OVERFLOW);
	assert_true(mock_stalled(0x80));
	assert_true(mock_stalled(0x00));
}

/* The data callback returns an error: the status stage is stalled. */
static void test_out_callback_refuses(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(64, UD_SPEED_FULL);
	mode = M_RECEIVE;
	rx_ret = UD_ERR_INVAL;
	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 4, pattern, &r), MOCK_STALL);
	assert_int_equal(r.stall_stage, 2);
	assert_int_equal(rx_calls, 1);
	assert_int_equal(rx_status, UD_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CTRL_T(test_in_data_stage_every_ep0_size),
		CTRL_T(test_in_data_stage_high_speed),
		CTRL_T(test_reply_copy_from_stack),
		CTRL_T(test_host_ends_in_data_early),
		CTRL_T(test_data_in_status_stage_refused),
		CTRL_T(test_out_data_stage_every_ep0_size),
		CTRL_T(test_out_longer_than_announced_refused),
		CTRL_T(test_out_shorter_than_announced_refused),
		CTRL_T(test_out_callback_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
