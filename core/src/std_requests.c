/* SPDX-License-Identifier: MIT */
/*
 * Chapter 9 standard requests (USB 2.0 section 9.4). Every field is checked; whatever the
 * specification calls a Request Error is answered with a STALL (a non-zero return here).
 * Requests the core does not own (standard requests to an interface other than the ones below,
 * e.g. a HID report descriptor) return UD_ERR_NOTSUP so control.c offers them to the function.
 *
 * The fixed fields of each request (direction, wValue or wIndex zero, wLength, state) are
 * checked from one table instead of by each handler: one byte per recipient and bRequest.
 */
#include "ud_internal.h"

#define R_ERR 0x00u    /* a request error */
#define R_NOTSUP 0xffu /* not the core's: offered to the function */
#define R_DIR 0x80u    /* the direction is checked: ... */
#define R_IN 0x40u     /* ... device-to-host (else host-to-device) */
#define R_V0 0x20u     /* wValue must be 0 */
#define R_I0 0x10u     /* wIndex must be 0 */
#define R_ADDR 0x08u   /* only in the Address or Configured state */
#define R_LANY 0x04u   /* any wLength, else exactly the low two bits */

_Static_assert(UD_FEATURE_ENDPOINT_HALT == 0, "an endpoint feature request checks wValue 0 (R_V0)");

#define R_GET(len) (R_DIR | R_IN | R_V0 | (len))
#define R_SET (R_DIR | 0u)

#define NUM_STD 13u /* GET_STATUS .. SYNCH_FRAME */

/* [recipient][bRequest], USB 2.0 table 9-3 and 9.4 */
static const uint8_t rules[3][NUM_STD] = {
	[UD_REQ_RCPT_DEVICE] =
		{
			[UD_REQ_GET_STATUS] = R_GET(2) | R_I0,
			[UD_REQ_CLEAR_FEATURE] = R_SET,
			[UD_REQ_SET_FEATURE] = R_SET,
			[UD_REQ_SET_ADDRESS] = R_SET | R_I0,
			[UD_REQ_GET_DESCRIPTOR] = R_DIR | R_IN | R_LANY,
			[UD_REQ_GET_CONFIGURATION] = R_GET(1) | R_I0 | R_ADDR,
			[UD_REQ_SET_CONFIGURATION] = R_SET | R_I0 | R_ADDR,
		},
	[UD_REQ_RCPT_INTERFACE] =
		{
			[UD_REQ_GET_STATUS] = R_GET(2),
			[UD_REQ_CLEAR_FEATURE] = R_ERR, /* USB 2.0 defines no interface feature */
			[2] = R_NOTSUP,
			[UD_REQ_SET_FEATURE] = R_ERR,
			[4] = R_NOTSUP,
			[UD_REQ_SET_ADDRESS] = R_NOTSUP,
			[UD_REQ_GET_DESCRIPTOR] = R_NOTSUP, /* e.g. a HID report descriptor */
			[UD_REQ_SET_DESCRIPTOR] = R_NOTSUP,
			[UD_REQ_GET_CONFIGURATION] = R_NOTSUP,
			[UD_REQ_SET_CONFIGURATION] = R_NOTSUP,
			[UD_REQ_GET_INTERFACE] = R_GET(1),
#if UD_ALT_SETTINGS
			[UD_REQ_SET_INTERFACE] = R_SET,
#else
			[UD_REQ_SET_INTERFACE] = R_ERR, /* default settings only: USB 2.0 9.4.10 */
#endif
			[UD_REQ_SYNCH_FRAME] = R_NOTSUP,
		},
	[UD_REQ_RCPT_ENDPOINT] =
		{
			[UD_REQ_GET_STATUS] = R_GET(2),
			/* an endpoint's only feature: ENDPOINT_HALT (0) */
			[UD_REQ_CLEAR_FEATURE] = R_SET | R_V0,
			[UD_REQ_SET_FEATURE] = R_SET | R_V0,
			[UD_REQ_SYNCH_FRAME] = R_LANY, /* the function of an isochronous endpoint */
		},
};

/* The rule of request s, R_ERR or R_NOTSUP if it has none. */
static uint8_t rule_of(const struct ud_setup *s, uint8_t rcpt)
{
	if (s->bRequest < NUM_STD)
		return rules[rcpt][s->bRequest];
	return rcpt == UD_REQ_RCPT_INTERFACE ? R_NOTSUP : R_ERR;
}

/* Checks the fixed fields against rule r: true if the request is well formed. */
static bool fields_ok(const struct ud_device *dev, const struct ud_setup *s, uint8_t r)
{
	if ((r & R_DIR) && ((s->bmRequestType ^ (uint8_t)(r << 1)) & UD_DIR_IN))
		return false;
	if (((r & R_V0) && s->wValue) || ((r & R_I0) && s->wIndex))
		return false;
	if ((r & R_ADDR) && dev->state < UD_STATE_ADDRESS)
		return false;
	return (r & R_LANY) || s->wLength == (r & 3u);
}

/* Two bytes: the data stage sends wLength of them (checked: 2, or 1 for a one-byte answer). */
static int reply_u16(struct ud_device *dev, uint16_t v)
{
	ud_put16(dev->ctrl_buf, v);
	return ud_ctrl_answer(dev, dev->ctrl_buf, 2);
}

static int device_feature(struct ud_device *dev, const struct ud_setup *s, bool set)
{
#if UD_REMOTE_WAKEUP
	if (s->wValue == UD_FEATURE_REMOTE_WAKEUP && s->wIndex == 0 &&
	    (dev->info->attributes & UD_CONFIG_ATTR_REMOTE_WAKEUP)) {
		dev->remote_wakeup_enabled = set;
		return 0;
	}
#endif
#if UD_HIGH_SPEED
	uint8_t sel = (uint8_t)(s->wIndex >> 8);
	/* Test modes exist only at high speed, entered after the status stage. */
	if (s->wValue == UD_FEATURE_TEST_MODE && set && (s->wIndex & 0xffu) == 0 &&
	    dev->speed == UD_SPEED_HIGH && sel >= 1 && sel <= 4 &&
	    (dev->port->caps->flags & UD_PORT_TEST_MODE)) {
		dev->ctrl.pending_test = sel;
		return 0;
	}
#endif
	(void)dev;
	(void)s;
	(void)set;
	return UD_ERR_INVAL;
}

static int device_request(struct ud_device *dev, const struct ud_setup *s)
{
	switch (s->bRequest) {
	case UD_REQ_GET_STATUS: {
		uint16_t bits = (dev->info->attributes & UD_CONFIG_ATTR_SELF_POWERED) ? 1u : 0u;
#if UD_REMOTE_WAKEUP
		if (dev->remote_wakeup_enabled)
			bits |= 2u;
#endif
		return reply_u16(dev, bits);
	}
	case UD_REQ_CLEAR_FEATURE:
	case UD_REQ_SET_FEATURE:
		return device_feature(dev, s, s->bRequest == UD_REQ_SET_FEATURE);
	case UD_REQ_SET_ADDRESS:
		/* the dispatcher runs only from the Default state on */
		if (s->wValue > 127 || dev->state == UD_STATE_CONFIGURED)
			return UD_ERR_INVAL;
		dev->ctrl.pending_address = (uint8_t)(0x80u | s->wValue);
		return 0;
	case UD_REQ_GET_DESCRIPTOR:
		return ud_desc_reply(dev, s->wValue, dev->ctrl_buf);
	case UD_REQ_GET_CONFIGURATION:
		return reply_u16(dev, dev->config);
	default: /* UD_REQ_SET_CONFIGURATION */
		if (s->wValue >> 8)
			return UD_ERR_INVAL;
		return ud_dev_set_configuration(dev, (uint8_t)s->wValue);
	}
}

static int interface_request(struct ud_device *dev, const struct ud_setup *s)
{
	uint8_t intf = (uint8_t)s->wIndex;

	if (s->bRequest == UD_REQ_GET_STATUS)
		return reply_u16(dev, 0);
#if UD_ALT_SETTINGS
	if (s->bRequest == UD_REQ_SET_INTERFACE) {
		if (s->wValue >= dev->desc.intf_alts[intf])
			return UD_ERR_INVAL;
		return ud_dev_set_interface(dev, intf, (uint8_t)s->wValue);
	}
#endif
	return reply_u16(dev, dev->alt[intf]); /* GET_INTERFACE */
}

static int endpoint_request(struct ud_device *dev, const struct ud_setup *s, unsigned owner)
{
	uint8_t ep = (uint8_t)s->wIndex;
	/* EP0 has no halt (9.4.5) and no frame pattern; nor has an isochronous endpoint a halt:
	 * it has no handshake to stall with, and no toggle. Any other endpoint here is open, so
	 * it has an owner. */
	const struct ud_ep *e = owner != UD_NO_FN ? ud_ep_state(dev, ep) : NULL;
	bool iso = e && e->type == UD_EP_ISOCHRONOUS;

	if (s->bRequest == UD_REQ_GET_STATUS)
		return reply_u16(dev, e && (e->flags & UD_EPF_HALTED) ? 1u : 0u);
	if (s->bRequest == UD_REQ_SYNCH_FRAME) /* only an isochronous endpoint's function answers */
		return iso ? UD_ERR_NOTSUP : UD_ERR_INVAL;
	if (iso) /* (wValue is ENDPOINT_HALT: the rule checked it) */
		return UD_ERR_INVAL;
	if (!e) /* EP0: a no-op clear is harmless */
		return s->bRequest == UD_REQ_CLEAR_FEATURE ? 0 : UD_ERR_INVAL;
	bool set = s->bRequest == UD_REQ_SET_FEATURE;
	ud_ep_halt(dev, ep, set);
	struct ud_function *fn = dev->fns[owner];
	if (!set && fn->ops->halt_cleared)
		fn->ops->halt_cleared(fn, ep);
	return 0;
}

int ud_std_request(struct ud_device *dev, const struct ud_setup *s, unsigned owner)
{
	uint8_t rcpt = s->bmRequestType & UD_REQ_RCPT_MASK;

	if (rcpt > UD_REQ_RCPT_ENDPOINT)
		return UD_ERR_INVAL;
	/* The recipient must exist before anything else is looked at: an interface or endpoint
	 * has an owner once configured; EP0 always exists (the dispatcher runs only from the
	 * Default state on). */
	if (rcpt != UD_REQ_RCPT_DEVICE &&
	    (s->wIndex > 0xffu ||
	     (owner == UD_NO_FN && (rcpt == UD_REQ_RCPT_INTERFACE || (s->wIndex & 0x7fu)))))
		return UD_ERR_INVAL;
	uint8_t r = rule_of(s, rcpt);
	if (r == R_NOTSUP)
		return UD_ERR_NOTSUP;
	if (r == R_ERR || !fields_ok(dev, s, r))
		return UD_ERR_INVAL;
	if (rcpt == UD_REQ_RCPT_DEVICE)
		return device_request(dev, s);
	if (rcpt == UD_REQ_RCPT_INTERFACE)
		return interface_request(dev, s);
	return endpoint_request(dev, s, owner);
}
