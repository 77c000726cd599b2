/* SPDX-License-Identifier: MIT */
/* `zero`, `zero-mod63`: the Gadget Zero source/sink personality. See dev_zero.h. */
#include "dev_zero.h"

#include "world.h"

static int zero_setup(struct ud_world *w, const struct ud_sim_options *opt, uint8_t pattern)
{
	struct ud_sim_zero *z = &w->app.zero;
	const struct ud_bulk_zero_config cfg = {
		.pattern = pattern,
		.in_buf = z->in_buf,
		.out_buf = z->out_buf,
		.buflen = UD_SIM_ZERO_BUFLEN,
		.ctrl_buf = z->ctrl,
		.ctrl_size = UD_SIM_ZERO_CTRL,
		.interface_string = UD_SIM_ZERO_INTF_STRING,
	};
	int rc;

	const struct ud_sim_identity id = {UD_BULK_ZERO_VID, UD_BULK_ZERO_PID,
	                                   "Gadget Zero (udcore)", "0525a4a0"};

	rc = ud_world_device_init(w, opt, &id);
	if (rc < 0)
		return rc;
	return ud_bulk_zero_add(&w->dev, &z->zero, &cfg);
}

int ud_sim_zero_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	return zero_setup(w, opt, UD_BULK_ZERO_PATTERN_ZEROS);
}

int ud_sim_zero_mod63_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	return zero_setup(w, opt, UD_BULK_ZERO_PATTERN_MOD63);
}
