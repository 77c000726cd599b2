/* SPDX-License-Identifier: MIT */
/*
 * Writes to USB_EPnR. The register mixes three kinds of bits, and a careless write changes
 * what it should not:
 *   CTR_RX, CTR_TX        rc_w0: writing 0 clears, writing 1 leaves them (so the hardware can
 *                         set one between our read and our write without losing it);
 *   DTOG_*, STAT_*        toggle: writing 1 flips the bit, 0 leaves it (to set a value, write
 *                         current XOR wanted);
 *   EP_TYPE, EP_KIND, EA  plain read/write; SETUP is read-only.
 */
#include "fsdev_regs.h"

void ud_fsdev_ep_write(const struct ud_fsdev *f, uint8_t n, uint16_t rw, uint16_t tmask,
                       uint16_t tval, uint16_t clr)
{
	uint16_t cur = fsdev_rd(f, FSDEV_EPR(n));
	uint16_t v =
		(uint16_t)((rw & FSDEV_EP_RW) | (FSDEV_EP_CTR & ~clr) | ((cur ^ tval) & tmask));

	fsdev_wr(f, FSDEV_EPR(n), v);
}

void ud_fsdev_ep_modify(const struct ud_fsdev *f, uint8_t n, uint16_t tmask, uint16_t tval,
                        uint16_t clr)
{
	uint16_t cur = fsdev_rd(f, FSDEV_EPR(n));
	uint16_t v =
		(uint16_t)((cur & FSDEV_EP_RW) | (FSDEV_EP_CTR & ~clr) | ((cur ^ tval) & tmask));

	fsdev_wr(f, FSDEV_EPR(n), v);
}
