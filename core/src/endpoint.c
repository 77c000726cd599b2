/* SPDX-License-Identifier: MIT */
/*
 * Request queues of the non-control endpoints, and the ownership rule of ud_req.h.
 *
 * Each open endpoint has a FIFO of requests; the head is the one at the port while the
 * endpoint's `busy` bit is set. A request that ends moves to the device's done list, and its
 * completion runs from ud_deliver_done() in ud_task(): never inside the call that submitted or
 * cancelled it. The exception is the common case, a transfer the port reported, handled by
 * ud_task() itself: its completion runs at once if nothing waits on the done list.
 */
#include "ud_internal.h"

/* A report waiting in ep's channel slot when the core starts a transfer belongs to no transfer
 * it knows of: a port bug. Drop it so it cannot be mistaken for the new transfer's completion. */
static void drop_stray_report(struct ud_device *dev, struct ud_chan_xfer *x)
{
	dev->port_errors++;
	x->seen = UD_LOAD(&x->posted);
}

/* Start one transfer at the port, keeping the channel slot in step with it. Inline here (every
 * transfer's path); control.c calls the out-of-line ud_port_xfer(). */
static inline int port_xfer(struct ud_device *dev, uint8_t ep, uint8_t *buf, uint32_t len)
{
	struct ud_chan_xfer *x = &dev->chan.xfer[ud_ep_slot(ep)];
	if (UD_LOAD(&x->posted) != x->seen)
		drop_stray_report(dev, x);
	int rc = dev->port->ops->ep_xfer(dev->port, ep, buf, len);
	if (rc == 0)
		dev->busy |= ud_ep_bit(ep);
	return rc;
}

int ud_port_xfer(struct ud_device *dev, uint8_t ep, uint8_t *buf, uint32_t len)
{
	return port_xfer(dev, ep, buf, len);
}

/* Stop the transfer at the port. If it had already ended (its report is waiting), *ended is the
 * reported status and the reported length is returned, so neither the data that moved nor the
 * error the port saw is lost. */
uint32_t ud_port_abort(struct ud_device *dev, uint8_t ep, int *ended)
{
	*ended = UD_XFER_RUNNING;
	if (!(dev->busy & ud_ep_bit(ep)))
		return 0;
	uint32_t n = dev->port->ops->ep_abort(dev->port, ep);
	/* busy is still set (only the task clears it), so a waiting report is this transfer's */
	struct ud_chan_xfer *x = &dev->chan.xfer[ud_ep_slot(ep)];
	uint8_t posted = UD_LOAD(&x->posted);
	if (posted != x->seen)
		ud_chan_consume(dev, x, posted, &n, ended);
	dev->busy &= ~ud_ep_bit(ep);
	return n;
}

static UD_NOINLINE void push_done(struct ud_device *dev, struct ud_req *req, int status)
{
	req->status = (int16_t)status;
	req->state = UD_RS_DONE;
	req->next = NULL;
	if (dev->done_tail)
		dev->done_tail->next = req;
	else
		dev->done_head = req;
	dev->done_tail = req;
}

/* n % d (d > 0) without a division instruction: Cortex-M0 has none, and libgcc's would link
 * 270 bytes of flash for this one use. A mask for the power-of-two packet sizes of bulk and
 * most interrupt endpoints; shift and subtract (r stays below d) for the others. */
static UD_NOINLINE uint32_t rem_u32(uint32_t n, uint32_t d)
{
	if ((d & (d - 1u)) == 0)
		return n & (d - 1u);
	uint32_t r = 0;
	for (unsigned i = 32; i-- > 0;) {
		r = (r << 1) | ((n >> i) & 1u);
		if (r >= d)
			r -= d;
	}
	return r;
}

/* An IN request whose data ended on a packet boundary still owes the host a ZLP. Inline, so
 * that every OUT and every flagless completion is decided by the first tests, without a call;
 * only a ZLP-flagged IN request pays for the remainder. */
static inline bool owes_zlp(const struct ud_ep *e, const struct ud_req *r)
{
	return UD_EP_IS_IN(r->ep) && (r->flags & UD_REQ_ZLP) && !r->zlp_pending && r->length &&
	       rem_u32(r->length, e->max_packet) == 0;
}

static void pop_head(struct ud_ep *e)
{
	e->head = e->head->next;
	if (!e->head)
		e->tail = NULL;
}

/* The head ends with status: off the queue, onto the done list. */
static void end_head(struct ud_device *dev, struct ud_ep *e, int status)
{
	struct ud_req *r = e->head;
	pop_head(e);
	push_done(dev, r, status);
}

/* Start the head request; requests the port refuses end with IO. The caller checked that the
 * endpoint is idle and not halted, so only the (rare) refusal loops. Kept out of line: its
 * callers' fast paths stay small. */
static void ep_start(struct ud_device *dev, uint8_t ep, struct ud_ep *e)
{
	struct ud_req *r;

	while ((r = e->head) != NULL) {
		uint8_t *buf = NULL;
		uint32_t len = 0;
		if (!r->zlp_pending) {
			buf = r->buf ? r->buf + r->actual : NULL;
			len = r->length - r->actual;
		}
		if (port_xfer(dev, ep, buf, len) == 0)
			return;
		end_head(dev, e, UD_ERR_IO);
	}
}

/* Start the head request if there is one and the endpoint is idle and not halted. */
static inline void ep_kick(struct ud_device *dev, uint8_t ep, struct ud_ep *e)
{
	if (e->head && !(dev->busy & ud_ep_bit(ep)) && !(e->flags & UD_EPF_HALTED))
		ep_start(dev, ep, e);
}

int ud_ep_open_cfg(struct ud_device *dev, const struct ud_ep_config *cfg, uint8_t fn, uint8_t intf)
{
	uint8_t ep = cfg->addr;
	struct ud_ep *e = ud_ep_state(dev, ep);
	int rc = dev->port->ops->ep_open(dev->port, cfg);

	if (rc)
		return rc;
	ud_chan_forget_xfer(dev, ep);
	/* the whole state at once: an empty queue, no flags */
	*e = (struct ud_ep){
		.max_packet = cfg->max_packet, .type = cfg->type, .fn = fn, .intf = intf};
	dev->open |= ud_ep_bit(ep);
	return 0;
}

/* Take the head's transfer, if any, off the port; the bytes it moved count to the head. The
 * status it had ended with if its report was waiting, else UD_XFER_RUNNING. */
static int stop_head(struct ud_device *dev, uint8_t ep, struct ud_ep *e)
{
	int ended;
	uint32_t n = ud_port_abort(dev, ep, &ended);

	if (n && !e->head->zlp_pending) /* n: it was busy, so there is a head */
		e->head->actual += n;
	return ended;
}

/* Close: the transfer at the port is dropped, every queued request ends with SHUTDOWN (but a
 * transfer that had ended before the close ends as it did: UD_OK or the port's error). */
void ud_ep_close(struct ud_device *dev, uint8_t ep)
{
	struct ud_ep *e = ud_ep_state(dev, ep);
	uint32_t bit = ud_ep_bit(ep);

	if (!(dev->open & bit))
		return;
	int status = stop_head(dev, ep, e);
	if (status == UD_XFER_RUNNING)
		status = UD_ERR_SHUTDOWN;
	dev->port->ops->ep_close(dev->port, ep);
	ud_chan_forget_xfer(dev, ep);
	while (e->head) {
		end_head(dev, e, status);
		status = UD_ERR_SHUTDOWN;
	}
	dev->open &= ~bit; /* busy was cleared by stop_head() */
	e->flags = 0;
}

/* ud_ep_on_xfer()'s rarer cases, out of line so that its common one needs no stack frame:
 * - r is still the head: it sent all its data in whole packets, and the host needs a short
 *   packet (a ZLP) to see the end;
 * - r is off the queue and must wait on the done list: completions run in the order their
 *   requests ended, this one behind any already waiting, and before the next request's,
 *   should the port refuse that one in ep_kick(). */
static UD_NOINLINE void on_xfer_slow(struct ud_device *dev, unsigned slot, struct ud_req *r,
                                     int status)
{
	struct ud_ep *e = &dev->ep[slot - 2u];

	if (r == e->head)
		r->zlp_pending = 1;
	else
		push_done(dev, r, status);
	ep_kick(dev, ud_slot_ep(slot), e);
}

/* The port finished the head's transfer (the endpoint is no longer busy). */
void ud_ep_on_xfer(struct ud_device *dev, unsigned slot, uint32_t actual, int status, bool direct)
{
	struct ud_ep *e = &dev->ep[slot - 2u];
	struct ud_req *r = e->head;

	if (!r) {
		dev->port_errors++;
		return;
	}
	if (r->zlp_pending) {
		r->zlp_pending = 0;
	} else {
		r->actual += actual;
		if (status == UD_OK && owes_zlp(e, r)) {
			on_xfer_slow(dev, slot, r, status);
			return;
		}
	}
	pop_head(e);
	if (!direct || dev->done_head) {
		on_xfer_slow(dev, slot, r, status);
		return;
	}
	if (e->head) /* the next transfer is at the port before this completion runs */
		ep_kick(dev, ud_slot_ep(slot), e);
	r->status = (int16_t)status;
	r->next = NULL;
	r->state = UD_RS_IDLE;
	r->complete(dev, r);
}

/* Run the completions of everything that ended so far. Those that end meanwhile (a callback
 * resubmits and cancels) wait for the next pass, so one pass is bounded. */
bool ud_deliver_done(struct ud_device *dev)
{
	struct ud_req *r = dev->done_head;

	if (!r)
		return false;
	dev->done_head = dev->done_tail = NULL;
	while (r) {
		struct ud_req *next = r->next;
		r->next = NULL;
		r->state = UD_RS_IDLE;
		r->complete(dev, r);
		r = next;
	}
	return true;
}

int ud_ep_submit(struct ud_device *dev, uint8_t ep, struct ud_req *req)
{
	if (!ud_ep_valid(dev, ep) || !req || !req->complete || (!req->buf && req->length))
		return UD_ERR_INVAL;
	if (req->state != UD_RS_IDLE)
		return UD_ERR_BUSY;
	uint32_t bit = ud_ep_bit(ep);
	if (!(dev->open & bit))
		return UD_ERR_STATE;

	struct ud_ep *e = ud_ep_state(dev, ep);
#if UD_STREAMS
	if (e->flags & UD_EPF_STREAM)
		return UD_ERR_BUSY;
#endif
	req->ep = ep;
	req->actual = 0;
	req->status = UD_OK;
	req->zlp_pending = 0;
	req->next = NULL;
	req->state = UD_RS_QUEUED;
	struct ud_req *tail = e->tail;
	e->tail = req;
	if (tail) {
		tail->next = req;
		ep_kick(dev, ep, e);
		return 0;
	}
	e->head = req;
	/* Alone on the queue, it is the transfer to start: ep_start()'s work without its loop, on
	 * the path of every class that keeps one request per endpoint. */
	if (!(dev->busy & bit) && !(e->flags & UD_EPF_HALTED) &&
	    port_xfer(dev, ep, req->buf, req->length) != 0)
		end_head(dev, e, UD_ERR_IO);
	return 0;
}

/* Unlink req from the queue, stopping it at the port if it is the head in flight. */
static void dequeue(struct ud_device *dev, uint8_t ep, struct ud_req *req, struct ud_req *prev)
{
	struct ud_ep *e = ud_ep_state(dev, ep);
	int status = UD_ERR_CANCELLED;

	/* A head that ended before the cancel ends as it would have: with the port's error, or
	 * UD_OK unless it still owes a ZLP (which the cancel drops). */
	int ended = prev ? UD_XFER_RUNNING : stop_head(dev, ep, e);
	if (ended < 0 || (ended == UD_OK && !owes_zlp(e, req)))
		status = ended;
	if (prev)
		prev->next = req->next;
	else
		e->head = req->next;
	if (e->tail == req)
		e->tail = prev;
	push_done(dev, req, status);
}

int ud_ep_cancel(struct ud_device *dev, uint8_t ep, struct ud_req *req)
{
	if (!ud_ep_valid(dev, ep) || !req)
		return UD_ERR_INVAL;
	if (req->state != UD_RS_QUEUED || req->ep != ep)
		return UD_ERR_NOENT;

	struct ud_req *prev = NULL;
	for (struct ud_req *r = ud_ep_state(dev, ep)->head; r; prev = r, r = r->next) {
		if (r == req) {
			dequeue(dev, ep, req, prev);
			ep_kick(dev, ep, ud_ep_state(dev, ep));
			return 0;
		}
	}
	return UD_ERR_NOENT;
}

int ud_ep_flush(struct ud_device *dev, uint8_t ep)
{
	if (!ud_ep_valid(dev, ep))
		return UD_ERR_INVAL;
	int n = 0;
	struct ud_ep *e = ud_ep_state(dev, ep);
	while (e->head) {
		dequeue(dev, ep, e->head, NULL);
		n++;
	}
	return n;
}

void ud_ep_halt(struct ud_device *dev, uint8_t ep, bool on)
{
	struct ud_ep *e = ud_ep_state(dev, ep);
	e->flags |= UD_EPF_HALTED; /* first, so nothing restarts below */
	int ended = stop_head(dev, ep, e);
	if (ended != UD_XFER_RUNNING) /* it had ended: its bytes count, and its status */
		ud_ep_on_xfer(dev, ud_ep_slot(ep), 0, ended, false);
	if (!on)
		e->flags &= (uint8_t)~UD_EPF_HALTED;
	/* Also when not halted: the host resets its toggle on CLEAR_FEATURE, so must we. */
	dev->port->ops->ep_stall(dev->port, ep, on);
	ep_kick(dev, ep, e); /* after a clear, the queue goes on; nothing starts while halted */
}

/* The public calls' checks, then ud_ep_halt(). */
static int halt(struct ud_device *dev, uint8_t ep, bool on)
{
	if (!ud_ep_valid(dev, ep))
		return UD_ERR_INVAL;
	if (!(dev->open & ud_ep_bit(ep)))
		return UD_ERR_STATE;
	ud_ep_halt(dev, ep, on);
	return 0;
}

int ud_ep_set_halt(struct ud_device *dev, uint8_t ep)
{
	return halt(dev, ep, true);
}

int ud_ep_clear_halt(struct ud_device *dev, uint8_t ep)
{
	return halt(dev, ep, false);
}

const struct ud_ep *ud_ep_open_state(const struct ud_device *dev, uint8_t ep)
{
	return ud_ep_valid(dev, ep) && (dev->open & ud_ep_bit(ep)) ? &dev->ep[ud_ep_slot(ep) - 2u]
	                                                           : NULL;
}

bool ud_ep_is_open(const struct ud_device *dev, uint8_t ep)
{
	return ud_ep_open_state(dev, ep) != NULL;
}

bool ud_ep_is_halted(const struct ud_device *dev, uint8_t ep)
{
	const struct ud_ep *e = ud_ep_open_state(dev, ep);
	return e && (e->flags & UD_EPF_HALTED);
}

unsigned ud_ep_queued(const struct ud_device *dev, uint8_t ep)
{
	const struct ud_ep *e = ud_ep_open_state(dev, ep);
	unsigned n = 0;
	for (const struct ud_req *r = e ? e->head : NULL; r; r = r->next)
		n++;
	return n;
}

uint16_t ud_ep_max_packet(const struct ud_device *dev, uint8_t ep)
{
	const struct ud_ep *e = ud_ep_open_state(dev, ep);
	return e ? e->max_packet : 0;
}
