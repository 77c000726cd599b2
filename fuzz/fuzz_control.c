/* SPDX-License-Identifier: MIT */
/*
 * Harness 1, control: arbitrary sequences of SETUP packets, data stages and bus events against
 * a whole simulated device (the vdc, the core and the device's functions), starting from a
 * freshly powered or an enumerated device. Unlike a harness that only feeds SETUP packets, it
 * completes transfers: whole control transfers with real data stages, packet-level IN/OUT on
 * any endpoint, interrupts delivered out of order, so the control data stage and the class
 * data paths are reached. After every step the port contract is checked.
 *
 * Input: byte 0 picks the device state to start from (bit 0: enumerated) and the mode (bit 1:
 * manual, i.e. nothing runs unless the input says so); then operations, one byte each plus
 * their operands, until the input ends.
 *
 * Built with FUZZ_PORT_FSDEV, the controller is the STM32 fsdev port on its register model
 * (harness `fsdev`): one more operation, a frame without SOF (an ESOF, for the remote-wakeup
 * timing), and its interrupt is one line that takes no operand. The contract checked after
 * every step is then also: no register or packet-memory access the hardware forbids, no
 * handler that leaves its line asserted with nothing changed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctrl_bus.h"
#include "devices.h"
#include "fuzz_world.h"
#include "host.h"

#ifndef FUZZ_DEVICE
#define FUZZ_DEVICE "composite"
#endif

#ifdef FUZZ_PORT_FSDEV
#define FUZZ_PORT UD_SIM_PORT_FSDEV
#define FUZZ_OPS 15u
#else
#define FUZZ_PORT UD_SIM_PORT_VDC
#define FUZZ_OPS 14u
#endif

static struct ud_world w;
static struct ud_sim_result r;
static uint8_t data[UD_SIM_DATA_MAX];

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

/* One whole control transfer; OUT data (at most wLength bytes) comes from the input. */
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
	unsigned op = fuzz_u8(in) % FUZZ_OPS;
	if (getenv("UD_FUZZ_TRACE"))
		fprintf(stderr, "op %u (%zu bytes left), %u interrupts pending, manual %u\n", op,
		        in->n, ud_bus_irq_count(&w), (unsigned)w.host.manual);
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
	case 4: { /* one pending interrupt, any of them: out-of-order delivery */
#ifdef FUZZ_PORT_FSDEV
		(void)ud_bus_irq_deliver(&w, 0); /* one line: every flag in one handler run */
#else
		unsigned count = ud_bus_irq_count(&w);
		if (count)
			(void)ud_bus_irq_deliver(&w, fuzz_u8(in) % count);
#endif
		break;
	}
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
#ifdef FUZZ_PORT_FSDEV
		ud_fsdev_model_tick_ms(&w.fsdev.hw); /* a frame without SOF */
		(void)ud_host_pump(&w, &r);
#endif
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	struct fuzz_in in = {buf, len};
	uint8_t mode = fuzz_u8(&in);

	fuzz_world_start(&w, FUZZ_DEVICE, FUZZ_PORT, mode & 1u);
	w.host.manual = (mode >> 1) & 1u;
	while (in.n) {
		step(&in);
		fuzz_world_check(&w);
	}
	return 0;
}
