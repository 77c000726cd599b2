/* SPDX-License-Identifier: MIT */
/*
 * Gadget Zero compatible source/sink (ud_bulk_zero.h): one request always queued on each
 * endpoint, the usbtest data patterns, and the 0x5b/0x5c control test requests. Halts and the
 * toggle reset on clear-halt are chapter 9 and live in the core.
 */
#include <stddef.h>
#include <string.h>

#include "udcore/ud_bulk_zero.h"

#define BUF_ALIGN 512u
#define SINK_FILL 0x55u /* what an unwritten sink byte reads as (as Gadget Zero) */
#define MOD63 63u
#define RT_VENDOR_OUT (UD_DIR_OUT | UD_REQ_TYPE_VENDOR | UD_REQ_RCPT_DEVICE) /* 0x40 */
#define RT_VENDOR_IN (UD_DIR_IN | UD_REQ_TYPE_VENDOR | UD_REQ_RCPT_DEVICE)   /* 0xc0 */

static struct ud_bulk_zero *to_zero(struct ud_bulk *b)
{
	return (struct ud_bulk_zero *)(void *)((char *)b - offsetof(struct ud_bulk_zero, bulk));
}

/* usbtest's mod63 counts per packet, so it stays in step whatever the transfer sizes are,
 * as long as every transfer starts on a packet boundary (it does: only short packets end a
 * transfer early). */
static void fill_pattern(uint8_t *buf, uint32_t len, uint8_t pattern, uint16_t mps)
{
	if (pattern == UD_BULK_ZERO_PATTERN_ZEROS) {
		memset(buf, 0, len);
		return;
	}
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (uint8_t)((i % mps) % MOD63);
}

static bool pattern_ok(const uint8_t *buf, uint32_t len, uint8_t pattern, uint16_t mps)
{
	for (uint32_t i = 0; i < len; i++) {
		uint8_t want =
			pattern == UD_BULK_ZERO_PATTERN_ZEROS ? 0u : (uint8_t)((i % mps) % MOD63);
		if (buf[i] != want)
			return false;
	}
	return true;
}

/* The requests are idle and complete whenever these run, so a submit can only fail while the
 * endpoints close (UD_ERR_STATE); `enable` starts both again. */
static void sink_start(struct ud_bulk_zero *z)
{
	memset(z->out_buf, SINK_FILL, z->buflen);
	(void)ud_bulk_submit_out(&z->bulk, &z->out_req);
}

static void source_start(struct ud_bulk_zero *z)
{
	(void)ud_bulk_submit_in(&z->bulk, &z->in_req);
}

static void sink_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_bulk_zero *z = req->context;

	(void)dev;
	if (req->status == UD_ERR_SHUTDOWN || req->status == UD_ERR_CANCELLED)
		return; /* `enable` starts again */
	if (req->status == UD_OK) {
		z->stats.out_transfers++;
		z->stats.out_bytes += req->actual;
		if (!pattern_ok(req->buf, req->actual, z->pattern, z->mps)) {
			/* As Gadget Zero: the host learns of bad data through a halt. */
			z->stats.pattern_errors++;
			(void)ud_bulk_set_halt(&z->bulk, false);
		}
	} else {
		z->stats.errors++; /* overflow (a packet larger than the room) or I/O error */
		if (req->status == UD_ERR_IO)
			return;
	}
	sink_start(z);
}

static void source_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_bulk_zero *z = req->context;

	(void)dev;
	if (req->status == UD_OK) {
		z->stats.in_transfers++;
		z->stats.in_bytes += req->actual;
		source_start(z); /* the buffer still holds the pattern */
	} else if (req->status == UD_ERR_IO) {
		z->stats.errors++;
	}
}

static void zero_enable(struct ud_bulk *b)
{
	struct ud_bulk_zero *z = to_zero(b);

	/* Both endpoints share one packet size; it is known only now, at the bus speed. */
	z->mps = ud_bulk_max_packet(b, true);
	z->pattern = z->next_pattern;
	fill_pattern(z->in_buf, z->buflen, z->pattern, z->mps);
	z->in_req = (struct ud_req){
		.buf = z->in_buf, .length = z->buflen, .complete = source_done, .context = z};
	z->out_req = (struct ud_req){
		.buf = z->out_buf, .length = z->buflen, .complete = sink_done, .context = z};
	source_start(z);
	sink_start(z);
}

static int ctrl_written(struct ud_function *fn, const struct ud_setup *setup, uint8_t *buf,
                        uint16_t len, int status)
{
	struct ud_bulk_zero *z = to_zero(ud_bulk_from_function(fn));

	(void)setup;
	(void)buf;
	(void)len;
	if (status == UD_OK)
		z->stats.ctrl_writes++;
	return 0; /* the data is stored where 0x5c reads it */
}

/* 0x5b / 0x5c with Gadget Zero's checks: exact bmRequestType (else not ours), wValue and
 * wIndex zero and wLength within the buffer (else a STALL). */
static int zero_control(struct ud_bulk *b, const struct ud_setup *s)
{
	struct ud_bulk_zero *z = to_zero(b);
	bool write = s->bRequest == UD_BULK_ZERO_REQ_WRITE;

	if (!write && s->bRequest != UD_BULK_ZERO_REQ_READ)
		return UD_ERR_NOTSUP;
	if (s->bmRequestType != (write ? RT_VENDOR_OUT : RT_VENDOR_IN))
		return UD_ERR_NOTSUP;
	if (s->wValue || s->wIndex || s->wLength > z->ctrl_size)
		return UD_ERR_INVAL;
	if (!write) {
		z->stats.ctrl_reads++;
		return ud_ctrl_reply(b->fn.dev, z->ctrl_buf, s->wLength);
	}
	if (s->wLength == 0) {
		z->stats.ctrl_writes++;
		return 0; /* no data stage: acknowledged */
	}
	return ud_ctrl_receive(b->fn.dev, z->ctrl_buf, z->ctrl_size, ctrl_written);
}

static const struct ud_bulk_ops zero_ops = {
	.enable = zero_enable,
	.control = zero_control,
};

static bool pattern_valid(uint8_t pattern)
{
	return pattern == UD_BULK_ZERO_PATTERN_ZEROS || pattern == UD_BULK_ZERO_PATTERN_MOD63;
}

int ud_bulk_zero_add(struct ud_device *dev, struct ud_bulk_zero *z,
                     const struct ud_bulk_zero_config *cfg)
{
	if (!dev || !z || !cfg || !cfg->in_buf || !cfg->out_buf || !pattern_valid(cfg->pattern) ||
	    !cfg->buflen || cfg->buflen % BUF_ALIGN || (cfg->ctrl_size && !cfg->ctrl_buf))
		return UD_ERR_INVAL;
	struct ud_bulk_config bc = {
		.ops = &zero_ops,
		.interface_string = cfg->interface_string,
		.zlp = UD_BULK_ZLP_PER_REQUEST, /* the source sends no ZLPs */
		.context = z,
	};
	z->in_buf = cfg->in_buf;
	z->out_buf = cfg->out_buf;
	z->buflen = cfg->buflen;
	z->ctrl_buf = cfg->ctrl_buf;
	z->ctrl_size = cfg->ctrl_size;
	z->pattern = z->next_pattern = cfg->pattern;
	z->mps = 0;
	z->stats = (struct ud_bulk_zero_stats){0};
	z->in_req = (struct ud_req){0};
	z->out_req = (struct ud_req){0};
	return ud_bulk_add(dev, &z->bulk, &bc);
}

int ud_bulk_zero_set_pattern(struct ud_bulk_zero *z, uint8_t pattern)
{
	if (!z || !pattern_valid(pattern))
		return UD_ERR_INVAL;
	z->next_pattern = pattern;
	return 0;
}
