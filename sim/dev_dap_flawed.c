/* SPDX-License-Identifier: MIT */
/*
 * `dap-flawed`: a NEGATIVE CONTROL for the explorer. This transport is broken ON PURPOSE, in
 * the four ways dev_dap_flawed.h lists (DAPLink issue #1026's logic); the explorer must find
 * the starvation. Nothing here is an example to follow: class/dap is the correct transport.
 */
#include "dev_dap_flawed.h"

#include <stddef.h>
#include <string.h>

#include "world.h"

static struct ud_sim_dap_flawed *to_flawed(struct ud_function *fn)
{
	return (struct ud_sim_dap_flawed *)(void *)((char *)fn -
	                                            offsetof(struct ud_sim_dap_flawed, fn));
}

static void out_done(struct ud_device *dev, struct ud_req *req);
static void in_done(struct ud_device *dev, struct ud_req *req);

static void arm_out(struct ud_sim_dap_flawed *f)
{
	f->out_req.buf = f->rx;
	f->out_req.length = sizeof(f->rx);
	f->out_req.complete = out_done;
	f->out_req.context = f;
	(void)ud_ep_submit(f->fn.dev, f->ep_out, &f->out_req);
}

/* Hand the response of slot @slot to the IN endpoint, and (flaw 2) free the slot now. */
static void arm_in(struct ud_sim_dap_flawed *f, unsigned slot)
{
	f->in_req.buf = f->resp[slot];
	f->in_req.length = f->resp_len[slot];
	f->in_req.complete = in_done;
	f->in_req.context = f;
	(void)ud_ep_submit(f->fn.dev, f->ep_in, &f->in_req);
	f->armed++;
	f->used--;
}

static void out_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_sim_dap_flawed *f = req->context;

	(void)dev;
	if (req->status != UD_OK)
		return; /* shut down: enable arms it again */
	if (req->actual > 0) {
		if (f->used == UD_SIM_FLAWED_SLOTS) {
			f->dropped++; /* flaw 3: a full queue drops the request, silently */
		} else {
			unsigned slot = f->received % UD_SIM_FLAWED_SLOTS;
			memcpy(f->cmd[slot], f->rx, req->actual);
			f->cmd_len[slot] = (uint16_t)req->actual;
			f->received++;
			f->used++;
		}
	}
	arm_out(f); /* flaw 3: OUT is always armed, full or not */
}

static void in_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_sim_dap_flawed *f = req->context;

	(void)dev;
	if (req->status != UD_OK)
		return; /* flaw 4: a transfer that did not succeed leaves the flag clear */
	if (f->queued != f->armed)
		arm_in(f, f->armed % UD_SIM_FLAWED_SLOTS);
	else
		f->resp_idle = 1; /* flaw 1: nothing queued *yet*, so IN is declared idle */
}

void ud_sim_dap_flawed_step(struct ud_world *w)
{
	struct ud_sim_dap_flawed *f = &w->app.dap_flawed;
	unsigned slot;

	if (f->phase == 0) {
		if (f->executed == f->received)
			return;
		slot = f->executed % UD_SIM_FLAWED_SLOTS;
		f->resp_len[slot] =
			(uint16_t)ud_dap_engine_execute(&f->engine, f->cmd[slot], f->cmd_len[slot],
		                                        f->resp[slot], UD_SIM_FLAWED_PACKET);
		f->executed++;
		f->idle_seen = f->resp_idle; /* flaw 1: read now, acted on in the next half */
		f->phase = 1;
		return;
	}
	f->phase = 0;
	if (f->idle_seen) {
		f->resp_idle = 0;
		f->queued++;
		arm_in(f, f->armed % UD_SIM_FLAWED_SLOTS);
	} else {
		f->queued++; /* the IN completion will send it, if one is still to come */
	}
}

static int flawed_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct ud_sim_dap_flawed *f = to_flawed(fn);
	int istr, intf, out, in, rc;

	if ((istr = ud_desc_add_string(dev, "udcore CMSIS-DAP flawed (negative control)")) < 0)
		return istr;
	if ((rc = ud_desc_function_begin(dev, 0xff, 0, 0, (uint8_t)istr)) < 0)
		return rc;
	if ((intf = ud_desc_alloc_interface(dev)) < 0)
		return intf;
	if ((out = ud_desc_alloc_endpoint(dev, false)) < 0)
		return out;
	if ((in = ud_desc_alloc_endpoint(dev, true)) < 0)
		return in;
	f->ep_out = (uint8_t)out;
	f->ep_in = (uint8_t)in;
	rc = ud_desc_add_interface(dev, (uint8_t)intf, 0, 2, 0xff, 0, 0, (uint8_t)istr);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, f->ep_out, UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, f->ep_in, UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_function_end(dev);
	return rc;
}

static void flawed_enable(struct ud_function *fn)
{
	arm_out(to_flawed(fn));
}

static void flawed_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	(void)intf;
	(void)alt;
	arm_out(to_flawed(fn));
}

/* Only a bus reset starts the queue afresh. */
static void flawed_reset(struct ud_function *fn)
{
	struct ud_sim_dap_flawed *f = to_flawed(fn);

	f->received = f->executed = f->queued = f->armed = f->used = 0;
	f->resp_idle = 1;
	f->phase = 0;
}

static const struct ud_function_ops flawed_ops = {
	.bind = flawed_bind,
	.enable = flawed_enable,
	.set_alt = flawed_set_alt,
	.reset = flawed_reset,
};

int ud_sim_dap_flawed_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	struct ud_sim_dap_flawed *f = &w->app.dap_flawed;
	int rc;

	const struct ud_sim_identity id = {0x1209, 0xda40,
	                                   "udcore CMSIS-DAP flawed (negative control)", "0001"};

	rc = ud_world_device_init(w, opt, &id);
	if (rc < 0)
		return rc;
	f->info.vendor = "udcore";
	f->info.product = "udcore CMSIS-DAP";
	f->info.serial = "0001";
	f->info.firmware_version = "0.1.0";
	f->info.packet_count = UD_SIM_FLAWED_SLOTS;
	f->info.packet_size = UD_SIM_FLAWED_PACKET;
	ud_swd_target_init(&f->target, f->ram, sizeof(f->ram));
	ud_dap_engine_init(&f->engine, &f->info, &ud_swd_target_io, &f->target);
	f->resp_idle = 1;
	f->fn.ops = &flawed_ops;
	f->fn.name = "dap-flawed";
	return ud_device_add_function(&w->dev, &f->fn);
}
