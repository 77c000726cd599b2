/* SPDX-License-Identifier: MIT */
#include "openocd_seq.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

void openocd_init(void)
{
	struct pkt p;

	h.t.powerup_delay = 3;

	EXEC(0x00, 0xf0); /* capabilities: SWD, atomic commands */
	EXPECT(0x00, 0x01, 0x11);
	EXEC(0x00, 0x04); /* protocol version */
	EXPECT(0x00, 0x06, '2', '.', '1', '.', '1', 0);
	EXEC(0x00, 0x03); /* serial number */
	EXPECT(0x00, 0x05, '0', '0', '0', '1', 0);
	EXEC(0x02, 0x01); /* DAP_Connect SWD */
	EXPECT(0x02, 0x01);
	assert_int_equal(h.e.port, UD_DAP_PORT_SWD);
	EXEC(0x00, 0xff); /* packet size */
	EXPECT(0x00, 0x02, H_PACKET_SIZE, 0x00);
	EXEC(0x00, 0xfe); /* packet count */
	EXPECT(0x00, 0x01, 0x04);
	EXEC(0x10, 0x80, 0x80, 0x00, 0x00, 0x00, 0x00); /* SWJ_Pins: release nRESET */
	assert_int_equal(h.len, 2);
	assert_int_equal(h.resp[0], 0x10);
	assert_int_equal(h.resp[1] & UD_SWJ_NRESET, UD_SWJ_NRESET);
	EXEC(0x11, 0x40, 0x42, 0x0f, 0x00); /* SWJ_Clock 1 MHz */
	EXPECT(0x11, 0x00);
	assert_int_equal(h.e.clock_hz, 1000000);
	EXEC(0x04, 0x00, 0x40, 0x00, 0x00, 0x00); /* TransferConfigure: 0 idle, 64 WAITs, 0 */
	EXPECT(0x04, 0x00);
	EXEC(0x13, 0x00); /* SWD_Configure: turnaround 1, no data phase */
	EXPECT(0x13, 0x00);
	EXEC(0x01, 0x00, 0x01); /* HostStatus: connected */
	EXPECT(0x01, 0x00);
	assert_int_equal(h.t.leds & 1, 1);

	pkt_init(&p, 0x12); /* SWJ_Sequence: JTAG-to-SWD */
	pkt_u8(&p, 136);
	for (unsigned i = 0; i < sizeof(h_jtag_to_swd); i++)
		pkt_u8(&p, h_jtag_to_swd[i]);
	h_exec_pkt(&p);
	EXPECT(0x12, 0x00);
	assert_int_equal(h.t.mode, UD_SWD_TARGET_SWD);
	assert_int_equal(h.t.state, UD_SWD_TARGET_RESET);

	EXEC(0x05, 0x00, 0x01, 0x02); /* read DPIDR */
	EXPECT(0x05, 0x01, 0x01, 0x77, 0x14, 0xa0, 0x2b);
	EXEC(0x05, 0x00, 0x01, 0x00, 0x1e, 0x00, 0x00, 0x00); /* write ABORT: clear stickies */
	EXPECT(0x05, 0x01, 0x01);
	/* SELECT 0, CTRL/STAT CSYSPWRUPREQ | CDBGPWRUPREQ, then read CTRL/STAT */
	EXEC(0x05, 0x00, 0x03, 0x08, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x50, 0x06);
	assert_int_equal(h.len, 7);
	assert_int_equal(h.resp[1], 3);
	assert_int_equal(h.resp[2], UD_SWD_ACK_OK);
	assert_int_equal(get32(h.resp + 3) & 0xa0000000u, 0); /* not acknowledged yet */
	unsigned polls = 1;
	do {
		EXEC(0x05, 0x00, 0x01, 0x06);
		assert_int_equal(h.len, 7);
		assert_int_equal(h.resp[2], UD_SWD_ACK_OK);
		polls++;
	} while ((get32(h.resp + 3) & 0xa0000000u) != 0xa0000000u && polls < 10);
	assert_int_equal(polls, 3); /* acknowledged at the third read */
	assert_int_equal(get32(h.resp + 3), 0xf0000000u);
}

/* DAP_TransferBlock write of @n words at @addr (TAR first, with DAP_Transfer). */
static void block_write(uint32_t addr, const uint32_t *w, unsigned n)
{
	struct pkt p;

	h_ap_write(AP_TAR, addr);
	pkt_init(&p, 0x06);
	pkt_u8(&p, 0);
	pkt_u16(&p, (uint16_t)n);
	pkt_u8(&p, T_AP | AP_DRW);
	for (unsigned i = 0; i < n; i++)
		pkt_u32(&p, w[i]);
	h_exec_pkt(&p);
	EXPECT(0x06, (uint8_t)n, 0x00, 0x01);
}

static void block_read(uint32_t addr, uint32_t *w, unsigned n)
{
	h_ap_write(AP_TAR, addr);
	EXEC(0x06, 0x00, (uint8_t)n, 0x00, T_AP | T_RD | AP_DRW);
	assert_int_equal(h.len, 4 + 4 * n);
	assert_int_equal(get16(h.resp + 1), n);
	assert_int_equal(h.resp[3], UD_SWD_ACK_OK);
	for (unsigned i = 0; i < n; i++)
		w[i] = get32(h.resp + 4 + 4 * i);
}

static void identify(void)
{
	h_dp_write(DP_SELECT, 0x000000f0u);                             /* AP 0, bank 0xF */
	EXEC(0x05, 0x00, 0x02, T_AP | T_RD | 0x0c, T_AP | T_RD | 0x08); /* IDR, BASE */
	assert_int_equal(h.len, 11);
	assert_int_equal(h.resp[1], 2);
	assert_int_equal(get32(h.resp + 3), UD_SWD_TARGET_AP_IDR);
	assert_int_equal(get32(h.resp + 7), UD_SWD_TARGET_AP_BASE);
	h_dp_write(DP_SELECT, 0x010000f0u); /* AP 1: absent, IDR reads 0 */
	assert_int_equal(h_ap_read(0x0c), 0);
}

static void words(void)
{
	uint32_t w[64], r[64];

	for (unsigned i = 0; i < 64; i++)
		w[i] = 0x01020304u * (i + 1) ^ 0xa5a5a5a5u;
	h_memap_word();
	/* Four words with DAP_Transfer: TAR, then DRW four times (auto-increment). */
	EXEC(0x05, 0x00, 0x05, T_AP | AP_TAR, 0x00, 0x01, 0x00, 0x20, T_AP | AP_DRW, 0x11, 0x22,
	     0x33, 0x44, T_AP | AP_DRW, 0x55, 0x66, 0x77, 0x88, T_AP | AP_DRW, 0x99, 0xaa, 0xbb,
	     0xcc, T_AP | AP_DRW, 0xdd, 0xee, 0xff, 0x00);
	EXPECT(0x05, 0x05, 0x01);
	static const uint8_t want[16] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
	                                 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00};
	assert_memory_equal(h.ram + 0x100, want, sizeof(want));
	/* And back with DAP_Transfer: TAR, then four posted DRW reads. */
	EXEC(0x05, 0x00, 0x05, T_AP | AP_TAR, 0x00, 0x01, 0x00, 0x20, T_AP | T_RD | AP_DRW,
	     T_AP | T_RD | AP_DRW, T_AP | T_RD | AP_DRW, T_AP | T_RD | AP_DRW);
	assert_int_equal(h.len, 3 + 16);
	assert_int_equal(h.resp[1], 5);
	assert_memory_equal(h.resp + 3, want, sizeof(want));

	/* 256 bytes with DAP_TransferBlock, 14 words per packet (5 + 56 bytes). */
	for (unsigned i = 0; i < 64; i += 14)
		block_write(0x20000400u + 4 * i, w + i, i + 14 <= 64 ? 14 : 64 - i);
	for (unsigned i = 0; i < 64; i++) {
		uint8_t le[4] = {(uint8_t)w[i], (uint8_t)(w[i] >> 8), (uint8_t)(w[i] >> 16),
		                 (uint8_t)(w[i] >> 24)};
		assert_memory_equal(h.ram + 0x400 + 4 * i, le, 4);
	}
	/* Read back, 15 words per packet (4 + 60 bytes). */
	for (unsigned i = 0; i < 64; i += 15)
		block_read(0x20000400u + 4 * i, r + i, i + 15 <= 64 ? 15 : 64 - i);
	assert_memory_equal(r, w, sizeof(w));
	assert_int_equal(h.t.bus_errors, 0);
}

static void sub_words(void)
{
	h_dp_write(DP_SELECT, 0);
	memset(h.ram + 0x300, 0x5a, 8);
	/* Bytes: the byte for address A travels in lane A % 4. */
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE8 | UD_AP_CSW_ADDRINC_SINGLE);
	h_ap_write(AP_TAR, 0x20000301u);
	h_ap_write(AP_DRW, 0x0000ab00u);
	h_ap_write(AP_DRW, 0x00cd0000u);
	static const uint8_t bytes[8] = {0x5a, 0xab, 0xcd, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a};
	assert_memory_equal(h.ram + 0x300, bytes, 8);
	/* Halfwords: lanes 2..3, then 0..1 of the next word. */
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE16 | UD_AP_CSW_ADDRINC_SINGLE);
	h_ap_write(AP_TAR, 0x20000306u);
	h_ap_write(AP_DRW, 0xbeef0000u);
	h_ap_write(AP_DRW, 0x0000f00du);
	static const uint8_t halves[10] = {0x5a, 0xab, 0xcd, 0x5a, 0x5a,
	                                   0x5a, 0xef, 0xbe, 0x0d, 0xf0};
	assert_memory_equal(h.ram + 0x300, halves, sizeof(halves));
	/* Read them back through the same lanes. */
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE8 | UD_AP_CSW_ADDRINC_SINGLE);
	h_ap_write(AP_TAR, 0x20000302u);
	EXEC(0x05, 0x00, 0x02, T_AP | T_RD | AP_DRW, T_AP | T_RD | AP_DRW);
	assert_int_equal(h.len, 11);
	assert_int_equal(get32(h.resp + 3), 0x00cd0000u);
	assert_int_equal(get32(h.resp + 7), 0x5a000000u);
	h_ap_write(AP_CSW, UD_AP_CSW_SIZE16 | UD_AP_CSW_ADDRINC_SINGLE);
	h_ap_write(AP_TAR, 0x20000306u);
	EXEC(0x05, 0x00, 0x02, T_AP | T_RD | AP_DRW, T_AP | T_RD | AP_DRW);
	assert_int_equal(get32(h.resp + 3), 0xbeef0000u);
	assert_int_equal(get32(h.resp + 7), 0x0000f00du);
}

void openocd_memory(void)
{
	identify();
	words();
	sub_words();
}
