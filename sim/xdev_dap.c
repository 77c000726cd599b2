/* SPDX-License-Identifier: MIT */
/* The explorer's view of `dap` and `dap-v1`. See xdev.h. */
#include <stdio.h>
#include <string.h>

#include "scheduler.h"
#include "xdev.h"

/* The commands the host sends: stateless (they touch neither the target nor the engine's
 * settings), and with pairwise different responses, so a response that arrives for the wrong
 * command, twice, or from before a reset cannot pass for the expected one. */
static const struct {
	uint8_t len;
	uint8_t cmd[2];
	const char *label;
} commands[] = {
	{2, {0x00, 0x04}, "DAP_Info(protocol version)"},
	{2, {0x00, 0xfe}, "DAP_Info(packet count)"},
	{2, {0x00, 0x02}, "DAP_Info(product)"},
	{2, {0x00, 0xff}, "DAP_Info(packet size)"},
	{1, {0x80, 0x00}, "vendor command 0x80"},
	{2, {0x00, 0x09}, "DAP_Info(firmware version)"},
};

/* The expected answer: what the probe's own engine says, run on a copy of it. */
static int oracle(const struct ud_dap_engine *engine, struct ud_work_unit *u, uint16_t report)
{
	struct ud_dap_engine e;
	uint8_t req[UD_WORK_MAX_BYTES];
	uint32_t req_len = report ? report : u->out_len;
	uint32_t n;

	memcpy(&e, engine, sizeof(e));
	memset(req, 0, sizeof(req));
	memcpy(req, u->out, u->out_len);
	n = ud_dap_engine_execute(&e, req, req_len, u->in, 64);
	if (n == 0 || n > 64)
		return UD_ERR_STATE;
	u->in_len = (uint16_t)n;
	return 0;
}

/* The DAP workload: the first @n commands, at most @window in flight. */
static int plan_commands(struct ud_work_plan *p, const struct ud_dap_engine *engine, unsigned n,
                         uint8_t window, bool v1)
{
	unsigned k, j;
	int rc;

	if (v1) {
		p->out_mode = p->in_mode = UD_WORK_REPORT;
		p->report = 64;
	} else {
		p->out_mode = p->in_mode = UD_WORK_FRAMED;
	}
	p->window = window; /* a host keeps at most packet-count commands in flight */
	/* Every fault but a suspend resets the queue (ud_dap.h); a suspend pauses it. */
	p->resync = UD_FAULTS_ALL & ~(1u << UD_FAULT_SUSPEND);
	p->n = (uint8_t)n;
	snprintf(p->noun, sizeof(p->noun), "command");
	for (k = 0; k < p->n; k++) {
		struct ud_work_unit *u = &p->unit[k];
		u->out_len = commands[k].len;
		memcpy(u->out, commands[k].cmd, commands[k].len);
		snprintf(u->label, sizeof(u->label), "%s", commands[k].label);
		rc = oracle(engine, u, p->report);
		if (rc)
			return rc;
		for (j = 0; j < k; j++) {
			if (p->unit[j].in_len == u->in_len &&
			    memcmp(p->unit[j].in, u->in, u->in_len) == 0)
				return UD_ERR_STATE; /* two commands with the same response */
		}
	}
	return 0;
}

/* Where the real probe's workload sends a DAP_TransferAbort: after as many commands as the
 * sim's `dap` has slots (UD_SIM_DAP_PACKET_COUNT), so that it can meet a full queue (the
 * device NAKs it until a response is read), a response on its way out and a command being
 * executed. */
#define ABORT_AT UD_SIM_DAP_PACKET_COUNT
_Static_assert(ABORT_AT <= sizeof(commands) / sizeof(commands[0]) &&
                       sizeof(commands) / sizeof(commands[0]) < UD_WORK_MAX_UNITS,
               "the abort goes among the commands, and the plan has room for it");

/* Insert a DAP_TransferAbort as unit @at: a silent unit (workload.h), which the transport
 * handles out of band (ud_dap.h): no slot, no response, OUT armed again. */
static void insert_abort(struct ud_work_plan *p, unsigned at)
{
	memmove(&p->unit[at + 1u], &p->unit[at], (p->n - at) * sizeof(p->unit[0]));
	p->n++;
	struct ud_work_unit *u = &p->unit[at];
	memset(u, 0, sizeof(*u));
	u->out[0] = UD_DAP_ID_TRANSFER_ABORT;
	u->out_len = 1;
	u->silent = 1;
	snprintf(u->label, sizeof(u->label), "DAP_TransferAbort");
}

static int dap_plan(struct ud_world *w, struct ud_work_plan *p)
{
	struct ud_dap *dap = &w->app.dap.dap;
	unsigned n = sizeof(commands) / sizeof(commands[0]);

	p->ep_out = dap->q.ep_out & 0x0f;
	p->ep_in = dap->q.ep_in & 0x0f;
	int rc = plan_commands(p, ud_dap_engine(dap), n, dap->q.count, dap->version == 1);
	if (rc == 0)
		insert_abort(p, ABORT_AT);
	return rc;
}

/* The queue's counters (ud_dap.h): freed <= sent <= done <= received <= freed + count, and at
 * most one response at the IN endpoint. */
static bool dap_check(const struct ud_world *w, char *msg, size_t cap)
{
	const struct ud_dap_queue *q = &w->app.dap.dap.q;
	uint32_t sent = q->sent - q->freed, done = q->done - q->freed;
	uint32_t received = q->received - q->freed;

	if (sent > 1 || sent > done || done > received || received > q->count) {
		snprintf(msg, cap,
		         "queue counters out of order: freed %u sent %u done %u "
		         "received %u (count %u)",
		         (unsigned)q->freed, (unsigned)q->sent, (unsigned)q->done,
		         (unsigned)q->received, q->count);
		return false;
	}
	if (q->stats.in_errors) {
		snprintf(msg, cap, "%u IN transfers failed", (unsigned)q->stats.in_errors);
		return false;
	}
	return true;
}

static bool dap_quiescent(const struct ud_world *w)
{
	return ud_dap_idle(&w->app.dap.dap);
}

static bool before(uint32_t a, uint32_t b)
{
	return ((a - b) & 0x80000000u) != 0;
}

/* Rebase the free-running counters by whole turns of the slot ring (slot = index % count
 * stays), and clamp `discard`: every index the queue compares with it is >= freed, so any
 * discard at or before freed means the same (nothing to discard). */
static void dap_canon(struct ud_world *w)
{
	struct ud_sim_dap *s = &w->app.dap;
	struct ud_dap_queue *q = &s->dap.q;
	uint32_t base = q->freed - q->freed % q->count;
	struct ud_swd_target *t = &s->target;

	if (before(q->discard, q->freed))
		q->discard = q->freed;
	q->freed -= base;
	q->sent -= base;
	q->done -= base;
	q->received -= base;
	q->discard -= base;
	memset(&q->stats, 0, sizeof(q->stats));
	s->steps = s->executed = 0;
	t->requests = t->waits = t->faults = t->no_acks = t->bus_errors = 0;
	t->line_resets = t->connects = t->disconnects = 0;
}

static void dap_describe(const struct ud_world *w, char *buf, size_t cap)
{
	const struct ud_dap_queue *q = &w->app.dap.dap.q;

	snprintf(buf, cap,
	         "queue: to execute %u, responses ready %u, IN %s, OUT %s, free slots %u/%u",
	         (unsigned)(q->received - q->done), (unsigned)(q->done - q->sent),
	         q->sent != q->freed ? "busy" : "idle", q->out_busy ? "armed" : "not armed",
	         (unsigned)(q->count - (q->received - q->freed)), q->count);
}

const struct ud_sim_explore ud_xdev_dap = {
	.app_size = sizeof(struct ud_sim_dap),
	.plan = dap_plan,
	.check = dap_check,
	.quiescent = dap_quiescent,
	.canon = dap_canon,
	.describe = dap_describe,
};

/* --- dap-flawed, the negative control (dev_dap_flawed.h) --- */

static int flawed_plan(struct ud_world *w, struct ud_work_plan *p)
{
	const struct ud_sim_dap_flawed *f = &w->app.dap_flawed;

	p->ep_out = f->ep_out & 0x0f;
	p->ep_in = f->ep_in & 0x0f;
	return plan_commands(p, &f->engine, UD_XDEV_FLAWED_COMMANDS, UD_SIM_FLAWED_SLOTS, false);
}

static bool flawed_quiescent(const struct ud_world *w)
{
	const struct ud_sim_dap_flawed *f = &w->app.dap_flawed;

	return f->phase == 0 && f->executed == f->received && f->queued == f->executed &&
	       f->armed == f->queued;
}

/* Its counters are mod 256 and index slots mod 4: rebase by whole turns of 4. */
static void flawed_canon(struct ud_world *w)
{
	struct ud_sim_dap_flawed *f = &w->app.dap_flawed;
	uint8_t base = (uint8_t)(f->armed - f->armed % UD_SIM_FLAWED_SLOTS);

	f->received = (uint8_t)(f->received - base);
	f->executed = (uint8_t)(f->executed - base);
	f->queued = (uint8_t)(f->queued - base);
	f->armed = (uint8_t)(f->armed - base);
	f->dropped = 0;
}

static void flawed_describe(const struct ud_world *w, char *buf, size_t cap)
{
	const struct ud_sim_dap_flawed *f = &w->app.dap_flawed;

	snprintf(buf, cap,
	         "\"response idle\" flag %u; to execute %u; %squeued unsent %u; slots used %u",
	         f->resp_idle, (unsigned)(uint8_t)(f->received - f->executed),
	         f->phase ? "executed, not yet queued 1 (main loop half-way); " : "",
	         (unsigned)(uint8_t)(f->queued - f->armed), f->used);
}

const struct ud_sim_explore ud_xdev_dap_flawed = {
	.app_size = sizeof(struct ud_sim_dap_flawed),
	.plan = flawed_plan,
	.quiescent = flawed_quiescent,
	.canon = flawed_canon,
	.describe = flawed_describe,
};
