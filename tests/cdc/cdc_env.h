/* SPDX-License-Identifier: MIT */
/*
 * A CDC test world: the vdc, the core and one CDC-ACM function with a configuration of the
 * test's choosing, driven by the simulator's host model (sim/host.h). The callbacks record
 * what the class told the application.
 */
#ifndef CDC_ENV_H
#define CDC_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_cdc.h"
#include "world.h"

#define CDC_ENV_RING_MAX 8192u
#define CDC_EP_NOTIFY 1u /* endpoint numbers the function allocates on a fresh device */
#define CDC_EP_OUT 1u
#define CDC_EP_IN 2u

struct cdc_env {
	struct ud_world w; /* vdc, dev, info and host are used; no registry device */
	struct ud_cdc cdc;
	struct ud_cdc_config cfg; /* what cdc points to: it must live as long as the port */
	uint8_t rx[CDC_ENV_RING_MAX];
	uint8_t tx[CDC_ENV_RING_MAX];

	/* What the callbacks saw. */
	unsigned line_codings, control_lines, breaks, rx_calls, tx_calls, ups, downs;
	struct ud_cdc_line_coding lc;
	int lc_answer; /* what on_line_coding returns */
	uint8_t lines;
	uint16_t break_ms;
	unsigned wakes, locks, unlocks;
	int lock_depth, lock_depth_max;
	/* The application's ring indices (rx.tail, tx.head) when the lock was last released:
	 * cdc_env_lock() asserts that they did not move while it was not held. */
	uint32_t rx_tail_unlocked, tx_head_unlocked;
	bool clear_tx_on_down; /* on_state(false) calls ud_cdc_tx_clear() */
	uint16_t first_state;  /* the SERIAL_STATE bitmap cdc_env_attach() read */
};

/** A configuration with the env's rings (sizes given), every callback and the env as ctx. */
struct ud_cdc_config cdc_env_config(struct cdc_env *e, uint32_t rx_size, uint32_t tx_size);

/**
 * Lock hooks for cfg.lock / cfg.unlock: they count, check nesting, and check that the
 * application's ring indices only move under the lock (recorded at unlock, compared at the
 * next lock).
 */
void cdc_env_lock(void *ctx);
void cdc_env_unlock(void *ctx);

/**
 * True: the vdc has no streams (ud_stream.h), so the class receives with requests, as on a
 * port without them. Also set by the environment variable CDC_NO_STREAMS (CMake runs every
 * CDC test program both ways). Read by cdc_env_start().
 */
extern bool cdc_env_no_streams;

/**
 * Build the world around a copy of @p cfg kept in the env (the port points to it, so @p cfg
 * may be the caller's local): full-speed vdc (or @p speeds), device, function, start.
 * @return ud_device_add_function()'s or ud_device_start()'s result.
 */
int cdc_env_start(struct cdc_env *e, const struct ud_cdc_config *cfg, uint8_t speeds);

/**
 * Enumerate as Linux does; asserts success. Then read the SERIAL_STATE notification the
 * class sends at every configuration (the levels, whatever they are) into `first_state`, as
 * a host does once it opens the port, so that a test starts with nothing pending.
 */
void cdc_env_attach(struct cdc_env *e);

/** Read one SERIAL_STATE notification (asserting its header); @return its bitmap. */
uint16_t cdc_env_serial_state(struct cdc_env *e);

/** cdc_env_start() (asserting success) with @p cfg, then cdc_env_attach(). */
void cdc_env_up(struct cdc_env *e, const struct ud_cdc_config *cfg, uint8_t speeds);

/** cdc_env_up() with cdc_env_config()'s configuration for the given ring sizes. */
void cdc_env_up_sizes(struct cdc_env *e, uint32_t rx_size, uint32_t tx_size, uint8_t speeds);

/** One IN token on the data IN endpoint, which must ACK; returns the packet's length. */
uint16_t cdc_env_in_packet(struct cdc_env *e, uint8_t *buf);

/** One IN token on the data IN endpoint, which must NAK. */
void cdc_env_expect_in_nak(struct cdc_env *e);

/** Test data: p[i] = i * @p step + @p seed (bytes). */
void cdc_pattern(uint8_t *p, unsigned n, unsigned step, unsigned seed);

/** A whole control transfer; returns the host's status (UD_SIM_OK, UD_SIM_STALL...). */
int cdc_env_control(struct cdc_env *e, uint8_t bm, uint8_t req, uint16_t value, uint16_t index,
                    uint16_t length, const uint8_t *out, uint16_t out_len, uint8_t *in,
                    uint16_t *in_len);

/** One OUT packet on the data endpoint (auto mode pumps). */
int cdc_env_out(struct cdc_env *e, const uint8_t *data, uint16_t len);

/** One IN token on endpoint @p epnum; copies the packet to @p data, length to @p len. */
int cdc_env_in(struct cdc_env *e, uint8_t epnum, uint8_t *data, uint16_t *len);

/** Deliver every pending interrupt and run ud_task() until idle. */
void cdc_env_pump(struct cdc_env *e);

/** The host's view of the configuration descriptor (asserts success). */
uint16_t cdc_env_config_desc(struct cdc_env *e, uint8_t *buf, uint16_t cap);

#endif /* CDC_ENV_H */
