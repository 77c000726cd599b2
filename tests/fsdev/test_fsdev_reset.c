/* SPDX-License-Identifier: MIT */
/*
 * port/stm32_fsdev against the register model: what a bus reset keeps. The reset clears every
 * USB_EPnR but its completion flags, CTR_RX and CTR_TX, which the hardware keeps so that a
 * transaction done just before the reset is not lost; the packet memory stays. So an OUT packet
 * the hardware ACKed and an IN packet the host ACKed before the reset both count, exactly as
 * the handler would have counted them, and a transfer they end is reported before the reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fsdev_env.h"
#include "udcore/ud_ch9.h"

/* The byte count of COUNTn_RX. */
static uint16_t rx_count(unsigned n)
{
	return pma16(8u * n + 6u) & 0x03ffu;
}

/* A bus reset, then the interrupt; the reports are left in `rec`. */
static void reset_now(void)
{
	env_clear();
	ud_fsdev_model_bus_reset(&S.hw);
	env_irq();
}

static void assert_xfer(unsigned i, uint8_t ep, uint32_t actual, int status)
{
	assert_true(i < rec.n);
	assert_int_equal(rec.ev[i].kind, REC_XFER);
	assert_int_equal(rec.ev[i].ep, ep);
	assert_int_equal(rec.ev[i].actual, actual);
	assert_int_equal(rec.ev[i].status, status);
}

static void assert_only_reset(void)
{
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_RESET);
}

/* A packet of @len bytes ACKed on OUT 1, then a reset before the handler ran: the completion,
 * with the bytes, comes before the reset. */
static void packet_then_reset(uint16_t len)
{
	uint8_t buf[64] = {0};

	env_clear();
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(1, pattern, len, 0), UD_VDC_ACK);
	assert_int_equal(rx_count(1), len);
	reset_now();
	assert_int_equal(rec.n, 2);
	assert_xfer(0, 0x01, len, UD_OK);
	assert_int_equal(rec.ev[1].kind, REC_RESET);
	assert_memory_equal(buf, pattern, len);
	/* Reported, so no longer in flight; the endpoint is dead until the core closes it. */
	assert_int_equal(P->ops->ep_abort(P, 0x01), 0);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(env_epr(1), 0);
	P->ops->ep_close(P, 0x01);
	env_no_bad_access();
}

static void test_reset_keeps_received_packet(void **state)
{
	static const struct ud_fsdev_model_config chips[] = {
		{.access = UD_FSDEV_PMA_16_STRIDE32, .pma_size = 512, .ep_count = 8},
		{.access = UD_FSDEV_PMA_16, .pma_size = 1024, .ep_count = 8},
		{.access = UD_FSDEV_PMA_32, .pma_size = 1024, .ep_count = 8},
	};

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		env_init(&chips[i], 64, 0);
		packet_then_reset(10);
		packet_then_reset(63);
	}
}

static void test_reset_keeps_received_zlp(void **state)
{
	(void)state;
	packet_then_reset(0);
}

/* Nothing received since the endpoint was armed: the reset alone, whatever the count field
 * still holds (0 from the open, the last packet's count after the handler took it). */
static void test_reset_without_packet_reports_nothing(void **state)
{
	uint8_t buf[128] = {0};

	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x02, UD_EP_BULK, 64); /* open, never armed: count 0 from the open */
	open_ep(0x03, UD_EP_BULK, 64);
	/* EP3: a transfer that ended in the handler; its count stays, it is not in flight. */
	assert_int_equal(P->ops->ep_xfer(P, 0x03, buf, 64), 0);
	assert_int_equal(out_packet(3, pattern, 5, 0), UD_VDC_ACK);
	env_irq();
	assert_xfer(0, 0x03, 5, UD_OK);
	/* EP1: armed, one full packet taken by the handler, armed again for the rest. */
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(1, pattern, 64, 0), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_stat_rx(1), 3);
	reset_now();
	assert_only_reset();
	/* Bytes moved before the reset are kept: the core's abort gets them. */
	assert_int_equal(P->ops->ep_abort(P, 0x01), 64);
	assert_memory_equal(buf, pattern, 64);
	assert_int_equal(P->ops->ep_abort(P, 0x02), 0);
	assert_int_equal(P->ops->ep_abort(P, 0x03), 0);
	env_no_bad_access();
}

/* A full packet of a longer transfer: taken, but the transfer is not over, so nothing is
 * reported; it stays in flight on the dead endpoint and the abort returns its bytes. */
static void test_reset_keeps_full_packet_of_longer_transfer(void **state)
{
	uint8_t buf[128] = {0};

	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(1, pattern, 64, 0), UD_VDC_ACK);
	reset_now();
	assert_only_reset();
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 1), UD_ERR_STATE); /* still in flight */
	/* A second reset before the core closed it takes nothing twice. */
	reset_now();
	assert_only_reset();
	assert_int_equal(P->ops->ep_abort(P, 0x01), 64);
	assert_memory_equal(buf, pattern, 64);
	env_no_bad_access();
}

/* More than fits in what is left of the transfer: what fits, and UD_ERR_OVERFLOW, as the
 * handler would have reported it. */
static void test_reset_keeps_overflowing_packet(void **state)
{
	uint8_t buf[16] = {0};

	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 10), 0);
	assert_int_equal(out_packet(1, pattern, 20, 0), UD_VDC_ACK);
	reset_now();
	assert_int_equal(rec.n, 2);
	assert_xfer(0, 0x01, 10, UD_ERR_OVERFLOW);
	assert_int_equal(rec.ev[1].kind, REC_RESET);
	assert_memory_equal(buf, pattern, 10);
	assert_int_equal(buf[10], 0);
}

/* EP0 shares its buffer with SETUPs and the reset ends its control transfer anyway: a data
 * stage packet the handler had not taken is not reported. */
static void test_reset_leaves_ep0(void **state)
{
	static const uint8_t set_line_coding[8] = {0x21, 0x20, 0, 0, 0, 0, 7, 0};
	uint8_t buf[8] = {0};

	(void)state;
	env_reset();
	env_setup(set_line_coding);
	assert_int_equal(P->ops->ep_xfer(P, 0x00, buf, 7), 0);
	assert_int_equal(out_packet(0, pattern, 7, 1), UD_VDC_ACK);
	reset_now();
	assert_only_reset();
	assert_int_equal(P->ops->ep_abort(P, 0x00), 0);
	env_no_bad_access();
}

/* An IN packet the host ACKed before the reset counts (its CTR_TX survives the reset) though
 * the handler never saw it, so the class does not send it again; the transfer is not over, so
 * it stays in flight on the dead endpoint and the core's abort gets all it moved. */
static void test_reset_counts_acked_in_packets(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 200), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK);
	env_irq(); /* 64 counted, the next packet loaded */
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK); /* CTR_TX pending */
	reset_now();
	assert_only_reset();
	assert_int_equal(env_epr(1), 0); /* flag taken, both directions disabled */
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_TIMEOUT);
	assert_int_equal(P->ops->ep_abort(P, 0x81), 128);
	/* The core has not seen the reset yet: a transfer on the dead endpoint is accepted and
	 * never moves; abort and close clean up. */
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
	assert_int_equal(env_epr(1), 0); /* the wiped register is not touched */
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_TIMEOUT);
	assert_int_equal(P->ops->ep_abort(P, 0x81), 0);
	P->ops->ep_close(P, 0x81);
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(pid, 0);
	env_clear();
	env_irq();
	assert_xfer(0, 0x81, 10, UD_OK);
	env_no_bad_access();
}

/* The last IN packet of a transfer, ACKed before the reset: the transfer is reported, before
 * the reset, with every byte (a ZLP too). */
static void last_in_then_reset(uint32_t total)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	env_clear();
	env_reset();
	open_ep(0x82, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x82, pattern, total), 0);
	if (total > 64) {
		assert_int_equal(in_token(2, buf, &len, &pid), UD_VDC_ACK);
		env_irq();
		env_clear();
	}
	assert_int_equal(in_token(2, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, total > 64 ? total - 64 : total);
	reset_now();
	assert_int_equal(rec.n, 2);
	assert_xfer(0, 0x82, total, UD_OK);
	assert_int_equal(rec.ev[1].kind, REC_RESET);
	assert_int_equal(P->ops->ep_abort(P, 0x82), 0); /* reported: no longer in flight */
	P->ops->ep_close(P, 0x82);
	env_no_bad_access();
}

static void test_reset_reports_ended_in_transfer(void **state)
{
	(void)state;
	last_in_then_reset(10);
	last_in_then_reset(100);
	last_in_then_reset(0);
}

/* The task arms an endpoint after the hardware's reset, before the handler ran (the core
 * resubmits from an earlier completion): the wiped register, its address now 0, must not end
 * up answering for EP0. The handler disables it; the next SETUP finds EP0 alone. */
static void test_armed_after_wipe_is_disabled(void **state)
{
	static const uint8_t get_status[8] = {0x80, 0, 0, 0, 0, 0, 2, 0};
	uint8_t buf[64] = {0};

	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x81, UD_EP_BULK, 64);
	ud_fsdev_model_bus_reset(&S.hw);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
	assert_int_not_equal(env_epr(1), 0); /* armed, at address 0 */
	env_clear();
	env_irq();
	assert_only_reset();
	assert_int_equal(env_epr(1), 0);
	env_clear();
	env_setup(get_status);
	env_no_bad_access();
}

/* The core aborts the transfer after the hardware's reset but before the handler ran (a class
 * cancels, or the core stops the endpoint for a halt): the reset kept CTR_RX, so the abort
 * takes the packet and returns its bytes.
 * The packet ended the transfer (short, a ZLP, or the whole length), so the abort reports it
 * (ud_port.h); the handler, running later, does not report it again. */
static void abort_between_reset_and_handler(uint16_t len)
{
	uint8_t buf[64] = {0};

	env_clear();
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(1, pattern, len, 0), UD_VDC_ACK);
	env_clear();
	ud_fsdev_model_bus_reset(&S.hw);      /* the handler has not run yet */
	assert_int_equal(env_epr(1), 0x8000); /* CTR_RX alone */
	assert_int_equal(P->ops->ep_abort(P, 0x01), len);
	assert_memory_equal(buf, pattern, len);
	assert_int_equal(rec.n, 1);
	assert_xfer(0, 0x01, len, UD_OK);
	env_irq();
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[1].kind, REC_RESET);
	env_no_bad_access();
}

static void test_abort_between_reset_and_handler(void **state)
{
	(void)state;
	abort_between_reset_and_handler(10);
	abort_between_reset_and_handler(64);
	abort_between_reset_and_handler(0);
}

/* The simulator's negative control: without the recovery the kept flags are dropped, so the
 * packet is lost. */
static void test_reset_recovery_disabled(void **state)
{
	uint8_t buf[64] = {0};

	(void)state;
	S.port.cfg.flags |= UD_FSDEV_SIM_NO_RESET_RECOVERY;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(1, pattern, 10, 0), UD_VDC_ACK);
	reset_now();
	assert_only_reset();
	assert_int_equal(P->ops->ep_abort(P, 0x01), 0);
}

/* The last endpoint register (EP7 on this chip) keeps its completion over a reset like EP1. */
static void test_reset_keeps_packet_on_last_register(void **state)
{
	uint8_t buf[64] = {0};

	(void)state;
	env_reset();
	open_ep(0x07, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x07, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(7, pattern, 9, 0), UD_VDC_ACK);
	reset_now();
	assert_int_equal(rec.n, 2);
	assert_xfer(0, 0x07, 9, UD_OK);
	assert_int_equal(rec.ev[1].kind, REC_RESET);
	assert_memory_equal(buf, pattern, 9);
	assert_int_equal(env_epr(7), 0);
	env_no_bad_access();
}

/* Between the reset and the core's close a dead endpoint is not open: a stall (a class
 * halting it meanwhile) must not write the wiped register, whose EA is 0 now; the close then
 * really closes it, so the next transfer is refused. */
static void test_dead_endpoint_until_closed(void **state)
{
	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	reset_now();
	assert_only_reset();
	P->ops->ep_stall(P, 0x81, true);
	assert_int_equal(env_epr(1), 0);
	P->ops->ep_close(P, 0x81);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), UD_ERR_STATE);
	env_no_bad_access();
}

/* The core aborts EP0 after the hardware's reset, before the handler ran: the CTR_RX the reset
 * kept in EP0's wiped register may be a SETUP's (its SETUP bit is gone), and the reset ends the
 * control transfer anyway, so the abort takes nothing and reports nothing. */
static void test_ep0_abort_between_reset_and_handler(void **state)
{
	static const uint8_t set_line_coding[8] = {0x21, 0x20, 0, 0, 0, 0, 7, 0};
	uint8_t buf[8] = {0};

	(void)state;
	env_reset();
	env_setup(set_line_coding);
	assert_int_equal(P->ops->ep_xfer(P, 0x00, buf, 7), 0);
	assert_int_equal(out_packet(0, pattern, 7, 1), UD_VDC_ACK);
	ud_fsdev_model_bus_reset(&S.hw); /* the handler has not run yet */
	assert_int_equal(P->ops->ep_abort(P, 0x00), 0);
	assert_int_equal(rec.n, 0);
	assert_int_equal(buf[0], 0);
	env_irq();
	assert_only_reset();
	env_no_bad_access();
}

#define T(name) cmocka_unit_test_setup(name, env_setup_f072)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_keeps_received_packet),
		T(test_reset_keeps_received_zlp),
		T(test_reset_without_packet_reports_nothing),
		T(test_reset_keeps_full_packet_of_longer_transfer),
		T(test_reset_keeps_overflowing_packet),
		T(test_reset_leaves_ep0),
		T(test_reset_counts_acked_in_packets),
		T(test_reset_reports_ended_in_transfer),
		T(test_armed_after_wipe_is_disabled),
		T(test_abort_between_reset_and_handler),
		T(test_reset_recovery_disabled),
		T(test_reset_keeps_packet_on_last_register),
		T(test_dead_endpoint_until_closed),
		T(test_ep0_abort_between_reset_and_handler),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
