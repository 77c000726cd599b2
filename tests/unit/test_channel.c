/* SPDX-License-Identifier: MIT */
/*
 * The ISR-to-task channel (channel.c): events reported much faster than ud_task() runs fold
 * without loss. Reports are made the way a port's interrupt handler makes them (through the
 * mock), and what the functions then see is checked.
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

static void configured(void)
{
	mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	mock_device_up(&fa, &fb, NULL);
	mock_vbus(true);
	mock_enumerate(UD_SPEED_FULL);
	mock_clear_log();
}

/* ---- bus events ---- */

static void test_many_resets_fold(void **state)
{
	(void)state;
	configured();
	unsigned wakes = mock.wakes;
	for (unsigned i = 0; i < 1000; i++)
		mock_bus_reset(i & 1 ? UD_SPEED_FULL : UD_SPEED_HIGH);
	assert_int_equal(mock.wakes - wakes, 1000);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED); /* nothing until the task */
	mock_run();
	assert_int_equal(fa.resets, 2); /* enumeration's reset, then all these folded into one */
	assert_int_equal(fa.disables, 1);
	assert_int_equal(fb.resets, 2);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_int_equal(ud_device_speed(&mdev), UD_SPEED_FULL); /* the last one's speed */
	assert_false(ud_ep_is_open(&mdev, 0x81));
	/* Another burst ending at high speed. */
	mock_bus_reset(UD_SPEED_FULL);
	mock_bus_reset(UD_SPEED_HIGH);
	mock_run();
	assert_int_equal(fa.resets, 3);
	assert_int_equal(fa.disables, 1);
	assert_int_equal(ud_device_speed(&mdev), UD_SPEED_HIGH);
}

static void suspend_burst(unsigned n, bool first)
{
	bool level = first;
	for (unsigned i = 0; i < n; i++, level = !level)
		mock_suspend(level);
}

static void test_suspend_fold(void **state)
{
	(void)state;
	configured();
	/* One suspend. */
	mock_suspend(true);
	mock_run();
	assert_true(ud_device_suspended(&mdev));
	assert_int_equal(fa.suspends, 1);
	assert_true(fa.suspended);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED); /* suspension aside */
	/* resume + suspend between two runs: reported as the pair it was. */
	mock_clear_log();
	suspend_burst(2, false);
	mock_run();
	assert_string_equal(mock.log, "A:suspend 0;B:suspend 0;A:suspend 1;B:suspend 1;");
	assert_true(ud_device_suspended(&mdev));
	/* resume alone. */
	mock_suspend(false);
	mock_run();
	assert_false(ud_device_suspended(&mdev));
	assert_false(fa.suspended);
	/* suspend + resume: a pair, ending awake. */
	mock_clear_log();
	suspend_burst(2, true);
	mock_run();
	assert_string_equal(mock.log, "A:suspend 1;B:suspend 1;A:suspend 0;B:suspend 0;");
	assert_false(ud_device_suspended(&mdev));
	/* Many: the callbacks end at the final level. */
	suspend_burst(1001, true);
	mock_run();
	assert_true(ud_device_suspended(&mdev));
	assert_true(fa.suspended && fb.suspended);
	suspend_burst(1000, false);
	mock_run();
	assert_true(ud_device_suspended(&mdev));
	assert_true(fa.suspended);
	suspend_burst(999, false);
	mock_run();
	assert_false(ud_device_suspended(&mdev));
	assert_false(fa.suspended || fb.suspended);
	/* Nothing new: no callback. */
	unsigned n = fa.suspends;
	mock_run();
	assert_int_equal(fa.suspends, n);
}

/* A bus reset ends a suspend (USB 2.0 figure 9-1), also when both happen between two task
 * runs and the port reports no resume in between. */
static void test_reset_ends_suspend(void **state)
{
	(void)state;
	configured();
	mock_suspend(true);
	mock_run();
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_false(ud_device_suspended(&mdev));
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);

	unsigned n = fa.suspends;
	mock_suspend(true);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_false(ud_device_suspended(&mdev));
	assert_int_equal(fa.suspends, n); /* awake after the reset as before it: no suspend pair */
}

/* A disconnect, and ud_device_stop(), end a suspension too, without a suspend(false) call
 * (ud_function.h: `disable` and the absent bus tell of those). */
static void test_disconnect_and_stop_end_suspend(void **state)
{
	(void)state;
	configured();
	mock_suspend(true);
	mock_run();
	assert_true(ud_device_suspended(&mdev));
	unsigned n = fa.suspends;
	mock_vbus(false);
	mock_run();
	assert_false(ud_device_suspended(&mdev));
	assert_int_equal(fa.suspends, n);

	mock_vbus(true);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	mock_suspend(true);
	mock_run();
	assert_true(ud_device_suspended(&mdev));
	n = fa.suspends;
	ud_device_stop(&mdev);
	assert_false(ud_device_suspended(&mdev));
	assert_int_equal(fa.suspends, n);
}

static void test_vbus_flaps(void **state)
{
	(void)state;
	configured();
	for (unsigned i = 0; i < 500; i++) {
		mock_vbus(false);
		mock_vbus(true);
	}
	mock_run();
	assert_int_equal(fa.disables, 1);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_POWERED);
	assert_int_equal(ud_device_configuration(&mdev), 0);
	assert_false(ud_ep_is_open(&mdev, 0x01));
	/* Ending without VBUS. */
	mock_enumerate(UD_SPEED_FULL);
	for (unsigned i = 0; i < 500; i++) {
		mock_vbus(true);
		mock_vbus(false);
	}
	mock_run();
	assert_int_equal(fa.disables, 2);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ATTACHED);
	mock_vbus(true);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_POWERED);
	/* Disconnect, reconnect and reset, all between two runs. */
	mock_enumerate(UD_SPEED_FULL);
	mock_vbus(false);
	mock_vbus(true);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_int_equal(fa.disables, 3);
}

/* A reset followed by a disconnect between two runs: the device ends detached (ATTACHED, or
 * POWERED once VBUS is back), not in the DEFAULT state of a reset that the disconnect undid,
 * and a SETUP reported after the reconnect (but before any new reset) is not answered. */
static void test_reset_then_disconnect(void **state)
{
	(void)state;
	configured();
	mock_bus_reset(UD_SPEED_FULL);
	mock_vbus(false);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ATTACHED);

	mock_enumerate(UD_SPEED_FULL);
	mock_clear_log();
	mock_bus_reset(UD_SPEED_FULL);
	mock_vbus(false);
	mock_vbus(true);
	mock_setup(0x80, UD_REQ_GET_STATUS, 0, 0, 2);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_POWERED);
	assert_int_equal(mock_count(MOCK_EP_XFER, MOCK_ANY_EP), 0);
}

static void test_sof_coalesce(void **state)
{
	(void)state;
	configured();
	for (unsigned i = 0; i < 5000; i++)
		mock_sof((uint16_t)(i & 0x7ffu));
	mock_run();
	assert_int_equal(fa.sofs, 1);
	assert_int_equal(fb.sofs, 1);
	assert_int_equal(fa.frame, 4999 & 0x7ff);
	mock_sof(0x7ff);
	mock_sof(0);
	mock_run();
	assert_int_equal(fa.sofs, 2);
	assert_int_equal(fa.frame, 0);
	mock_run();
	assert_int_equal(fa.sofs, 2);
}

/* ---- completions ---- */

static unsigned completions;

static void count_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	assert_int_equal(req->status, UD_OK);
	assert_int_equal(req->actual, (uintptr_t)req->context);
	completions++;
}

static int bind_all_endpoints(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	int intf = ud_desc_alloc_interface(dev);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)intf, 0, 14, 0xff, 0, 0, 0), 0);
	for (unsigned i = 1; i < 8; i++) {
		for (unsigned in = 0; in < 2; in++) {
			int ep = ud_desc_alloc_endpoint(dev, in);
			assert_int_equal(ep, (int)(i | (in ? 0x80u : 0u)));
			assert_int_equal(
				ud_desc_add_endpoint(dev, (uint8_t)ep, UD_EP_BULK, 64, 512, 0, 0),
				0);
		}
	}
	return 0;
}

static void test_completions_on_every_endpoint(void **state)
{
	(void)state;
	static struct ud_req reqs[14];
	static uint8_t bufs[14][64];
	fa.bind = bind_all_endpoints;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	for (unsigned i = 0; i < 14; i++) {
		uint8_t ep = (uint8_t)((1 + i / 2) | (i & 1 ? 0x80u : 0u));
		reqs[i] = (struct ud_req){.buf = bufs[i], .length = 64, .complete = count_done};
		reqs[i].context = (void *)(uintptr_t)(i + 1);
		assert_int_equal(ud_ep_submit(&mdev, ep, &reqs[i]), 0);
	}
	/* All the port's reports, plus an EP0 status stage, before one task run. */
	mock_setup(0x80, UD_REQ_GET_STATUS, 0, 0, 2);
	mock_run();
	mock_xfer_done(0x80, 2, UD_OK);
	for (unsigned i = 0; i < 14; i++) {
		uint8_t ep = (uint8_t)((1 + i / 2) | (i & 1 ? 0x80u : 0u));
		mock_xfer_done(ep, i + 1, UD_OK);
	}
	assert_true(ud_task(&mdev));
	assert_int_equal(completions, 14);
	assert_true(mock_busy(0x00)); /* EP0 moved on to its status stage */
	assert_int_equal(mdev.port_errors, 0);
}

/* ---- SETUP ---- */

static void test_newer_setup_supersedes(void **state)
{
	(void)state;
	configured();
	for (unsigned i = 0; i < 100; i++)
		mock_setup(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18);
	mock_setup(0x80, UD_REQ_GET_STATUS, 0, 0, 2);
	mock_run();
	assert_int_equal(mock_count(MOCK_EP_XFER, 0x80), 1);
	assert_int_equal(mock_last(MOCK_EP_XFER, 0x80)->len, 2);
	mock_xfer_done(0x80, 2, UD_OK);
	mock_run();
	mock_xfer_done(0x00, 0, UD_OK);
	mock_run();
	assert_false(mock_busy(0x00) || mock_busy(0x80));
}

static void test_setup_before_reset_is_stale(void **state)
{
	(void)state;
	configured();
	mock_setup(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(mock_count(MOCK_EP_XFER, MOCK_ANY_EP), 0);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	/* After a disconnect too. */
	mock_setup(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18);
	mock_vbus(false);
	mock_vbus(true);
	mock_run();
	assert_int_equal(mock_count(MOCK_EP_XFER, MOCK_ANY_EP), 0);
	/* A SETUP after the reset is the new bus's. */
	mock_setup(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18);
	mock_bus_reset(UD_SPEED_FULL);
	mock_setup(0x80, UD_REQ_GET_STATUS, 0, 0, 2);
	mock_run();
	assert_int_equal(mock_count(MOCK_EP_XFER, 0x80), 1);
	assert_int_equal(mock_last(MOCK_EP_XFER, 0x80)->len, 2);
}

/* ---- port contract violations are counted, not trusted ---- */

static unsigned done_count;

static void count_any(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	(void)req;
	done_count++;
}

static void test_double_report_counted(void **state)
{
	(void)state;
	static uint8_t buf[64];
	struct ud_req a = {.buf = buf, .length = 64, .complete = count_any};
	struct ud_req b = {.buf = buf, .length = 64, .complete = count_any};
	configured();
	assert_int_equal(ud_ep_submit(&mdev, 0x81, &a), 0);
	mock_xfer_done(0x81, 64, UD_OK);
	ud_port_report_xfer(&mdev, 0x81, 64, UD_OK); /* the port reports it again */
	mock_run();
	assert_int_equal(done_count, 1);
	assert_int_equal(ud_device_port_errors(&mdev), 1);
	/* A report for a transfer that was never started does not complete the next one. */
	ud_port_report_xfer(&mdev, 0x81, 5, UD_OK);
	mock_run();
	assert_int_equal(ud_ep_submit(&mdev, 0x81, &b), 0);
	mock_run();
	assert_int_equal(done_count, 1);
	assert_true(mock_busy(0x81));
	assert_int_equal(ud_device_port_errors(&mdev), 2);
	mock_xfer_done(0x81, 64, UD_OK);
	mock_run();
	assert_int_equal(done_count, 2);
	/* Out-of-range addresses are ignored: nothing of the device changes and nobody is woken
	 * (0x08 and 0x88 would be slots 16 and 17, just past the channel's table). */
	static struct ud_device before;
	memcpy(&before, &mdev, sizeof(mdev));
	unsigned wakes = mock.wakes;
	ud_port_report_xfer(&mdev, 0x08, 1, UD_OK);
	ud_port_report_xfer(&mdev, 0x88, 1, UD_OK);
	ud_port_report_xfer(&mdev, 0x75, 1, UD_OK);
	ud_port_report_xfer(&mdev, 0x8f, 1, UD_OK);
	assert_int_equal(mock.wakes, wakes);
	assert_memory_equal(&mdev, &before, sizeof(mdev));
	mock_run();
	assert_int_equal(done_count, 2);
}

/* Every report wakes the thread that runs ud_task(); without on_event nothing breaks. */
static void test_wake_on_every_report(void **state)
{
	(void)state;
	uint8_t raw[8] = {0x80, 0, 0, 0, 0, 0, 2, 0};
	configured();
	unsigned w = mock.wakes;
	ud_port_report_setup(&mdev, raw);
	ud_port_report_reset(&mdev, UD_SPEED_FULL);
	ud_port_report_suspend(&mdev, true);
	ud_port_report_vbus(&mdev, true);
	ud_port_report_sof(&mdev, 1);
	ud_port_report_xfer(&mdev, 0x81, 0, UD_OK);
	assert_int_equal(mock.wakes - w, 6);
	mock_info.on_event = NULL;
	ud_port_report_sof(&mdev, 2);
	mock_run();
	assert_int_equal(fa.frame, 2);
}

/* ---- a storm: random events, random task runs, checked against a model ---- */

static uint32_t rng = 12345;

static uint32_t next(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 16;
}

struct window {
	bool reset, loss, setup, sof;
	int last_bus; /* 0 none, 1 suspend report, 2 reset or VBUS loss */
	bool level;   /* last suspend level reported */
	uint16_t frame;
	uint8_t speed;
};

static void test_event_storm(void **state)
{
	(void)state;
	bool vbus = true, was_reset = true; /* a device answers only after a reset */
	configured();
	struct window w;
	memset(&w, 0, sizeof(w));
	for (unsigned step = 0; step < 20000; step++) {
		unsigned ev = next() % 12;
		if (ev == 0 && vbus) {
			w.speed = next() & 1 ? UD_SPEED_HIGH : UD_SPEED_FULL;
			mock_bus_reset((enum ud_speed)w.speed);
			w.reset = true;
			was_reset = true;
			w.setup = false;
			w.last_bus = 2;
		} else if (ev == 1) {
			w.level = next() & 1;
			mock_suspend(w.level);
			w.last_bus = 1;
		} else if (ev == 2) {
			vbus = next() % 4 != 0;
			mock_vbus(vbus);
			if (!vbus) {
				was_reset = false;
				w.reset = false; /* a reset before a disconnect is moot */
				w.loss = true;
				w.setup = false;
				w.last_bus = 2;
			}
		} else if (ev <= 5) {
			w.frame = (uint16_t)(next() & 0x7ff);
			mock_sof(w.frame);
			w.sof = true;
		} else if (ev <= 7 && vbus) {
			mock_setup(0x80, UD_REQ_GET_STATUS, 0, 0, 2);
			w.setup = true;
		} else if (ev >= 9) {
			unsigned resets = fa.resets, sofs = fa.sofs, xfers = mock.ep[1].xfers;
			mock_run();
			assert_int_equal(fa.resets - resets, w.reset ? 1 : 0);
			assert_int_equal(fa.sofs - sofs, w.sof ? 1 : 0);
			if (w.sof)
				assert_int_equal(fa.frame, w.frame);
			if (w.reset)
				assert_int_equal(ud_device_speed(&mdev), w.speed);
			if (w.last_bus == 1)
				assert_int_equal(ud_device_suspended(&mdev), w.level);
			if (!vbus)
				assert_int_equal(ud_device_state(&mdev), UD_STATE_ATTACHED);
			else if (w.reset)
				assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
			/* The latest SETUP of the bus as it is now is answered, nothing else. */
			assert_int_equal(mock.ep[1].xfers - xfers, w.setup && was_reset ? 1 : 0);
			memset(&w, 0, sizeof(w));
			mock_clear_log();
		}
	}
	assert_int_equal(mdev.port_errors, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_many_resets_fold),
		T(test_suspend_fold),
		T(test_reset_ends_suspend),
		T(test_disconnect_and_stop_end_suspend),
		T(test_vbus_flaps),
		T(test_reset_then_disconnect),
		T(test_sof_coalesce),
		T(test_completions_on_every_endpoint),
		T(test_newer_setup_supersedes),
		T(test_setup_before_reset_is_stale),
		T(test_double_report_counted),
		T(test_wake_on_every_report),
		T(test_event_storm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
