/* SPDX-License-Identifier: MIT */
/*
 * The EP0 control engine (control.c): data stages both ways at every EP0 packet size, the ZLP
 * rule, refused OUT overflow, a SETUP overtaking a transfer, protocol stalls, SET_ADDRESS timing
 * and the ud_ctrl_* answer API. Control requests go to a mock function as vendor requests to the
 * device (0xc0 / 0x40), which the core offers to functions in every state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

#define V_IN 0xc0u
#define V_OUT 0x40u
#define REQ 0x42u

enum mode {
	M_REPLY,
	M_REPLY_COPY_STACK,
	M_RECEIVE,
	M_NOTSUP,
	M_ERROR,
	M_NONE,
	M_API,
	M_REPLY_COPY_LONG
};

static struct mock_fn fa;
static uint8_t pattern[1024];
static uint16_t reply_len;
static enum mode mode;

static uint8_t rxbuf[1024];
static unsigned rx_calls;
static int rx_status;
static uint16_t rx_len;
static int rx_ret;

/* M_API: the return codes seen inside the callback. */
static int api[16];
static unsigned napi;

static int rx_done(struct ud_function *fn, const struct ud_setup *s, uint8_t *buf, uint16_t len,
                   int status)
{
	assert_ptr_equal(fn, &fa.fn);
	assert_int_equal(s->bRequest, REQ);
	assert_ptr_equal(buf, rxbuf);
	rx_calls++;
	rx_status = status;
	rx_len = len;
	mock_logf("rx-done %d", status);
	return rx_ret;
}

static int api_calls(const struct ud_setup *s)
{
	static uint8_t small[4] = {1, 2, 3, 4};

	napi = 0;
	if (s->bmRequestType & UD_DIR_IN) {
		api[napi++] = ud_ctrl_reply(&mdev, NULL, 5);
		api[napi++] = ud_ctrl_receive(&mdev, rxbuf, sizeof(rxbuf), rx_done);
		api[napi++] = ud_ctrl_reply_copy(&mdev, pattern, UD_CTRL_BUF_SIZE + 1);
		api[napi++] = ud_ctrl_reply(NULL, small, 4);
		api[napi++] = ud_ctrl_reply(&mdev, small, 4);
		api[napi++] = ud_ctrl_reply(&mdev, small, 4);      /* answered already */
		api[napi++] = ud_ctrl_reply_copy(&mdev, small, 4); /* answered already */
		return 0;
	}
	api[napi++] = ud_ctrl_reply(&mdev, small, 4);
	api[napi++] = ud_ctrl_reply_copy(&mdev, small, 4);
	api[napi++] = ud_ctrl_receive(&mdev, NULL, 64, rx_done);
	api[napi++] = ud_ctrl_receive(&mdev, rxbuf, 64, NULL);
	api[napi++] = ud_ctrl_receive(NULL, rxbuf, 64, rx_done);
	api[napi++] = ud_ctrl_receive(&mdev, rxbuf, (uint16_t)(s->wLength - 1), rx_done);
	api[napi++] = ud_ctrl_receive(&mdev, rxbuf, s->wLength, rx_done);
	api[napi++] = ud_ctrl_receive(&mdev, rxbuf, s->wLength, rx_done); /* again */
	return 0;
}

static int control(struct mock_fn *m, const struct ud_setup *s)
{
	(void)m;
	if (s->bRequest != REQ)
		return UD_ERR_NOTSUP;
	switch (mode) {
	case M_REPLY:
		return ud_ctrl_reply(&mdev, pattern, reply_len);
	case M_REPLY_COPY_STACK: {
		uint8_t tmp[64];
		memcpy(tmp, pattern + 100, sizeof(tmp));
		int rc = ud_ctrl_reply_copy(&mdev, tmp, sizeof(tmp));
		memset(tmp, 0xee, sizeof(tmp));
		return rc;
	}
	case M_RECEIVE:
		if (ud_ctrl_receive(&mdev, rxbuf, sizeof(rxbuf), rx_done))
			fail_msg("ud_ctrl_receive refused");
		return 0;
	case M_NOTSUP:
		return UD_ERR_NOTSUP;
	case M_ERROR:
		return UD_ERR_INVAL;
	case M_NONE:
		return 0;
	case M_API:
		return api_calls(s);
	case M_REPLY_COPY_LONG: /* more than the buffer holds: only min(len, wLength) counts */
		return ud_ctrl_reply_copy(&mdev, pattern, 300);
	}
	return UD_ERR_NOTSUP;
}

static int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	fa.control = control;
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 3);
	memset(rxbuf, 0, sizeof(rxbuf));
	reply_len = 0;
	mode = M_REPLY;
	rx_calls = 0;
	rx_status = 1;
	rx_len = 0;
	rx_ret = 0;
	napi = 0;
	return 0;
}

/* A device with EP0 max packet mps, reset at speed. */
static void up(uint8_t mps, enum ud_speed speed)
{
	setup(NULL);
	mock_info.ep0_max_packet = mps;
	if (speed == UD_SPEED_HIGH)
		mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	mock_device_up(&fa, NULL);
	mock_bus_reset(speed);
	mock_run();
	assert_int_equal(mock.port.ep0_max_packet, mps);
	mock_clear_log();
}

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

	mode = M_API;
	struct mock_ctrl r;
	assert_int_equal(mock_ctrl(V_IN, REQ, 0, 0, 200, NULL, &r), MOCK_ACK);
	const int want_in[] = {UD_ERR_INVAL, UD_ERR_STATE, UD_ERR_NOSPACE, UD_ERR_INVAL, 0,
	                       UD_ERR_STATE, UD_ERR_STATE};
	assert_int_equal(napi, 7);
	for (unsigned i = 0; i < napi; i++)
		if (api[i] != want_in[i])
			fail_msg("IN call %u returned %d, expected %d", i, api[i], want_in[i]);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.data, "\x01\x02\x03\x04", 4);

	assert_int_equal(mock_ctrl(V_OUT, REQ, 0, 0, 10, pattern, &r), MOCK_ACK);
	const int want_out[] = {UD_ERR_STATE,
	                        UD_ERR_STATE,
	                        UD_ERR_INVAL,
	                        UD_ERR_INVAL,
	                        UD_ERR_INVAL,
	                        UD_ERR_NOSPACE,
	                        0,
	                        UD_ERR_STATE};
	assert_int_equal(napi, 8);
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
	const int want_none[] = {UD_ERR_STATE, UD_ERR_STATE, UD_ERR_INVAL, UD_ERR_INVAL,
	                         UD_ERR_INVAL, UD_ERR_STATE, UD_ERR_STATE, UD_ERR_STATE};
	assert_int_equal(napi, 8);
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
	fa.control = control;
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

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_in_data_stage_every_ep0_size),
		T(test_in_data_stage_high_speed),
		T(test_reply_copy_from_stack),
		T(test_host_ends_in_data_early),
		T(test_data_in_status_stage_refused),
		T(test_out_data_stage_every_ep0_size),
		T(test_out_longer_than_announced_refused),
		T(test_out_shorter_than_announced_refused),
		T(test_out_callback_refuses),
		T(test_setup_overtakes_out_data_stage),
		T(test_setup_overtakes_in_data_stage),
		T(test_setup_after_unread_completion),
		T(test_setup_after_unread_in_error),
		T(test_setup_after_unread_out_data),
		T(test_setup_after_unread_overflow),
		T(test_protocol_stall_and_recovery),
		T(test_answer_nothing),
		T(test_port_errors_stall),
		T(test_port_refuses_out_data_stage),
		T(test_zlp_and_status_arming),
		T(test_answer_api_return_codes),
		T(test_reply_copy_takes_what_was_asked),
		T(test_reply_copy_outside_callback_is_state),
		T(test_receive_then_error_never_calls_back),
		T(test_reset_during_out_data_stage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
