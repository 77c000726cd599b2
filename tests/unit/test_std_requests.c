/* SPDX-License-Identifier: MIT */
/*
 * Chapter 9 (std_requests.c, with control.c's routing): every standard request with valid and
 * invalid fields in the default, address and configured states. GET_DESCRIPTOR answers are in
 * test_descriptors.c, unknown requests and class/vendor routing in test_request_routing.c.
 * The device is std_fixture.h's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "std_fixture.h"

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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
