/* SPDX-License-Identifier: MIT */
/*
 * ud_dap_v2_add() / ud_dap_v1_add() argument checks, the accessors, and a device that runs
 * out of descriptor room.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dap_host.h"
#include "fake_engine.h"

static struct ud_vdc vdc;
static struct ud_device dev;
static struct ud_device_info info;
static struct ud_dap dap;
static const struct ud_dap_info dinfo;
static uint8_t slots[UD_DAP_BUFFER_SIZE(UD_DAP_MAX_PACKET_COUNT + 1, 64)];
static struct ud_dap_config cfg;

static int setup(void **state)
{
	(void)state;
	ud_vdc_init(&vdc, NULL);
	memset(&info, 0, sizeof(info));
	info.ep0_max_packet = 64;
	assert_int_equal(ud_device_init(&dev, ud_vdc_port(&vdc), &info), 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.info = &dinfo;
	cfg.io = &th_no_io;
	cfg.packet_count = 2;
	cfg.packet_size = 64;
	cfg.buffer = slots;
	cfg.buffer_size = UD_DAP_BUFFER_SIZE(2, 64);
	return 0;
}

typedef int (*add_fn)(struct ud_device *, struct ud_dap *, const struct ud_dap_config *);

static void check_rejects(add_fn add)
{
	struct ud_dap_config c;

	assert_int_equal(add(NULL, &dap, &cfg), UD_ERR_INVAL);
	assert_int_equal(add(&dev, NULL, &cfg), UD_ERR_INVAL);
	assert_int_equal(add(&dev, &dap, NULL), UD_ERR_INVAL);
	c = cfg;
	c.info = NULL;
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c = cfg;
	c.io = NULL;
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	/* A backend without one of its four required operations. */
	struct ud_swd_io partial[4] = {th_no_io, th_no_io, th_no_io, th_no_io};
	partial[0].transfer = NULL;
	partial[1].sequence_out = NULL;
	partial[2].sequence_in = NULL;
	partial[3].pins = NULL;
	for (unsigned i = 0; i < 4; i++) {
		c = cfg;
		c.io = &partial[i];
		if (add(&dev, &dap, &c) != UD_ERR_INVAL)
			fail_msg("a backend without required operation %u accepted", i);
	}
	c = cfg;
	c.buffer = NULL;
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c = cfg;
	c.packet_count = 0;
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c = cfg;
	c.packet_count = UD_DAP_MAX_PACKET_COUNT + 1;
	c.buffer_size = sizeof(slots);
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c = cfg;
	c.packet_size = 63;
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c = cfg;
	c.buffer_size = UD_DAP_BUFFER_SIZE(2, 64) - 1;
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c = cfg;
	c.packet_size_fs = 63; /* below the minimum */
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c.packet_size_fs = 65; /* above packet_size */
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c = cfg;
	c.interface_string = "a probe without the magic words";
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	c = cfg;
	c.interface_string = "CMSIS-DA";
	assert_int_equal(add(&dev, &dap, &c), UD_ERR_INVAL);
	assert_int_equal(dev.num_fns, 0);
}

static void test_v2_rejects(void **state)
{
	(void)state;
	check_rejects(ud_dap_v2_add);
}

static void test_v1_rejects(void **state)
{
	struct ud_dap_config c = cfg;

	(void)state;
	check_rejects(ud_dap_v1_add);
	/* Reports up to 1024 bytes, with room enough that only the size limit can refuse. */
	static uint8_t big[UD_DAP_BUFFER_SIZE(1, 1025)];
	c.packet_count = 1;
	c.packet_size = 1025;
	c.buffer = big;
	c.buffer_size = sizeof(big);
	assert_int_equal(ud_dap_v1_add(&dev, &dap, &c), UD_ERR_INVAL);
	c.packet_size = 1024;
	assert_int_equal(ud_dap_v1_add(&dev, &dap, &c), 0);
	/* A HID report has one size: packet_size_fs is 0 or packet_size. */
	c = cfg;
	c.packet_size = 128;
	c.packet_size_fs = 64;
	c.buffer_size = sizeof(slots);
	assert_int_equal(ud_dap_v1_add(&dev, &dap, &c), UD_ERR_INVAL);
	c.packet_size_fs = 128;
	assert_int_equal(ud_dap_v1_add(&dev, &dap, &c), 0);
}

/* The descriptor builder's errors come back unchanged. */
static void test_add_after_start(void **state)
{
	(void)state;
	assert_int_equal(ud_device_start(&dev), 0);
	assert_int_equal(ud_dap_v2_add(&dev, &dap, &cfg), UD_ERR_STATE);
	assert_int_equal(ud_dap_v1_add(&dev, &dap, &cfg), UD_ERR_STATE);
}

static void test_accessors(void **state)
{
	(void)state;
	assert_false(ud_dap_process(NULL));
	memset(&dap, 0, sizeof(dap));
	assert_false(ud_dap_process(&dap)); /* never added: nothing to do, no division by 0 */
	assert_int_equal(ud_dap_v2_add(&dev, &dap, &cfg), 0);
	assert_ptr_equal(ud_dap_function(&dap), &dap.t.fn);
	assert_ptr_equal(ud_dap_engine(&dap), &dap.engine);
	assert_ptr_equal(ud_dap_engine(&dap)->info, &dap.info);
	assert_ptr_equal(ud_dap_engine(&dap)->io, &th_no_io);
	assert_int_equal(ud_dap_pending(&dap), 0);
	assert_true(ud_dap_idle(&dap));
	assert_int_equal(ud_dap_stats(&dap)->commands, 0);
	assert_false(ud_dap_process(&dap));
}

static void test_v1_accessors(void **state)
{
	(void)state;
	assert_int_equal(ud_dap_v1_add(&dev, &dap, &cfg), 0);
	assert_ptr_equal(ud_dap_function(&dap), &dap.t.hid.fn);
	assert_string_equal(dap.t.hid.fn.name, "dap-v1");
	assert_int_equal(ud_hid_ep_out(&dap.t.hid), 0x01);
	assert_int_equal(ud_hid_ep_in(&dap.t.hid), 0x81);
}

/* Two probes on one device: each function steers only its own queue. */
static void test_two_probes(void **state)
{
	static struct ud_dap second;
	static uint8_t slots2[UD_DAP_BUFFER_SIZE(2, 64)];
	struct ud_dap_config c = cfg;

	(void)state;
	c.buffer = slots2;
	assert_int_equal(ud_dap_v2_add(&dev, &dap, &cfg), 0);
	assert_int_equal(ud_dap_v1_add(&dev, &second, &c), 0);
	assert_int_equal(dap.q.ep_out, 0x01);
	assert_int_equal(second.q.ep_out, 0x00); /* not known before enable */
	assert_int_equal(ud_hid_ep_in(&second.t.hid), 0x82);
}

/* The descriptor builder runs out of one resource at a time: the error comes back from
 * ud_dap_v2_add() / ud_dap_v1_add() and the device refuses to start. */
static void bind_fails_with(add_fn add, uint8_t strings, uint8_t intfs, uint8_t outs, uint8_t ins)
{
	static struct th_hog hog;
	struct ud_vdc_config vc = {.ep_count = 3};

	ud_vdc_init(&vdc, &vc);
	assert_int_equal(ud_device_init(&dev, ud_vdc_port(&vdc), &info), 0);
	memset(&hog, 0, sizeof(hog));
	hog.strings = strings;
	hog.interfaces = intfs;
	hog.outs = outs;
	hog.ins = ins;
	assert_int_equal(th_add_hog(&dev, &hog), 0);
	int rc = add(&dev, &dap, &cfg);
	assert_true(rc == UD_ERR_NOSPACE);
	assert_int_equal(ud_device_start(&dev), UD_ERR_STATE);
}

static void test_bind_errors(void **state)
{
	(void)state;
	bind_fails_with(ud_dap_v2_add, UD_MAX_STRINGS, 0, 0, 0);
	bind_fails_with(ud_dap_v2_add, 0, UD_MAX_INTERFACES, 0, 0);
	bind_fails_with(ud_dap_v2_add, 0, 0, 2, 0);
	bind_fails_with(ud_dap_v2_add, 0, 0, 0, 2);
	bind_fails_with(ud_dap_v1_add, UD_MAX_STRINGS, 0, 0, 0);
	bind_fails_with(ud_dap_v1_add, 0, UD_MAX_INTERFACES, 0, 0);
	bind_fails_with(ud_dap_v1_add, 0, 0, 2, 0);
	bind_fails_with(ud_dap_v1_add, 0, 0, 0, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_v2_rejects, setup),
		cmocka_unit_test_setup(test_v1_rejects, setup),
		cmocka_unit_test_setup(test_add_after_start, setup),
		cmocka_unit_test_setup(test_accessors, setup),
		cmocka_unit_test_setup(test_v1_accessors, setup),
		cmocka_unit_test_setup(test_two_probes, setup),
		cmocka_unit_test_setup(test_bind_errors, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
