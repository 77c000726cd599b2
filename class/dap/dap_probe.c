/* SPDX-License-Identifier: MIT */
/*
 * What both transports share: checking a configuration, preparing the engine and the queue,
 * and the process-side entry point ud_dap_process(). See udcore/ud_dap.h.
 */
#include <string.h>

#include "dap_probe.h"
#include "dap_queue.h"

/* strstr() is not in every freestanding C library udcore builds against. */
static bool contains(const char *s, const char *word)
{
	for (; *s; s++) {
		size_t i = 0;
		while (word[i] && s[i] == word[i])
			i++;
		if (!word[i])
			return true;
	}
	return false;
}

/* The backend's required operations (ud_swd.h): the engine calls them unchecked. */
static bool io_ok(const struct ud_swd_io *io)
{
	return io && io->transfer && io->sequence_out && io->sequence_in && io->pins;
}

/* An unsigned parameter, not the uint8_t field: with UD_DAP_MAX_PACKET_COUNT 255 the upper bound
 * always holds for a uint8_t, and compilers warn about the comparison (-Wtype-limits). */
static bool count_ok(unsigned count)
{
	return count >= 1 && count <= UD_DAP_MAX_PACKET_COUNT;
}

static bool config_ok(const struct ud_dap_config *cfg, const char *intf_string)
{
	return cfg->info && io_ok(cfg->io) && cfg->buffer && count_ok(cfg->packet_count) &&
	       cfg->packet_size >= UD_DAP_MIN_PACKET_SIZE &&
	       cfg->buffer_size >= UD_DAP_BUFFER_SIZE(cfg->packet_count, cfg->packet_size) &&
	       (cfg->packet_size_fs == 0 || (cfg->packet_size_fs >= UD_DAP_MIN_PACKET_SIZE &&
	                                     cfg->packet_size_fs <= cfg->packet_size)) &&
	       contains(intf_string, "CMSIS-DAP");
}

int ud_dap_prepare(struct ud_dap *dap, struct ud_device *dev, const struct ud_dap_config *cfg,
                   uint8_t version)
{
	const char *fallback =
		version == 1 ? UD_DAP_V1_INTERFACE_STRING : UD_DAP_V2_INTERFACE_STRING;

	if (!dev || !dap || !cfg)
		return UD_ERR_INVAL;
	const char *intf_string = cfg->interface_string ? cfg->interface_string : fallback;
	if (!config_ok(cfg, intf_string))
		return UD_ERR_INVAL;
	memset(dap, 0, sizeof(*dap));
	dap->version = version;
	dap->interface_string = intf_string;
	dap->info = *cfg->info;
	dap->info.packet_count = cfg->packet_count;
	dap->info.packet_size = cfg->packet_size;
	ud_dap_engine_init(&dap->engine, &dap->info, cfg->io, cfg->io_ctx);
	ud_dapq_init(&dap->q, dev, ud_dap_function(dap), &dap->engine, cfg, version == 1);
	return 0;
}

bool ud_dap_process(struct ud_dap *dap)
{
	if (!dap || !dap->q.count)
		return false;
	return ud_dapq_execute(&dap->q);
}

/* A snapshot from any context: relaxed loads, nothing is read through them. */
unsigned ud_dap_pending(const struct ud_dap *dap)
{
	return (unsigned)(UD_LOAD(&dap->q.received) - UD_LOAD(&dap->q.done));
}

bool ud_dap_idle(const struct ud_dap *dap)
{
	return dap->q.freed == UD_LOAD(&dap->q.received);
}

const struct ud_dap_stats *ud_dap_stats(const struct ud_dap *dap)
{
	return &dap->q.stats;
}

struct ud_dap_engine *ud_dap_engine(struct ud_dap *dap)
{
	return &dap->engine;
}

struct ud_function *ud_dap_function(struct ud_dap *dap)
{
	return dap->version == 1 ? &dap->t.hid.fn : &dap->t.fn;
}
