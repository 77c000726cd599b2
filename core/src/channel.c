/* SPDX-License-Identifier: MIT */
/*
 * The ISR-to-task channel. See ud_channel.h for why it cannot lose an event: but for the flags,
 * each field has one writer, the interrupt side only bumps `posted` counters, the task side
 * only moves its own `seen` copies. Every shared field is a C11 atomic (ud_atomic.h); a counter
 * is stored with release after the payload it publishes, and the task reads it with acquire
 * before the payload. The flags are only ever stored constants, each after a fence.
 */
#include <string.h>

#include "ud_internal.h"

/* C++ sees UD_ATOMIC(T) as T (ud_atomic.h): the layouts must agree. */
_Static_assert(sizeof(UD_ATOMIC(uint8_t)) == 1 && _Alignof(UD_ATOMIC(uint8_t)) == 1, "u8");
_Static_assert(sizeof(UD_ATOMIC(int16_t)) == 2 && _Alignof(UD_ATOMIC(int16_t)) == 2, "i16");
_Static_assert(sizeof(UD_ATOMIC(uint16_t)) == 2 && _Alignof(UD_ATOMIC(uint16_t)) == 2, "u16");
_Static_assert(sizeof(UD_ATOMIC(uint32_t)) == 4 && _Alignof(UD_ATOMIC(uint32_t)) == 4, "u32");

/* Bump a counter with a load and a store (no read-modify-write instruction: see ud_channel.h),
 * published after what it covers. Its one writer only. */
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

/*
 * UD_WAKE_WINDOW(fn, at): the points inside ud_function_wake() where another context may run
 * while the wake is half done (at 0: before the function's flag; 1: between it and `pending`).
 * Empty; tests/unit/test_wake_window.c builds the core with UD_WAKE_WINDOW_HOOK set to a
 * function of its own, which plays other wakes and task runs there.
 */
#ifdef UD_WAKE_WINDOW_HOOK
void UD_WAKE_WINDOW_HOOK(struct ud_function *fn, int at);
#define UD_WAKE_WINDOW(fn, at) UD_WAKE_WINDOW_HOOK(fn, at)
#else
#define UD_WAKE_WINDOW(fn, at) ((void)0)
#endif

/* Tell the task to look (ud_channel.h, `pending`), after what the caller published: the fence
 * keeps that ahead of the flag also for a task whose clearing store overtakes this one (its
 * own fence, in poll_events(), comes after this one then). Then wake its thread. */
static void post(struct ud_device *dev)
{
	atomic_thread_fence(memory_order_seq_cst);
	UD_STORE(&dev->chan.pending, 1u);
	wake(dev);
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
	post(dev);
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
 * summaries the task looks at. The counters with release: poll_bus() acquires each counter
 * before it reads the levels that counter covers, so a newer counter never comes with older
 * levels. */
static void bus_event(struct ud_device *dev, UD_ATOMIC(uint32_t) * count)
{
	struct ud_channel *ch = &dev->chan;
	if (count)
		bump_release(count);
	bump_release(&ch->bus_events);
	post(dev);
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
	/* Any context may call this, so the function's flag has many writers, and the task clears
	 * it: the fence keeps the change the caller made before calling (which it publishes in an
	 * atomic) ahead of the flag, also for a task whose clear overtakes it (ud_chan_take_wake()
	 * fences after its clear, and then sees the change). post() fences again: a task that
	 * finds `pending` (or clears it after this) then finds the function's flag too. */
	atomic_thread_fence(memory_order_seq_cst);
	UD_WAKE_WINDOW(fn, 0);
	UD_STORE(&fn->dev->chan.wakes[fn->index], 1u);
	UD_WAKE_WINDOW(fn, 1);
	post(fn->dev);
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
