/* SPDX-License-Identifier: MIT */
/* Building a world: controller, device, host. See world.h. */
#include "world.h"

#include <stdio.h>
#include <string.h>

#include "devices.h"

void ud_sim_options_default(struct ud_sim_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->speed = UD_SPEED_FULL;
}

static void vdc_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	struct ud_vdc_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.ep_count = UD_MAX_EP_NUM;
	/* --speed full models a full-speed-only controller (no device qualifier); --speed high a
	 * high-speed capable one, reset at high speed by the host. */
	cfg.speeds = opt->speed == UD_SPEED_HIGH ? (UD_SPEED_FULL | UD_SPEED_HIGH) : UD_SPEED_FULL;
	cfg.flags = opt->addr_before_status ? UD_PORT_ADDR_BEFORE_STATUS : 0;
	/* Every registered device uses --ep0 or 64 for EP0 (devices.h). */
	cfg.ep0_max_packet = opt->ep0 ? opt->ep0 : 64;
	ud_vdc_init(&w->vdc, &cfg);
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
	vdc_setup(w, opt);
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
