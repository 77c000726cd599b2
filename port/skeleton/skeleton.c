/* SPDX-License-Identifier: MIT */
/*
 * TEMPLATE port (see ud_skeleton.h for how to start). It compiles; it is not a driver: what
 * needs your hardware is marked SKEL_UNFINISHED and fails, so nobody ships it by accident.
 * Read ud_port.h first, it is the contract; port/vdc and its tests are its executable reference.
 *
 * Two contexts share the state: the operations (task context, called by the core) and
 * ud_skeleton_irq_handler() (interrupt context). Where an operation changes what the handler
 * reads, it masks the USB interrupt for those few lines (skel_irq_off/on).
 */
#include <stddef.h>

#include "udcore/ud_ch9.h"
#include "udcore/ud_skeleton.h"

/* ======================= PLACEHOLDERS: replace with your controller ======================= */
/* A made-up controller at a made-up address. Nothing here matches real silicon. */
#define SKEL_BASE 0x40080000u
#define SKEL_REG(off) (*(volatile uint32_t *)(uintptr_t)(SKEL_BASE + (off)))

#define SKEL_CTRL SKEL_REG(0x000u) /* global control */
#define SKEL_CTRL_ENABLE (1u << 0)
#define SKEL_CTRL_PULLUP (1u << 1) /* D+ (or D-) pull-up: attach */
#define SKEL_CTRL_RESUME (1u << 2) /* drive resume signalling (K) */
#define SKEL_CTRL_TEST(sel) ((uint32_t)(sel) << 8)
#define SKEL_STATUS SKEL_REG(0x004u) /* read-only line and speed status */
#define SKEL_STATUS_VBUS (1u << 0)
#define SKEL_STATUS_HIGH_SPEED (1u << 1)
#define SKEL_STATUS_IDLE (1u << 2)  /* the bus is in the suspend (idle J) state now */
#define SKEL_ISTAT SKEL_REG(0x008u) /* interrupt flags, write 1 to clear */
#define SKEL_IEN SKEL_REG(0x00cu)   /* interrupt enables, same bits */
#define SKEL_IRQ_RESET (1u << 0)
#define SKEL_IRQ_SUSPEND (1u << 1)
#define SKEL_IRQ_RESUME (1u << 2)
#define SKEL_IRQ_SOF (1u << 3)
#define SKEL_IRQ_VBUS (1u << 4)
#define SKEL_IRQ_SETUP (1u << 5)
#define SKEL_IRQ_EP (1u << 6) /* some bit in SKEL_EPIRQ is set */
#define SKEL_ADDR SKEL_REG(0x010u)
#define SKEL_FRAME SKEL_REG(0x014u)
#define SKEL_SETUP_LO SKEL_REG(0x018u) /* SETUP bytes 0..3 */
#define SKEL_SETUP_HI SKEL_REG(0x01cu) /* SETUP bytes 4..7 */
#define SKEL_EPIRQ SKEL_REG(0x020u)    /* bit UD_EP_INDEX(ep): packet done, write 1 to clear */
#define SKEL_EPCTL(slot) SKEL_REG(0x100u + 0x10u * (slot))
#define SKEL_EPCTL_ENABLE (1u << 0)
#define SKEL_EPCTL_STALL (1u << 1)
#define SKEL_EPCTL_TOGGLE_RESET (1u << 2) /* write 1: next PID is DATA0 */
#define SKEL_EPCTL_ARM (1u << 3)          /* buffer valid: ACK the next packet instead of NAK */
#define SKEL_EPCTL_FLUSH (1u << 4)
#define SKEL_EPCTL_TYPE(t) ((uint32_t)(t) << 8)
#define SKEL_EPCTL_MPS(n) ((uint32_t)(n) << 16)
#define SKEL_EPCNT(slot) SKEL_REG(0x104u + 0x10u * (slot)) /* bytes of the last/next packet */
#define SKEL_FIFO(slot) SKEL_REG(0x108u + 0x10u * (slot))  /* data port, one byte per access */

/* Mask/unmask the controller's interrupt line (e.g. NVIC_DisableIRQ(USB_IRQn)). */
#define skel_irq_off() ((void)0)
#define skel_irq_on() ((void)0)

/* Every operation that needs a real body returns this. Delete it as you fill them in. */
#define SKEL_UNFINISHED UD_ERR_NOTSUP
/* ========================================================================================== */

static struct ud_skeleton *skel_instance; /* for the interrupt vector, which has no argument */

static struct ud_skeleton *skel_of(struct ud_port *port)
{
	return (struct ud_skeleton *)port->priv;
}

static void fifo_write(uint8_t slot, const uint8_t *src, uint32_t n)
{
	/* Real controllers: 32-bit FIFO writes, a DMA descriptor, or a copy into packet RAM. */
	for (uint32_t i = 0; i < n; i++)
		SKEL_FIFO(slot) = src[i];
	SKEL_EPCNT(slot) = n;
}

static void fifo_read(uint8_t slot, uint8_t *dst, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		dst[i] = (uint8_t)SKEL_FIFO(slot);
}

/* Load the next IN packet of the transfer on @slot and arm it. */
static void in_load_next(struct ud_skeleton_ep *e, uint8_t slot)
{
	uint32_t n = e->len - e->done;
	if (n > e->max_packet)
		n = e->max_packet;
	fifo_write(slot, e->buf ? e->buf + e->done : NULL, n); /* n == 0: a ZLP */
	SKEL_EPCTL(slot) |= SKEL_EPCTL_ARM;
}

/* ---- the operations (task context) ---- */

/*
 * init: controller up, DETACHED, EP0 ready for SETUP. Typically: clocks and PHY (often board
 * code), core soft-reset and wait for it, device mode, FIFO/packet-memory layout, EP0 enabled in
 * both directions with ep0_max_packet, interrupt flags cleared, then enabled: reset, suspend,
 * resume, SETUP, endpoint, VBUS (SOF only if a class needs it: 1000 or 8000 per second).
 * Pitfall: leave the pull-up off; the core calls connect(true) when it is ready.
 */
static int op_init(struct ud_port *port)
{
	struct ud_skeleton *skel = skel_of(port);

	SKEL_CTRL = SKEL_CTRL_ENABLE; /* pull-up off */
	/* port->ep0_max_packet was set by ud_device_init() from the device descriptor. */
	skel->ep0_max_packet = port->ep0_max_packet;
	for (uint8_t slot = 0; slot < 2u; slot++) {
		skel->ep[slot].max_packet = skel->ep0_max_packet;
		SKEL_EPCTL(slot) = SKEL_EPCTL_ENABLE | SKEL_EPCTL_TYPE(UD_EP_CONTROL) |
		                   SKEL_EPCTL_MPS(skel->ep0_max_packet);
	}
	SKEL_ISTAT = 0xffffffffu;
	SKEL_EPIRQ = 0xffffffffu;
	SKEL_IEN = SKEL_IRQ_RESET | SKEL_IRQ_SUSPEND | SKEL_IRQ_RESUME | SKEL_IRQ_VBUS |
	           SKEL_IRQ_SETUP | SKEL_IRQ_EP;
	return SKEL_UNFINISHED;
}

/* deinit: interrupts off, pull-up off, controller off (and its clock, to save power). */
static void op_deinit(struct ud_port *port)
{
	(void)port;
	SKEL_IEN = 0;
	SKEL_CTRL = 0;
}

/* connect: the pull-up. Some parts need a delay or a PHY power-up before it. */
static void op_connect(struct ud_port *port, bool on)
{
	(void)port;
	if (on)
		SKEL_CTRL |= SKEL_CTRL_PULLUP;
	else
		SKEL_CTRL &= ~SKEL_CTRL_PULLUP;
}

/*
 * set_address: two kinds of hardware. (a) The address register takes effect at once: the core
 * calls this AFTER the status stage completed (don't declare UD_PORT_ADDR_BEFORE_STATUS).
 * (b) The hardware latches it and switches after the status stage (DWC2, many ChipIdea):
 * declare UD_PORT_ADDR_BEFORE_STATUS and the core calls this BEFORE arming the status stage.
 * Pitfall: declaring the wrong kind makes the status stage go to the wrong address, and
 * enumeration fails with "device not accepting address".
 */
static void op_set_address(struct ud_port *port, uint8_t addr)
{
	(void)port;
	SKEL_ADDR = addr & 0x7fu;
}

/*
 * ep_open: program type, max packet size and FIFO/packet memory, enable the endpoint, data
 * toggle DATA0, not stalled, idle (NAK). Refuse what the hardware cannot do: UD_ERR_NOTSUP
 * (type, number or size) or UD_ERR_NOSPACE (FIFO memory): the core then STALLs the
 * SET_CONFIGURATION instead of running a broken endpoint.
 */
static int op_ep_open(struct ud_port *port, const struct ud_ep_config *cfg)
{
	struct ud_skeleton *skel = skel_of(port);
	uint8_t slot = UD_EP_INDEX(cfg->addr);

	if (UD_EP_NUM(cfg->addr) >= skel->caps.ep_count)
		return UD_ERR_NOTSUP;
	skel->ep[slot] = (struct ud_skeleton_ep){.max_packet = cfg->max_packet};
	SKEL_EPCTL(slot) = SKEL_EPCTL_ENABLE | SKEL_EPCTL_TOGGLE_RESET |
	                   SKEL_EPCTL_TYPE(cfg->type) | SKEL_EPCTL_MPS(cfg->max_packet);
	return SKEL_UNFINISHED;
}

/*
 * ep_close: disable, flush the FIFO, clear its pending interrupt flag. Pitfall: NO completion
 * may be reported after this, so the flag must go with the endpoint, with the interrupt masked.
 */
static void op_ep_close(struct ud_port *port, uint8_t ep)
{
	struct ud_skeleton *skel = skel_of(port);
	uint8_t slot = UD_EP_INDEX(ep);

	skel_irq_off();
	SKEL_EPCTL(slot) = SKEL_EPCTL_FLUSH;
	SKEL_EPIRQ = 1u << slot;
	skel->ep[slot] = (struct ud_skeleton_ep){0}; /* not busy, not open, not dead */
	skel_irq_on();
}

/* A newer SETUP waits: at the controller (its flag not handled yet) or reported and not yet
 * taken by the core. EP0's stages and stalls now answer a request the host abandoned and must
 * stay off the wire (ud_port.h, "A control transfer"). Call with the interrupt masked: the
 * handler moves a SETUP from the flag to the report. */
static bool ep0_superseded(const struct ud_skeleton *skel)
{
	return (SKEL_ISTAT & SKEL_IRQ_SETUP) != 0u || ud_port_setup_waiting(skel->port.dev);
}

/*
 * ep_xfer: start one transfer. Record it BEFORE arming the hardware (the interrupt may fire
 * at once), with the interrupt masked: the handler read-modify-writes the same registers.
 * IN: load the first packet (len 0: one ZLP; never add a ZLP yourself, the core does).
 * OUT: arm to receive one packet; the handler copies it and re-arms until the transfer ends.
 * With DMA that does whole transfers, program it here and report from its done interrupt.
 * Pitfalls: an endpoint a bus reset killed, and an EP0 stage of a superseded request, are
 * accepted (return 0, in flight for the core) but not armed: the core aborts them later.
 */
static int op_ep_xfer(struct ud_port *port, uint8_t ep, uint8_t *buf, uint32_t len)
{
	struct ud_skeleton *skel = skel_of(port);
	uint8_t slot = UD_EP_INDEX(ep);
	struct ud_skeleton_ep *e = &skel->ep[slot];

	skel_irq_off();
	e->buf = buf;
	e->len = len;
	e->done = 0;
	e->busy = 1;
	if (!e->dead && !(slot < 2u && ep0_superseded(skel))) {
		if (UD_EP_IS_IN(ep))
			in_load_next(e, slot);
		else
			SKEL_EPCTL(slot) |= SKEL_EPCTL_ARM;
	}
	skel_irq_on();
	return SKEL_UNFINISHED;
}

static void on_in_packet(struct ud_skeleton *skel, uint8_t slot);
static void on_out_packet(struct ud_skeleton *skel, uint8_t slot);

/*
 * ep_abort: stop the transfer (disarm: NAK again), flush the FIFO, clear the endpoint's pending
 * flag, all with the interrupt masked; return the bytes already moved. If that pending flag
 * is set, a packet moved that the handler has not counted: handle it first, as the handler
 * would, so that a transfer it ended is reported here (ud_port.h): the core then ends the
 * request as it ended, instead of restarting it (a duplicate on IN, two host messages run
 * together on OUT). Pitfall: after this returns, that transfer must never be reported.
 */
static uint32_t op_ep_abort(struct ud_port *port, uint8_t ep)
{
	struct ud_skeleton *skel = skel_of(port);
	uint8_t slot = UD_EP_INDEX(ep);
	struct ud_skeleton_ep *e = &skel->ep[slot];
	uint32_t moved;

	skel_irq_off();
	if (SKEL_EPIRQ & (1u << slot)) {
		SKEL_EPIRQ = 1u << slot;
		if (slot & 1u)
			on_in_packet(skel, slot);
		else
			on_out_packet(skel, slot);
	}
	if (!e->dead)
		SKEL_EPCTL(slot) = (SKEL_EPCTL(slot) & ~SKEL_EPCTL_ARM) | SKEL_EPCTL_FLUSH;
	moved = e->done; /* what moved, also when a reset killed it or it was reported above */
	e->busy = 0;
	e->done = 0;
	skel_irq_on();
	return moved;
}

/*
 * ep_stall: set or clear the STALL handshake. Pitfalls: clearing MUST reset the data toggle to
 * DATA0 (many controllers do not do it themselves; the host resets its side on CLEAR_FEATURE
 * and the next packet is lost otherwise). EP0's two directions stall independently, and a
 * SETUP clears EP0's stall: if your hardware doesn't, clear it in the SETUP interrupt. A stall
 * of a superseded EP0 request would stall the new one: skip it.
 */
static void op_ep_stall(struct ud_port *port, uint8_t ep, bool stall)
{
	struct ud_skeleton *skel = skel_of(port);
	uint8_t slot = UD_EP_INDEX(ep);

	skel_irq_off();
	if (!skel->ep[slot].dead && !(slot < 2u && ep0_superseded(skel))) {
		if (stall)
			SKEL_EPCTL(slot) |= SKEL_EPCTL_STALL;
		else
			SKEL_EPCTL(slot) =
				(SKEL_EPCTL(slot) & ~SKEL_EPCTL_STALL) | SKEL_EPCTL_TOGGLE_RESET;
	}
	skel_irq_on();
}

/* remote_wakeup: drive resume (K) for 1..15 ms, then release. Needs a timer; the core already
 * checked that the host enabled it. Report nothing: the resume interrupt (if any) does. */
static int op_remote_wakeup(struct ud_port *port)
{
	(void)port;
	SKEL_CTRL |= SKEL_CTRL_RESUME; /* ...and clear it from a timer, 1..15 ms later */
	return SKEL_UNFINISHED;
}

/* test_mode: write the selector (1..4) to the PHY test control; only for high-speed parts, and
 * declare UD_PORT_TEST_MODE. Leaving test mode needs a power cycle, by the spec. */
static int op_test_mode(struct ud_port *port, uint8_t selector)
{
	(void)port;
	SKEL_CTRL |= SKEL_CTRL_TEST(selector);
	return SKEL_UNFINISHED;
}

static const struct ud_port_ops skel_ops = {
	.init = op_init,
	.deinit = op_deinit,
	.connect = op_connect,
	.set_address = op_set_address,
	.ep_open = op_ep_open,
	.ep_close = op_ep_close,
	.ep_xfer = op_ep_xfer,
	.ep_abort = op_ep_abort,
	.ep_stall = op_ep_stall,
	/* ep_stream, ep_kick: optional, left out here (classes then use requests). Once transfers
	 * work, a port adds them for speed: docs/porting.md, "Streams"; port/vdc is the reference.
	 * A firmware on a port without them builds with UD_STREAMS 0 (ud_config.h). */
	.remote_wakeup = op_remote_wakeup,
	.test_mode = op_test_mode,
};

void ud_skeleton_init(struct ud_skeleton *skel)
{
	*skel = (struct ud_skeleton){0};
	/* Declare what the silicon does, never more: the core and the classes size themselves by
	 * it. Add UD_PORT_ADDR_BEFORE_STATUS, UD_PORT_NO_VBUS_SENSE, ... as they apply. */
	skel->caps.ep_count = 4;
	skel->caps.speeds = UD_SPEED_FULL;
	skel->caps.max_packet_fs = 64;
	skel->caps.max_packet_hs = 0;
	skel->ep0_max_packet = 64; /* replaced in op_init by port->ep0_max_packet */
	for (uint8_t slot = 0; slot < 2u; slot++)
		skel->ep[slot].max_packet = skel->ep0_max_packet;
	skel->port.ops = &skel_ops;
	skel->port.caps = &skel->caps;
	skel->port.priv = skel;
	skel_instance = skel;
}

/* ---- the interrupt handler ---- */

/* A packet went out on IN @slot: next packet, or the transfer is complete. */
static void on_in_packet(struct ud_skeleton *skel, uint8_t slot)
{
	struct ud_skeleton_ep *e = &skel->ep[slot];
	uint32_t sent = e->len - e->done;

	if (!e->busy)
		return; /* aborted meanwhile: say nothing */
	e->done += sent < e->max_packet ? sent : e->max_packet;
	if (e->done < e->len) {
		in_load_next(e, slot);
		return;
	}
	e->busy = 0;
	ud_port_report_xfer(skel->port.dev, (uint8_t)(0x80u | (slot >> 1)), e->done, UD_OK);
}

/* A packet arrived on OUT @slot: store what fits; a short packet or a full buffer ends the
 * transfer, more data than room ends it with UD_ERR_OVERFLOW (never write past buf). */
static void on_out_packet(struct ud_skeleton *skel, uint8_t slot)
{
	struct ud_skeleton_ep *e = &skel->ep[slot];
	uint32_t count = SKEL_EPCNT(slot);
	uint32_t room = e->len - e->done;

	if (!e->busy) {
		SKEL_EPCTL(slot) |= SKEL_EPCTL_FLUSH;
		return;
	}
	fifo_read(slot, e->buf ? e->buf + e->done : NULL, count < room ? count : room);
	if (count > room)
		SKEL_EPCTL(slot) |= SKEL_EPCTL_FLUSH; /* drop the rest */
	e->done += count < room ? count : room;
	if (count > room || count < e->max_packet || e->done == e->len) {
		e->busy = 0;
		ud_port_report_xfer(skel->port.dev, (uint8_t)(slot >> 1), e->done,
		                    count > room ? UD_ERR_OVERFLOW : UD_OK);
		return;
	}
	SKEL_EPCTL(slot) |= SKEL_EPCTL_ARM; /* more to come */
}

/* A SETUP arrived: it ends whatever EP0 did. Forget EP0's transfers (no report: the core
 * aborts them itself), make sure the EP0 stall is gone, and report the 8 bytes. */
static void on_setup(struct ud_skeleton *skel)
{
	uint32_t lo = SKEL_SETUP_LO, hi = SKEL_SETUP_HI;
	uint8_t raw[8];

	for (unsigned i = 0; i < 4u; i++) {
		raw[i] = (uint8_t)(lo >> (8u * i));
		raw[4u + i] = (uint8_t)(hi >> (8u * i));
	}
	for (uint8_t slot = 0; slot < 2u; slot++) {
		skel->ep[slot].busy = 0;
		SKEL_EPCTL(slot) &= ~(SKEL_EPCTL_STALL | SKEL_EPCTL_ARM);
	}
	SKEL_EPIRQ = 3u; /* EP0 packet flags raised before the SETUP are stale now */
	ud_port_report_setup(skel->port.dev, raw);
}

/* A bus reset: the handler already counted the packets flagged with it (they came first).
 * EP0 starts afresh, at 64 bytes at high speed (USB 2.0 5.5.3; the core announces 64 there).
 * The other endpoints die: disarmed, their transfers never reported, but what they moved is
 * kept for the ep_abort() the core makes when it closes them, and until then ep_xfer() and
 * ep_stall() on them must succeed without touching the hardware (ud_port.h, "Bus events"). */
static void on_reset(struct ud_skeleton *skel)
{
	bool high = (SKEL_STATUS & SKEL_STATUS_HIGH_SPEED) != 0u; /* the chirp's outcome */
	uint16_t mps0 = high ? 64u : skel->ep0_max_packet;

	for (uint8_t slot = 0; slot < UD_EP_SLOTS; slot++) {
		struct ud_skeleton_ep *e = &skel->ep[slot];
		if (slot < 2u) {
			*e = (struct ud_skeleton_ep){.max_packet = mps0};
			SKEL_EPCTL(slot) = SKEL_EPCTL_ENABLE | SKEL_EPCTL_TYPE(UD_EP_CONTROL) |
			                   SKEL_EPCTL_MPS(mps0);
		} else if (e->max_packet) { /* opened since the last reset */
			e->dead = 1;
			SKEL_EPCTL(slot) = SKEL_EPCTL_FLUSH; /* disabled: no handshake at all */
		}
	}
	SKEL_ADDR = 0; /* most controllers zero the address themselves; make sure */
	ud_port_report_reset(skel->port.dev, high ? UD_SPEED_HIGH : UD_SPEED_FULL);
}

/* Suspend and resume are levels: if both flags are set, the line state says which came last,
 * and that one must be reported last so the core ends with the level the bus has now. */
static void on_suspend_resume(struct ud_device *dev, uint32_t flags)
{
	bool idle = (SKEL_STATUS & SKEL_STATUS_IDLE) != 0u;

	if ((flags & SKEL_IRQ_SUSPEND) && (flags & SKEL_IRQ_RESUME))
		ud_port_report_suspend(dev, !idle);
	else
		idle = (flags & SKEL_IRQ_SUSPEND) != 0u;
	ud_port_report_suspend(dev, idle);
}

/*
 * One pass over everything the controller flagged. Acknowledge the flags first: an event that
 * happens while we work sets its flag again and re-enters, instead of being lost. The order
 * below is the one the core relies on:
 *   VBUS, then packets (they happened before a reset that is flagged with them), then the
 *   reset (after it, no old transfer is reported), then SETUP (a SETUP after a reset must be
 *   reported after it, or the core takes it for a stale one), then suspend/resume, then SOF.
 */
void ud_skeleton_irq_handler(void)
{
	struct ud_skeleton *skel = skel_instance;
	if (!skel || !skel->port.dev)
		return; /* not initialised: nothing may report yet */
	struct ud_device *dev = skel->port.dev;
	uint32_t flags = SKEL_ISTAT & SKEL_IEN;
	SKEL_ISTAT = flags;

	if (flags & SKEL_IRQ_VBUS)
		ud_port_report_vbus(dev, (SKEL_STATUS & SKEL_STATUS_VBUS) != 0u);
	if (flags & SKEL_IRQ_EP) {
		uint32_t eps = SKEL_EPIRQ;
		SKEL_EPIRQ = eps;
		for (uint8_t slot = 0; slot < UD_EP_SLOTS; slot++) {
			if (!(eps & (1u << slot)))
				continue;
			if (slot & 1u)
				on_in_packet(skel, slot);
			else
				on_out_packet(skel, slot);
		}
	}
	if (flags & SKEL_IRQ_RESET)
		on_reset(skel);
	if (flags & SKEL_IRQ_SETUP)
		on_setup(skel);
	if (flags & (SKEL_IRQ_SUSPEND | SKEL_IRQ_RESUME))
		on_suspend_resume(dev, flags);
	if (flags & SKEL_IRQ_SOF)
		ud_port_report_sof(dev, (uint16_t)(SKEL_FRAME & 0x7ffu));
}
