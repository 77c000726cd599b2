/* SPDX-License-Identifier: MIT */
/**
 * @file invariants.h
 * @brief The safety properties the scheduler checks after every step, and the verdict.
 *
 * Generic, for every device:
 * - the request ownership rule (track.h): each accepted request completes exactly once,
 *   never after a failed submit, never inside the call that submitted or cancelled it, and
 *   every outstanding request is still linked where the core will complete it from;
 * - the port contract as the vdc counts it: no ep_xfer() while a transfer is in flight or its
 *   completion undelivered (at most one transfer per endpoint), none on a closed or stalled
 *   endpoint, no refused interrupt; and the core saw no port contract violation
 *   (`dev.port_errors`);
 * - what the host received is what the workload expects (workload.h), checked as it arrives.
 * Device-specific: the device's own `check` (devices.h).
 *
 * A violation is recorded in one global verdict: the first one wins, later ones are ignored
 * until the verdict is cleared (before each step).
 */
#ifndef UD_SIM_INVARIANTS_H
#define UD_SIM_INVARIANTS_H

#include <stdbool.h>

#include "host.h"

struct ud_sched;

struct ud_verdict {
	bool bad;
	char what[256];
};

extern struct ud_verdict ud_verdict;

/** @brief Forget any violation. */
void ud_verdict_clear(void);

/** @brief Record a violation (printf-style), unless one is recorded already. */
void ud_verdict_fail(const char *fmt, ...) UD_SIM_PRINTF(1, 2);

/** @brief Check every safety property of @p s now. @return false (and the verdict set) if one
 * is broken or a violation was recorded during the step. */
bool ud_invariants_check(const struct ud_sched *s);

#endif /* UD_SIM_INVARIANTS_H */
