/* SPDX-License-Identifier: MIT */
/* Exhaustive exploration: depth-first over the scheduler's moves, with state pruning, liveness
 * at every distinct state, sharding and the search for a shortest counterexample.
 * See explore.h. */
#define _POSIX_C_SOURCE 200809L

#include "explore.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cycles.h"
#include "invariants.h"
#include "state_hash.h"

/* The live state: every world of a search lives at this one address. The saved copies are
 * inert bytes that are only ever copied back into it. */
static struct ud_sched cur;
static struct ud_sched saved[UD_EXPLORE_MAX_DEPTH + 1];
static struct ud_move moves[UD_EXPLORE_MAX_DEPTH + 1][UD_SCHED_MAX_MOVES];
static struct ud_table table;
static struct ud_cycle_graph graph;

struct search {
	const struct ud_explore_cfg *cfg;
	struct ud_explore_result *res;
	struct ud_explore_stats *st;
	unsigned bound;
	unsigned split;      /* shard split depth, 0: no sharding */
	uint64_t split_seen; /* states numbered at the split depth */
	bool stop;
	struct ud_move path[UD_EXPLORE_MAX_DEPTH];
	uint64_t hash[UD_EXPLORE_MAX_DEPTH + 1]; /* of the states on the path */
	uint32_t slot[UD_EXPLORE_MAX_DEPTH + 1]; /* their slots in the table */
	bool graph;                              /* recording every move in `graph` */
	bool moved[UD_EXPLORE_MAX_DEPTH + 1];    /* a move but a fault changed the state at d */
	unsigned idx[UD_EXPLORE_MAX_DEPTH + 1], cnt[UD_EXPLORE_MAX_DEPTH + 1];
	unsigned deepest;
	double start, last_print, deadline;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* How far through the tree the search is, assuming siblings have equal subtrees. */
static double estimate(const struct search *S, unsigned depth)
{
	double done = 0, share = 1;
	unsigned d;

	for (d = 0; d < depth && S->cnt[d]; d++) {
		share /= S->cnt[d];
		done += share * S->idx[d];
	}
	return done;
}

static void progress(struct search *S, unsigned depth)
{
	double t = now(), rate;

	if (t - S->last_print < 0.5)
		return;
	S->last_print = t;
	rate = (double)S->st->states / (t - S->start + 1e-9);
	fprintf(stderr, "\rudsim explore: %llu states  %.0f states/s  depth %u/%u  ~%.0f%%   ",
	        (unsigned long long)S->st->states, rate, S->deepest, S->bound,
	        100.0 * estimate(S, depth));
	fflush(stderr);
}

static void found(struct search *S, unsigned len, bool in_continuation)
{
	struct ud_explore_result *r = S->res;

	r->violation = true;
	r->in_continuation = in_continuation;
	r->len = len;
	memcpy(r->path, S->path, len * sizeof(S->path[0]));
	snprintf(r->what, sizeof(r->what), "%s", ud_verdict.what);
	S->stop = true;
}

/* The fair continuation from `cur` (at depth @depth), memoised: round-boundary states of a
 * continuation that succeeds are marked live, and a continuation that meets one stops there.
 * `cur` is restored afterwards. @return false on a violation (recorded). */
static bool check_live(struct search *S, unsigned depth, uint8_t *meta)
{
	static uint64_t seen[4096];
	unsigned r, n = 0, bound = ud_sched_live_bound(&S->cfg->sc);
	bool ok = false, fresh;

	ud_sched_copy(&saved[depth], &cur);
	S->st->live_checks++;
	for (r = 0; r < bound; r++) {
		if (r > 0) {
			uint64_t h = ud_state_hash(&cur);
			uint8_t *m = ud_table_get(&table, h, &fresh);
			if (m && (*m & UD_META_LIVE)) {
				ok = true;
				break;
			}
			if (n < sizeof(seen) / sizeof(seen[0]))
				seen[n++] = h;
		}
		if (ud_sched_quiescent(&cur, &S->cfg->sc)) {
			ok = ud_invariants_check(&cur);
			break;
		}
		S->st->live_rounds++;
		if (!ud_sched_live_round(&cur, &S->cfg->sc))
			break;
	}
	if (!ok && !ud_verdict.bad) {
		/* Let the unmemoised version word the verdict, from the same state. */
		ud_sched_copy(&cur, &saved[depth]);
		ud_sched_live(&cur, &S->cfg->sc, NULL);
	}
	if (!ok) {
		found(S, depth, true);
		return false;
	}
	if (meta)
		*meta |= UD_META_LIVE;
	while (n) {
		uint8_t *m = ud_table_get(&table, seen[--n], &fresh);
		if (m)
			*m |= UD_META_LIVE;
	}
	ud_sched_copy(&cur, &saved[depth]);
	return true;
}

static void dfs(struct search *S, unsigned depth);

static void check_dead_end(struct search *S, unsigned depth);

/* Move @m from the state on the path at @depth led to a state of hash @h: progress for the
 * dead-end check if it changed the state without a fault (ud_sched_dead_end()). */
static void note_progress(struct search *S, unsigned depth, const struct ud_move *m, uint64_t h)
{
	if (h != S->hash[depth] && m->kind != UD_MV_FAULT)
		S->moved[depth] = true;
}

/* Would the search find a state it has not explored one move beyond `cur`? (`cur` is left
 * as it was.) If no state at the bound has such a successor, the bound reaches every state
 * the moves can reach at all: the proof holds for paths of any length. Such a state at the
 * bound is checked for a dead end here, as dfs() checks the states it expands: a COMPLETE
 * search must not leave one unchecked because it was first met at the bound. */
static bool has_unexplored_successor(struct search *S, unsigned depth)
{
	unsigned i, n = ud_sched_moves(&cur, &S->cfg->sc, moves[depth]);
	bool found_new = false;

	S->moved[depth] = false;
	ud_sched_copy(&saved[depth], &cur);
	for (i = 0; i < n && !found_new; i++) {
		const uint8_t *m;
		if (i)
			ud_sched_copy(&cur, &saved[depth]);
		ud_verdict_clear();
		ud_sched_apply(&cur, &S->cfg->sc, &moves[depth][i], NULL, 0);
		uint64_t h = ud_state_hash(&cur);
		m = ud_table_find(&table, h);
		found_new = ud_verdict.bad || !m || !(*m & UD_META_REM);
		note_progress(S, depth, &moves[depth][i], h);
		if (S->graph && m)
			ud_cycle_graph_edge(&graph, S->slot[depth], (uint32_t)(m - table.meta));
	}
	ud_sched_copy(&cur, &saved[depth]);
	ud_verdict_clear();
	if (!found_new && !S->moved[depth] && S->cfg->cycles != UD_CYCLES_NONE)
		check_dead_end(S, depth); /* found_new stays false: S->stop reports it */
	return found_new;
}

/* A return to a state on the path is a cycle (cycles.h). Above a shard's split nothing is
 * pruned, so the path may hold self-loops: ud_cycle_find() passes over them.
 * @return true if `cur` closes a cycle (recorded as a violation). */
static bool closes_cycle(struct search *S, unsigned depth, uint64_t h)
{
	long d = ud_cycle_find(S->hash, depth, h);

	if (d < 0)
		return false;
	ud_cycle_verdict((unsigned)d + 1u, depth);
	found(S, depth, false);
	return true;
}

/* `cur` is a state just reached at @depth: decide whether to explore it, check liveness. The
 * meta byte keeps the largest remaining budget the search explored the state with, plus one
 * (0: not explored yet, e.g. only met by a fair continuation), and whether it is live. */
static void visit(struct search *S, unsigned depth)
{
	unsigned rem = S->bound - depth;
	uint8_t *meta, seen_rem;
	uint64_t h;
	bool fresh;

	if (S->split && depth == S->split && S->split_seen++ % S->cfg->shard_n != S->cfg->shard_i) {
		S->moved[depth - 1u] = true; /* another shard's: not known, so not a dead end */
		return;
	}
	h = ud_state_hash(&cur);
	if (depth > 0)
		note_progress(S, depth - 1u, &S->path[depth - 1u], h);
	if (S->cfg->cycles == UD_CYCLES_BOTH && closes_cycle(S, depth, h))
		return;
	meta = ud_table_get(&table, h, &fresh);
	if (!meta)
		S->graph = false; /* a state without a slot: the graph cannot be whole */
	else if (S->graph && depth > 0)
		ud_cycle_graph_edge(&graph, S->slot[depth - 1u], (uint32_t)(meta - table.meta));
	seen_rem = meta ? (uint8_t)(*meta & UD_META_REM) : 0;
	if (seen_rem > rem && (!S->split || depth > S->split)) {
		S->st->pruned++;
		return;
	}
	S->hash[depth] = h;
	S->slot[depth] = meta ? (uint32_t)(meta - table.meta) : 0;
	if (seen_rem == 0)
		S->st->states++;
	if (meta)
		*meta = (uint8_t)((*meta & UD_META_LIVE) | (rem + 1u));
	if (depth > S->deepest)
		S->deepest = depth;
	if (!(meta && (*meta & UD_META_LIVE)) && !check_live(S, depth, meta))
		return;
	if (rem == 0) {
		if (seen_rem == 0 && !S->st->frontier && has_unexplored_successor(S, depth)) {
			S->st->frontier = 1;
			S->graph = false; /* not COMPLETE: the graph check would decide nothing */
		}
		return;
	}
	ud_sched_copy(&saved[depth], &cur);
	dfs(S, depth);
}

/* The state at @depth (in saved[]) offers no move that changes it: a dead end unless it is at
 * rest (ud_sched_dead_end()). `cur` is left as it was. */
static void check_dead_end(struct search *S, unsigned depth)
{
	ud_sched_copy(&cur, &saved[depth]);
	if (ud_sched_dead_end(&cur, &S->cfg->sc))
		found(S, depth, false);
}

static void dfs(struct search *S, unsigned depth)
{
	unsigned i, n = ud_sched_moves(&cur, &S->cfg->sc, moves[depth]);

	S->cnt[depth] = n;
	S->moved[depth] = false;
	for (i = 0; i < n && !S->stop; i++) {
		S->idx[depth] = i;
		if (i)
			ud_sched_copy(&cur, &saved[depth]);
		S->path[depth] = moves[depth][i];
		ud_verdict_clear();
		ud_sched_apply(&cur, &S->cfg->sc, &moves[depth][i], NULL, 0);
		S->st->transitions++;
		if (ud_verdict.bad) {
			found(S, depth + 1, false);
			return;
		}
		if ((S->st->transitions & 0xfff) == 0) {
			if (S->cfg->progress)
				progress(S, depth + 1);
			if (S->deadline > 0 && now() > S->deadline) {
				S->st->timed_out = true;
				S->stop = true;
				return;
			}
		}
		visit(S, depth + 1);
	}
	if (!S->stop && !S->moved[depth] && S->cfg->cycles != UD_CYCLES_NONE)
		check_dead_end(S, depth);
}

/* Sequences of @want moves from `cur` (restored afterwards), counted up to @cap. */
static uint64_t count_level(const struct ud_explore_cfg *cfg, unsigned depth, unsigned want,
                            uint64_t cap)
{
	unsigned i, n;
	uint64_t total = 0;

	if (depth == want)
		return 1;
	ud_sched_copy(&saved[depth], &cur);
	n = ud_sched_moves(&cur, &cfg->sc, moves[depth]);
	for (i = 0; i < n && total < cap; i++) {
		ud_sched_copy(&cur, &saved[depth]);
		ud_verdict_clear();
		ud_sched_apply(&cur, &cfg->sc, &moves[depth][i], NULL, 0);
		total += count_level(cfg, depth + 1, want, cap);
	}
	ud_sched_copy(&cur, &saved[depth]);
	return total;
}

static int start_root(const struct ud_explore_cfg *cfg)
{
	char err[200];
	int rc = ud_sched_start(&cur, cfg->device, &cfg->opt, err, sizeof(err));

	if (rc)
		fprintf(stderr, "udsim: %s\n", err);
	return rc;
}

/* The split depth for sharding: the first with at least 4 states per shard. */
static unsigned split_depth(const struct ud_explore_cfg *cfg, unsigned bound)
{
	uint64_t want = 4u * (uint64_t)cfg->shard_n;
	unsigned d;

	for (d = 1; d < bound && d < 8; d++) {
		if (count_level(cfg, 0, d, want) >= want)
			break;
	}
	return d;
}

/* After a COMPLETE search: is there a cycle that no path of the search closed? */
static void check_graph(struct ud_explore_result *res)
{
	size_t left = ud_cycle_graph_check(&graph);

	res->stats.graph_checked = left != (size_t)-1;
	if (left == 0 || left == (size_t)-1)
		return;
	res->violation = true;
	res->len = 0;
	res->no_path = true;
	snprintf(res->what, sizeof(res->what),
	         "cycle: the graph of every move the search took has a cycle that no path of the "
	         "depth-first search closed (%zu states on or after cycles): a schedule may go "
	         "round it forever without progress",
	         left);
}

static int search(const struct ud_explore_cfg *cfg, unsigned bound, struct ud_explore_result *res)
{
	static struct search S;
	int rc = start_root(cfg);

	if (rc)
		return rc;
	memset(&S, 0, sizeof(S));
	S.cfg = cfg;
	S.res = res;
	S.st = &res->stats;
	S.bound = bound;
	S.start = S.last_print = now();
	S.deadline = cfg->time_limit > 0 ? S.start + cfg->time_limit : 0;
	if (cfg->shard_n > 1)
		S.split = split_depth(cfg, bound);
	res->stats.split = S.split;
	ud_table_clear(&table);
	res->violation = false;
	if (ud_verdict.bad) {
		found(&S, 0, false); /* the start itself (enumeration) broke an invariant */
		return 0;
	}
	S.graph = S.split == 0 && cfg->cycles != UD_CYCLES_NONE;
	ud_cycle_graph_clear(&graph);
	visit(&S, 0);
	if (table.full)
		res->stats.table_full = true;
	if (S.graph && !S.stop && !res->stats.frontier && !table.full)
		check_graph(res);
	if (cfg->progress)
		fprintf(stderr, "\r%78s\r", "");
	return 0;
}

int ud_explore(const struct ud_explore_cfg *cfg, struct ud_explore_result *res)
{
	static struct ud_explore_result best;
	double t0 = now();
	unsigned bound = cfg->depth;
	int rc;

	memset(res, 0, sizeof(*res));
	if (cfg->depth > UD_EXPLORE_MAX_DEPTH) {
		fprintf(stderr, "udsim: --depth %u: at most %u\n", cfg->depth,
		        (unsigned)UD_EXPLORE_MAX_DEPTH);
		return UD_ERR_INVAL;
	}
	rc = ud_table_init(&table, cfg->table_bits);
	if (rc) {
		fprintf(stderr, "udsim: no memory for 2^%u table slots\n", cfg->table_bits);
		return rc;
	}
	memset(&best, 0, sizeof(best));
	for (;;) {
		rc = search(cfg, bound, res);
		if (rc || !res->violation || res->stats.timed_out)
			break;
		if (res->no_path && best.violation)
			break; /* a shorter bound met the cycle only in the graph: keep the path */
		best = *res;
		if (cfg->first_only || res->len == 0)
			break;
		bound = res->len - 1;
	}
	if (!rc && best.violation) {
		struct ud_explore_stats st = res->stats;
		*res = best;
		res->stats = st;
	}
	res->stats.seconds = now() - t0;
	ud_table_free(&table);
	ud_cycle_graph_free(&graph);
	return rc;
}
