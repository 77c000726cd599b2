/* SPDX-License-Identifier: MIT */
/**
 * @file dev_dap_flawed.h
 * @brief `dap-flawed`: a NEGATIVE CONTROL. A deliberately broken CMSIS-DAP v2 transport that
 * the explorer must catch. Do not copy it; class/dap is the transport to use.
 *
 * It puts the real command engine (ud_dap_engine.h) behind the queue logic of DAPLink issue
 * #1026 (its bulk glue, restated from the description, no code taken):
 *
 * 1. **IN is armed only when a software "response idle" flag says so.** The main loop (`step`)
 *    executes a command, reads the flag, and later either sends the response at once (flag
 *    set: it clears it) or queues it; the IN completion sends the next queued response or,
 *    finding none, sets the flag. Reading the flag and queueing are two separate steps, as in
 *    a main loop that an interrupt can preempt: an IN completion that runs in between finds
 *    the queue empty and sets the flag, and the response queued just after waits with IN
 *    idle until another response comes along, possibly never.
 * 2. **A slot is freed when its response is handed to the IN endpoint**, not when it was sent.
 * 3. **OUT is always armed and a full queue silently drops the request.**
 * 4. **The IN completion only acts on success**, as if an endpoint reset (SET_CONFIGURATION,
 *    SET_INTERFACE) ended the transfer without a completion: the idle flag then stays clear
 *    and responses stop flowing. Only a bus reset resets the queue.
 *
 * Same descriptors as `dap` (vendor interface, bulk EP1 OUT / EP1 IN, 64-byte packets at full
 * speed) minus WinUSB, UD_SIM_FLAWED_SLOTS slots of 64 bytes, the simulated SWD target.
 * docs/verification.md shows what the explorer finds.
 */
#ifndef UD_SIM_DEV_DAP_FLAWED_H
#define UD_SIM_DEV_DAP_FLAWED_H

#include <stdint.h>

#include "udcore/ud_dap_engine.h"
#include "udcore/udcore.h"

#include "swd_target.h"

struct ud_world;
struct ud_sim_options;

#define UD_SIM_FLAWED_SLOTS 4u
#define UD_SIM_FLAWED_PACKET 64u

struct ud_sim_dap_flawed {
	struct ud_function fn;
	struct ud_dap_engine engine;
	struct ud_dap_info info;
	struct ud_swd_target target;
	uint8_t ram[64];
	uint8_t ep_in, ep_out;
	struct ud_req out_req, in_req;
	uint8_t rx[UD_SIM_FLAWED_PACKET];
	uint8_t cmd[UD_SIM_FLAWED_SLOTS][UD_SIM_FLAWED_PACKET];
	uint8_t resp[UD_SIM_FLAWED_SLOTS][UD_SIM_FLAWED_PACKET];
	uint16_t cmd_len[UD_SIM_FLAWED_SLOTS], resp_len[UD_SIM_FLAWED_SLOTS];
	/* Free-running (mod 256) counters; slot = counter % UD_SIM_FLAWED_SLOTS. */
	uint8_t received, executed, queued, armed;
	uint8_t used;      /* slots taken */
	uint8_t resp_idle; /* the software flag of (1) */
	uint8_t phase;     /* step: 0 execute and read the flag, 1 act on what was read */
	uint8_t idle_seen;
	uint32_t dropped; /* requests dropped by (3) */
};

int ud_sim_dap_flawed_setup(struct ud_world *w, const struct ud_sim_options *opt);

/** The main loop's turn: one of the two halves of (1). */
void ud_sim_dap_flawed_step(struct ud_world *w);

#endif /* UD_SIM_DEV_DAP_FLAWED_H */
