/* SPDX-License-Identifier: MIT */
/*
 * bench_usbip: URBs through the USB/IP server's URB engine (sim/usbip_urb.h), sockets aside.
 *
 *   bench_usbip in|out|control SPEED SIZE COUNT
 *
 * Gadget Zero (`zero`) is attached and configured as `udsim serve` does it, then COUNT URBs go
 * one after the other through the engine, as a client that waits for each reply would send
 * them: `in` reads SIZE bytes from the source (EP1 IN), `out` writes SIZE bytes to the sink
 * (EP1 OUT, with URB_ZERO_PACKET), `control` reads the 18-byte device descriptor (SIZE is
 * ignored). Each URB is allocated and freed as the server does, cut into packets on the
 * virtual bus (the host model, the vdc, the core and the class all run) and its RET_SUBMIT
 * header built. SPEED: full or high. No output; exit status 1 if a URB failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usbip_proto.h"
#include "usbip_urb.h"

static struct ud_world world;
static struct ud_usbip_engine engine;
static unsigned completed, failed;

static void on_complete(void *ctx, const struct ud_usbip_urb *u, int32_t status, uint32_t actual)
{
	struct ud_usbip_ret r = {.command = UD_USBIP_RET_SUBMIT, .seqnum = u->seqnum};
	uint8_t hdr[UD_USBIP_HDR_LEN];

	(void)ctx;
	r.status = status;
	r.actual = actual;
	ud_usbip_build_ret(hdr, &r);
	completed++;
	failed += status != 0;
}

static void run_one(uint32_t seqnum, uint8_t ep, bool in, uint32_t flags, uint32_t len,
                    const uint8_t setup[8])
{
	struct ud_usbip_urb *u = calloc(1, sizeof(*u));
	unsigned before = completed, rounds = 0;

	if (!u || (len && !(u->buf = calloc(1, len))))
		exit(1);
	u->seqnum = seqnum;
	u->epnum = ep;
	u->in = in;
	u->flags = flags;
	u->len = len;
	if (setup)
		memcpy(u->setup, setup, 8);
	ud_usbip_engine_submit(&engine, u);
	while (completed == before) {
		ud_usbip_engine_round(&engine);
		if (++rounds > 100000)
			exit(1);
	}
}

int main(int argc, char **argv)
{
	static const uint8_t set_config[8] = {0x00, 0x09, 1, 0, 0, 0, 0, 0};
	static const uint8_t get_device[8] = {0x80, 0x06, 0, 1, 0, 0, 18, 0};
	struct ud_sim_options opt;
	char err[200];
	unsigned long size, count, i;

	if (argc != 5)
		return 2;
	size = strtoul(argv[3], NULL, 10);
	count = strtoul(argv[4], NULL, 10);
	ud_sim_options_default(&opt);
	opt.speed = strcmp(argv[2], "high") == 0 ? UD_SPEED_HIGH : UD_SPEED_FULL;
	if (ud_usbip_device_attach(&world, "zero", &opt, err, sizeof(err)) != 0)
		return 1;
	ud_usbip_engine_init(&engine, &world, on_complete, NULL, 0);
	run_one(1, 0, false, 0, 0, set_config);
	for (i = 0; i < count; i++) {
		uint32_t seq = (uint32_t)(i + 2);

		if (strcmp(argv[1], "in") == 0)
			run_one(seq, 1, true, 0, (uint32_t)size, NULL);
		else if (strcmp(argv[1], "out") == 0)
			run_one(seq, 1, false, UD_USBIP_URB_ZERO_PACKET, (uint32_t)size, NULL);
		else
			run_one(seq, 0, true, 0, 18, get_device);
	}
	return failed ? 1 : 0;
}
