/* SPDX-License-Identifier: MIT */
/*
 * What the endpoint-stream unit tests share (test_stream*.c against the core and the mock
 * port, test_vdc_stream*.c against the vdc): a ring and its stream put back to a known state.
 */
#ifndef STREAM_FIXTURE_H
#define STREAM_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "udcore/ud_stream.h"

/* @p r over @p size bytes of @p storage, empty (head and tail 0), and @p s a zeroed stream on it
 * with bounce buffer @p bounce (may be NULL). The storage's bytes are the caller's. */
static inline void stream_fixture_reset(struct ud_ring *r, uint8_t *storage, uint32_t size,
                                        struct ud_stream *s, uint8_t *bounce)
{
	memset(r, 0, sizeof(*r));
	r->buf = storage;
	r->size = size;
	memset(s, 0, sizeof(*s));
	s->ring = r;
	s->bounce = bounce;
}

#endif /* STREAM_FIXTURE_H */
