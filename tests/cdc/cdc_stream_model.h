/* SPDX-License-Identifier: MIT */
/*
 * A randomised stream run over a cdc_env: the host, the controller's interrupts, the USB
 * thread (ud_task, ud_cdc_poll) and the application each act at random moments, with long
 * pauses on either side and, if asked, bus events in the middle of it all. Every byte is
 * checked in order both ways, and the run must drain completely (liveness).
 */
#ifndef CDC_STREAM_MODEL_H
#define CDC_STREAM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "cdc_env.h"

#define CDC_STREAM_MAX (1024u * 1024u)

struct cdc_stream_opts {
	uint32_t rx_size, tx_size;
	uint32_t bytes; /* each way, at most CDC_STREAM_MAX */
	uint8_t context;
	bool slow_reader; /* the application reads rarely and little: the host must wait */
	bool lock;        /* lock hooks (counted, nesting checked) */
	bool sof;         /* the host sends SOFs (the class polls on each) */
	bool no_wake;     /* no wake hook: the USB thread never hears of the application */
	bool events;      /* bus reset, disconnect, SET_CONFIGURATION, SET_INTERFACE, halts */
	uint8_t speeds;   /* the controller's speeds, 0: full speed only */
	uint32_t chunk;   /* largest application read or write, 0: 300 (at most 4096) */
};

struct cdc_stream_result {
	unsigned long steps, out_naks, in_naks, events;
	/* OUT NAKs while the receive ring had no room for a packet and the application was
	 * not paused (a slow reader has many, cdc_stream_run() checks) */
	unsigned long full_naks;
};

/** Seed the generator (CDC_SEED overrides @p dflt; printed) and make the stream data. */
void cdc_stream_seed(uint32_t dflt);

/** Run one stream on @p env; asserts integrity, liveness and the counters. */
struct cdc_stream_result cdc_stream_run(struct cdc_env *env, const struct cdc_stream_opts *o);

#endif /* CDC_STREAM_MODEL_H */
