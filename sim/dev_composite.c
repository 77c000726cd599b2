/* SPDX-License-Identifier: MIT */
/* `composite`: DAP v2 + CDC + bulk on one device. See dev_composite.h. */
#include "dev_composite.h"

#include "ctrl_bus.h"
#include "world.h"

int ud_sim_composite_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	struct ud_sim_composite *c = &w->app.composite;

	w->info.vid = 0x1209;
	w->info.pid = 0x0005;
	w->info.bcd_device = 0x0100;
	w->info.ep0_max_packet = opt->ep0 ? opt->ep0 : 64;
	w->info.max_power_ma = 100;
	w->info.manufacturer = "udcore";
	w->info.product = "udcore composite (CMSIS-DAP + CDC + bulk)";
	w->info.serial = "0005";

	int rc = ud_device_init(&w->dev, ud_world_port(w), &w->info);
	if (rc == 0)
		rc = ud_sim_dap_v2_add(&w->dev, &c->dap, (enum ud_speed)opt->speed);
	if (rc == 0)
		rc = ud_sim_cdc_add(&w->dev, &c->cdc);
	if (rc == 0)
		rc = ud_sim_bulk_add(&w->dev, &c->bulk);
	return rc;
}

void ud_sim_composite_step(struct ud_world *w)
{
	ud_sim_dap_process(&w->app.composite.dap);
	ud_sim_cdc_echo(&w->app.composite.cdc);
}
