/* SPDX-License-Identifier: MIT */
/**
 * @file world.h
 * @brief One whole simulation in one plain struct.
 *
 * A world holds everything a simulation run changes: the controller, the device core,
 * the host model and the registered device's application or class state. There is no heap and
 * no pointer leaves the struct (the pointers inside point into the same world or at constant
 * tables), so the explorer can save a state with memcpy and restore it into the same object.
 * Keep it that way: a device that needs buffers puts them in its member of `union ud_sim_app`.
 */
#ifndef UD_SIM_WORLD_H
#define UD_SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "udcore/ud_vdc.h"
#include "udcore/udcore.h"

#include "dev_bulk.h"
#include "dev_cdc.h"
#include "dev_composite.h"
#include "dev_dap.h"
#include "dev_dap_flawed.h"
#include "dev_livelock.h"
#include "dev_minimal.h"
#include "dev_zero.h"
#include "fsdev_model.h"
#include "host.h"

struct ud_sim_device;

/** Command-line options that shape a world. */
struct ud_sim_options {
	uint8_t speed;           /**< UD_SPEED_FULL: full-speed-only controller; UD_SPEED_HIGH:
	                                 high-speed capable controller on a high-speed host port */
	uint8_t ep0;             /**< EP0 max packet size, 0: the device's default */
	bool addr_before_status; /**< the vdc declares UD_PORT_ADDR_BEFORE_STATUS */
	bool no_streams;         /**< the port has no endpoint streams (ud_stream.h) */
	bool lazy_flush;         /**< `cdc`: every other echo of whole packets is not flushed */
	uint8_t port;            /**< enum ud_sim_port (ctrl_bus.h): the controller */
	uint32_t seed;           /**< for randomised modes */
};

/** Application or class state of the registered device; one member per device. */
union ud_sim_app {
	struct ud_minimal minimal;
	struct ud_sim_bulk bulk;
	struct ud_sim_cdc cdc;
	struct ud_sim_composite composite;
	struct ud_sim_dap dap;
	struct ud_sim_zero zero;
	struct ud_sim_dap_flawed dap_flawed; /* negative control of the explorer */
	struct ud_sim_livelock livelock;     /* negative control of its cycle check */
};

struct ud_world {
	/* The controller is `vdc` or, with --port fsdev, `fsdev` (last, below), as `opt.port`
	 * says; reach it through ud_bus_*() (ctrl_bus.h) unless the code is about the vdc only. */
	struct ud_vdc vdc;
	struct ud_device dev;
	struct ud_device_info info; /* the core keeps a pointer to it */
	struct ud_host host;
	const struct ud_sim_device *def; /* constant registry entry */
	struct ud_sim_options opt;
	union ud_sim_app app;
	/* --port fsdev: the STM32 port on its register model. After `app`, so that the explorer,
	 * which copies and hashes a world only up to the part of `app` the device uses, does no
	 * more work on the vdc than before it existed (ud_sched_world_bytes()). */
	struct ud_sim_fsdev fsdev;
};

/** Default options: full speed, device's EP0 size, address after status. */
void ud_sim_options_default(struct ud_sim_options *opt);

/**
 * @brief The udsim options that make a world differ from the default one (`--port fsdev
 * --speed high --ep0 8 --addr-before-status `, each followed by a space; "" for none), so a
 * printed command or replay line rebuilds the same world.
 */
void ud_sim_options_format(const struct ud_sim_options *opt, char *buf, size_t cap);

/** Room for ud_sim_options_format()'s longest text (56 characters) and its NUL. */
#define UD_SIM_OPTIONS_TEXT 64u

/** What a simulated device is called on the bus: its IDs and two of its strings. */
struct ud_sim_identity {
	uint16_t vid, pid;
	const char *product, *serial;
};

/**
 * @brief A device's `setup` starts here: fill `w->info` as every simulated device has it
 * (bcdDevice 1.00, EP0 64 bytes unless `--ep0` says otherwise, 100 mA, manufacturer
 * "udcore") with @p id, and call ud_device_init() on the world's controller.
 * @return what ud_device_init() returned.
 */
int ud_world_device_init(struct ud_world *w, const struct ud_sim_options *opt,
                         const struct ud_sim_identity *id);

/**
 * @brief Build a world for the device registered as @p device: controller, device core,
 * host, then ud_device_start(). The cable is not plugged in yet (VBUS off).
 * @return 0, or a negative UD_ERR_* code with a reason in @p err (room for @p errlen bytes).
 */
int ud_world_init(struct ud_world *w, const char *device, const struct ud_sim_options *opt,
                  char *err, unsigned errlen);

#endif /* UD_SIM_WORLD_H */
