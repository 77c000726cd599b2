/* SPDX-License-Identifier: MIT */
/*
 * Bus events that the interrupt reports while ud_task() is handling earlier ones (found by a
 * review of the core; each test failed before its fix):
 * - a bus reset and the SETUP after it, both reported after ud_task() looked at the bus
 *   events: the SETUP waits for the reset instead of running in the old session, whose end
 *   would then abort it;
 * - a SET_ADDRESS whose status stage completed just before a bus reset: the port is left at
 *   address 0, where the hardware put it; nor does one whose status stage failed take effect;
 * - a SET_ADDRESS whose status stage completed, reported with the host's next SETUP after
 *   ud_task() took the completions: the address still takes effect (helper-29's review);
 * - a disconnect and a reset reported while ud_task() handles an earlier disconnect: the
 *   reset is not mistaken for one from before the disconnect.
 * The interrupt "preempting" ud_task() is modelled by reporting from the SOF callback, which
 * ud_task() runs while it handles the bus events.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

static struct mock_fn fa;
static bool fired;
static uint8_t isr_setup[8];

static int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	fired = false;
	return 0;
}

static void configured(void)
{
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	mock_clear_log();
}

/* The interrupt during ud_task(): the host resets the bus, then sends isr_setup. */
static void sof_isr_reset_then_setup(struct ud_function *fn, uint16_t frame)
{
	(void)fn;
	(void)frame;
	if (fired)
		return;
	fired = true;
	mock_bus_reset(UD_SPEED_FULL);
	mock_setup_raw(isr_setup);
}

static void race(uint8_t bm, uint8_t req, uint16_t value, uint16_t length)
{
	const uint8_t raw[8] = {bm, req, (uint8_t)value,  (uint8_t)(value >> 8),
	                        0,  0,   (uint8_t)length, (uint8_t)(length >> 8)};
	memcpy(isr_setup, raw, sizeof(raw));
	configured();
	fa.ops.sof = sof_isr_reset_then_setup;
	mock_sof(1);
	mock_run();
	assert_true(fired);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_false(mock_stalled(0x80));
}

/* GET_DESCRIPTOR after the reset is answered (EP0 IN armed with the 18 bytes), not aborted. */
static void test_setup_after_reset_during_task_is_answered(void **state)
{
	(void)state;
	race(0x80, UD_REQ_GET_DESCRIPTOR, UD_DESC_DEVICE << 8, 18);
	assert_true(mock_busy(0x80));
	assert_int_equal(mock.ep[UD_EP_INDEX(0x80)].len, 18);
}

/* SET_ADDRESS after the reset runs in the Default state: its status stage is armed, not a
 * STALL (in the Configured state it would be refused). */
static void test_set_address_after_reset_during_task(void **state)
{
	(void)state;
	race(0x00, UD_REQ_SET_ADDRESS, 9, 0);
	assert_true(mock_busy(0x80));
}

/* A started device, reset, answering SET_ADDRESS(5): its status stage at the port. */
static void set_address_status_armed(void)
{
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	mock_setup(0x00, UD_REQ_SET_ADDRESS, 5, 0, 0);
	mock_run();
	assert_true(mock_busy(0x80));
}

/* The status stage of SET_ADDRESS completes, then the host resets the bus before ud_task()
 * ran (it missed the status ACK and enumerates again): the port stays at address 0. */
static void test_set_address_completion_then_reset_leaves_port_at_0(void **state)
{
	(void)state;
	set_address_status_armed();
	mock_xfer_done(0x80, 0, UD_OK);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_int_equal(mock.address, 0);
	assert_int_equal(mdev.address, 0);
	/* ... and the host's next SET_ADDRESS works. */
	mock_setup(0x00, UD_REQ_SET_ADDRESS, 6, 0, 0);
	mock_run();
	mock_xfer_done(0x80, 0, UD_OK);
	mock_run();
	assert_int_equal(mock.address, 6);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
}

/* A SET_ADDRESS whose status stage the port reports as failed: the address is not taken. */
static void test_set_address_failed_status_stage(void **state)
{
	(void)state;
	set_address_status_armed();
	mock_xfer_done(0x80, 0, UD_ERR_IO);
	mock_run();
	assert_int_equal(mock.address, 0);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
}

/* The interrupt during ud_task(): SET_ADDRESS's status stage completed, then the host's next
 * SETUP (GET_DESCRIPTOR, to the new address) arrived. */
static void sof_isr_status_then_setup(struct ud_function *fn, uint16_t frame)
{
	(void)fn;
	(void)frame;
	if (fired)
		return;
	fired = true;
	mock_xfer_done(0x80, 0, UD_OK);
	mock_setup(0x80, UD_REQ_GET_DESCRIPTOR, UD_DESC_DEVICE << 8, 0, 18);
}

/* The status stage's completion is taken by the abort the new SETUP starts with, not by the
 * completions pass: it must still apply the address, on both kinds of port. */
static void status_completion_meets_setup(uint32_t flags)
{
	mock.caps.flags = flags;
	set_address_status_armed();
	fa.ops.sof = sof_isr_status_then_setup;
	mock_sof(1);
	mock_run();
	assert_true(fired);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(mdev.address, 5);
	assert_int_equal(mock.address, 5);
	assert_int_equal(mock.ep[UD_EP_INDEX(0x80)].len, 18); /* the descriptor is on its way */
	assert_int_equal(mdev.port_errors, 0);
}

static void test_set_address_status_then_setup_during_task(void **state)
{
	(void)state;
	status_completion_meets_setup(0);
}

static void test_set_address_status_then_setup_addr_before_status(void **state)
{
	(void)state;
	status_completion_meets_setup(UD_PORT_ADDR_BEFORE_STATUS);
}

/* The same completion, waiting when the device is stopped: stopping is not the host's next
 * request, so the port is not given the address on its way down. */
static void test_set_address_status_then_stop(void **state)
{
	(void)state;
	set_address_status_armed();
	mock_xfer_done(0x80, 0, UD_OK);
	mock_clear_log();
	ud_device_stop(&mdev);
	assert_int_equal(mock_count(MOCK_SET_ADDRESS, MOCK_ANY_EP), 0);
	assert_int_equal(mock.address, 0);
}

/* The interrupt during ud_task()'s handling of a disconnect (from the `disable` callback it
 * runs): the host goes away again, comes back and resets the bus. */
static void disable_isr_disconnect_then_reset(struct ud_function *fn)
{
	(void)fn;
	if (fired)
		return;
	fired = true;
	mock_vbus(false);
	mock_vbus(true);
	mock_bus_reset(UD_SPEED_FULL);
}

/* That reset came after both disconnects, so the device ends in the Default state, answering
 * the host. (Reading the reset count after the disconnect count, ud_task() once took it for
 * one from before the second disconnect and dropped it: the device stayed Powered, deaf.) */
static void test_disconnect_and_reset_during_disconnect(void **state)
{
	(void)state;
	configured();
	fa.ops.disable = disable_isr_disconnect_then_reset;
	mock_vbus(false);
	mock_vbus(true);
	mock_run();
	assert_true(fired);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_setup_after_reset_during_task_is_answered),
		T(test_set_address_after_reset_during_task),
		T(test_set_address_completion_then_reset_leaves_port_at_0),
		T(test_set_address_failed_status_stage),
		T(test_set_address_status_then_setup_during_task),
		T(test_set_address_status_then_setup_addr_before_status),
		T(test_set_address_status_then_stop),
		T(test_disconnect_and_reset_during_disconnect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
