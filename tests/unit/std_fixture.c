/* SPDX-License-Identifier: MIT */
/* The fixture of the chapter 9 request tests: std_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "std_fixture.h"

struct mock_fn fa, fb;
struct mock_ctrl r;

int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	mock_fn_init(&fb, 'B', mock_bind_pair);
	memset(&r, 0, sizeof(r));
	return 0;
}

void up_in(int st, enum ud_speed speed)
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

void up(int st)
{
	up_in(st, UD_SPEED_FULL);
}

int ctrl(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t length)
{
	static const uint8_t zeros[64];
	return mock_ctrl(bm, req, value, index, length, zeros, &r);
}

uint16_t status_of(uint8_t bm, uint16_t index)
{
	assert_int_equal(ctrl(bm, UD_REQ_GET_STATUS, 0, index, 2), MOCK_ACK);
	assert_int_equal(r.len, 2);
	return (uint16_t)(r.data[0] | (r.data[1] << 8));
}
