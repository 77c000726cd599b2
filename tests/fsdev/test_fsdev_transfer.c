/* SPDX-License-Identifier: MIT */
/*
 * port/stm32_fsdev against the register model: bulk transfers packet by packet, data toggles,
 * stall and the toggle reset of clear-halt, abort and close (also racing a transaction), and
 * completion flags with no transfer behind them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fsdev_env.h"
#include "udcore/ud_ch9.h"

/* ---- bulk endpoints ---- */

static void test_out_transfer(void **state)
{
	uint8_t buf[128] = {0};

	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(env_stat_rx(1), 2);
	assert_int_equal(env_stat_tx(1), 0); /* the IN direction stays disabled */
	assert_int_equal(out_packet(1, pattern, 64, 0), UD_VDC_NAK); /* nothing armed */
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 100), 0);
	assert_int_equal(out_packet(1, pattern, 64, 0), UD_VDC_ACK);
	assert_int_equal(out_packet(1, pattern + 64, 36, 1), UD_VDC_NAK); /* not re-armed yet */
	env_irq();
	assert_int_equal(rec.n, 0);
	assert_int_equal(out_packet(1, pattern + 64, 36, 1), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->ep, 0x01);
	assert_int_equal(env_last()->actual, 100);
	assert_int_equal(env_last()->status, UD_OK);
	assert_memory_equal(buf, pattern, 100);
	assert_int_equal(env_stat_rx(1), 2);
	env_no_bad_access();
}

static void test_out_short_full_and_overflow(void **state)
{
	uint8_t buf[64] = {0};

	(void)state;
	env_reset();
	open_ep(0x02, UD_EP_BULK, 64);
	/* A short packet ends it. */
	assert_int_equal(P->ops->ep_xfer(P, 0x02, buf, 64), 0);
	assert_int_equal(out_packet(2, pattern, 5, 0), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->actual, 5);
	/* More than the room left: what fits, then UD_ERR_OVERFLOW. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(P->ops->ep_xfer(P, 0x02, buf, 10), 0);
	assert_int_equal(out_packet(2, pattern, 20, 1), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->actual, 10);
	assert_int_equal(env_last()->status, UD_ERR_OVERFLOW);
	assert_memory_equal(buf, pattern, 10);
	assert_int_equal(buf[10], 0);
}

static void test_out_toggle_mismatch(void **state)
{
	uint8_t buf[64];

	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 64), 0);
	/* DATA1 where DATA0 is expected: a retransmission, ACKed and dropped. */
	assert_int_equal(out_packet(1, pattern, 8, 1), UD_VDC_ACK);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_int_equal(env_stat_rx(1), 3); /* still armed */
	assert_int_equal(out_packet(1, pattern, 8, 0), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->actual, 8);
	env_no_bad_access();
}

static void test_babble_stalls(void **state)
{
	static uint8_t big[70];
	uint8_t buf[64];

	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 64), 0);
	assert_int_equal(ud_fsdev_model_out(&S.hw, 0, 1, big, sizeof(big), 0), UD_VDC_STALL);
	assert_int_equal(S.hw.stats.overruns, 1);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_int_equal(ud_fsdev_model_out(&S.hw, 0, 1, pattern, 3, 0), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->actual, 3);
}

static void test_in_bulk_toggles(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(env_stat_rx(1), 0); /* OUT of number 1 not open: disabled */
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
		assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK);
		assert_int_equal(pid, i & 1u);
		env_irq();
	}
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_NAK);
}

static void test_both_directions_share_a_register(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	/* CDC's layout: EP1 IN interrupt and EP1 OUT bulk in one register. */
	open_ep(0x81, UD_EP_INTERRUPT, 8);
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(env_epr(1) & 0x000fu, 1);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 8), 0);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 64), 0);
	assert_int_equal(out_packet(1, pattern, 4, 0), UD_VDC_ACK);
	assert_int_equal(in_token(1, buf + 32, &len, &pid), UD_VDC_ACK);
	env_irq();
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[0].ep, 0x81); /* CTR_TX first, then CTR_RX */
	assert_int_equal(rec.ev[1].ep, 0x01);
	/* Closing one direction leaves the other running. */
	P->ops->ep_close(P, 0x81);
	assert_int_equal(env_stat_tx(1), 0);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 64), 0);
	assert_int_equal(out_packet(1, pattern, 4, 1), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->ep, 0x01);
}

/* ---- stall and clear-halt ---- */

static void test_clear_halt_resets_toggle(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	open_ep(0x01, UD_EP_BULK, 64);
	/* Leave both toggles at DATA1. */
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 1), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 64), 0);
	assert_int_equal(out_packet(1, pattern, 1, 0), UD_VDC_ACK);
	env_irq();
	assert_true(env_epr(1) & 0x0040u);
	assert_true(env_epr(1) & 0x4000u);

	P->ops->ep_stall(P, 0x81, true);
	P->ops->ep_stall(P, 0x01, true);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_STALL);
	assert_int_equal(out_packet(1, pattern, 1, 1), UD_VDC_STALL);
	assert_true(env_epr(1) & 0x0040u); /* stalling keeps the toggle */
	P->ops->ep_stall(P, 0x81, false);
	P->ops->ep_stall(P, 0x01, false);
	/* DATA0 again (written as a toggle: 1 ^ 1), and NAK until a transfer is armed. */
	assert_false(env_epr(1) & 0x0040u);
	assert_false(env_epr(1) & 0x4000u);
	assert_int_equal(env_stat_tx(1), 2);
	assert_int_equal(env_stat_rx(1), 2);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 1), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(pid, 0);
	/* Clearing a halt on a toggle already at DATA0 must leave it there. */
	env_irq();
	P->ops->ep_stall(P, 0x01, true);
	P->ops->ep_stall(P, 0x01, false);
	assert_false(env_epr(1) & 0x4000u);
	env_no_bad_access();
}

/* ---- abort and close ---- */

static void test_abort_in_counts_acked_packet(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x82, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x82, pattern, 200), 0);
	assert_int_equal(in_token(2, buf, &len, &pid), UD_VDC_ACK);
	env_irq(); /* 64 counted, next packet loaded */
	assert_int_equal(in_token(2, buf, &len, &pid), UD_VDC_ACK);
	/* CTR_TX pending: the host has the second packet, the handler did not count it yet. */
	assert_int_equal(P->ops->ep_abort(P, 0x82), 128);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_int_equal(in_token(2, buf, &len, &pid), UD_VDC_NAK);
	assert_int_equal(P->ops->ep_abort(P, 0x82), 0); /* nothing in flight */
	/* Abort of a transfer whose packet is still VALID: NAK, nothing moved. */
	assert_int_equal(P->ops->ep_xfer(P, 0x82, pattern, 10), 0);
	assert_int_equal(env_stat_tx(2), 3);
	assert_int_equal(P->ops->ep_abort(P, 0x82), 0);
	assert_int_equal(env_stat_tx(2), 2);
	assert_int_equal(rec.n, 0);
}

static void test_abort_out_copies_pending_packet(void **state)
{
	uint8_t buf[64] = {0};

	(void)state;
	env_reset();
	open_ep(0x03, UD_EP_BULK, 16);
	assert_int_equal(P->ops->ep_xfer(P, 0x03, buf, 64), 0);
	assert_int_equal(out_packet(3, pattern, 16, 0), UD_VDC_ACK);
	env_irq();
	assert_int_equal(out_packet(3, pattern + 16, 16, 1), UD_VDC_ACK);
	/* ACKed to the host, not copied yet: the abort copies it and counts it. */
	assert_int_equal(P->ops->ep_abort(P, 0x03), 32);
	assert_memory_equal(buf, pattern, 32);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_int_equal(rec.n, 0);
	/* Armed and idle: NAK afterwards. */
	assert_int_equal(P->ops->ep_xfer(P, 0x03, buf, 64), 0);
	assert_int_equal(P->ops->ep_abort(P, 0x03), 0);
	assert_int_equal(env_stat_rx(3), 2);
}

static void test_close_drops_completion(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK);
	P->ops->ep_close(P, 0x81);
	assert_false(ud_fsdev_model_irq_line(&S.hw)); /* its CTR_TX went with it */
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_TIMEOUT);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), UD_ERR_STATE);
	/* Closing what is closed, EP0 or an endpoint the controller lacks: nothing happens. */
	P->ops->ep_close(P, 0x81);
	P->ops->ep_close(P, 0x00);
	P->ops->ep_close(P, 0x8f);
	assert_int_equal(env_stat_rx(0), 2);
	assert_int_equal(rec.n, 0);
}

/* ---- races the single-threaded model cannot stage by itself ---- */

/* An io that, once armed, lets the host make one transaction right after the port has read
 * EPnR of @race_ep: the hardware acting between the driver's read and its write. */
static struct {
	int armed;  /* fire at this read of the register (1: the next one) */
	uint8_t ep; /* endpoint address the host talks to */
	uint8_t data[64];
	uint16_t len;
	enum ud_vdc_result answer;
} race;

static uint32_t race_read(void *ctx, uintptr_t addr, uint8_t width)
{
	uint32_t v = ud_fsdev_model_read(ctx, addr, width);
	if (race.armed && addr == UD_FSDEV_MODEL_USB_BASE + 4u * (race.ep & 0x0fu) &&
	    --race.armed == 0) {
		uint8_t pid;
		if (race.ep & 0x80u)
			race.answer =
				ud_fsdev_model_in(ctx, ud_fsdev_model_address(ctx), race.ep & 0x0fu,
			                          race.data, 64, &race.len, &pid);
		else
			race.answer = ud_fsdev_model_out(ctx, ud_fsdev_model_address(ctx), race.ep,
			                                 race.data, race.len, 0);
	}
	return v;
}

static const struct ud_fsdev_io race_io = {.read = race_read, .write = ud_fsdev_model_write};

static void test_abort_races_a_transaction(void **state)
{
	uint8_t buf[64] = {0};

	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	open_ep(0x02, UD_EP_BULK, 64);
	S.port.cfg.io = &race_io;
	/* IN: the packet goes out between the read of VALID and the write of NAK (the second
	 * read: the one inside the toggle-safe write), so the write flips the hardware's NAK back
	 * to VALID. The port must notice, count the packet and end up NAKing; the packet was the
	 * transfer's last, so the abort reports the transfer (ud_port.h). */
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
	race.ep = 0x81;
	race.armed = 2;
	assert_int_equal(P->ops->ep_abort(P, 0x81), 10);
	assert_int_equal(race.answer, UD_VDC_ACK);
	assert_int_equal(env_stat_tx(1), 2);
	assert_false(env_epr(1) & 0x0080u);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_XFER);
	assert_int_equal(rec.ev[0].ep, 0x81);
	assert_int_equal(rec.ev[0].actual, 10);
	/* OUT: a packet arrives in the same window; it is copied and counted, and (short) it ended
	 * the transfer: reported too. */
	assert_int_equal(P->ops->ep_xfer(P, 0x02, buf, 64), 0);
	race.ep = 0x02;
	race.len = 7;
	memcpy(race.data, pattern, 7);
	race.armed = 2;
	assert_int_equal(P->ops->ep_abort(P, 0x02), 7);
	assert_int_equal(race.answer, UD_VDC_ACK);
	assert_memory_equal(buf, pattern, 7);
	assert_int_equal(env_stat_rx(2), 2);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[1].ep, 0x02);
	assert_int_equal(rec.ev[1].actual, 7);
	assert_int_equal(rec.ev[1].status, UD_OK);
	S.port.cfg.io = &ud_fsdev_model_io;
	env_no_bad_access();
}

static void test_stale_completion_flags(void **state)
{
	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	open_ep(0x01, UD_EP_BULK, 64);
	/* Completion flags with no transfer behind them: cleared, never reported. */
	S.hw.epr[1] |= 0x8080u;
	env_irq();
	assert_int_equal(rec.n, 0);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	/* A flag on a register beyond the port's endpoints: cleared too, no spinning. */
	S.port.caps.ep_count = 4;
	S.hw.epr[6] |= 0x8080u; /* both directions */
	env_irq();
	assert_int_equal(rec.n, 0);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
}

/* ud_fsdev_config.rx_settle: called once per reception (an OUT packet, a SETUP, a packet an
 * abort finds), and before the port reads the packet memory for it: on parts with the erratum
 * the last bytes may not be there yet when CTR_RX is raised. The io hook counts a read of the
 * packet memory between a reception and its wait. */
static struct {
	bool due; /* a reception completed; its wait has not come yet */
	unsigned waits, early_reads;
} settle;

static void count_settle(void)
{
	settle.waits++;
	settle.due = false;
}

static uint32_t settle_read(void *ctx, uintptr_t addr, uint8_t width)
{
	if (settle.due && addr >= UD_FSDEV_MODEL_PMA_BASE)
		settle.early_reads++;
	return ud_fsdev_model_read(ctx, addr, width);
}

static void test_rx_settle_before_read(void **state)
{
	static const struct ud_fsdev_io io = {.read = settle_read, .write = ud_fsdev_model_write};
	uint8_t buf[128] = {0}, in[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x81, UD_EP_BULK, 64);
	memset(&settle, 0, sizeof(settle));
	S.port.cfg.io = &io;
	S.port.cfg.rx_settle = count_settle;
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(1, pattern, 64, 0), UD_VDC_ACK);
	settle.due = true;
	env_irq();
	assert_int_equal(out_packet(1, pattern + 64, 10, 1), UD_VDC_ACK);
	settle.due = true;
	env_irq();
	assert_int_equal(settle.waits, 2);
	assert_int_equal(env_last()->actual, 74);
	assert_memory_equal(buf, pattern, 74);
	settle.due = true;
	env_setup(get_dev);
	assert_int_equal(settle.waits, 3);
	/* The abort that copies a packet the handler has not taken yet. */
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out_packet(1, pattern, 5, 0), UD_VDC_ACK);
	settle.due = true;
	assert_int_equal(P->ops->ep_abort(P, 0x01), 5);
	assert_int_equal(settle.waits, 4);
	/* IN receives nothing: no wait. */
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
	assert_int_equal(in_token(1, in, &len, &pid), UD_VDC_ACK);
	env_irq();
	assert_int_equal(settle.waits, 4);
	assert_int_equal(settle.early_reads, 0);
	S.port.cfg.io = &ud_fsdev_model_io;
	S.port.cfg.rx_settle = NULL;
	env_no_bad_access();
}

/* ep_open() gives an idle endpoint at DATA0 (ud_port.h), also when it is opened again without
 * a close (a new configuration or alternate setting): no transfer in flight, no completion
 * flag of the old one left, the toggle back at DATA0. */
static void test_open_again_starts_afresh(void **state)
{
	uint8_t buf[64] = {0};
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK); /* DTOG_TX 1, CTR_TX set */
	assert_int_equal(P->ops->ep_xfer(P, 0x01, buf, 64), 0);
	assert_int_equal(out_packet(1, pattern, 4, 0), UD_VDC_ACK); /* DTOG_RX 1, CTR_RX set */
	open_ep(0x81, UD_EP_BULK, 64);
	open_ep(0x01, UD_EP_BULK, 64);
	assert_false(env_epr(1) & 0x8080u);
	assert_false(env_epr(1) & 0x4000u); /* DTOG_RX */
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 10), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(pid, 0);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].ep, 0x81);
	env_no_bad_access();
}

/* A close ends the transfer for good (an abort after it finds nothing) and leaves DATA0 for
 * the next open. */
static void test_close_ends_transfer_and_toggle(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 200), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK);
	env_irq(); /* 64 moved, DTOG_TX 1 */
	P->ops->ep_close(P, 0x81);
	assert_false(env_epr(1) & 0x0040u);
	assert_int_equal(P->ops->ep_abort(P, 0x81), 0);
	assert_int_equal(rec.n, 0);
	env_no_bad_access();
}

/* Opening one direction of a register leaves the other direction's completion alone: an IN
 * packet the host took before OUT of the same number was opened is still reported. */
static void test_open_keeps_other_direction_completion(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_INTERRUPT, 8);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 8), 0);
	assert_int_equal(in_token(1, buf, &len, &pid), UD_VDC_ACK); /* CTR_TX pending */
	open_ep(0x01, UD_EP_BULK, 64);
	assert_true(env_epr(1) & 0x0080u);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].ep, 0x81);
	assert_int_equal(rec.ev[0].actual, 8);
	env_no_bad_access();
}

#define T(name) cmocka_unit_test_setup(name, env_setup_f072)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_out_transfer),
		T(test_out_short_full_and_overflow),
		T(test_out_toggle_mismatch),
		T(test_babble_stalls),
		T(test_in_bulk_toggles),
		T(test_both_directions_share_a_register),
		T(test_clear_halt_resets_toggle),
		T(test_abort_in_counts_acked_packet),
		T(test_abort_out_copies_pending_packet),
		T(test_close_drops_completion),
		T(test_abort_races_a_transaction),
		T(test_stale_completion_flags),
		T(test_rx_settle_before_read),
		T(test_open_again_starts_afresh),
		T(test_close_ends_transfer_and_toggle),
		T(test_open_keeps_other_direction_completion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
