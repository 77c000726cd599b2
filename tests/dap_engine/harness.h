/* SPDX-License-Identifier: MIT */
/*
 * Test harness for the DAP engine: one engine in front of the simulated SWD target
 * (sim/swd_target.h), packets built byte by byte, and every execution checked for staying
 * inside both packets (the request and the response live in heap blocks of exactly their
 * size, so AddressSanitizer sees a single byte too far; a canary catches it without ASan).
 */
#ifndef UD_TEST_DAP_HARNESS_H
#define UD_TEST_DAP_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "swd_target.h"
#include "udcore/ud_dap_engine.h"

#define H_RAM_SIZE 4096u
#define H_PACKET_SIZE 64u

/* Request bits of DAP_Transfer. */
#define T_AP UD_SWD_APNDP
#define T_RD UD_SWD_RNW
#define T_MATCH 0x10u
#define T_MASK 0x20u
#define T_STAMP 0x80u

/* DP register addresses and MEM-AP register addresses (A[3:2]). */
#define DP_DPIDR 0x0u
#define DP_ABORT 0x0u
#define DP_CTRL 0x4u
#define DP_SELECT 0x8u
#define DP_RESEND 0x8u
#define DP_RDBUFF 0xcu
#define AP_CSW 0x0u
#define AP_TAR 0x4u
#define AP_DRW 0xcu

struct pkt {
	uint8_t b[2048];
	uint32_t n;
};

struct harness {
	struct ud_swd_target t;
	uint8_t ram[H_RAM_SIZE];
	struct ud_dap_info info;
	struct ud_dap_engine e;
	uint8_t resp[2048]; /* the last response */
	uint32_t len;       /* its length */
};

extern struct harness h;

/* Fresh target, engine over the transfer-level sim backend (or @io/@ctx if not NULL). */
void h_init(void);
void h_init_io(const struct ud_swd_io *io, void *ctx);

/* Execute @req (@n bytes) with a response packet of @cap bytes; returns the length. */
uint32_t h_exec_cap(const uint8_t *req, uint32_t n, uint32_t cap);
uint32_t h_exec(const uint8_t *req, uint32_t n);
uint32_t h_exec_pkt(const struct pkt *p);
#define EXEC(...)                                                                                  \
	h_exec((const uint8_t[]){__VA_ARGS__}, (uint32_t)sizeof((const uint8_t[]){__VA_ARGS__}))

/* Assert the last response equals these bytes exactly. */
void h_expect(const uint8_t *want, uint32_t n);
#define EXPECT(...)                                                                                \
	h_expect((const uint8_t[]){__VA_ARGS__}, (uint32_t)sizeof((const uint8_t[]){__VA_ARGS__}))
/* Assert the last response is the single byte 0xFF (malformed or unknown). */
void h_expect_invalid(void);

/* Packet building, little endian. */
void pkt_init(struct pkt *p, uint8_t id);
void pkt_u8(struct pkt *p, uint8_t v);
void pkt_u16(struct pkt *p, uint16_t v);
void pkt_u32(struct pkt *p, uint32_t v);

uint16_t get16(const uint8_t *p);
uint32_t get32(const uint8_t *p);

/* Single transfers through DAP_Transfer; each asserts count 1 and ACK OK. */
uint32_t h_dp_read(uint8_t addr);
void h_dp_write(uint8_t addr, uint32_t v);
uint32_t h_ap_read(uint8_t addr);
void h_ap_write(uint8_t addr, uint32_t v);

/* DAP_Connect(SWD), the JTAG-to-SWD sequence, DPIDR read, ABORT, power-up. */
void h_attach(void);
/* Select MEM-AP 0 bank 0, CSW word + single auto-increment. */
void h_memap_word(void);

/* The 136-bit sequence OpenOCD sends for JTAG-to-SWD (line reset, 0xE79E, line reset,
 * idle), as DAP_SWJ_Sequence data. */
extern const uint8_t h_jtag_to_swd[17];

#endif /* UD_TEST_DAP_HARNESS_H */
