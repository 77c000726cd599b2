/* SPDX-License-Identifier: MIT */
/**
 * @file host.h
 * @brief The host model: a USB host that drives one device through the vdc's bus side.
 *
 * The host knows what a real host knows and nothing more: the address it gave the device, the
 * data toggles it expects and sends per endpoint, EP0's max packet size (from the device
 * descriptor) and the other endpoints' sizes (from the configuration descriptor). It never
 * reads the core's state.
 *
 * Two modes:
 * - auto (default): after every bus transaction the host "pumps": it delivers every pending
 *   controller interrupt and runs ud_task() until the device is idle, as a fast CPU would.
 *   A NAKed token of a whole transfer is retried (pumping in between) up to UD_HOST_NAK_AUTO
 *   times. With `defer_data_irqs` set the pump leaves data endpoints' completions pending (the
 *   explorer's atomic control transfers: those interrupts go on racing with the control
 *   transfer's effects, e.g. a CLEAR_FEATURE(ENDPOINT_HALT) of a transfer that has just ended).
 * - manual: nothing happens behind the script's back; interrupts and ud_task() run only when
 *   asked (ud_host_irq(), ud_host_task()) and a NAK is not retried.
 *
 * Packet operations (ud_host_in_packet(), ud_host_out_packet()) report one handshake and never
 * retry. Transfer operations (ud_host_control(), ud_host_read(), ud_host_write()) retry NAKs
 * and report ok, stall, timeout or error.
 *
 * All host state is in `struct ud_host`, inside `struct ud_world` (world.h), so a whole world
 * can be saved and restored with memcpy.
 */
#ifndef UD_SIM_HOST_H
#define UD_SIM_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/udcore.h"

struct ud_world;

/** Lets the compiler check printf-style arguments of the sim's message functions. */
#if defined(__GNUC__)
#define UD_SIM_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define UD_SIM_PRINTF(fmt, args)
#endif

/** NAKs a transfer operation tolerates per packet in auto and manual mode. */
#define UD_HOST_NAK_AUTO 64
#define UD_HOST_NAK_MANUAL 1

/** Pump rounds (deliver interrupts + ud_task()) before the host declares the device wedged. */
#define UD_HOST_PUMP_ROUNDS 1000

/** Largest transfer a host operation moves (the script's data buffers). */
#define UD_SIM_DATA_MAX 4096

/** Largest packet the host accepts on any endpoint (high-speed isochronous). */
#define UD_HOST_PACKET_MAX 1024

/** The outcome of one host action, as the script reports it. */
enum ud_sim_status {
	UD_SIM_OK = 0, /**< a whole transfer or action succeeded */
	UD_SIM_ACK,    /**< one packet was acknowledged */
	UD_SIM_NAK,
	UD_SIM_STALL,
	UD_SIM_TIMEOUT, /**< no handshake, or NAKed more often than the host waits */
	UD_SIM_ERROR,   /**< anything else: babble, a wedged device, a bad argument */
};

/** What an action returns: status, data and a human message for errors. */
struct ud_sim_result {
	uint8_t status; /**< enum ud_sim_status */
	int8_t pid;     /**< DATA PID of the packet (in/out), -1 if not a packet */
	bool dup;       /**< in: the packet had the wrong toggle and was dropped as a repeat */
	uint16_t len;
	uint8_t data[UD_SIM_DATA_MAX];
	char message[200];
};

/** Per-endpoint knowledge of the host (index: endpoint number). */
struct ud_host_ep {
	uint8_t toggle_in;  /**< DATA PID the host expects next on IN */
	uint8_t toggle_out; /**< DATA PID the host sends next on OUT */
	uint16_t mps_in, mps_out;
	uint8_t intf_in, intf_out; /**< interface the endpoint belongs to, 0xff if unknown */
};

struct ud_host {
	uint8_t want_speed; /**< enum ud_speed the host port offers on reset */
	uint8_t speed;      /**< speed of the last reset */
	uint8_t addr;       /**< address the host talks to */
	uint8_t config;     /**< configuration value it selected */
	uint8_t next_addr;  /**< address the next enumeration assigns (1..127) */
	uint8_t manual;
	uint8_t defer_data_irqs; /**< auto mode: pumps deliver only EP0 and bus interrupts */
	uint8_t ep0_known;       /**< ep[0].mps_* came from a device descriptor */
	uint16_t frame;
	struct ud_host_ep ep[16];
	/* The last SETUP sent, so that a status stage done packet by packet still has its
	 * effect on the host (address, toggles). */
	struct ud_setup last_setup;
	uint8_t last_setup_valid;
	uint8_t dev_desc[18]; /**< the last device descriptor read (zeros if none) */
	uint8_t dev_desc_len;
	uint32_t pumps, pump_rounds; /**< statistics */
};

void ud_host_init(struct ud_host *h, enum ud_speed want_speed);

/** @brief Forget everything learned about the device (as after an unplug): address 0, EP0 max
 * packet back to the 64-byte guess, endpoint sizes back to the defaults. */
void ud_host_forget_device(struct ud_host *h);

/** @brief NAK retries of a transfer operation in the current mode. */
unsigned ud_host_nak_limit(const struct ud_host *h);

/**
 * @brief Auto mode only (a no-op in manual mode): deliver pending interrupts and run ud_task()
 * until the device is idle. @return false, with @p r set to error, if it did not settle.
 */
bool ud_host_pump(struct ud_world *w, struct ud_sim_result *r);

/* --- bus events (each pumps in auto mode) --- */
void ud_host_connect(struct ud_world *w, bool on, struct ud_sim_result *r);
void ud_host_reset(struct ud_world *w, struct ud_sim_result *r);
void ud_host_suspend(struct ud_world *w, bool suspend, struct ud_sim_result *r);
void ud_host_sof(struct ud_world *w, int frame, struct ud_sim_result *r);

/* --- single transactions: report the handshake, no retry --- */
void ud_host_setup_packet(struct ud_world *w, const struct ud_setup *s, struct ud_sim_result *r);
void ud_host_in_packet(struct ud_world *w, uint8_t epnum, struct ud_sim_result *r);
void ud_host_out_packet(struct ud_world *w, uint8_t epnum, const uint8_t *data, uint16_t len,
                        struct ud_sim_result *r);

/* --- whole transfers: retry NAKs, report ok / stall / timeout / error --- */

/**
 * One control transfer: SETUP, data stage, status stage. An IN data stage ends on a short
 * packet or wLength bytes; an OUT data stage sends the @p out_len bytes at @p out (normally
 * wLength of them) in EP0-sized packets. On success the host learns from the request.
 */
void ud_host_control(struct ud_world *w, const struct ud_setup *s, const uint8_t *out,
                     uint16_t out_len, struct ud_sim_result *r);

/** An IN transfer of at most @p maxlen bytes, ending on a short packet (data beyond
 * UD_SIM_DATA_MAX bytes is an error). */
void ud_host_read(struct ud_world *w, uint8_t epnum, uint16_t maxlen, struct ud_sim_result *r);

/** An OUT transfer in max-packet pieces, plus a ZLP if @p zlp and len is a multiple. */
void ud_host_write(struct ud_world *w, uint8_t epnum, const uint8_t *data, uint16_t len, bool zlp,
                   struct ud_sim_result *r);

/* --- internals shared by host.c and host_xfer.c --- */

/** Set @p r to @p status with a printf-style message. */
void ud_host_fail(struct ud_sim_result *r, enum ud_sim_status status, const char *fmt, ...)
	UD_SIM_PRINTF(3, 4);

/** Clear @p r to an empty success. */
void ud_host_result_clear(struct ud_sim_result *r, enum ud_sim_status status);

/** What the host learns from a request that ended well (address, toggles, sizes). */
void ud_host_learn(struct ud_host *h, const struct ud_setup *s, const uint8_t *data, uint16_t len);

/** True if the status stage of request @p s is an IN (no data stage, or an OUT one). */
bool ud_host_status_in(const struct ud_setup *s);

/** Max packet size the host uses for @p epnum in direction @p in. */
uint16_t ud_host_mps(const struct ud_host *h, uint8_t epnum, bool in);

/** Short names of statuses and speeds for output. */
const char *ud_sim_status_name(enum ud_sim_status s);
const char *ud_sim_speed_name(enum ud_speed s);

#endif /* UD_SIM_HOST_H */
