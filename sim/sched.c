/* SPDX-License-Identifier: MIT */
/* The scheduler: the root state, which moves are enabled, taking a move, and the fair
 * continuation. Host moves and faults are in sched_host.c. See scheduler.h. */
#include "scheduler.h"

#include <stdio.h>
#include <string.h>

#include "ctrl_bus.h"
#include "devices.h"
#include "enumerate.h"
#include "invariants.h"
#include "sched_internal.h"
#include "state_hash.h"

static struct ud_work_plan plan;
static bool task_busy; /* what the last `task` move's ud_task() returned */

const struct ud_work_plan *ud_sched_plan(void)
{
	return &plan;
}

size_t ud_sched_world_bytes(const struct ud_sched *s)
{
	const struct ud_sim_explore *x = s->w.def ? s->w.def->explore : NULL;
	size_t app = x && x->app_size ? x->app_size : sizeof(s->w.app);

	if (s->w.opt.port == UD_SIM_PORT_FSDEV)
		return offsetof(struct ud_world, fsdev) +
		       sizeof(s->w.fsdev); /* the controller too */
	return offsetof(struct ud_world, app) + app;
}

void ud_sched_copy(struct ud_sched *to, const struct ud_sched *from)
{
	size_t n = ud_sched_world_bytes(from);

	memcpy(to, from, n);
	memcpy(&to->track, &from->track, sizeof(*to) - offsetof(struct ud_sched, track));
}

int ud_sched_start(struct ud_sched *s, const char *device, const struct ud_sim_options *opt,
                   char *err, size_t cap)
{
	static struct ud_sim_result r;
	static struct ud_enum_log log;
	const struct ud_sim_explore *x;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(&plan, 0, sizeof(plan));
	ud_verdict_clear();
	/* Watch from the start: the requests `enable` submits during enumeration count. */
	ud_track_attach(&s->track);
	rc = ud_world_init(&s->w, device, opt, err, (unsigned)cap);
	if (rc)
		return rc;
	ud_enumerate(&s->w, UD_OS_LINUX, &r, &log);
	if (r.status != UD_SIM_OK) {
		snprintf(err, cap, "enumeration failed: %s: %s", ud_sim_status_name(r.status),
		         r.message);
		return UD_ERR_IO;
	}
	x = s->w.def->explore;
	if (x && x->plan) {
		rc = x->plan(&s->w, &plan);
		if (rc) {
			snprintf(err, cap, "device '%s' could not plan a workload: %s", device,
			         ud_status_name(rc));
			return rc;
		}
	}
	ud_work_init(&s->work);
	s->w.host.manual = 1;
	ud_invariants_check(s); /* a violation here is the verdict: the caller reports it */
	return 0;
}

unsigned ud_sched_moves(const struct ud_sched *s, const struct ud_sched_cfg *c, struct ud_move *out)
{
	unsigned i, n = 0, irqs = ud_bus_irq_count(&s->w);

	for (i = 0; i < irqs && n < UD_SCHED_MAX_MOVES; i++) {
		if (ud_bus_irq_deliverable(&s->w, i))
			out[n++] = (struct ud_move){UD_MV_IRQ, (uint8_t)i, 0};
	}
	out[n++] = (struct ud_move){UD_MV_TASK, 0, 0};
	if (s->w.def->step)
		out[n++] = (struct ud_move){UD_MV_STEP, 0, 0};
	n += ud_sched_host_moves(s, c, out + n);
	return n;
}

static bool apply_irq(struct ud_sched *s, unsigned n, char *desc, size_t cap)
{
	if (!ud_bus_irq_deliverable(&s->w, n))
		return false;
	if (desc) {
		char what[120];
		ud_bus_irq_describe(&s->w, n, what, sizeof(what));
		snprintf(desc, cap, "irq %u: %s", n, what);
	}
	/* Delivered even if the handler failed (the fsdev model's stuck line): the state moved,
	 * and the invariants (the port contract) judge the failure. */
	(void)ud_bus_irq_deliver(&s->w, n);
	return true;
}

bool ud_sched_apply(struct ud_sched *s, const struct ud_sched_cfg *c, const struct ud_move *m,
                    char *desc, size_t cap)
{
	bool ok = true;

	if (desc && cap)
		desc[0] = '\0';
	switch (m->kind) {
	case UD_MV_IRQ:
		ok = apply_irq(s, m->arg, desc, cap);
		break;
	case UD_MV_TASK:
		task_busy = ud_task(&s->w.dev);
		if (task_busy) {
			if (desc)
				snprintf(desc, cap, "task: ud_task() did work");
		} else if (desc) {
			snprintf(desc, cap, "task: nothing to do");
		}
		break;
	case UD_MV_STEP:
		if (!s->w.def->step)
			return false;
		s->w.def->step(&s->w);
		if (desc)
			snprintf(desc, cap, "step: the class processing step ran");
		break;
	default:
		ok = ud_sched_host_apply(s, c, m, desc, cap);
		break;
	}
	if (ok)
		ud_invariants_check(s);
	return ok;
}

/* The continuation's moves go through here, so a narration can record them. */
static struct ud_move_log *recorder;

void ud_sched_record(struct ud_move_log *log)
{
	recorder = log;
}

static void take(struct ud_sched *s, const struct ud_sched_cfg *c, struct ud_move m)
{
	if (ud_sched_apply(s, c, &m, NULL, 0) && recorder) {
		if (recorder->n < recorder->cap)
			recorder->moves[recorder->n++] = m;
		else
			recorder->overflow = true;
	}
}

bool ud_sched_quiescent(struct ud_sched *s, const struct ud_sched_cfg *c)
{
	static const struct ud_sched_cfg none;
	const struct ud_sim_explore *x = s->w.def->explore;

	/* Not at rest while the next frame will wake the controller. */
	if (ud_bus_irq_count(&s->w) != 0 || ud_bus_wake_due(&s->w) ||
	    !ud_work_done(&s->work, &plan) ||
	    (ud_sched_lines(c) && !ud_work_lines_done(&s->work, &plan)))
		return false;
	if (x && x->quiescent && !x->quiescent(&s->w))
		return false;
	take(s, &none, (struct ud_move){UD_MV_TASK, 0, 0});
	if (task_busy)
		return false;
	/* Nothing left behind: an IN request still queued on the workload's IN endpoint is data
	 * the workload did not expect and the host, done, will never ask for. Not with the cable
	 * pulled: a controller without VBUS sensing (the fsdev) cannot tell, and the next host's
	 * reset ends it. Other IN endpoints (CDC's notifications) wait for a host that polls
	 * them, which this one does not. */
	for (unsigned i = 0; ud_bus_vbus_present(&s->w) && i < s->track.n; i++) {
		const struct ud_track_entry *e = &s->track.e[i];
		if (e->state == UD_TRK_OUTSTANDING && e->ep == (0x80u | plan.ep_in))
			ud_verdict_fail("quiescent, but an IN request is still queued on 0x%02x: "
			                "data the host will never read",
			                e->ep);
	}
	/* Every bus event handled: the core's suspend level must be the bus's. */
	if (ud_device_suspended(&s->w.dev) != ud_bus_suspended(&s->w))
		ud_verdict_fail("quiescent, but the core believes the bus %s",
		                ud_bus_suspended(&s->w) ? "running while it is suspended"
		                                        : "suspended while it runs");
	return true;
}

/* Rounds a fair continuation may need: a few per packet the workload has to move. */
unsigned ud_sched_live_bound(const struct ud_sched_cfg *c)
{
	unsigned i, packets = 0;

	if (c->live_rounds)
		return c->live_rounds;
	for (i = 0; i < plan.n; i++)
		packets += 2u + plan.unit[i].out_len / 8u + plan.unit[i].in_len / 8u;
	return 64u + 4u * packets;
}

/* A running bus carries a SOF every frame. The fsdev's resume detection needs them: a handler
 * that entered suspend on a running bus is woken by the next one (fsdev_irq.c). The vdc reports
 * bus levels exactly and gets none, which keeps its searches and narrations as they were. */
void ud_sched_frame_tick(struct ud_sched *s)
{
	if (s->w.opt.port != UD_SIM_PORT_FSDEV || s->w.host.config == 0 || ud_bus_suspended(&s->w))
		return;
	s->w.host.frame = (uint16_t)((s->w.host.frame + 1u) & 0x7ffu);
	ud_bus_sof(&s->w, s->w.host.frame);
}

bool ud_sched_live_round(struct ud_sched *s, const struct ud_sched_cfg *c)
{
	struct ud_move mv[UD_SCHED_MAX_MOVES];
	unsigned i, n, guard;

	ud_sched_frame_tick(s);

	/* The oldest pending interrupt is always deliverable (bus events are barriers only for
	 * what came after them). */
	for (guard = 0; ud_bus_irq_count(&s->w) > 0 && guard < UD_VDC_MAX_IRQ; guard++)
		take(s, c, (struct ud_move){UD_MV_IRQ, 0, 0});
	for (guard = 0; guard < 64; guard++) {
		take(s, c, (struct ud_move){UD_MV_TASK, 0, 0});
		if (!task_busy)
			break;
	}
	if (s->w.def->step)
		take(s, c, (struct ud_move){UD_MV_STEP, 0, 0});
	if (ud_verdict.bad)
		return false;
	/* The host: every host move of this state except faults, in order. */
	n = ud_sched_host_moves(s, c, mv);
	for (i = 0; i < n && !ud_verdict.bad; i++) {
		if (mv[i].kind != UD_MV_FAULT)
			take(s, c, mv[i]);
	}
	return !ud_verdict.bad;
}

bool ud_sched_dead_end(struct ud_sched *s, const struct ud_sched_cfg *c)
{
	static struct ud_sched base; /* inert bytes, only ever copied back into s */
	struct ud_move mv[UD_SCHED_MAX_MOVES];
	uint64_t h = ud_state_hash(s);
	unsigned n = ud_sched_moves(s, c, mv);
	bool moved = false;

	ud_sched_copy(&base, s);
	for (unsigned i = 0; i < n && !moved; i++) {
		if (mv[i].kind == UD_MV_FAULT)
			continue; /* progress must not wait for a fault */
		ud_verdict_clear();
		ud_sched_apply(s, c, &mv[i], NULL, 0);
		moved = ud_verdict.bad || ud_state_hash(s) != h;
		ud_sched_copy(s, &base);
	}
	ud_verdict_clear();
	if (moved)
		return false;
	bool at_rest = ud_sched_quiescent(s, c) && !ud_verdict.bad;
	ud_sched_copy(s, &base);
	ud_verdict_clear();
	if (at_rest)
		return false;
	ud_verdict_fail("dead end: no move but a fault changes this state, yet it is not at "
	                "rest: only the fair continuation goes on from here, by something that is "
	                "not a move");
	return true;
}

bool ud_sched_live(struct ud_sched *s, const struct ud_sched_cfg *c, unsigned *rounds)
{
	unsigned r, bound = ud_sched_live_bound(c);
	char what[160];

	for (r = 0; r < bound; r++) {
		if (ud_sched_quiescent(s, c)) {
			if (rounds)
				*rounds = r;
			return ud_invariants_check(s);
		}
		if (!ud_sched_live_round(s, c)) {
			if (rounds)
				*rounds = r;
			return false;
		}
	}
	if (rounds)
		*rounds = r;
	ud_work_describe(&s->work, &plan, what, sizeof(what));
	ud_verdict_fail("liveness: the host waits forever: after %u rounds of the fair "
	                "continuation, %s%s",
	                bound, what, ud_bus_irq_count(&s->w) ? " (interrupts still pending)" : "");
	return false;
}
