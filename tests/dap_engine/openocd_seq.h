/* SPDX-License-Identifier: MIT */
/*
 * What OpenOCD's cmsis-dap driver sends at `init` for an SWD target, and the memory traffic
 * that follows, as byte-exact packets against the harness (harness.h). Shared by the test
 * over the transfer-level simulated target and the test over the GPIO backend and the wire
 * model, so both backends must produce the same bytes.
 */
#ifndef UD_TEST_OPENOCD_SEQ_H
#define UD_TEST_OPENOCD_SEQ_H

/* DAP_Info, Connect, pins, clock, configuration, JTAG-to-SWD, DPIDR, ABORT, power-up with
 * polling (the target's powerup_delay is set to 3 polls). */
void openocd_init(void);

/* MEM-AP identification, then word writes with DAP_Transfer and DAP_TransferBlock, byte and
 * halfword writes through the byte lanes, and reads of all of it, checked byte for byte
 * against the simulated RAM and against what was written. */
void openocd_memory(void);

#endif /* UD_TEST_OPENOCD_SEQ_H */
