/* SPDX-License-Identifier: MIT */
/* The USB/IP wire format: parse and build headers and device records. See usbip_proto.h. */
#include "usbip_proto.h"

#include <string.h>

static uint16_t get16(const uint8_t *b)
{
	return (uint16_t)((b[0] << 8) | b[1]);
}

static uint32_t get32(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* Signed fields travel as their two's complement bit pattern; convert without relying on
 * implementation-defined unsigned-to-signed conversion. */
static int32_t to_s32(uint32_t v)
{
	return v <= 0x7fffffffu ? (int32_t)v : -(int32_t)(~v) - 1;
}

const char *ud_usbip_err_name(enum ud_usbip_err e)
{
	switch (e) {
	case UD_USBIP_OK:
		return "ok";
	case UD_USBIP_E_VERSION:
		return "unsupported protocol version";
	case UD_USBIP_E_OPCODE:
		return "unknown operation code";
	case UD_USBIP_E_BUSID:
		return "malformed bus id";
	case UD_USBIP_E_COMMAND:
		return "unknown command";
	case UD_USBIP_E_DIRECTION:
		return "direction is neither OUT (0) nor IN (1)";
	case UD_USBIP_E_EP:
		return "endpoint number above 15";
	case UD_USBIP_E_LENGTH:
		return "absurd transfer_buffer_length";
	case UD_USBIP_E_ISO:
		return "isochronous packets are not supported";
	case UD_USBIP_E_RECORD:
		return "malformed device record";
	}
	return "unknown error";
}

const char *ud_usbip_command_name(uint32_t command)
{
	switch (command) {
	case UD_USBIP_CMD_SUBMIT:
		return "CMD_SUBMIT";
	case UD_USBIP_CMD_UNLINK:
		return "CMD_UNLINK";
	case UD_USBIP_RET_SUBMIT:
		return "RET_SUBMIT";
	case UD_USBIP_RET_UNLINK:
		return "RET_UNLINK";
	default:
		return "unknown";
	}
}

enum ud_usbip_err ud_usbip_parse_op(const uint8_t b[UD_USBIP_OP_LEN], struct ud_usbip_op *op)
{
	op->version = get16(b);
	op->code = get16(b + 2);
	op->status = get32(b + 4);
	return op->version == UD_USBIP_VERSION ? UD_USBIP_OK : UD_USBIP_E_VERSION;
}

enum ud_usbip_err ud_usbip_parse_op_request(const uint8_t b[UD_USBIP_OP_LEN],
                                            struct ud_usbip_op *op)
{
	enum ud_usbip_err e = ud_usbip_parse_op(b, op);

	if (e != UD_USBIP_OK)
		return e;
	if (op->code != UD_USBIP_OP_REQ_DEVLIST && op->code != UD_USBIP_OP_REQ_IMPORT)
		return UD_USBIP_E_OPCODE;
	return UD_USBIP_OK;
}

void ud_usbip_build_op(uint8_t b[UD_USBIP_OP_LEN], uint16_t code, uint32_t status)
{
	put16(b, UD_USBIP_VERSION);
	put16(b + 2, code);
	put32(b + 4, status);
}

/* A NUL-terminated string of printable ASCII within @p cap bytes (empty allowed if
 * @p allow_empty), copied to @p out. */
static bool parse_cstr(const uint8_t *b, size_t cap, bool allow_empty, char *out)
{
	size_t i;

	for (i = 0; i < cap && b[i] != 0; i++) {
		if (b[i] < 0x20 || b[i] > 0x7e)
			return false;
	}
	if (i == cap || (i == 0 && !allow_empty))
		return false;
	memcpy(out, b, i + 1);
	return true;
}

enum ud_usbip_err ud_usbip_parse_busid(const uint8_t b[UD_USBIP_BUSID_LEN],
                                       char busid[UD_USBIP_BUSID_LEN])
{
	busid[0] = '\0';
	return parse_cstr(b, UD_USBIP_BUSID_LEN, false, busid) ? UD_USBIP_OK : UD_USBIP_E_BUSID;
}

static void put_cstr(uint8_t *b, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n > cap - 1)
		n = cap - 1;
	memset(b, 0, cap);
	memcpy(b, s, n);
}

void ud_usbip_build_busid(uint8_t b[UD_USBIP_BUSID_LEN], const char *busid)
{
	put_cstr(b, UD_USBIP_BUSID_LEN, busid);
}

static unsigned intf_records(const struct ud_usbip_device *d)
{
	return d->num_intf < UD_USBIP_MAX_INTF ? d->num_intf : UD_USBIP_MAX_INTF;
}

size_t ud_usbip_device_len(const struct ud_usbip_device *d, bool with_intf)
{
	return UD_USBIP_DEV_LEN + (with_intf ? UD_USBIP_INTF_LEN * intf_records(d) : 0u);
}

size_t ud_usbip_build_device(uint8_t *b, const struct ud_usbip_device *d, bool with_intf)
{
	unsigned i;
	uint8_t *p;

	put_cstr(b, UD_USBIP_PATH_LEN, d->path);
	put_cstr(b + 0x100, UD_USBIP_BUSID_LEN, d->busid);
	put32(b + 0x120, d->busnum);
	put32(b + 0x124, d->devnum);
	put32(b + 0x128, d->speed);
	put16(b + 0x12c, d->vid);
	put16(b + 0x12e, d->pid);
	put16(b + 0x130, d->bcd_device);
	b[0x132] = d->dev_class;
	b[0x133] = d->dev_subclass;
	b[0x134] = d->dev_protocol;
	b[0x135] = d->config_value;
	b[0x136] = d->num_configs;
	b[0x137] = d->num_intf;
	if (!with_intf)
		return UD_USBIP_DEV_LEN;
	p = b + UD_USBIP_DEV_LEN;
	for (i = 0; i < intf_records(d); i++, p += UD_USBIP_INTF_LEN) {
		p[0] = d->intf[i].cls;
		p[1] = d->intf[i].subclass;
		p[2] = d->intf[i].protocol;
		p[3] = 0; /* padding */
	}
	return (size_t)(p - b);
}

enum ud_usbip_err ud_usbip_parse_device(const uint8_t *b, size_t len, bool with_intf,
                                        struct ud_usbip_device *d)
{
	unsigned i;

	memset(d, 0, sizeof(*d));
	if (len < UD_USBIP_DEV_LEN)
		return UD_USBIP_E_RECORD;
	if (!parse_cstr(b, UD_USBIP_PATH_LEN, true, d->path) ||
	    !parse_cstr(b + 0x100, UD_USBIP_BUSID_LEN, true, d->busid))
		return UD_USBIP_E_BUSID;
	d->busnum = get32(b + 0x120);
	d->devnum = get32(b + 0x124);
	d->speed = get32(b + 0x128);
	d->vid = get16(b + 0x12c);
	d->pid = get16(b + 0x12e);
	d->bcd_device = get16(b + 0x130);
	d->dev_class = b[0x132];
	d->dev_subclass = b[0x133];
	d->dev_protocol = b[0x134];
	d->config_value = b[0x135];
	d->num_configs = b[0x136];
	d->num_intf = b[0x137];
	if (!with_intf)
		return UD_USBIP_OK;
	if (d->num_intf > UD_USBIP_MAX_INTF ||
	    len < UD_USBIP_DEV_LEN + (size_t)UD_USBIP_INTF_LEN * d->num_intf)
		return UD_USBIP_E_RECORD;
	for (i = 0; i < d->num_intf; i++) {
		const uint8_t *p = b + UD_USBIP_DEV_LEN + UD_USBIP_INTF_LEN * i;

		d->intf[i].cls = p[0];
		d->intf[i].subclass = p[1];
		d->intf[i].protocol = p[2];
	}
	return UD_USBIP_OK;
}

enum ud_usbip_err ud_usbip_parse_cmd(const uint8_t b[UD_USBIP_HDR_LEN], struct ud_usbip_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->command = get32(b);
	c->seqnum = get32(b + 4);
	c->devid = get32(b + 8);
	c->direction = get32(b + 12);
	c->ep = get32(b + 16);
	if (c->command == UD_USBIP_CMD_UNLINK) {
		/* direction and ep "shall be 0" but carry no framing: not checked. */
		c->unlink_seqnum = get32(b + 20);
		return UD_USBIP_OK;
	}
	if (c->command != UD_USBIP_CMD_SUBMIT)
		return UD_USBIP_E_COMMAND;
	c->flags = get32(b + 20);
	c->length = get32(b + 24);
	c->start_frame = to_s32(get32(b + 28));
	c->npackets = to_s32(get32(b + 32));
	c->interval = to_s32(get32(b + 36));
	memcpy(c->setup, b + 40, 8);
	if (c->direction != UD_USBIP_DIR_OUT && c->direction != UD_USBIP_DIR_IN)
		return UD_USBIP_E_DIRECTION;
	if (c->ep > 15)
		return UD_USBIP_E_EP;
	if (c->length > UD_USBIP_MAX_XFER)
		return UD_USBIP_E_LENGTH;
	/* Linux sends 0 for a non-isochronous URB, the protocol text says 0xffffffff. */
	if (c->npackets != 0 && c->npackets != -1)
		return UD_USBIP_E_ISO;
	return UD_USBIP_OK;
}

uint32_t ud_usbip_cmd_payload(const struct ud_usbip_cmd *c)
{
	if (c->command == UD_USBIP_CMD_SUBMIT && c->direction == UD_USBIP_DIR_OUT)
		return c->length;
	return 0;
}

void ud_usbip_build_cmd(uint8_t b[UD_USBIP_HDR_LEN], const struct ud_usbip_cmd *c)
{
	memset(b, 0, UD_USBIP_HDR_LEN);
	put32(b, c->command);
	put32(b + 4, c->seqnum);
	put32(b + 8, c->devid);
	put32(b + 12, c->direction);
	put32(b + 16, c->ep);
	if (c->command == UD_USBIP_CMD_UNLINK) {
		put32(b + 20, c->unlink_seqnum);
		return;
	}
	put32(b + 20, c->flags);
	put32(b + 24, c->length);
	put32(b + 28, (uint32_t)c->start_frame);
	put32(b + 32, (uint32_t)c->npackets);
	put32(b + 36, (uint32_t)c->interval);
	memcpy(b + 40, c->setup, 8);
}

void ud_usbip_build_ret(uint8_t b[UD_USBIP_HDR_LEN], const struct ud_usbip_ret *r)
{
	memset(b, 0, UD_USBIP_HDR_LEN);
	put32(b, r->command);
	put32(b + 4, r->seqnum);
	/* devid, direction and ep stay 0 in replies. */
	put32(b + 20, (uint32_t)r->status);
	if (r->command == UD_USBIP_RET_UNLINK)
		return;
	put32(b + 24, r->actual);
	put32(b + 28, (uint32_t)r->start_frame);
	put32(b + 32, (uint32_t)r->npackets);
	put32(b + 36, (uint32_t)r->error_count);
}

enum ud_usbip_err ud_usbip_parse_ret(const uint8_t b[UD_USBIP_HDR_LEN], struct ud_usbip_ret *r)
{
	memset(r, 0, sizeof(*r));
	r->command = get32(b);
	r->seqnum = get32(b + 4);
	r->status = to_s32(get32(b + 20));
	if (r->command == UD_USBIP_RET_UNLINK)
		return UD_USBIP_OK;
	if (r->command != UD_USBIP_RET_SUBMIT)
		return UD_USBIP_E_COMMAND;
	r->actual = get32(b + 24);
	r->start_frame = to_s32(get32(b + 28));
	r->npackets = to_s32(get32(b + 32));
	r->error_count = to_s32(get32(b + 36));
	return UD_USBIP_OK;
}
