/* SPDX-License-Identifier: MIT */
/*
 * port/stm32_fsdev against the register model: OUT endpoint streams (ud_stream.h, the port's
 * ep_stream and ep_kick of ud_port.h), as test_vdc_stream.c checks them on the vdc. OUT
 * packets are copied from the packet memory into the ring (through the bounce buffer around
 * its end), one armed max packet at a time, committed by the interrupt handler instead of
 * reported; NAK while the ring is full, until the reader's kick. A packet the host saw
 * acknowledged is never lost and never counted twice, whether the stream stops, the endpoint
 * closes or the bus resets before its interrupt is handled. IN: test_fsdev_stream_in.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fsdev_stream_env.h"
#include "udcore/ud_ch9.h"

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

#define TO(name) cmocka_unit_test_setup(name, setup_out)

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
