/* SPDX-License-Identifier: MIT */
/*
 * The EP0 control engine (control.c), transfers that do not end as planned: a SETUP overtaking
 * one (also before its completion was taken), protocol stalls, port errors, a bus reset; and
 * the return codes of the ud_ctrl_* answer API. Fixture: control_fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "control_fixture.h"

/* ---- a new SETUP overtakes the transfer in progress ---- */

static void test_setup_overtakes_out_data_stage(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(8, UD_SPEED_FULL);
	mode = M_RECEIVE;
	mock_setup(V_OUT, REQ, 0, 0, 40);
	mock_run();
	assert_true(mock_busy(0x00));
	mock_clear_log();
	assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18, NULL, &r), MOCK_ACK);
	assert_int_equal(mock_count(MOCK_EP_ABORT, 0x00), 1);
	assert_int_equal(rx_calls, 1);
	assert_int_equal(rx_status, UD_ERR_OVERTAKEN);
	assert_int_equal(r.len, 18);
	assert_int_equal(r.data[1], UD_DESC_DEVICE);
	mock_run();
	assert_int_equal(rx_calls, 1);
	assert_int_equal(mdev.port_errors, 0);
}

static void test_setup_overtakes_in_data_stage(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(8, UD_SPEED_FULL);
	reply_len = 100;
	mock_setup(V_IN, REQ, 0, 0, 100);
	mock_run();
	assert_true(mock_busy(0x80));
	mock_clear_log();
	reply_len = 5;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 5, NULL, &r), MOCK_ACK);
	assert_int_equal(mock_count(MOCK_EP_ABORT, 0x80), 1);
	assert_int_equal(r.len, 5);
	assert_int_equal(mdev.port_errors, 0);
}

/* A 10-byte IN data stage ends as the port reports (@p moved bytes, @p status) but the task has
 * not seen it when the next SETUP comes: the new request wins, and nothing of the old one is
 * left armed. */
static void setup_after_unread_in(uint32_t moved, int status)
{
	struct mock_ctrl r;
	up(64, UD_SPEED_FULL);
	reply_len = 10;
	mock_setup(V_IN, REQ, 0, 0, 10);
	mock_run();
	mock_xfer_done(0x80, moved, status);
	reply_len = 3;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 3, NULL, &r), MOCK_ACK);
	assert_int_equal(r.len, 3);
	assert_false(mock_busy(0x00) || mock_busy(0x80));
	assert_int_equal(mdev.port_errors, 0);
}

static void test_setup_after_unread_completion(void **state)
{
	(void)state;
	setup_after_unread_in(10, UD_OK);
}

/* A failure reported for the old transfer must not stall EP0 under the new SETUP. */
static void test_setup_after_unread_in_error(void **state)
{
	(void)state;
	setup_after_unread_in(3, UD_ERR_IO);
}

/* A SETUP while the OUT data stage was reported but not yet consumed: the data callback runs
 * once (either done or overtaken), never twice, and the new request is answered: whatever the
 * core does about the old transfer must not stall EP0 after the port cleared the stall for the
 * new SETUP (ud_port.h: a stall lasts until the next SETUP). */
static void test_setup_after_unread_out_data(void **state)
{
	(void)state;
	up(64, UD_SPEED_FULL);
	mode = M_RECEIVE;
	mock_setup(V_OUT, REQ, 0, 0, 4);
	mock_run();
	mock_out_data(0x00, pattern, 4);
	assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2, NULL, NULL), MOCK_ACK);
	assert_int_equal(rx_calls, 1);
	mock_run();
	assert_int_equal(rx_calls, 1);
}

/* Same race with an overflowing OUT data stage: the refusal belongs to the old transfer and must
 * not stall the new one. */
static void test_setup_after_unread_overflow(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(64, UD_SPEED_FULL);
	mode = M_RECEIVE;
	mock_setup(V_OUT, REQ, 0, 0, 4);
	mock_run();
	mock_out_data(0x00, pattern, 9);
	assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2, NULL, &r), MOCK_ACK);
	assert_int_equal(r.len, 2);
	assert_int_equal(rx_calls, 1);
}

/* ---- protocol stall ---- */

static void test_protocol_stall_and_recovery(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(64, UD_SPEED_FULL);

	const enum mode refusing[] = {M_NOTSUP, M_ERROR};
	for (unsigned i = 0; i < 2; i++) {
		mode = refusing[i];
		mock_clear_log();
		assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 8, NULL, &r), MOCK_STALL);
		assert_int_equal(r.stall_stage, 1);
		assert_true(mock_stalled(0x80));
		assert_true(mock_stalled(0x00));
		assert_int_equal(mock_count(MOCK_EP_XFER, MOCK_ANY_EP), 0);
		assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 0, NULL, &r), MOCK_STALL);
		assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 64, NULL, &r),
		                 MOCK_ACK);
		assert_int_equal(r.len, 18);
	}
	/* Nobody's request: a vendor code no function knows. */
	assert_int_equal(mock_ctrl(V_IN, 0x77, 0, 0, 8, NULL, NULL), MOCK_STALL);
	/* An unknown standard request, then a normal one. */
	assert_int_equal(mock_ctrl(0x80, 0x55, 0, 0, 2, NULL, NULL), MOCK_STALL);
	assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2, NULL, NULL), MOCK_ACK);
}

/* Accepted without an answer: an IN request gets an empty data stage, an OUT request with data
 * is stalled (nobody takes the data), an OUT request without data is acknowledged. */
static void test_answer_nothing(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(16, UD_SPEED_FULL);
	mode = M_NONE;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 8, NULL, &r), MOCK_ACK);
	assert_int_equal(r.len, 0);
	assert_true(r.zlp);
	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 8, pattern, &r), MOCK_STALL);
	assert_int_equal(r.stall_stage, 1);
	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 0, NULL, &r), MOCK_ACK);
}

/* The port refuses to start a stage or reports an error in it: protocol stall. */
static void test_port_errors_stall(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(8, UD_SPEED_FULL);
	reply_len = 20;
	mock.fail_xfer_ep = 0x80;
	mock.fail_xfer_n = 1;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 20, NULL, &r), MOCK_STALL);
	mock_setup(V_IN, REQ, 0, 0, 20);
	mock_run();
	mock_xfer_done(0x80, 3, UD_ERR_IO);
	mock_run();
	assert_true(mock_stalled(0x80));
	assert_true(mock_stalled(0x00));
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 20, NULL, &r), MOCK_ACK);
	assert_int_equal(r.len, 20);
}

/* The port refuses to start an OUT data stage: a stall, and the receiver hears of it at once
 * with UD_ERR_OVERFLOW and no data (ud_function.h), not later as a new SETUP's OVERTAKEN. */
static void test_port_refuses_out_data_stage(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(8, UD_SPEED_FULL);
	mode = M_RECEIVE;
	mock.fail_xfer_ep = 0x00;
	mock.fail_xfer_n = 1;
	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 8, pattern, &r), MOCK_STALL);
	assert_int_equal(rx_calls, 1);
	assert_int_equal(rx_status, UD_ERR_OVERFLOW);
	assert_int_equal(rx_len, 0);
	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 8, pattern, &r), MOCK_ACK);
	assert_int_equal(rx_calls, 2);
	assert_int_equal(rx_status, UD_OK);
}

/* The port refuses to arm the status OUT along with the data, or fails the ZLP: stall. The
 * status stage may also come while the ZLP is pending. */
static void test_zlp_and_status_arming(void **state)
{
	(void)state;
	up(8, UD_SPEED_FULL);
	reply_len = 8;
	mock.fail_xfer_ep = 0x00;
	mock.fail_xfer_n = 1;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 8, NULL, NULL), MOCK_STALL);
	mock_setup(V_IN, REQ, 0, 0, 64); /* 8 < 64: a ZLP follows */
	mock_run();
	mock_xfer_done(0x80, 8, UD_OK);
	mock_run();
	assert_int_equal(mock_last(MOCK_EP_XFER, 0x80)->len, 0);
	mock_xfer_done(0x80, 0, UD_ERR_IO);
	mock_run();
	assert_true(mock_stalled(0x80) && mock_stalled(0x00));
	mock_setup(V_IN, REQ, 0, 0, 64);
	mock_run();
	mock_xfer_done(0x80, 8, UD_OK);
	mock_run();
	mock_xfer_done(0x00, 0, UD_OK); /* the host skips the ZLP */
	mock_run();
	assert_false(mock_busy(0x80) || mock_busy(0x00));
	assert_int_equal(mdev.port_errors, 0);
}

/* ---- the answer API ---- */

/* ud_ctrl_reply_copy() copies min(len, wLength): 300 bytes offered to a request for 9 fit the
 * 128-byte buffer; for 200, they do not and the request is stalled. */
static void test_reply_copy_takes_what_was_asked(void **state)
{
	(void)state;
	struct mock_ctrl r;
	up(64, UD_SPEED_FULL);
	mode = M_REPLY_COPY_LONG;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 9, NULL, &r), MOCK_ACK);
	assert_int_equal(r.len, 9);
	assert_memory_equal(r.data, pattern, 9);
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, UD_CTRL_BUF_SIZE + 1, NULL, &r), MOCK_STALL);
	/* Exactly the buffer's size fits. */
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, UD_CTRL_BUF_SIZE, NULL, &r), MOCK_ACK);
	assert_int_equal(r.len, UD_CTRL_BUF_SIZE);
	assert_memory_equal(r.data, pattern, UD_CTRL_BUF_SIZE);
}

/* An answer built in the core's buffer goes out as built, whether passed to ud_ctrl_reply() or
 * (onto itself) to ud_ctrl_reply_copy(); the whole buffer is usable. */
static void test_reply_built_in_place(void **state)
{
	(void)state;
	struct mock_ctrl r;
	static const uint16_t lens[] = {0, 7, 8, UD_CTRL_BUF_SIZE - 1, UD_CTRL_BUF_SIZE};
	up(64, UD_SPEED_FULL);
	mode = M_REPLY_IN_PLACE;
	for (unsigned i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		reply_len = lens[i];
		assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, UD_CTRL_BUF_SIZE, NULL, &r), MOCK_ACK);
		assert_int_equal(r.len, lens[i]);
		assert_memory_equal(r.data, pattern + 1, lens[i]);
	}
}

static void test_answer_api_return_codes(void **state)
{
	(void)state;
	uint8_t b[4] = {0};
	up(64, UD_SPEED_FULL);

	/* Outside a `control` callback. */
	assert_int_equal(ud_ctrl_reply(&mdev, b, 4), UD_ERR_STATE);
	assert_int_equal(ud_ctrl_reply_copy(&mdev, b, 4), UD_ERR_STATE);
	assert_int_equal(ud_ctrl_receive(&mdev, rxbuf, 4, rx_done), UD_ERR_STATE);
	assert_int_equal(ud_ctrl_reply(NULL, b, 4), UD_ERR_INVAL);
	assert_int_equal(ud_ctrl_reply_copy(NULL, b, 4), UD_ERR_INVAL);
	assert_null(ud_ctrl_reply_buffer(&mdev));

	mode = M_API;
	struct mock_ctrl r;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 200, NULL, &r), MOCK_ACK);
	/* (1: ud_ctrl_reply_buffer() gave NULL, or not, as the call's comment expects) */
	const int want_in[] = {UD_ERR_INVAL,
	                       UD_ERR_STATE,
	                       UD_ERR_NOSPACE,
	                       UD_ERR_INVAL,
	                       1,
	                       1,
	                       0,
	                       UD_ERR_STATE,
	                       UD_ERR_STATE,
	                       1};
	assert_int_equal(napi, 10);
	for (unsigned i = 0; i < napi; i++)
		if (api[i] != want_in[i])
			fail_msg("IN call %u returned %d, expected %d", i, api[i], want_in[i]);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.data, "\x01\x02\x03\x04", 4);

	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 10, pattern, &r), MOCK_ACK);
	const int want_out[] = {UD_ERR_STATE, UD_ERR_STATE,   1, UD_ERR_INVAL, UD_ERR_INVAL,
	                        UD_ERR_INVAL, UD_ERR_NOSPACE, 0, UD_ERR_STATE};
	assert_int_equal(napi, 9);
	for (unsigned i = 0; i < napi; i++)
		if (api[i] != want_out[i])
			fail_msg("OUT call %u returned %d, expected %d", i, api[i], want_out[i]);
	assert_int_equal(rx_calls, 1);
	assert_memory_equal(rxbuf, pattern, 10);

	/* An OUT request without data stage has nothing to receive: every call that would have
	 * been accepted above is refused, the first one (len 0xffff, from wLength - 1) included. */
	mode = M_API;
	napi = 0;
	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 0, NULL, &r), MOCK_ACK);
	const int want_none[] = {UD_ERR_STATE, UD_ERR_STATE, 1,
	                         UD_ERR_INVAL, UD_ERR_INVAL, UD_ERR_INVAL,
	                         UD_ERR_STATE, UD_ERR_STATE, UD_ERR_STATE};
	assert_int_equal(napi, 9);
	for (unsigned i = 0; i < napi; i++)
		if (api[i] != want_none[i])
			fail_msg("no-data call %u returned %d, expected %d", i, api[i],
			         want_none[i]);
	/* After the transfer, outside again. */
	assert_int_equal(ud_ctrl_reply(&mdev, b, 4), UD_ERR_STATE);
	assert_int_equal(ud_ctrl_receive(&mdev, rxbuf, 4, rx_done), UD_ERR_STATE);
	assert_int_equal(rx_calls, 1);
}

/* ud_ctrl_reply_copy outside a callback is STATE whatever the length. */
static void test_reply_copy_outside_callback_is_state(void **state)
{
	(void)state;
	up(64, UD_SPEED_FULL);
	reply_len = 0;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 1024, NULL, NULL), MOCK_ACK);
	assert_int_equal(ud_ctrl_reply_copy(&mdev, pattern, 1000), UD_ERR_STATE);
}

/* A function accepts the data stage, then returns an error: stall, and its data callback never
 * runs. */
static int receive_then_fail(struct mock_fn *m, const struct ud_setup *s)
{
	(void)m;
	(void)s;
	assert_int_equal(ud_ctrl_receive(&mdev, rxbuf, sizeof(rxbuf), rx_done), 0);
	return UD_ERR_INVAL;
}

static void test_receive_then_error_never_calls_back(void **state)
{
	(void)state;
	up(64, UD_SPEED_FULL);
	fa.control = receive_then_fail;
	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 8, pattern, NULL), MOCK_STALL);
	fa.control = ctrl_control;
	mode = M_REPLY;
	reply_len = 2;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 2, NULL, NULL), MOCK_ACK);
	assert_int_equal(rx_calls, 0);
}

/* A bus reset during an OUT data stage: the data callback gets SHUTDOWN once. */
static void test_reset_during_out_data_stage(void **state)
{
	(void)state;
	up(64, UD_SPEED_FULL);
	mode = M_RECEIVE;
	mock_setup(V_OUT, REQ, 0, 0, 8);
	mock_run();
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(rx_calls, 1);
	assert_int_equal(rx_status, UD_ERR_SHUTDOWN);
	assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2, NULL, NULL), MOCK_ACK);
	assert_int_equal(rx_calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CTRL_T(test_setup_overtakes_out_data_stage),
		CTRL_T(test_setup_overtakes_in_data_stage),
		CTRL_T(test_setup_after_unread_completion),
		CTRL_T(test_setup_after_unread_in_error),
		CTRL_T(test_setup_after_unread_out_data),
		CTRL_T(test_setup_after_unread_overflow),
		CTRL_T(test_protocol_stall_and_recovery),
		CTRL_T(test_answer_nothing),
		CTRL_T(test_port_errors_stall),
		CTRL_T(test_port_refuses_out_data_stage),
		CTRL_T(test_zlp_and_status_arming),
		CTRL_T(test_reply_built_in_place),
		CTRL_T(test_answer_api_return_codes),
		CTRL_T(test_reply_copy_takes_what_was_asked),
		CTRL_T(test_reply_copy_outside_callback_is_state),
		CTRL_T(test_receive_then_error_never_calls_back),
		CTRL_T(test_reset_during_out_data_stage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
