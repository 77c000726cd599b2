/* SPDX-License-Identifier: MIT */
/**
 * @file replay.h
 * @brief Replaying scheduler steps from a script, and writing counterexamples as such scripts.
 *
 * A replay script is the `run` language (docs/udsim.md) extended with the scheduler's moves
 * (scheduler.h) and four commands:
 *
 * | command        | meaning                                                              |
 * |----------------|----------------------------------------------------------------------|
 * | `device NAME`  | the device (before `start`; default: `--device`)                     |
 * | `start`        | build, enumerate, plan the workload, manual mode: the explorer's root |
 * |                | (implied by the first other command)                                 |
 * | `live`         | the fair continuation must reach quiescence                          |
 * | `fair`         | the moves after it are a fair continuation a counterexample recorded: |
 * |                | they are not checked for cycles                                       |
 *
 * `irq N`, `task` and `step` mean what they mean in `run`. Every invariant is checked after
 * every line, and every move that returns to a state an earlier move left (self-loops aside;
 * cycles.h) is a cycle; the first violation is reported and ends the replay with exit
 * status 1.
 */
#ifndef UD_SIM_REPLAY_H
#define UD_SIM_REPLAY_H

#include <stdbool.h>
#include <stdio.h>

#include "scheduler.h"

/**
 * @brief Run the replay script @p in (named @p name in messages), printing one JSON object
 * per line on @p out. @return 0 (no violation, every expect matched), 1 (a violation or a
 * failed expect), 3 (malformed script, a move not possible where it is written, or the
 * device could not be built).
 */
int ud_replay_run(FILE *in, const char *name, const char *device, const struct ud_sim_options *opt,
                  FILE *out);

/** How a counterexample came about, for the script's header. */
struct ud_replay_origin {
	const char *command; /**< the command line that found it */
	const char *what;    /**< the violation */
};

/**
 * @brief Replay @p path (then the fair continuation if @p live) from a fresh root, printing
 * each step readably on @p human (may be NULL) and writing a replay script to @p script (may
 * be NULL). @return true if the violation happened again (it must: runs are deterministic).
 */
bool ud_replay_narrate(const char *device, const struct ud_sim_options *opt,
                       const struct ud_sched_cfg *sc, const struct ud_move *path, unsigned len,
                       bool live, const struct ud_replay_origin *origin, FILE *human, FILE *script);

/**
 * @brief Run @p path (then the continuation if @p live) from a fresh root, quietly.
 * @return 1 if a violation happened, 0 if none, -1 if a move was not possible where it is.
 */
int ud_replay_check(const char *device, const struct ud_sim_options *opt,
                    const struct ud_sched_cfg *sc, const struct ud_move *path, unsigned len,
                    bool live);

#endif /* UD_SIM_REPLAY_H */
