/* SPDX-License-Identifier: MIT */
#include "fuzz_world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_bus.h"
#include "enumerate.h"

uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint16_t lo = fuzz_u8(in);
	return (uint16_t)(lo | (fuzz_u8(in) << 8));
}

/*
 * Two snapshots per process: freshly powered, and enumerated + configured. The world holds
 * pointers into itself (device -> port -> device, functions), so it must always live at the
 * same address: snapshots are built in the live world and only ever copied back into it.
 */
static struct ud_world snap[2];
static int snap_ready[2];
static struct ud_world *live;

static void build(struct ud_world *w, const char *device, int port, int enumerated)
{
	struct ud_sim_options opt;
	char err[200];
	static struct ud_sim_result r;

	ud_sim_options_default(&opt);
	opt.port = (uint8_t)port;
	if (ud_world_init(w, device, &opt, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	if (!enumerated)
		return;
	struct ud_enum_log log;
	ud_enumerate(w, UD_OS_LINUX, &r, &log);
	if (r.status != UD_SIM_OK) {
		fprintf(stderr, "fuzz: enumeration failed: %s\n", r.message);
		abort();
	}
}

void fuzz_world_start(struct ud_world *w, const char *device, int port, int enumerated)
{
	if (live && live != w)
		abort(); /* one live world per process */
	live = w;
	enumerated = enumerated != 0;
	if (!snap_ready[enumerated]) {
		build(w, device, port, enumerated);
		memcpy(&snap[enumerated], w, sizeof(*w));
		snap_ready[enumerated] = 1;
	}
	memcpy(w, &snap[enumerated], sizeof(*w));
}

void fuzz_world_check(const struct ud_world *w)
{
	char msg[200];

	if (!ud_bus_contract_ok(w, msg, sizeof(msg))) {
		fprintf(stderr, "fuzz: port contract violated: %s\n", msg);
		abort();
	}
}
