/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for port/skeleton's header when tests/size runs a size probe on the PC: the probe's
 * "skeleton" port is the vdc, and its main loop's first ud_task() call hands over to
 * probe_started() (probe_host.c), which enumerates the device and exits. So a probe that
 * compiles for Cortex-M0+ also shows, with its own ud_config.h, that it starts and enumerates.
 */
#ifndef UD_SIZE_SHIM_SKELETON_H
#define UD_SIZE_SHIM_SKELETON_H

#include <stdbool.h>
#include <stddef.h> /* as the real header: probes use NULL */

#include "udcore/ud_vdc.h"

#define ud_skeleton ud_vdc
#define ud_skeleton_init(s) ud_vdc_init((s), NULL)

struct ud_device;
/* Enumerates the started device through its vdc and exits: 0 if it did, 1 if not. (bool, so
 * that a later declaration of ud_task() renamed by the macro below declares the same.) */
_Noreturn bool probe_started(struct ud_device *dev);
#define ud_task(dev) probe_started(dev)

#endif
