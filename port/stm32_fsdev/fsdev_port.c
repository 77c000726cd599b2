/* SPDX-License-Identifier: MIT */
/*
 * The port operations (ud_port.h), called by the core in task context. Endpoint number n uses
 * register EPnR with EA = n; both directions of a number share it (bulk and interrupt behave
 * the same in this hardware, so an IN and an OUT of either type can share a register).
 *
 * Packet memory: the buffer descriptor table at PMA address 0 (USB_BTABLE = 0), EP0's two
 * buffers after it, then one buffer per open endpoint direction, handed out in order. A closed
 * endpoint keeps its buffer for its next open with a packet size that fits (SET_INTERFACE back
 * and forth); when every endpoint but EP0 is closed (a new configuration, a bus reset) the
 * memory is free again.
 */
#include <string.h>

#include "fsdev_internal.h"

static struct ud_fsdev *fsdev_of(struct ud_port *port)
{
	return (struct ud_fsdev *)port->priv;
}

static uint16_t pma_align(const struct ud_fsdev *f, uint16_t n)
{
	uint16_t a = fsdev_pma_access(f) == UD_FSDEV_PMA_32 ? 4u : 2u;
	return (uint16_t)((n + a - 1u) & ~(a - 1u));
}

struct ud_fsdev_ep *ud_fsdev_ep_of(struct ud_fsdev *f, uint8_t ep)
{
	if ((ep & 0x70u) || UD_EP_NUM(ep) >= f->caps.ep_count)
		return NULL;
	return &f->ep[UD_EP_INDEX(ep)];
}

bool ud_fsdev_ep0_superseded(const struct ud_fsdev *f)
{
	uint16_t r = fsdev_rd(f, FSDEV_EPR(0));
	if ((r & (FSDEV_EP_CTR_RX | FSDEV_EP_SETUP)) == (FSDEV_EP_CTR_RX | FSDEV_EP_SETUP))
		return true;                       /* in EP0's buffer, the handler has not run */
	return ud_port_setup_waiting(f->port.dev); /* the handler reported it */
}

void ud_fsdev_tx_load(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e, const uint8_t *src,
                      uint16_t cnt)
{
	if (cnt)
		ud_fsdev_pma_write(f, e->pma_addr, src, cnt);
	ud_fsdev_bdt_write(f, FSDEV_BDT_TX_COUNT(n), cnt); /* 0: a zero-length packet */
	e->last = cnt;
	ud_fsdev_ep_modify(f, n, FSDEV_EP_STAT_TX, FSDEV_STAT_TX(FSDEV_STAT_VALID), 0);
}

void ud_fsdev_in_load(struct ud_fsdev *f, uint8_t n)
{
	struct ud_fsdev_ep *e = &f->ep[2u * n + 1u];
	uint32_t left = e->len - e->done;
	uint16_t cnt = left < e->max_packet ? (uint16_t)left : e->max_packet;

	/* A zero-length transfer may have no buffer: no offset on a NULL pointer (C11 6.5.6). */
	ud_fsdev_tx_load(f, n, e, cnt ? e->buf + e->done : NULL, cnt);
}

void ud_fsdev_out_arm(struct ud_fsdev *f, uint8_t n)
{
	ud_fsdev_ep_modify(f, n, FSDEV_EP_STAT_RX, FSDEV_STAT_RX(FSDEV_STAT_VALID), 0);
}

uint16_t ud_fsdev_rx_count(const struct ud_fsdev *f, uint8_t n)
{
	return ud_fsdev_bdt_read(f, FSDEV_BDT_RX_COUNT(n)) & FSDEV_COUNT_MASK;
}

bool ud_fsdev_out_take(struct ud_fsdev *f, struct ud_fsdev_ep *e, uint16_t count, int *status)
{
	uint32_t room = e->len - e->done;
	uint16_t take = count < room ? count : (uint16_t)room;

	if (take)
		ud_fsdev_pma_read(f, e->pma_addr, e->buf + e->done, take);
	e->done += take;
	*status = count > room ? UD_ERR_OVERFLOW : UD_OK;
	return count > room || count < e->max_packet || e->done == e->len;
}

void ud_fsdev_ep0_configure(struct ud_fsdev *f)
{
	uint16_t alloc;
	uint16_t rx = ud_fsdev_rx_count_field(f->ep[0].max_packet, &alloc);

	ud_fsdev_bdt_write(f, FSDEV_BDT_TX_ADDR(0), f->ep[1].pma_addr);
	ud_fsdev_bdt_write(f, FSDEV_BDT_TX_COUNT(0), 0);
	ud_fsdev_bdt_write(f, FSDEV_BDT_RX_ADDR(0), f->ep[0].pma_addr);
	ud_fsdev_bdt_write(f, FSDEV_BDT_RX_COUNT(0), rx);
	/* NAK both ways until the core arms a stage: a SETUP is taken whatever STAT_RX says. */
	ud_fsdev_ep_write(f, 0, FSDEV_EP_TYPE_CONTROL,
	                  FSDEV_EP_STAT_RX | FSDEV_EP_STAT_TX | FSDEV_EP_DTOG_RX | FSDEV_EP_DTOG_TX,
	                  FSDEV_STAT_RX(FSDEV_STAT_NAK) | FSDEV_STAT_TX(FSDEV_STAT_NAK),
	                  FSDEV_EP_CTR);
}

/* One direction of EPnR @n NAKs from now on (@stat: its STAT field, FSDEV_EP_STAT_TX or _RX,
 * whose value VALID is all ones). @return the register once NAKed: its CTR bit says whether a
 * packet moved that the handler has not taken (the caller takes it and clears the bit). */
static uint16_t ep_nak(const struct ud_fsdev *f, uint8_t n, uint16_t stat)
{
	uint16_t nak = stat & (FSDEV_STAT_TX(FSDEV_STAT_NAK) | FSDEV_STAT_RX(FSDEV_STAT_NAK));

	if ((fsdev_rd(f, FSDEV_EPR(n)) & stat) == stat)
		ud_fsdev_ep_modify(f, n, stat, nak, 0);
	/* The packet may have moved between the read and the write: then the hardware had set
	 * NAK and the write flipped it back to VALID; look again. */
	uint16_t r = fsdev_rd(f, FSDEV_EPR(n));
	if ((r & stat) == stat)
		ud_fsdev_ep_modify(f, n, stat, nak, 0);
	return r;
}

/* EP0's buffers right after the descriptor table; the rest of the PMA is free. */
static int pma_layout(struct ud_fsdev *f, uint8_t mps0)
{
	uint16_t rx_alloc;

	(void)ud_fsdev_rx_count_field(mps0, &rx_alloc);
	uint16_t at = pma_align(f, (uint16_t)(8u * f->caps.ep_count));
	f->ep[0].pma_addr = at;
	f->ep[0].pma_size = pma_align(f, rx_alloc);
	at = (uint16_t)(at + f->ep[0].pma_size);
	f->ep[1].pma_addr = at;
	f->ep[1].pma_size = pma_align(f, mps0);
	at = (uint16_t)(at + f->ep[1].pma_size);
	if (at > f->cfg.pma_size)
		return UD_ERR_NOSPACE;
	f->pma_floor = f->pma_next = at;
	return 0;
}

/* A buffer of @need bytes for @e: its old one if big enough, else the next free bytes. */
static bool pma_alloc(struct ud_fsdev *f, struct ud_fsdev_ep *e, uint16_t need)
{
	need = pma_align(f, need);
	if (e->pma_size >= need)
		return true;
	if ((uint32_t)f->pma_next + need > f->cfg.pma_size)
		return false;
	e->pma_addr = f->pma_next;
	e->pma_size = need;
	f->pma_next = (uint16_t)(f->pma_next + need);
	return true;
}

/* Every endpoint but EP0 closed: all their buffers are free again. */
static void pma_reclaim(struct ud_fsdev *f)
{
	for (unsigned i = 2; i < 2u * UD_FSDEV_MAX_EP; i++)
		if (f->ep[i].open || f->ep[i].dead)
			return;
	for (unsigned i = 2; i < 2u * UD_FSDEV_MAX_EP; i++)
		f->ep[i].pma_size = 0;
	f->pma_next = f->pma_floor;
}

#if UD_STREAMS
/* ---- streams (ud_stream.h; the per-packet half is in fsdev_irq.c) ---- */

void ud_fsdev_stream_arm(struct ud_fsdev *f, uint8_t ep, struct ud_fsdev_ep *e)
{
	/* A packet armed or waiting to be committed owns the ring's position; a halted endpoint
	 * is armed when the halt is cleared; a dead one never again (its register was wiped:
	 * armed, with EA 0, it would answer for EP0). */
	if (e->busy || e->halted || !e->open)
		return;
	uint8_t n = UD_EP_NUM(ep);
	if (UD_EP_IS_IN(ep)) {
		uint8_t *buf;
		int32_t len = ud_stream_in_buf(e->stream, e->max_packet, &buf);
		if (len < 0)
			return; /* nothing to send: starved, the writer's kick comes */
		e->busy = 1;
		ud_fsdev_tx_load(f, n, e, buf, (uint16_t)len);
		return;
	}
	uint8_t *buf = ud_stream_out_buf(e->stream, e->max_packet);
	if (!buf)
		return; /* no room: starved, the reader's kick comes */
	e->buf = buf;
	e->busy = 1;
	ud_fsdev_out_arm(f, n);
}

uint16_t ud_fsdev_stream_rx(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e)
{
	fsdev_rx_settle(f);
	uint16_t count = ud_fsdev_rx_count(f, n);
	if (count > e->max_packet)
		count = e->max_packet; /* e->buf holds no more */
	if (count)
		ud_fsdev_pma_read(f, e->pma_addr, e->buf, count);
	return count;
}

/* End @e's stream (interrupt masked). The endpoint NAKs from now on; a packet the host saw
 * acknowledged whose interrupt has not run is committed, and its flag cleared so that the
 * handler does not commit it again; one armed and not acknowledged is dropped (IN: the tail
 * never passed it, so the next stream sends it again). A dead endpoint's kept flags were
 * taken when the handler saw the reset (take_kept()): its register is left alone. */
static void stream_stop(struct ud_fsdev *f, uint8_t ep, struct ud_fsdev_ep *e)
{
	uint8_t n = UD_EP_NUM(ep);
	bool in = UD_EP_IS_IN(ep);
	uint16_t ctr = in ? FSDEV_EP_CTR_TX : FSDEV_EP_CTR_RX;

	if (!e->dead) {
		uint16_t r = ep_nak(f, n, in ? FSDEV_EP_STAT_TX : FSDEV_EP_STAT_RX);
		if ((r & ctr) && e->busy) {
			struct ud_device *dev = f->port.dev;
			if (in)
				ud_stream_in_commit(dev, ep, e->stream, e->last, e->max_packet);
			else
				ud_stream_out_commit(dev, ep, e->stream,
				                     ud_fsdev_stream_rx(f, n, e), e->max_packet);
		}
		if (r & ctr)
			ud_fsdev_ep_modify(f, n, 0, 0, ctr);
	}
	e->busy = 0;
	e->stream = NULL;
}

/* A halt on streaming @e was cleared (its direction NAKs, DATA0 next). The STALL replaced the
 * VALID of a packet armed: arm it again as it was (IN: still in the packet memory; OUT: its
 * place in the ring still reserved), unless it moved before the stall and its interrupt, still
 * to come, commits it and arms the next. Idle, it is armed for the next packet: no kick comes
 * for a clear. */
static void stream_resume(struct ud_fsdev *f, uint8_t ep, struct ud_fsdev_ep *e)
{
	uint8_t n = UD_EP_NUM(ep);

	if (!e->busy) {
		ud_fsdev_stream_arm(f, ep, e);
		return;
	}
	uint16_t r = fsdev_rd(f, FSDEV_EPR(n));
	if (UD_EP_IS_IN(ep) && !(r & FSDEV_EP_CTR_TX))
		ud_fsdev_ep_modify(f, n, FSDEV_EP_STAT_TX, FSDEV_STAT_TX(FSDEV_STAT_VALID), 0);
	else if (!UD_EP_IS_IN(ep) && !(r & FSDEV_EP_CTR_RX))
		ud_fsdev_out_arm(f, n);
}
#endif /* UD_STREAMS */

/* ---- the operations ---- */

static int op_init(struct ud_port *port)
{
	struct ud_fsdev *f = fsdev_of(port);
	uint8_t mps0 = port->ep0_max_packet ? port->ep0_max_packet : 64u;

	memset(f->ep, 0, sizeof(f->ep));
	f->suspended = 0;
	f->resume_esofs = 0;
	if (pma_layout(f, mps0) != 0)
		return UD_ERR_NOSPACE;
	for (unsigned i = 0; i < 2u; i++) {
		f->ep[i].open = 1;
		f->ep[i].max_packet = mps0;
	}
	/* Transceiver on (PDWN off) with the macrocell held in reset (FRES), wait its start-up
	 * time (about 1 us: a few dozen bus reads), release the reset, drop the flags it left. */
	fsdev_wr(f, FSDEV_CNTR, FSDEV_CNTR_FRES);
	for (unsigned i = 0; i < 64u; i++)
		(void)fsdev_rd(f, FSDEV_CNTR);
	fsdev_wr(f, FSDEV_CNTR, 0);
	fsdev_wr(f, FSDEV_ISTR, 0);
	if (fsdev_pma_access(f) != UD_FSDEV_PMA_32)
		fsdev_wr(f, FSDEV_BTABLE, 0);
	/* Function disabled (EF = 0): no answer at all until the first bus reset enables it
	 * (USB 2.0 9.1.1.3). */
	fsdev_wr(f, FSDEV_DADDR, 0);
	ud_fsdev_ep0_configure(f);
	uint16_t irqs = FSDEV_CNTR_CTRM | FSDEV_CNTR_RESETM | FSDEV_CNTR_SUSPM | FSDEV_CNTR_WKUPM;
	if (f->cfg.flags & UD_FSDEV_SOF)
		irqs |= FSDEV_CNTR_SOFM;
	fsdev_wr(f, FSDEV_CNTR, irqs);
	return 0;
}

static void op_connect(struct ud_port *port, bool on)
{
	struct ud_fsdev *f = fsdev_of(port);

	if (f->cfg.flags & UD_FSDEV_INTERNAL_PULLUP) {
		uint16_t bcdr = fsdev_rd(f, FSDEV_BCDR);
		bcdr = on ? (uint16_t)(bcdr | FSDEV_BCDR_DPPU)
		          : (uint16_t)(bcdr & ~FSDEV_BCDR_DPPU);
		fsdev_wr(f, FSDEV_BCDR, bcdr);
	} else if (f->cfg.pullup) {
		f->cfg.pullup(f->cfg.pullup_ctx, on);
	}
}

static void op_deinit(struct ud_port *port)
{
	struct ud_fsdev *f = fsdev_of(port);

	op_connect(port, false);
	fsdev_wr(f, FSDEV_CNTR, FSDEV_CNTR_FRES | FSDEV_CNTR_PDWN);
	fsdev_wr(f, FSDEV_ISTR, 0);
	for (unsigned i = 0; i < 2u * UD_FSDEV_MAX_EP; i++)
		f->ep[i].busy = 0;
	f->new_address = 0;
}

/* DADDR may change only once the status stage is over (the status IN packet goes out from
 * address 0), so with UD_PORT_ADDR_BEFORE_STATUS the core calls this before arming that stage
 * and the port latches the address; fsdev_address_end() applies it when the stage ends. */
static void op_set_address(struct ud_port *port, uint8_t addr)
{
	/* One byte store, before the stage that ends it is armed: no lock needed. */
	fsdev_of(port)->new_address = (uint8_t)(0x80u | (addr & 0x7fu));
}

static int op_ep_open(struct ud_port *port, const struct ud_ep_config *cfg)
{
	struct ud_fsdev *f = fsdev_of(port);

	if (!cfg || (cfg->addr & 0x70u) || UD_EP_NUM(cfg->addr) == 0 || cfg->max_packet == 0)
		return UD_ERR_INVAL;
	uint8_t n = UD_EP_NUM(cfg->addr);
	bool in = UD_EP_IS_IN(cfg->addr);
	if (n >= f->caps.ep_count || (cfg->type != UD_EP_BULK && cfg->type != UD_EP_INTERRUPT) ||
	    cfg->max_packet > f->caps.max_packet_fs)
		return UD_ERR_NOTSUP;

	struct ud_fsdev_ep *e = &f->ep[UD_EP_INDEX(cfg->addr)];
	uint16_t alloc = cfg->max_packet, rx = 0;
	if (!in)
		rx = ud_fsdev_rx_count_field(cfg->max_packet, &alloc);
	uint32_t key = fsdev_lock();
	e->busy = 0;
	if (!pma_alloc(f, e, alloc)) {
		fsdev_unlock(key);
		return UD_ERR_NOSPACE;
	}
	e->open = 1;
	e->dead = 0;
	e->halted = 0;
	e->max_packet = cfg->max_packet;
	uint16_t type = cfg->type == UD_EP_BULK ? FSDEV_EP_TYPE_BULK : FSDEV_EP_TYPE_INTERRUPT;
	if (in) {
		ud_fsdev_bdt_write(f, FSDEV_BDT_TX_ADDR(n), e->pma_addr);
		ud_fsdev_bdt_write(f, FSDEV_BDT_TX_COUNT(n), 0);
		ud_fsdev_ep_write(f, n, (uint16_t)(type | n), FSDEV_EP_STAT_TX | FSDEV_EP_DTOG_TX,
		                  FSDEV_STAT_TX(FSDEV_STAT_NAK), FSDEV_EP_CTR_TX);
	} else {
		ud_fsdev_bdt_write(f, FSDEV_BDT_RX_ADDR(n), e->pma_addr);
		ud_fsdev_bdt_write(f, FSDEV_BDT_RX_COUNT(n), rx);
		ud_fsdev_ep_write(f, n, (uint16_t)(type | n), FSDEV_EP_STAT_RX | FSDEV_EP_DTOG_RX,
		                  FSDEV_STAT_RX(FSDEV_STAT_NAK), FSDEV_EP_CTR_RX);
	}
	fsdev_unlock(key);
	return 0;
}

static void op_ep_close(struct ud_port *port, uint8_t ep)
{
	struct ud_fsdev *f = fsdev_of(port);
	struct ud_fsdev_ep *e = ud_fsdev_ep_of(f, ep);

	if (!e || UD_EP_NUM(ep) == 0 || !(e->open || e->dead))
		return; /* EP0 is never closed; the core closes every number on a reconfiguration */
	uint8_t n = UD_EP_NUM(ep);
	uint32_t key = fsdev_lock();
#if UD_STREAMS
	if (e->stream)
		stream_stop(f, ep, e); /* a close ends the stream as a stop does */
#endif
	/* This direction disabled (no handshake), DATA0, its completion flag gone: nothing of it
	 * can be reported after this returns. */
	if (UD_EP_IS_IN(ep))
		ud_fsdev_ep_modify(f, n, FSDEV_EP_STAT_TX | FSDEV_EP_DTOG_TX, 0, FSDEV_EP_CTR_TX);
	else
		ud_fsdev_ep_modify(f, n, FSDEV_EP_STAT_RX | FSDEV_EP_DTOG_RX, 0, FSDEV_EP_CTR_RX);
	e->busy = 0;
	e->open = 0;
	e->dead = 0;
	e->halted = 0;
	pma_reclaim(f);
	fsdev_unlock(key);
}

static int op_ep_xfer(struct ud_port *port, uint8_t ep, uint8_t *buf, uint32_t len)
{
	struct ud_fsdev *f = fsdev_of(port);
	struct ud_fsdev_ep *e = ud_fsdev_ep_of(f, ep);

	if (!e || !(e->open || e->dead) || e->busy || fsdev_streaming(e))
		return UD_ERR_STATE;
	if (!buf && len)
		return UD_ERR_INVAL;
	uint8_t n = UD_EP_NUM(ep);
	uint32_t key = fsdev_lock();
	/* Recorded before the hardware is armed: the handler may run as soon as it is. */
	e->buf = buf;
	e->len = len;
	e->done = 0;
	e->last = 0;
	e->busy = 1;
	/* A dead endpoint has no register any more; an EP0 stage of a request that a newer
	 * SETUP has already replaced must not reach the wire (the core aborts it). */
	if (!e->dead && !(n == 0 && ud_fsdev_ep0_superseded(f))) {
		if (UD_EP_IS_IN(ep))
			ud_fsdev_in_load(f, n);
		else
			ud_fsdev_out_arm(f, n);
	}
	fsdev_unlock(key);
	return 0;
}

/* Stop IN @n: NAK from now on. A packet the host took that the handler has not counted yet
 * (its CTR_TX still pending, also one a bus reset kept) is counted in e->done. */
static bool stop_in(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e)
{
	bool ended = false;

	if (ep_nak(f, n, FSDEV_EP_STAT_TX) & FSDEV_EP_CTR_TX) {
		ended = fsdev_in_acked(e);
		ud_fsdev_ep_modify(f, n, 0, 0, FSDEV_EP_CTR_TX);
	}
	return ended;
}

/* Stop OUT @n; a packet already received but not yet copied is copied (the host was told
 * ACK, so it is data the transfer moved) and counted in e->done. A pending SETUP stays. So does
 * the CTR_RX that a bus reset the handler has not seen yet kept in EP0's wiped register (its
 * type no longer CONTROL, its SETUP bit gone): it may be a SETUP's, and the reset ends the
 * control transfer anyway. On endpoints 1..7 such a kept flag is a packet like any other. */
static bool stop_out(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e, int *status)
{
	bool ended = false;
	uint16_t r = ep_nak(f, n, FSDEV_EP_STAT_RX);
	bool ep0_wiped = n == 0 && (r & FSDEV_EP_TYPE) != FSDEV_EP_TYPE_CONTROL;

	if ((r & FSDEV_EP_CTR_RX) && !(r & FSDEV_EP_SETUP) && !ep0_wiped) {
		fsdev_rx_settle(f);
		ended = ud_fsdev_out_take(f, e, ud_fsdev_rx_count(f, n), status);
		ud_fsdev_ep_modify(f, n, 0, 0, FSDEV_EP_CTR_RX);
	}
	return ended;
}

/* @return the bytes moved. On an endpoint a bus reset killed, those the transfer had moved
 * before the reset (on_reset() keeps them, as it keeps the transfer). A transfer whose last
 * packet the handler had not taken yet is reported here, as the handler would have (ud_port.h),
 * so the core does not restart what is over. */
static uint32_t op_ep_abort(struct ud_port *port, uint8_t ep)
{
	struct ud_fsdev *f = fsdev_of(port);
	struct ud_fsdev_ep *e = ud_fsdev_ep_of(f, ep);

	if (!e || !e->busy || fsdev_streaming(e))
		return 0; /* a stream's packets are committed, never reported: ep_stream stops it */
	uint8_t n = UD_EP_NUM(ep);
	uint32_t key = fsdev_lock();
	bool ended = false;
	int status = UD_OK;
	if (!e->dead)
		ended = UD_EP_IS_IN(ep) ? stop_in(f, n, e) : stop_out(f, n, e, &status);
	if (ep == 0x80u)
		fsdev_address_end(f, ended);
	e->busy = 0;
	if (ended)
		ud_port_report_xfer(f->port.dev, ep, e->done, status);
	fsdev_unlock(key);
	return e->done;
}

static void op_ep_stall(struct ud_port *port, uint8_t ep, bool stall)
{
	struct ud_fsdev *f = fsdev_of(port);
	struct ud_fsdev_ep *e = ud_fsdev_ep_of(f, ep);

	if (!e || !e->open)
		return;
	uint8_t n = UD_EP_NUM(ep);
	uint32_t key = fsdev_lock();
	/* A stall of EP0 is for the request the core is answering; a newer SETUP already ended
	 * that one (the hardware set both directions to NAK), so it must not be stalled. */
	if (!(n == 0 && ud_fsdev_ep0_superseded(f))) {
		bool in = UD_EP_IS_IN(ep);
		uint16_t stat = in ? FSDEV_EP_STAT_TX : FSDEV_EP_STAT_RX;
		uint16_t dtog = in ? FSDEV_EP_DTOG_TX : FSDEV_EP_DTOG_RX;
		uint16_t s = stall ? FSDEV_STAT_STALL : FSDEV_STAT_NAK;
		uint16_t value = in ? FSDEV_STAT_TX(s) : FSDEV_STAT_RX(s);
		/* A streaming endpoint may be VALID here, and its packet may move between the read
		 * and the write below (NAK set, DTOG flipped): toggles computed from VALID would then
		 * make DISABLED of a STALL, VALID of the clear's NAK and DATA1 of its DATA0. NAK it
		 * first (ep_nak() looks again); from NAK nothing moves. A packet that moved keeps
		 * its CTR flag for the handler (or stream_resume()). */
		if (n != 0)
			ep_nak(f, n, stat);
		/* Clearing a halt restarts the data toggle at DATA0, as the host does: the toggle
		 * joins the fields written, with the value 0 (a toggle write: 1 if it was 1). */
		ud_fsdev_ep_modify(f, n, stall ? stat : (uint16_t)(stat | dtog), value, 0);
	}
	if (n != 0)
		e->halted = stall ? 1u : 0u; /* EP0's stall ends with the next SETUP instead */
#if UD_STREAMS
	if (!stall && e->stream)
		stream_resume(f, ep, e);
#endif
	fsdev_unlock(key);
}

#if UD_STREAMS
/* ud_port.h's ep_stream: start or stop. With the interrupt masked, as ep_xfer and ep_abort
 * are: the handler commits and arms the same endpoint, and a packet committed by a stop must
 * not be committed by the handler too. */
static int op_ep_stream(struct ud_port *port, uint8_t ep, struct ud_stream *s)
{
	struct ud_fsdev *f = fsdev_of(port);
	struct ud_fsdev_ep *e = ud_fsdev_ep_of(f, ep);
	int rc = 0;

	if (!e || UD_EP_NUM(ep) == 0)
		return UD_ERR_STATE;
	uint32_t key = fsdev_lock();
	if (!s) {
		if (e->stream)
			stream_stop(f, ep, e);
	} else if (!(e->open || e->dead) || e->stream || e->busy) {
		rc = UD_ERR_STATE;
	} else {
		/* A dead endpoint (the core has not handled the reset yet) takes the stream and
		 * never arms: the core's close ends it. */
		e->stream = s;
		ud_fsdev_stream_arm(f, ep, e);
	}
	fsdev_unlock(key);
	return rc;
}

/* ud_port.h's ep_kick: arms the stream running on @p ep if its endpoint is idle (the arm
 * looks); anything else is ignored. Masked, as ep_stream. */
static void op_ep_kick(struct ud_port *port, uint8_t ep, struct ud_stream *s)
{
	struct ud_fsdev *f = fsdev_of(port);
	struct ud_fsdev_ep *e = ud_fsdev_ep_of(f, ep);

	if (!e || !s || UD_EP_NUM(ep) == 0)
		return;
	uint32_t key = fsdev_lock();
	if (e->stream == s)
		ud_fsdev_stream_arm(f, ep, e);
	fsdev_unlock(key);
}
#endif

static int op_remote_wakeup(struct ud_port *port)
{
	struct ud_fsdev *f = fsdev_of(port);

	if (!f->suspended)
		return UD_ERR_STATE;
	uint32_t key = fsdev_lock();
	/* Drive resume for 1..15 ms: from now until the third ESOF (one per missed frame, 1 ms
	 * apart); the handler clears RESUME then. */
	f->resume_esofs = 3;
	fsdev_wr(f, FSDEV_CNTR,
	         (uint16_t)(fsdev_rd(f, FSDEV_CNTR) | FSDEV_CNTR_RESUME | FSDEV_CNTR_ESOFM));
	fsdev_unlock(key);
	return 0;
}

static const struct ud_port_ops fsdev_ops = {
	.init = op_init,
	.deinit = op_deinit,
	.connect = op_connect,
	.set_address = op_set_address,
	.ep_open = op_ep_open,
	.ep_close = op_ep_close,
	.ep_xfer = op_ep_xfer,
	.ep_abort = op_ep_abort,
	.ep_stall = op_ep_stall,
#if UD_STREAMS
	.ep_stream = op_ep_stream,
	.ep_kick = op_ep_kick,
#endif
	.remote_wakeup = op_remote_wakeup,
};

#if defined(UD_FSDEV_HOSTED) && UD_STREAMS
/* The same controller as a port without streams (UD_FSDEV_SIM_NO_STREAMS). */
static const struct ud_port_ops fsdev_ops_no_streams = {
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
};
#endif

void ud_fsdev_init(struct ud_fsdev *f, const struct ud_fsdev_config *cfg)
{
	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	f->caps.ep_count = cfg->ep_count;
	if (f->caps.ep_count > UD_FSDEV_MAX_EP)
		f->caps.ep_count = UD_FSDEV_MAX_EP;
	if (f->caps.ep_count > UD_MAX_EP_NUM)
		f->caps.ep_count = UD_MAX_EP_NUM;
	if (f->caps.ep_count == 0)
		f->caps.ep_count = 1;
	f->caps.speeds = UD_SPEED_FULL;
	f->caps.flags = UD_PORT_NO_VBUS_SENSE | UD_PORT_ADDR_BEFORE_STATUS;
	f->caps.max_packet_fs = 64;
	f->caps.max_packet_hs = 0;
	f->port.ops = &fsdev_ops;
#if defined(UD_FSDEV_HOSTED) && UD_STREAMS
	if (cfg->flags & UD_FSDEV_SIM_NO_STREAMS)
		f->port.ops = &fsdev_ops_no_streams;
#endif
	f->port.caps = &f->caps;
	f->port.priv = f;
}
