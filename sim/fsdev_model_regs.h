/* SPDX-License-Identifier: MIT */
/*
 * Private to the fsdev model (fsdev_model.c, fsdev_model_bus.c): the register layout, written
 * down again from the reference manual rather than taken from the port, so that a wrong bit in
 * the port is not mirrored by the model that tests it.
 */
#ifndef UD_SIM_FSDEV_MODEL_REGS_H
#define UD_SIM_FSDEV_MODEL_REGS_H

#include "fsdev_model.h"

/* USB_EPnR */
#define M_CTR_RX 0x8000u
#define M_DTOG_RX 0x4000u
#define M_STAT_RX_SHIFT 12u
#define M_SETUP 0x0800u
#define M_EP_TYPE_SHIFT 9u
#define M_EP_KIND 0x0100u
#define M_CTR_TX 0x0080u
#define M_DTOG_TX 0x0040u
#define M_STAT_TX_SHIFT 4u
#define M_EA 0x000fu
#define M_RW (0x0600u | M_EP_KIND | M_EA)
#define M_TOGGLE (M_DTOG_RX | (3u << M_STAT_RX_SHIFT) | M_DTOG_TX | (3u << M_STAT_TX_SHIFT))

enum {
	M_DISABLED = 0,
	M_STALL = 1,
	M_NAK = 2,
	M_VALID = 3
}; /* STAT_RX / STAT_TX */
enum {
	M_BULK = 0,
	M_CONTROL = 1,
	M_ISO = 2,
	M_INTERRUPT = 3
}; /* EP_TYPE */

/* USB_CNTR */
#define M_FRES 0x0001u
#define M_PDWN 0x0002u
#define M_FSUSP 0x0008u
#define M_RESUME 0x0010u

/* USB_ISTR */
#define M_ISTR_CTR 0x8000u
#define M_ISTR_FLAGS 0x7f80u /* PMAOVR ERR WKUP SUSP RESET SOF ESOF L1REQ: rc_w0 */
#define M_ISTR_WKUP 0x1000u
#define M_ISTR_SUSP 0x0800u
#define M_ISTR_RESET 0x0400u
#define M_ISTR_SOF 0x0200u
#define M_ISTR_ESOF 0x0100u
#define M_ISTR_DIR 0x0010u

#define M_DADDR_EF 0x0080u
#define M_BCDR_DPPU 0x8000u

/* Register offsets */
#define M_OFF_CNTR 0x40u
#define M_OFF_ISTR 0x44u
#define M_OFF_FNR 0x48u
#define M_OFF_DADDR 0x4cu
#define M_OFF_BTABLE 0x50u
#define M_OFF_LPMCSR 0x54u
#define M_OFF_BCDR 0x58u

static inline unsigned m_stat_rx(uint16_t r)
{
	return (r >> M_STAT_RX_SHIFT) & 3u;
}

static inline unsigned m_stat_tx(uint16_t r)
{
	return (r >> M_STAT_TX_SHIFT) & 3u;
}

static inline uint16_t m_with_stat_rx(uint16_t r, unsigned s)
{
	return (uint16_t)((r & ~(3u << M_STAT_RX_SHIFT)) | (s << M_STAT_RX_SHIFT));
}

static inline uint16_t m_with_stat_tx(uint16_t r, unsigned s)
{
	return (uint16_t)((r & ~(3u << M_STAT_TX_SHIFT)) | (s << M_STAT_TX_SHIFT));
}

/* A 16-bit entry of the buffer descriptor table, by PMA address (little-endian bytes). */
uint16_t m_pma16(const struct ud_fsdev_model *m, uint32_t at);
void m_set_pma16(struct ud_fsdev_model *m, uint32_t at, uint16_t v);

/* Every EPnR field but CTR_RX and CTR_TX zeroed, DADDR zeroed, RESET flagged: a bus reset or
 * USB_CNTR.FRES. */
void m_usb_reset(struct ud_fsdev_model *m);

#endif /* UD_SIM_FSDEV_MODEL_REGS_H */
