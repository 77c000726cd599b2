/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual device controller alone (fixture: vdc_fixture.h): endpoint
 * streams (ud_stream.h, the port's ep_stream of ud_port.h). The host's OUT packets go into the
 * ring, one armed max packet at a time, committed by the interrupt handler instead of being
 * reported; NAK while the ring is full, until the reader's kick; a packet the host saw
 * acknowledged is never lost, whether the stream stops, the endpoint closes or the bus resets
 * before its interrupt is handled.
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
#define EP 0x01u

static uint8_t ring_buf[RING];
static uint8_t bounce[64];
static struct ud_ring ring;
static struct ud_stream st;
static uint8_t pkt[64], buf[64];

/* setup_default, a fresh 256-byte ring and stream (wake on), EP1 OUT open (bulk, 64). */
static int stream_setup(void **state)
{
	setup_default(state);
	stream_wakes = 0;
	memset(ring_buf, 0xee, sizeof(ring_buf));
	memset(bounce, 0, sizeof(bounce));
	stream_fixture_reset(&ring, ring_buf, RING, &st, bounce);
	st.wake = 1;
	open_ep(EP, UD_EP_BULK, 64);
	return 0;
}

#define VS_T(f) cmocka_unit_test_setup(f, stream_setup)

static uint32_t head(void)
{
	return UD_LOAD(&ring.head);
}

/* The ring holds @p n bytes at free-running index @p at equal to @p want. */
static void assert_ring(uint32_t at, const uint8_t *want, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(ring_buf[(at + i) & (RING - 1u)], want[i]);
}

/* The host sends @p n bytes (seeded @p seed) with @p pid; ACKed; delivered; in the ring. */
static void packet(uint32_t n, uint8_t seed, uint8_t pid)
{
	uint32_t h = head();
	fill(pkt, n, seed);
	assert_int_equal(out(1, pkt, (uint16_t)n, pid), UD_VDC_ACK);
	assert_int_equal(head(), h); /* not before the interrupt is handled */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(head(), h + n);
	assert_ring(h, pkt, n);
}

/* ---- start ---- */

/* A start arms one max packet at the ring's head: in place, or the bounce buffer when the
 * packet may not fit before the end. */
static void test_start_arms_at_head(void **state)
{
	(void)state;
	UD_STORE(&ring.head, 3 * RING + 100);
	UD_STORE(&ring.tail, 3 * RING + 100);
	assert_int_equal(stream_op(EP, &st), 0);
	assert_ptr_equal(ep_state(EP)->stream, &st);
	assert_true(ep_state(EP)->armed);
	assert_ptr_equal(ep_state(EP)->buf, ring_buf + 100);
	assert_int_equal(ep_state(EP)->len, 64);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);

	assert_int_equal(stream_op(EP, NULL), 0);
	assert_false(ep_state(EP)->armed);
	assert_null(ep_state(EP)->stream);
	UD_STORE(&ring.head, 200);
	UD_STORE(&ring.tail, 200);
	assert_int_equal(stream_op(EP, &st), 0);
	assert_ptr_equal(ep_state(EP)->buf, bounce);
}

/* Packets land in the ring once their interrupt is delivered; the core hears no transfer,
 * only the wake; the endpoint is re-armed behind each. Short packets and ZLPs end nothing. */
static void test_packets_land_in_ring(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	packet(64, 0x10, 0);
	assert_true(ep_state(EP)->armed);
	assert_ptr_equal(ep_state(EP)->buf, ring_buf + 64);
	packet(64, 0x50, 1);
	packet(10, 0x90, 0);
	assert_ptr_equal(ep_state(EP)->buf, ring_buf + 138);
	assert_int_equal(stream_wakes, 3); /* one per packet */
	packet(0, 0, 1);
	assert_int_equal(head(), 138);
	assert_true(ep_state(EP)->armed);
	unsigned wakes = stream_wakes;
	packet(3, 0xa0, 0);
	assert_int_equal(stream_wakes, wakes + 1);
	assert_int_equal(num_recs, 0); /* no XFER report reached the core */
	assert_int_equal(vdc.stats.xfer_while_busy + vdc.stats.irq_overflow, 0);
}

/* A retransmission (the host missed the ACK: same PID again) is ACKed and not stored twice. */
static void test_retransmission_not_stored(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	packet(64, 0x10, 0);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(head(), 64);
}

/* Without `wake` nothing reaches the core at all. */
static void test_no_wake_without_wake(void **state)
{
	(void)state;
	st.wake = 0;
	assert_int_equal(stream_op(EP, &st), 0);
	packet(64, 1, 0);
	packet(7, 2, 1);
	assert_int_equal(stream_wakes, 0);
	assert_int_equal(num_recs, 0);
}

/* ---- a full ring ---- */

/* Full: the endpoint stays unarmed, `starved` set, the host gets NAK and nothing is lost. The
 * reader's kick after moving tail re-arms it, at the head. */
static void test_full_ring_naks_until_kick(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	for (unsigned i = 0; i < 4; i++)
		packet(64, (uint8_t)(i * 64), i & 1u);
	assert_int_equal(head(), RING);
	assert_false(ep_state(EP)->armed);
	assert_true((UD_LOAD(&st.starved) != 0));
	uint32_t naks = vdc.stats.naks;
	fill(pkt, 64, 0x77);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_NAK);
	assert_int_equal(vdc.stats.naks, naks + 1);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);

	/* A kick without room changes nothing. */
	stream_kick(EP, &st);
	assert_false(ep_state(EP)->armed);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_NAK);

	UD_STORE_SC(&st.ring->tail, 64); /* the reader took a packet */
	assert_true((UD_LOAD(&st.starved) != 0));
	stream_kick(EP, &st);
	assert_true(ep_state(EP)->armed);
	assert_false((UD_LOAD(&st.starved) != 0));
	assert_ptr_equal(ep_state(EP)->buf, ring_buf); /* head 256: position 0 */
	packet(64, 0x77, 0);
	assert_int_equal(head(), RING + 64);
	assert_false(ep_state(EP)->armed); /* full again */
	assert_int_equal(num_recs, 0);
}

/* A kick while armed, or while a packet waits to be committed, arms nothing more: the packet
 * waiting owns the head's position. */
static void test_kick_while_armed_or_pending(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	uint32_t xfers = vdc.stats.xfers;
	stream_kick(EP, &st);
	assert_int_equal(vdc.stats.xfers, xfers);
	fill(pkt, 64, 1);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	assert_true(ep_state(EP)->pending);
	stream_kick(EP, &st);
	assert_false(ep_state(EP)->armed);
	assert_int_equal(out(1, pkt, 64, 1), UD_VDC_NAK);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(head(), 64);
	assert_ring(0, pkt, 64);
	assert_ptr_equal(ep_state(EP)->buf, ring_buf + 64);
}

/* ---- around the end ---- */

/* A packet around the ring's end goes through the bounce buffer and arrives whole, in order;
 * the next one is received in place again. */
static void test_packet_around_end(void **state)
{
	(void)state;
	UD_STORE(&ring.head, 200);
	UD_STORE(&ring.tail, 200);
	assert_int_equal(stream_op(EP, &st), 0);
	assert_ptr_equal(ep_state(EP)->buf, bounce);
	packet(64, 0x31, 0); /* 56 bytes at 200..255, 8 at 0..7 */
	assert_int_equal(ring_buf[8], 0xee);
	assert_ptr_equal(ep_state(EP)->buf, ring_buf + 8);
	UD_STORE_SC(&st.ring->tail, 264);
	packet(64, 0x71, 1);
	assert_int_equal(head(), 328);

	/* A short packet around the end: its bytes alone, in two pieces. */
	assert_int_equal(stream_op(EP, NULL), 0);
	UD_STORE(&ring.head, 250);
	UD_STORE(&ring.tail, 250);
	assert_int_equal(stream_op(EP, &st), 0);
	assert_ptr_equal(ep_state(EP)->buf, bounce);
	packet(20, 0xc0, 0);
	assert_int_equal(num_recs, 0);
}

/* ---- stop, close, reset ---- */

/* A packet ACKed but not yet handled is committed by the stop; nothing is left to report, the
 * endpoint is idle (NAK) and takes transfers again. */
static void test_stop_commits_acked_packet(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	fill(pkt, 64, 0x21);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	assert_int_equal(head(), 0);
	assert_int_equal(stream_op(EP, NULL), 0);
	assert_int_equal(head(), 64);
	assert_ring(0, pkt, 64);
	assert_int_equal(stream_wakes, 1);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_null(ep_state(EP)->stream);
	assert_false(ep_state(EP)->armed);
	assert_false(ep_state(EP)->pending);
	assert_int_equal(out(1, pkt, 64, 1), UD_VDC_NAK);
	assert_int_equal(stream_op(EP, NULL), 0); /* a second stop: nothing */
	assert_int_equal(head(), 64);
	assert_int_equal(xfer(EP, buf, sizeof(buf)), 0);
	assert_int_equal(num_recs, 0);
}

/* ep_close commits a packet ACKed but not yet handled. */
static void test_close_commits_acked_packet(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	fill(pkt, 40, 0x05);
	assert_int_equal(out(1, pkt, 40, 0), UD_VDC_ACK);
	vdc.port.ops->ep_close(&vdc.port, EP);
	assert_int_equal(head(), 40);
	assert_ring(0, pkt, 40);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_null(ep_state(EP)->stream);
	assert_false(ep_state(EP)->open);
	assert_int_equal(num_recs, 0);
}

/* A bus reset with a packet ACKed before it: delivered after the reset, the packet is
 * committed (before the RESET report), and the dead endpoint is not re-armed. */
static void test_reset_with_pending_packet(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	fill(pkt, 64, 0x61);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_true(ep_state(EP)->dead);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 2);
	assert_int_equal(head(), 64);
	assert_ring(0, pkt, 64);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].kind, REC_RESET);
	assert_false(ep_state(EP)->armed);
	assert_int_equal(out(1, pkt, 64, 1), UD_VDC_TIMEOUT); /* closed to the host */
	/* The core, not having seen the reset yet, kicks: still nothing armed. */
	UD_STORE(&st.starved, 1);
	stream_kick(EP, &st);
	assert_false(ep_state(EP)->armed);
	/* It closes the endpoint while handling the reset; re-opened, requests work. */
	vdc.port.ops->ep_close(&vdc.port, EP);
	assert_null(ep_state(EP)->stream);
	open_ep(EP, UD_EP_BULK, 64);
	assert_int_equal(xfer(EP, buf, sizeof(buf)), 0);
	assert_int_equal(head(), 64);
}

/* The same, the core closing the endpoint before the packet's interrupt is handled: the close
 * commits it, and nothing is reported or committed twice. */
static void test_reset_then_close_before_delivery(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	fill(pkt, 30, 0x01);
	assert_int_equal(out(1, pkt, 30, 0), UD_VDC_ACK);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	vdc.port.ops->ep_close(&vdc.port, EP);
	assert_int_equal(head(), 30);
	assert_ring(0, pkt, 30);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(head(), 30);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].kind, REC_RESET);
	assert_int_equal(stream_wakes, 1);
}

/* VBUS lost with a packet ACKed into the bounce buffer: delivered afterwards it arrives whole
 * around the ring's end (the endpoint's max packet survives the loss), and nothing re-arms. */
static void test_vbus_loss_with_pending_bounce_packet(void **state)
{
	(void)state;
	UD_STORE(&ring.head, 220);
	UD_STORE(&ring.tail, 220);
	assert_int_equal(stream_op(EP, &st), 0);
	assert_ptr_equal(ep_state(EP)->buf, bounce);
	fill(pkt, 64, 0x41);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	ud_vdc_vbus(&vdc, false);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 2);
	assert_int_equal(head(), 284);
	assert_ring(220, pkt, 64);
	assert_int_equal(ring_buf[28], 0xee);
	assert_false(ep_state(EP)->armed);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].kind, REC_VBUS);
}

/* ---- halt ---- */

/* Stalled, the host gets STALL and nothing is stored; cleared, the stream goes on with DATA0
 * (the host's toggle after CLEAR_FEATURE), though the last packet before was DATA0 too. */
static void test_stall_then_clear_resumes_data0(void **state)
{
	(void)state;
	assert_int_equal(stream_op(EP, &st), 0);
	packet(64, 0x11, 0);
	vdc.port.ops->ep_stall(&vdc.port, EP, true);
	assert_int_equal(out(1, pkt, 64, 1), UD_VDC_STALL);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(head(), 64);
	assert_ptr_equal(ep_state(EP)->stream, &st);
	vdc.port.ops->ep_stall(&vdc.port, EP, false);
	packet(64, 0x22, 0);
	assert_int_equal(head(), 128);
	assert_int_equal(num_recs, 0);
}

/* ---- refusals ---- */

/* Start refused: isochronous (NOTSUP), EP0 or closed (STATE, xfer_on_closed), a transfer in
 * flight or a completion undelivered (STATE, xfer_while_busy), another stream. */
static void test_start_refused(void **state)
{
	(void)state;
	struct ud_stream other = {.ring = &ring, .bounce = bounce};

	open_ep(0x03, UD_EP_ISOCHRONOUS, 64);
	assert_int_equal(stream_op(0x03, &st), UD_ERR_NOTSUP);
	assert_null(ep_state(0x03)->stream);

	assert_int_equal(stream_op(0x00, &st), UD_ERR_STATE);
	assert_int_equal(stream_op(0x02, &st), UD_ERR_STATE); /* never opened */
	assert_int_equal(vdc.stats.xfer_on_closed, 2);

	assert_int_equal(xfer(EP, buf, sizeof(buf)), 0);
	assert_int_equal(stream_op(EP, &st), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 1);
	assert_null(ep_state(EP)->stream);
	assert_ptr_equal(ep_state(EP)->buf, buf);        /* the transfer is untouched */
	assert_int_equal(out(1, pkt, 5, 0), UD_VDC_ACK); /* it ends, its completion pending */
	assert_int_equal(stream_op(EP, &st), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 2);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].kind, REC_XFER); /* reported as a transfer, not committed */
	assert_int_equal(head(), 0);

	assert_int_equal(stream_op(EP, &st), 0);
	assert_int_equal(stream_op(EP, &other), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 3);
	assert_ptr_equal(ep_state(EP)->stream, &st);
}

/* ep_xfer on a streaming endpoint is refused, armed or not (ring full). */
static void test_xfer_refused_while_streaming(void **state)
{
	(void)state;
	ring.size = 64;
	assert_int_equal(stream_op(EP, &st), 0);
	assert_int_equal(xfer(EP, buf, sizeof(buf)), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 1);
	packet(64, 1, 0); /* the ring is full: unarmed */
	assert_false(ep_state(EP)->armed);
	assert_false(ep_state(EP)->pending);
	assert_int_equal(xfer(EP, buf, sizeof(buf)), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 2);
	assert_int_equal(out(1, pkt, 64, 1), UD_VDC_NAK);
}

/* A vdc configured without streams has no ep_stream, everything else as usual. */
static void test_no_streams_config(void **state)
{
	(void)state;
	const struct ud_port_ops *with = vdc.port.ops;
	assert_non_null(with->ep_stream);
	assert_non_null(with->ep_kick);
	struct ud_vdc_config cfg = {.no_streams = 1};
	bring_up(&cfg, UD_SPEED_FULL);
	const struct ud_port_ops *ops = vdc.port.ops;
	assert_null(ops->ep_stream);
	assert_null(ops->ep_kick);
	assert_ptr_equal(ops->ep_xfer, with->ep_xfer);
	assert_ptr_equal(ops->ep_open, with->ep_open);
	assert_ptr_equal(ops->ep_close, with->ep_close);
	assert_ptr_equal(ops->ep_abort, with->ep_abort);
	assert_ptr_equal(ops->ep_stall, with->ep_stall);
	assert_ptr_equal(ops->init, with->init);
	assert_ptr_equal(ops->remote_wakeup, with->remote_wakeup);
	assert_ptr_equal(ops->test_mode, with->test_mode);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		VS_T(test_start_arms_at_head),
		VS_T(test_packets_land_in_ring),
		VS_T(test_retransmission_not_stored),
		VS_T(test_no_wake_without_wake),
		VS_T(test_full_ring_naks_until_kick),
		VS_T(test_kick_while_armed_or_pending),
		VS_T(test_packet_around_end),
		VS_T(test_stop_commits_acked_packet),
		VS_T(test_close_commits_acked_packet),
		VS_T(test_reset_with_pending_packet),
		VS_T(test_reset_then_close_before_delivery),
		VS_T(test_vbus_loss_with_pending_bounce_packet),
		VS_T(test_stall_then_clear_resumes_data0),
		VS_T(test_start_refused),
		VS_T(test_xfer_refused_while_streaming),
		VS_T(test_no_streams_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
