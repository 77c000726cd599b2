/* SPDX-License-Identifier: MIT */
/*
 * Ownership when endpoints close (endpoint.c with device.c): N requests queued, then
 * SET_CONFIGURATION 0 or again, SET_INTERFACE, bus reset, disconnect or ud_device_stop() ->
 * exactly N completions with UD_ERR_SHUTDOWN, FIFO per endpoint, none twice, all before the
 * change returns to ud_task() (and before `enable` runs again).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "endpoint_fixture.h"

/* ---- shutdown: N queued, endpoint closed -> N x SHUTDOWN, FIFO, once, from ud_task ---- */

static void trig_config0(void)
{
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0, NULL, NULL), MOCK_ACK);
}

static void trig_config1_again(void)
{
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL), MOCK_ACK);
}

static void trig_set_interface(void)
{
	assert_int_equal(mock_ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 0, 0, NULL, NULL), MOCK_ACK);
}

static void trig_reset(void)
{
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
}

static void trig_disconnect(void)
{
	mock_vbus(false);
	mock_run();
}

static void trig_stop(void)
{
	mock.in_call = false;
	ud_device_stop(&mdev);
}

static void shutdown_case(void (*trigger)(void), const char *order_a, const char *order_b)
{
	struct ud_req in[4], out[3];

	configured(UD_SPEED_FULL);
	for (unsigned i = 0; i < 4; i++) {
		mock_req_init(&in[i], 10 + i, buf[i], 64);
		assert_int_equal(mock_submit(EP_IN, &in[i]), 0);
	}
	for (unsigned i = 0; i < 3; i++) {
		mock_req_init(&out[i], 20 + i, buf[4 + i], 64);
		assert_int_equal(mock_submit(EP_OUT, &out[i]), 0);
	}
	mock_run();
	assert_int_equal(mock_ndone, 0);
	trigger();
	assert_int_equal(mock_ndone, 7);
	unsigned next_in = 0, next_out = 0;
	for (unsigned i = 0; i < mock_ndone; i++) {
		assert_int_equal(mock_done[i].status, UD_ERR_SHUTDOWN);
		if (mock_done[i].req >= &in[0] && mock_done[i].req < &in[4])
			assert_ptr_equal(mock_done[i].req, &in[next_in++]);
		else
			assert_ptr_equal(mock_done[i].req, &out[next_out++]);
	}
	assert_int_equal(next_in, 4);
	assert_int_equal(next_out, 3);
	mock_run();
	assert_int_equal(mock_ndone, 7); /* none twice */
	if (order_a) {
		char *a = strstr(mock.log, order_a), *b = strstr(mock.log, order_b);
		assert_non_null(a);
		assert_non_null(b);
		assert_true(a < b);
	}
}

static void test_shutdown_set_configuration_0(void **state)
{
	(void)state;
	shutdown_case(trig_config0, "A:disable", "done 10 -11");
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	struct ud_req r;
	mock_req_init(&r, 1, buf[0], 1);
	assert_int_equal(mock_submit(EP_IN, &r), UD_ERR_STATE);
}

static void test_shutdown_set_configuration_again(void **state)
{
	(void)state;
	/* Completions run before `enable` runs again. */
	shutdown_case(trig_config1_again, "done 22 -11", "A:enable");
	assert_true(mock_log_has("A:disable"));
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);
}

static void test_shutdown_set_interface(void **state)
{
	(void)state;
	shutdown_case(trig_set_interface, "done 22 -11", "A:alt 0 1");
	assert_true(ud_ep_is_open(&mdev, EP_INT));
}

static void test_shutdown_bus_reset(void **state)
{
	(void)state;
	shutdown_case(trig_reset, "A:disable", "done 10 -11");
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
}

static void test_shutdown_disconnect(void **state)
{
	(void)state;
	shutdown_case(trig_disconnect, "A:disable", "done 10 -11");
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ATTACHED);
}

static void test_shutdown_device_stop(void **state)
{
	(void)state;
	shutdown_case(trig_stop, "A:disable", "done 10 -11");
	assert_false(mock.connected);
}

/* A completion that tries to resubmit during shutdown is refused (endpoint closed) and that
 * refused submit never completes. */
static void test_resubmit_during_shutdown_refused(void **state)
{
	(void)state;
	struct ud_req r;

	configured(UD_SPEED_FULL);
	mock_req_init(&r, 1, buf[0], 64);
	r.complete = on_done_resubmit;
	resubmits = 1;
	assert_int_equal(mock_submit(EP_IN, &r), 0);
	trig_reset();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_ERR_SHUTDOWN);
	assert_int_equal(resubmit_rc, UD_ERR_STATE);
	mock_run();
	assert_int_equal(mock_ndone, 1);
}

/* `enable` may resubmit the requests that a repeated SET_CONFIGURATION shut down. */
static struct ud_req enable_req;
static int enable_rc;

static void enable_submits(struct ud_function *fn)
{
	(void)fn;
	fa.enables++;
	enable_rc = ud_ep_submit(&mdev, EP_OUT, &enable_req);
}

static void test_enable_resubmits_after_shutdown(void **state)
{
	(void)state;
	fa.ops.enable = enable_submits;
	mock_req_init(&enable_req, 1, buf[0], 64);
	configured(UD_SPEED_FULL);
	assert_int_equal(enable_rc, 0);
	trig_config1_again();
	assert_int_equal(mock_ndone, 1);
	assert_int_equal(mock_done[0].status, UD_ERR_SHUTDOWN);
	assert_int_equal(fa.enables, 2);
	assert_int_equal(enable_rc, 0);
	assert_true(mock_busy(EP_OUT));
}

#define T(f) EP_T(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_shutdown_set_configuration_0),
		T(test_shutdown_set_configuration_again),
		T(test_shutdown_set_interface),
		T(test_shutdown_bus_reset),
		T(test_shutdown_disconnect),
		T(test_shutdown_device_stop),
		T(test_resubmit_during_shutdown_refused),
		T(test_enable_resubmits_after_shutdown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
