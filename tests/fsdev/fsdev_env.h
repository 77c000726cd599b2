/* SPDX-License-Identifier: MIT */
/*
 * The test bench of tests/fsdev: port/stm32_fsdev on the register model of sim/, without the
 * core. The port's ud_port_report_*() calls land in `rec`, so a test sees exactly what the
 * port reported and in which order; the model's registers and packet memory are in `S.hw`.
 */
#ifndef UD_TEST_FSDEV_ENV_H
#define UD_TEST_FSDEV_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "fsdev_model.h"

/* One report, in the order made. */
enum rec_kind {
	REC_SETUP,
	REC_XFER,
	REC_RESET,
	REC_SUSPEND,
	REC_VBUS,
	REC_SOF,
	REC_WAKE /* a stream's packet committed with `wake` set (ud_port_report_stream()) */
};

struct rec_event {
	uint8_t kind; /* enum rec_kind */
	uint8_t ep;
	int status;
	uint32_t actual; /* XFER: bytes; SUSPEND, VBUS: the level; SOF: frame; RESET: speed */
	uint8_t setup[8];
};

#define REC_MAX 64

struct recorder {
	unsigned n;
	struct rec_event ev[REC_MAX];
};

extern struct recorder rec;
extern struct ud_sim_fsdev S;
extern struct ud_port *P;
/* What ud_port_setup_waiting() answers: a SETUP reported that the "core" has not taken. */
extern bool setup_waiting;

/* Model @chip (NULL: the F072) with EP0 of @ep0 bytes; the port bound to a dummy device,
 * initialised, pull-up on, VBUS on; nothing recorded yet. */
void env_init(const struct ud_fsdev_model_config *chip, uint8_t ep0, uint8_t flags);

/* Bus reset, then the interrupt: the port must report it and nothing else. */
void env_reset(void);

/* Deliver the interrupt (it must be asserted, and the handler must not get stuck). */
void env_irq(void);

/* Forget what was recorded. */
void env_clear(void);

/* The last report; fails the test if there is none. */
const struct rec_event *env_last(void);

/* A SETUP to address 0 / the current address, which must be ACKed, then its interrupt; the
 * port must report exactly it. */
void env_setup(const uint8_t raw[8]);

/* USB_EPnR of the model. */
uint16_t env_epr(unsigned n);

/* STAT_TX / STAT_RX of EPnR (0 disabled, 1 stall, 2 nak, 3 valid). */
unsigned env_stat_tx(unsigned n);
unsigned env_stat_rx(unsigned n);

/* The model saw no access the hardware forbids. */
void env_no_bad_access(void);

/* ---- shared by the port tests ---- */

/* GET_DESCRIPTOR(DEVICE, 64), and 256 bytes of a pattern to send. */
extern const uint8_t get_dev[8];
extern uint8_t pattern[256];

/* cmocka setup: the F072 with a 64-byte EP0 and SOF reports; the pattern filled. */
int env_setup_f072(void **state);

/* A 16-bit little-endian entry of the packet memory, by PMA address. */
uint16_t pma16(uint32_t at);

/* ep_open() of @addr, which must succeed. */
void open_ep(uint8_t addr, uint8_t type, uint16_t mps);

/* One IN token / OUT packet on @epnum at the current address: the handshake. */
enum ud_vdc_result in_token(uint8_t epnum, uint8_t *buf, uint16_t *len, uint8_t *pid);
enum ud_vdc_result out_packet(uint8_t epnum, const uint8_t *data, uint16_t len, uint8_t pid);

#endif
