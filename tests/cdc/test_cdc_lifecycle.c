/* SPDX-License-Identifier: MIT */
/*
 * Bus reset, disconnect and re-configuration in the middle of a stream. ud_cdc.h documents:
 * received bytes are kept and stay readable; bytes written and not acknowledged by the host
 * are kept and sent after the next SET_CONFIGURATION, once, in order; a pending flush stays
 * pending; DTR/RTS read as clear; ud_cdc_tx_clear() is there for applications that prefer to
 * flush. And the port works afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_stream_model.h"

static struct cdc_env env;
static struct ud_sim_result res;

/* Read @p n bytes from the data IN endpoint and compare; returns the last packet's size. */
static uint16_t host_read_expect(const uint8_t *want, unsigned n)
{
	uint8_t buf[64];
	uint16_t len = 0;
	unsigned got = 0;

	while (got < n) {
		assert_int_equal(cdc_env_in(&env, CDC_EP_IN, buf, &len), UD_SIM_ACK);
		assert_true(got + len <= n);
		assert_memory_equal(buf, want + got, len);
		got += len;
	}
	return len;
}

static void expect_zlp(void)
{
	uint16_t len = 1;
	assert_int_equal(cdc_env_in(&env, CDC_EP_IN, NULL, &len), UD_SIM_ACK);
	assert_int_equal(len, 0);
}

/* The port works: bytes both ways. */
static void assert_port_works(void)
{
	uint8_t out[100], in[100];

	cdc_pattern(out, sizeof(out), 13u, 99);
	assert_int_equal(cdc_env_out(&env, out, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, out + 64, 36), UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&env.cdc, in, sizeof(in)), 100);
	assert_memory_equal(in, out, 100);
	assert_int_equal(ud_cdc_write(&env.cdc, in, 100), 100);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	/* The flush ends the host's transfer with a short packet: 36 bytes after a packet, or
	 * after a packet cut at the transmit ring's end (where the last stream left it). */
	uint16_t last = host_read_expect(out, 100);
	assert_true(last > 0 && last < 64);
	cdc_env_expect_in_nak(&env);
}

/* The fault the test applies; then the host enumerates again if it has to. */
enum fault {
	RESET,
	DISCONNECT,
	SET_CONFIG,
	SET_INTERFACE,
	UNCONFIGURE
};

static void apply(enum fault f)
{
	switch (f) {
	case RESET:
		ud_host_reset(&env.w, &res);
		assert_int_equal(res.status, UD_SIM_OK);
		assert_false(ud_cdc_configured(&env.cdc));
		cdc_env_attach(&env);
		break;
	case DISCONNECT:
		ud_host_connect(&env.w, false, &res);
		assert_int_equal(res.status, UD_SIM_OK);
		assert_false(ud_cdc_configured(&env.cdc));
		cdc_env_attach(&env);
		break;
	case SET_CONFIG:
		assert_int_equal(cdc_env_control(&env, 0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0,
		                                 NULL, 0, NULL, NULL),
		                 UD_SIM_OK);
		break;
	case SET_INTERFACE:
		assert_int_equal(cdc_env_control(&env, 0x01, UD_REQ_SET_INTERFACE, 0, 1, 0, NULL, 0,
		                                 NULL, NULL),
		                 UD_SIM_OK);
		break;
	case UNCONFIGURE:
		assert_int_equal(cdc_env_control(&env, 0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0,
		                                 NULL, 0, NULL, NULL),
		                 UD_SIM_OK);
		assert_false(ud_cdc_configured(&env.cdc));
		assert_int_equal(cdc_env_control(&env, 0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0,
		                                 NULL, 0, NULL, NULL),
		                 UD_SIM_OK);
		break;
	}
	assert_true(ud_cdc_configured(&env.cdc));
}

/* Transmit: 200 bytes flushed, the host reads one packet, the fault; then the host gets the
 * other 136, once, in order, ending with a short packet (the flush survived). */
static void tx_kept(enum fault f)
{
	uint8_t data[200];

	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_pattern(data, sizeof(data), 13u, (unsigned)f);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 200), 200);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	host_read_expect(data, 64);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 136);
	apply(f);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 136); /* kept, and reported */
	assert_int_equal(host_read_expect(data + 64, 136), 8);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	assert_int_equal(ud_cdc_stats(&env.cdc).tx_bytes, 200);
	assert_port_works();
}

/* Receive: two packets in the ring, a third acknowledged but its completion not processed yet
 * when the fault comes; all 192 bytes stay readable. */
static void rx_kept(enum fault f)
{
	uint8_t data[192], got[256];

	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_pattern(data, sizeof(data), 13u, 7u + (unsigned)f);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_ACK);
	env.w.host.manual = 1; /* the third packet's interrupt stays pending */
	assert_int_equal(cdc_env_out(&env, data + 128, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_available(&env.cdc), 128);
	env.w.host.manual = 0;
	apply(f);
	assert_int_equal(ud_cdc_available(&env.cdc), 192);
	assert_int_equal(ud_cdc_read(&env.cdc, got, sizeof(got)), 192);
	assert_memory_equal(got, data, 192);
	assert_port_works();
}

static void test_reset_keeps_tx(void **state)
{
	(void)state;
	tx_kept(RESET);
	assert_int_equal(env.downs, 1);
	assert_int_equal(env.ups, 2);
}

static void test_disconnect_keeps_tx(void **state)
{
	(void)state;
	tx_kept(DISCONNECT);
}

static void test_set_configuration_keeps_tx(void **state)
{
	(void)state;
	tx_kept(SET_CONFIG);
}

static void test_set_interface_keeps_tx(void **state)
{
	(void)state;
	tx_kept(SET_INTERFACE);
}

static void test_unconfigure_keeps_tx(void **state)
{
	(void)state;
	tx_kept(UNCONFIGURE);
}

static void test_reset_keeps_rx(void **state)
{
	(void)state;
	rx_kept(RESET);
}

static void test_disconnect_keeps_rx(void **state)
{
	(void)state;
	rx_kept(DISCONNECT);
}

static void test_set_configuration_keeps_rx(void **state)
{
	(void)state;
	rx_kept(SET_CONFIG);
}

static void test_set_interface_keeps_rx(void **state)
{
	(void)state;
	rx_kept(SET_INTERFACE);
}

static void test_unconfigure_keeps_rx(void **state)
{
	(void)state;
	rx_kept(UNCONFIGURE);
}

/* A packet-aligned flush cut by a reset still ends with a ZLP in the new session; a ZLP owed
 * by the old session is not (the new host has no transfer to end). */
static void test_reset_zlp(void **state)
{
	uint8_t data[128];

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_pattern(data, sizeof(data), 13u, 3);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 128), 128);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	host_read_expect(data, 64);
	apply(RESET);
	host_read_expect(data + 64, 64);
	expect_zlp();
	cdc_env_expect_in_nak(&env);

	/* 64 bytes without a flush: a full packet, no ZLP; the session ends; a flush now owes
	 * the new host nothing. */
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	host_read_expect(data, 64);
	cdc_env_expect_in_nak(&env);
	apply(RESET);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	cdc_env_expect_in_nak(&env);
}

/* DTR and RTS read as clear after the configuration is left, with a callback; SET_INTERFACE
 * does not leave it and leaves them alone. */
static void test_reset_clears_lines(void **state)
{
	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	assert_int_equal(cdc_env_control(&env, 0x21, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 3, 0, 0,
	                                 NULL, 0, NULL, NULL),
	                 UD_SIM_OK);
	assert_int_equal(ud_cdc_lines(&env.cdc), 3);
	unsigned calls = env.control_lines;
	apply(SET_INTERFACE);
	assert_int_equal(ud_cdc_lines(&env.cdc), 3);
	assert_int_equal(env.control_lines, calls);
	apply(RESET);
	assert_int_equal(ud_cdc_lines(&env.cdc), 0);
	assert_int_equal(env.control_lines, calls + 1);
	assert_int_equal(env.lines, 0);
	/* Lines already clear: no callback. */
	apply(DISCONNECT);
	assert_int_equal(env.control_lines, calls + 1);
	/* The line coding is kept. */
	const uint8_t lc[7] = {0x60, 0x09, 0, 0, 0, 2, 7};
	assert_int_equal(
		cdc_env_control(&env, 0x21, UD_CDC_REQ_SET_LINE_CODING, 0, 0, 7, lc, 7, NULL, NULL),
		UD_SIM_OK);
	apply(RESET);
	assert_int_equal(ud_cdc_line_coding(&env.cdc).rate, 2400);
}

/* SEND_BREAK 0xffff lasts until the host ends it; a host that leaves the configuration cannot,
 * so the class ends it (on_break(0)). A timed break or one already ended needs nothing. */
static void test_reset_ends_indefinite_break(void **state)
{
	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	const enum fault faults[] = {RESET, DISCONNECT, SET_CONFIG, UNCONFIGURE};
	for (unsigned i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		assert_int_equal(cdc_env_control(&env, 0x21, UD_CDC_REQ_SEND_BREAK, 0xffff, 0, 0,
		                                 NULL, 0, NULL, NULL),
		                 UD_SIM_OK);
		unsigned calls = env.breaks;
		apply(SET_INTERFACE); /* not leaving the configuration: still on */
		assert_int_equal(env.breaks, calls);
		apply(faults[i]);
		assert_int_equal(env.breaks, calls + 1);
		assert_int_equal(env.break_ms, 0);
		apply(RESET); /* ended once, not again */
		assert_int_equal(env.breaks, calls + 1);
	}
	const uint16_t ms[] = {250, 0};
	for (unsigned i = 0; i < 2; i++) {
		if (i == 1)
			assert_int_equal(cdc_env_control(&env, 0x21, UD_CDC_REQ_SEND_BREAK, 0xffff,
			                                 0, 0, NULL, 0, NULL, NULL),
			                 UD_SIM_OK);
		assert_int_equal(cdc_env_control(&env, 0x21, UD_CDC_REQ_SEND_BREAK, ms[i], 0, 0,
		                                 NULL, 0, NULL, NULL),
		                 UD_SIM_OK);
		unsigned calls = env.breaks;
		apply(RESET);
		assert_int_equal(env.breaks, calls);
	}
}

/* An application that prefers "flushed" calls ud_cdc_tx_clear() when the port goes down. */
static void test_tx_clear_on_down(void **state)
{
	uint8_t data[200];

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	env.clear_tx_on_down = true;
	cdc_pattern(data, sizeof(data), 13u, 5);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 200), 200);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	host_read_expect(data, 64);
	apply(RESET);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_stats(&env.cdc).tx_bytes, 64);
	assert_port_works();
}

/* ud_cdc_tx_clear() while configured: the packet in flight is cancelled, the rest dropped;
 * what the host took counts as sent. */
static void test_tx_clear_in_flight(void **state)
{
	uint8_t data[200];

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_pattern(data, sizeof(data), 13u, 6);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 200), 200);
	host_read_expect(data, 64);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 136);
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 136);
	cdc_env_pump(&env);
	assert_int_equal(ud_cdc_tx_pending(&env.cdc), 0);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(ud_cdc_tx_clear(&env.cdc), 0); /* nothing left, nothing in flight */
	assert_int_equal(ud_cdc_tx_clear(NULL), 0);
	assert_port_works();
}

/* Halting the data endpoints and clearing them mid-stream loses and repeats nothing. */
static void test_halt_mid_stream(void **state)
{
	uint8_t data[192], got[192];

	(void)state;
	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_pattern(data, sizeof(data), 13u, 8);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 192), 192);
	host_read_expect(data, 64);
	assert_int_equal(
		cdc_env_control(&env, 0x02, UD_REQ_SET_FEATURE, 0, 0x82, 0, NULL, 0, NULL, NULL),
		UD_SIM_OK);
	assert_int_equal(cdc_env_in(&env, CDC_EP_IN, NULL, NULL), UD_SIM_STALL);
	assert_int_equal(
		cdc_env_control(&env, 0x02, UD_REQ_CLEAR_FEATURE, 0, 0x82, 0, NULL, 0, NULL, NULL),
		UD_SIM_OK);
	host_read_expect(data + 64, 128);
	cdc_env_expect_in_nak(&env);

	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(
		cdc_env_control(&env, 0x02, UD_REQ_SET_FEATURE, 0, 0x01, 0, NULL, 0, NULL, NULL),
		UD_SIM_OK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_STALL);
	assert_int_equal(
		cdc_env_control(&env, 0x02, UD_REQ_CLEAR_FEATURE, 0, 0x01, 0, NULL, 0, NULL, NULL),
		UD_SIM_OK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&env.cdc, got, sizeof(got)), 128);
	assert_memory_equal(got, data, 128);
	assert_port_works();
}

/* Written before the host ever configured the device: sent once it has. */
static void test_write_before_configuration(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, 256);
	uint8_t data[70];

	(void)state;
	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	cdc_pattern(data, sizeof(data), 13u, 9);
	assert_false(ud_cdc_configured(&env.cdc));
	assert_int_equal(ud_cdc_write(&env.cdc, data, 70), 70);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	cdc_env_attach(&env);
	assert_int_equal(host_read_expect(data, 70), 6);
	cdc_env_expect_in_nak(&env);
}

/* A controller that refuses the next `fail_xfers` data transfers: the core ends them with
 * UD_ERR_IO. */
static const struct ud_port_ops *real_ops;
static struct ud_port_ops failing_ops;
static unsigned fail_xfers;

static int failing_xfer(struct ud_port *port, uint8_t ep, uint8_t *buf, uint32_t len)
{
	if (fail_xfers && UD_EP_NUM(ep) != 0) {
		fail_xfers--;
		return UD_ERR_IO;
	}
	return real_ops->ep_xfer(port, ep, buf, len);
}

/* A transfer the controller fails is counted, not retried in a loop; the next poll starts it
 * again, and nothing is lost: each endpoint in turn. */
static void test_io_errors(void **state)
{
	uint8_t data[64], buf[64];
	uint16_t len = 0;

	(void)state;
	/* Receiving through a stream has no transfer to fail (ud_stream.h): a port without. */
	cdc_env_no_streams = true;
	cdc_env_up_sizes(&env, 256, 256, 0);
	cdc_env_no_streams = false;
	cdc_pattern(data, sizeof(data), 13u, 10);
	real_ops = env.w.vdc.port.ops;
	failing_ops = *real_ops;
	failing_ops.ep_xfer = failing_xfer;
	env.w.vdc.port.ops = &failing_ops;

	/* OUT: the packet arrives, re-arming fails. */
	fail_xfers = 1;
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_stats(&env.cdc).io_errors, 1);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_NAK);
	ud_cdc_poll(&env.cdc);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&env.cdc, buf, 64), 64);
	assert_int_equal(ud_cdc_read(&env.cdc, buf, 64), 64);
	assert_memory_equal(buf, data, 64);

	/* IN: the packet cannot start. */
	fail_xfers = 1;
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	cdc_env_pump(&env);
	assert_int_equal(ud_cdc_stats(&env.cdc).io_errors, 2);
	cdc_env_expect_in_nak(&env);
	ud_cdc_poll(&env.cdc);
	host_read_expect(data, 64);

	/* The notification: sent again by the next poll. */
	fail_xfers = 1;
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_RING), 0);
	cdc_env_pump(&env);
	assert_int_equal(ud_cdc_stats(&env.cdc).io_errors, 3);
	assert_int_equal(cdc_env_in(&env, CDC_EP_NOTIFY, NULL, NULL), UD_SIM_NAK);
	ud_cdc_poll(&env.cdc);
	assert_int_equal(cdc_env_in(&env, CDC_EP_NOTIFY, buf, &len), UD_SIM_ACK);
	assert_int_equal(len, 10);
	assert_int_equal(buf[8], UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_RING);
	assert_int_equal(cdc_env_in(&env, CDC_EP_NOTIFY, NULL, NULL), UD_SIM_NAK);
	env.w.vdc.port.ops = real_ops;
	assert_port_works();
}

/* The controller's report of the data endpoint's transfer, still pending (manual mode), made
 * an error after the bytes moved. */
static void fail_pending_report(uint8_t ep)
{
	for (unsigned n = 0; n < ud_vdc_irq_count(&env.w.vdc); n++) {
		struct ud_vdc_irq *q = (struct ud_vdc_irq *)ud_vdc_irq_peek(&env.w.vdc, n);
		if (q->kind == UD_VDC_IRQ_XFER && q->ep == ep) {
			q->status = UD_ERR_IO;
			return;
		}
	}
	fail_msg("no pending report of endpoint 0x%02x", ep);
}

static uint8_t cb_buf[64];
static unsigned cb_bytes;

static void on_rx_reads(struct ud_cdc *cdc)
{
	cb_bytes += ud_cdc_read(cdc, cb_buf, sizeof(cb_buf));
}

static void on_tx_writes(struct ud_cdc *cdc)
{
	cb_bytes += ud_cdc_write(cdc, cb_buf, sizeof(cb_buf));
}

/* A transfer that ends in an error after moving bytes is counted even when the callback
 * those bytes call re-arms the endpoint at once (reading, or writing), which resets the
 * request's status: the class reads it first. */
static void test_io_error_counted_when_callback_rearms(void **state)
{
	uint8_t data[64];

	(void)state;
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, 256);
	cfg.on_rx = on_rx_reads;
	cfg.on_tx = on_tx_writes;
	cdc_env_no_streams = true; /* as in test_io_errors() */
	cdc_env_up(&env, &cfg, 0);
	cdc_env_no_streams = false;
	cdc_pattern(data, sizeof(data), 7u, 3);
	cb_bytes = 0;
	env.w.host.manual = 1;

	/* OUT: 64 bytes arrive and the report says the controller failed; on_rx reads them. */
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	fail_pending_report(CDC_EP_OUT);
	cdc_env_pump(&env);
	assert_int_equal(cb_bytes, 64);
	assert_memory_equal(cb_buf, data, 64);
	assert_int_equal(ud_cdc_stats(&env.cdc).io_errors, 1);

	/* IN: the host takes 64 bytes and the report says the controller failed; on_tx writes. */
	memcpy(cb_buf, data, sizeof(cb_buf));
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	cdc_env_pump(&env);
	assert_int_equal(cdc_env_in_packet(&env, cb_buf), 64);
	fail_pending_report(0x80u | CDC_EP_IN);
	cdc_env_pump(&env);
	assert_int_equal(cb_bytes, 128);
	assert_int_equal(ud_cdc_stats(&env.cdc).io_errors, 2);
	/* Nothing is lost: what on_tx wrote goes out next. */
	env.w.host.manual = 0;
	uint8_t got[64];
	assert_int_equal(cdc_env_in_packet(&env, got), 64);
	assert_memory_equal(got, data, 64);
}

/* The random stream of test_cdc_stream.c with bus resets, disconnects, SET_CONFIGURATION,
 * SET_INTERFACE and halts at random moments: both ways intact, in order, nothing repeated. */
static void test_stream_with_faults(void **state)
{
	(void)state;
	cdc_stream_seed(11);
	struct cdc_stream_opts o = {
		.rx_size = 256, .tx_size = 256, .bytes = 256u * 1024u, .events = true};
	struct cdc_stream_result r = cdc_stream_run(&env, &o);
	assert_true(r.events >= 20);
}

static void test_stream_with_faults_small_rings(void **state)
{
	(void)state;
	cdc_stream_seed(12);
	struct cdc_stream_opts o = {.rx_size = 64,
	                            .tx_size = 128,
	                            .bytes = 128u * 1024u,
	                            .events = true,
	                            .context = UD_CDC_CTX_OTHER};
	struct cdc_stream_result r = cdc_stream_run(&env, &o);
	assert_true(r.events >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_keeps_tx),
		cmocka_unit_test(test_disconnect_keeps_tx),
		cmocka_unit_test(test_set_configuration_keeps_tx),
		cmocka_unit_test(test_set_interface_keeps_tx),
		cmocka_unit_test(test_unconfigure_keeps_tx),
		cmocka_unit_test(test_reset_keeps_rx),
		cmocka_unit_test(test_disconnect_keeps_rx),
		cmocka_unit_test(test_set_configuration_keeps_rx),
		cmocka_unit_test(test_set_interface_keeps_rx),
		cmocka_unit_test(test_unconfigure_keeps_rx),
		cmocka_unit_test(test_reset_zlp),
		cmocka_unit_test(test_reset_clears_lines),
		cmocka_unit_test(test_reset_ends_indefinite_break),
		cmocka_unit_test(test_tx_clear_on_down),
		cmocka_unit_test(test_tx_clear_in_flight),
		cmocka_unit_test(test_halt_mid_stream),
		cmocka_unit_test(test_write_before_configuration),
		cmocka_unit_test(test_io_errors),
		cmocka_unit_test(test_io_error_counted_when_callback_rearms),
		cmocka_unit_test(test_stream_with_faults),
		cmocka_unit_test(test_stream_with_faults_small_rings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
