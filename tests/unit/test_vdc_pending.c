/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual device controller alone (fixture: vdc_fixture.h): the flag that
 * says a completion is pending (ud_vdc_ep.pending). It mirrors the XFER entries of the
 * interrupt list, whatever happens to the endpoint meanwhile: a bus reset or VBUS loss, a
 * close, an abort, a SETUP, delivery in any order. ep_xfer() refuses to start a transfer while
 * it is set, so it must be set exactly while the list holds the endpoint's completion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vdc_fixture.h"

static uint8_t buf[64], pkt[64];

/* True if the list holds a completion of @ep. */
static bool listed(uint8_t ep)
{
	for (unsigned i = 0; i < ud_vdc_irq_count(&vdc); i++) {
		const struct ud_vdc_irq *q = ud_vdc_irq_peek(&vdc, i);
		if (q->kind == UD_VDC_IRQ_XFER && q->ep == ep)
			return true;
	}
	return false;
}

/* The flag of every endpoint slot agrees with the list. */
static void assert_flags_match_list(void)
{
	for (unsigned i = 0; i < UD_EP_SLOTS; i++) {
		uint8_t ep = (uint8_t)((i >> 1) | ((i & 1u) ? 0x80u : 0u));
		assert_int_equal(vdc.ep[i].pending, listed(ep));
	}
}

/* An OUT transfer on EP1 that ended (a short packet), its completion pending. */
static void ended_out(void)
{
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_false(ep_state(0x01)->pending);
	assert_int_equal(out(1, pkt, 3, 0), UD_VDC_ACK);
	assert_true(ep_state(0x01)->pending);
	assert_false(ep_state(0x01)->armed);
	assert_one_xfer_irq(0x01, 3, UD_OK);
}

static void test_set_and_cleared_by_delivery(void **state)
{
	(void)state;
	ended_out();
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), UD_ERR_STATE); /* still in flight */
	assert_int_equal(vdc.stats.xfer_while_busy, 1);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_false(ep_state(0x01)->pending);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(vdc.stats.irq_overflow, 0);
}

/* A completion delivered out of order, from the middle of the list, clears its own flag only. */
static void test_cleared_out_of_order(void **state)
{
	(void)state;
	uint16_t n;
	uint8_t pid;

	ended_out();
	open_ep(0x82, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x82, buf, 5), 0);
	assert_int_equal(in(2, pkt, sizeof(pkt), &n, &pid), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_flags_match_list();
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0); /* EP1 OUT, not the last entry */
	assert_false(ep_state(0x01)->pending);
	assert_true(ep_state(0x82)->pending);
	assert_flags_match_list();
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_flags_match_list();
	assert_int_equal(num_recs, 2);
	assert_int_equal(recs[0].ep, 0x01);
	assert_int_equal(recs[1].ep, 0x82);
}

/* A bus reset closes the endpoint to the host and clears its state, but the completion it saw
 * before stays pending (and is reported before the reset): so does the flag. */
static void test_kept_by_bus_reset(void **state)
{
	(void)state;
	ended_out();
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_true(ep_state(0x01)->dead);
	assert_true(ep_state(0x01)->pending);
	assert_flags_match_list();
	/* The core, not having seen the reset, cannot restart the endpoint yet. */
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 1);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 2);
	assert_int_equal(recs[0].kind, REC_XFER);
	assert_int_equal(recs[1].kind, REC_RESET);
	assert_false(ep_state(0x01)->pending);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0); /* dead: accepted, moves nothing */
	assert_int_equal(vdc.stats.irq_overflow, 0);
}

static void test_kept_by_vbus_loss_and_reinit(void **state)
{
	(void)state;
	ended_out();
	ud_vdc_vbus(&vdc, false);
	assert_true(ep_state(0x01)->pending);
	assert_flags_match_list();
	/* A port re-initialised before the interrupt ran keeps it too: it is the list's. */
	assert_int_equal(vdc.port.ops->init(&vdc.port), 0);
	assert_flags_match_list();
	ud_vdc_irq_deliver_all(&vdc);
	assert_flags_match_list();
	/* A port shut down withdraws its traffic, and the flags with it. */
	bring_up(NULL, UD_SPEED_FULL);
	ended_out();
	vdc.port.ops->deinit(&vdc.port);
	assert_false(ep_state(0x01)->pending);
	assert_flags_match_list();
}

static void test_cleared_by_close_and_reopen(void **state)
{
	(void)state;
	ended_out();
	vdc.port.ops->ep_close(&vdc.port, 0x01);
	assert_false(ep_state(0x01)->pending);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);

	ended_out();
	open_ep(0x01, UD_EP_BULK, 32); /* a re-open starts from scratch */
	assert_false(ep_state(0x01)->pending);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(num_recs, 0);
}

/* An abort reports the completion that had not been delivered, and clears the flag. */
static void test_cleared_by_abort(void **state)
{
	(void)state;
	ended_out();
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x01), 3);
	assert_false(ep_state(0x01)->pending);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].actual, 3);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
}

/* A SETUP drops both EP0 directions' undelivered completions, and their flags. */
static void test_cleared_by_setup(void **state)
{
	(void)state;
	assert_int_equal(xfer(0x00, NULL, 0), 0);
	assert_int_equal(out(0, NULL, 0, 0), UD_VDC_ACK); /* a status stage ended */
	assert_true(ep_state(0x00)->pending);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	assert_false(ep_state(0x00)->pending);
	assert_flags_match_list();
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->kind, UD_VDC_IRQ_SETUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		VDC_T(test_set_and_cleared_by_delivery),
		VDC_T(test_cleared_out_of_order),
		VDC_T(test_kept_by_bus_reset),
		VDC_T(test_kept_by_vbus_loss_and_reinit),
		VDC_T(test_cleared_by_close_and_reopen),
		VDC_T(test_cleared_by_abort),
		VDC_T(test_cleared_by_setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
