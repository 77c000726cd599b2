/* SPDX-License-Identifier: MIT */
/*
 * The CDC data path off the packet path (cdc_stream.c has the rest): received packets that
 * wrap around the ring's end and go through the bounce buffer, transmit completions with
 * something rare to do, the overwrite options, clearing, the lock hooks and the queries. A
 * separate file so that none of it weighs on the functions every packet runs.
 */
#include "cdc_internal.h"

#if UD_CDC_OTHER_CONTEXT
void ud_cdc_lock(struct ud_cdc *c)
{
	if (c->flags & CDC_F_LOCK)
		c->cfg->lock(c->cfg->ctx);
}

void ud_cdc_unlock(struct ud_cdc *c)
{
	if (c->flags & CDC_F_LOCK)
		c->cfg->unlock(c->cfg->ctx);
}
#endif

/* The rare case of cdc_ring_copy(): two pieces, around the ring's end. */
void ud_cdc_ring_copy_wrap(const struct ud_ring *r, uint32_t pos, uint8_t *ext, uint32_t n, bool in)
{
	uint32_t first = r->size - pos;

	if (in) {
		memcpy(r->buf + pos, ext, first);
		memcpy(r->buf, ext + first, n - first);
	} else {
		memcpy(ext, r->buf + pos, first);
		memcpy(ext + first, r->buf, n - first);
	}
}

/* ---------------------------------------------------------------- receive */

static void rx_done_bounce(struct ud_device *dev, struct ud_req *req);

/* ud_cdc_rx_arm(): a packet does not fit at the ring's write position. If the ring has room
 * for one (it would wrap around the end), or with UD_CDC_RX_OVERWRITE, it is received into
 * the bounce buffer; otherwise the controller NAKs and the host waits. That one transfer
 * completes in rx_done_bounce(), so that ud_cdc_rx_done() need not tell the two apart. */
void ud_cdc_rx_arm_bounce(struct ud_cdc *c, bool full)
{
	if (full && !CDC_RX_OVERWRITE(c))
		return;
	c->rx_req.complete = rx_done_bounce;
	if (!ud_cdc_rx_submit(c, c->rx_bounce))
		c->rx_req.complete = ud_cdc_rx_done; /* refused: it never completes */
}

/* A packet received into the bounce buffer goes into the ring at the head, around the end.
 * With UD_CDC_RX_OVERWRITE the ring may be full: the oldest unread bytes make way, under the
 * lock because the reader's tail moves (without, ud_cdc_rx_arm() checked the room). The head
 * moves later, in ud_cdc_rx_done(): a reader in between reads up to the old head, and the
 * bytes copied here lie past it. */
static void rx_fill_bounce(struct ud_cdc *c, uint32_t n)
{
	struct ud_ring *r = &c->rx;
	bool overwrite = CDC_RX_OVERWRITE(c);

	if (overwrite)
		ud_cdc_lock(c);
	uint32_t head = UD_LOAD(&r->head);
	if (overwrite) {
		/* Acquire, as in ud_cdc_rx_arm(): the reader is done with the bytes before its tail
		 * (the lock orders them too). Moving the tail: the lock keeps the reader out. */
		uint32_t tail = UD_LOAD_ACQ(&r->tail);
		uint32_t room = r->size - cdc_ring_used(head, tail);
		if (n > room) {
			UD_STORE(&r->tail, tail + n - room);
			CDC_COUNT(c, rx_dropped, n - room);
		}
	}
	cdc_ring_copy(r, head, c->rx_bounce, n, true);
	if (overwrite)
		ud_cdc_unlock(c);
}

/* The completion of a transfer into the bounce buffer: its bytes into the ring, then on as
 * any other (ud_cdc_rx_done() publishes them). */
static void rx_done_bounce(struct ud_device *dev, struct ud_req *req)
{
	struct ud_cdc *c = CDC_OF(req, rx_req);

	/* The next transfer goes into the ring, unless this one's completion arms the bounce
	 * buffer again. */
	req->complete = ud_cdc_rx_done;
	if (req->actual)
		rx_fill_bounce(c, req->actual);
	ud_cdc_rx_done(dev, req);
}

uint32_t ud_cdc_available(struct ud_cdc *c)
{
	if (!c)
		return 0;
	ud_cdc_lock(c);
	uint32_t n = cdc_ring_used(UD_LOAD(&c->rx.head), UD_LOAD(&c->rx.tail)); /* a count only */
	ud_cdc_unlock(c);
	return n;
}

uint32_t ud_cdc_rx_clear(struct ud_cdc *c)
{
	if (!c)
		return 0;
	ud_cdc_lock(c);
	uint32_t head = UD_LOAD(&c->rx.head); /* no byte is read: relaxed */
	uint32_t n = cdc_ring_used(head, UD_LOAD(&c->rx.tail));
	UD_STORE_SC(&c->rx.tail, head); /* the reader's tail, published as by ud_cdc_read() */
	ud_cdc_unlock(c);
	if (n)
		cdc_app_changed(c, ud_cdc_rx_arm);
	return n;
}

/* ---------------------------------------------------------------- transmit */

#if UD_CDC_OVERWRITE
/* Overwrite mode: a packet is copied out of the ring before it is sent, so the ring only holds
 * bytes the writer may still drop; the bounce keeps what the host has not taken. Returns true
 * if nothing was left to send during a flush (ud_cdc_tx_kick() ends it). */
bool ud_cdc_tx_kick_bounce(struct ud_cdc *c)
{
	struct ud_ring *r = &c->tx;
	uint32_t mps = cdc_mps(c);

	ud_cdc_lock(c);
	/* The writer may move the tail too (dropping), under the lock: relaxed in here. */
	uint32_t tail = UD_LOAD(&r->tail);
	/* Acquire: the bytes before head are written. */
	uint32_t left = cdc_ring_used(UD_LOAD_ACQ(&r->head), tail);
	uint32_t n = left < mps ? left : mps;
	uint32_t len = UD_LOAD(&c->tx_bounce_len);
	if (len == 0 && (n == mps || (c->flushing && n))) {
		cdc_ring_copy(r, tail, c->tx_bounce, n, false);
		len = n;
		c->tx_bounce_off = 0;
		/* The bounce before the tail: a snapshot (ud_cdc_tx_pending()) that sees the tail
		 * moved sees the bytes in the bounce. Release: they are copied out. */
		UD_STORE(&c->tx_bounce_len, (uint16_t)len);
		UD_STORE_REL(&r->tail, tail + n);
		left -= n;
	}
	ud_cdc_unlock(c);
	if (!len)
		return c->flushing;
	ud_cdc_tx_submit(c, c->tx_bounce + c->tx_bounce_off, len,
	                 c->flushing && left == 0 ? UD_REQ_ZLP : 0);
	return false;
}
#endif

/* Overwrite mode, @p room too small for @p len more bytes: drop the oldest bytes of the ring,
 * and of the input itself if it is longer than the ring. Returns how many of the input's first
 * bytes are dropped (the rest fits now). */
uint32_t ud_cdc_tx_overwrite(struct ud_cdc *c, uint32_t len, uint32_t room)
{
	struct ud_ring *r = &c->tx;
	uint32_t skip = len > r->size ? len - r->size : 0;
	uint32_t drop = len - skip > room ? len - skip - room : 0;

	/* Under the lock (ud_cdc_init() requires it in UD_CDC_CTX_OTHER mode), so the task does
	 * not move the tail meanwhile. Release, as the task's own stores of it: the new tail is at
	 * most the head published before it, so a snapshot that loads the tail with acquire and
	 * then the head never sees head < tail (ud_cdc_tx_pending()). */
	UD_STORE_REL(&r->tail, UD_LOAD(&r->tail) + drop);
	CDC_COUNT(c, tx_dropped, skip + drop);
	return skip;
}

/* The transfer ud_cdc_tx_clear() cancelled has ended: drop what was queued behind it. */
static void tx_discard(struct ud_cdc *c)
{
	/* The rest of a cut packet is discarded too. */
	c->tx_rare &= (uint8_t) ~(CDC_CUTS | CDC_TX_DISCARDING);
#if UD_CDC_OVERWRITE
	UD_STORE(&c->tx_bounce_len, 0);
#endif
	/* To the head ud_cdc_tx_clear() saw: tx_req still describes the transfer that ended. The
	 * bytes skipped were not sent (struct ud_cdc_counters). */
	if (!CDC_TX_OVERWRITE(c)) {
		uint32_t to = UD_LOAD(&c->tx_kept_from) + c->tx_req.length;
		uint32_t skipped = to - UD_LOAD(&c->tx.tail);
		UD_STORE_REL(&c->tx.tail, to);
		cdc_count_unsent(c, skipped);
	}
	/* After the tail: a snapshot that sees no discard going on sees the bytes dropped. */
	UD_STORE_REL(&c->tx_discard, 0);
}

/* ud_cdc_tx_done() with something in tx_rare: the host took @p n bytes of the transfer that
 * ended, which in overwrite mode were in the bounce; a discard waiting for that transfer; a
 * cut packet. Before on_tx, which may write and so start the next transfer. Returns @p n (so
 * that the caller need not keep it across the call). */
uint32_t ud_cdc_tx_done_rare(struct ud_cdc *c, uint32_t n)
{
	if (c->tx_rare & CDC_TX_OVW) {
		CDC_COUNT(c, tx_bytes, n); /* the tail moved when they were copied out */
		cdc_tx_bounce_sent(c, n);
	} else { /* release: the controller has read them before the writer reuses the space */
		UD_STORE_REL(&c->tx.tail, UD_LOAD(&c->tx.tail) + n);
	}
	if (c->tx_rare & CDC_TX_DISCARDING)
		tx_discard(c);
	/* Past the piece of a cut packet its rest is owed; past anything else, nothing is (no
	 * cut after a discard, and never one in overwrite mode). */
	if (n && (c->tx_rare & CDC_CUTS))
		c->tx_rare = (uint8_t)((c->tx_rare & ~CDC_CUTS) | ((c->tx_rare & CDC_CUT) << 1));
	return n;
}

uint32_t ud_cdc_tx_clear(struct ud_cdc *c)
{
	if (!c)
		return 0;
	struct ud_ring *r = &c->tx;
	bool busy = (c->tx_busy & CDC_BUSY) != 0;
#if UD_STREAMS
	/* A stream stops while the tail is moved on the port's side, and starts again after
	 * (the packet the host acknowledged meanwhile counts as sent; one loaded is dropped).
	 * The core's view, not CDC_STREAM, which is cleared before on_state(false) runs. */
	bool stream = ud_ep_streaming(c->fn.dev, c->ep_in);
	if (stream)
		(void)ud_ep_stream_stop(c->fn.dev, c->ep_in);
	/* The rest of a cut packet goes with the others, and so does a pending flush. */
	c->tx_stream.rest = 0;
	c->tx_stream.flush_done = UD_LOAD(&c->tx_stream.flush);
#endif
	ud_cdc_lock(c);
	/* The flush requests first, then head: a flush the writer makes after this read is of
	 * bytes written after it, which may be past this head and must then still go out; so
	 * only the requests read here are taken as done, not whatever flush_req is by the end.
	 * The acquire makes head at least what it was at the last request read; no byte is read,
	 * so head itself needs no acquire. */
	uint32_t flushes = UD_LOAD_ACQ(&c->flush_req);
	uint32_t head = UD_LOAD(&r->head);
	uint32_t n = cdc_ring_used(head, UD_LOAD(&r->tail)) + cdc_tx_bounced(c);
	if (busy && !CDC_TX_OVERWRITE(c)) {
		/* The transfer's bytes belong to the core until it ends: ud_cdc_tx_discard() moves
		 * the tail then. */
		UD_STORE(&c->tx_kept_from, head - c->tx_req.length);
	} else {
		uint32_t skipped = head - UD_LOAD(&r->tail);
		UD_STORE_REL(&r->tail, head);
		cdc_count_unsent(c, skipped);
		if (!busy) {
			c->tx_rare &= (uint8_t)~CDC_CUTS;
#if UD_CDC_OVERWRITE
			UD_STORE(&c->tx_bounce_len, 0);
#endif
		}
	}
	ud_cdc_unlock(c);
	c->flushing = 0; /* nothing left to flush, also for a request not taken yet */
	c->flush_seen = flushes;
#if UD_STREAMS
	if (stream && ud_ep_stream_start(c->fn.dev, c->ep_in, &c->tx_stream) != 0)
		c->tx_busy &= (uint8_t)~CDC_STREAM; /* the next poll sends with requests */
	c->tx_seen = UD_LOAD(&r->tail); /* discarded bytes are no room on_tx should report */
#endif
	if (busy) {
		c->tx_rare |= CDC_TX_DISCARDING;
		UD_STORE_REL(&c->tx_discard, 1); /* after tx_kept_from: ud_cdc_tx_pending() */
		(void)ud_ep_cancel(c->fn.dev, c->ep_in, &c->tx_req); /* NOENT: it ends anyway */
	}
	return n;
}

uint32_t ud_cdc_write_room(struct ud_cdc *c)
{
	if (!c)
		return 0;
	ud_cdc_lock(c);
	/* A count only: ud_cdc_write() loads the tail again, with acquire, before using space. */
	uint32_t room = c->tx.size - cdc_ring_used(UD_LOAD(&c->tx.head), UD_LOAD(&c->tx.tail));
	ud_cdc_unlock(c);
	return room;
}

uint32_t ud_cdc_tx_pending(struct ud_cdc *c)
{
	if (!c)
		return 0;
	/* Any context: the task's fields are loaded in the order it stores them, with acquire, so
	 * that the values fit together. The discard flag before the tail (ud_cdc_tx_discard()
	 * moves the tail first), the tail before the bounce and the head (every store of the tail
	 * comes after the bounce is filled and at most at a head published before it). */
	bool discard = UD_LOAD_ACQ(&c->tx_discard) && !CDC_TX_OVERWRITE(c);
	uint32_t tail = UD_LOAD_ACQ(&c->tx.tail);
	uint32_t bounced = cdc_tx_bounced(c);
	uint32_t head = UD_LOAD(&c->tx.head);
	uint32_t all = cdc_ring_used(head, tail) + bounced;
	/* After a ud_cdc_tx_clear() that had to wait for the transfer in flight, the bytes queued
	 * behind it are discarded but stay in the ring until it ends (ud_cdc_tx_discard()): only the
	 * transfer's bytes and what was written since are pending. */
	if (discard) {
		/* The loads are no single snapshot: the discard may have ended, and another clear
		 * begun, between them. Never report more than the ring holds. */
		uint32_t kept = cdc_ring_used(head, UD_LOAD(&c->tx_kept_from));
		return kept < all ? kept : all;
	}
	return all;
}
