/* SPDX-License-Identifier: MIT */
/*
 * CDC-ACM class requests and notifications, as a host sends them: line coding round trip,
 * DTR/RTS and SEND_BREAK callbacks, SERIAL_STATE notifications, and bad input (wrong
 * lengths, wrong fields, unknown requests, data longer or shorter than announced) which must
 * be stalled without disturbing the port.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_env.h"

#define SET 0x21u /* host to device, class, interface */
#define GET 0xa1u
#define INTF_COMM 0u
#define INTF_DATA 1u

static struct cdc_env env;

static void start(void)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, 256);
	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	cdc_env_attach(&env);
}

static int ctrl_out(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t length,
                    const uint8_t *data, uint16_t data_len)
{
	return cdc_env_control(&env, bm, req, value, index, length, data, data_len, NULL, NULL);
}

static int get_line_coding(uint8_t out[7])
{
	uint16_t len = 0;
	int st = cdc_env_control(&env, GET, UD_CDC_REQ_GET_LINE_CODING, 0, INTF_COMM, 7, NULL, 0,
	                         out, &len);
	if (st == UD_SIM_OK)
		assert_int_equal(len, 7);
	return st;
}

/* The port must still work after a refused request: a control request and an echo of data. */
static void assert_port_works(void)
{
	uint8_t lc[7], buf[64];
	uint16_t len;

	assert_int_equal(get_line_coding(lc), UD_SIM_OK);
	assert_int_equal(cdc_env_out(&env, (const uint8_t *)"ping", 4), UD_SIM_ACK);
	uint32_t n = ud_cdc_read(&env.cdc, buf, sizeof(buf));
	assert_int_equal(n, 4);
	assert_int_equal(ud_cdc_write(&env.cdc, buf, n), n);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in(&env, CDC_EP_IN, buf, &len), UD_SIM_ACK);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "ping", 4);
}

static void test_line_coding_default(void **state)
{
	uint8_t lc[7];
	const uint8_t want[7] = {0x00, 0xc2, 0x01, 0x00, 0, 0, 8}; /* 115200 8N1 */

	(void)state;
	start();
	assert_int_equal(get_line_coding(lc), UD_SIM_OK);
	assert_memory_equal(lc, want, 7);
}

/* The configuration's initial line coding, when it has one, is what the host reads first. */
static void test_line_coding_configured(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, 256);
	const uint8_t want[7] = {0x80, 0x25, 0x00, 0x00, 2, 2, 7}; /* 9600 7E2 */
	uint8_t lc[7];

	(void)state;
	cfg.line_coding = (struct ud_cdc_line_coding){9600, 2, 2, 7};
	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	cdc_env_attach(&env);
	assert_int_equal(get_line_coding(lc), UD_SIM_OK);
	assert_memory_equal(lc, want, 7);
	assert_int_equal(ud_cdc_line_coding(&env.cdc).rate, 9600);
}

static void test_line_coding_round_trip(void **state)
{
	const uint8_t set[7] = {0x40, 0x42, 0x0f, 0x00, 2, 1, 7}; /* 1000000 7O2 */
	uint8_t got[7];

	(void)state;
	start();
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 7, set, 7),
	                 UD_SIM_OK);
	assert_int_equal(env.line_codings, 1);
	assert_int_equal(env.lc.rate, 1000000);
	assert_int_equal(env.lc.stop_bits, 2);
	assert_int_equal(env.lc.parity, 1);
	assert_int_equal(env.lc.data_bits, 7);
	assert_int_equal(get_line_coding(got), UD_SIM_OK);
	assert_memory_equal(got, set, 7);
	struct ud_cdc_line_coding lc = ud_cdc_line_coding(&env.cdc);
	assert_int_equal(lc.rate, 1000000);

	/* Every legal value is taken, 16 data bits and space parity included. */
	const uint8_t set2[7] = {0x80, 0x25, 0, 0, 1, 4, 16};
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 7, set2, 7),
	                 UD_SIM_OK);
	assert_int_equal(get_line_coding(got), UD_SIM_OK);
	assert_memory_equal(got, set2, 7);
}

/* Values outside PSTN table 17 are refused and the old coding stays. */
static void test_line_coding_bad_values(void **state)
{
	static const uint8_t bad[][7] = {
		{0x80, 0x25, 0, 0, 3, 0, 8}, /* stop bits */
		{0x80, 0x25, 0, 0, 0, 5, 8}, /* parity */
		{0x80, 0x25, 0, 0, 0, 0, 4}, /* data bits */
		{0x80, 0x25, 0, 0, 0, 0, 9}, {0x80, 0x25, 0, 0, 0, 0, 17},
	};
	const uint8_t want[7] = {0x00, 0xc2, 0x01, 0x00, 0, 0, 8};
	uint8_t got[7];

	(void)state;
	start();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
			ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 7, bad[i], 7),
			UD_SIM_STALL);
	assert_int_equal(env.line_codings, 0);
	assert_int_equal(get_line_coding(got), UD_SIM_OK);
	assert_memory_equal(got, want, 7);
	assert_int_equal(ud_cdc_stats(&env.cdc).refused, 5);
	assert_port_works();
}

/* The application may refuse a coding it cannot do. */
static void test_line_coding_refused_by_app(void **state)
{
	const uint8_t set[7] = {0x00, 0x00, 0x01, 0x00, 1, 0, 8}; /* 65536, 1.5 stop bits */
	const uint8_t want[7] = {0x00, 0xc2, 0x01, 0x00, 0, 0, 8};
	uint8_t got[7];

	(void)state;
	start();
	env.lc_answer = UD_ERR_NOTSUP;
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 7, set, 7),
	                 UD_SIM_STALL);
	assert_int_equal(env.line_codings, 1);
	assert_int_equal(get_line_coding(got), UD_SIM_OK);
	assert_memory_equal(got, want, 7);
	env.lc_answer = 1; /* a positive answer is a refusal too */
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 7, set, 7),
	                 UD_SIM_STALL);
	assert_int_equal(get_line_coding(got), UD_SIM_OK);
	assert_memory_equal(got, want, 7);
}

/* Wrong wLength, data longer or shorter than announced, wrong wValue or direction. */
static void test_line_coding_wrong_length(void **state)
{
	const uint8_t data[9] = {0x80, 0x25, 0, 0, 0, 0, 8, 0xaa, 0xbb};
	uint8_t got[16];
	uint16_t len;

	(void)state;
	start();
	/* wLength 6 and 8, with that much data */
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 6, data, 6),
	                 UD_SIM_STALL);
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 8, data, 8),
	                 UD_SIM_STALL);
	/* wLength 7 but 9 bytes sent (longer than announced), or only 4 */
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 7, data, 9),
	                 UD_SIM_STALL);
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 7, data, 4),
	                 UD_SIM_STALL);
	/* wLength 0: no data stage at all */
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 0, NULL, 0),
	                 UD_SIM_STALL);
	/* wValue must be 0 */
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_LINE_CODING, 1, INTF_COMM, 7, data, 7),
	                 UD_SIM_STALL);
	/* GET with the wrong wLength or wValue */
	assert_int_equal(cdc_env_control(&env, GET, UD_CDC_REQ_GET_LINE_CODING, 0, INTF_COMM, 6,
	                                 NULL, 0, got, &len),
	                 UD_SIM_STALL);
	assert_int_equal(cdc_env_control(&env, GET, UD_CDC_REQ_GET_LINE_CODING, 0, INTF_COMM, 255,
	                                 NULL, 0, got, &len),
	                 UD_SIM_STALL);
	assert_int_equal(cdc_env_control(&env, GET, UD_CDC_REQ_GET_LINE_CODING, 2, INTF_COMM, 7,
	                                 NULL, 0, got, &len),
	                 UD_SIM_STALL);
	/* Each request in the wrong direction */
	assert_int_equal(cdc_env_control(&env, GET, UD_CDC_REQ_SET_LINE_CODING, 0, INTF_COMM, 7,
	                                 NULL, 0, got, &len),
	                 UD_SIM_STALL);
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_GET_LINE_CODING, 0, INTF_COMM, 7, data, 7),
	                 UD_SIM_STALL);
	assert_int_equal(env.line_codings, 0);
	assert_int_equal(ud_cdc_line_coding(&env.cdc).rate, 115200);
	assert_port_works();
}

static void test_control_line_state(void **state)
{
	static const uint16_t values[] = {UD_CDC_LINE_DTR, UD_CDC_LINE_DTR | UD_CDC_LINE_RTS,
	                                  UD_CDC_LINE_RTS, 0, 0};

	(void)state;
	start();
	assert_int_equal(ud_cdc_lines(&env.cdc), 0);
	for (unsigned i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_CONTROL_LINE_STATE, values[i],
		                          INTF_COMM, 0, NULL, 0),
		                 UD_SIM_OK);
		assert_int_equal(env.control_lines, i + 1); /* every request, changed or not */
		assert_int_equal(env.lines, values[i]);
		assert_int_equal(ud_cdc_lines(&env.cdc), values[i]);
	}
	/* Reserved bits, a data stage, the wrong direction: refused, state unchanged. */
	assert_int_equal(
		ctrl_out(SET, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 0x0004, INTF_COMM, 0, NULL, 0),
		UD_SIM_STALL);
	const uint8_t one = 1;
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, INTF_COMM, 1, &one, 1),
	                 UD_SIM_STALL);
	uint8_t buf[4];
	uint16_t len;
	assert_int_equal(cdc_env_control(&env, GET, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, INTF_COMM,
	                                 0, NULL, 0, buf, &len),
	                 UD_SIM_STALL);
	assert_int_equal(env.control_lines, 5);
	assert_int_equal(ud_cdc_lines(&env.cdc), 0);
	assert_port_works();
}

/* DTR clear does not hold data back: the host gets it without ever asserting DTR. */
static void test_no_drop_without_dtr(void **state)
{
	uint8_t buf[64];
	uint16_t len;

	(void)state;
	start();
	assert_int_equal(ud_cdc_lines(&env.cdc), 0);
	assert_int_equal(ud_cdc_write(&env.cdc, "abc", 3), 3);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(cdc_env_in(&env, CDC_EP_IN, buf, &len), UD_SIM_ACK);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "abc", 3);
}

static void test_send_break(void **state)
{
	(void)state;
	start();
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SEND_BREAK, 250, INTF_COMM, 0, NULL, 0),
	                 UD_SIM_OK);
	assert_int_equal(env.breaks, 1);
	assert_int_equal(env.break_ms, 250);
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SEND_BREAK, 0xffff, INTF_COMM, 0, NULL, 0),
	                 UD_SIM_OK);
	assert_int_equal(env.break_ms, 0xffff);
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SEND_BREAK, 0, INTF_COMM, 0, NULL, 0), UD_SIM_OK);
	assert_int_equal(env.breaks, 3);
	assert_int_equal(env.break_ms, 0);
	const uint8_t two[2] = {1, 2};
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SEND_BREAK, 10, INTF_COMM, 2, two, 2),
	                 UD_SIM_STALL);
	assert_int_equal(env.breaks, 3);
	assert_port_works();
}

/* Requests the class does not implement, or not addressed to its communication interface. */
static void test_unknown_requests(void **state)
{
	static const uint8_t codes[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x24, 0x30, 0x42, 0xff};
	uint8_t buf[64];
	uint16_t len;

	(void)state;
	start();
	for (unsigned i = 0; i < sizeof(codes); i++) {
		assert_int_equal(ctrl_out(SET, codes[i], 0, INTF_COMM, 0, NULL, 0), UD_SIM_STALL);
		assert_int_equal(
			cdc_env_control(&env, GET, codes[i], 0, INTF_COMM, 8, NULL, 0, buf, &len),
			UD_SIM_STALL);
	}
	/* The right requests, the wrong recipient: the data interface, wIndex with a high
	 * byte, an interface that does not exist, the endpoint or device recipient. */
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, INTF_DATA, 0, NULL, 0),
	                 UD_SIM_STALL);
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, 0x0100, 0, NULL, 0),
	                 UD_SIM_STALL);
	assert_int_equal(ctrl_out(SET, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, 7, 0, NULL, 0),
	                 UD_SIM_STALL);
	assert_int_equal(ctrl_out(0x22, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, 0x81, 0, NULL, 0),
	                 UD_SIM_STALL);
	assert_int_equal(ctrl_out(0x20, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, 0, 0, NULL, 0),
	                 UD_SIM_STALL);
	/* Vendor requests to the interface are not the class's either. */
	assert_int_equal(
		ctrl_out(0x41, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, INTF_COMM, 0, NULL, 0),
		UD_SIM_STALL);
	assert_int_equal(env.control_lines, 0);
	assert_port_works();
}

/* --- SERIAL_STATE --- */

static void expect_notification(uint16_t bits)
{
	uint8_t buf[16];
	uint16_t len = 0;
	const uint8_t want[10] = {
		0xa1, 0x20, 0, 0, INTF_COMM, 0, 2, 0, (uint8_t)bits, (uint8_t)(bits >> 8)};

	assert_int_equal(cdc_env_in(&env, CDC_EP_NOTIFY, buf, &len), UD_SIM_ACK);
	assert_int_equal(len, 10);
	assert_memory_equal(buf, want, 10);
}

static void expect_no_notification(void)
{
	assert_int_equal(cdc_env_in(&env, CDC_EP_NOTIFY, NULL, NULL), UD_SIM_NAK);
}

static void test_serial_state_levels(void **state)
{
	(void)state;
	start();
	expect_no_notification();
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_DSR), 0);
	expect_notification(0x0003);
	expect_no_notification();
	/* The same level again: nothing to say. */
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_DSR), 0);
	expect_no_notification();
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DSR), 0);
	expect_notification(0x0002);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, 0), 0);
	expect_notification(0x0000);
	expect_no_notification();
}

/* Events are sent once; levels stay. */
static void test_serial_state_events(void **state)
{
	(void)state;
	start();
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_BREAK), 0);
	expect_notification(0x0005);
	expect_no_notification();
	/* Each event bit, one at a time, with the level. */
	for (uint16_t bit = UD_CDC_SERIAL_BREAK; bit <= UD_CDC_SERIAL_OVERRUN; bit <<= 1) {
		assert_int_equal(ud_cdc_serial_state(&env.cdc, (uint16_t)(UD_CDC_SERIAL_DCD | bit)),
		                 0);
		expect_notification((uint16_t)(UD_CDC_SERIAL_DCD | bit));
	}
	/* The level did not change after the events: nothing more. */
	expect_no_notification();
	assert_int_equal(ud_cdc_serial_state(&env.cdc, 0x0080), UD_ERR_INVAL);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, 0x8000), UD_ERR_INVAL);
	assert_int_equal(ud_cdc_serial_state(NULL, 0), UD_ERR_INVAL);
	expect_no_notification();
}

/* Changes made while a notification is in flight are merged into the next one. */
static void test_serial_state_merged(void **state)
{
	(void)state;
	start();
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD), 0); /* in flight */
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_PARITY), 0);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DSR | UD_CDC_SERIAL_FRAMING),
	                 0);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DSR | UD_CDC_SERIAL_PARITY),
	                 0);
	expect_notification(UD_CDC_SERIAL_DCD);
	/* Latest level, both events (parity raised twice is one event). */
	expect_notification(UD_CDC_SERIAL_DSR | UD_CDC_SERIAL_FRAMING | UD_CDC_SERIAL_PARITY);
	expect_no_notification();
}

/* The same from another context: the USB thread polls while the notification is in flight,
 * and the events raised meanwhile must wait for the next one, not vanish. */
static void test_serial_state_merged_other_context(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, 256);

	(void)state;
	cfg.context = UD_CDC_CTX_OTHER;
	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	cdc_env_attach(&env);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD), 0);
	expect_no_notification(); /* nothing until the USB thread polls */
	ud_cdc_poll(&env.cdc);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_OVERRUN),
	                 0);
	ud_cdc_poll(&env.cdc); /* busy: must keep the event */
	expect_notification(UD_CDC_SERIAL_DCD);
	expect_notification(UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_OVERRUN);
	expect_no_notification();
}

/* A notification cut off before the host read it (SET_INTERFACE re-opens the endpoint, a bus
 * reset ends the session) is not lost: its level and events are sent again. */
static void test_serial_state_cut_off(void **state)
{
	(void)state;
	start();
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_BREAK), 0);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_PARITY),
	                 0); /* waits behind the first */
	assert_int_equal(cdc_env_control(&env, 0x01, UD_REQ_SET_INTERFACE, 0, INTF_COMM, 0, NULL, 0,
	                                 NULL, NULL),
	                 UD_SIM_OK);
	expect_notification(UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_BREAK | UD_CDC_SERIAL_PARITY);
	expect_no_notification();

	/* The level alone, cut off: sent again even though it is the last one "sent". */
	assert_int_equal(ud_cdc_serial_state(&env.cdc, 0), 0);
	assert_int_equal(cdc_env_control(&env, 0x01, UD_REQ_SET_INTERFACE, 0, INTF_COMM, 0, NULL, 0,
	                                 NULL, NULL),
	                 UD_SIM_OK);
	expect_notification(0);
	expect_no_notification();

	/* Across a bus reset: the new session's first notification has the event. */
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_OVERRUN), 0);
	cdc_env_attach(&env);
	assert_int_equal(env.first_state, UD_CDC_SERIAL_OVERRUN);
	expect_no_notification();
	/* Notifications cut off by the host are not controller failures. */
	assert_int_equal(ud_cdc_stats(&env.cdc).io_errors, 0);
}

/* Raised before the host configured the device: sent once it has. */
static void test_serial_state_before_configuration(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, 256);

	(void)state;
	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_RING), 0);
	cdc_env_attach(&env);
	assert_int_equal(env.first_state, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_RING);
	expect_no_notification();
	/* A new session (bus reset): the host forgot the level, so it is sent again. */
	cdc_env_attach(&env);
	assert_int_equal(env.first_state, UD_CDC_SERIAL_DCD);
	expect_no_notification();
}

/* Every configuration sends the levels, also when they are 0: a host that kept its view
 * across the reset (Linux's reset-resume keeps the tty's last SERIAL_STATE) learns that the
 * carrier dropped meanwhile. */
static void test_serial_state_zero_level_after_reset(void **state)
{
	(void)state;
	start();
	assert_int_equal(env.first_state, 0);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_DSR), 0);
	expect_notification(UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_DSR);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, 0), 0); /* dropped, and the bus resets: */
	cdc_env_attach(&env); /* enumeration; reads the new session's first notification */
	assert_int_equal(env.first_state, 0);
	expect_no_notification();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_coding_default),
		cmocka_unit_test(test_line_coding_configured),
		cmocka_unit_test(test_line_coding_round_trip),
		cmocka_unit_test(test_line_coding_bad_values),
		cmocka_unit_test(test_line_coding_refused_by_app),
		cmocka_unit_test(test_line_coding_wrong_length),
		cmocka_unit_test(test_control_line_state),
		cmocka_unit_test(test_no_drop_without_dtr),
		cmocka_unit_test(test_send_break),
		cmocka_unit_test(test_unknown_requests),
		cmocka_unit_test(test_serial_state_levels),
		cmocka_unit_test(test_serial_state_events),
		cmocka_unit_test(test_serial_state_zero_level_after_reset),
		cmocka_unit_test(test_serial_state_merged),
		cmocka_unit_test(test_serial_state_merged_other_context),
		cmocka_unit_test(test_serial_state_cut_off),
		cmocka_unit_test(test_serial_state_before_configuration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
