/* SPDX-License-Identifier: MIT */
/*
 * Endpoint streams (stream.c, stream_ring.c, ud_stream.h) against the mock port (fixture:
 * endpoint_fixture.h): the return codes of ud_ep_stream_start/stop, what the port's ep_stream
 * sees (start, kick, stop), requests refused while a stream runs, the stream ended by closing
 * the endpoint and kept by a halt, the wake of the owning function; and the ring helpers a
 * port runs per packet (ud_stream_out_buf, ud_stream_out_commit) on a plain ring.
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

static uint8_t ring_buf[RING + 16]; /* 16 guard bytes past the end */
static uint8_t bounce[64];
static struct ud_ring ring;
static struct ud_stream st;
static struct mock_fn fb;
static unsigned polls_a, polls_b;

static void on_poll(struct ud_function *fn)
{
	if (fn == &fa.fn)
		polls_a++;
	else if (fn == &fb.fn)
		polls_b++;
}

/* ep_setup, a poll for 'A' and 'B', and a fresh 256-byte ring and stream with head and tail 0. */
static int stream_setup(void **state)
{
	ep_setup(state);
	fa.ops.poll = on_poll;
	mock_fn_init(&fb, 'B', mock_bind_pair);
	fb.ops.poll = on_poll;
	polls_a = polls_b = 0;
	memset(ring_buf, 0xee, sizeof(ring_buf));
	memset(bounce, 0, sizeof(bounce));
	stream_fixture_reset(&ring, ring_buf, RING, &st, bounce);
	return 0;
}

#define ST_T(f) cmocka_unit_test_setup_teardown(f, stream_setup, mock_teardown)

static int start(uint8_t ep)
{
	return ud_ep_stream_start(&mdev, ep, &st);
}

/* Configured, the stream running on EP_OUT, the log cleared. */
static void streaming(void)
{
	configured(UD_SPEED_FULL);
	assert_int_equal(start(EP_OUT), 0);
	assert_true(ud_ep_streaming(&mdev, EP_OUT));
	mock_clear_log();
}

/* ---- ud_ep_stream_start ---- */

/* Each malformed argument is refused before the port hears of it. */
static void test_start_inval(void **state)
{
	(void)state;
	struct ud_ring noring = {.buf = NULL, .size = RING};
	configured(UD_SPEED_FULL);

	assert_int_equal(ud_ep_stream_start(NULL, EP_OUT, &st), UD_ERR_INVAL);
	assert_int_equal(ud_ep_stream_start(&mdev, EP_OUT, NULL), UD_ERR_INVAL);
	st.ring = NULL;
	assert_int_equal(start(EP_OUT), UD_ERR_INVAL);
	st.ring = &noring;
	assert_int_equal(start(EP_OUT), UD_ERR_INVAL);
	st.ring = &ring;
	st.bounce = NULL;
	assert_int_equal(start(EP_OUT), UD_ERR_INVAL);
	st.bounce = bounce;
	assert_int_equal(start(0x00), UD_ERR_INVAL);
	assert_int_equal(start(0x80), UD_ERR_INVAL);
	assert_int_equal(start(0x11), UD_ERR_INVAL); /* reserved address bits */
	assert_int_equal(start(UD_MAX_EP_NUM), UD_ERR_INVAL);
	assert_int_equal(start(0x0f), UD_ERR_INVAL);
	/* EP_OUT's max packet is 64: sizes that are not a power of two, or smaller. */
	const uint32_t bad[] = {0, 32, 63, 96, 100, 192, 257};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ring.size = bad[i];
		assert_int_equal(start(EP_OUT), UD_ERR_INVAL);
	}
	assert_int_equal(mock_count(MOCK_EP_STREAM, MOCK_ANY_EP), 0);
	assert_false(ud_ep_streaming(&mdev, EP_OUT));
	/* The smallest ring allowed: one max packet. */
	ring.size = 64;
	assert_int_equal(start(EP_OUT), 0);
	assert_true(ud_ep_streaming(&mdev, EP_OUT));
}

/* The size check uses the endpoint's max packet at the current speed: 512 at high speed. */
static void test_start_ring_vs_high_speed_packet(void **state)
{
	(void)state;
	configured(UD_SPEED_HIGH);
	assert_int_equal(start(EP_OUT), UD_ERR_INVAL); /* 256 < 512 */
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 0);
	ring.size = 512;
	assert_int_equal(start(EP_OUT), 0);
}

/* A closed endpoint (device not configured, or an endpoint not in the configuration) is
 * refused with STATE. */
static void test_start_not_open(void **state)
{
	(void)state;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(start(EP_OUT), UD_ERR_STATE); /* default state, not configured */
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(start(0x05), UD_ERR_STATE); /* never allocated */
	assert_int_equal(mock_count(MOCK_EP_STREAM, MOCK_ANY_EP), 0);
	assert_int_equal(start(EP_OUT), 0);
}

/* A port without ep_stream: NOTSUP, and requests still work. */
static void test_start_notsup(void **state)
{
	(void)state;
	struct ud_req r;

	mock.ops.ep_stream = NULL;
	configured(UD_SPEED_FULL);
	assert_int_equal(start(EP_OUT), UD_ERR_NOTSUP);
	assert_false(ud_ep_streaming(&mdev, EP_OUT));
	mock_req_init(&r, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_OUT, &r), 0);
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_OUT), 1);
	mock_xfer_done(EP_OUT, 0, UD_OK);
	mock_run();
}

/* Queued requests or a running stream: BUSY, and the port is not asked to start. */
static void test_start_busy(void **state)
{
	(void)state;
	struct ud_req r;
	struct ud_stream other = {.ring = &ring, .bounce = bounce};

	configured(UD_SPEED_FULL);
	mock_req_init(&r, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_OUT, &r), 0);
	assert_int_equal(start(EP_OUT), UD_ERR_BUSY);
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 0);
	mock_out_data(EP_OUT, "x", 1);
	mock_run();
	assert_int_equal(mock_ndone, 1);

	/* The request has completed: the endpoint is free. */
	assert_int_equal(start(EP_OUT), 0);
	assert_int_equal(start(EP_OUT), UD_ERR_BUSY);
	assert_int_equal(ud_ep_stream_start(&mdev, EP_OUT, &other), UD_ERR_BUSY);
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 1);
}

/* The port's error comes back as it is, and the endpoint does not stream. */
static void test_start_port_error(void **state)
{
	(void)state;
	struct ud_req r;

	configured(UD_SPEED_FULL);
	mock.ep_stream_rc = UD_ERR_NOSPACE;
	assert_int_equal(start(EP_OUT), UD_ERR_NOSPACE);
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 1);
	assert_false(ud_ep_streaming(&mdev, EP_OUT));
	mock_req_init(&r, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_OUT, &r), 0); /* not BUSY: no stream */
	mock_xfer_done(EP_OUT, 0, UD_OK);
	mock_run();
	mock.ep_stream_rc = 0;
	assert_int_equal(start(EP_OUT), 0);
}

/* A start hands the port the stream, with `starved` cleared first. */
static void test_start_passes_stream(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	UD_STORE(&st.starved, 1); /* left over from an earlier stream */
	assert_int_equal(start(EP_OUT), 0);
	const struct mock_call *c = mock_last(MOCK_EP_STREAM, EP_OUT);
	assert_non_null(c);
	assert_ptr_equal(c->stream, &st);
	assert_false((UD_LOAD(&st.starved) != 0));
	assert_ptr_equal(mock.ep[UD_EP_INDEX(EP_OUT)].stream, &st);
}

/* ---- stop, streaming, submit ---- */

/* Stop: INVAL, NOENT, 0 (the port sees NULL); then NOENT again. */
static void test_stop(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	assert_int_equal(ud_ep_stream_stop(NULL, EP_OUT), UD_ERR_INVAL);
	assert_int_equal(ud_ep_stream_stop(&mdev, 0x00), UD_ERR_INVAL);
	assert_int_equal(ud_ep_stream_stop(&mdev, 0x80), UD_ERR_INVAL);
	assert_int_equal(ud_ep_stream_stop(&mdev, 0x11), UD_ERR_INVAL);
	assert_int_equal(ud_ep_stream_stop(&mdev, UD_MAX_EP_NUM), UD_ERR_INVAL);
	assert_int_equal(ud_ep_stream_stop(&mdev, EP_OUT), UD_ERR_NOENT); /* open, no stream */
	assert_int_equal(ud_ep_stream_stop(&mdev, 0x05), UD_ERR_NOENT);   /* closed */
	assert_int_equal(mock_count(MOCK_EP_STREAM, MOCK_ANY_EP), 0);

	assert_int_equal(start(EP_OUT), 0);
	assert_int_equal(ud_ep_stream_stop(&mdev, EP_OUT), 0);
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 2);
	assert_null(mock_last(MOCK_EP_STREAM, EP_OUT)->stream);
	assert_false(ud_ep_streaming(&mdev, EP_OUT));
	assert_int_equal(ud_ep_stream_stop(&mdev, EP_OUT), UD_ERR_NOENT);
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 2);
	/* A new stream may start on the same ring. */
	assert_int_equal(start(EP_OUT), 0);
}

/* ud_ep_streaming: true only for the open endpoint that streams. */
static void test_streaming_query(void **state)
{
	(void)state;
	streaming();
	assert_true(ud_ep_streaming(&mdev, EP_OUT));
	assert_false(ud_ep_streaming(NULL, EP_OUT));
	assert_false(ud_ep_streaming(&mdev, EP_IN));
	assert_false(ud_ep_streaming(&mdev, 0x00));
	assert_false(ud_ep_streaming(&mdev, 0x11));
	assert_false(ud_ep_streaming(&mdev, 0x05));
}

/* Submit is BUSY while the stream runs (the port sees no ep_xfer), 0 after the stop. */
static void test_submit_busy_while_streaming(void **state)
{
	(void)state;
	struct ud_req r;

	streaming();
	mock_req_init(&r, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_OUT, &r), UD_ERR_BUSY);
	assert_int_equal(ud_ep_queued(&mdev, EP_OUT), 0);
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_OUT), 0);
	/* r was not queued (else BUSY here); another endpoint is not affected. */
	assert_int_equal(mock_submit(EP_IN, &r), 0);
	mock_xfer_done(EP_IN, 64, UD_OK);
	mock_run();
	assert_int_equal(mock_ndone, 1);

	assert_int_equal(ud_ep_stream_stop(&mdev, EP_OUT), 0);
	assert_int_equal(mock_submit(EP_OUT, &r), 0);
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_OUT), 1);
	mock_out_data(EP_OUT, "abc", 3);
	mock_run();
	assert_int_equal(mock_ndone, 2);
	assert_int_equal(mock_done[1].actual, 3);
}

/* ---- kick ---- */

/* The kick asks the port only when `starved` is set, and passes the stream to its ep_kick,
 * never to ep_stream (where a stream is a start). */
static void test_kick_only_when_starved(void **state)
{
	(void)state;
	streaming();
	ud_ep_stream_kick(&mdev, EP_OUT, &st);
	assert_int_equal(mock_count(MOCK_EP_KICK, EP_OUT), 0);
	UD_STORE(&st.starved, 1);
	ud_ep_stream_kick(&mdev, EP_OUT, &st);
	assert_int_equal(mock_count(MOCK_EP_KICK, EP_OUT), 1);
	assert_ptr_equal(mock_last(MOCK_EP_KICK, EP_OUT)->stream, &st);
	assert_true(mock_log_has("stream 01 kick"));
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 0); /* nothing but the kick */
	/* A kick to a stopped stream goes to the port as a kick, which ignores it (ud_port.h):
	 * it starts nothing. */
	assert_int_equal(ud_ep_stream_stop(&mdev, EP_OUT), 0);
	mock_clear_log();
	UD_STORE(&st.starved, 1);
	ud_ep_stream_kick(&mdev, EP_OUT, &st);
	assert_true(mock_log_has("stream 01 kick ignored"));
	assert_int_equal(mock_count(MOCK_EP_STREAM, MOCK_ANY_EP), 0);
	assert_false(ud_ep_streaming(&mdev, EP_OUT));
}

/* A port with ep_stream but no ep_kick cannot stream: kicks would have nowhere to go. */
static void test_no_kick_op_notsup(void **state)
{
	(void)state;
	configured(UD_SPEED_FULL);
	mock.ops.ep_kick = NULL;
	assert_int_equal(ud_ep_stream_start(&mdev, EP_OUT, &st), UD_ERR_NOTSUP);
	assert_int_equal(mock_count(MOCK_EP_STREAM, MOCK_ANY_EP), 0);
}

/* ---- the endpoint closing ends the stream ---- */

/* After the stream ended by a close, the endpoint (re-opened) takes requests and streams. */
static void assert_ended_then_usable(void)
{
	struct ud_req r;

	assert_false(ud_ep_streaming(&mdev, EP_OUT));
	assert_null(mock.ep[UD_EP_INDEX(EP_OUT)].stream); /* the port's ep_close ended it */
	assert_int_equal(ud_ep_stream_stop(&mdev, EP_OUT), UD_ERR_NOENT);
	mock_req_init(&r, 9, buf[2], 64);
	assert_int_equal(mock_submit(EP_OUT, &r), 0);
	assert_int_equal(mock_count(MOCK_EP_XFER, EP_OUT), 1);
	assert_int_equal(ud_ep_stream_start(&mdev, EP_OUT, &st), UD_ERR_BUSY);
	mock_out_data(EP_OUT, "z", 1);
	mock_run();
	assert_int_equal(mock_times_done(&r), 1);
	assert_int_equal(start(EP_OUT), 0);
}

/* SET_CONFIGURATION(0) closes the endpoint: no stream; after SET_CONFIGURATION(1) requests work. */
static void test_deconfigure_ends_stream(void **state)
{
	(void)state;
	struct ud_req r;

	streaming();
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(mock_count(MOCK_EP_CLOSE, EP_OUT), 1);
	assert_false(ud_ep_streaming(&mdev, EP_OUT));
	mock_req_init(&r, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_OUT, &r), UD_ERR_STATE); /* closed, not BUSY */
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL), MOCK_ACK);
	mock_clear_log();
	assert_ended_then_usable();
}

/* A bus reset closes the endpoint: no stream; after enumeration requests work. */
static void test_bus_reset_ends_stream(void **state)
{
	(void)state;
	streaming();
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(mock_count(MOCK_EP_CLOSE, EP_OUT), 1);
	assert_false(ud_ep_streaming(&mdev, EP_OUT));
	mock_enumerate(UD_SPEED_FULL);
	mock_clear_log();
	assert_ended_then_usable();
}

/* SET_INTERFACE re-opens the interface's endpoints: the stream ends there too. */
static void test_set_interface_ends_stream(void **state)
{
	(void)state;
	streaming();
	assert_int_equal(mock_ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(mock_count(MOCK_EP_CLOSE, EP_OUT), 1);
	mock_clear_log();
	assert_ended_then_usable();
}

/* ---- halt ---- */

/* A halt pauses the stream at the port (ep_stall), it does not end it: no abort, no stop, and
 * the stream still runs once the halt is cleared. */
static void test_halt_keeps_stream(void **state)
{
	(void)state;
	streaming();
	assert_int_equal(ud_ep_set_halt(&mdev, EP_OUT), 0);
	assert_true(mock_stalled(EP_OUT));
	assert_true(ud_ep_is_halted(&mdev, EP_OUT));
	assert_true(ud_ep_streaming(&mdev, EP_OUT));
	assert_int_equal(ud_ep_clear_halt(&mdev, EP_OUT), 0);
	assert_false(mock_stalled(EP_OUT));
	assert_int_equal(mock_count(MOCK_EP_STALL, EP_OUT), 2);
	assert_false(mock_last(MOCK_EP_STALL, EP_OUT)->flag);
	assert_int_equal(mock_count(MOCK_EP_ABORT, EP_OUT), 0);
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 0);
	assert_true(ud_ep_streaming(&mdev, EP_OUT));
	assert_ptr_equal(mock.ep[UD_EP_INDEX(EP_OUT)].stream, &st);

	/* The host's SET_FEATURE / CLEAR_FEATURE(ENDPOINT_HALT) the same way. */
	assert_int_equal(mock_ctrl(0x02, UD_REQ_SET_FEATURE, 0, EP_OUT, 0, NULL, NULL), MOCK_ACK);
	assert_true(mock_stalled(EP_OUT));
	assert_int_equal(mock_ctrl(0x02, UD_REQ_CLEAR_FEATURE, 0, EP_OUT, 0, NULL, NULL), MOCK_ACK);
	assert_false(mock_stalled(EP_OUT));
	assert_int_equal(mock_count(MOCK_EP_ABORT, EP_OUT), 0);
	assert_int_equal(mock_count(MOCK_EP_STREAM, EP_OUT), 0);
	assert_true(ud_ep_streaming(&mdev, EP_OUT));
	struct ud_req r;
	mock_req_init(&r, 1, buf[0], 64);
	assert_int_equal(mock_submit(EP_OUT, &r), UD_ERR_BUSY);
}

/* ---- the wake ---- */

/* ud_port_report_stream wakes the function that owns the endpoint, and only that one: its poll
 * runs from ud_task(). */
static void test_report_stream_wakes_owner(void **state)
{
	(void)state;
	mock_device_up(&fa, &fb, NULL);
	mock_enumerate(UD_SPEED_FULL);
	uint8_t out_b = (uint8_t)fb.ep_out[0];
	assert_true(out_b != EP_OUT && UD_EP_NUM(out_b) != 0);
	mock_run();
	assert_int_equal(polls_a + polls_b, 0);

	unsigned wakes = mock.wakes;
	ud_port_report_stream(&mdev, out_b);
	assert_int_equal(mock.wakes, wakes + 1); /* on_event: the task has work */
	assert_int_equal(polls_b, 0);            /* not before ud_task() */
	mock_run();
	assert_int_equal(polls_b, 1);
	assert_int_equal(polls_a, 0);
	ud_port_report_stream(&mdev, EP_OUT);
	mock_run();
	assert_int_equal(polls_a, 1);
	assert_int_equal(polls_b, 1);
}

/* A commit wakes the owner only when the stream asks for it (`wake`). */
static void test_commit_wakes_only_with_wake(void **state)
{
	(void)state;
	streaming();
	mock_run();
	assert_non_null(ud_stream_out_buf(&st, 64));
	ud_stream_out_commit(&mdev, EP_OUT, &st, 64, 64);
	mock_run();
	assert_int_equal(polls_a, 0);
	st.wake = 1;
	assert_non_null(ud_stream_out_buf(&st, 64));
	ud_stream_out_commit(&mdev, EP_OUT, &st, 10, 64);
	assert_int_equal(polls_a, 0);
	mock_run();
	assert_int_equal(polls_a, 1);
	assert_int_equal(UD_LOAD(&ring.head), 74);
}

/* ---- the ring helpers on a plain ring ---- */

static void set_ring(uint32_t head, uint32_t tail)
{
	UD_STORE(&ring.head, head);
	UD_STORE(&ring.tail, tail);
}

/* Room for exactly one packet: a buffer; one byte short: NULL and starved. Room made by the
 * reader: the next out_buf gives a buffer and clears starved. */
static void test_out_buf_room(void **state)
{
	(void)state;
	set_ring(1000, 1000 - (RING - 64)); /* 192 bytes in use, 64 free */
	assert_non_null(ud_stream_out_buf(&st, 64));
	assert_false((UD_LOAD(&st.starved) != 0));

	set_ring(1000, 1000 - (RING - 63)); /* 63 free */
	assert_null(ud_stream_out_buf(&st, 64));
	assert_true((UD_LOAD(&st.starved) != 0));
	assert_null(ud_stream_out_buf(&st, 64)); /* still no room: still starved */
	assert_true((UD_LOAD(&st.starved) != 0));
	assert_non_null(ud_stream_out_buf(&st, 63)); /* 63-byte packets fit */
	assert_false((UD_LOAD(&st.starved) != 0));

	assert_null(ud_stream_out_buf(&st, 64));
	UD_STORE_SC(&st.ring->tail, UD_LOAD(&ring.tail) + 1u); /* the reader makes room */
	assert_true((UD_LOAD(&st.starved) != 0));              /* the kick's cue */
	assert_non_null(ud_stream_out_buf(&st, 64));
	assert_false((UD_LOAD(&st.starved) != 0));

	/* A full ring, and an empty one. */
	set_ring(RING, 0);
	assert_null(ud_stream_out_buf(&st, 1));
	set_ring(RING, RING);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), ring_buf);
	/* Free-running indices across the 32-bit wrap: 192 in use, 64 free. */
	set_ring(0x10u, 0xffffff50u);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), ring_buf + 0x10);
	set_ring(0x11u, 0xffffff50u);
	assert_null(ud_stream_out_buf(&st, 64));
}

/* A packet that fits before the end goes to buf + pos (also exactly up to the end); one that
 * may not goes to the bounce buffer. */
static void test_out_buf_position(void **state)
{
	(void)state;
	set_ring(3 * RING, 3 * RING);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), ring_buf);
	set_ring(3 * RING + 100, 3 * RING + 100);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), ring_buf + 100);
	set_ring(RING - 64, RING - 64);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), ring_buf + RING - 64);
	set_ring(RING - 63, RING - 63);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), bounce);
	set_ring(RING - 1, RING - 1);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), bounce);
}

static void fill_seq(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i);
}

/* A whole packet through the bounce buffer: copied in two pieces, in order, around the end;
 * nothing else written; head published. */
static void test_commit_bounce_around_end(void **state)
{
	(void)state;
	uint8_t want[64];

	set_ring(5 * RING + 200, 5 * RING + 200); /* 56 bytes to the end */
	assert_ptr_equal(ud_stream_out_buf(&st, 64), bounce);
	fill_seq(bounce, 64, 1);
	memcpy(want, bounce, 64);
	ud_stream_out_commit(&mdev, EP_OUT, &st, 64, 64);
	assert_int_equal(UD_LOAD(&ring.head), 5 * RING + 264);
	assert_memory_equal(ring_buf + 200, want, 56);
	assert_memory_equal(ring_buf, want + 56, 8);
	assert_int_equal(ring_buf[8], 0xee);
	assert_int_equal(ring_buf[199], 0xee);
	assert_int_equal(ring_buf[RING], 0xee); /* not past the end */
}

/* Short packets through the bounce buffer: all before the end if they fit, else split. */
static void test_commit_bounce_short(void **state)
{
	(void)state;
	set_ring(200, 200);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), bounce);
	fill_seq(bounce, 10, 0x40);
	ud_stream_out_commit(&mdev, EP_OUT, &st, 10, 64);
	assert_int_equal(UD_LOAD(&ring.head), 210);
	assert_memory_equal(ring_buf + 200, bounce, 10);
	assert_int_equal(ring_buf[210], 0xee);
	assert_int_equal(ring_buf[0], 0xee);

	set_ring(250, 250); /* 6 bytes to the end */
	assert_ptr_equal(ud_stream_out_buf(&st, 64), bounce);
	fill_seq(bounce, 10, 0x80);
	ud_stream_out_commit(&mdev, EP_OUT, &st, 10, 64);
	assert_int_equal(UD_LOAD(&ring.head), 260);
	assert_memory_equal(ring_buf + 250, bounce, 6);
	assert_memory_equal(ring_buf, bounce + 6, 4);
	assert_int_equal(ring_buf[4], 0xee);
}

/* A packet received in place is not copied (the bounce buffer is left alone); a short one
 * advances head by its length. */
static void test_commit_in_place(void **state)
{
	(void)state;
	memset(bounce, 0x55, sizeof(bounce));
	uint8_t *p = ud_stream_out_buf(&st, 64);
	assert_ptr_equal(p, ring_buf);
	fill_seq(p, 5, 0x10);
	ud_stream_out_commit(&mdev, EP_OUT, &st, 5, 64);
	assert_int_equal(UD_LOAD(&ring.head), 5);
	assert_int_equal(ring_buf[0], 0x10);
	assert_int_equal(ring_buf[4], 0x14);
	assert_int_equal(ring_buf[5], 0xee);
	p = ud_stream_out_buf(&st, 64);
	assert_ptr_equal(p, ring_buf + 5);
	fill_seq(p, 64, 0x20);
	ud_stream_out_commit(&mdev, EP_OUT, &st, 64, 64);
	assert_int_equal(UD_LOAD(&ring.head), 69);
	assert_int_equal(ring_buf[68], 0x5f);
	assert_int_equal(ring_buf[69], 0xee);
}

/* A ZLP moves nothing, in place or through the bounce buffer. */
static void test_commit_zlp(void **state)
{
	(void)state;
	uint8_t before[sizeof(ring_buf)];

	memcpy(before, ring_buf, sizeof(ring_buf));
	assert_non_null(ud_stream_out_buf(&st, 64));
	ud_stream_out_commit(&mdev, EP_OUT, &st, 0, 64);
	assert_int_equal(UD_LOAD(&ring.head), 0);
	set_ring(230, 230);
	fill_seq(bounce, 64, 1);
	assert_ptr_equal(ud_stream_out_buf(&st, 64), bounce);
	ud_stream_out_commit(&mdev, EP_OUT, &st, 0, 64);
	assert_int_equal(UD_LOAD(&ring.head), 230);
	assert_memory_equal(ring_buf, before, sizeof(ring_buf));
}

/* A port that reports more than a max packet (its bug) still never publishes past it. */
static void test_commit_clamps_to_max_packet(void **state)
{
	(void)state;
	set_ring(200, 200);
	fill_seq(bounce, 64, 1);
	ud_stream_out_commit(&mdev, EP_OUT, &st, 100, 64);
	assert_int_equal(UD_LOAD(&ring.head), 264);
	assert_int_equal(ring_buf[8], 0xee);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ST_T(test_start_inval),
		ST_T(test_start_ring_vs_high_speed_packet),
		ST_T(test_start_not_open),
		ST_T(test_start_notsup),
		ST_T(test_start_busy),
		ST_T(test_start_port_error),
		ST_T(test_start_passes_stream),
		ST_T(test_stop),
		ST_T(test_streaming_query),
		ST_T(test_submit_busy_while_streaming),
		ST_T(test_kick_only_when_starved),
		ST_T(test_no_kick_op_notsup),
		ST_T(test_deconfigure_ends_stream),
		ST_T(test_bus_reset_ends_stream),
		ST_T(test_set_interface_ends_stream),
		ST_T(test_halt_keeps_stream),
		ST_T(test_report_stream_wakes_owner),
		ST_T(test_commit_wakes_only_with_wake),
		ST_T(test_out_buf_room),
		ST_T(test_out_buf_position),
		ST_T(test_commit_bounce_around_end),
		ST_T(test_commit_bounce_short),
		ST_T(test_commit_in_place),
		ST_T(test_commit_zlp),
		ST_T(test_commit_clamps_to_max_packet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
