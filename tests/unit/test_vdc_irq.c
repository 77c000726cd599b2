/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual device controller alone (fixture: vdc_fixture.h), its interrupt
 * side: contract violations it counts, the address's timing, the pending-interrupt list
 * (delivery order, barriers, SOF coalescing, its bound) and bus events (reset, VBUS,
 * suspend/resume, remote wake-up).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vdc_fixture.h"

/* ---- the core's side of the contract ---- */

static void test_stats_contract_violations(void **state)
{
	(void)state;
	uint8_t buf[64], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), UD_ERR_STATE); /* in flight */
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_ACK);              /* ended, unreported */
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 2);

	assert_int_equal(xfer(0x02, buf, 1), UD_ERR_STATE);
	assert_int_equal(xfer(0x0f, buf, 1), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_on_closed, 2);

	open_ep(0x82, UD_EP_BULK, 64);
	vdc.port.ops->ep_stall(&vdc.port, 0x82, true);
	assert_int_equal(xfer(0x82, buf, 1), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_on_stalled, 1);
	assert_false(vdc.ep[UD_EP_INDEX(0x82)].armed);

	vdc.port.ops->ep_stall(&vdc.port, 0x82, false);
	assert_int_equal(xfer(0x82, NULL, 4), UD_ERR_INVAL);
	assert_int_equal(vdc.stats.xfers, 1);
	assert_int_equal(vdc.stats.irq_overflow, 0);
}

/* ---- the address ---- */

static void test_address_immediate(void **state)
{
	(void)state;
	vdc.port.ops->set_address(&vdc.port, 5);
	assert_int_equal(vdc.address, 5);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_TIMEOUT);
	assert_int_equal(ud_vdc_setup(&vdc, 5, setup_a), UD_VDC_ACK);
}

static void test_address_after_status(void **state)
{
	(void)state;
	struct ud_vdc_config cfg = {.flags = UD_PORT_ADDR_BEFORE_STATUS};
	uint8_t pkt[64], pid;
	uint16_t n;

	bring_up(&cfg, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);
	ud_vdc_irq_deliver_all(&vdc);
	vdc.port.ops->set_address(&vdc.port, 7);
	assert_int_equal(vdc.address, 0);
	assert_int_equal(vdc.pending_address, 0x87);
	assert_int_equal(xfer(0x80, NULL, 0), 0);
	assert_int_equal(ud_vdc_in(&vdc, 0, 0, pkt, 64, &n, &pid), UD_VDC_ACK); /* old address */
	assert_int_equal(n, 0);
	assert_int_equal(vdc.address, 7);
	assert_int_equal(vdc.pending_address, 0);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_TIMEOUT);
	assert_int_equal(ud_vdc_setup(&vdc, 7, setup_a), UD_VDC_ACK);

	/* A new SETUP instead of the status stage: the latched address never applies. */
	ud_vdc_irq_deliver_all(&vdc);
	vdc.port.ops->set_address(&vdc.port, 9);
	assert_int_equal(ud_vdc_setup(&vdc, 7, setup_a), UD_VDC_ACK);
	assert_int_equal(vdc.pending_address, 0);
	ud_vdc_irq_deliver_all(&vdc);
	assert_int_equal(xfer(0x80, NULL, 0), 0);
	assert_int_equal(ud_vdc_in(&vdc, 7, 0, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(vdc.address, 7);
}

/* ---- interrupts ---- */

static void test_deliver_out_of_order(void **state)
{
	(void)state;
	uint8_t a[8], b[8], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x02, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, a, 8), 0);
	assert_int_equal(xfer(0x02, b, 8), 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_ACK);
	assert_int_equal(out(2, pkt, 2, 0), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_true(ud_vdc_irq_deliverable(&vdc, 1));
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 1), 0);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 1), UD_ERR_NOENT);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_int_equal(num_recs, 2);
	assert_int_equal(recs[0].ep, 0x02);
	assert_int_equal(recs[0].actual, 2);
	assert_int_equal(recs[1].ep, 0x01);
	assert_int_equal(recs[1].actual, 1);
	assert_null(ud_vdc_irq_peek(&vdc, 0));
	assert_false(ud_vdc_irq_deliverable(&vdc, 0));
}

static void test_bus_event_barrier(void **state)
{
	(void)state;
	uint8_t buf[8], pkt[64] = {0};

	/* The barriers: the five bus events, not the traffic. */
	static const uint8_t bus = 1u << UD_VDC_IRQ_RESET | 1u << UD_VDC_IRQ_SUSPEND |
	                           1u << UD_VDC_IRQ_RESUME | 1u << UD_VDC_IRQ_VBUS_ON |
	                           1u << UD_VDC_IRQ_VBUS_OFF;
	for (unsigned k = UD_VDC_IRQ_SETUP; k <= UD_VDC_IRQ_SOF; k++)
		assert_int_equal(ud_vdc_irq_is_bus_event((enum ud_vdc_irq_kind)k), (bus >> k) & 1u);
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x02, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	assert_int_equal(xfer(0x02, buf, 8), 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_ACK);
	assert_int_equal(out(2, pkt, 1, 0), UD_VDC_ACK);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);

	/* xfer 1, xfer 2 | reset | setup */
	assert_int_equal(ud_vdc_irq_count(&vdc), 4);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 2)->kind, UD_VDC_IRQ_RESET);
	assert_true(ud_vdc_irq_deliverable(&vdc, 0));
	assert_true(ud_vdc_irq_deliverable(&vdc, 1));
	assert_false(ud_vdc_irq_deliverable(&vdc, 2)); /* waits for what came before it */
	assert_false(ud_vdc_irq_deliverable(&vdc, 3)); /* waits for the reset */
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 3), UD_ERR_STATE);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 2), UD_ERR_STATE);

	assert_int_equal(ud_vdc_irq_deliver(&vdc, 1), 0);
	assert_false(ud_vdc_irq_deliverable(&vdc, 1));
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_true(ud_vdc_irq_deliverable(&vdc, 0));
	assert_false(ud_vdc_irq_deliverable(&vdc, 1));
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_int_equal(num_recs, 4);
	assert_int_equal(recs[0].ep, 0x02);
	assert_int_equal(recs[1].ep, 0x01);
	assert_int_equal(recs[2].kind, REC_RESET);
	assert_int_equal(recs[2].value, UD_SPEED_FULL);
	assert_int_equal(recs[3].kind, REC_SETUP);
}

static void test_deliver_needs_device(void **state)
{
	(void)state;
	ud_vdc_sof(&vdc, 1);
	vdc.port.dev = NULL;
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), UD_ERR_STATE);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 0);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	vdc.port.dev = DEV;
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(recs[0].kind, REC_SOF);
	assert_int_equal(recs[0].value, 1);
}

static void test_sof_coalesces(void **state)
{
	(void)state;
	uint8_t buf[8], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	ud_vdc_sof(&vdc, 10);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_ACK);
	ud_vdc_sof(&vdc, 11);
	ud_vdc_sof(&vdc, 0x800 | 12); /* frame numbers have 11 bits */
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->kind, UD_VDC_IRQ_SOF);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->frame, 12);
	ud_vdc_irq_deliver_all(&vdc);
	assert_int_equal(recs[1].kind, REC_SOF);
	assert_int_equal(recs[1].value, 12);
}

/* ---- bus events ---- */

static void test_bus_reset(void **state)
{
	(void)state;
	uint8_t buf[64], pkt[64] = {0}, pid;
	uint16_t n;

	vdc.port.ops->set_address(&vdc.port, 4);
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 64), 0);
	assert_int_equal(xfer(0x81, buf, 64), 0);
	assert_int_equal(ud_vdc_in(&vdc, 4, 1, pkt, 64, &n, &pid), UD_VDC_ACK); /* IN done */
	assert_int_equal(xfer(0x00, buf, 8), 0);
	vdc.port.ops->ep_stall(&vdc.port, 0x80, true);

	ud_vdc_bus_reset(&vdc, UD_SPEED_HIGH); /* not supported: falls back to full speed */
	assert_int_equal(vdc.address, 0);
	assert_int_equal(vdc.speed, UD_SPEED_FULL);
	assert_false(vdc.ep[0].armed);
	assert_false(vdc.ep[1].stalled);
	assert_false(vdc.ep[UD_EP_INDEX(0x01)].open);
	assert_true(vdc.ep[UD_EP_INDEX(0x01)].dead);
	assert_false(vdc.ep[UD_EP_INDEX(0x01)].armed);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_TIMEOUT);
	/* The IN completion happened before the reset and is still reported, before it. */
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->kind, UD_VDC_IRQ_RESET);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->frame, UD_SPEED_FULL);

	/* Before the core sees the reset it may still start a transfer: a race, not a bug. */
	assert_int_equal(xfer(0x01, buf, 64), 0);
	assert_int_equal(vdc.stats.xfer_on_closed, 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_TIMEOUT);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x01), 0);
	vdc.port.ops->ep_close(&vdc.port, 0x01);
	assert_false(vdc.ep[UD_EP_INDEX(0x01)].dead);
	assert_int_equal(xfer(0x01, buf, 64), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_on_closed, 1);

	/* Two resets with nothing between fold into one, with the latest speed. */
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
}

/* A bus event merges into a pending bus interrupt only if nothing was raised after that one: a
 * reset after a completion that followed a suspend is reported after the completion (which the
 * reset must not wipe: the host saw its handshake). */
static void test_bus_events_keep_order_around_traffic(void **state)
{
	(void)state;
	uint8_t buf[8], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	ud_vdc_suspend(&vdc);
	ud_vdc_resume(&vdc); /* merges: nothing between */
	assert_int_equal(out(1, pkt, 5, 0), UD_VDC_ACK);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_irq_count(&vdc), 3);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 2)->kind, UD_VDC_IRQ_RESET);
	assert_false(ud_vdc_irq_deliverable(&vdc, 2)); /* behind the completion */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 3);
	assert_int_equal(num_recs, 4);
	assert_int_equal(recs[0].kind, REC_SUSPEND);
	assert_int_equal(recs[1].kind, REC_SUSPEND);
	assert_int_equal(recs[2].kind, REC_XFER);
	assert_int_equal(recs[2].actual, 5);
	assert_int_equal(recs[3].kind, REC_RESET);

	/* Two bus interrupts that a moved SETUP leaves side by side become one, in order. */
	num_recs = 0;
	ud_vdc_suspend(&vdc);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	ud_vdc_resume(&vdc);
	assert_int_equal(ud_vdc_irq_count(&vdc), 3);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->nbus, 2);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 2);
	assert_int_equal(num_recs, 3);
	assert_int_equal(recs[0].value, 1); /* suspended */
	assert_int_equal(recs[1].value, 0); /* resumed */
	assert_int_equal(recs[2].kind, REC_SETUP);

	/* And those a withdrawn completion (an abort reports it) leaves side by side. */
	vdc.port.ops->ep_close(&vdc.port, 0x01); /* the reset above closed it */
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	ud_vdc_suspend(&vdc);
	assert_int_equal(out(1, pkt, 3, 0), UD_VDC_ACK);
	ud_vdc_resume(&vdc);
	assert_int_equal(ud_vdc_irq_count(&vdc), 3);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x01), 3);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->nbus, 2);
	assert_int_equal(vdc.stats.irq_overflow, 0);
}

static void test_bus_reset_high_speed_and_suspended(void **state)
{
	(void)state;
	struct ud_vdc_config cfg = {.speeds = UD_SPEED_FULL | UD_SPEED_HIGH};

	bring_up(&cfg, UD_SPEED_FULL);
	ud_vdc_suspend(&vdc);
	ud_vdc_bus_reset(&vdc, UD_SPEED_HIGH);
	assert_false(vdc.suspended);
	assert_int_equal(vdc.speed, UD_SPEED_HIGH);
	/* One bus interrupt with three events, reported in the order they happened. */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(num_recs, 3);
	assert_int_equal(recs[0].kind, REC_SUSPEND);
	assert_int_equal(recs[0].value, 1);
	assert_int_equal(recs[1].kind, REC_SUSPEND); /* the reset woke it */
	assert_int_equal(recs[1].value, 0);
	assert_int_equal(recs[2].kind, REC_RESET);
	assert_int_equal(recs[2].value, UD_SPEED_HIGH);

	/* Invisible when detached. */
	vdc.port.ops->connect(&vdc.port, false);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	ud_vdc_suspend(&vdc);
	ud_vdc_sof(&vdc, 1);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(vdc.speed, UD_SPEED_HIGH);
}

static void test_vbus(void **state)
{
	(void)state;
	uint8_t buf[64];

	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x81, buf, 64), 0);
	assert_int_equal(xfer(0x80, buf, 8), 0);
	vdc.port.ops->set_address(&vdc.port, 3);
	ud_vdc_suspend(&vdc);
	ud_vdc_vbus(&vdc, true); /* no edge */
	ud_vdc_vbus(&vdc, false);
	ud_vdc_vbus(&vdc, false);
	assert_false(ud_vdc_attached(&vdc));
	assert_false(vdc.suspended);
	assert_int_equal(vdc.address, 0);
	assert_false(vdc.ep[1].armed);
	assert_false(vdc.ep[UD_EP_INDEX(0x81)].open);
	assert_true(vdc.connected); /* the pull-up is the core's */
	ud_vdc_vbus(&vdc, true);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(num_recs, 3);
	assert_int_equal(recs[0].kind, REC_SUSPEND);
	assert_int_equal(recs[1].kind, REC_VBUS);
	assert_int_equal(recs[1].value, 0);
	assert_int_equal(recs[2].kind, REC_VBUS);
	assert_int_equal(recs[2].value, 1);

	/* A port without VBUS sensing never reports it, though power is still modelled. */
	struct ud_vdc_config cfg = {.flags = UD_PORT_NO_VBUS_SENSE};
	ud_vdc_init(&vdc, &cfg);
	ud_vdc_vbus(&vdc, true);
	vdc.port.ops->connect(&vdc.port, true);
	assert_true(ud_vdc_attached(&vdc));
	ud_vdc_vbus(&vdc, false);
	assert_false(ud_vdc_attached(&vdc));
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
}

static void test_suspend_resume_wakeup(void **state)
{
	(void)state;
	assert_int_equal(vdc.port.ops->remote_wakeup(&vdc.port), UD_ERR_STATE);
	ud_vdc_resume(&vdc); /* not suspended: nothing */
	ud_vdc_suspend(&vdc);
	ud_vdc_suspend(&vdc);
	assert_true(vdc.suspended);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	ud_vdc_resume(&vdc);
	assert_false(vdc.suspended);
	ud_vdc_suspend(&vdc);
	assert_int_equal(vdc.port.ops->remote_wakeup(&vdc.port), 0);
	assert_false(vdc.suspended);
	/* Status bits, not a queue: the late handler sees the last suspend and the last resume,
	 * in that order, which ends at the level the bus is at. */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(num_recs, 2);
	const unsigned want[] = {1, 0};
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(recs[i].kind, REC_SUSPEND);
		assert_int_equal(recs[i].value, want[i]);
	}
}

static void test_irq_list_bounded(void **state)
{
	(void)state;
	uint8_t bufs[UD_EP_SLOTS][1], pkt[64] = {0}, pid;
	uint16_t n;

	/* Every endpoint slot completes, plus a SETUP and a SOF: all fit. */
	for (uint8_t i = 1; i < vdc.caps.ep_count; i++) {
		open_ep(i, UD_EP_BULK, 64);
		open_ep((uint8_t)(0x80u | i), UD_EP_BULK, 64);
		assert_int_equal(xfer(i, bufs[2 * i], 1), 0);
		assert_int_equal(xfer((uint8_t)(0x80u | i), bufs[2 * i + 1], 1), 0);
		assert_int_equal(out(i, pkt, 1, 0), UD_VDC_ACK);
		assert_int_equal(in(i, pkt, 64, &n, &pid), UD_VDC_ACK);
	}
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	ud_vdc_sof(&vdc, 1);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2u * (vdc.caps.ep_count - 1u) + 2u);
	assert_int_equal(vdc.stats.irq_overflow, 0);

	/* A host that never delivers and keeps suspending, resuming and moving its SETUP and SOF
	 * behind them adds two bus interrupts, no more (the one before the newest SETUP, the one
	 * between it and the SOF): each SETUP or SOF that moves joins the bus interrupts it
	 * separated. The list is bounded by construction. */
	unsigned before = ud_vdc_irq_count(&vdc);
	for (int i = 0; i < 4 * UD_VDC_MAX_IRQ; i++) {
		ud_vdc_suspend(&vdc);
		assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
		ud_vdc_resume(&vdc);
		ud_vdc_sof(&vdc, (uint16_t)i);
	}
	assert_int_equal(ud_vdc_irq_count(&vdc), before + 2u);
	assert_int_equal(vdc.stats.irq_overflow, 0);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), before + 2u);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_SETUP), "setup");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_XFER), "xfer");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_RESET), "reset");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_SUSPEND), "suspend");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_RESUME), "resume");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_VBUS_ON), "vbus_on");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_VBUS_OFF), "vbus_off");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_SOF), "sof");
	assert_string_equal(ud_vdc_irq_name((enum ud_vdc_irq_kind)99), "unknown");
	assert_string_equal(ud_vdc_result_name(UD_VDC_ACK), "ack");
	assert_string_equal(ud_vdc_result_name(UD_VDC_NAK), "nak");
	assert_string_equal(ud_vdc_result_name(UD_VDC_STALL), "stall");
	assert_string_equal(ud_vdc_result_name(UD_VDC_TIMEOUT), "timeout");
	assert_string_equal(ud_vdc_result_name((enum ud_vdc_result)99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		VDC_T(test_stats_contract_violations),
		VDC_T(test_address_immediate),
		VDC_T(test_address_after_status),
		VDC_T(test_deliver_out_of_order),
		VDC_T(test_bus_event_barrier),
		VDC_T(test_deliver_needs_device),
		VDC_T(test_sof_coalesces),
		VDC_T(test_bus_reset),
		VDC_T(test_bus_reset_high_speed_and_suspended),
		VDC_T(test_vbus),
		VDC_T(test_suspend_resume_wakeup),
		VDC_T(test_irq_list_bounded),
		VDC_T(test_bus_events_keep_order_around_traffic),
		VDC_T(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
