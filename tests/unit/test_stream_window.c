/* SPDX-License-Identifier: MIT */
/*
 * The kick order of endpoint streams (ud_stream.h, "Kicks"), played out step by step. The port
 * finds no room (OUT) or nothing to send (IN); before it stores `starved`, the class moves its
 * index and makes its kick check (a load of `starved`, which is still clear: no kick). The
 * port must then find the class's change when it looks again, or the endpoint stays unarmed
 * with nobody left to arm it. The explorer cannot reach this point (its moves are whole handler
 * and task runs); this program is built with UD_STREAM_WINDOW_HOOK, so the ring helpers call
 * test_stream_window() exactly there, and the test plays the class's side in it.
 *
 * Each test asserts the property, not one outcome: after the window, either the port went on
 * (a packet to arm) or the class's check saw `starved` and kicked. Without the port's second
 * look, neither happens, and each test fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "stream_fixture.h"
#include "udcore/ud_port.h"
#include "udcore/ud_stream.h"

#define RING 256u
#define MPS 64u

static uint8_t ring_buf[RING];
static uint8_t bounce[MPS];
static struct ud_ring ring;
static struct ud_stream st;

/* What the class does in the window (one of the helpers below), once; and whether its kick
 * check then saw `starved` set. */
static void (*in_window)(void);
static unsigned windows;
static bool kicked;

void test_stream_window(struct ud_stream *s)
{
	assert_ptr_equal(s, &st);
	windows++;
	void (*act)(void) = in_window;
	in_window = NULL;
	if (act) {
		act();
		/* The class's kick check (ud_ep_stream_kick()): after its store, a load of starved. */
		kicked = UD_LOAD_SC(&st.starved) != 0;
	}
}

/* Never called: no test sets `wake`. */
void ud_port_report_stream(struct ud_device *dev, uint8_t ep)
{
	(void)dev;
	(void)ep;
	fail_msg("unexpected wake");
}

static int setup(void **state)
{
	(void)state;
	stream_fixture_reset(&ring, ring_buf, RING, &st, bounce);
	in_window = NULL;
	windows = 0;
	kicked = false;
	return 0;
}

/* The class's moves, each a store of its index (or flush mark) that publishes it. */
static void write_packet(void)
{
	UD_STORE_SC(&ring.head, UD_LOAD(&ring.head) + MPS);
}

static void write_short_and_flush(void)
{
	uint32_t head = UD_LOAD(&ring.head) + 10u;
	UD_STORE_SC(&ring.head, head);
	UD_STORE_SC(&st.flush, head);
}

static void read_all(void)
{
	UD_STORE_SC(&ring.tail, UD_LOAD(&ring.head));
}

/* IN, the general case (ud_stream_in_buf() on an empty ring): a packet written in the window. */
static void test_in_buf_window(void **state)
{
	uint8_t *buf;

	(void)state;
	in_window = write_packet;
	int32_t n = ud_stream_in_buf(&st, MPS, &buf);
	assert_int_equal(windows, 1);
	assert_true(n == (int32_t)MPS || kicked);
}

/* IN, a flush in the window: 10 bytes and their flush mark. */
static void test_in_flush_window(void **state)
{
	uint8_t *buf;

	(void)state;
	in_window = write_short_and_flush;
	int32_t n = ud_stream_in_buf(&st, MPS, &buf);
	assert_int_equal(windows, 1);
	assert_true(n == 10 || kicked);
}

/* IN, the handler's inline path (ud_stream_in_step()): a whole packet went and the ring is
 * empty with no flush pending; the next packet is written in the window. */
static void test_in_step_window(void **state)
{
	uint8_t *buf;

	(void)state;
	UD_STORE(&ring.head, MPS); /* the packet the host took */
	in_window = write_packet;
	int32_t n = ud_stream_in_step(NULL, 0x81, &st, MPS, MPS, &buf);
	assert_int_equal(UD_LOAD(&ring.tail), MPS);
	assert_int_equal(windows, 1);
	assert_true(n == (int32_t)MPS || kicked);
}

/* OUT (ud_stream_out_buf() on a full ring): the reader empties it in the window. */
static void test_out_buf_window(void **state)
{
	(void)state;
	UD_STORE(&ring.head, RING); /* full */
	in_window = read_all;
	uint8_t *buf = ud_stream_out_buf(&st, MPS);
	assert_int_equal(windows, 1);
	assert_true(buf != NULL || kicked);
}

/* Control of the harness: with nothing done in the window the port stays starved, and a
 * later kick check sees it. */
static void test_nothing_in_window_stays_starved(void **state)
{
	uint8_t *buf;

	(void)state;
	assert_int_equal(ud_stream_in_buf(&st, MPS, &buf), -1);
	assert_int_equal(windows, 1);
	assert_int_not_equal(UD_LOAD_SC(&st.starved), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_in_buf_window, setup),
		cmocka_unit_test_setup(test_in_flush_window, setup),
		cmocka_unit_test_setup(test_in_step_window, setup),
		cmocka_unit_test_setup(test_out_buf_window, setup),
		cmocka_unit_test_setup(test_nothing_in_window_stays_starved, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
