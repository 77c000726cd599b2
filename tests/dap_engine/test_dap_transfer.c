/* SPDX-License-Identifier: MIT */
/*
 * DAP_Transfer, DAP_TransferBlock, DAP_WriteABORT and DAP_TransferAbort: posted AP reads
 * collected through RDBUFF, the check of a last AP write, value match and match mask, WAIT
 * retries, FAULT and sticky errors, parity errors, missing acknowledges, and the out-of-band
 * abort of a long block (ud_dap_engine_abort() called from the target's request hook, as the
 * transport's context would).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static int setup(void **state)
{
	(void)state;
	h_init();
	h_attach();
	h_memap_word();
	for (unsigned i = 0; i < H_RAM_SIZE; i++)
		h.ram[i] = (uint8_t)(i * 7 + 3);
	return 0;
}

static uint32_t ram32(uint32_t off)
{
	return get32(h.ram + off);
}

static void test_not_connected(void **state)
{
	(void)state;
	EXEC(0x03);
	uint32_t requests = h.t.requests;
	EXEC(0x05, 0x00, 0x01, 0x02);
	EXPECT(0x05, 0x00, 0x07);
	EXEC(0x06, 0x00, 0x02, 0x00, 0x0f);
	EXPECT(0x06, 0x00, 0x00, 0x07);
	EXEC(0x08, 0x00, 0x1e, 0x00, 0x00, 0x00);
	EXPECT(0x08, 0xff);
	assert_int_equal(h.t.requests, requests); /* nothing went to the wire */
}

/* Three AP reads: three AP requests and one RDBUFF read, values in order. */
static void test_posted_reads(void **state)
{
	(void)state;
	h_ap_write(AP_TAR, 0x20000010u);
	uint32_t requests = h.t.requests;
	EXEC(0x05, 0x00, 0x03, 0x0f, 0x0f, 0x0f);
	assert_int_equal(h.len, 15);
	assert_int_equal(h.resp[1], 3);
	assert_int_equal(h.resp[2], 1);
	assert_int_equal(get32(h.resp + 3), ram32(0x10));
	assert_int_equal(get32(h.resp + 7), ram32(0x14));
	assert_int_equal(get32(h.resp + 11), ram32(0x18));
	assert_int_equal(h.t.requests - requests, 4);
}

/* Anything but another AP read collects the pending value first. */
static void test_posted_read_then_others(void **state)
{
	(void)state;
	h_ap_write(AP_TAR, 0x20000020u);
	/* AP read, DP read (CTRL/STAT), AP read, write TAR, AP read. */
	EXEC(0x05, 0x00, 0x05, 0x0f, 0x06, 0x0f, 0x05, 0x40, 0x00, 0x00, 0x20, 0x0f);
	assert_int_equal(h.len, 3 + 16);
	assert_int_equal(h.resp[1], 5);
	assert_int_equal(get32(h.resp + 3), ram32(0x20));
	assert_int_equal(get32(h.resp + 7) & 0xf0000000u, 0xf0000000u);
	assert_int_equal(get32(h.resp + 11), ram32(0x24));
	assert_int_equal(get32(h.resp + 15), ram32(0x40));
	/* DP reads alone: no RDBUFF. */
	uint32_t requests = h.t.requests;
	EXEC(0x05, 0x00, 0x02, 0x02, 0x06);
	assert_int_equal(h.t.requests - requests, 2);
	/* RESEND repeats the last read value. */
	h_ap_write(AP_TAR, 0x20000030u);
	EXEC(0x05, 0x00, 0x02, 0x0f, 0x0a);
	assert_int_equal(get32(h.resp + 3), ram32(0x30));
	assert_int_equal(get32(h.resp + 7), ram32(0x30));
}

/* A last AP write is confirmed through RDBUFF: a bus error shows as FAULT. */
static void test_write_check(void **state)
{
	(void)state;
	uint32_t requests = h.t.requests;
	EXEC(0x05, 0x00, 0x02, 0x05, 0x00, 0x02, 0x00, 0x20, 0x0d, 0xef, 0xbe, 0xad, 0xde);
	EXPECT(0x05, 0x02, 0x01);
	assert_int_equal(h.t.requests - requests, 3);
	assert_int_equal(ram32(0x200), 0xdeadbeefu);
	/* DP write last: no check. */
	requests = h.t.requests;
	EXEC(0x05, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(h.t.requests - requests, 1);
	/* Outside RAM: the write is acknowledged, its bus error faults the check. */
	EXEC(0x05, 0x00, 0x02, 0x05, 0x00, 0x00, 0x00, 0x30, 0x0d, 0x01, 0x02, 0x03, 0x04);
	EXPECT(0x05, 0x02, 0x04);
	assert_int_equal(h.t.bus_errors, 1);
	assert_true(h_dp_read(DP_CTRL) & UD_DP_STICKYERR);
	EXEC(0x05, 0x00, 0x01, 0x0f); /* sticky: the AP faults */
	EXPECT(0x05, 0x00, 0x04);
	EXEC(0x08, 0x00, 0x04, 0x00, 0x00, 0x00); /* WriteABORT STKERRCLR */
	EXPECT(0x08, 0x00);
	h_ap_write(AP_TAR, 0x20000200u);
	assert_int_equal(h_ap_read(AP_DRW), 0xdeadbeefu);
	/* Block writes are checked the same way. */
	EXEC(0x05, 0x00, 0x01, 0x05, 0xfc, 0xff, 0xff, 0x1f); /* TAR below RAM */
	EXEC(0x06, 0x00, 0x01, 0x00, 0x0d, 0x01, 0x02, 0x03, 0x04);
	EXPECT(0x06, 0x01, 0x00, 0x04);
}

static void test_match_mask_and_value(void **state)
{
	(void)state;
	/* Match mask write: not a wire transfer, counted. */
	uint32_t requests = h.t.requests;
	EXEC(0x05, 0x00, 0x01, 0x20, 0x00, 0x00, 0x00, 0xa0);
	EXPECT(0x05, 0x01, 0x01);
	assert_int_equal(h.e.match_mask, 0xa0000000u);
	assert_int_equal(h.t.requests, requests);
	/* DP read with value match, met at once: no data in the response. */
	EXEC(0x05, 0x00, 0x01, 0x16, 0x00, 0x00, 0x00, 0xa0);
	EXPECT(0x05, 0x01, 0x01);
	/* Not met: match_retry + 1 reads, then mismatch and stop. */
	EXEC(0x04, 0x00, 0x40, 0x00, 0x03, 0x00);
	requests = h.t.requests;
	EXEC(0x05, 0x00, 0x02, 0x16, 0x00, 0x00, 0x00, 0x80, 0x02);
	EXPECT(0x05, 0x00, 0x11);
	assert_int_equal(h.t.requests - requests, 4);
	/* AP read with value match: each try is an AP read and RDBUFF. */
	h.ram[0x100] = 0x42;
	h_ap_write(AP_TAR, 0x20000100u);
	EXEC(0x05, 0x00, 0x02, 0x20, 0xff, 0x00, 0x00, 0x00, 0x1f, 0x42, 0x00, 0x00, 0x00);
	EXPECT(0x05, 0x02, 0x01);
	/* The value changes while polling: the power-up acknowledge after three reads. */
	h.t.powerup_delay = 3;
	EXEC(0x05, 0x00, 0x04, 0x04, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0xa0, 0x04,
	     0x00, 0x00, 0x00, 0x50, 0x16, 0x00, 0x00, 0x00, 0xa0);
	EXPECT(0x05, 0x04, 0x01);
	/* A pending AP read is collected before a match read. */
	h_ap_write(AP_TAR, 0x20000100u);
	EXEC(0x05, 0x00, 0x02, 0x0f, 0x16, 0x00, 0x00, 0x00, 0xa0);
	assert_int_equal(h.len, 7);
	assert_int_equal(h.resp[1], 2);
	assert_int_equal(get32(h.resp + 3), ram32(0x100));
}

static void test_wait_retries(void **state)
{
	(void)state;
	EXEC(0x04, 0x00, 0x05, 0x00, 0x00, 0x00); /* 5 WAIT retries */
	h.t.inject_wait = 5;
	uint32_t requests = h.t.requests;
	EXEC(0x05, 0x00, 0x01, 0x0a); /* RESEND: can WAIT */
	assert_int_equal(h.len, 7);
	assert_int_equal(h.resp[2], 0x01);
	assert_int_equal(h.t.requests - requests, 6);
	h.t.inject_wait = 6;
	requests = h.t.requests;
	EXEC(0x05, 0x00, 0x02, 0x0a, 0x0a);
	EXPECT(0x05, 0x00, 0x02);
	assert_int_equal(h.t.requests - requests, 6);
	/* No retries: one attempt. */
	EXEC(0x04, 0x00, 0x00, 0x00, 0x00, 0x00);
	h.t.inject_wait = 1;
	requests = h.t.requests;
	EXEC(0x06, 0x00, 0x03, 0x00, 0x0f);
	EXPECT(0x06, 0x00, 0x00, 0x02);
	assert_int_equal(h.t.requests - requests, 1);
	/* The most retries the count allows, all used: bounded. */
	EXEC(0x04, 0x00, 0xff, 0xff, 0x00, 0x00);
	h.t.inject_wait = 70000;
	requests = h.t.requests;
	EXEC(0x05, 0x00, 0x01, 0x0a);
	EXPECT(0x05, 0x00, 0x02);
	assert_int_equal(h.t.requests - requests, 65536);
}

static void test_fault_and_abort_register(void **state)
{
	(void)state;
	h.t.inject_fault = 1;
	EXEC(0x05, 0x00, 0x02, 0x0f, 0x0f);
	EXPECT(0x05, 0x00, 0x04);
	EXEC(0x05, 0x00, 0x01, 0x0f); /* STICKYERR: still FAULT */
	EXPECT(0x05, 0x00, 0x04);
	assert_true(h_dp_read(DP_CTRL) & UD_DP_STICKYERR);
	assert_int_equal(h_dp_read(DP_DPIDR), UD_SWD_TARGET_DPIDR); /* always answered */
	EXEC(0x08, 0x00, 0x04, 0x00, 0x00, 0x00);
	EXPECT(0x08, 0x00);
	assert_false(h_dp_read(DP_CTRL) & UD_DP_STICKYERR);
	h_ap_write(AP_TAR, 0x20000000u);
	EXEC(0x05, 0x00, 0x01, 0x0f);
	assert_int_equal(h.resp[2], 0x01);
	/* A fault in the middle: the count says where it stopped, the data agrees. */
	EXEC(0x05, 0x00, 0x03, 0x06, 0x06, 0x0d, 0x00, 0x00, 0x00, 0x00); /* reads, then write */
	assert_int_equal(h.len, 11);
	assert_int_equal(h.resp[1], 3);
	assert_int_equal(h.resp[2], 0x01);
	h.t.inject_fault = 1;
	EXEC(0x05, 0x00, 0x03, 0x06, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x06);
	assert_int_equal(h.len, 7); /* one read's data, then the faulted write */
	assert_int_equal(h.resp[1], 1);
	assert_int_equal(h.resp[2], 0x04);
	assert_int_equal(get32(h.resp + 3) & 0xf0000000u, 0xf0000000u);
	/* WriteABORT refused? Never: ABORT writes are always answered. */
	h.t.inject_wait = 3;
	EXEC(0x08, 0x00, 0x1e, 0x00, 0x00, 0x00);
	EXPECT(0x08, 0x00);
	assert_int_equal(h.t.inject_wait, 3);
	h.t.inject_no_ack = 1;
	EXEC(0x08, 0x00, 0x1e, 0x00, 0x00, 0x00);
	EXPECT(0x08, 0xff);
}

static void test_failures_midway(void **state)
{
	(void)state;
	/* A posted read of a bad address: collecting it before the write faults. */
	h_ap_write(AP_TAR, 0x30000000u);
	EXEC(0x05, 0x00, 0x02, 0x0f, 0x08, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x05, 0x00, 0x04);
	EXEC(0x08, 0x00, 0x04, 0x00, 0x00, 0x00);
	/* A match read whose read faults. */
	h.t.inject_fault = 1;
	EXEC(0x05, 0x00, 0x01, 0x1f, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x05, 0x00, 0x04);
	EXEC(0x08, 0x00, 0x04, 0x00, 0x00, 0x00);
	/* A block write faulting on its first word. */
	h.t.inject_fault = 1;
	EXEC(0x06, 0x00, 0x02, 0x00, 0x0d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00);
	EXPECT(0x06, 0x00, 0x00, 0x04);
}

static void test_parity_and_no_ack(void **state)
{
	(void)state;
	h.t.inject_parity = 1;
	EXEC(0x05, 0x00, 0x02, 0x02, 0x02);
	EXPECT(0x05, 0x00, 0x09); /* OK with protocol error */
	h.t.inject_no_ack = 1;
	EXEC(0x05, 0x00, 0x02, 0x02, 0x02);
	EXPECT(0x05, 0x00, 0x07);
	/* A posted read with a parity error: not counted. */
	h.t.inject_parity = 1;
	EXEC(0x05, 0x00, 0x01, 0x0f);
	EXPECT(0x05, 0x00, 0x09);
	/* Block: the same. */
	h.t.inject_no_ack = 2;
	EXEC(0x06, 0x00, 0x02, 0x00, 0x06);
	EXPECT(0x06, 0x00, 0x00, 0x07);
	/* A wrong turnaround is a protocol error: no acknowledge, then locked out. */
	EXEC(0x13, 0x01);
	EXEC(0x05, 0x00, 0x01, 0x02);
	EXPECT(0x05, 0x00, 0x07);
	EXEC(0x13, 0x00);
	EXEC(0x05, 0x00, 0x01, 0x02);
	EXPECT(0x05, 0x00, 0x07);
	assert_int_equal(h.t.state, UD_SWD_TARGET_LOCKOUT);
}

/* A turnaround of 2 on both sides (WCR and SWD_Configure) works. */
static void test_turnaround_two(void **state)
{
	(void)state;
	h_dp_write(DP_SELECT, 1); /* CTRLSEL: WCR at 0x4 */
	h_dp_write(DP_CTRL, 0x140);
	EXEC(0x13, 0x01);
	assert_int_equal(h_dp_read(DP_CTRL), 0x140);
	h_dp_write(DP_SELECT, 0);
	assert_int_equal(h_dp_read(DP_DPIDR), UD_SWD_TARGET_DPIDR);
}

static void test_block_read_write(void **state)
{
	struct pkt p;
	(void)state;
	/* Write 14 words, read 15 (the neighbour too), DP and AP. */
	h_ap_write(AP_TAR, 0x20000800u);
	pkt_init(&p, 0x06);
	pkt_u8(&p, 0);
	pkt_u16(&p, 14);
	pkt_u8(&p, 0x0d);
	for (unsigned i = 0; i < 14; i++)
		pkt_u32(&p, 0x11111111u * i);
	h_exec_pkt(&p);
	EXPECT(0x06, 0x0e, 0x00, 0x01);
	for (unsigned i = 0; i < 14; i++)
		assert_int_equal(ram32(0x800 + 4 * i), 0x11111111u * i);
	h_ap_write(AP_TAR, 0x20000800u);
	uint32_t requests = h.t.requests;
	EXEC(0x06, 0x00, 0x0f, 0x00, 0x0f);
	assert_int_equal(h.len, 64);
	assert_int_equal(get16(h.resp + 1), 15);
	assert_int_equal(h.resp[3], 0x01);
	for (unsigned i = 0; i < 15; i++)
		assert_int_equal(get32(h.resp + 4 + 4 * i), ram32(0x800 + 4 * i));
	assert_int_equal(h.t.requests - requests, 16);
	/* DP block read: no posting. */
	requests = h.t.requests;
	EXEC(0x06, 0x00, 0x03, 0x00, 0x02);
	assert_int_equal(h.len, 16);
	assert_int_equal(get32(h.resp + 12), UD_SWD_TARGET_DPIDR);
	assert_int_equal(h.t.requests - requests, 3);
	/* Large packets (1024 bytes): 254 words written (5 + 1016), 255 read (4 + 1020). */
	h.info.packet_size = 1024;
	pkt_init(&p, 0x06);
	pkt_u8(&p, 0);
	pkt_u16(&p, 254);
	pkt_u8(&p, 0x0d);
	for (unsigned i = 0; i < 254; i++)
		pkt_u32(&p, ~i);
	h_ap_write(AP_TAR, 0x20000400u);
	h_exec_cap(p.b, p.n, 1024);
	EXPECT(0x06, 0xfe, 0x00, 0x01);
	h_ap_write(AP_TAR, 0x20000400u);
	h_exec_cap((const uint8_t[]){0x06, 0x00, 0xff, 0x00, 0x0f}, 5, 1024);
	assert_int_equal(h.len, 4 + 1020);
	for (unsigned i = 0; i < 254; i++)
		assert_int_equal(get32(h.resp + 4 + 4 * i), ~i);
	assert_int_equal(get32(h.resp + 4 + 4 * 254), ram32(0x7f8));
	/* 255 single transfers in one DAP_Transfer. */
	pkt_init(&p, 0x05);
	pkt_u8(&p, 0);
	pkt_u8(&p, 255);
	for (unsigned i = 0; i < 255; i++)
		pkt_u8(&p, 0x06);
	h_exec_cap(p.b, p.n, 1024);
	assert_int_equal(h.len, 3 + 1020);
	assert_int_equal(h.resp[1], 255);
}

/* ---- found by mutation testing: orders and counts no other test pins ---- */

/* The last wire transfer decides whether a command ends with the RDBUFF check of an AP write:
 * a DP read, a match read or a posted AP read after the write ends that (the match mask
 * write is not a wire transfer and leaves it). */
static void test_write_check_only_when_last(void **state)
{
	(void)state;
	uint32_t requests = h.t.requests;
	EXEC(0x05, 0x00, 0x02, 0x05, 0x00, 0x01, 0x00, 0x20, 0x06); /* write TAR, read CTRL */
	assert_int_equal(h.resp[1], 2);
	assert_int_equal(h.resp[2], 0x01);
	assert_int_equal(h.t.requests - requests, 2);
	requests = h.t.requests;
	EXEC(0x05, 0x00, 0x02, 0x05, 0x00, 0x01, 0x00, 0x20, 0x12, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x05, 0x02, 0x01); /* write TAR, DPIDR match (mask 0): met at once */
	assert_int_equal(h.t.requests - requests, 2);
	/* Write TAR, AP read (collected through RDBUFF before the mask write), mask write. */
	requests = h.t.requests;
	EXEC(0x05, 0x00, 0x03, 0x05, 0x10, 0x00, 0x00, 0x20, 0x0f, 0x20, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(h.len, 7);
	assert_int_equal(h.resp[1], 3);
	assert_int_equal(get32(h.resp + 3), ram32(0x10));
	assert_int_equal(h.t.requests - requests, 3);
}

/* The value of a pending AP read is collected before an AP read with value match, whose
 * own reads replace what RDBUFF holds. */
static void test_posted_read_then_ap_match(void **state)
{
	(void)state;
	EXEC(0x05, 0x00, 0x01, 0x20, 0xff, 0xff, 0xff, 0xff); /* match mask: every bit */
	h_ap_write(AP_TAR, 0x20000010u);
	uint32_t want = ram32(0x14);
	EXEC(0x05, 0x00, 0x02, 0x0f, 0x1f, (uint8_t)want, (uint8_t)(want >> 8),
	     (uint8_t)(want >> 16), (uint8_t)(want >> 24));
	assert_int_equal(h.len, 7);
	assert_int_equal(h.resp[1], 2);
	assert_int_equal(h.resp[2], 0x01);
	assert_int_equal(get32(h.resp + 3), ram32(0x10));
}

/* Fault or WAIT injected at the wire request with this number (h.t.requests). */
static unsigned inject_at, inject_ack;

static void inject_hook(void *ctx, struct ud_swd_target *t)
{
	(void)ctx;
	if (t->requests != inject_at)
		return;
	if (inject_ack == UD_SWD_ACK_FAULT)
		t->inject_fault = 1;
	else
		t->inject_wait = 1;
}

static void inject(unsigned nth, unsigned ack)
{
	h.t.on_request = inject_hook;
	inject_at = h.t.requests + nth;
	inject_ack = ack;
}

/* A pending AP read is collected before a write: a write that faults leaves the read counted
 * with its value (the write is not issued before the collect). */
static void test_posted_read_collected_before_write(void **state)
{
	(void)state;
	h_ap_write(AP_TAR, 0x20000010u);
	inject(3, UD_SWD_ACK_FAULT); /* AP read, RDBUFF, then the write */
	EXEC(0x05, 0x00, 0x02, 0x0f, 0x0d, 0x01, 0x02, 0x03, 0x04);
	assert_int_equal(h.len, 7);
	assert_int_equal(h.resp[1], 1);
	assert_int_equal(h.resp[2], UD_SWD_ACK_FAULT);
	assert_int_equal(get32(h.resp + 3), ram32(0x10));
	assert_int_not_equal(ram32(0x14), 0x04030201u);
}

/* A failed transfer ends the command there: the pending read is not collected afterwards
 * (no more wire requests), and the response reports the failure. Single and block. */
static void test_failure_ends_command(void **state)
{
	(void)state;
	EXEC(0x04, 0x00, 0x00, 0x00, 0x00, 0x00); /* no WAIT retries */
	h_ap_write(AP_TAR, 0x20000000u);
	uint32_t requests = h.t.requests;
	inject(2, UD_SWD_ACK_WAIT);
	EXEC(0x05, 0x00, 0x02, 0x0f, 0x0f);
	EXPECT(0x05, 0x00, UD_SWD_ACK_WAIT);
	assert_int_equal(h.t.requests - requests, 2);
	requests = h.t.requests;
	inject(2, UD_SWD_ACK_WAIT);
	EXEC(0x06, 0x00, 0x03, 0x00, 0x0f);
	EXPECT(0x06, 0x00, 0x00, UD_SWD_ACK_WAIT);
	assert_int_equal(h.t.requests - requests, 2);
}

/* A block of more than 255 transfers reports the count's high byte (packets over 1 KiB). */
static void test_block_count_high_byte(void **state)
{
	(void)state;
	h.info.packet_size = 2048;
	h_ap_write(AP_TAR, 0x20000000u);
	h_exec_cap((const uint8_t[]){0x06, 0x00, 0x00, 0x01, 0x0f}, 5, 2048); /* 256 reads */
	assert_int_equal(h.len, 4 + 1024);
	assert_int_equal(get16(h.resp + 1), 256);
	assert_int_equal(h.resp[3], 0x01);
	assert_int_equal(get32(h.resp + 4 + 4 * 255), ram32(4 * 255));
}

/* ---- TransferAbort ---- */

static unsigned abort_at;

static void abort_hook(void *ctx, struct ud_swd_target *t)
{
	(void)ctx;
	if (t->requests == abort_at)
		ud_dap_engine_abort(&h.e); /* as the transport's context would */
}

static void test_abort_block_read(void **state)
{
	(void)state;
	h_ap_write(AP_TAR, 0x20000000u);
	h.t.on_request = abort_hook;
	abort_at = h.t.requests + 5; /* during the fifth AP read */
	EXEC(0x06, 0x00, 0x0f, 0x00, 0x0f);
	/* Five reads issued; the pending one is still collected: five values. */
	assert_int_equal(h.len, 4 + 20);
	assert_int_equal(get16(h.resp + 1), 5);
	assert_int_equal(h.resp[3], 0x01);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(get32(h.resp + 4 + 4 * i), ram32(4 * i));
	/* The abort ended with its packet: the next block runs whole. */
	h_ap_write(AP_TAR, 0x20000000u);
	EXEC(0x06, 0x00, 0x0f, 0x00, 0x0f);
	assert_int_equal(get16(h.resp + 1), 15);
}

static void test_abort_block_write_and_transfer(void **state)
{
	struct pkt p;
	(void)state;
	h_ap_write(AP_TAR, 0x20000000u);
	memset(h.ram, 0, 64);
	pkt_init(&p, 0x06);
	pkt_u8(&p, 0);
	pkt_u16(&p, 14);
	pkt_u8(&p, 0x0d);
	for (unsigned i = 0; i < 14; i++)
		pkt_u32(&p, 0xcafe0000u + i);
	h.t.on_request = abort_hook;
	abort_at = h.t.requests + 3;
	h_exec_pkt(&p);
	EXPECT(0x06, 0x03, 0x00, 0x01); /* three written, then the check */
	assert_int_equal(ram32(8), 0xcafe0002u);
	assert_int_equal(ram32(12), 0);
	/* In an ExecuteCommands packet, the abort stops every later transfer too. */
	abort_at = h.t.requests + 2;
	EXEC(0x7f, 0x03, 0x05, 0x00, 0x03, 0x02, 0x02, 0x02, 0x09, 0x01, 0x00, 0x05, 0x00, 0x01,
	     0x02);
	EXPECT(0x7f, 0x03, 0x05, 0x02, 0x01, 0x77, 0x14, 0xa0, 0x2b, 0x77, 0x14, 0xa0, 0x2b, 0x09,
	       0x00, 0x05, 0x00, 0x00);
	/* WAIT retries end at an abort. */
	EXEC(0x04, 0x00, 0xff, 0xff, 0x00, 0x00);
	h.t.inject_wait = 1000;
	abort_at = h.t.requests + 10;
	EXEC(0x05, 0x00, 0x01, 0x0a);
	EXPECT(0x05, 0x00, 0x02);
	assert_int_equal(h.t.inject_wait, 990);
	/* Match retries too. */
	h.t.inject_wait = 0;
	EXEC(0x04, 0x00, 0x00, 0x00, 0xff, 0xff);
	abort_at = h.t.requests + 7;
	EXEC(0x05, 0x00, 0x01, 0x12, 0x12, 0x34, 0x56, 0x78);
	EXPECT(0x05, 0x00, 0x11);
}

/* Between packets an abort is ignored: no transfer is in progress. */
static void test_abort_when_idle(void **state)
{
	(void)state;
	ud_dap_engine_abort(&h.e);
	h_ap_write(AP_TAR, 0x20000000u);
	EXEC(0x06, 0x00, 0x0f, 0x00, 0x0f);
	assert_int_equal(get16(h.resp + 1), 15);
	/* An abort aimed at an earlier packet cannot hit a later one. */
	h.t.on_request = abort_hook;
	abort_at = h.t.requests + 1;
	EXEC(0x05, 0x00, 0x01, 0x02);
	EXPECT(0x05, 0x01, 0x01, 0x77, 0x14, 0xa0, 0x2b); /* one transfer: done anyway */
	h.t.on_request = NULL;
	EXEC(0x05, 0x00, 0x02, 0x02, 0x02);
	assert_int_equal(h.resp[1], 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_not_connected, setup),
		cmocka_unit_test_setup(test_posted_reads, setup),
		cmocka_unit_test_setup(test_posted_read_then_others, setup),
		cmocka_unit_test_setup(test_write_check, setup),
		cmocka_unit_test_setup(test_match_mask_and_value, setup),
		cmocka_unit_test_setup(test_wait_retries, setup),
		cmocka_unit_test_setup(test_fault_and_abort_register, setup),
		cmocka_unit_test_setup(test_failures_midway, setup),
		cmocka_unit_test_setup(test_parity_and_no_ack, setup),
		cmocka_unit_test_setup(test_turnaround_two, setup),
		cmocka_unit_test_setup(test_block_read_write, setup),
		cmocka_unit_test_setup(test_abort_block_read, setup),
		cmocka_unit_test_setup(test_abort_block_write_and_transfer, setup),
		cmocka_unit_test_setup(test_abort_when_idle, setup),
		cmocka_unit_test_setup(test_write_check_only_when_last, setup),
		cmocka_unit_test_setup(test_posted_read_then_ap_match, setup),
		cmocka_unit_test_setup(test_posted_read_collected_before_write, setup),
		cmocka_unit_test_setup(test_failure_ends_command, setup),
		cmocka_unit_test_setup(test_block_count_high_byte, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
