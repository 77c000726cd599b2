/* SPDX-License-Identifier: MIT */
/**
 * @file swd_target.h
 * @brief A simulated SWD target: an SWJ-DP with one AHB MEM-AP in front of RAM.
 *
 * The model (ADIv5, DPv1):
 * - SWJ: starts in JTAG mode; a line reset (50 or more cycles with SWDIO high) followed by the
 *   16-bit JTAG-to-SWD select sequence 0xE79E switches to SWD (0xE73C back to JTAG). In SWD, a
 *   line reset puts the DP in its reset state, where only a DPIDR read is answered: any other
 *   request, or a malformed header, locks the target out (no acknowledge) until the next line
 *   reset. After the select sequence a line reset is needed too.
 * - DP: DPIDR 0x2BA01477; CTRL/STAT with the power-up requests (CSYSPWRUPREQ, CDBGPWRUPREQ,
 *   CDBGRSTREQ) acknowledged after `powerup_delay` CTRL/STAT reads; WCR (SELECT.CTRLSEL = 1)
 *   whose TURNROUND sets the turnaround; SELECT; RESEND; RDBUFF returning the last posted AP
 *   read; ABORT clearing the sticky flags. A sticky flag (STICKYERR, WDATAERR, STICKYORUN)
 *   makes every request FAULT except DPIDR, CTRL/STAT (WCR) and RESEND reads and ABORT
 *   writes. With ORUNDETECT, a WAIT or FAULT sets STICKYORUN.
 * - AP 0: an AHB MEM-AP, IDR 0x24770011, BASE 0xFFFFFFFF (no ROM table), CFG 0; CSW with
 *   Size (byte, halfword, word; other sizes are ignored) and AddrInc (single; packed is
 *   treated as single), TAR, DRW with auto-increment inside 1 KiB (TAR[9:0] only, as the
 *   architecture allows), BD0..BD3 (word accesses at TAR[31:4] + 4n). Data uses byte lanes:
 *   a byte at address A is in bits 8*(A%4)..; unaligned halfword and word addresses are
 *   aligned down. AP reads are posted: each returns the previous AP read's value.
 * - Memory: RAM of `ram_size` bytes at UD_SWD_TARGET_RAM_BASE. An access elsewhere is a bus
 *   error: the access is acknowledged OK (it is posted), STICKYERR is set, and the following
 *   requests FAULT.
 * - Other AP indexes are absent: they read as zero (IDR 0) and ignore writes.
 * - Injection: the next `inject_wait` eligible requests answer WAIT, then the next
 *   `inject_fault` answer FAULT (and set STICKYERR); `inject_no_ack` requests get no answer;
 *   `inject_parity` OK reads get a wrong parity bit (transfer-level backend only). DPIDR and
 *   CTRL/STAT reads and ABORT writes are never WAITed or FAULTed (the way out of both).
 *
 * `ud_swd_target_io` is the transfer-level backend (struct ud_swd_io, ctx = the target). The
 * lower-level functions let a wire model (tests/dap_engine/wire_model.c) put the same
 * registers behind clock edges. The struct is plain data: the RAM and the hook context are
 * pointers the owner provides (into the same world for the simulator), so a world that holds
 * it can be saved and restored with memcpy. No heap; time is virtual (`time_us`).
 */
#ifndef UD_SIM_SWD_TARGET_H
#define UD_SIM_SWD_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_swd.h"

#define UD_SWD_TARGET_DPIDR 0x2ba01477u
#define UD_SWD_TARGET_AP_IDR 0x24770011u
#define UD_SWD_TARGET_AP_BASE 0xffffffffu
#define UD_SWD_TARGET_RAM_BASE 0x20000000u

/** @name DP CTRL/STAT bits
 * @{ */
#define UD_DP_ORUNDETECT 0x00000001u
#define UD_DP_STICKYORUN 0x00000002u
#define UD_DP_STICKYCMP 0x00000010u
#define UD_DP_STICKYERR 0x00000020u
#define UD_DP_READOK 0x00000040u
#define UD_DP_WDATAERR 0x00000080u
#define UD_DP_CDBGRSTREQ 0x04000000u
#define UD_DP_CDBGRSTACK 0x08000000u
#define UD_DP_CDBGPWRUPREQ 0x10000000u
#define UD_DP_CDBGPWRUPACK 0x20000000u
#define UD_DP_CSYSPWRUPREQ 0x40000000u
#define UD_DP_CSYSPWRUPACK 0x80000000u
/** @} */

/** @name DP ABORT bits
 * @{ */
#define UD_DP_DAPABORT 0x01u
#define UD_DP_STKCMPCLR 0x02u
#define UD_DP_STKERRCLR 0x04u
#define UD_DP_WDERRCLR 0x08u
#define UD_DP_ORUNERRCLR 0x10u
/** @} */

/** @name MEM-AP CSW fields
 * @{ */
#define UD_AP_CSW_SIZE_MASK 0x07u
#define UD_AP_CSW_SIZE8 0x00u
#define UD_AP_CSW_SIZE16 0x01u
#define UD_AP_CSW_SIZE32 0x02u
#define UD_AP_CSW_ADDRINC_SINGLE 0x10u
#define UD_AP_CSW_ADDRINC_PACKED 0x20u
#define UD_AP_CSW_DEVICEEN 0x40u
/** @} */

enum ud_swd_target_mode {
	UD_SWD_TARGET_JTAG,
	UD_SWD_TARGET_SWD,
};

enum ud_swd_target_state {
	UD_SWD_TARGET_RUN,     /**< answering requests */
	UD_SWD_TARGET_RESET,   /**< after a line reset: only a DPIDR read is answered */
	UD_SWD_TARGET_LOCKOUT, /**< protocol error: silent until a line reset */
};

struct ud_swd_target {
	/* Memory (owned by the caller). */
	uint8_t *ram;
	uint32_t ram_size;
	/* Wire state. */
	uint8_t mode;      /**< enum ud_swd_target_mode */
	uint8_t state;     /**< enum ud_swd_target_state */
	uint8_t ones;      /**< consecutive 1s on the line, saturating */
	uint8_t capture_n; /**< bits captured of a select sequence (0: not capturing) */
	uint16_t capture;  /**< the select sequence so far, LSB first */
	/* Debug port. */
	uint32_t ctrl_stat, select, wcr, rdbuff, resend;
	uint32_t pwr_polls; /**< CTRL/STAT reads left before the power-up acknowledge */
	/* MEM-AP. */
	uint32_t csw, tar;
	/* Configuration and fault injection, set by the owner. */
	uint32_t powerup_delay;
	uint32_t inject_wait, inject_fault, inject_no_ack, inject_parity;
	/** Called at the start of every request (before it is answered); may change the
	 * target, or abort the engine, as another context would. */
	void (*on_request)(void *ctx, struct ud_swd_target *t);
	void *hook_ctx;
	/* Observations. */
	uint32_t requests;    /**< requests (headers) seen */
	uint32_t waits;       /**< WAIT answers */
	uint32_t faults;      /**< FAULT answers */
	uint32_t no_acks;     /**< requests not answered */
	uint32_t bus_errors;  /**< memory accesses outside RAM */
	uint32_t line_resets; /**< line resets seen */
	uint32_t connects, disconnects;
	uint64_t time_us; /**< virtual time: DAP_Delay and pin waits add to it */
	uint32_t clock_hz;
	uint8_t pins; /**< UD_SWJ_* levels */
	uint8_t leds; /**< bit 0 connect, bit 1 running */
};

/** @brief Power-on state (JTAG mode, registers reset) over @p ram, which is zeroed. */
void ud_swd_target_init(struct ud_swd_target *t, uint8_t *ram, uint32_t ram_size);

/** @brief One cycle of SWDIO as the target samples it outside a transfer (host driven, or
 * pulled up): line resets and select sequences are recognised here. */
void ud_swd_target_line_bit(struct ud_swd_target *t, uint8_t bit);

/** @brief ud_swd_target_line_bit() for @p bits bits of @p data, LSB first. */
void ud_swd_target_line(struct ud_swd_target *t, uint32_t bits, const uint8_t *data);

/**
 * @brief A request header was received (@p req: UD_SWD_APNDP | UD_SWD_RNW | A2 | A3):
 * decide the acknowledge. For an OK read, performs the read and stores its value in
 * *@p rdata; an OK write completes with ud_swd_target_write() once its data arrived.
 * @return UD_SWD_ACK_OK, _WAIT, _FAULT, or _NONE (the target stays silent).
 */
uint8_t ud_swd_target_request(struct ud_swd_target *t, uint8_t req, uint32_t *rdata);

/** @brief The data phase of a write acknowledged OK; @p parity_ok false: the data's parity
 * bit was wrong, the write is dropped and WDATAERR set. */
void ud_swd_target_write(struct ud_swd_target *t, uint8_t req, uint32_t data, bool parity_ok);

/** @brief A malformed request header: the target locks out until a line reset. */
void ud_swd_target_protocol_error(struct ud_swd_target *t);

/** @brief Turnaround cycles the target uses (WCR.TURNROUND + 1). */
uint8_t ud_swd_target_turnaround(const struct ud_swd_target *t);

/** @brief True if the target expects a data phase after WAIT/FAULT (CTRL/STAT.ORUNDETECT). */
bool ud_swd_target_data_phase(const struct ud_swd_target *t);

/** @brief The transfer-level backend; its ctx is a `struct ud_swd_target *`. A transfer whose
 * turnaround differs from the target's is a protocol error (no acknowledge, lockout). */
extern const struct ud_swd_io ud_swd_target_io;

#endif /* UD_SIM_SWD_TARGET_H */
