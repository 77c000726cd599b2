/* SPDX-License-Identifier: MIT */
/*
 * Promises of ud_bulk.h that the other bulk tests do not pin down (each was found by a mutant
 * of class/bulk that every other test let through): a function whose bind failed has no
 * endpoints, and the API refuses it as it refuses one never added; in the completions of a
 * SET_INTERFACE the function is not active.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bulk_world.h"
#include "udcore/ud_bulk.h"

static void done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	(void)req;
}

/* The bind failed before it allocated endpoints (a bad interface string): the function knows
 * its device, but it has no endpoint to act on. Nothing reaches the core's EP0 instead. */
static void test_failed_bind_is_unbound(void **state)
{
	static struct ud_vdc vdc;
	static struct ud_device dev;
	static struct ud_bulk b;
	struct ud_device_info info = {.vid = 1, .pid = 2, .ep0_max_packet = 64};
	struct ud_bulk_config c = {.interface_string = "\xff bad UTF-8"};
	struct ud_req r = {.complete = done};

	(void)state;
	ud_vdc_init(&vdc, NULL);
	assert_int_equal(ud_device_init(&dev, &vdc.port, &info), 0);
	assert_int_equal(ud_bulk_add(&dev, &b, &c), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_flush(&b), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_set_halt(&b, false), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_set_halt(&b, true), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_cancel(&b, &r), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_max_packet(&b, false), 0);
	assert_false(ud_bulk_active(&b));
}

/* SET_INTERFACE closes the endpoints without a `disable`: in the shut-down completions the
 * function is not active, although `enable` has not run yet and its own flag is still set. */
static struct ud_bulk alt_bulk;
static struct ud_req alt_req;
static uint8_t alt_buf[64];
static int alt_status = 1;
static bool alt_active_in_completion;

static void alt_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	alt_status = req->status;
	alt_active_in_completion = ud_bulk_active(&alt_bulk);
}

static int alt_add(struct ud_device *dev)
{
	static const struct ud_bulk_config c = {0};
	return ud_bulk_add(dev, &alt_bulk, &c);
}

static void test_set_interface_completion_not_active(void **state)
{
	(void)state;
	bw_custom(UD_SPEED_FULL, alt_add);
	bw_attach(UD_OS_LINUX);
	assert_true(ud_bulk_active(&alt_bulk));
	alt_req = (struct ud_req){.buf = alt_buf, .length = sizeof(alt_buf), .complete = alt_done};
	assert_int_equal(ud_bulk_submit_out(&alt_bulk, &alt_req), 0);
	alt_active_in_completion = true;
	bw_set_interface0(0);
	assert_int_equal(alt_status, UD_ERR_SHUTDOWN);
	assert_false(alt_active_in_completion);
	assert_true(ud_bulk_active(&alt_bulk)); /* enabled again afterwards */
	bw_assert_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_bind_is_unbound),
		cmocka_unit_test(test_set_interface_completion_not_active),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
