/* SPDX-License-Identifier: MIT */
/* The request watcher (sim/track.c) and the state hash (sim/state_hash.c), on the `minimal`
 * device with its alternate setting 1 selected (bulk EP1 IN and OUT open). The core is correct,
 * so the watcher's violations are provoked by doing what a broken core would: calling a
 * completion a second time, or after a failed submit, or losing a queued request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "invariants.h"
#include "scheduler.h"
#include "state_hash.h"

static struct ud_sched s; /* the live state: one fixed address */
static struct ud_sched copy;
static struct ud_req req;
static uint8_t buf[64];
static unsigned completions;
static struct ud_sim_result res;

static void done(struct ud_device *dev, struct ud_req *r)
{
	(void)dev;
	(void)r;
	completions++;
}

/* The root state of `minimal`, then SET_INTERFACE(0, 1): EP1 OUT and IN open. */
static int setup(void **state)
{
	struct ud_sim_options opt;
	struct ud_setup set_alt = {.bmRequestType = 0x01,
	                           .bRequest = UD_REQ_SET_INTERFACE,
	                           .wValue = 1,
	                           .wIndex = 0,
	                           .wLength = 0};
	char err[200];

	(void)state;
	ud_sim_options_default(&opt);
	assert_int_equal(ud_sched_start(&s, "minimal", &opt, err, sizeof(err)), 0);
	s.w.host.manual = 0;
	ud_host_control(&s.w, &set_alt, NULL, 0, &res);
	assert_int_equal(res.status, UD_SIM_OK);
	s.w.host.manual = 1;
	memset(&req, 0, sizeof(req));
	req.buf = buf;
	req.length = sizeof(buf);
	req.complete = done;
	completions = 0;
	ud_verdict_clear();
	return 0;
}

static void test_accepted_request_completes_once(void **state)
{
	(void)state;
	assert_true(ud_track_available());
	assert_int_equal(ud_ep_submit(&s.w.dev, 0x01, &req), 0);
	assert_int_equal(ud_track_outstanding(&s.track), 1);
	assert_true(ud_invariants_check(&s));
	/* A second submit while it is queued is refused, and changes nothing. */
	assert_int_equal(ud_ep_submit(&s.w.dev, 0x01, &req), UD_ERR_BUSY);
	assert_int_equal(ud_ep_cancel(&s.w.dev, 0x01, &req), 0);
	assert_int_equal(completions, 0); /* not inside the cancel */
	assert_true(ud_invariants_check(&s));
	ud_task(&s.w.dev);
	assert_int_equal(completions, 1);
	assert_int_equal(ud_track_outstanding(&s.track), 0);
	assert_true(ud_invariants_check(&s));
	assert_false(req.complete == done); /* the trampoline stays installed */
}

static void test_second_completion_is_a_violation(void **state)
{
	(void)state;
	assert_int_equal(ud_ep_submit(&s.w.dev, 0x01, &req), 0);
	assert_int_equal(ud_ep_cancel(&s.w.dev, 0x01, &req), 0);
	ud_task(&s.w.dev);
	assert_false(ud_verdict.bad);
	req.complete(&s.w.dev, &req); /* what a core that completes twice would do */
	assert_true(ud_verdict.bad);
	assert_non_null(strstr(ud_verdict.what, "completed twice"));
}

static void test_completion_after_failed_submit_is_a_violation(void **state)
{
	(void)state;
	assert_int_equal(ud_ep_submit(&s.w.dev, 0x02, &req), UD_ERR_STATE); /* EP2: not open */
	assert_int_equal(ud_track_outstanding(&s.track), 0);
	req.complete(&s.w.dev, &req);
	assert_true(ud_verdict.bad);
	assert_non_null(strstr(ud_verdict.what, "failed"));
	assert_int_equal(completions, 1); /* the class's callback still ran */
}

static void test_lost_request_is_a_violation(void **state)
{
	(void)state;
	assert_int_equal(ud_ep_submit(&s.w.dev, 0x81, &req), 0);
	assert_true(ud_invariants_check(&s));
	/* A core that forgot the request: it is outstanding but in no queue. */
	s.w.dev.ep[UD_EP_INDEX(0x81) - 2u].head = NULL; /* dev.ep[] starts at EP1 */
	s.w.dev.ep[UD_EP_INDEX(0x81) - 2u].tail = NULL;
	assert_false(ud_invariants_check(&s));
	assert_non_null(strstr(ud_verdict.what, "can never complete"));
}

static void test_port_contract_breach_is_a_violation(void **state)
{
	(void)state;
	s.w.vdc.stats.xfer_while_busy = 1;
	assert_false(ud_invariants_check(&s));
	assert_non_null(strstr(ud_verdict.what, "still in flight"));
}

/* Fill a stack area with @v: padding copied from the stack must not leak into a state. */
static void scribble(unsigned char v)
{
	volatile unsigned char junk[4096];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = v;
}

static uint64_t hash_after(const char *const *steps, unsigned n, unsigned char v)
{
	static const struct ud_sched_cfg cfg = {.faults = UD_FAULTS_ALL, .max_faults = 9};
	struct ud_sim_options opt;
	char err[200];

	ud_sim_options_default(&opt);
	scribble(v);
	assert_int_equal(ud_sched_start(&s, "dap", &opt, err, sizeof(err)), 0);
	for (unsigned i = 0; i < n; i++) {
		char line[40], *argv[3];
		int argc = 0;
		struct ud_move m;
		strcpy(line, steps[i]);
		for (char *p = strtok(line, " "); p && argc < 3; p = strtok(NULL, " "))
			argv[argc++] = p;
		assert_true(ud_move_parse(argc, argv, &m));
		scribble(v);
		assert_true(ud_sched_apply(&s, &cfg, &m, NULL, 0));
	}
	assert_false(ud_verdict.bad);
	return ud_state_hash(&s);
}

static void test_hash_is_deterministic(void **state)
{
	static const char *const steps[] = {"host-out 1", "irq 0",           "task", "step", "task",
	                                    "host-in 81", "fault set-config"};
	uint64_t a, b;

	(void)state;
	a = hash_after(steps, 7, 0x00);
	b = hash_after(steps, 7, 0xff);
	assert_true(a == b);
	assert_true(a != hash_after(steps, 6, 0x55));
}

static void test_hash_ignores_what_cannot_matter(void **state)
{
	static const char *const steps[] = {"host-out 1", "irq 0", "task"};
	struct ud_chan_xfer *x;
	uint64_t h;

	(void)state;
	h = hash_after(steps, 3, 0);
	/* An idle ud_task() changes nothing. */
	ud_task(&s.w.dev);
	ud_task(&s.w.dev);
	assert_true(ud_state_hash(&s) == h);
	/* Counters that only count, and posted/seen pairs moved together, do not matter... */
	ud_sched_copy(&copy, &s);
	s.w.vdc.stats.naks += 7;
	x = &s.w.dev.chan.xfer[UD_EP_INDEX(0x01)];
	x->posted = (uint8_t)(x->posted + 3);
	x->seen = (uint8_t)(x->seen + 3);
	s.w.dev.chan.resets += 2;
	s.w.dev.chan.resets_seen += 2;
	assert_true(ud_state_hash(&s) == h);
	/* ... a report not yet consumed does. */
	x->posted = (uint8_t)(x->posted + 1);
	assert_true(ud_state_hash(&s) != h);
	ud_sched_copy(&s, &copy);
	assert_true(ud_state_hash(&s) == h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_accepted_request_completes_once, setup),
		cmocka_unit_test_setup(test_second_completion_is_a_violation, setup),
		cmocka_unit_test_setup(test_completion_after_failed_submit_is_a_violation, setup),
		cmocka_unit_test_setup(test_lost_request_is_a_violation, setup),
		cmocka_unit_test_setup(test_port_contract_breach_is_a_violation, setup),
		cmocka_unit_test(test_hash_is_deterministic),
		cmocka_unit_test(test_hash_ignores_what_cannot_matter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
