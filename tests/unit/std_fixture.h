/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the chapter 9 request tests (test_std_requests.c, test_request_routing.c).
 *
 * The device: function A (mock_bind_bulk): interface 0, alt 0 = OUT 01 + IN 81, alt 1 adds
 * interrupt IN 82 and isochronous IN 83; function B (mock_bind_pair): interfaces 1 and 2, IN 84,
 * OUT 02, IN 85.
 */
#ifndef UD_TEST_STD_FIXTURE_H
#define UD_TEST_STD_FIXTURE_H

#include <stdint.h>

#include "mock_port.h"

extern struct mock_fn fa, fb;
extern struct mock_ctrl r; /* the last ctrl()'s answer */

/* The device states up() brings the device to. */
enum {
	S_DEFAULT,
	S_ADDRESS,
	S_CONFIGURED
};

/* cmocka set-up: both functions fresh, no answer recorded. */
int setup(void **state);

/* Start the device, reset the bus at @p speed and bring it to state @p st (address 5,
 * configuration 1); the log is cleared. up() is up_in() at full speed. */
void up_in(int st, enum ud_speed speed);
void up(int st);

/* One control transfer (an OUT data stage sends zeros); the answer lands in r. */
int ctrl(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t length);

/* GET_STATUS to the recipient in @p bm, which must be answered with two bytes. */
uint16_t status_of(uint8_t bm, uint16_t index);

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

#endif /* UD_TEST_STD_FIXTURE_H */
