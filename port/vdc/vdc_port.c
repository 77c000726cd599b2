/* SPDX-License-Identifier: MIT */
/*
 * The vdc's upper side: the port operations of ud_port.h, called by the core in task context,
 * and the endpoint state they share with the bus side.
 *
 * The vdc is stricter than most hardware on purpose: where the port contract says "the core
 * never does X", doing X is refused and counted in `stats`, so the simulator catches a core
 * that breaks its side of the contract.
 */
#include <string.h>

#include "vdc_internal.h"

#define DEFAULT_EP_COUNT 8u
#define DEFAULT_MAX_PACKET_FS 64u
#define DEFAULT_MAX_PACKET_HS 512u
#define DEFAULT_EP0_MAX_PACKET 64u

static struct ud_vdc *vdc_of(struct ud_port *port)
{
	return (struct ud_vdc *)port->priv;
}

/* ---- endpoint state ---- */

/* Back to "never configured": what ep_close() and a controller shutdown leave. A completion
 * still pending stays, with its entry in the interrupt list. */
static void ep_clear(struct ud_vdc_ep *e)
{
	uint8_t pending = e->pending;

	memset(e, 0, sizeof(*e));
	e->pending = pending;
}

/* EP0 idle in both directions; its type and packet size never change. */
static void ep0_idle(struct ud_vdc *vdc)
{
	for (unsigned i = 0; i < 2u; i++) {
		struct ud_vdc_ep *e = &vdc->ep[i];
		ud_vdc_ep_disarm(e);
		e->stalled = 0;
		e->toggle = 0;
	}
}

void ud_vdc_reset_endpoints(struct ud_vdc *vdc)
{
	ep0_idle(vdc);
	/* The core may not have seen the reset yet and still start a transfer on an endpoint it
	 * believes open; that is a race, not a bug, so the endpoint stays "dead" (accepting and
	 * never moving data) until the core closes it while handling the reset. */
	for (unsigned i = 2; i < UD_EP_SLOTS; i++) {
		struct ud_vdc_ep *e = &vdc->ep[i];
		bool was_open = e->open || e->dead;
		uint32_t moved = e->armed ? e->done : 0;
		struct ud_stream *stream = e->stream;
		uint16_t mps = e->max_packet;
		ep_clear(e);
		e->dead = was_open;
		/* A stream stays, dead, until the core closes the endpoint: a packet acknowledged
		 * before the reset is committed when its interrupt is handled, and a kick the
		 * class makes meanwhile stays a kick (nothing is armed on a dead endpoint). */
		if (stream) {
			e->stream = stream;
			e->max_packet = mps;
		}
		e->done = moved; /* what the host took before the reset: ep_abort() reports it */
	}
}

/* Drop the transfer on @ep. If it had ended and its completion interrupt is still undelivered,
 * that completion is taken off the interrupt list and, with @p report, reported now (ep_abort:
 * the core then ends the request as it ended, ud_port.h), else dropped. */
static uint32_t ep_forget(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e, bool report)
{
	uint32_t moved = (e->armed || e->dead) ? e->done : 0;
	uint32_t reported;
	int status;

	if (!e->armed && ud_vdc_withdraw_xfer(vdc, ep, &reported, &status)) {
		moved = reported;
		if (report && vdc->port.dev)
			ud_port_report_xfer(vdc->port.dev, ep, reported, status);
	}
	ud_vdc_ep_disarm(e);
	e->done = 0; /* reported once */
	return moved;
}

/* The controller after power-on or shutdown: detached, address 0, only EP0 configured. */
static void controller_reset(struct ud_vdc *vdc)
{
	ep0_idle(vdc);
	for (unsigned i = 2; i < UD_EP_SLOTS; i++)
		ep_clear(&vdc->ep[i]);
	vdc->connected = 0;
	vdc->address = 0;
	vdc->pending_address = 0;
	vdc->test_mode = 0;
}

/* A newer SETUP waits, its interrupt pending or its report not yet taken by the core: EP0's
 * stages and stalls now answer a request the host abandoned, and stay off the wire
 * (ud_port.h). The vdc's "interrupt" cannot run inside an operation, so no masking. */
static bool ep0_superseded(const struct ud_vdc *vdc)
{
	return ud_vdc_setup_pending(vdc) || (vdc->port.dev && ud_port_setup_waiting(vdc->port.dev));
}

/* ---- the port operations ---- */

static int op_init(struct ud_port *port)
{
	struct ud_vdc *vdc = vdc_of(port);

	controller_reset(vdc);
	/* The core filled in EP0's packet size (ud_device_init), as firmware programs hardware. */
	if (port->ep0_max_packet)
		vdc->ep[0].max_packet = vdc->ep[1].max_packet = port->ep0_max_packet;
	vdc->initialised = 1;
	return 0;
}

static void op_deinit(struct ud_port *port)
{
	struct ud_vdc *vdc = vdc_of(port);

	/* The core has ended every request itself: nothing of the old traffic may be reported
	 * later. Bus events stay pending, they describe the bus, which did not go away. */
	controller_reset(vdc);
	ud_vdc_withdraw_traffic(vdc);
	vdc->initialised = 0;
}

static void op_connect(struct ud_port *port, bool on)
{
	vdc_of(port)->connected = on ? 1u : 0u;
}

static void op_set_address(struct ud_port *port, uint8_t addr)
{
	struct ud_vdc *vdc = vdc_of(port);

	addr &= 0x7fu;
	/* Hardware of this kind latches the address and switches after the status stage, which
	 * the host still sends to the old address (see ud_vdc_in()). */
	if (vdc->caps.flags & UD_PORT_ADDR_BEFORE_STATUS)
		vdc->pending_address = (uint8_t)(0x80u | addr);
	else
		vdc->address = addr;
}

static uint16_t max_packet_cap(const struct ud_vdc *vdc)
{
	return vdc->speed == UD_SPEED_HIGH ? vdc->caps.max_packet_hs : vdc->caps.max_packet_fs;
}

static int op_ep_open(struct ud_port *port, const struct ud_ep_config *cfg)
{
	struct ud_vdc *vdc = vdc_of(port);

	if (!cfg || (cfg->addr & UD_VDC_EP_RESERVED) || UD_EP_NUM(cfg->addr) == 0 ||
	    cfg->type > UD_EP_INTERRUPT || cfg->max_packet == 0)
		return UD_ERR_INVAL;
	/* Legal USB that this controller cannot do: the core refuses the configuration. */
	if (UD_EP_NUM(cfg->addr) >= vdc->caps.ep_count || cfg->type == UD_EP_CONTROL ||
	    cfg->max_packet > max_packet_cap(vdc))
		return UD_ERR_NOTSUP;

	struct ud_vdc_ep *e = ud_vdc_ep_get(vdc, cfg->addr);
	(void)ep_forget(vdc, cfg->addr, e, false); /* re-opening reconfigures from scratch */
	ep_clear(e);
	e->open = 1;
	e->type = cfg->type;
	e->max_packet = cfg->max_packet;
	return 0;
}

static void op_ep_close(struct ud_port *port, uint8_t ep)
{
	struct ud_vdc *vdc = vdc_of(port);
	struct ud_vdc_ep *e = ud_vdc_ep_get(vdc, ep);

	if (!e || UD_EP_NUM(ep) == 0)
		return; /* EP0 is never closed */
	if (e->stream)
		ud_vdc_stream_stop(vdc, ep, e);
	(void)ep_forget(vdc, ep, e, false);
	ep_clear(e);
}

/* ---- streams (ud_stream.h) ---- */

/* ud_vdc_stream_arm() on an IN endpoint but for a whole packet: a short one, a ZLP, a packet
 * around the ring's end, or nothing (returns 0, as ep_stream()). */
static VDC_NOINLINE int stream_arm_in(struct ud_vdc *vdc, struct ud_vdc_ep *e)
{
	uint8_t *buf;
	int32_t n = ud_stream_in_buf(e->stream, e->max_packet, &buf);
	if (n >= 0) /* 0: a ZLP */
		(void)ud_vdc_arm(vdc, e, buf, (uint32_t)n);
	return 0;
}

/* ud_vdc_stream_arm() on an OUT endpoint: apart, so that the IN kick keeps no stack frame. */
static VDC_NOINLINE int stream_arm_out(struct ud_vdc *vdc, struct ud_vdc_ep *e)
{
	uint8_t *buf = ud_stream_out_buf(e->stream, e->max_packet);
	if (buf)
		(void)ud_vdc_arm(vdc, e, buf, e->max_packet);
	return 0;
}

int ud_vdc_stream_arm(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e)
{
	if (e->armed || e->pending || !e->open)
		return 0; /* a packet in the endpoint, or waiting to be committed; or dead */
	if (ep & UD_DIR_IN) {
		/* A whole packet, what a kick after a write finds, without a stack frame. */
		uint8_t *buf = ud_stream_in_quick(e->stream, e->max_packet);
		if (buf)
			return ud_vdc_arm(vdc, e, buf, e->max_packet);
		return stream_arm_in(vdc, e);
	}
	return stream_arm_out(vdc, e);
}

void ud_vdc_stream_stop(struct ud_vdc *vdc, uint8_t ep, struct ud_vdc_ep *e)
{
	struct ud_device *dev = vdc->port.dev;
	uint32_t n;
	int status;

	/* A packet the host saw acknowledged is committed, its interrupt handled or not; one
	 * loaded (IN) but not acknowledged is dropped: the tail stays before it. */
	if (ud_vdc_withdraw_xfer(vdc, ep, &n, &status) && dev) {
		if (ep & UD_DIR_IN)
			ud_stream_in_commit(dev, ep, e->stream, n, e->max_packet);
		else
			ud_stream_out_commit(dev, ep, e->stream, n, e->max_packet);
	}
	ud_vdc_ep_disarm(e);
	e->stream = NULL;
}

/* An EP0 stage: armed unless a newer SETUP waits. Out of line and reached by a tail call, so
 * that the data endpoints' path through op_ep_xfer() needs no stack frame. */
static VDC_NOINLINE int ep0_xfer(struct ud_vdc *vdc, struct ud_vdc_ep *e, uint8_t *buf,
                                 uint32_t len)
{
	if (ep0_superseded(vdc))
		return 0; /* in flight for the core, which aborts it when it takes the SETUP */
	return ud_vdc_arm(vdc, e, buf, len);
}

static int op_ep_xfer(struct ud_port *port, uint8_t ep, uint8_t *buf, uint32_t len)
{
	struct ud_vdc *vdc = vdc_of(port);
	/* Any slot of the table, not only those below ep_count (a compare with a constant):
	 * ep_open() refuses a number the controller lacks, so its slot is never open or dead. */
	struct ud_vdc_ep *e = (ep & 0x7fu) < UD_MAX_EP_NUM ? &vdc->ep[ud_vdc_slot(ep)] : NULL;

	if (!e || !(e->open || e->dead)) {
		vdc->stats.xfer_on_closed++;
		return UD_ERR_STATE;
	}
	/* An undelivered completion counts as in flight: the core cannot know it ended. */
	if (e->armed || e->pending || e->stream) {
		vdc->stats.xfer_while_busy++;
		return UD_ERR_STATE;
	}
	if (e->stalled && UD_EP_NUM(ep) != 0) {
		vdc->stats.xfer_on_stalled++;
		return UD_ERR_STATE;
	}
	if (!buf && len)
		return UD_ERR_INVAL;
	if (UD_EP_NUM(ep) == 0)
		return ep0_xfer(vdc, e, buf, len);
	return ud_vdc_arm(vdc, e, buf, len);
}

/* ud_port.h's ep_stream: start or stop (see there). */
static int op_ep_stream(struct ud_port *port, uint8_t ep, struct ud_stream *s)
{
	struct ud_vdc *vdc = vdc_of(port);
	struct ud_vdc_ep *e = ud_vdc_ep_get(vdc, ep);

	if (!e || UD_EP_NUM(ep) == 0) {
		vdc->stats.xfer_on_closed++;
		return UD_ERR_STATE;
	}
	if (!s) {
		if (e->stream)
			ud_vdc_stream_stop(vdc, ep, e);
		return 0;
	}
	if (!(e->open || e->dead)) {
		vdc->stats.xfer_on_closed++;
		return UD_ERR_STATE;
	}
	if (e->stream || e->armed || e->pending) {
		vdc->stats.xfer_while_busy++;
		return UD_ERR_STATE;
	}
	if (e->type == UD_EP_ISOCHRONOUS)
		return UD_ERR_NOTSUP;
	e->stream = s;
	return ud_vdc_stream_arm(vdc, ep, e);
}

/* ud_port.h's ep_kick: the stream running on @p ep is armed if its endpoint is idle;
 * anything else is ignored. Any slot of the table (as in op_ep_xfer()): one the controller
 * lacks never streams. The arm is a tail call, so the kick after a write keeps no frame. */
static void op_ep_kick(struct ud_port *port, uint8_t ep, struct ud_stream *s)
{
	struct ud_vdc *vdc = vdc_of(port);
	struct ud_vdc_ep *e = (ep & 0x7fu) < UD_MAX_EP_NUM ? &vdc->ep[ud_vdc_slot(ep)] : NULL;

	if (e && s && e->stream == s)
		(void)ud_vdc_stream_arm(vdc, ep, e);
}

static uint32_t op_ep_abort(struct ud_port *port, uint8_t ep)
{
	struct ud_vdc *vdc = vdc_of(port);
	struct ud_vdc_ep *e = ud_vdc_ep_get(vdc, ep);

	vdc->stats.aborts++;
	/* A transfer that ended but was not reported yet (its interrupt undelivered) is reported
	 * now, from here, so that the core ends it as it ended (ud_port.h); what it moved is
	 * returned either way, so no data the host already sent or received is lost. */
	return e ? ep_forget(vdc, ep, e, true) : 0u;
}

static void op_ep_stall(struct ud_port *port, uint8_t ep, bool stall)
{
	struct ud_vdc *vdc = vdc_of(port);
	struct ud_vdc_ep *e = ud_vdc_ep_get(vdc, ep);

	if (!e || (UD_EP_NUM(ep) == 0 && ep0_superseded(vdc)))
		return;
	e->stalled = stall ? 1u : 0u;
	if (!stall)
		e->toggle = 0; /* the host resets its toggle on CLEAR_FEATURE(HALT) too */
}

static int op_remote_wakeup(struct ud_port *port)
{
	struct ud_vdc *vdc = vdc_of(port);

	if (!vdc->suspended)
		return UD_ERR_STATE;
	vdc->suspended = 0;
	ud_vdc_raise_bus(vdc, UD_VDC_IRQ_RESUME, 0);
	return 0;
}

static int op_test_mode(struct ud_port *port, uint8_t selector)
{
	if (selector < 1u || selector > 4u)
		return UD_ERR_INVAL;
	vdc_of(port)->test_mode = selector;
	return 0;
}

static const struct ud_port_ops vdc_ops = {
	.init = op_init,
	.deinit = op_deinit,
	.connect = op_connect,
	.set_address = op_set_address,
	.ep_open = op_ep_open,
	.ep_close = op_ep_close,
	.ep_xfer = op_ep_xfer,
	.ep_abort = op_ep_abort,
	.ep_stall = op_ep_stall,
	.ep_stream = op_ep_stream,
	.ep_kick = op_ep_kick,
	.remote_wakeup = op_remote_wakeup,
	.test_mode = op_test_mode,
};

/* The same controller as a port without streams (ud_vdc_config.no_streams). */
static const struct ud_port_ops vdc_ops_no_streams = {
	.init = op_init,
	.deinit = op_deinit,
	.connect = op_connect,
	.set_address = op_set_address,
	.ep_open = op_ep_open,
	.ep_close = op_ep_close,
	.ep_xfer = op_ep_xfer,
	.ep_abort = op_ep_abort,
	.ep_stall = op_ep_stall,
	.remote_wakeup = op_remote_wakeup,
	.test_mode = op_test_mode,
};

/* ---- setup ---- */

static void init_caps(struct ud_port_caps *caps, const struct ud_vdc_config *cfg)
{
	caps->ep_count = cfg->ep_count ? cfg->ep_count : DEFAULT_EP_COUNT;
	if (caps->ep_count > UD_MAX_EP_NUM)
		caps->ep_count = UD_MAX_EP_NUM;
	caps->speeds = cfg->speeds & (UD_SPEED_FULL | UD_SPEED_HIGH);
	if (!caps->speeds)
		caps->speeds = UD_SPEED_FULL;
	caps->flags = cfg->flags;
	caps->max_packet_fs = cfg->max_packet_fs ? cfg->max_packet_fs : DEFAULT_MAX_PACKET_FS;
	caps->max_packet_hs = cfg->max_packet_hs ? cfg->max_packet_hs : DEFAULT_MAX_PACKET_HS;
}

void ud_vdc_init(struct ud_vdc *vdc, const struct ud_vdc_config *cfg)
{
	static const struct ud_vdc_config defaults; /* all zero: every default */

	if (!cfg)
		cfg = &defaults;
	memset(vdc, 0, sizeof(*vdc));
	init_caps(&vdc->caps, cfg);
	vdc->speed = UD_SPEED_FULL;
	/* EP0 exists from power-on in both directions; only its packet size is configurable. */
	for (unsigned i = 0; i < 2u; i++) {
		vdc->ep[i].open = 1;
		vdc->ep[i].type = UD_EP_CONTROL;
		vdc->ep[i].max_packet =
			cfg->ep0_max_packet ? cfg->ep0_max_packet : DEFAULT_EP0_MAX_PACKET;
	}
	vdc->port.ops = cfg->no_streams ? &vdc_ops_no_streams : &vdc_ops;
	vdc->port.caps = &vdc->caps;
	vdc->port.priv = vdc;
}
