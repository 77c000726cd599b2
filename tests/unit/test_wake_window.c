/* SPDX-License-Identifier: MIT */
/*
 * ud_function_wake() from several contexts (ud_channel.h, the flags), played out step by step.
 * A thread's wake of A stops half done (an interrupt, then the task's thread, preempt it);
 * meanwhile an interrupt wakes a function, the task runs and polls it, the interrupt wakes it
 * again; then A's wake goes on. Every wake must still be followed by a poll of its function:
 * the second one too. The explorer cannot reach this point (its moves are whole calls), so
 * this program builds the core with UD_WAKE_WINDOW_HOOK: ud_function_wake() calls
 * test_wake_window() at each point where another context could run, and the test plays the
 * other contexts there.
 *
 * Negative control: with per-function and summary counters bumped by a load and a store (the
 * channel before the flags), the hook between a counter's load and its store, the preempted
 * wake stores back the value the task had already seen, over the second wake, and its poll
 * never comes: both tests fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

static struct mock_fn fa, fb;
static unsigned polls_a, polls_b;

static void count_poll(struct ud_function *fn)
{
	if (fn == &fa.fn)
		polls_a++;
	else
		polls_b++;
}

static int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	mock_fn_init(&fb, 'B', mock_bind_pair);
	fa.ops.poll = count_poll;
	fb.ops.poll = count_poll;
	polls_a = polls_b = 0;
	return 0;
}

/* Where the other contexts play (-1: nowhere, or done), whom the interrupt wakes, and that
 * function's polls when its second wake comes. */
static int window_at = -1;
static struct mock_fn *victim;
static unsigned victim_polls;

static unsigned *polls_of(const struct mock_fn *m)
{
	return m == &fa ? &polls_a : &polls_b;
}

/* Called by ud_function_wake() (UD_WAKE_WINDOW_HOOK, channel.c). */
void test_wake_window(struct ud_function *fn, int at);

void test_wake_window(struct ud_function *fn, int at)
{
	if (at != window_at || fn != &fa.fn)
		return;
	window_at = -1; /* once: the wakes played here pass the window too */
	ud_function_wake(&victim->fn);
	mock_run(); /* the task's thread preempts A's waker and polls */
	victim_polls = *polls_of(victim);
	ud_function_wake(&victim->fn);
}

/* A's wake stopped at window @p at, the interrupt waking @p m twice around a task run. */
static void play(int at, struct mock_fn *m)
{
	mock_device_up(&fa, &fb, NULL);
	mock_enumerate(UD_SPEED_FULL);
	mock_run();
	polls_a = polls_b = 0;
	victim = m;
	window_at = at;
	ud_function_wake(&fa.fn);
	assert_int_equal(window_at, -1); /* the window was there */
	mock_run();
	assert_true(polls_a >= 1);                /* A's wake has its poll */
	assert_true(*polls_of(m) > victim_polls); /* and so has the second wake */
	assert_int_equal(mock_run(), 0);          /* nothing left behind */
}

/* The interrupt wakes another function. */
static void test_other_function_woken_meanwhile(void **state)
{
	(void)state;
	for (int at = 0; at < 2; at++) {
		setup(state);
		play(at, &fb);
		assert_int_equal(mock_teardown(state), 0);
	}
}

/* The interrupt wakes A itself. */
static void test_same_function_woken_meanwhile(void **state)
{
	(void)state;
	for (int at = 0; at < 2; at++) {
		setup(state);
		play(at, &fa);
		assert_int_equal(mock_teardown(state), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_function_woken_meanwhile),
		cmocka_unit_test(test_same_function_woken_meanwhile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
