/* SPDX-License-Identifier: MIT */
/*
 * The register model itself (sim/fsdev_model.c), against the reference manual: the write
 * semantics of USB_EPnR and USB_ISTR, the forced reset, the access rules of the three packet
 * memory schemes, the hardware's answers on the bus, and what a bus reset leaves. The port's
 * tests rely on these.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fsdev_env.h"
#include "udcore/ud_ch9.h"

#define USB UD_FSDEV_MODEL_USB_BASE
#define PMA UD_FSDEV_MODEL_PMA_BASE

static struct ud_fsdev_model m;

static void chip(uint8_t access, uint16_t size)
{
	const struct ud_fsdev_model_config c = {
		.access = access, .pma_size = size, .ep_count = 8, .internal_pullup = true};
	ud_fsdev_model_init(&m, &c);
}

static void wr(uint32_t off, uint16_t v)
{
	ud_fsdev_model_write(&m, USB + off, v, m.access == UD_FSDEV_PMA_32 ? 32 : 16);
}

static uint16_t rd(uint32_t off)
{
	return (uint16_t)ud_fsdev_model_read(&m, USB + off, m.access == UD_FSDEV_PMA_32 ? 32 : 16);
}

static void test_epr_write_semantics(void **state)
{
	(void)state;
	chip(UD_FSDEV_PMA_16, 1024);
	assert_int_equal(m.cntr, 0x0003); /* reset value: FRES | PDWN */
	/* Toggle bits flip on 1 and stay on 0. */
	wr(4, 0x3030);
	assert_int_equal(rd(4), 0x3030);
	wr(4, 0x1010);
	assert_int_equal(rd(4), 0x2020);
	wr(4, 0x4040);
	assert_int_equal(rd(4), 0x6060);
	wr(4, 0x0000);
	assert_int_equal(rd(4), 0x6060);
	/* rw fields take the value written. */
	wr(4, 0x0605);
	assert_int_equal(rd(4), 0x6665);
	wr(4, 0x0000);
	assert_int_equal(rd(4), 0x6060);
	/* CTR bits clear on 0 and stay on 1; SETUP is read-only. */
	m.epr[4] = 0x8880;
	wr(16, 0x8000);
	assert_int_equal(m.epr[4], 0x8800);
	wr(16, 0x0080);
	assert_int_equal(m.epr[4], 0x0800);
	wr(16, 0x0000);
	assert_int_equal(m.epr[4], 0x0800);
	assert_int_equal(m.stats.bad_access, 0);
}

static void test_istr_semantics(void **state)
{
	(void)state;
	chip(UD_FSDEV_PMA_16, 1024);
	m.istr = 0x0e00;                    /* SUSP RESET SOF */
	m.epr[3] = 0x8000;                  /* CTR_RX on EP3 */
	assert_int_equal(rd(0x44), 0x8e13); /* CTR, DIR (reception), EP_ID 3 */
	wr(0x44, (uint16_t)~0x0400u);
	assert_int_equal(rd(0x44), 0x8a13);
	wr(0x44, 0);
	assert_int_equal(rd(0x44), 0x8013); /* CTR, DIR, EP_ID are not flags */
	m.epr[3] = 0;
	m.epr[2] = 0x0080;
	m.epr[5] = 0x8000;
	assert_int_equal(rd(0x44), 0x8002); /* the lowest endpoint, transmission */
	/* The line: a flag whose mask bit is set. */
	m.cntr = 0;
	assert_false(ud_fsdev_model_irq_line(&m));
	m.cntr = 0x8000;
	assert_true(ud_fsdev_model_irq_line(&m));
}

static void test_forced_reset(void **state)
{
	(void)state;
	chip(UD_FSDEV_PMA_16, 1024);
	wr(0x40, 0);
	m.epr[0] = 0x3230;
	m.daddr = 0x85;
	wr(0x40, 0x0001); /* FRES */
	assert_int_equal(m.epr[0], 0);
	assert_int_equal(m.daddr, 0);
	assert_true(m.istr & 0x0400);
	wr(0x40, 0x0001); /* no edge: nothing more */
	m.istr = 0;
	wr(0x40, 0x0001);
	assert_int_equal(m.istr, 0);
}

static void test_register_access_rules(void **state)
{
	(void)state;
	chip(UD_FSDEV_PMA_16, 1024);
	(void)ud_fsdev_model_read(&m, USB + 0x40, 32); /* 16-bit registers here */
	assert_int_equal(m.stats.bad_access, 1);
	(void)ud_fsdev_model_read(&m, USB + 0x42, 16); /* not a register */
	assert_int_equal(m.stats.bad_access, 2);
	wr(0x48, 5); /* FNR is read-only */
	assert_int_equal(m.stats.bad_access, 3);
	assert_int_equal(rd(0x48), 0);
	(void)rd(0x5c); /* nothing there */
	assert_int_equal(m.stats.bad_access, 4);
	(void)ud_fsdev_model_read(&m, 0x20000000u, 16); /* not the peripheral at all */
	assert_int_equal(m.stats.bad_access, 5);
	wr(0x50, 0x0107);
	assert_int_equal(rd(0x50), 0x0100); /* BTABLE bits 2:0 read 0 */
	assert_int_equal(rd(0x54), 0);      /* LPMCSR: not modelled */
	wr(0x54, 1);
	/* The DRD generation: 32-bit registers, no USB_BTABLE. */
	chip(UD_FSDEV_PMA_32, 1024);
	(void)ud_fsdev_model_read(&m, USB + 0x40, 16);
	assert_int_equal(m.stats.bad_access, 1);
	wr(0x50, 0x0100);
	assert_int_equal(m.stats.bad_access, 2);
}

static void test_pma_access_rules(void **state)
{
	(void)state;
	/* 16 bits at a 32-bit stride: PMA byte a at CPU offset 2a, 32-bit aligned. */
	chip(UD_FSDEV_PMA_16_STRIDE32, 512);
	ud_fsdev_model_write(&m, PMA + 8, 0xbeef, 16);
	assert_int_equal(m.pma[4], 0xef);
	assert_int_equal(m.pma[5], 0xbe);
	assert_int_equal(ud_fsdev_model_read(&m, PMA + 8, 16), 0xbeef);
	ud_fsdev_model_write(&m, PMA + 2, 1, 16); /* not 32-bit aligned */
	(void)ud_fsdev_model_read(&m, PMA + 8, 32);
	ud_fsdev_model_write(&m, PMA + 1024, 1, 16); /* past the end */
	assert_int_equal(m.stats.bad_access, 3);
	/* 16 bits, contiguous. */
	chip(UD_FSDEV_PMA_16, 1024);
	ud_fsdev_model_write(&m, PMA + 2, 0x1234, 16);
	assert_int_equal(m.pma[2], 0x34);
	ud_fsdev_model_write(&m, PMA + 3, 1, 16);
	ud_fsdev_model_write(&m, PMA + 4, 1, 32);
	assert_int_equal(m.stats.bad_access, 2);
	/* 32 bits only. */
	chip(UD_FSDEV_PMA_32, 1024);
	ud_fsdev_model_write(&m, PMA + 4, 0x04030201u, 32);
	assert_memory_equal(m.pma + 4, "\x01\x02\x03\x04", 4);
	assert_int_equal(ud_fsdev_model_read(&m, PMA + 4, 32), 0x04030201u);
	ud_fsdev_model_write(&m, PMA + 4, 1, 16);
	ud_fsdev_model_write(&m, PMA + 2, 1, 32);
	assert_int_equal(m.stats.bad_access, 2);
}

/* A hand-built EP1 with a relocated table: what the hardware does with tokens. */
static void test_bus_answers(void **state)
{
	uint8_t buf[64];
	uint16_t len;
	uint8_t pid;

	(void)state;
	chip(UD_FSDEV_PMA_16, 1024);
	m.cntr = 0;
	m.bcdr = 0x8000;
	ud_fsdev_model_vbus(&m, true);
	m.btable = 0x100;
	m.daddr = 0x80;
	/* EP1: TX at 0x200 with 3 bytes, RX at 0x240 with 8 bytes (BL_SIZE 0, NUM_BLOCK 4). */
	m.pma[0x108] = 0x00, m.pma[0x109] = 0x02, m.pma[0x10a] = 3;
	m.pma[0x10c] = 0x40, m.pma[0x10d] = 0x02, m.pma[0x10f] = 0x10;
	memcpy(m.pma + 0x200, "abc", 3);
	m.epr[1] = 0x0001; /* bulk, EA 1, both disabled */
	assert_int_equal(ud_fsdev_model_in(&m, 0, 1, buf, 64, &len, &pid), UD_VDC_TIMEOUT);
	m.epr[1] = 0x1011; /* STALL both */
	assert_int_equal(ud_fsdev_model_in(&m, 0, 1, buf, 64, &len, &pid), UD_VDC_STALL);
	assert_int_equal(ud_fsdev_model_out(&m, 0, 1, buf, 1, 0), UD_VDC_STALL);
	m.epr[1] = 0x3031; /* VALID both */
	assert_int_equal(ud_fsdev_model_in(&m, 1, 1, buf, 64, &len, &pid), UD_VDC_TIMEOUT);
	assert_int_equal(ud_fsdev_model_in(&m, 0, 1, buf, 2, &len, &pid), UD_VDC_TIMEOUT);
	assert_int_equal(ud_fsdev_model_in(&m, 0, 1, buf, 64, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, 3);
	assert_int_equal(pid, 0);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(m.epr[1], 0x30e1); /* NAK, DTOG_TX 1, CTR_TX */
	assert_int_equal(ud_fsdev_model_in(&m, 0, 1, buf, 64, &len, &pid), UD_VDC_NAK);
	assert_int_equal(ud_fsdev_model_out(&m, 0, 1, (const uint8_t *)"123456789", 9, 0),
	                 UD_VDC_STALL); /* 9 > the 8-byte buffer */
	assert_int_equal(ud_fsdev_model_out(&m, 0, 1, (const uint8_t *)"12345678", 8, 0),
	                 UD_VDC_ACK);
	assert_int_equal(m.epr[1] & 0xf000, 0xe000); /* CTR_RX, DTOG_RX 1, NAK */
	assert_int_equal(m.pma[0x10e], 8);           /* COUNT1_RX */
	assert_int_equal(m.pma[0x10f], 0x10);        /* the allocation kept */
	assert_memory_equal(m.pma + 0x240, "12345678", 8);
	/* No SETUP on a non-control endpoint; EA 0 is nobody here. */
	assert_int_equal(ud_fsdev_model_setup(&m, 0, buf), UD_VDC_TIMEOUT);
	assert_int_equal(ud_fsdev_model_ep_type(&m, 0x81), UD_EP_BULK);
	assert_int_equal(ud_fsdev_model_ep_buffer(&m, 0x81), 64);
	assert_int_equal(ud_fsdev_model_ep_type(&m, 0x82), 0);
	assert_int_equal(ud_fsdev_model_ep_buffer(&m, 0x02), 0);
	/* Powered down or held in reset: no answer, no bus event. */
	m.cntr = 0x0002;
	assert_int_equal(ud_fsdev_model_in(&m, 0, 1, buf, 64, &len, &pid), UD_VDC_TIMEOUT);
	ud_fsdev_model_suspend(&m);
	ud_fsdev_model_sof(&m, 1);
	ud_fsdev_model_bus_reset(&m);
	ud_fsdev_model_tick_ms(&m);
	assert_int_equal(m.istr, 0);
	/* Unplugged while running: the bus goes idle. */
	m.cntr = 0;
	ud_fsdev_model_vbus(&m, false);
	assert_true(m.istr & 0x0800);
	ud_fsdev_model_resume(&m); /* nobody there to resume it */
	assert_false(m.istr & 0x1000);
}

/* What a port may rely on across a bus reset (RM: a reset clears USB_EPnR but its CTR_RX and
 * CTR_TX, and DADDR; the packet memory is not touched; COUNTn_RX's count is written back only when a reception ends
 * with ACK, the allocation bits left as they are). */
static void test_reset_keeps_packet_memory(void **state)
{
	uint8_t before[UD_FSDEV_MODEL_PMA_MAX];

	(void)state;
	chip(UD_FSDEV_PMA_16, 1024);
	m.cntr = 0;
	m.bcdr = 0x8000;
	ud_fsdev_model_vbus(&m, true);
	m.daddr = 0x80;
	/* EP1 RX at 0x40, 8 bytes (BL_SIZE 0, NUM_BLOCK 4), count 0x3ff: nothing received. */
	m.pma[12] = 0x40, m.pma[14] = 0xff, m.pma[15] = 0x13;
	m.epr[1] = 0x2001; /* bulk, EA 1, RX NAK */
	assert_int_equal(ud_fsdev_model_out(&m, 0, 1, (const uint8_t *)"abc", 3, 0), UD_VDC_NAK);
	m.epr[1] = 0x3001; /* RX VALID, DTOG_RX 0 */
	assert_int_equal(ud_fsdev_model_out(&m, 0, 1, (const uint8_t *)"123456789", 9, 0),
	                 UD_VDC_STALL); /* overrun: no count */
	assert_int_equal(ud_fsdev_model_out(&m, 0, 1, (const uint8_t *)"abc", 3, 1),
	                 UD_VDC_ACK); /* DATA1, DATA0 expected: dropped, no count */
	assert_int_equal(m.pma[14] | (m.pma[15] << 8), 0x13ff);
	assert_int_equal(m.epr[1], 0x3001);
	assert_int_equal(ud_fsdev_model_out(&m, 0, 1, (const uint8_t *)"abcde", 5, 0), UD_VDC_ACK);
	assert_int_equal(m.pma[14] | (m.pma[15] << 8), 0x1005);
	assert_int_equal(m.epr[1], 0xe001); /* CTR_RX, DTOG_RX, NAK */
	memcpy(before, m.pma, sizeof(before));
	m.epr[2] = 0x72a2; /* EA 2, control, RX VALID, DTOG_RX, CTR_TX, TX NAK */
	ud_fsdev_model_bus_reset(&m);
	assert_int_equal(m.epr[1], 0x8000); /* all but the completion flags */
	assert_int_equal(m.epr[2], 0x0080);
	assert_int_equal(m.daddr, 0);
	assert_true(m.istr & 0x0400);
	assert_memory_equal(m.pma, before, sizeof(before));
}

static void test_control_setup_answers(void **state)
{
	static const uint8_t raw[8] = {0x80, 6, 0, 1, 0, 0, 0x12, 0};

	(void)state;
	chip(UD_FSDEV_PMA_16, 1024);
	m.cntr = 0;
	m.bcdr = 0x8000;
	ud_fsdev_model_vbus(&m, true);
	m.daddr = 0x80;
	/* EP0: RX at 0x40 with a 4-byte buffer: too small for a SETUP. */
	m.pma[4] = 0x40, m.pma[7] = 0x08;
	m.epr[0] = 0x1210; /* control, STALL both */
	assert_int_equal(ud_fsdev_model_setup(&m, 0, raw), UD_VDC_STALL);
	m.pma[7] = 0x10; /* 8 bytes */
	assert_int_equal(ud_fsdev_model_setup(&m, 0, raw), UD_VDC_ACK);
	assert_int_equal(m.epr[0], 0xea60); /* CTR_RX DTOG_RX NAK SETUP control DTOG_TX NAK */
	assert_memory_equal(m.pma + 0x40, raw, 8);
	assert_int_equal(ud_fsdev_model_setup(&m, 0, raw), UD_VDC_TIMEOUT); /* CTR_RX set */
	assert_int_equal(m.stats.setups_dropped, 1);
	assert_int_equal(ud_fsdev_model_setup(&m, 0, NULL), UD_VDC_TIMEOUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epr_write_semantics),
		cmocka_unit_test(test_istr_semantics),
		cmocka_unit_test(test_forced_reset),
		cmocka_unit_test(test_register_access_rules),
		cmocka_unit_test(test_pma_access_rules),
		cmocka_unit_test(test_bus_answers),
		cmocka_unit_test(test_control_setup_answers),
		cmocka_unit_test(test_reset_keeps_packet_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
