/* SPDX-License-Identifier: MIT */
/*
 * The descriptor builder (descriptors.c) and the answers built from it (desc_answers.c):
 * allocation, every error code of ud_desc.h, IADs, wTotalLength / bNumInterfaces, device,
 * configuration, other-speed and qualifier descriptors, checked byte for byte.
 * Strings and Microsoft OS 2.0 descriptors are in test_strings_msos2.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

static struct mock_fn fa, fb, fc;
static struct mock_ctrl r;

static int setup(void **state)
{
	mock_setup_test(state);
	mock_fn_init(&fa, 'A', NULL);
	mock_fn_init(&fb, 'B', NULL);
	mock_fn_init(&fc, 'C', NULL);
	memset(&r, 0, sizeof(r));
	return 0;
}

static int get_desc(uint8_t type, uint8_t index, uint16_t length)
{
	return mock_ctrl(0x80, UD_REQ_GET_DESCRIPTOR, (uint16_t)(type << 8 | index), 0, length,
	                 NULL, &r);
}

/* One vendor interface with bulk OUT + IN (64 / 512). */
static int bind_one(struct mock_fn *m, struct ud_device *dev)
{
	int rc = ud_desc_function_begin(dev, 0xff, 0, 0, 0);
	if (rc)
		return rc;
	m->intf[0] = ud_desc_alloc_interface(dev);
	m->ep_out[0] = ud_desc_alloc_endpoint(dev, false);
	m->ep_in[0] = ud_desc_alloc_endpoint(dev, true);
	if (m->intf[0] < 0 || m->ep_out[0] < 0 || m->ep_in[0] < 0)
		return UD_ERR_NOSPACE;
	if ((rc = ud_desc_add_interface(dev, (uint8_t)m->intf[0], 0, 2, 0xff, 0, 0, 0)) ||
	    (rc = ud_desc_add_endpoint(dev, (uint8_t)m->ep_out[0], UD_EP_BULK, 64, 512, 0, 0)) ||
	    (rc = ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[0], UD_EP_BULK, 64, 512, 0, 0)))
		return rc;
	return ud_desc_function_end(dev);
}

/* ---- allocation ---- */

static int bind_alloc(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	int a = ud_desc_alloc_interface(dev), b = ud_desc_alloc_interface(dev);
	assert_int_equal(b, a + 1);
	assert_int_equal(ud_desc_alloc_endpoint(dev, true), 0x81);
	assert_int_equal(ud_desc_alloc_endpoint(dev, true), 0x82);
	assert_int_equal(ud_desc_alloc_endpoint(dev, false), 0x01); /* directions independent */
	assert_int_equal(ud_desc_alloc_endpoint(dev, true), 0x83);
	assert_int_equal(ud_desc_alloc_endpoint(dev, true), UD_ERR_NOSPACE); /* ep_count 4 */
	assert_int_equal(ud_desc_alloc_endpoint(dev, false), 0x02);
	int s = ud_desc_add_string(dev, "first");
	assert_int_equal(s, 4); /* after manufacturer, product, serial */
	assert_int_equal(ud_desc_add_string(dev, "second"), 5);
	return 0;
}

static int bind_alloc_more(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	assert_int_equal(ud_desc_alloc_interface(dev), 2);
	assert_int_equal(ud_desc_alloc_endpoint(dev, false), 0x03);
	assert_int_equal(ud_desc_alloc_endpoint(dev, false), UD_ERR_NOSPACE);
	for (int i = 3; i < UD_MAX_INTERFACES; i++)
		assert_int_equal(ud_desc_alloc_interface(dev), i);
	assert_int_equal(ud_desc_alloc_interface(dev), UD_ERR_NOSPACE);
	for (int i = 6; i <= UD_MAX_STRINGS; i++)
		assert_int_equal(ud_desc_add_string(dev, "s"), i);
	assert_int_equal(ud_desc_add_string(dev, "s"), UD_ERR_NOSPACE);
	return 0;
}

static void test_allocation(void **state)
{
	(void)state;
	mock.caps.ep_count = 4;
	fa.bind = bind_alloc;
	fb.bind = bind_alloc_more;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fb.fn), 0);
	assert_int_equal(fa.fn.first_interface, 0);
	assert_int_equal(fa.fn.num_interfaces, 2);
	assert_int_equal(fa.fn.index, 0);
	assert_int_equal(fb.fn.first_interface, 2);
	assert_int_equal(fb.fn.num_interfaces, UD_MAX_INTERFACES - 2);
	assert_int_equal(fb.fn.index, 1);
	assert_ptr_equal(fb.fn.dev, &mdev);
}

static void test_function_table_full(void **state)
{
	(void)state;
	static struct mock_fn many[UD_MAX_FUNCTIONS + 1];
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	for (unsigned i = 0; i <= UD_MAX_FUNCTIONS; i++) {
		mock_fn_init(&many[i], (char)('a' + i), bind_one);
		int want = i < UD_MAX_FUNCTIONS ? 0 : UD_ERR_NOSPACE;
		assert_int_equal(ud_device_add_function(&mdev, &many[i].fn), want);
	}
	assert_int_equal(ud_device_add_function(&mdev, NULL), UD_ERR_INVAL);
	struct ud_function nobind = {0};
	assert_int_equal(ud_device_add_function(&mdev, &nobind), UD_ERR_INVAL);
	/* Refusals before `bind` leave the device usable (ud_device.h). */
	assert_int_equal(ud_device_start(&mdev), 0);
}

/* ---- UD_ERR_STATE ---- */

static void state_errors(void)
{
	static const uint8_t d[3] = {3, 0x24, 0};
	assert_int_equal(ud_desc_alloc_interface(&mdev), UD_ERR_STATE);
	assert_int_equal(ud_desc_alloc_endpoint(&mdev, true), UD_ERR_STATE);
	assert_int_equal(ud_desc_function_begin(&mdev, 0, 0, 0, 0), UD_ERR_STATE);
	assert_int_equal(ud_desc_function_end(&mdev), UD_ERR_STATE);
	assert_int_equal(ud_desc_add_interface(&mdev, 0, 0, 0, 0, 0, 0, 0), UD_ERR_STATE);
	assert_int_equal(ud_desc_add_endpoint(&mdev, 0x81, UD_EP_BULK, 64, 64, 0, 0), UD_ERR_STATE);
	assert_int_equal(ud_desc_append(&mdev, d, 3), UD_ERR_STATE);
	assert_int_equal(ud_desc_msos2_winusb(&mdev, 0, "{01234567-89ab-cdef-0123-456789abcdef}"),
	                 UD_ERR_STATE);
}

static int bind_begin_twice(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	assert_int_equal(ud_desc_function_end(dev), UD_ERR_STATE); /* none begun */
	assert_int_equal(ud_desc_function_begin(dev, 0, 0, 0, 0), 0);
	assert_int_equal(ud_desc_function_begin(dev, 0, 0, 0, 0), UD_ERR_STATE);
	assert_int_equal(ud_desc_function_end(dev), 0);
	assert_int_equal(ud_desc_function_begin(dev, 0, 0, 0, 0), 0);
	return 0; /* and never ends it */
}

static void test_state_errors(void **state)
{
	(void)state;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	state_errors(); /* outside bind */
	fa.bind = bind_begin_twice;
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), UD_ERR_STATE);
	fb.bind = bind_one;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fb.fn), 0);
	assert_int_equal(ud_device_start(&mdev), 0);
	state_errors(); /* after start */
	assert_int_equal(ud_desc_add_string(&mdev, "late"), UD_ERR_STATE);
	assert_int_equal(ud_device_add_function(&mdev, &fc.fn), UD_ERR_STATE);
	assert_int_equal(ud_device_start(&mdev), UD_ERR_STATE);
	assert_int_equal(ud_desc_add_string(NULL, "x"), UD_ERR_INVAL);
}

/* ---- UD_ERR_INVAL ---- */

static int bind_inval(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	static const uint8_t ok[4] = {4, 0x24, 1, 2}, badlen[4] = {5, 0x24, 1, 2};
	static uint8_t big[256];
	big[0] = 0; /* bLength cannot say 256 */
	int other = fa.intf[0];
	int intf = ud_desc_alloc_interface(dev);
	int in = ud_desc_alloc_endpoint(dev, true);
	assert_true(intf > 0 && in > 0);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)other, 0, 0, 0, 0, 0, 0),
	                 UD_ERR_INVAL);
	/* Not even as its next alternate setting. */
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)other, 1, 0, 0, 0, 0, 0),
	                 UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_interface(dev, 7, 0, 0, 0, 0, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)intf, 1, 0, 0, 0, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)intf, 0, 1, 0, 0, 0, 0), 0);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)intf, 0, 1, 0, 0, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)intf, 2, 1, 0, 0, 0, 0), UD_ERR_INVAL);
	uint8_t ep = (uint8_t)in;
	/* Not this function's, EP0, out of range, control or bad type, bad sizes. */
	assert_int_equal(ud_desc_add_endpoint(dev, (uint8_t)fa.ep_in[0], UD_EP_BULK, 64, 512, 0, 0),
	                 UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, 0x85, UD_EP_BULK, 64, 512, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, 0x80, UD_EP_BULK, 64, 512, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, 0x00, UD_EP_BULK, 64, 512, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, 0xf2, UD_EP_BULK, 64, 512, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, ep, UD_EP_CONTROL, 64, 512, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, ep, 4, 64, 512, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, ep, UD_EP_BULK, 0, 512, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, ep, UD_EP_BULK, 65, 512, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, ep, UD_EP_BULK, 64, 0, 0, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, ep, UD_EP_BULK, 64, 513, 0, 0), UD_ERR_INVAL);
	/* What USB 2.0 allows per type (5.7.3, 5.8.3, 9.6.6): bulk 8/16/32/64 and 512; interrupt
	 * and isochronous intervals of at least 1, exponents of 1..16. */
	static const struct {
		uint8_t type;
		uint16_t fs, hs;
		uint8_t ival_fs, ival_hs;
	} illegal[] = {
		{UD_EP_BULK, 63, 512, 0, 0},      {UD_EP_BULK, 4, 512, 0, 0},
		{UD_EP_BULK, 48, 512, 0, 0},      {UD_EP_BULK, 64, 256, 0, 0},
		{UD_EP_INTERRUPT, 8, 8, 0, 1},    {UD_EP_INTERRUPT, 8, 8, 1, 0},
		{UD_EP_INTERRUPT, 8, 8, 1, 17},   {UD_EP_ISOCHRONOUS, 8, 8, 0, 1},
		{UD_EP_ISOCHRONOUS, 8, 8, 17, 1}, {UD_EP_ISOCHRONOUS, 8, 8, 1, 17},
	};
	for (size_t i = 0; i < sizeof(illegal) / sizeof(illegal[0]); i++)
		assert_int_equal(ud_desc_add_endpoint(dev, ep, illegal[i].type, illegal[i].fs,
		                                      illegal[i].hs, illegal[i].ival_fs,
		                                      illegal[i].ival_hs),
		                 UD_ERR_INVAL);
	assert_int_equal(ud_desc_add_endpoint(dev, ep, UD_EP_BULK, 64, 512, 0, 0), 0);
	/* Class-specific descriptors. */
	assert_int_equal(ud_desc_append(dev, NULL, 4), UD_ERR_INVAL);
	assert_int_equal(ud_desc_append(dev, ok, 1), UD_ERR_INVAL);
	/* Shorter than a descriptor's two-byte header, even when bLength agrees. */
	static const uint8_t one[2] = {1, 0x24}, none[2] = {0, 0x24};
	assert_int_equal(ud_desc_append(dev, one, 1), UD_ERR_INVAL);
	assert_int_equal(ud_desc_append(dev, none, 0), UD_ERR_INVAL);
	assert_int_equal(ud_desc_append(dev, badlen, 4), UD_ERR_INVAL);
	assert_int_equal(ud_desc_append(dev, big, 256), UD_ERR_INVAL);
	/* Interface and endpoint descriptors only through their own calls (the core walks them). */
	static const uint8_t raw_intf[9] = {9, UD_DESC_INTERFACE, 0, 1, 0, 0xff, 0, 0, 0};
	static const uint8_t raw_ep[7] = {7, UD_DESC_ENDPOINT, 0x81, UD_EP_BULK, 64, 0, 0};
	assert_int_equal(ud_desc_append(dev, raw_intf, 9), UD_ERR_INVAL);
	assert_int_equal(ud_desc_append(dev, raw_ep, 7), UD_ERR_INVAL);
	assert_int_equal(ud_desc_append(dev, ok, 4), 0);
	/* WinUSB on an interface that is not this function's. */
	assert_int_equal(
		ud_desc_msos2_winusb(dev, (uint8_t)other, "{01234567-89ab-cdef-0123-456789abcdef}"),
		UD_ERR_INVAL);
	assert_int_equal(ud_desc_msos2_winusb(dev, 6, "{01234567-89ab-cdef-0123-456789abcdef}"),
	                 UD_ERR_INVAL);
	return 0;
}

static void test_inval_errors(void **state)
{
	(void)state;
	mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	fa.bind = bind_one;
	fb.bind = bind_inval;
	mock_device_up(&fa, &fb, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	/* The descriptors rejected above left no trace. */
	assert_int_equal(get_desc(UD_DESC_CONFIGURATION, 0, 512), MOCK_ACK);
	assert_int_equal(r.len, 9 + 9 + 7 + 7 + 9 + 7 + 4);
	assert_int_equal(r.data[2] | r.data[3] << 8, r.len);
}

/* A full-speed-only port does not care about the high-speed size. */
static int bind_fs_only(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	int intf = ud_desc_alloc_interface(dev), in = ud_desc_alloc_endpoint(dev, true);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)intf, 0, 1, 0xff, 0, 0, 0), 0);
	assert_int_equal(ud_desc_add_endpoint(dev, (uint8_t)in, UD_EP_INTERRUPT, 8, 0, 1, 0), 0);
	return 0;
}

static void test_full_speed_only_sizes(void **state)
{
	(void)state;
	fa.bind = bind_fs_only;
	mock_device_up(&fa, NULL);
	mock_enumerate(UD_SPEED_FULL);
	assert_int_equal(ud_ep_max_packet(&mdev, 0x81), 8);
}

/* The port's endpoint count beyond UD_MAX_EP_NUM is capped; at most UD_EP_SLOTS endpoint
 * descriptors are kept. */
static int bind_many_eps(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	int intf = ud_desc_alloc_interface(dev), in = 0;
	for (int i = 1; i < UD_MAX_EP_NUM; i++)
		assert_int_equal(in = ud_desc_alloc_endpoint(dev, true), 0x80 | i);
	assert_int_equal(ud_desc_alloc_endpoint(dev, true), UD_ERR_NOSPACE);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)intf, 0, 1, 0xff, 0, 0, 0), 0);
	for (unsigned i = 0; i <= UD_EP_SLOTS; i++) {
		int want = i < UD_EP_SLOTS ? 0 : UD_ERR_NOSPACE;
		assert_int_equal(
			ud_desc_add_endpoint(dev, (uint8_t)in, UD_EP_INTERRUPT, 8, 8, 1, 1), want);
	}
	return 0;
}

/* A template endpoint once the UD_EP_SLOTS endpoint descriptors are taken (an OUT number is
 * still free): UD_ERR_NOSPACE as from ud_desc_add_endpoint(). */
static int bind_template_ep(struct mock_fn *m, struct ud_device *dev)
{
	static const uint8_t d[] = {9, UD_DESC_INTERFACE, 0,    0,          1,  0xff, 0, 0, 0,
	                            7, UD_DESC_ENDPOINT,  0x01, UD_EP_BULK, 64, 0,    0};
	const struct ud_desc_template t = {d, NULL, sizeof(d), 0};
	uint8_t addr[1];
	(void)m;
	return ud_desc_add_function(dev, &t, 0, addr);
}

static void test_endpoint_limits(void **state)
{
	(void)state;
	mock.caps.ep_count = 16;
	fa.bind = bind_many_eps;
	fb.bind = bind_template_ep;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fb.fn), UD_ERR_NOSPACE);
}

/* ---- UD_ERR_NOSPACE in the configuration buffer ---- */

static int bind_fill(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	uint8_t filler[200] = {200, 0x24};
	assert_int_equal(ud_desc_function_begin(dev, 1, 2, 3, 0), 0);
	int i0 = ud_desc_alloc_interface(dev), i1 = ud_desc_alloc_interface(dev);
	int in = ud_desc_alloc_endpoint(dev, true);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)i0, 0, 0, 0, 0, 0, 0), 0);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)i1, 0, 1, 0, 0, 0, 0), 0);
	assert_int_equal(ud_desc_append(dev, filler, 200), 0); /* 9 + 9 + 9 + 200 = 227 */
	filler[0] = 30;
	assert_int_equal(ud_desc_append(dev, filler, 30), UD_ERR_NOSPACE);
	assert_int_equal(ud_desc_add_endpoint(dev, (uint8_t)in, UD_EP_BULK, 64, 512, 0, 0), 0);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)i1, 1, 0, 0, 0, 0, 0), 0); /* 243 */
	assert_int_equal(ud_desc_add_endpoint(dev, (uint8_t)in, UD_EP_BULK, 64, 512, 0, 0), 0);
	/* 250 of 256 */
	assert_int_equal(ud_desc_add_endpoint(dev, (uint8_t)in, UD_EP_BULK, 64, 512, 0, 0),
	                 UD_ERR_NOSPACE);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)i1, 2, 0, 0, 0, 0, 0), UD_ERR_NOSPACE);
	filler[0] = 6;
	assert_int_equal(ud_desc_append(dev, filler, 6), 0); /* 256: full */
	filler[0] = 2;
	assert_int_equal(ud_desc_append(dev, filler, 2), UD_ERR_NOSPACE);
	assert_int_equal(ud_desc_function_end(dev), UD_ERR_NOSPACE); /* no room for the IAD */
	return UD_ERR_NOSPACE;
}

static void test_config_buffer_full(void **state)
{
	(void)state;
	assert_int_equal(UD_CONFIG_DESC_SIZE, 256);
	fa.bind = bind_fill;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), UD_ERR_NOSPACE);
}

/* ---- ud_device_start ---- */

static void test_start_errors(void **state)
{
	(void)state;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	fa.bind = bind_one;
	mock.init_rc = UD_ERR_IO;
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), 0);
	assert_int_equal(ud_device_start(&mdev), UD_ERR_IO);
	assert_false(mock.connected);
	mock.init_rc = 0;
	assert_int_equal(ud_device_start(&mdev), 0);
	assert_true(mock.connected);
}

/* A bind that failed half-way left partial descriptors: the device refuses to start. */
static int bind_half(struct mock_fn *m, struct ud_device *dev)
{
	(void)m;
	int intf = ud_desc_alloc_interface(dev);
	assert_int_equal(ud_desc_add_interface(dev, (uint8_t)intf, 0, 0, 0xff, 0, 0, 0), 0);
	return UD_ERR_NOSPACE;
}

static void test_start_after_failed_bind(void **state)
{
	(void)state;
	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	fa.bind = bind_half;
	fb.bind = bind_one;
	assert_int_equal(ud_device_add_function(&mdev, &fa.fn), UD_ERR_NOSPACE);
	assert_int_equal(ud_device_add_function(&mdev, &fb.fn), 0);
	assert_int_equal(fb.fn.index, 0); /* the failed one is not in the table */
	assert_int_equal(ud_device_start(&mdev), UD_ERR_STATE);
	assert_int_equal(mock_count(MOCK_INIT, MOCK_ANY_EP), 0);
	assert_int_equal(mock_count(MOCK_CONNECT, MOCK_ANY_EP), 0);
}

/* ---- the composite configuration, byte for byte ---- */

static const uint8_t composite_fs[] = {
	9,
	2,
	79,
	0,
	3,
	1,
	0,
	0x80,
	50,
	/* function A: one interface, no IAD */
	9,
	4,
	0,
	0,
	2,
	0xff,
	0,
	0,
	0,
	7,
	5,
	0x01,
	2,
	64,
	0,
	0,
	7,
	5,
	0x81,
	2,
	64,
	0,
	0,
	/* function B: IAD, then its two interfaces */
	8,
	0x0b,
	1,
	2,
	0x02,
	0x02,
	0x01,
	0,
	9,
	4,
	1,
	0,
	1,
	0x02,
	0x02,
	0x01,
	0,
	7,
	5,
	0x82,
	3,
	8,
	0,
	16,
	9,
	4,
	2,
	0,
	2,
	0x0a,
	0,
	0,
	0,
	7,
	5,
	0x02,
	2,
	64,
	0,
	0,
	7,
	5,
	0x83,
	2,
	64,
	0,
	0,
};

/* The same at high speed: only the endpoints' wMaxPacketSize and bInterval differ. */
static void patch_hs(uint8_t *d)
{
	const unsigned bulk[] = {22, 29, 69, 76};
	for (unsigned i = 0; i < 4; i++) {
		d[bulk[i]] = 0x00;
		d[bulk[i] + 1] = 0x02;
	}
	d[53] = 16; /* interrupt 0x82: 16 bytes, interval 8 */
	d[55] = 8;
}

static void composite_up(enum ud_speed speed, uint8_t ep0)
{
	mock.caps.speeds = UD_SPEED_FULL | UD_SPEED_HIGH;
	mock_info.ep0_max_packet = ep0;
	fa.bind = bind_one;
	fb.bind = mock_bind_pair;
	mock_device_up(&fa, &fb, NULL);
	mock_bus_reset(speed);
	mock_run();
}

static void expect_config(uint8_t type, bool hs)
{
	uint8_t want[sizeof(composite_fs)];
	memcpy(want, composite_fs, sizeof(want));
	want[1] = type;
	if (hs)
		patch_hs(want);
	assert_int_equal(get_desc(type, 0, 1024), MOCK_ACK);
	assert_int_equal(r.len, sizeof(want));
	assert_memory_equal(r.data, want, sizeof(want));
}

static void test_composite_config_full_speed(void **state)
{
	(void)state;
	composite_up(UD_SPEED_FULL, 64);
	expect_config(UD_DESC_CONFIGURATION, false);
	expect_config(UD_DESC_OTHER_SPEED_CONFIG, true);
	expect_config(UD_DESC_CONFIGURATION, false); /* patched back */
	/* Short reads: the header first, as hosts do. */
	assert_int_equal(get_desc(UD_DESC_CONFIGURATION, 0, 9), MOCK_ACK);
	assert_int_equal(r.len, 9);
	assert_memory_equal(r.data, composite_fs, 9);
	assert_int_equal(get_desc(UD_DESC_CONFIGURATION, 1, 255), MOCK_STALL);
	assert_int_equal(get_desc(UD_DESC_OTHER_SPEED_CONFIG, 1, 255), MOCK_STALL);
	/* The configuration opens endpoints with the full-speed values. */
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_ADDRESS, 3, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x83)->cfg.max_packet, 64);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x82)->cfg.interval, 16);
}

static void test_composite_config_high_speed(void **state)
{
	(void)state;
	composite_up(UD_SPEED_HIGH, 64);
	expect_config(UD_DESC_CONFIGURATION, true);
	expect_config(UD_DESC_OTHER_SPEED_CONFIG, false);
	expect_config(UD_DESC_CONFIGURATION, true);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_ADDRESS, 3, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x83)->cfg.max_packet, 512);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x82)->cfg.max_packet, 16);
	assert_int_equal(mock_last(MOCK_EP_OPEN, 0x82)->cfg.interval, 8);
}

/* ---- device and qualifier descriptors ---- */

static void test_device_descriptor(void **state)
{
	(void)state;
	mock_info.ep0_max_packet = 16;
	mock_info.bcd_device = 0x1234;
	fa.bind = bind_one;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	const uint8_t want[18] = {18,   1,    0x00, 0x02, 0,    0, 0, 16, 0x09,
	                          0x12, 0x01, 0x00, 0x34, 0x12, 1, 2, 3,  1};
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 64), MOCK_ACK);
	assert_int_equal(r.len, 18);
	assert_memory_equal(r.data, want, 18);
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 8), MOCK_ACK);
	assert_int_equal(r.len, 8);
	assert_int_equal(get_desc(UD_DESC_DEVICE, 1, 18), MOCK_STALL);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 0, NULL, &r),
	                 MOCK_STALL); /* OUT */
	/* No device qualifier or other-speed configuration on a full-speed-only device. */
	assert_int_equal(get_desc(UD_DESC_DEVICE_QUALIFIER, 0, 10), MOCK_STALL);
	assert_int_equal(get_desc(UD_DESC_OTHER_SPEED_CONFIG, 0, 255), MOCK_STALL);
	/* Not a descriptor a host may ask for. */
	assert_int_equal(get_desc(UD_DESC_INTERFACE, 0, 255), MOCK_STALL);
	assert_int_equal(get_desc(UD_DESC_ENDPOINT, 0, 255), MOCK_STALL);
	assert_int_equal(get_desc(0x42, 0, 255), MOCK_STALL);
	assert_int_equal(get_desc(UD_DESC_BOS, 0, 255), MOCK_STALL); /* bcdUSB 2.00 */
}

static void test_device_class_and_qualifier(void **state)
{
	(void)state;
	/* IAD in the configuration: device class EF/02/01. */
	composite_up(UD_SPEED_FULL, 16);
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK);
	assert_memory_equal(r.data + 4, "\xef\x02\x01\x10", 4);
	const uint8_t q_fs[10] = {10, 6, 0x00, 0x02, 0xef, 0x02, 0x01, 64, 1, 0};
	assert_int_equal(get_desc(UD_DESC_DEVICE_QUALIFIER, 0, 10), MOCK_ACK);
	assert_int_equal(r.len, 10);
	assert_memory_equal(r.data, q_fs, 10);
	assert_int_equal(get_desc(UD_DESC_DEVICE_QUALIFIER, 1, 10), MOCK_STALL);
	/* At high speed EP0 is 64, the qualifier tells the full-speed size. */
	mock_bus_reset(UD_SPEED_HIGH);
	mock_run();
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK);
	assert_int_equal(r.data[7], 64);
	assert_int_equal(get_desc(UD_DESC_DEVICE_QUALIFIER, 0, 10), MOCK_ACK);
	assert_int_equal(r.data[7], 16);
	assert_int_equal(mock_teardown(NULL), 0);

	/* The application's class wins; no IAD: zeros. */
	setup(NULL);
	mock_info.device_class = 0xff;
	mock_info.device_subclass = 0x12;
	mock_info.device_protocol = 0x34;
	composite_up(UD_SPEED_FULL, 64);
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK);
	assert_memory_equal(r.data + 4, "\xff\x12\x34", 3);
	assert_int_equal(mock_teardown(NULL), 0);
	setup(NULL);
	fa.bind = bind_one;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(get_desc(UD_DESC_DEVICE, 0, 18), MOCK_ACK);
	assert_memory_equal(r.data + 4, "\x00\x00\x00", 3);
}

/* bmAttributes and bMaxPower come from the device info. */
static void test_config_attributes(void **state)
{
	(void)state;
	mock_info.attributes = UD_CONFIG_ATTR_SELF_POWERED | UD_CONFIG_ATTR_REMOTE_WAKEUP | 0x1f;
	mock_info.max_power_ma = 900;
	fa.bind = bind_one;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(get_desc(UD_DESC_CONFIGURATION, 0, 9), MOCK_ACK);
	assert_int_equal(r.data[4], 1);    /* bNumInterfaces */
	assert_int_equal(r.data[5], 1);    /* bConfigurationValue */
	assert_int_equal(r.data[7], 0xe0); /* reserved bits other than D7 stay 0 */
	assert_int_equal(r.data[8], 250);  /* capped at 500 mA */
}

/* bMaxPower is in 2 mA units: an odd current is rounded up, never declared below the draw. */
static void test_max_power_rounds_up(void **state)
{
	(void)state;
	mock_info.max_power_ma = 99;
	fa.bind = bind_one;
	mock_device_up(&fa, NULL);
	mock_bus_reset(UD_SPEED_FULL);
	mock_run();
	assert_int_equal(get_desc(UD_DESC_CONFIGURATION, 0, 9), MOCK_ACK);
	assert_int_equal(r.data[8], 50);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, mock_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_allocation),
		T(test_function_table_full),
		T(test_state_errors),
		T(test_inval_errors),
		T(test_full_speed_only_sizes),
		T(test_endpoint_limits),
		T(test_config_buffer_full),
		T(test_start_errors),
		T(test_start_after_failed_bind),
		T(test_composite_config_full_speed),
		T(test_composite_config_high_speed),
		T(test_device_descriptor),
		T(test_device_class_and_qualifier),
		T(test_config_attributes),
		T(test_max_power_rounds_up),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
