/* SPDX-License-Identifier: MIT */
/*
 * The EP0 control engine: SETUP -> [data stage] -> status stage, as sequenced in ud_port.h.
 *
 * EP0 bypasses the request queues: there is only ever one control transfer, and a new SETUP
 * must be able to take over at once, so the engine drives the port directly with its own
 * stage variable. Requests are answered by std_requests.c, msos2.c or a function.
 */
#include <string.h>

#include "ud_internal.h"

_Static_assert(sizeof(struct ud_setup) == 8, "struct ud_setup has the layout of the wire");
_Static_assert(UD_CS_ANSWERED == UD_CS_DISPATCH + 1, "a dispatched request: one range");

static void status_done(struct ud_device *dev, bool ok);

/* Stop one EP0 direction and drop any report of it; the status its transfer had ended with if
 * it had (ud_port_abort()). Out of line: ud_ctrl_abort() stops both. */
static UD_NOINLINE int ep0_stop(struct ud_device *dev, uint8_t ep)
{
	int ended;
	(void)ud_port_abort(dev, ep, &ended);
	ud_chan_forget_xfer(dev, ep);
	return ended;
}

/* Stop both EP0 directions; report an unfinished OUT data stage to its owner. Overtaken by a
 * SETUP, a status stage that had ended well counts: the host sent the SETUP after it (both
 * reported once ud_task() had taken the completions), so SET_ADDRESS applies now. Not on a
 * reset, disconnect or stop (status UD_ERR_SHUTDOWN): those leave the port at address 0. */
void ud_ctrl_abort(struct ud_device *dev, int status)
{
	struct ud_ctrl *c = &dev->ctrl;

	(void)ep0_stop(dev, UD_EP0_OUT);
	if (ep0_stop(dev, UD_EP0_IN) == UD_OK && status == UD_ERR_OVERTAKEN &&
	    c->stage == UD_CS_STATUS_IN)
		status_done(dev, true);
	if (c->rx_done) {
		ud_ctrl_data_fn done = c->rx_done;
		c->rx_done = NULL;
		(void)done(c->rx_fn, &c->setup, c->data, 0, status);
	}
	c->stage = UD_CS_IDLE;
	c->data = NULL;
	c->tx_len = 0;
	c->pending_address = 0;
	c->pending_test = 0;
}

/* Protocol stall: both directions, until the next SETUP (the port clears it). */
static void ctrl_stall(struct ud_device *dev)
{
	ud_ctrl_abort(dev, UD_ERR_OVERFLOW);
	dev->port->ops->ep_stall(dev->port, UD_EP0_IN, true);
	dev->port->ops->ep_stall(dev->port, UD_EP0_OUT, true);
	dev->ctrl.stage = UD_CS_STALLED;
}

/* Enter `stage` and start its transfer: on EP0 OUT for the OUT data stage, else on EP0 IN
 * (the endpoint follows from the stage, which keeps every call to four register arguments). */
static void ctrl_xfer(struct ud_device *dev, uint8_t stage, uint8_t *buf, uint32_t len)
{
	dev->ctrl.stage = stage;
	if (ud_port_xfer(dev, stage == UD_CS_DATA_OUT ? UD_EP0_OUT : UD_EP0_IN, buf, len) != 0)
		ctrl_stall(dev);
}

static void status_in(struct ud_device *dev)
{
	struct ud_ctrl *c = &dev->ctrl;
	if ((c->pending_address & 0x80u) && (dev->port->caps->flags & UD_PORT_ADDR_BEFORE_STATUS))
		dev->port->ops->set_address(dev->port, c->pending_address & 0x7fu);
	ctrl_xfer(dev, UD_CS_STATUS_IN, NULL, 0);
}

/* The function a request to recipient rcpt is addressed to: the owner of the interface or
 * endpoint named by the low byte of wIndex (UD_NO_FN if there is none, as there is none before
 * the configuration), or UD_ALL_FNS for the device (and "other"). Out of line: inlined, the
 * compiler copies dispatch()'s paths after it. */
static UD_NOINLINE unsigned owner_of(struct ud_device *dev, unsigned rcpt, unsigned lo)
{
	if (rcpt != UD_REQ_RCPT_INTERFACE && rcpt != UD_REQ_RCPT_ENDPOINT)
		return UD_ALL_FNS;
	if (dev->state != UD_STATE_CONFIGURED)
		return UD_NO_FN;
	if (rcpt == UD_REQ_RCPT_INTERFACE)
		return lo < dev->desc.num_interfaces ? dev->desc.intf_fn[lo] : UD_NO_FN;
	const struct ud_ep *e = ud_ep_open_state(dev, lo);
	return e ? e->fn : UD_NO_FN;
}

/* Offer a class/vendor/unhandled standard request to the function(s) it is addressed to:
 * `owner` (none: UD_NO_FN), or with UD_ALL_FNS each function in turn. */
static int route_to_function(struct ud_device *dev, const struct ud_setup *s, unsigned owner)
{
	unsigned first = 0, end = dev->num_fns;

	if (owner != UD_ALL_FNS) {
		first = owner; /* none (UD_NO_FN): an empty range */
		if (owner < end)
			end = owner + 1u;
	}
	int rc = UD_ERR_NOTSUP;
	for (unsigned i = first; i < end && rc == UD_ERR_NOTSUP; i++) {
		struct ud_function *fn = dev->fns[i];
		if (fn->ops->control) {
			dev->ctrl.in_callback = fn;
			rc = fn->ops->control(fn, s);
		}
	}
	return rc;
}

static int dispatch(struct ud_device *dev, const struct ud_setup *s)
{
	uint8_t type = s->bmRequestType & UD_REQ_TYPE_MASK;
	/* Looked up once, for the standard requests (the recipient must exist) and the routing. */
	unsigned owner =
		owner_of(dev, s->bmRequestType & UD_REQ_RCPT_MASK, (uint8_t)(s->wIndex & 0xffu));

	if (type == UD_REQ_TYPE_MASK)
		return UD_ERR_INVAL; /* type 3 is reserved (USB 2.0 table 9-2) */
	if (type == UD_REQ_TYPE_STANDARD) {
		int rc = ud_std_request(dev, s, owner);
		if (rc != UD_ERR_NOTSUP)
			return rc;
	} else if (type == UD_REQ_TYPE_VENDOR) {
		int rc = ud_msos2_request(dev, s);
		if (rc != UD_ERR_NOTSUP)
			return rc;
	}
	return route_to_function(dev, s, owner);
}

/* Start the data or status stage the answer asks for. */
static void start_stage(struct ud_device *dev)
{
	struct ud_ctrl *c = &dev->ctrl;
	const struct ud_setup *s = &c->setup;

	if (s->wLength == 0) {
		status_in(dev);
	} else if (s->bmRequestType & UD_DIR_IN) {
		uint16_t n = c->tx_len < s->wLength ? c->tx_len : s->wLength;
		c->tx_len = n;
		ctrl_xfer(dev, UD_CS_DATA_IN, c->data, n);
		/* A host may end an IN data stage early by starting the status stage (USB 2.0
		 * 8.5.3.2; hosts do so when they asked for 64 bytes of an 8-byte EP0), so the
		 * status OUT is armed together with the data. */
		if (c->stage == UD_CS_DATA_IN && ud_port_xfer(dev, UD_EP0_OUT, NULL, 0) != 0)
			ctrl_stall(dev);
	} else if (c->rx_done) {
		ctrl_xfer(dev, UD_CS_DATA_OUT, c->data, s->wLength);
	} else {
		ctrl_stall(dev); /* nobody takes the data the host wants to send */
	}
}

void ud_ctrl_on_setup(struct ud_device *dev, const uint8_t raw[8])
{
	struct ud_ctrl *c = &dev->ctrl;

	ud_ctrl_abort(dev, UD_ERR_OVERTAKEN);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&c->setup, raw, sizeof(c->setup)); /* the wire layout (ud_ch9.h) */
#else
	c->setup = ud_setup_decode(raw);
#endif
	c->stage = UD_CS_DISPATCH;
	int rc = dispatch(dev, &c->setup);
	c->in_callback = NULL;
	/* still DISPATCH or ANSWERED: nothing the handler called ended the request */
	if (rc != 0 || (unsigned)(c->stage - UD_CS_DISPATCH) > 1u) {
		c->rx_done = NULL; /* refused by its own function: it gets no data callback */
		ctrl_stall(dev);
	} else
		start_stage(dev);
}

/* The OUT data stage ended: hand the data over, then acknowledge or stall. */
static void data_out_done(struct ud_device *dev, uint32_t actual, int status)
{
	struct ud_ctrl *c = &dev->ctrl;
	ud_ctrl_data_fn done = c->rx_done;
	int st = status == UD_OK && actual == c->setup.wLength ? UD_OK : UD_ERR_OVERFLOW;

	c->rx_done = NULL;
	int rc = done(c->rx_fn, &c->setup, c->data, (uint16_t)actual, st);
	if (st != UD_OK || rc != 0) {
		ctrl_stall(dev);
		return;
	}
	/* The host owes an IN status now; more OUT data than announced is refused. */
	dev->port->ops->ep_stall(dev->port, UD_EP0_OUT, true);
	status_in(dev);
}

/* The status stage ended (@p ok: it went through): SET_ADDRESS and test modes take effect
 * now. Not if it failed (it did not complete for the host: USB 2.0 9.4.6), nor if a reset or
 * disconnect came after it (completions are handled before bus events): the hardware is back
 * at address 0, and the reset, handled next, makes the request moot. */
static void status_done(struct ud_device *dev, bool ok)
{
	struct ud_ctrl *c = &dev->ctrl;
	uint8_t a = c->pending_address;
#if UD_HIGH_SPEED
	uint8_t test = c->pending_test;
#endif

	c->pending_address = 0;
	c->pending_test = 0;
	c->stage = UD_CS_IDLE;
	if (!ok || ud_chan_host_lost(dev))
		return;
	if (a & 0x80u) {
		a &= 0x7fu;
		if (!(dev->port->caps->flags & UD_PORT_ADDR_BEFORE_STATUS))
			dev->port->ops->set_address(dev->port, a);
		dev->address = a;
		dev->state = a ? UD_STATE_ADDRESS : UD_STATE_DEFAULT;
	}
#if UD_HIGH_SPEED
	if (test && dev->port->ops->test_mode)
		(void)dev->port->ops->test_mode(dev->port, test);
#endif
}

/* The status OUT of a control read arrived, possibly before the data stage ended. */
static void status_out_done(struct ud_device *dev, int status)
{
	if (status != UD_OK) {
		/* Data in a status stage: a protocol error. The stall also stops the IN data. */
		ctrl_stall(dev);
		return;
	}
	int ended;
	(void)ud_port_abort(dev, UD_EP0_IN, &ended); /* the host wants no more data */
	status_done(dev, true);
}

void ud_ctrl_on_xfer(struct ud_device *dev, uint8_t ep, uint32_t actual, int status)
{
	struct ud_ctrl *c = &dev->ctrl;
	bool out = ep == UD_EP0_OUT;
	/* A newer SETUP is waiting: this transfer is over for the host. Only a finished status
	 * stage still counts (it applies SET_ADDRESS); anything else must not stall or restart
	 * EP0 under the new request, whose SETUP already cleared the stall at the port. */
	bool waiting = ud_chan_setup_waiting(dev);

	switch (c->stage) {
	case UD_CS_DATA_IN:
	case UD_CS_DATA_IN_ZLP:
	case UD_CS_STATUS_OUT:
		if (out) {
			/* the status OUT, armed with the data: the host may end the data early */
			if (!waiting || status == UD_OK)
				status_out_done(dev, status);
		} else if (c->stage != UD_CS_STATUS_OUT && !waiting) {
			uint16_t n = c->tx_len;
			if (status != UD_OK)
				ctrl_stall(dev);
			else if (c->stage == UD_CS_DATA_IN && n && n < c->setup.wLength &&
			         (n & (ud_ctrl_ep0_size(dev) - 1u)) == 0)
				/* Shorter than asked and packet-aligned (the size is a power of two):
				 * only a ZLP tells the host it ended. */
				ctrl_xfer(dev, UD_CS_DATA_IN_ZLP, NULL, 0);
			else
				c->stage = UD_CS_STATUS_OUT; /* its transfer is armed already */
		}
		return;
	case UD_CS_DATA_OUT:
		if (out && !waiting)
			data_out_done(dev, actual, status);
		return;
	case UD_CS_STATUS_IN:
		if (!out)
			status_done(dev, status == UD_OK);
		return;
	default:
		if (!waiting)
			dev->port_errors++; /* a report for a stage that is not running */
		return;
	}
}

/* The control engine if a request of direction `in` is being dispatched and not answered. */
static struct ud_ctrl *answering(struct ud_device *dev, bool in)
{
	struct ud_ctrl *c = &dev->ctrl;
	if (c->stage != UD_CS_DISPATCH || ((c->setup.bmRequestType & UD_DIR_IN) != 0) != in)
		return NULL;
	return c;
}

int ud_ctrl_answer(struct ud_device *dev, const void *data, uint16_t len)
{
	struct ud_ctrl *c = &dev->ctrl;
	c->data = (uint8_t *)(uintptr_t)data; /* only read: the port sends it */
	c->tx_len = len;
	c->stage = UD_CS_ANSWERED;
	return 0;
}

/* ud_ctrl_reply(), or with `copy` ud_ctrl_reply_copy(): one body, so the checks are written
 * once and the copy's answer is not checked a second time. */
static int reply(struct ud_device *dev, const void *data, uint16_t len, bool copy)
{
	if (!dev || (!data && len))
		return UD_ERR_INVAL;
	struct ud_ctrl *c = answering(dev, true);
	if (!c)
		return UD_ERR_STATE;
	if (copy) {
		uint16_t n = len < c->setup.wLength ? len : c->setup.wLength;
		if (n > UD_CTRL_BUF_SIZE)
			return UD_ERR_NOSPACE;
		/* built in place (ud_ctrl_reply_buffer()): nothing to copy */
		if (n && data != dev->ctrl_buf)
			memcpy(dev->ctrl_buf, data, n);
		data = dev->ctrl_buf;
		len = n;
	}
	return ud_ctrl_answer(dev, data, len);
}

int ud_ctrl_reply(struct ud_device *dev, const void *data, uint16_t len)
{
	return reply(dev, data, len, false);
}

int ud_ctrl_reply_copy(struct ud_device *dev, const void *data, uint16_t len)
{
	return reply(dev, data, len, true);
}

uint8_t *ud_ctrl_reply_buffer(struct ud_device *dev)
{
	struct ud_ctrl *c = dev ? answering(dev, true) : NULL;
	return c ? dev->ctrl_buf : NULL;
}

int ud_ctrl_receive(struct ud_device *dev, uint8_t *buf, uint16_t len, ud_ctrl_data_fn done)
{
	if (!dev || !buf || !done)
		return UD_ERR_INVAL;
	struct ud_ctrl *c = answering(dev, false);
	if (!c || c->setup.wLength == 0)
		return UD_ERR_STATE;
	if (len < c->setup.wLength)
		return UD_ERR_NOSPACE;
	c->data = buf;
	c->rx_done = done;
	c->rx_fn = c->in_callback;
	c->stage = UD_CS_ANSWERED;
	return 0;
}
