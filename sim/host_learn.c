/* SPDX-License-Identifier: MIT */
/* What the host model learns from requests that succeeded: the address it assigned, the
 * toggles a request resets on both sides, and packet sizes from descriptors. */
#include <string.h>

#include "host.h"

/* Record endpoint sizes and owning interfaces from a whole configuration descriptor. */
static void learn_config(struct ud_host *h, const uint8_t *d, uint16_t len)
{
	uint8_t intf = 0xff;
	uint16_t i = 0;

	while (i + 2u <= len) {
		uint8_t bl = d[i], type = d[i + 1];

		if (bl < 2 || i + bl > len)
			break; /* malformed: keep what was learned so far */
		if (type == UD_DESC_INTERFACE && bl >= 9) {
			intf = d[i + 2];
		} else if (type == UD_DESC_ENDPOINT && bl >= 7) {
			uint8_t addr = d[i + 2];
			uint16_t mps = (uint16_t)((d[i + 4] | (d[i + 5] << 8)) & 0x7ff);
			struct ud_host_ep *e = &h->ep[UD_EP_NUM(addr)];

			if (UD_EP_NUM(addr) != 0 && mps != 0) {
				if (UD_EP_IS_IN(addr)) {
					e->mps_in = mps;
					e->intf_in = intf;
				} else {
					e->mps_out = mps;
					e->intf_out = intf;
				}
			}
		}
		i = (uint16_t)(i + bl);
	}
}

static void learn_descriptor(struct ud_host *h, const struct ud_setup *s, const uint8_t *d,
                             uint16_t len)
{
	uint8_t type = (uint8_t)(s->wValue >> 8);

	if (type == UD_DESC_DEVICE && len >= 8 && d[1] == UD_DESC_DEVICE && d[7] != 0) {
		h->ep[0].mps_in = d[7];
		h->ep[0].mps_out = d[7];
		h->ep0_known = 1;
		h->dev_desc_len = (uint8_t)(len < sizeof(h->dev_desc) ? len : sizeof(h->dev_desc));
		memcpy(h->dev_desc, d, h->dev_desc_len);
	} else if (type == UD_DESC_CONFIGURATION && len >= 4 &&
	           len >= (uint16_t)(d[2] | (d[3] << 8))) {
		learn_config(h, d, len);
	}
}

/* Toggles of the endpoints of interface @p intf (all, if the host never read the
 * configuration) restart at DATA0. */
static void reset_interface_toggles(struct ud_host *h, uint8_t intf)
{
	unsigned i;

	for (i = 1; i < 16; i++) {
		if (h->ep[i].intf_in == intf || h->ep[i].intf_in == 0xff)
			h->ep[i].toggle_in = 0;
		if (h->ep[i].intf_out == intf || h->ep[i].intf_out == 0xff)
			h->ep[i].toggle_out = 0;
	}
}

void ud_host_learn(struct ud_host *h, const struct ud_setup *s, const uint8_t *data, uint16_t len)
{
	uint8_t rcpt = s->bmRequestType & UD_REQ_RCPT_MASK;
	unsigned i;

	if ((s->bmRequestType & UD_REQ_TYPE_MASK) != UD_REQ_TYPE_STANDARD)
		return;
	if (UD_EP_IS_IN(s->bmRequestType)) {
		if (s->bRequest == UD_REQ_GET_DESCRIPTOR && data)
			learn_descriptor(h, s, data, len);
		return;
	}
	switch (s->bRequest) {
	case UD_REQ_SET_ADDRESS:
		if (rcpt == UD_REQ_RCPT_DEVICE)
			h->addr = (uint8_t)(s->wValue & 0x7f);
		break;
	case UD_REQ_SET_CONFIGURATION:
		h->config = (uint8_t)s->wValue;
		for (i = 1; i < 16; i++) {
			h->ep[i].toggle_in = 0;
			h->ep[i].toggle_out = 0;
		}
		break;
	case UD_REQ_SET_INTERFACE:
		if (rcpt == UD_REQ_RCPT_INTERFACE)
			reset_interface_toggles(h, (uint8_t)s->wIndex);
		break;
	case UD_REQ_CLEAR_FEATURE:
		if (rcpt == UD_REQ_RCPT_ENDPOINT && s->wValue == UD_FEATURE_ENDPOINT_HALT &&
		    UD_EP_NUM(s->wIndex) != 0) {
			if (UD_EP_IS_IN(s->wIndex))
				h->ep[UD_EP_NUM(s->wIndex)].toggle_in = 0;
			else
				h->ep[UD_EP_NUM(s->wIndex)].toggle_out = 0;
		}
		break;
	default:
		break;
	}
}
