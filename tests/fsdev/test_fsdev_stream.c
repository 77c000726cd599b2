/* SPDX-License-Identifier: MIT */
/*
 * port/stm32_fsdev against the register model: endpoint streams (ud_stream.h, the port's
 * ep_stream of ud_port.h), as test_vdc_stream*.c check them on the vdc. OUT packets are
 * copied from the packet memory into the ring (through the bounce buffer around its end), one
 * armed max packet at a time, committed by the interrupt handler instead of reported; NAK
 * while the ring is full, until the reader's kick. IN packets are loaded from the ring: whole
 * ones as soon as they are there, fewer bytes after a flush (a short packet or a ZLP), a packet
 * across the end cut there without a bounce buffer. A packet the host saw acknowledged is never
 * lost and never counted twice, whether the stream stops, the endpoint closes or the bus
 * resets before its interrupt is handled; one loaded and not acknowledged goes again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../unit/stream_fixture.h"
#include "fsdev_env.h"
#include "udcore/ud_ch9.h"
#include "udcore/ud_stream.h"

#define RING 256u

static uint8_t ring_buf[RING];
static uint8_t bounce[64];
static struct ud_ring ring;
static struct ud_stream st;
static uint8_t pkt[64];
static uint8_t written[4 * RING]; /* IN: what the writer put at each free-running index */

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

static int setup_out(void **state)
{
	env_setup_f072(state);
	stream_env(0x01);
	return 0;
}

static int setup_in(void **state)
{
	env_setup_f072(state);
	stream_env(0x81);
	st.bounce = NULL;
	return 0;
}

static int stream_op(uint8_t ep, struct ud_stream *s)
{
	return P->ops->ep_stream(P, ep, s);
}

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

static struct ud_fsdev_ep *ep_state(uint8_t ep)
{
	return &S.port.ep[UD_EP_INDEX(ep)];
}

/* Reports of one kind in `rec`. */
static unsigned count(uint8_t kind)
{
	unsigned n = 0;
	for (unsigned i = 0; i < rec.n; i++)
		n += rec.ev[i].kind == kind;
	return n;
}

/* Both indices (and the flush mark) at @p at, the stream not running. */
static void ring_at(uint32_t at)
{
	UD_STORE(&ring.head, at);
	UD_STORE(&ring.tail, at);
	UD_STORE(&st.flush, at);
}

/* A new stream on the same ring, as ud_ep_stream_start() starts it (starved, last_full and cut
 * cleared, rest kept): the port is driven without the core. */
static void restart(uint8_t ep)
{
	UD_STORE(&st.starved, 0);
	st.last_full = 0;
	st.cut = 0;
	assert_int_equal(stream_op(ep, &st), 0);
}

/* ud_ep_stream_kick() without the core: the port hears of it only while it starves. */
static void kick(uint8_t ep)
{
	if (UD_LOAD_SC(&st.starved))
		P->ops->ep_kick(P, ep, &st);
}

static void fill(uint8_t *p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 3u);
}

/* ---- OUT ---- */

/* The ring holds @p n bytes at free-running index @p at equal to @p want. */
static void assert_ring(uint32_t at, const uint8_t *want, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(ring_buf[(at + i) & (RING - 1u)], want[i]);
}

/* The host sends @p n bytes (seeded @p seed) with @p pid on OUT 1; ACKed; in the ring once the
 * interrupt is handled, not before. */
static void packet(uint32_t n, uint8_t seed, uint8_t pid)
{
	uint32_t h = head();
	fill(pkt, n, seed);
	assert_int_equal(out_packet(1, pkt, (uint16_t)n, pid), UD_VDC_ACK);
	assert_int_equal(head(), h);
	env_irq();
	assert_int_equal(head(), h + n);
	assert_ring(h, pkt, n);
}

/* A start arms one max packet at the ring's head: in place, or the bounce buffer when the
 * packet may not fit before the end. A stop disarms it and moves nothing. */
static void test_out_start_arms_at_head(void **state)
{
	(void)state;
	assert_int_equal(env_stat_rx(1), 2);
	ring_at(3 * RING + 100);
	assert_int_equal(stream_op(0x01, &st), 0);
	assert_int_equal(env_stat_rx(1), 3);
	assert_ptr_equal(ep_state(0x01)->buf, ring_buf + 100);
	assert_int_equal(stream_op(0x01, NULL), 0);
	assert_int_equal(env_stat_rx(1), 2);
	assert_int_equal(head(), 3 * RING + 100);
	ring_at(200);
	assert_int_equal(stream_op(0x01, &st), 0);
	assert_ptr_equal(ep_state(0x01)->buf, bounce);
	assert_int_equal(rec.n, 0);
	env_no_bad_access();
}

/* Packets land in the ring in order, one wake each and no transfer report; the endpoint is
 * re-armed behind each. Short packets and ZLPs end nothing. A retransmission (the same PID
 * again: the host missed the ACK) is ACKed and not stored twice. */
static void test_out_packets_land_in_ring(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	packet(64, 0x10, 0);
	assert_int_equal(env_stat_rx(1), 3);
	assert_ptr_equal(ep_state(0x01)->buf, ring_buf + 64);
	assert_int_equal(out_packet(1, pkt, 64, 0), UD_VDC_ACK); /* DATA0 again: dropped */
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	packet(64, 0x50, 1);
	packet(10, 0x90, 0);
	assert_ptr_equal(ep_state(0x01)->buf, ring_buf + 138);
	packet(0, 0, 1);
	packet(3, 0xa0, 0);
	assert_int_equal(head(), 141);
	assert_int_equal(count(REC_WAKE), 5);
	assert_int_equal(count(REC_XFER), 0);
	env_no_bad_access();
}

/* Without `wake` the port's per-packet path is ud_stream_out_quick()'s: the same bytes, and
 * nothing reported at all; around the end it falls back to the full path. */
static void test_out_quick_path(void **state)
{
	(void)state;
	st.wake = 0;
	ring_at(64);
	assert_int_equal(stream_op(0x01, &st), 0);
	packet(64, 1, 0);
	packet(7, 2, 1);
	packet(64, 3, 0);
	UD_STORE_SC(&ring.tail, 199);
	packet(64, 4, 1); /* 57 bytes before the end: the bounce buffer */
	assert_int_equal(head(), 263);
	assert_int_equal(rec.n, 0);
}

/* Full: the endpoint NAKs, `starved` set, nothing is lost. A kick without room changes
 * nothing; the reader's kick after moving its tail re-arms it, at the head. */
static void test_out_full_ring_naks_until_kick(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	for (unsigned i = 0; i < 4; i++)
		packet(64, (uint8_t)(i * 64), i & 1u);
	assert_int_equal(head(), RING);
	assert_int_equal(env_stat_rx(1), 2);
	assert_true(starved());
	fill(pkt, 64, 0x77);
	assert_int_equal(out_packet(1, pkt, 64, 0), UD_VDC_NAK);
	P->ops->ep_kick(P, 0x01, &st);
	assert_int_equal(out_packet(1, pkt, 64, 0), UD_VDC_NAK);

	UD_STORE_SC(&ring.tail, 64); /* the reader took a packet */
	kick(0x01);
	assert_int_equal(env_stat_rx(1), 3);
	assert_false(starved());
	assert_ptr_equal(ep_state(0x01)->buf, ring_buf); /* head 256: position 0 */
	packet(64, 0x77, 0);
	assert_int_equal(head(), RING + 64);
	assert_int_equal(env_stat_rx(1), 2); /* full again */
	assert_int_equal(count(REC_XFER), 0);
}

/* A kick while armed, or while a packet waits for its interrupt, arms nothing: the packet
 * waiting owns the head's position, and its buffer in the packet memory must stay. */
static void test_out_kick_while_armed_or_pending(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	P->ops->ep_kick(P, 0x01, &st);
	assert_int_equal(env_stat_rx(1), 3);
	fill(pkt, 64, 1);
	assert_int_equal(out_packet(1, pkt, 64, 0), UD_VDC_ACK);
	P->ops->ep_kick(P, 0x01, &st);
	assert_int_equal(env_stat_rx(1), 2);
	assert_int_equal(out_packet(1, pkt, 64, 1), UD_VDC_NAK);
	env_irq();
	assert_int_equal(head(), 64);
	assert_ring(0, pkt, 64);
	assert_ptr_equal(ep_state(0x01)->buf, ring_buf + 64);
}

/* A packet around the ring's end goes through the bounce buffer and arrives whole, in order,
 * in two pieces; the next one is received in place again. A short one the same. */
static void test_out_around_end(void **state)
{
	(void)state;
	ring_at(200);
	assert_int_equal(stream_op(0x01, &st), 0);
	assert_ptr_equal(ep_state(0x01)->buf, bounce);
	packet(64, 0x31, 0); /* 56 bytes at 200..255, 8 at 0..7 */
	assert_int_equal(ring_buf[8], 0xee);
	assert_ptr_equal(ep_state(0x01)->buf, ring_buf + 8);
	UD_STORE_SC(&ring.tail, 264);
	packet(64, 0x71, 1);
	assert_int_equal(head(), 328);

	assert_int_equal(stream_op(0x01, NULL), 0);
	ring_at(250);
	assert_int_equal(stream_op(0x01, &st), 0);
	assert_ptr_equal(ep_state(0x01)->buf, bounce);
	packet(20, 0xc0, 0);
	assert_int_equal(count(REC_XFER), 0);
}

/* A packet longer than the max packet size (33: the packet memory buffer is rounded up to 34)
 * keeps 33 bytes; the byte after them in the ring is untouched. */
static void test_out_longer_packet_clipped(void **state)
{
	(void)state;
	P->ops->ep_close(P, 0x01);
	open_ep(0x02, UD_EP_BULK, 33);
	assert_int_equal(stream_op(0x02, &st), 0);
	fill(pkt, 34, 9);
	assert_int_equal(out_packet(2, pkt, 34, 0), UD_VDC_ACK);
	env_irq();
	assert_int_equal(head(), 33);
	assert_ring(0, pkt, 33);
	assert_int_equal(ring_buf[33], 0xee);
	assert_int_equal(count(REC_XFER), 0);
}

/* A packet ACKed but not yet handled is committed by the stop (one wake), its flag cleared so
 * the handler cannot commit it again; the endpoint NAKs and takes transfers again. A second
 * stop does nothing. */
static void test_out_stop_commits_acked_packet(void **state)
{
	uint8_t buf[64];

	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	fill(pkt, 64, 0x21);
	assert_int_equal(out_packet(1, pkt, 64, 0), UD_VDC_ACK);
	assert_int_equal(stream_op(0x01, NULL), 0);
	assert_int_equal(head(), 64);
	assert_ring(0, pkt, 64);
	assert_int_equal(count(REC_WAKE), 1);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_int_equal(env_stat_rx(1), 2);
	assert_int_equal(out_packet(1, pkt, 64, 1), UD_VDC_NAK);
	assert_int_equal(stream_op(0x01, NULL), 0);
	assert_int_equal(head(), 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(1, pkt, 5, 1), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->kind, REC_XFER);
	assert_int_equal(env_last()->actual, 5);
	assert_int_equal(head(), 64);
	env_no_bad_access();
}

/* ep_close commits a packet ACKed but not yet handled, and ends the stream. */
static void test_out_close_commits_acked_packet(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	fill(pkt, 40, 0x05);
	assert_int_equal(out_packet(1, pkt, 40, 0), UD_VDC_ACK);
	P->ops->ep_close(P, 0x01);
	assert_int_equal(head(), 40);
	assert_ring(0, pkt, 40);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_null(ep_state(0x01)->stream);
	assert_int_equal(env_stat_rx(1), 0);
	assert_int_equal(count(REC_XFER), 0);
}

/* A bus reset with a packet ACKed before it: the handler commits it before it reports the
 * reset, and the dead endpoint is not re-armed, also by a kick the core makes before it
 * handles the reset; the close ends the stream, and re-opened the endpoint takes requests. */
static void test_out_reset_with_acked_packet(void **state)
{
	uint8_t buf[64];

	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	fill(pkt, 64, 0x61);
	assert_int_equal(out_packet(1, pkt, 64, 0), UD_VDC_ACK);
	ud_fsdev_model_bus_reset(&S.hw);
	env_irq();
	assert_int_equal(head(), 64);
	assert_ring(0, pkt, 64);
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[0].kind, REC_WAKE);
	assert_int_equal(rec.ev[1].kind, REC_RESET);
	assert_true(ep_state(0x01)->dead);
	assert_int_equal(env_epr(1), 0);
	assert_int_equal(out_packet(1, pkt, 64, 1), UD_VDC_TIMEOUT);
	UD_STORE(&st.starved, 1);
	P->ops->ep_kick(P, 0x01, &st);
	assert_int_equal(env_epr(1), 0);
	assert_ptr_equal(ep_state(0x01)->stream, &st); /* kept until the close */
	P->ops->ep_close(P, 0x01);
	assert_null(ep_state(0x01)->stream);
	assert_int_equal(head(), 64);
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	env_no_bad_access();
}

/* The same, the stream stopped after the hardware's reset and before the handler ran: the stop
 * commits the packet from the flag the reset kept, the handler then reports only the reset. */
static void test_out_reset_then_stop_before_handler(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	fill(pkt, 30, 0x01);
	assert_int_equal(out_packet(1, pkt, 30, 0), UD_VDC_ACK);
	ud_fsdev_model_bus_reset(&S.hw);
	assert_int_equal(stream_op(0x01, NULL), 0);
	assert_int_equal(head(), 30);
	assert_ring(0, pkt, 30);
	env_irq();
	assert_int_equal(head(), 30);
	assert_int_equal(count(REC_WAKE), 1);
	assert_int_equal(env_last()->kind, REC_RESET);
	env_no_bad_access();
}

/* A starved stream kicked after the hardware's reset and before the handler ran arms the
 * wiped register (its address now 0); the handler disables it, so EP0 answers alone. */
static void test_out_kick_after_wipe(void **state)
{
	static const uint8_t get_status[8] = {0x80, 0, 0, 0, 0, 0, 2, 0};

	(void)state;
	ring.size = 64;
	assert_int_equal(stream_op(0x01, &st), 0);
	packet(64, 1, 0);
	assert_true(starved());
	ud_fsdev_model_bus_reset(&S.hw);
	UD_STORE_SC(&ring.tail, 64);
	kick(0x01);
	env_clear();
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_RESET);
	assert_int_equal(env_epr(1), 0);
	env_setup(get_status);
	P->ops->ep_close(P, 0x01);
	assert_int_equal(head(), 64);
	env_no_bad_access();
}

/* Stalled, the host gets STALL and nothing is stored; cleared, the stream goes on with DATA0
 * (the host's toggle after CLEAR_FEATURE), though the last packet before was DATA0 too: the
 * clear re-armed what the STALL disarmed. */
static void test_out_stall_then_clear_resumes_data0(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	packet(64, 0x11, 0);
	P->ops->ep_stall(P, 0x01, true);
	assert_int_equal(out_packet(1, pkt, 64, 1), UD_VDC_STALL);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_ptr_equal(ep_state(0x01)->stream, &st);
	P->ops->ep_stall(P, 0x01, false);
	assert_int_equal(env_stat_rx(1), 3);
	packet(64, 0x22, 0);
	assert_int_equal(head(), 128);
	assert_int_equal(count(REC_XFER), 0);
}

/* A packet ACKed just before the stall: its interrupt commits it and arms nothing while the
 * endpoint is halted, not even on a kick; the clear arms the next. */
static void test_out_stall_with_packet_pending(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x01, &st), 0);
	fill(pkt, 64, 0x33);
	assert_int_equal(out_packet(1, pkt, 64, 0), UD_VDC_ACK);
	P->ops->ep_stall(P, 0x01, true);
	env_irq();
	assert_int_equal(head(), 64);
	assert_int_equal(env_stat_rx(1), 1);
	P->ops->ep_kick(P, 0x01, &st);
	assert_int_equal(env_stat_rx(1), 1);
	P->ops->ep_stall(P, 0x01, false);
	assert_int_equal(env_stat_rx(1), 3);
	packet(64, 0x44, 0);
	assert_int_equal(head(), 128);
}

/* Start refused: EP0, a number never opened, a transfer in flight, another stream. A streaming
 * endpoint refuses transfers, armed or not, and an abort finds nothing to report. */
static void test_out_refusals(void **state)
{
	uint8_t buf[64];
	struct ud_stream other = {.ring = &ring, .bounce = bounce};

	(void)state;
	assert_int_equal(stream_op(0x00, &st), UD_ERR_STATE);
	assert_int_equal(stream_op(0x80, &st), UD_ERR_STATE);
	assert_int_equal(stream_op(0x03, &st), UD_ERR_STATE);
	assert_int_equal(stream_op(0x0f, &st), UD_ERR_STATE);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(stream_op(0x01, &st), UD_ERR_STATE);
	assert_null(ep_state(0x01)->stream);
	assert_int_equal(P->ops->ep_abort(P, 0x01), 0);

	ring.size = 64;
	assert_int_equal(stream_op(0x01, &st), 0);
	assert_int_equal(stream_op(0x01, &other), UD_ERR_STATE);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), UD_ERR_STATE);
	packet(64, 1, 0); /* the ring is full: unarmed */
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), UD_ERR_STATE);
	assert_int_equal(out_packet(1, pkt, 64, 1), UD_VDC_NAK);
	assert_int_equal(P->ops->ep_abort(P, 0x01), 0);
	assert_ptr_equal(ep_state(0x01)->stream, &st);
	assert_int_equal(count(REC_XFER), 0);
}

/* UD_FSDEV_SIM_NO_STREAMS: the same port without ep_stream, everything else as usual. */
static void test_no_streams_flag(void **state)
{
	(void)state;
	const struct ud_port_ops *with = P->ops;
	assert_non_null(with->ep_stream);
	assert_non_null(with->ep_kick);
	env_init(NULL, 64, UD_FSDEV_SOF | UD_FSDEV_SIM_NO_STREAMS);
	const struct ud_port_ops *ops = P->ops;
	assert_null(ops->ep_stream);
	assert_null(ops->ep_kick);
	assert_ptr_equal(ops->init, with->init);
	assert_ptr_equal(ops->ep_open, with->ep_open);
	assert_ptr_equal(ops->ep_close, with->ep_close);
	assert_ptr_equal(ops->ep_xfer, with->ep_xfer);
	assert_ptr_equal(ops->ep_abort, with->ep_abort);
	assert_ptr_equal(ops->ep_stall, with->ep_stall);
	assert_ptr_equal(ops->remote_wakeup, with->remote_wakeup);
}

/* ---- IN ---- */

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
	kick(0x81);
}

/* The host's IN token on 1 gets @p n bytes with @p pid: the writer's bytes from the tail,
 * which moves by @p n once the interrupt is handled, not before. */
static void take(uint16_t n, uint8_t pid)
{
	uint16_t len = 0xffff;
	uint8_t got = 0xff;
	uint32_t t = tail();
	memset(pkt, 0xcc, sizeof(pkt));
	assert_int_equal(in_token(1, pkt, &len, &got), UD_VDC_ACK);
	assert_int_equal(len, n);
	assert_int_equal(got, pid);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(pkt[i], written[(t + i) % sizeof(written)]);
	assert_int_equal(tail(), t);
	env_irq();
	assert_int_equal(tail(), t + n);
}

/* The host's IN token gets @p r and no data. */
static void no_data(enum ud_vdc_result r)
{
	uint16_t len = 0xffff;
	uint8_t pid;
	assert_int_equal(in_token(1, pkt, &len, &pid), r);
	assert_int_equal(len, 0);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
}

/* The host's IN token gets a packet; its interrupt is left undelivered. */
static void take_undelivered(uint16_t n)
{
	uint16_t len;
	uint8_t pid;
	assert_int_equal(in_token(1, pkt, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, n);
}

/* Started on an empty ring: NAK, starved. The writer's packet and kick load it; the host gets
 * exactly those bytes with DATA0, then NAK again, and the next packet goes with DATA1. The
 * core hears no transfer, only one wake per packet. */
static void test_in_empty_naks_until_kick(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	assert_true(starved());
	no_data(UD_VDC_NAK);
	write_bytes(64, false);
	assert_false(starved());
	assert_int_equal(env_stat_tx(1), 3);
	take(64, 0);
	no_data(UD_VDC_NAK);
	assert_true(starved());
	write_bytes(64, false);
	take(64, 1);
	assert_int_equal(count(REC_WAKE), 2);
	assert_int_equal(count(REC_XFER), 0);
	env_no_bad_access();
}

/* A kick while the packet taken waits for its interrupt loads nothing (the packet memory
 * holds it, the tail has not passed it); the interrupt commits it and loads the next. */
static void test_in_kick_while_pending(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(64, false);
	take_undelivered(64);
	UD_STORE(&st.starved, 1);
	write_bytes(64, false);
	assert_int_equal(env_stat_tx(1), 2);
	assert_int_equal(tail(), 0);
	uint16_t len;
	uint8_t pid;
	assert_int_equal(in_token(1, pkt, &len, &pid), UD_VDC_NAK);
	env_irq();
	assert_int_equal(tail(), 64);
	take(64, 1);
}

/* The core passes every kick on unchecked (ud_port.h, ep_kick): one for another endpoint
 * byte (EP0, an open endpoint that does not stream, a closed one, a number the chip lacks,
 * reserved bits), for another stream or for none loads nothing and starts nothing; the
 * stream's own kick then loads its packet. */
static void test_in_kick_ignores_all_but_its_stream(void **state)
{
	(void)state;
	static const uint8_t eps[] = {0x00, 0x80, 0x01, 0x02, 0x82, 0x0f,
	                              0x8f, 0x11, 0x91, 0x7f, 0xff};
	struct ud_stream other;

	memset(&other, 0, sizeof(other));
	open_ep(0x01, UD_EP_BULK, 64); /* open and idle: a kick there must not start a stream */
	assert_int_equal(stream_op(0x81, &st), 0); /* an empty ring: NAK, starved */
	assert_true(starved());
	uint32_t h = head();
	for (uint32_t i = 0; i < 64u; i++) /* a packet the port has not heard of yet */
		ring_buf[(h + i) & (ring.size - 1u)] = written[(h + i) % sizeof(written)] =
			(uint8_t)((h + i) * 7u + 1u);
	UD_STORE_SC(&ring.head, h + 64u);
	for (size_t i = 0; i < sizeof(eps); i++) {
		P->ops->ep_kick(P, eps[i], &st);
		P->ops->ep_kick(P, eps[i], NULL);
		P->ops->ep_kick(P, eps[i], &other);
	}
	P->ops->ep_kick(P, 0x81, &other);
	P->ops->ep_kick(P, 0x81, NULL);
	assert_int_equal(env_stat_tx(1), 2); /* NAK */
	assert_int_equal(env_stat_rx(1), 2);
	assert_null(ep_state(0x01)->stream);
	assert_false(ep_state(0x01)->busy);
	no_data(UD_VDC_NAK);
	P->ops->ep_kick(P, 0x81, &st);
	assert_int_equal(env_stat_tx(1), 3); /* VALID */
	take(64, 0);
	env_no_bad_access();
}

/* Several packets in the ring go one after the other with one kick; fewer bytes than a packet
 * wait for a flush. Without `wake`: ud_stream_in_step()'s inline path, nothing reported. */
static void test_in_back_to_back(void **state)
{
	(void)state;
	st.wake = 0;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(3 * 64 + 10, false);
	take(64, 0);
	take(64, 1);
	take(64, 0);
	no_data(UD_VDC_NAK);
	assert_int_equal(rec.n, 0);
}

/* 100 bytes flushed: a whole packet, then the 36 left as a short packet, then nothing (no ZLP
 * after a short packet). */
static void test_in_flush_short(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(100, true);
	take(64, 0);
	take(36, 1);
	no_data(UD_VDC_NAK);
}

/* 128 bytes flushed: two whole packets and a ZLP ending the host's transfer, once. */
static void test_in_flush_whole_then_zlp(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(128, true);
	take(64, 0);
	take(64, 1);
	take(0, 0);
	no_data(UD_VDC_NAK);
	assert_int_equal(tail(), 128);
}

/* Without a bounce buffer the packet across the end is cut: the piece (56 bytes) and at once,
 * with no flush or kick, its rest (8) from the ring's start; then whole packets. With one, the
 * packet goes whole. */
static void test_in_around_end(void **state)
{
	(void)state;
	ring_at(200);
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(128, false);
	take(56, 0);
	take(8, 1);
	take(64, 0);
	assert_int_equal(tail(), 328);
	assert_int_equal(st.rest, 0);
	no_data(UD_VDC_NAK);

	assert_int_equal(stream_op(0x81, NULL), 0);
	st.bounce = bounce;
	ring_at(200);
	restart(0x81);
	write_bytes(128, false);
	take(64, 1);
	take(64, 0);
}

/* A packet loaded but not taken when the stream stops: the tail stays, nothing is committed;
 * the next stream sends the same bytes, with the toggle the host expects. */
static void test_in_stop_drops_loaded(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(64, false);
	take(64, 0);
	write_bytes(64, false);
	assert_int_equal(env_stat_tx(1), 3);
	assert_int_equal(stream_op(0x81, NULL), 0);
	assert_int_equal(env_stat_tx(1), 2);
	assert_int_equal(tail(), 64);
	assert_null(ep_state(0x81)->stream);
	no_data(UD_VDC_NAK);
	restart(0x81);
	take(64, 1);
	assert_int_equal(count(REC_WAKE), 2);
}

/* A packet the host took whose interrupt has not run when the stream stops: the stop commits
 * it (tail past it, one wake) and clears its flag; the next stream does not send it again.
 * ep_close the same. */
static void test_in_stop_commits_acked(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(64, false);
	take_undelivered(64);
	assert_int_equal(stream_op(0x81, NULL), 0);
	assert_int_equal(tail(), 64);
	assert_int_equal(count(REC_WAKE), 1);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	restart(0x81);
	assert_true(starved());
	no_data(UD_VDC_NAK);

	write_bytes(30, true);
	take_undelivered(30);
	P->ops->ep_close(P, 0x81);
	assert_int_equal(tail(), 94);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_null(ep_state(0x81)->stream);
	assert_int_equal(count(REC_XFER), 0);
}

/* A bus reset after the host took a packet: the handler commits it before it reports the
 * reset, and loads nothing on the dead endpoint though another packet waits, also on a kick;
 * re-opened, a new stream goes on after the committed packet, with DATA0. */
static void test_in_reset_with_acked_packet(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(128, false);
	take_undelivered(64);
	ud_fsdev_model_bus_reset(&S.hw);
	env_irq();
	assert_int_equal(tail(), 64);
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[0].kind, REC_WAKE);
	assert_int_equal(rec.ev[1].kind, REC_RESET);
	assert_int_equal(env_epr(1), 0);
	no_data(UD_VDC_TIMEOUT);
	UD_STORE(&st.starved, 1);
	P->ops->ep_kick(P, 0x81, &st);
	assert_int_equal(env_epr(1), 0);
	P->ops->ep_close(P, 0x81);
	open_ep(0x81, UD_EP_BULK, 64);
	restart(0x81);
	take(64, 0);
	assert_int_equal(tail(), 128);
	env_no_bad_access();
}

/* A bus reset with a packet loaded and not taken: dropped, the tail stays; after re-opening,
 * the new stream sends it. */
static void test_in_reset_with_loaded_packet(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(40, true);
	ud_fsdev_model_bus_reset(&S.hw);
	env_irq();
	assert_int_equal(tail(), 0);
	assert_int_equal(count(REC_WAKE), 0);
	P->ops->ep_close(P, 0x81);
	open_ep(0x81, UD_EP_BULK, 64);
	restart(0x81);
	take(40, 0);
}

/* The cut piece taken, then a bus reset before its interrupt: committed, its rest owed; after
 * re-opening the new stream sends the rest first, then whole packets. */
static void test_in_rest_first_after_reset(void **state)
{
	(void)state;
	ring_at(200);
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(128, false);
	take_undelivered(56);
	ud_fsdev_model_bus_reset(&S.hw);
	env_irq();
	assert_int_equal(tail(), 256);
	assert_int_equal(st.rest, 8);
	P->ops->ep_close(P, 0x81);
	open_ep(0x81, UD_EP_BULK, 64);
	restart(0x81);
	take(8, 0);
	take(64, 1);
}

/* Stalled, the host gets STALL and the tail stays; cleared, the packet that was loaded goes
 * with DATA0 (the clear re-armed it), then the stream goes on. */
static void test_in_stall_then_clear_resumes_data0(void **state)
{
	uint16_t len;
	uint8_t pid;

	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(192, false);
	take(64, 0);
	P->ops->ep_stall(P, 0x81, true);
	assert_int_equal(in_token(1, pkt, &len, &pid), UD_VDC_STALL);
	assert_int_equal(tail(), 64);
	assert_ptr_equal(ep_state(0x81)->stream, &st);
	P->ops->ep_stall(P, 0x81, false);
	take(64, 0);
	take(64, 1);
	assert_int_equal(count(REC_XFER), 0);
}

/* A packet taken just before the stall: its interrupt commits it and loads nothing while the
 * endpoint is halted, though more waits; the clear loads the next, sent with DATA0. */
static void test_in_stall_with_packet_pending(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	write_bytes(128, false);
	take_undelivered(64);
	P->ops->ep_stall(P, 0x81, true);
	env_irq();
	assert_int_equal(tail(), 64);
	assert_int_equal(env_stat_tx(1), 1);
	P->ops->ep_stall(P, 0x81, false);
	assert_int_equal(env_stat_tx(1), 3);
	take(64, 0);
}

/* Stalled while empty: a kick loads nothing; the clear loads what came meanwhile. */
static void test_in_stall_kick_then_clear(void **state)
{
	(void)state;
	assert_int_equal(stream_op(0x81, &st), 0);
	P->ops->ep_stall(P, 0x81, true);
	write_bytes(64, false);
	assert_int_equal(env_stat_tx(1), 1);
	P->ops->ep_stall(P, 0x81, false);
	take(64, 0);
}

#define TO(name) cmocka_unit_test_setup(name, setup_out)
#define TI(name) cmocka_unit_test_setup(name, setup_in)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TO(test_out_start_arms_at_head),
		TO(test_out_packets_land_in_ring),
		TO(test_out_quick_path),
		TO(test_out_full_ring_naks_until_kick),
		TO(test_out_kick_while_armed_or_pending),
		TO(test_out_around_end),
		TO(test_out_longer_packet_clipped),
		TO(test_out_stop_commits_acked_packet),
		TO(test_out_close_commits_acked_packet),
		TO(test_out_reset_with_acked_packet),
		TO(test_out_reset_then_stop_before_handler),
		TO(test_out_kick_after_wipe),
		TO(test_out_stall_then_clear_resumes_data0),
		TO(test_out_stall_with_packet_pending),
		TO(test_out_refusals),
		TO(test_no_streams_flag),
		TI(test_in_empty_naks_until_kick),
		TI(test_in_kick_while_pending),
		TI(test_in_kick_ignores_all_but_its_stream),
		TI(test_in_back_to_back),
		TI(test_in_flush_short),
		TI(test_in_flush_whole_then_zlp),
		TI(test_in_around_end),
		TI(test_in_stop_drops_loaded),
		TI(test_in_stop_commits_acked),
		TI(test_in_reset_with_acked_packet),
		TI(test_in_reset_with_loaded_packet),
		TI(test_in_rest_first_after_reset),
		TI(test_in_stall_then_clear_resumes_data0),
		TI(test_in_stall_with_packet_pending),
		TI(test_in_stall_kick_then_clear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
