/* SPDX-License-Identifier: MIT */
/*
 * Private to port/stm32_fsdev: what its parts share.
 *
 *   fsdev_regs.h/.c  the register map and the access layer (toggle-safe EPnR writes)
 *   fsdev_pma.c      packet memory and buffer descriptor table, three access schemes
 *   fsdev_port.c     the port operations (task context)
 *   fsdev_irq.c      the interrupt handler
 */
#ifndef UD_FSDEV_INTERNAL_H
#define UD_FSDEV_INTERNAL_H

#include "fsdev_regs.h"
#include "udcore/ud_ch9.h"
#include "udcore/ud_channel.h"

/* State of endpoint address @ep, or NULL if this controller has no such endpoint. */
struct ud_fsdev_ep *ud_fsdev_ep_of(struct ud_fsdev *f, uint8_t ep);

/* A newer SETUP is waiting: in EP0's buffer (CTR_RX with SETUP, the handler has not run), or
 * reported and not yet taken by the core. Nothing may arm or stall EP0 then: that would act
 * on the new request, not the old one the core is still answering (ud_port.h). Call it with
 * the interrupt masked, so the handler cannot move the SETUP between the two checks. */
bool ud_fsdev_ep0_superseded(const struct ud_fsdev *f);

/* Load the next IN packet of the transfer on endpoint number @n and make it VALID. */
void ud_fsdev_in_load(struct ud_fsdev *f, uint8_t n);

/* Make OUT endpoint number @n VALID. */
void ud_fsdev_out_arm(struct ud_fsdev *f, uint8_t n);

/* A reception completed: let the packet memory settle before it is read (the board's
 * ud_fsdev_config.rx_settle, for parts with that erratum). */
static inline void fsdev_rx_settle(const struct ud_fsdev *f)
{
	if (f->cfg.rx_settle)
		f->cfg.rx_settle();
}

/* The byte count of COUNTn_RX. */
uint16_t ud_fsdev_rx_count(const struct ud_fsdev *f, uint8_t n);

/* The host acknowledged IN @e's packet loaded last: it counts in e->done. @return whether the
 * transfer is over (its last packet, or the ZLP of a zero-length transfer). */
static inline bool fsdev_in_acked(struct ud_fsdev_ep *e)
{
	e->done += e->last;
	e->last = 0;
	return e->done >= e->len;
}

/* Copy what fits of the @count bytes received in OUT @e's buffer to its transfer (e->done
 * grows). @return whether the packet ends the transfer (short, the buffer full, or more than
 * fit), and then its status in *@status. */
bool ud_fsdev_out_take(struct ud_fsdev *f, struct ud_fsdev_ep *e, uint16_t count, int *status);

/* The status stage of SET_ADDRESS ended: if the host acknowledged its IN packet (@acked), the
 * address op_set_address() latched takes effect now, in the handler, so the device answers at
 * it within USB 2.0's 2 ms recovery time however late the core's task runs; else it is
 * dropped, as the host never saw the request succeed. */
static inline void fsdev_address_end(struct ud_fsdev *f, bool acked)
{
	if (!(f->new_address & 0x80u))
		return;
	if (acked)
		fsdev_wr(f, FSDEV_DADDR, (uint16_t)(FSDEV_DADDR_EF | (f->new_address & 0x7fu)));
	f->new_address = 0;
}

/* EP0 as after a bus reset: control type, both directions NAK, DATA0, its buffers in the
 * descriptor table. */
void ud_fsdev_ep0_configure(struct ud_fsdev *f);

#endif /* UD_FSDEV_INTERNAL_H */
