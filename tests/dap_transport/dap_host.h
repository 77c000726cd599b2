/* SPDX-License-Identifier: MIT */
/*
 * A small USB host for the DAP transport tests: it drives a udcore device with a DAP function
 * through the vdc's bus side, packet by packet, and keeps its own data toggles. Interrupt
 * delivery, ud_task() and ud_dap_process() are separate steps the tests call in any order
 * (th_settle() does all of them until the device is quiet, as a fast CPU would).
 */
#ifndef DAP_HOST_H
#define DAP_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_dap.h"
#include "udcore/ud_vdc.h"

#define TH_MAX_COUNT 8
#define TH_MAX_SIZE 512

struct th {
	struct ud_vdc vdc;
	struct ud_device dev;
	struct ud_device_info info;
	struct ud_dap_info dap_info;
	struct ud_dap_config cfg;
	struct ud_dap dap;
	uint8_t slots[UD_DAP_BUFFER_SIZE(TH_MAX_COUNT, TH_MAX_SIZE)];
	uint8_t version;
	uint8_t speed;
	uint8_t addr;
	uint8_t out_ep, in_ep; /* endpoint numbers of the DAP function */
	uint16_t mps;          /* of the DAP endpoints at the current speed */
	uint8_t tog_out[16], tog_in[16];
	bool process_in_settle; /* th_settle() also runs ud_dap_process() */
	unsigned notifies;
	/* wrap_port: the vdc's port operations behind a copy a test can change: ep_abort first
	 * runs the interrupt of a transfer that already ended (as a real ISR may just before the
	 * core aborts it), ep_xfer refuses the next `fail_in_xfers` IN transfers (UD_ERR_IO). */
	struct ud_port_ops wrapped_ops;
	const struct ud_port_ops *vdc_ops;
	unsigned fail_in_xfers;
};

/* Options beyond version, count and size (0 = default). */
struct th_opts {
	uint8_t speed; /* UD_SPEED_FULL (default) or UD_SPEED_HIGH */
	const char *interface_string;
	bool no_configure; /* stop after start (not attached) */
	bool wrap_port;    /* see struct th */
	uint16_t size_fs;  /* ud_dap_config.packet_size_fs */
	/* Add these functions instead of a DAP probe (the class/hid tests). */
	int (*add)(struct th *t);
};

/* An SWD backend with the four required operations set, each failing the test if called: the
 * transport's tests run a fake engine that never touches the wire. */
extern const struct ud_swd_io th_no_io;

/* Build the device, attach, enumerate (address 1) and select configuration 1. Fails the test
 * (cmocka) if any of it goes wrong. */
void th_init(struct th *t, uint8_t version, uint8_t count, uint16_t size,
             const struct th_opts *opt);

/* Deliver every pending interrupt oldest first, run ud_task() (and ud_dap_process() if
 * process_in_settle) until nothing changes. */
void th_settle(struct th *t);

/* Deliver pending interrupt n (in the vdc's list); the test fails if it cannot. */
void th_irq(struct th *t, unsigned n);

/* Index of the first pending XFER interrupt on endpoint address @ep, or -1. */
int th_find_irq(const struct th *t, uint8_t ep);

/* A whole control transfer with settling in between: 0, or -1 on STALL. IN data goes to
 * @in (room for @wl bytes) and its length to *inlen. */
int th_control(struct th *t, uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi, uint16_t wl,
               const uint8_t *out, uint8_t *in, uint16_t *inlen);

/* A request without data stage whose SETUP interrupt is delivered and handled (ud_task)
 * before any interrupt that was already pending; then the status stage, settling. */
int th_control_setup_first(struct th *t, uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi);

/* One OUT packet to the DAP OUT endpoint (or @epnum) with the host's toggle; the toggle
 * advances on ACK. */
enum ud_vdc_result th_out(struct th *t, const void *data, uint16_t len);
enum ud_vdc_result th_out_ep(struct th *t, uint8_t epnum, const void *data, uint16_t len);

/* One IN packet from the DAP IN endpoint; checks the DATA PID the host expects. */
enum ud_vdc_result th_in(struct th *t, uint8_t *data, uint16_t *len);

/* A whole write: packets of mps, a ZLP if @zlp and len is a multiple; settles between
 * packets and retries NAKs up to 8 times. Returns the last handshake. */
enum ud_vdc_result th_write(struct th *t, const void *data, uint16_t len, bool zlp);

/* A whole read of up to @maxlen (a short packet ends it): settles, retries NAKs 8 times.
 * Returns the number of bytes, or -1 if the first packet was NAKed every time. */
int th_read(struct th *t, uint8_t *buf, uint16_t maxlen);

/* Host side of the resets: forget toggles as a real host does. */
void th_bus_reset_and_enumerate(struct th *t);
void th_set_configuration(struct th *t, uint8_t value);
void th_clear_halt(struct th *t, uint8_t ep_addr);
void th_set_interface(struct th *t, uint8_t intf, uint8_t alt);

/* A function that only takes descriptor resources in its bind (strings, interfaces, OUT and
 * IN endpoints), so the next function's bind runs out of exactly one of them. */
struct th_hog {
	struct ud_function fn;
	uint8_t strings, interfaces, outs, ins;
};

/* Add @h (its counts set by the caller) to @dev; returns what ud_device_add_function did. */
int th_add_hog(struct ud_device *dev, struct th_hog *h);

#endif /* DAP_HOST_H */
