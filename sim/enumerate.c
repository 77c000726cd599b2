/* SPDX-License-Identifier: MIT */
/* Enumeration personalities. See enumerate.h; the orders are documented in docs/udsim.md. */
#include "enumerate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctrl_bus.h"
#include "world.h"

/* The MS OS 2.0 platform capability UUID {D8DD60DF-4589-4CC7-9CD2-659D9E648A9F}, as the bytes
 * appear in a BOS descriptor. */
static const uint8_t msos2_uuid[16] = {0xdf, 0x60, 0xdd, 0xd8, 0x89, 0x45, 0xc7, 0x4c,
                                       0x9c, 0xd2, 0x65, 0x9d, 0x9e, 0x64, 0x8a, 0x9f};

struct enum_ctx {
	struct ud_world *w;
	struct ud_sim_result *r; /* the verdict */
	struct ud_sim_result t;  /* the request in progress */
	struct ud_enum_log *log;
	uint16_t langid;
	uint8_t config_value;
	uint8_t msos2_code; /* vendor code of the MS OS 2.0 descriptor set, if any */
	uint16_t msos2_len;
	bool failed;
};

int ud_host_os_parse(const char *name)
{
	if (strcmp(name, "linux") == 0)
		return UD_OS_LINUX;
	if (strcmp(name, "windows") == 0)
		return UD_OS_WINDOWS;
	if (strcmp(name, "macos") == 0)
		return UD_OS_MACOS;
	return -1;
}

const char *ud_host_os_name(enum ud_host_os os)
{
	return os == UD_OS_WINDOWS ? "windows" : os == UD_OS_MACOS ? "macos" : "linux";
}

static void log_step(struct enum_ctx *c, const char *fmt, ...) UD_SIM_PRINTF(2, 3);

static void log_step(struct enum_ctx *c, const char *fmt, ...)
{
	char *s = c->log->steps;
	size_t used = strlen(s), room = sizeof(c->log->steps) - used;
	va_list ap;

	if (room < 2)
		return;
	if (used) {
		s[used++] = ' ';
		s[used] = '\0';
		room--;
	}
	va_start(ap, fmt);
	vsnprintf(s + used, room, fmt, ap);
	va_end(ap);
}

static bool fail(struct enum_ctx *c, const char *step, const struct ud_sim_result *t)
{
	enum ud_sim_status st = (enum ud_sim_status)t->status;

	ud_host_fail(c->r, st == UD_SIM_OK ? UD_SIM_ERROR : st, "%s: %s%s%s", step,
	             ud_sim_status_name((enum ud_sim_status)t->status), t->message[0] ? ": " : "",
	             t->message);
	c->failed = true;
	return false;
}

/* A standard request without data out; an @p optional one may STALL. */
static bool request(struct enum_ctx *c, uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi,
                    uint16_t wl, const char *label, bool optional)
{
	struct ud_setup s = {bm, br, wv, wi, wl};

	c->log->requests++;
	ud_host_control(c->w, &s, NULL, 0, &c->t);
	if (c->t.status == UD_SIM_OK) {
		log_step(c, "%s", label);
		return true;
	}
	log_step(c, "%s=%s", label, ud_sim_status_name((enum ud_sim_status)c->t.status));
	if (!(optional && c->t.status == UD_SIM_STALL))
		fail(c, label, &c->t);
	return false;
}

static bool get_desc(struct enum_ctx *c, uint8_t type, uint8_t index, uint16_t wl, bool optional)
{
	static const char *const names[] = {"?", "dev", "cfg", "str", "?", "?", "qual"};
	const char *name = type < sizeof(names) / sizeof(names[0]) ? names[type] : "bos";
	char label[32];

	if (type == UD_DESC_STRING)
		snprintf(label, sizeof(label), "str%u(%u)", index, wl);
	else
		snprintf(label, sizeof(label), "%s(%u)", name, wl);
	return request(c, UD_DIR_IN, UD_REQ_GET_DESCRIPTOR, (uint16_t)(type << 8 | index),
	               type == UD_DESC_STRING ? c->langid : 0, wl, label, optional);
}

static bool bad_reply(struct enum_ctx *c, const char *what)
{
	ud_host_fail(&c->t, UD_SIM_ERROR, "%s (%u bytes)", what, (unsigned)c->t.len);
	return fail(c, "reply", &c->t);
}

static bool bus_reset(struct enum_ctx *c)
{
	ud_host_reset(c->w, &c->t);
	log_step(c, "reset");
	return c->t.status == UD_SIM_OK || fail(c, "reset", &c->t);
}

/* The first request at address 0. Like Linux, accept the bytes even if the status stage
 * failed: all the host wants is bMaxPacketSize0. */
static bool first_descriptor(struct enum_ctx *c, uint16_t wl)
{
	struct ud_setup s = {UD_DIR_IN, UD_REQ_GET_DESCRIPTOR, UD_DESC_DEVICE << 8, 0, wl};

	c->log->requests++;
	ud_host_control(c->w, &s, NULL, 0, &c->t);
	if (c->t.status == UD_SIM_OK)
		log_step(c, "dev(%u)@0", wl);
	else
		log_step(c, "dev(%u)@0=%s", wl,
		         ud_sim_status_name((enum ud_sim_status)c->t.status));
	if (c->t.len < 8 || c->t.data[1] != UD_DESC_DEVICE)
		return fail(c, "dev@0", &c->t);
	ud_host_learn(&c->w->host, &s, c->t.data, c->t.len);
	return true;
}

static bool set_address(struct enum_ctx *c)
{
	struct ud_host *h = &c->w->host;
	uint8_t addr = h->next_addr;
	char label[16];

	h->next_addr = (uint8_t)(addr % 127u + 1u);
	snprintf(label, sizeof(label), "addr(%u)", addr);
	return request(c, UD_DIR_OUT, UD_REQ_SET_ADDRESS, addr, 0, 0, label, false);
}

static bool device_descriptor(struct enum_ctx *c)
{
	if (!get_desc(c, UD_DESC_DEVICE, 0, 18, false))
		return false;
	return c->t.len == 18 || bad_reply(c, "device descriptor is not 18 bytes");
}

/* Configuration descriptor: @p first bytes, then all of it if that was not everything. Linux
 * and macOS ask for 9 first and always read the whole again. */
static bool config_descriptor(struct enum_ctx *c, uint16_t first)
{
	uint16_t total;

	if (!get_desc(c, UD_DESC_CONFIGURATION, 0, first, false))
		return false;
	if (c->t.len < 9)
		return bad_reply(c, "configuration descriptor shorter than 9");
	total = (uint16_t)(c->t.data[2] | c->t.data[3] << 8);
	c->config_value = c->t.data[5];
	if (total <= c->t.len && first != 9)
		return true;
	if (!get_desc(c, UD_DESC_CONFIGURATION, 0, total, false))
		return false;
	return c->t.len == total || bad_reply(c, "configuration descriptor is not wTotalLength");
}

static void find_msos2(struct enum_ctx *c, const uint8_t *d, uint16_t len)
{
	uint16_t i = 5;

	while (i + 2u <= len && d[i] >= 2 && i + d[i] <= len) {
		if (d[i] >= 28 && d[i + 1] == UD_DESC_DEVICE_CAPABILITY && d[i + 2] == 0x05 &&
		    memcmp(d + i + 4, msos2_uuid, sizeof(msos2_uuid)) == 0) {
			c->msos2_len = (uint16_t)(d[i + 24] | d[i + 25] << 8);
			c->msos2_code = d[i + 26];
			return;
		}
		i = (uint16_t)(i + d[i]);
	}
}

/* BOS (header, then all) for USB 2.01+ devices; with @p msos2, also the MS OS 2.0 set. */
static bool bos(struct enum_ctx *c, bool msos2)
{
	const uint8_t *dd = c->w->host.dev_desc;
	uint16_t total;
	char label[32];

	if ((dd[2] | dd[3] << 8) < 0x0201)
		return true;
	if (!get_desc(c, UD_DESC_BOS, 0, 5, false))
		return false;
	if (c->t.len != 5)
		return bad_reply(c, "BOS header is not 5 bytes");
	total = (uint16_t)(c->t.data[2] | c->t.data[3] << 8);
	if (!get_desc(c, UD_DESC_BOS, 0, total, false))
		return false;
	if (c->t.len != total)
		return bad_reply(c, "BOS is not wTotalLength");
	find_msos2(c, c->t.data, c->t.len);
	if (!msos2 || c->msos2_len == 0)
		return true;
	snprintf(label, sizeof(label), "msos2(%u)", c->msos2_len);
	if (!request(c, 0xc0, c->msos2_code, 0, 7, c->msos2_len, label, false))
		return false;
	return c->t.len == c->msos2_len || bad_reply(c, "MS OS 2.0 set is not its length");
}

/* A string descriptor: with @p probe, a 2-byte read of the header first (macOS). */
static bool read_string(struct enum_ctx *c, uint8_t index, bool probe)
{
	uint16_t wl = 255;

	if (probe) {
		if (!get_desc(c, UD_DESC_STRING, index, 2, false))
			return false;
		if (c->t.len != 2 || c->t.data[1] != UD_DESC_STRING)
			return bad_reply(c, "string header is not 2 bytes of type STRING");
		wl = c->t.data[0];
	}
	if (!get_desc(c, UD_DESC_STRING, index, wl, false))
		return false;
	if (c->t.len < 2 || c->t.data[1] != UD_DESC_STRING || c->t.data[0] != c->t.len)
		return bad_reply(c, "string descriptor bLength does not match");
	return true;
}

/* String 0, the language table; the host then asks for strings in its first language. */
static bool langids(struct enum_ctx *c, bool probe)
{
	if (!read_string(c, 0, probe))
		return false;
	if (c->t.len < 4)
		return bad_reply(c, "no language ID");
	c->langid = (uint16_t)(c->t.data[2] | c->t.data[3] << 8);
	return true;
}

/* String @p index of the device descriptor (iManufacturer ...); 0 means there is none. */
static bool string_desc(struct enum_ctx *c, uint8_t index, bool probe)
{
	return index == 0 || read_string(c, index, probe);
}

static bool has_strings(const struct enum_ctx *c)
{
	const uint8_t *dd = c->w->host.dev_desc;

	return dd[14] || dd[15] || dd[16];
}

static void set_configuration(struct enum_ctx *c)
{
	char label[16];

	snprintf(label, sizeof(label), "config(%u)", c->config_value);
	request(c, UD_DIR_OUT, UD_REQ_SET_CONFIGURATION, c->config_value, 0, 0, label, false);
}

/* usbcore: new-scheme 64-byte read at address 0, BOS before the configuration (hub_port_init),
 * then the product, manufacturer and serial strings (usb_new_device). */
static void enum_linux(struct enum_ctx *c)
{
	const uint8_t *dd = c->w->host.dev_desc;

	if (!first_descriptor(c, 64) || !bus_reset(c) || !set_address(c) || !device_descriptor(c) ||
	    !bos(c, false) || !config_descriptor(c, 9))
		return;
	if (has_strings(c) && (!langids(c, false) || !string_desc(c, dd[15], false) ||
	                       !string_desc(c, dd[14], false) || !string_desc(c, dd[16], false)))
		return;
	set_configuration(c);
}

/* Windows 10 usbhub3/usbccgp order, including the MS OS 2.0 set (or the MS OS 1.0 string
 * probe, index 0xEE, for devices without BOS) and the device qualifier. */
static void enum_windows(struct enum_ctx *c)
{
	const uint8_t *dd = c->w->host.dev_desc;

	if (!first_descriptor(c, 64) || !bus_reset(c) || !set_address(c) || !device_descriptor(c) ||
	    !config_descriptor(c, 255) || !bos(c, true))
		return;
	if (c->msos2_len == 0 && !get_desc(c, UD_DESC_STRING, 0xee, 0x12, true) && c->failed)
		return;
	if (has_strings(c) && (!langids(c, false) || !string_desc(c, dd[16], false)))
		return;
	if (!get_desc(c, UD_DESC_DEVICE_QUALIFIER, 0, 10, true) && c->failed)
		return;
	if (has_strings(c) && !string_desc(c, dd[15], false))
		return;
	set_configuration(c);
}

/* macOS: 8-byte first read, strings read as a 2-byte header, then bLength bytes. */
static void enum_macos(struct enum_ctx *c)
{
	const uint8_t *dd = c->w->host.dev_desc;

	if (!first_descriptor(c, 8) || !bus_reset(c) || !set_address(c) || !device_descriptor(c) ||
	    !config_descriptor(c, 9))
		return;
	if (has_strings(c) && (!langids(c, true) || !string_desc(c, dd[15], true) ||
	                       !string_desc(c, dd[14], true) || !string_desc(c, dd[16], true)))
		return;
	set_configuration(c);
}

void ud_enumerate(struct ud_world *w, enum ud_host_os os, struct ud_sim_result *r,
                  struct ud_enum_log *log)
{
	static struct enum_ctx c; /* its scratch result is large; enumeration is not re-entered */

	memset(&c, 0, sizeof(c));
	memset(log, 0, sizeof(*log));
	c.w = w;
	c.r = r;
	c.log = log;
	ud_host_result_clear(r, UD_SIM_OK);
	if (!ud_bus_vbus_present(w)) {
		ud_host_connect(w, true, &c.t);
		log_step(&c, "vbus");
		if (c.t.status != UD_SIM_OK) {
			fail(&c, "vbus", &c.t);
			return;
		}
	}
	ud_host_forget_device(&w->host);
	if (!bus_reset(&c))
		return;
	if (os == UD_OS_WINDOWS)
		enum_windows(&c);
	else if (os == UD_OS_MACOS)
		enum_macos(&c);
	else
		enum_linux(&c);
}
