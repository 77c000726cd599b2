/* SPDX-License-Identifier: MIT */
/*
 * Stream integrity: 1 MiB each way through CDC-ACM, random data in random chunk sizes, the
 * host polling at random moments and pausing for long stretches, interrupts delivered and
 * ud_task() run at random moments (manual mode: nothing happens behind the test's back), the
 * application reading and writing at random. Every byte is checked, in order
 * (cdc_stream_model.c). The seed is printed; CDC_SEED=n replays a run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "cdc_stream_model.h"

#define MIB (1024u * 1024u)

static struct cdc_env env;

/* 1 MiB each way, rings of a packet-multiple size. A reader this fast rarely leaves the
 * receive ring without room for a packet but in its pauses (about a hundred NAKs of the
 * host then, where the slow reader below causes hundreds of thousands). */
static void test_stream_1mib(void **state)
{
	(void)state;
	cdc_stream_seed(1);
	struct cdc_stream_opts o = {.rx_size = 256, .tx_size = 256, .bytes = MIB};
	struct cdc_stream_result r = cdc_stream_run(&env, &o);
	assert_true(r.full_naks < 1000);
}

/* The same with the application reading slowly: the host sees NAKs for want of room in the
 * receive ring (more than 1000, cdc_stream_run() checks), nothing is lost. */
static void test_stream_slow_reader(void **state)
{
	(void)state;
	cdc_stream_seed(2);
	struct cdc_stream_opts o = {
		.rx_size = 256, .tx_size = 256, .bytes = MIB, .slow_reader = true};
	cdc_stream_run(&env, &o);
}

/* The smallest rings: one packet to receive into, half a packet to send from (it goes out
 * as a short packet when full or flushed). Short packets and flushes shift the positions:
 * packets that wrap are cut at the transmit ring's end, or go through the receive bounce
 * buffer. */
static void test_stream_small_rings(void **state)
{
	(void)state;
	cdc_stream_seed(3);
	struct cdc_stream_opts o = {.rx_size = 64, .tx_size = 32, .bytes = MIB / 4};
	cdc_stream_run(&env, &o);
}

/* The application in another context: its calls only touch the rings and wake the USB thread,
 * which polls. With lock hooks. */
static void test_stream_other_context(void **state)
{
	(void)state;
	cdc_stream_seed(4);
	struct cdc_stream_opts o = {.rx_size = 128,
	                            .tx_size = 512,
	                            .bytes = MIB / 2,
	                            .context = UD_CDC_CTX_OTHER,
	                            .lock = true};
	cdc_stream_run(&env, &o);
}

/* Another context and no wake hook at all: the class's SOF polling alone keeps it going. */
static void test_stream_sof_only(void **state)
{
	(void)state;
	cdc_stream_seed(5);
	struct cdc_stream_opts o = {.rx_size = 128,
	                            .tx_size = 128,
	                            .bytes = MIB / 8,
	                            .context = UD_CDC_CTX_OTHER,
	                            .sof = true,
	                            .no_wake = true};
	cdc_stream_run(&env, &o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stream_1mib),
		cmocka_unit_test(test_stream_slow_reader),
		cmocka_unit_test(test_stream_small_rings),
		cmocka_unit_test(test_stream_other_context),
		cmocka_unit_test(test_stream_sof_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
