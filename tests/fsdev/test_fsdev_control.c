/* SPDX-License-Identifier: MIT */
/*
 * port/stm32_fsdev against the register model: initialisation and the buffer descriptor
 * table, the first bus reset, SETUP and control transfers, the address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fsdev_env.h"
#include "fsdev_regs.h" /* the port's private encoder, for its edge cases */
#include "udcore/ud_ch9.h"

/* ---- initialisation ---- */

static void test_init_registers_and_table(void **state)
{
	(void)state;
	/* Interrupts: CTR, RESET, SUSP, WKUP and (asked for) SOF; powered, not held in reset. */
	assert_int_equal(S.hw.cntr, 0x8000u | 0x0400u | 0x0800u | 0x1000u | 0x0200u);
	assert_int_equal(S.hw.btable, 0);
	assert_int_equal(S.hw.daddr, 0);  /* function off until the first reset */
	assert_true(S.hw.bcdr & 0x8000u); /* DPPU: connected */
	/* EP0's entries: TX buffer after the 8-entry table, RX after it, 64 bytes each. */
	assert_int_equal(pma16(0), 64 + 64);             /* ADDR0_TX */
	assert_int_equal(pma16(2), 0);                   /* COUNT0_TX */
	assert_int_equal(pma16(4), 64);                  /* ADDR0_RX */
	assert_int_equal(pma16(6), 0x8400u);             /* BL_SIZE=1, NUM_BLOCK=1: 64 bytes */
	assert_int_equal(env_epr(0) & 0x0600u, 0x0200u); /* CONTROL */
	env_no_bad_access();
}

static void test_no_answer_before_first_reset(void **state)
{
	(void)state;
	assert_int_equal(ud_fsdev_model_setup(&S.hw, 0, get_dev), UD_VDC_TIMEOUT);
	ud_fsdev_model_bus_reset(&S.hw);
	/* While USB_ISTR.RESET is set the peripheral answers nothing. */
	assert_int_equal(ud_fsdev_model_setup(&S.hw, 0, get_dev), UD_VDC_TIMEOUT);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_RESET);
	assert_int_equal(S.hw.daddr, 0x80u);
	env_setup(get_dev);
	env_no_bad_access();
}

static void test_rx_count_encoding(void **state)
{
	(void)state;
	env_reset();
	/* Each size as an OUT endpoint: the COUNTn_RX allocation field the port writes. */
	static const struct {
		uint16_t mps, field;
	} cases[] = {
		{1, 0x0400u},  {2, 0x0400u},  {8, 0x1000u},  {9, 0x1400u},
		{32, 0x4000u}, {62, 0x7c00u}, {63, 0x8400u}, {64, 0x8400u},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		open_ep(0x01, UD_EP_BULK, cases[i].mps);
		assert_int_equal(pma16(8 + 6), cases[i].field);
		P->ops->ep_close(P, 0x01);
	}
	env_no_bad_access();
}

static void test_ep0_sizes(void **state)
{
	(void)state;
	static const struct {
		uint8_t mps;
		uint16_t field;
	} cases[] = {{8, 0x1000u}, {16, 0x2000u}, {32, 0x4000u}, {64, 0x8400u}};
	for (unsigned i = 0; i < 4; i++) {
		env_init(NULL, cases[i].mps, 0);
		assert_int_equal(pma16(6), cases[i].field);
		assert_int_equal(S.hw.cntr & 0x0200u, 0); /* no SOF interrupt unless asked */
	}
}

/* ---- SETUP and control transfers ---- */

static void test_setup_sets_toggles_and_nak(void **state)
{
	(void)state;
	env_reset();
	env_setup(get_dev);
	/* The hardware's doing: both directions NAK, DTOG_TX = DTOG_RX = 1. */
	assert_int_equal(env_stat_tx(0), 2);
	assert_int_equal(env_stat_rx(0), 2);
	assert_true(env_epr(0) & 0x0040u);
	assert_true(env_epr(0) & 0x4000u);
	assert_false(env_epr(0) & 0x8000u); /* CTR_RX cleared by the handler */
}

static void test_in_transfer_packet_by_packet(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	env_setup(get_dev);
	assert_int_equal(P->ops->ep_xfer(P, 0x80, pattern, 100), 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, 64);
	assert_int_equal(pid, 1);
	assert_memory_equal(buf, pattern, 64);
	/* The next packet is loaded by the interrupt, not before. */
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_NAK);
	env_irq();
	assert_int_equal(rec.n, 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, 36);
	assert_int_equal(pid, 0);
	assert_memory_equal(buf, pattern + 64, 36);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(env_last()->kind, REC_XFER);
	assert_int_equal(env_last()->ep, 0x80);
	assert_int_equal(env_last()->actual, 100);
	assert_int_equal(env_last()->status, UD_OK);
	env_no_bad_access();
}

static void test_zero_length_packet(void **state)
{
	uint8_t buf[64];
	uint16_t len = 99;
	uint8_t pid;

	(void)state;
	env_reset();
	env_setup(get_dev);
	assert_int_equal(P->ops->ep_xfer(P, 0x80, NULL, 0), 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, 0);
	env_irq();
	assert_int_equal(env_last()->actual, 0);
	assert_int_equal(env_last()->ep, 0x80);
}

static void test_status_out_and_data_in_status(void **state)
{
	(void)state;
	env_reset();
	env_setup(get_dev);
	/* The status OUT armed with a zero-length buffer: a ZLP ends it well... */
	assert_int_equal(P->ops->ep_xfer(P, 0x00, NULL, 0), 0);
	assert_int_equal(out_packet(0, NULL, 0, 1), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->ep, 0x00);
	assert_int_equal(env_last()->status, UD_OK);
	/* ...data where a ZLP belongs overflows it. */
	env_setup(get_dev);
	assert_int_equal(P->ops->ep_xfer(P, 0x00, NULL, 0), 0);
	assert_int_equal(out_packet(0, pattern, 3, 1), UD_VDC_ACK);
	env_irq();
	assert_int_equal(env_last()->status, UD_ERR_OVERFLOW);
	assert_int_equal(env_last()->actual, 0);
}

static void test_setup_clears_stall(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	env_setup(get_dev);
	P->ops->ep_stall(P, 0x80, true);
	P->ops->ep_stall(P, 0x00, true);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_STALL);
	assert_int_equal(out_packet(0, NULL, 0, 1), UD_VDC_STALL);
	env_setup(get_dev); /* taken despite STAT_RX = STALL */
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_NAK);
}

static void test_setup_overtakes_stale_stage(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	env_setup(get_dev);
	assert_int_equal(P->ops->ep_xfer(P, 0x00, NULL, 0), 0); /* status OUT armed */
	/* A new SETUP arrives before the handler ran: the core, still on the old request, must
	 * not arm or stall EP0 for the new one, and aborting must keep the SETUP. */
	assert_int_equal(ud_fsdev_model_setup(&S.hw, 0, get_dev), UD_VDC_ACK);
	assert_int_equal(P->ops->ep_xfer(P, 0x80, pattern, 18), 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_NAK);
	P->ops->ep_stall(P, 0x80, true);
	assert_int_equal(env_stat_tx(0), 2);
	assert_int_equal(P->ops->ep_abort(P, 0x00), 0);
	assert_int_equal(P->ops->ep_abort(P, 0x80), 0);
	/* A second SETUP while CTR_RX is set gets no handshake. */
	assert_int_equal(ud_fsdev_model_setup(&S.hw, 0, get_dev), UD_VDC_TIMEOUT);
	assert_int_equal(S.hw.stats.setups_dropped, 1);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_SETUP);
}

/* The handler has reported the new SETUP, and the core, still answering the old request,
 * has not taken it: the stage and the stall of the old request stay off the wire too
 * (ud_port.h). The hardware flag is clear by then; the channel says it. */
static void test_reported_setup_holds_ep0(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_reset();
	env_setup(get_dev);
	setup_waiting = true;
	assert_int_equal(P->ops->ep_xfer(P, 0x80, pattern, 18), 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_NAK);
	P->ops->ep_stall(P, 0x00, true);
	assert_int_equal(env_stat_rx(0), 2);
	assert_int_equal(P->ops->ep_abort(P, 0x80), 0);
	setup_waiting = false; /* taken: the new request's stage goes out */
	assert_int_equal(P->ops->ep_xfer(P, 0x80, pattern, 18), 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, 18);
	assert_memory_equal(buf, pattern, 18);
	env_no_bad_access();
}

static void test_status_in_reported_before_next_setup(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;
	static const uint8_t set_addr[8] = {0x00, 0x05, 0x07, 0, 0, 0, 0, 0};

	(void)state;
	env_reset();
	env_setup(set_addr);
	assert_int_equal(P->ops->ep_xfer(P, 0x80, NULL, 0), 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	/* The host is quick: the next SETUP (still at address 0) before the handler ran. */
	assert_int_equal(ud_fsdev_model_setup(&S.hw, 0, get_dev), UD_VDC_ACK);
	env_irq();
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[0].kind, REC_XFER);
	assert_int_equal(rec.ev[0].ep, 0x80);
	assert_int_equal(rec.ev[1].kind, REC_SETUP);
}

static const uint8_t set_addr5[8] = {0x00, 0x05, 0x05, 0, 0, 0, 0, 0};

/* SET_ADDRESS(5) taken, the core's set_address() and its status stage armed, as the core does
 * with UD_PORT_ADDR_BEFORE_STATUS: the address waits for that stage. */
static void address_latched(void)
{
	env_reset();
	env_setup(set_addr5);
	P->ops->set_address(P, 5);
	assert_int_equal(P->ops->ep_xfer(P, 0x80, NULL, 0), 0);
	assert_int_equal(S.hw.daddr, 0x80u); /* the status packet goes out from address 0 */
}

/* The status stage of a ZLP IN on EP0, acknowledged and handled: the address is not 5. */
static void status_stage_leaves_address_0(void)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	assert_int_equal(P->ops->ep_xfer(P, 0x80, NULL, 0), 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	env_irq();
	assert_int_equal(S.hw.daddr, 0x80u);
	assert_int_equal(env_last()->ep, 0x80);
	env_clear();
}

static void test_set_address_applied_by_handler(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	assert_true(P->caps->flags & UD_PORT_ADDR_BEFORE_STATUS);
	address_latched();
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(S.hw.daddr, 0x80u);
	/* The handler applies it, before any task runs: the 2 ms recovery time (USB 2.0 9.2.6.3)
	 * does not depend on how soon ud_task() comes. */
	env_irq();
	assert_int_equal(S.hw.daddr, 0x85u);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_XFER);
	assert_int_equal(rec.ev[0].ep, 0x80);
	assert_int_equal(ud_fsdev_model_setup(&S.hw, 0, get_dev), UD_VDC_TIMEOUT);
	env_setup(get_dev); /* at address 5 */
	env_reset();        /* back to 0 */
	assert_int_equal(S.hw.daddr, 0x80u);
	env_no_bad_access();
}

/* A status stage that ends otherwise than acknowledged drops the address for good. */
static void test_set_address_dropped_unless_acked(void **state)
{
	(void)state;
	/* A new SETUP instead of the status stage's IN token. */
	address_latched();
	env_setup(get_dev);
	assert_int_equal(S.hw.daddr, 0x80u);
	status_stage_leaves_address_0();
	/* The core aborts the stage. */
	address_latched();
	assert_int_equal(P->ops->ep_abort(P, 0x80), 0);
	assert_int_equal(S.hw.daddr, 0x80u);
	status_stage_leaves_address_0();
	/* A bus reset. */
	address_latched();
	env_reset();
	assert_int_equal(S.hw.daddr, 0x80u);
	status_stage_leaves_address_0();
	env_no_bad_access();
}

/* The status packet was acknowledged but the handler has not run when the core aborts the
 * stage (its next SETUP came): the abort reports it ended, and applies the address. */
static void test_set_address_applied_by_abort(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	address_latched();
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(P->ops->ep_abort(P, 0x80), 0);
	assert_int_equal(S.hw.daddr, 0x85u);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_XFER);
	assert_int_equal(rec.ev[0].ep, 0x80);
	env_no_bad_access();
}

static void test_init_refuses_tiny_pma(void **state)
{
	static const struct ud_fsdev_model_config tiny = {
		.access = UD_FSDEV_PMA_16, .pma_size = 128, .ep_count = 8, .internal_pullup = true};

	(void)state;
	ud_sim_fsdev_init(&S, &tiny, 0);
	P = ud_fsdev_port(&S.port);
	P->ep0_max_packet = 64;
	assert_int_equal(P->ops->init(P), UD_ERR_NOSPACE);
}

static void test_rx_count_edges(void **state)
{
	uint16_t alloc;

	(void)state;
	assert_int_equal(ud_fsdev_rx_count_field(0, &alloc), 0x0400u); /* at least one block */
	assert_int_equal(alloc, 2);
	assert_int_equal(ud_fsdev_rx_count_field(1023, &alloc), 0xfc00u);
	assert_int_equal(alloc, 1024);
	assert_int_equal(ud_fsdev_rx_count_field(2000, &alloc), 0xfc00u); /* capped at 1024 */
	assert_int_equal(alloc, 1024);
	assert_int_equal(ud_fsdev_rx_count_field(96, &alloc), 0x8800u);
	assert_int_equal(alloc, 96);
}

static void test_endpoint_count_clamped(void **state)
{
	struct ud_fsdev f;
	struct ud_fsdev_config cfg = {.ep_count = 0};

	(void)state;
	ud_fsdev_init(&f, &cfg);
	assert_int_equal(f.caps.ep_count, 1);
	cfg.ep_count = 12;
	ud_fsdev_init(&f, &cfg);
	assert_int_equal(f.caps.ep_count,
	                 UD_FSDEV_MAX_EP < UD_MAX_EP_NUM ? UD_FSDEV_MAX_EP : UD_MAX_EP_NUM);
	assert_int_equal(f.caps.flags, UD_PORT_NO_VBUS_SENSE | UD_PORT_ADDR_BEFORE_STATUS);
	assert_int_equal(f.caps.speeds, UD_SPEED_FULL);
	assert_ptr_equal(f.port.priv, &f);
}

/* A SETUP ends an OUT data stage in flight too: EP0 OUT is idle again, so the core can arm
 * the new request's stages at once. */
static void test_setup_ends_out_stage(void **state)
{
	static const uint8_t set_line_coding[8] = {0x21, 0x20, 0, 0, 0, 0, 7, 0};
	uint8_t buf[8];

	(void)state;
	env_reset();
	env_setup(set_line_coding);
	assert_int_equal(P->ops->ep_xfer(P, 0x00, buf, 7), 0);
	env_setup(get_dev);
	assert_int_equal(P->ops->ep_xfer(P, 0x00, NULL, 0), 0);
	assert_int_equal(env_stat_rx(0), 3);
	env_no_bad_access();
}

/* Only a SETUP (CTR_RX with SETUP) holds EP0 back: a data stage packet the handler has not
 * taken yet does not, so the core's stall of the IN direction takes effect. */
static void test_out_packet_is_no_pending_setup(void **state)
{
	static const uint8_t set_line_coding[8] = {0x21, 0x20, 0, 0, 0, 0, 7, 0};
	uint8_t buf[8];

	(void)state;
	env_reset();
	env_setup(set_line_coding);
	assert_int_equal(P->ops->ep_xfer(P, 0x00, buf, 7), 0);
	assert_int_equal(out_packet(0, pattern, 7, 1), UD_VDC_ACK);
	P->ops->ep_stall(P, 0x80, true);
	assert_int_equal(env_stat_tx(0), 1);
	env_no_bad_access();
}

/* ep0_max_packet 0 means 64: one 64-byte packet, and an RX buffer that takes 64. */
static void test_ep0_default_size(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_init(NULL, 0, 0);
	env_reset();
	env_setup(get_dev);
	assert_int_equal(P->ops->ep_xfer(P, 0x80, pattern, 64), 0);
	assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, 64);
	assert_int_equal(pma16(6) & 0xfc00u, 0x8400u); /* COUNT0_RX: 2 blocks of 32 */
}

/* A packet memory that EP0's buffers fill exactly is enough. */
static void test_init_exact_pma(void **state)
{
	static const struct ud_fsdev_model_config exact = {
		.access = UD_FSDEV_PMA_16, .pma_size = 192, .ep_count = 8, .internal_pullup = true};

	(void)state;
	ud_sim_fsdev_init(&S, &exact, 0);
	P = ud_fsdev_port(&S.port);
	P->ep0_max_packet = 64;
	assert_int_equal(P->ops->init(P), 0);
}

/* A SETUP waiting on EP0 holds back EP0 only: another endpoint's stall takes effect. */
static void test_pending_setup_holds_only_ep0(void **state)
{
	(void)state;
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(ud_fsdev_model_setup(&S.hw, 0, get_dev), UD_VDC_ACK);
	P->ops->ep_stall(P, 0x81, true);
	assert_int_equal(env_stat_tx(1), 1);
	assert_int_equal(P->ops->ep_xfer(P, 0x81, pattern, 1), 0);
	env_no_bad_access();
}

#define T(name) cmocka_unit_test_setup(name, env_setup_f072)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_registers_and_table),
		T(test_no_answer_before_first_reset),
		T(test_rx_count_encoding),
		T(test_ep0_sizes),
		T(test_setup_sets_toggles_and_nak),
		T(test_in_transfer_packet_by_packet),
		T(test_zero_length_packet),
		T(test_status_out_and_data_in_status),
		T(test_setup_clears_stall),
		T(test_setup_overtakes_stale_stage),
		T(test_reported_setup_holds_ep0),
		T(test_status_in_reported_before_next_setup),
		T(test_set_address_applied_by_handler),
		T(test_set_address_dropped_unless_acked),
		T(test_set_address_applied_by_abort),
		T(test_init_refuses_tiny_pma),
		T(test_rx_count_edges),
		T(test_endpoint_count_clamped),
		T(test_setup_ends_out_stage),
		T(test_out_packet_is_no_pending_setup),
		T(test_ep0_default_size),
		T(test_init_exact_pma),
		T(test_pending_setup_holds_only_ep0),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
