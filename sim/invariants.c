/* SPDX-License-Identifier: MIT */
/* The safety properties checked after every step, and the verdict. See invariants.h. */
#include "invariants.h"

#include <stdarg.h>
#include <stdio.h>

#include "ctrl_bus.h"
#include "devices.h"
#include "scheduler.h"

struct ud_verdict ud_verdict;

void ud_verdict_clear(void)
{
	ud_verdict.bad = false;
	ud_verdict.what[0] = '\0';
}

void ud_verdict_fail(const char *fmt, ...)
{
	va_list ap;

	if (ud_verdict.bad)
		return;
	ud_verdict.bad = true;
	va_start(ap, fmt);
	vsnprintf(ud_verdict.what, sizeof(ud_verdict.what), fmt, ap);
	va_end(ap);
}

/* The port contract, as the controller and the core count its breaches. */
static bool port_contract(const struct ud_world *w)
{
	char msg[160];

	if (!ud_bus_contract_ok(w, msg, sizeof(msg)))
		ud_verdict_fail("port contract: %s", msg);
	return !ud_verdict.bad;
}

bool ud_invariants_check(const struct ud_sched *s)
{
	const struct ud_sim_explore *x = s->w.def ? s->w.def->explore : NULL;
	char msg[200];

	if (ud_verdict.bad)
		return false;
	if (!port_contract(&s->w))
		return false;
	if (s->track.overflow) {
		ud_verdict_fail("more than %u requests to watch: raise UD_TRACK_MAX", UD_TRACK_MAX);
		return false;
	}
	/* Between steps no wrapped call runs: `inside` must be back to 0. */
	if (s->track.inside) {
		ud_verdict_fail("a ud_ep_submit/cancel/flush call did not return");
		return false;
	}
	if (!ud_track_check(&s->track, &s->w.dev, msg, sizeof(msg))) {
		ud_verdict_fail("request ownership: %s", msg);
		return false;
	}
	if (x && x->check && !x->check(&s->w, msg, sizeof(msg))) {
		ud_verdict_fail("%s: %s", s->w.def->name, msg);
		return false;
	}
	return true;
}
