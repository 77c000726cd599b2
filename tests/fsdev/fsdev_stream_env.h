/* SPDX-License-Identifier: MIT */
/*
 * What the fsdev stream tests share (test_fsdev_stream_out.c, test_fsdev_stream_in.c):
 * port/stm32_fsdev on the F072 model, one endpoint streaming a 256-byte ring, and the calls
 * that drive the port's side of ud_stream.h without the core.
 */
#ifndef FSDEV_STREAM_ENV_H
#define FSDEV_STREAM_ENV_H

#include <stdbool.h>
#include <stdint.h>

#include "fsdev_env.h"
#include "udcore/ud_stream.h"

#define RING 256u

extern uint8_t ring_buf[RING];
extern uint8_t bounce[64];
extern struct ud_ring ring;
extern struct ud_stream st;
extern uint8_t pkt[64];

/* cmocka setups: the F072 after a bus reset, a fresh ring and stream (wake on), endpoint 0x01
 * (OUT, with a bounce buffer) or 0x81 (IN, none: cut packets) open, bulk, 64. */
int setup_out(void **state);
int setup_in(void **state);

/* The port's ep_stream (ud_port.h) called directly. */
int stream_op(uint8_t ep, struct ud_stream *s);
uint32_t head(void);
uint32_t tail(void);
bool starved(void);
/* The port's state of endpoint @p ep. */
struct ud_fsdev_ep *ep_state(uint8_t ep);
/* Reports of one kind in `rec`. */
unsigned count(uint8_t kind);
/* Both indices (and the flush mark) at @p at, the stream not running. */
void ring_at(uint32_t at);
/* A new stream on the same ring, as ud_ep_stream_start() starts it. */
void restart(uint8_t ep);
/* ud_ep_stream_kick() without the core: the port hears of it only while it starves. */
void kick(uint8_t ep);
/* @p n bytes seed, seed + 3, seed + 6, ... */
void fill(uint8_t *p, uint32_t n, uint8_t seed);

#endif /* FSDEV_STREAM_ENV_H */
