/* SPDX-License-Identifier: MIT */
/* The cycle checks (sim/cycles.c) on hand-made paths and graphs: a self-loop is not a cycle, a
 * return to an earlier state is, and Kahn's peeling leaves exactly the states on or after a
 * cycle. The explorer's own negative control (the `livelock` device) is in CMakeLists.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cycles.h"
#include "invariants.h"

static struct ud_cycle_watch watch;
static struct ud_cycle_graph graph;

static int teardown(void **state)
{
	(void)state;
	ud_cycle_watch_free(&watch);
	ud_cycle_graph_free(&graph);
	ud_verdict_clear();
	return 0;
}

static void test_find_passes_over_self_loops(void **state)
{
	const uint64_t path[] = {10, 11, 12, 12};

	(void)state;
	assert_int_equal(ud_cycle_find(path, 4, 12), -1); /* 12 again: self-loops */
	assert_int_equal(ud_cycle_find(path, 4, 11), 1);
	assert_int_equal(ud_cycle_find(path, 4, 10), 0);
	assert_int_equal(ud_cycle_find(path, 3, 11), 1);
	assert_int_equal(ud_cycle_find(path, 0, 10), -1);
}

static void test_self_loops_are_not_cycles(void **state)
{
	(void)state;
	ud_verdict_clear();
	ud_cycle_watch_start(&watch, 0, 10);
	assert_true(ud_cycle_watch_step(&watch, 10)); /* a NAKed IN token: nothing changed */
	assert_true(ud_cycle_watch_step(&watch, 11));
	assert_true(ud_cycle_watch_step(&watch, 11));
	assert_true(ud_cycle_watch_step(&watch, 12));
	assert_false(ud_verdict.bad);
}

static void test_return_to_an_earlier_state_is_a_cycle(void **state)
{
	(void)state;
	ud_verdict_clear();
	ud_cycle_watch_start(&watch, 0, 10);
	assert_true(ud_cycle_watch_step(&watch, 11));
	assert_true(ud_cycle_watch_step(&watch, 12));
	assert_true(ud_cycle_watch_step(&watch, 12)); /* self-loop in between */
	assert_true(ud_cycle_watch_step(&watch, 13));
	assert_false(ud_cycle_watch_step(&watch, 11));
	assert_true(ud_verdict.bad);
	/* The state after move 1 again: moves 2 to 5 are the cycle. */
	assert_non_null(strstr(ud_verdict.what, "cycle: moves 2 to 5"));
	assert_non_null(strstr(ud_verdict.what, "after move 1"));
}

static void test_return_to_the_start_is_a_cycle(void **state)
{
	(void)state;
	ud_verdict_clear();
	ud_cycle_watch_start(&watch, 0, 10);
	assert_true(ud_cycle_watch_step(&watch, 11));
	assert_false(ud_cycle_watch_step(&watch, 10));
	assert_non_null(strstr(ud_verdict.what, "moves 1 to 2"));
	assert_non_null(strstr(ud_verdict.what, "at the start"));
}

/* A restarted watch forgets the states before it (replay does so after a non-move line). */
static void test_restart_forgets(void **state)
{
	(void)state;
	ud_verdict_clear();
	ud_cycle_watch_start(&watch, 0, 10);
	assert_true(ud_cycle_watch_step(&watch, 11));
	ud_cycle_watch_start(&watch, 1, 12);
	assert_true(ud_cycle_watch_step(&watch, 10));
	assert_false(ud_verdict.bad);
}

static void edges(const uint32_t (*e)[2], size_t n)
{
	ud_cycle_graph_clear(&graph);
	for (size_t i = 0; i < n; i++)
		ud_cycle_graph_edge(&graph, e[i][0], e[i][1]);
}

static void test_graph_without_cycles(void **state)
{
	/* A diamond with a self-loop and a duplicate edge: a DAG. */
	const uint32_t e[][2] = {{1, 2}, {1, 3}, {2, 4}, {3, 4}, {4, 4}, {2, 4}, {4, 900000}};

	(void)state;
	ud_cycle_graph_clear(&graph);
	assert_int_equal(ud_cycle_graph_check(&graph), 0); /* empty */
	edges(e, sizeof(e) / sizeof(e[0]));
	assert_int_equal(graph.n, 6); /* the self-loop is not an edge */
	assert_int_equal(ud_cycle_graph_check(&graph), 0);
}

static void test_graph_with_a_cycle(void **state)
{
	/* 1 -> 2 -> 3 -> 4 -> 2 (the cycle 2, 3, 4), then 4 -> 5 after it; 7 -> 1 before. */
	const uint32_t e[][2] = {{7, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 2}, {4, 5}};

	(void)state;
	edges(e, sizeof(e) / sizeof(e[0]));
	/* 7 and 1 are peeled; 2, 3, 4 (the cycle) and 5 (after it) are left. */
	assert_int_equal(ud_cycle_graph_check(&graph), 4);
}

static void test_two_state_cycle(void **state)
{
	const uint32_t e[][2] = {{3, 4}, {4, 3}};

	(void)state;
	edges(e, sizeof(e) / sizeof(e[0]));
	assert_int_equal(ud_cycle_graph_check(&graph), 2);
}

static void test_lost_edge_decides_nothing(void **state)
{
	const uint32_t e[][2] = {{1, 2}};

	(void)state;
	edges(e, 1);
	graph.lost = true;
	assert_int_equal(ud_cycle_graph_check(&graph), (size_t)-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_passes_over_self_loops),
		cmocka_unit_test_teardown(test_self_loops_are_not_cycles, teardown),
		cmocka_unit_test_teardown(test_return_to_an_earlier_state_is_a_cycle, teardown),
		cmocka_unit_test_teardown(test_return_to_the_start_is_a_cycle, teardown),
		cmocka_unit_test_teardown(test_restart_forgets, teardown),
		cmocka_unit_test_teardown(test_graph_without_cycles, teardown),
		cmocka_unit_test_teardown(test_graph_with_a_cycle, teardown),
		cmocka_unit_test_teardown(test_two_state_cycle, teardown),
		cmocka_unit_test_teardown(test_lost_edge_decides_nothing, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
