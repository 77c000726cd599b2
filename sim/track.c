/* SPDX-License-Identifier: MIT */
/* The request-ownership watcher: link-time wrappers of ud_ep_submit/cancel/flush and the
 * completion trampoline. See track.h. */
#include "track.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"

static struct ud_track *live;

void ud_track_attach(struct ud_track *t)
{
	if (t)
		memset(t, 0, sizeof(*t));
	live = t;
}

unsigned ud_track_outstanding(const struct ud_track *t)
{
	unsigned i, n = 0;

	for (i = 0; i < t->n; i++)
		n += t->e[i].state == UD_TRK_OUTSTANDING;
	return n;
}

static struct ud_track_entry *find(struct ud_track *t, const struct ud_req *req)
{
	unsigned i;

	for (i = 0; i < t->n; i++) {
		if (t->e[i].req == req)
			return &t->e[i];
	}
	return NULL;
}

static void trampoline(struct ud_device *dev, struct ud_req *req)
{
	struct ud_track *t = live;
	struct ud_track_entry *e = t ? find(t, req) : NULL;
	ud_req_complete_fn fn;

	if (!e) {
		/* Only requests in the table ever get the trampoline, and entries are never
		 * removed: the world was restored without its tracker. */
		fprintf(stderr, "udsim: track: completion of an unknown request\n");
		abort();
	}
	fn = e->complete;
	if (t->inside)
		ud_verdict_fail(
			"request %p on EP %02x completed inside a ud_ep_submit/cancel/flush "
			"call (completions must come later, from ud_task())",
			(void *)req, req->ep);
	else if (e->state != UD_TRK_OUTSTANDING)
		ud_verdict_fail("request %p on EP %02x completed (status %s) but %s", (void *)req,
		                req->ep, ud_status_name(req->status),
		                e->state == UD_TRK_FAILED
		                        ? "its last submit had failed"
		                        : "it was not outstanding: completed twice");
	e->state = UD_TRK_IDLE;
	req->complete = fn;
	fn(dev, req);
	/* The callback may have resubmitted it (the wrapper re-installed the trampoline) or
	 * changed its callback (remember the new one). Table entries never move while the
	 * callback runs unless a new request was added: look it up again. */
	e = find(t, req);
	if (e && e->state != UD_TRK_OUTSTANDING && req->complete != trampoline) {
		e->complete = req->complete;
		req->complete = trampoline;
	}
}

#if defined(UD_SIM_WRAP)

/* Insert keeping the table sorted by address, so the same set of requests is the same bytes
 * whatever the order they were first seen in. */
static struct ud_track_entry *add(struct ud_track *t, struct ud_req *req)
{
	unsigned i;

	if (t->n == UD_TRACK_MAX) {
		t->overflow = 1;
		return NULL;
	}
	for (i = t->n; i > 0 && (uintptr_t)t->e[i - 1].req > (uintptr_t)req; i--)
		t->e[i] = t->e[i - 1];
	memset(&t->e[i], 0, sizeof(t->e[i]));
	t->e[i].req = req;
	t->n++;
	return &t->e[i];
}

int __real_ud_ep_submit(struct ud_device *dev, uint8_t ep, struct ud_req *req);
int __real_ud_ep_cancel(struct ud_device *dev, uint8_t ep, struct ud_req *req);
int __real_ud_ep_flush(struct ud_device *dev, uint8_t ep);
int __wrap_ud_ep_submit(struct ud_device *dev, uint8_t ep, struct ud_req *req);
int __wrap_ud_ep_cancel(struct ud_device *dev, uint8_t ep, struct ud_req *req);
int __wrap_ud_ep_flush(struct ud_device *dev, uint8_t ep);

bool ud_track_available(void)
{
	return true;
}

int __wrap_ud_ep_submit(struct ud_device *dev, uint8_t ep, struct ud_req *req)
{
	struct ud_track *t = live;
	struct ud_track_entry *e;
	bool outstanding;
	int rc;

	if (!t || !req || !req->complete)
		return __real_ud_ep_submit(dev, ep, req);
	e = find(t, req);
	if (!e)
		e = add(t, req);
	if (!e)
		return __real_ud_ep_submit(dev, ep, req);
	outstanding = e->state == UD_TRK_OUTSTANDING;
	if (!outstanding) {
		if (req->complete != trampoline)
			e->complete = req->complete;
		/* Before the call, so a completion inside it is seen (and not taken for a second
		 * one): outstanding for as long as the call runs. */
		req->complete = trampoline;
		e->state = UD_TRK_OUTSTANDING;
		e->ep = ep;
	}
	t->inside++;
	rc = __real_ud_ep_submit(dev, ep, req);
	t->inside--;
	e = find(t, req); /* a completion inside the call may have added entries */
	if (rc == 0 && outstanding)
		ud_verdict_fail("ud_ep_submit accepted request %p on EP %02x while it was still "
		                "outstanding on EP %02x",
		                (void *)req, ep, e->ep);
	else if (rc != 0 && !outstanding && e->state == UD_TRK_OUTSTANDING)
		e->state = UD_TRK_FAILED;
	return rc;
}

int __wrap_ud_ep_cancel(struct ud_device *dev, uint8_t ep, struct ud_req *req)
{
	int rc;

	if (!live)
		return __real_ud_ep_cancel(dev, ep, req);
	live->inside++;
	rc = __real_ud_ep_cancel(dev, ep, req);
	live->inside--;
	return rc;
}

int __wrap_ud_ep_flush(struct ud_device *dev, uint8_t ep)
{
	int rc;

	if (!live)
		return __real_ud_ep_flush(dev, ep);
	live->inside++;
	rc = __real_ud_ep_flush(dev, ep);
	live->inside--;
	return rc;
}

#else

bool ud_track_available(void)
{
	(void)trampoline;
	return false;
}

#endif

/* Walk one linked list of requests, marking what it holds. */
static bool walk(const struct ud_track *t, const struct ud_req *r, uint8_t ep, bool any_ep,
                 uint8_t *seen, const char *where, char *msg, size_t cap)
{
	unsigned steps = 0;

	for (; r; r = r->next) {
		unsigned i;

		if (++steps > UD_TRACK_MAX + 1u) {
			snprintf(msg, cap, "%s: list does not end (a cycle)", where);
			return false;
		}
		for (i = 0; i < t->n && t->e[i].req != r; i++)
			;
		if (i == t->n || t->e[i].state != UD_TRK_OUTSTANDING) {
			snprintf(msg, cap, "%s holds request %p, which is not outstanding", where,
			         (const void *)r);
			return false;
		}
		if (seen[i]++) {
			snprintf(msg, cap, "request %p is linked twice (%s)", (const void *)r,
			         where);
			return false;
		}
		if (!any_ep && t->e[i].ep != ep) {
			snprintf(msg, cap,
			         "request %p submitted to EP %02x sits in the queue of %02x",
			         (const void *)r, t->e[i].ep, ep);
			return false;
		}
	}
	return true;
}

bool ud_track_check(const struct ud_track *t, const struct ud_device *dev, char *msg, size_t cap)
{
	uint8_t seen[UD_TRACK_MAX];
	unsigned i;

	memset(seen, 0, sizeof(seen));
	for (i = 2; i < UD_EP_SLOTS; i++) {
		uint8_t ep = (uint8_t)(((i & 1u) << 7) | (i >> 1));

		const struct ud_req *head = dev->ep[i - 2u].head; /* dev->ep[] starts at EP1 */

		if (!head)
			continue;
		if (!(dev->open & (1u << i))) {
			snprintf(msg, cap, "EP %02x is closed but its queue holds requests", ep);
			return false;
		}
		if (!walk(t, head, ep, false, seen, "an endpoint queue", msg, cap))
			return false;
	}
	if (!walk(t, dev->done_head, 0, true, seen, "the done list", msg, cap))
		return false;
	for (i = 0; i < t->n; i++) {
		if (t->e[i].state == UD_TRK_OUTSTANDING && !seen[i]) {
			snprintf(msg, cap,
			         "request %p submitted to EP %02x is outstanding but in no queue: "
			         "it can never complete",
			         (const void *)t->e[i].req, t->e[i].ep);
			return false;
		}
	}
	return true;
}
