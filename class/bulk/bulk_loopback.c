/* SPDX-License-Identifier: MIT */
/*
 * Bulk loopback (ud_bulk_loopback.h). Each slot is one request that goes round:
 * OUT (room: the whole slot) -> IN (length: what arrived) -> OUT ... Everything happens in
 * completions, so the loop needs no polling, and the core's FIFO order per endpoint keeps the
 * echoes in the order the transfers were written.
 */
#include <stddef.h>

#include "udcore/ud_bulk_loopback.h"

#define SLOT_ALIGN 512u

static struct ud_bulk_loopback *to_lb(struct ud_bulk *b)
{
	return (struct ud_bulk_loopback *)(void *)((char *)b -
	                                           offsetof(struct ud_bulk_loopback, bulk));
}

static void out_done(struct ud_device *dev, struct ud_req *req);
static void in_done(struct ud_device *dev, struct ud_req *req);

/* Lend the whole slot to the OUT endpoint. A request in its completion is idle and complete,
 * so a submit can only fail while the endpoints close (UD_ERR_STATE: an IN transfer the
 * hardware finished just before a reset completes with UD_OK); `enable` restarts the slot. */
static void receive(struct ud_bulk_loopback *lb, struct ud_req *req)
{
	req->length = lb->slot_size;
	req->complete = out_done;
	(void)ud_bulk_submit_out(&lb->bulk, req);
}

static void out_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_bulk_loopback *lb = req->context;

	(void)dev;
	if (req->status == UD_OK) {
		lb->stats.transfers++;
		lb->stats.bytes += req->actual;
		req->length = req->actual; /* 0 sends one zero-length packet back */
		req->complete = in_done;
		(void)ud_bulk_submit_in(&lb->bulk, req); /* as in receive() */
	} else if (req->status == UD_ERR_OVERFLOW) {
		lb->stats.overflows++; /* part of a packet was dropped: not a transfer to echo */
		receive(lb, req);
	} else if (req->status == UD_ERR_IO) {
		lb->stats.errors++;
	}
	/* UD_ERR_SHUTDOWN, UD_ERR_CANCELLED: the loop stops; `enable` restarts it. */
}

static void in_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_bulk_loopback *lb = req->context;

	(void)dev;
	if (req->status == UD_OK)
		receive(lb, req);
	else if (req->status == UD_ERR_IO)
		lb->stats.errors++;
}

/* Endpoints freshly open, every slot idle (the core delivered all completions first). */
static void lb_enable(struct ud_bulk *b)
{
	struct ud_bulk_loopback *lb = to_lb(b);

	for (unsigned i = 0; i < UD_BULK_LOOPBACK_SLOTS; i++) {
		struct ud_req *req = &lb->req[i];
		req->buf = lb->mem + (size_t)i * lb->slot_size;
		req->context = lb;
		req->flags = 0;
		receive(lb, req);
	}
}

static const struct ud_bulk_ops lb_ops = {
	.enable = lb_enable,
};

int ud_bulk_loopback_add(struct ud_device *dev, struct ud_bulk_loopback *lb,
                         const struct ud_bulk_loopback_config *cfg)
{
	if (!dev || !lb || !cfg || !cfg->mem || !cfg->slot_size || cfg->slot_size % SLOT_ALIGN)
		return UD_ERR_INVAL;
	struct ud_bulk_config bc = {
		.ops = &lb_ops,
		.interface_string = cfg->interface_string,
		.winusb_guid = cfg->winusb_guid,
		.zlp = UD_BULK_ZLP_ALWAYS, /* every echo is one transfer on the wire */
		.context = lb,
	};
	lb->mem = cfg->mem;
	lb->slot_size = cfg->slot_size;
	lb->stats = (struct ud_bulk_loopback_stats){0};
	for (unsigned i = 0; i < UD_BULK_LOOPBACK_SLOTS; i++)
		lb->req[i] = (struct ud_req){0};
	return ud_bulk_add(dev, &lb->bulk, &bc);
}
