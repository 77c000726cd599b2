/* SPDX-License-Identifier: MIT */
/*
 * The vendor bulk function: descriptors, enable/disable, and the streaming API. The queues,
 * ZLPs, halts and shutdown completions are the core's (endpoint.c); this file only routes the
 * application's requests to its two endpoints and the core's callbacks to the application.
 * See ud_bulk.h.
 */
#include <stddef.h>

#include "udcore/ud_bulk.h"

#define MPS_FS_DEFAULT 64u
#define MPS_HS_BULK 512u /* the only size USB 2.0 allows for high-speed bulk (5.8.3) */

struct ud_bulk *ud_bulk_from_function(struct ud_function *fn)
{
	return fn ? (struct ud_bulk *)(void *)((char *)fn - offsetof(struct ud_bulk, fn)) : NULL;
}

static bool mps_fs_ok(uint16_t mps)
{
	return mps == 8u || mps == 16u || mps == 32u || mps == 64u;
}

/* Descriptors: one interface, alternate setting 0 only, OUT then IN (the order of Gadget
 * Zero's source/sink descriptors; hosts do not care). Built here because the class codes and
 * packet size are the configuration's; ud_desc_add_function() copies them and fills in the
 * numbers (at high speed the packets are 512 bytes, the only size ud_bulk_add() allows). */
static int bulk_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct ud_bulk *b = ud_bulk_from_function(fn);
	const struct ud_bulk_config *c = &b->cfg;
	int istr = 0;
	uint8_t ep[2]; /* OUT, IN */

	if (c->interface_string) {
		istr = ud_desc_add_string(dev, c->interface_string);
		if (istr < 0)
			return istr;
	}
	uint8_t mps = (uint8_t)c->mps_fs;
	/* clang-format off */
	const uint8_t desc[] = {
		9, UD_DESC_INTERFACE, 0, 0, 2, UD_BULK_CLASS, c->subclass, c->protocol, 1,
		7, UD_DESC_ENDPOINT, 0x01, UD_EP_BULK, mps, 0, 0,
		7, UD_DESC_ENDPOINT, 0x82, UD_EP_BULK, mps, 0, 0,
	};
	/* clang-format on */
	const struct ud_desc_template t = {desc, NULL, sizeof(desc), 0};
	int rc = ud_desc_add_function(dev, &t, (uint8_t)istr, ep);
	if (rc)
		return rc;
	b->intf = fn->first_interface;
	b->ep_out = ep[0];
	b->ep_in = ep[1];
	return c->winusb_guid ? ud_desc_msos2_winusb(dev, b->intf, c->winusb_guid) : 0;
}

static void bulk_enable(struct ud_function *fn)
{
	struct ud_bulk *b = ud_bulk_from_function(fn);

	b->active = 1;
	if (b->cfg.ops && b->cfg.ops->enable)
		b->cfg.ops->enable(b);
}

static void bulk_disable(struct ud_function *fn)
{
	struct ud_bulk *b = ud_bulk_from_function(fn);

	/* First, so that a submit from the callback (or from a shut-down completion) is refused
	 * here rather than queued on an endpoint that is about to close. */
	b->active = 0;
	if (b->cfg.ops && b->cfg.ops->disable)
		b->cfg.ops->disable(b);
}

/* SET_INTERFACE closed and reopened the endpoints (the core delivered the shut-down
 * completions first): for the application that is a fresh start. */
static void bulk_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	(void)intf;
	(void)alt; /* only alternate setting 0 exists: the core refuses others */
	bulk_enable(fn);
}

static int bulk_control(struct ud_function *fn, const struct ud_setup *setup)
{
	struct ud_bulk *b = ud_bulk_from_function(fn);

	if (!b->cfg.ops || !b->cfg.ops->control)
		return UD_ERR_NOTSUP;
	return b->cfg.ops->control(b, setup);
}

static void bulk_halt_cleared(struct ud_function *fn, uint8_t ep)
{
	struct ud_bulk *b = ud_bulk_from_function(fn);

	if (b->cfg.ops && b->cfg.ops->halt_cleared)
		b->cfg.ops->halt_cleared(b, ep);
}

static const struct ud_function_ops bulk_ops = {
	.bind = bulk_bind,
	.enable = bulk_enable,
	.disable = bulk_disable,
	.set_alt = bulk_set_alt,
	.control = bulk_control,
	.halt_cleared = bulk_halt_cleared,
};

int ud_bulk_add(struct ud_device *dev, struct ud_bulk *b, const struct ud_bulk_config *cfg)
{
	if (!dev || !b || !cfg || cfg->zlp > UD_BULK_ZLP_ALWAYS)
		return UD_ERR_INVAL;
	struct ud_bulk_config c = *cfg;
	if (!c.mps_fs)
		c.mps_fs = MPS_FS_DEFAULT;
	if (!c.mps_hs)
		c.mps_hs = MPS_HS_BULK;
	if (!mps_fs_ok(c.mps_fs) || c.mps_hs != MPS_HS_BULK)
		return UD_ERR_INVAL;
	b->fn.ops = &bulk_ops;
	b->fn.name = "bulk";
	b->cfg = c;
	b->intf = 0;
	b->ep_in = 0;
	b->ep_out = 0;
	b->active = 0;
	return ud_device_add_function(dev, &b->fn);
}

/* Thin on purpose: this is the per-packet path (see docs/performance.md). */
int ud_bulk_submit_out(struct ud_bulk *b, struct ud_req *req)
{
	if (!b)
		return UD_ERR_INVAL;
	if (!b->active)
		return UD_ERR_STATE;
	return ud_ep_submit(b->fn.dev, b->ep_out, req);
}

int ud_bulk_submit_in(struct ud_bulk *b, struct ud_req *req)
{
	if (!b || !req)
		return UD_ERR_INVAL;
	if (!b->active)
		return UD_ERR_STATE;
	if (b->cfg.zlp == UD_BULK_ZLP_ALWAYS)
		req->flags |= UD_REQ_ZLP;
	return ud_ep_submit(b->fn.dev, b->ep_in, req);
}

static bool bound(const struct ud_bulk *b)
{
	return b && b->fn.dev && b->ep_in;
}

int ud_bulk_cancel(struct ud_bulk *b, struct ud_req *req)
{
	if (!bound(b) || !req)
		return UD_ERR_INVAL;
	int rc = ud_ep_cancel(b->fn.dev, b->ep_out, req);
	return rc == UD_ERR_NOENT ? ud_ep_cancel(b->fn.dev, b->ep_in, req) : rc;
}

int ud_bulk_flush(struct ud_bulk *b)
{
	if (!bound(b))
		return UD_ERR_INVAL;
	int out = ud_ep_flush(b->fn.dev, b->ep_out);
	int in = ud_ep_flush(b->fn.dev, b->ep_in);
	return (out < 0 ? 0 : out) + (in < 0 ? 0 : in);
}

int ud_bulk_set_halt(struct ud_bulk *b, bool in)
{
	if (!bound(b))
		return UD_ERR_INVAL;
	return ud_ep_set_halt(b->fn.dev, in ? b->ep_in : b->ep_out);
}

bool ud_bulk_active(const struct ud_bulk *b)
{
	/* SET_INTERFACE closes the endpoints without a `disable`: ask the core too. */
	return bound(b) && b->active && ud_ep_is_open(b->fn.dev, b->ep_out);
}

uint16_t ud_bulk_max_packet(const struct ud_bulk *b, bool in)
{
	if (!bound(b))
		return 0;
	return ud_ep_max_packet(b->fn.dev, in ? b->ep_in : b->ep_out);
}

void *ud_bulk_context(const struct ud_bulk *b)
{
	return b ? b->cfg.context : NULL;
}
