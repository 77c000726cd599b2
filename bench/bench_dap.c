/* SPDX-License-Identifier: MIT */
/*
 * bench_dap: target-memory reads through the CMSIS-DAP v2 transport, against the time a
 * full-speed bus needs for them (bench/section_dap.sh).
 *
 * usage: bench_dap PACKET_SIZE IN_FLIGHT SWD_KHZ COUNT
 *
 * A `dap`-like probe (class/dap v2 with the real engine, PACKET_SIZE-byte packets, 8 slots)
 * on a full-speed vdc (64-byte bulk endpoints), wired to the simulated SWD target (sim/
 * swd_target.h) with RAM filled with a pattern. The host enumerates, connects (DAP_Connect,
 * SWJ sequences, DPIDR, power-up, CSW, TAR) and then reads target memory with COUNT
 * DAP_TransferBlock commands of as many words as a response packet holds, keeping up to
 * IN_FLIGHT commands outstanding, as pyOCD does with the packet count: it writes a command
 * whenever fewer are outstanding, otherwise reads. Every word read is checked against the
 * pattern.
 *
 * Bus time is counted in byte times of a full-speed frame: a transaction costs its payload
 * plus 13 bytes of protocol overhead (USB 2.0 table 5-9: tokens, handshake, CRC, inter-packet
 * delays), a 1 ms frame holds 19 * (64 + 13) = 1463, which is the "19 bulk packets of 64
 * bytes per frame" of the specification, and a transaction never crosses a frame boundary. A
 * NAKed transaction (token and handshake, no data packet) costs 9.
 *
 * The device's main loop (interrupts, ud_task()) runs after every transaction: a fast CPU.
 * Commands execute in another context, as ud_dap_process() allows: with SWD_KHZ 0 at once,
 * otherwise each takes the time its SWD transfers need at that clock (46 cycles per transfer:
 * 8 request, 1 turnaround, 3 acknowledge, 33 data and parity, 1 turnaround; a block of n reads
 * is n + 1 transfers, the last collecting the posted read), while the bus goes on; the
 * response is ready when that time has passed. When the host can do nothing (its window is
 * full and the response not ready) the bus idles until it is.
 *
 * Prints one line: packet_size in_flight swd_khz commands data_bytes bus_us bytes_per_ms
 * bus_bound swd_bound ceiling naks. bus_bound is what the bus allows under the same cost
 * model: per command one OUT of the 5-byte request and the response packets, nothing else,
 * no NAK, no frame left partly unused (so no schedule can beat it); swd_bound what the SWD
 * clock allows (0: no limit); ceiling counts response packets only (19 per frame, all of each
 * but the 4-byte header data). Exit status 0 if every byte read matched the pattern, 1
 * otherwise, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enumerate.h"
#include "swd_target.h"
#include "udcore/ud_dap.h"
#include "world.h"

#define FRAME_BYTES (19u * (64u + 13u))
#define OVERHEAD 13u
#define NAK_COST 9u
#define SLOTS 8u
#define MAX_SIZE 512u
#define RAM_SIZE 1024u
#define EP_OUT 1u
#define EP_IN 1u

static struct ud_world w;
static struct ud_dap dap;
static struct ud_dap_info info = {.vendor = "udcore", .product = "bench"};
static struct ud_swd_target target;
static uint8_t ram[RAM_SIZE];
static uint8_t slots[UD_DAP_BUFFER_SIZE(SLOTS, MAX_SIZE)];

static uint16_t packet_size;
static uint32_t words_per_block;

/* ---- the bus clock ---- */

static uint64_t bus_time; /* byte times since the first measured transaction */
static uint32_t naks;

static void spend(uint32_t cost)
{
	uint32_t used = (uint32_t)(bus_time % FRAME_BYTES);
	if (used + cost > FRAME_BYTES)
		bus_time += FRAME_BYTES - used; /* the rest of the frame stays unused */
	bus_time += cost;
}

/* ---- the device's main loop ---- */

static void device_loop(void)
{
	while (ud_vdc_irq_count(&w.vdc) > 0)
		(void)ud_vdc_irq_deliver(&w.vdc, 0);
	(void)ud_task(&w.dev);
}

/* The execution context: one command at a time, each taking exec_time byte times. */
static double exec_time;
static double exec_end;
static bool executing;

static void executor(void)
{
	if (executing && (double)bus_time >= exec_end) {
		(void)ud_dap_process(&dap);
		executing = false;
		device_loop(); /* the wake: ud_task() runs the pump */
	}
	if (!executing && ud_dap_pending(&dap) > 0) {
		executing = true;
		exec_end = (double)bus_time + exec_time;
		if (exec_time == 0) {
			executor();
			return;
		}
	}
}

static void device_settle(void)
{
	for (int i = 0; i < 64; i++) {
		device_loop();
		(void)ud_dap_process(&dap);
	}
}

/* ---- host transactions, with the host model's toggles ---- */

static bool out_packet(const uint8_t *data, uint16_t len)
{
	struct ud_sim_result r;
	ud_host_out_packet(&w, EP_OUT, data, len, &r);
	if (r.status == UD_SIM_ACK) {
		spend(OVERHEAD + len);
		return true;
	}
	spend(NAK_COST);
	naks++;
	return false;
}

static int in_packet(uint8_t *data)
{
	static struct ud_sim_result r;
	ud_host_in_packet(&w, EP_IN, &r);
	if (r.status != UD_SIM_ACK || r.dup) {
		spend(NAK_COST);
		naks++;
		return -1;
	}
	spend(OVERHEAD + r.len);
	memcpy(data, r.data, r.len);
	return r.len;
}

/* Untimed request/response for the set-up commands. */
static uint16_t exchange(const uint8_t *cmd, uint16_t len, uint8_t *resp)
{
	uint16_t got = 0;
	int n;

	if (!out_packet(cmd, len))
		return 0;
	device_settle();
	do {
		n = in_packet(resp + got);
		if (n < 0)
			return 0;
		got = (uint16_t)(got + n);
		device_settle();
	} while (n == 64 && got < packet_size);
	return got;
}

static bool transfer(uint8_t request, uint32_t value)
{
	uint8_t cmd[8] = {0x05,
	                  0,
	                  1,
	                  request,
	                  (uint8_t)value,
	                  (uint8_t)(value >> 8),
	                  (uint8_t)(value >> 16),
	                  (uint8_t)(value >> 24)};
	uint8_t resp[MAX_SIZE];
	uint16_t n = exchange(cmd, (request & 0x02u) ? 4 : 8, resp);
	return n >= 3 && resp[0] == 0x05 && resp[1] == 1 && resp[2] == 1;
}

static bool connect_target(void)
{
	static const uint8_t connect[] = {0x02, 0x01};
	static const uint8_t reset_seq[] = {0x12, 56, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t to_swd[] = {0x12, 16, 0x9e, 0xe7};
	static const uint8_t idle[] = {0x12, 8, 0x00};
	uint8_t resp[MAX_SIZE];

	if (exchange(connect, sizeof(connect), resp) != 2 || resp[1] != 1)
		return false;
	if (!exchange(reset_seq, sizeof(reset_seq), resp) ||
	    !exchange(to_swd, sizeof(to_swd), resp) ||
	    !exchange(reset_seq, sizeof(reset_seq), resp) || !exchange(idle, sizeof(idle), resp))
		return false;
	return transfer(0x02, 0) &&                    /* read DPIDR */
	       transfer(0x00, 0x1e) &&                 /* ABORT: clear sticky flags */
	       transfer(0x04, 0x50000000) &&           /* CTRL/STAT: power-up requests */
	       transfer(0x06, 0) &&                    /* read CTRL/STAT */
	       transfer(0x08, 0) &&                    /* SELECT AP 0, bank 0 */
	       transfer(0x01, 0x23000012) &&           /* CSW: 32-bit, auto-increment */
	       transfer(0x05, UD_SWD_TARGET_RAM_BASE); /* TAR */
}

static int build(void)
{
	const struct ud_vdc_config vcfg = {.ep_count = UD_MAX_EP_NUM, .speeds = UD_SPEED_FULL};
	struct ud_dap_config cfg = {.info = &info,
	                            .io = &ud_swd_target_io,
	                            .io_ctx = &target,
	                            .packet_count = SLOTS,
	                            .packet_size = packet_size,
	                            .buffer = slots,
	                            .buffer_size = sizeof(slots)};
	static struct ud_sim_result r;
	static struct ud_enum_log log;

	ud_vdc_init(&w.vdc, &vcfg);
	ud_host_init(&w.host, UD_SPEED_FULL);
	w.info = (struct ud_device_info){.vid = 0x1209, .pid = 0xda42, .ep0_max_packet = 64};
	ud_swd_target_init(&target, ram, sizeof(ram));
	for (uint32_t i = 0; i < sizeof(ram); i++)
		ram[i] = (uint8_t)(i * 13u + 7u);
	if (ud_device_init(&w.dev, &w.vdc.port, &w.info) || ud_dap_v2_add(&w.dev, &dap, &cfg) ||
	    ud_device_start(&w.dev))
		return -1;
	ud_enumerate(&w, UD_OS_LINUX, &r, &log);
	if (r.status != UD_SIM_OK)
		return -1;
	w.host.manual = 1; /* from here on the device runs only in device_loop() */
	return connect_target() ? 0 : -1;
}

/* ---- the measured reads ---- */

struct reader {
	uint32_t sent, done, count, in_flight;
	uint16_t got;  /* bytes of the response being read */
	uint32_t addr; /* RAM offset of the next word expected */
	uint8_t resp[MAX_SIZE];
	bool bad;
};

static void check_response(struct reader *rd)
{
	const uint8_t *p = rd->resp;
	if (rd->got != 4 + 4 * words_per_block || p[0] != 0x06 ||
	    (uint32_t)(p[1] | (p[2] << 8)) != words_per_block || p[3] != 1) {
		rd->bad = true;
		return;
	}
	for (uint32_t i = 0; i < 4 * words_per_block; i++) {
		if (p[4 + i] != ram[rd->addr])
			rd->bad = true;
		rd->addr = (rd->addr + 1u) % RAM_SIZE; /* TAR auto-increment wraps in 1 KiB */
	}
}

/* One host turn: write a command while fewer than @window are outstanding (and the probe
 * takes it), else read a packet of the oldest response. True if anything moved. */
static bool host_turn(struct reader *rd, uint32_t window)
{
	if (rd->in_flight < window && rd->sent < rd->count) {
		const uint8_t cmd[5] = {0x06, 0, (uint8_t)words_per_block,
		                        (uint8_t)(words_per_block >> 8), 0x0f};
		if (out_packet(cmd, sizeof(cmd))) {
			rd->sent++;
			rd->in_flight++;
			return true;
		}
	}
	if (rd->in_flight == 0)
		return false;
	int n = in_packet(rd->resp + rd->got);
	if (n < 0)
		return false;
	rd->got = (uint16_t)(rd->got + n);
	if (n < 64 || rd->got == packet_size) {
		check_response(rd);
		rd->got = 0;
		rd->in_flight--;
		rd->done++;
	}
	return true;
}

/* What the bus allows: the ideal sequence's cost per command, frames filled to the byte. */
static double bus_bound(void)
{
	uint32_t packets = (packet_size + 63u) / 64u;
	uint32_t last = packet_size - 64u * (packets - 1u);
	double per_cmd = (OVERHEAD + 5.0) + (packets - 1u) * (OVERHEAD + 64.0) + OVERHEAD + last;

	return 4.0 * words_per_block * FRAME_BYTES / per_cmd;
}

static bool run(uint32_t count, uint32_t in_flight, uint32_t swd_khz)
{
	static struct reader rd;
	/* 1 ms = FRAME_BYTES byte times; a block of n reads is n + 1 transfers of 46 cycles. */
	double cycles = 46.0 * (words_per_block + 1u);
	double swd_bound = swd_khz ? 4.0 * words_per_block * swd_khz / cycles : 0;

	exec_time = swd_khz ? cycles / swd_khz * FRAME_BYTES : 0;
	memset(&rd, 0, sizeof(rd));
	rd.count = count;
	bus_time = 0;
	naks = 0;
	for (uint32_t idle = 0; rd.done < count; idle++) {
		bool moved = host_turn(&rd, in_flight);
		device_loop();
		executor();
		if (!moved && executing && (double)bus_time < exec_end) {
			bus_time = (uint64_t)exec_end + 1u; /* the bus idles until the response */
			executor();
		}
		if (moved)
			idle = 0;
		else if (idle > 1000) {
			printf("stalled after %u of %u commands\n", rd.done, count);
			return false; /* the queue starved: a transport bug */
		}
	}
	double ms = (double)bus_time / FRAME_BYTES;
	double data = 4.0 * words_per_block * count;
	uint32_t n = naks;
	double bound = bus_bound();
	double ceiling = 19.0 * 64.0 * (4.0 * words_per_block) / packet_size;

	printf("%u %u %u %u %.0f %.0f %.1f %.1f %.1f %.1f %u%s\n", packet_size, in_flight, swd_khz,
	       count, data, ms * 1000.0, data / ms, bound, swd_bound, ceiling, n,
	       rd.bad ? " BAD" : "");
	return !rd.bad;
}

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	packet_size = (uint16_t)atoi(argv[1]);
	uint32_t in_flight = (uint32_t)atoi(argv[2]);
	uint32_t swd_khz = (uint32_t)atoi(argv[3]);
	uint32_t count = (uint32_t)atoi(argv[4]);
	if (packet_size < 64 || packet_size > MAX_SIZE || in_flight < 1 || count < 1)
		return 2;
	words_per_block = (packet_size - 4u) / 4u;
	if (build())
		return 1;
	return run(count, in_flight, swd_khz) ? 0 : 1;
}
