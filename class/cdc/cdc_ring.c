/* SPDX-License-Identifier: MIT */
/* The wrapping halves of the ring copies (the contiguous case is inline in cdc_ring.h). */
#include "cdc_ring.h"

void cdc_ring_put_wrap(struct ud_cdc_ring *r, uint32_t pos, const uint8_t *src, uint32_t n)
{
	uint32_t first = r->size - pos;

	memcpy(r->buf + pos, src, first);
	memcpy(r->buf, src + first, n - first);
}

void cdc_ring_get_wrap(const struct ud_cdc_ring *r, uint32_t pos, uint8_t *dst, uint32_t n)
{
	uint32_t first = r->size - pos;

	memcpy(dst, r->buf + pos, first);
	memcpy(dst + first, r->buf, n - first);
}
