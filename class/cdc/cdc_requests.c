/* SPDX-License-Identifier: MIT */
/*
 * CDC-ACM class requests on the communication interface (PSTN 1.2, 6.3: SET/GET_LINE_CODING,
 * SET_CONTROL_LINE_STATE, SEND_BREAK) and the SERIAL_STATE notification (6.5.4).
 *
 * Every field is checked: direction, wValue, wIndex, wLength and the line coding values. A
 * request that does not match is stalled, as is any other class request.
 */
#include "cdc_internal.h"

#define CDC_BM_OUT (UD_DIR_OUT | UD_REQ_TYPE_CLASS | UD_REQ_RCPT_INTERFACE) /* 0x21 */

static int line_coding_received(struct ud_function *fn, const struct ud_setup *setup, uint8_t *b,
                                uint16_t len, int status)
{
	struct ud_cdc *c = cdc_of(fn);
	struct ud_cdc_line_coding lc;
	int rc = status; /* not UD_OK: wrong length (the core stalls it), or overtaken */

	(void)setup;
	(void)len;
	if (rc == UD_OK) {
#if CDC_LC_WIRE
		memcpy(&lc, b, CDC_LINE_CODING_LEN);
#else
		lc.rate = 0;
		for (unsigned i = 4; i-- > 0;)
			lc.rate = lc.rate << 8 | b[i]; /* little endian */
		lc.stop_bits = b[4];
		lc.parity = b[5];
		lc.data_bits = b[6];
#endif
		rc = cdc_lc_valid(&lc) ? 0 : UD_ERR_INVAL;
		if (rc == 0 && c->cfg->on_line_coding)
			rc = c->cfg->on_line_coding(c, &lc);
		if (rc > 0)
			rc = UD_ERR_INVAL; /* any refusal stalls */
		if (rc == 0)
			c->line_coding = lc;
	}
	if (rc != 0)
		CDC_COUNT(c, refused, 1);
	return rc;
}

static int get_line_coding(struct ud_cdc *c)
{
	const struct ud_cdc_line_coding *lc = &c->line_coding;
#if CDC_LC_WIRE
	const void *b = lc; /* the struct's first 7 bytes are the wire format */
#else
	uint8_t b[CDC_LINE_CODING_LEN];

	for (unsigned i = 0; i < 4; i++)
		b[i] = (uint8_t)(lc->rate >> (8 * i));
	b[4] = lc->stop_bits;
	b[5] = lc->parity;
	b[6] = lc->data_bits;
#endif
	return ud_ctrl_reply_copy(c->fn.dev, b, CDC_LINE_CODING_LEN);
}

/* The requests differ in direction, wValue and wLength only: 0x20 SET_LINE_CODING (OUT,
 * wValue 0, 7 bytes), 0x21 GET_LINE_CODING (IN, wValue 0, 7 bytes), 0x22
 * SET_CONTROL_LINE_STATE (OUT, DTR | RTS, no data), 0x23 SEND_BREAK (OUT, any ms, no data).
 * A table checks them with one piece of code. */
static const struct cdc_req_rule {
	uint8_t bm_request_type;
	uint8_t length;
	uint16_t max_value;
} cdc_req_rules[4] = {
	{CDC_BM_OUT, CDC_LINE_CODING_LEN, 0},
	{CDC_BM_IN, CDC_LINE_CODING_LEN, 0},
	{CDC_BM_OUT, 0, UD_CDC_LINE_DTR | UD_CDC_LINE_RTS},
	{CDC_BM_OUT, 0, 0xffff},
};

static int comm_request(struct ud_cdc *c, const struct ud_setup *s)
{
	unsigned r = s->bRequest - UD_CDC_REQ_SET_LINE_CODING;
	struct ud_device *dev = c->fn.dev;

	if (r > 3)
		return UD_ERR_NOTSUP; /* the core stalls it */
	const struct cdc_req_rule *rule = &cdc_req_rules[r];
	if (s->bmRequestType != rule->bm_request_type || s->wValue > rule->max_value ||
	    s->wLength != rule->length)
		return UD_ERR_INVAL;
	switch (r) {
	case 0:
		return ud_ctrl_receive(dev, c->line_rx, CDC_LINE_CODING_LEN, line_coding_received);
	case 1:
		return get_line_coding(c);
	case 2: {
		uint8_t lines = (uint8_t)s->wValue;
		UD_STORE(&c->lines, lines); /* ud_cdc_lines() reads it from any context */
		if (c->cfg->on_control_line)
			c->cfg->on_control_line(c, lines);
		return 0;
	}
	default:
		/* 0xffff: until a SEND_BREAK with another value. wValue is 16 bits: (wValue + 1) >> 16
		 * is 1 for 0xffff and 0 for any other, without a compare and a literal. */
		c->break_on = (uint8_t)((s->wValue + 1u) >> 16);
		if (c->cfg->on_break)
			c->cfg->on_break(c, s->wValue);
		return 0;
	}
}

int ud_cdc_control(struct ud_function *fn, const struct ud_setup *s)
{
	struct ud_cdc *c = cdc_of(fn);

	/* Class requests go to the communication interface; nothing else is ours. */
	if ((s->bmRequestType & (UD_REQ_TYPE_MASK | UD_REQ_RCPT_MASK)) != CDC_BM_OUT ||
	    s->wIndex != c->fn.first_interface)
		return UD_ERR_NOTSUP;
	int rc = comm_request(c, s);
	if (rc != 0)
		CDC_COUNT(c, refused, 1);
	return rc;
}

/* ---------------------------------------------------------------- SERIAL_STATE */

int ud_cdc_serial_state(struct ud_cdc *c, uint16_t bits)
{
	if (!c || (bits & ~(UD_CDC_SERIAL_LEVELS | UD_CDC_SERIAL_EVENTS)))
		return UD_ERR_INVAL;
	ud_cdc_lock(c);
	UD_STORE(&c->ss_level, (uint8_t)(bits & UD_CDC_SERIAL_LEVELS));
	/* Raise the events that are not pending yet; one that is already pending is merged
	 * (two raises before a send are one event) and none is lost. ss_req is the writer's own
	 * (or the lock's); ss_ack publishes nothing: both relaxed. */
	uint8_t req = UD_LOAD(&c->ss_req);
	uint8_t pending = req ^ UD_LOAD(&c->ss_ack);
	/* Release: the task that sees these events also sees the level set with them. */
	UD_STORE_REL(&c->ss_req, (uint8_t)(req ^ (bits & UD_CDC_SERIAL_EVENTS & ~pending)));
	ud_cdc_unlock(c);
	/* ntf_busy is atomic: ud_cdc_notify_kick() tests it itself. */
	cdc_app_changed(c, ud_cdc_notify_kick);
	return 0;
}

void ud_cdc_notify_kick(struct ud_cdc *c)
{
	if (UD_LOAD(&c->ntf_busy) != CDC_ON) /* a notification in flight, or not enabled */
		return;
	uint8_t ack = UD_LOAD(&c->ss_ack);
	/* The writer leaves pending bits alone. Acquire: the level set with the events. */
	uint8_t raised = UD_LOAD_ACQ(&c->ss_req) ^ ack;
	uint8_t events = raised | c->ss_resend;
	uint8_t state = UD_LOAD(&c->ss_level) | events;
	if (state == c->ss_sent)
		return; /* no event, level unchanged */
	/* The bitmap follows the header, which cdc_bind() wrote once. */
	c->ntf_buf[8] = state;
	/* Events count as sent only once the notification is on its way: an endpoint closed by
	 * SET_INTERFACE refuses it, and they wait for the next try. */
	if (ud_ep_submit(c->fn.dev, c->ep_notify, &c->ntf_req) != 0)
		return;
	UD_STORE(&c->ntf_busy, CDC_ON | CDC_BUSY);
	UD_STORE(&c->ss_ack, (uint8_t)(ack ^ raised));
	c->ss_resend = 0;
	c->ntf_events = events;
	/* Events are sent once: afterwards the host's view has them cleared (PSTN 6.5.4). */
	c->ss_sent = state & UD_CDC_SERIAL_LEVELS;
}

void ud_cdc_notify_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_cdc *c = CDC_OF(req, ntf_req);

	(void)dev;
	UD_STORE(&c->ntf_busy, (uint8_t)(UD_LOAD(&c->ntf_busy) & ~CDC_BUSY));
	if (req->status != UD_OK) {
		/* The host never saw it (one packet: delivered means completed). Its events are
		 * sent again, and the level is sent again whatever it is. */
		c->ss_resend |= c->ntf_events;
		c->ss_sent = CDC_SS_UNKNOWN;
	}
	if (req->status == UD_ERR_IO)
		CDC_COUNT(c, io_errors, 1);
	else
		ud_cdc_notify_kick(c); /* changes made meanwhile, merged */
}
