/* SPDX-License-Identifier: MIT */
/*
 * Descriptor templates (ud_desc_add_function()): a function bound from a template gets the
 * same configuration, at both speeds, as the same function bound call by call (whose builder
 * test_descriptors.c checks byte for byte), the numbers it reports are the allocated ones, and
 * every error code of ud_desc.h.
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
	mock_fn_init(&fa, 'A', NULL);
	mock_fn_init(&fb, 'B', NULL);
	memset(&r, 0, sizeof(r));
	return 0;
}

/* Function A, bound first so that B's numbers do not start at 0: interface 0, EP1 OUT, EP1 IN. */
static int bind_a(struct mock_fn *m, struct ud_device *dev)
{
	m->intf[0] = ud_desc_alloc_interface(dev);
	m->ep_out[0] = ud_desc_alloc_endpoint(dev, false);
	m->ep_in[0] = ud_desc_alloc_endpoint(dev, true);
	uint8_t e[2] = {(uint8_t)m->ep_out[0], (uint8_t)m->ep_in[0]};
	int rc = ud_desc_add_interface(dev, (uint8_t)m->intf[0], 0, 2, 0xff, 0, 0, 0);
	for (unsigned i = 0; i < 2 && rc == 0; i++)
		rc = ud_desc_add_endpoint(dev, e[i], UD_EP_BULK, 64, 512, 0, 0);
	return rc;
}

/* Function B: an IAD, a communication-like interface with a union descriptor naming both
 * interfaces and an interrupt IN (8 bytes, 10 ms), a data interface with bulk OUT, bulk IN and
 * an isochronous IN (64 bytes, every frame). Its string names the IAD and the first interface. */
/* clang-format off */
static const uint8_t b_desc[] = {
	8, UD_DESC_IAD, 0, 2, 0x02, 0x02, 0x01, 1,
	9, UD_DESC_INTERFACE, 0, 0, 1, 0x02, 0x02, 0x01, 1,
	5, 0x24, 0x06, 0, 1,
	7, UD_DESC_ENDPOINT, 0x81, UD_EP_INTERRUPT, 8, 0, 10,
	9, UD_DESC_INTERFACE, 1, 0, 3, 0x0a, 0, 0, 0,
	7, UD_DESC_ENDPOINT, 0x02, UD_EP_BULK, 64, 0, 0,
	7, UD_DESC_ENDPOINT, 0x83, UD_EP_BULK, 64, 0, 0,
	7, UD_DESC_ENDPOINT, 0x84, UD_EP_ISOCHRONOUS, 64, 0, 1,
};
/* clang-format on */
static const uint8_t b_refs[] = {8 + 9 + 3, 8 + 9 + 4};
static const struct ud_desc_template b_template = {b_desc, b_refs, sizeof(b_desc), 2};

static int b_string(struct ud_device *dev)
{
	return ud_desc_add_string(dev, "function B");
}

static int bind_b_template(struct mock_fn *m, struct ud_device *dev)
{
	uint8_t addr[4];
	int istr = b_string(dev);
	int rc = ud_desc_add_function(dev, &b_template, (uint8_t)istr, addr);
	m->intf[0] = m->fn.first_interface;
	m->ep_in[0] = addr[0];
	m->ep_out[0] = addr[1];
	m->ep_in[1] = addr[2];
	m->ep_in[2] = addr[3];
	return rc;
}

/* The same function call by call, with the high-speed values the template rules give: bulk
 * 512; interrupt 8 bytes at 2^(7-1) microframes = 8 ms (the longest within 10 ms);
 * isochronous every 2^(4-1) microframes = 1 frame. */
static int bind_b_calls(struct mock_fn *m, struct ud_device *dev)
{
	int istr = b_string(dev);
	int rc = ud_desc_function_begin(dev, 0x02, 0x02, 0x01, (uint8_t)istr);
	m->intf[0] = ud_desc_alloc_interface(dev);
	m->intf[1] = ud_desc_alloc_interface(dev);
	m->ep_in[0] = ud_desc_alloc_endpoint(dev, true);
	m->ep_out[0] = ud_desc_alloc_endpoint(dev, false);
	m->ep_in[1] = ud_desc_alloc_endpoint(dev, true);
	m->ep_in[2] = ud_desc_alloc_endpoint(dev, true);
	const uint8_t un[5] = {5, 0x24, 0x06, (uint8_t)m->intf[0], (uint8_t)m->intf[1]};
	if (rc == 0)
		rc = ud_desc_add_interface(dev, (uint8_t)m->intf[0], 0, 1, 0x02, 0x02, 0x01,
		                           (uint8_t)istr);
	if (rc == 0)
		rc = ud_desc_append(dev, un, sizeof(un));
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[0], UD_EP_INTERRUPT, 8, 8, 10, 7);
	if (rc == 0)
		rc = ud_desc_add_interface(dev, (uint8_t)m->intf[1], 0, 3, 0x0a, 0, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, (uint8_t)m->ep_out[0], UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[1], UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[2], UD_EP_ISOCHRONOUS, 64, 64, 1,
		                          4);
	return rc == 0 ? ud_desc_function_end(dev) : rc;
}

struct seen {
	uint8_t desc[3][512]; /* configuration, other-speed configuration, device */
	uint16_t len[3];
	int numbers[5]; /* B's first interface, interrupt IN, bulk OUT, bulk IN, isochronous IN */
};

/* Bring up A and B (B bound by @p bind) on a dual-speed port at @p speed and read back what
 * the host would. */
static void bring_up(mock_bind_fn bind, enum ud_speed speed, struct seen *s)
{
	static const uint8_t types[3] = {UD_DESC_CONFIGURATION, UD_DESC_OTHER_SPEED_CONFIG,
	                                 UD_DESC_DEVICE};
	setup(NULL);
	mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	fa.bind = bind_a;
	fb.bind = bind;
	mock_device_up(&fa, &fb, NULL);
	mock_bus_reset(speed);
	mock_run();
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(mock_ctrl(0x80, UD_REQ_GET_DESCRIPTOR, (uint16_t)(types[i] << 8),
		                           0, 512, NULL, &r),
		                 MOCK_ACK);
		memcpy(s->desc[i], r.data, r.len);
		s->len[i] = r.len;
	}
	const int numbers[5] = {fb.fn.first_interface, fb.ep_in[0], fb.ep_out[0], fb.ep_in[1],
	                        fb.ep_in[2]};
	memcpy(s->numbers, numbers, sizeof(numbers));
	mock_teardown(NULL);
}

static void expect_same(enum ud_speed speed)
{
	static struct seen calls, tmpl;
	bring_up(bind_b_calls, speed, &calls);
	bring_up(bind_b_template, speed, &tmpl);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(tmpl.len[i], calls.len[i]);
		assert_memory_equal(tmpl.desc[i], calls.desc[i], calls.len[i]);
	}
	assert_memory_equal(tmpl.numbers, calls.numbers, sizeof(calls.numbers));
	/* And what both say, spelled out: B starts at interface 1, after A's EP1 OUT / EP1 IN. */
	const int want[5] = {1, 0x82, 0x02, 0x83, 0x84};
	assert_memory_equal(tmpl.numbers, want, sizeof(want));
	const uint8_t *b = &tmpl.desc[0][9 + 9 + 7 + 7];
	assert_int_equal(b[2], 1);               /* IAD bFirstInterface */
	assert_int_equal(b[7], 4);               /* iFunction: the 4th string */
	assert_int_equal(b[8 + 2], 1);           /* bInterfaceNumber */
	assert_int_equal(b[8 + 8], 4);           /* iInterface */
	assert_int_equal(b[17 + 3], 1);          /* union: control interface */
	assert_int_equal(b[17 + 4], 2);          /* union: subordinate interface */
	assert_int_equal(b[29 + 2], 2);          /* data bInterfaceNumber */
	assert_int_equal(b[29 + 8], 0);          /* no string */
	assert_int_equal(tmpl.desc[2][4], 0xef); /* the IAD makes the device class EF/02/01 */
	/* At high speed: bulk 512, interrupt bInterval 7, isochronous 4. */
	const uint8_t *hs = speed == UD_SPEED_HIGH ? tmpl.desc[0] : tmpl.desc[1];
	const uint8_t *hb = &hs[9 + 9 + 7 + 7];
	assert_int_equal(hb[22 + 4], 8);
	assert_int_equal(hb[22 + 6], 7);
	assert_int_equal(hb[38 + 4] | hb[38 + 5] << 8, 512);
	assert_int_equal(hb[52 + 6], 4);
}

static void test_template_same_as_calls_full_speed(void **state)
{
	(void)state;
	expect_same(UD_SPEED_FULL);
}

static void test_template_same_as_calls_high_speed(void **state)
{
	(void)state;
	expect_same(UD_SPEED_HIGH);
}

/* The high-speed bInterval of an interrupt endpoint for each full-speed period in ms. */
static uint8_t ival_fs;
static uint8_t ival_type;
static int bind_interrupt(struct mock_fn *m, struct ud_device *dev)
{
	const uint8_t d[] = {9, UD_DESC_INTERFACE, 0,    0,         1,  0xff, 0,      0, 0,
	                     7, UD_DESC_ENDPOINT,  0x81, ival_type, 64, 0,    ival_fs};
	const struct ud_desc_template t = {d, NULL, sizeof(d), 0};
	uint8_t addr[1];
	(void)m;
	return ud_desc_add_function(dev, &t, 0, addr);
}

/* A function with one endpoint of @p type and full-speed bInterval @p fs, enumerated at high
 * speed: its configuration descriptor in `r` (the endpoint descriptor at offset 18). The caller
 * ends with mock_teardown(). */
static void hs_endpoint(uint8_t type, uint8_t fs)
{
	setup(NULL);
	mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	ival_fs = fs;
	ival_type = type;
	fa.bind = bind_interrupt;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_HIGH);
	mock_run();
	assert_int_equal(
		mock_ctrl(0x80, UD_REQ_GET_DESCRIPTOR, UD_DESC_CONFIGURATION << 8, 0, 64, NULL, &r),
		MOCK_ACK);
}

static void test_template_interrupt_intervals(void **state)
{
	static const uint8_t fs[] = {1, 2, 3, 4, 7, 8, 16, 32, 100, 255};
	static const uint8_t hs[] = {4, 5, 5, 6,  6,
	                             7, 8, 9, 10, 11}; /* 2^(n-1) * 125 us <= fs ms */
	(void)state;
	for (unsigned i = 0; i < sizeof(fs); i++) {
		hs_endpoint(UD_EP_INTERRUPT, fs[i]);
		assert_int_equal(r.data[9 + 9 + 6], hs[i]);
		mock_teardown(NULL);
	}
}

/* An isochronous endpoint's exponent counts microframes at high speed: 3 more, but bInterval
 * stops at 16 (USB 2.0 9.6.6). */
static void test_template_isochronous_intervals(void **state)
{
	static const uint8_t fs[] = {1, 4, 12, 13, 14, 16};
	static const uint8_t hs[] = {4, 7, 15, 16, 16, 16};
	(void)state;
	for (unsigned i = 0; i < sizeof(fs); i++) {
		hs_endpoint(UD_EP_ISOCHRONOUS, fs[i]);
		assert_int_equal(r.data[9 + 9 + 3], UD_EP_ISOCHRONOUS);
		assert_int_equal(r.data[9 + 9 + 6], hs[i]);
		mock_teardown(NULL);
	}
}

/* ---- errors ---- */

struct bad {
	const char *what;
	uint8_t desc[40];
	uint8_t len;
	uint8_t ref; /* an offset in intf_refs, 0: none */
	int rc;
};

static const struct bad bad[] = {
	{"bLength 1", {9, 4, 0, 0, 0, 0xff, 0, 0, 0, 1, 0x24}, 11, 0, UD_ERR_INVAL},
	{"bLength 1 at the end", {9, 4, 0, 0, 0, 0xff, 0, 0, 0, 1}, 10, 0, UD_ERR_INVAL},
	{"bLength past the end", {9, 4, 0, 0, 0, 0xff, 0, 0, 0, 9, 0x24, 0}, 12, 0, UD_ERR_INVAL},
	{"short interface", {8, 4, 0, 0, 0, 0xff, 0, 0}, 8, 0, UD_ERR_INVAL},
	{"interface 1 first", {9, 4, 1, 0, 0, 0xff, 0, 0, 0}, 9, 0, UD_ERR_INVAL},
	{"alternate setting 1", {9, 4, 0, 1, 0, 0xff, 0, 0, 0}, 9, 0, UD_ERR_INVAL},
	{"endpoint 2 first",
         {9, 4, 0, 0, 1, 0xff, 0, 0, 0, 7, 5, 0x82, 2, 64, 0, 0},
         16,
         0,
         UD_ERR_INVAL},
	{"endpoint number bits",
         {9, 4, 0, 0, 1, 0xff, 0, 0, 0, 7, 5, 0x91, 2, 64, 0, 0},
         16,
         0,
         UD_ERR_INVAL},
	{"control endpoint",
         {9, 4, 0, 0, 1, 0xff, 0, 0, 0, 7, 5, 0x81, 0, 64, 0, 0},
         16,
         0,
         UD_ERR_INVAL},
	{"packet too large",
         {9, 4, 0, 0, 1, 0xff, 0, 0, 0, 7, 5, 0x81, 2, 65, 0, 0},
         16,
         0,
         UD_ERR_INVAL},
	{"bulk packet of 48",
         {9, 4, 0, 0, 1, 0xff, 0, 0, 0, 7, 5, 0x81, 2, 48, 0, 0},
         16,
         0,
         UD_ERR_INVAL},
	{"interrupt interval 0",
         {9, 4, 0, 0, 1, 0xff, 0, 0, 0, 7, 5, 0x81, 3, 8, 0, 0},
         16,
         0,
         UD_ERR_INVAL},
	{"short endpoint",
         {9, 4, 0, 0, 1, 0xff, 0, 0, 0, 6, 5, 0x81, 2, 64, 0},
         15,
         0,
         UD_ERR_INVAL},
	{"short IAD", {7, 0x0b, 0, 1, 0xff, 0, 0}, 7, 0, UD_ERR_INVAL},
	{"reference past the end", {9, 4, 0, 0, 0, 0xff, 0, 0, 0}, 9, 9, UD_ERR_INVAL},
	{"no endpoint number left",
         {9, 4,  0, 0, 4, 0xff, 0,    0, 0,  7, 5, 0x81, 2, 64,   0, 0,  7, 5, 0x82,
          2, 64, 0, 0, 7, 5,    0x83, 2, 64, 0, 0, 7,    5, 0x84, 2, 64, 0, 0},
         37,
         0,
         UD_ERR_NOSPACE},
};

static const struct bad *cur;
static int bind_bad(struct mock_fn *m, struct ud_device *dev)
{
	const uint8_t refs[1] = {cur->ref};
	const struct ud_desc_template t = {cur->desc, refs, cur->len, cur->ref ? 1 : 0};
	uint8_t addr[8];
	(void)m;
	int rc = ud_desc_add_function(dev, &t, 0, addr);
	if (rc != cur->rc)
		fail_msg("%s: %d, want %d", cur->what, rc, cur->rc);
	return rc;
}

static void test_template_errors(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup(NULL);
		mock.caps.ep_count = 4; /* EP1..EP3 per direction */
		cur = &bad[i];
		fa.bind = bind_bad;
		assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
		assert_int_equal(ud_device_add_function(&mdev, &fa.fn), cur->rc);
		/* The bind failed: the device does not start with its partial descriptors. */
		assert_int_equal(ud_device_start(&mdev), UD_ERR_STATE);
		mock_teardown(NULL);
	}
}

/* Larger than UD_CONFIG_DESC_SIZE: class-specific descriptors of 255 bytes. */
static int bind_too_big(struct mock_fn *m, struct ud_device *dev)
{
	static uint8_t d[2 * 255];
	uint8_t addr[1];
	(void)m;
	d[0] = d[255] = 255;
	d[1] = d[256] = 0x24;
	const struct ud_desc_template t = {d, NULL, sizeof(d), 0};
	assert_int_equal(ud_desc_add_function(dev, &t, 0, addr), UD_ERR_NOSPACE);
	return 0; /* nothing was added: the function simply has no descriptors */
}

/* NULL arguments, and calls where the state forbids them. */
static int bind_args(struct mock_fn *m, struct ud_device *dev)
{
	static const uint8_t d[] = {9, 4, 0, 0, 0, 0xff, 0, 0, 0};
	const struct ud_desc_template t = {d, NULL, sizeof(d), 0};
	const struct ud_desc_template no_desc = {NULL, NULL, 9, 0};
	const struct ud_desc_template no_refs = {d, NULL, sizeof(d), 1};
	uint8_t addr[1];
	(void)m;
	assert_int_equal(ud_desc_add_function(dev, NULL, 0, addr), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_function(dev, &t, 0, NULL), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_function(dev, &no_desc, 0, addr), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_function(dev, &no_refs, 0, addr), UD_ERR_INVAL);
	assert_int_equal(ud_desc_function_begin(dev, 0xff, 0, 0, 0), 0);
	assert_int_equal(ud_desc_add_function(dev, &t, 0, addr), UD_ERR_STATE);
	assert_int_equal(ud_desc_function_end(dev), 0);
	return ud_desc_add_function(dev, &t, 0, addr); /* now it works */
}

static void test_template_args_and_state(void **state)
{
	static const uint8_t d[] = {9, 4, 0, 0, 0, 0xff, 0, 0, 0};
	const struct ud_desc_template t = {d, NULL, sizeof(d), 0};
	uint8_t addr[1];
	(void)state;
	assert_int_equal(ud_desc_add_function(NULL, &t, 0, addr), UD_ERR_STATE);
	fa.bind = bind_args;
	fb.bind = bind_too_big;
	mock_device_up(&fa, &fb, NULL);
	assert_int_equal(ud_desc_add_function(&mdev, &t, 0, addr), UD_ERR_STATE); /* started */
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(
		mock_ctrl(0x80, UD_REQ_GET_DESCRIPTOR, UD_DESC_CONFIGURATION << 8, 0, 64, NULL, &r),
		MOCK_ACK);
	assert_int_equal(r.len, 9 + 9);
	assert_int_equal(r.data[4], 1); /* one interface: A's; B's template was refused whole */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_template_same_as_calls_full_speed),
		T(test_template_same_as_calls_high_speed),
		T(test_template_interrupt_intervals),
		T(test_template_isochronous_intervals),
		T(test_template_errors),
		T(test_template_args_and_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
