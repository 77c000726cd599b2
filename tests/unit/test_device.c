/* SPDX-License-Identifier: MIT */
/*
 * The device (device.c, status.c): init and start errors, the chapter 9 state machine through
 * attach, reset, address, configuration, suspend and disconnect, ud_device_stop(), remote
 * wakeup, the function callbacks bus events cause, and the name tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

static struct mock_fn fa, fb;

static int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	mock_fn_init(&fb, 'B', mock_bind_pair);
	return 0;
}

static void test_init_errors(void **state)
{
	(void)state;
	struct ud_port noops = {.caps = &mock.caps};
	struct ud_port nocaps = {.ops = &mock.ops};
	assert_int_equal(ud_device_init(NULL, mock_port(), &mock_info), UD_ERR_INVAL);
	assert_int_equal(ud_device_init(&mdev, NULL, &mock_info), UD_ERR_INVAL);
	assert_int_equal(ud_device_init(&mdev, mock_port(), NULL), UD_ERR_INVAL);
	assert_int_equal(ud_device_init(&mdev, &noops, &mock_info), UD_ERR_INVAL);
	assert_int_equal(ud_device_init(&mdev, &nocaps, &mock_info), UD_ERR_INVAL);
	const uint8_t bad[] = {0, 1, 7, 9, 12, 24, 63, 65, 128, 255};
	for (unsigned i = 0; i < sizeof(bad); i++) {
		mock_info.ep0_max_packet = bad[i];
		assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), UD_ERR_INVAL);
	}
	const uint8_t good[] = {8, 16, 32, 64};
	for (unsigned i = 0; i < sizeof(good); i++) {
		mock_info.ep0_max_packet = good[i];
		assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
		assert_int_equal(mock.port.ep0_max_packet, good[i]);
		assert_ptr_equal(mock.port.dev, &mdev);
	}
	mock_info.serial = "\xff";
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), UD_ERR_INVAL);
	assert_int_equal(ud_device_start(NULL), UD_ERR_INVAL);
	assert_false(ud_task(NULL));
	ud_device_stop(NULL);
}

static void test_lifecycle(void **state)
{
	(void)state;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ATTACHED);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
	assert_false(ud_task(&mdev)); /* not started */
	assert_int_equal(mock.ncalls, 0);
	assert_int_equal(ud_device_start(&mdev), 0);
	assert_string_equal(mock.log, "init;connect 1;");
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ATTACHED);
	assert_int_equal(ud_device_speed(&mdev), UD_SPEED_FULL);
	assert_false(ud_task(&mdev)); /* idle */

	mock_vbus(true);
	assert_true(ud_task(&mdev));
	assert_int_equal(ud_device_state(&mdev), UD_STATE_POWERED);
	assert_false(ud_task(&mdev));
	/* A SETUP before the first reset is not answered (USB 2.0 9.1.1.3). */
	mock_setup(0x80, UD_REQ_GET_STATUS, 0, 0, 2);
	mock_run();
	assert_int_equal(mock_count(MOCK_EP_XFER, MOCK_ANY_EP), 0);

	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_int_equal(fa.resets, 1);
	assert_int_equal(fa.disables, 0); /* was not configured */
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_ADDRESS, 7, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);
	assert_int_equal(ud_device_configuration(&mdev), 1);
	assert_int_equal(fa.enables, 1);

	/* Suspended is a flag beside the state. */
	mock_suspend(true);
	mock_run();
	assert_true(ud_device_suspended(&mdev));
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);
	assert_true(fa.suspended);
	mock_suspend(false);
	mock_run();
	assert_false(ud_device_suspended(&mdev));
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);

	/* Disconnect. */
	mock_vbus(false);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ATTACHED);
	assert_int_equal(ud_device_configuration(&mdev), 0);
	assert_int_equal(fa.disables, 1);
	assert_false(mock_open(0x81));

	/* Stop, then start again. */
	mock_clear_log();
	ud_device_stop(&mdev);
	assert_string_equal(mock.log, "connect 0;deinit;");
	assert_false(ud_task(&mdev));
	ud_device_stop(&mdev); /* twice: nothing */
	assert_int_equal(mock_count(MOCK_DEINIT, MOCK_ANY_EP), 1);
	assert_int_equal(ud_device_start(&mdev), 0);
	assert_true(mock.connected);
	mock_vbus(true);
	mock_enumerate(UD_SPEED_FULL);
}

static void test_no_vbus_sense(void **state)
{
	(void)state;
	mock.caps.flags = UD_PORT_NO_VBUS_SENSE;
	mock_device_up(&fa, NULL);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_POWERED);
	mock_enumerate(UD_SPEED_FULL);
}

/* A reset in each state: the host's view of the device is gone. */
static void test_reset_from_each_state(void **state)
{
	(void)state;
	mock_info.attributes = UD_CONFIG_ATTR_REMOTE_WAKEUP;
	mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	mock_device_up(&fa, &fb, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(
		mock_ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_REMOTE_WAKEUP, 0, 0, NULL, NULL),
		MOCK_ACK);
	assert_int_equal(mock_ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 1);
	mock_clear_log();

	mock_bus_reset(UD_SPEED_HIGH);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_int_equal(ud_device_speed(&mdev), UD_SPEED_HIGH);
	assert_int_equal(ud_device_configuration(&mdev), 0);
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 0);
	/* disable before reset, for every function; endpoints closed. */
	char *dis = strstr(mock.log, "A:disable"), *rst = strstr(mock.log, "A:reset");
	assert_non_null(dis);
	assert_non_null(rst);
	assert_true(dis < rst);
	assert_true(strstr(mock.log, "B:disable") < strstr(mock.log, "B:reset"));
	assert_true(mock_log_has("close 83") && mock_log_has("close 84"));
	for (unsigned i = 2; i < UD_EP_SLOTS; i++)
		assert_false(mock.ep[i].open);
	/* Remote wakeup permission is gone. */
	struct mock_ctrl r;
	assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2, NULL, &r), MOCK_ACK);
	assert_int_equal(r.data[0], 0);

	/* From the address state. */
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_ADDRESS, 7, 0, 0, NULL, NULL), MOCK_ACK);
	mock_clear_log();
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_int_equal(ud_device_speed(&mdev), UD_SPEED_FULL);
	assert_string_equal(mock.log, "A:reset;B:reset;");
	assert_int_equal(fa.disables, 1);
	/* From the default state. */
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(fa.resets, 4);
}

/* Stop while configured with a control transfer in progress: everything ends, nothing later. */
static uint8_t rx[16];
static unsigned rx_calls;
static int rx_status;

static int rx_done(struct ud_function *fn, const struct ud_setup *s, uint8_t *buf, uint16_t len,
                   int status)
{
	(void)fn;
	(void)s;
	(void)buf;
	(void)len;
	rx_calls++;
	rx_status = status;
	return 0;
}

static int receive(struct mock_fn *m, const struct ud_setup *s)
{
	(void)m;
	(void)s;
	return ud_ctrl_receive(&mdev, rx, sizeof(rx), rx_done);
}

static unsigned completions;

static void on_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	assert_int_equal(req->status, UD_ERR_SHUTDOWN);
	completions++;
}

static void test_stop_while_busy(void **state)
{
	(void)state;
	static uint8_t buf[64];
	struct ud_req a = {.buf = buf, .length = 64, .complete = on_done};
	struct ud_req b = {.buf = buf, .length = 64, .complete = on_done};
	fa.control = receive;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(ud_ep_submit(&mdev, 0x81, &a), 0);
	assert_int_equal(ud_ep_submit(&mdev, 0x01, &b), 0);
	mock_setup(0x40, 0x01, 0, 0, 8);
	mock_run();
	assert_true(mock_busy(0x00));
	mock_clear_log();
	ud_device_stop(&mdev);
	assert_int_equal(completions, 2);
	assert_int_equal(rx_calls, 1);
	assert_int_equal(rx_status, UD_ERR_SHUTDOWN);
	assert_int_equal(fa.disables, 1);
	assert_true(mock_log_has("abort 00"));
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ATTACHED);
	/* The deinit comes last. */
	assert_int_equal(mock_index(MOCK_DEINIT, MOCK_ANY_EP), (int)mock.ncalls - 1);
	assert_int_equal(mock_index(MOCK_CONNECT, MOCK_ANY_EP), 0);
	assert_false(ud_task(&mdev));
	assert_int_equal(completions, 2);
}

/* ---- remote wakeup ---- */

static void test_remote_wakeup(void **state)
{
	(void)state;
	mock_info.attributes = UD_CONFIG_ATTR_REMOTE_WAKEUP;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(ud_device_remote_wakeup(&mdev), UD_ERR_STATE); /* awake, not enabled */
	mock_suspend(true);
	mock_run();
	assert_int_equal(ud_device_remote_wakeup(&mdev), UD_ERR_STATE); /* not enabled */
	mock_suspend(false);
	mock_run();
	assert_int_equal(
		mock_ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_REMOTE_WAKEUP, 0, 0, NULL, NULL),
		MOCK_ACK);
	assert_int_equal(ud_device_remote_wakeup(&mdev), UD_ERR_STATE); /* awake */
	assert_int_equal(mock_count(MOCK_REMOTE_WAKEUP, MOCK_ANY_EP), 0);
	mock_suspend(true);
	mock_run();
	assert_int_equal(ud_device_remote_wakeup(&mdev), 0);
	assert_int_equal(mock_count(MOCK_REMOTE_WAKEUP, MOCK_ANY_EP), 1);
	mock.remote_wakeup_rc = UD_ERR_NOTSUP;
	assert_int_equal(ud_device_remote_wakeup(&mdev), UD_ERR_NOTSUP);
	mock.ops.remote_wakeup = NULL;
	assert_int_equal(ud_device_remote_wakeup(&mdev), UD_ERR_NOTSUP);
	/* A reset takes the permission away. */
	mock_bus_reset(UD_SPEED_FULL);
	mock_suspend(true);
	mock_run();
	assert_true(ud_device_suspended(&mdev));
	assert_int_equal(ud_device_remote_wakeup(&mdev), UD_ERR_STATE);
}

/* ---- queries and names ---- */

static void test_queries(void **state)
{
	(void)state;
	mock_device_up(&fa, NULL);
	assert_int_equal(ud_device_speed(&mdev), UD_SPEED_FULL);
	assert_int_equal(ud_device_configuration(&mdev), 0);
	assert_int_equal(ud_device_alt_setting(&mdev, 0), 0);
	assert_int_equal(ud_device_alt_setting(&mdev, UD_MAX_INTERFACES), 0);
	assert_int_equal(ud_device_alt_setting(&mdev, 0xff), 0);
	assert_false(ud_device_suspended(&mdev));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ud_state_name(UD_STATE_ATTACHED), "attached");
	assert_string_equal(ud_state_name(UD_STATE_POWERED), "powered");
	assert_string_equal(ud_state_name(UD_STATE_DEFAULT), "default");
	assert_string_equal(ud_state_name(UD_STATE_ADDRESS), "address");
	assert_string_equal(ud_state_name(UD_STATE_CONFIGURED), "configured");
	assert_string_equal(ud_state_name((enum ud_device_state)5), "unknown");
	assert_string_equal(ud_state_name((enum ud_device_state) - 1), "unknown");
	const struct {
		int code;
		const char *name;
	} st[] = {
		{UD_OK, "ok"},
		{UD_ERR_INVAL, "invalid"},
		{UD_ERR_STATE, "state"},
		{UD_ERR_BUSY, "busy"},
		{UD_ERR_NOSPACE, "nospace"},
		{UD_ERR_NOTSUP, "notsup"},
		{UD_ERR_NOENT, "noent"},
		{UD_ERR_CANCELLED, "cancelled"},
		{UD_ERR_SHUTDOWN, "shutdown"},
		{UD_ERR_OVERTAKEN, "overtaken"},
		{UD_ERR_OVERFLOW, "overflow"},
		{UD_ERR_IO, "io"},
		{-7, "unknown"},
		{1, "unknown"},
	};
	for (unsigned i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		assert_string_equal(ud_status_name(st[i].code), st[i].name);
}

/* Functions without optional callbacks: bus events and requests still work. */
static int bind_bare(struct ud_function *fn, struct ud_device *dev)
{
	(void)fn;
	int intf = ud_desc_alloc_interface(dev);
	return ud_desc_add_interface(dev, (uint8_t)intf, 0, 0, 0xff, 0, 0, 0);
}

static void test_bare_function(void **state)
{
	(void)state;
	static const struct ud_function_ops ops = {.bind = bind_bare};
	static struct ud_function bare = {.ops = &ops};
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &bare), 0);
	assert_int_equal(ud_device_start(&mdev), 0);
	mock_enumerate(UD_SPEED_FULL);
	mock_suspend(true);
	mock_sof(3);
	mock_run();
	assert_int_equal(mock_ctrl(0xc1, 0x01, 0, 0, 4, NULL, NULL), MOCK_STALL);
	assert_int_equal(mock_ctrl(0x01, UD_REQ_SET_INTERFACE, 0, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0, NULL, NULL), MOCK_ACK);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	ud_device_stop(&mdev);
}

/* ud_function_wake() from "another context" runs the function's poll from ud_task(), once per
 * burst of wakes, never inside the wake itself, and poll may submit requests. */
static unsigned polls;
static struct ud_req poll_req;
static uint8_t poll_buf[64];

static void poll_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	(void)req;
}

static void record_poll(struct ud_function *fn)
{
	polls++;
	poll_req.buf = poll_buf;
	poll_req.length = sizeof(poll_buf);
	poll_req.complete = poll_done;
	assert_int_equal(ud_ep_submit(fn->dev, (uint8_t)fa.ep_out[0], &poll_req), 0);
}

static void test_function_wake_runs_poll(void **state)
{
	(void)state;
	polls = 0;
	fa.ops.poll = record_poll;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(polls, 0); /* no wake, no poll */
	unsigned w = mock.wakes;
	ud_function_wake(&fa.fn);
	ud_function_wake(&fa.fn);
	ud_function_wake(&fa.fn);
	assert_int_equal(polls, 0);          /* never inside the wake */
	assert_int_equal(mock.wakes - w, 3); /* each wake reaches on_event */
	mock_run();
	assert_int_equal(polls, 1); /* three wakes fold into one poll */
	assert_int_equal(ud_ep_queued(&mdev, (uint8_t)fa.ep_out[0]), 1);
	mock_run();
	assert_int_equal(polls, 1);
	ud_function_wake(NULL);   /* harmless */
	ud_function_wake(&fb.fn); /* never bound: harmless */
	/* An index past the wake table (a corrupted function) is ignored, not written past it. */
	struct ud_function stray = {.dev = &mdev, .index = UD_MAX_FUNCTIONS};
	w = mock.wakes;
	ud_function_wake(&stray);
	assert_int_equal(mock.wakes, w);
	mock_run();
	assert_int_equal(polls, 1);
}

/* A wake gives only the woken function its poll. */
static unsigned polls_a, polls_b;

static void count_poll(struct ud_function *fn)
{
	if (fn == &fa.fn)
		polls_a++;
	else
		polls_b++;
}

static void test_wake_polls_only_the_woken_function(void **state)
{
	(void)state;
	polls_a = polls_b = 0;
	fa.ops.poll = count_poll;
	fb.ops.poll = count_poll;
	mock_device_up(&fa, &fb, NULL);
	mock_enumerate(UD_SPEED_FULL);
	ud_function_wake(&fb.fn);
	mock_run();
	assert_int_equal(polls_a, 0);
	assert_int_equal(polls_b, 1);
	ud_function_wake(&fa.fn);
	mock_run();
	assert_int_equal(polls_a, 1);
	assert_int_equal(polls_b, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_errors),
		T(test_lifecycle),
		T(test_no_vbus_sense),
		T(test_reset_from_each_state),
		T(test_stop_while_busy),
		T(test_remote_wakeup),
		T(test_queries),
		T(test_names),
		T(test_bare_function),
		T(test_function_wake_runs_poll),
		T(test_wake_polls_only_the_woken_function),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
