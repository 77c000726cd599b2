/* SPDX-License-Identifier: MIT */
/*
 * Cases a review of the stream data path found wrong (ud_stream.h, class/cdc), each from its
 * reproduction. Like every CDC test program, it runs on the vdc with streams and again
 * without (test_cdc_review.requests): the request path must behave the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_env.h"

static struct cdc_env env;

/* Deliver the first pending interrupt of @p kind. */
static void deliver_kind(uint8_t kind)
{
	for (unsigned n = 0; n < ud_vdc_irq_count(&env.w.vdc); n++) {
		if (ud_vdc_irq_peek(&env.w.vdc, n)->kind == kind) {
			assert_int_equal(ud_vdc_irq_deliver(&env.w.vdc, n), 0);
			return;
		}
	}
	fail_msg("no pending interrupt of kind %u", (unsigned)kind);
}

/* ud_cdc_tx_clear() from on_state(false), as ud_cdc.h suggests, while the host has taken a
 * packet whose interrupt is still pending: the ring ends empty and consistent (the clear
 * must not move the tail while a stream still owns it), and after the next configuration
 * the host gets only what is written after it. */
static void test_tx_clear_on_down_keeps_ring_sane(void **state)
{
	uint8_t data[200], buf[64], more[10];
	uint16_t len = 0;
	uint8_t pid;

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	env.clear_tx_on_down = true;
	cdc_pattern(data, sizeof(data), 13u, 5);
	cdc_pattern(more, sizeof(more), 7u, 9);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 200), 200);
	env.w.host.manual = 1;
	assert_int_equal(ud_vdc_in(&env.w.vdc, env.w.vdc.address, CDC_EP_IN, buf, 64, &len, &pid),
	                 UD_VDC_ACK);
	assert_int_equal(len, 64);
	static const uint8_t setcfg0[8] = {0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0, 0, 0, 0};
	assert_int_equal(ud_vdc_setup(&env.w.vdc, env.w.vdc.address, setcfg0), UD_VDC_ACK);
	deliver_kind(UD_VDC_IRQ_SETUP);
	ud_task(&env.w.dev);
	assert_int_equal(UD_LOAD(&env.cdc.tx.head), UD_LOAD(&env.cdc.tx.tail));
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	assert_int_equal(ud_cdc_write_room(&env.cdc), 256);
	env.w.host.manual = 0;
	ud_vdc_irq_deliver_all(&env.w.vdc);
	ud_task(&env.w.dev);
	assert_int_equal(
		cdc_env_control(&env, 0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, 0, NULL, NULL),
		UD_SIM_OK);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_write(&env.cdc, more, sizeof(more)), sizeof(more));
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), sizeof(more));
	assert_memory_equal(buf, more, sizeof(more));
	cdc_env_expect_in_nak(&env);
}

/* The host reads one IN packet after another until a NAK; @return the bytes, and in @p last
 * the length of the last packet. */
static unsigned host_read_all(uint8_t *out, uint16_t *last)
{
	uint8_t buf[64];
	uint16_t len = 0;
	unsigned got = 0;

	*last = 0xffff;
	while (cdc_env_in(&env, CDC_EP_IN, buf, &len) == UD_SIM_ACK) {
		memcpy(out + got, buf, len);
		got += len;
		*last = len;
	}
	return got;
}

/* A flush ends the host's transfer even when bytes written after it follow the flushed ones
 * before the host reads: they go with them, and the last packet is short. */
static void test_flush_then_more_ends_transfer(void **state)
{
	uint8_t data[150], got[256];
	uint16_t last;

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_pattern(data, sizeof(data), 13u, 6);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 64, 36), 36);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0); /* flush at 100 */
	assert_int_equal(ud_cdc_write(&env.cdc, data + 100, 50), 50);
	assert_int_equal(host_read_all(got, &last), 150);
	assert_memory_equal(got, data, 150);
	assert_true(last < 64);
}

/* A flush after whole packets, more than a packet written after it: nothing is left behind
 * and the transfer ends (the request path sends 64, 64, 64, 6; either way a short packet or
 * a ZLP comes last and every byte arrives). */
static void test_flush_on_boundary_then_more(void **state)
{
	uint8_t data[198], got[256];
	uint16_t last;

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_pattern(data, sizeof(data), 13u, 7);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 128), 128);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 128, 70), 70);
	assert_int_equal(host_read_all(got, &last), 198);
	assert_memory_equal(got, data, 198);
	assert_true(last < 64);
}

/* SET_INTERFACE of the communication interface leaves the data path working: the receive
 * ring fills, the reader empties it, the host's next packet is taken; and the class still
 * sends. */
static void test_set_interface_comm_keeps_data(void **state)
{
	uint8_t data[192], got[192], buf[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_pattern(data, sizeof(data), 13u, 8);
	assert_int_equal(
		cdc_env_control(&env, 0x01, UD_REQ_SET_INTERFACE, 0, 0, 0, NULL, 0, NULL, NULL),
		UD_SIM_OK);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_NAK);
	assert_int_equal(ud_cdc_read(&env.cdc, got, sizeof(got)), 128);
	assert_memory_equal(got, data, 128);
	cdc_env_pump(&env);
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data, 64);
}

/* A packet whose interrupt is handled in the same ud_task() as a SET_INTERFACE of the data
 * interface: on_rx still runs for it. */
static void test_on_rx_across_set_interface(void **state)
{
	uint8_t data[64];

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_pattern(data, sizeof(data), 13u, 9);
	unsigned before = env.rx_calls;
	env.w.host.manual = 1;
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	static const uint8_t setif[8] = {0x01, UD_REQ_SET_INTERFACE, 0, 0, 1, 0, 0, 0};
	assert_int_equal(ud_vdc_setup(&env.w.vdc, env.w.vdc.address, setif), UD_VDC_ACK);
	ud_vdc_irq_deliver_all(&env.w.vdc); /* the packet, then the SETUP: one ud_task() */
	ud_task(&env.w.dev);
	env.w.host.manual = 0;
	cdc_env_pump(&env);
	assert_int_equal(ud_cdc_available(&env.cdc), 64);
	assert_true(env.rx_calls > before);
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_tx_clear_on_down_keeps_ring_sane), T(test_flush_then_more_ends_transfer),
		T(test_flush_on_boundary_then_more),      T(test_set_interface_comm_keeps_data),
		T(test_on_rx_across_set_interface),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
