/* SPDX-License-Identifier: MIT */
/**
 * @file explore.h
 * @brief Exhaustive exploration: every interleaving of the scheduler's moves up to a depth.
 *
 * Depth-first from the root state (scheduler.h), saving a state per level and restoring it by
 * copy before each sibling move. After every move the safety invariants are checked
 * (invariants.h). A state already explored with at least the remaining depth budget is not
 * explored again (state_hash.h), which keeps the search sound for "every state reachable in
 * at most `depth` moves". Liveness is checked at every distinct state reached, leaves and
 * inner nodes alike: the fair continuation (ud_sched_live()) must reach quiescence. States a
 * successful continuation passes through at its round boundaries are marked live too, so later
 * continuations stop as soon as they meet one.
 *
 * Cycles (cycles.h): a move that returns to a state on the current path, other than the one
 * just left, is a violation with that path as its counterexample; and after a COMPLETE,
 * unsharded search the graph of every move taken is checked for a cycle no path closed.
 *
 * On a violation the search is repeated with a bound one shorter than the violating path,
 * until none is found: the last counterexample is a shortest one.
 *
 * Sharding: `shard_n` processes with `shard_i` = 0..n-1 split the work. The states at a
 * split depth (the first depth with at least 4 n of them, counted without pruning) are
 * numbered in depth-first order; shard i explores those numbered i mod n. Levels above the
 * split are never pruned, so every shard numbers them the same way: together the shards
 * cover exactly what one process would.
 */
#ifndef UD_SIM_EXPLORE_H
#define UD_SIM_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "scheduler.h"

/** Deepest bound the explorer accepts. */
#define UD_EXPLORE_MAX_DEPTH 64

/** Which cycle checks (cycles.h) a search runs. */
enum ud_explore_cycles {
	UD_CYCLES_BOTH = 0, /**< on the path and in the graph (the default) */
	UD_CYCLES_GRAPH,    /**< the graph check alone: a test of it (no counterexample path) */
	UD_CYCLES_NONE,     /**< none: liveness only */
};

struct ud_explore_cfg {
	const char *device;
	struct ud_sim_options opt;
	struct ud_sched_cfg sc;
	unsigned depth;
	unsigned shard_i, shard_n; /**< shard_n 0 or 1: no sharding */
	unsigned table_bits;       /**< 2^bits slots in the seen-state table */
	bool progress;             /**< a progress line on stderr */
	bool first_only;           /**< report the first violation, do not search a shorter one */
	uint8_t cycles;            /**< enum ud_explore_cycles: which cycle checks run */
	double time_limit;         /**< seconds; 0: none. The search stops when they are up */
};

struct ud_explore_stats {
	uint64_t states;      /**< distinct states reached by the search */
	uint64_t transitions; /**< moves taken by the search */
	uint64_t pruned;      /**< moves that reached an already explored state */
	uint64_t live_checks; /**< fair continuations run */
	uint64_t live_rounds; /**< their rounds */
	unsigned split;       /**< shard split depth (0: none) */
	/** A state at the bound has a successor the search did not explore: a deeper bound
	 * reaches more. 0: the bound reaches every reachable state (for these faults). */
	unsigned frontier;
	bool table_full;
	bool timed_out; /**< the time limit stopped the search: nothing is proven */
	/** The graph of every move was checked for cycles (cycles.h): only after a COMPLETE,
	 * unsharded search. */
	bool graph_checked;
	double seconds;
};

struct ud_explore_result {
	bool violation;
	bool in_continuation; /**< found during the fair continuation after `path` */
	bool no_path;         /**< a cycle only the graph check found: `path` is empty */
	unsigned len;         /**< moves in `path` */
	struct ud_move path[UD_EXPLORE_MAX_DEPTH];
	char what[256];
	struct ud_explore_stats stats; /**< of all searches together */
};

/** @brief Run the search. @return 0, or a UD_ERR_* code (with a message on stderr) if it
 * could not start. */
int ud_explore(const struct ud_explore_cfg *cfg, struct ud_explore_result *res);

#endif /* UD_SIM_EXPLORE_H */
