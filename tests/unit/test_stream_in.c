/* SPDX-License-Identifier: MIT */
/*
 * IN endpoint streams (stream.c, stream_ring.c, ud_stream.h): ud_ep_stream_start on an IN
 * endpoint against the mock port (fixture: endpoint_fixture.h), and the IN ring helpers a port
 * runs per packet (ud_stream_in_buf, ud_stream_in_commit, ud_stream_in_next, the inline
 * ud_stream_in_step) on a plain ring: whole packets, the flush mark (short packet or ZLP), a
 * ring smaller than a packet, a packet around the ring's end through the bounce buffer or cut
 * there without one, and the wake.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "endpoint_fixture.h"
#include "stream_fixture.h"

#define RING 256u
#define MPS 64u

static uint8_t ring_buf[RING + 16]; /* 16 guard bytes past the end */
static uint8_t bounce[MPS + 8];     /* 8 guard bytes past a max packet */
static struct ud_ring ring;
static struct ud_stream st;
static unsigned polls_a;

static void on_poll(struct ud_function *fn)
{
	if (fn == &fa.fn)
		polls_a++;
}

/* ep_setup, a poll for 'A', a 256-byte ring filled with its own positions (byte i holds i),
 * bounce guard bytes 0xbb, and a stream with a bounce buffer, head, tail and flush 0. */
static int stream_setup(void **state)
{
	ep_setup(state);
	fa.ops.poll = on_poll;
	polls_a = 0;
	for (unsigned i = 0; i < sizeof(ring_buf); i++)
		ring_buf[i] = (uint8_t)i;
	memset(bounce, 0xbb, sizeof(bounce));
	stream_fixture_reset(&ring, ring_buf, RING, &st, bounce);
	return 0;
}

#define ST_T(f) cmocka_unit_test_setup_teardown(f, stream_setup, mock_teardown)

static int start(uint8_t ep)
{
	return ud_ep_stream_start(&mdev, ep, &st);
}

static bool starved(void)
{
	return UD_LOAD(&st.starved) != 0;
}

static uint32_t tail(void)
{
	return UD_LOAD(&ring.tail);
}

/* The writer's and the port's indices, and the flush mark. */
static void set_ring(uint32_t head, uint32_t tail_, uint32_t flush)
{
	UD_STORE(&ring.head, head);
	UD_STORE(&ring.tail, tail_);
	UD_STORE(&st.flush, flush);
}

/* ud_stream_in_buf for a 64-byte max packet; @p *p gets the buffer (left alone on -1). */
static int32_t in_buf(uint8_t **p)
{
	return ud_stream_in_buf(&st, MPS, p);
}

static void commit(uint32_t n)
{
	ud_stream_in_commit(&mdev, EP_IN, &st, n, MPS);
}

/* ---- ud_ep_stream_start on IN ---- */

/* An IN stream needs no bounce buffer (a packet around the end is cut), an OUT stream does:
 * the same stream is refused on OUT and started on IN, the port seeing only the IN start. */
static void test_in_start_without_bounce(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	st.bounce = NULL;
	assert_int_equal(start(EP_OUT), UD_ERR_INVAL);
	assert_int_equal(mock_count(MOCK_EP_STREAM, MOCK_ANY_EP), 0);
	assert_int_equal(start(EP_IN), 0);
	assert_true(ud_ep_streaming(&mdev, EP_IN));
	assert_false(ud_ep_streaming(&mdev, EP_OUT));
	assert_ptr_equal(mock_last(MOCK_EP_STREAM, EP_IN)->stream, &st);
	assert_ptr_equal(mock.ep[UD_EP_INDEX(EP_IN)].stream, &st);
	assert_int_equal(ud_ep_stream_stop(&mdev, EP_IN), 0);
	assert_false(ud_ep_streaming(&mdev, EP_IN));
}

/* An IN ring may be smaller than the max packet (it sends when full), but its size must still
 * be a power of two. */
static void test_in_start_small_ring(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	const uint32_t bad[] = {0, 3, 48, 100};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ring.size = bad[i];
		assert_int_equal(start(EP_IN), UD_ERR_INVAL);
	}
	assert_int_equal(mock_count(MOCK_EP_STREAM, MOCK_ANY_EP), 0);
	ring.size = 16;
	assert_int_equal(start(EP_OUT), UD_ERR_INVAL); /* OUT: at least one packet */
	assert_int_equal(start(EP_IN), 0);
	assert_true(ud_ep_streaming(&mdev, EP_IN));
	assert_int_equal(ud_ep_stream_stop(&mdev, EP_IN), 0);
	ring.size = 1;
	assert_int_equal(start(EP_IN), 0);
}

/* A start opens no transfer of the host's (last_full 0), forgets a cut packet that was loaded
 * and never acknowledged (cut 0), but keeps the rest owed of one that was (rest), and clears
 * starved. */
static void test_in_start_resets_last_full_and_cut_keeps_rest(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	st.last_full = 1;
	st.cut = 5;
	st.rest = 7;
	UD_STORE(&st.starved, 1);
	assert_int_equal(start(EP_IN), 0);
	assert_int_equal(st.last_full, 0);
	assert_int_equal(st.cut, 0);
	assert_int_equal(st.rest, 7);
	assert_false(starved());
}

/* The kick of an IN stream goes to the port only while it starves (set by in_buf finding
 * nothing to send), with the running stream. */
static void test_in_kick_after_starving(void **state)
{
	(void)state;
	uint8_t *p;
	configured(UD_SPEED_FULL);
	assert_int_equal(start(EP_IN), 0);
	mock_clear_log();
	ud_ep_stream_kick(&mdev, EP_IN, &st);
	assert_int_equal(mock_count(MOCK_EP_KICK, EP_IN), 0);
	assert_int_equal(in_buf(&p), -1); /* the port finds nothing */
	UD_STORE_SC(&ring.head, 64);      /* the writer */
	ud_ep_stream_kick(&mdev, EP_IN, &st);
	assert_int_equal(mock_count(MOCK_EP_KICK, EP_IN), 1);
	assert_ptr_equal(mock_last(MOCK_EP_KICK, EP_IN)->stream, &st);
	assert_true(mock_log_has("stream 81 kick"));
}

/* ---- ud_stream_in_buf ---- */

/* An empty ring: -1 and starved; the buffer argument is not written. Once the writer adds a
 * packet, it goes (at the tail) and starved is cleared. */
static void test_in_buf_empty_starves(void **state)
{
	(void)state;
	uint8_t *p = (uint8_t *)&st;
	assert_int_equal(in_buf(&p), -1);
	assert_true(starved());
	assert_ptr_equal(p, (uint8_t *)&st);
	assert_int_equal(in_buf(&p), -1); /* still nothing: still starved */
	assert_true(starved());
	UD_STORE_SC(&ring.head, MPS);
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, ring_buf);
	assert_false(starved());
	assert_int_equal(tail(), 0); /* loading is not sending */
}

/* A whole packet goes at the tail's position, max-packet bytes also when more wait, and also
 * when it ends exactly at the ring's end (no bounce copy). */
static void test_in_buf_whole_packet(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	set_ring(3 * RING + 100 + MPS, 3 * RING + 100, 0);
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, ring_buf + 100);
	set_ring(3 * RING + 100 + 200, 3 * RING + 100, 0);
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, ring_buf + 100);
	set_ring(RING, RING - MPS, 0);
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, ring_buf + RING - MPS);
	assert_int_equal(bounce[0], 0xbb);
	/* Free-running indices across the 32-bit wrap. */
	set_ring(0x10u, 0xffffffc0u, 0);
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, ring_buf + 0xc0);
}

/* Fewer bytes than a packet wait for the flush mark; at the head, they go as one short packet
 * of all of them; a mark inside them sends them all too. */
static void test_in_buf_short_needs_flush(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	set_ring(110, 100, 0); /* flush 0: long carried out */
	assert_int_equal(in_buf(&p), -1);
	assert_true(starved());
	UD_STORE_SC(&st.flush, 110); /* the writer flushes */
	assert_int_equal(in_buf(&p), 10);
	assert_ptr_equal(p, ring_buf + 100);
	assert_false(starved());
	set_ring(110, 100, 105);
	assert_int_equal(in_buf(&p), 10);
	set_ring(RING + MPS - 1, RING, RING + MPS - 1); /* one byte short of a packet */
	assert_int_equal(in_buf(&p), MPS - 1);
	assert_ptr_equal(p, ring_buf);
}

/* Flushed after exactly two whole packets: 64, 64, then a ZLP (at the tail, nothing moves),
 * then nothing: the ZLP is sent once. */
static void test_in_flush_after_whole_packets_zlp(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	set_ring(2 * MPS, 0, 2 * MPS);
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, ring_buf);
	commit(MPS);
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, ring_buf + MPS);
	commit(MPS);
	assert_int_equal(tail(), 2 * MPS);
	assert_int_equal(in_buf(&p), 0); /* the flushed bytes ended with a whole packet */
	assert_ptr_equal(p, ring_buf + 2 * MPS);
	assert_false(starved());
	commit(0);
	assert_int_equal(tail(), 2 * MPS);
	assert_int_equal(st.last_full, 0);
	assert_int_equal(in_buf(&p), -1);
	assert_true(starved());
}

/* A whole packet sent before the writer flushed: the flush at the head (nothing new) still
 * ends the host's transfer with a ZLP. After a short packet it needs none. */
static void test_in_late_flush_after_whole_packet(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	set_ring(MPS, 0, 0);
	assert_int_equal(in_buf(&p), MPS);
	commit(MPS);
	assert_int_equal(in_buf(&p), -1);
	UD_STORE_SC(&st.flush, MPS);
	assert_int_equal(in_buf(&p), 0);

	set_ring(MPS + 10, MPS, MPS + 10);
	assert_int_equal(in_buf(&p), 10);
	commit(10);
	assert_int_equal(st.last_full, 0);
	assert_int_equal(in_buf(&p), -1); /* flush == tail, no whole packet last: nothing */
}

/* A flush already carried out (its mark is flush_done) sends nothing short, and no ZLP even
 * after a whole packet, wherever its mark is from the tail (also 2^32 away); one not carried
 * out yet sends what there is, also bytes written after its mark. */
static void test_in_stale_flush(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	set_ring(110, 100, 50);
	st.flush_done = 50;
	assert_int_equal(in_buf(&p), -1);
	set_ring(110, 100, 99);
	st.flush_done = 99;
	st.last_full = 1;
	assert_int_equal(in_buf(&p), -1);
	st.flush_done = 50; /* the flush at 99 is pending: the 10 bytes past it go too */
	assert_int_equal(in_buf(&p), 10);
	st.last_full = 0;
	set_ring(0x10u, 0xfffffff0u, 0xffffff00u);
	st.flush_done = 0xffffff00u;
	assert_int_equal(in_buf(&p), -1);
	UD_STORE(&st.flush, 0x10u); /* flushed at the head */
	assert_int_equal(in_buf(&p), 32);
	assert_ptr_equal(p, bounce); /* 0xf0..0x10 crosses the end */
}

/* A rest larger than this speed's packet (cut at 512 bytes, the bus now at 64) goes in packets
 * of at most 64, and counts down; with nothing in the ring it sends nothing (no endless ZLPs). */
static void test_in_rest_bounded(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	set_ring(100, 100, 0);
	st.rest = 64;
	assert_int_equal(in_buf(&p), -1);
	set_ring(300, 0, 0);
	st.rest = 200;
	assert_int_equal(in_buf(&p), MPS);
	commit(MPS);
	assert_int_equal(st.rest, 200 - MPS);
	assert_int_equal(in_buf(&p), MPS);
}

/* A ring smaller than a packet sends when full (a short packet of all of it), before only with
 * a flush; such a packet is not a whole one (last_full stays 0: no ZLP after it). */
static void test_in_small_ring_sends_when_full(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	ring.size = 32;
	set_ring(20, 0, 0);
	assert_int_equal(in_buf(&p), -1);
	UD_STORE(&ring.head, 32);
	assert_int_equal(in_buf(&p), 32);
	assert_ptr_equal(p, ring_buf);
	commit(32);
	assert_int_equal(st.last_full, 0);
	UD_STORE(&st.flush, 32);
	assert_int_equal(in_buf(&p), -1); /* no ZLP */
	set_ring(52, 32, 52);
	assert_int_equal(in_buf(&p), 20);
	/* Full around its end: through the bounce buffer, in order. */
	set_ring(48, 16, 0);
	assert_int_equal(in_buf(&p), 32);
	assert_ptr_equal(p, bounce);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(bounce[i], ring_buf[(16 + i) & 31u]);
	assert_int_equal(bounce[32], 0xbb);
}

/* ---- around the ring's end ---- */

/* With a bounce buffer a packet across the end goes whole: the bytes from the tail to the end,
 * then from the start, in order, nothing past a packet written; a short one the same way. */
static void test_in_bounce_around_end(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	set_ring(5 * RING + 200 + MPS, 5 * RING + 200, 0); /* 56 bytes to the end */
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, bounce);
	for (unsigned i = 0; i < 56; i++)
		assert_int_equal(bounce[i], 200 + i);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(bounce[56 + i], i);
	assert_int_equal(bounce[MPS], 0xbb);
	assert_int_equal(st.cut, 0);
	commit(MPS);
	assert_int_equal(tail(), 5 * RING + 200 + MPS);
	assert_int_equal(st.rest, 0);
	assert_int_equal(st.last_full, 1);

	memset(bounce, 0xbb, sizeof(bounce));
	set_ring(260, 250, 260); /* 6 + 4 bytes, flushed */
	assert_int_equal(in_buf(&p), 10);
	assert_ptr_equal(p, bounce);
	const uint8_t want[] = {250, 251, 252, 253, 254, 255, 0, 1, 2, 3};
	assert_memory_equal(bounce, want, sizeof(want));
	assert_int_equal(bounce[10], 0xbb);
}

/* Without a bounce buffer the packet is cut at the end: the piece (to_end bytes, in place)
 * goes first; once the host took it, its rest goes next, at the ring's start, though shorter
 * than a packet and without a flush, and not more than the rest though a whole packet waits
 * behind it. After the rest, whole packets again, and nothing owed. */
static void test_in_cut_without_bounce(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	st.bounce = NULL;
	set_ring(200 + MPS + MPS, 200, 0);
	assert_int_equal(in_buf(&p), 56);
	assert_ptr_equal(p, ring_buf + 200);
	assert_int_equal(st.cut, 8);
	assert_int_equal(st.rest, 0);
	commit(56);
	assert_int_equal(tail(), RING);
	assert_int_equal(st.rest, 8);
	assert_int_equal(st.cut, 0);
	assert_int_equal(st.last_full, 0);
	assert_int_equal(in_buf(&p), 8);
	assert_ptr_equal(p, ring_buf);
	commit(8);
	assert_int_equal(tail(), 200 + MPS);
	assert_int_equal(st.rest, 0);
	assert_int_equal(in_buf(&p), MPS);
	assert_ptr_equal(p, ring_buf + 8);
	commit(MPS);
	assert_int_equal(in_buf(&p), -1); /* nothing owed, nothing flushed */
}

/* A cut short packet (a flush across the end) leaves its rest owed the same way. */
static void test_in_cut_short_flushed(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	st.bounce = NULL;
	set_ring(260, 250, 260);
	assert_int_equal(in_buf(&p), 6);
	assert_ptr_equal(p, ring_buf + 250);
	commit(6);
	assert_int_equal(st.rest, 4);
	assert_int_equal(in_buf(&p), 4);
	assert_ptr_equal(p, ring_buf);
	commit(4);
	assert_int_equal(st.rest, 0);
	assert_int_equal(tail(), 260);
	assert_int_equal(in_buf(&p), -1);
}

/* A cut piece loaded but not acknowledged owes nothing: loaded again (after a stop: start
 * clears cut) it is cut the same way, and the rest comes only after it. */
static void test_in_cut_not_taken_owes_nothing(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	st.bounce = NULL;
	set_ring(200 + MPS, 200, 0);
	assert_int_equal(in_buf(&p), 56);
	st.cut = 0; /* what a new stream's start does */
	assert_int_equal(st.rest, 0);
	assert_int_equal(in_buf(&p), 56);
	assert_ptr_equal(p, ring_buf + 200);
	assert_int_equal(st.cut, 8);
}

/* ---- ud_stream_in_commit ---- */

/* The commit moves the tail by n (also across the 32-bit wrap); last_full only for exactly a
 * max packet (not 63, not a ZLP); no wake without `wake`. */
static void test_in_commit_tail_and_last_full(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	mock_run();
	set_ring(0, 0xffffffc0u, 0);
	commit(MPS);
	assert_int_equal(tail(), 0);
	assert_int_equal(st.last_full, 1);
	commit(MPS - 1);
	assert_int_equal(tail(), MPS - 1);
	assert_int_equal(st.last_full, 0);
	commit(MPS);
	assert_int_equal(st.last_full, 1);
	commit(0);
	assert_int_equal(tail(), 2 * MPS - 1);
	assert_int_equal(st.last_full, 0);
	mock_run();
	assert_int_equal(polls_a, 0);
}

/* With `wake` each commit wakes the endpoint's owner, whose poll runs from ud_task(). */
static void test_in_commit_wakes_with_wake(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	mock_run();
	st.wake = 1;
	set_ring(100, 0, 0);
	commit(MPS);
	assert_int_equal(polls_a, 0); /* not before ud_task() */
	mock_run();
	assert_int_equal(polls_a, 1);
	commit(0);
	mock_run();
	assert_int_equal(polls_a, 2);
}

/* ---- ud_stream_in_step against ud_stream_in_next ---- */

struct in_result {
	int32_t n;
	uint8_t *buf;
	uint32_t tail;
	uint8_t last_full, starved;
	uint16_t cut, rest;
	uint8_t bounce[MPS];
};

/* From tail @p t, head @p h, flush @p f, @p cut and @p rest, commit @p n bytes and load the
 * next packet with ud_stream_in_step (@p step) or ud_stream_in_next. */
static struct in_result in_after(bool step, uint32_t h, uint32_t t, uint32_t f, uint16_t cut,
                                 uint16_t rest, uint32_t n)
{
	struct in_result r;
	uint8_t *p = (uint8_t *)&r;

	set_ring(h, t, f);
	st.cut = cut;
	st.rest = rest;
	st.last_full = 0;
	st.flush_pkt = 0; /* the packet taken did not end a flush; none was carried out */
	st.flush_done = 0;
	UD_STORE(&st.starved, 0);
	memset(bounce, 0xbb, sizeof(bounce));
	if (step)
		r.n = ud_stream_in_step(&mdev, EP_IN, &st, n, MPS, &p);
	else
		r.n = ud_stream_in_next(&mdev, EP_IN, &st, n, MPS, &p);
	r.buf = r.n >= 0 ? p : NULL;
	r.tail = tail();
	r.last_full = st.last_full;
	r.starved = UD_LOAD(&st.starved);
	r.cut = st.cut;
	r.rest = st.rest;
	memcpy(r.bounce, bounce, MPS);
	return r;
}

/* The step's result is the call's: same length, buffer, tail, marks and bounce contents; and
 * it is @p want_n at @p want_buf. */
static void assert_step_is_next(uint32_t h, uint32_t t, uint32_t f, uint16_t cut, uint16_t rest,
                                uint32_t n, int32_t want_n, const uint8_t *want_buf)
{
	struct in_result a = in_after(true, h, t, f, cut, rest, n);
	struct in_result b = in_after(false, h, t, f, cut, rest, n);
	assert_int_equal(a.n, b.n);
	assert_ptr_equal(a.buf, b.buf);
	assert_int_equal(a.tail, b.tail);
	assert_int_equal(a.last_full, b.last_full);
	assert_int_equal(a.starved, b.starved);
	assert_int_equal(a.cut, b.cut);
	assert_int_equal(a.rest, b.rest);
	assert_memory_equal(a.bounce, b.bounce, MPS);
	assert_int_equal(a.n, want_n);
	assert_ptr_equal(a.buf, want_buf);
	assert_int_equal(a.tail, t + n);
}

/* The fast path (a whole packet taken, another whole one behind it before the end) and each
 * fallback: the next one short (unflushed, flushed), flushed to a ZLP, across the end (bounce,
 * or cut without it), a short packet taken, a cut piece taken (its rest next). */
static void test_in_step_equals_next(void **state)
{
	(void)state;
	assert_step_is_next(3 * MPS, MPS, 0, 0, 0, MPS, MPS, ring_buf + 2 * MPS);
	assert_step_is_next(RING, RING - 2 * MPS, 0, 0, 0, MPS, MPS, ring_buf + RING - MPS);
	assert_step_is_next(100, 0, 0, 0, 0, MPS, -1, NULL);
	assert_step_is_next(100, 0, 100, 0, 0, MPS, 36, ring_buf + MPS);
	assert_step_is_next(MPS, 0, MPS, 0, 0, MPS, 0, ring_buf + MPS);
	assert_step_is_next(200 + MPS, 200 - MPS, 0, 0, 0, MPS, MPS, bounce);
	st.bounce = NULL;
	assert_step_is_next(200 + MPS, 200 - MPS, 0, 0, 0, MPS, 56, ring_buf + 200);
	assert_step_is_next(RING + MPS, 200, 0, 8, 0, 56, 8, ring_buf);
	st.bounce = bounce;
	assert_step_is_next(MPS + 10, 0, MPS + 10, 0, 0, 10, MPS, ring_buf + 10);
}

/* With `wake` the step wakes the owner as the call does, also for a whole packet. */
static void test_in_step_wakes(void **state)
{
	(void)state;
	uint8_t *p = NULL;
	configured(UD_SPEED_FULL);
	mock_run();
	st.wake = 1;
	set_ring(3 * MPS, 0, 0);
	assert_int_equal(ud_stream_in_step(&mdev, EP_IN, &st, MPS, MPS, &p), MPS);
	assert_ptr_equal(p, ring_buf + MPS);
	mock_run();
	assert_int_equal(polls_a, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ST_T(test_in_start_without_bounce),
		ST_T(test_in_start_small_ring),
		ST_T(test_in_start_resets_last_full_and_cut_keeps_rest),
		ST_T(test_in_kick_after_starving),
		ST_T(test_in_buf_empty_starves),
		ST_T(test_in_buf_whole_packet),
		ST_T(test_in_buf_short_needs_flush),
		ST_T(test_in_flush_after_whole_packets_zlp),
		ST_T(test_in_late_flush_after_whole_packet),
		ST_T(test_in_stale_flush),
		ST_T(test_in_rest_bounded),
		ST_T(test_in_small_ring_sends_when_full),
		ST_T(test_in_bounce_around_end),
		ST_T(test_in_cut_without_bounce),
		ST_T(test_in_cut_short_flushed),
		ST_T(test_in_cut_not_taken_owes_nothing),
		ST_T(test_in_commit_tail_and_last_full),
		ST_T(test_in_commit_wakes_with_wake),
		ST_T(test_in_step_equals_next),
		ST_T(test_in_step_wakes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
