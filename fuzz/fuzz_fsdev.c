/* SPDX-License-Identifier: MIT */
/*
 * Harness fsdev: the control harness (fuzz_control.c) with the STM32 USB full-speed device port
 * on its register-level model (sim/fsdev_model.h) as the controller, on the composite device.
 * The input drives the host side (control transfers, raw SETUPs, OUT packets and IN tokens on
 * any endpoint, bus events, SOF and missed frames) and the device side (the interrupt line,
 * ud_task(), class steps), from a powered or an enumerated start, in auto or manual mode.
 *
 * After every step it checks what must hold on this controller: the port made no register or
 * packet-memory access the hardware forbids, its interrupt handler never left the line
 * asserted with nothing changed, and the core saw no report that belongs to no transfer.
 *
 * Input: byte 0 picks the start (bit 0: enumerated) and the mode (bit 1: manual); then
 * operations, one byte each plus their operands, until the input ends.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_bus.h"
#include "devices.h"
#include "enumerate.h"
#include "fuzz_world.h"
#include "host.h"

#ifndef FUZZ_DEVICE
#define FUZZ_DEVICE "composite"
#endif

static struct ud_world w;
static struct ud_sim_result r;
static uint8_t data[UD_SIM_DATA_MAX];

/* Two snapshots, powered and enumerated, built in `w` itself (it points into itself) and
 * restored into it by copy before every input. */
static struct ud_world snap[2];
static int snap_ready[2];

static void build(int enumerated)
{
	struct ud_sim_options opt;
	char err[200];

	ud_sim_options_default(&opt);
	opt.port = UD_SIM_PORT_FSDEV;
	if (ud_world_init(&w, FUZZ_DEVICE, &opt, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_fsdev: %s\n", err);
		abort();
	}
	if (enumerated) {
		struct ud_enum_log log;
		ud_enumerate(&w, UD_OS_LINUX, &r, &log);
		if (r.status != UD_SIM_OK) {
			fprintf(stderr, "fuzz_fsdev: enumeration failed: %s\n", r.message);
			abort();
		}
	}
}

static void start(int enumerated)
{
	if (!snap_ready[enumerated]) {
		build(enumerated);
		memcpy(&snap[enumerated], &w, sizeof(w));
		snap_ready[enumerated] = 1;
	}
	memcpy(&w, &snap[enumerated], sizeof(w));
}

static void check(void)
{
	char msg[200];

	if (!ud_bus_contract_ok(&w, msg, sizeof(msg))) {
		fprintf(stderr, "fuzz_fsdev: port contract violated: %s\n", msg);
		abort();
	}
}

static struct ud_setup read_setup(struct fuzz_in *in)
{
	struct ud_setup s;
	s.bmRequestType = fuzz_u8(in);
	s.bRequest = fuzz_u8(in);
	s.wValue = fuzz_u16(in);
	s.wIndex = fuzz_u16(in);
	s.wLength = fuzz_u16(in);
	return s;
}

static void control(struct fuzz_in *in)
{
	struct ud_setup s = read_setup(in);
	uint16_t n = 0;
	if (!(s.bmRequestType & 0x80u)) {
		uint16_t want = s.wLength < sizeof(data) ? s.wLength : (uint16_t)sizeof(data);
		while (n < want && in->n)
			data[n++] = fuzz_u8(in);
	}
	ud_host_control(&w, &s, data, n, &r);
}

static void out_packet(struct fuzz_in *in)
{
	uint8_t ep = fuzz_u8(in) & 0x0fu;
	uint16_t len = fuzz_u8(in);
	uint16_t n = 0;
	while (n < len && in->n)
		data[n++] = fuzz_u8(in);
	ud_host_out_packet(&w, ep, data, n, &r);
}

static void step(struct fuzz_in *in)
{
	struct ud_setup s;
	unsigned op = fuzz_u8(in) % 15u;
	if (getenv("UD_FUZZ_TRACE"))
		fprintf(stderr, "op %u (%zu bytes left), line %u, manual %u\n", op, in->n,
		        ud_bus_irq_count(&w), (unsigned)w.host.manual);
	switch (op) {
	case 0:
		control(in);
		break;
	case 1:
		s = read_setup(in);
		ud_host_setup_packet(&w, &s, &r);
		break;
	case 2:
		out_packet(in);
		break;
	case 3:
		ud_host_in_packet(&w, fuzz_u8(in) & 0x0fu, &r);
		break;
	case 4:
		(void)ud_bus_irq_deliver(&w, 0);
		break;
	case 5:
		(void)ud_task(&w.dev);
		break;
	case 6:
		ud_host_reset(&w, &r);
		break;
	case 7:
		ud_host_suspend(&w, fuzz_u8(in) & 1u, &r);
		break;
	case 8:
		ud_host_connect(&w, fuzz_u8(in) & 1u, &r);
		break;
	case 9:
		ud_host_sof(&w, fuzz_u16(in) & 0x7ff, &r);
		break;
	case 10:
		w.host.manual = !w.host.manual;
		break;
	case 11:
		if (w.def->step)
			w.def->step(&w);
		break;
	case 12:
		ud_host_read(&w, fuzz_u8(in) & 0x0fu, fuzz_u16(in) & 0x1fffu, &r);
		break;
	case 13:
		(void)ud_host_pump(&w, &r);
		break;
	default:
		/* A frame without SOF: an ESOF for the remote-wakeup timing. */
		ud_fsdev_model_tick_ms(&w.fsdev.hw);
		(void)ud_host_pump(&w, &r);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	struct fuzz_in in = {buf, len};
	uint8_t mode = fuzz_u8(&in);

	start(mode & 1u);
	w.host.manual = (mode >> 1) & 1u;
	while (in.n) {
		step(&in);
		check();
	}
	return 0;
}
