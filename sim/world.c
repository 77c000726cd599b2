/* SPDX-License-Identifier: MIT */
/* Building a world: controller, device, host. See world.h. */
#include "world.h"

#include <stdio.h>
#include <string.h>

#include "ctrl_bus.h"
#include "devices.h"

void ud_sim_options_default(struct ud_sim_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->speed = UD_SPEED_FULL;
}

void ud_sim_options_format(const struct ud_sim_options *opt, char *buf, size_t cap)
{
	char ep0[16] = "";

	if (opt->ep0)
		snprintf(ep0, sizeof(ep0), "--ep0 %u ", (unsigned)opt->ep0);
	snprintf(buf, cap, "%s%s%s%s%s%s", opt->port == UD_SIM_PORT_FSDEV ? "--port fsdev " : "",
	         opt->speed == UD_SPEED_HIGH ? "--speed high " : "", ep0,
	         opt->addr_before_status ? "--addr-before-status " : "",
	         opt->no_streams ? "--no-streams " : "", opt->lazy_flush ? "--lazy-flush " : "");
}

int ud_world_device_init(struct ud_world *w, const struct ud_sim_options *opt,
                         const struct ud_sim_identity *id)
{
	w->info.vid = id->vid;
	w->info.pid = id->pid;
	w->info.bcd_device = 0x0100;
	w->info.ep0_max_packet = opt->ep0 ? opt->ep0 : 64;
	w->info.max_power_ma = 100;
	w->info.manufacturer = "udcore";
	w->info.product = id->product;
	w->info.serial = id->serial;
	return ud_device_init(&w->dev, ud_world_port(w), &w->info);
}

int ud_world_init(struct ud_world *w, const char *device, const struct ud_sim_options *opt,
                  char *err, unsigned errlen)
{
	const struct ud_sim_device *def = ud_sim_device_find(device);
	int rc;

	memset(w, 0, sizeof(*w));
	if (!def) {
		snprintf(err, errlen, "unknown device '%s' (see `udsim devices`)", device);
		return UD_ERR_NOENT;
	}
	w->def = def;
	w->opt = *opt;
	rc = ud_bus_init(w, opt, err, errlen);
	if (rc < 0)
		return rc;
	ud_host_init(&w->host, (enum ud_speed)opt->speed);

	rc = def->setup(w, opt);
	if (rc < 0) {
		snprintf(err, errlen, "device '%s' setup failed: %s", device, ud_status_name(rc));
		return rc;
	}
	rc = ud_device_start(&w->dev);
	if (rc < 0) {
		snprintf(err, errlen, "ud_device_start failed: %s", ud_status_name(rc));
		return rc;
	}
	return 0;
}
