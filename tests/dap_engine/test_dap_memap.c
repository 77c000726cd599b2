/* SPDX-License-Identifier: MIT */
/*
 * The simulated target's MEM-AP and DP details, through the engine: CSW, TAR auto-increment
 * and its 1 KiB wrap, BD0..BD3, absent APs, RAM bounds and bus errors, overrun detection,
 * power-up request and acknowledge, and the SWJ select sequences.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static int setup(void **state)
{
	(void)state;
	h_init();
	h_attach();
	h_memap_word();
	for (unsigned i = 0; i < H_RAM_SIZE; i++)
		h.ram[i] = (uint8_t)(i ^ (i >> 8));
	return 0;
}

static uint32_t ram32(uint32_t off)
{
	return get32(h.ram + off);
}

static void test_csw(void **state)
{
	(void)state;
	assert_int_equal(h_ap_read(AP_CSW),
	                 UD_AP_CSW_SIZE32 | UD_AP_CSW_ADDRINC_SINGLE | UD_AP_CSW_DEVICEEN);
	h_ap_write(AP_CSW, 0xa3000000u | UD_AP_CSW_SIZE16);
	assert_int_equal(h_ap_read(AP_CSW), 0xa3000000u | UD_AP_CSW_SIZE16 | UD_AP_CSW_DEVICEEN);
	h_ap_write(AP_CSW, 0x03u); /* 64-bit: not supported, the size stays */
	assert_int_equal(h_ap_read(AP_CSW) & UD_AP_CSW_SIZE_MASK, UD_AP_CSW_SIZE16);
	/* No auto-increment: DRW keeps hitting the same word. */
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE32);
	h_ap_write(AP_TAR, 0x20000100u);
	EXEC(0x05, 0x00, 0x02, 0x0f, 0x0f);
	assert_int_equal(get32(h.resp + 3), ram32(0x100));
	assert_int_equal(get32(h.resp + 7), ram32(0x100));
	assert_int_equal(h_ap_read(AP_TAR), 0x20000100u);
	/* Packed is treated as single. */
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE32 | UD_AP_CSW_ADDRINC_PACKED);
	h_ap_read(AP_DRW);
	assert_int_equal(h_ap_read(AP_TAR), 0x20000104u);
	/* Registers that read as zero: TAR[63:32], CFG, BASE[63:32], reserved. */
	assert_int_equal(h_ap_read(0x08), 0);
	h_dp_write(DP_SELECT, 0xf0);
	assert_int_equal(h_ap_read(0x04), 0);
	assert_int_equal(h_ap_read(0x00), 0);
	h_dp_write(DP_SELECT, 0x20);
	assert_int_equal(h_ap_read(0x00), 0);
	h_ap_write(0x00, 0x1234); /* ignored */
}

static void test_autoincrement_wraps_at_1k(void **state)
{
	(void)state;
	h_ap_write(AP_TAR, 0x200007f8u);
	EXEC(0x06, 0x00, 0x03, 0x00, 0x0f);
	assert_int_equal(get32(h.resp + 4), ram32(0x7f8));
	assert_int_equal(get32(h.resp + 8), ram32(0x7fc));
	assert_int_equal(get32(h.resp + 12), ram32(0x400)); /* TAR[9:0] wrapped */
	assert_int_equal(h_ap_read(AP_TAR), 0x20000404u);
	/* Bytes and halfwords advance by their size. */
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE8 | UD_AP_CSW_ADDRINC_SINGLE);
	h_ap_write(AP_TAR, 0x20000011u);
	EXEC(0x06, 0x00, 0x03, 0x00, 0x0f);
	assert_int_equal(get32(h.resp + 4), (uint32_t)h.ram[0x11] << 8);
	assert_int_equal(get32(h.resp + 8), (uint32_t)h.ram[0x12] << 16);
	assert_int_equal(get32(h.resp + 12), (uint32_t)h.ram[0x13] << 24);
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE16 | UD_AP_CSW_ADDRINC_SINGLE);
	h_ap_write(AP_TAR, 0x20000013u); /* unaligned: aligned down */
	assert_int_equal(h_ap_read(AP_DRW), (uint32_t)get16(h.ram + 0x12) << 16);
	assert_int_equal(h_ap_read(AP_TAR), 0x20000015u);
}

static void test_banked_data(void **state)
{
	(void)state;
	h_ap_write(AP_TAR, 0x20000208u); /* BDn use TAR[31:4] */
	h_dp_write(DP_SELECT, 0x10);
	EXEC(0x05, 0x00, 0x04, 0x03, 0x07, 0x0b, 0x0f);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(get32(h.resp + 3 + 4 * i), ram32(0x200 + 4 * i));
	EXEC(0x05, 0x00, 0x02, 0x09, 0x44, 0x33, 0x22, 0x11, 0x0d, 0x88, 0x77, 0x66, 0x55);
	EXPECT(0x05, 0x02, 0x01);
	assert_int_equal(ram32(0x208), 0x11223344u);
	assert_int_equal(ram32(0x20c), 0x55667788u);
	h_dp_write(DP_SELECT, 0);
	assert_int_equal(h_ap_read(AP_TAR), 0x20000208u); /* BDn do not increment */
}

static void test_absent_aps(void **state)
{
	(void)state;
	for (unsigned ap = 1; ap < 256; ap += 37) {
		h_dp_write(DP_SELECT, (uint32_t)ap << 24 | 0xf0);
		assert_int_equal(h_ap_read(0x0c), 0); /* IDR 0: no AP */
		h_dp_write(DP_SELECT, (uint32_t)ap << 24);
		h_ap_write(AP_TAR, 0x20000000u);
		h_ap_write(AP_DRW, 0xffffffffu);
		assert_int_equal(h_ap_read(AP_DRW), 0);
	}
	assert_int_equal(ram32(0), 0x03020100u); /* untouched */
}

static void test_ram_bounds(void **state)
{
	(void)state;
	h_ap_write(AP_TAR, 0x20000000u + H_RAM_SIZE - 4);
	h_ap_write(AP_DRW, 0x01020304u);
	assert_int_equal(ram32(H_RAM_SIZE - 4), 0x01020304u);
	h_ap_write(AP_TAR, 0x20000000u + H_RAM_SIZE);
	EXEC(0x05, 0x00, 0x01, 0x0f); /* acknowledged, then the bus error faults RDBUFF */
	EXPECT(0x05, 0x00, 0x04);
	assert_int_equal(h.t.bus_errors, 1);
	EXEC(0x08, 0x00, 0x04, 0x00, 0x00, 0x00);
	h_ap_write(AP_TAR, 0x1ffffffcu);
	EXEC(0x05, 0x00, 0x01, 0x0f);
	EXPECT(0x05, 0x00, 0x04);
	assert_int_equal(h.t.bus_errors, 2);
	EXEC(0x08, 0x00, 0x04, 0x00, 0x00, 0x00);
	h_ap_write(AP_TAR, 0x10000000u);
	h_dp_write(DP_SELECT, 0x10); /* BD0 outside too */
	EXEC(0x05, 0x00, 0x01, 0x03);
	EXPECT(0x05, 0x00, 0x04);
	assert_int_equal(h.t.bus_errors, 3);
}

static void test_no_ram(void **state)
{
	(void)state;
	ud_swd_target_init(&h.t, NULL, 1234);
	h_attach();
	h_memap_word();
	h_ap_write(AP_TAR, 0x20000000u);
	EXEC(0x05, 0x00, 0x01, 0x0f);
	EXPECT(0x05, 0x00, 0x04);
}

static void test_overrun_detection(void **state)
{
	(void)state;
	h_dp_write(DP_CTRL, UD_DP_CSYSPWRUPREQ | UD_DP_CDBGPWRUPREQ | UD_DP_ORUNDETECT);
	EXEC(0x04, 0x00, 0x05, 0x00, 0x00, 0x00);
	h.t.inject_wait = 1;
	EXEC(0x05, 0x00, 0x01, 0x0f); /* WAIT sets STICKYORUN: the retry faults */
	EXPECT(0x05, 0x00, 0x04);
	assert_true(h_dp_read(DP_CTRL) & UD_DP_STICKYORUN);
	EXEC(0x08, 0x00, 0x10, 0x00, 0x00, 0x00); /* ORUNERRCLR */
	assert_false(h_dp_read(DP_CTRL) & UD_DP_STICKYORUN);
	h_ap_read(AP_CSW);
	/* WDATAERR (a write's bad parity) is sticky too. */
	ud_swd_target_write(&h.t, UD_SWD_APNDP | AP_DRW, 0, false);
	EXEC(0x05, 0x00, 0x01, 0x0f);
	EXPECT(0x05, 0x00, 0x04);
	EXEC(0x08, 0x00, 0x18, 0x00, 0x00, 0x00); /* WDERRCLR, ORUNERRCLR (the FAULT set it) */
	h_ap_read(AP_CSW);
	/* STKCMPCLR and DAPABORT are accepted. */
	EXEC(0x08, 0x00, 0x03, 0x00, 0x00, 0x00);
	EXPECT(0x08, 0x00);
}

static void test_power_requests(void **state)
{
	(void)state;
	h_dp_write(DP_CTRL, UD_DP_CDBGPWRUPREQ | UD_DP_CDBGRSTREQ);
	assert_int_equal(h_dp_read(DP_CTRL) & 0xfc000000u, UD_DP_CDBGPWRUPREQ | UD_DP_CDBGPWRUPACK |
	                                                           UD_DP_CDBGRSTREQ |
	                                                           UD_DP_CDBGRSTACK);
	h_dp_write(DP_CTRL, 0); /* dropping a request drops its acknowledge */
	assert_int_equal(h_dp_read(DP_CTRL) & 0xfc000000u, 0);
	h.t.powerup_delay = 2;
	h_dp_write(DP_CTRL, UD_DP_CSYSPWRUPREQ);
	assert_int_equal(h_dp_read(DP_CTRL) & UD_DP_CSYSPWRUPACK, 0);
	assert_int_equal(h_dp_read(DP_CTRL) & UD_DP_CSYSPWRUPACK, UD_DP_CSYSPWRUPACK);
	/* DP 0xC write (nothing in DPv1) is accepted and ignored. */
	h_dp_write(DP_RDBUFF, 0xffffffffu);
}

static void test_select_sequences(void **state)
{
	(void)state;
	/* SWD-to-JTAG (0xE73C after a line reset) leaves SWD: nothing answers. */
	EXEC(0x12, 0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3c, 0xe7);
	assert_int_equal(h.t.mode, UD_SWD_TARGET_JTAG);
	EXEC(0x05, 0x00, 0x01, 0x02);
	EXPECT(0x05, 0x00, 0x07);
	/* Another 16-bit pattern is not a select. */
	EXEC(0x12, 0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x12, 0xe7);
	assert_int_equal(h.t.mode, UD_SWD_TARGET_JTAG);
	h_attach();
	assert_int_equal(h.t.mode, UD_SWD_TARGET_SWD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_csw, setup),
		cmocka_unit_test_setup(test_autoincrement_wraps_at_1k, setup),
		cmocka_unit_test_setup(test_banked_data, setup),
		cmocka_unit_test_setup(test_absent_aps, setup),
		cmocka_unit_test_setup(test_ram_bounds, setup),
		cmocka_unit_test_setup(test_no_ram, setup),
		cmocka_unit_test_setup(test_overrun_detection, setup),
		cmocka_unit_test_setup(test_power_requests, setup),
		cmocka_unit_test_setup(test_select_sequences, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
