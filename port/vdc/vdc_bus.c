/* SPDX-License-Identifier: MIT */
/*
 * The vdc's lower side: what a host does on the wire, one transaction at a time, and the
 * controller's answer. Whatever the controller notices becomes a pending interrupt
 * (vdc_irq.c); the core hears of it only when the interrupt is delivered.
 */
#include <string.h>

#include "vdc_internal.h"

bool ud_vdc_attached(const struct ud_vdc *vdc)
{
	return vdc->vbus && vdc->connected;
}

/* The endpoint a token to (@addr, endpoint number @num, direction @in) reaches, or NULL if
 * nothing answers it at all. A number at or above ep_count (which is at most 16) includes
 * every number that does not fit the token's four bits. */
static inline struct ud_vdc_ep *token_target(struct ud_vdc *vdc, uint8_t addr, uint8_t num, bool in)
{
	if (!ud_vdc_attached(vdc) || addr != vdc->address || num >= vdc->caps.ep_count)
		return NULL;
	struct ud_vdc_ep *e = &vdc->ep[2u * num + (in ? 1u : 0u)]; /* UD_EP_INDEX */
	return e->open ? e : NULL;
}

/* STALL or NAK if the endpoint cannot take part in a transaction now, else ACK. */
static enum ud_vdc_result handshake(struct ud_vdc *vdc, const struct ud_vdc_ep *e)
{
	if (e->stalled) {
		vdc->stats.stalls++;
		return UD_VDC_STALL;
	}
	if (!e->armed) {
		vdc->stats.naks++;
		return UD_VDC_NAK;
	}
	return UD_VDC_ACK;
}

/* The transfer on @ep ended: it leaves the endpoint and becomes a pending interrupt. */
static inline void complete(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e)
{
	uint32_t actual = e->done;
	int status = e->status;

	ud_vdc_ep_disarm(e);
	ud_vdc_raise_xfer(vdc, e, ep, actual, status);
}

enum ud_vdc_result ud_vdc_setup(struct ud_vdc *vdc, uint8_t addr, const uint8_t raw[8])
{
	if (!raw || !ud_vdc_attached(vdc) || addr != vdc->address)
		return UD_VDC_TIMEOUT;
	/* A SETUP always gets through (USB 2.0 8.5.3): it ends whatever the control pipe was
	 * doing, including a stall, and both stages after it start with DATA1. */
	static const uint8_t ep0[2] = {0x00, 0x80};
	for (unsigned i = 0; i < 2u; i++) {
		struct ud_vdc_ep *e = &vdc->ep[UD_EP_INDEX(ep0[i])];
		uint32_t unused;
		int unused_status;
		ud_vdc_ep_disarm(e);
		(void)ud_vdc_withdraw_xfer(vdc, ep0[i], &unused, &unused_status);
		e->stalled = 0;
		e->toggle = 1;
	}
	/* A SET_ADDRESS whose status stage never completed does not take effect (9.4.6). */
	vdc->pending_address = 0;
	ud_vdc_raise_setup(vdc, raw);
	return UD_VDC_ACK;
}

/* Store one OUT packet that matched the toggle into the armed transfer. The bytes are copied
 * last, once the endpoint's state is final: then nothing is kept across the copy, which is a
 * tail call (this costs fewer instructions out of line than inline). */
static VDC_NOINLINE void receive(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e,
                                 const uint8_t *data, uint16_t len)
{
	uint8_t *buf = e->buf;
	uint32_t at = e->done;
	uint32_t room = e->len - at;
	uint32_t n = len < room ? len : room;

	e->done = at + n;
	e->toggle ^= 1u;
	if (len > room)
		e->status = UD_ERR_OVERFLOW; /* what fit is kept, the rest dropped: it is full */
	if (len < e->max_packet || e->done == e->len)
		complete(vdc, ep, e); /* a short packet (or ZLP) ends it, or it is full */
	if (n)
		memcpy(buf + at, data, n);
}

enum ud_vdc_result ud_vdc_out(struct ud_vdc *vdc, uint8_t addr, uint8_t epnum, const uint8_t *data,
                              uint16_t len, uint8_t pid)
{
	if (pid > 1u || (len && !data))
		return UD_VDC_TIMEOUT;
	struct ud_vdc_ep *e = token_target(vdc, addr, epnum, false);
	if (!e || len > e->max_packet)
		return UD_VDC_TIMEOUT; /* no such endpoint, or babble: no handshake */
	enum ud_vdc_result r = handshake(vdc, e);
	if (r != UD_VDC_ACK)
		return r;
	/* The wrong PID means the host missed our ACK and sent the same packet again: it was
	 * already stored, so ACK it and drop it. */
	if (pid == e->toggle)
		receive(vdc, epnum, e, data, len);
	return UD_VDC_ACK;
}

/* The status stage of SET_ADDRESS went out: hardware of the ADDR_BEFORE_STATUS kind
 * switches to the latched address now. */
static void apply_latched_address(struct ud_vdc *vdc)
{
	if (vdc->pending_address & 0x80u) {
		vdc->address = vdc->pending_address & 0x7fu;
		vdc->pending_address = 0;
	}
}

enum ud_vdc_result ud_vdc_in(struct ud_vdc *vdc, uint8_t addr, uint8_t epnum, uint8_t *data,
                             uint16_t cap, uint16_t *len, uint8_t *pid)
{
	if (!len || !pid || epnum > 0x0fu)
		return UD_VDC_TIMEOUT;
	*len = 0;
	struct ud_vdc_ep *e = token_target(vdc, addr, epnum, true);
	if (!e)
		return UD_VDC_TIMEOUT;
	enum ud_vdc_result r = handshake(vdc, e);
	if (r != UD_VDC_ACK)
		return r;
	const uint8_t *buf = e->buf;
	uint32_t at = e->done;
	uint32_t left = e->len - at;
	uint16_t n = left < e->max_packet ? (uint16_t)left : e->max_packet;
	if (n > cap || (n && !data))
		return UD_VDC_TIMEOUT; /* the host could not take it: nothing moved */
	*len = n;
	*pid = e->toggle;
	e->toggle ^= 1u;
	e->done = at + n;
	if (e->done == e->len) {
		complete(vdc, (uint8_t)(0x80u | epnum), e);
		if (epnum == 0 && at + n == 0) /* a zero-length EP0 IN transfer: a status stage */
			apply_latched_address(vdc);
	}
	if (n) /* last, as in receive(): nothing is kept across the copy */
		memcpy(data, buf + at, n);
	return UD_VDC_ACK;
}

/* ---- bus events ---- */

/* Everything the host knew of the device is gone (reset or power loss). */
static void forget_host(struct ud_vdc *vdc)
{
	ud_vdc_reset_endpoints(vdc);
	vdc->address = 0;
	vdc->pending_address = 0;
}

void ud_vdc_vbus(struct ud_vdc *vdc, bool on)
{
	bool report = !(vdc->caps.flags & UD_PORT_NO_VBUS_SENSE);

	if (on == (vdc->vbus != 0))
		return; /* no edge, nothing for the sense circuit to see */
	vdc->vbus = on ? 1u : 0u;
	if (on) {
		if (report)
			ud_vdc_raise_bus(vdc, UD_VDC_IRQ_VBUS_ON, 0);
		return;
	}
	forget_host(vdc);
	vdc->suspended = 0; /* unpowered: no resume signalling, the core resets its own level */
	if (report)
		ud_vdc_raise_bus(vdc, UD_VDC_IRQ_VBUS_OFF, 0);
}

void ud_vdc_bus_reset(struct ud_vdc *vdc, enum ud_speed speed)
{
	if (!ud_vdc_attached(vdc))
		return;
	if ((speed != UD_SPEED_FULL && speed != UD_SPEED_HIGH) || !(vdc->caps.speeds & speed))
		speed = UD_SPEED_FULL;
	/* Reset signalling wakes a suspended device; controllers report that as a resume. */
	if (vdc->suspended) {
		vdc->suspended = 0;
		ud_vdc_raise_bus(vdc, UD_VDC_IRQ_RESUME, 0);
	}
	forget_host(vdc);
	vdc->speed = (uint8_t)speed;
	/* EP0 runs 64-byte packets at high speed; at full speed what the core configured. */
	uint8_t mps0 = vdc->port.ep0_max_packet ? vdc->port.ep0_max_packet : 64u;
	vdc->ep[0].max_packet = vdc->ep[1].max_packet = speed == UD_SPEED_HIGH ? 64u : mps0;
	ud_vdc_raise_bus(vdc, UD_VDC_IRQ_RESET, (uint16_t)speed);
}

void ud_vdc_suspend(struct ud_vdc *vdc)
{
	if (!ud_vdc_attached(vdc) || vdc->suspended)
		return;
	vdc->suspended = 1;
	ud_vdc_raise_bus(vdc, UD_VDC_IRQ_SUSPEND, 0);
}

void ud_vdc_resume(struct ud_vdc *vdc)
{
	if (!ud_vdc_attached(vdc) || !vdc->suspended)
		return;
	vdc->suspended = 0;
	ud_vdc_raise_bus(vdc, UD_VDC_IRQ_RESUME, 0);
}

void ud_vdc_sof(struct ud_vdc *vdc, uint16_t frame)
{
	if (!ud_vdc_attached(vdc))
		return;
	ud_vdc_raise_sof(vdc, (uint16_t)(frame & 0x7ffu));
}
