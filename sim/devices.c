/* SPDX-License-Identifier: MIT */
/* The device registry: one table entry per simulated device. */
#include "devices.h"

#include <string.h>

static const struct ud_sim_device devices[] = {
	{
		.name = "minimal",
		.summary =
			"no class: one vendor interface, alt 1 with bulk IN/OUT (chapter 9 target)",
		.setup = ud_minimal_setup,
		.step = NULL,
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
