/* SPDX-License-Identifier: MIT */
/*
 * Cancel and flush of endpoint requests (endpoint.c), and the races of a transfer the port had
 * ended but not yet reported when the core cancels, halts or clears it: each request ends
 * exactly once, with the status it ended with (ud_req.h), and nothing restarts that the host
 * saw end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "endpoint_fixture.h"

static void test_cancel(void **state)
{
	(void)state;
	struct ud_req a, b, c, other;

	configured(UD_SPEED_FULL);
	mock_req_init(&a, 1, buf[0], 100);
	mock_req_init(&b, 2, buf[1], 100);
	mock_req_init(&c, 3, buf[2], 100);
	mock_req_init(&other, 4, buf[3], 100);
	assert_int_equal(mock_cancel(EP_IN, &a), UD_ERR_NOENT); /* never submitted */
	assert_int_equal(mock_submit(EP_IN, &a), 0);
	assert_int_equal(mock_submit(EP_IN, &b), 0);
	assert_int_equal(mock_submit(EP_IN, &c), 0);
	assert_int_equal(mock_submit(EP_OUT, &other), 0);
	assert_int_equal(mock_cancel(EP_IN, NULL), UD_ERR_INVAL);
	assert_int_equal(ud_ep_cancel(NULL, EP_IN, &a), UD_ERR_INVAL);
	assert_int_equal(mock_cancel(0x00, &a), UD_ERR_INVAL);
	assert_int_equal(mock_cancel(0x99, &a), UD_ERR_INVAL);
	assert_int_equal(mock_cancel(EP_IN, &other), UD_ERR_NOENT); /* queued elsewhere */

	/* Cancel the head in flight: aborted at the port, what moved is reported. */
	mock.ep[UD_EP_INDEX(EP_IN)].moved = 40;
	assert_int_equal(mock_cancel(EP_IN, &a), 0);
	assert_int_equal(mock_ndone, 0);
	assert_int_equal(mock_count(MOCK_EP_ABORT, EP_IN), 1);
	assert_ptr_equal(mock_last(MOCK_EP_XFER, EP_IN)->buf, buf[1]); /* b started */
	assert_int_equal(mock_cancel(EP_IN, &a), UD_ERR_NOENT);        /* ended, not yet reported */
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_ptr_equal(mock_done[0].req, &a);
	assert_int_equal(mock_done[0].status, UD_ERR_CANCELLED);
	assert_int_equal(mock_done[0].actual, 40);
	assert_int_equal(mock_cancel(EP_IN, &a), UD_ERR_NOENT); /* completed */

	/* b and c keep their place. */
	mock_xfer_done(EP_IN, 100, UD_OK);
	mock_run();
	assert_ptr_equal(mock_done[1].req, &b);
	assert_int_equal(mock_done[1].status, UD_OK);
	assert_int_equal(mock_cancel(EP_IN, &c), 0);
	mock_run();
	assert_ptr_equal(mock_done[2].req, &c);
	assert_int_equal(mock_done[2].status, UD_ERR_CANCELLED);
	assert_int_equal(mock_times_done(&a) + mock_times_done(&b) + mock_times_done(&c), 3);
	assert_true(mock_busy(EP_OUT));
}

/* ud_req.h: a cancelled request completes as soon as it is cancelled (on the next task pass,
 * not inside ud_ep_cancel), ahead of the request in flight; the others keep FIFO order. */
static void test_cancel_middle_completes_first(void **state)
{
	(void)state;
	struct ud_req a, b, c;

	configured(UD_SPEED_FULL);
	mock_req_init(&a, 1, buf[0], 64);
	mock_req_init(&b, 2, buf[1], 64);
	mock_req_init(&c, 3, buf[2], 64);
	assert_int_equal(mock_submit(EP_OUT, &a), 0);
	assert_int_equal(mock_submit(EP_OUT, &b), 0);
	assert_int_equal(mock_submit(EP_OUT, &c), 0);
	assert_int_equal(mock_cancel(EP_OUT, &b), 0);
	assert_int_equal(mock_ndone, 0); /* not inside the cancel */
	assert_int_equal(ud_ep_queued(&mdev, EP_OUT), 2);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_ptr_equal(mock_done[0].req, &b);
	assert_int_equal(mock_done[0].status, UD_ERR_CANCELLED);
	assert_int_equal(mock_done[0].actual, 0);
	mock_out_data(EP_OUT, "x", 1);
	mock_run();
	mock_out_data(EP_OUT, "y", 1);
	mock_run();
	assert_int_equal(mock_ndone, 3);
	assert_ptr_equal(mock_done[1].req, &a);
	assert_int_equal(mock_done[1].status, UD_OK);
	assert_ptr_equal(mock_done[2].req, &c);
	assert_int_equal(mock_done[2].status, UD_OK);
}

/* ud_task() runs a reported completion at once, but not ahead of requests that ended before
 * it: the head in flight is cancelled (its completion waits for the next pass), the next
 * request starts and the port reports it done before that pass. */
static void test_reported_completion_waits_behind_ended(void **state)
{
	(void)state;
	struct ud_req a, b;

	two_out_requests(&a, &b);
	assert_int_equal(mock_cancel(EP_OUT, &a), 0);
	assert_true(mock_busy(EP_OUT)); /* b started */
	mock_out_data(EP_OUT, "z", 1);
	mock_run();
	assert_int_equal(mock_ndone, 2);
	assert_ptr_equal(mock_done[0].req, &a);
	assert_int_equal(mock_done[0].status, UD_ERR_CANCELLED);
	assert_ptr_equal(mock_done[1].req, &b);
	assert_int_equal(mock_done[1].status, UD_OK);
	assert_int_equal(mock_done[1].actual, 1);
}

/* The port reported the transfer done, the task has not seen it, the class cancels: the data
 * moved, so the request reports UD_OK with the real length. */
static void test_cancel_races_finished_transfer(void **state)
{
	(void)state;
	struct ud_req a, b;

	two_out_requests(&a, &b);
	mock_out_data(EP_OUT, "12345678901", 11);
	assert_int_equal(mock_cancel(EP_OUT, &a), 0);
	assert_true(mock_busy(EP_OUT)); /* b started */
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, 11);
	assert_int_equal(mdev.port_errors, 0);
	/* The same race through ud_ep_flush. */
	mock_out_data(EP_OUT, "123", 3);
	assert_int_equal(mock_flush(EP_OUT), 1);
	mock_run();
	assert_int_equal(mock_ndone, 2);
	assert_ptr_equal(mock_done[1].req, &b);
	assert_int_equal(mock_done[1].status, UD_OK);
	assert_int_equal(mock_done[1].actual, 3);
	assert_int_equal(mdev.port_errors, 0);
}

/* A ZLP-flagged IN transfer that fails: it ends with the error, no ZLP is sent after it. */
static void test_zlp_after_failed_transfer(void **state)
{
	(void)state;
	struct ud_req a;
	unsigned starts = submitted_64(EP_IN, &a, UD_REQ_ZLP);
	mock_xfer_done(EP_IN, 10, UD_ERR_IO);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_ERR_IO);
	assert_int_equal(mock_done[0].actual, 10);
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_IN), starts);
}

/* Cancelling a request whose data went out but whose ZLP was not sent yet: the ZLP is dropped,
 * so the host never saw the transfer end: UD_ERR_CANCELLED, not UD_OK (ud_req.h). */
static void test_cancel_drops_owed_zlp(void **state)
{
	(void)state;
	struct ud_req a;
	unsigned starts = submitted_64(EP_IN, &a, UD_REQ_ZLP);
	mock_xfer_done(EP_IN, 64, UD_OK); /* reported, not yet taken by the task */
	assert_int_equal(mock_cancel(EP_IN, &a), 0);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_ERR_CANCELLED);
	assert_int_equal(mock_done[0].actual, 64);
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_IN), starts); /* no ZLP started */
	assert_int_equal(mdev.port_errors, 0);
}

/* Cancelling a request whose transfer the port had reported failed, the report not taken yet:
 * it ends with the port's error, not UD_ERR_CANCELLED (ud_req.h: as it ended). */
static void test_cancel_after_unread_failure_keeps_error(void **state)
{
	(void)state;
	struct ud_req a;
	(void)submitted_64(EP_IN, &a, 0);
	mock_xfer_done(EP_IN, 10, UD_ERR_IO); /* reported, not yet taken by the task */
	assert_int_equal(mock_cancel(EP_IN, &a), 0);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_ERR_IO);
	assert_int_equal(mock_done[0].actual, 10);
	assert_int_equal(mdev.port_errors, 0);
}

/* A request that ended but whose completion has not run yet still belongs to the core: it cannot
 * be submitted again until then (ud_req.h). */
static void test_submit_before_completion_ran(void **state)
{
	(void)state;
	struct ud_req a;
	configured(UD_SPEED_FULL);
	mock_req_init(&a, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_IN, &a), 0);
	assert_int_equal(mock_cancel(EP_IN, &a), 0); /* ended; its completion waits for ud_task() */
	assert_int_equal(mock_submit(EP_IN, &a), UD_ERR_BUSY);
	assert_int_equal(mock_submit(EP_OUT, &a), UD_ERR_BUSY);
	assert_int_equal(mock_cancel(EP_IN, &a), UD_ERR_NOENT);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_ERR_CANCELLED);
	assert_int_equal(mock_submit(EP_IN, &a), 0);
}

/* Cancelling a request whose owed ZLP had gone out too, its interrupt not handled yet: the host
 * saw the whole transfer, so it completes as it ended, UD_OK (ud_req.h). */
static void test_cancel_after_unreported_zlp_is_ok(void **state)
{
	(void)state;
	struct ud_req a;
	unsigned starts = submitted_64(EP_IN, &a, UD_REQ_ZLP);
	mock_xfer_done(EP_IN, 64, UD_OK);
	mock_run();
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_IN), starts + 1); /* the ZLP */
	assert_int_equal(mock_ndone, 0);
	ended_unreported(EP_IN, 0);
	assert_int_equal(mock_cancel(EP_IN, &a), 0);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, 64);
	assert_int_equal(mdev.port_errors, 0);
	/* Submitted again, it is a new transfer: its data, then its own ZLP. */
	assert_int_equal(mock_submit(EP_IN, &a), 0);
	assert_int_equal(mock_last(MOCK_EP_XFER, EP_IN)->len, 64);
	mock_xfer_done(EP_IN, 64, UD_OK);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_last(MOCK_EP_XFER, EP_IN)->len, 0);
	mock_xfer_done(EP_IN, 0, UD_OK);
	mock_run();
	assert_int_equal(mock_ndone, 2);
	assert_int_equal(mock_done[1].status, UD_OK);
	assert_int_equal(mock_done[1].actual, 64);
}

/* A transfer that had ended, its interrupt not handled yet, when the host clears a halt on the
 * (not halted) endpoint: the port reports it from ep_abort (ud_port.h), and the core ends the
 * request as it ended. Without that report, IN would restart "the rest" (a spurious ZLP) and
 * OUT would run the host's next message into the same request. */
static void test_clear_halt_after_unreported_in_completion_sends_no_zlp(void **state)
{
	(void)state;
	struct ud_req a;
	unsigned starts = submitted_64(EP_IN, &a, 0); /* no UD_REQ_ZLP: none is owed */
	ended_unreported(EP_IN, 64);                  /* the whole transfer went out */
	assert_int_equal(ud_ep_clear_halt(&mdev, EP_IN), 0);
	mock_run();
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_IN), starts); /* no ZLP */
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_OK);
	assert_int_equal(mock_done[0].actual, 64);
	assert_int_equal(mdev.port_errors, 0);
}

static void test_clear_halt_after_unreported_short_out_keeps_framing(void **state)
{
	(void)state;
	struct ud_req a, b;

	two_out_requests(&a, &b);
	memcpy(buf[0], "0123456789", 10); /* the port stored a short packet: the end */
	ended_unreported(EP_OUT, 10);
	assert_int_equal(ud_ep_clear_halt(&mdev, EP_OUT), 0);
	mock_run();
	assert_true(mock_busy(EP_OUT)); /* b is at the port, for the host's next message */
	mock_out_data(EP_OUT, "abcdef", 6);
	mock_run();
	assert_int_equal(mock_ndone, 2);
	assert_ptr_equal(mock_done[0].req, &a);
	assert_int_equal(mock_done[0].actual, 10);
	assert_ptr_equal(mock_done[1].req, &b);
	assert_int_equal(mock_done[1].actual, 6);
}

/* The same through a cancel: ud_req.h says it completes as it ended, UD_OK. */
static void test_cancel_after_unreported_in_completion_is_ok(void **state)
{
	(void)state;
	struct ud_req a;
	(void)submitted_64(EP_IN, &a, 0);
	ended_unreported(EP_IN, 64);
	assert_int_equal(mock_cancel(EP_IN, &a), 0);
	mock_run();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].actual, 64);
	assert_int_equal(mock_done[0].status, UD_OK);
}

static void test_flush(void **state)
{
	(void)state;
	struct ud_req r[5];

	configured(UD_SPEED_FULL);
	assert_int_equal(mock_flush(EP_IN), 0);
	assert_int_equal(mock_flush(0x00), UD_ERR_INVAL);
	assert_int_equal(mock_flush(0x0f), UD_ERR_INVAL);
	assert_int_equal(ud_ep_flush(NULL, EP_IN), UD_ERR_INVAL);
	for (unsigned i = 0; i < 5; i++) {
		mock_req_init(&r[i], i, buf[i], 64);
		assert_int_equal(mock_submit(EP_IN, &r[i]), 0);
	}
	assert_int_equal(mock_flush(EP_IN), 5);
	assert_int_equal(mock_ndone, 0);
	assert_false(mock_busy(EP_IN));
	assert_int_equal(ud_ep_queued(&mdev, EP_IN), 0);
	mock_run();
	assert_int_equal(mock_ndone, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_ptr_equal(mock_done[i].req, &r[i]);
		assert_int_equal(mock_done[i].status, UD_ERR_CANCELLED);
	}
	/* The endpoint still works. */
	assert_int_equal(mock_submit(EP_IN, &r[0]), 0);
	mock_xfer_done(EP_IN, 64, UD_OK);
	mock_run();
	assert_int_equal(mock_done[5].status, UD_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		EP_T(test_cancel),
		EP_T(test_cancel_middle_completes_first),
		EP_T(test_reported_completion_waits_behind_ended),
		EP_T(test_cancel_races_finished_transfer),
		EP_T(test_zlp_after_failed_transfer),
		EP_T(test_cancel_drops_owed_zlp),
		EP_T(test_cancel_after_unread_failure_keeps_error),
		EP_T(test_submit_before_completion_ran),
		EP_T(test_cancel_after_unreported_zlp_is_ok),
		EP_T(test_clear_halt_after_unreported_in_completion_sends_no_zlp),
		EP_T(test_clear_halt_after_unreported_short_out_keeps_framing),
		EP_T(test_cancel_after_unreported_in_completion_is_ok),
		EP_T(test_flush),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
