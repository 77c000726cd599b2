/* SPDX-License-Identifier: MIT */
/**
 * @file cycles.h
 * @brief Cycles of states: a schedule that can go round them forever.
 *
 * Liveness at every state (explore.h) proves there is no dead end: from every reachable state
 * the fair continuation finishes the work. It does not prove that every fair schedule does.
 * If moves lead from a state back to itself, a scheduler may repeat them forever, taking
 * every kind of move now and then, and the work pending stays pending: a livelock (the
 * `livelock` negative control, dev_livelock.h). A move that leaves the state as it was (a
 * NAKed IN token, an idle `task`) is not a cycle: repeating it changes nothing, and a fair
 * scheduler takes the other moves too.
 *
 * Two checks, both on the canonical state hash (state_hash.h):
 *
 * - **On a path** (ud_cycle_watch): a sequence of moves reaches a state it was in two or more
 *   distinct states before. The explorer checks every path of its depth-first search this
 *   way, and replay checks every script the same way, so a counterexample that ends in a
 *   cycle replays to the same verdict.
 * - **In the whole graph** (ud_cycle_graph): every move the search took, as an edge between
 *   two states. A depth-first search with a depth bound can reach each state of a cycle from
 *   outside it without ever following the cycle's own edges on one path; the graph check
 *   cannot miss it. After a COMPLETE search (every reachable state seen, and every move out of
 *   each one taken) it decides whether the reachable graph has a cycle other than self-loops:
 *   Kahn's algorithm peels off states with no incoming edge until none is left or only cycles
 *   and what they lead to remain.
 */
#ifndef UD_SIM_CYCLES_H
#define UD_SIM_CYCLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** @brief Set the verdict (invariants.h) to a cycle: moves @p first .. @p last (numbered from
 * 1) lead from the state after move @p first - 1 (0: the start) back to it. */
void ud_cycle_verdict(unsigned first, unsigned last);

/**
 * @brief The rule both checks on a path apply. @p hash holds the @p n states of a path, the
 * state the path started in first; @p h is the state its next move led to. @return the index
 * of the earlier state @p h returns to, or -1. States equal to @p h just before it (a run of
 * self-loops) are not a return.
 */
long ud_cycle_find(const uint64_t *hash, size_t n, uint64_t h);

/** The states a sequence of moves went through, self-loops included (heap: the simulator
 * may). The state at index i was reached by move `first + i`. */
struct ud_cycle_watch {
	uint64_t *hash;
	size_t n, cap;
	unsigned first; /**< the move that reached hash[0] (0: the start) */
};

/** @brief Start a new sequence at the state @p hash, reached by move @p move (0: the start). */
void ud_cycle_watch_start(struct ud_cycle_watch *w, unsigned move, uint64_t hash);

/**
 * @brief The next move led to the state @p hash: a return to an earlier state
 * (ud_cycle_find()) is a cycle, and the verdict is set.
 * @return false on a cycle (or if no memory is left to remember the state: then the verdict
 * says so too).
 */
bool ud_cycle_watch_step(struct ud_cycle_watch *w, uint64_t hash);

void ud_cycle_watch_free(struct ud_cycle_watch *w);

/** Moves between states, by their slots in the seen-state table (state_hash.h). */
struct ud_cycle_graph {
	uint32_t (*edge)[2]; /**< from, to */
	size_t n, cap;
	bool lost; /**< an edge could not be stored: the graph check cannot decide */
};

/** @brief Forget every edge (keeps the memory). */
void ud_cycle_graph_clear(struct ud_cycle_graph *g);

/** @brief A move from the state in slot @p from to the state in slot @p to (ignored if they
 * are the same: a self-loop). */
void ud_cycle_graph_edge(struct ud_cycle_graph *g, uint32_t from, uint32_t to);

/**
 * @brief Does the graph have a cycle? @return the number of states left once every state
 * no cycle leads to is peeled off: 0 means acyclic (self-loops aside). (size_t)-1 if the
 * graph is incomplete (`lost`) or there is no memory to check it.
 */
size_t ud_cycle_graph_check(struct ud_cycle_graph *g);

void ud_cycle_graph_free(struct ud_cycle_graph *g);

#endif /* UD_SIM_CYCLES_H */
