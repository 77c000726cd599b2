/* SPDX-License-Identifier: MIT */
/*
 * bench_cdc: N packets of 64 bytes through the CDC-ACM class on the vdc (or, as
 * bench_cdc_fsdev, on the STM32 fsdev port: below), one way.
 *
 *   bench_cdc out N   the host sends N packets; after each, the interrupt is delivered,
 *                     ud_task() runs once and the application reads the 64 bytes
 *   bench_cdc in N    the application writes 64 bytes; the host reads them with one IN token,
 *                     the interrupt is delivered and ud_task() runs once
 *   bench_cdc in2 N   a writer ahead of the host: the application writes 128 bytes (the ring
 *                     full), the host reads two packets, each followed by its interrupt, then
 *                     ud_task() runs once; N packets in all (N even)
 *
 * With the environment variable BENCH_CDC_REQUESTS set, the vdc has no endpoint streams
 * (ud_stream.h), as a port without them: the class then moves each packet with a request.
 *
 * Built with BENCH_CDC_FSDEV defined (the bench_cdc_fsdev program), the same device runs on
 * port/stm32_fsdev over the simulator's register model of the STM32 USB peripheral (`udsim
 * --port fsdev`): the host's transaction is the model's, the interrupt is the port's handler
 * as the simulator delivers it (ud_sim_fsdev_irq()). The choice is made at compile time so
 * that the vdc's loop is the very code it was, with no test of the port per packet.
 * BENCH_CDC_REQUESTS works on both.
 *
 * Everything a packet costs is inside the loop: the host's transaction on the vdc (the
 * "hardware"), the interrupt handler, the core, the class and the application call. Exit
 * status 0 only if every byte arrived in order and the controller saw no breach of the port
 * contract (ud_bus_contract_ok()), so a broken data path cannot look fast.
 */
#include <stdlib.h>
#include <string.h>

#include "devices.h"
#include "enumerate.h"
#include "world.h"

#include "ctrl_bus.h"

#define PKT 64u
#define EP_OUT 1u /* the `cdc` device's data endpoints */
#define EP_IN 2u
#define EP_NOTIFY 1u /* its notification endpoint, IN */

static struct ud_world w;
/* Packet i is pattern + (i % 251): every packet differs from its neighbours, at no cost per
 * packet beyond a pointer. */
static uint8_t pattern[256 + PKT];

static const uint8_t *packet(unsigned long i)
{
	return pattern + i % 251u;
}

/* The host's transactions and the interrupt, on the controller the program is built for. */
#ifdef BENCH_CDC_FSDEV
#define BENCH_PORT UD_SIM_PORT_FSDEV

static enum ud_vdc_result host_out(uint8_t ep, const uint8_t *data, uint16_t len, uint8_t pid)
{
	return ud_fsdev_model_out(&w.fsdev.hw, w.host.addr, ep, data, len, pid);
}

static enum ud_vdc_result host_in(uint8_t ep, uint8_t *data, uint16_t cap, uint16_t *len,
                                  uint8_t *pid)
{
	return ud_fsdev_model_in(&w.fsdev.hw, w.host.addr, ep, data, cap, len, pid);
}

/* One interrupt line: the handler takes every pending flag in one call. A line found idle
 * after a transaction is an error the byte checks would catch a packet later; an exit here
 * says where. */
static void deliver(void)
{
	if (ud_sim_fsdev_irq(&w.fsdev) != 0)
		exit(5);
}
#else
#define BENCH_PORT UD_SIM_PORT_VDC

static enum ud_vdc_result host_out(uint8_t ep, const uint8_t *data, uint16_t len, uint8_t pid)
{
	return ud_vdc_out(&w.vdc, w.host.addr, ep, data, len, pid);
}

static enum ud_vdc_result host_in(uint8_t ep, uint8_t *data, uint16_t cap, uint16_t *len,
                                  uint8_t *pid)
{
	return ud_vdc_in(&w.vdc, w.host.addr, ep, data, cap, len, pid);
}

static void deliver(void)
{
	ud_vdc_irq_deliver_all(&w.vdc);
}
#endif

static int run_out(struct ud_cdc *cdc, unsigned long n)
{
	uint8_t got[PKT];

	for (unsigned long i = 0; i < n; i++) {
		const uint8_t *pkt = packet(i);
		uint8_t *pid = &w.host.ep[EP_OUT].toggle_out;
		if (host_out(EP_OUT, pkt, PKT, *pid) != UD_VDC_ACK)
			return 3;
		*pid ^= 1u;
		deliver();
		ud_task(&w.dev);
		if (ud_cdc_read(cdc, got, PKT) != PKT || memcmp(pkt, got, PKT) != 0)
			return 4;
	}
	return 0;
}

static int run_in(struct ud_cdc *cdc, unsigned long n)
{
	uint8_t got[PKT];
	uint16_t len;
	uint8_t pid;

	for (unsigned long i = 0; i < n; i++) {
		const uint8_t *pkt = packet(i);
		if (ud_cdc_write(cdc, pkt, PKT) != PKT)
			return 3;
		if (host_in(EP_IN, got, PKT, &len, &pid) != UD_VDC_ACK ||
		    len != PKT || memcmp(pkt, got, PKT) != 0)
			return 4;
		deliver();
		ud_task(&w.dev);
	}
	return 0;
}

/* Two packets per write: the stream finds the second in the ring when the first went, and
 * runs dry (the kick's case) only once per write. */
static int run_in2(struct ud_cdc *cdc, unsigned long n)
{
	uint8_t got[PKT];
	uint16_t len;
	uint8_t pid;

	for (unsigned long i = 0; i < n; i += 2) {
		uint8_t two[2 * PKT];
		memcpy(two, packet(i), PKT);
		memcpy(two + PKT, packet(i + 1), PKT);
		if (ud_cdc_write(cdc, two, sizeof(two)) != sizeof(two))
			return 3;
		for (unsigned k = 0; k < 2; k++) {
			if (host_in(EP_IN, got, PKT, &len, &pid) != UD_VDC_ACK ||
			    len != PKT || memcmp(two + k * PKT, got, PKT) != 0)
				return 4;
			deliver();
		}
		ud_task(&w.dev);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ud_sim_options opt;
	struct ud_sim_result r;
	struct ud_enum_log log;
	char err[200];

	if (argc != 3 ||
	    (strcmp(argv[1], "out") != 0 && strcmp(argv[1], "in") != 0 && strcmp(argv[1], "in2") != 0))
		return 2;
	unsigned long n = strtoul(argv[2], NULL, 10);
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 37u + 11u);
	ud_sim_options_default(&opt);
	opt.no_streams = getenv("BENCH_CDC_REQUESTS") != NULL;
	opt.port = BENCH_PORT;
	if (ud_world_init(&w, "cdc", &opt, err, sizeof(err)) != 0)
		return 1;
	ud_enumerate(&w, UD_OS_LINUX, &r, &log);
	if (r.status != UD_SIM_OK)
		return 1;
	/* The port is open: the host has read the SERIAL_STATE the class sends after the
	 * configuration, as Linux does when a tty is opened, so no transfer waits on EP1 IN. */
	uint8_t ntf[16];
	uint16_t len;
	uint8_t pid;
	if (host_in(EP_NOTIFY, ntf, sizeof(ntf), &len, &pid) != UD_VDC_ACK || len != 10)
		return 1;
	deliver();
	ud_task(&w.dev);
	struct ud_cdc *cdc = &w.app.cdc.cdc;
	int rc;
	if (strcmp(argv[1], "in2") == 0)
		rc = run_in2(cdc, n);
	else
		rc = strcmp(argv[1], "out") == 0 ? run_out(cdc, n) : run_in(cdc, n);
	/* Right bytes are not enough: the controller (the vdc's counters, the fsdev model's
	 * register and packet-memory checks) must have seen no breach of the port contract. */
	if (rc == 0 && !ud_bus_contract_ok(&w, err, sizeof(err)))
		rc = 6;
	return rc;
}
