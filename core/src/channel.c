/* SPDX-License-Identifier: MIT */
/*
 * The ISR-to-task channel. See ud_channel.h for why it cannot lose an event: each field has one
 * writer, the interrupt side only bumps `posted` counters, the task side only moves its own
 * `seen` copies. The fences order payload writes before the counter that publishes them.
 */
#include <stdatomic.h>

#include "ud_internal.h"

static void publish(void)
{
	atomic_thread_fence(memory_order_release);
}

static void acquire(void)
{
	atomic_thread_fence(memory_order_acquire);
}

static void wake(struct ud_device *dev)
{
	if (dev->info && dev->info->on_event)
		dev->info->on_event(dev->info->on_event_ctx);
}

/* ---- interrupt side ---- */

void ud_port_report_setup(struct ud_device *dev, const uint8_t raw[8])
{
	struct ud_channel *ch = &dev->chan;

	/* Seqlock: odd while writing, so the task can tell a torn copy from a stable one. */
	ch->setup_seq = ch->setup_seq + 1u;
	publish();
	for (unsigned i = 0; i < 8; i++)
		ch->setup[i] = raw[i];
	ch->setup_epoch = ch->resets + ch->vbus_losses;
	publish();
	ch->setup_seq = ch->setup_seq + 1u;
	wake(dev);
}

void ud_port_report_xfer(struct ud_device *dev, uint8_t ep, uint32_t actual, int status)
{
	if (!ud_ep_addr_ok(ep))
		return;
	struct ud_chan_xfer *x = &dev->chan.xfer[ud_ep_slot(ep)];
	x->actual = actual;
	x->status = (int16_t)status;
	publish();
	x->posted = (uint8_t)(x->posted + 1u);
	wake(dev);
}

/* Publish a bus event: the levels written before it, then its counter (if any), then the
 * summary the task looks at. */
static void bus_event(struct ud_device *dev, volatile uint32_t *count)
{
	struct ud_channel *ch = &dev->chan;
	publish();
	if (count)
		*count = *count + 1u;
	ch->bus_events = ch->bus_events + 1u;
	wake(dev);
}

void ud_port_report_reset(struct ud_device *dev, enum ud_speed speed)
{
	struct ud_channel *ch = &dev->chan;
	ch->speed = (uint8_t)speed;
	ch->reset_losses = ch->vbus_losses; /* lets the task order it against disconnects */
	ch->suspended = 0;                  /* reset signalling ends a suspend */
	bus_event(dev, &ch->resets);
}

void ud_port_report_suspend(struct ud_device *dev, bool suspended)
{
	struct ud_channel *ch = &dev->chan;
	ch->suspended = suspended ? 1u : 0u;
	bus_event(dev, &ch->suspends);
}

void ud_port_report_vbus(struct ud_device *dev, bool present)
{
	struct ud_channel *ch = &dev->chan;
	ch->vbus = present ? 1u : 0u;
	if (!present)
		ch->suspended = 0; /* an unpowered bus is not suspended */
	bus_event(dev, present ? NULL : &ch->vbus_losses);
}

void ud_port_report_sof(struct ud_device *dev, uint16_t frame)
{
	struct ud_channel *ch = &dev->chan;
	ch->frame = frame;
	bus_event(dev, &ch->sofs);
}

void ud_function_wake(struct ud_function *fn)
{
	if (!fn || !fn->dev || fn->index >= UD_MAX_FUNCTIONS)
		return;
	struct ud_device *dev = fn->dev;
	publish(); /* the change poll() must see is written before the wake that announces it */
	dev->chan.wakes[fn->index] = dev->chan.wakes[fn->index] + 1u;
	dev->chan.wakes_any = dev->chan.wakes_any + 1u;
	wake(dev);
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
	x->seen = x->posted;
}

/* Copy the latest SETUP if one arrived since the last call and belongs to the bus session the
 * task is in. One from before a reset or disconnect the task has handled is dropped; one from
 * after a reset or disconnect the task has not handled yet stays waiting (false now): it must
 * not run in the old session, whose end would then abort it. */
bool ud_chan_take_setup(struct ud_device *dev, uint8_t raw[8])
{
	struct ud_channel *ch = &dev->chan;

	for (;;) {
		uint32_t seq = ch->setup_seq;
		if (seq == ch->setup_seen)
			return false;
		if (seq & 1u)
			continue; /* only reachable with a concurrent writer on another core */
		acquire();
		for (unsigned i = 0; i < 8; i++)
			raw[i] = ch->setup[i];
		acquire();
		uint32_t epoch = ch->setup_epoch;
		acquire();
		if (ch->setup_seq == seq) {
			uint32_t live = ch->resets + ch->vbus_losses;
			if (epoch == live && live != ch->resets_seen + ch->vbus_losses_seen)
				return false; /* the bus event first: poll_bus() on the next run */
			ch->setup_seen = seq;
			/* A reset or disconnect after this SETUP ended its control transfer. */
			return epoch == live;
		}
	}
}
