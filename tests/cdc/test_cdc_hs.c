/* SPDX-License-Identifier: MIT */
/*
 * High speed: the class built with UD_CDC_MAX_PACKET 512 (as ud_cdc.h asks for a high-speed
 * port) on a high-speed vdc. 512-byte bulk packets, the ZLP after a 512-byte boundary, the
 * receive bounce buffer at 512, the stream both ways, and the same build at full speed still
 * using 64-byte packets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_stream_model.h"

#define HS (UD_SPEED_FULL | UD_SPEED_HIGH)

static struct cdc_env env;

static void test_hs_packets_and_zlp(void **state)
{
	static uint8_t data[1024], buf[UD_HOST_PACKET_MAX];

	(void)state;
	assert_int_equal(UD_CDC_MAX_PACKET, 512);
	cdc_env_up_sizes(&env, 1024, 1024, HS);
	assert_int_equal(ud_device_speed(&env.w.dev), UD_SPEED_HIGH);
	for (unsigned i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 5u + 1u);
	/* Receive: two 512-byte packets fill the ring; a third waits. */
	assert_int_equal(cdc_env_out(&env, data, 512), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 512, 512), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data, 512), UD_SIM_NAK);
	assert_int_equal(ud_cdc_read(&env.cdc, buf, 1024), 1024);
	assert_memory_equal(buf, data, 1024);
	/* Transmit: a partial packet waits; 512 flushed is a packet and a ZLP. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 100), 100);
	assert_int_equal(cdc_env_in(&env, CDC_EP_IN, NULL, NULL), UD_SIM_NAK);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 100, 412), 412);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 512);
	assert_memory_equal(buf, data, 512);
	assert_int_equal(cdc_env_in_packet(&env, buf), 0);
	assert_int_equal(cdc_env_in(&env, CDC_EP_IN, NULL, NULL), UD_SIM_NAK);
}

/* The smallest rings at high speed, one packet each: short packets and flushes shift the
 * positions, and packets that wrap are cut at the transmit ring's end or go through the
 * 512-byte receive bounce. */
static void test_hs_stream_small_rings(void **state)
{
	(void)state;
	cdc_stream_seed(21);
	struct cdc_stream_opts o = {.rx_size = 512,
	                            .tx_size = 512,
	                            .bytes = 1024u * 1024u,
	                            .speeds = HS,
	                            .chunk = 3000};
	cdc_stream_run(&env, &o);
}

static void test_hs_stream_faults(void **state)
{
	(void)state;
	cdc_stream_seed(22);
	struct cdc_stream_opts o = {.rx_size = 2048,
	                            .tx_size = 1024,
	                            .bytes = 512u * 1024u,
	                            .speeds = HS,
	                            .chunk = 2000,
	                            .events = true};
	cdc_stream_run(&env, &o);
}

/* The same build on a high-speed capable controller that the host runs at full speed. */
static void test_hs_build_at_full_speed(void **state)
{
	uint8_t buf[64];

	(void)state;
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, 128);
	assert_int_equal(cdc_env_start(&env, &cfg, HS), UD_ERR_NOSPACE); /* 512 must fit */
	cfg = cdc_env_config(&env, 512, 128);
	assert_int_equal(cdc_env_start(&env, &cfg, UD_SPEED_FULL), 0);
	cdc_env_attach(&env);
	assert_int_equal(ud_cdc_write(&env.cdc,
	                              "0123456789012345678901234567890123456789"
	                              "012345678901234567890123",
	                              64),
	                 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hs_packets_and_zlp),
		cmocka_unit_test(test_hs_stream_small_rings),
		cmocka_unit_test(test_hs_stream_faults),
		cmocka_unit_test(test_hs_build_at_full_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
