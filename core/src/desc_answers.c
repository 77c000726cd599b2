/* SPDX-License-Identifier: MIT */
/*
 * The descriptors the core answers GET_DESCRIPTOR with: device, device qualifier,
 * configuration and other-speed configuration (patched for the speed asked about), strings;
 * and the walk over the configuration that finds an alternate setting's endpoints.
 */
#include <string.h>

#include "ud_internal.h"

bool ud_desc_high_speed_capable(const struct ud_device *dev)
{
	return (dev->port->caps->speeds & UD_SPEED_HIGH) != 0;
}

uint16_t ud_desc_bcd_usb(const struct ud_device *dev)
{
	/* 2.10 announces a BOS descriptor, which Windows needs to find MS OS 2.0 descriptors. */
	return ud_msos2_enabled(dev) ? 0x0210u : 0x0200u;
}

/* Class triple of the device descriptor: the application's, or the IAD convention. */
static void device_class(const struct ud_device *dev, uint8_t *out)
{
	const struct ud_device_info *info = dev->info;
	if (info->device_class == 0 && dev->desc.has_iad) {
		out[0] = 0xef; /* Miscellaneous, Common Class, Interface Association */
		out[1] = 0x02;
		out[2] = 0x01;
	} else {
		out[0] = info->device_class;
		out[1] = info->device_subclass;
		out[2] = info->device_protocol;
	}
}

uint16_t ud_desc_device(struct ud_device *dev, uint8_t *out)
{
	const struct ud_device_info *info = dev->info;
	out[0] = 18;
	out[1] = UD_DESC_DEVICE;
	ud_put16(&out[2], ud_desc_bcd_usb(dev));
	device_class(dev, &out[4]);
	out[7] = (uint8_t)ud_ctrl_ep0_size(dev);
	ud_put16(&out[8], info->vid);
	ud_put16(&out[10], info->pid);
	ud_put16(&out[12], info->bcd_device);
	out[14] = dev->desc.i_manufacturer;
	out[15] = dev->desc.i_product;
	out[16] = dev->desc.i_serial;
	out[17] = 1; /* bNumConfigurations */
	return 18;
}

uint16_t ud_desc_qualifier(struct ud_device *dev, uint8_t *out)
{
	out[0] = 10;
	out[1] = UD_DESC_DEVICE_QUALIFIER;
	ud_put16(&out[2], ud_desc_bcd_usb(dev));
	device_class(dev, &out[4]);
	/* EP0 size at the other speed: 64 at high speed, the application's at full speed. */
	out[7] = dev->speed == UD_SPEED_HIGH ? dev->info->ep0_max_packet : 64u;
	out[8] = 1;
	out[9] = 0;
	return 10;
}

const uint8_t *ud_desc_config(struct ud_device *dev, enum ud_speed speed, uint8_t type,
                              uint16_t *len)
{
	struct ud_desc *d = &dev->desc;
	bool hs = speed == UD_SPEED_HIGH;

	d->cfg[1] = type;
	for (uint8_t i = 0; i < d->num_ep_desc; i++) {
		const struct ud_desc_ep *e = &d->ep[i];
		ud_put16(&d->cfg[e->offset + 4], hs ? e->mps_hs : e->mps_fs);
		d->cfg[e->offset + 6] = hs ? e->ival_hs : e->ival_fs;
	}
	*len = d->cfg_len;
	return d->cfg;
}

int ud_desc_string(struct ud_device *dev, uint8_t index, uint8_t *out, uint16_t cap)
{
	if (index == 0) {
		out[0] = 4;
		out[1] = UD_DESC_STRING;
		ud_put16(&out[2], dev->info->langid ? dev->info->langid : 0x0409u);
		return 4;
	}
	if (index > dev->desc.num_strings)
		return UD_ERR_INVAL;
	int n = ud_utf8_to_utf16le(dev->desc.strings[index - 1], out + 2, (size_t)cap - 2u);
	if (n < 0)
		return n;
	out[0] = (uint8_t)(n + 2);
	out[1] = UD_DESC_STRING;
	return n + 2;
}

static const struct ud_desc_ep *ep_at(const struct ud_desc *d, uint16_t offset)
{
	for (uint8_t i = 0; i < d->num_ep_desc; i++)
		if (d->ep[i].offset == offset)
			return &d->ep[i];
	return NULL;
}

int ud_desc_each_ep(struct ud_device *dev, uint8_t intf, uint8_t alt, enum ud_speed speed,
                    int (*cb)(struct ud_device *dev, const struct ud_ep_config *cfg, uint8_t intf),
                    struct ud_ep_config *scratch)
{
	const struct ud_desc *d = &dev->desc;
	bool inside = false;

	/* The builder wrote every descriptor with a valid bLength, so the walk terminates. */
	for (uint16_t off = 9u; off + 2u <= d->cfg_len; off += d->cfg[off]) {
		const uint8_t *p = &d->cfg[off];
		if (p[1] == UD_DESC_INTERFACE) {
			inside = p[2] == intf && p[3] == alt;
		} else if (inside && p[1] == UD_DESC_ENDPOINT) {
			const struct ud_desc_ep *e = ep_at(d, off);
			if (!e)
				continue;
			scratch->addr = p[2];
			scratch->type = p[3] & 0x03u;
			scratch->max_packet = speed == UD_SPEED_HIGH ? e->mps_hs : e->mps_fs;
			scratch->interval = speed == UD_SPEED_HIGH ? e->ival_hs : e->ival_fs;
			int rc = cb(dev, scratch, intf);
			if (rc)
				return rc;
		}
	}
	return 0;
}
