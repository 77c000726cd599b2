/* SPDX-License-Identifier: MIT */
/*
 * Malformed packets: every command truncated at every length, counts that reach past the
 * packet, counts out of range, responses that would not fit, unknown ids, nesting. Each
 * answers the single byte 0xFF, executes nothing (the target sees no request, no time
 * passes, no configuration changes) and stays inside both packets (the harness's heap blocks
 * and canary).
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
	return 0;
}

/* Snapshot of everything a command could change. */
struct snap {
	struct ud_swd_target t;
	struct ud_dap_engine e;
	uint8_t ram[H_RAM_SIZE];
};

static void take(struct snap *s)
{
	s->t = h.t;
	s->e = h.e;
	memcpy(s->ram, h.ram, sizeof(s->ram));
}

static void unchanged(const struct snap *s)
{
	assert_memory_equal(&s->t, &h.t, sizeof(h.t));
	assert_int_equal(s->e.port, h.e.port);
	assert_memory_equal(&s->e.swd, &h.e.swd, sizeof(h.e.swd));
	assert_int_equal(s->e.wait_retry, h.e.wait_retry);
	assert_int_equal(s->e.match_retry, h.e.match_retry);
	assert_int_equal(s->e.match_mask, h.e.match_mask);
	assert_int_equal(s->e.clock_hz, h.e.clock_hz);
	assert_memory_equal(s->ram, h.ram, sizeof(h.ram));
}

/* @req must answer 0xFF and change nothing. */
static void rejected(const uint8_t *req, uint32_t n)
{
	struct snap s;

	take(&s);
	h_exec(req, n);
	h_expect_invalid();
	unchanged(&s);
}

#define REJECTED(...)                                                                              \
	rejected((const uint8_t[]){__VA_ARGS__}, (uint32_t)sizeof((const uint8_t[]){__VA_ARGS__}))

/* Every proper prefix of @req (shorter than its @n bytes) is rejected; the whole is not. */
static void prefixes_rejected(const uint8_t *req, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++)
		rejected(req, i);
	h_exec(req, n);
	assert_true(h.len > 1 || h.resp[0] != UD_DAP_INVALID);
}

#define PREFIXES(...)                                                                              \
	prefixes_rejected((const uint8_t[]){__VA_ARGS__},                                          \
	                  (uint32_t)sizeof((const uint8_t[]){__VA_ARGS__}))

static void test_truncated_fixed(void **state)
{
	(void)state;
	PREFIXES(0x00, 0x01);                                           /* DAP_Info */
	PREFIXES(0x01, 0x00, 0x01);                                     /* HostStatus */
	PREFIXES(0x02, 0x01);                                           /* Connect */
	PREFIXES(0x04, 0x00, 0x40, 0x00, 0x00, 0x00);                   /* TransferConfigure */
	PREFIXES(0x08, 0x00, 0x1e, 0x00, 0x00, 0x00);                   /* WriteABORT */
	PREFIXES(0x09, 0x01, 0x00);                                     /* Delay */
	PREFIXES(0x10, 0x80, 0x80, 0x00, 0x00, 0x00, 0x00);             /* SWJ_Pins */
	PREFIXES(0x11, 0x40, 0x42, 0x0f, 0x00);                         /* SWJ_Clock */
	PREFIXES(0x12, 0x10, 0xff, 0xff);                               /* SWJ_Sequence */
	PREFIXES(0x13, 0x00);                                           /* SWD_Configure */
	PREFIXES(0x1d, 0x02, 0x08, 0xaa, 0x84);                         /* SWD_Sequence */
	PREFIXES(0x05, 0x00, 0x02, 0x02, 0x00, 0x1e, 0, 0, 0);          /* Transfer */
	PREFIXES(0x06, 0x00, 0x02, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8); /* TransferBlock */
	PREFIXES(0x7f, 0x02, 0x09, 0x01, 0x00, 0x13, 0x00);             /* ExecuteCommands */
	PREFIXES(0x7e, 0x01, 0x11, 0x40, 0x42, 0x0f, 0x00);             /* QueueCommands */
}

static void test_counts_past_packet(void **state)
{
	struct pkt p;
	(void)state;
	/* SWJ_Sequence: 0 means 256 bits, 32 bytes; 31 are not enough. */
	pkt_init(&p, 0x12);
	pkt_u8(&p, 0);
	for (unsigned i = 0; i < 31; i++)
		pkt_u8(&p, 0xff);
	rejected(p.b, p.n);
	pkt_u8(&p, 0xff);
	h_exec_pkt(&p);
	EXPECT(0x12, 0x00);
	REJECTED(0x12, 0x09, 0xff); /* 9 bits: 2 bytes */
	/* SWD_Sequence: cycles 0 means 64, 8 bytes of output. */
	REJECTED(0x1d, 0x01, 0x00, 1, 2, 3, 4, 5, 6, 7);
	REJECTED(0x1d, 0x02, 0x41, 0x01);       /* second sequence missing */
	REJECTED(0x1d, 0x03, 0x08, 0xaa, 0x88); /* third sequence missing */
	/* Transfer: the count promises more requests than the packet holds. */
	REJECTED(0x05, 0x00, 0x03, 0x02, 0x06);
	REJECTED(0x05, 0x00, 0xff, 0x02);
	REJECTED(0x05, 0x00, 0x01, 0x12, 0x00, 0x00);       /* match value truncated */
	REJECTED(0x05, 0x00, 0x01, 0x20, 0x00, 0x00, 0x00); /* match mask truncated */
	/* TransferBlock: write data for 3 words, count 4. */
	REJECTED(0x06, 0x00, 0x04, 0x00, 0x0d, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0);
	REJECTED(0x06, 0x00, 0xff, 0xff, 0x0d, 1, 0, 0, 0);
	/* Atomic: NumCmd beyond the commands present. */
	REJECTED(0x7f, 0x03, 0x09, 0x01, 0x00, 0x03);
	REJECTED(0x7e, 0xff, 0x03);
}

static void test_counts_out_of_range(void **state)
{
	(void)state;
	REJECTED(0x05, 0x00, 0x00);             /* Transfer count 1..255 */
	REJECTED(0x06, 0x00, 0x00, 0x00, 0x02); /* TransferBlock count 1..65535 */
	REJECTED(0x05, 0x00, 0x01, 0x82);       /* time stamp: declined */
	REJECTED(0x05, 0x00, 0x02, 0x02, 0x83);
}

static void test_response_too_big(void **state)
{
	struct pkt p;
	(void)state;
	/* Transfer: 16 reads need 3 + 64 bytes; 15 fit exactly with one byte to spare. */
	pkt_init(&p, 0x05);
	pkt_u8(&p, 0);
	pkt_u8(&p, 16);
	for (unsigned i = 0; i < 16; i++)
		pkt_u8(&p, 0x06);
	rejected(p.b, p.n);
	p.b[2] = 15;
	p.n--;
	h_exec_pkt(&p);
	assert_int_equal(h.len, 63);
	assert_int_equal(h.resp[1], 15);
	/* TransferBlock: 16 reads need 4 + 64; 15 is the most. */
	REJECTED(0x06, 0x00, 0x10, 0x00, 0x06);
	EXEC(0x06, 0x00, 0x0f, 0x00, 0x06);
	assert_int_equal(h.len, 64);
	/* SWD_Sequence: eight 64-cycle inputs need 2 + 64. */
	pkt_init(&p, 0x1d);
	pkt_u8(&p, 8);
	for (unsigned i = 0; i < 8; i++)
		pkt_u8(&p, 0x80);
	rejected(p.b, p.n);
	/* ExecuteCommands: the sum of the responses counts. */
	pkt_init(&p, 0x7f);
	pkt_u8(&p, 21);
	for (unsigned i = 0; i < 21; i++) { /* 2 + 21 * 3 = 65 */
		pkt_u8(&p, 0x0a);
	}
	rejected(p.b, p.n);
	p.b[1] = 20;
	p.n--;
	h_exec_pkt(&p);
	assert_int_equal(h.len, 62);
	/* A response packet too small for even DAP_Info: still one byte of 0xFF. */
	h_exec_cap((const uint8_t[]){0x00, 0x04}, 2, 4);
	h_expect_invalid();
	h_exec_cap((const uint8_t[]){0x03}, 1, 1);
	h_expect_invalid();
}

static void test_unknown_ids(void **state)
{
	uint8_t req[64];
	(void)state;
	static const uint8_t known[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	                                0x09, 0x0a, 0x10, 0x11, 0x12, 0x13, 0x1d, 0x7e, 0x7f};
	for (unsigned id = 0; id < 256; id++) {
		if (memchr(known, (int)id, sizeof(known)))
			continue;
		memset(req, 0, sizeof(req));
		req[0] = (uint8_t)id;
		rejected(req, 1);
		rejected(req, sizeof(req)); /* JTAG, SWO, UART, vendor ... all the same */
	}
}

static void test_atomic_contents(void **state)
{
	(void)state;
	REJECTED(0x7f, 0x01, 0x7f, 0x00); /* no nesting */
	REJECTED(0x7f, 0x01, 0x7e, 0x00);
	REJECTED(0x7e, 0x01, 0x7f, 0x00);
	REJECTED(0x7f, 0x01, 0x07);                         /* TransferAbort is out of band only */
	REJECTED(0x7f, 0x02, 0x09, 0x01, 0x00, 0x14, 0x00); /* an unknown command inside */
	/* A good command before a bad one is not executed either. */
	REJECTED(0x7f, 0x02, 0x09, 0xff, 0xff, 0x11, 0x00, 0x00);
	REJECTED(0x7f, 0x02, 0x08, 0x00, 0x1e, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00);
}

static void test_packet_bounds(void **state)
{
	uint8_t req[128];
	(void)state;
	memset(req, 0, sizeof(req));
	req[0] = 0x03;
	rejected(req, 65); /* longer than the packet size (64) */
	h_exec(req, 64);
	EXPECT(0x03, 0x00);
	assert_int_equal(h.t.disconnects, 1);
	rejected(req, 0); /* nothing at all */
	/* No response room: nothing is written, nothing done. */
	uint8_t out = 0x5a;
	assert_int_equal(ud_dap_engine_execute(&h.e, req, 1, &out, 0), 0);
	assert_int_equal(ud_dap_engine_execute(&h.e, req, 1, NULL, 64), 0);
	assert_int_equal(out, 0x5a);
	assert_int_equal(h.t.disconnects, 1);
	/* A response room larger than the packet size is clamped to it. */
	struct pkt p;
	pkt_init(&p, 0x05);
	pkt_u8(&p, 0);
	pkt_u8(&p, 16);
	for (unsigned i = 0; i < 16; i++)
		pkt_u8(&p, 0x06);
	h_exec_cap(p.b, p.n, 512);
	h_expect_invalid();
	/* DAP_TransferAbort in band: no response, nothing done. */
	struct snap s;
	take(&s);
	assert_int_equal(h_exec((const uint8_t[]){0x07}, 1), 0);
	assert_int_equal(h_exec((const uint8_t[]){0x07, 1, 2, 3}, 4), 0);
	unchanged(&s);
}

/* Random packets, biased towards real command ids and plausible counts: whatever they hold,
 * the engine stays inside both packets (the harness checks every execution) and answers. */
static uint32_t rng = 0x2545f491u;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void test_random_packets(void **state)
{
	static const uint8_t ids[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	                              0x09, 0x0a, 0x10, 0x11, 0x12, 0x13, 0x1d, 0x7e, 0x7f};
	uint8_t req[80];
	(void)state;
	for (unsigned i = 0; i < 20000; i++) {
		uint32_t n = next() % sizeof(req);
		for (uint32_t k = 0; k < n; k++)
			req[k] = (uint8_t)next();
		if (n > 0 && next() % 4 != 0)
			req[0] = ids[next() % sizeof(ids)];
		if (n > 1 && next() % 2 == 0)
			req[1] = (uint8_t)(next() % 8); /* small counts reach the bodies */
		if (n > 2 && next() % 2 == 0)
			req[2] = ids[next() % sizeof(ids)]; /* atomic sub-commands */
		uint32_t cap = next() % 2 ? H_PACKET_SIZE : next() % 96;
		h_exec_cap(req, n, cap);
		assert_true(h.len <= cap);
		if (n == 0 && cap > 0)
			h_expect_invalid();
		/* Keep each packet quick, as a fuzzing harness would. */
		if (h.e.match_retry > 64)
			h.e.match_retry = 64;
		if (h.e.wait_retry > 64)
			h.e.wait_retry = 64;
		if (next() % 64 == 0) { /* a fresh, attached target now and then */
			h_init();
			h_attach();
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_truncated_fixed, setup),
		cmocka_unit_test_setup(test_counts_past_packet, setup),
		cmocka_unit_test_setup(test_counts_out_of_range, setup),
		cmocka_unit_test_setup(test_response_too_big, setup),
		cmocka_unit_test_setup(test_unknown_ids, setup),
		cmocka_unit_test_setup(test_atomic_contents, setup),
		cmocka_unit_test_setup(test_packet_bounds, setup),
		cmocka_unit_test_setup(test_random_packets, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
