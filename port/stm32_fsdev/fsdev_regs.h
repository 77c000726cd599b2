/* SPDX-License-Identifier: MIT */
/*
 * Private to port/stm32_fsdev: the peripheral's registers and the one thin layer every access
 * goes through. On the target an access is a volatile load or store; in host builds
 * (UD_FSDEV_HOSTED) it is a call into cfg.io, so the same driver code runs against the
 * register-level model in sim/. Nothing else in the port touches an address.
 *
 * Register facts are from the reference manuals' "USB full-speed device interface" chapter.
 */
#ifndef UD_FSDEV_REGS_H
#define UD_FSDEV_REGS_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_stm32_fsdev.h"

/* ---- register offsets from usb_base ---- */
#define FSDEV_EPR(n) ((uint32_t)(n)*4u) /* USB_EPnR, n = 0..7 */
#define FSDEV_CNTR 0x40u
#define FSDEV_ISTR 0x44u
#define FSDEV_FNR 0x48u
#define FSDEV_DADDR 0x4cu
#define FSDEV_BTABLE 0x50u
#define FSDEV_BCDR 0x58u

/* ---- USB_EPnR ---- */
#define FSDEV_EP_CTR_RX 0x8000u  /* rc_w0: an OUT or SETUP transaction completed */
#define FSDEV_EP_DTOG_RX 0x4000u /* t: writing 1 toggles */
#define FSDEV_EP_STAT_RX 0x3000u /* t */
#define FSDEV_EP_SETUP 0x0800u   /* r: the last reception was a SETUP */
#define FSDEV_EP_TYPE 0x0600u    /* rw */
#define FSDEV_EP_KIND 0x0100u    /* rw: double buffer (bulk) / STATUS_OUT (control) */
#define FSDEV_EP_CTR_TX 0x0080u  /* rc_w0: an IN transaction completed */
#define FSDEV_EP_DTOG_TX 0x0040u /* t */
#define FSDEV_EP_STAT_TX 0x0030u /* t */
#define FSDEV_EP_EA 0x000fu      /* rw: endpoint address */

#define FSDEV_EP_TYPE_BULK 0x0000u
#define FSDEV_EP_TYPE_CONTROL 0x0200u
#define FSDEV_EP_TYPE_ISO 0x0400u
#define FSDEV_EP_TYPE_INTERRUPT 0x0600u

/* STAT_RX / STAT_TX values, before shifting (RX: << 12, TX: << 4). */
#define FSDEV_STAT_DISABLED 0u
#define FSDEV_STAT_STALL 1u
#define FSDEV_STAT_NAK 2u
#define FSDEV_STAT_VALID 3u
#define FSDEV_STAT_RX(s) ((uint16_t)((s) << 12))
#define FSDEV_STAT_TX(s) ((uint16_t)((s) << 4))

/* Bits a write must carry to leave the register unchanged: rc_w0 bits as 1, toggle bits as 0,
 * the rw fields as they are. */
#define FSDEV_EP_RW (FSDEV_EP_TYPE | FSDEV_EP_KIND | FSDEV_EP_EA)
#define FSDEV_EP_CTR (FSDEV_EP_CTR_RX | FSDEV_EP_CTR_TX)

/* ---- USB_CNTR ---- */
#define FSDEV_CNTR_FRES 0x0001u
#define FSDEV_CNTR_PDWN 0x0002u
#define FSDEV_CNTR_LPMODE 0x0004u
#define FSDEV_CNTR_FSUSP 0x0008u
#define FSDEV_CNTR_RESUME 0x0010u
#define FSDEV_CNTR_ESOFM 0x0100u
#define FSDEV_CNTR_SOFM 0x0200u
#define FSDEV_CNTR_RESETM 0x0400u
#define FSDEV_CNTR_SUSPM 0x0800u
#define FSDEV_CNTR_WKUPM 0x1000u
#define FSDEV_CNTR_ERRM 0x2000u
#define FSDEV_CNTR_PMAOVRM 0x4000u
#define FSDEV_CNTR_CTRM 0x8000u

/* ---- USB_ISTR (flags 14:7 rc_w0; CTR, DIR, EP_ID read-only) ---- */
#define FSDEV_ISTR_EP_ID 0x000fu
#define FSDEV_ISTR_DIR 0x0010u
#define FSDEV_ISTR_L1REQ 0x0080u
#define FSDEV_ISTR_ESOF 0x0100u
#define FSDEV_ISTR_SOF 0x0200u
#define FSDEV_ISTR_RESET 0x0400u
#define FSDEV_ISTR_SUSP 0x0800u
#define FSDEV_ISTR_WKUP 0x1000u
#define FSDEV_ISTR_ERR 0x2000u
#define FSDEV_ISTR_PMAOVR 0x4000u
#define FSDEV_ISTR_CTR 0x8000u

#define FSDEV_FNR_FN 0x07ffu
#define FSDEV_DADDR_EF 0x0080u
#define FSDEV_BCDR_DPPU 0x8000u

/* ---- buffer descriptor table (in the PMA, at USB_BTABLE = 0) ---- */
#define FSDEV_BDT_TX_ADDR(n) ((uint16_t)((n)*8u + 0u))
#define FSDEV_BDT_TX_COUNT(n) ((uint16_t)((n)*8u + 2u))
#define FSDEV_BDT_RX_ADDR(n) ((uint16_t)((n)*8u + 4u))
#define FSDEV_BDT_RX_COUNT(n) ((uint16_t)((n)*8u + 6u))
#define FSDEV_COUNT_MASK 0x03ffu /* COUNTn_TX / COUNTn_RX byte count */
#define FSDEV_RX_BL_SIZE 0x8000u /* 32-byte blocks instead of 2-byte ones */
#define FSDEV_RX_NUM_BLOCK_SHIFT 10u

/* ---- the access layer ---- */

static inline uint8_t fsdev_pma_access(const struct ud_fsdev *f)
{
#ifdef UD_FSDEV_PMA_ACCESS
	(void)f;
	return UD_FSDEV_PMA_ACCESS; /* fixed at compile time: the other schemes drop out */
#else
	return f->cfg.pma_access;
#endif
}

/* The DRD generation has 32-bit registers; the others 16-bit ones in 32-bit slots. */
static inline uint8_t fsdev_reg_width(const struct ud_fsdev *f)
{
	return fsdev_pma_access(f) == UD_FSDEV_PMA_32 ? 32u : 16u;
}

static inline uint32_t fsdev_io_read(const struct ud_fsdev *f, uintptr_t addr, uint8_t width)
{
#ifdef UD_FSDEV_HOSTED
	return f->cfg.io->read(f->cfg.io_ctx, addr, width);
#else
	(void)f;
	if (width == 32u)
		return *(volatile const uint32_t *)addr;
	return *(volatile const uint16_t *)addr;
#endif
}

static inline void fsdev_io_write(const struct ud_fsdev *f, uintptr_t addr, uint32_t v,
                                  uint8_t width)
{
#ifdef UD_FSDEV_HOSTED
	f->cfg.io->write(f->cfg.io_ctx, addr, v, width);
#else
	(void)f;
	if (width == 32u)
		*(volatile uint32_t *)addr = v;
	else
		*(volatile uint16_t *)addr = (uint16_t)v;
#endif
}

static inline uint16_t fsdev_rd(const struct ud_fsdev *f, uint32_t off)
{
	return (uint16_t)fsdev_io_read(f, f->cfg.usb_base + off, fsdev_reg_width(f));
}

static inline void fsdev_wr(const struct ud_fsdev *f, uint32_t off, uint16_t v)
{
	fsdev_io_write(f, f->cfg.usb_base + off, v, fsdev_reg_width(f));
}

/* Interrupts off for a few register writes the handler also makes; returns what to restore.
 * PRIMASK rather than the NVIC: the port does not know its interrupt number. */
static inline uint32_t fsdev_lock(void)
{
#if !defined(UD_FSDEV_HOSTED) && defined(__ARM_ARCH)
	uint32_t primask;
	__asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
	return primask;
#else
	return 0;
#endif
}

static inline void fsdev_unlock(uint32_t primask)
{
#if !defined(UD_FSDEV_HOSTED) && defined(__ARM_ARCH)
	__asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
#else
	(void)primask;
#endif
}

/* ---- endpoint register writes that respect the toggle and rc_w0 bits ---- */

/*
 * Change EPnR: the rw fields become those of @rw (unless @keep_rw), the toggle fields selected
 * by @tmask become the values in @tval, the CTR bits in @clr are cleared, everything else stays.
 * A toggle field is written as (current ^ wanted), so it is read fresh here: the hardware may
 * have changed a STAT field since the caller last looked (it sets NAK after a transaction).
 */
void ud_fsdev_ep_write(const struct ud_fsdev *f, uint8_t n, uint16_t rw, uint16_t tmask,
                       uint16_t tval, uint16_t clr);

/* Keep the rw fields, set the toggle fields in @tmask to @tval, clear the CTR bits in @clr. */
void ud_fsdev_ep_modify(const struct ud_fsdev *f, uint8_t n, uint16_t tmask, uint16_t tval,
                        uint16_t clr);

/* ---- packet memory (fsdev_pma.c) ---- */

/* Write one 16-bit entry of the buffer descriptor table. */
void ud_fsdev_bdt_write(const struct ud_fsdev *f, uint16_t at, uint16_t v);
uint16_t ud_fsdev_bdt_read(const struct ud_fsdev *f, uint16_t at);

/* Copy @n bytes between RAM and the packet buffer at PMA address @pma (even; 4-aligned for
 * UD_FSDEV_PMA_32). A trailing odd byte is padded / dropped. */
void ud_fsdev_pma_write(const struct ud_fsdev *f, uint16_t pma, const uint8_t *src, uint16_t n);
void ud_fsdev_pma_read(const struct ud_fsdev *f, uint16_t pma, uint8_t *dst, uint16_t n);

/* The COUNTn_RX allocation field (BL_SIZE, NUM_BLOCK) for a buffer of at least @size bytes
 * (1..1024), and the bytes it really allocates in *@alloc. */
uint16_t ud_fsdev_rx_count_field(uint16_t size, uint16_t *alloc);

#endif /* UD_FSDEV_REGS_H */
