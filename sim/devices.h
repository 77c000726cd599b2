/* SPDX-License-Identifier: MIT */
/**
 * @file devices.h
 * @brief The registry of simulated devices that `udsim --device NAME` can run.
 *
 * A device's `setup` fills `world->info`, calls ud_device_init() on `world->dev` with
 * `ud_world_port(world)` (ctrl_bus.h), and adds its functions, whose state lives in its member of
 * `world->app`. ud_world_init() calls ud_device_start() afterwards.
 *
 * EP0's max packet size is `opt->ep0`, or 64 when that is 0: the world programs the
 * controller with the same value before `setup` runs.
 */
#ifndef UD_SIM_DEVICES_H
#define UD_SIM_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "workload.h"
#include "world.h"

/**
 * What a device gives the explorer (`udsim explore`, `random`, `replay`; docs/verification.md).
 * All hooks are optional; a device without any is explored with the generic invariants only
 * (request ownership, port contract) and no host workload.
 */
struct ud_sim_explore {
	/** Bytes of `world->app` the device uses (sizeof its member): the part of the union the
	 * explorer copies and hashes. 0: the whole union. */
	size_t app_size;
	/**
	 * The host workload (workload.h): fill @p p once, after enumeration, with the units the
	 * host writes and the answers it must read back, the endpoints, modes, window, and
	 * which faults end an epoch. @return 0 or a UD_ERR_* code.
	 */
	int (*plan)(struct ud_world *w, struct ud_work_plan *p);
	/** Device-specific safety invariants, checked after every step (e.g. a queue's counters
	 * stay ordered). @return true if they hold; else false with a reason in @p msg. */
	bool (*check)(const struct ud_world *w, char *msg, size_t cap);
	/** True if the device has nothing left to do by itself (queues empty, nothing for
	 * `step`); quiescence also needs the workload done and the core idle. NULL: true. */
	bool (*quiescent)(const struct ud_world *w);
	/**
	 * Canonical form for the state hash, on a scratch copy: zero what only counts (statistics)
	 * and rebase free-running counters, so that states that behave the same hash the same.
	 * Only erase what cannot change the device's future behaviour.
	 */
	void (*canon)(struct ud_world *w);
	/** One line on the device's own state (queue counters, flags), printed after each step
	 * of a counterexample so a reader can follow it. NULL: none. */
	void (*describe)(const struct ud_world *w, char *buf, size_t cap);
};

struct ud_sim_device {
	const char *name;
	const char *summary;
	/** Build the device into @p w. @return 0 or a UD_ERR_* code. */
	int (*setup)(struct ud_world *w, const struct ud_sim_options *opt);
	/** One class processing step (the script's `step`); NULL: nothing to do. */
	void (*step)(struct ud_world *w);
	/** The explorer's view of the device; NULL: generic checks only (see above). */
	const struct ud_sim_explore *explore;
};

/** @brief The registered device called @p name, or NULL. */
const struct ud_sim_device *ud_sim_device_find(const char *name);

/** @brief The @p i-th registered device, or NULL past the end. */
const struct ud_sim_device *ud_sim_device_at(unsigned i);

#endif /* UD_SIM_DEVICES_H */
