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

#include <stddef.h>

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

/* Load the @cnt bytes at @src (0: a ZLP) as IN @e's packet on endpoint number @n and make it
 * VALID; e->last is @cnt. */
void ud_fsdev_tx_load(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e, const uint8_t *src,
                      uint16_t cnt);

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

/* @e streams (ud_stream.h): its packets are committed to a ring, never reported. */
static inline bool fsdev_streaming(const struct ud_fsdev_ep *e)
{
#if UD_STREAMS
	return e->stream != NULL;
#else
	(void)e;
	return false;
#endif
}

#if UD_STREAMS
#include "udcore/ud_stream.h"

/*
 * Streams (ud_stream.h). A streaming endpoint's `busy` means a packet is armed (IN: loaded in
 * the packet memory, e->last bytes; OUT: to be copied to e->buf), or has moved and waits for
 * the handler to commit it. Nothing arms an endpoint that is busy, halted or not open (dead
 * after a bus reset: its register was wiped).
 */

/* Arm streaming endpoint @ep (state @e) for its stream's next packet if it is idle and the
 * ring has room (OUT) or something to send (IN); else the stream is left `starved` and the
 * class's kick comes. Interrupt context, or task context with the interrupt masked. */
void ud_fsdev_stream_arm(struct ud_fsdev *f, uint8_t ep, struct ud_fsdev_ep *e);

/* Streaming OUT @e on endpoint number @n received a packet (CTR_RX, not cleared here): copy it
 * from the packet memory to where it was armed (e->buf). @return its length, at most the max
 * packet size (a longer one, which a buffer rounded up lets in, loses the excess). */
uint16_t ud_fsdev_stream_rx(struct ud_fsdev *f, uint8_t n, struct ud_fsdev_ep *e);
#endif

#endif /* UD_FSDEV_INTERNAL_H */
