/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the vdc's unit tests (test_vdc*.c). The core is not linked: the six
 * ud_port_report_*() functions (vdc_fixture.c) record what the vdc's interrupt handler reports,
 * so each test checks the port contract from both sides (the host's answers and the core's
 * reports).
 */
#ifndef UD_TEST_VDC_FIXTURE_H
#define UD_TEST_VDC_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "udcore/ud_ch9.h"
#include "udcore/ud_vdc.h"

/* ---- what the vdc reported, in order ---- */

enum rec_kind {
	REC_SETUP,
	REC_XFER,
	REC_RESET,
	REC_SUSPEND,
	REC_VBUS,
	REC_SOF
};

struct rec {
	enum rec_kind kind;
	struct ud_device *dev;
	uint8_t ep;
	uint32_t actual;
	int status;
	uint8_t setup[8];
	unsigned value; /* speed, suspended, present or frame */
};

extern struct rec recs[64];
extern unsigned num_recs;
extern char fake_device;      /* the vdc only passes the pointer on */
extern unsigned stream_wakes; /* ud_port_report_stream() calls */
/* What ud_port_setup_waiting() answers: a SETUP reported that the "core" has not taken. */
extern bool setup_waiting;
#define DEV ((struct ud_device *)(void *)&fake_device)

/* ---- the controller under test and helpers ---- */

extern struct ud_vdc vdc;
extern const uint8_t setup_a[8]; /* GET_DESCRIPTOR(device), 64 bytes */
extern const uint8_t setup_b[8]; /* SET_ADDRESS(7) */

/* A controller bound to DEV, initialised by the "core", attached and reset: ready for traffic
 * at address 0, with nothing pending and nothing recorded. */
void bring_up(const struct ud_vdc_config *cfg, enum ud_speed speed);

/* cmocka set-up of every vdc test: bring_up(NULL, UD_SPEED_FULL). */
int setup_default(void **state);

/* Open an endpoint through the port operations (open_ep asserts success). */
void open_ep(uint8_t addr, uint8_t type, uint16_t mps);
int ep_open_rc(uint8_t addr, uint8_t type, uint16_t mps);

/* Start a transfer through the port operations. */
int xfer(uint8_t ep, uint8_t *buf, uint32_t len);

/* The host's OUT packet (DATA0/DATA1 as @p pid) to endpoint number @p epnum. */
enum ud_vdc_result out(uint8_t epnum, const uint8_t *data, uint16_t len, uint8_t pid);

/* An IN token; the packet lands in @p data (@p cap bytes of room). */
enum ud_vdc_result in(uint8_t epnum, uint8_t *data, uint16_t cap, uint16_t *len, uint8_t *pid);

/* @p n bytes seed, seed + 1, ... */
void fill(uint8_t *buf, size_t n, uint8_t seed);

/* The vdc's state of endpoint @p ep, and its ep_stream operation (ud_port.h) called directly. */
const struct ud_vdc_ep *ep_state(uint8_t ep);
int stream_op(uint8_t ep, struct ud_stream *s);
/* The port's ep_kick, straight (as ud_ep_stream_rearm() passes it on). */
void stream_kick(uint8_t ep, struct ud_stream *s);

/* The only pending interrupt is the completion of @p ep with @p actual and @p status. */
void assert_one_xfer_irq(uint8_t ep, uint32_t actual, int status);

#define VDC_T(fn) cmocka_unit_test_setup(fn, setup_default)

#endif /* UD_TEST_VDC_FIXTURE_H */
