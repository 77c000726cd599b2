/* SPDX-License-Identifier: MIT */
/*
 * The ISR-to-task channel. See ud_channel.h for why it cannot lose an event: each field has one
 * writer, the interrupt side only bumps `posted` counters, the task side only moves its own
 * `seen` copies. Every shared field is a C11 atomic (ud_atomic.h); a counter is stored with
 * release after the payload it publishes, and the task reads it with acquire before the payload.
 */
#include <string.h>

#include "ud_internal.h"

/* C++ sees UD_ATOMIC(T) as T (ud_atomic.h): the layouts must agree. */
_Static_assert(sizeof(UD_ATOMIC(uint8_t)) == 1 && _Alignof(UD_ATOMIC(uint8_t)) == 1, "u8");
_Static_assert(sizeof(UD_ATOMIC(int16_t)) == 2 && _Alignof(UD_ATOMIC(int16_t)) == 2, "i16");
_Static_assert(sizeof(UD_ATOMIC(uint16_t)) == 2 && _Alignof(UD_ATOMIC(uint16_t)) == 2, "u16");
_Static_assert(sizeof(UD_ATOMIC(uint32_t)) == 4 && _Alignof(UD_ATOMIC(uint32_t)) == 4, "u32");

/* Bump a counter with a load and a store (no read-modify-write instruction: see ud_channel.h),
 * published after what it covers. Its one writer, or for a wake counter any context: see
 * ud_function_wake() for why a racing bump loses nothing. */
static inline void bump_release(UD_ATOMIC(uint32_t) * c)
{
	UD_STORE_REL(c, UD_LOAD(c) + 1u);
}

/* dev->info is set: ud_device_init() refuses a NULL one, and a port reports only to the
 * device that ud_device_init() gave it. */
static void wake(struct ud_device *dev)
{
	if (dev->info->on_event)
		dev->info->on_event(dev->info->on_event_ctx);
}

/* ---- interrupt side ---- */

void ud_port_report_setup(struct ud_device *dev, const uint8_t raw[8])
{
	struct ud_channel *ch = &dev->chan;
	uint32_t seq = UD_LOAD(&ch->setup_seq), w[2];

	/* Seqlock: odd while writing, so the task can tell a torn copy from a stable one. The
	 * release fence keeps the odd mark ahead of the words: a reader that sees a new word
	 * then also sees the mark (the reader's acquire fence pairs with it). */
	UD_STORE(&ch->setup_seq, seq + 1u);
	atomic_thread_fence(memory_order_release);
	memcpy(w, raw, sizeof(w));
	UD_STORE(&ch->setup[0], w[0]);
	UD_STORE(&ch->setup[1], w[1]);
	UD_STORE(&ch->setup_epoch, UD_LOAD(&ch->resets) + UD_LOAD(&ch->vbus_losses));
	UD_STORE_REL(&ch->setup_seq, seq + 2u);
	wake(dev);
}

void ud_port_report_xfer(struct ud_device *dev, uint8_t ep, uint32_t actual, int status)
{
	if (!ud_ep_addr_ok(ep))
		return;
	struct ud_chan_xfer *x = &dev->chan.xfer[ud_ep_slot(ep)];
	UD_STORE(&x->actual, actual);
	UD_STORE(&x->status, (int16_t)status);
	UD_STORE_REL(&x->posted, (uint8_t)(UD_LOAD(&x->posted) + 1u));
	wake(dev);
}

/* Publish a bus event: the levels written before it, then its counter (if any), then the
 * summary the task looks at. Both with release: poll_bus() acquires each counter before it
 * reads the levels that counter covers, so a newer counter never comes with older levels. */
static void bus_event(struct ud_device *dev, UD_ATOMIC(uint32_t) * count)
{
	struct ud_channel *ch = &dev->chan;
	if (count)
		bump_release(count);
	bump_release(&ch->bus_events);
	wake(dev);
}

void ud_port_report_reset(struct ud_device *dev, enum ud_speed speed)
{
	struct ud_channel *ch = &dev->chan;
	UD_STORE(&ch->speed, (uint8_t)speed);
	/* lets the task order it against disconnects */
	UD_STORE(&ch->reset_losses, UD_LOAD(&ch->vbus_losses));
	UD_STORE(&ch->suspended, 0); /* reset signalling ends a suspend */
	bus_event(dev, &ch->resets);
}

void ud_port_report_suspend(struct ud_device *dev, bool suspended)
{
	struct ud_channel *ch = &dev->chan;
	UD_STORE(&ch->suspended, suspended ? 1u : 0u);
	bus_event(dev, &ch->suspends);
}

void ud_port_report_vbus(struct ud_device *dev, bool present)
{
	struct ud_channel *ch = &dev->chan;
	UD_STORE(&ch->vbus, present ? 1u : 0u);
	if (!present)
		UD_STORE(&ch->suspended, 0); /* an unpowered bus is not suspended */
	bus_event(dev, present ? NULL : &ch->vbus_losses);
}

void ud_port_report_sof(struct ud_device *dev, uint16_t frame)
{
	struct ud_channel *ch = &dev->chan;
	UD_STORE(&ch->frame, frame);
	bus_event(dev, &ch->sofs);
}

void ud_function_wake(struct ud_function *fn)
{
	if (!fn || !fn->dev || fn->index >= UD_MAX_FUNCTIONS)
		return;
	struct ud_channel *ch = &fn->dev->chan;
	/* Any context may call this, so two bumps can race and store the same value: one of them
	 * then changes nothing. That loses no wake because of the sequentially consistent fence
	 * here and its twin in poll_events(): a caller whose load of `wakes_any` is older than
	 * a value the task acted on has its fence ordered before the task's, so the task's
	 * later reads (this function's counter, and the change the caller made before calling,
	 * which it publishes in an atomic) see it. An acquire/release pair alone would not
	 * promise that. The function's count is released too: a task that finds it changed
	 * before the fence runs (ud_chan_take_wake()) must also find the change. */
	bump_release(&ch->wakes[fn->index]);
	atomic_thread_fence(memory_order_seq_cst);
	UD_STORE(&ch->wakes_any, UD_LOAD(&ch->wakes_any) + 1u);
	wake(fn->dev);
}

/* Read by a port's EP0 operations (task context, interrupt masked): see ud_port.h. */
bool ud_port_setup_waiting(const struct ud_device *dev)
{
	return ud_chan_setup_waiting(dev);
}

/* ---- task side ---- */

/* Drop a report that belongs to a transfer the core no longer waits for. */
void ud_chan_forget_xfer(struct ud_device *dev, uint8_t ep)
{
	struct ud_chan_xfer *x = &dev->chan.xfer[ud_ep_slot(ep)];
	x->seen = UD_LOAD(&x->posted);
}

/* Copy the latest SETUP if one arrived since the last call and belongs to the bus session the
 * task is in. One from before a reset or disconnect the task has handled is dropped; one from
 * after a reset or disconnect the task has not handled yet stays waiting (false now): it must
 * not run in the old session, whose end would then abort it. */
bool ud_chan_take_setup(struct ud_device *dev, uint8_t raw[8])
{
	struct ud_channel *ch = &dev->chan;

	for (;;) {
		uint32_t seq = UD_LOAD_ACQ(&ch->setup_seq), w[2];
		if (seq == ch->setup_seen)
			return false;
		if (seq & 1u)
			continue; /* only reachable with a concurrent writer on another core */
		w[0] = UD_LOAD(&ch->setup[0]);
		w[1] = UD_LOAD(&ch->setup[1]);
		uint32_t epoch = UD_LOAD(&ch->setup_epoch);
		atomic_thread_fence(memory_order_acquire); /* the words before the second look */
		if (UD_LOAD(&ch->setup_seq) == seq) {
			uint32_t live = UD_LOAD(&ch->resets) + UD_LOAD(&ch->vbus_losses);
			memcpy(raw, w, sizeof(w));
			if (epoch == live && live != ch->resets_seen + ch->vbus_losses_seen)
				return false; /* the bus event first: poll_bus() on the next run */
			ch->setup_seen = seq;
			/* A reset or disconnect after this SETUP ended its control transfer. */
			return epoch == live;
		}
	}
}
