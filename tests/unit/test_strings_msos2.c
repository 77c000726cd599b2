/* SPDX-License-Identifier: MIT */
/*
 * String descriptors (strings.c: UTF-8 to UTF-16LE, strict) and the BOS / Microsoft OS 2.0
 * descriptor set (msos2.c), checked through GET_DESCRIPTOR and the vendor request a host sends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

#define GUID "{CDB3B5AD-293B-4663-AA36-1AAE46463776}"
#define GUID2 "{0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d}"

static struct mock_fn fa, fb;
static struct mock_ctrl r;
static const char *strings[8]; /* bind_strings registers these */
static int string_rc[8];

static int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', NULL);
	mock_fn_init(&fb, 'B', NULL);
	memset(&r, 0, sizeof(r));
	memset(strings, 0, sizeof(strings));
	return 0;
}

static int get_desc(uint8_t type, uint8_t index, uint16_t length)
{
	return mock_ctrl(0x80, UD_REQ_GET_DESCRIPTOR, (uint16_t)(type << 8 | index), 0x0409, length,
	                 NULL, &r);
}

static int bind_one(struct mock_fn *m, struct ud_device *dev)
{
	m->intf[0] = ud_desc_alloc_interface(dev);
	m->ep_in[0] = ud_desc_alloc_endpoint(dev, true);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)m->intf[0], 0, 1, 0xff, 0, 0, 0), 0);
	return ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[0], UD_EP_BULK, 64, 512, 0, 0);
}

static int bind_strings(struct mock_fn *m, struct ud_device *dev)
{
	for (unsigned i = 0; i < 8 && strings[i]; i++)
		string_rc[i] = ud_desc_add_string(dev, strings[i]);
	return bind_one(m, dev);
}

static void up_with_strings(void)
{
	fa.bind = bind_strings;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
}

/* ---- strings ---- */

static void test_language_ids(void **state)
{
	(void)state;
	up_with_strings();
	assert_int_equal(get_desc(UD_DESC_STRING, 0, 255), MOCK_ACK);
	assert_int_equal(r.len, 4);
	assert_memory_equal(r.data, "\x04\x03\x09\x04", 4);
	assert_int_equal(mock_teardown(NULL), 0);
	setup(NULL);
	mock_info.langid = 0x0407;
	up_with_strings();
	assert_int_equal(get_desc(UD_DESC_STRING, 0, 255), MOCK_ACK);
	assert_memory_equal(r.data, "\x04\x03\x07\x04", 4);
}

static void test_ascii_strings(void **state)
{
	(void)state;
	up_with_strings();
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK);
	assert_memory_equal(r.data + 14, "\x01\x02\x03", 3);
	assert_int_equal(get_desc(UD_DESC_STRING, 1, 255), MOCK_ACK);
	assert_int_equal(r.len, 14);
	assert_memory_equal(r.data, "\x0e\x03u\0d\0c\0o\0r\0e\0", 14);
	assert_int_equal(get_desc(UD_DESC_STRING, 2, 255), MOCK_ACK);
	assert_memory_equal(r.data, "\x0a\x03M\0o\0c\0k\0", 10);
	assert_int_equal(get_desc(UD_DESC_STRING, 3, 255), MOCK_ACK);
	assert_memory_equal(r.data,
	                    "\x0a\x03"
	                    "0\0"
	                    "0\0"
	                    "0\0"
	                    "1\0",
	                    10);
	/* A short read gets the start; bLength still tells the whole size. */
	assert_int_equal(get_desc(UD_DESC_STRING, 1, 2), MOCK_ACK);
	assert_int_equal(r.len, 2);
	assert_int_equal(r.data[0], 14);
	/* Past the table. */
	assert_int_equal(get_desc(UD_DESC_STRING, 4, 255), MOCK_STALL);
	assert_int_equal(get_desc(UD_DESC_STRING, 0xff, 255), MOCK_STALL);
}

static void test_no_strings(void **state)
{
	(void)state;
	mock_info.manufacturer = NULL;
	mock_info.product = NULL;
	mock_info.serial = NULL;
	up_with_strings();
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK);
	assert_memory_equal(r.data + 14, "\x00\x00\x00", 3);
	assert_int_equal(get_desc(UD_DESC_STRING, 1, 255), MOCK_STALL);
}

static void want_string(uint8_t index, const uint8_t *utf16, unsigned n)
{
	assert_int_equal(get_desc(UD_DESC_STRING, index, 255), MOCK_ACK);
	assert_int_equal(r.len, n + 2);
	assert_int_equal(r.data[0], n + 2);
	assert_int_equal(r.data[1], UD_DESC_STRING);
	assert_memory_equal(r.data + 2, utf16, n);
}

static void test_utf8_sequences(void **state)
{
	(void)state;
	strings[0] = "\xc3\xa9";         /* U+00E9, 2 bytes */
	strings[1] = "\xe2\x82\xac";     /* U+20AC, 3 bytes */
	strings[2] = "\xf0\x9f\x98\x80"; /* U+1F600, 4 bytes: a surrogate pair */
	strings[3] = "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf"; /* 80, 7FF, 800, FFFF */
	strings[4] = "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf";         /* 10000, 10FFFF */
	strings[5] = "A\xc3\xa9"
		     "B\xf0\x9f\x98\x80"
		     "C";
	up_with_strings();
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(string_rc[i], 4 + (int)i);
	want_string(4, (const uint8_t *)"\xe9\x00", 2);
	want_string(5, (const uint8_t *)"\xac\x20", 2);
	want_string(6, (const uint8_t *)"\x3d\xd8\x00\xde", 4);
	want_string(7, (const uint8_t *)"\x80\x00\xff\x07\x00\x08\xff\xff", 8);
	want_string(8, (const uint8_t *)"\x00\xd8\x00\xdc\xff\xdb\xff\xdf", 8);
	want_string(9,
	            (const uint8_t *)"A\0\xe9\0B\0\x3d\xd8\x00\xde"
	                             "C\0",
	            12);
}

static int bind_invalid(struct mock_fn *m, struct ud_device *dev)
{
	static const char *const bad[] = {
		"\xc0\xaf",             /* overlong '/' */
		"\xc1\xbf",             /* overlong */
		"\xe0\x80\xaf",         /* overlong, 3 bytes */
		"\xe0\x9f\xbf",         /* overlong U+07FF */
		"\xf0\x80\x80\xaf",     /* overlong, 4 bytes */
		"\xf0\x8f\xbf\xbf",     /* overlong U+FFFF */
		"\xed\xa0\x80",         /* U+D800, a surrogate */
		"\xed\xbf\xbf",         /* U+DFFF */
		"\xf4\x90\x80\x80",     /* U+110000 */
		"\xf7\xbf\xbf\xbf",     /* past U+10FFFF */
		"\xf8\x88\x80\x80\x80", /* 5-byte form */
		"\xfc\x84\x80\x80\x80\x80",
		"\xff",
		"\x80",   /* lone continuation */
		"ab\xc3", /* truncated at the end */
		"\xe2\x82",
		"\xf0\x9f\x98",
		"\xe2\x82\x41", /* continuation missing */
		"\xc3\xa9\xa9", /* one continuation too many */
	};
	(void)m;
	assert_int_equal(ud_desc_add_string(dev, NULL), UD_ERR_INVAL);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ud_desc_add_string(dev, bad[i]) != UD_ERR_INVAL)
			fail_msg("invalid UTF-8 #%u accepted", i);
	assert_int_equal(ud_desc_add_string(dev, "ok"), 4); /* nothing was registered */
	return bind_one(m, dev);
}

static void test_invalid_utf8_rejected(void **state)
{
	(void)state;
	fa.bind = bind_invalid;
	mock_device_up(&fa, NULL);
	assert_int_equal(mock_teardown(NULL), 0);
	/* Also the device's own strings. */
	setup(NULL);
	mock_info.product = "bad \xed\xa0\x80";
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), UD_ERR_INVAL);
}

static char long_a[40001];
static char long_emoji[33 * 4 + 1];

static void test_string_length_limits(void **state)
{
	(void)state;
	/* UD_CTRL_BUF_SIZE 128: 63 UTF-16 units fit (2 + 126 bytes), 64 do not. */
	assert_int_equal(UD_CTRL_BUF_SIZE, 128);
	static char a63[64], a64[65];
	memset(a63, 'a', 63);
	memset(a64, 'a', 64);
	for (unsigned i = 0; i < 33; i++)
		memcpy(long_emoji + 4 * i, "\xf0\x9f\x98\x80", 4);
	memset(long_a, 'x', sizeof(long_a) - 1);
	strings[0] = a63;
	strings[1] = a64;
	strings[2] = long_emoji + 4;     /* 32 pairs: 128 bytes + 2 */
	strings[3] = long_emoji + 4 * 2; /* 31 pairs: 124 + 2 */
	strings[4] = long_a;
	up_with_strings();
	assert_int_equal(string_rc[0], 4);
	assert_int_equal(string_rc[1], UD_ERR_NOSPACE);
	assert_int_equal(string_rc[2], UD_ERR_NOSPACE);
	assert_int_equal(string_rc[3], 5);
	assert_int_equal(get_desc(UD_DESC_STRING, 4, 255), MOCK_ACK);
	assert_int_equal(r.len, 128);
	assert_int_equal(r.data[0], 128);
	assert_int_equal(r.data[127], 0);
	assert_int_equal(r.data[126], 'a');
	assert_int_equal(get_desc(UD_DESC_STRING, 5, 255), MOCK_ACK);
	assert_int_equal(r.len, 126);
	/* A string far too long is "too long" (NOSPACE), not "invalid". */
	assert_int_equal(string_rc[4], UD_ERR_NOSPACE);
}

/* ---- Microsoft OS 2.0 ---- */

static int bind_winusb(struct mock_fn *m, struct ud_device *dev)
{
	assert_int_equal(bind_one(m, dev), 0);
	return ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0], m->ctx ? (const char *)m->ctx : GUID);
}

static int bind_pair_winusb_second(struct mock_fn *m, struct ud_device *dev)
{
	assert_int_equal(mock_bind_pair(m, dev), 0);
	return ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0], GUID2);
}

static unsigned put_wide(uint8_t *p, const char *s)
{
	unsigned n = 0;
	for (; *s; s++, n += 2) {
		p[n] = (uint8_t)*s;
		p[n + 1] = 0;
	}
	return n;
}

/* The features every WinUSB function gets: compatible ID and DeviceInterfaceGUIDs. */
static unsigned features(uint8_t *p, const char *guid)
{
	memset(p, 0, 152);
	memcpy(p, "\x14\x00\x03\x00WINUSB", 10);
	p += 20;
	memcpy(p, "\x84\x00\x04\x00\x07\x00\x2a\x00", 8);
	put_wide(p + 8, "DeviceInterfaceGUIDs"); /* + its NUL, zeroed */
	memcpy(p + 50, "\x50\x00", 2);
	put_wide(p + 52, guid); /* + NUL + list NUL, zeroed */
	return 152;
}

static const uint8_t bos_head[5] = {5, 0x0f, 33, 0, 1};
static const uint8_t platform_uuid[16] = {0xdf, 0x60, 0xdd, 0xd8, 0x89, 0x45, 0xc7, 0x4c,
                                          0x9c, 0xd2, 0x65, 0x9d, 0x9e, 0x64, 0x8a, 0x9f};

static void expect_bos(uint16_t set_len)
{
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK);
	assert_int_equal(r.data[2] | r.data[3] << 8, 0x0201);
	assert_int_equal(get_desc(UD_DESC_BOS, 0, 5), MOCK_ACK);
	assert_int_equal(r.len, 5);
	assert_memory_equal(r.data, bos_head, 5);
	assert_int_equal(get_desc(UD_DESC_BOS, 0, 255), MOCK_ACK);
	assert_int_equal(r.len, 33);
	assert_memory_equal(r.data, bos_head, 5);
	assert_memory_equal(r.data + 5, "\x1c\x10\x05\x00", 4);
	assert_memory_equal(r.data + 9, platform_uuid, 16);
	assert_memory_equal(r.data + 25, "\x00\x00\x03\x06", 4); /* Windows 8.1 */
	assert_int_equal(r.data[29] | r.data[30] << 8, set_len);
	assert_int_equal(r.data[31], UD_MSOS2_VENDOR_CODE);
	assert_int_equal(r.data[32], 0);
	assert_int_equal(get_desc(UD_DESC_BOS, 1, 255), MOCK_STALL);
}

static int get_set(uint16_t windex, uint16_t length)
{
	return mock_ctrl(0xc0, UD_MSOS2_VENDOR_CODE, 0, windex, length, NULL, &r);
}

static void test_msos2_single_interface(void **state)
{
	(void)state;
	fa.bind = bind_winusb;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	expect_bos(162);
	uint8_t want[162];
	memcpy(want, "\x0a\x00\x00\x00\x00\x00\x03\x06\xa2\x00", 10);
	features(want + 10, GUID);
	assert_int_equal(get_set(7, 1024), MOCK_ACK);
	assert_int_equal(r.len, 162);
	assert_memory_equal(r.data, want, 162);
	assert_int_equal(get_set(7, 10), MOCK_ACK); /* header only */
	assert_int_equal(r.len, 10);
	/* Only wIndex 7, only IN, only wValue 0. */
	assert_int_equal(get_set(4, 1024), MOCK_STALL);
	assert_int_equal(get_set(0, 1024), MOCK_STALL);
	assert_int_equal(mock_ctrl(0x40, UD_MSOS2_VENDOR_CODE, 0, 7, 0, NULL, &r), MOCK_STALL);
	assert_int_equal(mock_ctrl(0xc0, UD_MSOS2_VENDOR_CODE, 1, 7, 255, NULL, &r), MOCK_STALL);
	assert_int_equal(fa.controls, 0); /* the core's, never the function's */
	/* Another vendor code is not the core's: offered to the function. */
	assert_int_equal(mock_ctrl(0xc0, UD_MSOS2_VENDOR_CODE + 1, 0, 7, 8, NULL, &r), MOCK_STALL);
	assert_int_equal(fa.controls, 1);
	/* So is the core's code sent to an interface: the request is the interface's function's. */
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(mock_ctrl(0xc1, UD_MSOS2_VENDOR_CODE, 0, 0, 8, NULL, &r), MOCK_STALL);
	assert_int_equal(fa.controls, 2);
	assert_int_equal(fa.setup.bRequest, UD_MSOS2_VENDOR_CODE);
}

/* Walk a composite set: every wLength and subset length adds up. */
static void check_composite(const uint8_t *p, unsigned total, uint8_t first_intf, const char *guid)
{
	assert_int_equal(p[0] | p[1] << 8, 10);
	assert_int_equal(p[2] | p[3] << 8, 0);
	assert_int_equal(p[8] | p[9] << 8, total);
	p += 10;
	assert_memory_equal(p, "\x08\x00\x01\x00\x00\x00", 6); /* configuration subset */
	assert_int_equal(p[6] | p[7] << 8, total - 10);
	p += 8;
	assert_memory_equal(p, "\x08\x00\x02\x00", 4); /* function subset */
	assert_int_equal(p[4], first_intf);
	assert_int_equal(p[6] | p[7] << 8, 8 + 152);
	p += 8;
	uint8_t want[152];
	features(want, guid);
	assert_memory_equal(p, want, 152);
	unsigned sum = 10 + 8 + 8 + (p[0] | p[1] << 8) + (p[20] | p[21] << 8);
	assert_int_equal(sum, total);
}

static void test_msos2_composite(void **state)
{
	(void)state;
	fa.bind = bind_winusb;
	fb.bind = mock_bind_pair;
	mock_device_up(&fa, &fb, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	expect_bos(178);
	assert_int_equal(get_set(7, 1024), MOCK_ACK);
	assert_int_equal(r.len, 178);
	check_composite(r.data, 178, 0, GUID);
}

/* WinUSB on a function whose first interface is not 0. */
static void test_msos2_composite_later_function(void **state)
{
	(void)state;
	fa.bind = bind_one;
	fb.bind = bind_pair_winusb_second;
	mock_device_up(&fa, &fb, NULL);
	mock_bus_reset(UD_SPEED_HIGH);
	mock_run();
	expect_bos(178);
	assert_int_equal(get_set(7, 1024), MOCK_ACK);
	check_composite(r.data, 178, 1, GUID2);
}

/* Composite is what Windows loads its composite driver for: several interfaces, and a device
 * class of 0 or EF/02/01. A vendor-class device is one function, whatever its interfaces:
 * its set has no subsets. */
static void test_msos2_composite_by_device_class(void **state)
{
	static const uint8_t cls[][3] = {
		{0xef, 0x02, 0x01}, {0xff, 0x00, 0x00}, {0xef, 0x02, 0x00}};
	static const uint16_t len[] = {178, 162, 162};
	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		if (i) {
			assert_int_equal(mock_teardown(NULL), 0);
			setup(NULL);
		}
		mock_info.device_class = cls[i][0];
		mock_info.device_subclass = cls[i][1];
		mock_info.device_protocol = cls[i][2];
		fa.bind = bind_winusb;
		fb.bind = mock_bind_pair;
		mock_device_up(&fa, &fb, NULL);
		mock_bus_reset(UD_SPEED_FULL);
		mock_run();
		expect_bos(len[i]);
		assert_int_equal(get_set(7, 1024), MOCK_ACK);
		assert_int_equal(r.len, len[i]);
		if (len[i] == 178)
			check_composite(r.data, 178, 0, GUID);
		else
			assert_int_equal(r.data[10] | r.data[11] << 8,
			                 20); /* compatible ID first */
	}
}

static int bind_null_guid(struct mock_fn *m, struct ud_device *dev)
{
	assert_int_equal(bind_one(m, dev), 0);
	return ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0], NULL);
}

static void test_msos2_malformed_guid(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"CDB3B5AD-293B-4663-AA36-1AAE46463776",
		"{CDB3B5AD-293B-4663-AA36-1AAE4646377}",
		"{CDB3B5AD-293B-4663-AA36-1AAE464637766}",
		"(CDB3B5AD-293B-4663-AA36-1AAE46463776)",
		"{CDB3B5AD+293B-4663-AA36-1AAE46463776}",
		"{CDB3B5AD-293B-4663-AA36-1AAE4646377G}",
		"{CDB3B5AD2-93B-4663-AA36-1AAE46463776}",
		"{CDB3B5AD-293B-4663-AA36-1AAE46463776}x",
		"{CDB3B5AD-293B-4663-AA3 -1AAE46463776}",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup(NULL);
		fa.bind = bind_winusb;
		fa.ctx = (void *)(uintptr_t)bad[i];
		assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
		if (ud_device_add_function(&mdev, &fa.fn) != UD_ERR_INVAL)
			fail_msg("GUID #%u accepted", i);
	}
	setup(NULL);
	fa.bind = bind_null_guid;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), UD_ERR_INVAL);
	/* Lower-case hex is fine. */
	setup(NULL);
	fa.bind = bind_winusb;
	fa.ctx = (void *)(uintptr_t)GUID2;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
}

/* Composite WinUSB functions need 10 + 8 + n * 160 bytes; with the default UD_MSOS2_SIZE (384)
 * two fit and three do not: refused with UD_ERR_NOSPACE, by ud_desc_msos2_winusb() (ud_desc.h)
 * or at the latest by ud_device_start() (ud_device.h), and never written past the buffer. */
static int winusb_rc;
static struct mock_fn fc;

static int bind_winusb_keep_rc(struct mock_fn *m, struct ud_device *dev)
{
	assert_int_equal(bind_one(m, dev), 0);
	winusb_rc = ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0], GUID2);
	return 0;
}

static void test_msos2_set_too_big(void **state)
{
	(void)state;
	assert_int_equal(UD_MSOS2_SIZE, 384);
	/* Two fit. */
	fa.bind = bind_winusb;
	fb.bind = bind_winusb;
	fb.ctx = (void *)(uintptr_t)GUID2;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fb.fn), 0);
	assert_int_equal(ud_device_start(&mdev), 0);
	ud_device_stop(&mdev);
	/* Three do not. */
	mock_fn_init(&fc, 'C', bind_winusb_keep_rc);
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fb.fn), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fc.fn), 0);
	unsigned connects = mock_count(MOCK_CONNECT, MOCK_ANY_EP);
	if (winusb_rc == UD_ERR_NOSPACE) {
		assert_int_equal(ud_device_start(&mdev), 0);
	} else {
		assert_int_equal(winusb_rc, 0);
		assert_int_equal(ud_device_start(&mdev), UD_ERR_NOSPACE);
		assert_int_equal(mock_count(MOCK_CONNECT, MOCK_ANY_EP), connects);
	}
}

/* The table of WinUSB sections holds UD_MAX_FUNCTIONS entries, whoever adds them: the next one
 * is NOSPACE, even from one function. (Whether such a set can start is another matter: a
 * one-interface device with two sections cannot, test_msos2_single_interface_one_section.) */
static int bind_winusb_repeat(struct mock_fn *m, struct ud_device *dev)
{
	assert_int_equal(bind_one(m, dev), 0);
	for (unsigned i = 0; i < UD_MAX_FUNCTIONS; i++)
		assert_int_equal(ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0], GUID), 0);
	assert_int_equal(ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0], GUID), UD_ERR_NOSPACE);
	return 0;
}

static void test_msos2_table_full(void **state)
{
	(void)state;
	fa.bind = bind_winusb_repeat;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
}

/* The interface must be one of the function's own: the number after its last is not, even
 * when no function has it yet. */
static int bind_winusb_next_intf(struct mock_fn *m, struct ud_device *dev)
{
	assert_int_equal(bind_one(m, dev), 0);
	assert_int_equal(ud_desc_msos2_winusb(dev, (uint8_t)(m->intf[0] + 1), GUID), UD_ERR_INVAL);
	return 0;
}

static void test_msos2_interface_not_its_own(void **state)
{
	(void)state;
	fa.bind = bind_winusb_next_intf;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
}

/* A device of one interface has no function subsets, so only one WinUSB section fits its set,
 * although two would fit UD_MSOS2_SIZE: the second is refused when the device starts. */
static int bind_winusb_twice(struct mock_fn *m, struct ud_device *dev)
{
	assert_int_equal(bind_one(m, dev), 0);
	assert_int_equal(ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0], GUID), 0);
	return ud_desc_msos2_winusb(dev, (uint8_t)m->intf[0], GUID2);
}

static void test_msos2_single_interface_one_section(void **state)
{
	(void)state;
	fa.bind = bind_winusb_twice;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
	assert_int_equal(ud_device_start(&mdev), UD_ERR_NOSPACE);
	assert_int_equal(mock_count(MOCK_CONNECT, MOCK_ANY_EP), 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_language_ids),
		T(test_ascii_strings),
		T(test_no_strings),
		T(test_utf8_sequences),
		T(test_invalid_utf8_rejected),
		T(test_string_length_limits),
		T(test_msos2_single_interface),
		T(test_msos2_composite),
		T(test_msos2_composite_later_function),
		T(test_msos2_composite_by_device_class),
		T(test_msos2_malformed_guid),
		T(test_msos2_set_too_big),
		T(test_msos2_table_full),
		T(test_msos2_interface_not_its_own),
		T(test_msos2_single_interface_one_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
