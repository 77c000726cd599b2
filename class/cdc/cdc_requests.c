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
#define CDC_BM_IN (UD_DIR_IN | UD_REQ_TYPE_CLASS | UD_REQ_RCPT_INTERFACE)   /* 0xa1 */

static bool line_coding_valid(const struct ud_cdc_line_coding *lc)
{
	bool bits_ok = (lc->data_bits >= 5 && lc->data_bits <= 8) || lc->data_bits == 16;
	return lc->stop_bits <= 2 && lc->parity <= 4 && bits_ok;
}

static int line_coding_received(struct ud_function *fn, const struct ud_setup *setup, uint8_t *buf,
                                uint16_t len, int status)
{
	struct ud_cdc *c = cdc_of(fn);
	struct ud_cdc_line_coding lc;

	(void)setup;
	(void)len;
	if (status != UD_OK) { /* wrong length (the core stalls it), or overtaken */
		c->stats.refused++;
		return status;
	}
	lc.rate = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
	          (uint32_t)buf[3] << 24;
	lc.stop_bits = buf[4];
	lc.parity = buf[5];
	lc.data_bits = buf[6];
	int rc = line_coding_valid(&lc) ? 0 : UD_ERR_INVAL;
	if (rc == 0 && c->cfg.on_line_coding)
		rc = c->cfg.on_line_coding(c, &lc);
	if (rc != 0) {
		c->stats.refused++;
		return rc < 0 ? rc : UD_ERR_INVAL;
	}
	c->line = lc;
	return 0;
}

static int get_line_coding(struct ud_cdc *c)
{
	uint8_t b[CDC_LINE_CODING_LEN];

	b[0] = (uint8_t)c->line.rate;
	b[1] = (uint8_t)(c->line.rate >> 8);
	b[2] = (uint8_t)(c->line.rate >> 16);
	b[3] = (uint8_t)(c->line.rate >> 24);
	b[4] = c->line.stop_bits;
	b[5] = c->line.parity;
	b[6] = c->line.data_bits;
	return ud_ctrl_reply_copy(c->fn.dev, b, sizeof(b));
}

static int comm_request(struct ud_cdc *c, const struct ud_setup *s)
{
	switch (s->bRequest) {
	case UD_CDC_REQ_SET_LINE_CODING:
		if (s->bmRequestType != CDC_BM_OUT || s->wValue ||
		    s->wLength != CDC_LINE_CODING_LEN)
			return UD_ERR_INVAL;
		return ud_ctrl_receive(c->fn.dev, c->line_buf, CDC_LINE_CODING_LEN,
		                       line_coding_received);
	case UD_CDC_REQ_GET_LINE_CODING:
		if (s->bmRequestType != CDC_BM_IN || s->wValue || s->wLength != CDC_LINE_CODING_LEN)
			return UD_ERR_INVAL;
		return get_line_coding(c);
	case UD_CDC_REQ_SET_CONTROL_LINE_STATE:
		if (s->bmRequestType != CDC_BM_OUT || s->wLength ||
		    (s->wValue & ~(UD_CDC_LINE_DTR | UD_CDC_LINE_RTS)))
			return UD_ERR_INVAL;
		c->lines = (uint8_t)s->wValue;
		if (c->cfg.on_control_line)
			c->cfg.on_control_line(c, c->lines);
		return 0;
	case UD_CDC_REQ_SEND_BREAK:
		if (s->bmRequestType != CDC_BM_OUT || s->wLength)
			return UD_ERR_INVAL;
		if (c->cfg.on_break)
			c->cfg.on_break(c, s->wValue);
		return 0;
	default:
		return UD_ERR_NOTSUP; /* the core stalls it */
	}
}

int cdc_control(struct ud_function *fn, const struct ud_setup *s)
{
	struct ud_cdc *c = cdc_of(fn);

	/* Class requests go to the communication interface; nothing else is ours. */
	if ((s->bmRequestType & UD_REQ_TYPE_MASK) != UD_REQ_TYPE_CLASS ||
	    (s->bmRequestType & UD_REQ_RCPT_MASK) != UD_REQ_RCPT_INTERFACE ||
	    s->wIndex != c->intf_comm)
		return UD_ERR_NOTSUP;
	int rc = comm_request(c, s);
	if (rc != 0)
		c->stats.refused++;
	return rc;
}

/* ---------------------------------------------------------------- SERIAL_STATE */

int ud_cdc_serial_state(struct ud_cdc *c, uint16_t bits)
{
	if (!c || (bits & ~(UD_CDC_SERIAL_LEVELS | UD_CDC_SERIAL_EVENTS)))
		return UD_ERR_INVAL;
	cdc_lock(c);
	c->ss_level = bits & UD_CDC_SERIAL_LEVELS;
	/* One counter per event, written here only: the task sends an event when its counter
	 * moved, so two raises before a send are one event and none is lost. */
	for (unsigned i = 0; i < UD_CDC_SERIAL_NUM_EVENTS; i++)
		if (bits & (UD_CDC_SERIAL_BREAK << i))
			c->ss_posted[i] = (uint8_t)(c->ss_posted[i] + 1u);
	cdc_unlock(c);
	cdc_app_changed(c, cdc_notify_kick, &c->ntf_busy);
	return 0;
}

void cdc_notify_kick(struct ud_cdc *c)
{
	if (!c->enabled || c->ntf_busy)
		return;
	uint8_t posted[UD_CDC_SERIAL_NUM_EVENTS];
	uint16_t state = c->ss_level;
	for (unsigned i = 0; i < UD_CDC_SERIAL_NUM_EVENTS; i++) {
		posted[i] = c->ss_posted[i];
		if (posted[i] != c->ss_seen[i])
			state |= (uint16_t)(UD_CDC_SERIAL_BREAK << i);
	}
	if (state == c->ss_sent)
		return; /* no event, level unchanged */
	uint8_t *b = c->ntf_buf;
	b[0] = CDC_BM_IN; /* device to host, class, interface */
	b[1] = UD_CDC_NOTIFY_SERIAL_STATE;
	b[2] = 0; /* wValue */
	b[3] = 0;
	b[4] = c->intf_comm; /* wIndex */
	b[5] = 0;
	b[6] = 2; /* wLength: the UART state bitmap */
	b[7] = 0;
	b[8] = (uint8_t)state;
	b[9] = (uint8_t)(state >> 8);
	/* Events count as sent only once the notification is on its way: an endpoint closed by
	 * SET_INTERFACE refuses it, and they wait for the next try. */
	if (ud_ep_submit(c->fn.dev, c->ep_notify, &c->ntf_req) != 0)
		return;
	c->ntf_busy = 1;
	c->ntf_events = state & UD_CDC_SERIAL_EVENTS;
	for (unsigned i = 0; i < UD_CDC_SERIAL_NUM_EVENTS; i++)
		c->ss_seen[i] = posted[i];
	/* Events are sent once: afterwards the host's view has them cleared (PSTN 6.5.4). */
	c->ss_sent = state & UD_CDC_SERIAL_LEVELS;
}

void cdc_notify_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_cdc *c = req->context;

	(void)dev;
	c->ntf_busy = 0;
	if (req->status != UD_OK) {
		/* The host never saw it (one packet: delivered means completed). Its events are
		 * raised again, and the level is sent again whatever it is. */
		for (unsigned i = 0; i < UD_CDC_SERIAL_NUM_EVENTS; i++)
			if (c->ntf_events & (UD_CDC_SERIAL_BREAK << i))
				c->ss_seen[i] = (uint8_t)(c->ss_seen[i] - 1u);
		c->ss_sent = CDC_SS_UNKNOWN;
	}
	c->ntf_events = 0;
	if (req->status == UD_ERR_IO)
		c->stats.io_errors++;
	else
		cdc_notify_kick(c); /* changes made meanwhile, merged */
}
