/* SPDX-License-Identifier: MIT */
/*
 * The descriptor builder (ud_desc.h): functions allocate numbers and append descriptors, call
 * by call or as one template whose numbers this file fills in.
 *
 * The configuration descriptor is written once, at full-speed values. With high-speed support
 * each endpoint's full- and high-speed wMaxPacketSize and bInterval are kept beside it, in the
 * order of the endpoint descriptors, for desc_answers.c to patch in for the speed a request
 * asks about. Only this file writes interface and endpoint descriptors, so that order and the
 * alternate settings it counts are always those of the configuration.
 */
#include <string.h>

#include "ud_internal.h"

#define CFG_HEADER_LEN 9u

void ud_desc_init(struct ud_device *dev)
{
	dev->desc.building_fn = UD_NO_FN;
	dev->desc.cfg_len = CFG_HEADER_LEN; /* the header is written by ud_desc_finish() */
}

struct ud_desc *ud_desc_building(struct ud_device *dev)
{
	if (!dev || dev->started || dev->desc.building_fn == UD_NO_FN)
		return NULL;
	return &dev->desc;
}

/* Appends len bytes to the configuration. */
static int put(struct ud_desc *d, const uint8_t *src, uint16_t len)
{
	if ((uint32_t)d->cfg_len + len > UD_CONFIG_DESC_SIZE)
		return UD_ERR_NOSPACE;
	memcpy(&d->cfg[d->cfg_len], src, len);
	d->cfg_len = (uint16_t)(d->cfg_len + len);
	return 0;
}

/* ud_desc_alloc_interface() and ud_desc_alloc_endpoint() once the state is checked: what a
 * template (ud_desc_add_function()) calls, so firmware binding only templates links neither
 * public call nor their checks. */
static int alloc_interface(struct ud_device *dev, struct ud_desc *d)
{
	uint8_t n = d->num_interfaces;
	if (n >= UD_MAX_INTERFACES)
		return UD_ERR_NOSPACE;
	struct ud_function *fn = dev->fns[d->building_fn];
	if (fn->num_interfaces == 0)
		fn->first_interface = n;
	fn->num_interfaces++;
	d->intf_fn[n] = d->building_fn;
	d->num_interfaces = (uint8_t)(n + 1u);
	return n;
}

static int alloc_endpoint(struct ud_device *dev, struct ud_desc *d, bool in)
{
	unsigned count = dev->port->caps->ep_count;
	if (count > UD_MAX_EP_NUM)
		count = UD_MAX_EP_NUM;
	for (unsigned n = 1; n < count; n++) {
		uint8_t *owner = &d->ep_fn[2u * n + in]; /* UD_EP_INDEX */
		if (*owner == 0) {
			*owner = (uint8_t)(d->building_fn + 1u);
			return in ? 0x80 | n : n;
		}
	}
	return UD_ERR_NOSPACE;
}

int ud_desc_alloc_interface(struct ud_device *dev)
{
	struct ud_desc *d = ud_desc_building(dev);
	return d ? alloc_interface(dev, d) : UD_ERR_STATE;
}

int ud_desc_alloc_endpoint(struct ud_device *dev, bool in)
{
	struct ud_desc *d = ud_desc_building(dev);
	return d ? alloc_endpoint(dev, d, in) : UD_ERR_STATE;
}

int ud_desc_add_string(struct ud_device *dev, const char *utf8)
{
	if (!dev || !utf8)
		return UD_ERR_INVAL;
	if (dev->started)
		return UD_ERR_STATE;
	int n = ud_utf8_to_utf16le(utf8, NULL, UD_STRING_MAX_BYTES);
	if (n < 0)
		return n;
	struct ud_desc *d = &dev->desc;
	if (d->num_strings >= UD_MAX_STRINGS)
		return UD_ERR_NOSPACE;
	d->strings[d->num_strings++] = utf8;
	return d->num_strings;
}

int ud_desc_function_begin(struct ud_device *dev, uint8_t cls, uint8_t subclass, uint8_t protocol,
                           uint8_t istring)
{
	struct ud_desc *d = ud_desc_building(dev);
	if (!d || d->fn_open)
		return UD_ERR_STATE;
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
	struct ud_desc *d = ud_desc_building(dev);
	if (!d || !d->fn_open)
		return UD_ERR_STATE;
	uint8_t count = (uint8_t)(d->num_interfaces - d->fn_first_intf);
	d->fn_open = 0;
	if (count < 2)
		return 0;
	/* Several interfaces form one function: an IAD in front tells the host so. Room for it
	 * at the end, then one pass moves the function's descriptors up by 8 through a ring of 8
	 * bytes that starts out holding the IAD (what the ring ends up with is the garbage that
	 * was at the end). Not memmove: no C library routine to link just for this. */
	uint8_t ring[8] = {8,
	                   UD_DESC_IAD,
	                   d->fn_first_intf,
	                   count,
	                   d->fn_iad[0],
	                   d->fn_iad[1],
	                   d->fn_iad[2],
	                   d->fn_iad[3]};
	if ((uint32_t)d->cfg_len + sizeof(ring) > UD_CONFIG_DESC_SIZE)
		return UD_ERR_NOSPACE;
	d->cfg_len = (uint16_t)(d->cfg_len + sizeof(ring));
	for (unsigned i = d->fn_offset; i < d->cfg_len; i++) {
		uint8_t *r = &ring[(i - d->fn_offset) & 7u], b = d->cfg[i];
		d->cfg[i] = *r;
		*r = b;
	}
	d->has_iad = 1;
	return 0;
}

int ud_desc_add_interface(struct ud_device *dev, uint8_t intf, uint8_t alt, uint8_t num_ep,
                          uint8_t cls, uint8_t subclass, uint8_t protocol, uint8_t istring)
{
	struct ud_desc *d = ud_desc_building(dev);
	if (!d)
		return UD_ERR_STATE;
#if !UD_ALT_SETTINGS
	if (alt)
		return UD_ERR_NOTSUP; /* default settings only: see ud_config.h */
#endif
	if (intf >= d->num_interfaces || d->intf_fn[intf] != d->building_fn ||
	    alt != d->intf_alts[intf])
		return UD_ERR_INVAL;
	const uint8_t desc[9] = {9,   UD_DESC_INTERFACE, intf,     alt,    num_ep,
	                         cls, subclass,          protocol, istring};
	int rc = put(d, desc, sizeof(desc));
	if (rc == 0)
		d->intf_alts[intf]++;
	return rc;
}

/* The packet sizes and intervals USB 2.0 allows for @p type (5.7.3, 5.8.3, 5.6.3, 9.6.6),
 * within what the port can do: full-speed bulk 8, 16, 32 or 64 and high-speed bulk 512 (a
 * host may refuse others: Windows fails the configuration); interrupt and isochronous
 * bInterval at least 1, and an exponent of 1..16 where it is one (isochronous; high-speed
 * interrupt). Bulk bInterval is a NAK rate hint, any value. */
static bool ep_params_ok(const struct ud_device *dev, uint8_t type, uint16_t fs, uint16_t hs,
                         uint8_t ival_fs, uint8_t ival_hs)
{
	const struct ud_port_caps *caps = dev->port->caps;
	if (fs == 0 || fs > caps->max_packet_fs)
		return false;
	if (type == UD_EP_BULK) {
		if (fs < 8u || fs > 64u || (fs & (fs - 1u)))
			return false;
	} else if (ival_fs == 0 || (type == UD_EP_ISOCHRONOUS && ival_fs > 16u) ||
	           (type == UD_EP_INTERRUPT && fs > 64u)) {
		return false;
	}
#if UD_HIGH_SPEED
	if (!(caps->speeds & UD_SPEED_HIGH))
		return true;
	if (hs == 0 || hs > caps->max_packet_hs)
		return false;
	return type == UD_EP_BULK ? hs == 512u : ival_hs >= 1u && ival_hs <= 16u;
#else
	(void)hs;
	(void)ival_hs;
	return true;
#endif
}

int ud_desc_add_endpoint(struct ud_device *dev, uint8_t addr, uint8_t type, uint16_t mps_fs,
                         uint16_t mps_hs, uint8_t interval_fs, uint8_t interval_hs)
{
	struct ud_desc *d = ud_desc_building(dev);
	if (!d)
		return UD_ERR_STATE;
	if (!ud_ep_addr_ok(addr) || UD_EP_NUM(addr) == 0 ||
	    d->ep_fn[UD_EP_INDEX(addr)] != d->building_fn + 1u || type == UD_EP_CONTROL ||
	    type > 3 || !ep_params_ok(dev, type, mps_fs, mps_hs, interval_fs, interval_hs))
		return UD_ERR_INVAL;
#if UD_HIGH_SPEED
	if (d->num_ep_desc >= UD_EP_SLOTS)
		return UD_ERR_NOSPACE;
#endif
	const uint8_t desc[7] = {7,          UD_DESC_ENDPOINT,          addr,
	                         type,       (uint8_t)(mps_fs & 0xffu), (uint8_t)(mps_fs >> 8),
	                         interval_fs};
	int rc = put(d, desc, sizeof(desc));
	if (rc)
		return rc;
#if UD_HIGH_SPEED
	struct ud_desc_ep *e = &d->ep[d->num_ep_desc];
	e->mps_fs = mps_fs;
	e->mps_hs = mps_hs;
	e->ival_fs = interval_fs;
	e->ival_hs = interval_hs;
	d->num_ep_desc++;
#else
	(void)interval_hs;
#endif
	return 0;
}

/* ---------------------------------------------------------------- templates */

#if UD_HIGH_SPEED
/* The high-speed values of a template's endpoint (ud_desc.h): bulk packets are 512 bytes at
 * high speed (USB 2.0 5.8.3); an interrupt endpoint's bInterval becomes the exponent n of
 * 2^(n-1) microframes, the longest such period within its full-speed period in ms; an
 * isochronous one's exponent counts microframes instead of frames (8 = 2^3 per frame). */
static void template_hs(struct ud_desc_ep *e, uint8_t type)
{
	e->mps_hs = type == UD_EP_BULK ? 512u : e->mps_fs;
	uint8_t n = e->ival_fs;
	if (type == UD_EP_INTERRUPT) {
		for (n = 1; n < 16u && (1u << n) <= 8u * e->ival_fs;)
			n++;
	} else if (type == UD_EP_ISOCHRONOUS) {
		n = (uint8_t)(n + 3u > 16u ? 16u : n + 3u);
	}
	e->ival_hs = n;
}
#endif

/* Fill in one endpoint descriptor of a template (ud_desc_add_function()). */
static int template_ep(struct ud_device *dev, struct ud_desc *d, uint8_t *p, uint8_t *addrs,
                       unsigned *neps)
{
	uint8_t type = p[3] & 0x03u;
	uint16_t mps = (uint16_t)(p[4] | (p[5] << 8));
	if (p[0] < 7u || (p[2] & 0x7fu) != *neps + 1u || type == UD_EP_CONTROL)
		return UD_ERR_INVAL;
#if UD_HIGH_SPEED
	if (d->num_ep_desc >= UD_EP_SLOTS)
		return UD_ERR_NOSPACE;
	struct ud_desc_ep *e = &d->ep[d->num_ep_desc];
	e->mps_fs = mps;
	e->ival_fs = p[6];
	template_hs(e, type);
	if (!ep_params_ok(dev, type, mps, e->mps_hs, e->ival_fs, e->ival_hs))
		return UD_ERR_INVAL;
	d->num_ep_desc++;
#else
	(void)d;
	if (!ep_params_ok(dev, type, mps, 0, p[6], 0))
		return UD_ERR_INVAL;
#endif
	int addr = alloc_endpoint(dev, d, (p[2] & 0x80u) != 0);
	if (addr < 0)
		return addr;
	p[2] = (uint8_t)addr;
	addrs[(*neps)++] = (uint8_t)addr;
	return 0;
}

/* Fill in one interface descriptor or IAD of a template copied to @p p: where its string
 * index is, or NULL for a descriptor the walk leaves as it is (an endpoint's is filled in by
 * template_ep()). */
static int template_desc(struct ud_device *dev, struct ud_desc *d, uint8_t *p, unsigned first,
                         uint8_t **istr)
{
	if (p[1] == UD_DESC_IAD) {
		if (p[0] < 8u)
			return UD_ERR_INVAL;
		p[2] = (uint8_t)(p[2] + first);
		*istr = &p[7];
		d->has_iad = 1;
	} else if (p[1] == UD_DESC_INTERFACE) {
		if (p[0] < 9u || p[3] != 0 || p[2] != d->num_interfaces - first)
			return UD_ERR_INVAL;
		int n = alloc_interface(dev, d);
		if (n < 0)
			return n;
		p[2] = (uint8_t)n;
		*istr = &p[8];
		d->intf_alts[n] = 1; /* alternate setting 0 */
	}
	return 0;
}

int ud_desc_add_function(struct ud_device *dev, const struct ud_desc_template *t, uint8_t istring,
                         uint8_t *addrs)
{
	struct ud_desc *d = ud_desc_building(dev);
	if (!d || d->fn_open)
		return UD_ERR_STATE;
	if (!t || !t->desc || !addrs || (t->num_refs && !t->intf_refs))
		return UD_ERR_INVAL;
	uint16_t start = d->cfg_len;
	unsigned first = d->num_interfaces, neps = 0;
	int rc = put(d, t->desc, t->len);
	if (rc)
		return rc;
	/* The walk ends at the template's end: every bLength is at least 2 and checked against
	 * what is left, so desc_answers.c can walk the configuration the same way. */
	uint8_t *base = &d->cfg[start], *end = &d->cfg[d->cfg_len];
	for (uint8_t *p = base; p < end; p += p[0]) {
		uint8_t *istr = NULL;
		rc = UD_ERR_INVAL;
		if (p[0] < 2u || p[0] > end - p)
			goto undo;
		if (p[1] == UD_DESC_ENDPOINT)
			rc = template_ep(dev, d, p, addrs, &neps);
		else
			rc = template_desc(dev, d, p, first, &istr);
		if (rc)
			goto undo;
		if (istr && *istr) /* 0 stays 0: no string */
			*istr = istring;
	}
	for (unsigned i = 0; i < t->num_refs; i++) {
		uint16_t at = t->intf_refs[i];
		if (at >= t->len) {
			rc = UD_ERR_INVAL;
			goto undo;
		}
		base[at] = (uint8_t)(base[at] + first);
	}
	return 0;
undo:
	d->cfg_len = start; /* no half-patched template: the bind failed (ud_desc.h) */
	return rc;
}

int ud_desc_append(struct ud_device *dev, const uint8_t *desc, uint16_t len)
{
	struct ud_desc *d = ud_desc_building(dev);
	if (!d)
		return UD_ERR_STATE;
	/* Interface and endpoint descriptors have their own calls: the core must know them. */
	if (!desc || len < 2 || len > 255 || desc[0] != len || desc[1] == UD_DESC_INTERFACE ||
	    desc[1] == UD_DESC_ENDPOINT)
		return UD_ERR_INVAL;
	return put(d, desc, len);
}

int ud_desc_finish(struct ud_device *dev)
{
	struct ud_desc *d = &dev->desc;
	const struct ud_device_info *info = dev->info;
	uint8_t attr = UD_CONFIG_ATTR_SELF_POWERED;

	/* (No function is left open: ud_device_add_function() fails a bind that leaves one, and
	 * ud_device_start() then refuses to run.) */
#if !UD_HIGH_SPEED
	if (dev->port->caps->speeds & UD_SPEED_HIGH)
		return UD_ERR_NOTSUP; /* compiled for full speed only: see ud_config.h */
#endif
#if UD_REMOTE_WAKEUP
	attr |= UD_CONFIG_ATTR_REMOTE_WAKEUP;
#endif
	uint16_t power = info->max_power_ma > 500 ? 500 : info->max_power_ma;
	/* Written as one block, which compilers address from one base register: separate stores
	 * this far into struct ud_device take three instructions each on Thumb-1. */
	const uint8_t header[CFG_HEADER_LEN] = {
		CFG_HEADER_LEN,
		UD_DESC_CONFIGURATION,
		(uint8_t)(d->cfg_len & 0xffu),
		(uint8_t)(d->cfg_len >> 8),
		d->num_interfaces,
		1, /* bConfigurationValue: udcore devices have one configuration */
		0, /* iConfiguration */
		(uint8_t)(UD_CONFIG_ATTR_RESERVED | (info->attributes & attr)),
		(uint8_t)((power + 1u) / 2u), /* 2 mA units, rounded up: never less than drawn */
	};
	memcpy(d->cfg, header, sizeof(header));
	return ud_msos2_finish(dev);
}
