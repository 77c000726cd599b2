/* SPDX-License-Identifier: MIT */
/*
 * The ring arithmetic of endpoint streams (ud_stream.h) that ports run in their interrupt
 * handler, once per packet: where the next packet goes (OUT) or comes from (IN), and
 * committing the one that moved. Apart from
 * stream.c, and on public headers only, so that a port's unit tests can link it alone.
 */
#include <string.h>

#include "udcore/udcore.h"

uint8_t *ud_stream_out_buf(struct ud_stream *s, uint16_t max_packet)
{
	struct ud_ring *r = s->ring;
	uint32_t size = r->size;
	uint32_t head = UD_LOAD(&r->head); /* the port's own index */

	/* Acquire: the reader is done with the bytes before its tail before they are reused. */
	if (size - (head - UD_LOAD_ACQ(&r->tail)) < max_packet) {
		/* No room: say so, then look again (ud_stream.h: the reader stores its tail, then
		 * loads `starved`; one of the two sides sees the other's store). */
		UD_STREAM_WINDOW(s);
		UD_STORE_SC(&s->starved, 1);
		if (size - (head - UD_LOAD_SC(&r->tail)) < max_packet)
			return NULL;
	}
	if (UD_LOAD(&s->starved))
		UD_STORE(&s->starved, 0);
	uint32_t pos = head & (size - 1u);
	return size - pos >= max_packet ? r->buf + pos : s->bounce;
}

void ud_stream_out_commit(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                          uint16_t max_packet)
{
	struct ud_ring *r = s->ring;
	uint32_t size = r->size;
	uint32_t head = UD_LOAD(&r->head);
	uint32_t pos = head & (size - 1u);
	uint32_t to_end = size - pos;

	if (n > max_packet) /* a port bug: never past what ud_stream_out_buf() allowed */
		n = max_packet;
	if (to_end < max_packet) { /* ud_stream_out_buf() gave the bounce buffer */
		uint32_t first = n < to_end ? n : to_end;
		memcpy(r->buf + pos, s->bounce, first);
		memcpy(r->buf, s->bounce + first, n - first);
	}
	/* Release: the bytes before the index that publishes them. */
	UD_STORE_REL(&r->head, head + n);
	if (s->wake)
		ud_port_report_stream(dev, ep);
}

uint8_t *ud_stream_out_next(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                            uint16_t max_packet)
{
	ud_stream_out_commit(dev, ep, s, n, max_packet);
	return ud_stream_out_buf(s, max_packet);
}

/* ---- IN ---- */

/* The length of the next IN packet, given the writer's @p flush and @p head (flush loaded
 * first) and the port's @p tail; -1 if nothing goes now. A flush is pending while its mark
 * differs from `flush_done`, the mark of the last one carried out: its packet (a short one,
 * or a ZLP after whole packets) sets `flush_pkt`, and its commit carries the mark over. */
static inline int32_t in_len(struct ud_stream *s, uint32_t flush, uint32_t head, uint32_t tail,
                             uint16_t max_packet)
{
	uint32_t avail = head - tail;

	s->flush_pkt = 0;
	if (s->rest && avail) { /* the rest of a whole packet cut at the ring's end goes now */
		uint32_t n = s->rest < avail ? s->rest : avail;
		return (int32_t)(n < max_packet ? n : max_packet);
	}
	if (avail >= max_packet || (avail && avail == s->ring->size))
		return (int32_t)(avail < max_packet ? avail : max_packet);
	if (flush == s->flush_done)
		return -1;           /* a partial packet waits for a flush */
	if (avail || s->last_full) { /* a short packet, or a ZLP, ends the host's transfer */
		s->flush_pkt = 1;
		s->flush_load = flush;
		return (int32_t)avail;
	}
	s->flush_done = flush; /* nothing sent since the transfer ended short: nothing to do */
	return -1;
}

/* The @p n bytes at ring position @p pos, @p to_end of them before the end, copied into the
 * bounce buffer. Apart, so that ud_stream_in_buf() needs no stack frame. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static uint8_t *
in_bounce(struct ud_stream *s, uint32_t pos, uint32_t to_end, uint32_t n)
{
	const struct ud_ring *r = s->ring;

	memcpy(s->bounce, r->buf + pos, to_end);
	memcpy(s->bounce + to_end, r->buf, n - to_end);
	return s->bounce;
}

/* ud_stream_in_buf() but for its common case (ud_stream_in_quick()). Apart, so that the
 * common case needs no stack frame. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static int32_t
in_buf_general(struct ud_stream *s, uint16_t max_packet, uint8_t **buf)
{
	struct ud_ring *r = s->ring;
	uint32_t tail = UD_LOAD(&r->tail); /* the port's own index */
	/* Acquire, the flush mark first: the head it was set from is then visible, so the mark
	 * is never past the head loaded. */
	uint32_t flush = UD_LOAD_ACQ(&s->flush);
	int32_t n = in_len(s, flush, UD_LOAD_ACQ(&r->head), tail, max_packet);

	if (n < 0) {
		/* Nothing to send: say so, then look again (the writer stores its head or flush
		 * mark, then loads `starved`; one of the two sides sees the other's store). */
		UD_STREAM_WINDOW(s);
		UD_STORE_SC(&s->starved, 1);
		flush = UD_LOAD_SC(&s->flush);
		n = in_len(s, flush, UD_LOAD_SC(&r->head), tail, max_packet);
		if (n < 0)
			return -1;
	}
	if (UD_LOAD(&s->starved))
		UD_STORE(&s->starved, 0);
	uint32_t pos = tail & (r->size - 1u);
	uint32_t to_end = r->size - pos;
	s->cut = 0;
	if (to_end >= (uint32_t)n) {
		*buf = r->buf + pos;
	} else if (!s->bounce) { /* cut at the end: a short packet, the rest follows */
		*buf = r->buf + pos;
		s->cut = (uint16_t)((uint32_t)n - to_end);
		s->flush_pkt = 0; /* the piece never ends a flush: its rest is still to go */
		return (int32_t)to_end;
	} else { /* around the end: the packet goes from the bounce buffer */
		*buf = in_bounce(s, pos, to_end, (uint32_t)n);
	}
	return n;
}

int32_t ud_stream_in_buf(struct ud_stream *s, uint16_t max_packet, uint8_t **buf)
{
	uint8_t *quick = ud_stream_in_quick(s, max_packet);

	if (!quick)
		return in_buf_general(s, max_packet, buf);
	*buf = quick;
	return max_packet;
}

void ud_stream_in_commit(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                         uint16_t max_packet)
{
	struct ud_ring *r = s->ring;

	/* Release: the controller has read the bytes before the writer may reuse the space. */
	UD_STORE_REL(&r->tail, UD_LOAD(&r->tail) + n);
	s->last_full = n == max_packet;
	/* A cut piece the host took leaves its rest owed; what of the rest it took, less. */
	if (s->cut)
		s->rest = s->cut;
	else if (s->rest)
		s->rest = (uint16_t)(s->rest > n ? s->rest - n : 0);
	s->cut = 0;
	if (s->flush_pkt) /* the packet that ended a flush went: that flush is carried out */
		s->flush_done = s->flush_load;
	s->flush_pkt = 0;
	if (s->wake)
		ud_port_report_stream(dev, ep);
}

int32_t ud_stream_in_next(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                          uint16_t max_packet, uint8_t **buf)
{
	ud_stream_in_commit(dev, ep, s, n, max_packet);
	return ud_stream_in_buf(s, max_packet, buf);
}
