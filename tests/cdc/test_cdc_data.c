/* SPDX-License-Identifier: MIT */
/*
 * The data path of ud_cdc.h, each promise on its own: "write takes what fits", "a partial
 * packet waits for a flush", ZLPs, NAK backpressure, babble, packets at the rings' ends (cut
 * in two on transmit, through the bounce buffer on receive), and the explicit overwrite
 * options.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_env.h"

static struct cdc_env env;

/* ---------------------------------------------------------------- transmit */

/* ud_cdc_write() takes what fits and says how much. */
static void test_write_takes_what_fits(void **state)
{
	uint8_t data[400], buf[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 256, 0);
	cdc_pattern(data, sizeof(data), 29u, 1);
	assert_int_equal(ud_cdc_write_room(&env.cdc), 256);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 150), 150);
	assert_int_equal(ud_cdc_write_room(&env.cdc), 106);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 150, 150), 106); /* only 106 fit */
	assert_int_equal(ud_cdc_write(&env.cdc, data + 256, 100), 0);   /* full */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 0), 0);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 256);
	/* The host takes a packet: room for 64 more. */
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data, 64);
	assert_int_equal(ud_cdc_write_room(&env.cdc), 64);
	assert_int_equal(env.tx_calls, 1);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 256, 100), 64);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	unsigned got = 64;
	while (got < 320) {
		uint16_t n = cdc_env_in_packet(&env, buf);
		assert_memory_equal(buf, data + got, n);
		got += n;
	}
	assert_int_equal(got, 320);
	assert_int_equal(cdc_env_in_packet(&env, buf),
	                 0); /* the flush ended on a packet boundary */
	cdc_env_expect_in_nak(&env);
}

/* A partial packet waits for a flush; whole packets go at once. */
static void test_partial_packet_waits_for_flush(void **state)
{
	uint8_t data[100], buf[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 256, 0);
	cdc_pattern(data, sizeof(data), 29u, 2);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 10), 10);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 10, 90), 90);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64); /* a whole packet went */
	assert_memory_equal(buf, data, 64);
	cdc_env_expect_in_nak(&env); /* 36 wait */
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 36);
	assert_memory_equal(buf, data + 64, 36);
	cdc_env_expect_in_nak(&env);
	/* A flush with nothing buffered and nothing open sends nothing. */
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	cdc_env_expect_in_nak(&env);
}

/* A flushed transfer that ends on a packet boundary is followed by a ZLP. */
static void test_zlp(void **state)
{
	uint8_t data[128], buf[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 256, 0);
	cdc_pattern(data, sizeof(data), 29u, 3);
	/* 128 bytes flushed: two packets, then a ZLP. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 128), 128);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 0);
	cdc_env_expect_in_nak(&env);
	/* 64 bytes without a flush: the packet goes, no ZLP; a later flush sends the ZLP alone. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 0);
	cdc_env_expect_in_nak(&env);
	/* A short final packet needs no ZLP. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 65), 65);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 1);
	cdc_env_expect_in_nak(&env);
	/* A flush while the packet is in flight is carried out when it completes. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 0);
	cdc_env_expect_in_nak(&env);
}

/* A flushed short packet leaves the transmit ring's read position off the packet grid: later
 * packets would wrap around the ring's end. They are cut there (no bounce buffer): a short
 * packet up to the end, then the next one from the ring's start; every byte in order. */
static void test_tx_wrap(void **state)
{
	uint8_t data[400], buf[64];

	(void)state;
	/* cut packets are how requests carry the data (streams: the bounce buffer) */
	cdc_env_no_streams = true;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_env_no_streams = false;
	cdc_pattern(data, sizeof(data), 29u, 4);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 10), 10);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 10);
	unsigned put = 0, got = 0;
	while (got < sizeof(data)) {
		put += ud_cdc_write(&env.cdc, data + put, (uint32_t)(sizeof(data) - put));
		if (put == sizeof(data))
			assert_int_equal(ud_cdc_flush(&env.cdc), 0);
		/* The ring is full each time: a whole packet, or the bytes up to the ring's end,
		 * or the flush's last bytes. */
		unsigned to_end = 128u - (10u + got) % 128u, left = (unsigned)sizeof(data) - got;
		unsigned want = to_end < 64u ? to_end : 64u;
		uint16_t n = cdc_env_in_packet(&env, buf);
		assert_int_equal(n, want < left ? want : left);
		assert_memory_equal(buf, data + got, n);
		got += n;
	}
	cdc_env_expect_in_nak(&env); /* 64, 54 (cut), 64, 64, 64, 64, 26: no ZLP */
}

/* The transmit stream of test_tx_wrap_cut: what the application wrote and the host read. */
static uint8_t stream[1024];
static unsigned stream_put, stream_got;

static void app_write(unsigned n, bool flush)
{
	assert_int_equal(ud_cdc_write(&env.cdc, stream + stream_put, n), n);
	stream_put += n;
	if (flush)
		assert_int_equal(ud_cdc_flush(&env.cdc), 0);
}

/* One IN token: a packet of @p len bytes (0: a ZLP), the next ones of the stream. */
static void host_expect(uint16_t len)
{
	uint8_t buf[64];

	assert_int_equal(cdc_env_in_packet(&env, buf), len);
	assert_memory_equal(buf, stream + stream_got, len);
	stream_got += len;
}

/* A packet that would wrap around the transmit ring's end, step by step: the host gets a
 * short packet up to the end, then the rest in the next transfer, at once (it was a whole
 * packet: no flush needed), every byte in order. The piece cut at the end carries no ZLP and
 * does not end a flush; a flush that ends on a packet boundary is still followed by one. */
static void test_tx_wrap_cut(void **state)
{
	(void)state;
	/* cut packets are how requests carry the data (streams: the bounce buffer) */
	cdc_env_no_streams = true;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_env_no_streams = false;
	cdc_pattern(stream, sizeof(stream), 29u, 11);
	stream_put = stream_got = 0;
	/* Ring position 0 -> 100: off the packet grid. */
	app_write(100, true);
	host_expect(64);
	host_expect(36);
	cdc_env_expect_in_nak(&env);
	/* A whole packet at 100, no flush: 28 bytes up to the end, then the other 36. */
	app_write(64, false);
	host_expect(28);
	host_expect(36);
	cdc_env_expect_in_nak(&env); /* no ZLP after either, and nothing left waiting */
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	/* 36 -> 64, then a flushed packet that ends exactly at the ring's end: not cut, and
	 * followed by a ZLP. */
	app_write(28, true);
	host_expect(28);
	app_write(64, true);
	host_expect(64);
	host_expect(0);
	cdc_env_expect_in_nak(&env);
	/* 0 -> 100, then a flush of 92 bytes: the 28 up to the end (no ZLP after it, the flush
	 * goes on), then a whole packet that ends the flush: a ZLP follows. */
	app_write(100, true);
	host_expect(64);
	host_expect(36);
	app_write(92, true);
	host_expect(28);
	host_expect(64);
	host_expect(0);
	cdc_env_expect_in_nak(&env);
	/* 64 -> 100, then a flush of 40 bytes: 28 up to the end, then the flush's last 12. */
	app_write(36, true);
	host_expect(36);
	app_write(40, true);
	host_expect(28);
	host_expect(12);
	cdc_env_expect_in_nak(&env);
	/* 12 -> 100, then a packet cut at the end with more written behind it: the next packet
	 * after the cut is a whole one from the ring's start, the partial rest waits for the
	 * flush. */
	app_write(88, true);
	host_expect(64);
	host_expect(24);
	app_write(64, false);
	app_write(64, false);
	host_expect(28);
	host_expect(64);
	cdc_env_expect_in_nak(&env);
	app_write(0, true);
	host_expect(36);
	cdc_env_expect_in_nak(&env);
	/* 100 -> 90: 28 up to the end, a packet, the flush's last 26. */
	app_write(118, true);
	host_expect(28);
	host_expect(64);
	host_expect(26);
	cdc_env_expect_in_nak(&env);
	/* 90 -> 100 in flight, and behind it a flush of 92 bytes already requested when the
	 * packet is cut at the end: 28, then a whole packet that ends the flush, and its ZLP. */
	app_write(10, true);
	app_write(92, true);
	host_expect(10);
	host_expect(28);
	host_expect(64);
	host_expect(0);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(stream_got, stream_put);
	assert_int_equal(ud_cdc_stats(&env.cdc).tx_bytes, stream_put);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
}

/* ---------------------------------------------------------------- receive */

/* OUT is armed only while a whole packet fits: the host is NAKed, not dropped. */
static void test_rx_backpressure(void **state)
{
	uint8_t data[256], got[256];

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_pattern(data, sizeof(data), 29u, 5);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_ACK);
	assert_int_equal(env.rx_calls, 2);
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_NAK); /* ring full */
	assert_int_equal(ud_cdc_read(&env.cdc, got, 63), 63);            /* 63 free: not enough */
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_NAK);
	assert_int_equal(ud_cdc_read(&env.cdc, got + 63, 1), 1); /* a packet fits: armed at once */
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_available(&env.cdc), 128);
	assert_int_equal(ud_cdc_read(&env.cdc, got + 64, 192), 128);
	assert_memory_equal(got, data, 192);
	/* A short packet is delivered at once: one packet per transfer. */
	assert_int_equal(cdc_env_out(&env, data, 5), UD_SIM_ACK);
	assert_int_equal(ud_cdc_available(&env.cdc), 5);
	/* A ZLP is taken and delivers nothing. */
	assert_int_equal(cdc_env_out(&env, NULL, 0), UD_SIM_ACK);
	assert_int_equal(ud_cdc_available(&env.cdc), 5);
	assert_int_equal(ud_cdc_rx_clear(&env.cdc), 5);
	assert_int_equal(ud_cdc_available(&env.cdc), 0);
	assert_int_equal(ud_cdc_stats(&env.cdc).rx_bytes, 197);
}

/* A packet longer than wMaxPacketSize is babble: no handshake, nothing stored, and the
 * endpoint keeps working. */
static void test_rx_babble(void **state)
{
	uint8_t data[65], got[64];

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_pattern(data, sizeof(data), 29u, 6);
	assert_int_equal(cdc_env_out(&env, data, 65), UD_SIM_TIMEOUT);
	assert_int_equal(ud_cdc_available(&env.cdc), 0);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&env.cdc, got, 64), 64);
	assert_memory_equal(got, data, 64);
}

/* Short packets move the receive ring's write position off the packet grid: packets that
 * would wrap land in the bounce buffer and are copied around the end. */
static void test_rx_wrap(void **state)
{
	uint8_t data[1000], got[1000];

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	cdc_pattern(data, sizeof(data), 29u, 7);
	unsigned sent = 0, read = 0;
	while (read < sizeof(data)) {
		uint16_t n = (uint16_t)(sizeof(data) - sent < 50 ? sizeof(data) - sent : 50);
		if (n && cdc_env_out(&env, data + sent, n) == UD_SIM_ACK)
			sent += n;
		read += ud_cdc_read(&env.cdc, got + read, 37);
	}
	assert_memory_equal(got, data, sizeof(data));
}

/* ---------------------------------------------------------------- overwrite, explicitly */

static void test_tx_overwrite(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[350], buf[64];

	(void)state;
	cfg.flags = UD_CDC_TX_OVERWRITE;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 8);
	/* The host does not read. The first packet is handed to the controller (copied out of
	 * the ring); the ring then keeps the newest bytes. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 100), 100);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 100);
	assert_int_equal(ud_cdc_write_room(&env.cdc), 92);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 100, 100), 100); /* takes everything */
	assert_int_equal(ud_cdc_stats(&env.cdc).tx_dropped, 8);         /* data[64..72) */
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 192);
	assert_int_equal(ud_cdc_write_room(&env.cdc), 0);
	/* More than the ring at once: only the last 128 bytes of it are kept. */
	assert_int_equal(ud_cdc_write(&env.cdc, data + 200, 150), 150);
	assert_int_equal(ud_cdc_stats(&env.cdc).tx_dropped, 8 + 128 + 22);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data, 64); /* the packet in flight was not touched */
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data + 222, 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data + 286, 64);
	assert_int_equal(cdc_env_in_packet(&env, buf),
	                 0); /* the flush ended on a packet boundary */
	cdc_env_expect_in_nak(&env);
	struct ud_cdc_stats st = ud_cdc_stats(&env.cdc);
	assert_int_equal(st.tx_bytes, 192);
	assert_int_equal(st.tx_bytes + st.tx_dropped, 350);
	/* Without pressure it is an ordinary port, short packets and ZLPs included. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data, 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 0);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 70), 70);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 6);
	assert_memory_equal(buf, data + 64, 6);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_stats(&env.cdc).tx_dropped, 158);
}

/* Overwrite mode keeps its promises across a bus reset too, and ud_cdc_tx_clear() works. */
static void test_tx_overwrite_reset_and_clear(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[200], buf[64];

	(void)state;
	cfg.flags = UD_CDC_TX_OVERWRITE;
	cfg.lock = cdc_env_lock;
	cfg.unlock = cdc_env_unlock;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 9);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 100), 100);
	cdc_env_attach(&env); /* bus reset: the packet in flight is kept */
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 100);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data, 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 36);
	assert_memory_equal(buf, data + 64, 36);
	cdc_env_expect_in_nak(&env);
	/* Clear with a packet in flight and bytes queued: 22 dropped at once (more than the
	 * ring), 64 in flight, 64 queued. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 150), 150);
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 128);
	cdc_env_pump(&env);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	cdc_env_expect_in_nak(&env);
	/* Clear with nothing in flight. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 10), 10);
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 10);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(env.lock_depth, 0);
	assert_int_equal(env.lock_depth_max, 1);
}

/* Overwrite mode, a flush that comes while the last (full) packet is already in flight: the
 * flush ends only after it, with a ZLP; then it is over, so a partial packet written next waits
 * for the next flush again. */
static void test_tx_overwrite_flush_in_flight(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[74], buf[64];

	(void)state;
	cfg.flags = UD_CDC_TX_OVERWRITE;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 13);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	cdc_env_pump(&env); /* the packet is copied out and handed to the controller */
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 64);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data, 64);
	assert_int_equal(cdc_env_in_packet(&env, buf), 0); /* the flush's ZLP */
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_write(&env.cdc, data + 64, 10), 10);
	cdc_env_expect_in_nak(&env); /* no flush asked for these */
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in_packet(&env, buf), 10);
	assert_memory_equal(buf, data + 64, 10);
	cdc_env_expect_in_nak(&env);
}

static void test_rx_overwrite(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[320], got[128];

	(void)state;
	cfg.flags = UD_CDC_RX_OVERWRITE;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 10);
	/* Nobody reads, the host never waits: the ring keeps the newest 128 bytes. */
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(cdc_env_out(&env, data + 64 * i, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_available(&env.cdc), 128);
	assert_int_equal(ud_cdc_read(&env.cdc, got, 128), 128);
	assert_memory_equal(got, data + 192, 128);
	struct ud_cdc_stats st = ud_cdc_stats(&env.cdc);
	assert_int_equal(st.rx_dropped, 192);
	assert_int_equal(st.rx_bytes, 320);
	/* Partly full: a short packet that does not fit pushes out only what it needs. */
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 128, 10), UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&env.cdc, got, 128), 128);
	assert_memory_equal(got, data + 10, 128);
	assert_int_equal(ud_cdc_stats(&env.cdc).rx_dropped, 202);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_takes_what_fits),
		cmocka_unit_test(test_partial_packet_waits_for_flush),
		cmocka_unit_test(test_zlp),
		cmocka_unit_test(test_tx_wrap),
		cmocka_unit_test(test_tx_wrap_cut),
		cmocka_unit_test(test_rx_backpressure),
		cmocka_unit_test(test_rx_babble),
		cmocka_unit_test(test_rx_wrap),
		cmocka_unit_test(test_tx_overwrite),
		cmocka_unit_test(test_tx_overwrite_reset_and_clear),
		cmocka_unit_test(test_tx_overwrite_flush_in_flight),
		cmocka_unit_test(test_rx_overwrite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
