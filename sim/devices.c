/* SPDX-License-Identifier: MIT */
/* The device registry: one table entry per simulated device. */
#include "devices.h"

#include <string.h>

#include "xdev.h"

static const struct ud_sim_device devices[] = {
	{
		.name = "minimal",
		.summary =
			"no class: one vendor interface, alt 1 with bulk IN/OUT (chapter 9 target)",
		.setup = ud_minimal_setup,
		.step = NULL,
		.explore = &ud_xdev_minimal,
	},
	{
		.name = "bulk",
		.summary = "bulk class loopback with WinUSB: each OUT transfer comes back on IN",
		.setup = ud_sim_bulk_setup,
		.step = NULL,
		.explore = &ud_xdev_bulk,
	},
	{
		.name = "zero",
		.summary = "Gadget Zero source/sink for Linux usbtest (0525:a4a0), pattern 0",
		.setup = ud_sim_zero_setup,
		.step = NULL,
	},
	{
		.name = "zero-mod63",
		.summary = "Gadget Zero source/sink for Linux usbtest (0525:a4a0), pattern 1",
		.setup = ud_sim_zero_mod63_setup,
		.step = NULL,
	},
	{
		.name = "cdc",
		.summary = "CDC-ACM serial port as a loopback plug: `step` echoes, DTR is DCD",
		.setup = ud_sim_cdc_setup,
		.step = ud_sim_cdc_step,
		.explore = &ud_xdev_cdc,
	},
	{
		.name = "dap",
		.summary = "CMSIS-DAP v2 probe (bulk, WinUSB) on a simulated SWD target",
		.setup = ud_sim_dap_setup,
		.step = ud_sim_dap_step,
		.explore = &ud_xdev_dap,
	},
	{
		.name = "dap-v1",
		.summary = "CMSIS-DAP v1 probe (HID, 64-byte reports) on a simulated SWD target",
		.setup = ud_sim_dap_v1_setup,
		.step = ud_sim_dap_step,
		.explore = &ud_xdev_dap,
	},
	{
		.name = "composite",
		.summary = "CMSIS-DAP v2 + CDC-ACM echo + bulk loopback in one configuration",
		.setup = ud_sim_composite_setup,
		.step = ud_sim_composite_step,
	},
	{
		.name = "dap-flawed",
		.summary = "NEGATIVE CONTROL: DAP transport with DAPLink #1026's queue logic",
		.setup = ud_sim_dap_flawed_setup,
		.step = ud_sim_dap_flawed_step,
		.explore = &ud_xdev_dap_flawed,
	},
	{
		.name = "livelock",
		.summary = "NEGATIVE CONTROL: an echo whose main loop takes back its unread answer",
		.setup = ud_sim_livelock_setup,
		.step = ud_sim_livelock_step,
		.explore = &ud_xdev_livelock,
	},
};

const struct ud_sim_device *ud_sim_device_at(unsigned i)
{
	return i < sizeof(devices) / sizeof(devices[0]) ? &devices[i] : NULL;
}

const struct ud_sim_device *ud_sim_device_find(const char *name)
{
	const struct ud_sim_device *d;
	unsigned i;

	for (i = 0; (d = ud_sim_device_at(i)) != NULL; i++) {
		if (strcmp(d->name, name) == 0)
			return d;
	}
	return NULL;
}
