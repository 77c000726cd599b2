/* SPDX-License-Identifier: MIT */
/*
 * Endpoint request queues (endpoint.c) and the ownership rule of ud_req.h: submit returns 0 ->
 * exactly one completion, later, never inside submit/cancel/flush; an error -> none; FIFO per
 * endpoint; one transfer at the port per endpoint (checked by the mock); ZLPs; halt. Cancel,
 * flush and the races of unreported completions: test_endpoint_cancel.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "endpoint_fixture.h"

/* ---- submit errors ---- */

static void test_submit_errors(void **state)
{
	(void)state;
	struct ud_req r, nocb, nobuf, zero;

	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	mock_req_init(&r, 1, buf[0], 64);
	/* Endpoint closed: not configured yet. */
	assert_int_equal(mock_submit(EP_OUT, &r), UD_ERR_STATE);
	assert_int_equal(mock_submit(EP_IN, &r), UD_ERR_STATE);

	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(ud_ep_submit(NULL, EP_IN, &r), UD_ERR_INVAL);
	assert_int_equal(mock_submit(EP_IN, NULL), UD_ERR_INVAL);
	mock_req_init(&nocb, 2, buf[1], 64);
	nocb.complete = NULL;
	assert_int_equal(mock_submit(EP_IN, &nocb), UD_ERR_INVAL);
	mock_req_init(&nobuf, 3, NULL, 8);
	assert_int_equal(mock_submit(EP_IN, &nobuf), UD_ERR_INVAL);
	assert_int_equal(mock_submit(0x00, &r), UD_ERR_INVAL);
	assert_int_equal(mock_submit(0x80, &r), UD_ERR_INVAL);
	assert_int_equal(mock_submit(0x11, &r), UD_ERR_INVAL); /* reserved address bits */
	assert_int_equal(mock_submit(0x88, &r), UD_ERR_INVAL); /* past UD_MAX_EP_NUM */
	assert_int_equal(mock_submit(0x8f, &r), UD_ERR_INVAL);
	/* Allocated for alt 1 only, or never: closed. */
	assert_int_equal(mock_submit(EP_INT, &r), UD_ERR_STATE);
	assert_int_equal(mock_submit(0x05, &r), UD_ERR_STATE);
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_IN) + mock_count(MOCK_EP_XFER, EP_OUT), 0);

	/* A queued request cannot be submitted again, anywhere. */
	assert_int_equal(mock_submit(EP_IN, &r), 0);
	assert_int_equal(mock_submit(EP_IN, &r), UD_ERR_BUSY);
	assert_int_equal(mock_submit(EP_OUT, &r), UD_ERR_BUSY);
	/* A zero-length request needs no buffer. */
	mock_req_init(&zero, 4, NULL, 0);
	assert_int_equal(mock_submit(EP_OUT, &zero), 0);
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_IN), 1);

	mock_run();
	assert_int_equal(mock_ndone, 0);
	mock_xfer_done(EP_IN, 64, UD_OK);
	mock_xfer_done(EP_OUT, 0, UD_OK);
	mock_run();
	assert_int_equal(mock_ndone, 2);
	assert_int_equal(mock_times_done(&r), 1);
	assert_int_equal(mock_times_done(&zero), 1);
	assert_int_equal(mock_times_done(&nocb) + mock_times_done(&nobuf), 0);
	/* Its completion has run: it may be submitted again. */
	assert_int_equal(mock_submit(EP_IN, &r), 0);
}

/* ---- completion timing and FIFO ---- */

static void test_fifo_one_at_the_port(void **state)
{
	(void)state;
	struct ud_req r[4];

	configured(UD_SPEED_FULL);
	for (unsigned i = 0; i < 4; i++) {
		mock_req_init(&r[i], i, buf[i], 10 + i);
		assert_int_equal(mock_submit(EP_IN, &r[i]), 0);
	}
	assert_int_equal(ud_ep_queued(&mdev, EP_IN), 4);
	assert_int_equal(mock_ndone, 0);
	for (unsigned i = 0; i < 4; i++) {
		/* Exactly the head is at the port (the mock fails a second ep_xfer). */
		assert_int_equal(mock.ep[UD_EP_INDEX(EP_IN)].xfers, i + 1);
		const struct mock_call *c = mock_last(MOCK_EP_XFER, EP_IN);
		assert_ptr_equal(c->buf, buf[i]);
		assert_int_equal(c->len, 10 + i);
		mock_run();
		assert_int_equal(mock_ndone, i);
		mock_xfer_done(EP_IN, 10 + i, UD_OK);
		assert_int_equal(mock_ndone, i); /* not before ud_task */
		mock_run();
		assert_int_equal(mock_ndone, i + 1);
		assert_ptr_equal(mock_done[i].req, &r[i]);
		assert_int_equal(mock_done[i].status, UD_OK);
		assert_int_equal(mock_done[i].actual, 10 + i);
	}
	assert_int_equal(ud_ep_queued(&mdev, EP_IN), 0);
	assert_false(mock_busy(EP_IN));
}

static void test_resubmit_from_completion(void **state)
{
	(void)state;
	struct ud_req r;

	configured(UD_SPEED_FULL);
	mock_req_init(&r, 1, buf[0], 64);
	r.complete = on_done_resubmit;
	resubmits = 3;
	assert_int_equal(mock_submit(EP_OUT, &r), 0);
	for (unsigned i = 0; i < 4; i++) {
		mock_out_data(EP_OUT, "abcd", 4);
		mock_run();
		assert_int_equal(mock_ndone, i + 1);
		assert_int_equal(mock_done[i].actual, 4);
		assert_int_equal(resubmit_rc, 0);
	}
	assert_int_equal(mock.ep[UD_EP_INDEX(EP_OUT)].xfers, 4);
	assert_false(mock_busy(EP_OUT));
	assert_int_equal(ud_ep_queued(&mdev, EP_OUT), 0);
}

static void test_out_short_packet_and_overflow(void **state)
{
	(void)state;
	struct ud_req a, b;

	configured(UD_SPEED_FULL);
	mock_req_init(&a, 1, buf[0], 200);
	mock_req_init(&b, 2, buf[1], 64);
	assert_int_equal(mock_submit(EP_OUT, &a), 0);
	assert_int_equal(mock_submit(EP_OUT, &b), 0);
	mock_out_data(EP_OUT, "short", 5);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, 5);
	assert_memory_equal(buf[0], "short", 5);
	/* The port reports an overflow: the request says so, nothing is written past it. */
	uint8_t big[70];
	memset(big, 0x5a, sizeof(big));
	buf[1][64] = 0;
	mock_out_data(EP_OUT, big, sizeof(big));
	mock_run();
	assert_int_equal(mock_ndone, 2);
	assert_int_equal(mock_done[1].status, UD_ERR_OVERFLOW);
	assert_int_equal(mock_done[1].actual, 64);
	assert_int_equal(buf[1][64], 0);
}

/* ---- ZLP ---- */

static void zlp_case(enum ud_speed speed, uint8_t ep, uint32_t len, bool flag, bool want_zlp)
{
	struct ud_req r;

	mock_req_init(&r, 7, buf[0], len);
	if (!len)
		r.buf = NULL;
	r.flags = flag ? UD_REQ_ZLP : 0;
	unsigned before = mock_count(MOCK_EP_XFER, ep);
	mock_ndone = 0;
	assert_int_equal(mock_submit(ep, &r), 0);
	assert_int_equal(mock_last(MOCK_EP_XFER, ep)->len, len);
	if (UD_EP_IS_IN(ep))
		mock_xfer_done(ep, len, UD_OK);
	else
		mock_out_data(ep, buf[1], len);
	mock_run();
	if (want_zlp) {
		assert_int_equal(mock_ndone, 0); /* not before the ZLP went out */
		assert_int_equal(mock_count(MOCK_EP_XFER, ep), before + 2);
		assert_int_equal(mock_last(MOCK_EP_XFER, ep)->len, 0);
		mock_xfer_done(ep, 0, UD_OK);
		mock_run();
	}
	assert_int_equal(mock_count(MOCK_EP_XFER, ep), before + (want_zlp ? 2 : 1));
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, len);
	(void)speed;
}

static void test_zlp_full_speed(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	assert_int_equal(ud_ep_max_packet(&mdev, EP_IN), 64);
	zlp_case(UD_SPEED_FULL, EP_IN, 128, true, true);
	zlp_case(UD_SPEED_FULL, EP_IN, 64, true, true);
	zlp_case(UD_SPEED_FULL, EP_IN, 128, false, false);
	zlp_case(UD_SPEED_FULL, EP_IN, 100, true, false);
	zlp_case(UD_SPEED_FULL, EP_IN, 0, true, false);    /* a ZLP already */
	zlp_case(UD_SPEED_FULL, EP_OUT, 128, true, false); /* ignored on OUT */
}

static void test_zlp_high_speed(void **state)
{
	(void)state;
	configured(UD_SPEED_HIGH);
	assert_int_equal(ud_ep_max_packet(&mdev, EP_IN), 512);
	zlp_case(UD_SPEED_HIGH, EP_IN, 512, true, true);
	zlp_case(UD_SPEED_HIGH, EP_IN, 128, true, false); /* aligned at 64, not at 512 */
}

/* An interrupt endpoint of 24 bytes (not a power of two, so the core's remainder takes its
 * shift-and-subtract path): multiples of 24 end on a packet boundary, others do not. */
static int bind_int24(struct mock_fn *m, struct ud_device *dev)
{
	int rc = ud_desc_function_begin(dev, 0xff, 0, 0, 0);
	if (rc == 0)
		rc = m->intf[0] = ud_desc_alloc_interface(dev);
	if (rc >= 0)
		rc = m->ep_in[0] = ud_desc_alloc_endpoint(dev, true);
	if (rc >= 0)
		rc = ud_desc_add_interface(dev, (uint8_t)m->intf[0], 0, 1, 0xff, 0, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[0], UD_EP_INTERRUPT, 24, 24, 1, 1);
	return rc ? rc : ud_desc_function_end(dev);
}

static void test_zlp_odd_packet_size(void **state)
{
	(void)state;
	mock_fn_init(&fa, 'A', bind_int24);
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	uint8_t ep = (uint8_t)fa.ep_in[0];
	assert_int_equal(ud_ep_max_packet(&mdev, ep), 24);
	zlp_case(UD_SPEED_FULL, ep, 48, true, true);
	zlp_case(UD_SPEED_FULL, ep, 72, true, true);
	zlp_case(UD_SPEED_FULL, ep, 24, true, true);
	zlp_case(UD_SPEED_FULL, ep, 50, true, false);
	zlp_case(UD_SPEED_FULL, ep, 16, true, false);
	zlp_case(UD_SPEED_FULL, ep, 480, true, true);
	zlp_case(UD_SPEED_FULL, ep, 481, true, false);
}

/* ---- port failure ---- */

static void test_port_xfer_failure_is_io(void **state)
{
	(void)state;
	struct ud_req a, b, c;

	configured(UD_SPEED_FULL);
	mock_req_init(&a, 1, buf[0], 10);
	mock_req_init(&b, 2, buf[1], 20);
	mock_req_init(&c, 3, buf[2], 30);
	mock.fail_xfer_ep = EP_IN;
	mock.fail_xfer_n = 1;
	assert_int_equal(mock_submit(EP_IN, &a), 0); /* accepted: the failure is the request's */
	assert_int_equal(mock_ndone, 0);
	assert_int_equal(mock_submit(EP_IN, &b), 0);
	assert_int_equal(mock_last(MOCK_EP_XFER, EP_IN)->len, 20);
	assert_true(mock_busy(EP_IN));
	assert_int_equal(mock_submit(EP_IN, &c), 0);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_ptr_equal(mock_done[0].req, &a);
	assert_int_equal(mock_done[0].status, UD_ERR_IO);
	/* The next transfer the port refuses also ends with IO; the queue goes on. */
	mock.fail_xfer_n = 1;
	mock_xfer_done(EP_IN, 20, UD_OK);
	mock_run();
	assert_int_equal(mock_ndone, 3);
	assert_ptr_equal(mock_done[1].req, &b);
	assert_int_equal(mock_done[1].status, UD_OK);
	assert_ptr_equal(mock_done[2].req, &c);
	assert_int_equal(mock_done[2].status, UD_ERR_IO);
	/* A transfer error reported by the port. */
	assert_int_equal(mock_submit(EP_IN, &a), 0);
	mock_xfer_done(EP_IN, 3, UD_ERR_IO);
	mock_run();
	assert_int_equal(mock_ndone, 4);
	assert_int_equal(mock_done[3].status, UD_ERR_IO);
}

/* ---- halt ---- */

static void test_halt_by_class_pauses_and_resumes(void **state)
{
	(void)state;
	struct ud_req a, b;

	configured(UD_SPEED_FULL);
	assert_int_equal(ud_ep_set_halt(&mdev, 0x00), UD_ERR_INVAL);
	assert_int_equal(ud_ep_set_halt(&mdev, 0x80), UD_ERR_INVAL);
	assert_int_equal(ud_ep_set_halt(&mdev, 0x19), UD_ERR_INVAL);
	assert_int_equal(ud_ep_set_halt(&mdev, EP_INT), UD_ERR_STATE);
	assert_int_equal(ud_ep_clear_halt(&mdev, 0x00), UD_ERR_INVAL);
	assert_int_equal(ud_ep_clear_halt(&mdev, EP_INT), UD_ERR_STATE);

	mock_req_init(&a, 1, buf[0], 100);
	mock_req_init(&b, 2, buf[1], 30);
	assert_int_equal(mock_submit(EP_IN, &a), 0);
	mock.ep[UD_EP_INDEX(EP_IN)].moved = 40;
	assert_int_equal(ud_ep_set_halt(&mdev, EP_IN), 0);
	assert_true(ud_ep_is_halted(&mdev, EP_IN));
	assert_int_equal(mock_count(MOCK_EP_ABORT, EP_IN), 1);
	assert_true(mock_stalled(EP_IN));
	assert_true(mock_index(MOCK_EP_ABORT, EP_IN) < mock_index(MOCK_EP_STALL, EP_IN));
	/* Queued while halted: nothing starts. */
	assert_int_equal(mock_submit(EP_IN, &b), 0);
	mock_run();
	assert_int_equal(mock_ndone, 0);
	assert_false(mock_busy(EP_IN));
	assert_int_equal(ud_ep_queued(&mdev, EP_IN), 2);

	assert_int_equal(ud_ep_clear_halt(&mdev, EP_IN), 0);
	assert_false(ud_ep_is_halted(&mdev, EP_IN));
	const struct mock_call *st = mock_last(MOCK_EP_STALL, EP_IN);
	assert_false(st->flag);
	const struct mock_call *x = mock_last(MOCK_EP_XFER, EP_IN);
	assert_ptr_equal(x->buf, buf[0] + 40); /* the remainder */
	assert_int_equal(x->len, 60);
	mock_xfer_done(EP_IN, 60, UD_OK);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, 100);
	assert_int_equal(mock_last(MOCK_EP_XFER, EP_IN)->len, 30);
}

/* Halting an endpoint whose transfer the port already reported: it completes with its data. */
static void test_halt_after_finished_transfer(void **state)
{
	(void)state;
	struct ud_req a;

	configured(UD_SPEED_FULL);
	mock_req_init(&a, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_OUT, &a), 0);
	mock_out_data(EP_OUT, "abc", 3);
	assert_int_equal(ud_ep_set_halt(&mdev, EP_OUT), 0);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, 3);
	assert_int_equal(mdev.port_errors, 0);
}

/* Halting an endpoint whose transfer the port already reported as failed: the request ends with
 * that status and its data, exactly as if the task had seen the report first; it is not
 * restarted once the halt is cleared. */
static void test_halt_after_failed_transfer(void **state)
{
	(void)state;
	static const int failures[] = {UD_ERR_IO, UD_ERR_OVERFLOW};

	for (unsigned i = 0; i < 2; i++) {
		struct ud_req a;
		configured(UD_SPEED_FULL);
		mock_req_init(&a, 1, buf[0], 64);
		assert_int_equal(mock_submit(EP_OUT, &a), 0);
		unsigned starts = mock_count(MOCK_EP_XFER, EP_OUT);
		mock_xfer_done(EP_OUT, 3, failures[i]);
		assert_int_equal(ud_ep_set_halt(&mdev, EP_OUT), 0);
		assert_int_equal(ud_ep_clear_halt(&mdev, EP_OUT), 0);
		mock_run();
		assert_int_equal(mock_ndone, 1);
		assert_int_equal(mock_done[0].status, failures[i]);
		assert_int_equal(mock_done[0].actual, 3);
		assert_int_equal(mock_count(MOCK_EP_XFER, EP_OUT), starts); /* not restarted */
		assert_int_equal(mdev.port_errors, 0);
		assert_int_equal(mock_teardown(NULL), 0); /* no port contract violation */
		mock_setup_test(NULL);
	}
}

/* Closing an endpoint whose transfer the port already reported (here by ud_device_stop(), which
 * runs outside ud_task()): that request ends UD_OK with its data, the rest UD_ERR_SHUTDOWN. */
static void test_close_after_finished_transfer(void **state)
{
	(void)state;
	struct ud_req a, b;

	two_out_requests(&a, &b);
	mock_out_data(EP_OUT, "abc", 3);
	ud_device_stop(&mdev);
	assert_int_equal(mock_ndone, 2);
	assert_ptr_equal(mock_done[0].req, &a);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, 3);
	assert_ptr_equal(mock_done[1].req, &b);
	assert_int_equal(mock_done[1].status, UD_ERR_SHUTDOWN);
	assert_int_equal(mdev.port_errors, 0);
}

static void test_clear_halt_resets_toggle_when_not_halted(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	assert_false(ud_ep_is_halted(&mdev, EP_OUT));
	assert_int_equal(ud_ep_clear_halt(&mdev, EP_OUT), 0);
	const struct mock_call *c = mock_last(MOCK_EP_STALL, EP_OUT);
	assert_non_null(c);
	assert_false(c->flag);
}

/* Clear-halt on an endpoint that is not halted but has a transfer in flight: the toggle must be
 * reset, and the port contract says ep_stall() is called only while no transfer is in flight
 * (the mock counts a violation otherwise). The request must still complete once, whole. */
static void test_clear_halt_with_transfer_in_flight(void **state)
{
	(void)state;
	struct ud_req a;

	configured(UD_SPEED_FULL);
	mock_req_init(&a, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_OUT, &a), 0);
	assert_int_equal(ud_ep_clear_halt(&mdev, EP_OUT), 0);
	assert_non_null(mock_last(MOCK_EP_STALL, EP_OUT));
	assert_false(mock_last(MOCK_EP_STALL, EP_OUT)->flag);
	assert_true(mock_busy(EP_OUT)); /* still (or again) receiving */
	mock_out_data(EP_OUT, "z", 1);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, 1);
}

static void test_queries(void **state)
{
	(void)state;
	configured(UD_SPEED_HIGH);
	assert_true(ud_ep_is_open(&mdev, EP_IN));
	assert_true(ud_ep_is_open(&mdev, EP_OUT));
	assert_false(ud_ep_is_open(&mdev, EP_INT));
	assert_false(ud_ep_is_open(&mdev, 0x00));
	assert_int_equal(ud_ep_max_packet(&mdev, EP_OUT), 512);
	assert_int_equal(ud_ep_max_packet(&mdev, EP_INT), 0);
	assert_int_equal(ud_ep_queued(&mdev, EP_INT), 0);
	assert_false(ud_ep_is_halted(&mdev, EP_INT));
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL), MOCK_ACK);
	const struct mock_call *c = mock_last(MOCK_EP_OPEN, EP_IN);
	assert_non_null(c);
	assert_int_equal(c->cfg.max_packet, 512);
	assert_int_equal(c->cfg.type, UD_EP_BULK);
	assert_int_equal(c->cfg.interval, 0);
}

#define T(f) EP_T(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_submit_errors),
		T(test_fifo_one_at_the_port),
		T(test_resubmit_from_completion),
		T(test_out_short_packet_and_overflow),
		T(test_zlp_full_speed),
		T(test_zlp_odd_packet_size),
		T(test_zlp_high_speed),
		T(test_port_xfer_failure_is_io),
		T(test_halt_by_class_pauses_and_resumes),
		T(test_halt_after_finished_transfer),
		T(test_halt_after_failed_transfer),
		T(test_close_after_finished_transfer),
		T(test_clear_halt_resets_toggle_when_not_halted),
		T(test_clear_halt_with_transfer_in_flight),
		T(test_queries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
