/* SPDX-License-Identifier: MIT */
/**
 * @file devices.h
 * @brief The registry of simulated devices that `udsim --device NAME` can run.
 *
 * A device's `setup` fills `world->info`, calls ud_device_init() on `world->dev` with
 * `&world->vdc.port`, and adds its functions, whose state lives in its member of
 * `world->app`. ud_world_init() calls ud_device_start() afterwards.
 *
 * EP0's max packet size is `opt->ep0`, or 64 when that is 0: the world programs the
 * controller with the same value before `setup` runs.
 */
#ifndef UD_SIM_DEVICES_H
#define UD_SIM_DEVICES_H

#include "world.h"

struct ud_sim_device {
	const char *name;
	const char *summary;
	/** Build the device into @p w. @return 0 or a UD_ERR_* code. */
	int (*setup)(struct ud_world *w, const struct ud_sim_options *opt);
	/** One class processing step (the script's `step`); NULL: nothing to do. */
	void (*step)(struct ud_world *w);
};

/** @brief The registered device called @p name, or NULL. */
const struct ud_sim_device *ud_sim_device_find(const char *name);

/** @brief The @p i-th registered device, or NULL past the end. */
const struct ud_sim_device *ud_sim_device_at(unsigned i);

#endif /* UD_SIM_DEVICES_H */
