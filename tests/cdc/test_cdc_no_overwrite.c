/* SPDX-License-Identifier: MIT */
/*
 * The class built with UD_CDC_OVERWRITE 0 (ud_cdc.h: the overwrite options left out to save
 * code): ud_cdc_init() refuses them, and the port keeps every other promise: the random
 * stream with bus events over the smallest rings (packets that wrap: cut in two on transmit,
 * through the bounce buffer on receive), a packet cut at the transmit ring's end across a
 * reset and a clear, and clearing a transfer in flight.
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

/* The transmit ring's end, crossed without a bounce buffer in this build too: a packet is cut
 * there and its rest goes at once (it was a whole packet), also when a bus reset comes between
 * the two; after ud_cdc_tx_clear() there is no rest to send. */
static void test_tx_wrap_cut(void **state)
{
	uint8_t data[300], buf[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_pattern(data, sizeof(data), 29u, 12);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 100), 100);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 36);
	/* A whole packet at position 100, no flush: the host takes the 28 bytes up to the end,
	 * and a bus reset comes before the task has seen it. The other 36 go at once in the new
	 * session. */
	assert_int_equal(ud_cdc_write(&env.cdc, data + 100, 64), 64);
	env.w.host.manual = 1; /* the completion's interrupt stays pending */
	assert_int_equal(cdc_env_in_packet(&env, buf), 28);
	assert_memory_equal(buf, data + 100, 28);
	env.w.host.manual = 0;
	cdc_env_attach(&env);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 36);
	assert_int_equal(cdc_env_in_packet(&env, buf), 36);
	assert_memory_equal(buf, data + 128, 36);
	cdc_env_expect_in_nak(&env);
	/* 36 -> 100, then a packet cut at the end: the host takes the piece, and the rest is
	 * cleared in flight. A partial packet written afterwards waits for a flush again. */
	assert_int_equal(ud_cdc_write(&env.cdc, data + 164, 64), 64);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data + 164, 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 0);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 28);
	assert_memory_equal(buf, data, 28);
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 36);
	cdc_env_pump(&env);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 228, 10), 10);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 10);
	assert_memory_equal(buf, data + 228, 10);
	cdc_env_expect_in_nak(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overwrite_refused),
		cmocka_unit_test(test_stream_small_rings_with_faults),
		cmocka_unit_test(test_tx_clear_in_flight),
		cmocka_unit_test(test_tx_wrap_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
