/* SPDX-License-Identifier: MIT */
/*
 * The class built with UD_CDC_OTHER_CONTEXT 0 (ud_cdc.h: task context only, no lock hooks,
 * to save code): ud_cdc_init() refuses the other context and the hooks, and in the task
 * context the port keeps its promises: the random stream with bus events and SOFs, and with
 * a slow reader (the host waits, nothing is lost).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_stream_model.h"

static struct cdc_env env;

static void hook(void *ctx)
{
	(void)ctx;
}

static void test_other_context_refused(void **state)
{
	static struct ud_cdc c;
	static uint8_t rx[64], tx[64];
	struct ud_cdc_config cfg = {.rx_buf = rx, .rx_size = 64, .tx_buf = tx, .tx_size = 64};

	(void)state;
	assert_int_equal(UD_CDC_OTHER_CONTEXT, 0);
	assert_int_equal(ud_cdc_init(&c, &cfg), 0);
	cfg.context = UD_CDC_CTX_OTHER;
	assert_int_equal(ud_cdc_init(&c, &cfg), UD_ERR_INVAL);
	cfg.wake = hook; /* not even with the wake hook it needs */
	assert_int_equal(ud_cdc_init(&c, &cfg), UD_ERR_INVAL);
	cfg.context = UD_CDC_CTX_TASK;
	cfg.lock = hook;
	cfg.unlock = hook;
	assert_int_equal(ud_cdc_init(&c, &cfg), UD_ERR_INVAL);
	cfg.unlock = NULL; /* one of the two was refused before this switch too */
	assert_int_equal(ud_cdc_init(&c, &cfg), UD_ERR_INVAL);
}

static void test_stream_with_faults(void **state)
{
	(void)state;
	cdc_stream_seed(37);
	struct cdc_stream_opts o = {
		.rx_size = 64, .tx_size = 128, .bytes = 128u * 1024u, .events = true, .sof = true};
	struct cdc_stream_result r = cdc_stream_run(&env, &o);
	assert_true(r.events >= 10);
}

static void test_stream_slow_reader(void **state)
{
	(void)state;
	cdc_stream_seed(41);
	struct cdc_stream_opts o = {
		.rx_size = 128, .tx_size = 256, .bytes = 64u * 1024u, .slow_reader = true};
	struct cdc_stream_result r = cdc_stream_run(&env, &o);
	assert_true(r.full_naks > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_context_refused),
		cmocka_unit_test(test_stream_with_faults),
		cmocka_unit_test(test_stream_slow_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
