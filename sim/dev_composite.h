/* SPDX-License-Identifier: MIT */
/**
 * @file dev_composite.h
 * @brief udsim device `composite`: CMSIS-DAP v2, CDC-ACM and bulk loopback in one
 * configuration, the shape of a real debug probe with a virtual serial port and a data pipe.
 *
 * The three functions are the very ones of the `dap`, `cdc` and `bulk` devices (added with
 * their `_add` functions), so the composite adds no behaviour of its own: it shows that the
 * functions share one device (interface numbers, endpoints, strings, the IAD in front of CDC,
 * one MS OS 2.0 set with a function subset for each WinUSB interface) without knowing of each
 * other. Its `step` runs one DAP command and one CDC echo step.
 */
#ifndef UD_SIM_DEV_COMPOSITE_H
#define UD_SIM_DEV_COMPOSITE_H

#include "dev_bulk.h"
#include "dev_cdc.h"
#include "dev_dap.h"

struct ud_world;
struct ud_sim_options;

struct ud_sim_composite {
	struct ud_sim_dap dap;
	struct ud_sim_cdc cdc;
	struct ud_sim_bulk bulk;
};

int ud_sim_composite_setup(struct ud_world *w, const struct ud_sim_options *opt);
void ud_sim_composite_step(struct ud_world *w);

#endif /* UD_SIM_DEV_COMPOSITE_H */
