/* SPDX-License-Identifier: MIT */
/**
 * @file ud_dap_engine.h
 * @brief The CMSIS-DAP command processor, independent of any USB transport.
 *
 * The transport (ud_dap.h: v2 bulk or v1 HID) queues request packets and hands them, one at a
 * time, to ud_dap_engine_execute(), which writes the response packet. The engine knows
 * nothing of USB; it talks to the target through a pluggable SWD backend (ud_swd.h). It may
 * run in another context than ud_task() (see ud_dap_process() in ud_dap.h).
 *
 * ## Commands
 *
 * SWD only (no JTAG, no SWO, no UART, no Test Domain Timer), CMSIS-DAP protocol
 * UD_DAP_PROTOCOL_VERSION:
 *
 * | id   | command            | notes                                                        |
 * |------|--------------------|--------------------------------------------------------------|
 * | 0x00 | DAP_Info           | ids 0x01..0x09 strings, 0xF0, 0xFE, 0xFF; others: Len 0       |
 * | 0x01 | DAP_HostStatus     | type 0/1 to io->host_status; other types: DAP_ERROR           |
 * | 0x02 | DAP_Connect        | port 0 (default) and 1 give SWD; 2 (JTAG) and others fail: 0  |
 * | 0x03 | DAP_Disconnect     |                                                              |
 * | 0x04 | DAP_TransferConfigure | idle cycles, WAIT retries, match retries                  |
 * | 0x05 | DAP_Transfer       | value match, match mask, posted AP reads; no time stamps      |
 * | 0x06 | DAP_TransferBlock  | posted AP reads; AP writes checked through RDBUFF             |
 * | 0x07 | DAP_TransferAbort  | out of band, ud_dap_engine_abort(); in band: no response      |
 * | 0x08 | DAP_WriteABORT     |                                                              |
 * | 0x09 | DAP_Delay          |                                                              |
 * | 0x0A | DAP_ResetTarget    | io->reset_target (optional)                                   |
 * | 0x10 | DAP_SWJ_Pins       | wait capped at 3 s                                            |
 * | 0x11 | DAP_SWJ_Clock      | 0 Hz: DAP_ERROR                                               |
 * | 0x12 | DAP_SWJ_Sequence   | count 0 = 256 bits                                            |
 * | 0x13 | DAP_SWD_Configure  |                                                              |
 * | 0x1D | DAP_SWD_Sequence   | cycles 0 = 64                                                 |
 * | 0x7E | DAP_QueueCommands  | executed at once, answered 0x7F like DAP_ExecuteCommands      |
 * | 0x7F | DAP_ExecuteCommands| may not nest 0x7E/0x7F nor hold 0x07                          |
 *
 * Any other id answers the single byte 0xFF (UD_DAP_INVALID).
 *
 * DAP_QueueCommands: the engine executes a 0x7E packet when it is handed over and answers it
 * like DAP_ExecuteCommands (a 0x7F response with that packet's NumCmd and responses), which
 * is the response stream the specification prescribes. A transport that wants the queued
 * packets' atomic timing holds 0x7E packets back and executes them back to back when the
 * first packet that is not 0x7E arrives; the engine does not need to know.
 *
 * ## Malformed requests
 *
 * Before a packet executes, the engine measures it: every field of every command it holds
 * (every sub-command of 0x7E/0x7F) must lie inside the @p req_len bytes, every count must be
 * in the specification's range (DAP_Transfer 1..255, DAP_TransferBlock 1..65535), no
 * DAP_Transfer request may ask for a time stamp (declined: capability bit 5 is 0), and the
 * largest response the packet can produce must fit in the response packet. A packet that
 * fails is not executed at all and answers the single byte 0xFF, as an unknown command does.
 * Bytes after the last command are ignored (HID reports arrive zero-padded).
 *
 * ## Transfer responses
 *
 * DAP_Transfer and DAP_TransferBlock report how many transfers completed and the last
 * acknowledge: 1 OK, 2 WAIT (after the configured retries), 4 FAULT, 7 no acknowledge, or-ed
 * with 0x08 on a read parity error and 0x10 on a value mismatch. A read counts when its value
 * is in the response; a posted AP read is collected with the next AP read or a DP RDBUFF read.
 * Before DAP_Connect, they complete nothing and report 7 (nothing answered); DAP_WriteABORT
 * answers DAP_ERROR. A response byte of 0 means the command was aborted before its first
 * transfer.
 */
#ifndef UD_DAP_ENGINE_H
#define UD_DAP_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "ud_swd.h"
#include "udcore/ud_atomic.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The CMSIS-DAP protocol version DAP_Info 0x04 reports. */
#define UD_DAP_PROTOCOL_VERSION "2.1.1"

/** The single-byte answer to an unknown command or a malformed request. */
#define UD_DAP_INVALID 0xffu

/** @name DAP_Info 0xF0 capability bits (Info0)
 * @{ */
#define UD_DAP_CAP_SWD 0x01u
#define UD_DAP_CAP_JTAG 0x02u
#define UD_DAP_CAP_SWO_UART 0x04u
#define UD_DAP_CAP_SWO_MANCHESTER 0x08u
#define UD_DAP_CAP_ATOMIC 0x10u
#define UD_DAP_CAP_TIMER 0x20u
#define UD_DAP_CAP_SWO_STREAM 0x40u
#define UD_DAP_CAP_UART 0x80u
/** What the engine implements: SWD and atomic commands. DAP_Info 0xF0 reports
 * `info->capabilities & UD_DAP_CAPS_ENGINE`, or UD_DAP_CAPS_ENGINE when it is 0. */
#define UD_DAP_CAPS_ENGINE (UD_DAP_CAP_SWD | UD_DAP_CAP_ATOMIC)
/** @} */

/** @name DAP_Connect port values
 * @{ */
#define UD_DAP_PORT_DISABLED 0u
#define UD_DAP_PORT_SWD 1u
#define UD_DAP_PORT_JTAG 2u
/** @} */

/** What DAP_Info reports; strings are UTF-8 and kept as pointers (NULL: not reported). */
struct ud_dap_info {
	const char *vendor;           /**< 0x01 vendor name */
	const char *product;          /**< 0x02 product name */
	const char *serial;           /**< 0x03 serial number */
	const char *firmware_version; /**< 0x09 product firmware version */
	const char *target_vendor;    /**< 0x05 target device vendor */
	const char *target_name;      /**< 0x06 target device name */
	const char *board_vendor;     /**< 0x07 target board vendor */
	const char *board_name;       /**< 0x08 target board name */
	uint8_t capabilities;         /**< DAP_Info 0xF0 Info0 (UD_DAP_CAP_*); 0: engine's */
	uint8_t packet_count;         /**< DAP_Info 0xFE; set by the transport */
	uint16_t packet_size;         /**< DAP_Info 0xFF; set by the transport; 0: no limit */
};

/**
 * Engine state. Fields are private; zero-initialise, then call ud_dap_engine_init().
 * The struct holds no pointer of its own except to @p info, @p io and @p io_ctx, so a
 * simulation can save and restore it with memcpy.
 */
struct ud_dap_engine {
	const struct ud_dap_info *info;
	const struct ud_swd_io *io;
	void *io_ctx;
	/* Out-of-band abort with plain loads and stores (no read-modify-write): execute() makes
	 * `busy_seq` odd while a packet runs (and even between packets); abort() copies an odd
	 * value into `abort_seq`. A transfer aborts when the two are equal, so an abort aimed at
	 * a finished packet (or sent while none ran) can never hit a later one. Each variable has
	 * a single writer; the other context reads it, so both are atomic (ud_atomic.h). Relaxed
	 * accesses do: no data hangs on them, only the values matter, and an abort seen one
	 * transfer late is one that arrived a transfer later. */
	UD_ATOMIC(uint32_t) busy_seq;  /**< written by execute() only */
	UD_ATOMIC(uint32_t) abort_seq; /**< written by ud_dap_engine_abort() only */
	struct ud_swd_cfg swd;         /**< turnaround, data phase, idle cycles */
	uint8_t port;                  /**< UD_DAP_PORT_* after DAP_Connect */
	uint16_t wait_retry;           /**< DAP_TransferConfigure */
	uint16_t match_retry;          /**< DAP_TransferConfigure */
	uint32_t match_mask;           /**< DAP_Transfer match mask write */
	uint32_t clock_hz;             /**< last DAP_SWJ_Clock result */
	/** The packet size the transport runs now (a v2 probe at full speed with packet_size_fs
	 *  runs less than info->packet_size): what DAP_Info 0xFF reports, info->packet_size while
	 *  0. Written by the transport before each execute(), in execute()'s context. */
	uint16_t packet;
};

/**
 * @brief Prepare @p e for @p info, talking to the target through @p io / @p io_ctx.
 *
 * All three pointers are kept and must stay valid; @p info, @p io must not be NULL. The
 * state is the power-up default: disconnected, turnaround 1, no data phase, no idle cycles,
 * 100 WAIT retries, no match retries, match mask 0, clock 1 MHz (not applied until
 * DAP_SWJ_Clock). Call it again to reset the engine; not while execute() runs.
 */
void ud_dap_engine_init(struct ud_dap_engine *e, const struct ud_dap_info *info,
                        const struct ud_swd_io *io, void *io_ctx);

/**
 * @brief Execute one command packet (@p req, @p req_len bytes as received) and write its
 * response to @p resp (room for @p resp_cap bytes, the transport's packet size).
 *
 * Never reads past @p req_len nor writes past @p resp_cap (nor past info->packet_size when
 * that is set): a truncated, over-long (longer than info->packet_size) or otherwise
 * malformed request, and an unknown command id, answer the single byte 0xFF and execute
 * nothing (see "Malformed requests" above). Runs in bounded time: every loop is bounded by
 * the packet's counts and the configured retries, and every wait goes through the backend.
 *
 * @p req and @p resp must not overlap (the request is read while the response is written).
 * Called from one context at a time (any context that may block on the target: ud_task(),
 * a thread; not an ISR that preempts the transport).
 *
 * @return the response length, 1..min(@p resp_cap, packet_size); 0 when the packet gets no
 *         response (DAP_TransferAbort, which belongs out of band), or @p resp is NULL or
 *         @p resp_cap is 0.
 */
uint32_t ud_dap_engine_execute(struct ud_dap_engine *e, const uint8_t *req, uint32_t req_len,
                               uint8_t *resp, uint32_t resp_cap);

/**
 * @brief DAP_TransferAbort, out of band: the transport calls this as soon as such a packet
 * arrives (before it is queued), from the transport's context. A DAP_Transfer or
 * DAP_TransferBlock in progress stops at the next transfer boundary (a pending posted read is
 * still collected) and reports what it did, and so does every later transfer command of the
 * same packet (DAP_ExecuteCommands). Ignored when no packet is executing, as the
 * specification says. Safe to call from another context (thread or ISR) while
 * ud_dap_engine_execute() runs: it only loads `busy_seq` and stores `abort_seq`, two 32-bit
 * atomics, with plain (relaxed) accesses.
 */
void ud_dap_engine_abort(struct ud_dap_engine *e);

#ifdef __cplusplus
}
#endif

#endif /* UD_DAP_ENGINE_H */
