/* SPDX-License-Identifier: MIT */
/**
 * @file xdev.h
 * @brief The explorer's view of each registered device (`struct ud_sim_explore`, devices.h):
 * its host workload, its own invariants, quiescence and canonical form.
 *
 * | device       | workload (workload.h)                                   | ends an epoch |
 * |--------------|---------------------------------------------------------|---------------|
 * | `minimal`    | none: enumeration, faults and the generic invariants    | (all)         |
 * | `bulk`       | 4 transfers echoed whole (FRAMED), lengths around the   | reset,        |
 * |              | max packet size, ZLPs included                          | disconnect,   |
 * |              |                                                         | set-config,   |
 * |              |                                                         | set-interface |
 * | `cdc`        | 3 runs of bytes echoed (STREAM) by the `step` echo      | nothing: the  |
 * |              |                                                         | rings survive |
 * | `dap`        | 6 DAP_Info / unknown commands, at most the packet count | every fault   |
 * |              | outstanding, responses compared with the engine's own   |               |
 * | `dap-v1`     | the same in 64-byte HID reports (REPORT)                | every fault   |
 * | `dap-flawed` | the first 2 commands of `dap` (the negative control)    | every fault   |
 * | `livelock`   | 2 transfers echoed whole (FRAMED): the cycle's control   | reset,        |
 * |              |                                                         | disconnect,   |
 * |              |                                                         | set-config,   |
 * |              |                                                         | set-interface |
 */
#ifndef UD_SIM_XDEV_H
#define UD_SIM_XDEV_H

#include "devices.h"

extern const struct ud_sim_explore ud_xdev_minimal;
extern const struct ud_sim_explore ud_xdev_bulk;
extern const struct ud_sim_explore ud_xdev_cdc;
extern const struct ud_sim_explore ud_xdev_dap;
extern const struct ud_sim_explore ud_xdev_dap_flawed;
extern const struct ud_sim_explore ud_xdev_livelock;

/** Commands in the workload of the negative control: the first two of the `dap` workload,
 * so that its counterexample stays short enough to read. */
#define UD_XDEV_FLAWED_COMMANDS 2

/** @brief Fill unit @p k of @p p with a pattern unique to @p k (so units cannot be confused):
 * @p out_len bytes, echoed as they are. */
void ud_xdev_echo_unit(struct ud_work_plan *p, unsigned k, uint16_t out_len);

#endif /* UD_SIM_XDEV_H */
