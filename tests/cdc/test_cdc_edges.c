/* SPDX-License-Identifier: MIT */
/*
 * Promises of ud_cdc.h that the other CDC tests do not pin down, one per test (each was found
 * by a mutant of class/cdc that every other test let through, or by an audit of the class):
 * a whole packet that ends at the transmit ring's end is not a cut one; ud_cdc_tx_clear()
 * drops a pending flush, also one not taken yet, but keeps one made while it runs, and resets
 * the state of a packet cut at the ring's end; the packet in flight (alone of what it
 * discards) stays pending until it ends; a transmit ring smaller than a packet sends once
 * full; the lock hooks surround the ring operations; no on_rx for a packet without bytes;
 * ud_cdc_rx_clear() re-arms OUT; a poll while a receive is in flight leaves the transfer
 * alone. (The configured initial line coding is in test_cdc_requests.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_env.h"

static struct cdc_env env;

/* ---------------------------------------------------------------- transmit */

/* A whole packet that ends exactly at the transmit ring's end is not a cut packet: the partial
 * packet written after it waits for a flush like any other. */
static void test_packet_at_ring_end_is_not_cut(void **state)
{
	uint8_t data[138], buf[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_pattern(data, sizeof(data), 29u, 22);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 128), 128);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data, 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64); /* up to the ring's end, whole */
	assert_memory_equal(buf, data + 64, 64);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 128, 10), 10);
	cdc_env_expect_in_nak(&env); /* a partial packet, no flush */
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 10);
	assert_memory_equal(buf, data + 128, 10);
	cdc_env_expect_in_nak(&env);
}

/* ud_cdc_tx_clear() from on_state(false), as ud_cdc.h suggests, while a flush is under way:
 * the flush is dropped with the bytes, so a partial packet written before the host comes back
 * waits for a flush of its own. */
static void test_tx_clear_drops_flush(void **state)
{
	static struct ud_sim_result r;
	uint8_t data[200], buf[64];

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	env.clear_tx_on_down = true;
	cdc_pattern(data, sizeof(data), 13u, 24);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 200), 200);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	ud_host_reset(&env.w, &r);
	assert_int_equal(r.status, UD_SIM_OK);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 10), 10);
	cdc_env_attach(&env);
	cdc_env_expect_in_nak(&env); /* no flush asked for these */
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 10);
	assert_memory_equal(buf, data, 10);
	cdc_env_expect_in_nak(&env);
}

/* Overwrite mode, ud_cdc_tx_clear() with a packet in flight: until the cancelled transfer
 * ends, its bytes are still the controller's and still count as pending (not yet
 * acknowledged); the queued ones are gone at once. */
static void test_tx_overwrite_clear_in_flight_pending(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[100];

	(void)state;
	cfg.flags = UD_CDC_TX_OVERWRITE;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 25);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 100), 100); /* 64 in flight, 36 queued */
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 100);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 64);
	cdc_env_pump(&env);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	cdc_env_expect_in_nak(&env);
}

/* Without overwrite, ud_cdc_tx_clear() with a packet in flight: the queued bytes stay in the
 * ring until the cancelled transfer ends, but they are discarded, so they no longer count as
 * pending; the packet in flight and what is written after the clear do. */
static void test_tx_clear_in_flight_pending(void **state)
{
	uint8_t data[110], buf[64];

	(void)state;
	/* a transfer in flight or a cut packet: how requests carry the data */
	cdc_env_no_streams = true;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_env_no_streams = false;
	cdc_pattern(data, sizeof(data), 29u, 26);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 100), 100); /* 64 in flight, 36 queued */
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 100);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 64);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 100, 10), 10);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 74);
	/* Another context's loads are no single snapshot: it may pair the discard flag with the
	 * index of another clear. The answer is bounded by what the ring holds all the same. */
	uint32_t from = UD_LOAD(&env.cdc.tx_kept_from);
	UD_STORE(&env.cdc.tx_kept_from, from - 4096u);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 110);
	UD_STORE(&env.cdc.tx_kept_from, from);
	cdc_env_pump(&env); /* the cancelled transfer ends without moving a byte */
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 10);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 10);
	assert_memory_equal(buf, data + 100, 10);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
}

/* ud_cdc_tx_clear() also drops a flush the task has not taken yet (asked while the port was
 * unconfigured): a partial packet written after the clear waits for a flush of its own. */
static void test_tx_clear_drops_untaken_flush(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[20], buf[64];

	(void)state;
	cdc_pattern(data, sizeof(data), 7u, 27);
	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 10), 10);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 10);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 10, 10), 10);
	cdc_env_attach(&env);
	cdc_env_expect_in_nak(&env); /* the flush went with the cleared bytes */
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 10);
	assert_memory_equal(buf, data + 10, 10);
	cdc_env_expect_in_nak(&env);
}

/* A writer in another context that preempts the USB thread inside ud_cdc_tx_clear(), right
 * after the clear released the lock, and writes and flushes: the lock hook below plays that
 * writer once, on the first unlock after `preempt` is set. */
static const uint8_t late[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
static bool preempt;

static void unlock_then_write(void *ctx)
{
	cdc_env_unlock(ctx);
	if (preempt) {
		preempt = false;
		assert_int_equal(ud_cdc_write(&env.cdc, late, sizeof(late)), sizeof(late));
		assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	}
}

/* The clear takes as done only the flushes made before it read the ring: the writer's flush,
 * made after, still sends the writer's bytes at the next poll. */
static void test_tx_clear_keeps_later_flush(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[20], buf[64];

	(void)state;
	cfg.context = UD_CDC_CTX_OTHER;
	cfg.lock = cdc_env_lock;
	cfg.unlock = unlock_then_write;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 7u, 28);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 20), 20);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0); /* not taken: the USB thread has not polled */
	preempt = true;
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 20);
	assert_false(preempt); /* the writer ran */
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), sizeof(late));
	ud_cdc_poll(&env.cdc); /* what the USB thread does after the writer's wake */
	assert_int_equal(cdc_env_in_packet(&env, buf), sizeof(late));
	assert_memory_equal(buf, late, sizeof(late));
	cdc_env_expect_in_nak(&env);
	assert_int_equal(env.lock_depth_max, 1);
}

/* A packet cut at the ring's end whose rest a bus reset shut down: the application clears
 * while the port is down and nothing is in flight. The rest is gone, and so is the promise to
 * send it at once: a partial packet written afterwards waits for a flush. */
static void test_tx_clear_idle_forgets_cut(void **state)
{
	static struct ud_sim_result r;
	uint8_t data[210], buf[64];

	(void)state;
	/* a transfer in flight or a cut packet: how requests carry the data */
	cdc_env_no_streams = true;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_env_no_streams = false;
	cdc_pattern(data, sizeof(data), 29u, 29);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 100), 100);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 36);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 100, 64), 64); /* cut: 28 + 36 */
	env.w.host.manual = 1;
	assert_int_equal(cdc_env_in_packet(&env, buf), 28); /* its completion not yet delivered */
	assert_memory_equal(buf, data + 100, 28);
	env.w.host.manual = 0;
	ud_host_reset(&env.w, &r); /* the piece completes, the rest starts and is shut down */
	assert_int_equal(r.status, UD_SIM_OK);
	assert_false(ud_cdc_configured(&env.cdc));
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 36);
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 36);
	cdc_env_attach(&env);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 200, 10), 10);
	cdc_env_expect_in_nak(&env); /* a partial packet, no flush */
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 10);
	assert_memory_equal(buf, data + 200, 10);
	cdc_env_expect_in_nak(&env);
}

/* A transmit ring smaller than a packet (32 bytes for 64) can never hold a whole one: once
 * full it goes out as a short packet without a flush, and then takes more. Not full, it waits
 * for more bytes or a flush like any partial packet. */
static void test_tx_ring_under_a_packet(void **state)
{
	uint8_t data[96], buf[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 32, 0);
	cdc_pattern(data, sizeof(data), 29u, 30);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 32);
	assert_int_equal(cdc_env_in_packet(&env, buf), 32);
	assert_memory_equal(buf, data, 32);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 32, 10), 10);
	cdc_env_expect_in_nak(&env); /* not full: waits */
	assert_int_equal(ud_cdc_write(&env.cdc, data + 42, 54), 22);
	assert_int_equal(cdc_env_in_packet(&env, buf), 32);
	assert_memory_equal(buf, data + 32, 32);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_write_room(&env.cdc), 32);
}

/* ---------------------------------------------------------------- lock hooks */

/* The lock hooks surround the ring operation itself: ud_cdc_write() and ud_cdc_read() move
 * the application's index before they unlock (cdc_env_unlock() records it). cdc_env_lock()
 * checks that nothing moved it since, at every later lock. */
static void test_lock_surrounds_ring_op(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[10], got[10];

	(void)state;
	cfg.context = UD_CDC_CTX_OTHER;
	cfg.lock = cdc_env_lock;
	cfg.unlock = cdc_env_unlock;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 31);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 10), 10);
	assert_int_equal(env.tx_head_unlocked, 10);
	assert_int_equal(cdc_env_out(&env, data, 5), UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&env.cdc, got, sizeof(got)), 5);
	assert_int_equal(env.rx_tail_unlocked, 5);
	assert_memory_equal(got, data, 5);
	assert_int_equal(ud_cdc_available(&env.cdc), 0); /* another lock: the check runs */
	assert_int_equal(env.locks, env.unlocks);
}

/* ---------------------------------------------------------------- receive */

/* on_rx means "bytes arrived": a ZLP, which delivers none, does not call it. */
static void test_zlp_is_not_on_rx(void **state)
{
	uint8_t data[5] = {1, 2, 3, 4, 5};

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	assert_int_equal(cdc_env_out(&env, NULL, 0), UD_SIM_ACK);
	assert_int_equal(env.rx_calls, 0);
	assert_int_equal(cdc_env_out(&env, data, 5), UD_SIM_ACK);
	assert_int_equal(env.rx_calls, 1);
	assert_int_equal(cdc_env_out(&env, NULL, 0), UD_SIM_ACK);
	assert_int_equal(env.rx_calls, 1);
	assert_int_equal(ud_cdc_available(&env.cdc), 5);
}

/* ud_cdc_rx_clear() makes room as a read does: in task mode OUT is armed again at once. */
static void test_rx_clear_rearms(void **state)
{
	uint8_t data[192], got[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_pattern(data, sizeof(data), 29u, 23);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_NAK); /* ring full */
	assert_int_equal(ud_cdc_rx_clear(&env.cdc), 128);
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&env.cdc, got, 64), 64);
	assert_memory_equal(got, data + 128, 64);
}

/* UD_CDC_RX_OVERWRITE with a full ring receives into the bounce buffer. A poll while that
 * transfer is in flight, after the reader emptied the ring (a packet would now fit in the ring
 * itself), must leave the transfer alone: the packet lands in the bounce buffer and must be
 * read from there. */
static void test_rx_poll_while_bounce_in_flight(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[192], got[128];

	(void)state;
	cfg.flags = UD_CDC_RX_OVERWRITE;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 21);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_ACK);
	/* The ring is full: the next packet goes to the bounce buffer (overwrite). */
	assert_int_equal(ud_cdc_read(&env.cdc, got, 128), 128);
	assert_memory_equal(got, data, 128);
	ud_cdc_poll(&env.cdc); /* in flight: nothing to do */
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&env.cdc, got, 128), 64);
	assert_memory_equal(got, data + 128, 64);
	assert_int_equal(ud_cdc_stats(&env.cdc).rx_dropped, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packet_at_ring_end_is_not_cut),
		cmocka_unit_test(test_tx_clear_drops_flush),
		cmocka_unit_test(test_tx_clear_in_flight_pending),
		cmocka_unit_test(test_tx_overwrite_clear_in_flight_pending),
		cmocka_unit_test(test_tx_clear_drops_untaken_flush),
		cmocka_unit_test(test_tx_clear_keeps_later_flush),
		cmocka_unit_test(test_tx_clear_idle_forgets_cut),
		cmocka_unit_test(test_tx_ring_under_a_packet),
		cmocka_unit_test(test_lock_surrounds_ring_op),
		cmocka_unit_test(test_zlp_is_not_on_rx),
		cmocka_unit_test(test_rx_clear_rearms),
		cmocka_unit_test(test_rx_poll_while_bounce_in_flight),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
