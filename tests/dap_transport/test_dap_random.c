/* SPDX-License-Identifier: MIT */
/*
 * Random interleavings of everything that happens independently around the queue: the host's
 * OUT and IN packets, the delivery of any pending interrupt (in any order the vdc allows),
 * ud_task(), ud_dap_process(), and (in the fault runs) bus reset, SET_CONFIGURATION,
 * SET_INTERFACE, clear-halt on either endpoint and disconnect. After each run the host keeps
 * reading and writing fairly until everything is answered. Checked for every seed:
 *
 * - responses arrive in command order, each at most once, and each for a command the host
 *   sent (no invented, repeated or reordered response);
 * - without faults, every command the host got an ACK for is answered;
 * - with faults, every command sent after the last fault is answered (the ones before may or
 *   may not be: the reset ended their stream);
 * - the device never needs more than a bounded number of steps to drain (liveness).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dap_host.h"
#include "fake_engine.h"

#define SEEDS 2000
#define STEPS 300
#define COMMANDS 40

static struct th t;

static uint32_t rng;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static unsigned pick(unsigned n)
{
	return next_rand() % n;
}

struct run {
	uint32_t next_seq;    /* next command the host sends */
	uint32_t acked;       /* commands the host got an ACK for */
	uint32_t safe_from;   /* first command sent after the last fault */
	uint32_t last_answer; /* highest sequence answered so far (0: none) */
	uint32_t answers;
	uint8_t answered[COMMANDS + 2];
};

static void send_next(struct run *r)
{
	uint8_t c[8] = {0x40, (uint8_t)r->next_seq, 0, 0, 0, 0x11, 0x22, 0x33};

	if (r->next_seq > COMMANDS)
		return;
	if (th_out(&t, c, 8) == UD_VDC_ACK) {
		r->acked++;
		r->next_seq++;
	}
}

static bool read_one(struct run *r)
{
	uint8_t pkt[1024];
	uint16_t n = 0;

	if (th_in(&t, pkt, &n) != UD_VDC_ACK)
		return false;
	assert_int_equal(n, 8);
	assert_int_equal(pkt[0], 0x40);
	uint32_t seq = pkt[1];
	assert_true(seq >= 1 && seq < r->next_seq); /* a command the host sent */
	assert_true(seq > r->last_answer);          /* in order, never twice */
	r->last_answer = seq;
	r->answered[seq] = 1;
	r->answers++;
	return true;
}

static void deliver_random_irq(void)
{
	unsigned n = ud_vdc_irq_count(&t.vdc);
	if (n == 0)
		return;
	unsigned i = pick(n);
	if (!ud_vdc_irq_deliverable(&t.vdc, i))
		i = 0; /* the oldest always is */
	th_irq(&t, i);
}

/* A fault: the host side of it runs to completion (its control transfer settles). */
static void fault(struct run *r)
{
	switch (pick(6)) {
	case 0:
		th_bus_reset_and_enumerate(&t);
		break;
	case 1:
		th_set_configuration(&t, 1);
		break;
	case 2:
		th_set_interface(&t, t.dap.intf, 0);
		break;
	case 3:
		th_clear_halt(&t, t.dap.q.ep_in);
		break;
	case 4:
		th_clear_halt(&t, t.dap.q.ep_out);
		break;
	default:
		ud_vdc_vbus(&t.vdc, false);
		th_settle(&t);
		ud_vdc_vbus(&t.vdc, true);
		th_settle(&t);
		th_bus_reset_and_enumerate(&t);
		break;
	}
	r->safe_from = r->next_seq;
	/* The host resynchronises: what it reads now may still be an old answer; fine. */
}

static void random_steps(struct run *r, bool faults)
{
	for (unsigned step = 0; step < STEPS; step++) {
		unsigned a = pick(faults ? 101 : 100);
		if (a < 25)
			send_next(r);
		else if (a < 45)
			(void)read_one(r);
		else if (a < 75)
			deliver_random_irq();
		else if (a < 88)
			(void)ud_task(&t.dev);
		else if (a < 100)
			(void)ud_dap_process(&t.dap);
		else
			fault(r);
	}
}

/* Fair continuation: interrupts delivered, the task and process run, the host keeps reading
 * and writing. It must reach "everything sent and answered" within a bound. */
static void drain(struct run *r)
{
	for (unsigned round = 0; round < 20 * COMMANDS; round++) {
		th_settle(&t);
		while (read_one(r))
			th_settle(&t);
		if (r->next_seq > COMMANDS && ud_dap_idle(&t.dap))
			return; /* all sent, every slot free again: quiescent */
		send_next(r);
	}
	fail_msg("no progress: last answer %u, next %u", (unsigned)r->last_answer,
	         (unsigned)r->next_seq);
}

static void one_run(uint32_t seed, uint8_t count, bool faults)
{
	struct run r;

	memset(&r, 0, sizeof(r));
	r.next_seq = 1;
	r.safe_from = 1;
	rng = seed * 2654435761u + 1u;
	th_init(&t, 2, count, 64, NULL);
	t.process_in_settle = true;
	random_steps(&r, faults);
	drain(&r);
	for (uint32_t s = r.safe_from; s <= COMMANDS; s++)
		if (!r.answered[s])
			fail_msg("seed %u: command %u sent after the last fault was never answered",
			         (unsigned)seed, (unsigned)s);
	if (!faults)
		assert_int_equal(r.answers, COMMANDS);
	assert_int_equal(t.dev.port_errors, 0);
	assert_int_equal(t.vdc.stats.irq_overflow, 0);
	assert_int_equal(t.vdc.stats.xfer_while_busy, 0);
}

static void test_random_orders(void **state)
{
	(void)state;
	for (uint32_t seed = 1; seed <= SEEDS; seed++)
		one_run(seed, (uint8_t)(1 + seed % 4), false);
}

static void test_random_orders_with_faults(void **state)
{
	(void)state;
	for (uint32_t seed = 1; seed <= SEEDS; seed++)
		one_run(seed, (uint8_t)(1 + seed % 4), true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_orders),
		cmocka_unit_test(test_random_orders_with_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
