/* SPDX-License-Identifier: MIT */
/* The fixture of the EP0 control engine tests: control_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "control_fixture.h"

struct mock_fn fa;
uint8_t pattern[1024];
uint16_t reply_len;
enum mode mode;

uint8_t rxbuf[1024];
unsigned rx_calls;
int rx_status;
uint16_t rx_len;
int rx_ret;

/* M_API: the return codes seen inside the callback. */
int api[16];
unsigned napi;

int rx_done(struct ud_function *fn, const struct ud_setup *s, uint8_t *buf, uint16_t len,
            int status)
{
	assert_ptr_equal(fn, &fa.fn);
	assert_int_equal(s->bRequest, REQ);
	assert_ptr_equal(buf, rxbuf);
	rx_calls++;
	rx_status = status;
	rx_len = len;
	mock_logf("rx-done %d", status);
	return rx_ret;
}

static int api_calls(const struct ud_setup *s)
{
	static uint8_t small[4] = {1, 2, 3, 4};

	napi = 0;
	if (s->bmRequestType & UD_DIR_IN) {
		api[napi++] = ud_ctrl_reply(&mdev, NULL, 5);
		api[napi++] = ud_ctrl_receive(&mdev, rxbuf, sizeof(rxbuf), rx_done);
		api[napi++] = ud_ctrl_reply_copy(&mdev, pattern, UD_CTRL_BUF_SIZE + 1);
		api[napi++] = ud_ctrl_reply(NULL, small, 4);
		api[napi++] = ud_ctrl_reply_buffer(NULL) == NULL;
		api[napi++] = ud_ctrl_reply_buffer(&mdev) != NULL;
		api[napi++] = ud_ctrl_reply(&mdev, small, 4);
		api[napi++] = ud_ctrl_reply(&mdev, small, 4);      /* answered already */
		api[napi++] = ud_ctrl_reply_copy(&mdev, small, 4); /* answered already */
		api[napi++] = ud_ctrl_reply_buffer(&mdev) == NULL; /* answered already */
		return 0;
	}
	api[napi++] = ud_ctrl_reply(&mdev, small, 4);
	api[napi++] = ud_ctrl_reply_copy(&mdev, small, 4);
	api[napi++] = ud_ctrl_reply_buffer(&mdev) == NULL; /* an OUT request has no reply */
	api[napi++] = ud_ctrl_receive(&mdev, NULL, 64, rx_done);
	api[napi++] = ud_ctrl_receive(&mdev, rxbuf, 64, NULL);
	api[napi++] = ud_ctrl_receive(NULL, rxbuf, 64, rx_done);
	api[napi++] = ud_ctrl_receive(&mdev, rxbuf, (uint16_t)(s->wLength - 1), rx_done);
	api[napi++] = ud_ctrl_receive(&mdev, rxbuf, s->wLength, rx_done);
	api[napi++] = ud_ctrl_receive(&mdev, rxbuf, s->wLength, rx_done); /* again */
	return 0;
}

int ctrl_control(struct mock_fn *m, const struct ud_setup *s)
{
	(void)m;
	if (s->bRequest != REQ)
		return UD_ERR_NOTSUP;
	switch (mode) {
	case M_REPLY:
		return ud_ctrl_reply(&mdev, pattern, reply_len);
	case M_REPLY_COPY_STACK: {
		uint8_t tmp[64];
		memcpy(tmp, pattern + 100, sizeof(tmp));
		int rc = ud_ctrl_reply_copy(&mdev, tmp, sizeof(tmp));
		memset(tmp, 0xee, sizeof(tmp));
		return rc;
	}
	case M_RECEIVE:
		if (ud_ctrl_receive(&mdev, rxbuf, sizeof(rxbuf), rx_done))
			fail_msg("ud_ctrl_receive refused");
		return 0;
	case M_NOTSUP:
		return UD_ERR_NOTSUP;
	case M_ERROR:
		return UD_ERR_INVAL;
	case M_NONE:
		return 0;
	case M_API:
		return api_calls(s);
	case M_REPLY_COPY_LONG: /* more than the buffer holds: only min(len, wLength) counts */
		return ud_ctrl_reply_copy(&mdev, pattern, 300);
	case M_REPLY_IN_PLACE: { /* built in the core's buffer, then sent from there */
		uint8_t *buf = ud_ctrl_reply_buffer(&mdev);
		if (!buf)
			fail_msg("no reply buffer inside the callback");
		memcpy(buf, pattern + 1, reply_len);
		if (reply_len & 1u)
			return ud_ctrl_reply_copy(&mdev, buf, reply_len); /* onto itself: no copy */
		return ud_ctrl_reply(&mdev, buf, reply_len);
	}
	}
	return UD_ERR_NOTSUP;
}

int ctrl_setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	fa.control = ctrl_control;
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 3);
	memset(rxbuf, 0, sizeof(rxbuf));
	reply_len = 0;
	mode = M_REPLY;
	rx_calls = 0;
	rx_status = 1;
	rx_len = 0;
	rx_ret = 0;
	napi = 0;
	return 0;
}

/* A device with EP0 max packet mps, reset at speed. */
void up(uint8_t mps, enum ud_speed speed)
{
	ctrl_setup(NULL);
	mock_info.ep0_max_packet = mps;
	if (speed == UD_SPEED_HIGH)
		mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	mock_device_up(&fa, NULL);
	mock_bus_reset(speed);
	mock_run();
	assert_int_equal(mock.port.ep0_max_packet, mps);
	mock_clear_log();
}
