/* SPDX-License-Identifier: MIT */
/* `bulk`: the loopback personality of the bulk class. See dev_bulk.h. */
#include "dev_bulk.h"

#include "world.h"

int ud_sim_bulk_add(struct ud_device *dev, struct ud_sim_bulk *b)
{
	const struct ud_bulk_loopback_config cfg = {
		.mem = &b->mem[0][0],
		.slot_size = UD_SIM_BULK_SLOT,
		.interface_string = UD_SIM_BULK_INTF_STRING,
		.winusb_guid = UD_SIM_BULK_GUID,
	};
	return ud_bulk_loopback_add(dev, &b->lb, &cfg);
}

int ud_sim_bulk_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	int rc;

	const struct ud_sim_identity id = {0x1209, 0x0002, "udcore bulk loopback", "0002"};

	rc = ud_world_device_init(w, opt, &id);
	if (rc < 0)
		return rc;
	return ud_sim_bulk_add(&w->dev, &w->app.bulk);
}
