/* SPDX-License-Identifier: MIT */
/*
 * The byte rings of the CDC class (private).
 *
 * A ring of `size` bytes has two free-running indices in [0, 2 * size): `head`, written only by
 * the producer, and `tail`, written only by the consumer. Counting to twice the size tells a
 * full ring (head - tail == size) from an empty one (head == tail) without wasting a byte, and
 * works for any size, not just powers of two, with compares instead of a division (Cortex-M0
 * has no divide instruction).
 *
 * Lock-free single producer / single consumer: the producer writes the bytes, then a release
 * fence, then `head`; the consumer reads `head`, an acquire fence, the bytes, a release fence,
 * then `tail`. The producer reads `tail` and an acquire fence before reusing space.
 */
#ifndef UD_CDC_RING_H
#define UD_CDC_RING_H

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "udcore/ud_cdc.h"

/** Writes before this are visible to the other context before writes after it. */
static inline void cdc_release(void)
{
	atomic_thread_fence(memory_order_release);
}

/** Reads after this see what the other context wrote before its release. */
static inline void cdc_acquire(void)
{
	atomic_thread_fence(memory_order_acquire);
}

/** Bytes between @p tail and @p head. */
static inline uint32_t cdc_ring_used(const struct ud_cdc_ring *r, uint32_t head, uint32_t tail)
{
	return head >= tail ? head - tail : head + 2u * r->size - tail;
}

/** Position in the storage of index @p idx. */
static inline uint32_t cdc_ring_pos(const struct ud_cdc_ring *r, uint32_t idx)
{
	return idx < r->size ? idx : idx - r->size;
}

/** Index @p idx moved on by @p n (n <= size); no overflow for sizes up to 0x7fffffff. */
static inline uint32_t cdc_ring_advance(const struct ud_cdc_ring *r, uint32_t idx, uint32_t n)
{
	uint32_t left = 2u * r->size - idx;
	return n >= left ? n - left : idx + n;
}

void cdc_ring_put_wrap(struct ud_cdc_ring *r, uint32_t pos, const uint8_t *src, uint32_t n);
void cdc_ring_get_wrap(const struct ud_cdc_ring *r, uint32_t pos, uint8_t *dst, uint32_t n);

/** Copy @p n bytes into the ring from index @p idx on, around the end. Inline: the common
 * case is one memcpy. */
static inline void cdc_ring_put(struct ud_cdc_ring *r, uint32_t idx, const uint8_t *src, uint32_t n)
{
	uint32_t pos = cdc_ring_pos(r, idx);

	if (r->size - pos >= n)
		memcpy(r->buf + pos, src, n);
	else
		cdc_ring_put_wrap(r, pos, src, n);
}

/** Copy @p n bytes out of the ring from index @p idx on, around the end. */
static inline void cdc_ring_get(const struct ud_cdc_ring *r, uint32_t idx, uint8_t *dst, uint32_t n)
{
	uint32_t pos = cdc_ring_pos(r, idx);

	if (r->size - pos >= n)
		memcpy(dst, r->buf + pos, n);
	else
		cdc_ring_get_wrap(r, pos, dst, n);
}

#endif /* UD_CDC_RING_H */
