/* SPDX-License-Identifier: MIT */
/* `livelock`: the explorer's negative control for cycles. See dev_livelock.h. */
#include "dev_livelock.h"

#include <stddef.h>

#include "world.h"

static struct ud_sim_livelock *to_livelock(struct ud_function *fn)
{
	return (struct ud_sim_livelock *)(void *)((char *)fn -
	                                          offsetof(struct ud_sim_livelock, fn));
}

static int livelock_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct ud_sim_livelock *l = to_livelock(fn);
	int intf, in, out, rc;

	rc = ud_desc_function_begin(dev, 0xff, 0, 0, 0);
	if (rc < 0)
		return rc;
	intf = ud_desc_alloc_interface(dev);
	in = ud_desc_alloc_endpoint(dev, true);
	out = ud_desc_alloc_endpoint(dev, false);
	if (intf < 0 || in < 0 || out < 0)
		return UD_ERR_NOSPACE;
	l->ep_in = (uint8_t)in;
	l->ep_out = (uint8_t)out;
	rc = ud_desc_add_interface(dev, (uint8_t)intf, 0, 2, 0xff, 0, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, l->ep_in, UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, l->ep_out, UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_function_end(dev);
	return rc;
}

static void arm_out(struct ud_sim_livelock *l)
{
	l->out_req.buf = l->buf;
	l->out_req.length = sizeof(l->buf);
	(void)ud_ep_submit(l->fn.dev, l->ep_out, &l->out_req);
}

static void send_answer(struct ud_sim_livelock *l)
{
	if (ud_ep_submit(l->fn.dev, l->ep_in, &l->in_req) == 0)
		l->in_queued = 1;
}

static void out_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_sim_livelock *l = req->context;

	(void)dev;
	if (req->status != UD_OK)
		return; /* the endpoint closed: `enable` arms it again */
	l->in_req.buf = l->buf;
	l->in_req.length = req->actual;
	send_answer(l);
}

static void in_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_sim_livelock *l = req->context;

	(void)dev;
	l->in_queued = 0;
	if (req->status == UD_ERR_CANCELLED) {
		l->taken_back = 1; /* the step queues it again */
	} else if (req->status == UD_OK) {
		l->echoed++;
		arm_out(l);
	}
}

static void livelock_enable(struct ud_function *fn)
{
	struct ud_sim_livelock *l = to_livelock(fn);

	l->in_queued = l->taken_back = l->phase = 0;
	l->out_req.complete = out_done;
	l->out_req.context = l;
	l->in_req.complete = in_done;
	l->in_req.context = l;
	arm_out(l);
}

static void livelock_disable(struct ud_function *fn)
{
	struct ud_sim_livelock *l = to_livelock(fn);

	l->taken_back = l->phase = 0;
}

/* SET_INTERFACE closed and reopened the endpoints (their completions delivered first). */
static void livelock_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	(void)intf;
	(void)alt; /* only alternate setting 0 exists: the core refuses others */
	livelock_enable(fn);
}

static const struct ud_function_ops livelock_ops = {
	.bind = livelock_bind,
	.enable = livelock_enable,
	.disable = livelock_disable,
	.set_alt = livelock_set_alt,
};

void ud_sim_livelock_step(struct ud_world *w)
{
	struct ud_sim_livelock *l = &w->app.livelock;

	if (l->phase == 0 && l->in_queued) {
		/* THE FLAW: take back an answer the host has not read, to queue it "fresh". */
		if (ud_ep_cancel(&w->dev, l->ep_in, &l->in_req) == 0)
			l->phase = 1;
	} else if (l->phase == 1 && l->taken_back) {
		l->taken_back = 0;
		l->phase = 0;
		send_answer(l);
	} else if (!l->in_queued && !l->taken_back) {
		l->phase = 0; /* the answer was read before it could be taken back */
	}
}

int ud_sim_livelock_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	struct ud_sim_livelock *l = &w->app.livelock;
	int rc;

	const struct ud_sim_identity id = {0x1209, 0x0007, "udcore livelock (negative control)",
	                                   "0007"};

	rc = ud_world_device_init(w, opt, &id);
	if (rc < 0)
		return rc;
	l->fn.ops = &livelock_ops;
	l->fn.name = "livelock";
	return ud_device_add_function(&w->dev, &l->fn);
}
