/* SPDX-License-Identifier: MIT */
/*
 * The device: lifecycle, ud_task(), the chapter 9 state machine (figure 9-1), and the
 * configuration / alternate-setting changes that open and close endpoints.
 */
#include <string.h>

#include "ud_internal.h"

struct ud_function *ud_dev_fn(struct ud_device *dev, uint8_t index)
{
	return index < dev->num_fns ? dev->fns[index] : NULL;
}

#define INFO_AT(f) offsetof(struct ud_device_info, f)
#define DESC_AT(f) offsetof(struct ud_desc, f)
_Static_assert(INFO_AT(product) == INFO_AT(manufacturer) + sizeof(const char *) &&
                       INFO_AT(serial) == INFO_AT(product) + sizeof(const char *),
               "manufacturer, product, serial");
_Static_assert(DESC_AT(i_product) == DESC_AT(i_manufacturer) + 1 &&
                       DESC_AT(i_serial) == DESC_AT(i_product) + 1,
               "i_manufacturer, i_product, i_serial");

int ud_device_init(struct ud_device *dev, struct ud_port *port, const struct ud_device_info *info)
{
	if (!dev || !port || !info || !port->ops || !port->caps)
		return UD_ERR_INVAL;
	uint8_t mps0 = info->ep0_max_packet;
	if (mps0 != 8 && mps0 != 16 && mps0 != 32 && mps0 != 64)
		return UD_ERR_INVAL;

	memset(dev, 0, sizeof(*dev));
	dev->port = port;
	dev->info = info;
	dev->speed = UD_SPEED_FULL;
	port->dev = dev;
	port->ep0_max_packet = mps0;
	ud_desc_init(dev);

	/* The three strings of info and their three indexes in desc are adjacent fields, in the
	 * same order (asserted above), so one loop walks both without tables on the stack. */
	const char *info_bytes = (const char *)info + INFO_AT(manufacturer);
	uint8_t *index = (uint8_t *)&dev->desc + DESC_AT(i_manufacturer);
	for (unsigned i = 0; i < 3; i++) {
		const char *s;
		memcpy(&s, info_bytes + i * sizeof(s), sizeof(s));
		if (!s)
			continue;
		int rc = ud_desc_add_string(dev, s);
		if (rc < 0)
			return rc;
		index[i] = (uint8_t)rc;
	}
	return 0;
}

int ud_device_add_function(struct ud_device *dev, struct ud_function *fn)
{
	if (!dev || !fn || !fn->ops || !fn->ops->bind)
		return UD_ERR_INVAL;
	if (dev->started)
		return UD_ERR_STATE;
	if (dev->num_fns >= UD_MAX_FUNCTIONS)
		return UD_ERR_NOSPACE;

	fn->dev = dev;
	fn->index = dev->num_fns;
	fn->first_interface = dev->desc.num_interfaces;
	fn->num_interfaces = 0;
	dev->fns[dev->num_fns++] = fn;
	dev->desc.building_fn = fn->index;
	int rc = fn->ops->bind(fn, dev);
	dev->desc.building_fn = UD_NO_FN;
	if (rc == 0 && dev->desc.fn_open)
		rc = UD_ERR_STATE; /* bind began a function and did not end it */
	if (rc) {
		dev->num_fns--;
		dev->bind_failed = 1; /* its partial descriptors stay: the device must not start */
	}
	return rc;
}

int ud_device_start(struct ud_device *dev)
{
	if (!dev || !dev->port)
		return UD_ERR_INVAL;
	if (dev->started || dev->bind_failed)
		return UD_ERR_STATE;
	int rc = ud_desc_finish(dev);
	if (rc)
		return rc;
	rc = dev->port->ops->init(dev->port);
	if (rc)
		return rc;
	dev->started = 1;
	dev->state = (dev->port->caps->flags & UD_PORT_NO_VBUS_SENSE) ? UD_STATE_POWERED
	                                                              : UD_STATE_ATTACHED;
	dev->port->ops->connect(dev->port, true);
	return 0;
}

typedef void (*fn_op)(struct ud_function *fn);
#define FN_OP(name) offsetof(struct ud_function_ops, name)

/* Call an optional op of every function, in order; the op is given by its offset in struct
 * ud_function_ops, so the loop is written once. arg: the frame for sof, the level for suspend;
 * poll runs only for the functions woken since the last time. True if an op ran. */
static bool each_fn(struct ud_device *dev, size_t op, uint16_t arg)
{
	bool ran = false;
	for (unsigned i = 0; i < dev->num_fns; i++) {
		struct ud_function *fn = dev->fns[i];
		const struct ud_function_ops *o = fn->ops;
		if (op == FN_OP(sof)) {
			if (o->sof)
				o->sof(fn, arg);
		} else if (op == FN_OP(suspend)) {
			if (o->suspend)
				o->suspend(fn, arg != 0);
		} else {
			fn_op f = *(const fn_op *)(const void *)((const char *)o + op);
			if (op == FN_OP(poll) && !ud_chan_take_wake(dev, i))
				continue;
			if (f) {
				f(fn);
				ran = true;
			}
		}
	}
	return ran;
}

/* Leave the configuration: functions first (so they stop resubmitting), then endpoints;
 * the shut-down completions run before this returns. */
static void deconfigure(struct ud_device *dev)
{
	if (dev->config)
		(void)each_fn(dev, FN_OP(disable), 0);
	for (unsigned i = 2; i < UD_EP_SLOTS; i++) /* OUT 1, IN 1, OUT 2, ... */
		ud_ep_close(dev, ud_slot_ep(i));
	dev->config = 0;
	/* With UD_ALT_SETTINGS 0 no SET_INTERFACE reaches ud_dev_set_interface(), so every
	 * interface stays at the setting 0 that ud_device_init() gave it. */
	if (UD_ALT_SETTINGS)
		memset(dev->alt, 0, sizeof(dev->alt));
	(void)ud_deliver_done(dev);
}

static int open_one(struct ud_device *dev, const struct ud_ep_config *cfg, uint8_t intf)
{
	return ud_ep_open_cfg(dev, cfg, dev->desc.intf_fn[intf], intf);
}

static int open_alt(struct ud_device *dev, uint8_t intf, uint8_t alt)
{
	struct ud_ep_config scratch;
	return ud_desc_each_ep(dev, intf, alt, (enum ud_speed)dev->speed, open_one, &scratch);
}

static void close_intf(struct ud_device *dev, uint8_t intf)
{
	for (uint8_t i = 2; i < UD_EP_SLOTS; i++) {
		uint8_t ep = ud_slot_ep(i);
		if ((dev->open & ud_ep_bit(ep)) && ud_ep_state(dev, ep)->intf == intf)
			ud_ep_close(dev, ep);
	}
}

int ud_dev_set_configuration(struct ud_device *dev, uint8_t value)
{
	if (value > 1)
		return UD_ERR_INVAL;
	deconfigure(dev);
	dev->state = UD_STATE_ADDRESS;
	if (value == 0)
		return 0;
	for (unsigned intf = 0; intf < dev->desc.num_interfaces; intf++) {
		int rc = open_alt(dev, (uint8_t)intf, 0);
		if (rc) {
			deconfigure(dev); /* the port cannot host this configuration */
			return rc;
		}
	}
	dev->config = 1;
	dev->state = UD_STATE_CONFIGURED;
	(void)each_fn(dev, FN_OP(enable), 0);
	return 0;
}

int ud_dev_set_interface(struct ud_device *dev, uint8_t intf, uint8_t alt)
{
	close_intf(dev, intf);
	(void)ud_deliver_done(dev);
	int rc = open_alt(dev, intf, alt);
	if (rc) {
		/* The port cannot host a setting the descriptors promise (a firmware configuration
		 * error). Stall the request and go back to the old setting, which the host still
		 * believes in; its endpoints were reset, so the function hears of it exactly as of a
		 * SET_INTERFACE to the current setting and can resubmit. */
		close_intf(dev, intf);
		(void)open_alt(dev, intf, dev->alt[intf]);
		(void)ud_deliver_done(dev);
		alt = dev->alt[intf];
	}
	dev->alt[intf] = alt;
	struct ud_function *fn = ud_dev_fn(dev, dev->desc.intf_fn[intf]);
	if (fn && fn->ops->set_alt)
		fn->ops->set_alt(fn, intf, alt);
	return rc;
}

/* Everything the host knew of the device is gone (reset or disconnect). */
static void forget_host(struct ud_device *dev)
{
	ud_ctrl_abort(dev, UD_ERR_SHUTDOWN);
	deconfigure(dev);
	dev->address = 0;
	dev->remote_wakeup_enabled = 0;
	dev->suspended = 0;
}

static void on_reset(struct ud_device *dev, uint8_t speed)
{
	forget_host(dev);
	dev->speed = speed;
	dev->state = UD_STATE_DEFAULT;
	(void)each_fn(dev, FN_OP(reset), 0);
}

static void on_suspend(struct ud_device *dev, bool suspended)
{
	dev->suspended = suspended;
	(void)each_fn(dev, FN_OP(suspend), suspended);
}

/* Suspend transitions since the last run (count `susp`); true if there were any. After a reset
 * or disconnect (which leave the device awake) only the level now matters; otherwise an
 * unchanged level means a whole suspend/resume pair happened meanwhile, and functions see both
 * halves. */
static bool poll_suspend(struct ud_device *dev, uint32_t susp, bool host_forgotten)
{
	struct ud_channel *ch = &dev->chan;

	if (susp == ch->suspends_seen)
		return false;
	ch->suspends_seen = susp;
	bool now = UD_LOAD(&ch->suspended) != 0;
	if (now == (dev->suspended != 0)) {
		if (host_forgotten)
			return true; /* awake after the reset, as it was before */
		on_suspend(dev, !now);
	}
	on_suspend(dev, now);
	return true;
}

/* Bus events: a disconnect, then a reset, then the suspend level (see ud_channel.h). The
 * counters are read first, all of them, before any callback can run: events reported after
 * that are the next run's (poll_events() has marked the summary seen already). The resets
 * come first, with acquire, and the VBUS count stamped on the latest one with them; the VBUS
 * losses last. So a disconnect and a reset reported in between cannot make a reset look
 * older than a disconnect it followed (it would be dropped as moot, and the device left deaf
 * in the Powered state: test_bus_races). One acquire fence then covers the levels. */
static bool poll_bus(struct ud_device *dev)
{
	struct ud_channel *ch = &dev->chan;
	bool forgotten = false, work = false;
	uint32_t resets = UD_LOAD_ACQ(&ch->resets);
	uint32_t reset_losses = UD_LOAD(&ch->reset_losses);
	uint32_t susp = UD_LOAD(&ch->suspends);
	uint32_t sofs = UD_LOAD(&ch->sofs);
	uint32_t losses = UD_LOAD(&ch->vbus_losses);
	atomic_thread_fence(memory_order_acquire); /* the levels, as new as these counts */

	if (losses != ch->vbus_losses_seen) {
		ch->vbus_losses_seen = losses;
		forget_host(dev);
		dev->state = UD_STATE_ATTACHED;
		forgotten = work = true;
	}
	if (UD_LOAD(&ch->vbus) && dev->state == UD_STATE_ATTACHED) {
		dev->state = UD_STATE_POWERED;
		work = true;
	}
	if (resets != ch->resets_seen) {
		ch->resets_seen = resets;
		/* A reset that came before the latest disconnect is moot: the device is detached. */
		if (reset_losses == losses) {
			on_reset(dev, UD_LOAD(&ch->speed));
			forgotten = work = true;
		}
	}
	if (poll_suspend(dev, susp, forgotten))
		work = true;
	if (sofs != ch->sofs_seen) {
		ch->sofs_seen = sofs;
		(void)each_fn(dev, FN_OP(sof), UD_LOAD(&ch->frame));
		work = true;
	}
	return work;
}

/* Completions of the transfers at the port, for endpoints whose `busy` bit is set. */
static bool poll_xfers(struct ud_device *dev)
{
	uint32_t pending = dev->busy;
	bool work = false;

	while (pending) {
		unsigned i = (unsigned)__builtin_ctz(pending);
		pending &= pending - 1u;
		uint32_t actual;
		int status;
		/* (take_slot re-reads busy: handling one completion may have ended another transfer) */
		if (!ud_chan_take_slot(dev, i, &actual, &status))
			continue;
		dev->busy &= ~(1u << i);
		if (i < 2u)
			ud_ctrl_on_xfer(dev, ud_slot_ep(i), actual, status);
		else
			ud_ep_on_xfer(dev, i, actual, status, true);
		work = true;
	}
	return work;
}

/* Everything but completions, in order: bus events, then a SETUP, then wakes. Out of line, so
 * that the per-packet path through ud_task() does not pay for its stack frame. */
static UD_NOINLINE bool poll_events(struct ud_device *dev)
{
	struct ud_channel *ch = &dev->chan;
	bool work = false;
	/* The flag down first, then the fence that pairs with post()'s: what a report or wake
	 * published before its flag is seen below, also if this store erased that flag; what
	 * comes after this store raises the flag again for the next run. */
	UD_STORE(&ch->pending, 0u);
	atomic_thread_fence(memory_order_seq_cst);
	/* Acquire: the counters and levels a bus report wrote before its summary (also for one
	 * that came after the fence). */
	uint32_t bus = UD_LOAD_ACQ(&ch->bus_events);
	if (bus != ch->bus_events_seen) {
		ch->bus_events_seen = bus; /* first: a bus event during poll_bus is seen next run */
		work |= poll_bus(dev);
	}
	uint8_t raw[8];
	if (ud_chan_setup_waiting(dev)) {
		/* Before its first reset a device does not answer (USB 2.0 9.1.1.3). */
		if (ud_chan_take_setup(dev, raw) && dev->state >= UD_STATE_DEFAULT)
			ud_ctrl_on_setup(dev, raw);
		/* Also for one left waiting behind a bus event poll_bus() did not see: that
		 * report raised the flag after the store above (had it come before, the fence
		 * would have shown poll_bus() its count), so the next run takes both, in order. */
		work = true;
	}
	work |= each_fn(dev, FN_OP(poll), 0); /* the woken functions' task-context turn */
	return work;
}

/* ud_task() when there is something to do. */
static UD_NOINLINE bool task_work(struct ud_device *dev)
{
	if (!dev->started)
		return false;
	/* Completions first: they were reported before any later reset or SETUP made them moot,
	 * and e.g. a SET_ADDRESS status completion must apply before the next SETUP. */
	bool work = dev->busy && poll_xfers(dev);
	if (UD_LOAD(&dev->chan.pending))
		work |= poll_events(dev);
	if (dev->done_head)
		work |= ud_deliver_done(dev);
	return work;
}

bool ud_task(struct ud_device *dev)
{
	if (!dev)
		return false;
	/* Nothing to do is the common case of a main loop, and of a stream's packets, which need
	 * no task (ud_stream.h): three loads, two tests, no stack frame. A device not started
	 * has nothing at the port and no ended request; task_work() turns it away if a wake
	 * came. */
	if ((dev->busy | (uintptr_t)dev->done_head) || UD_LOAD(&dev->chan.pending))
		return task_work(dev);
	return false;
}

void ud_device_stop(struct ud_device *dev)
{
	if (!dev || !dev->started)
		return;
	dev->port->ops->connect(dev->port, false);
	forget_host(dev);
	if (dev->port->ops->deinit)
		dev->port->ops->deinit(dev->port);
	dev->started = 0;
	dev->state = UD_STATE_ATTACHED;
}

enum ud_device_state ud_device_state(const struct ud_device *dev)
{
	return (enum ud_device_state)dev->state;
}

bool ud_device_suspended(const struct ud_device *dev)
{
	return dev->suspended != 0;
}

enum ud_speed ud_device_speed(const struct ud_device *dev)
{
	return (enum ud_speed)dev->speed;
}

uint8_t ud_device_configuration(const struct ud_device *dev)
{
	return dev->config;
}

uint8_t ud_device_alt_setting(const struct ud_device *dev, uint8_t intf)
{
	return intf < UD_MAX_INTERFACES ? dev->alt[intf] : 0;
}

uint32_t ud_device_port_errors(const struct ud_device *dev)
{
	return dev->port_errors;
}

int ud_device_remote_wakeup(struct ud_device *dev)
{
	if (!dev->suspended || !dev->remote_wakeup_enabled)
		return UD_ERR_STATE;
	if (!dev->port->ops->remote_wakeup)
		return UD_ERR_NOTSUP;
	return dev->port->ops->remote_wakeup(dev->port);
}

const char *ud_state_name(enum ud_device_state state)
{
	static const char *const names[] = {"attached", "powered", "default", "address",
	                                    "configured"};
	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}
