/* SPDX-License-Identifier: MIT */
/*
 * The CDC data path: the application's side of the two rings (read, write, flush) and the
 * task's side (arming OUT while a packet fits, sending IN, ZLPs, the overwrite options).
 * See ud_cdc.h for the rules and cdc_ring.h for why the rings need no lock.
 */
#include "cdc_internal.h"

/* ---------------------------------------------------------------- receive: task side */

void cdc_rx_arm(struct ud_cdc *c)
{
	if (!c->enabled || c->rx_busy)
		return;
	struct ud_cdc_ring *r = &c->rx;
	uint32_t head = r->head;
	uint32_t tail = r->tail;
	cdc_acquire(); /* the reader is done with the bytes before its tail */
	uint32_t room = r->size - cdc_ring_used(r, head, tail);
	uint32_t pos = cdc_ring_pos(r, head);
	uint8_t *buf;

	/* One packet per transfer: a host may send exactly a packet without a ZLP, and a longer
	 * transfer would keep those bytes from the reader until more came. */
	if (room >= c->mps && r->size - pos >= c->mps)
		buf = r->buf + pos; /* straight into the ring */
	else if (room >= c->mps || (c->cfg.flags & UD_CDC_RX_OVERWRITE))
		buf = c->rx_bounce; /* the packet would wrap (or overwrite): copy it in later */
	else
		return; /* no room for a packet: the controller NAKs and the host waits */
	c->rx_req.buf = buf;
	c->rx_req.length = c->mps;
	if (ud_ep_submit(c->fn.dev, c->ep_out, &c->rx_req) == 0)
		c->rx_busy = 1;
}

/* A packet received into the bounce buffer goes into the ring around its end. With
 * UD_CDC_RX_OVERWRITE the ring may be full: the oldest unread bytes make way, under the lock
 * because the reader's tail moves. */
static void rx_commit_bounce(struct ud_cdc *c, uint32_t n)
{
	struct ud_cdc_ring *r = &c->rx;
	bool overwrite = (c->cfg.flags & UD_CDC_RX_OVERWRITE) != 0;

	if (overwrite)
		cdc_lock(c);
	uint32_t head = r->head;
	uint32_t tail = r->tail;
	cdc_acquire();
	uint32_t room = r->size - cdc_ring_used(r, head, tail);
	if (n > room) { /* only with overwrite: cdc_rx_arm() checks the room otherwise */
		r->tail = cdc_ring_advance(r, tail, n - room);
		c->stats.rx_dropped += n - room;
	}
	cdc_ring_put(r, head, c->rx_bounce, n);
	cdc_release(); /* the bytes before the index that publishes them */
	r->head = cdc_ring_advance(r, head, n);
	if (overwrite)
		cdc_unlock(c);
}

void cdc_rx_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_cdc *c = req->context;
	uint32_t n = req->actual;

	(void)dev;
	c->rx_busy = 0;
	/* Whatever the status, `actual` bytes were acknowledged to the host: keep them. */
	if (n) {
		if (req->buf == c->rx_bounce) {
			rx_commit_bounce(c, n);
		} else {
			cdc_release();
			c->rx.head = cdc_ring_advance(&c->rx, c->rx.head, n);
		}
		c->stats.rx_bytes += n;
	}
	/* A failing controller is not retried in a loop: the next poll, read or SOF re-arms. */
	if (req->status == UD_ERR_IO)
		c->stats.io_errors++;
	else
		cdc_rx_arm(c);
	if (n && c->cfg.on_rx)
		c->cfg.on_rx(c);
}

/* ---------------------------------------------------------------- receive: reader side */

uint32_t ud_cdc_read(struct ud_cdc *c, void *buf, uint32_t len)
{
	if (!c || !buf)
		return 0;
	cdc_lock(c);
	struct ud_cdc_ring *r = &c->rx;
	uint32_t tail = r->tail;
	uint32_t head = r->head;
	cdc_acquire(); /* the bytes before head are written */
	uint32_t n = cdc_ring_used(r, head, tail);
	if (n > len)
		n = len;
	if (n) {
		cdc_ring_get(r, tail, buf, n);
		cdc_release(); /* read them before the producer may reuse the space */
		r->tail = cdc_ring_advance(r, tail, n);
	}
	cdc_unlock(c);
	if (n)
		cdc_app_changed(c, cdc_rx_arm, &c->rx_busy);
	return n;
}

uint32_t ud_cdc_available(struct ud_cdc *c)
{
	if (!c)
		return 0;
	cdc_lock(c);
	uint32_t n = cdc_ring_used(&c->rx, c->rx.head, c->rx.tail);
	cdc_unlock(c);
	return n;
}

uint32_t ud_cdc_rx_clear(struct ud_cdc *c)
{
	if (!c)
		return 0;
	cdc_lock(c);
	uint32_t head = c->rx.head;
	uint32_t n = cdc_ring_used(&c->rx, head, c->rx.tail);
	c->rx.tail = head;
	cdc_unlock(c);
	if (n)
		cdc_app_changed(c, cdc_rx_arm, &c->rx_busy);
	return n;
}

/* ---------------------------------------------------------------- transmit: task side */

static void tx_submit(struct ud_cdc *c, uint8_t *buf, uint32_t len, uint16_t flags)
{
	c->tx_req.buf = buf;
	c->tx_req.length = len;
	c->tx_req.flags = flags;
	if (ud_ep_submit(c->fn.dev, c->ep_in, &c->tx_req) == 0)
		c->tx_busy = 1;
}

/* Nothing left to send during a flush: end the host's transfer with a ZLP if the last one
 * ended on a packet boundary, otherwise the flush is complete. */
static void tx_flush_end(struct ud_cdc *c)
{
	if (c->tx_open)
		tx_submit(c, NULL, 0, 0);
	else
		c->flushing = 0;
}

/* Overwrite mode: a packet is copied out of the ring before it is sent, so the ring only holds
 * bytes the writer may still drop; the bounce keeps what the host has not taken. */
static void tx_kick_bounce(struct ud_cdc *c)
{
	struct ud_cdc_ring *r = &c->tx;

	cdc_lock(c);
	uint32_t tail = r->tail;
	uint32_t head = r->head;
	cdc_acquire();
	uint32_t left = cdc_ring_used(r, head, tail);
	if (c->tx_bounce_len == 0) {
		uint32_t n = left < c->mps ? left : c->mps;
		if (n == c->mps || (c->flushing && n)) {
			cdc_ring_get(r, tail, c->tx_bounce, n);
			cdc_release();
			r->tail = cdc_ring_advance(r, tail, n);
			c->tx_bounce_len = n;
			c->tx_bounce_off = 0;
			left -= n;
		}
	}
	cdc_unlock(c);
	if (c->tx_bounce_len == 0) {
		if (c->flushing)
			tx_flush_end(c);
		return;
	}
	uint16_t flags = c->flushing && left == 0 ? UD_REQ_ZLP : 0;
	tx_submit(c, c->tx_bounce + c->tx_bounce_off, c->tx_bounce_len, flags);
}

void cdc_tx_kick(struct ud_cdc *c)
{
	if (!c->enabled || c->tx_busy)
		return;
	uint32_t req = c->flush_req;
	if (req != c->flush_seen) {
		c->flush_seen = req;
		c->flushing = 1; /* covers every byte written before the request */
	}
	if (c->cfg.flags & UD_CDC_TX_OVERWRITE) {
		tx_kick_bounce(c);
		return;
	}
	struct ud_cdc_ring *r = &c->tx;
	uint32_t tail = r->tail;
	uint32_t head = r->head;
	cdc_acquire(); /* the bytes before head are written */
	uint32_t avail = cdc_ring_used(r, head, tail);
	if (avail < c->mps && !c->flushing)
		return; /* a partial packet waits for more bytes or a flush */
	if (avail == 0) {
		tx_flush_end(c);
		return;
	}
	/* One packet per transfer, as on OUT: a transfer has then either finished (its report
	 * survives a bus reset) or moved nothing, so no event can make the class send a byte
	 * twice, whatever a controller can tell about a half-done transfer. */
	uint32_t len = avail < c->mps ? avail : c->mps;
	uint32_t pos = cdc_ring_pos(r, tail);
	uint8_t *buf = r->buf + pos;
	if (r->size - pos < len) { /* the packet wraps: send a copy, keep the bytes queued */
		cdc_ring_get(r, tail, c->tx_bounce, len);
		buf = c->tx_bounce;
	}
	/* The last bytes of a flush end the host's transfer: the core adds a ZLP if needed. */
	tx_submit(c, buf, len, c->flushing && len == avail ? UD_REQ_ZLP : 0);
}

void cdc_tx_done(struct ud_device *dev, struct ud_req *req)
{
	struct ud_cdc *c = req->context;
	uint32_t n = req->actual;

	(void)dev;
	c->tx_busy = 0;
	/* The host took `n` bytes (also of a cancelled or shut-down transfer): they are sent. */
	if (c->cfg.flags & UD_CDC_TX_OVERWRITE) {
		c->tx_bounce_off += n;
		c->tx_bounce_len -= n;
	} else if (n) {
		cdc_release(); /* the controller has read them before the writer reuses the space */
		c->tx.tail = cdc_ring_advance(&c->tx, c->tx.tail, n);
	}
	c->stats.tx_bytes += n;
	/* One packet per transfer: a full one without a ZLP leaves the host's transfer open. */
	c->tx_open = req->status == UD_OK && req->length == c->mps && !(req->flags & UD_REQ_ZLP);
	if (c->tx_discard) { /* ud_cdc_tx_clear() cancelled this transfer */
		c->tx_discard = 0;
		c->tx_bounce_len = 0;
		if (!(c->cfg.flags & UD_CDC_TX_OVERWRITE))
			c->tx.tail = c->tx_discard_to;
	}
	if (req->status == UD_ERR_IO)
		c->stats.io_errors++;
	else if (c->tx.head != c->tx.tail || c->flushing || c->flush_req != c->flush_seen)
		cdc_tx_kick(c); /* more to send, or a flush to finish */
	if (n && c->cfg.on_tx)
		c->cfg.on_tx(c);
}

uint32_t ud_cdc_tx_clear(struct ud_cdc *c)
{
	if (!c)
		return 0;
	cdc_lock(c);
	struct ud_cdc_ring *r = &c->tx;
	uint32_t head = r->head;
	uint32_t n = cdc_ring_used(r, head, r->tail) + c->tx_bounce_len;
	if (c->tx_busy && !(c->cfg.flags & UD_CDC_TX_OVERWRITE)) {
		c->tx_discard_to = head; /* the transfer's bytes belong to the core until it ends */
	} else {
		r->tail = head;
		if (!c->tx_busy)
			c->tx_bounce_len = 0;
	}
	cdc_unlock(c);
	c->flushing = 0; /* nothing left to flush, also for a request not taken yet */
	c->flush_seen = c->flush_req;
	if (c->tx_busy) {
		c->tx_discard = 1;
		(void)ud_ep_cancel(c->fn.dev, c->ep_in, &c->tx_req); /* NOENT: it ends anyway */
	}
	return n;
}

/* ---------------------------------------------------------------- transmit: writer side */

/* Overwrite mode, ring too small for @p len more bytes: drop the oldest bytes of the ring,
 * and of the input itself if it is longer than the ring. Returns the bytes to copy. */
static uint32_t tx_overwrite(struct ud_cdc *c, const uint8_t **src, uint32_t len, uint32_t used)
{
	struct ud_cdc_ring *r = &c->tx;
	uint32_t dropped = 0;

	if (len > r->size) {
		dropped = len - r->size;
		*src += dropped;
		len = r->size;
	}
	uint32_t room = r->size - used;
	if (len > room) {
		r->tail = cdc_ring_advance(r, r->tail, len - room);
		dropped += len - room;
	}
	c->stats.tx_dropped += dropped;
	return len;
}

uint32_t ud_cdc_write(struct ud_cdc *c, const void *data, uint32_t len)
{
	if (!c || !data)
		return 0;
	const uint8_t *src = data;
	uint32_t taken = len;
	struct ud_cdc_ring *r = &c->tx;

	cdc_lock(c);
	uint32_t head = r->head;
	uint32_t tail = r->tail;
	cdc_acquire(); /* the consumer is done with the space before its tail */
	uint32_t used = cdc_ring_used(r, head, tail);
	if (len > r->size - used) {
		if (c->cfg.flags & UD_CDC_TX_OVERWRITE)
			len = tx_overwrite(c, &src, len, used);
		else
			taken = len = r->size - used;
	}
	if (len) {
		cdc_ring_put(r, head, src, len);
		cdc_release(); /* the bytes before the index that publishes them */
		r->head = cdc_ring_advance(r, head, len);
	}
	cdc_unlock(c);
	if (len)
		cdc_app_changed(c, cdc_tx_kick, &c->tx_busy);
	return taken;
}

uint32_t ud_cdc_write_room(struct ud_cdc *c)
{
	if (!c)
		return 0;
	cdc_lock(c);
	uint32_t room = c->tx.size - cdc_ring_used(&c->tx, c->tx.head, c->tx.tail);
	cdc_unlock(c);
	return room;
}

int ud_cdc_flush(struct ud_cdc *c)
{
	if (!c)
		return UD_ERR_INVAL;
	cdc_lock(c);
	cdc_release(); /* the task that sees the request also sees the bytes written before it */
	c->flush_req = c->flush_req + 1u;
	cdc_unlock(c);
	cdc_app_changed(c, cdc_tx_kick, &c->tx_busy);
	return 0;
}

uint32_t ud_cdc_tx_pending(struct ud_cdc *c)
{
	if (!c)
		return 0;
	return cdc_ring_used(&c->tx, c->tx.head, c->tx.tail) + c->tx_bounce_len;
}
