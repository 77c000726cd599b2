/* SPDX-License-Identifier: MIT */
/*
 * The fixture of test_fsdev_stream_out.c and test_fsdev_stream_in.c (fsdev_stream_env.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../unit/stream_fixture.h"
#include "fsdev_stream_env.h"
#include "udcore/ud_ch9.h"

uint8_t ring_buf[RING];
uint8_t bounce[64];
struct ud_ring ring;
struct ud_stream st;
uint8_t pkt[64];

/* The F072 after a bus reset, a fresh 256-byte ring and stream (wake on) with a bounce buffer
 * (OUT needs one; the IN tests drop it where they want cut packets), endpoint @ep open (bulk,
 * 64). */
static void stream_env(uint8_t ep)
{
	env_reset();
	memset(ring_buf, 0xee, sizeof(ring_buf));
	memset(bounce, 0, sizeof(bounce));
	stream_fixture_reset(&ring, ring_buf, RING, &st, bounce);
	st.wake = 1;
	open_ep(ep, UD_EP_BULK, 64);
}

int setup_out(void **state)
{
	env_setup_f072(state);
	stream_env(0x01);
	return 0;
}

int setup_in(void **state)
{
	env_setup_f072(state);
	stream_env(0x81);
	st.bounce = NULL;
	return 0;
}

int stream_op(uint8_t ep, struct ud_stream *s)
{
	return P->ops->ep_stream(P, ep, s);
}

uint32_t head(void)
{
	return UD_LOAD(&ring.head);
}

uint32_t tail(void)
{
	return UD_LOAD(&ring.tail);
}

bool starved(void)
{
	return UD_LOAD(&st.starved) != 0;
}

struct ud_fsdev_ep *ep_state(uint8_t ep)
{
	return &S.port.ep[UD_EP_INDEX(ep)];
}

/* Reports of one kind in `rec`. */
unsigned count(uint8_t kind)
{
	unsigned n = 0;
	for (unsigned i = 0; i < rec.n; i++)
		n += rec.ev[i].kind == kind;
	return n;
}

/* Both indices (and the flush mark) at @p at, the stream not running. */
void ring_at(uint32_t at)
{
	UD_STORE(&ring.head, at);
	UD_STORE(&ring.tail, at);
	UD_STORE(&st.flush, at);
}

/* A new stream on the same ring, as ud_ep_stream_start() starts it (starved, last_full and cut
 * cleared, rest kept): the port is driven without the core. */
void restart(uint8_t ep)
{
	UD_STORE(&st.starved, 0);
	st.last_full = 0;
	st.cut = 0;
	assert_int_equal(stream_op(ep, &st), 0);
}

/* ud_ep_stream_kick() without the core: the port hears of it only while it starves. */
void kick(uint8_t ep)
{
	if (UD_LOAD_SC(&st.starved))
		P->ops->ep_kick(P, ep, &st);
}

void fill(uint8_t *p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 3u);
}
