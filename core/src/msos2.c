/* SPDX-License-Identifier: MIT */
/*
 * BOS descriptor and Microsoft OS 2.0 descriptor set, so Windows binds WinUSB to a vendor
 * interface without an INF file. Facts used (Microsoft OS 2.0 Descriptors Specification):
 * - the BOS carries a platform capability with UUID D8DD60DF-4589-4CC7-9CD2-659D9E648A9F,
 *   the minimum Windows version, the set's total length and a vendor request code;
 * - Windows reads the set with bmRequestType 0xC0, bRequest = that code, wIndex 7;
 * - a device with one interface takes the features directly; a composite one wraps them in a
 *   configuration subset with one function subset per interface they apply to (composite as
 *   Windows counts it: windows_composite()).
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

/* The lengths put_features() writes as single bytes. */
_Static_assert(REG_PROP_LEN == 0x84u && 2u * sizeof(REG_PROP_NAME) == 0x2au &&
                       2u * (GUID_CHARS + 2u) == 0x50u,
               "the registry property's lengths");
_Static_assert(20u + 2u * (5u + sizeof(REG_PROP_NAME) + GUID_CHARS + 2u) == FN_FEATURES_LEN,
               "the registry property: 4 fields, name, data length, GUID, two NULs");
/* ud_config.h refuses a UD_MSOS2_SIZE from 1 to 161: the set of a device with one interface. */
_Static_assert(10u + FN_FEATURES_LEN == 162u, "the smallest MS OS 2.0 set is 162 bytes");

#if UD_MSOS2_SIZE > 0

/* "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}": x a hex digit, the rest literally. Position by
 * position (what is expected at each is a few compares: no pattern or group table to keep);
 * each character is read only once the one before it matched, so the walk stops at the end
 * of g. */
static bool guid_ok(const char *g)
{
	for (unsigned i = 0; i < GUID_CHARS; i++) {
		char c = g[i], lower = (char)(c | 0x20);
		char want = i == 0 ? '{' : i == GUID_CHARS - 1u ? '}' : 0;
		if (i == 9u || i == 14u || i == 19u || i == 24u)
			want = '-';
		if (want ? c != want : !((c >= '0' && c <= '9') || (lower >= 'a' && lower <= 'f')))
			return false;
	}
	return g[GUID_CHARS] == 0;
}

int ud_desc_msos2_winusb(struct ud_device *dev, uint8_t first_intf, const char *guid)
{
	struct ud_desc *d = ud_desc_building(dev);
	if (!d)
		return UD_ERR_STATE;
	if (!guid || !guid_ok(guid) || first_intf >= d->num_interfaces ||
	    d->intf_fn[first_intf] != d->building_fn)
		return UD_ERR_INVAL;
	if (d->num_msos2 >= UD_MAX_FUNCTIONS)
		return UD_ERR_NOSPACE;
	d->msos2_fn[d->num_msos2].first_intf = first_intf;
	d->msos2_fn[d->num_msos2].guid = guid;
	d->num_msos2++;
	return 0;
}

/* ASCII to UTF-16LE, n characters, where the memory is zeroed already: only the low bytes
 * need writing. Out of line: inlined, its two loops cost more. */
static UD_NOINLINE void put_wide(uint8_t *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[2u * i] = (uint8_t)s[i];
}

/* Compatible ID "WINUSB" plus the DeviceInterfaceGUIDs registry property, FN_FEATURES_LEN
 * bytes. Past the compatible ID every byte at an odd offset is 0 (16-bit fields below 256,
 * UTF-16 of ASCII), so the property is written as its low bytes, from one constant: wLength,
 * MS_OS_20_FEATURE_REG_PROPERTY, REG_MULTI_SZ, wPropertyNameLength, the name with its NUL,
 * wPropertyDataLength; then the GUID (the string's NUL and the list's stay zeroed). */
static uint8_t *put_features(uint8_t *p, const char *guid)
{
	/* wLength 20, MS_OS_20_FEATURE_COMPATBLE_ID, CompatibleID; the rest is zero */
	static const char compat[10] = "\x14\0\x03\0WINUSB";
	static const char prop[] = "\x84\x04\x07\x2a" REG_PROP_NAME "\0\x50";

	memset(p, 0, FN_FEATURES_LEN);
	memcpy(p, compat, sizeof(compat));
	put_wide(p + 20, prop, sizeof(prop) - 1u);
	put_wide(p + 20 + 2u * (sizeof(prop) - 1u), guid, GUID_CHARS);
	return p + FN_FEATURES_LEN;
}

/* The 8 bytes every header starts with: wLength, wDescriptorType, two bytes, a 16-bit word.
 * Out of line: inlined, each store into the device's set takes three instructions on Thumb-1. */
static UD_NOINLINE uint8_t *put_header(uint8_t *p, uint8_t len, uint8_t type, uint8_t b4,
                                       uint16_t w6)
{
	p[0] = len;
	p[1] = 0;
	p[2] = type;
	p[3] = 0;
	p[4] = b4;
	p[5] = 0;
	ud_put16(p + 6, w6);
	return p + 8;
}

/* Windows loads its composite driver (usbccgp), which gives each function its own device,
 * only for a device with more than one interface whose device descriptor says "defined per
 * interface" (class 0) or "IAD" (EF/02/01). Any other class makes the whole device one
 * function, and the set must not have function subsets. Out of line: inlined, it made
 * ud_msos2_finish() 120 bytes larger at -Os on Cortex-M0+ (out of line: 48). */
static UD_NOINLINE bool windows_composite(const struct ud_device *dev)
{
	const struct ud_device_info *i = dev->info;
	return dev->desc.num_interfaces > 1 &&
	       (i->device_class == 0 || (i->device_class == 0xef && i->device_subclass == 0x02 &&
	                                 i->device_protocol == 0x01));
}

int ud_msos2_finish(struct ud_device *dev)
{
	struct ud_desc *d = &dev->desc;
	bool composite = windows_composite(dev);
	uint32_t per_fn = FN_FEATURES_LEN + (composite ? 8u : 0u);
	uint32_t total = 10u + (composite ? 8u : 0u) + per_fn * d->num_msos2;

	if (!d->num_msos2)
		return 0;
	if (total > UD_MSOS2_SIZE || (!composite && d->num_msos2 > 1))
		return UD_ERR_NOSPACE;
	/* MS_OS_20_SET_HEADER_DESCRIPTOR: dwWindowsVersion 0x06030000 is 00 00 03 06 */
	uint8_t *p = put_header(d->msos2, 10, 0x00, 0, (uint16_t)(MSOS2_WINDOWS_8_1 >> 16));
	ud_put16(p, (uint16_t)total);
	p += 2;
	if (composite) /* MS_OS_20_SUBSET_HEADER_CONFIGURATION, of the first (only) one */
		p = put_header(p, 8, 0x01, 0, (uint16_t)(total - 10u));
	for (uint8_t i = 0; i < d->num_msos2; i++) {
		if (composite) /* MS_OS_20_SUBSET_HEADER_FUNCTION */
			p = put_header(p, 8, 0x02, d->msos2_fn[i].first_intf, (uint16_t)per_fn);
		p = put_features(p, d->msos2_fn[i].guid);
	}
	d->msos2_len = (uint16_t)total;
	return 0;
}

int ud_msos2_bos(struct ud_device *dev, uint8_t *out)
{
	static const uint8_t bos[BOS_LEN] = {
		5, UD_DESC_BOS, BOS_LEN, 0, 1, /* one device capability: */
		28, UD_DESC_DEVICE_CAPABILITY, 0x05 /* PLATFORM */, 0,
		/* MS OS 2.0 platform capability UUID D8DD60DF-4589-4CC7-9CD2-659D9E648A9F */
		0xdf, 0x60, 0xdd, 0xd8, 0x89, 0x45, 0xc7, 0x4c, 0x9c, 0xd2, 0x65, 0x9d, 0x9e, 0x64,
		0x8a, 0x9f,
		/* dwWindowsVersion 8.1, wMSOSDescriptorSetTotalLength (below), bMS_VendorCode,
		   bAltEnumCode */
		0x00, 0x00, 0x03, 0x06, 0, 0, UD_MSOS2_VENDOR_CODE, 0};

	if (!ud_msos2_enabled(dev))
		return UD_ERR_INVAL; /* bcdUSB 2.00: there is no BOS */
	memcpy(out, bos, BOS_LEN);
	ud_put16(&out[5 + 24], dev->desc.msos2_len);
	return BOS_LEN;
}

int ud_msos2_request(struct ud_device *dev, const struct ud_setup *s)
{
	if (!ud_msos2_enabled(dev) || s->bRequest != UD_MSOS2_VENDOR_CODE ||
	    (s->bmRequestType & UD_REQ_RCPT_MASK) != UD_REQ_RCPT_DEVICE)
		return UD_ERR_NOTSUP;
	if (s->wIndex != MSOS2_INDEX_DESCRIPTOR || !(s->bmRequestType & UD_DIR_IN) || s->wValue)
		return UD_ERR_INVAL;
	return ud_ctrl_answer(dev, dev->desc.msos2, dev->desc.msos2_len);
}

#else /* UD_MSOS2_SIZE == 0: Microsoft OS 2.0 support compiled out (see also ud_internal.h) */

int ud_desc_msos2_winusb(struct ud_device *dev, uint8_t first_intf, const char *guid)
{
	(void)dev;
	(void)first_intf;
	(void)guid;
	return UD_ERR_NOTSUP;
}

#endif
