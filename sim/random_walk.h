/* SPDX-License-Identifier: MIT */
/**
 * @file random_walk.h
 * @brief `udsim random`: long random interleavings, and shrinking what they find.
 *
 * From the root state the walk takes a random enabled move (a fault with probability 1/32
 * when one is enabled, otherwise any other move uniformly), checking every invariant after
 * each. Every 64 moves, and whenever the host's workload is done, it checks liveness from
 * the current state (on a copy); after a done workload it starts a new episode from a fresh
 * root. On a violation the episode's moves are shrunk: chunks and single moves are removed
 * while the shortened sequence still replays to a violation.
 */
#ifndef UD_SIM_RANDOM_WALK_H
#define UD_SIM_RANDOM_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "scheduler.h"

struct ud_walk_result {
	bool violation;
	bool live;            /**< found by the fair continuation after `path` */
	struct ud_move *path; /**< allocated; free() it */
	unsigned len;
	unsigned long steps, episodes, live_checks;
	char what[256];
};

/** @brief Walk @p steps moves with @p seed. @return 0, or a UD_ERR_* code if the device could
 * not start or memory ran out. */
int ud_walk(const char *device, const struct ud_sim_options *opt, const struct ud_sched_cfg *sc,
            uint64_t seed, unsigned long steps, struct ud_walk_result *res);

#endif /* UD_SIM_RANDOM_WALK_H */
