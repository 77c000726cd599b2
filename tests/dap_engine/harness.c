/* SPDX-License-Identifier: MIT */
#include "harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

struct harness h;

#define CANARY 0xa5u
#define CANARY_BYTES 16u

const uint8_t h_jtag_to_swd[17] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* 56 cycles high: line reset */
	0x9e, 0xe7,                               /* JTAG-to-SWD select */
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* line reset */
	0x00,                                     /* idle */
};

void h_init_io(const struct ud_swd_io *io, void *ctx)
{
	memset(&h, 0, sizeof(h));
	ud_swd_target_init(&h.t, h.ram, sizeof(h.ram));
	h.info = (struct ud_dap_info){
		.vendor = "udcore",
		.product = "udcore CMSIS-DAP",
		.serial = "0001",
		.firmware_version = "0.1.0",
		.target_name = "sim",
		.packet_count = 4,
		.packet_size = H_PACKET_SIZE,
	};
	ud_dap_engine_init(&h.e, &h.info, io ? io : &ud_swd_target_io, io ? ctx : &h.t);
}

void h_init(void)
{
	h_init_io(NULL, NULL);
}

uint32_t h_exec_cap(const uint8_t *req, uint32_t n, uint32_t cap)
{
	/* Exactly-sized heap blocks: ASan reports any access past either packet. */
	uint8_t *in = malloc(n ? n : 1);
	uint8_t *out = malloc(cap + CANARY_BYTES);
	assert_non_null(in);
	assert_non_null(out);
	if (n)
		memcpy(in, req, n);
	memset(out, CANARY, cap + CANARY_BYTES);
	uint32_t len = ud_dap_engine_execute(&h.e, n ? in : NULL, n, out, cap);
	uint32_t limit =
		(cap < h.info.packet_size || !h.info.packet_size) ? cap : h.info.packet_size;
	assert_true(len <= limit);
	for (uint32_t i = len; i < cap + CANARY_BYTES; i++)
		assert_int_equal(out[i], CANARY);         /* nothing written past the response */
	assert_memory_equal(in, req, n);                  /* the request is left as it was */
	assert_int_equal(UD_LOAD(&h.e.busy_seq) & 1u, 0); /* not "executing" any more */
	memcpy(h.resp, out, len);
	h.len = len;
	free(in);
	free(out);
	return len;
}

uint32_t h_exec(const uint8_t *req, uint32_t n)
{
	return h_exec_cap(req, n, H_PACKET_SIZE);
}

uint32_t h_exec_pkt(const struct pkt *p)
{
	return h_exec(p->b, p->n);
}

void h_expect(const uint8_t *want, uint32_t n)
{
	assert_int_equal(h.len, n);
	assert_memory_equal(h.resp, want, n);
}

void h_expect_invalid(void)
{
	assert_int_equal(h.len, 1);
	assert_int_equal(h.resp[0], UD_DAP_INVALID);
}

void pkt_init(struct pkt *p, uint8_t id)
{
	p->n = 0;
	pkt_u8(p, id);
}

void pkt_u8(struct pkt *p, uint8_t v)
{
	assert_true(p->n < sizeof(p->b));
	p->b[p->n++] = v;
}

void pkt_u16(struct pkt *p, uint16_t v)
{
	pkt_u8(p, (uint8_t)v);
	pkt_u8(p, (uint8_t)(v >> 8));
}

void pkt_u32(struct pkt *p, uint32_t v)
{
	pkt_u16(p, (uint16_t)v);
	pkt_u16(p, (uint16_t)(v >> 16));
}

uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint32_t one_read(uint8_t req)
{
	struct pkt p;
	pkt_init(&p, 0x05);
	pkt_u8(&p, 0);
	pkt_u8(&p, 1);
	pkt_u8(&p, req);
	h_exec_pkt(&p);
	assert_int_equal(h.len, 7);
	assert_int_equal(h.resp[0], 0x05);
	assert_int_equal(h.resp[1], 1);
	assert_int_equal(h.resp[2], UD_SWD_ACK_OK);
	return get32(h.resp + 3);
}

static void one_write(uint8_t req, uint32_t v)
{
	struct pkt p;
	pkt_init(&p, 0x05);
	pkt_u8(&p, 0);
	pkt_u8(&p, 1);
	pkt_u8(&p, req);
	pkt_u32(&p, v);
	h_exec_pkt(&p);
	EXPECT(0x05, 1, UD_SWD_ACK_OK);
}

uint32_t h_dp_read(uint8_t addr)
{
	return one_read((uint8_t)(T_RD | addr));
}

void h_dp_write(uint8_t addr, uint32_t v)
{
	one_write(addr, v);
}

uint32_t h_ap_read(uint8_t addr)
{
	return one_read((uint8_t)(T_AP | T_RD | addr));
}

void h_ap_write(uint8_t addr, uint32_t v)
{
	one_write((uint8_t)(T_AP | addr), v);
}

void h_attach(void)
{
	struct pkt p;

	EXEC(0x02, 0x01);
	EXPECT(0x02, 0x01);
	pkt_init(&p, 0x12);
	pkt_u8(&p, 136);
	for (unsigned i = 0; i < sizeof(h_jtag_to_swd); i++)
		pkt_u8(&p, h_jtag_to_swd[i]);
	h_exec_pkt(&p);
	EXPECT(0x12, 0x00);
	assert_int_equal(h_dp_read(DP_DPIDR), UD_SWD_TARGET_DPIDR);
	h_dp_write(DP_ABORT, 0x1e);
	h_dp_write(DP_SELECT, 0);
	h_dp_write(DP_CTRL, UD_DP_CSYSPWRUPREQ | UD_DP_CDBGPWRUPREQ);
	assert_int_equal(h_dp_read(DP_CTRL) & (UD_DP_CSYSPWRUPACK | UD_DP_CDBGPWRUPACK),
	                 UD_DP_CSYSPWRUPACK | UD_DP_CDBGPWRUPACK);
}

void h_memap_word(void)
{
	h_dp_write(DP_SELECT, 0);
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE32 | UD_AP_CSW_ADDRINC_SINGLE);
}
