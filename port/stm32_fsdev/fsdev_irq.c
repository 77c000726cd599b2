/* SPDX-License-Identifier: MIT */
/*
 * The interrupt handler: USB_ISTR flags into ud_port_report_*() calls, and the packet-by-packet
 * work of the transfers in flight.
 *
 * Order within one call, and why:
 * 1. RESET first, whenever USB_ISTR shows one. The hardware has reset every EPnR but its
 *    completion flags (CTR_RX, CTR_TX: the reference manuals keep them so that a transaction
 *    done just before a reset is not lost) and disabled the function until DADDR.EF is set
 *    again, so every completion flag still pending predates the reset: on_reset() counts those
 *    of endpoints 1..7 as on_ctr() would have and reports a transfer they end before the reset.
 * 2. CTR, endpoint by endpoint as USB_ISTR.EP_ID names them. On EP0 an IN completion is handled
 *    before a SETUP in the same register: a finished status stage must reach the core before
 *    the next request, and the address of a SET_ADDRESS is applied as that stage ends.
 * 3. Suspend and wakeup, in the order they happened (see on_suspend_resume()).
 * 4. ESOF (remote wakeup timing), SOF.
 * Each flag is cleared (written 0; the others written 1, which leaves them) before it is
 * handled, so an event that comes meanwhile raises the interrupt again instead of being lost.
 */
#include "fsdev_internal.h"

static void clear_flags(struct ud_fsdev *f, uint16_t flags)
{
	fsdev_wr(f, FSDEV_ISTR, (uint16_t)~flags);
}

#if UD_STREAMS
/* ---- streams (ud_stream.h): each packet committed, then the next armed ---- */

/* Streaming IN @e on endpoint number @n: the host took its packet. Past the tail with it
 * (ud_stream_in_step(), which commits and finds the next), then the next loaded, unless the
 * ring has none (starved: the writer's kick comes), the endpoint is halted (clearing the halt
 * arms it) or dead (not open: a bus reset wiped its register). */
static void stream_in_done(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e)
{
	uint8_t *buf;
	int32_t len = ud_stream_in_step(f->port.dev, (uint8_t)(0x80u | n), e->stream, e->last,
	                                e->max_packet, &buf);

	e->busy = 0;
	if (len < 0 || e->halted || !e->open)
		return;
	e->busy = 1;
	ud_fsdev_tx_load(f, n, e, buf, (uint16_t)len);
}

/* Streaming OUT @e on endpoint number @n received a packet (the hardware NAKs from now on):
 * copied from the packet memory straight to its place in the ring (or the bounce buffer),
 * CTR_RX cleared, committed, and the next place armed as for IN. */
static void stream_out_done(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e)
{
	struct ud_stream *s = e->stream;
	uint16_t count = ud_fsdev_stream_rx(f, n, e);

	ud_fsdev_ep_modify(f, n, 0, 0, FSDEV_EP_CTR_RX);
	uint8_t *buf = ud_stream_out_quick(s, count, e->max_packet);
	if (!buf)
		buf = ud_stream_out_next(f->port.dev, n, s, count, e->max_packet);
	e->busy = 0;
	if (!buf || e->halted || !e->open)
		return; /* no room (starved: the reader's kick comes), halted or dead */
	e->buf = buf;
	e->busy = 1;
	ud_fsdev_out_arm(f, n);
}

#endif /* UD_STREAMS */

/* IN @e on endpoint number @n >= 1: the host took its packet before a bus reset. Counted as
 * on_in() would have, but nothing is armed: the reset killed the endpoint. A stream's packet
 * is committed (the stream stays until the core closes the endpoint, so that a kick made
 * meanwhile stays a kick); a transfer it ends is reported. */
static void kept_in(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e)
{
	uint8_t ep = (uint8_t)(0x80u | n);

#if UD_STREAMS
	if (e->stream) {
		e->busy = 0;
		ud_stream_in_commit(f->port.dev, ep, e->stream, e->last, e->max_packet);
		return;
	}
#endif
	if (fsdev_in_acked(e)) {
		e->busy = 0;
		ud_port_report_xfer(f->port.dev, ep, e->done, UD_OK);
	}
}

/* The same for OUT @e: the packet received before the reset is copied and counted. */
static void kept_out(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e)
{
	int status;

#if UD_STREAMS
	if (e->stream) {
		e->busy = 0;
		ud_stream_out_commit(f->port.dev, n, e->stream, ud_fsdev_stream_rx(f, n, e),
		                     e->max_packet);
		return;
	}
#endif
	if (ud_fsdev_out_take(f, e, ud_fsdev_rx_count(f, n), &status)) {
		e->busy = 0;
		ud_port_report_xfer(f->port.dev, n, e->done, status);
	}
}

/*
 * The completions a bus reset kept on endpoint number n >= 1, whose register it otherwise
 * wiped: counted as on_in() and on_out() count them, without arming anything, and a transfer
 * they end is reported (before the reset, as it would have been had the handler run in
 * time). A transfer they do not end stays in flight on the dead endpoint: the core's abort,
 * as it closes the endpoint for the reset, gets its bytes (op_ep_abort()). The register is
 * left disabled both ways, also if task code armed it after the wipe (op_ep_xfer() cannot
 * tell): with EA wiped to 0 it would otherwise answer for EP0 once DADDR.EF is set again.
 * EP0's flags are dropped by ud_fsdev_ep0_configure(): the reset ends its control transfer.
 */
static void take_kept(struct ud_fsdev *f, uint8_t n)
{
	uint16_t r = fsdev_rd(f, FSDEV_EPR(n));
	struct ud_fsdev_ep *out = &f->ep[2u * n], *in = &f->ep[2u * n + 1u];

	ud_fsdev_ep_write(f, n, 0, FSDEV_EP_STAT_RX | FSDEV_EP_STAT_TX, 0, r & FSDEV_EP_CTR);
#ifdef UD_FSDEV_HOSTED
	if (f->cfg.flags & UD_FSDEV_SIM_NO_RESET_RECOVERY)
		return; /* the simulator's negative control: the completions are lost */
#endif
	if ((r & FSDEV_EP_CTR_TX) && in->busy && !in->dead)
		kept_in(f, n, in);
	if ((r & FSDEV_EP_CTR_RX) && out->busy && !out->dead)
		kept_out(f, n, out);
}

static void on_reset(struct ud_fsdev *f)
{
	for (uint8_t n = 1; n < f->caps.ep_count; n++)
		take_kept(f, n);
	/* EP0 is idle again. The other endpoints lost their registers and stay dead until the
	 * core, handling the reset, closes them; a transfer in flight on one stays in flight,
	 * never moving again and never reported, so the core's abort gets what it had moved. */
	for (unsigned i = 0; i < 2u * UD_FSDEV_MAX_EP; i++) {
		struct ud_fsdev_ep *e = &f->ep[i];
		if (i < 2u)
			e->busy = 0;
		else if (e->open) {
			e->open = 0;
			e->dead = 1;
		}
	}
	f->suspended = 0;
	f->resume_esofs = 0;
	f->new_address = 0;
	uint16_t cntr = fsdev_rd(f, FSDEV_CNTR);
	cntr &= (uint16_t) ~(FSDEV_CNTR_FSUSP | FSDEV_CNTR_LPMODE | FSDEV_CNTR_RESUME |
	                     FSDEV_CNTR_ESOFM);
	fsdev_wr(f, FSDEV_CNTR, cntr);
	ud_fsdev_ep0_configure(f);
	fsdev_wr(f, FSDEV_DADDR, FSDEV_DADDR_EF); /* address 0, answering again */
	ud_port_report_reset(f->port.dev, UD_SPEED_FULL);
}

/* The host acknowledged the IN packet on @n: the next one, or the transfer is done. */
static void on_in(struct ud_fsdev *f, uint8_t n)
{
	struct ud_fsdev_ep *e = &f->ep[2u * n + 1u];

	if (!e->busy)
		return; /* aborted or replaced by a SETUP meanwhile: say nothing */
#if UD_STREAMS
	if (e->stream) {
		stream_in_done(f, n, e);
		return;
	}
#endif
	if (!fsdev_in_acked(e)) {
		ud_fsdev_in_load(f, n);
		return;
	}
	e->busy = 0;
	if (n == 0)
		fsdev_address_end(f, true);
	ud_port_report_xfer(f->port.dev, (uint8_t)(0x80u | n), e->done, UD_OK);
}

/* An OUT packet arrived on @n (the hardware NAKs from now on): copy what fits, then end the
 * transfer (short packet, full, or too much) or accept the next packet. */
static void on_out(struct ud_fsdev *f, uint8_t n)
{
	struct ud_fsdev_ep *e = &f->ep[2u * n];
	int status;

	if (!e->busy) {
		ud_fsdev_ep_modify(f, n, 0, 0, FSDEV_EP_CTR_RX);
		return;
	}
#if UD_STREAMS
	if (e->stream) {
		stream_out_done(f, n, e);
		return;
	}
#endif
	fsdev_rx_settle(f);
	bool end = ud_fsdev_out_take(f, e, ud_fsdev_rx_count(f, n), &status);
	/* Copy, then clear CTR_RX, then re-arm: in this order no packet can overwrite the buffer
	 * before it is copied, and none is NAKed for longer than needed. */
	ud_fsdev_ep_modify(f, n, 0, 0, FSDEV_EP_CTR_RX);
	if (end) {
		e->busy = 0;
		ud_port_report_xfer(f->port.dev, n, e->done, status);
		return;
	}
	ud_fsdev_out_arm(f, n);
}

/* A SETUP arrived (the hardware set both EP0 directions to NAK, which ends any stall, and
 * both toggles to DATA1). It ends whatever EP0 was doing: forget it, report the 8 bytes. */
static void on_setup(struct ud_fsdev *f)
{
	uint8_t raw[8] = {0};

	fsdev_rx_settle(f);
	uint16_t count = ud_fsdev_bdt_read(f, FSDEV_BDT_RX_COUNT(0)) & FSDEV_COUNT_MASK;

	ud_fsdev_pma_read(f, f->ep[0].pma_addr, raw, count < 8u ? count : 8u);
	ud_fsdev_ep_modify(f, 0, 0, 0, FSDEV_EP_CTR_RX);
	f->ep[0].busy = 0;
	f->ep[1].busy = 0;
	fsdev_address_end(f, false); /* a SET_ADDRESS's status stage that never ended */
	ud_port_report_setup(f->port.dev, raw);
}

static void on_ctr(struct ud_fsdev *f, uint8_t n)
{
	uint16_t r = fsdev_rd(f, FSDEV_EPR(n));

	if (n >= f->caps.ep_count) {
		/* Cannot happen with registers we never enabled; never loop on it either. */
		ud_fsdev_ep_modify(f, n, 0, 0, r & FSDEV_EP_CTR);
		return;
	}
	if (r & FSDEV_EP_CTR_TX) {
		ud_fsdev_ep_modify(f, n, 0, 0, FSDEV_EP_CTR_TX);
		on_in(f, n);
	}
	if (r & FSDEV_EP_CTR_RX) {
		if (n == 0 && (r & FSDEV_EP_SETUP))
			on_setup(f);
		else
			on_out(f, n);
	}
}

static void enter_suspend(struct ud_fsdev *f)
{
	uint16_t cntr = fsdev_rd(f, FSDEV_CNTR);
	/* FSUSP first, then the low-power mode, as the reference manual orders them. */
	fsdev_wr(f, FSDEV_CNTR, (uint16_t)(cntr | FSDEV_CNTR_FSUSP));
	fsdev_wr(f, FSDEV_CNTR, (uint16_t)(cntr | FSDEV_CNTR_FSUSP | FSDEV_CNTR_LPMODE));
	f->suspended = 1;
	ud_port_report_suspend(f->port.dev, true);
}

static void leave_suspend(struct ud_fsdev *f)
{
	uint16_t cntr = fsdev_rd(f, FSDEV_CNTR);
	fsdev_wr(f, FSDEV_CNTR, (uint16_t)(cntr & ~(FSDEV_CNTR_FSUSP | FSDEV_CNTR_LPMODE)));
	f->suspended = 0;
	ud_port_report_suspend(f->port.dev, false);
}

/*
 * Suspend and wakeup are levels; the core must end with the one the bus has now. With both
 * flags set their order is lost (after three or more changes before the handler runs, either
 * level is possible), so the handler ends suspended: if the bus in fact runs, the peripheral in
 * suspend mode sees the next frame's SOF and raises WKUP, and the next interrupt resumes. The
 * other choice could leave the device awake on an idle bus for good: SUSP is raised once, when
 * the bus goes idle.
 */
static void on_suspend_resume(struct ud_fsdev *f, uint16_t istr)
{
	bool s = (istr & FSDEV_ISTR_SUSP) != 0, w = (istr & FSDEV_ISTR_WKUP) != 0;

	clear_flags(f, istr & (FSDEV_ISTR_SUSP | FSDEV_ISTR_WKUP));
	if (s && w) {
		if (f->suspended)
			leave_suspend(f);
		enter_suspend(f);
	} else if (s) {
		enter_suspend(f);
	} else {
		leave_suspend(f);
	}
}

/* ESOF: a frame without SOF, 1 ms. Remote wakeup counts them to end its resume signalling. */
static void on_esof(struct ud_fsdev *f)
{
	clear_flags(f, FSDEV_ISTR_ESOF);
	if (f->resume_esofs && --f->resume_esofs == 0) {
		uint16_t cntr = fsdev_rd(f, FSDEV_CNTR);
		fsdev_wr(f, FSDEV_CNTR, (uint16_t)(cntr & ~(FSDEV_CNTR_RESUME | FSDEV_CNTR_ESOFM)));
	}
}

void ud_fsdev_irq_handler(struct ud_fsdev *f)
{
	if (!f || !f->port.dev)
		return; /* not bound to a device yet: nothing may be reported */
	/* The interrupt mask bits of USB_CNTR sit at the positions of their USB_ISTR flags. */
	uint16_t mask = fsdev_rd(f, FSDEV_CNTR) & 0xff80u;

	/* Each pass handles a reset or clears at least one CTR bit; bounded all the same, an
	 * interrupt handler must never spin on a flag it cannot clear. A reset that comes while
	 * the loop runs is handled in the next pass. If it wiped a register on_ctr() was reading,
	 * that flag too predates it and on_ctr() counts it rightly; what on_ctr() armed there
	 * cannot answer a token before on_reset() disables it (DADDR.EF is clear until then). */
	for (unsigned guard = 0; guard < 2u * UD_FSDEV_MAX_EP + 2u; guard++) {
		uint16_t now = fsdev_rd(f, FSDEV_ISTR);
		if (now & mask & FSDEV_ISTR_RESET) {
			clear_flags(f, FSDEV_ISTR_RESET);
			on_reset(f);
			continue;
		}
		if (!(now & FSDEV_ISTR_CTR) || !(mask & FSDEV_CNTR_CTRM))
			break;
		on_ctr(f, (uint8_t)(now & FSDEV_ISTR_EP_ID));
	}
	uint16_t istr = fsdev_rd(f, FSDEV_ISTR) & mask;
	if (istr & (FSDEV_ISTR_SUSP | FSDEV_ISTR_WKUP))
		on_suspend_resume(f, istr);
	if (istr & FSDEV_ISTR_ESOF)
		on_esof(f);
	if (istr & FSDEV_ISTR_SOF) {
		clear_flags(f, FSDEV_ISTR_SOF);
		ud_port_report_sof(f->port.dev, fsdev_rd(f, FSDEV_FNR) & FSDEV_FNR_FN);
	}
}
