/* SPDX-License-Identifier: MIT */
/*
 * The HID function: descriptors in `bind`, the class and descriptor requests on EP0, and the
 * function callbacks forwarded to the user. The data path is the user's own requests on the
 * interrupt endpoints (ud_hid_send / ud_hid_receive). See ud_hid.h.
 */
#include "udcore/ud_hid.h"

#include <stddef.h>
#include <string.h>

static struct ud_hid *to_hid(struct ud_function *fn)
{
	return (struct ud_hid *)(void *)((char *)fn - offsetof(struct ud_hid, fn));
}

static const struct ud_hid_ops *ops_of(const struct ud_hid *hid)
{
	static const struct ud_hid_ops none = {0};
	return hid->cfg->ops ? hid->cfg->ops : &none;
}

static uint16_t or_fs(uint16_t hs, uint16_t fs)
{
	return hs ? hs : fs;
}

/* The HID descriptor (HID 1.11 6.2.1): HID 1.11, one report descriptor. */
static void build_hid_desc(struct ud_hid *hid)
{
	uint8_t *d = hid->desc;
	d[0] = UD_HID_DESC_LEN;
	d[1] = UD_HID_DESC_HID;
	d[2] = 0x11;
	d[3] = 0x01;
	d[4] = hid->cfg->country;
	d[5] = 1;
	d[6] = UD_HID_DESC_REPORT;
	d[7] = (uint8_t)(hid->cfg->report_desc_len & 0xffu);
	d[8] = (uint8_t)(hid->cfg->report_desc_len >> 8);
}

static int add_endpoints(struct ud_device *dev, struct ud_hid *hid)
{
	const struct ud_hid_config *c = hid->cfg;
	int rc = ud_desc_add_endpoint(dev, hid->ep_in, UD_EP_INTERRUPT, c->in_size,
	                              or_fs(c->in_size_hs, c->in_size), c->interval_fs,
	                              c->interval_hs);
	if (rc == 0 && hid->ep_out)
		rc = ud_desc_add_endpoint(dev, hid->ep_out, UD_EP_INTERRUPT, c->out_size,
		                          or_fs(c->out_size_hs, c->out_size), c->interval_fs,
		                          c->interval_hs);
	return rc;
}

static int alloc_numbers(struct ud_device *dev, struct ud_hid *hid)
{
	int intf = ud_desc_alloc_interface(dev), in, out = 0;

	if (intf < 0)
		return intf;
	if ((in = ud_desc_alloc_endpoint(dev, true)) < 0)
		return in;
	if (hid->cfg->out_size && (out = ud_desc_alloc_endpoint(dev, false)) < 0)
		return out;
	hid->intf = (uint8_t)intf;
	hid->ep_in = (uint8_t)in;
	hid->ep_out = (uint8_t)out;
	return 0;
}

static int hid_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct ud_hid *hid = to_hid(fn);
	const struct ud_hid_config *c = hid->cfg;
	int istr = 0, rc;

	if (c->interface_string && (istr = ud_desc_add_string(dev, c->interface_string)) < 0)
		return istr;
	rc = ud_desc_function_begin(dev, UD_HID_CLASS, c->subclass, c->protocol, (uint8_t)istr);
	if (rc == 0)
		rc = alloc_numbers(dev, hid);
	build_hid_desc(hid);
	if (rc == 0)
		rc = ud_desc_add_interface(dev, hid->intf, 0, hid->ep_out ? 2 : 1, UD_HID_CLASS,
		                           c->subclass, c->protocol, (uint8_t)istr);
	if (rc == 0)
		rc = ud_desc_append(dev, hid->desc, UD_HID_DESC_LEN);
	if (rc == 0)
		rc = add_endpoints(dev, hid);
	if (rc == 0)
		rc = ud_desc_function_end(dev);
	return rc;
}

/* Every (re)configuration starts in report protocol (HID 1.11 7.2.6) with no idle rate. */
static void hid_enable(struct ud_function *fn)
{
	struct ud_hid *hid = to_hid(fn);

	hid->protocol = UD_HID_PROTOCOL_REPORT;
	hid->idle = 0;
	if (ops_of(hid)->enable)
		ops_of(hid)->enable(hid);
}

static void hid_disable(struct ud_function *fn)
{
	struct ud_hid *hid = to_hid(fn);

	if (ops_of(hid)->disable)
		ops_of(hid)->disable(hid);
}

/* SET_INTERFACE reopened the endpoints (only alternate setting 0 exists). */
static void hid_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	struct ud_hid *hid = to_hid(fn);

	(void)intf;
	(void)alt;
	if (ops_of(hid)->enable)
		ops_of(hid)->enable(hid);
}

static void hid_halt_cleared(struct ud_function *fn, uint8_t ep)
{
	struct ud_hid *hid = to_hid(fn);

	if (ops_of(hid)->halt_cleared)
		ops_of(hid)->halt_cleared(hid, ep);
}

static void hid_poll(struct ud_function *fn)
{
	struct ud_hid *hid = to_hid(fn);

	if (ops_of(hid)->poll)
		ops_of(hid)->poll(hid);
}

static int get_descriptor(struct ud_hid *hid, const struct ud_setup *s)
{
	uint8_t type = (uint8_t)(s->wValue >> 8);

	if (!(s->bmRequestType & UD_DIR_IN) || (s->wValue & 0xffu) != 0)
		return UD_ERR_INVAL;
	if (type == UD_HID_DESC_HID)
		return ud_ctrl_reply_copy(hid->fn.dev, hid->desc, UD_HID_DESC_LEN);
	if (type == UD_HID_DESC_REPORT)
		return ud_ctrl_reply(hid->fn.dev, hid->cfg->report_desc, hid->cfg->report_desc_len);
	return UD_ERR_INVAL;
}

static int get_report(struct ud_hid *hid, const struct ud_setup *s)
{
	uint8_t type = (uint8_t)(s->wValue >> 8), id = (uint8_t)s->wValue;
	/* Built in the core's EP0 buffer: a buffer of UD_CTRL_BUF_SIZE (up to 64 KiB) on this
	 * stack would be the firmware's problem. Non-NULL here: this is an IN request's
	 * `control` callback, not yet answered. What can be sent (wLength) is zeroed first, so a
	 * byte the report leaves out goes as 0, never as part of an earlier answer. */
	uint8_t *buf = ud_ctrl_reply_buffer(hid->fn.dev);
	int n;

	if (!buf)
		return UD_ERR_STATE;
	memset(buf, 0, s->wLength < UD_CTRL_BUF_SIZE ? s->wLength : UD_CTRL_BUF_SIZE);
	if (ops_of(hid)->get_report)
		n = ops_of(hid)->get_report(hid, type, id, buf, UD_CTRL_BUF_SIZE);
	else if (type == UD_HID_REPORT_INPUT && id == 0)
		n = hid->cfg->in_size <= UD_CTRL_BUF_SIZE ? hid->cfg->in_size : UD_ERR_NOSPACE;
	else
		n = UD_ERR_INVAL;
	if (n < 0)
		return n;
	if (n > UD_CTRL_BUF_SIZE)
		return UD_ERR_NOSPACE; /* the callback overstepped its room: refuse, don't send */
	return ud_ctrl_reply(hid->fn.dev, buf, (uint16_t)n);
}

static int set_report_done(struct ud_function *fn, const struct ud_setup *s, uint8_t *buf,
                           uint16_t len, int status)
{
	struct ud_hid *hid = to_hid(fn);

	if (status != UD_OK)
		return status;
	return ops_of(hid)->set_report(hid, (uint8_t)(s->wValue >> 8), (uint8_t)s->wValue, buf,
	                               len);
}

static int set_report(struct ud_hid *hid, const struct ud_setup *s)
{
	const struct ud_hid_config *c = hid->cfg;

	if (!ops_of(hid)->set_report || s->wLength == 0)
		return UD_ERR_INVAL;
	return ud_ctrl_receive(hid->fn.dev, c->set_report_buf, c->set_report_len, set_report_done);
}

static bool is_boot(const struct ud_hid *hid)
{
	return hid->cfg->subclass == UD_HID_SUBCLASS_BOOT;
}

/* HID class requests (HID 1.11 7.2): direction and wLength are part of each definition. */
static int class_request(struct ud_hid *hid, const struct ud_setup *s)
{
	bool in = (s->bmRequestType & UD_DIR_IN) != 0;

	switch (s->bRequest) {
	case UD_HID_GET_REPORT:
		return in && s->wLength ? get_report(hid, s) : UD_ERR_INVAL;
	case UD_HID_SET_REPORT:
		return in ? UD_ERR_INVAL : set_report(hid, s);
	case UD_HID_GET_IDLE:
		if (!in || s->wLength != 1 || (s->wValue >> 8))
			return UD_ERR_INVAL;
		return ud_ctrl_reply_copy(hid->fn.dev, &hid->idle, 1);
	case UD_HID_SET_IDLE:
		if (in || s->wLength)
			return UD_ERR_INVAL;
		hid->idle = (uint8_t)(s->wValue >> 8);
		return 0;
	case UD_HID_GET_PROTOCOL:
		if (!in || s->wLength != 1 || s->wValue || !is_boot(hid))
			return UD_ERR_INVAL;
		return ud_ctrl_reply_copy(hid->fn.dev, &hid->protocol, 1);
	case UD_HID_SET_PROTOCOL:
		if (in || s->wLength || s->wValue > UD_HID_PROTOCOL_REPORT || !is_boot(hid))
			return UD_ERR_INVAL;
		hid->protocol = (uint8_t)s->wValue;
		return 0;
	default:
		return UD_ERR_INVAL;
	}
}

static int hid_control(struct ud_function *fn, const struct ud_setup *s)
{
	struct ud_hid *hid = to_hid(fn);
	uint8_t type = s->bmRequestType & UD_REQ_TYPE_MASK;

	/* The core routes by the low byte of wIndex; the high byte must be 0 for an interface. */
	if ((s->bmRequestType & UD_REQ_RCPT_MASK) != UD_REQ_RCPT_INTERFACE ||
	    s->wIndex != hid->intf)
		return UD_ERR_NOTSUP;
	if (type == UD_REQ_TYPE_STANDARD)
		return s->bRequest == UD_REQ_GET_DESCRIPTOR ? get_descriptor(hid, s) : UD_ERR_INVAL;
	if (type == UD_REQ_TYPE_CLASS)
		return class_request(hid, s);
	return UD_ERR_NOTSUP;
}

static const struct ud_function_ops hid_function_ops = {
	.bind = hid_bind,
	.enable = hid_enable,
	.disable = hid_disable,
	.set_alt = hid_set_alt,
	.control = hid_control,
	.halt_cleared = hid_halt_cleared,
	.poll = hid_poll,
};

static bool size_ok(uint16_t fs, uint16_t hs)
{
	return fs >= 1 && fs <= 64 && hs <= 1024;
}

static bool config_ok(const struct ud_hid_config *c)
{
	if (!c->report_desc || !c->report_desc_len || !size_ok(c->in_size, c->in_size_hs))
		return false;
	if ((c->out_size || c->out_size_hs) && !size_ok(c->out_size, c->out_size_hs))
		return false;
	if (c->interval_fs == 0 || c->interval_hs == 0 || c->interval_hs > 16)
		return false;
	if (c->ops && c->ops->set_report && (!c->set_report_buf || !c->set_report_len))
		return false;
	return true;
}

int ud_hid_add(struct ud_device *dev, struct ud_hid *hid, const struct ud_hid_config *cfg)
{
	if (!dev || !hid || !cfg || !config_ok(cfg))
		return UD_ERR_INVAL;
	hid->cfg = cfg;
	hid->ep_in = hid->ep_out = 0;
	hid->idle = 0;
	hid->protocol = UD_HID_PROTOCOL_REPORT;
	hid->fn.ops = &hid_function_ops;
	if (!hid->fn.name)
		hid->fn.name = "hid";
	return ud_device_add_function(dev, &hid->fn);
}

int ud_hid_send(struct ud_hid *hid, struct ud_req *req)
{
	if (!hid || !hid->fn.dev)
		return UD_ERR_INVAL;
	return ud_ep_submit(hid->fn.dev, hid->ep_in, req);
}

int ud_hid_receive(struct ud_hid *hid, struct ud_req *req)
{
	if (!hid || !hid->fn.dev)
		return UD_ERR_INVAL;
	if (!hid->ep_out)
		return UD_ERR_NOTSUP;
	return ud_ep_submit(hid->fn.dev, hid->ep_out, req);
}

uint8_t ud_hid_ep_in(const struct ud_hid *hid)
{
	return hid->ep_in;
}

uint8_t ud_hid_ep_out(const struct ud_hid *hid)
{
	return hid->ep_out;
}

uint8_t ud_hid_interface(const struct ud_hid *hid)
{
	return hid->intf;
}

uint8_t ud_hid_idle(const struct ud_hid *hid)
{
	return hid->idle;
}

uint8_t ud_hid_protocol(const struct ud_hid *hid)
{
	return hid->protocol;
}
