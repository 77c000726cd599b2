/* SPDX-License-Identifier: MIT */
/*
 * The class built with UD_CDC_OVERWRITE 0 (ud_cdc.h: the overwrite options left out to save
 * code): ud_cdc_init() refuses them, and the port keeps every other promise: the random
 * stream with bus events over the smallest rings (packets that wrap go through the bounce
 * buffers), and clearing a transfer in flight.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_stream_model.h"

static struct cdc_env env;

static void test_overwrite_refused(void **state)
{
	static struct ud_cdc c;
	static uint8_t rx[64], tx[64];
	struct ud_cdc_config cfg = {.rx_buf = rx, .rx_size = 64, .tx_buf = tx, .tx_size = 64};

	(void)state;
	assert_int_equal(UD_CDC_OVERWRITE, 0);
	assert_int_equal(ud_cdc_init(&c, &cfg), 0);
	cfg.flags = UD_CDC_TX_OVERWRITE;
	assert_int_equal(ud_cdc_init(&c, &cfg), UD_ERR_INVAL);
	cfg.flags = UD_CDC_RX_OVERWRITE;
	assert_int_equal(ud_cdc_init(&c, &cfg), UD_ERR_INVAL);
}

static void test_stream_small_rings_with_faults(void **state)
{
	(void)state;
	cdc_stream_seed(31);
	struct cdc_stream_opts o = {
		.rx_size = 64, .tx_size = 128, .bytes = 128u * 1024u, .events = true};
	struct cdc_stream_result r = cdc_stream_run(&env, &o);
	assert_true(r.events >= 10);
}

/* ud_cdc_tx_clear() with a packet in flight: cancelled, the rest dropped. */
static void test_tx_clear_in_flight(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 256);
	uint8_t data[200];

	(void)state;
	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	cdc_env_attach(&env);
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7u);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 200), 200);
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 200);
	cdc_env_pump(&env);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	assert_int_equal(cdc_env_in(&env, CDC_EP_IN, NULL, NULL), UD_SIM_NAK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overwrite_refused),
		cmocka_unit_test(test_stream_small_rings_with_faults),
		cmocka_unit_test(test_tx_clear_in_flight),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
