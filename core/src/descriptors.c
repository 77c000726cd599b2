/* SPDX-License-Identifier: MIT */
/*
 * The descriptor builder (ud_desc.h): functions allocate numbers and append descriptors.
 *
 * The configuration descriptor is written once, at full-speed values; each endpoint's
 * full- and high-speed wMaxPacketSize and bInterval are kept beside it, for desc_answers.c to
 * patch in for the speed a request asks about.
 */
#include <string.h>

#include "ud_internal.h"

#define CFG_HEADER_LEN 9u

void ud_desc_init(struct ud_device *dev)
{
	struct ud_desc *d = &dev->desc;
	const struct ud_device_info *info = dev->info;

	d->building_fn = UD_NO_FN;
	memset(d->ep_fn, UD_NO_FN, sizeof(d->ep_fn));
	memset(d->intf_fn, UD_NO_FN, sizeof(d->intf_fn));
	d->cfg[0] = CFG_HEADER_LEN;
	d->cfg[1] = UD_DESC_CONFIGURATION;
	d->cfg[5] = 1; /* bConfigurationValue: udcore devices have one configuration */
	d->cfg[7] = (uint8_t)(UD_CONFIG_ATTR_RESERVED |
	                      (info->attributes &
	                       (UD_CONFIG_ATTR_SELF_POWERED | UD_CONFIG_ATTR_REMOTE_WAKEUP)));
	d->cfg[8] = (uint8_t)((info->max_power_ma > 500 ? 500 : info->max_power_ma) / 2);
	d->cfg_len = CFG_HEADER_LEN;
}

static bool binding(const struct ud_device *dev)
{
	return !dev->started && dev->desc.building_fn != UD_NO_FN;
}

static uint8_t *reserve(struct ud_device *dev, uint16_t len)
{
	struct ud_desc *d = &dev->desc;
	if ((uint32_t)d->cfg_len + len > UD_CONFIG_DESC_SIZE)
		return NULL;
	uint8_t *p = &d->cfg[d->cfg_len];
	d->cfg_len = (uint16_t)(d->cfg_len + len);
	return p;
}

int ud_desc_alloc_interface(struct ud_device *dev)
{
	if (!dev || !binding(dev))
		return UD_ERR_STATE;
	struct ud_desc *d = &dev->desc;
	if (d->num_interfaces >= UD_MAX_INTERFACES)
		return UD_ERR_NOSPACE;
	struct ud_function *fn = dev->fns[d->building_fn];
	if (fn->num_interfaces == 0)
		fn->first_interface = d->num_interfaces;
	fn->num_interfaces++;
	d->intf_fn[d->num_interfaces] = d->building_fn;
	return d->num_interfaces++;
}

int ud_desc_alloc_endpoint(struct ud_device *dev, bool in)
{
	if (!dev || !binding(dev))
		return UD_ERR_STATE;
	uint8_t count = dev->port->caps->ep_count;
	if (count > UD_MAX_EP_NUM)
		count = UD_MAX_EP_NUM;
	for (uint8_t n = 1; n < count; n++) {
		uint8_t addr = (uint8_t)(n | (in ? 0x80u : 0u));
		if (dev->desc.ep_fn[UD_EP_INDEX(addr)] == UD_NO_FN) {
			dev->desc.ep_fn[UD_EP_INDEX(addr)] = dev->desc.building_fn;
			return addr;
		}
	}
	return UD_ERR_NOSPACE;
}

int ud_desc_add_string(struct ud_device *dev, const char *utf8)
{
	if (!dev || !utf8)
		return UD_ERR_INVAL;
	if (dev->started)
		return UD_ERR_STATE;
	int n = ud_utf8_to_utf16le(utf8, NULL, 0);
	if (n < 0)
		return n;
	if (n + 2 > 255 || n + 2 > UD_CTRL_BUF_SIZE)
		return UD_ERR_NOSPACE;
	struct ud_desc *d = &dev->desc;
	if (d->num_strings >= UD_MAX_STRINGS)
		return UD_ERR_NOSPACE;
	d->strings[d->num_strings++] = utf8;
	return d->num_strings;
}

int ud_desc_function_begin(struct ud_device *dev, uint8_t cls, uint8_t subclass, uint8_t protocol,
                           uint8_t istring)
{
	if (!dev || !binding(dev) || dev->desc.fn_open)
		return UD_ERR_STATE;
	struct ud_desc *d = &dev->desc;
	d->fn_open = 1;
	d->fn_offset = d->cfg_len;
	d->fn_iad[0] = cls;
	d->fn_iad[1] = subclass;
	d->fn_iad[2] = protocol;
	d->fn_iad[3] = istring;
	d->fn_first_intf = d->num_interfaces;
	return 0;
}

int ud_desc_function_end(struct ud_device *dev)
{
	if (!dev || !binding(dev) || !dev->desc.fn_open)
		return UD_ERR_STATE;
	struct ud_desc *d = &dev->desc;
	uint8_t count = (uint8_t)(d->num_interfaces - d->fn_first_intf);
	d->fn_open = 0;
	if (count < 2)
		return 0;
	/* Several interfaces form one function: an IAD in front tells the host so. */
	if (!reserve(dev, 8))
		return UD_ERR_NOSPACE;
	uint8_t *at = &d->cfg[d->fn_offset];
	memmove(at + 8, at, (size_t)(d->cfg_len - 8 - d->fn_offset));
	const uint8_t iad[8] = {8,
	                        UD_DESC_IAD,
	                        d->fn_first_intf,
	                        count,
	                        d->fn_iad[0],
	                        d->fn_iad[1],
	                        d->fn_iad[2],
	                        d->fn_iad[3]};
	memcpy(at, iad, sizeof(iad));
	for (uint8_t i = 0; i < d->num_ep_desc; i++)
		if (d->ep[i].offset >= d->fn_offset)
			d->ep[i].offset = (uint16_t)(d->ep[i].offset + 8);
	d->has_iad = 1;
	return 0;
}

int ud_desc_add_interface(struct ud_device *dev, uint8_t intf, uint8_t alt, uint8_t num_ep,
                          uint8_t cls, uint8_t subclass, uint8_t protocol, uint8_t istring)
{
	if (!dev || !binding(dev))
		return UD_ERR_STATE;
	struct ud_desc *d = &dev->desc;
	if (intf >= d->num_interfaces || d->intf_fn[intf] != d->building_fn ||
	    alt != d->intf_alts[intf])
		return UD_ERR_INVAL;
	uint8_t *p = reserve(dev, 9);
	if (!p)
		return UD_ERR_NOSPACE;
	const uint8_t desc[9] = {9,   UD_DESC_INTERFACE, intf,     alt,    num_ep,
	                         cls, subclass,          protocol, istring};
	memcpy(p, desc, sizeof(desc));
	d->intf_alts[intf]++;
	d->last_intf = intf;
	d->last_alt = alt;
	return 0;
}

static bool packet_size_ok(const struct ud_device *dev, uint16_t fs, uint16_t hs)
{
	const struct ud_port_caps *caps = dev->port->caps;
	if (fs == 0 || fs > caps->max_packet_fs)
		return false;
	return !(caps->speeds & UD_SPEED_HIGH) || (hs != 0 && hs <= caps->max_packet_hs);
}

int ud_desc_add_endpoint(struct ud_device *dev, uint8_t addr, uint8_t type, uint16_t mps_fs,
                         uint16_t mps_hs, uint8_t interval_fs, uint8_t interval_hs)
{
	if (!dev || !binding(dev))
		return UD_ERR_STATE;
	struct ud_desc *d = &dev->desc;
	if (!ud_ep_addr_ok(addr) || UD_EP_NUM(addr) == 0 ||
	    d->ep_fn[UD_EP_INDEX(addr)] != d->building_fn || type == UD_EP_CONTROL || type > 3 ||
	    !packet_size_ok(dev, mps_fs, mps_hs))
		return UD_ERR_INVAL;
	if (d->num_ep_desc >= UD_EP_SLOTS)
		return UD_ERR_NOSPACE;
	uint8_t *p = reserve(dev, 7);
	if (!p)
		return UD_ERR_NOSPACE;
	struct ud_desc_ep *e = &d->ep[d->num_ep_desc++];
	e->offset = (uint16_t)(p - d->cfg);
	e->mps_fs = mps_fs;
	e->mps_hs = mps_hs;
	e->ival_fs = interval_fs;
	e->ival_hs = interval_hs;
	const uint8_t desc[7] = {7,          UD_DESC_ENDPOINT,          addr,
	                         type,       (uint8_t)(mps_fs & 0xffu), (uint8_t)(mps_fs >> 8),
	                         interval_fs};
	memcpy(p, desc, sizeof(desc));
	return 0;
}

int ud_desc_append(struct ud_device *dev, const uint8_t *desc, uint16_t len)
{
	if (!dev || !binding(dev))
		return UD_ERR_STATE;
	if (!desc || len < 2 || len > 255 || desc[0] != len)
		return UD_ERR_INVAL;
	uint8_t *p = reserve(dev, len);
	if (!p)
		return UD_ERR_NOSPACE;
	memcpy(p, desc, len);
	return 0;
}

int ud_desc_finish(struct ud_device *dev)
{
	struct ud_desc *d = &dev->desc;
	if (d->fn_open)
		return UD_ERR_STATE;
	ud_put16(&d->cfg[2], d->cfg_len);
	d->cfg[4] = d->num_interfaces;
	return ud_msos2_finish(dev);
}
