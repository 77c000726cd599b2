/* SPDX-License-Identifier: MIT */
/* The endpoint tests' fixture: see endpoint_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "endpoint_fixture.h"

struct mock_fn fa;
unsigned resubmits;
int resubmit_rc;
uint8_t buf[8][512];

void on_done_resubmit(struct ud_device *dev, struct ud_req *req)
{
	mock_req_complete(dev, req);
	if (resubmits) {
		resubmits--;
		resubmit_rc = ud_ep_submit(dev, req->ep, req);
	}
}

int ep_setup(void **state)
{
	mock_setup_test(state);
	resubmits = 0;
	resubmit_rc = 0;
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	return 0;
}

void configured(enum ud_speed speed)
{
	if (speed == UD_SPEED_HIGH)
		mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	mock_device_up(&fa, NULL);
	mock_enumerate(speed);
	assert_int_equal(fa.ep_out[0], EP_OUT);
	assert_int_equal(fa.ep_in[0], EP_IN);
	mock_clear_log();
}

void two_out_requests(struct ud_req *a, struct ud_req *b)
{
	configured(UD_SPEED_FULL);
	mock_req_init(a, 1, buf[0], 64);
	mock_req_init(b, 2, buf[1], 64);
	assert_int_equal(mock_submit(EP_OUT, a), 0);
	assert_int_equal(mock_submit(EP_OUT, b), 0);
}

unsigned submitted_64(uint8_t ep, struct ud_req *r, uint16_t flags)
{
	configured(UD_SPEED_FULL);
	mock_req_init(r, 1, buf[0], 64);
	r->flags = flags;
	assert_int_equal(mock_submit(ep, r), 0);
	return mock_count(MOCK_EP_XFER, ep);
}

void ended_unreported(uint8_t ep, uint32_t moved)
{
	mock.ep[UD_EP_INDEX(ep)].moved = moved;
	mock.ep[UD_EP_INDEX(ep)].ended = true;
}
