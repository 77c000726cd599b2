/* SPDX-License-Identifier: MIT */
/*
 * Requests chapter 9 does not define, and where the core sends them (control.c's routing):
 * unknown standard requests and the reserved request type are stalled; class and vendor
 * requests go to the function that owns the interface or endpoint, or, to the device, to each
 * function in turn. The device is std_fixture.h's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "std_fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_unknown_standard_requests),
		T(test_reserved_request_type),
		T(test_class_vendor_routing),
		T(test_vendor_device_unconfigured),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
