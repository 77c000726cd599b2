/* SPDX-License-Identifier: MIT */
/* The explorer's view of `minimal`, `bulk`, `cdc` and `livelock`. See xdev.h. */
#include <stdio.h>
#include <string.h>

#include "scheduler.h"
#include "xdev.h"

void ud_xdev_echo_unit(struct ud_work_plan *p, unsigned k, uint16_t out_len)
{
	struct ud_work_unit *u = &p->unit[k];
	unsigned i;

	if (out_len > UD_WORK_MAX_BYTES)
		out_len = UD_WORK_MAX_BYTES; /* never past the unit's buffers */
	u->out_len = u->in_len = out_len;
	for (i = 0; i < out_len; i++)
		u->out[i] = u->in[i] = (uint8_t)(0x11u * (k + 1u) + 7u * i);
	snprintf(u->label, sizeof(u->label), "%u bytes", out_len);
}

/* A plan of echoed units of @p n lengths @p len on endpoints @p ep_out / @p ep_in (addresses),
 * all in @p mode, named @p noun; @p resync as the plan's. */
static void echo_plan(struct ud_work_plan *p, uint8_t ep_out, uint8_t ep_in, uint8_t mode,
                      const char *noun, const uint16_t *len, unsigned n, uint32_t resync)
{
	p->ep_out = ep_out & 0x0f;
	p->ep_in = ep_in & 0x0f;
	p->out_mode = p->in_mode = mode;
	p->n = (uint8_t)n;
	snprintf(p->noun, sizeof(p->noun), "%s", noun);
	for (unsigned k = 0; k < n; k++)
		ud_xdev_echo_unit(p, k, len[k]);
	p->resync = resync;
}

/* The faults after which a FRAMED echo starts again with nothing in flight: `enable` (or
 * `set_alt`) restarts it, while a clear-halt pauses and resumes the transfer. */
#define ECHO_RESTARTS                                                                              \
	(1u << UD_FAULT_RESET | 1u << UD_FAULT_DISCONNECT | 1u << UD_FAULT_SET_CONFIG |            \
	 1u << UD_FAULT_SET_INTERFACE)

/* --- minimal: no workload; its callbacks only count --- */

static void minimal_canon(struct ud_world *w)
{
	struct ud_minimal *m = &w->app.minimal;

	m->enables = m->disables = m->set_alts = m->controls = 0;
	m->halts_cleared = m->resets = m->suspends = m->sofs = 0;
}

const struct ud_sim_explore ud_xdev_minimal = {
	.app_size = sizeof(struct ud_minimal),
	.canon = minimal_canon,
};

/* --- bulk: the loopback echoes each transfer whole --- */

static int bulk_plan(struct ud_world *w, struct ud_work_plan *p)
{
	const struct ud_bulk_loopback *lb = &w->app.bulk.lb;
	uint16_t mps = ud_host_mps(&w->host, lb->bulk.ep_out & 0x0f, false);
	const uint16_t len[] = {5, mps, 0, (uint16_t)(mps + 6)};

	echo_plan(p, lb->bulk.ep_out, lb->bulk.ep_in, UD_WORK_FRAMED, "transfer", len,
	          sizeof(len) / sizeof(len[0]), ECHO_RESTARTS);
	return 0;
}

static bool bulk_check(const struct ud_world *w, char *msg, size_t cap)
{
	const struct ud_bulk_loopback_stats *st = &w->app.bulk.lb.stats;

	if (st->errors || st->overflows) {
		snprintf(msg, cap, "the loopback counted %u errors and %u overflows",
		         (unsigned)st->errors, (unsigned)st->overflows);
		return false;
	}
	return true;
}

static void bulk_canon(struct ud_world *w)
{
	memset(&w->app.bulk.lb.stats, 0, sizeof(w->app.bulk.lb.stats));
}

const struct ud_sim_explore ud_xdev_bulk = {
	.app_size = sizeof(struct ud_sim_bulk),
	.plan = bulk_plan,
	.check = bulk_check,
	.canon = bulk_canon,
};

/* --- cdc: the `step` echo; both rings survive resets, so nothing may ever be lost --- */

static int cdc_plan(struct ud_world *w, struct ud_work_plan *p)
{
	const struct ud_cdc *c = &w->app.cdc.cdc;
	uint16_t mps = ud_host_mps(&w->host, c->ep_out & 0x0f, false);
	const uint16_t len[] = {10, mps, (uint16_t)(mps + 6)};

	/* Nothing restarts the stream: the rings survive every fault. */
	echo_plan(p, c->ep_out, c->ep_in, UD_WORK_STREAM, "run", len, sizeof(len) / sizeof(len[0]),
	          0);
	/* The control lines (workload.h): the `cdc` device is a loopback plug, DTR to DCD and
	 * DSR (dev_cdc.c). Its configuration ends at a reset, an unplug or SET_CONFIGURATION. */
	p->ep_notify = c->ep_notify & 0x0f;
	p->notify_intf = c->fn.first_interface;
	p->notify_levels = UD_CDC_SERIAL_LEVELS;
	p->lines_reset =
		1u << UD_FAULT_RESET | 1u << UD_FAULT_DISCONNECT | 1u << UD_FAULT_SET_CONFIG;
	return 0;
}

static bool cdc_check(const struct ud_world *w, char *msg, size_t cap)
{
	const struct ud_cdc_counters *st = &w->app.cdc.cdc.stats;

	if (st->rx_dropped || st->tx_dropped || st->io_errors) {
		snprintf(msg, cap, "the port dropped %u received and %u sent bytes, %u I/O errors",
		         (unsigned)st->rx_dropped, (unsigned)st->tx_dropped,
		         (unsigned)st->io_errors);
		return false;
	}
	return true;
}

static bool cdc_quiescent(const struct ud_world *w)
{
	const struct ud_cdc *c = &w->app.cdc.cdc;

	return c->rx.head == c->rx.tail && c->tx.head == c->tx.tail && !c->flushing &&
	       c->flush_req == c->flush_seen;
}

static void cdc_canon(struct ud_world *w)
{
	struct ud_sim_cdc *s = &w->app.cdc;

	memset(&s->cdc.stats, 0, sizeof(s->cdc.stats));
	s->line_codings = s->control_lines = s->breaks = s->states = s->echoed = 0;
	/* Posted/seen pairs are compared for equality only; an event is pending while its
	 * bit differs in ss_req and ss_ack. */
	s->cdc.flush_req -= s->cdc.flush_seen;
	s->cdc.flush_seen = 0;
	s->cdc.ss_req ^= s->cdc.ss_ack;
	s->cdc.ss_ack = 0;
	/* The rings' indices run free: only their positions and differences matter. */
	uint32_t d = s->cdc.rx.tail & ~(s->cdc.rx.size - 1u);
	s->cdc.rx.head -= d;
	s->cdc.rx.tail -= d;
#if UD_STREAMS
	s->cdc.rx_seen -= d; /* the head on_rx last saw (streams, ud_stream.h) */
#endif
	d = s->cdc.tx.tail & ~(s->cdc.tx.size - 1u);
	s->cdc.tx.head -= d;
	s->cdc.tx.tail -= d;
	s->cdc.tx_kept_from = s->cdc.tx_discard ? s->cdc.tx_kept_from - d : 0;
#if UD_STREAMS
	/* The streams' marks (ud_stream.h) run with the indices too. */
	s->cdc.tx_stream.flush -= d;
	s->cdc.tx_stream.flush_done -= d;
	s->cdc.tx_stream.flush_load =
		s->cdc.tx_stream.flush_pkt ? s->cdc.tx_stream.flush_load - d : 0;
	s->cdc.tx_seen -= d;
#endif
}

static void cdc_describe(const struct ud_world *w, char *buf, size_t cap)
{
	const struct ud_cdc *c = &w->app.cdc.cdc;

	/* rx_busy, tx_busy: 1, a request in flight; 4, the endpoint streams (cdc_internal.h). */
	snprintf(buf, cap, "rings: received unread %u, to send %u; OUT %s, IN %s",
	         (unsigned)(c->rx.head - c->rx.tail), (unsigned)(c->tx.head - c->tx.tail),
	         (c->rx_busy & 4)   ? "streams"
	         : (c->rx_busy & 1) ? "armed"
	                            : "not armed",
	         (c->tx_busy & 4)   ? "streams"
	         : (c->tx_busy & 1) ? "busy"
	                            : "idle");
}

const struct ud_sim_explore ud_xdev_cdc = {
	.app_size = sizeof(struct ud_sim_cdc),
	.plan = cdc_plan,
	.check = cdc_check,
	.quiescent = cdc_quiescent,
	.canon = cdc_canon,
	.describe = cdc_describe,
};

/* --- livelock, the negative control of the cycle check (dev_livelock.h) --- */

static int livelock_plan(struct ud_world *w, struct ud_work_plan *p)
{
	const struct ud_sim_livelock *l = &w->app.livelock;
	const uint16_t len[] = {5, 9};

	echo_plan(p, l->ep_out, l->ep_in, UD_WORK_FRAMED, "transfer", len,
	          sizeof(len) / sizeof(len[0]), ECHO_RESTARTS);
	return 0;
}

static bool livelock_quiescent(const struct ud_world *w)
{
	const struct ud_sim_livelock *l = &w->app.livelock;

	return !l->in_queued && !l->taken_back && l->phase == 0;
}

static void livelock_canon(struct ud_world *w)
{
	w->app.livelock.echoed = 0;
}

static void livelock_describe(const struct ud_world *w, char *buf, size_t cap)
{
	const struct ud_sim_livelock *l = &w->app.livelock;

	snprintf(buf, cap, "answer %s; next step %s",
	         l->in_queued    ? "queued"
	         : l->taken_back ? "taken back"
	                         : "none",
	         l->phase ? "queues it again" : "takes it back");
}

const struct ud_sim_explore ud_xdev_livelock = {
	.app_size = sizeof(struct ud_sim_livelock),
	.plan = livelock_plan,
	.quiescent = livelock_quiescent,
	.canon = livelock_canon,
	.describe = livelock_describe,
};
