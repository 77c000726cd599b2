/* SPDX-License-Identifier: MIT */
/*
 * bench_bulk: bulk packets through the class, the core and the vdc, for instruction counting
 * (bench/section_bulk.sh runs it under callgrind).
 *
 * usage: bench_bulk out|in MPS XFER COUNT
 *
 * Builds a device with one bulk function on the vdc (full speed for MPS 64, high speed for
 * 512), configures it (reset, SET_ADDRESS, SET_CONFIGURATION), then moves COUNT packets of MPS bytes in
 * one direction, in transfers of XFER bytes (a multiple of MPS, at most 4096): the application
 * keeps two requests of XFER bytes queued and its completion resubmits the request, as a
 * streaming application does. Per packet the loop does what a device sees on a real bus: one
 * transaction on the wire (vdc bus side); when that ended a transfer, the controller interrupt
 * (vdc -> ud_port_report_xfer) and one ud_task() pass (the core's completion handling, the next
 * transfer started at the port, the class completion and the resubmit), as a main loop woken
 * by the interrupt runs it. The host side is the vdc's bus API, not the simulator's host
 * model, and the program does not link sim/ (whose link-time wrappers would add to every
 * call), so that only device work is counted. Exit status 0 if every packet moved, 1 otherwise.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "udcore/ud_bulk.h"
#include "udcore/ud_vdc.h"

#define ADDR 1u

static struct ud_vdc vdc;
static struct ud_device device;
static struct ud_device_info info = {.vid = 0x1209, .pid = 0x0004, .ep0_max_packet = 64};
static struct ud_bulk bulk;
static struct ud_req req[2];
static uint8_t buf[2][4096];
static bool dir_in;
static uint16_t mps;
static uint32_t xfer_len;
static uint32_t completed;

static void done(struct ud_device *dev, struct ud_req *r)
{
	(void)dev;
	if (r->status != UD_OK)
		return;
	completed += r->actual;
	(void)(dir_in ? ud_bulk_submit_in(&bulk, r) : ud_bulk_submit_out(&bulk, r));
}

static void enable(struct ud_bulk *b)
{
	for (unsigned i = 0; i < 2; i++) {
		req[i] = (struct ud_req){.buf = buf[i], .length = xfer_len, .complete = done};
		(void)(dir_in ? ud_bulk_submit_in(b, &req[i]) : ud_bulk_submit_out(b, &req[i]));
	}
}

static const struct ud_bulk_ops ops = {.enable = enable};

static void pump(void)
{
	for (;;) {
		bool work = ud_vdc_irq_deliver_all(&vdc) > 0;
		if (!ud_task(&device) && !work)
			return;
	}
}

/* A control transfer without a data stage: SETUP, then the zero-length IN status stage. */
static bool request(uint8_t addr, uint8_t breq, uint16_t value)
{
	const uint8_t raw[8] = {0x00, breq, (uint8_t)value, (uint8_t)(value >> 8), 0, 0, 0, 0};
	uint8_t pid;
	uint16_t len;

	if (ud_vdc_setup(&vdc, addr, raw) != UD_VDC_ACK)
		return false;
	pump();
	bool ok = ud_vdc_in(&vdc, addr, 0, NULL, 0, &len, &pid) == UD_VDC_ACK;
	pump();
	return ok;
}

/* Plug in, reset, SET_ADDRESS, SET_CONFIGURATION: all a bulk function needs from a host. The
 * vdc's bus API is used directly (not the simulator's host model), so that the benchmark
 * links only the device side. */
static int build(enum ud_speed speed)
{
	const struct ud_vdc_config vcfg = {
		.ep_count = UD_MAX_EP_NUM,
		.speeds = speed == UD_SPEED_HIGH ? (UD_SPEED_FULL | UD_SPEED_HIGH) : UD_SPEED_FULL,
	};
	const struct ud_bulk_config bcfg = {.ops = &ops};

	ud_vdc_init(&vdc, &vcfg);
	if (ud_device_init(&device, ud_vdc_port(&vdc), &info) ||
	    ud_bulk_add(&device, &bulk, &bcfg) || ud_device_start(&device))
		return -1;
	ud_vdc_vbus(&vdc, true);
	ud_vdc_bus_reset(&vdc, speed);
	pump();
	if (!request(0, UD_REQ_SET_ADDRESS, ADDR) || !request(ADDR, UD_REQ_SET_CONFIGURATION, 1))
		return -1;
	return ud_bulk_active(&bulk) && ud_bulk_max_packet(&bulk, true) == mps ? 0 : -1;
}

/* One packet on the wire, its interrupt, one pass of the device's main loop. */
static bool packet(uint8_t *data, uint8_t *pid)
{
	uint16_t len = 0;
	enum ud_vdc_result v;

	if (dir_in) {
		v = ud_vdc_in(&vdc, ADDR, 1, data, 512, &len, pid);
	} else {
		v = ud_vdc_out(&vdc, ADDR, 1, data, mps, *pid);
		*pid ^= 1u;
	}
	if (ud_vdc_irq_deliver_all(&vdc))
		(void)ud_task(&device);
	return v == UD_VDC_ACK;
}

int main(int argc, char **argv)
{
	static uint8_t data[512];
	uint8_t pid = 0;

	if (argc != 5 || (strcmp(argv[1], "in") && strcmp(argv[1], "out")))
		return 2;
	dir_in = strcmp(argv[1], "in") == 0;
	mps = (uint16_t)atoi(argv[2]);
	xfer_len = (uint32_t)strtoul(argv[3], NULL, 10);
	if ((mps != 64 && mps != 512) || !xfer_len || xfer_len % mps || xfer_len > sizeof(buf[0]))
		return 2;
	unsigned long count = strtoul(argv[4], NULL, 10);
	if (count % (xfer_len / mps))
		return 2; /* whole transfers only, so that the completion count can be checked */
	if (build(mps == 512 ? UD_SPEED_HIGH : UD_SPEED_FULL))
		return 1;
	memset(data, 0x5a, sizeof(data));
	for (unsigned long i = 0; i < count; i++)
		if (!packet(data, &pid))
			return 1;
	return completed == count * mps ? 0 : 1;
}
