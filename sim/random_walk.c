/* SPDX-License-Identifier: MIT */
/* `udsim random`: random interleavings and shrinking. See random_walk.h. */
#include "random_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"
#include "replay.h"

/* Replays a shrink may spend. */
#define SHRINK_BUDGET 20000u

static struct ud_sched cur; /* the walking state, at one fixed address */
static struct ud_sched copy;

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static struct ud_move pick(const struct ud_sched_cfg *sc, uint64_t *seed)
{
	struct ud_move mv[UD_SCHED_MAX_MOVES], faults[UD_SCHED_MAX_MOVES];
	unsigned i, n = ud_sched_moves(&cur, sc, mv), nf = 0, k = 0;

	for (i = 0; i < n; i++) {
		if (mv[i].kind == UD_MV_FAULT)
			faults[nf++] = mv[i];
		else
			mv[k++] = mv[i];
	}
	if (nf && (rnd(seed) % 32 == 0 || k == 0))
		return faults[rnd(seed) % nf];
	return mv[rnd(seed) % k];
}

/* Liveness from the current state, leaving it as it was. */
static bool live_here(const struct ud_sched_cfg *sc)
{
	bool ok;

	ud_sched_copy(&copy, &cur);
	ud_verdict_clear();
	ok = ud_sched_live(&cur, sc, NULL);
	ud_sched_copy(&cur, &copy);
	return ok;
}

static void shrink(const char *device, const struct ud_sim_options *opt,
                   const struct ud_sched_cfg *sc, struct ud_walk_result *res)
{
	struct ud_move *cand = malloc((res->len ? res->len : 1) * sizeof(*cand));
	unsigned chunk, i, budget = SHRINK_BUDGET;

	if (!cand)
		return;
	for (chunk = res->len / 2; chunk >= 1 && budget; chunk /= 2) {
		for (i = 0; i + chunk <= res->len && budget; budget--) {
			unsigned n = res->len - chunk;
			memcpy(cand, res->path, i * sizeof(*cand));
			memcpy(cand + i, res->path + i + chunk, (n - i) * sizeof(*cand));
			if (ud_replay_check(device, opt, sc, cand, n, res->live) == 1) {
				memcpy(res->path, cand, n * sizeof(*cand));
				res->len = n;
				snprintf(res->what, sizeof(res->what), "%s", ud_verdict.what);
			} else {
				i += chunk;
			}
		}
	}
	free(cand);
}

int ud_walk(const char *device, const struct ud_sim_options *opt, const struct ud_sched_cfg *sc,
            uint64_t seed, unsigned long steps, struct ud_walk_result *res)
{
	char err[200];
	int rc;

	memset(res, 0, sizeof(*res));
	res->path = malloc((steps ? steps : 1) * sizeof(*res->path));
	if (!res->path)
		return UD_ERR_NOSPACE;
	rc = ud_sched_start(&cur, device, opt, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "udsim: %s\n", err);
		return rc;
	}
	res->episodes = 1;
	res->violation = ud_verdict.bad; /* broken at the start already */
	while (res->steps < steps && !res->violation) {
		struct ud_move m = pick(sc, &seed);
		bool done;

		res->path[res->len++] = m;
		res->steps++;
		ud_verdict_clear();
		ud_sched_apply(&cur, sc, &m, NULL, 0);
		if (ud_verdict.bad) {
			res->violation = true;
			break;
		}
		done = ud_work_done(&cur.work, ud_sched_plan());
		if (done || res->len % 64 == 0 || res->steps == steps) {
			res->live_checks++;
			if (!live_here(sc)) {
				res->violation = res->live = true;
				break;
			}
		}
		if (done && res->steps < steps) {
			rc = ud_sched_start(&cur, device, opt, err, sizeof(err));
			if (rc)
				return rc;
			if (ud_verdict.bad) {
				res->violation = true;
				res->len = 0;
				break;
			}
			res->len = 0;
			res->episodes++;
		}
	}
	if (res->violation) {
		snprintf(res->what, sizeof(res->what), "%s", ud_verdict.what);
		shrink(device, opt, sc, res);
	}
	return 0;
}
