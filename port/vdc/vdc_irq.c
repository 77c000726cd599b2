/* SPDX-License-Identifier: MIT */
/*
 * The vdc's interrupt controller: pending interrupts in the order the "hardware" raised them,
 * and the interrupt handler that turns one of them into a ud_port_report_*() call.
 *
 * Why the list cannot overflow (UD_VDC_MAX_IRQ = 2 * UD_EP_SLOTS + 5):
 * - a completion is raised only when a transfer ends, and ep_xfer() refuses to start a transfer
 *   while the previous completion is undelivered: at most one per endpoint slot;
 * - a SETUP or SOF removes its undelivered predecessor first: at most one each;
 * - bus events are status bits, as in a real controller: a bus event raised while the last
 *   pending interrupt is a bus interrupt merges into it (its `bus` sequence, the last event of
 *   each kind in order), and two bus interrupts that become neighbours when an entry between
 *   them goes merge too. So no two bus interrupts are adjacent: at most one more than the
 *   others. A bus event never merges into one raised before a pending completion, SETUP or SOF:
 *   that would move it ahead of them, and a completion the hardware saw before a reset must
 *   be reported before it (ud_vdc.h).
 * So at most 2 * (UD_EP_SLOTS + 2) + 1 entries are ever pending, however long the host waits.
 *
 * Unused entries are kept zeroed, so that two equal controller states compare equal bytewise
 * (the explorer hashes whole states).
 */
#include <string.h>

#include "vdc_internal.h"

bool ud_vdc_irq_is_bus_event(enum ud_vdc_irq_kind kind)
{
	switch (kind) {
	case UD_VDC_IRQ_RESET:
	case UD_VDC_IRQ_SUSPEND:
	case UD_VDC_IRQ_RESUME:
	case UD_VDC_IRQ_VBUS_ON:
	case UD_VDC_IRQ_VBUS_OFF:
		return true;
	default:
		return false;
	}
}

/* The same for the kind byte of a pending interrupt. */
static bool is_bus_event(uint8_t kind)
{
	return ud_vdc_irq_is_bus_event((enum ud_vdc_irq_kind)kind);
}

/* Index of the pending interrupt of @kind (for XFER: of endpoint @ep), or -1. */
static int find(const struct ud_vdc *vdc, uint8_t kind, uint8_t ep)
{
	for (unsigned i = 0; i < vdc->num_irq; i++) {
		const struct ud_vdc_irq *q = &vdc->irq[i];
		if (q->kind == kind && (kind != UD_VDC_IRQ_XFER || q->ep == ep))
			return (int)i;
	}
	return -1;
}

/* Record bus event @kind in a pending bus interrupt's sequence: an event of a kind already
 * there moves to the end (only the last of each kind matters to the final state), so the
 * sequence never holds more than the five bus kinds. */
static void seq_push(struct ud_vdc_irq *q, uint8_t kind)
{
	unsigned n = 0;
	for (unsigned i = 0; i < q->nbus; i++)
		if (q->bus[i] != kind)
			q->bus[n++] = q->bus[i];
	q->bus[n++] = kind;
	q->nbus = (uint8_t)n;
}

static inline void remove_at(struct ud_vdc *vdc, unsigned n)
{
	struct ud_vdc_irq *q = &vdc->irq[n];
	unsigned last = vdc->num_irq - 1u;

	if (q->kind == UD_VDC_IRQ_XFER)
		vdc->ep[ud_vdc_slot(q->ep)].pending = 0;
	if (n < last)
		memmove(q, q + 1, (last - n) * sizeof(*q));
	vdc->num_irq = (uint8_t)last;
	vdc->irq[last] = (struct ud_vdc_irq){0};
}

/* Remove entry n where it may have separated two bus interrupts (a SETUP or SOF replaced, a
 * completion withdrawn): side by side, they become one, as a late handler sees one set of
 * status bits. Delivery needs none of this: nothing before a deliverable entry is a bus
 * interrupt, so it uses remove_at() and stays short. */
static void remove_joining(struct ud_vdc *vdc, unsigned n)
{
	remove_at(vdc, n);
	struct ud_vdc_irq *q = &vdc->irq[n];
	if (n == 0 || n >= vdc->num_irq || !is_bus_event(q[-1].kind) || !is_bus_event(q->kind))
		return;
	for (unsigned i = 0; i < q->nbus; i++) {
		seq_push(&q[-1], q->bus[i]);
		if (q->bus[i] == UD_VDC_IRQ_RESET)
			q[-1].frame = q->frame; /* the speed of the later reset */
	}
	remove_at(vdc, n); /* the entry after it is not a bus interrupt: no further join */
}

/* A new zeroed entry at the end of the list, or NULL (counted) if the list is full. */
static struct ud_vdc_irq *append(struct ud_vdc *vdc, uint8_t kind)
{
	if (vdc->num_irq >= UD_VDC_MAX_IRQ) {
		vdc->stats.irq_overflow++;
		return NULL;
	}
	struct ud_vdc_irq *q = &vdc->irq[vdc->num_irq++];
	q->kind = kind; /* the rest is zero: unused entries are kept zeroed */
	vdc->stats.irqs_raised++;
	return q;
}

void ud_vdc_raise_setup(struct ud_vdc *vdc, const uint8_t raw[8])
{
	/* Remove and append rather than overwrite in place: the new SETUP happened after
	 * everything now pending, and must not jump ahead of a bus event raised meanwhile. */
	int old = find(vdc, UD_VDC_IRQ_SETUP, 0);
	if (old >= 0)
		remove_joining(vdc, (unsigned)old);
	struct ud_vdc_irq *q = append(vdc, UD_VDC_IRQ_SETUP);
	if (q)
		memcpy(q->setup, raw, sizeof(q->setup));
}

bool ud_vdc_setup_pending(const struct ud_vdc *vdc)
{
	return find(vdc, UD_VDC_IRQ_SETUP, 0) >= 0;
}

void ud_vdc_raise_sof(struct ud_vdc *vdc, uint16_t frame)
{
	int old = find(vdc, UD_VDC_IRQ_SOF, 0);
	if (old >= 0)
		remove_joining(vdc, (unsigned)old);
	struct ud_vdc_irq *q = append(vdc, UD_VDC_IRQ_SOF);
	if (q)
		q->frame = frame;
}

void ud_vdc_raise_bus(struct ud_vdc *vdc, enum ud_vdc_irq_kind kind, uint16_t frame)
{
	/* A handler that runs late finds several status bits set: one interrupt, unless a
	 * completion or SETUP came in between, which the hardware saw first. */
	if (vdc->num_irq && is_bus_event(vdc->irq[vdc->num_irq - 1u].kind)) {
		struct ud_vdc_irq *q = &vdc->irq[vdc->num_irq - 1u];
		seq_push(q, (uint8_t)kind);
		if (kind == UD_VDC_IRQ_RESET)
			q->frame = frame;
		return;
	}
	struct ud_vdc_irq *q = append(vdc, (uint8_t)kind);
	if (q) {
		q->frame = frame;
		seq_push(q, (uint8_t)kind);
	}
}

bool ud_vdc_withdraw_xfer(struct ud_vdc *vdc, uint8_t ep, uint32_t *actual, int *status)
{
	if (!ud_vdc_xfer_pending(vdc, ep))
		return false;
	int n = find(vdc, UD_VDC_IRQ_XFER, ep);
	*actual = vdc->irq[n].actual;
	*status = vdc->irq[n].status;
	remove_joining(vdc, (unsigned)n);
	return true;
}

void ud_vdc_withdraw_traffic(struct ud_vdc *vdc)
{
	unsigned i = 0;
	while (i < vdc->num_irq) {
		if (is_bus_event(vdc->irq[i].kind))
			i++;
		else
			remove_joining(vdc, i);
	}
}

/* ---- public: inspection and delivery ---- */

unsigned ud_vdc_irq_count(const struct ud_vdc *vdc)
{
	return vdc->num_irq;
}

const struct ud_vdc_irq *ud_vdc_irq_peek(const struct ud_vdc *vdc, unsigned n)
{
	return n < vdc->num_irq ? &vdc->irq[n] : NULL;
}

bool ud_vdc_irq_deliverable(const struct ud_vdc *vdc, unsigned n)
{
	if (n >= vdc->num_irq)
		return false;
	/* A bus event waits for everything raised before it, and everything raised after it
	 * waits for the bus event: the hardware saw them in that order. */
	if (is_bus_event(vdc->irq[n].kind))
		return n == 0;
	for (unsigned i = 0; i < n; i++)
		if (is_bus_event(vdc->irq[i].kind))
			return false;
	return true;
}

/* A bus interrupt reports each event it merged, in the order of their last occurrence. */
static void report_bus(struct ud_device *dev, const struct ud_vdc_irq *q)
{
	for (unsigned i = 0; i < q->nbus; i++) {
		uint8_t k = q->bus[i];
		if (k == UD_VDC_IRQ_RESET)
			ud_port_report_reset(dev, (enum ud_speed)q->frame);
		else if (k == UD_VDC_IRQ_SUSPEND || k == UD_VDC_IRQ_RESUME)
			ud_port_report_suspend(dev, k == UD_VDC_IRQ_SUSPEND);
		else
			ud_port_report_vbus(dev, k == UD_VDC_IRQ_VBUS_ON);
	}
}

/* A streaming OUT endpoint's packet (ud_stream.h) arrived: committed into the ring, and the
 * endpoint armed for the next if there is room (not one a bus reset killed: its last packet is
 * committed, nothing more comes). The core hears nothing. */
static VDC_NOINLINE void stream_packet_slow(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e,
                                            uint32_t actual)
{
	uint8_t *buf = ud_stream_out_next(vdc->port.dev, ep, e->stream, actual, e->max_packet);
	if (buf && e->open)
		ud_vdc_arm(vdc, e, buf, e->max_packet);
}

/* The same, its common case without a stack frame; apart from report_xfer() so that the
 * transfers' path keeps none either. */
static VDC_NOINLINE void stream_packet_out(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e,
                                           uint32_t actual)
{
	uint8_t *buf = ud_stream_out_quick(e->stream, actual, e->max_packet);
	if (!buf) { /* nothing done: the general case */
		stream_packet_slow(vdc, ep, e, actual);
		return;
	}
	if (e->open) /* committed; a dead endpoint is not re-armed */
		ud_vdc_arm(vdc, e, buf, e->max_packet);
}

/* A streaming IN endpoint's packet went: committed past the ring's tail (the host took it),
 * and the endpoint armed with the next if there is one (not on a dead endpoint). */
static VDC_NOINLINE void stream_packet_in(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e,
                                          uint32_t actual)
{
	uint8_t *buf;
	int32_t n = ud_stream_in_step(vdc->port.dev, ep, e->stream, actual, e->max_packet, &buf);
	if (n >= 0 && e->open) /* 0: a ZLP */
		ud_vdc_arm(vdc, e, buf, (uint32_t)n);
}

/* A transfer ended: reported to the core, or committed to its endpoint's stream. */
static inline void report_xfer(struct ud_vdc *vdc, uint8_t ep, uint32_t actual, int status)
{
	struct ud_vdc_ep *e = &vdc->ep[ud_vdc_slot(ep)];

	if (e->stream) {
		if (ep & UD_DIR_IN)
			stream_packet_in(vdc, ep, e, actual);
		else
			stream_packet_out(vdc, ep, e, actual);
		return;
	}
	ud_port_report_xfer(vdc->port.dev, ep, actual, status);
}

/* The interrupt handler proper: one pending interrupt, its reports. */
static void report(struct ud_vdc *vdc, const struct ud_vdc_irq *q)
{
	struct ud_device *dev = vdc->port.dev;

	if (is_bus_event(q->kind)) {
		report_bus(dev, q);
		return;
	}
	switch (q->kind) {
	case UD_VDC_IRQ_SETUP:
		ud_port_report_setup(dev, q->setup);
		break;
	case UD_VDC_IRQ_XFER:
		report_xfer(vdc, q->ep, q->actual, q->status);
		break;
	case UD_VDC_IRQ_RESET:
		ud_port_report_reset(dev, (enum ud_speed)q->frame);
		break;
	case UD_VDC_IRQ_SUSPEND:
	case UD_VDC_IRQ_RESUME:
		ud_port_report_suspend(dev, q->kind == UD_VDC_IRQ_SUSPEND);
		break;
	case UD_VDC_IRQ_VBUS_ON:
	case UD_VDC_IRQ_VBUS_OFF:
		ud_port_report_vbus(dev, q->kind == UD_VDC_IRQ_VBUS_ON);
		break;
	case UD_VDC_IRQ_SOF:
		ud_port_report_sof(dev, q->frame);
		break;
	default:
		break;
	}
}

/* Take deliverable entry @n off the list, then report it: a real handler acknowledges the
 * flag first, so whatever the report leads to sees a consistent controller. Out of line, with
 * the memmove of an entry from the middle: the common case in take_and_report() keeps few
 * values in registers. */
static VDC_NOINLINE void take_and_report_copy(struct ud_vdc *vdc, unsigned n)
{
	struct ud_vdc_irq copy = vdc->irq[n];
	remove_at(vdc, n);
	report(vdc, &copy);
}

/* The same, without a copy of the entry in every packet's case: a completion that is the
 * last entry (nothing to move up). */
static inline void take_and_report(struct ud_vdc *vdc, unsigned n)
{
	struct ud_vdc_irq *q = &vdc->irq[n];

	vdc->stats.irqs_delivered++;
	if (q->kind != UD_VDC_IRQ_XFER || n + 1u != vdc->num_irq) {
		take_and_report_copy(vdc, n);
		return;
	}
	uint8_t ep = q->ep;
	uint32_t actual = q->actual;
	int status = q->status;
	remove_at(vdc, n);
	report_xfer(vdc, ep, actual, status);
}

int ud_vdc_irq_deliver(struct ud_vdc *vdc, unsigned n)
{
	if (n >= vdc->num_irq)
		return UD_ERR_NOENT;
	if (!ud_vdc_irq_deliverable(vdc, n) || !vdc->port.dev)
		return UD_ERR_STATE;
	take_and_report(vdc, n);
	return 0;
}

unsigned ud_vdc_irq_deliver_all(struct ud_vdc *vdc)
{
	unsigned count = 0;

	/* The oldest pending interrupt is always deliverable, so this drains the list. */
	if (!vdc->port.dev)
		return 0;
	for (; vdc->num_irq > 0; count++)
		take_and_report(vdc, 0);
	return count;
}

const char *ud_vdc_irq_name(enum ud_vdc_irq_kind kind)
{
	switch (kind) {
	case UD_VDC_IRQ_SETUP:
		return "setup";
	case UD_VDC_IRQ_XFER:
		return "xfer";
	case UD_VDC_IRQ_RESET:
		return "reset";
	case UD_VDC_IRQ_SUSPEND:
		return "suspend";
	case UD_VDC_IRQ_RESUME:
		return "resume";
	case UD_VDC_IRQ_VBUS_ON:
		return "vbus_on";
	case UD_VDC_IRQ_VBUS_OFF:
		return "vbus_off";
	case UD_VDC_IRQ_SOF:
		return "sof";
	}
	return "unknown";
}

const char *ud_vdc_result_name(enum ud_vdc_result r)
{
	switch (r) {
	case UD_VDC_ACK:
		return "ack";
	case UD_VDC_NAK:
		return "nak";
	case UD_VDC_STALL:
		return "stall";
	case UD_VDC_TIMEOUT:
		return "timeout";
	}
	return "unknown";
}
