/* SPDX-License-Identifier: MIT */
/*
 * Chapter 9 (std_requests.c, with control.c's routing): every standard request with valid and
 * invalid fields in the default, address and configured states, and class/vendor requests routed
 * to the right function. GET_DESCRIPTOR answers are in test_descriptors.c.
 *
 * The device: function A (mock_bind_bulk): interface 0, alt 0 = OUT 01 + IN 81, alt 1 adds
 * interrupt IN 82 and isochronous IN 83; function B (mock_bind_pair): interfaces 1 and 2, IN 84,
 * OUT 02, IN 85.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

static struct mock_fn fa, fb;
static struct mock_ctrl r;

enum {
	S_DEFAULT,
	S_ADDRESS,
	S_CONFIGURED
};

static int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	mock_fn_init(&fb, 'B', mock_bind_pair);
	memset(&r, 0, sizeof(r));
	return 0;
}

static void up_in(int st, enum ud_speed speed)
{
	mock_device_up(&fa, &fb, NULL);
	assert_int_equal(fa.intf[0], 0);
	assert_int_equal(fb.intf[0], 1);
	assert_int_equal(fb.ep_in[0], 0x84);
	mock_bus_reset(speed);
	mock_run();
	if (st >= S_ADDRESS)
		assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_ADDRESS, 5, 0, 0, NULL, NULL),
		                 MOCK_ACK);
	if (st >= S_CONFIGURED)
		assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL),
		                 MOCK_ACK);
	const uint8_t want[] = {UD_STATE_DEFAULT, UD_STATE_ADDRESS, UD_STATE_CONFIGURED};
	assert_int_equal(ud_device_state(&mdev), want[st]);
	mock_clear_log();
}

static void up(int st)
{
	up_in(st, UD_SPEED_FULL);
}

static int ctrl(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t length)
{
	static const uint8_t zeros[64];
	return mock_ctrl(bm, req, value, index, length, zeros, &r);
}

static uint16_t status_of(uint8_t bm, uint16_t index)
{
	assert_int_equal(ctrl(bm, UD_REQ_GET_STATUS, 0, index, 2), MOCK_ACK);
	assert_int_equal(r.len, 2);
	return (uint16_t)(r.data[0] | (r.data[1] << 8));
}

/* ---- requests that need the configured state ---- */

struct rq {
	uint8_t bm, req;
	uint16_t value, index, length;
};

static const struct rq configured_only[] = {
	{0x81, UD_REQ_GET_STATUS, 0, 0, 2},       /* interface */
	{0x82, UD_REQ_GET_STATUS, 0, 0x81, 2},    /* endpoint 1 */
	{0x02, UD_REQ_CLEAR_FEATURE, 0, 0x01, 0}, /* halt */
	{0x02, UD_REQ_SET_FEATURE, 0, 0x81, 0},
	{0x81, UD_REQ_GET_INTERFACE, 0, 0, 1},
	{0x01, UD_REQ_SET_INTERFACE, 0, 0, 0},
	{0xa1, 0x01, 0, 0, 4},    /* class request to an interface */
	{0x42, 0x01, 0, 0x81, 0}, /* vendor request to an endpoint */
};

static int accept_all(struct mock_fn *m, const struct ud_setup *s)
{
	(void)m;
	(void)s;
	return 0;
}

static void test_configured_only_requests(void **state)
{
	(void)state;
	for (int st = S_DEFAULT; st <= S_CONFIGURED; st++) {
		setup(NULL);
		fa.control = accept_all;
		up(st);
		for (unsigned i = 0; i < sizeof(configured_only) / sizeof(configured_only[0]);
		     i++) {
			const struct rq *q = &configured_only[i];
			int want = st == S_CONFIGURED ? MOCK_ACK : MOCK_STALL;
			int got = ctrl(q->bm, q->req, q->value, q->index, q->length);
			if (got != want)
				fail_msg("state %d, request %02x %02x: got %d, want %d", st, q->bm,
				         q->req, got, want);
		}
		assert_int_equal(mock_teardown(NULL), 0);
	}
}

/* ---- GET_STATUS ---- */

static void test_get_status_device(void **state)
{
	(void)state;
	for (int st = S_DEFAULT; st <= S_CONFIGURED; st++) {
		setup(NULL);
		mock_info.attributes = UD_CONFIG_ATTR_SELF_POWERED;
		up(st);
		assert_int_equal(status_of(0x80, 0), 1);
		assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 1, 0, 2), MOCK_STALL);
		assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 0, 1, 2), MOCK_STALL);
		assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 3), MOCK_STALL);
		assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 1), MOCK_STALL);
		assert_int_equal(ctrl(0x00, UD_REQ_GET_STATUS, 0, 0, 0), MOCK_STALL);
		assert_int_equal(mock_teardown(NULL), 0);
	}
	setup(NULL);
	up(S_ADDRESS); /* bus-powered */
	assert_int_equal(status_of(0x80, 0), 0);
}

static void test_get_status_interface(void **state)
{
	(void)state;
	up(S_CONFIGURED);
	for (uint16_t i = 0; i < 3; i++)
		assert_int_equal(status_of(0x81, i), 0);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_STATUS, 0, 3, 2), MOCK_STALL); /* no such */
	assert_int_equal(ctrl(0x81, UD_REQ_GET_STATUS, 0, 0x100, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_STATUS, 1, 0, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_STATUS, 0, 0, 4), MOCK_STALL);
}

static void test_get_status_endpoint(void **state)
{
	(void)state;
	for (int st = S_DEFAULT; st <= S_CONFIGURED; st++) {
		setup(NULL);
		up(st);
		/* EP0 exists in every state. */
		assert_int_equal(status_of(0x82, 0x00), 0);
		assert_int_equal(status_of(0x82, 0x80), 0);
		assert_int_equal(mock_teardown(NULL), 0);
	}
	assert_int_equal(status_of(0x82, 0x01), 0);
	assert_int_equal(status_of(0x82, 0x81), 0);
	assert_int_equal(status_of(0x82, 0x84), 0);
	assert_int_equal(ctrl(0x82, UD_REQ_GET_STATUS, 0, 0x82, 2), MOCK_STALL); /* alt 1 only */
	assert_int_equal(ctrl(0x82, UD_REQ_GET_STATUS, 0, 0x86, 2), MOCK_STALL); /* unused */
	assert_int_equal(ctrl(0x82, UD_REQ_GET_STATUS, 0, 0x8f, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x82, UD_REQ_GET_STATUS, 0, 0x0181, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x82, UD_REQ_GET_STATUS, 0, 0x91, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x82, UD_REQ_GET_STATUS, 1, 0x81, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x82, UD_REQ_GET_STATUS, 0, 0x81, 1), MOCK_STALL);
	/* The halt bit. */
	assert_int_equal(ud_ep_set_halt(&mdev, 0x81), 0);
	assert_int_equal(status_of(0x82, 0x81), 1);
	assert_int_equal(status_of(0x82, 0x01), 0);
}

/* ---- ENDPOINT_HALT ---- */

static void test_endpoint_halt_feature(void **state)
{
	(void)state;
	up(S_CONFIGURED);
	assert_int_equal(ctrl(0x02, UD_REQ_SET_FEATURE, UD_FEATURE_ENDPOINT_HALT, 0x81, 0),
	                 MOCK_ACK);
	assert_true(ud_ep_is_halted(&mdev, 0x81));
	assert_true(mock_stalled(0x81));
	assert_int_equal(status_of(0x82, 0x81), 1);
	assert_int_equal(fa.halts_cleared, 0);

	assert_int_equal(ctrl(0x02, UD_REQ_CLEAR_FEATURE, UD_FEATURE_ENDPOINT_HALT, 0x81, 0),
	                 MOCK_ACK);
	assert_false(ud_ep_is_halted(&mdev, 0x81));
	assert_false(mock_stalled(0x81));
	assert_int_equal(status_of(0x82, 0x81), 0);
	assert_int_equal(fa.halts_cleared, 1);
	assert_int_equal(fa.halt_ep, 0x81);

	/* Not halted: the toggle is reset all the same, and the function hears of it. */
	mock_clear_log();
	assert_int_equal(ctrl(0x02, UD_REQ_CLEAR_FEATURE, UD_FEATURE_ENDPOINT_HALT, 0x84, 0),
	                 MOCK_ACK);
	assert_non_null(mock_last(MOCK_EP_STALL, 0x84));
	assert_false(mock_last(MOCK_EP_STALL, 0x84)->flag);
	assert_int_equal(fb.halts_cleared, 1);
	assert_int_equal(fb.halt_ep, 0x84);
	assert_int_equal(fa.halts_cleared, 1);

	/* Bad fields. */
	assert_int_equal(ctrl(0x02, UD_REQ_SET_FEATURE, 1, 0x81, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x02, UD_REQ_CLEAR_FEATURE, 2, 0x81, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x02, UD_REQ_SET_FEATURE, 0, 0x81, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x02, UD_REQ_SET_FEATURE, 0, 0x86, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x02, UD_REQ_CLEAR_FEATURE, 0, 0x82, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x82, UD_REQ_CLEAR_FEATURE, 0, 0x81, 0), MOCK_STALL);
	assert_false(ud_ep_is_halted(&mdev, 0x81));
	/* EP0: clearing is harmless, halting it is refused. */
	assert_int_equal(ctrl(0x02, UD_REQ_CLEAR_FEATURE, 0, 0x00, 0), MOCK_ACK);
	assert_int_equal(ctrl(0x02, UD_REQ_SET_FEATURE, 0, 0x80, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2), MOCK_ACK);
}

/* ---- DEVICE_REMOTE_WAKEUP ---- */

static void test_remote_wakeup_feature(void **state)
{
	(void)state;
	up(S_CONFIGURED); /* attributes say no remote wakeup */
	assert_int_equal(ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_REMOTE_WAKEUP, 0, 0),
	                 MOCK_STALL);
	assert_int_equal(status_of(0x80, 0), 0);

	for (int st = S_DEFAULT; st <= S_CONFIGURED; st++) {
		setup(NULL);
		mock_info.attributes = UD_CONFIG_ATTR_REMOTE_WAKEUP;
		up(st);
		assert_int_equal(ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_REMOTE_WAKEUP, 0, 0),
		                 MOCK_ACK);
		assert_int_equal(status_of(0x80, 0), 2);
		assert_int_equal(ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_REMOTE_WAKEUP, 1, 0),
		                 MOCK_STALL);
		assert_int_equal(ctrl(0x00, UD_REQ_SET_FEATURE, 7, 0, 0), MOCK_STALL);
		assert_int_equal(ctrl(0x80, UD_REQ_SET_FEATURE, 1, 0, 0), MOCK_STALL);
		assert_int_equal(ctrl(0x00, UD_REQ_SET_FEATURE, 1, 0, 2), MOCK_STALL);
		assert_int_equal(ctrl(0x00, UD_REQ_CLEAR_FEATURE, UD_FEATURE_REMOTE_WAKEUP, 0, 0),
		                 MOCK_ACK);
		assert_int_equal(status_of(0x80, 0), 0);
		/* Interfaces have no features in USB 2.0. */
		assert_int_equal(ctrl(0x01, UD_REQ_SET_FEATURE, 0, 0, 0), MOCK_STALL);
		assert_int_equal(mock_teardown(NULL), 0);
	}
}

/* ---- TEST_MODE ---- */

static void test_mode_case(uint8_t speeds, uint8_t flags, enum ud_speed bus, bool allowed)
{
	setup(NULL);
	mock.caps.speeds = speeds;
	mock.caps.flags = flags;
	up_in(S_ADDRESS, bus);
	for (uint8_t sel = 1; sel <= 4; sel++) {
		mock_clear_log();
		mock_setup(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_TEST_MODE, (uint16_t)(sel << 8), 0);
		mock_run();
		assert_int_equal(mock_count(MOCK_TEST_MODE, MOCK_ANY_EP), 0);
		if (!allowed) {
			assert_true(mock_stalled(0x80));
			continue;
		}
		assert_true(mock_busy(0x80)); /* status stage first */
		mock_xfer_done(0x80, 0, UD_OK);
		mock_run();
		assert_int_equal(mock_count(MOCK_TEST_MODE, MOCK_ANY_EP), 1);
		assert_int_equal(mock.test_mode, sel);
	}
	mock_clear_log();
	assert_int_equal(ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_TEST_MODE, 0x0000, 0),
	                 MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_TEST_MODE, 0x0500, 0),
	                 MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_TEST_MODE, 0x0401, 0),
	                 MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_CLEAR_FEATURE, UD_FEATURE_TEST_MODE, 0x0400, 0),
	                 MOCK_STALL);
	assert_int_equal(mock_count(MOCK_TEST_MODE, MOCK_ANY_EP), 0);
	assert_int_equal(mock_teardown(NULL), 0);
}

static void test_test_mode(void **state)
{
	(void)state;
	const uint8_t hs = UD_SPEED_FULL | UD_SPEED_HIGH;
	test_mode_case(hs, UD_PORT_TEST_MODE, UD_SPEED_HIGH, true);
	test_mode_case(hs, UD_PORT_TEST_MODE, UD_SPEED_FULL, false); /* not at full speed */
	test_mode_case(hs, 0, UD_SPEED_HIGH, false);                 /* port cannot */
	test_mode_case(UD_SPEED_FULL, UD_PORT_TEST_MODE, UD_SPEED_FULL, false);
}

/* A SET_FEATURE(TEST_MODE) whose status stage a new SETUP overtakes did not complete for the
 * host: the test mode is entered neither then nor at the end of a later request. */
static void test_test_mode_overtaken(void **state)
{
	(void)state;
	mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	mock.caps.flags = UD_PORT_TEST_MODE;
	up_in(S_ADDRESS, UD_SPEED_HIGH);
	mock_setup(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_TEST_MODE, 0x0200, 0);
	mock_run();
	assert_true(mock_busy(0x80)); /* its status stage, which the host never reads */
	assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2), MOCK_ACK);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_ACK);
	assert_int_equal(mock_count(MOCK_TEST_MODE, MOCK_ANY_EP), 0);
}

/* ---- SET_ADDRESS ---- */

static void test_set_address(void **state)
{
	(void)state;
	up(S_DEFAULT);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 128, 0, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 3, 1, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 3, 0, 1), MOCK_STALL);
	assert_int_equal(ctrl(0x80, UD_REQ_SET_ADDRESS, 3, 0, 0), MOCK_STALL);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 0);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 127, 0, 0), MOCK_ACK);
	assert_int_equal(mock.address, 127);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	/* Address state: a new address, then 0 back to default. */
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 10, 0, 0), MOCK_ACK);
	assert_int_equal(mock.address, 10);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 0, 0, 0), MOCK_ACK);
	assert_int_equal(mock.address, 0);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	/* Configured: refused. */
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 10, 0, 0), MOCK_ACK);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_ACK);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 11, 0, 0), MOCK_STALL);
	assert_int_equal(mock.address, 10);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);
}

/* The address takes effect after the status stage, or before it is armed on a port that
 * declares UD_PORT_ADDR_BEFORE_STATUS; a SET_ADDRESS whose status stage never ended does not. */
static void test_set_address_timing(void **state)
{
	(void)state;
	up(S_DEFAULT);
	mock_setup(0x00, UD_REQ_SET_ADDRESS, 9, 0, 0);
	mock_run();
	assert_true(mock_busy(0x80));
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 0);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	mock_xfer_done(0x80, 0, UD_OK);
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 0);
	mock_run();
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 1);
	assert_int_equal(mock.address, 9);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);

	mock_setup(0x00, UD_REQ_SET_ADDRESS, 10, 0, 0);
	mock_run();
	assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2), MOCK_ACK); /* overtaken */
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 1);
	assert_int_equal(mock.address, 9);
	assert_int_equal(mock_teardown(NULL), 0);

	setup(NULL);
	mock.caps.flags = UD_PORT_ADDR_BEFORE_STATUS;
	up(S_DEFAULT);
	mock_setup(0x00, UD_REQ_SET_ADDRESS, 11, 0, 0);
	mock_run();
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 1);
	assert_int_equal(mock.address, 11);
	assert_true(mock_index(MOCK_SET_ADDRESS, MOCK_ANY_EP) < mock_index(MOCK_EP_XFER, 0x80));
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	mock_xfer_done(0x80, 0, UD_OK);
	mock_run();
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 1);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	/* The status stages of later requests leave the address alone. */
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_ACK);
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 1);
	assert_int_equal(mock.address, 11);
}

/* ---- GET/SET_CONFIGURATION ---- */

static void test_configuration(void **state)
{
	(void)state;
	up(S_DEFAULT);
	assert_int_equal(ctrl(0x80, UD_REQ_GET_CONFIGURATION, 0, 0, 1), MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_ADDRESS, 4, 0, 0), MOCK_ACK);

	assert_int_equal(ctrl(0x80, UD_REQ_GET_CONFIGURATION, 0, 0, 1), MOCK_ACK);
	assert_int_equal(r.len, 1);
	assert_int_equal(r.data[0], 0);
	assert_int_equal(ctrl(0x80, UD_REQ_GET_CONFIGURATION, 0, 0, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x80, UD_REQ_GET_CONFIGURATION, 1, 0, 1), MOCK_STALL);
	assert_int_equal(ctrl(0x80, UD_REQ_GET_CONFIGURATION, 0, 1, 1), MOCK_STALL);
	/* Undefined values and bad fields. */
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 2, 0, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 0x0101, 0, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 1, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x80, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_STALL);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0), MOCK_ACK);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(fa.enables + fa.disables, 0);

	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_ACK);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);
	assert_int_equal(ud_device_configuration(&mdev), 1);
	assert_int_equal(fa.enables, 1);
	assert_int_equal(fb.enables, 1);
	const uint8_t open[] = {0x01, 0x81, 0x84, 0x02, 0x85};
	for (unsigned i = 0; i < sizeof(open); i++)
		assert_true(mock_open(open[i]));
	assert_false(mock_open(0x82));
	assert_false(mock_open(0x83));
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x84)->cfg.type, UD_EP_INTERRUPT);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x84)->cfg.max_packet, 8);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x84)->cfg.interval, 16);
	assert_int_equal(ctrl(0x80, UD_REQ_GET_CONFIGURATION, 0, 0, 1), MOCK_ACK);
	assert_int_equal(r.data[0], 1);
	/* An undefined value in the configured state changes nothing. */
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 3, 0, 0), MOCK_STALL);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);
	assert_int_equal(fa.disables, 0);

	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0), MOCK_ACK);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(fa.disables, 1);
	assert_int_equal(fb.disables, 1);
	for (unsigned i = 0; i < sizeof(open); i++)
		assert_false(mock_open(open[i]));
}

/* The port cannot open an endpoint: SET_CONFIGURATION is refused, nothing stays open. */
static void test_configuration_port_refuses(void **state)
{
	(void)state;
	up(S_ADDRESS);
	mock.ep_open_rc = UD_ERR_NOSPACE;
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_STALL);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(fa.enables + fb.enables, 0);
	for (unsigned i = 0; i < UD_EP_SLOTS; i++)
		assert_false(mock.ep[i].open);
	mock.ep_open_rc = 0;
	/* Refused after the endpoints of interface 0 were open: those are closed again. */
	mock.fail_open_ep = 0x84;
	mock.fail_open_n = 1;
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_STALL);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(fa.enables + fb.enables, 0);
	assert_true(mock_count(MOCK_EP_OPEN, 0x81) > 0);
	for (unsigned i = 0; i < UD_EP_SLOTS; i++)
		assert_false(mock.ep[i].open);
	assert_false(ud_ep_is_open(&mdev, 0x81));
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_ACK);
}

/* ---- GET/SET_INTERFACE ---- */

static void test_interface(void **state)
{
	(void)state;
	up(S_CONFIGURED);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_INTERFACE, 0, 0, 1), MOCK_ACK);
	assert_int_equal(r.data[0], 0);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_INTERFACE, 0, 3, 1), MOCK_STALL);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_INTERFACE, 0, 0, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_INTERFACE, 1, 0, 1), MOCK_STALL);

	/* alt 1 of interface 0: old endpoints closed, new ones opened, set_alt told. */
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 0, 0), MOCK_ACK);
	assert_true(mock_log_has("close 01") && mock_log_has("close 81"));
	assert_true(mock_open(0x82) && mock_open(0x83) && mock_open(0x81) && mock_open(0x01));
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x83)->cfg.type, UD_EP_ISOCHRONOUS);
	assert_true(mock_index(MOCK_EP_CLOSE, 0x81) < mock_index(MOCK_EP_OPEN, 0x81));
	assert_int_equal(fa.set_alts, 1);
	assert_int_equal(fa.alt_intf, 0);
	assert_int_equal(fa.alt, 1);
	assert_int_equal(fb.set_alts, 0);
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 1);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_INTERFACE, 0, 0, 1), MOCK_ACK);
	assert_int_equal(r.data[0], 1);
	assert_false(mock_log_has("close 84")); /* B untouched */

	/* Undefined alternate settings. */
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 2, 0, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 1, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 0, 7, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 0, 0, 1), MOCK_STALL);
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 1);

	/* The port cannot open the new setting's endpoints: a stall, nothing half open. */
	mock.ep_open_rc = UD_ERR_NOSPACE;
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 0, 0, 0), MOCK_STALL);
	assert_false(mock_open(0x82) || mock_open(0x83));
	/* The old setting stays, and the function hears its endpoints were reset. */
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 1);
	assert_int_equal(fa.set_alts, 2);
	assert_int_equal(fa.alt, 1);
	mock.ep_open_rc = 0;
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 0, 0), MOCK_ACK);
	/* Only the new setting cannot be opened (alt 0's EP1 OUT, once): the old one, alt 1, is
	 * open again, all four endpoints, and is what the host and the function are told. */
	mock.fail_open_ep = 0x01;
	mock.fail_open_n = 1;
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 0, 0, 0), MOCK_STALL);
	assert_int_equal(mock.fail_open_n, 0);
	assert_true(mock_open(0x81) && mock_open(0x01) && mock_open(0x82) && mock_open(0x83));
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 1);
	assert_int_equal(ctrl(0x81, UD_REQ_GET_INTERFACE, 0, 0, 1), MOCK_ACK);
	assert_int_equal(r.data[0], 1);
	assert_int_equal(fa.set_alts, 4);
	assert_int_equal(fa.alt, 1);

	/* B's interface 1: only its endpoints are reset. */
	mock_clear_log();
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 0, 1, 0), MOCK_ACK);
	assert_true(mock_log_has("close 84") && mock_log_has("open 84"));
	assert_false(mock_log_has("close 85") || mock_log_has("close 82"));
	assert_int_equal(fb.set_alts, 1);
	assert_int_equal(fb.alt_intf, 1);

	/* Back to alt 0: the alt-1-only endpoints go. */
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 0, 0, 0), MOCK_ACK);
	assert_false(mock_open(0x82) || mock_open(0x83));
	assert_true(mock_open(0x81));
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 0);
	/* A new configuration starts at alt 0. */
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 0, 0), MOCK_ACK);
	assert_int_equal(ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0), MOCK_ACK);
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 0);
	assert_false(mock_open(0x83));
}

/* ---- SYNCH_FRAME ---- */

static int synch_reply(struct mock_fn *m, const struct ud_setup *s)
{
	static const uint8_t frame[2] = {0x34, 0x12};
	(void)m;
	if (s->bRequest != UD_REQ_SYNCH_FRAME)
		return UD_ERR_NOTSUP;
	return ud_ctrl_reply(&mdev, frame, 2);
}

static void test_synch_frame(void **state)
{
	(void)state;
	up(S_CONFIGURED);
	assert_int_equal(ctrl(0x82, UD_REQ_SYNCH_FRAME, 0, 0x81, 2), MOCK_STALL); /* bulk */
	assert_int_equal(ctrl(0x82, UD_REQ_SYNCH_FRAME, 0, 0x00, 2), MOCK_STALL); /* control */
	assert_int_equal(ctrl(0x82, UD_REQ_SYNCH_FRAME, 0, 0x83, 2), MOCK_STALL); /* not open */
	assert_int_equal(ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 0, 0), MOCK_ACK);
	/* Isochronous: the owning function answers; if it does not, a stall. */
	assert_int_equal(ctrl(0x82, UD_REQ_SYNCH_FRAME, 0, 0x83, 2), MOCK_STALL);
	assert_int_equal(fa.setup.bRequest, UD_REQ_SYNCH_FRAME);
	fa.control = synch_reply;
	assert_int_equal(ctrl(0x82, UD_REQ_SYNCH_FRAME, 0, 0x83, 2), MOCK_ACK);
	assert_int_equal(r.len, 2);
	assert_int_equal(r.data[1], 0x12);
	assert_int_equal(ctrl(0x82, UD_REQ_SYNCH_FRAME, 0, 0x82, 2), MOCK_STALL); /* interrupt */
	/* No ENDPOINT_HALT on it (no handshake, no toggle): both ways a STALL, the port untold. */
	mock_clear_log();
	assert_int_equal(ctrl(0x02, UD_REQ_SET_FEATURE, 0, 0x83, 0), MOCK_STALL);
	assert_int_equal(ctrl(0x02, UD_REQ_CLEAR_FEATURE, 0, 0x83, 0), MOCK_STALL);
	assert_null(mock_last(MOCK_EP_STALL, 0x83));
	assert_int_equal(status_of(0x82, 0x83), 0);
}

/* ---- unknown requests ---- */

static void test_unknown_standard_requests(void **state)
{
	(void)state;
	up(S_CONFIGURED);
	const uint8_t reqs[] = {0x02, 0x04, UD_REQ_SET_DESCRIPTOR, 0x0d, 0x30, 0xff};
	const uint8_t bms[] = {0x80, 0x00, 0x82, 0x02};
	for (unsigned i = 0; i < sizeof(reqs); i++) {
		for (unsigned j = 0; j < sizeof(bms); j++) {
			uint16_t idx = (bms[j] & 0x1f) == 2 ? 0x81 : 0;
			uint16_t len = (bms[j] & 0x80) ? 2 : 0;
			if (ctrl(bms[j], reqs[i], 0, idx, len) != MOCK_STALL)
				fail_msg("request %02x %02x not stalled", bms[j], reqs[i]);
			assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2), MOCK_ACK);
		}
	}
	/* Standard requests to "other" and reserved recipients. */
	assert_int_equal(ctrl(0x83, UD_REQ_GET_STATUS, 0, 0, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x84, UD_REQ_GET_STATUS, 0, 0, 2), MOCK_STALL);
	/* A standard request to an interface that the core does not own goes to the function,
	 * e.g. GET_DESCRIPTOR(HID report); nobody answers: a stall. */
	assert_int_equal(ctrl(0x81, UD_REQ_GET_DESCRIPTOR, 0x2200, 1, 64), MOCK_STALL);
	assert_int_equal(fb.controls, 1);
	assert_int_equal(fb.setup.wValue, 0x2200);
	assert_int_equal(fa.controls, 0);
	/* So does one with a bRequest past those chapter 9 defines (13 and up). */
	assert_int_equal(ctrl(0x81, 0x30, 0, 2, 2), MOCK_STALL);
	assert_int_equal(fb.controls, 2);
	assert_int_equal(fb.setup.bRequest, 0x30);
	assert_int_equal(fa.controls, 0);
}

/* Request type 3 (bmRequestType bits 6..5 = 11) is reserved: a request error, stalled by the
 * core without being offered to any function (which would take it for a class or vendor one). */
static void test_reserved_request_type(void **state)
{
	(void)state;
	up(S_CONFIGURED);
	assert_int_equal(ctrl(0xe0, UD_REQ_GET_STATUS, 0, 0, 2), MOCK_STALL);
	assert_int_equal(ctrl(0x61, 0x01, 0, 0, 0), MOCK_STALL);
	assert_int_equal(fa.controls + fb.controls, 0);
}

/* ---- class and vendor routing ---- */

static int answer_tag(struct mock_fn *m, const struct ud_setup *s)
{
	(void)s;
	return ud_ctrl_reply(&mdev, &m->tag, 1);
}

static int refuse(struct mock_fn *m, const struct ud_setup *s)
{
	(void)m;
	(void)s;
	return UD_ERR_INVAL;
}

static char routed_to(uint8_t bm, uint16_t index)
{
	int rc = ctrl(bm, 0x01, 0, index, 1);
	if (rc == MOCK_STALL)
		return 0;
	assert_int_equal(rc, MOCK_ACK);
	assert_int_equal(r.len, 1);
	return (char)r.data[0];
}

static void test_class_vendor_routing(void **state)
{
	(void)state;
	fa.control = answer_tag;
	fb.control = answer_tag;
	up(S_CONFIGURED);
	/* By interface. */
	assert_int_equal(routed_to(0xa1, 0), 'A');
	assert_int_equal(routed_to(0xa1, 1), 'B');
	assert_int_equal(routed_to(0xc1, 2), 'B');
	assert_int_equal(routed_to(0xa1, 3), 0);
	assert_int_equal(routed_to(0xa1, 0xff), 0);
	/* By endpoint. */
	assert_int_equal(routed_to(0xa2, 0x81), 'A');
	assert_int_equal(routed_to(0xa2, 0x01), 'A');
	assert_int_equal(routed_to(0xc2, 0x84), 'B');
	assert_int_equal(routed_to(0xa2, 0x02), 'B');
	assert_int_equal(routed_to(0xa2, 0x83), 0); /* not open */
	assert_int_equal(routed_to(0xa2, 0x00), 0);
	/* Device and other recipients: offered to each function in order. */
	assert_int_equal(routed_to(0xc0, 0), 'A');
	assert_int_equal(routed_to(0xa3, 0), 'A');
	fa.control = NULL; /* A says NOTSUP */
	fa.controls = fb.controls = 0;
	assert_int_equal(routed_to(0xc0, 0), 'B');
	assert_int_equal(fa.controls, 1);
	assert_int_equal(fb.controls, 1);
	/* An error other than NOTSUP stops the search: stall, B not asked. */
	fa.control = refuse;
	fa.controls = fb.controls = 0;
	assert_int_equal(routed_to(0xc0, 0), 0);
	assert_int_equal(fa.controls, 1);
	assert_int_equal(fb.controls, 0);
	/* Nobody: stall. */
	fa.control = NULL;
	fb.control = NULL;
	assert_int_equal(routed_to(0xc0, 0), 0);
	assert_int_equal(routed_to(0xa1, 0), 0);
	/* A function returning an error for its own interface: stall. */
	fb.control = refuse;
	assert_int_equal(routed_to(0xa1, 1), 0);
	assert_int_equal(ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2), MOCK_ACK);
}

/* Vendor requests to the device work before configuration (e.g. during enumeration). */
static void test_vendor_device_unconfigured(void **state)
{
	(void)state;
	fb.control = answer_tag;
	up(S_DEFAULT);
	assert_int_equal(routed_to(0xc0, 0), 'B');
	assert_int_equal(routed_to(0xc1, 1), 0); /* interface recipient needs a configuration */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_configured_only_requests),
		T(test_get_status_device),
		T(test_get_status_interface),
		T(test_get_status_endpoint),
		T(test_endpoint_halt_feature),
		T(test_remote_wakeup_feature),
		T(test_test_mode),
		T(test_test_mode_overtaken),
		T(test_set_address),
		T(test_set_address_timing),
		T(test_configuration),
		T(test_configuration_port_refuses),
		T(test_interface),
		T(test_synch_frame),
		T(test_unknown_standard_requests),
		T(test_reserved_request_type),
		T(test_class_vendor_routing),
		T(test_vendor_device_unconfigured),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
