/* SPDX-License-Identifier: MIT */
/* The URB engine: FIFOs of URBs per endpoint, cut into packets on the virtual bus and merged
 * back. See usbip_urb.h. */
#include "usbip_urb.h"

#include <stdlib.h>
#include <string.h>

#include "devices.h"

/* What one packet on the bus came to. */
enum pkt {
	PKT_WAIT = 1, /* NAKed: try again next round */
	PKT_MOVED,    /* a packet went through; the URB goes on */
	PKT_DONE,     /* the URB (or its data stage) ended with status 0 */
};

static unsigned queue_index(uint8_t epnum, bool in)
{
	if (epnum == 0)
		return 0;
	return in ? 16u + epnum : epnum;
}

static struct ud_setup decode_setup(const uint8_t b[8])
{
	struct ud_setup s;

	s.bmRequestType = b[0];
	s.bRequest = b[1];
	s.wValue = (uint16_t)(b[2] | (b[3] << 8));
	s.wIndex = (uint16_t)(b[4] | (b[5] << 8));
	s.wLength = (uint16_t)(b[6] | (b[7] << 8));
	return s;
}

void ud_usbip_urb_free(struct ud_usbip_urb *u)
{
	if (u) {
		free(u->buf);
		free(u);
	}
}

void ud_usbip_engine_init(struct ud_usbip_engine *e, struct ud_world *w, ud_usbip_complete_fn fn,
                          void *ctx, unsigned faults)
{
	memset(e, 0, sizeof(*e));
	e->w = w;
	e->complete = fn;
	e->ctx = ctx;
	e->faults = faults;
}

void ud_usbip_engine_submit(struct ud_usbip_engine *e, struct ud_usbip_urb *u)
{
	struct ud_usbip_queue *q = &e->q[queue_index(u->epnum, u->in)];

	u->next = NULL;
	u->done = 0;
	u->zlp_due = 0;
	u->stage = UD_USBIP_STAGE_SETUP;
	if (q->tail)
		q->tail->next = u;
	else
		q->head = u;
	q->tail = u;
	e->pending++;
	e->pending_bytes += u->len;
}

/* Take @p u out of @p q (it is in it). */
static void unqueue(struct ud_usbip_engine *e, struct ud_usbip_queue *q, struct ud_usbip_urb *u)
{
	struct ud_usbip_urb **pp = &q->head, *prev = NULL;

	while (*pp != u) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	*pp = u->next;
	if (q->tail == u)
		q->tail = prev;
	e->pending--;
	e->pending_bytes -= u->len;
}

bool ud_usbip_engine_unlink(struct ud_usbip_engine *e, uint32_t seqnum)
{
	unsigned i;

	for (i = 0; i < UD_USBIP_QUEUES; i++) {
		struct ud_usbip_urb *u;

		for (u = e->q[i].head; u; u = u->next) {
			if (u->seqnum != seqnum)
				continue;
			/* Whatever already crossed the bus stays crossed, as on a real controller:
			 * the next URB on this endpoint simply starts where the device is. */
			unqueue(e, &e->q[i], u);
			ud_usbip_urb_free(u);
			return true;
		}
	}
	return false;
}

unsigned ud_usbip_engine_flush(struct ud_usbip_engine *e)
{
	unsigned i, n = 0;

	for (i = 0; i < UD_USBIP_QUEUES; i++) {
		while (e->q[i].head) {
			struct ud_usbip_urb *u = e->q[i].head;

			unqueue(e, &e->q[i], u);
			ud_usbip_urb_free(u);
			n++;
		}
	}
	return n;
}

/* End the head URB of @p q. */
static void finish(struct ud_usbip_engine *e, struct ud_usbip_queue *q, int32_t status,
                   uint32_t actual)
{
	struct ud_usbip_urb *u = q->head;

	unqueue(e, q, u);
	if ((e->faults & UD_USBIP_FAULT_CORRUPT_IN) && u->in && u->epnum != 0 && status == 0 &&
	    actual > 0 && ++e->in_with_data % 4 == 0)
		u->buf[actual / 2] ^= 0x5a;
	e->complete(e->ctx, u, status, actual);
	ud_usbip_urb_free(u);
}

/* The handshake of a packet that did not carry data as a URB status. */
static int32_t handshake_status(uint8_t st)
{
	switch (st) {
	case UD_SIM_NAK:
		return PKT_WAIT;
	case UD_SIM_STALL:
		return -UD_USBIP_EPIPE;
	default:
		/* No handshake (endpoint not open, wrong address) or a device that did not
		 * settle: a transaction error on a real controller. */
		return -UD_USBIP_EPROTO;
	}
}

/*
 * One IN token for @p u: a data packet is appended; the transfer is over on a short packet or
 * a full buffer (PKT_DONE). @p want is the most the transfer may carry. A packet with the
 * wrong toggle is a repeat the host drops.
 */
static int32_t in_packet(struct ud_usbip_engine *e, struct ud_usbip_urb *u, uint32_t want)
{
	struct ud_sim_result *r = &e->r;
	uint16_t mps = ud_host_mps(&e->w->host, u->epnum, true);
	uint32_t room = want - u->done;

	ud_host_in_packet(e->w, u->epnum, r);
	if (r->pid < 0)
		return handshake_status(r->status);
	if (r->dup)
		return PKT_MOVED;
	if (r->len > room || r->status == UD_SIM_ERROR) {
		/* Babble: more than the buffer or than the max packet size. */
		if (u->buf && room > 0)
			memcpy(u->buf + u->done, r->data, room < r->len ? room : r->len);
		u->done += room < r->len ? room : r->len;
		return -UD_USBIP_EOVERFLOW;
	}
	if (r->len > 0)
		memcpy(u->buf + u->done, r->data, r->len);
	u->done += r->len;
	if (r->len < mps || u->done == want)
		return PKT_DONE;
	return PKT_MOVED;
}

/*
 * One OUT packet for @p u: the next max-packet piece of its first @p want bytes. The transfer
 * is over after a short piece (an empty transfer is one zero-length packet), or after the
 * last full piece unless @p zlp asks for a zero-length packet after it.
 */
static int32_t out_packet(struct ud_usbip_engine *e, struct ud_usbip_urb *u, uint32_t want,
                          bool zlp)
{
	struct ud_sim_result *r = &e->r;
	uint16_t mps = ud_host_mps(&e->w->host, u->epnum, false);
	uint32_t n = want - u->done;

	if (n > mps)
		n = mps;
	ud_host_out_packet(e->w, u->epnum, u->buf ? u->buf + u->done : NULL, (uint16_t)n, r);
	if (r->status != UD_SIM_ACK)
		return handshake_status(r->status);
	u->done += n;
	if (u->zlp_due || n < mps)
		return PKT_DONE;
	if (u->done < want)
		return PKT_MOVED;
	if (zlp) {
		u->zlp_due = 1;
		return PKT_MOVED;
	}
	return PKT_DONE;
}

/* A non-control URB: one packet. */
static bool advance_data(struct ud_usbip_engine *e, struct ud_usbip_queue *q)
{
	struct ud_usbip_urb *u = q->head;
	int32_t st;

	if (u->in) {
		st = in_packet(e, u, u->len);
	} else {
		st = out_packet(e, u, u->len, (u->flags & UD_USBIP_URB_ZERO_PACKET) != 0);
	}
	if (st == PKT_WAIT)
		return false;
	if (st == PKT_MOVED)
		return true;
	if (st == PKT_DONE) {
		st = 0;
		if (u->in && u->done < u->len && (u->flags & UD_USBIP_URB_SHORT_NOT_OK))
			st = -UD_USBIP_EREMOTEIO;
	}
	finish(e, q, st, u->done);
	return true;
}

/* A hub-class SET_FEATURE(PORT_RESET) to the device's port: what usbip-host turns into
 * usb_reset_device(): reset, address again, restore the configuration. */
static bool is_port_reset(const struct ud_setup *s)
{
	return s->bmRequestType == (UD_REQ_TYPE_CLASS | UD_REQ_RCPT_OTHER) &&
	       s->bRequest == UD_REQ_SET_FEATURE && s->wValue == 4u /* PORT_RESET */;
}

static int32_t port_reset(struct ud_usbip_engine *e)
{
	struct ud_world *w = e->w;
	uint8_t config = w->host.config;
	struct ud_setup s = {.bRequest = UD_REQ_SET_ADDRESS, .wValue = UD_USBIP_DEV_ADDRESS};

	ud_host_reset(w, &e->r);
	ud_host_control(w, &s, NULL, 0, &e->r);
	if (e->r.status == UD_SIM_OK && config != 0) {
		s.bRequest = UD_REQ_SET_CONFIGURATION;
		s.wValue = config;
		ud_host_control(w, &s, NULL, 0, &e->r);
	}
	return e->r.status == UD_SIM_OK ? 0 : -UD_USBIP_EPROTO;
}

/* The SETUP stage, or an answer without the device for requests it must not see. */
static int32_t control_setup(struct ud_usbip_engine *e, struct ud_usbip_urb *u,
                             const struct ud_setup *s, uint32_t want)
{
	if (s->bmRequestType == 0 && s->bRequest == UD_REQ_SET_ADDRESS)
		return PKT_DONE; /* the device already has its address */
	if (is_port_reset(s))
		return port_reset(e) == 0 ? PKT_DONE : -UD_USBIP_EPROTO;
	/* The payload's direction (CMD_SUBMIT) and the data stage's (bmRequestType) disagree:
	 * there is no data to send, or nowhere the client expects to receive. */
	if (want > 0 && u->in != UD_EP_IS_IN(s->bmRequestType))
		return -UD_USBIP_EINVAL;
	ud_host_setup_packet(e->w, s, &e->r);
	if (e->r.status != UD_SIM_ACK)
		return -UD_USBIP_EPROTO;
	u->stage = want > 0 ? UD_USBIP_STAGE_DATA : UD_USBIP_STAGE_STATUS;
	return PKT_MOVED;
}

static int32_t control_status(struct ud_usbip_engine *e, struct ud_usbip_urb *u,
                              const struct ud_setup *s)
{
	struct ud_host *h = &e->w->host;
	struct ud_sim_result *r = &e->r;

	if (ud_host_status_in(s)) {
		h->ep[0].toggle_in = 1;
		ud_host_in_packet(e->w, 0, r);
		if (r->pid < 0)
			return handshake_status(r->status);
		if (r->dup)
			return PKT_MOVED;
		return r->len == 0 && r->status == UD_SIM_ACK ? PKT_DONE : -UD_USBIP_EPROTO;
	}
	h->ep[0].toggle_out = 1;
	ud_host_out_packet(e->w, 0, NULL, 0, r);
	if (r->status != UD_SIM_ACK)
		return handshake_status(r->status);
	/* The host model learns from the data of an IN request (descriptor sizes). */
	ud_host_learn(h, s, u->buf, (uint16_t)(u->done < 0xffffu ? u->done : 0xffffu));
	return PKT_DONE;
}

/* A control URB: one stage step (at most one packet). */
static bool advance_control(struct ud_usbip_engine *e, struct ud_usbip_queue *q)
{
	struct ud_usbip_urb *u = q->head;
	struct ud_setup s = decode_setup(u->setup);
	uint32_t want = u->len < s.wLength ? u->len : s.wLength;
	int32_t st;

	switch (u->stage) {
	case UD_USBIP_STAGE_SETUP:
		st = control_setup(e, u, &s, want);
		break;
	case UD_USBIP_STAGE_DATA:
		st = u->in ? in_packet(e, u, want) : out_packet(e, u, want, false);
		if (st == PKT_DONE) {
			u->stage = UD_USBIP_STAGE_STATUS;
			st = PKT_MOVED;
		}
		break;
	default:
		st = control_status(e, u, &s);
		break;
	}
	if (st == PKT_WAIT)
		return false;
	if (st == PKT_MOVED)
		return true;
	finish(e, q, st == PKT_DONE ? 0 : st, u->done);
	return true;
}

bool ud_usbip_engine_round(struct ud_usbip_engine *e)
{
	bool moved = false;
	unsigned i;

	if (e->w->def && e->w->def->step) {
		e->w->def->step(e->w);
		ud_host_pump(e->w, &e->r);
	}
	for (i = 0; i < UD_USBIP_QUEUES; i++) {
		if (!e->q[i].head)
			continue;
		if (i == 0)
			moved |= advance_control(e, &e->q[i]);
		else
			moved |= advance_data(e, &e->q[i]);
	}
	return moved;
}
