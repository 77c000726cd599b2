/* SPDX-License-Identifier: MIT */
/* The command stream of the queue tests. See dap_stream.h. */
#include "dap_stream.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fake_engine.h"

/* An 8-byte command the fake engine echoes; seq tells responses apart. */
void cmd(uint8_t c[8], uint32_t seq)
{
	c[0] = 0x40;
	c[1] = (uint8_t)seq;
	c[2] = (uint8_t)(seq >> 8);
	c[3] = (uint8_t)(seq >> 16);
	c[4] = (uint8_t)(seq >> 24);
	c[5] = 0xa5;
	c[6] = 0x5a;
	c[7] = (uint8_t)~seq;
}

void send(uint32_t seq)
{
	uint8_t c[8];
	cmd(c, seq);
	assert_int_equal(th_write(&t, c, 8, true), UD_VDC_ACK);
}

enum ud_vdc_result send_packet(uint32_t seq)
{
	uint8_t c[8];
	cmd(c, seq);
	return th_out(&t, c, 8);
}

void expect_response(uint32_t seq)
{
	uint8_t want[8], got[TH_MAX_SIZE];
	cmd(want, seq);
	int n = th_read(&t, got, t.dap.q.size);
	assert_int_equal(n, 8);
	assert_memory_equal(got, want, 8);
}

void expect_no_response(void)
{
	uint8_t got[TH_MAX_SIZE];
	assert_int_equal(th_read(&t, got, t.dap.q.size), -1);
}

int setup_v2(void **state)
{
	(void)state;
	memset(&fe_log, 0, sizeof(fe_log));
	th_init(&t, 2, 4, 64, NULL);
	return 0;
}
