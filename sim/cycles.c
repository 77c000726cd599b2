/* SPDX-License-Identifier: MIT */
/* Cycles of states: on one path, and in the graph of every move a search took. See cycles.h. */
#include "cycles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"

void ud_cycle_verdict(unsigned first, unsigned last)
{
	char from[32];

	if (first <= 1)
		strcpy(from, "at the start");
	else
		snprintf(from, sizeof(from), "after move %u", first - 1);
	ud_verdict_fail("cycle: moves %u to %u lead back to the state %s: a schedule may "
	                "repeat them forever without progress",
	                first, last, from);
}

/* Grow an array of @p *cap elements of @p size bytes to hold @p need. */
static bool grow(void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap * 2u : 256u;
	while (n < need)
		n *= 2u;
	void *p = realloc(*arr, n * size);
	if (!p)
		return false;
	*arr = p;
	*cap = n;
	return true;
}

/* ---- on a path ---- */

long ud_cycle_find(const uint64_t *hash, size_t n, uint64_t h)
{
	while (n > 0 && hash[n - 1u] == h)
		n--; /* self-loops just before h */
	for (size_t i = 0; i < n; i++) {
		if (hash[i] == h)
			return (long)i;
	}
	return -1;
}

void ud_cycle_watch_start(struct ud_cycle_watch *w, unsigned move, uint64_t hash)
{
	w->n = 0;
	w->first = move;
	if (!grow((void **)&w->hash, &w->cap, 1u, sizeof(*w->hash)))
		return; /* the next step reports it */
	w->hash[w->n++] = hash;
}

bool ud_cycle_watch_step(struct ud_cycle_watch *w, uint64_t hash)
{
	unsigned move = w->first + (unsigned)w->n;
	long d = ud_cycle_find(w->hash, w->n, hash);

	if (d >= 0) {
		ud_cycle_verdict(w->first + (unsigned)d + 1u, move);
		return false;
	}
	if (!grow((void **)&w->hash, &w->cap, w->n + 1u, sizeof(*w->hash))) {
		ud_verdict_fail("no memory to remember the states of this path");
		return false;
	}
	w->hash[w->n++] = hash;
	return true;
}

void ud_cycle_watch_free(struct ud_cycle_watch *w)
{
	free(w->hash);
	memset(w, 0, sizeof(*w));
}

/* ---- in the graph ---- */

void ud_cycle_graph_clear(struct ud_cycle_graph *g)
{
	g->n = 0;
	g->lost = false;
}

void ud_cycle_graph_edge(struct ud_cycle_graph *g, uint32_t from, uint32_t to)
{
	if (from == to || g->lost)
		return;
	if (!grow((void **)&g->edge, &g->cap, g->n + 1u, sizeof(*g->edge))) {
		g->lost = true;
		return;
	}
	g->edge[g->n][0] = from;
	g->edge[g->n][1] = to;
	g->n++;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The index of @p slot in the sorted, distinct @p ids. */
static uint32_t id_of(const uint32_t *ids, size_t m, uint32_t slot)
{
	const uint32_t *p = bsearch(&slot, ids, m, sizeof(*ids), cmp_u32);
	return (uint32_t)(p - ids);
}

/* Kahn's algorithm on the edges, renumbered to 0..m-1: states left unpeeled. */
static size_t peel(const struct ud_cycle_graph *g, const uint32_t *ids, size_t m, uint32_t *first,
                   uint32_t *adj, uint32_t *indeg, uint32_t *queue)
{
	size_t i, head = 0, tail = 0;

	memset(first, 0, (m + 1u) * sizeof(*first));
	memset(indeg, 0, m * sizeof(*indeg));
	for (i = 0; i < g->n; i++) {
		first[id_of(ids, m, g->edge[i][0]) + 1u]++;
		indeg[id_of(ids, m, g->edge[i][1])]++;
	}
	for (i = 0; i < m; i++)
		first[i + 1u] += first[i];
	for (i = 0; i < g->n; i++) {
		uint32_t from = id_of(ids, m, g->edge[i][0]);
		adj[first[from] + queue[from]++] = id_of(ids, m, g->edge[i][1]);
	}
	for (i = 0; i < m; i++) {
		if (indeg[i] == 0)
			queue[tail++] = (uint32_t)i;
	}
	while (head < tail) {
		uint32_t v = queue[head++];
		for (uint32_t e = first[v]; e < first[v + 1u]; e++) {
			if (--indeg[adj[e]] == 0)
				queue[tail++] = adj[e];
		}
	}
	return m - tail;
}

size_t ud_cycle_graph_check(struct ud_cycle_graph *g)
{
	size_t i, m = 0, left = (size_t)-1;

	if (g->lost)
		return left;
	if (g->n == 0)
		return 0;
	uint32_t *ids = malloc(2u * g->n * sizeof(*ids));
	if (!ids)
		return left;
	for (i = 0; i < g->n; i++) {
		ids[2u * i] = g->edge[i][0];
		ids[2u * i + 1u] = g->edge[i][1];
	}
	qsort(ids, 2u * g->n, sizeof(*ids), cmp_u32);
	for (i = 0; i < 2u * g->n; i++) {
		if (m == 0 || ids[m - 1u] != ids[i])
			ids[m++] = ids[i];
	}
	uint32_t *first = malloc((m + 1u) * sizeof(*first));
	uint32_t *adj = malloc(g->n * sizeof(*adj));
	uint32_t *indeg = malloc(m * sizeof(*indeg));
	uint32_t *queue = calloc(m, sizeof(*queue)); /* first the fill counts: zero */
	if (first && adj && indeg && queue)
		left = peel(g, ids, m, first, adj, indeg, queue);
	free(ids);
	free(first);
	free(adj);
	free(indeg);
	free(queue);
	return left;
}

void ud_cycle_graph_free(struct ud_cycle_graph *g)
{
	free(g->edge);
	memset(g, 0, sizeof(*g));
}
