/* SPDX-License-Identifier: MIT */
/**
 * @file dev_minimal.h
 * @brief `minimal`: a device with no class, only targets for the chapter 9 requests.
 *
 * One vendor-specific interface (class 0xFF): alternate setting 0 has no endpoints, alternate
 * setting 1 has one bulk IN and one bulk OUT endpoint (64 bytes at full speed, 512 at high).
 * Its callbacks do nothing but count, so tests can see that the core called them.
 */
#ifndef UD_SIM_DEV_MINIMAL_H
#define UD_SIM_DEV_MINIMAL_H

#include <stdint.h>

#include "udcore/udcore.h"

struct ud_world;
struct ud_sim_options;

/** Interface string: 31 characters, so its descriptor is 64 bytes, a multiple of every EP0
 * size; reading it with a larger wLength needs a zero-length packet (tests rely on this). */
#define UD_MINIMAL_INTF_STRING "udcore minimal vendor interface"

struct ud_minimal {
	struct ud_function fn;
	uint8_t intf, ep_in, ep_out;
	uint8_t alt;
	/* Calls the core made, for tests and the explorer. */
	uint16_t enables, disables, set_alts, controls, halts_cleared, resets, suspends, sofs;
};

int ud_minimal_setup(struct ud_world *w, const struct ud_sim_options *opt);

#endif /* UD_SIM_DEV_MINIMAL_H */
