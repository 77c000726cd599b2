/* SPDX-License-Identifier: MIT */
/*
 * A test-local stand-in for the CMSIS-DAP command engine (ud_dap_engine.h), so the transport is
 * tested on its own: it echoes each command, with a few test commands of its own.
 *
 *   FE_CMD_LEN  lo hi   answer exactly lo | hi << 8 bytes: FE_CMD_LEN, then i & 0xff
 *   FE_CMD_NONE         no response at all (returns 0, as only TransferAbort should)
 *   FE_CMD_HUGE         claims a response longer than the room it was given (an engine bug)
 *   anything else       the command itself, byte for byte
 */
#ifndef FAKE_ENGINE_H
#define FAKE_ENGINE_H

#include <stdint.h>

#define FE_CMD_LEN 0xe0u
#define FE_CMD_NONE 0xe1u
#define FE_CMD_HUGE 0xe2u

struct fake_engine_log {
	unsigned inits, executes, aborts;
	uint32_t last_len;  /* request length of the last execute */
	uint32_t last_cap;  /* room it was given */
	uint8_t last_first; /* first byte of the last request */
};

extern struct fake_engine_log fe_log;

#endif /* FAKE_ENGINE_H */
