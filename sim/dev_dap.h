/* SPDX-License-Identifier: MIT */
/**
 * @file dev_dap.h
 * @brief `dap` and `dap-v1`: a CMSIS-DAP probe (class/dap, ud_dap.h) wired to the simulated
 * SWD target (swd_target.h).
 *
 * VID 0x1209, PID 0xDA42 (`dap`) or 0xDA41 (`dap-v1`), strings "udcore" / "udcore CMSIS-DAP"
 * (v1 hosts look for "CMSIS-DAP" in the product string) / "0001".
 * - `dap`: CMSIS-DAP v2, one vendor interface with string "udcore CMSIS-DAP v2", bulk EP1 OUT
 *   and EP1 IN, WinUSB through Microsoft OS 2.0 descriptors. UD_SIM_DAP_PACKET_COUNT packets
 *   of 64 bytes at full speed, 512 at high speed (--speed high).
 * - `dap-v1`: CMSIS-DAP v1, a HID interface with 64-byte reports on interrupt EP1 IN / OUT.
 *
 * The target: an SWJ-DP (DPIDR 0x2BA01477) with one AHB MEM-AP in front of
 * UD_SIM_DAP_RAM_SIZE bytes of RAM at 0x20000000, power-up acknowledged on the first
 * CTRL/STAT read. The commands run only in the registry's `step` hook (the script's `step`:
 * one ud_dap_process(), i.e. at most one command), so a script or the explorer decides when
 * the probe executes; the response is sent from ud_task() (the function's `poll`), which auto
 * mode runs right after the step and manual mode on `task`.
 */
#ifndef UD_SIM_DEV_DAP_H
#define UD_SIM_DEV_DAP_H

#include <stdint.h>

#include "udcore/ud_dap.h"

#include "swd_target.h"

struct ud_world;
struct ud_sim_options;

#define UD_SIM_DAP_PACKET_COUNT 4u
#define UD_SIM_DAP_RAM_SIZE 1024u

struct ud_sim_dap {
	struct ud_dap dap;
	struct ud_dap_info info;
	struct ud_swd_target target;
	uint8_t ram[UD_SIM_DAP_RAM_SIZE];
	uint8_t slots[UD_DAP_BUFFER_SIZE(UD_SIM_DAP_PACKET_COUNT, 512)];
	uint32_t steps, executed; /* step hooks run, commands they executed */
};

/** `dap`: CMSIS-DAP v2. */
int ud_sim_dap_setup(struct ud_world *w, const struct ud_sim_options *opt);

/** `dap-v1`: CMSIS-DAP v1 (HID). */
int ud_sim_dap_v1_setup(struct ud_world *w, const struct ud_sim_options *opt);

/** One step of the probe: ud_dap_process() once. */
void ud_sim_dap_step(struct ud_world *w);

/** Add a v2 probe in @p s to @p dev (for devices that combine functions). */
int ud_sim_dap_v2_add(struct ud_device *dev, struct ud_sim_dap *s, enum ud_speed speed);

/** One command-processing step of @p s (ud_dap_process()). */
void ud_sim_dap_process(struct ud_sim_dap *s);

#endif /* UD_SIM_DEV_DAP_H */
