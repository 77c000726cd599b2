/* SPDX-License-Identifier: MIT */
/**
 * @file enumerate.h
 * @brief Enumeration personalities: the order of requests Linux, Windows and macOS send to a
 * newly attached device, ending with SET_CONFIGURATION.
 *
 * Each personality plugs the cable in (if it is not), resets, reads the first device
 * descriptor bytes at address 0, resets again, assigns the next address and reads the
 * descriptors and strings the way that OS does. Requests a real OS tolerates failing (the
 * device qualifier of a full-speed-only device, the MS OS 1.0 string probe) may STALL; any
 * other failure ends the enumeration with that status.
 */
#ifndef UD_SIM_ENUMERATE_H
#define UD_SIM_ENUMERATE_H

#include "host.h"

struct ud_world;

enum ud_host_os {
	UD_OS_LINUX = 0,
	UD_OS_WINDOWS,
	UD_OS_MACOS,
};

/** What an enumeration did, for the report. */
struct ud_enum_log {
	unsigned requests; /**< control transfers sent */
	char steps[1024];  /**< the steps, space separated, e.g. "reset dev(64)@0 reset addr(1)" */
};

/** @brief Parse "linux", "windows" or "macos". @return the OS, or -1. */
int ud_host_os_parse(const char *name);

const char *ud_host_os_name(enum ud_host_os os);

/**
 * @brief Attach and enumerate the device the way @p os does. @p r gets ok (the device is
 * configured) or the failing step's status and a message naming the step.
 */
void ud_enumerate(struct ud_world *w, enum ud_host_os os, struct ud_sim_result *r,
                  struct ud_enum_log *log);

#endif /* UD_SIM_ENUMERATE_H */
