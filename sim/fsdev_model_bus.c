/* SPDX-License-Identifier: MIT */
/* The fsdev model's bus side: what the hardware does with a host's transactions and bus
 * events (the table in fsdev_model.h); and the simulated controller (port + model). */
#include <stdlib.h>
#include <string.h>

#include "fsdev_model_regs.h"
#include "udcore/ud_ch9.h"

static bool pulled_up(const struct ud_fsdev_model *m)
{
	return m->internal_pullup ? (m->bcdr & M_BCDR_DPPU) != 0 : m->board_pullup != 0;
}

bool ud_fsdev_model_attached(const struct ud_fsdev_model *m)
{
	return m->vbus && pulled_up(m);
}

/* The macrocell runs: transceiver powered and not held in reset. */
static bool running(const struct ud_fsdev_model *m)
{
	return ud_fsdev_model_attached(m) && !(m->cntr & (M_PDWN | M_FRES));
}

uint8_t ud_fsdev_model_address(const struct ud_fsdev_model *m)
{
	return m->daddr & 0x7fu;
}

/* A token to @addr gets any answer at all: the function is enabled at that address, and no
 * reset is pending (reception and transmission stay off until USB_ISTR.RESET is cleared). */
static bool answering(const struct ud_fsdev_model *m, uint8_t addr)
{
	return running(m) && (m->daddr & M_DADDR_EF) && ud_fsdev_model_address(m) == addr &&
	       !(m->istr & M_ISTR_RESET);
}

static uint32_t bdt_base(const struct ud_fsdev_model *m)
{
	return m->access == UD_FSDEV_PMA_32 ? 0u : m->btable;
}

static uint16_t bdt(const struct ud_fsdev_model *m, unsigned n, unsigned entry)
{
	return m_pma16(m, bdt_base(m) + 8u * n + entry);
}

static void set_bdt(struct ud_fsdev_model *m, unsigned n, unsigned entry, uint16_t v)
{
	m_set_pma16(m, bdt_base(m) + 8u * n + entry, v);
}

enum {
	TX_ADDR = 0,
	TX_COUNT = 2,
	RX_ADDR = 4,
	RX_COUNT = 6
};

/* Bytes the COUNTn_RX allocation field gives the buffer. */
static uint16_t rx_alloc(uint16_t count_rx)
{
	uint16_t blocks = (count_rx >> 10) & 0x1fu;
	return (count_rx & 0x8000u) ? (uint16_t)(32u * (blocks + 1u)) : (uint16_t)(2u * blocks);
}

/* The register whose EA is @epnum and whose direction is not disabled, or -1. */
static int find(const struct ud_fsdev_model *m, uint8_t epnum, bool rx)
{
	for (unsigned i = 0; i < m->ep_count; i++) {
		uint16_t r = m->epr[i];
		unsigned stat = rx ? m_stat_rx(r) : m_stat_tx(r);
		if ((r & M_EA) == epnum && stat != M_DISABLED)
			return (int)i;
	}
	return -1;
}

/* Register @n answers a token for endpoint number @epnum. Another register with the same
 * address and a direction enabled is a port bug (the reference manuals leave what the
 * hardware then does undefined): counted as a bad access. */
static void check_clash(struct ud_fsdev_model *m, int n, uint8_t epnum)
{
	for (unsigned i = 0; i < m->ep_count; i++) {
		uint16_t r = m->epr[i];
		if ((int)i != n && (r & M_EA) == epnum &&
		    (m_stat_rx(r) != M_DISABLED || m_stat_tx(r) != M_DISABLED)) {
			m->stats.bad_access++;
			return;
		}
	}
}

/* Store a received packet in register @n's RX buffer; false (counted) if the port pointed
 * the buffer outside the PMA. */
static bool store(struct ud_fsdev_model *m, unsigned n, const uint8_t *data, uint16_t len)
{
	uint32_t at = bdt(m, n, RX_ADDR);

	if (at + len > m->pma_size) {
		m->stats.bad_access++;
		return false;
	}
	if (len)
		memcpy(m->pma + at, data, len);
	uint16_t count = bdt(m, n, RX_COUNT);
	set_bdt(m, n, RX_COUNT, (uint16_t)((count & 0xfc00u) | len));
	return true;
}

static void activity(struct ud_fsdev_model *m);

/* A packet or SOF on the bus is activity: a peripheral in suspend mode (FSUSP), or with SUSP
 * pending, wakes (WKUP), as its resume detection does for any non-idle line state. So a
 * handler that enters suspend while the bus runs is woken by the next frame's SOF. */
static void traffic(struct ud_fsdev_model *m)
{
	if (running(m) && ((m->cntr & M_FSUSP) || (m->istr & M_ISTR_SUSP)))
		activity(m);
}

bool ud_fsdev_model_wake_due(const struct ud_fsdev_model *m)
{
	return running(m) && (m->cntr & M_FSUSP) && !m->bus_suspended;
}

bool ud_fsdev_model_sof_wakes(const struct ud_fsdev_model *m)
{
	return ud_fsdev_model_wake_due(m) && !(m->istr & M_ISTR_WKUP);
}

enum ud_vdc_result ud_fsdev_model_setup(struct ud_fsdev_model *m, uint8_t addr,
                                        const uint8_t raw[8])
{
	traffic(m);
	if (!raw || !answering(m, addr))
		return UD_VDC_TIMEOUT;
	int n = -1;
	for (unsigned i = 0; i < m->ep_count && n < 0; i++)
		if ((m->epr[i] & M_EA) == 0 && ((m->epr[i] >> M_EP_TYPE_SHIFT) & 3u) == M_CONTROL &&
		    m_stat_rx(m->epr[i]) != M_DISABLED)
			n = (int)i;
	if (n < 0)
		return UD_VDC_TIMEOUT;
	check_clash(m, n, 0);
	uint16_t r = m->epr[n];
	/* The last reception is not taken yet: the SETUP is discarded without a handshake. */
	if (r & M_CTR_RX) {
		m->stats.setups_dropped++;
		return UD_VDC_TIMEOUT;
	}
	if (rx_alloc(bdt(m, (unsigned)n, RX_COUNT)) < 8u) {
		m->stats.overruns++;
		return UD_VDC_STALL;
	}
	if (!store(m, (unsigned)n, raw, 8))
		return UD_VDC_TIMEOUT;
	/* Taken whatever STAT_RX says (a SETUP is never NAKed or STALLed); both directions NAK
	 * until software decides; DTOG_RX cleared then flipped by the DATA0 packet, DTOG_TX 1. */
	r = m_with_stat_tx(m_with_stat_rx(r, M_NAK), M_NAK);
	r |= M_SETUP | M_CTR_RX | M_DTOG_RX | M_DTOG_TX;
	m->epr[n] = r;
	return UD_VDC_ACK;
}

/* STALL or NAK for a direction that is not VALID (counted), else ACK. */
static enum ud_vdc_result handshake(struct ud_fsdev_model *m, unsigned stat)
{
	if (stat == M_STALL) {
		m->stats.stalls++;
		return UD_VDC_STALL;
	}
	if (stat == M_NAK) {
		m->stats.naks++;
		return UD_VDC_NAK;
	}
	return UD_VDC_ACK;
}

enum ud_vdc_result ud_fsdev_model_out(struct ud_fsdev_model *m, uint8_t addr, uint8_t epnum,
                                      const uint8_t *data, uint16_t len, uint8_t pid)
{
	traffic(m);
	if (epnum > 0x0fu || pid > 1u || (len && !data) || !answering(m, addr))
		return UD_VDC_TIMEOUT;
	int n = find(m, epnum, true);
	if (n < 0)
		return UD_VDC_TIMEOUT;
	check_clash(m, n, epnum);
	uint16_t r = m->epr[n];
	enum ud_vdc_result v = handshake(m, m_stat_rx(r));
	if (v != UD_VDC_ACK)
		return v;
	/* Longer than the buffer: written only up to its end, then STALL, no interrupt. */
	if (len > rx_alloc(bdt(m, (unsigned)n, RX_COUNT))) {
		m->stats.overruns++;
		return UD_VDC_STALL;
	}
	/* A DATA PID that is not the expected one is a retransmission: ACK and drop it. */
	if (pid != ((r & M_DTOG_RX) ? 1u : 0u))
		return UD_VDC_ACK;
	if (!store(m, (unsigned)n, data, len))
		return UD_VDC_TIMEOUT;
	r = m_with_stat_rx(r, M_NAK);
	r ^= M_DTOG_RX;
	r = (uint16_t)((r & ~M_SETUP) | M_CTR_RX);
	m->epr[n] = r;
	return UD_VDC_ACK;
}

enum ud_vdc_result ud_fsdev_model_in(struct ud_fsdev_model *m, uint8_t addr, uint8_t epnum,
                                     uint8_t *data, uint16_t cap, uint16_t *len, uint8_t *pid)
{
	if (!len || !pid || epnum > 0x0fu)
		return UD_VDC_TIMEOUT;
	*len = 0;
	traffic(m);
	if (!answering(m, addr))
		return UD_VDC_TIMEOUT;
	int n = find(m, epnum, false);
	if (n < 0)
		return UD_VDC_TIMEOUT;
	check_clash(m, n, epnum);
	uint16_t r = m->epr[n];
	enum ud_vdc_result v = handshake(m, m_stat_tx(r));
	if (v != UD_VDC_ACK)
		return v;
	uint16_t cnt = bdt(m, (unsigned)n, TX_COUNT) & 0x03ffu;
	uint32_t at = bdt(m, (unsigned)n, TX_ADDR);
	if (cnt > cap || (cnt && !data))
		return UD_VDC_TIMEOUT; /* the host could not take it: nothing moved */
	if (at + cnt > m->pma_size) {
		m->stats.bad_access++;
		return UD_VDC_TIMEOUT;
	}
	if (cnt)
		memcpy(data, m->pma + at, cnt);
	*len = cnt;
	*pid = (r & M_DTOG_TX) ? 1u : 0u;
	r = m_with_stat_tx(r, M_NAK);
	r ^= M_DTOG_TX; /* the host's ACK */
	m->epr[n] = (uint16_t)(r | M_CTR_TX);
	return UD_VDC_ACK;
}

/* ---- bus events ---- */

/* Activity on an idle bus wakes the peripheral if it is in suspend mode, or about to be. */
static void activity(struct ud_fsdev_model *m)
{
	if ((m->cntr & M_FSUSP) || (m->istr & M_ISTR_SUSP))
		m->istr |= M_ISTR_WKUP;
	m->bus_suspended = 0;
}

void ud_fsdev_model_vbus(struct ud_fsdev_model *m, bool on)
{
	bool was = running(m);

	m->vbus = on ? 1u : 0u;
	/* No VBUS sensing: an unplugged device just sees the bus go idle. */
	if (!on && was && !m->bus_suspended) {
		m->bus_suspended = 1;
		m->istr |= M_ISTR_SUSP;
	}
}

void ud_fsdev_model_bus_reset(struct ud_fsdev_model *m)
{
	if (!running(m))
		return;
	if (m->bus_suspended || (m->cntr & M_FSUSP) || (m->istr & M_ISTR_SUSP))
		activity(m);
	m_usb_reset(m);
}

void ud_fsdev_model_suspend(struct ud_fsdev_model *m)
{
	if (!running(m) || m->bus_suspended)
		return;
	m->bus_suspended = 1;
	m->istr |= M_ISTR_SUSP;
}

void ud_fsdev_model_resume(struct ud_fsdev_model *m)
{
	if (!running(m) || !m->bus_suspended)
		return;
	activity(m);
}

void ud_fsdev_model_sof(struct ud_fsdev_model *m, uint16_t frame)
{
	if (!running(m))
		return;
	traffic(m);
	m->fnr = (uint16_t)((m->fnr & ~0x07ffu) | (frame & 0x07ffu));
	m->istr |= M_ISTR_SOF;
}

void ud_fsdev_model_tick_ms(struct ud_fsdev_model *m)
{
	if (running(m))
		m->istr |= M_ISTR_ESOF;
}

void ud_fsdev_model_board_pullup(struct ud_fsdev_model *m, bool on)
{
	m->board_pullup = on ? 1u : 0u;
}

/* The register serving endpoint address @ep, or -1. */
static int serving(const struct ud_fsdev_model *m, uint8_t ep)
{
	return find(m, ep & 0x0fu, !(ep & 0x80u));
}

uint8_t ud_fsdev_model_ep_type(const struct ud_fsdev_model *m, uint8_t ep)
{
	static const uint8_t usb_type[4] = {UD_EP_BULK, UD_EP_CONTROL, UD_EP_ISOCHRONOUS,
	                                    UD_EP_INTERRUPT};
	int n = serving(m, ep);
	return n < 0 ? 0u : usb_type[(m->epr[n] >> M_EP_TYPE_SHIFT) & 3u];
}

uint16_t ud_fsdev_model_ep_buffer(const struct ud_fsdev_model *m, uint8_t ep)
{
	int n = serving(m, ep);
	if (n < 0)
		return 0;
	if (ep & 0x80u)
		return 64u; /* an IN buffer's size is not in the table; full speed tops at 64 */
	return rx_alloc(bdt(m, (unsigned)n, RX_COUNT));
}

/* ---- the simulated controller ---- */

void ud_sim_fsdev_init(struct ud_sim_fsdev *s, const struct ud_fsdev_model_config *chip,
                       uint8_t flags)
{
	struct ud_fsdev_config cfg = {
		.usb_base = UD_FSDEV_MODEL_USB_BASE,
		.pma_base = UD_FSDEV_MODEL_PMA_BASE,
		.pma_size = chip->pma_size,
		.pma_access = chip->access,
		.ep_count = chip->ep_count,
		.flags = (uint8_t)(flags | (chip->internal_pullup ? UD_FSDEV_INTERNAL_PULLUP : 0u)),
		.io = &ud_fsdev_model_io,
		.io_ctx = &s->hw,
	};

	/* The negative control of the port's reset recovery (tests/fsdev/CMakeLists.txt): set
	 * from outside, as it is the same udsim that must prove the port right otherwise. */
	if (getenv("UD_SIM_FSDEV_NO_RESET_RECOVERY"))
		cfg.flags |= UD_FSDEV_SIM_NO_RESET_RECOVERY;
	ud_fsdev_model_init(&s->hw, chip);
	ud_fsdev_init(&s->port, &cfg);
}

int ud_sim_fsdev_irq(struct ud_sim_fsdev *s)
{
	struct ud_fsdev_model *m = &s->hw;

	if (!ud_fsdev_model_irq_line(m))
		return UD_ERR_NOENT;
	uint16_t epr[UD_FSDEV_MAX_EP], istr = m->istr, cntr = m->cntr;
	memcpy(epr, m->epr, sizeof(epr));
	m->stats.irq_calls++;
	ud_fsdev_irq_handler(&s->port);
	/* A handler that leaves a flag it enabled set, untouched, would run forever on real
	 * hardware: the host model must not spin on it either. */
	if (ud_fsdev_model_irq_line(m) && istr == m->istr && cntr == m->cntr &&
	    memcmp(epr, m->epr, sizeof(epr)) == 0) {
		m->stats.irq_stuck++;
		return UD_ERR_STATE;
	}
	return 0;
}
