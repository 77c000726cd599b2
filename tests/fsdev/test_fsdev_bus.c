/* SPDX-License-Identifier: MIT */
/*
 * port/stm32_fsdev against the register model: the packet memory (layout, exhaustion, the
 * three access schemes), suspend/resume, SOF, remote wakeup, the pull-up, deinit, and the
 * interrupt handler's guards. The bus reset has its own file (test_fsdev_reset.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fsdev_env.h"
#include "udcore/ud_ch9.h"

/* ---- packet memory ---- */

static void test_pma_exhaustion_and_reuse(void **state)
{
	(void)state;
	/* A 512-byte F103: table 64 + EP0 128 leaves 320 bytes, five 64-byte buffers. */
	static const struct ud_fsdev_model_config f103 = {
		.access = UD_FSDEV_PMA_16_STRIDE32, .pma_size = 512, .ep_count = 8};
	const struct ud_ep_config six = {.addr = 0x83, .type = UD_EP_BULK, .max_packet = 64};
	env_init(&f103, 64, 0);
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x82, UD_EP_BULK, 64);
	open_ep(0x02, UD_EP_BULK, 64);
	open_ep(0x03, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_open(P, &six), UD_ERR_NOSPACE);
	/* A closed endpoint keeps its buffer for the next open of that endpoint. */
	P->ops->ep_close(P, 0x02);
	assert_int_equal(P->ops->ep_open(P, &six), UD_ERR_NOSPACE);
	open_ep(0x02, UD_EP_BULK, 32);
	P->ops->ep_close(P, 0x02);
	open_ep(0x02, UD_EP_BULK, 64); /* its own buffer again, exactly the size it needs */
	/* All closed: everything is free again. */
	P->ops->ep_close(P, 0x81);
	P->ops->ep_close(P, 0x01);
	P->ops->ep_close(P, 0x82);
	P->ops->ep_close(P, 0x02);
	P->ops->ep_close(P, 0x03);
	assert_int_equal(P->ops->ep_open(P, &six), 0);
	assert_int_equal(pma16(8 * 3), 192); /* the first free byte after EP0's buffers */
	env_no_bad_access();
}

static void test_ep_open_refuses(void **state)
{
	struct ud_ep_config c = {.addr = 0x01, .type = UD_EP_BULK, .max_packet = 64};

	(void)state;
	env_reset();
	assert_int_equal(P->ops->ep_open(P, NULL), UD_ERR_INVAL);
	c.addr = 0x80;
	assert_int_equal(P->ops->ep_open(P, &c), UD_ERR_INVAL);
	c.addr = 0x21;
	assert_int_equal(P->ops->ep_open(P, &c), UD_ERR_INVAL);
	c.addr = 0x01;
	c.max_packet = 0;
	assert_int_equal(P->ops->ep_open(P, &c), UD_ERR_INVAL);
	c.max_packet = 65;
	assert_int_equal(P->ops->ep_open(P, &c), UD_ERR_NOTSUP);
	c.max_packet = 64;
	c.type = UD_EP_ISOCHRONOUS;
	assert_int_equal(P->ops->ep_open(P, &c), UD_ERR_NOTSUP);
	c.type = UD_EP_CONTROL;
	assert_int_equal(P->ops->ep_open(P, &c), UD_ERR_NOTSUP);
	c.type = UD_EP_BULK;
	c.addr = 0x08; /* only EP0R..EP7R */
	assert_int_equal(P->ops->ep_open(P, &c), UD_ERR_NOTSUP);
	assert_int_equal(P->ops->ep_xfer(P, 0x85, pattern, 1), UD_ERR_STATE);
	assert_int_equal(P->ops->ep_xfer(P, 0x88, pattern, 1), UD_ERR_STATE);
	assert_int_equal(P->ops->ep_xfer(P, 0x80, NULL, 1), UD_ERR_INVAL);
	assert_int_equal(P->ops->ep_abort(P, 0x8f), 0);
	P->ops->ep_stall(P, 0x85, true); /* not open: ignored */
	assert_int_equal(env_stat_tx(5), 0);
}

/* Transfers of every length 0..70 through EP0 IN and EP2 OUT in each access scheme. */
static void run_scheme(const struct ud_fsdev_model_config *chip)
{
	uint8_t buf[64], got[80];
	uint16_t len;
	uint8_t pid, tog = 0;

	env_init(chip, 64, 0);
	env_reset();
	open_ep(0x02, UD_EP_BULK, 64);
	for (uint16_t n = 0; n <= 70; n++) {
		env_setup(get_dev);
		assert_int_equal(P->ops->ep_xfer(P, 0x80, pattern + n, n), 0);
		uint16_t at = 0;
		do {
			assert_int_equal(in_token(0, buf, &len, &pid), UD_VDC_ACK);
			memcpy(got + at, buf, len);
			at = (uint16_t)(at + len);
			env_irq();
		} while (len == 64 && at < n);
		assert_int_equal(at, n);
		assert_memory_equal(got, pattern + n, n);
		assert_int_equal(env_last()->actual, n);

		/* The same bytes OUT: a full packet and the rest (a ZLP after exactly 64). */
		memset(got, 0, sizeof(got));
		assert_int_equal(P->ops->ep_xfer(P, 0x02, got, sizeof(got)), 0);
		uint16_t first = n < 64 ? n : 64;
		assert_int_equal(out_packet(2, pattern + n, first, tog), UD_VDC_ACK);
		tog ^= 1u;
		env_irq();
		if (first == 64) {
			assert_int_equal(out_packet(2, pattern + n + 64, (uint16_t)(n - 64), tog),
			                 UD_VDC_ACK);
			tog ^= 1u;
			env_irq();
		}
		assert_int_equal(env_last()->ep, 0x02);
		assert_int_equal(env_last()->actual, n);
		assert_memory_equal(got, pattern + n, n);
	}
	env_no_bad_access();
}

/* One part of each packet-memory access scheme. */
static const struct ud_fsdev_model_config pma_chips[3] = {
	{.access = UD_FSDEV_PMA_16_STRIDE32, .pma_size = 512, .ep_count = 8},
	{.access = UD_FSDEV_PMA_16, .pma_size = 1024, .ep_count = 8, .internal_pullup = true},
	{.access = UD_FSDEV_PMA_32, .pma_size = 1024, .ep_count = 8, .internal_pullup = true},
};

static void test_pma_schemes(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3; i++)
		run_scheme(&pma_chips[i]);
}

static void test_pma32_table_words(void **state)
{
	static const struct ud_fsdev_model_config g0 = {.access = UD_FSDEV_PMA_32,
	                                                .pma_size = 1024,
	                                                .ep_count = 8,
	                                                .internal_pullup = true};

	(void)state;
	env_init(&g0, 64, 0);
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	open_ep(0x01, UD_EP_BULK, 32);
	/* One word per direction: ADDR in the low half, COUNT / allocation in the high half. */
	assert_int_equal(pma16(8 + 0), 192);
	assert_int_equal(pma16(8 + 4), 256);
	assert_int_equal(pma16(8 + 6), 0x4000u);
	assert_int_equal(S.hw.btable, 0); /* no USB_BTABLE register written */
	env_no_bad_access();
}

/* ---- bus events ---- */

static void test_suspend_resume(void **state)
{
	(void)state;
	env_reset();
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(env_last()->kind, REC_SUSPEND);
	assert_int_equal(env_last()->actual, 1);
	assert_true(S.hw.cntr & 0x0008u); /* FSUSP */
	assert_true(S.hw.cntr & 0x0004u); /* LPMODE */
	ud_fsdev_model_resume(&S.hw);
	env_irq();
	assert_int_equal(env_last()->actual, 0);
	assert_false(S.hw.cntr & 0x0008u);
	assert_false(S.hw.cntr & 0x0004u);

	/* Idle then active before the handler: both flags, order lost, so it ends suspended; the
	 * next frame's SOF wakes the peripheral in suspend mode and the handler resumes. */
	env_clear();
	ud_fsdev_model_suspend(&S.hw);
	ud_fsdev_model_resume(&S.hw);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].actual, 1);
	assert_true(S.hw.cntr & 0x0008u); /* FSUSP */
	ud_fsdev_model_sof(&S.hw, 5);
	env_irq();
	assert_int_equal(rec.n, 3); /* the SOF itself is reported too */
	assert_int_equal(rec.ev[1].kind, REC_SUSPEND);
	assert_int_equal(rec.ev[1].actual, 0);
	assert_false(S.hw.cntr & 0x0008u);

	/* Idle, active, idle again (unplugged) before the handler: it must end suspended. */
	env_clear();
	ud_fsdev_model_suspend(&S.hw);
	ud_fsdev_model_resume(&S.hw);
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].actual, 1);
	ud_fsdev_model_resume(&S.hw); /* and wake it again, as the next case starts awake */
	env_irq();

	/* Suspended, then active and idle again before the handler: resume, then suspend. */
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	env_clear();
	ud_fsdev_model_resume(&S.hw);
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[0].actual, 0);
	assert_int_equal(rec.ev[1].actual, 1);

	/* A reset wakes it. */
	env_clear();
	ud_fsdev_model_bus_reset(&S.hw);
	env_irq();
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[0].kind, REC_RESET);
	assert_int_equal(rec.ev[1].kind, REC_SUSPEND);
	assert_int_equal(rec.ev[1].actual, 0);
	assert_false(S.hw.cntr & 0x0008u);
}

static void test_sof(void **state)
{
	(void)state;
	env_reset();
	ud_fsdev_model_sof(&S.hw, 0x123);
	env_irq();
	assert_int_equal(env_last()->kind, REC_SOF);
	assert_int_equal(env_last()->actual, 0x123);
	/* An ESOF is not enabled unless remote wakeup needs it. */
	ud_fsdev_model_tick_ms(&S.hw);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
}

static void test_remote_wakeup(void **state)
{
	(void)state;
	env_reset();
	assert_int_equal(P->ops->remote_wakeup(P), UD_ERR_STATE); /* not suspended */
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	env_clear();
	assert_int_equal(P->ops->remote_wakeup(P), 0);
	assert_true(S.hw.cntr & 0x0010u); /* RESUME driven */
	assert_int_equal(S.hw.stats.remote_wakeups, 1);
	env_irq(); /* the host answered: WKUP */
	assert_int_equal(env_last()->kind, REC_SUSPEND);
	assert_int_equal(env_last()->actual, 0);
	/* RESUME stays for three ESOFs (1..15 ms), then goes, with the ESOF interrupt. */
	for (unsigned i = 0; i < 3; i++) {
		assert_true(S.hw.cntr & 0x0010u);
		ud_fsdev_model_tick_ms(&S.hw);
		env_irq();
	}
	assert_false(S.hw.cntr & 0x0010u);
	assert_false(S.hw.cntr & 0x0100u);
}

static void test_connect_and_deinit(void **state)
{
	(void)state;
	P->ops->connect(P, false);
	assert_false(S.hw.bcdr & 0x8000u);
	assert_false(ud_fsdev_model_attached(&S.hw));
	P->ops->connect(P, true);
	assert_true(ud_fsdev_model_attached(&S.hw));
	P->ops->deinit(P);
	assert_false(ud_fsdev_model_attached(&S.hw));
	assert_int_equal(S.hw.cntr & 0x0003u, 0x0003u); /* FRES | PDWN */
}

static unsigned pullup_calls;
static bool pullup_level;

static void board_pullup(void *ctx, bool on)
{
	assert_ptr_equal(ctx, &pullup_calls);
	pullup_calls++;
	pullup_level = on;
	ud_fsdev_model_board_pullup(&S.hw, on);
}

static void test_board_pullup(void **state)
{
	static const struct ud_fsdev_model_config f103 = {
		.access = UD_FSDEV_PMA_16_STRIDE32, .pma_size = 512, .ep_count = 8};

	(void)state;
	ud_sim_fsdev_init(&S, &f103, 0);
	S.port.cfg.pullup = board_pullup;
	S.port.cfg.pullup_ctx = &pullup_calls;
	P = ud_fsdev_port(&S.port);
	P->ep0_max_packet = 8;
	assert_int_equal(P->ops->init(P), 0);
	P->ops->connect(P, true);
	assert_int_equal(pullup_calls, 1);
	assert_true(pullup_level);
	assert_int_equal(S.hw.bcdr, 0); /* no BCDR on this chip */
	P->ops->connect(P, false);
	assert_false(pullup_level);
	env_no_bad_access();
}

static void test_handler_guards(void **state)
{
	(void)state;
	env_reset();
	/* Not bound to a device: the handler must report nothing. */
	ud_fsdev_model_sof(&S.hw, 1);
	P->dev = NULL;
	ud_fsdev_irq_handler(&S.port);
	assert_int_equal(rec.n, 0);
	ud_fsdev_irq_handler(NULL);
	/* A flag nobody clears: the simulated controller refuses to spin on it. */
	S.hw.cntr |= 0x2000u; /* ERRM, which the port never enables */
	S.hw.istr |= 0x2000u;
	S.hw.istr &= (uint16_t)~0x0200u;
	assert_int_equal(ud_sim_fsdev_irq(&S), UD_ERR_STATE);
	assert_int_equal(S.hw.stats.irq_stuck, 1);
	S.hw.istr = 0;
	assert_int_equal(ud_sim_fsdev_irq(&S), UD_ERR_NOENT);
}

/* With 32-bit access every buffer starts on a word: a 10-byte endpoint takes 12 bytes. */
static void test_pma32_buffers_word_aligned(void **state)
{
	static const struct ud_fsdev_model_config g0 = {.access = UD_FSDEV_PMA_32,
	                                                .pma_size = 1024,
	                                                .ep_count = 8,
	                                                .internal_pullup = true};
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	env_init(&g0, 64, 0);
	env_reset();
	open_ep(0x81, UD_EP_INTERRUPT, 10);
	open_ep(0x82, UD_EP_BULK, 64);
	assert_int_equal(pma16(8 + 0), 192);
	assert_int_equal(pma16(16 + 0), 204);
	assert_int_equal(P->ops->ep_xfer(P, 0x82, pattern, 64), 0);
	assert_int_equal(in_token(2, buf, &len, &pid), UD_VDC_ACK);
	assert_memory_equal(buf, pattern, 64);
	env_no_bad_access();
}

/* Endpoint addresses with bits 6..4 set, or a number the port does not drive, are refused. */
static void test_foreign_endpoint_addresses(void **state)
{
	(void)state;
	env_reset();
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x04, UD_EP_BULK, 64);
	assert_int_equal(P->ops->ep_xfer(P, 0x11, pattern, 1), UD_ERR_STATE);
	S.port.caps.ep_count = 4; /* as if EP4R did not exist */
	assert_int_equal(P->ops->ep_xfer(P, 0x04, pattern, 1), UD_ERR_STATE);
	S.port.caps.ep_count = 8;
}

/* A bus reset during remote wakeup ends the resume signalling and its ESOF interrupt. */
static void test_reset_ends_remote_wakeup(void **state)
{
	(void)state;
	env_reset();
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	assert_int_equal(P->ops->remote_wakeup(P), 0);
	assert_true(S.hw.cntr & 0x0110u);
	env_clear();
	ud_fsdev_model_bus_reset(&S.hw);
	env_irq();
	assert_false(S.hw.cntr & 0x0010u); /* RESUME */
	assert_false(S.hw.cntr & 0x0100u); /* ESOFM */
	ud_fsdev_model_tick_ms(&S.hw);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
}

/* Suspended, then a reset and the bus idle again before the handler: the reset itself ends the
 * suspend (the core's view too), so the port reports the reset and the new suspend, no resume
 * in between. */
static void test_reset_ends_suspend(void **state)
{
	(void)state;
	env_reset();
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	env_clear();
	ud_fsdev_model_bus_reset(&S.hw);
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.ev[0].kind, REC_RESET);
	assert_int_equal(rec.ev[1].kind, REC_SUSPEND);
	assert_int_equal(rec.ev[1].actual, 1);
}

/* A new init forgets a suspend from before: no remote wakeup until the bus suspends again. */
static void test_init_forgets_suspend(void **state)
{
	(void)state;
	env_reset();
	ud_fsdev_model_suspend(&S.hw);
	env_irq();
	P->ops->deinit(P);
	assert_int_equal(P->ops->init(P), 0);
	assert_int_equal(P->ops->remote_wakeup(P), UD_ERR_STATE);
}

/* FNR's other bits (LCK, RXDM, RXDP, LSOF) are not part of the frame number. */
static void test_sof_frame_number_only(void **state)
{
	(void)state;
	env_reset();
	S.hw.fnr = 0xf800u;
	ud_fsdev_model_sof(&S.hw, 0x123);
	env_irq();
	assert_int_equal(env_last()->kind, REC_SOF);
	assert_int_equal(env_last()->actual, 0x123);
}

/* One interrupt takes every endpoint's completion, not just the first few. */
static void test_one_irq_takes_every_endpoint(void **state)
{
	(void)state;
	env_reset();
	for (unsigned n = 1; n < 8; n++)
		S.hw.epr[n] |= 0x0080u; /* stale CTR_TX: cleared, not reported */
	ud_fsdev_irq_handler(&S.port);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	assert_int_equal(rec.n, 0);
}

/* USB_CNTR writes, in order, with the CNTR reads before each: the sequences the reference
 * manual asks for, which the model does not check by itself. */
static struct {
	uint16_t cntr[16], reads_before[16];
	unsigned n, reads;
} io_log;

static void log_write(void *ctx, uintptr_t addr, uint32_t v, uint8_t width)
{
	if (addr == UD_FSDEV_MODEL_USB_BASE + 0x40u && io_log.n < 16u) {
		io_log.reads_before[io_log.n] = (uint16_t)io_log.reads;
		io_log.cntr[io_log.n++] = (uint16_t)v;
		io_log.reads = 0;
	}
	ud_fsdev_model_write(ctx, addr, v, width);
}

static uint32_t log_read(void *ctx, uintptr_t addr, uint8_t width)
{
	if (addr == UD_FSDEV_MODEL_USB_BASE + 0x40u)
		io_log.reads++;
	return ud_fsdev_model_read(ctx, addr, width);
}

static const struct ud_fsdev_io log_io = {.read = log_read, .write = log_write};

static void test_cntr_sequences(void **state)
{
	(void)state;
	/* Init: FRES alone (transceiver on), a wait, FRES released; stale flags dropped. */
	memset(&io_log, 0, sizeof(io_log));
	S.port.cfg.io = &log_io;
	S.hw.istr = 0x0800u; /* a SUSP left over from before */
	assert_int_equal(P->ops->init(P), 0);
	assert_true(io_log.n >= 3);
	assert_int_equal(io_log.cntr[0], 0x0001u);
	assert_int_equal(io_log.cntr[1], 0);
	assert_true(io_log.reads_before[1] >= 32u); /* the start-up time, about 1 us */
	assert_int_equal(S.hw.istr, 0);
	/* Suspend: FSUSP first, then LPMODE with it. */
	P->ops->connect(P, true);
	env_reset();
	ud_fsdev_model_suspend(&S.hw);
	memset(&io_log, 0, sizeof(io_log));
	env_irq();
	assert_int_equal(io_log.n, 2);
	assert_int_equal(io_log.cntr[0] & 0x000cu, 0x0008u);
	assert_int_equal(io_log.cntr[1] & 0x000cu, 0x000cu);
	S.port.cfg.io = &ud_fsdev_model_io;
	env_no_bad_access();
}

/* Odd lengths in every scheme: the port reads no byte of the caller's buffer past the length
 * (the packet memory's padding stays as the port wrote it, 0, though the byte after the data
 * is not) and writes none past it (a guard byte after a buffer of exactly that length). */
static void odd_lengths(const struct ud_fsdev_model_config *chip)
{
	static const uint8_t src[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 0xee, 0xee, 0xee};
	uint8_t dst[12], in[64];
	uint16_t len;
	uint8_t pid, tog = 0;

	env_init(chip, 64, 0);
	env_reset();
	open_ep(0x81, UD_EP_BULK, 64);
	open_ep(0x01, UD_EP_BULK, 64);
	for (uint16_t n = 1; n <= 9; n += 2) {
		uint16_t tx = pma16(8u * 1u + 0u);
		memset(S.hw.pma + tx, 0x55, 12);
		assert_int_equal(P->ops->ep_xfer(P, 0x81, (uint8_t *)src, n), 0);
		uint16_t end = chip->access == UD_FSDEV_PMA_32 ? (n + 3u) & ~3u : (n + 1u) & ~1u;
		for (uint16_t k = n; k < end; k++)
			assert_int_equal(S.hw.pma[tx + k], 0);
		assert_int_equal(in_token(1, in, &len, &pid), UD_VDC_ACK);
		env_irq();
		memset(dst, 0xaa, sizeof(dst));
		assert_int_equal(P->ops->ep_xfer(P, 0x01, dst, n), 0);
		assert_int_equal(out_packet(1, src, n, tog), UD_VDC_ACK);
		tog ^= 1u;
		env_irq();
		assert_int_equal(env_last()->actual, n);
		assert_memory_equal(dst, src, n);
		for (unsigned k = n; k < sizeof(dst); k++)
			assert_int_equal(dst[k], 0xaa);
	}
	env_no_bad_access();
}

static void test_odd_lengths(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 3; i++)
		odd_lengths(&pma_chips[i]);
}

#define T(name) cmocka_unit_test_setup(name, env_setup_f072)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_pma_exhaustion_and_reuse),
		T(test_ep_open_refuses),
		T(test_pma_schemes),
		T(test_pma32_table_words),
		T(test_suspend_resume),
		T(test_sof),
		T(test_remote_wakeup),
		T(test_connect_and_deinit),
		T(test_board_pullup),
		T(test_handler_guards),
		T(test_pma32_buffers_word_aligned),
		T(test_foreign_endpoint_addresses),
		T(test_reset_ends_remote_wakeup),
		T(test_reset_ends_suspend),
		T(test_init_forgets_suspend),
		T(test_sof_frame_number_only),
		T(test_one_irq_takes_every_endpoint),
		T(test_cntr_sequences),
		T(test_odd_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
