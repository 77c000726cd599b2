/* SPDX-License-Identifier: MIT */
/*
 * BOS descriptor and Microsoft OS 2.0 descriptor set, so Windows binds WinUSB to a vendor
 * interface without an INF file. Facts used (Microsoft OS 2.0 Descriptors Specification):
 * - the BOS carries a platform capability with UUID D8DD60DF-4589-4CC7-9CD2-659D9E648A9F,
 *   the minimum Windows version, the set's total length and a vendor request code;
 * - Windows reads the set with bmRequestType 0xC0, bRequest = that code, wIndex 7;
 * - a device with one interface takes the features directly; a composite one wraps them in a
 *   configuration subset with one function subset per interface they apply to.
 */
#include <string.h>

#include "ud_internal.h"

#define MSOS2_INDEX_DESCRIPTOR 7u
#define MSOS2_WINDOWS_8_1 0x06030000u
#define BOS_LEN (5u + 28u)
#define GUID_CHARS 38u
#define REG_PROP_NAME "DeviceInterfaceGUIDs"
#define REG_PROP_LEN (10u + 2u * (sizeof(REG_PROP_NAME)) + 2u * (GUID_CHARS + 2u))
#define FN_FEATURES_LEN (20u + REG_PROP_LEN)

#if UD_MSOS2_SIZE > 0

bool ud_msos2_enabled(const struct ud_device *dev)
{
	return dev->desc.num_msos2 != 0;
}

static bool guid_ok(const char *g)
{
	if (strlen(g) != GUID_CHARS || g[0] != '{' || g[GUID_CHARS - 1] != '}')
		return false;
	for (unsigned i = 1; i < GUID_CHARS - 1; i++) {
		bool dash = i == 9 || i == 14 || i == 19 || i == 24;
		char c = g[i];
		bool hex =
			(c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		if (dash ? c != '-' : !hex)
			return false;
	}
	return true;
}

int ud_desc_msos2_winusb(struct ud_device *dev, uint8_t first_intf, const char *guid)
{
	if (!dev || dev->started || dev->desc.building_fn == UD_NO_FN)
		return UD_ERR_STATE;
	if (!guid || !guid_ok(guid) || first_intf >= dev->desc.num_interfaces ||
	    dev->desc.intf_fn[first_intf] != dev->desc.building_fn)
		return UD_ERR_INVAL;
	struct ud_desc *d = &dev->desc;
	if (d->num_msos2 >= UD_MAX_FUNCTIONS)
		return UD_ERR_NOSPACE;
	d->msos2_fn[d->num_msos2].first_intf = first_intf;
	d->msos2_fn[d->num_msos2].guid = guid;
	d->num_msos2++;
	return 0;
}

/* ASCII to UTF-16LE, n characters. */
static uint8_t *put_wide(uint8_t *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		p[2 * i] = (uint8_t)s[i];
		p[2 * i + 1] = 0;
	}
	return p + 2 * n;
}

/* Compatible ID "WINUSB" plus the DeviceInterfaceGUIDs registry property. */
static uint8_t *put_features(uint8_t *p, const char *guid)
{
	memset(p, 0, FN_FEATURES_LEN);
	ud_put16(p, 20);
	ud_put16(p + 2, 0x03); /* MS_OS_20_FEATURE_COMPATBLE_ID */
	memcpy(p + 4, "WINUSB", 6);
	p += 20;
	ud_put16(p, (uint16_t)REG_PROP_LEN);
	ud_put16(p + 2, 0x04); /* MS_OS_20_FEATURE_REG_PROPERTY */
	ud_put16(p + 4, 0x07); /* REG_MULTI_SZ */
	ud_put16(p + 6, (uint16_t)(2u * sizeof(REG_PROP_NAME)));
	p = put_wide(p + 8, REG_PROP_NAME, sizeof(REG_PROP_NAME)); /* with its NUL */
	ud_put16(p, (uint16_t)(2u * (GUID_CHARS + 2u)));
	p = put_wide(p + 2, guid, GUID_CHARS);
	return p + 4; /* the string's NUL and the list's closing NUL, zeroed above */
}

int ud_msos2_finish(struct ud_device *dev)
{
	struct ud_desc *d = &dev->desc;
	bool composite = d->num_interfaces > 1;
	uint32_t per_fn = FN_FEATURES_LEN + (composite ? 8u : 0u);
	uint32_t total = 10u + (composite ? 8u : 0u) + per_fn * d->num_msos2;

	if (!d->num_msos2)
		return 0;
	if (total > UD_MSOS2_SIZE || (!composite && d->num_msos2 > 1))
		return UD_ERR_NOSPACE;
	uint8_t *p = d->msos2;
	ud_put16(p, 10);
	ud_put16(p + 2, 0x00); /* MS_OS_20_SET_HEADER_DESCRIPTOR */
	ud_put32(p + 4, MSOS2_WINDOWS_8_1);
	ud_put16(p + 8, (uint16_t)total);
	p += 10;
	if (composite) {
		ud_put16(p, 8);
		ud_put16(p + 2, 0x01); /* MS_OS_20_SUBSET_HEADER_CONFIGURATION */
		p[4] = 0;              /* the first (only) configuration */
		p[5] = 0;
		ud_put16(p + 6, (uint16_t)(total - 10u));
		p += 8;
	}
	for (uint8_t i = 0; i < d->num_msos2; i++) {
		if (composite) {
			ud_put16(p, 8);
			ud_put16(p + 2, 0x02); /* MS_OS_20_SUBSET_HEADER_FUNCTION */
			p[4] = d->msos2_fn[i].first_intf;
			p[5] = 0;
			ud_put16(p + 6, (uint16_t)per_fn);
			p += 8;
		}
		p = put_features(p, d->msos2_fn[i].guid);
	}
	d->msos2_len = (uint16_t)total;
	return 0;
}

uint16_t ud_msos2_bos(struct ud_device *dev, uint8_t *out)
{
	static const uint8_t uuid[16] = {0xdf, 0x60, 0xdd, 0xd8, 0x89, 0x45, 0xc7, 0x4c,
	                                 0x9c, 0xd2, 0x65, 0x9d, 0x9e, 0x64, 0x8a, 0x9f};
	out[0] = 5;
	out[1] = UD_DESC_BOS;
	ud_put16(&out[2], BOS_LEN);
	out[4] = 1; /* bNumDeviceCaps */
	uint8_t *p = out + 5;
	p[0] = 28;
	p[1] = UD_DESC_DEVICE_CAPABILITY;
	p[2] = 0x05; /* PLATFORM */
	p[3] = 0;
	memcpy(p + 4, uuid, sizeof(uuid));
	ud_put32(p + 20, MSOS2_WINDOWS_8_1);
	ud_put16(p + 24, dev->desc.msos2_len);
	p[26] = UD_MSOS2_VENDOR_CODE;
	p[27] = 0; /* bAltEnumCode */
	return BOS_LEN;
}

int ud_msos2_request(struct ud_device *dev, const struct ud_setup *s)
{
	if (!ud_msos2_enabled(dev) || s->bRequest != UD_MSOS2_VENDOR_CODE ||
	    (s->bmRequestType & UD_REQ_RCPT_MASK) != UD_REQ_RCPT_DEVICE)
		return UD_ERR_NOTSUP;
	if (s->wIndex != MSOS2_INDEX_DESCRIPTOR || !(s->bmRequestType & UD_DIR_IN) || s->wValue)
		return UD_ERR_INVAL;
	return ud_ctrl_set_reply(dev, dev->desc.msos2, dev->desc.msos2_len);
}

#else /* UD_MSOS2_SIZE == 0: Microsoft OS 2.0 support compiled out */

bool ud_msos2_enabled(const struct ud_device *dev)
{
	(void)dev;
	return false;
}

int ud_desc_msos2_winusb(struct ud_device *dev, uint8_t first_intf, const char *guid)
{
	(void)dev;
	(void)first_intf;
	(void)guid;
	return UD_ERR_NOTSUP;
}

int ud_msos2_finish(struct ud_device *dev)
{
	(void)dev;
	return 0;
}

uint16_t ud_msos2_bos(struct ud_device *dev, uint8_t *out)
{
	(void)dev;
	(void)out;
	return 0;
}

int ud_msos2_request(struct ud_device *dev, const struct ud_setup *s)
{
	(void)dev;
	(void)s;
	return UD_ERR_NOTSUP;
}

#endif
