/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the EP0 control engine tests (test_control*.c): a mock function 'A' that
 * answers vendor requests to the device (0xc0 / 0x40, bRequest REQ), which the core offers to
 * functions in every state, in the way `mode` says.
 */
#ifndef UD_TEST_CONTROL_FIXTURE_H
#define UD_TEST_CONTROL_FIXTURE_H

#include "mock_port.h"

#define V_IN 0xc0u
#define V_OUT 0x40u
#define REQ 0x42u

/* How function A answers REQ (ctrl_control). */
enum mode {
	M_REPLY,
	M_REPLY_COPY_STACK,
	M_RECEIVE,
	M_NOTSUP,
	M_ERROR,
	M_NONE,
	M_API,
	M_REPLY_COPY_LONG,
	M_REPLY_IN_PLACE
};

extern struct mock_fn fa;
extern uint8_t pattern[1024]; /* what A replies (M_REPLY: its first reply_len bytes) */
extern uint16_t reply_len;
extern enum mode mode;

/* M_RECEIVE: the OUT data stage lands in rxbuf; rx_done records each call and returns rx_ret. */
extern uint8_t rxbuf[1024];
extern unsigned rx_calls;
extern int rx_status;
extern uint16_t rx_len;
extern int rx_ret;

/* M_API: the return codes seen inside the callback. */
extern int api[16];
extern unsigned napi;

int rx_done(struct ud_function *fn, const struct ud_setup *s, uint8_t *buf, uint16_t len,
            int status);

/* A's `control`: answers REQ as `mode` says, refuses anything else. */
int ctrl_control(struct mock_fn *m, const struct ud_setup *s);

/* cmocka set-up of every control test (mock_teardown is the teardown). */
int ctrl_setup(void **state);

/* A device with EP0 max packet @p mps, reset at @p speed; the mock's log cleared. */
void up(uint8_t mps, enum ud_speed speed);

#define CTRL_T(f) cmocka_unit_test_setup_teardown(f, ctrl_setup, mock_teardown)

#endif /* UD_TEST_CONTROL_FIXTURE_H */
