/* SPDX-License-Identifier: MIT */
/*
 * The CDC data path, the part every packet runs: the application's side of the two rings
 * (read, write, flush) and the task's side (arming OUT while a packet fits, sending IN).
 * What only some packets need (a received packet that wraps around the ring's end, the
 * overwrite options, clearing) is in cdc_bounce.c, out of the way of the packet path.
 * See ud_cdc.h for the rules and cdc_internal.h for why the rings need no lock.
 */
#include "cdc_internal.h"

static uint32_t rx_take(struct ud_cdc *c, uint8_t *buf, uint32_t len);
static uint32_t tx_put(struct ud_cdc *c, const uint8_t *src, uint32_t len, bool overwrite);

/* ud_cdc_read() (@p tx false) and ud_cdc_write() (@p tx true: @p app is only read) off their
 * short path: another context, lock hooks, overwrite mode (CDC_F_READ_SLOW, _WRITE_SLOW).
 * Apart, so that the short path has no call but the copy and the endpoint's; one for both. */
static CDC_NOINLINE uint32_t ring_op_slow(struct ud_cdc *c, uint8_t *app, uint32_t len, bool tx)
{
	ud_cdc_lock(c);
	uint32_t n = tx ? tx_put(c, app, len, CDC_TX_OVERWRITE(c)) : rx_take(c, app, len);
	ud_cdc_unlock(c);
	if (n)
		cdc_app_changed(c, tx ? ud_cdc_tx_kick : ud_cdc_rx_arm);
	return n;
}

/* ---------------------------------------------------------------- receive */

/* ud_cdc_rx_arm() once the endpoint is known to be idle and enabled: inline in the receive
 * completion, which re-arms after every packet. */
static inline void rx_arm_idle(struct ud_cdc *c)
{
	struct ud_ring *r = &c->rx;
	uint32_t size = r->size;
	uint32_t head = UD_LOAD(&r->head);
	/* Acquire: the reader is done with the bytes before its tail before they are reused. */
	uint32_t used = cdc_ring_used(head, UD_LOAD_ACQ(&r->tail));
	uint32_t last = size - cdc_mps(c); /* the ring holds a packet: cdc_bind() */
	uint32_t pos = head & (size - 1u);

	/* One packet per transfer (rx_req.length is a packet, cdc_enable()): a host may send
	 * exactly a packet without a ZLP, and a longer transfer would keep those bytes from the
	 * reader until more came. Straight into the ring if a packet fits there: room for one,
	 * and before the ring's end. */
	if ((used > pos ? used : pos) > last) {
		ud_cdc_rx_arm_bounce(c, used > last);
		return;
	}
	ud_cdc_rx_submit(c, r->buf + pos);
}

void ud_cdc_rx_arm(struct ud_cdc *c)
{
	uint8_t busy = c->rx_busy;

	if (busy == CDC_ON) /* else a transfer in flight, not enabled, or streaming */
		rx_arm_idle(c);
#if UD_STREAMS
	else if (busy == (CDC_ON | CDC_STREAM))
		ud_ep_stream_kick(c->fn.dev, c->ep_out, &c->rx_stream);
#endif
}

bool ud_cdc_rx_submit(struct ud_cdc *c, uint8_t *buf)
{
	c->rx_req.buf = buf;
	if (ud_ep_submit(c->fn.dev, c->ep_out, &c->rx_req) != 0)
		return false;
	c->rx_busy = CDC_ON | CDC_BUSY;
	return true;
}

/* ud_cdc_rx_done() on the port alone, so that only it is kept across the calls in here. */
static CDC_NOINLINE void rx_done(struct ud_cdc *c)
{
	uint32_t n = c->rx_req.actual;

	c->rx_busy &= (uint8_t)~CDC_BUSY;
	/* Whatever the status, `actual` bytes were acknowledged to the host: keep them. They are
	 * in the ring at the head (the controller put them there, or a transfer into the bounce
	 * buffer ended in rx_done_bounce(), which copied them): release publishes them. The head
	 * is also the rx_bytes counter (ud_cdc_stats()). */
	UD_STORE_REL(&c->rx.head, UD_LOAD(&c->rx.head) + n);
	/* A failing controller is not retried in a loop: the next poll, read or SOF re-arms. The
	 * status is read before on_rx, which may read and so re-arm: that resets it. */
	if (CDC_RARELY(c->rx_req.status == UD_ERR_IO)) {
		CDC_COUNT(c, io_errors, 1);
		if ((c->flags & CDC_F_ON_RX) && n)
			c->cfg->on_rx(c);
		return;
	}
	if ((c->flags & CDC_F_ON_RX) && n) /* the flag first: without on_rx, one test */
		c->cfg->on_rx(c);
	if (c->rx_busy == CDC_ON) /* not if on_rx read and so armed it already */
		rx_arm_idle(c);
}

void ud_cdc_rx_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	rx_done(CDC_OF(req, rx_req));
}

/* Up to @p len bytes out of the receive ring (under the lock, if there is one). */
static inline uint32_t rx_take(struct ud_cdc *c, uint8_t *buf, uint32_t len)
{
	struct ud_ring *r = &c->rx;
	uint32_t tail = UD_LOAD(&r->tail);
	/* Acquire: the bytes before head are written. */
	uint32_t n = cdc_ring_used(UD_LOAD_ACQ(&r->head), tail);
	if (n > len)
		n = len;
	if (n) {
		cdc_ring_copy(r, tail, buf, n, false);
		/* Read them before the producer may reuse the space: release, and sequentially
		 * consistent for a streaming port, which loads the tail again after it stored
		 * `starved` (ud_stream.h), and the kick loads `starved` after this store. The
		 * tail loaded again: only the reader moves it (or, in overwrite mode, the
		 * producer under the lock the reader holds), and one value fewer is kept across
		 * the copy's call. */
		UD_STORE_SC(&r->tail, UD_LOAD(&r->tail) + n);
	}
	return n;
}

uint32_t ud_cdc_read(struct ud_cdc *c, void *buf, uint32_t len)
{
	if (!c || !buf)
		return 0;
	if (c->flags & CDC_F_READ_SLOW)
		return ring_op_slow(c, buf, len, false);
	uint32_t n = rx_take(c, buf, len);
	if (n && c->rx_busy == CDC_ON) /* task mode: arm at once if a packet fits now */
		rx_arm_idle(c);
#if UD_STREAMS
	else if (n && c->rx_busy == (CDC_ON | CDC_STREAM)) /* or kick the stream */
		ud_ep_stream_kick(c->fn.dev, c->ep_out, &c->rx_stream);
#endif
	return n;
}

/* ---------------------------------------------------------------- transmit */

void ud_cdc_tx_submit(struct ud_cdc *c, uint8_t *buf, uint32_t len, uint16_t flags)
{
	c->tx_req.buf = buf;
	c->tx_req.length = len;
	c->tx_req.flags = flags;
	if (ud_ep_submit(c->fn.dev, c->ep_in, &c->tx_req) == 0)
		c->tx_busy = CDC_ON | CDC_BUSY;
}

/* Nothing left to send during a flush: end the host's transfer with a ZLP if the last one
 * ended on a packet boundary (one packet per transfer: a full one without a ZLP leaves the
 * host's transfer open), otherwise the flush is complete. tx_req still describes the last
 * transfer; cdc_enable() clears its length for a new session. */
static void tx_flush_end(struct ud_cdc *c)
{
	const struct ud_req *last = &c->tx_req;

	if (last->status == UD_OK && last->length == cdc_mps(c) && !(last->flags & UD_REQ_ZLP))
		ud_cdc_tx_submit(c, NULL, 0, 0);
	else
		c->flushing = 0;
}

/* Take a flush the writer requested since the last one taken: it covers every byte written
 * before the request. Acquire: those bytes are then visible to what follows (ud_cdc_flush()). */
static inline void tx_take_flush(struct ud_cdc *c)
{
	uint32_t req = UD_LOAD_ACQ(&c->flush_req);
	if (req != c->flush_seen) {
		c->flush_seen = req;
		c->flushing = 1;
	}
}

/* ud_cdc_tx_kick() once the endpoint is known to be idle and enabled, and the port not in
 * overwrite mode: ud_cdc_write() calls it on its short path, which excludes that mode. */
static CDC_NOINLINE void tx_kick_idle(struct ud_cdc *c)
{
	tx_take_flush(c);
	struct ud_ring *r = &c->tx;
	uint32_t tail = UD_LOAD(&r->tail);
	/* Acquire: the bytes before head are written. */
	uint32_t avail = cdc_ring_used(UD_LOAD_ACQ(&r->head), tail);
	uint32_t len = cdc_mps(c);
	uint16_t flags = 0;
	/* A whole packet or more and no flush, the stream's case, is tested first. */
	if (CDC_RARELY(avail < len || c->flushing)) {
		if (!c->flushing) {
			/* A partial packet waits for more bytes or a flush, but the rest of a
			 * packet cut at the ring's end (below) goes now: it was a whole one. So
			 * does a full ring smaller than a packet: no more bytes can come. */
			if (!(c->tx_rare & CDC_CUT_REST) && avail < r->size)
				return;
			len = avail;
		} else if (avail == 0) {
			tx_flush_end(c);
			return;
		} else if (avail <= len) {
			/* The last bytes of a flush end the host's transfer: the core adds a ZLP
			 * after a full packet. */
			len = avail;
			flags = UD_REQ_ZLP;
		}
	}
	/* One packet per transfer, as on OUT: a transfer has then either finished (its report
	 * survives a bus reset) or moved nothing, so no event can make the class send a byte
	 * twice, whatever a controller can tell about a half-done transfer. A packet that would
	 * wrap around the ring's end is cut there: a short packet ends the host's transfer early,
	 * and the rest follows in the next one (no copy, no bounce buffer). The cut piece is never
	 * a flush's last (the rest is still queued): no ZLP flag, and the flush does not end
	 * (tx_flush_end()) before the rest has gone. */
	uint32_t pos = cdc_ring_pos(r, tail);
	uint32_t to_end = r->size - pos;
	if (to_end < len) {
		len = to_end;
		flags = 0;
		c->tx_rare |= CDC_CUT; /* ud_cdc_tx_done() clears it once a transfer moved bytes */
	}
	ud_cdc_tx_submit(c, r->buf + pos, len, flags);
}

void ud_cdc_tx_kick(struct ud_cdc *c)
{
#if UD_STREAMS
	if (c->tx_busy == (CDC_ON | CDC_STREAM)) {
		/* The flush requests are taken: ud_cdc_flush() moved the stream's mark too. */
		c->flush_seen = UD_LOAD(&c->flush_req);
		ud_ep_stream_kick(c->fn.dev, c->ep_in, &c->tx_stream);
		return;
	}
#endif
	if (c->tx_busy != CDC_ON) /* a transfer in flight, or not enabled */
		return;
#if UD_CDC_OVERWRITE
	if (c->tx_rare & CDC_TX_OVW) {
		tx_take_flush(c);
		if (ud_cdc_tx_kick_bounce(c))
			tx_flush_end(c);
		return;
	}
#endif
	tx_kick_idle(c);
}

/* ud_cdc_tx_done() on the port alone, so that only it is kept across the calls in here. */
static CDC_NOINLINE void tx_done(struct ud_cdc *c)
{
	uint32_t n = c->tx_req.actual;

	c->tx_busy &= (uint8_t)~CDC_BUSY;
	/* The host took `n` bytes (also of a cancelled or shut-down transfer): they are sent
	 * (they move the tail, which counts them: struct ud_cdc_counters). Overwrite mode, a
	 * discard or a cut packet: ud_cdc_tx_done_rare(), before on_tx, which may write and so
	 * start the next transfer. */
	if (CDC_RARELY(c->tx_rare))
		n = ud_cdc_tx_done_rare(c, n);
	else /* release: the controller has read them before the writer reuses the space */
		UD_STORE_REL(&c->tx.tail, UD_LOAD(&c->tx.tail) + n);
	/* The status is read before on_tx, which may write and so start the next transfer: that
	 * resets it. A failing controller is not retried in a loop (ud_cdc_poll() retries). */
	if (CDC_RARELY(c->tx_req.status == UD_ERR_IO)) {
		CDC_COUNT(c, io_errors, 1);
		if ((c->flags & CDC_F_ON_TX) && n)
			c->cfg->on_tx(c);
		return;
	}
	if ((c->flags & CDC_F_ON_TX) && n)
		c->cfg->on_tx(c);
	/* Relaxed: a hint only; ud_cdc_tx_kick() loads what it uses with acquire. */
	if (UD_LOAD(&c->tx.head) != UD_LOAD(&c->tx.tail) || c->flushing ||
	    UD_LOAD(&c->flush_req) != c->flush_seen ||
	    ((c->tx_rare & CDC_TX_OVW) && cdc_tx_bounced(c)))
		ud_cdc_tx_kick(c); /* more to send, or a flush to finish */
}

void ud_cdc_tx_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	tx_done(CDC_OF(req, tx_req));
}

/* Up to @p len bytes into the transmit ring (under the lock, if there is one); returns how
 * many were taken. Some went into the ring if any were taken (with UD_CDC_TX_OVERWRITE, all
 * are taken and at least one goes in). */
static inline uint32_t tx_put(struct ud_cdc *c, const uint8_t *src, uint32_t len, bool overwrite)
{
	struct ud_ring *r = &c->tx;
	uint32_t taken = len;
	uint32_t head = UD_LOAD(&r->head);
	/* Acquire: the consumer is done with the space before its tail. (Loaded before the size,
	 * which the copy then need not load again.) */
	uint32_t tail = UD_LOAD_ACQ(&r->tail);
	uint32_t room = r->size - cdc_ring_used(head, tail);
	if (len > room) {
		if (overwrite) {
			uint32_t skip = ud_cdc_tx_overwrite(c, len, room);
			src += skip;
			len -= skip;
		} else {
			taken = len = room;
		}
	}
	if (len) {
		cdc_ring_copy(r, head, (uint8_t *)src, len, true);
		/* The bytes before the index that publishes them: release, and sequentially
		 * consistent for a streaming port, which loads the head again after it stored
		 * `starved` (ud_stream.h), and the kick loads `starved` after this store. The
		 * head loaded again, as in rx_take(): only the writer moves it. */
		UD_STORE_SC(&r->head, UD_LOAD(&r->head) + len);
	}
	return taken;
}

uint32_t ud_cdc_write(struct ud_cdc *c, const void *data, uint32_t len)
{
	if (!c || !data)
		return 0;
	if (c->flags & CDC_F_WRITE_SLOW)
		return ring_op_slow(c, (uint8_t *)data, len, true);
	uint32_t n = tx_put(c, data, len, false);
	if (n && c->tx_busy == CDC_ON) /* task mode: send at once if a packet is there now */
		tx_kick_idle(c);
#if UD_STREAMS
	else if (n && c->tx_busy == (CDC_ON | CDC_STREAM))
		ud_ep_stream_kick(c->fn.dev, c->ep_in, &c->tx_stream);
#endif
	return n;
}

int ud_cdc_flush(struct ud_cdc *c)
{
	if (!c)
		return UD_ERR_INVAL;
	ud_cdc_lock(c);
	/* Release: the task that sees the request also sees the bytes written before it. One
	 * writer (or the lock): a load and a store, not an atomic increment. */
	UD_STORE_REL(&c->flush_req, UD_LOAD(&c->flush_req) + 1u);
#if UD_STREAMS
	/* The same for a streaming port (ud_stream.h): everything before the head goes now.
	 * Sequentially consistent, as the head's store. */
	UD_STORE_SC(&c->tx_stream.flush, UD_LOAD(&c->tx.head));
#endif
	ud_cdc_unlock(c);
	cdc_app_changed(c, ud_cdc_tx_kick);
	return 0;
}
