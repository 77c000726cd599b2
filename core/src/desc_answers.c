/* SPDX-License-Identifier: MIT */
/*
 * The descriptors the core answers GET_DESCRIPTOR with: device, device qualifier,
 * configuration and other-speed configuration (patched for the speed asked about), strings,
 * BOS; and the walk over the configuration that finds an alternate setting's endpoints.
 */
#include <string.h>

#include "ud_internal.h"

/* Fields the device descriptor copies as runs of bytes: declared in the wire's order, without
 * padding between them (byte fields in order, the run's ends this close together). */
#define INFO_AT(f) offsetof(struct ud_device_info, f)
#define DESC_AT(f) offsetof(struct ud_desc, f)
_Static_assert(INFO_AT(ep0_max_packet) - INFO_AT(device_class) == 3, "bDeviceClass..");
_Static_assert(INFO_AT(vid) == 0 && INFO_AT(bcd_device) == 4, "idVendor..bcdDevice");
_Static_assert(DESC_AT(i_serial) - DESC_AT(i_manufacturer) == 2, "iManufacturer..");

/* The device descriptor, or with `qualifier` the device qualifier (its first 8 bytes are the
 * device descriptor's, but for the type and the EP0 size at the other speed). Copied in runs
 * where the fields allow: on Thumb-1 each byte copied alone costs a load and a store. */
static int device_desc(const struct ud_device *dev, uint8_t *out, bool qualifier)
{
	const struct ud_device_info *info = dev->info;
	const struct ud_desc *d = &dev->desc;

	out[0] = qualifier ? 10u : 18u;
	out[1] = qualifier ? UD_DESC_DEVICE_QUALIFIER : UD_DESC_DEVICE;
	ud_put16(&out[2], ud_msos2_enabled(dev) ? 0x0201u : 0x0200u); /* 2.01: there is a BOS */
	/* bDeviceClass, bDeviceSubClass, bDeviceProtocol, bMaxPacketSize0 (full speed's) */
	memcpy(&out[4], (const uint8_t *)info + INFO_AT(device_class), 4);
	if (info->device_class == 0 && d->has_iad) {
		out[4] = 0xef; /* Miscellaneous, Common Class, Interface Association */
		out[5] = 0x02;
		out[6] = 0x01;
	}
#if UD_HIGH_SPEED
	/* EP0 size: 64 at high speed, the application's at full speed; the qualifier tells the
	 * other speed's. */
	out[7] = (uint8_t)ud_ctrl_ep0_size(dev);
	if (qualifier) {
		out[7] = (uint8_t)(out[7] ^ 64u ^ info->ep0_max_packet);
		out[8] = 1;
		out[9] = 0;
		return 10;
	}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&out[8], info, 6); /* idVendor, idProduct, bcdDevice: already the wire's order */
#else
	ud_put16(&out[8], info->vid);
	ud_put16(&out[10], info->pid);
	ud_put16(&out[12], info->bcd_device);
#endif
	memcpy(&out[14], (const uint8_t *)d + DESC_AT(i_manufacturer), 3);
	out[17] = 1; /* bNumConfigurations */
	return 18;
}

#if UD_HIGH_SPEED
/* Patches every endpoint's wMaxPacketSize and bInterval for the speed asked about. */
static void patch_config(struct ud_desc *d, bool hs)
{
	unsigned k = 0;
	for (unsigned off = 9u; off + 2u <= d->cfg_len; off += d->cfg[off]) {
		uint8_t *p = &d->cfg[off];
		if (p[1] != UD_DESC_ENDPOINT)
			continue;
		const struct ud_desc_ep *e = &d->ep[k++];
		ud_put16(&p[4], hs ? e->mps_hs : e->mps_fs);
		p[6] = hs ? e->ival_hs : e->ival_fs;
	}
}
#endif

static int string_desc(struct ud_device *dev, uint8_t index, uint8_t *out)
{
	int n = 2;
	if (index == 0) {
		ud_put16(&out[2], dev->info->langid ? dev->info->langid : 0x0409u);
	} else {
		if (index > dev->desc.num_strings)
			return UD_ERR_INVAL;
		/* Checked when registered; the length again because the text may have changed. */
		n = ud_utf8_to_utf16le(dev->desc.strings[index - 1], out + 2, UD_STRING_MAX_BYTES);
		if (n < 0)
			return n;
	}
	out[0] = (uint8_t)(n + 2);
	out[1] = UD_DESC_STRING;
	return n + 2;
}

/* The descriptor wvalue asks for, in buf or (the configuration) where *data is set to: its
 * length, or UD_ERR_INVAL (a request error). */
static int desc_of(struct ud_device *dev, uint16_t wvalue, uint8_t *buf, const uint8_t **data)
{
	uint8_t type = (uint8_t)(wvalue >> 8), index = (uint8_t)wvalue;
	struct ud_desc *d = &dev->desc;

	if (type == UD_DESC_STRING)
		return string_desc(dev, index, buf);
	if (index)
		return UD_ERR_INVAL;
	switch (type) {
	case UD_DESC_DEVICE:
#if UD_HIGH_SPEED
	case UD_DESC_DEVICE_QUALIFIER:
		/* The qualifier exists only on a device that can run at high speed. */
		if (type == UD_DESC_DEVICE_QUALIFIER && !(dev->port->caps->speeds & UD_SPEED_HIGH))
			return UD_ERR_INVAL;
#endif
		return device_desc(dev, buf, type == UD_DESC_DEVICE_QUALIFIER);
	case UD_DESC_CONFIGURATION:
#if UD_HIGH_SPEED
	case UD_DESC_OTHER_SPEED_CONFIG: {
		/* Other-speed answers exist only on a device that can run at high speed. */
		bool hs = dev->speed == UD_SPEED_HIGH;
		if (type == UD_DESC_OTHER_SPEED_CONFIG) {
			if (!(dev->port->caps->speeds & UD_SPEED_HIGH))
				return UD_ERR_INVAL;
			hs = !hs;
		}
		patch_config(d, hs);
	}
#endif
		d->cfg[1] = type;
		*data = d->cfg;
		return d->cfg_len;
	case UD_DESC_BOS:
		return ud_msos2_bos(dev, buf);
	default:
		return UD_ERR_INVAL; /* INTERFACE, ENDPOINT, unknown: a request error */
	}
}

int ud_desc_reply(struct ud_device *dev, uint16_t wvalue, uint8_t *buf)
{
	const uint8_t *data = buf;
	int n = desc_of(dev, wvalue, buf, &data);

	return n < 0 ? n : ud_ctrl_answer(dev, data, (uint16_t)n);
}

int ud_desc_each_ep(struct ud_device *dev, uint8_t intf, uint8_t alt, enum ud_speed speed,
                    int (*cb)(struct ud_device *dev, const struct ud_ep_config *cfg, uint8_t intf),
                    struct ud_ep_config *scratch)
{
	const struct ud_desc *d = &dev->desc;
	bool inside = false;
	unsigned k = 0;

	(void)speed;
	(void)k;
	/* The builder wrote every descriptor with a valid bLength (a template's are checked), so
	 * the walk terminates; and every interface and endpoint descriptor, in order
	 * (ud_desc_append() refuses them, ud_desc_add_function() registers each). */
	for (unsigned off = 9u; off + 2u <= d->cfg_len; off += d->cfg[off]) {
		const uint8_t *p = &d->cfg[off];
		if (p[1] == UD_DESC_INTERFACE) {
			inside = p[2] == intf && p[3] == alt;
		} else if (p[1] == UD_DESC_ENDPOINT) {
#if UD_HIGH_SPEED
			const struct ud_desc_ep *e = &d->ep[k++];
			bool hs = speed == UD_SPEED_HIGH;
			scratch->max_packet = hs ? e->mps_hs : e->mps_fs;
			scratch->interval = hs ? e->ival_hs : e->ival_fs;
#else
			scratch->max_packet = (uint16_t)(p[4] | (p[5] << 8));
			scratch->interval = p[6];
#endif
			if (!inside)
				continue;
			scratch->addr = p[2];
			scratch->type = p[3] & 0x03u;
			int rc = cb(dev, scratch, intf);
			if (rc)
				return rc;
		}
	}
	return 0;
}
