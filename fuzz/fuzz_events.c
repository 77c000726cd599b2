/* SPDX-License-Identifier: MIT */
/*
 * Harness 2, events: the explorer's scheduler (sim/scheduler.h) as an interpreter of fuzz
 * bytes. Each byte picks one of the moves enabled in the current state: a host transaction on
 * any endpoint of the device's workload, the delivery of any pending interrupt (in any order),
 * a ud_task() run, a class processing step, or a fault (bus reset, disconnect, SET_CONFIGURATION,
 * SET_INTERFACE, clear-halt). After every move the explorer's invariants are checked (every
 * request completes exactly once and never inside the call that submitted it, at most one
 * transfer per endpoint at the port, DAP responses exactly once and in order, byte streams
 * intact); when the input ends, the fair continuation must drain everything (liveness). A
 * violation aborts, which libFuzzer reports as a crash.
 *
 * One device per binary (EVENTS_DEVICE), since the workload plan belongs to the process.
 * Input: byte 0 is the fault mask (bits 0-4) and the faults allowed on the path (bits 5-7);
 * then one byte per move.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "invariants.h"
#include "scheduler.h"

#ifndef EVENTS_DEVICE
#define EVENTS_DEVICE "dap"
#endif

static struct ud_sched live; /* the state: always at this address (it points into itself) */
static struct ud_sched root; /* its saved root, copied back before every input */
static int ready;

static void violation(const char *when)
{
	fprintf(stderr, "fuzz_events: %s: %s: %s\n", EVENTS_DEVICE, when, ud_verdict.what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	if (!ready) {
		struct ud_sim_options opt;
		char err[256];
		ud_sim_options_default(&opt);
		if (ud_sched_start(&live, EVENTS_DEVICE, &opt, err, sizeof(err)) != 0) {
			fprintf(stderr, "fuzz_events: %s\n", err);
			abort();
		}
		ud_sched_copy(&root, &live);
		ready = 1;
	}
	if (len == 0)
		return 0;
	ud_sched_copy(&live, &root);
	ud_verdict_clear();
	struct ud_sched_cfg cfg = {
		.faults = buf[0] & UD_FAULTS_EVERY,
		.max_faults = buf[0] >> 5,
	};
	struct ud_move moves[UD_SCHED_MAX_MOVES];
	for (size_t i = 1; i < len; i++) {
		unsigned n = ud_sched_moves(&live, &cfg, moves);
		if (n == 0)
			break;
		(void)ud_sched_apply(&live, &cfg, &moves[buf[i] % n], NULL, 0);
		if (!ud_invariants_check(&live))
			violation("safety");
	}
	if (!ud_sched_live(&live, &cfg, NULL))
		violation("liveness");
	return 0;
}
