/* SPDX-License-Identifier: MIT */
/* `dap` and `dap-v1`: a CMSIS-DAP probe on the simulated SWD target. See dev_dap.h. */
#include "dev_dap.h"

#include <string.h>

#include "world.h"

/* Both transports are one probe to the host but for the PID. */
static int device_init(struct ud_world *w, const struct ud_sim_options *opt, uint16_t pid)
{
	const struct ud_sim_identity id = {0x1209, pid, "udcore CMSIS-DAP", "0001"};

	return ud_world_device_init(w, opt, &id);
}

/* The probe's DAP_Info, the target, and the configuration both transports share. */
static void prepare(struct ud_sim_dap *s, struct ud_dap_config *cfg, uint16_t packet_size)
{
	s->info.vendor = "udcore";
	s->info.product = "udcore CMSIS-DAP";
	s->info.serial = "0001";
	s->info.firmware_version = "0.1.0";
	s->info.target_vendor = "udcore";
	s->info.target_name = "sim-target";
	ud_swd_target_init(&s->target, s->ram, sizeof(s->ram));
	s->target.powerup_delay = 1;

	memset(cfg, 0, sizeof(*cfg));
	cfg->info = &s->info;
	cfg->io = &ud_swd_target_io;
	cfg->io_ctx = &s->target;
	cfg->packet_count = UD_SIM_DAP_PACKET_COUNT;
	cfg->packet_size = packet_size;
	cfg->buffer = s->slots;
	cfg->buffer_size = sizeof(s->slots);
}

int ud_sim_dap_v2_add(struct ud_device *dev, struct ud_sim_dap *s, enum ud_speed speed)
{
	struct ud_dap_config cfg;

	prepare(s, &cfg, speed == UD_SPEED_HIGH ? 512 : 64);
	cfg.interface_string = "udcore CMSIS-DAP v2";
	return ud_dap_v2_add(dev, &s->dap, &cfg);
}

int ud_sim_dap_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	int rc = device_init(w, opt, 0xda42);
	if (rc < 0)
		return rc;
	return ud_sim_dap_v2_add(&w->dev, &w->app.dap, (enum ud_speed)opt->speed);
}

int ud_sim_dap_v1_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	struct ud_sim_dap *s = &w->app.dap;
	struct ud_dap_config cfg;

	int rc = device_init(w, opt, 0xda41);
	if (rc < 0)
		return rc;
	prepare(s, &cfg, 64);
	cfg.interface_string = "udcore CMSIS-DAP v1";
	return ud_dap_v1_add(&w->dev, &s->dap, &cfg);
}

void ud_sim_dap_step(struct ud_world *w)
{
	ud_sim_dap_process(&w->app.dap);
}

void ud_sim_dap_process(struct ud_sim_dap *s)
{
	s->steps++;
	if (ud_dap_process(&s->dap))
		s->executed++;
}
