/* SPDX-License-Identifier: MIT */
/*
 * The command stream the queue tests write and read back through the fake engine (which echoes):
 * 8-byte commands numbered by a sequence, so responses tell which command they answer.
 * The tests own the `struct th t` these work on.
 */
#ifndef DAP_STREAM_H
#define DAP_STREAM_H

#include <stdint.h>

#include "dap_host.h"

extern struct th t;

/* Command @seq (8 bytes). */
void cmd(uint8_t c[8], uint32_t seq);
/* Write command @seq as a whole transfer; the test fails unless it is taken. */
void send(uint32_t seq);
/* One OUT packet with command @seq: the handshake. */
enum ud_vdc_result send_packet(uint32_t seq);
/* Read one response: it must be command @seq's. */
void expect_response(uint32_t seq);
/* Read: nothing must come. */
void expect_no_response(void);
/* A fresh v2 probe (4 packets of 64 bytes), enumerated, fake engine log cleared. */
int setup_v2(void **state);

#endif /* DAP_STREAM_H */
