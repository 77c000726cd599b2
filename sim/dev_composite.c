/* SPDX-License-Identifier: MIT */
/* `composite`: DAP v2 + CDC + bulk on one device. See dev_composite.h. */
#include "dev_composite.h"

#include "world.h"

int ud_sim_composite_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	struct ud_sim_composite *c = &w->app.composite;

	const struct ud_sim_identity id = {0x1209, 0x0005,
	                                   "udcore composite (CMSIS-DAP + CDC + bulk)", "0005"};
	int rc = ud_world_device_init(w, opt, &id);
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
