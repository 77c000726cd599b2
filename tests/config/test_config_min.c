/* SPDX-License-Identifier: MIT */
/*
 * The core built with the optional features of ud_config.h off (UD_HIGH_SPEED 0,
 * UD_REMOTE_WAKEUP 0, UD_STRING_UTF8 0, UD_ALT_SETTINGS 0, UD_MSOS2_SIZE 0, UD_STREAMS 0; see
 * CMakeLists.txt here), driven
 * through the unit tests' mock port: a device still enumerates and runs, and every feature
 * left out gets the answer USB 2.0 prescribes and the error ud_config.h documents.
 *
 * The expectations are those of the reduced build and are not conditional on the switches:
 * the same file built against the default core (config.ignored.* in CMakeLists.txt) must fail
 * each feature's test, which shows every test notices a switch that is not honoured.
 * Usage: test_config_min [cmocka test name pattern]
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

static struct mock_fn fa, fb;
static struct mock_ctrl r;

static int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', mock_bind_bulk);
	mock_fn_init(&fb, 'B', mock_bind_pair);
	memset(&r, 0, sizeof(r));
	return 0;
}

static int get_desc(uint8_t type, uint8_t index, uint16_t length)
{
	return mock_ctrl(0x80, UD_REQ_GET_DESCRIPTOR, (uint16_t)(type << 8 | index), 0, length,
	                 NULL, &r);
}

/* One vendor interface, default setting only: bulk OUT + IN, interrupt IN (16 bytes, 10 ms). */
static int bind_plain(struct mock_fn *m, struct ud_device *dev)
{
	m->intf[0] = ud_desc_alloc_interface(dev);
	m->ep_out[0] = ud_desc_alloc_endpoint(dev, false);
	m->ep_in[0] = ud_desc_alloc_endpoint(dev, true);
	m->ep_in[1] = ud_desc_alloc_endpoint(dev, true);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)m->intf[0], 0, 3, 0xff, 0, 0, 0), 0);
	assert_int_equal(
		ud_desc_add_endpoint(dev, (uint8_t)m->ep_out[0], UD_EP_BULK, 64, 512, 0, 0), 0);
	assert_int_equal(ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[0], UD_EP_BULK, 32, 512, 0, 0),
	                 0);
	return ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[1], UD_EP_INTERRUPT, 16, 64, 10, 4);
}

/* A whole enumeration still works: descriptors, strings, configuration, data. */
static void test_enumerates(void **state)
{
	(void)state;
	fa.bind = bind_plain;
	mock_device_up(&fa, &fb, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 64), MOCK_ACK);
	assert_int_equal(r.len, 18);
	assert_int_equal(r.data[7], 64);
	assert_memory_equal(r.data + 14, "\x01\x02\x03", 3);
	assert_int_equal(get_desc(UD_DESC_CONFIGURATION, 0, 9), MOCK_ACK);
	uint16_t total = (uint16_t)(r.data[2] | r.data[3] << 8);
	assert_int_equal(total, 9 + 9 + 3 * 7 + 8 + 9 + 7 + 9 + 2 * 7);
	assert_int_equal(get_desc(UD_DESC_CONFIGURATION, 0, total), MOCK_ACK);
	assert_int_equal(r.len, total);
	assert_int_equal(r.data[4], 3); /* bNumInterfaces */
	assert_int_equal(get_desc(UD_DESC_STRING, 0, 255), MOCK_ACK);
	assert_memory_equal(r.data, "\x04\x03\x09\x04", 4);
	assert_int_equal(get_desc(UD_DESC_STRING, 2, 255), MOCK_ACK);
	assert_memory_equal(r.data, "\x0a\x03M\0o\0c\0k\0", 10);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_ADDRESS, 5, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);
	/* The endpoints open at their full-speed sizes, read from the descriptors. */
	assert_int_equal(ud_ep_max_packet(&mdev, (uint8_t)fa.ep_out[0]), 64);
	assert_int_equal(ud_ep_max_packet(&mdev, (uint8_t)fa.ep_in[0]), 32);
	assert_int_equal(ud_ep_max_packet(&mdev, (uint8_t)fa.ep_in[1]), 16);
	assert_int_equal(mock_last(MOCK_EP_OPEN, (uint8_t)fa.ep_in[1])->cfg.interval, 10);
	assert_int_equal(mock_last(MOCK_EP_OPEN, (uint8_t)fa.ep_in[1])->cfg.type, UD_EP_INTERRUPT);
	assert_int_equal(ud_ep_max_packet(&mdev, (uint8_t)fb.ep_in[0]), 8);
	assert_int_equal(mock_last(MOCK_EP_OPEN, (uint8_t)fb.ep_in[0])->cfg.interval, 16);
	/* And data flows. */
	struct ud_req q;
	uint8_t buf[64];
	mock_req_init(&q, 1, buf, sizeof(buf));
	assert_int_equal(mock_submit((uint8_t)fa.ep_out[0], &q), 0);
	mock_out_data((uint8_t)fa.ep_out[0], "hello", 5);
	mock_run();
	assert_int_equal(mock_times_done(&q), 1);
	assert_int_equal(mock_done[0].actual, 5);
}

/* UD_HIGH_SPEED 0: a full-speed-only device. */
static void test_no_high_speed(void **state)
{
	(void)state;
	/* A port that can run at high speed is refused: the core could not answer for it. */
	mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	fa.bind = bind_plain;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
	assert_int_equal(ud_device_start(&mdev), UD_ERR_NOTSUP);
	assert_false(mock.inited);
	/* On a full-speed port, the high-speed descriptors are request errors (USB 2.0 9.6.2). */
	setup(NULL);
	fa.bind = bind_plain;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(get_desc(UD_DESC_DEVICE_QUALIFIER, 0, 10), MOCK_STALL);
	assert_int_equal(get_desc(UD_DESC_OTHER_SPEED_CONFIG, 0, 255), MOCK_STALL);
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK); /* EP0 not stuck */
	/* Test modes come and go with high speed (at full speed they are refused anyway). */
	assert_int_equal(
		mock_ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_TEST_MODE, 0x0100, 0, NULL, NULL),
		MOCK_STALL);
}

/* A template on a full-speed-only build: its endpoint keeps the full-speed size, checked
 * against the port's full-speed limit only. */
static uint8_t tmpl_mps;
static int bind_template(struct mock_fn *m, struct ud_device *dev)
{
	const uint8_t d[] = {9, UD_DESC_INTERFACE, 0,    0,          1,        0xff, 0, 0, 0,
	                     7, UD_DESC_ENDPOINT,  0x81, UD_EP_BULK, tmpl_mps, 0,    0};
	const struct ud_desc_template t = {d, NULL, sizeof(d), 0};
	uint8_t addr[1];
	int rc = ud_desc_add_function(dev, &t, 0, addr);
	m->ep_in[0] = addr[0];
	return rc;
}

static void test_no_high_speed_template(void **state)
{
	(void)state;
	tmpl_mps = 65; /* over the mock port's 64 */
	fa.bind = bind_template;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), UD_ERR_INVAL);
	setup(NULL);
	tmpl_mps = 64;
	fa.bind = bind_template;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(fa.ep_in[0], 0x81);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x81)->cfg.max_packet, 64);
}

/* UD_ALT_SETTINGS 0: default settings only. */
static int bind_alt1(struct mock_fn *m, struct ud_device *dev)
{
	int rc = bind_plain(m, dev);
	assert_int_equal(rc, 0);
	return ud_desc_add_interface(dev, (uint8_t)m->intf[0], 1, 0, 0xff, 0, 0, 0);
}

static void test_no_alt_settings(void **state)
{
	(void)state;
	fa.bind = bind_alt1;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), UD_ERR_NOTSUP);
	setup(NULL);
	fa.bind = bind_plain;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	/* USB 2.0 9.4.10 lets an interface with only a default setting STALL SET_INTERFACE... */
	assert_int_equal(mock_ctrl(0x01, UD_REQ_SET_INTERFACE, 0, 0, 0, NULL, NULL), MOCK_STALL);
	assert_int_equal(mock_ctrl(0x81, UD_REQ_GET_INTERFACE, 0, 0, 1, NULL, &r), MOCK_ACK);
	assert_int_equal(r.data[0], 0);
	/* ... and hosts then reset its endpoints one by one. */
	for (unsigned i = 0; i < 2; i++) {
		uint8_t ep = (uint8_t)fa.ep_in[i];
		assert_int_equal(mock_ctrl(0x02, UD_REQ_SET_FEATURE, UD_FEATURE_ENDPOINT_HALT, ep,
		                           0, NULL, NULL),
		                 MOCK_ACK);
		assert_int_equal(mock_ctrl(0x02, UD_REQ_CLEAR_FEATURE, UD_FEATURE_ENDPOINT_HALT, ep,
		                           0, NULL, NULL),
		                 MOCK_ACK);
		assert_false(mock_stalled(ep));
	}
	assert_int_equal(fa.set_alts, 0);
}

#if UD_ALT_SETTINGS
/* More endpoint descriptors (alternate settings of one endpoint) than UD_EP_SLOTS. */
static int bind_many_endpoints(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	int intf = ud_desc_alloc_interface(dev), in = ud_desc_alloc_endpoint(dev, true);
	for (unsigned alt = 0; alt <= UD_EP_SLOTS; alt++) {
		assert_int_equal(
			ud_desc_add_interface(dev, (uint8_t)intf, (uint8_t)alt, 1, 0xff, 0, 0, 0),
			0);
		assert_int_equal(ud_desc_add_endpoint(dev, (uint8_t)in, UD_EP_INTERRUPT,
		                                      (uint16_t)(8 + alt), 0, (uint8_t)(1 + alt),
		                                      0),
		                 0);
	}
	return 0;
}

/* Alternate settings on a full-speed-only device (test_config_with_alt_settings: everything
 * else off): the endpoints of each setting open with the sizes of their descriptors, and with
 * no table of both speeds' sizes, more endpoint descriptors than UD_EP_SLOTS are fine. */
static void test_alt_settings_full_speed(void **state)
{
	(void)state;
	mock_device_up(&fa, NULL); /* mock_bind_bulk */
	mock_enumerate(UD_SPEED_FULL);
	assert_false(mock_open((uint8_t)fa.ep_in[1]));
	assert_int_equal(mock_ctrl(0x01, UD_REQ_SET_INTERFACE, 1, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(ud_ep_max_packet(&mdev, (uint8_t)fa.ep_in[1]), 16);
	assert_int_equal(mock_last(MOCK_EP_OPEN, (uint8_t)fa.ep_in[1])->cfg.interval, 10);
	assert_int_equal(mock_last(MOCK_EP_OPEN, (uint8_t)fa.ep_in[2])->cfg.type,
	                 UD_EP_ISOCHRONOUS);
	assert_int_equal(mock_ctrl(0x81, UD_REQ_GET_INTERFACE, 0, 0, 1, NULL, &r), MOCK_ACK);
	assert_int_equal(r.data[0], 1);
	assert_int_equal(mock_teardown(NULL), 0);
	setup(NULL);
	fa.bind = bind_many_endpoints;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(ud_ep_max_packet(&mdev, 0x81), 8);
	assert_int_equal(mock_ctrl(0x01, UD_REQ_SET_INTERFACE, UD_EP_SLOTS, 0, 0, NULL, NULL),
	                 MOCK_ACK);
	assert_int_equal(ud_ep_max_packet(&mdev, 0x81), 8 + UD_EP_SLOTS);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x81)->cfg.interval, 1 + UD_EP_SLOTS);
}
#endif

/* UD_REMOTE_WAKEUP 0: never announced, never enabled. */
static void test_no_remote_wakeup(void **state)
{
	(void)state;
	mock_info.attributes = UD_CONFIG_ATTR_REMOTE_WAKEUP | UD_CONFIG_ATTR_SELF_POWERED;
	fa.bind = bind_plain;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(get_desc(UD_DESC_CONFIGURATION, 0, 9), MOCK_ACK);
	assert_int_equal(r.data[7], 0xc0); /* reserved | self-powered, no remote wakeup */
	assert_int_equal(
		mock_ctrl(0x00, UD_REQ_SET_FEATURE, UD_FEATURE_REMOTE_WAKEUP, 0, 0, NULL, NULL),
		MOCK_STALL);
	assert_int_equal(
		mock_ctrl(0x00, UD_REQ_CLEAR_FEATURE, UD_FEATURE_REMOTE_WAKEUP, 0, 0, NULL, NULL),
		MOCK_STALL);
	assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_STATUS, 0, 0, 2, NULL, &r), MOCK_ACK);
	assert_int_equal(r.data[0], 1); /* self-powered only */
	mock_suspend(true);
	mock_run();
	assert_int_equal(ud_device_remote_wakeup(&mdev), UD_ERR_STATE);
	assert_int_equal(mock_count(MOCK_REMOTE_WAKEUP, MOCK_ANY_EP), 0);
}

static char changing[UD_CTRL_BUF_SIZE]; /* a string the application rewrites later */

static int bind_strings(struct mock_fn *m, struct ud_device *dev)
{
	static char longest[UD_CTRL_BUF_SIZE / 2 + 1];
	memset(longest, 'x', UD_CTRL_BUF_SIZE / 2); /* one character too long for the EP0 buffer */
	assert_int_equal(ud_desc_add_string(dev, longest), UD_ERR_NOSPACE);
	longest[UD_CTRL_BUF_SIZE / 2 - 1] = 0; /* (UD_CTRL_BUF_SIZE - 2) / 2 characters: fits */
	assert_int_equal(ud_desc_add_string(dev, "caf\xc3\xa9"), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_string(dev, "\x80"), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_string(dev, longest), 4);
	assert_int_equal(ud_desc_add_string(dev, "Tab\tEnd~"), 5);
	assert_int_equal(ud_desc_add_string(dev, changing), 6);
	return bind_plain(m, dev);
}

/* UD_STRING_UTF8 0: ASCII strings only, anything else refused when registered. */
static void test_ascii_strings(void **state)
{
	(void)state;
	mock_info.product = "Gr\xc3\xbc\xc3\x9f"; /* valid UTF-8, not ASCII */
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), UD_ERR_INVAL);
	setup(NULL);
	fa.bind = bind_strings;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(get_desc(UD_DESC_STRING, 5, 255), MOCK_ACK);
	assert_int_equal(r.len, 18);
	assert_memory_equal(r.data, "\x12\x03T\0a\0b\0\t\0E\0n\0d\0~\0", 18);
	assert_int_equal(get_desc(UD_DESC_STRING, 4, 255), MOCK_ACK);
	assert_int_equal(r.len, UD_CTRL_BUF_SIZE);
	assert_int_equal(r.data[0], UD_CTRL_BUF_SIZE);
	assert_int_equal(r.data[UD_CTRL_BUF_SIZE - 2], 'x');
	assert_int_equal(r.data[UD_CTRL_BUF_SIZE - 1], 0);
	/* A string rewritten after it was registered is checked again when asked for. */
	assert_int_equal(get_desc(UD_DESC_STRING, 6, 255), MOCK_ACK);
	assert_int_equal(r.len, 2);
	changing[0] = (char)0xe9; /* not ASCII */
	assert_int_equal(get_desc(UD_DESC_STRING, 6, 255), MOCK_STALL);
	memset(changing, 'y', sizeof(changing) - 1); /* longer than the EP0 buffer */
	assert_int_equal(get_desc(UD_DESC_STRING, 6, 255), MOCK_STALL);
	changing[0] = 0;
}

static int bind_winusb(struct mock_fn *m, struct ud_device *dev)
{
	int rc = bind_plain(m, dev);
	if (rc)
		return rc;
	assert_int_equal(ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0],
	                                      "{01234567-89ab-cdef-0123-456789abcdef}"),
	                 UD_ERR_NOTSUP);
	return 0;
}

/* UD_MSOS2_SIZE 0: USB 2.0 without a BOS. */
static void test_no_msos2(void **state)
{
	(void)state;
	fa.bind = bind_winusb;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK);
	assert_int_equal(r.data[2] | r.data[3] << 8, 0x0200);
	assert_int_equal(get_desc(UD_DESC_BOS, 0, 255), MOCK_STALL);
	assert_int_equal(mock_ctrl(0xc0, 0x20, 0, 7, 255, NULL, &r), MOCK_STALL);
}

/* UD_STREAMS 0: no endpoint streams, even on a port that has them (the mock's ep_stream is
 * set): the start answers as for a port without, the port never hears of it, and the
 * endpoint takes requests as before. */
static void test_no_streams(void **state)
{
	static uint8_t ring_buf[128], bounce[64], data[64];
	static struct ud_ring ring = {.buf = ring_buf, .size = sizeof(ring_buf)};
	struct ud_stream s = {.ring = &ring, .bounce = bounce};
	struct ud_req req;

	(void)state;
	fa.bind = bind_plain;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	uint8_t ep = (uint8_t)fa.ep_out[0];
	assert_non_null(mock.ops.ep_stream);
	assert_int_equal(ud_ep_stream_start(&mdev, ep, &s), UD_ERR_NOTSUP);
	assert_false(ud_ep_streaming(&mdev, ep));
	assert_null(mock.ep[UD_EP_INDEX(ep)].stream);
	assert_int_equal(ud_ep_stream_stop(&mdev, ep), UD_ERR_NOENT);
	mock_req_init(&req, 1, data, sizeof(data));
	assert_int_equal(mock_submit(ep, &req), 0);
	assert_true(mock_busy(ep));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		T(test_enumerates),
		T(test_no_high_speed),
		T(test_no_high_speed_template),
		T(test_no_remote_wakeup),
		T(test_ascii_strings),
		T(test_no_msos2),
		T(test_no_alt_settings),
		T(test_no_streams),
#if UD_ALT_SETTINGS
		T(test_alt_settings_full_speed),
#endif
	};
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
