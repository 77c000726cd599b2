/* SPDX-License-Identifier: MIT */
/* The host model: pumping, bus events, single transactions and what the host learns.
 * Whole transfers are in host_xfer.c. See host.h. */
#include "host.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctrl_bus.h"
#include "world.h"

/* Before the host has read a device descriptor it assumes EP0 packets of 64 bytes, the
 * largest allowed at full and high speed, as Linux and Windows do for their first request. */
#define UD_HOST_EP0_GUESS 64

void ud_host_result_clear(struct ud_sim_result *r, enum ud_sim_status status)
{
	r->status = (uint8_t)status;
	r->pid = -1;
	r->dup = false;
	r->len = 0;
	r->message[0] = '\0';
}

void ud_host_fail(struct ud_sim_result *r, enum ud_sim_status status, const char *fmt, ...)
{
	va_list ap;

	r->status = (uint8_t)status;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}

const char *ud_sim_status_name(enum ud_sim_status s)
{
	static const char *const names[] = {"ok", "ack", "nak", "stall", "timeout", "error"};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "error";
}

const char *ud_sim_speed_name(enum ud_speed s)
{
	return s == UD_SPEED_HIGH ? "high" : "full";
}

/* Forget what the host knew about the device's endpoints (after a reset or unplug). */
static void host_forget_endpoints(struct ud_host *h)
{
	uint16_t dflt = h->speed == UD_SPEED_HIGH ? 512 : 64;
	unsigned i;

	for (i = 1; i < 16; i++) {
		h->ep[i].toggle_in = 0;
		h->ep[i].toggle_out = 0;
		h->ep[i].mps_in = dflt;
		h->ep[i].mps_out = dflt;
		h->ep[i].intf_in = 0xff;
		h->ep[i].intf_out = 0xff;
	}
	h->ep[0].toggle_in = 0;
	h->ep[0].toggle_out = 0;
	h->addr = 0;
	h->config = 0;
	h->last_setup_valid = 0;
}

void ud_host_forget_device(struct ud_host *h)
{
	h->ep0_known = 0;
	h->ep[0].mps_in = UD_HOST_EP0_GUESS;
	h->ep[0].mps_out = UD_HOST_EP0_GUESS;
	memset(h->dev_desc, 0, sizeof(h->dev_desc));
	h->dev_desc_len = 0;
	host_forget_endpoints(h);
}

void ud_host_init(struct ud_host *h, enum ud_speed want_speed)
{
	memset(h, 0, sizeof(*h));
	h->want_speed = (uint8_t)want_speed;
	h->speed = UD_SPEED_FULL;
	h->next_addr = 1;
	ud_host_forget_device(h);
}

unsigned ud_host_nak_limit(const struct ud_host *h)
{
	return h->manual ? UD_HOST_NAK_MANUAL : UD_HOST_NAK_AUTO;
}

uint16_t ud_host_mps(const struct ud_host *h, uint8_t epnum, bool in)
{
	const struct ud_host_ep *e = &h->ep[epnum & 0x0f];

	return in ? e->mps_in : e->mps_out;
}

/* The pending interrupt a pump delivers next, or -1 if none. In raise order: the oldest is
 * always deliverable (nothing is raised before it), so that order never meets a barrier. With
 * defer_data_irqs, the first deliverable one that is not a data endpoint's completion; one that
 * is not deliverable waits behind a bus event barrier, so the oldest goes first then. */
static int pump_next_irq(const struct ud_world *w)
{
	unsigned count = ud_bus_irq_count(w);
	bool blocked = false;

	if (count == 0)
		return -1;
	if (!w->host.defer_data_irqs)
		return 0;
	for (unsigned i = 0; i < count; i++) {
		if (ud_bus_irq_is_data(w, i))
			continue;
		if (ud_bus_irq_deliverable(w, i))
			return (int)i;
		blocked = true;
	}
	return blocked ? 0 : -1;
}

bool ud_host_pump(struct ud_world *w, struct ud_sim_result *r)
{
	unsigned round;

	if (w->host.manual)
		return true;
	w->host.pumps++;
	for (round = 0; round < UD_HOST_PUMP_ROUNDS; round++) {
		bool work = false;

		int n;
		while ((n = pump_next_irq(w)) >= 0 && ud_bus_irq_deliver(w, (unsigned)n) == 0)
			work = true;
		if (ud_task(&w->dev))
			work = true;
		w->host.pump_rounds++;
		if (!work && pump_next_irq(w) < 0)
			return true;
	}
	ud_host_fail(r, UD_SIM_ERROR, "device did not settle: ud_task() still busy after %u rounds",
	             UD_HOST_PUMP_ROUNDS);
	return false;
}

/* Every bus event ends the same way: pump, report ok unless the pump failed. */
static void bus_done(struct ud_world *w, struct ud_sim_result *r)
{
	ud_host_result_clear(r, UD_SIM_OK);
	ud_host_pump(w, r);
}

void ud_host_connect(struct ud_world *w, bool on, struct ud_sim_result *r)
{
	ud_bus_vbus(w, on);
	if (!on)
		ud_host_forget_device(&w->host);
	bus_done(w, r);
}

void ud_host_reset(struct ud_world *w, struct ud_sim_result *r)
{
	ud_bus_reset(w, w->host.want_speed);
	w->host.speed = ud_bus_speed(w);
	host_forget_endpoints(&w->host);
	bus_done(w, r);
}

void ud_host_suspend(struct ud_world *w, bool suspend, struct ud_sim_result *r)
{
	if (suspend)
		ud_bus_suspend(w);
	else
		ud_bus_resume(w);
	bus_done(w, r);
}

void ud_host_sof(struct ud_world *w, int frame, struct ud_sim_result *r)
{
	w->host.frame = (uint16_t)((frame >= 0 ? (unsigned)frame : w->host.frame + 1u) & 0x7ffu);
	ud_bus_sof(w, w->host.frame);
	bus_done(w, r);
}

static enum ud_sim_status map_result(enum ud_vdc_result v)
{
	switch (v) {
	case UD_VDC_ACK:
		return UD_SIM_ACK;
	case UD_VDC_NAK:
		return UD_SIM_NAK;
	case UD_VDC_STALL:
		return UD_SIM_STALL;
	default:
		return UD_SIM_TIMEOUT;
	}
}

void ud_host_setup_packet(struct ud_world *w, const struct ud_setup *s, struct ud_sim_result *r)
{
	struct ud_host *h = &w->host;
	uint8_t raw[8] = {s->bmRequestType,    s->bRequest,
	                  (uint8_t)s->wValue,  (uint8_t)(s->wValue >> 8),
	                  (uint8_t)s->wIndex,  (uint8_t)(s->wIndex >> 8),
	                  (uint8_t)s->wLength, (uint8_t)(s->wLength >> 8)};

	ud_host_result_clear(r, map_result(ud_bus_setup(w, h->addr, raw)));
	if (r->status == UD_SIM_ACK) {
		/* Both directions of EP0 continue with DATA1 after a SETUP. */
		h->ep[0].toggle_in = 1;
		h->ep[0].toggle_out = 1;
		h->last_setup = *s;
		h->last_setup_valid = 1;
	}
	ud_host_pump(w, r);
}

bool ud_host_status_in(const struct ud_setup *s)
{
	return !(UD_EP_IS_IN(s->bmRequestType) && s->wLength > 0);
}

/* A zero-length packet on EP0 in the status direction of the last SETUP is its status stage:
 * the request took effect, and the host learns from it. */
static void status_stage_seen(struct ud_host *h, bool in)
{
	if (!h->last_setup_valid || ud_host_status_in(&h->last_setup) != in)
		return;
	h->last_setup_valid = 0;
	ud_host_learn(h, &h->last_setup, NULL, 0);
}

void ud_host_in_packet(struct ud_world *w, uint8_t epnum, struct ud_sim_result *r)
{
	struct ud_host *h = &w->host;
	struct ud_host_ep *e = &h->ep[epnum & 0x0f];
	uint8_t buf[UD_HOST_PACKET_MAX];
	uint16_t len = 0;
	uint8_t pid = 0;
	enum ud_vdc_result v;

	v = ud_bus_in(w, h->addr, epnum, buf, sizeof(buf), &len, &pid);
	ud_host_result_clear(r, map_result(v));
	if (v == UD_VDC_ACK) {
		r->pid = (int8_t)pid;
		r->len = len;
		memcpy(r->data, buf, len);
		if (pid != e->toggle_in) {
			r->dup = true; /* the host acknowledges and drops a repeated packet */
		} else {
			e->toggle_in ^= 1u;
			if (epnum == 0 && len == 0)
				status_stage_seen(h, true);
		}
		if (len > e->mps_in)
			ud_host_fail(r, UD_SIM_ERROR, "babble: %u-byte packet, max packet is %u",
			             (unsigned)len, (unsigned)e->mps_in);
	}
	ud_host_pump(w, r);
}

void ud_host_out_packet(struct ud_world *w, uint8_t epnum, const uint8_t *data, uint16_t len,
                        struct ud_sim_result *r)
{
	struct ud_host *h = &w->host;
	struct ud_host_ep *e = &h->ep[epnum & 0x0f];
	uint8_t pid = e->toggle_out;
	enum ud_vdc_result v;

	v = ud_bus_out(w, h->addr, epnum, data, len, pid);
	ud_host_result_clear(r, map_result(v));
	r->pid = (int8_t)pid;
	if (v == UD_VDC_ACK) {
		e->toggle_out ^= 1u;
		if (epnum == 0 && len == 0)
			status_stage_seen(h, false);
	}
	ud_host_pump(w, r);
}
