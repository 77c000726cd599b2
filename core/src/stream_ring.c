/* SPDX-License-Identifier: MIT */
/*
 * The ring arithmetic of endpoint streams (ud_stream.h) that ports run in their interrupt
 * handler, once per packet: where the next packet goes, and publishing it. Apart from
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
