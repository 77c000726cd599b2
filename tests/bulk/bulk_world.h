/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the bulk class tests: one simulated world (controller, core, host model) at a
 * time, built either from the udsim registry (`bulk`, `zero`, `zero-mod63`) or around a
 * function the test adds itself, and host operations that fail the test when the host model
 * reports something other than what the caller expects.
 */
#ifndef BULK_WORLD_H
#define BULK_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "enumerate.h"
#include "world.h"

/* The world under test, and the result of the last host operation. */
extern struct ud_world bw;
extern struct ud_sim_result bw_r;

/* Build the registered device @p name on a controller of @p speed (UD_SPEED_FULL or
 * UD_SPEED_HIGH) with EP0 size @p ep0 (0: 64); it is not attached yet. */
void bw_registered(const char *name, enum ud_speed speed, uint8_t ep0);

/* Build a device whose functions @p add registers (it fills bw.info first). */
void bw_custom(enum ud_speed speed, int (*add)(struct ud_device *dev));

/* Attach and enumerate as @p os; asserts success. */
void bw_attach(enum ud_host_os os);

/* A control transfer; returns the status (UD_SIM_OK, UD_SIM_STALL, ...), data in bw_r. */
enum ud_sim_status bw_control(uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi, uint16_t wl,
                              const uint8_t *out, uint16_t out_len);
/* The same, asserting UD_SIM_OK. */
void bw_control_ok(uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi, uint16_t wl,
                   const uint8_t *out, uint16_t out_len);

/* GET_STATUS of endpoint @p ep (an address). */
uint16_t bw_ep_status(uint8_t ep);
void bw_set_halt(uint8_t ep);
void bw_clear_halt(uint8_t ep);
/* SET_INTERFACE(intf, alt 0), as Linux usbtest does before each test. */
void bw_set_interface0(uint8_t intf);

/* Whole transfers; return the status, bytes moved in bw_r.len. */
enum ud_sim_status bw_write(uint8_t epnum, const uint8_t *data, uint16_t len, bool zlp);
enum ud_sim_status bw_read(uint8_t epnum, uint16_t maxlen);

/* One packet; returns the handshake (UD_SIM_ACK, UD_SIM_NAK, UD_SIM_STALL, ...). */
enum ud_sim_status bw_in(uint8_t epnum);
enum ud_sim_status bw_out(uint8_t epnum, const uint8_t *data, uint16_t len);

/* Max packet size of bulk endpoints at the speed the bus runs. */
uint16_t bw_mps(void);

/* Fill @p buf with bytes that differ from transfer to transfer (seeded by @p seed). */
void bw_fill(uint8_t *buf, uint32_t len, uint32_t seed);

/* Deliver every pending interrupt and run ud_task() until idle, also in manual mode. */
void bw_pump_manual(void);

/* No controller or core contract violation happened in the world so far. */
void bw_assert_clean(void);

#endif /* BULK_WORLD_H */
