/* SPDX-License-Identifier: MIT */
/*
 * Private to port/vdc: what its three parts share.
 *
 *   vdc_port.c  the port operations (the core's side) and endpoint state
 *   vdc_bus.c   host transactions and bus events (the wire's side)
 *   vdc_irq.c   the pending-interrupt list and the interrupt handler
 */
#ifndef UD_VDC_INTERNAL_H
#define UD_VDC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_ch9.h"
#include "udcore/ud_stream.h"
#include "udcore/ud_vdc.h"

/* Keeps a rarely taken path out of its caller, so that the caller's per-packet path needs no
 * stack frame (as UD_NOINLINE in the core). Only a hint for other compilers. */
#if defined(__GNUC__) || defined(__clang__)
#define VDC_NOINLINE __attribute__((noinline))
#else
#define VDC_NOINLINE
#endif

/* Endpoint address bits that must be zero (bits 6..4). */
#define UD_VDC_EP_RESERVED 0x70u

/* ---- endpoint state (vdc_port.c) ---- */

/* UD_EP_INDEX(@ep) for an address with the reserved bits clear. Masking them (they are clear
 * anyway) lets compilers compute the slot with a single rotate. */
static inline unsigned ud_vdc_slot(uint8_t ep)
{
	uint8_t valid = (uint8_t)(ep & ~UD_VDC_EP_RESERVED);
	return UD_EP_INDEX(valid);
}

/* State of endpoint address @ep, or NULL if the controller has no such endpoint. Inline: it
 * is on every packet's path, from both sides. */
static inline struct ud_vdc_ep *ud_vdc_ep_get(struct ud_vdc *vdc, uint8_t ep)
{
	if ((ep & UD_VDC_EP_RESERVED) || UD_EP_NUM(ep) >= vdc->caps.ep_count)
		return NULL;
	return &vdc->ep[ud_vdc_slot(ep)];
}

/* Forget the transfer in flight, without a report. Everything of it is zeroed, not just
 * `armed`, so that equal states stay bytewise equal (the explorer hashes them); `pending` is
 * the interrupt list's and stays. */
static inline void ud_vdc_ep_disarm(struct ud_vdc_ep *e)
{
	e->armed = 0;
	e->buf = NULL;
	e->len = 0;
	e->done = 0;
	e->status = UD_OK;
}

/* What a bus reset or VBUS loss does to the endpoints: EP0 idle, not stalled; the others
 * unreachable from the bus (dead until the core closes them). Pending interrupts stay. */
void ud_vdc_reset_endpoints(struct ud_vdc *vdc);

/* Arm @e: from now on the host's tokens move the transfer. Returns 0 (ep_xfer()'s answer). */
static inline int ud_vdc_arm(struct ud_vdc *vdc, struct ud_vdc_ep *e, uint8_t *buf, uint32_t len)
{
	e->armed = 1;
	e->buf = buf;
	e->len = len;
	e->done = 0;
	e->status = UD_OK;
	vdc->stats.xfers++;
	return 0;
}

/* Streams (ud_stream.h, vdc_port.c): arm @e for the next packet of its stream if it is idle
 * and the ring has room (returns 0, so that ep_stream() can end in a tail call); stop @e's
 * stream, committing a packet already acknowledged. */
int ud_vdc_stream_arm(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e);
void ud_vdc_stream_stop(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e);

/* ---- pending interrupts (vdc_irq.c) ---- */

/* Raise the completion of the transfer on @ep, whose state is @e (at most one may be pending
 * per endpoint). Inline here rather than in vdc_irq.c: the bus side raises one per transfer,
 * and a call would make it keep its values across it. */
static inline void ud_vdc_raise_xfer(struct ud_vdc *vdc, struct ud_vdc_ep *e, uint8_t ep,
                                     uint32_t actual, int status)
{
	/* A second completion for one endpoint would mean two transfers in flight: ep_xfer()
	 * prevents it, so reaching this is a vdc bug, as is a full list (see vdc_irq.c). Refuse
	 * rather than grow. */
	if (e->pending || vdc->num_irq >= UD_VDC_MAX_IRQ) {
		vdc->stats.irq_overflow++;
		return;
	}
	struct ud_vdc_irq *q = &vdc->irq[vdc->num_irq++];
	q->kind = UD_VDC_IRQ_XFER; /* the rest of a free entry is zero already */
	q->ep = ep;
	q->status = (int16_t)status;
	q->actual = actual;
	e->pending = 1;
	vdc->stats.irqs_raised++;
}

/* Raise a SETUP interrupt, superseding one not yet delivered. */
void ud_vdc_raise_setup(struct ud_vdc *vdc, const uint8_t raw[8]);
/* True if a SETUP interrupt is pending (raised, not yet delivered). */
bool ud_vdc_setup_pending(const struct ud_vdc *vdc);

/* Raise a SOF interrupt, superseding one not yet delivered. */
void ud_vdc_raise_sof(struct ud_vdc *vdc, uint16_t frame);

/* Raise a bus event (RESET, SUSPEND, RESUME, VBUS_ON, VBUS_OFF). @frame: RESET's speed. */
void ud_vdc_raise_bus(struct ud_vdc *vdc, enum ud_vdc_irq_kind kind, uint16_t frame);

/* True if a completion of @ep is raised and not yet delivered. */
static inline bool ud_vdc_xfer_pending(const struct ud_vdc *vdc, uint8_t ep)
{
	return vdc->ep[ud_vdc_slot(ep)].pending;
}

/* Withdraw the undelivered completion of @ep. @return true (and its length and status in
 * @actual and @status) if there was one. */
bool ud_vdc_withdraw_xfer(struct ud_vdc *vdc, uint8_t ep, uint32_t *actual, int *status);

/* Withdraw every undelivered SETUP, completion and SOF: the controller was shut down. */
void ud_vdc_withdraw_traffic(struct ud_vdc *vdc);

#endif /* UD_VDC_INTERNAL_H */
