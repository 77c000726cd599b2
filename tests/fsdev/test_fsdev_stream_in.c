/* SPDX-License-Identifier: MIT */
/*
 * port/stm32_fsdev against the register model: IN endpoint streams (ud_stream.h, the port's
 * ep_stream and ep_kick of ud_port.h), as test_vdc_stream_in.c checks them on the vdc. IN
 * packets are loaded from the ring: whole ones as soon as they are there, fewer bytes after a
 * flush (a short packet or a ZLP), a packet across the end cut there without a bounce buffer.
 * A packet the host saw acknowledged is never lost and never counted twice, whether the
 * stream stops, the endpoint closes or the bus resets before its interrupt is handled; one
 * loaded and not acknowledged goes again. OUT: test_fsdev_stream_out.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fsdev_stream_env.h"
#include "udcore/ud_ch9.h"

static uint8_t written[4 * RING]; /* what the writer put at each free-running index */

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

#define TI(name) cmocka_unit_test_setup(name, setup_in)

int main(void)
{
	const struct CMUnitTest tests[] = {
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
