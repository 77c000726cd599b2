/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual device controller alone (fixture: vdc_fixture.h): IN endpoint
 * streams (ud_stream.h, the port's ep_stream of ud_port.h). The host's IN tokens get the
 * ring's packets one after the other: whole packets as soon as they are there, fewer bytes
 * after a flush (a short packet or a ZLP); NAK while there is nothing, until the writer's
 * kick. The tail moves past a packet once its interrupt is handled, or when the stream stops or
 * the bus resets after the host took it; a packet loaded and not taken goes again with the next
 * stream. Without a bounce buffer a packet across the ring's end is cut there, and its rest goes
 * next, also after a stop or a reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stream_fixture.h"
#include "udcore/ud_stream.h"
#include "vdc_fixture.h"

#define RING 256u
#define EPI 0x81u

static uint8_t ring_buf[RING];
static uint8_t bounce[64];
static struct ud_ring ring;
static struct ud_stream st;
static uint8_t pkt[64];
static uint8_t written[4 * RING]; /* what the writer put at each free-running index */

/* setup_default, a fresh 256-byte ring and stream (wake on, no bounce buffer: cut packets),
 * EP1 IN open (bulk, 64). */
static int stream_setup(void **state)
{
	setup_default(state);
	stream_wakes = 0;
	memset(ring_buf, 0xee, sizeof(ring_buf));
	memset(bounce, 0, sizeof(bounce));
	stream_fixture_reset(&ring, ring_buf, RING, &st, NULL);
	st.wake = 1;
	open_ep(EPI, UD_EP_BULK, 64);
	return 0;
}

#define VS_T(f) cmocka_unit_test_setup(f, stream_setup)

static uint32_t head(void)
{
	return UD_LOAD(&ring.head);
}

static uint32_t tail(void)
{
	return UD_LOAD(&ring.tail);
}

static bool starved(void)
{
	return UD_LOAD(&st.starved) != 0;
}

/* Both indices (and the flush mark) at @p at, the stream not running. */
static void ring_at(uint32_t at)
{
	UD_STORE(&ring.head, at);
	UD_STORE(&ring.tail, at);
	UD_STORE(&st.flush, at);
}

/* A new stream on the same ring, as ud_ep_stream_start() starts it (starved, last_full and cut
 * cleared, rest kept): the vdc is driven without the core. */
static void restart(void)
{
	UD_STORE(&st.starved, 0);
	st.last_full = 0;
	st.cut = 0;
	assert_int_equal(stream_op(EPI, &st), 0);
}

/* ud_ep_stream_kick() without the core: the port hears of it only while it starves. */
static void kick(void)
{
	if (UD_LOAD_SC(&st.starved))
		stream_kick(EPI, &st);
}

/* The writer puts @p n bytes at the head (the byte at index i is (uint8_t)(i * 7 + 1)), moves
 * the flush mark to the new head if @p flush, and kicks. */
static void write_bytes(uint32_t n, bool flush)
{
	uint32_t h = head();
	for (uint32_t i = 0; i < n; i++) {
		uint8_t b = (uint8_t)((h + i) * 7u + 1u);
		ring_buf[(h + i) & (ring.size - 1u)] = b;
		written[(h + i) % sizeof(written)] = b;
	}
	UD_STORE_SC(&ring.head, h + n);
	if (flush)
		UD_STORE_SC(&st.flush, h + n);
	kick();
}

/* The host's IN token gets @p n bytes with @p pid: the writer's bytes from the tail. The tail
 * moves only when the interrupt is delivered, then by @p n. */
static void take(uint16_t n, uint8_t pid)
{
	uint16_t len = 0xffff;
	uint8_t got = 0xff;
	uint32_t t = tail();
	memset(pkt, 0xcc, sizeof(pkt));
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &got), UD_VDC_ACK);
	assert_int_equal(len, n);
	assert_int_equal(got, pid);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(pkt[i], written[(t + i) % sizeof(written)]);
	assert_int_equal(tail(), t); /* not before the interrupt is handled */
	assert_true(ep_state(EPI)->pending);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(tail(), t + n);
}

/* The host's IN token gets @p r and no data. */
static void no_data(enum ud_vdc_result r)
{
	uint16_t len = 0xffff;
	uint8_t pid;
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), r);
	assert_int_equal(len, 0);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
}

/* ---- start, kick, whole packets ---- */

/* Started on an empty ring: unarmed, starved, the host gets NAK. The writer's packet and kick
 * arm it at the tail; the host gets exactly those bytes with DATA0, then NAK again, and the
 * next packet goes with DATA1. The core hears no transfer, only the wakes. */
static void test_empty_naks_until_kick(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EPI, &st), 0);
	assert_ptr_equal(ep_state(EPI)->stream, &st);
	assert_false(ep_state(EPI)->armed);
	assert_true(starved());
	uint32_t naks = vdc.stats.naks;
	no_data(UD_VDC_NAK);
	assert_int_equal(vdc.stats.naks, naks + 1);

	write_bytes(64, false);
	assert_true(ep_state(EPI)->armed);
	assert_false(starved());
	assert_ptr_equal(ep_state(EPI)->buf, ring_buf);
	assert_int_equal(ep_state(EPI)->len, 64);
	take(64, 0);
	assert_false(ep_state(EPI)->armed);
	assert_true(starved());
	no_data(UD_VDC_NAK);
	write_bytes(64, false);
	take(64, 1);
	write_bytes(64, false);
	take(64, 0);
	assert_int_equal(stream_wakes, 3);
	assert_int_equal(num_recs, 0);
	assert_int_equal(vdc.stats.xfer_while_busy + vdc.stats.irq_overflow, 0);
}

/* A kick while the packet waits for its interrupt arms nothing (the host gets NAK, the tail
 * has not moved); the delivery commits it and arms the next. */
static void test_kick_while_pending(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(64, false);
	uint16_t len;
	uint8_t pid;
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), UD_VDC_ACK);
	write_bytes(64, false);
	UD_STORE(&st.starved, 1); /* a kick gets through to the port */
	stream_kick(EPI, &st);
	assert_false(ep_state(EPI)->armed);
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), UD_VDC_NAK);
	assert_int_equal(tail(), 0);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(tail(), 64);
	assert_true(ep_state(EPI)->armed);
	assert_ptr_equal(ep_state(EPI)->buf, ring_buf + 64);
	take(64, 1);
}

/* The core passes every kick on unchecked (ud_port.h, ep_kick): one for another endpoint
 * byte (EP0, a closed endpoint, a number the controller lacks, reserved bits), for another
 * stream or for none arms nothing and starts nothing; the stream's own kick then arms. */
static void test_kick_ignores_all_but_its_stream(void **state)
{
	(void)state;
	static const uint8_t eps[] = {0x00, 0x80, 0x01, 0x02, 0x82, 0x0f,
	                              0x8f, 0x11, 0x91, 0x7f, 0xff};
	struct ud_stream other;

	memset(&other, 0, sizeof(other));
	open_ep(0x01, UD_EP_BULK, 64); /* open and idle: a kick there must not start a stream */
	assert_int_equal(stream_op(EPI, &st), 0); /* an empty ring: idle, starved */
	assert_true(starved());
	for (uint32_t i = 0; i < 64u; i++) /* a packet the port has not heard of yet */
		ring_buf[i] = written[i] = (uint8_t)(i * 7u + 1u);
	UD_STORE_SC(&ring.head, 64);
	uint32_t xfers = vdc.stats.xfers;
	for (size_t i = 0; i < sizeof(eps); i++) {
		stream_kick(eps[i], &st);
		stream_kick(eps[i], NULL);
		stream_kick(eps[i], &other);
	}
	stream_kick(EPI, &other);
	stream_kick(EPI, NULL);
	assert_int_equal(vdc.stats.xfers, xfers);
	for (unsigned i = 0; i < UD_EP_SLOTS; i++)
		assert_false(vdc.ep[i].armed);
	assert_null(ep_state(0x01)->stream);
	no_data(UD_VDC_NAK);
	stream_kick(EPI, &st);
	assert_true(ep_state(EPI)->armed);
	assert_int_equal(vdc.stats.xfers, xfers + 1);
	take(64, 0);
}

/* Several packets in the ring go one after the other with a single kick; an unflushed
 * remainder then waits (NAK, starved). */
static void test_packets_back_to_back(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(200, false);
	take(64, 0);
	take(64, 1);
	take(64, 0);
	assert_false(ep_state(EPI)->armed);
	assert_true(starved());
	no_data(UD_VDC_NAK);
	assert_int_equal(tail(), 192);
	assert_int_equal(stream_wakes, 3);
	assert_int_equal(num_recs, 0);
}

/* Without `wake` the packets go all the same and the core hears nothing at all. */
static void test_no_wake_without_wake(void **state)
{
	(void)state;
	st.wake = 0;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(128, false);
	take(64, 0);
	take(64, 1);
	assert_int_equal(stream_wakes, 0);
	assert_int_equal(num_recs, 0);
}

/* ---- flush ---- */

/* 100 bytes flushed: a whole packet, then the 36 left as a short packet, then nothing (no
 * ZLP after a short packet). */
static void test_flush_short(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(100, true);
	take(64, 0);
	take(36, 1);
	no_data(UD_VDC_NAK);
	assert_true(starved());
	assert_int_equal(tail(), 100);
}

/* 128 bytes flushed: two whole packets and a ZLP ending the host's transfer, once; the toggle
 * counts the ZLP. Without `wake`, so that the whole packets go through ud_stream_in_step()'s
 * inline path (with it, every packet takes the call). */
static void test_flush_whole_then_zlp(void **state)
{
	(void)state;
	st.wake = 0;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(128, true);
	take(64, 0);
	take(64, 1);
	take(0, 0);
	no_data(UD_VDC_NAK);
	assert_int_equal(tail(), 128);
	write_bytes(10, true);
	take(10, 1);
}

/* A flush that comes after the port sent everything (nothing new in the ring) is a ZLP too,
 * armed by the kick; with and without `wake` (the whole packet committed by the call or by
 * ud_stream_in_step()'s inline path). */
static void test_late_flush_zlp(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(64, false);
	take(64, 0);
	assert_true(starved());
	UD_STORE_SC(&st.flush, head());
	kick();
	take(0, 1);
	no_data(UD_VDC_NAK);

	st.wake = 0;
	write_bytes(64, false);
	take(64, 0);
	UD_STORE_SC(&st.flush, head());
	kick();
	take(0, 1);
	no_data(UD_VDC_NAK);
}

/* A ring smaller than the max packet (32 of 64) sends when full, a short packet. */
static void test_small_ring_sends_when_full(void **state)
{
	(void)state;
	ring.size = 32;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(20, false);
	no_data(UD_VDC_NAK);
	write_bytes(12, false);
	take(32, 0);
	write_bytes(5, true);
	take(5, 1);
}

/* ---- stop, close, reset ---- */

/* A packet loaded but not taken when the stream stops: the tail stays, nothing is reported;
 * the next stream sends the same bytes first. */
static void test_stop_unacked_goes_again(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(64, false);
	assert_true(ep_state(EPI)->armed);
	assert_int_equal(stream_op(EPI, NULL), 0);
	assert_false(ep_state(EPI)->armed);
	assert_null(ep_state(EPI)->stream);
	assert_int_equal(tail(), 0);
	assert_int_equal(stream_wakes, 0);
	no_data(UD_VDC_NAK);
	restart();
	assert_true(ep_state(EPI)->armed);
	take(64, 0);
	assert_int_equal(num_recs, 0);
}

/* A packet the host took whose interrupt is undelivered when the stream stops: committed by
 * the stop (tail past it, one wake), nothing left to deliver, and the next stream does not
 * send it again. ep_close the same. */
static void test_stop_acked_committed(void **state)
{
	(void)state;
	uint16_t len;
	uint8_t pid;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(64, false);
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), UD_VDC_ACK);
	assert_int_equal(tail(), 0);
	assert_int_equal(stream_op(EPI, NULL), 0);
	assert_int_equal(tail(), 64);
	assert_int_equal(stream_wakes, 1);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_false(ep_state(EPI)->pending);
	restart();
	assert_false(ep_state(EPI)->armed);
	assert_true(starved());

	write_bytes(30, true);
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), UD_VDC_ACK);
	vdc.port.ops->ep_close(&vdc.port, EPI);
	assert_int_equal(tail(), 94);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_null(ep_state(EPI)->stream);
	assert_int_equal(num_recs, 0);
}

/* A bus reset after the host took a packet: delivered after it, the packet is committed
 * (before the RESET report) and the dead endpoint is not re-armed, though another packet
 * waits; a kick does not arm it either. */
static void test_reset_with_pending_packet(void **state)
{
	(void)state;
	uint16_t len;
	uint8_t pid;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(128, false);
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), UD_VDC_ACK);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_true(ep_state(EPI)->dead);
	assert_int_equal(tail(), 0);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 2);
	assert_int_equal(tail(), 64);
	assert_int_equal(stream_wakes, 1);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].kind, REC_RESET);
	assert_false(ep_state(EPI)->armed);
	no_data(UD_VDC_TIMEOUT);
	UD_STORE(&st.starved, 1);
	stream_kick(EPI, &st);
	assert_false(ep_state(EPI)->armed);
	/* The core closes it while handling the reset; re-opened, a new stream goes on after the
	 * committed packet. */
	vdc.port.ops->ep_close(&vdc.port, EPI);
	assert_null(ep_state(EPI)->stream);
	open_ep(EPI, UD_EP_BULK, 64);
	restart();
	take(64, 0);
	assert_int_equal(tail(), 128);
}

/* A bus reset with a packet loaded and not taken: dropped, the tail stays, nothing to deliver
 * but the reset; after re-opening, the new stream sends it. */
static void test_reset_with_loaded_packet(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(40, true);
	assert_true(ep_state(EPI)->armed);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(tail(), 0);
	assert_int_equal(stream_wakes, 0);
	vdc.port.ops->ep_close(&vdc.port, EPI);
	open_ep(EPI, UD_EP_BULK, 64);
	restart();
	take(40, 0);
}

/* ---- halt ---- */

/* Stalled, the host gets STALL and the tail stays; cleared, the loaded packet goes with DATA0
 * though the last one before was DATA0 too, and the stream goes on. */
static void test_stall_then_clear_resumes_data0(void **state)
{
	(void)state;
	uint16_t len;
	uint8_t pid;
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(192, false);
	take(64, 0);
	vdc.port.ops->ep_stall(&vdc.port, EPI, true);
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), UD_VDC_STALL);
	assert_int_equal(len, 0);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(tail(), 64);
	assert_ptr_equal(ep_state(EPI)->stream, &st);
	vdc.port.ops->ep_stall(&vdc.port, EPI, false);
	take(64, 0);
	take(64, 1);
	assert_int_equal(num_recs, 0);
}

/* ---- around the end ---- */

/* With a bounce buffer a packet across the end goes whole, its bytes in order; the next is
 * sent in place again. */
static void test_bounce_around_end(void **state)
{
	(void)state;
	st.bounce = bounce;
	ring_at(200);
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(128, false);
	assert_ptr_equal(ep_state(EPI)->buf, bounce);
	take(64, 0);
	assert_ptr_equal(ep_state(EPI)->buf, ring_buf + 8);
	take(64, 1);
}

/* Without one, the packet is cut at the end: the piece (56 bytes, short) and at once, with no
 * flush or kick, its rest (8 bytes, short too) from the ring's start; then whole packets.
 * Without `wake`: the port's per-packet path is ud_stream_in_step()'s. */
static void test_cut_then_rest(void **state)
{
	(void)state;
	st.wake = 0;
	ring_at(200);
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(128, false);
	assert_ptr_equal(ep_state(EPI)->buf, ring_buf + 200);
	assert_int_equal(ep_state(EPI)->len, 56);
	take(56, 0);
	assert_ptr_equal(ep_state(EPI)->buf, ring_buf);
	take(8, 1);
	take(64, 0);
	assert_int_equal(tail(), 328);
	assert_int_equal(st.rest, 0);
	no_data(UD_VDC_NAK);
}

/* The piece taken and handled, the rest loaded, the stream stops: the rest (dropped, not
 * taken) is still owed and goes first in the next stream, 8 bytes though a whole packet waits
 * behind it, with the toggle the host expects next. */
static void test_rest_first_after_stop(void **state)
{
	(void)state;
	ring_at(200);
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(64, false);
	take(56, 0);
	assert_true(ep_state(EPI)->armed); /* the rest */
	assert_int_equal(stream_op(EPI, NULL), 0);
	assert_int_equal(tail(), 256);
	write_bytes(64, false);
	restart();
	assert_int_equal(ep_state(EPI)->len, 8);
	take(8, 1); /* the toggle goes on: a stream's end does not reset it */
	take(64, 0);
}

/* The piece taken, its interrupt undelivered, the stream stops: the stop commits the piece and
 * the rest goes first in the next stream. */
static void test_rest_first_after_stop_with_pending_piece(void **state)
{
	(void)state;
	uint16_t len;
	uint8_t pid;
	ring_at(200);
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(128, false);
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, 56);
	assert_int_equal(stream_op(EPI, NULL), 0);
	assert_int_equal(tail(), 256);
	assert_int_equal(st.rest, 8);
	restart();
	take(8, 1);
	take(64, 0);
}

/* A bus reset after the host took the piece: delivered, the piece is committed and the rest
 * owed; the dead endpoint sends nothing; after re-opening, the new stream sends the rest
 * first. */
static void test_rest_first_after_reset(void **state)
{
	(void)state;
	uint16_t len;
	uint8_t pid;
	ring_at(200);
	assert_int_equal(stream_op(EPI, &st), 0);
	write_bytes(128, false);
	assert_int_equal(in(1, pkt, sizeof(pkt), &len, &pid), UD_VDC_ACK);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 2);
	assert_int_equal(tail(), 256);
	assert_false(ep_state(EPI)->armed);
	vdc.port.ops->ep_close(&vdc.port, EPI);
	open_ep(EPI, UD_EP_BULK, 64);
	restart();
	assert_ptr_equal(ep_state(EPI)->buf, ring_buf);
	take(8, 0);
	take(64, 1);
}

/* ---- refusals ---- */

/* An isochronous IN endpoint does not stream; ep_xfer on a streaming IN endpoint is refused,
 * armed or not. */
static void test_in_refusals(void **state)
{
	(void)state;
	open_ep(0x83, UD_EP_ISOCHRONOUS, 64);
	assert_int_equal(stream_op(0x83, &st), UD_ERR_NOTSUP);
	assert_null(ep_state(0x83)->stream);
	assert_int_equal(stream_op(EPI, &st), 0);
	assert_int_equal(xfer(EPI, pkt, 10), UD_ERR_STATE);
	write_bytes(64, false);
	assert_int_equal(xfer(EPI, pkt, 10), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 2);
	take(64, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		VS_T(test_empty_naks_until_kick),
		VS_T(test_kick_while_pending),
		VS_T(test_kick_ignores_all_but_its_stream),
		VS_T(test_packets_back_to_back),
		VS_T(test_no_wake_without_wake),
		VS_T(test_flush_short),
		VS_T(test_flush_whole_then_zlp),
		VS_T(test_late_flush_zlp),
		VS_T(test_small_ring_sends_when_full),
		VS_T(test_stop_unacked_goes_again),
		VS_T(test_stop_acked_committed),
		VS_T(test_reset_with_pending_packet),
		VS_T(test_reset_with_loaded_packet),
		VS_T(test_stall_then_clear_resumes_data0),
		VS_T(test_bounce_around_end),
		VS_T(test_cut_then_rest),
		VS_T(test_rest_first_after_stop),
		VS_T(test_rest_first_after_stop_with_pending_piece),
		VS_T(test_rest_first_after_reset),
		VS_T(test_in_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
