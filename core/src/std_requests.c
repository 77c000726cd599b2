/* SPDX-License-Identifier: MIT */
/*
 * Chapter 9 standard requests (USB 2.0 section 9.4). Every field is checked; whatever the
 * specification calls a Request Error is answered with a STALL (a non-zero return here).
 * Requests the core does not own (standard requests to an interface other than the ones below,
 * e.g. a HID report descriptor) return UD_ERR_NOTSUP so control.c offers them to the function.
 */
#include "ud_internal.h"

static bool addressed(const struct ud_device *dev)
{
	return dev->state == UD_STATE_ADDRESS || dev->state == UD_STATE_CONFIGURED;
}

static int reply_status(struct ud_device *dev, uint16_t bits)
{
	ud_put16(dev->ctrl.buf, bits);
	return ud_ctrl_set_reply(dev, dev->ctrl.buf, 2);
}

static int get_descriptor(struct ud_device *dev, const struct ud_setup *s)
{
	uint8_t type = (uint8_t)(s->wValue >> 8), index = (uint8_t)(s->wValue & 0xffu);
	uint8_t *buf = dev->ctrl.buf;
	enum ud_speed other = dev->speed == UD_SPEED_HIGH ? UD_SPEED_FULL : UD_SPEED_HIGH;
	const uint8_t *cfg;
	uint16_t len;

	switch (type) {
	case UD_DESC_DEVICE:
		if (index)
			return UD_ERR_INVAL;
		return ud_ctrl_set_reply(dev, buf, ud_desc_device(dev, buf));
	case UD_DESC_CONFIGURATION:
	case UD_DESC_OTHER_SPEED_CONFIG:
		/* Other-speed answers exist only on a device that can run at high speed. */
		if (index ||
		    (type == UD_DESC_OTHER_SPEED_CONFIG && !ud_desc_high_speed_capable(dev)))
			return UD_ERR_INVAL;
		cfg = ud_desc_config(
			dev, type == UD_DESC_CONFIGURATION ? (enum ud_speed)dev->speed : other,
			type, &len);
		return ud_ctrl_set_reply(dev, cfg, len);
	case UD_DESC_STRING: {
		int n = ud_desc_string(dev, index, buf, UD_CTRL_BUF_SIZE);
		return n < 0 ? n : ud_ctrl_set_reply(dev, buf, (uint16_t)n);
	}
	case UD_DESC_DEVICE_QUALIFIER:
		if (index || !ud_desc_high_speed_capable(dev))
			return UD_ERR_INVAL;
		return ud_ctrl_set_reply(dev, buf, ud_desc_qualifier(dev, buf));
	case UD_DESC_BOS:
		if (index || ud_desc_bcd_usb(dev) < 0x0201u)
			return UD_ERR_INVAL;
		return ud_ctrl_set_reply(dev, buf, ud_msos2_bos(dev, buf));
	default:
		return UD_ERR_INVAL; /* INTERFACE, ENDPOINT, unknown: a request error */
	}
}

static int device_feature(struct ud_device *dev, const struct ud_setup *s, bool set)
{
	if (s->wValue == UD_FEATURE_REMOTE_WAKEUP && (s->wIndex == 0)) {
		if (!(dev->info->attributes & UD_CONFIG_ATTR_REMOTE_WAKEUP))
			return UD_ERR_INVAL;
		dev->remote_wakeup_enabled = set;
		return 0;
	}
	if (s->wValue == UD_FEATURE_TEST_MODE && set && (s->wIndex & 0xffu) == 0) {
		uint8_t sel = (uint8_t)(s->wIndex >> 8);
		/* Test modes exist only at high speed, entered after the status stage. */
		if (dev->speed != UD_SPEED_HIGH || sel < 1 || sel > 4 ||
		    !(dev->port->caps->flags & UD_PORT_TEST_MODE))
			return UD_ERR_INVAL;
		dev->ctrl.pending_test = sel;
		return 0;
	}
	return UD_ERR_INVAL;
}

static int set_address(struct ud_device *dev, const struct ud_setup *s)
{
	if (s->wValue > 127 || s->wIndex || dev->state == UD_STATE_CONFIGURED ||
	    dev->state < UD_STATE_DEFAULT)
		return UD_ERR_INVAL;
	dev->ctrl.pending_address = (uint8_t)(0x80u | s->wValue);
	return 0;
}

static int device_request(struct ud_device *dev, const struct ud_setup *s)
{
	bool in = (s->bmRequestType & UD_DIR_IN) != 0;

	switch (s->bRequest) {
	case UD_REQ_GET_STATUS:
		if (!in || s->wValue || s->wIndex || s->wLength != 2)
			return UD_ERR_INVAL;
		return reply_status(
			dev,
			(uint16_t)(((dev->info->attributes & UD_CONFIG_ATTR_SELF_POWERED) ? 1u
		                                                                          : 0u) |
		                   (dev->remote_wakeup_enabled ? 2u : 0u)));
	case UD_REQ_CLEAR_FEATURE:
	case UD_REQ_SET_FEATURE:
		if (in || s->wLength)
			return UD_ERR_INVAL;
		return device_feature(dev, s, s->bRequest == UD_REQ_SET_FEATURE);
	case UD_REQ_SET_ADDRESS:
		if (in || s->wLength)
			return UD_ERR_INVAL;
		return set_address(dev, s);
	case UD_REQ_GET_DESCRIPTOR:
		if (!in)
			return UD_ERR_INVAL;
		return get_descriptor(dev, s);
	case UD_REQ_GET_CONFIGURATION:
		if (!in || s->wValue || s->wIndex || s->wLength != 1 || !addressed(dev))
			return UD_ERR_INVAL;
		dev->ctrl.buf[0] = dev->config;
		return ud_ctrl_set_reply(dev, dev->ctrl.buf, 1);
	case UD_REQ_SET_CONFIGURATION:
		if (in || s->wIndex || s->wLength || (s->wValue >> 8) || !addressed(dev))
			return UD_ERR_INVAL;
		return ud_dev_set_configuration(dev, (uint8_t)s->wValue);
	default:
		return UD_ERR_INVAL; /* SET_DESCRIPTOR and unknown requests */
	}
}

static int interface_request(struct ud_device *dev, const struct ud_setup *s)
{
	bool in = (s->bmRequestType & UD_DIR_IN) != 0;
	uint16_t intf = s->wIndex;

	if (dev->state != UD_STATE_CONFIGURED || intf >= dev->desc.num_interfaces)
		return UD_ERR_INVAL;
	switch (s->bRequest) {
	case UD_REQ_GET_STATUS:
		if (!in || s->wValue || s->wLength != 2)
			return UD_ERR_INVAL;
		return reply_status(dev, 0);
	case UD_REQ_CLEAR_FEATURE:
	case UD_REQ_SET_FEATURE:
		return UD_ERR_INVAL; /* USB 2.0 defines no interface feature */
	case UD_REQ_GET_INTERFACE:
		if (!in || s->wValue || s->wLength != 1)
			return UD_ERR_INVAL;
		dev->ctrl.buf[0] = dev->alt[intf];
		return ud_ctrl_set_reply(dev, dev->ctrl.buf, 1);
	case UD_REQ_SET_INTERFACE:
		if (in || s->wLength || s->wValue >= dev->desc.intf_alts[intf])
			return UD_ERR_INVAL;
		return ud_dev_set_interface(dev, (uint8_t)intf, (uint8_t)s->wValue);
	default:
		return UD_ERR_NOTSUP; /* e.g. GET_DESCRIPTOR(HID report): the function's */
	}
}

/* The endpoint a request names, if it exists in this state; EP0 always does. */
static bool endpoint_exists(const struct ud_device *dev, uint16_t windex)
{
	uint8_t ep = (uint8_t)windex;

	if ((windex & 0xff70u) != 0 || !ud_ep_addr_ok(ep))
		return false;
	if (UD_EP_NUM(ep) == 0)
		return dev->state >= UD_STATE_DEFAULT;
	return dev->state == UD_STATE_CONFIGURED && ud_ep_is_open(dev, ep);
}

static int endpoint_request(struct ud_device *dev, const struct ud_setup *s)
{
	bool in = (s->bmRequestType & UD_DIR_IN) != 0;
	uint8_t ep = (uint8_t)s->wIndex;

	if (!endpoint_exists(dev, s->wIndex))
		return UD_ERR_INVAL;
	switch (s->bRequest) {
	case UD_REQ_GET_STATUS:
		if (!in || s->wValue || s->wLength != 2)
			return UD_ERR_INVAL;
		return reply_status(dev, ud_ep_is_halted(dev, ep) ? 1u : 0u);
	case UD_REQ_CLEAR_FEATURE:
	case UD_REQ_SET_FEATURE:
		if (in || s->wLength || s->wValue != UD_FEATURE_ENDPOINT_HALT)
			return UD_ERR_INVAL;
		if (UD_EP_NUM(ep) == 0) /* EP0 has no halt (9.4.5); a no-op clear is harmless */
			return s->bRequest == UD_REQ_CLEAR_FEATURE ? 0 : UD_ERR_INVAL;
		if (s->bRequest == UD_REQ_SET_FEATURE)
			return ud_ep_set_halt(dev, ep);
		int rc = ud_ep_clear_halt(dev, ep);
		struct ud_function *fn = ud_dev_fn(dev, dev->ep[UD_EP_INDEX(ep)].fn);
		if (rc == 0 && fn && fn->ops->halt_cleared)
			fn->ops->halt_cleared(fn, ep);
		return rc;
	case UD_REQ_SYNCH_FRAME:
		/* Only isochronous endpoints have a frame pattern; their function answers. */
		if (dev->ep[UD_EP_INDEX(ep)].type != UD_EP_ISOCHRONOUS || UD_EP_NUM(ep) == 0)
			return UD_ERR_INVAL;
		return UD_ERR_NOTSUP;
	default:
		return UD_ERR_INVAL;
	}
}

int ud_std_request(struct ud_device *dev, const struct ud_setup *s)
{
	switch (s->bmRequestType & UD_REQ_RCPT_MASK) {
	case UD_REQ_RCPT_DEVICE:
		return device_request(dev, s);
	case UD_REQ_RCPT_INTERFACE:
		return interface_request(dev, s);
	case UD_REQ_RCPT_ENDPOINT:
		return endpoint_request(dev, s);
	default:
		return UD_ERR_INVAL;
	}
}
