/* SPDX-License-Identifier: MIT */
/**
 * @file ud_channel.h
 * @brief The ISR-to-task channel (private to the core; here so `struct ud_device` can be
 * allocated statically by the application).
 *
 * Why it cannot lose an event: every field but two kinds of flag has exactly one writer. The
 * interrupt side only writes payloads and then bumps a `posted` counter; the task side only
 * reads them and keeps its own `seen` copy. There is no read-modify-write shared between the
 * two contexts, so no lock and no atomic read-modify-write instruction is needed (Cortex-M0
 * has none). The shared fields are C11 atomics (ud_atomic.h) that are only loaded and stored:
 * a counter is stored with release after the payload it publishes and loaded with acquire (or
 * relaxed, then an acquire fence once it changed) before the payload is read.
 *
 * The flags (`pending`, `wakes`) are the exception: a poster stores 1, the task stores 0 before
 * it looks at what they cover. Two contexts store them, but only constants: a poster holds no
 * copy of an older value that it could store back over a newer one, as a racing counter bump
 * would (a wake from another context, overtaken between its load and its store by a task run
 * and a second wake, would store back the value the task had seen and hide that second wake).
 * When the task's 0 lands after a poster's 1 it erases the mark, not the event: the poster
 * puts a sequentially consistent fence between what it publishes and its 1, the task one
 * between its 0 and what it reads, and C11 orders the two fences (the poster's first, because
 * its 1 came first), so the task then sees what the poster published; when the 0 lands first,
 * the 1 stays for the next run.
 *
 * - Completions: one slot per endpoint and direction. The core starts at most one transfer per
 *   endpoint and consumes its completion before starting the next, so a slot can never hold
 *   two. (`posted - seen > 1` would be a port bug; the core counts it in `port_errors`.) The
 *   task finds them through its own `busy` mask, not through `pending`.
 * - SETUP: one slot guarded by a sequence counter (odd while the ISR writes). A SETUP that
 *   arrives before the task read the previous one supersedes it, exactly as on the wire, where
 *   the newer SETUP aborts the older control transfer. A SETUP stamped with an older bus epoch
 *   (a reset or disconnect came after it) is stale and dropped.
 * - Function wakes: a flag per function, set by ud_function_wake() from any context; wakes
 *   between two task runs fold into one.
 * - Bus events: counters (resets, VBUS losses) plus the current levels (speed, VBUS, suspend).
 *   Between two task runs any number of events fold into "at least one reset/disconnect
 *   happened, and this is the bus now", which is all the device state machine needs.
 * - `pending`: set after each of the last three, so that the task, when it has no transfer at
 *   the port and no ended request, tests one byte to know that there is nothing to do.
 */
#ifndef UD_CHANNEL_H
#define UD_CHANNEL_H

#include <stdint.h>

#include "ud_atomic.h"
#include "ud_config.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Slot index of an endpoint address: OUT n -> 2n, IN n -> 2n + 1. */
#define UD_EP_INDEX(addr) ((uint8_t)((((addr)&0x0fu) << 1) | (((addr) >> 7) & 1u)))
#define UD_EP_SLOTS (2 * UD_MAX_EP_NUM)

struct ud_chan_xfer {
	UD_ATOMIC(uint32_t) actual;
	UD_ATOMIC(int16_t) status;
	UD_ATOMIC(uint8_t) posted; /* written by the ISR only, after actual and status */
	uint8_t seen;              /* the task's only */
};

struct ud_channel {
	/* The task side's most used fields first, within reach of a Thumb-1 load from the
	 * channel's base (31 bytes for a byte, 124 for a word): the current levels, together... */
	UD_ATOMIC(uint16_t) frame;    /* ISR: of the latest SOF */
	UD_ATOMIC(uint8_t) speed;     /* ISR: of the latest reset */
	UD_ATOMIC(uint8_t) vbus;      /* ISR: VBUS present now */
	UD_ATOMIC(uint8_t) suspended; /* ISR: suspend level now */

	/* ...and the summaries, so the task looks at the channel only when something happened:
	 * the idle path tests one byte. Set after the fields they cover. */
	UD_ATOMIC(uint8_t) pending;     /* any context sets it, the task clears it (above) */
	UD_ATOMIC(uint32_t) bus_events; /* ISR: any reset, suspend, VBUS or SOF report */
	uint32_t bus_events_seen;

	UD_ATOMIC(uint32_t) setup[2];    /* ISR: the 8 bytes, as two words (fewer atomics) */
	UD_ATOMIC(uint32_t) setup_seq;   /* ISR: odd while writing, even when stable */
	UD_ATOMIC(uint32_t) setup_epoch; /* ISR: resets + VBUS losses when it arrived */
	uint32_t setup_seen;             /* task: the last sequence it consumed */

	UD_ATOMIC(uint32_t) resets;       /* ISR: bus resets reported */
	UD_ATOMIC(uint32_t) reset_losses; /* ISR: vbus_losses when the latest reset came */
	uint32_t resets_seen;

	UD_ATOMIC(uint32_t) vbus_losses; /* ISR: VBUS went away */
	uint32_t vbus_losses_seen;

	UD_ATOMIC(uint32_t) suspends; /* ISR: suspend or resume transitions */
	uint32_t suspends_seen;

	UD_ATOMIC(uint32_t) sofs;
	uint32_t sofs_seen;

	UD_ATOMIC(uint8_t) wakes[UD_MAX_FUNCTIONS]; /* ud_function_wake() sets, the task clears */

	/* Last: it is indexed, so its distance costs nothing once the base is formed, while before
	 * the counters it would push them past a word load's reach when UD_MAX_EP_NUM is large. */
	struct ud_chan_xfer xfer[UD_EP_SLOTS];
};

#ifdef __cplusplus
}
#endif

#endif /* UD_CHANNEL_H */
