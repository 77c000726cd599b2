/* SPDX-License-Identifier: MIT */
/**
 * @file ud_swd.h
 * @brief The SWD I/O backend the DAP engine drives.
 *
 * A backend moves bits on the wire; the engine (ud_dap_engine.h) builds the CMSIS-DAP
 * protocol on top: posted reads, WAIT retries, value match, sequences. Two backends ship: a
 * GPIO bit-bang backend for MCUs (ud_swd_gpio.h, pins supplied by the board) and a simulated
 * target in sim/ (swd_target.h) for tests.
 *
 * Every call comes from the context that runs ud_dap_engine_execute(), one at a time; a
 * backend needs no locking against itself. Callbacks marked optional may be NULL.
 */
#ifndef UD_SWD_H
#define UD_SWD_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Request bits: DAP_Transfer's request byte, bits 0..3, as the backend receives them
 * @{ */
#define UD_SWD_APNDP 0x01u /**< 1: access port, 0: debug port */
#define UD_SWD_RNW 0x02u   /**< 1: read, 0: write */
#define UD_SWD_A2 0x04u    /**< register address bit 2 */
#define UD_SWD_A3 0x08u    /**< register address bit 3 */
#define UD_SWD_REQ_MASK 0x0fu
/** @} */

/** SWD acknowledge values as they appear on the wire (3 bits, LSB first). */
enum ud_swd_ack {
	UD_SWD_ACK_OK = 1,
	UD_SWD_ACK_WAIT = 2,
	UD_SWD_ACK_FAULT = 4,
	UD_SWD_ACK_NONE = 7, /**< no target drove the line (pull-up reads 1s) */
};

/** Mask of the acknowledge in ud_swd_io::transfer()'s result. */
#define UD_SWD_ACK_MASK 0x07u
/** Or-ed into ud_swd_io::transfer()'s result: the read data's parity bit was wrong. The same
 * bit as DAP_Transfer's "protocol error" response bit, on purpose. */
#define UD_SWD_PARITY_ERROR 0x08u

/** @name DAP_SWJ_Pins bits (pin output, select and input)
 * @{ */
#define UD_SWJ_SWCLK 0x01u
#define UD_SWJ_SWDIO 0x02u
#define UD_SWJ_TDI 0x04u
#define UD_SWJ_TDO 0x08u
#define UD_SWJ_NTRST 0x20u
#define UD_SWJ_NRESET 0x80u
/** @} */

/** How a transfer is clocked: DAP_SWD_Configure and DAP_TransferConfigure's idle cycles. */
struct ud_swd_cfg {
	uint8_t turnaround;  /**< turnaround period in clock cycles, 1..4 */
	uint8_t data_phase;  /**< 1: clock a data phase after WAIT/FAULT too (sticky overrun) */
	uint8_t idle_cycles; /**< idle cycles (SWDIO low) after each transfer */
};

/** An SWD backend: a table of functions plus the `ctx` pointer passed to each. */
struct ud_swd_io {
	/**
	 * One SWD transfer (request header, turnaround, acknowledge, data phase, idle cycles).
	 * @param request UD_SWD_APNDP | UD_SWD_RNW | UD_SWD_A2 | UD_SWD_A3 (other bits zero);
	 *                the backend adds start, parity, stop and park bits.
	 * @param data    write: the value to write; read: receives the value (untouched when
	 *                the acknowledge is not OK).
	 * @return the acknowledge (enum ud_swd_ack, or any other 3-bit value the wire showed),
	 *         or-ed with UD_SWD_PARITY_ERROR when an OK read's parity bit was wrong.
	 */
	uint8_t (*transfer)(void *ctx, uint8_t request, uint32_t *data,
	                    const struct ud_swd_cfg *cfg);
	/** Drive @p bits bits of @p data on SWDIO, LSB of data[0] first, one per SWCLK cycle
	 * (DAP_SWJ_Sequence, DAP_SWD_Sequence output). @p bits is 1..256. */
	void (*sequence_out)(void *ctx, uint32_t bits, const uint8_t *data);
	/** Release SWDIO and sample it for @p bits cycles (1..64) into @p data, LSB first; the
	 * backend writes all (bits + 7) / 8 bytes, unused high bits zero (DAP_SWD_Sequence). */
	void (*sequence_in)(void *ctx, uint32_t bits, uint8_t *data);
	/**
	 * DAP_SWJ_Pins: drive the pins selected in @p select (UD_SWJ_*) to the levels in
	 * @p value, then wait up to @p wait_us (at most 3000000) for the selected pins to read
	 * back those levels. @return the pin levels read (UD_SWJ_* bits; absent pins read 0).
	 */
	uint8_t (*pins)(void *ctx, uint8_t value, uint8_t select, uint32_t wait_us);
	/** Optional. Set the SWCLK frequency (@p hz > 0); @return the frequency used. */
	uint32_t (*clock)(void *ctx, uint32_t hz);
	/** Optional. Wait @p us microseconds (DAP_Delay, at most 65535). NULL: DAP_Delay answers
	 * DAP_OK at once, without waiting. */
	void (*delay_us)(void *ctx, uint32_t us);
	/** Optional. DAP_Connect in SWD mode: configure the pins for SWD. */
	void (*connect)(void *ctx);
	/** Optional. DAP_Disconnect: release the pins. */
	void (*disconnect)(void *ctx);
	/** Optional. DAP_HostStatus: @p type 0 connect LED, 1 running LED; @p on 0 or 1. */
	void (*host_status)(void *ctx, uint8_t type, uint8_t on);
	/** Optional. DAP_ResetTarget: run a device-specific reset sequence. @return 1 if one
	 * was executed, 0 if the target has none. NULL: none. */
	uint8_t (*reset_target)(void *ctx);
};

#ifdef __cplusplus
}
#endif

#endif /* UD_SWD_H */
