/* SPDX-License-Identifier: MIT */
/*
 * The command sequence OpenOCD sends at `init` for SWD, then memory writes and reads through
 * the MEM-AP, against the transfer-level simulated target (sim/swd_target.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"
#include "openocd_seq.h"

static int setup(void **state)
{
	(void)state;
	h_init();
	return 0;
}

static void test_openocd_init(void **state)
{
	(void)state;
	openocd_init();
	assert_int_equal(h.t.state, UD_SWD_TARGET_RUN);
	assert_int_equal(h.t.connects, 1);
	assert_int_equal(h.t.no_acks, 0);
	assert_int_equal(h.t.faults, 0);
}

static void test_openocd_memory(void **state)
{
	(void)state;
	openocd_init();
	openocd_memory();
	assert_int_equal(h.t.no_acks, 0);
	assert_int_equal(h.t.faults, 0);
}

/* Without the JTAG-to-SWD sequence the target stays in JTAG mode: nothing answers. */
static void test_no_switch_no_answer(void **state)
{
	(void)state;
	EXEC(0x02, 0x01);
	EXEC(0x05, 0x00, 0x01, 0x02);
	EXPECT(0x05, 0x00, UD_SWD_ACK_NONE);
	assert_int_equal(h.t.mode, UD_SWD_TARGET_JTAG);
}

/* After a line reset the first request must read DPIDR; anything else locks the target out
 * until the next line reset. */
static void test_line_reset_wants_dpidr(void **state)
{
	(void)state;
	h_attach();
	EXEC(0x12, 0x38, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff); /* 56 ones */
	assert_int_equal(h.t.state, UD_SWD_TARGET_RESET);
	EXEC(0x05, 0x00, 0x01, 0x06); /* CTRL/STAT first: ignored */
	EXPECT(0x05, 0x00, UD_SWD_ACK_NONE);
	EXEC(0x05, 0x00, 0x01, 0x02); /* now even DPIDR is ignored */
	EXPECT(0x05, 0x00, UD_SWD_ACK_NONE);
	EXEC(0x12, 0x40, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00); /* reset + idle */
	assert_int_equal(h_dp_read(DP_DPIDR), UD_SWD_TARGET_DPIDR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_openocd_init, setup),
		cmocka_unit_test_setup(test_openocd_memory, setup),
		cmocka_unit_test_setup(test_no_switch_no_answer, setup),
		cmocka_unit_test_setup(test_line_reset_wants_dpidr, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
