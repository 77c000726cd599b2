/* SPDX-License-Identifier: MIT */
/* The fsdev model's CPU side: registers with their write semantics and the packet memory in
 * its three access schemes. See fsdev_model.h; the bus side is in fsdev_model_bus.c. */
#include <string.h>

#include "fsdev_model_regs.h"

const struct ud_fsdev_model_config ud_fsdev_model_f072 = {
	.access = UD_FSDEV_PMA_16,
	.pma_size = 1024,
	.ep_count = 8,
	.internal_pullup = true,
};

const struct ud_fsdev_io ud_fsdev_model_io = {
	.read = ud_fsdev_model_read,
	.write = ud_fsdev_model_write,
};

void ud_fsdev_model_init(struct ud_fsdev_model *m, const struct ud_fsdev_model_config *cfg)
{
	memset(m, 0, sizeof(*m));
	m->access = cfg->access;
	m->pma_size = cfg->pma_size <= UD_FSDEV_MODEL_PMA_MAX ? cfg->pma_size
	                                                      : (uint16_t)UD_FSDEV_MODEL_PMA_MAX;
	m->ep_count = cfg->ep_count <= UD_FSDEV_MAX_EP ? cfg->ep_count : UD_FSDEV_MAX_EP;
	m->internal_pullup = cfg->internal_pullup ? 1u : 0u;
	m->cntr = M_FRES | M_PDWN; /* the reset value */
}

uint16_t m_pma16(const struct ud_fsdev_model *m, uint32_t at)
{
	if (at + 2u > m->pma_size)
		return 0;
	return (uint16_t)(m->pma[at] | (m->pma[at + 1u] << 8));
}

void m_set_pma16(struct ud_fsdev_model *m, uint32_t at, uint16_t v)
{
	if (at + 2u > m->pma_size)
		return;
	m->pma[at] = (uint8_t)v;
	m->pma[at + 1u] = (uint8_t)(v >> 8);
}

void m_usb_reset(struct ud_fsdev_model *m)
{
	/* Every field but the completion flags, which the reference manuals keep so that a
	 * transaction completed just before the reset is not lost to its interrupt handler. */
	for (unsigned i = 0; i < UD_FSDEV_MAX_EP; i++)
		m->epr[i] &= (uint16_t)(M_CTR_RX | M_CTR_TX);
	m->daddr = 0;
	m->istr |= M_ISTR_RESET;
}

uint16_t ud_fsdev_model_istr(const struct ud_fsdev_model *m)
{
	uint16_t v = m->istr & M_ISTR_FLAGS;

	/* EP_ID: the lowest endpoint with a transaction done; DIR 1 if it received one. */
	for (unsigned i = 0; i < m->ep_count; i++) {
		uint16_t r = m->epr[i];
		if (!(r & (M_CTR_RX | M_CTR_TX)))
			continue;
		v |= (uint16_t)(M_ISTR_CTR | i);
		if (r & M_CTR_RX)
			v |= M_ISTR_DIR;
		break;
	}
	return v;
}

bool ud_fsdev_model_irq_line(const struct ud_fsdev_model *m)
{
	/* The mask bits of USB_CNTR sit at the positions of the flags they enable. */
	return (ud_fsdev_model_istr(m) & m->cntr & 0xff80u) != 0;
}

/* ---- registers ---- */

static void write_epr(struct ud_fsdev_model *m, unsigned n, uint16_t v)
{
	uint16_t old = m->epr[n];
	uint16_t r = (uint16_t)((old & ~M_RW) | (v & M_RW)); /* rw fields */
	r = (uint16_t)((r & ~(M_CTR_RX | M_CTR_TX)) |        /* rc_w0: 0 clears */
	               (old & v & (M_CTR_RX | M_CTR_TX)));
	r ^= (uint16_t)(v & M_TOGGLE); /* toggle: 1 flips */
	m->epr[n] = r;                 /* SETUP is read-only: kept from old */
}

static void write_cntr(struct ud_fsdev_model *m, uint16_t v)
{
	uint16_t old = m->cntr;

	m->cntr = v;
	if ((v & M_FRES) && !(old & M_FRES))
		m_usb_reset(m); /* forced reset: exactly like a reset on the bus */
	if ((v & M_RESUME) && !(old & M_RESUME) && m->bus_suspended) {
		/* Remote wakeup: the host answers with resume signalling of its own. */
		m->stats.remote_wakeups++;
		m->bus_suspended = 0;
		m->istr |= M_ISTR_WKUP;
	}
}

static bool reg_width_ok(const struct ud_fsdev_model *m, uintptr_t off, uint8_t width)
{
	uint8_t want = m->access == UD_FSDEV_PMA_32 ? 32u : 16u;
	return width == want && off % 4u == 0;
}

static uint32_t read_reg(struct ud_fsdev_model *m, uintptr_t off, uint8_t width)
{
	if (!reg_width_ok(m, off, width)) {
		m->stats.bad_access++;
		return 0;
	}
	if (off < 4u * UD_FSDEV_MAX_EP && off / 4u < m->ep_count)
		return m->epr[off / 4u];
	switch (off) {
	case M_OFF_CNTR:
		return m->cntr;
	case M_OFF_ISTR:
		return ud_fsdev_model_istr(m);
	case M_OFF_FNR:
		return m->fnr;
	case M_OFF_DADDR:
		return m->daddr;
	case M_OFF_BTABLE:
		return m->btable;
	case M_OFF_LPMCSR:
		return 0;
	case M_OFF_BCDR:
		return m->bcdr;
	default:
		m->stats.bad_access++; /* a register this chip does not have */
		return 0;
	}
}

static void write_reg(struct ud_fsdev_model *m, uintptr_t off, uint32_t value, uint8_t width)
{
	uint16_t v = (uint16_t)value;

	if (!reg_width_ok(m, off, width)) {
		m->stats.bad_access++;
		return;
	}
	if (off < 4u * UD_FSDEV_MAX_EP && off / 4u < m->ep_count) {
		write_epr(m, (unsigned)(off / 4u), v);
		return;
	}
	switch (off) {
	case M_OFF_CNTR:
		write_cntr(m, v);
		return;
	case M_OFF_ISTR:
		m->istr &= (uint16_t)(v | ~M_ISTR_FLAGS); /* rc_w0; CTR, DIR, EP_ID read-only */
		return;
	case M_OFF_DADDR:
		m->daddr = v & 0xffu;
		return;
	case M_OFF_BTABLE:
		if (m->access == UD_FSDEV_PMA_32)
			break; /* the DRD generation has no USB_BTABLE */
		m->btable = v & 0xfff8u;
		return;
	case M_OFF_LPMCSR:
		return;
	case M_OFF_BCDR:
		m->bcdr = v;
		return;
	default:
		break;
	}
	m->stats.bad_access++; /* FNR is read-only; anything else does not exist */
}

/* ---- packet memory ---- */

/* The PMA byte address of CPU address offset @off for an access of @width, or -1 if the
 * access is not one the scheme allows. */
static long pma_at(const struct ud_fsdev_model *m, uintptr_t off, uint8_t width)
{
	uintptr_t at;

	switch (m->access) {
	case UD_FSDEV_PMA_16_STRIDE32:
		if (width != 16u || off % 4u)
			return -1;
		at = off / 2u;
		break;
	case UD_FSDEV_PMA_16:
		if (width != 16u || off % 2u)
			return -1;
		at = off;
		break;
	default:
		if (width != 32u || off % 4u)
			return -1;
		at = off;
		break;
	}
	return at + width / 8u <= m->pma_size ? (long)at : -1;
}

static uint32_t read_pma(struct ud_fsdev_model *m, uintptr_t off, uint8_t width)
{
	long at = pma_at(m, off, width);
	uint32_t v = 0;

	if (at < 0) {
		m->stats.bad_access++;
		return 0;
	}
	for (unsigned k = 0; k < width / 8u; k++)
		v |= (uint32_t)m->pma[(size_t)at + k] << (8u * k);
	return v;
}

static void write_pma(struct ud_fsdev_model *m, uintptr_t off, uint32_t v, uint8_t width)
{
	long at = pma_at(m, off, width);

	if (at < 0) {
		m->stats.bad_access++;
		return;
	}
	for (unsigned k = 0; k < width / 8u; k++)
		m->pma[(size_t)at + k] = (uint8_t)(v >> (8u * k));
}

static bool in_pma_window(const struct ud_fsdev_model *m, uintptr_t addr)
{
	uintptr_t span = m->access == UD_FSDEV_PMA_16_STRIDE32 ? 2u * m->pma_size : m->pma_size;
	return addr >= UD_FSDEV_MODEL_PMA_BASE && addr < UD_FSDEV_MODEL_PMA_BASE + span;
}

uint32_t ud_fsdev_model_read(void *model, uintptr_t addr, uint8_t width)
{
	struct ud_fsdev_model *m = model;

	if (addr >= UD_FSDEV_MODEL_USB_BASE && addr < UD_FSDEV_MODEL_USB_BASE + 0x60u)
		return read_reg(m, addr - UD_FSDEV_MODEL_USB_BASE, width);
	if (in_pma_window(m, addr))
		return read_pma(m, addr - UD_FSDEV_MODEL_PMA_BASE, width);
	m->stats.bad_access++;
	return 0;
}

void ud_fsdev_model_write(void *model, uintptr_t addr, uint32_t value, uint8_t width)
{
	struct ud_fsdev_model *m = model;

	if (addr >= UD_FSDEV_MODEL_USB_BASE && addr < UD_FSDEV_MODEL_USB_BASE + 0x60u)
		write_reg(m, addr - UD_FSDEV_MODEL_USB_BASE, value, width);
	else if (in_pma_window(m, addr))
		write_pma(m, addr - UD_FSDEV_MODEL_PMA_BASE, value, width);
	else
		m->stats.bad_access++;
}
