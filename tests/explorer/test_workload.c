/* SPDX-License-Identifier: MIT */
/* The host workload's bookkeeping (sim/workload.c): what the host writes next, and which
 * answers it accepts. Each check that rejects data has a test that feeds it bad data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "scheduler.h"
#include "workload.h"
#include "xdev.h"

static struct ud_work_plan plan;
static struct ud_work work;
static char msg[200];

/* Three echoed units: 5 bytes, one full packet (needs a ZLP), 0 bytes (one ZLP). */
static void framed_plan(void)
{
	memset(&plan, 0, sizeof(plan));
	plan.ep_out = 1;
	plan.ep_in = 1;
	plan.n = 3;
	ud_xdev_echo_unit(&plan, 0, 5);
	ud_xdev_echo_unit(&plan, 1, 64);
	ud_xdev_echo_unit(&plan, 2, 0);
	plan.resync = 1u << UD_FAULT_RESET;
	ud_work_init(&work);
}

/* Write the next packet and have it acknowledged. @return its length. */
static uint16_t write_one(void)
{
	uint8_t pkt[64];
	uint16_t len;

	assert_true(ud_work_out_next(&work, &plan, 64, pkt, sizeof(pkt), &len));
	ud_work_out_acked(&work, &plan, 64);
	return len;
}

static void test_framed_writes_zlps(void **state)
{
	(void)state;
	framed_plan();
	assert_int_equal(write_one(), 5);
	assert_int_equal(write_one(), 64);
	assert_int_equal(work.next, 1); /* its ZLP is due */
	assert_int_equal(write_one(), 0);
	assert_int_equal(write_one(), 0); /* unit 2: one zero-length packet */
	assert_int_equal(work.next, 3);
	uint8_t pkt[64];
	uint16_t len;
	assert_false(ud_work_out_next(&work, &plan, 64, pkt, sizeof(pkt), &len));
}

static void test_framed_answers_in_order(void **state)
{
	(void)state;
	framed_plan();
	write_one();
	write_one();
	write_one();
	write_one();
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[0].in, 5, msg, sizeof(msg)));
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[1].in, 64, msg, sizeof(msg)));
	assert_int_equal(work.in_zlp, 1);
	assert_false(ud_work_done(&work, &plan));
	assert_true(ud_work_in(&work, &plan, 64, NULL, 0, msg, sizeof(msg)));
	assert_true(ud_work_in(&work, &plan, 64, NULL, 0, msg, sizeof(msg)));
	assert_true(ud_work_done(&work, &plan));
}

static void test_framed_rejects_wrong_data(void **state)
{
	uint8_t bad[5];

	(void)state;
	framed_plan();
	write_one();
	memcpy(bad, plan.unit[0].in, 5);
	bad[3] ^= 1;
	assert_false(ud_work_in(&work, &plan, 64, bad, 5, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "differ"));
}

static void test_framed_rejects_reorder_and_extra(void **state)
{
	(void)state;
	framed_plan();
	/* Nothing written yet: any data is unexpected. */
	assert_false(ud_work_in(&work, &plan, 64, plan.unit[0].in, 5, msg, sizeof(msg)));
	write_one();
	write_one();
	write_one();
	/* Unit 1's answer before unit 0's. */
	assert_false(ud_work_in(&work, &plan, 64, plan.unit[1].in, 64, msg, sizeof(msg)));
	/* A short answer: unit 0 ended early. */
	framed_plan();
	write_one();
	assert_false(ud_work_in(&work, &plan, 64, plan.unit[0].in, 4, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "ended after 4 of 5"));
	/* Data where a ZLP is due. */
	framed_plan();
	write_one();
	write_one();
	write_one();
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[0].in, 5, msg, sizeof(msg)));
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[1].in, 64, msg, sizeof(msg)));
	assert_false(ud_work_in(&work, &plan, 64, plan.unit[1].in, 1, msg, sizeof(msg)));
}

static void test_window_limits_new_units(void **state)
{
	uint8_t pkt[64];
	uint16_t len;

	(void)state;
	framed_plan();
	plan.window = 1;
	write_one();
	/* Unit 0 is unanswered: unit 1 may not start. */
	assert_false(ud_work_out_next(&work, &plan, 64, pkt, sizeof(pkt), &len));
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[0].in, 5, msg, sizeof(msg)));
	assert_true(ud_work_out_next(&work, &plan, 64, pkt, sizeof(pkt), &len));
}

static void test_fault_ends_epoch(void **state)
{
	(void)state;
	framed_plan();
	write_one(); /* unit 0 written */
	write_one(); /* unit 1 written, ZLP due: abandoned by the fault */
	ud_work_fault(&work, &plan, UD_FAULT_CLEAR_HALT); /* not in resync: nothing happens */
	assert_int_equal(work.first, 0);
	ud_work_fault(&work, &plan, UD_FAULT_RESET);
	assert_int_equal(work.first, 2);
	assert_int_equal(work.next, 2);
	assert_int_equal(work.lost, 2);
	/* A stale answer of unit 0 is now a violation. */
	write_one();
	assert_false(ud_work_in(&work, &plan, 64, plan.unit[0].in, 5, msg, sizeof(msg)));
}

static void test_stream_and_report(void **state)
{
	uint8_t rep[64];

	(void)state;
	framed_plan();
	plan.in_mode = plan.out_mode = UD_WORK_STREAM;
	ud_xdev_echo_unit(&plan, 2, 3);
	write_one(); /* 5 bytes */
	/* The echo may come in pieces, never ahead of what was written. */
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[0].in, 2, msg, sizeof(msg)));
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[0].in + 2, 3, msg, sizeof(msg)));
	assert_false(ud_work_in(&work, &plan, 64, plan.unit[1].in, 1, msg, sizeof(msg)));

	framed_plan();
	plan.in_mode = plan.out_mode = UD_WORK_REPORT;
	plan.report = 64;
	assert_int_equal(write_one(), 64);
	memset(rep, 0, sizeof(rep));
	memcpy(rep, plan.unit[0].in, 5);
	rep[63] = 1; /* padding must be zero */
	assert_false(ud_work_in(&work, &plan, 64, rep, 64, msg, sizeof(msg)));
	rep[63] = 0;
	assert_true(ud_work_in(&work, &plan, 64, rep, 64, msg, sizeof(msg)));
}

/* Unit 1 of three made silent (DAP_TransferAbort): written past a full window, never
 * answered, and the answers around it keep their order. */
static void silent_plan(void)
{
	framed_plan();
	ud_xdev_echo_unit(&plan, 2, 7);
	plan.unit[1].out_len = 1;
	plan.unit[1].in_len = 0;
	plan.unit[1].silent = 1;
	plan.window = 1;
}

static void test_silent_unit(void **state)
{
	uint8_t pkt[64];
	uint16_t len;

	(void)state;
	silent_plan();
	write_one();                      /* unit 0: the window is full */
	assert_int_equal(write_one(), 1); /* the silent unit goes anyway */
	assert_int_equal(ud_work_pending(&work, &plan), 1);
	/* Unit 2 waits for the window: the silent unit holds no place in it. */
	assert_false(ud_work_out_next(&work, &plan, 64, pkt, sizeof(pkt), &len));
	/* An answer for the silent unit where unit 0's is due is caught; so is unit 2's. */
	assert_false(ud_work_in(&work, &plan, 64, plan.unit[2].in, 7, msg, sizeof(msg)));
	silent_plan();
	write_one();
	write_one();
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[0].in, 5, msg, sizeof(msg)));
	/* Unit 0 answered: nothing is due for unit 1, so an answer now is extra data. */
	assert_int_equal(work.first, 2);
	ud_work_describe(&work, &plan, msg, sizeof(msg));
	assert_non_null(strstr(msg, "1 answered")); /* the silent unit is not an answer */
	assert_false(ud_work_in(&work, &plan, 64, plan.unit[0].in, 1, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "no answer is due"));
	silent_plan();
	write_one();
	write_one();
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[0].in, 5, msg, sizeof(msg)));
	write_one(); /* unit 2 */
	assert_true(ud_work_in(&work, &plan, 64, plan.unit[2].in, 7, msg, sizeof(msg)));
	assert_true(ud_work_done(&work, &plan));
}

/* CDC's control lines: what the host accepts on the notification endpoint, and when it is
 * done. */
static void test_notify(void **state)
{
	uint8_t ss[10] = {0xa1, 0x20, 0, 0, 0, 0, 2, 0, 0x03, 0};

	(void)state;
	framed_plan();
	plan.ep_notify = 2;
	plan.notify_intf = 0;
	plan.notify_levels = 0x03;
	plan.lines_reset = 1u << UD_FAULT_RESET;
	/* Nothing seen yet: not done, whatever DTR says. */
	assert_false(ud_work_lines_done(&work, &plan));
	ud_work_set_dtr(&work, true);
	assert_true(ud_work_notify(&work, &plan, ss, 10, msg, sizeof(msg)));
	assert_true(ud_work_lines_done(&work, &plan));
	/* DTR off: the levels seen are stale until a SERIAL_STATE without them comes. */
	ud_work_set_dtr(&work, false);
	assert_false(ud_work_lines_done(&work, &plan));
	/* Malformed: wrong length, request, interface, or bits nobody raised. */
	assert_false(ud_work_notify(&work, &plan, ss, 9, msg, sizeof(msg)));
	ss[1] = 0x21;
	assert_false(ud_work_notify(&work, &plan, ss, 10, msg, sizeof(msg)));
	ss[1] = 0x20;
	ss[4] = 1;
	assert_false(ud_work_notify(&work, &plan, ss, 10, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "not a SERIAL_STATE for interface 0"));
	ss[4] = 0;
	ss[8] = 0x04; /* a break: the workload never sends one */
	assert_false(ud_work_notify(&work, &plan, ss, 10, msg, sizeof(msg)));
	ss[8] = 0;
	assert_true(ud_work_notify(&work, &plan, ss, 10, msg, sizeof(msg)));
	assert_true(ud_work_lines_done(&work, &plan));
	/* A reset starts a new session: DTR clear, the levels owed again. */
	ud_work_set_dtr(&work, true);
	ud_work_fault(&work, &plan, UD_FAULT_RESET);
	assert_int_equal(work.dtr, 0);
	assert_int_equal(work.seen, UD_WORK_NOT_SEEN);
	/* A fault outside lines_reset keeps the session. */
	ud_work_set_dtr(&work, true);
	ud_work_fault(&work, &plan, UD_FAULT_CLEAR_HALT);
	assert_int_equal(work.dtr, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framed_writes_zlps),
		cmocka_unit_test(test_framed_answers_in_order),
		cmocka_unit_test(test_framed_rejects_wrong_data),
		cmocka_unit_test(test_framed_rejects_reorder_and_extra),
		cmocka_unit_test(test_window_limits_new_units),
		cmocka_unit_test(test_fault_ends_epoch),
		cmocka_unit_test(test_stream_and_report),
		cmocka_unit_test(test_silent_unit),
		cmocka_unit_test(test_notify),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
