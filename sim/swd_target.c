/* SPDX-License-Identifier: MIT */
/* The simulated SWD target (swd_target.h): line decoder, DP, MEM-AP, RAM, and the
 * transfer-level backend. */
#include "swd_target.h"

#include <stddef.h>
#include <string.h>

/* A line reset is at least 50 cycles with SWDIO high. */
#define LINE_RESET_ONES 50u
/* The 16-bit select sequences, LSB first. */
#define SELECT_JTAG_TO_SWD 0xe79eu
#define SELECT_SWD_TO_JTAG 0xe73cu

/* DP register addresses (A[3:2]). */
#define DP_IDR_ABORT 0x0u
#define DP_CTRL_WCR 0x4u
#define DP_RESEND_SELECT 0x8u
#define DP_RDBUFF 0xcu

#define STICKY (UD_DP_STICKYERR | UD_DP_WDATAERR | UD_DP_STICKYORUN)
#define PWRUP_REQS (UD_DP_CSYSPWRUPREQ | UD_DP_CDBGPWRUPREQ | UD_DP_CDBGRSTREQ)
/* CTRL/STAT bits a write sets: requests, TRNCNT, MASKLANE, TRNMODE, ORUNDETECT. */
#define CTRL_WRITABLE (PWRUP_REQS | 0x00ffff0cu | UD_DP_ORUNDETECT)
/* WCR: TURNROUND, WIREMODE, PRESCALER. */
#define WCR_WRITABLE 0x3c7u
/* CSW bits stored: AddrInc, Prot (31:24); Size is checked separately. */
#define CSW_STORED 0xff000030u

void ud_swd_target_init(struct ud_swd_target *t, uint8_t *ram, uint32_t ram_size)
{
	*t = (struct ud_swd_target){0};
	t->ram = ram;
	t->ram_size = ram ? ram_size : 0;
	if (t->ram_size)
		memset(ram, 0, ram_size);
	t->mode = UD_SWD_TARGET_JTAG;
	t->state = UD_SWD_TARGET_LOCKOUT; /* SWD needs a line reset first */
	t->wcr = 0x40u;                   /* WIREMODE: synchronous; one turnaround cycle */
	t->csw = UD_AP_CSW_SIZE32;
	t->pins = UD_SWJ_SWCLK | UD_SWJ_SWDIO | UD_SWJ_NRESET;
}

/* ---- the line ---- */

static void line_reset(struct ud_swd_target *t)
{
	t->line_resets++;
	if (t->mode == UD_SWD_TARGET_SWD)
		t->state = UD_SWD_TARGET_RESET;
}

static void select_sequence(struct ud_swd_target *t, uint16_t seq)
{
	if (seq == SELECT_JTAG_TO_SWD)
		t->mode = UD_SWD_TARGET_SWD;
	else if (seq == SELECT_SWD_TO_JTAG)
		t->mode = UD_SWD_TARGET_JTAG;
	else
		return;
	t->state = UD_SWD_TARGET_LOCKOUT; /* a line reset must follow */
}

void ud_swd_target_line_bit(struct ud_swd_target *t, uint8_t bit)
{
	bit = bit ? 1 : 0;
	if (t->capture_n) {
		t->capture |= (uint16_t)(bit << t->capture_n);
		if (++t->capture_n == 16) {
			t->capture_n = 0;
			select_sequence(t, t->capture);
		}
	} else if (!bit && t->ones >= LINE_RESET_ONES) {
		t->capture = 0; /* a select sequence starts with a 0 right after a line reset */
		t->capture_n = 1;
	}
	if (!bit) {
		t->ones = 0;
	} else if (t->ones < 255 && ++t->ones == LINE_RESET_ONES) {
		line_reset(t);
	}
}

void ud_swd_target_line(struct ud_swd_target *t, uint32_t bits, const uint8_t *data)
{
	for (uint32_t i = 0; i < bits; i++)
		ud_swd_target_line_bit(t, (uint8_t)((data[i / 8] >> (i % 8)) & 1u));
}

void ud_swd_target_protocol_error(struct ud_swd_target *t)
{
	t->state = UD_SWD_TARGET_LOCKOUT;
	t->no_acks++;
}

uint8_t ud_swd_target_turnaround(const struct ud_swd_target *t)
{
	return (uint8_t)(((t->wcr >> 8) & 3u) + 1u);
}

bool ud_swd_target_data_phase(const struct ud_swd_target *t)
{
	return (t->ctrl_stat & UD_DP_ORUNDETECT) != 0;
}

/* ---- memory behind the MEM-AP ---- */

/* Byte offset into RAM of an access of @n bytes at @addr, or -1: bus error. */
static int64_t ram_offset(struct ud_swd_target *t, uint32_t addr, uint32_t n)
{
	if (addr < UD_SWD_TARGET_RAM_BASE || t->ram_size < n ||
	    addr - UD_SWD_TARGET_RAM_BASE > t->ram_size - n) {
		t->ctrl_stat |= UD_DP_STICKYERR;
		t->bus_errors++;
		return -1;
	}
	return addr - UD_SWD_TARGET_RAM_BASE;
}

static bool mem_read(struct ud_swd_target *t, uint32_t addr, uint32_t size, uint32_t *v)
{
	uint32_t n = 1u << size;

	addr &= ~(n - 1u);
	int64_t off = ram_offset(t, addr, n);
	*v = 0;
	if (off < 0)
		return false;
	for (uint32_t i = 0; i < n; i++)
		*v |= (uint32_t)t->ram[off + i] << (8u * ((addr + i) & 3u));
	return true;
}

static bool mem_write(struct ud_swd_target *t, uint32_t addr, uint32_t size, uint32_t v)
{
	uint32_t n = 1u << size;

	addr &= ~(n - 1u);
	int64_t off = ram_offset(t, addr, n);
	if (off < 0)
		return false;
	for (uint32_t i = 0; i < n; i++)
		t->ram[off + i] = (uint8_t)(v >> (8u * ((addr + i) & 3u)));
	return true;
}

/* After a DRW access: TAR[9:0] advances by the access size, TAR[31:10] stays. */
static void tar_increment(struct ud_swd_target *t)
{
	uint32_t n = 1u << (t->csw & UD_AP_CSW_SIZE_MASK);

	if (t->csw & (UD_AP_CSW_ADDRINC_SINGLE | UD_AP_CSW_ADDRINC_PACKED))
		t->tar = (t->tar & ~0x3ffu) | ((t->tar + n) & 0x3ffu);
}

/* ---- MEM-AP registers (APSEL 0; others absent) ---- */

static uint32_t ap_addr(const struct ud_swd_target *t, uint8_t req)
{
	return (t->select & 0xf0u) | (req & (UD_SWD_A2 | UD_SWD_A3));
}

static uint32_t ap_read(struct ud_swd_target *t, uint32_t addr)
{
	uint32_t v = 0;

	if (t->select >> 24)
		return 0; /* absent AP: read as zero */
	switch (addr) {
	case 0x00:
		return t->csw | UD_AP_CSW_DEVICEEN;
	case 0x04:
		return t->tar;
	case 0x0c:
		if (mem_read(t, t->tar, t->csw & UD_AP_CSW_SIZE_MASK, &v))
			tar_increment(t);
		return v;
	case 0x10:
	case 0x14:
	case 0x18:
	case 0x1c:
		(void)mem_read(t, (t->tar & ~0xfu) + (addr & 0xcu), 2, &v);
		return v;
	case 0xf8:
		return UD_SWD_TARGET_AP_BASE;
	case 0xfc:
		return UD_SWD_TARGET_AP_IDR;
	default:
		return 0; /* CFG, TAR[63:32], BASE[63:32], reserved */
	}
}

static void ap_write(struct ud_swd_target *t, uint32_t addr, uint32_t v)
{
	if (t->select >> 24)
		return; /* absent AP: writes ignored */
	switch (addr) {
	case 0x00: {
		uint32_t size = v & UD_AP_CSW_SIZE_MASK;
		if (size > UD_AP_CSW_SIZE32)
			size = t->csw &
			       UD_AP_CSW_SIZE_MASK; /* unsupported size: keep the old one */
		t->csw = (v & CSW_STORED) | size;
		break;
	}
	case 0x04:
		t->tar = v;
		break;
	case 0x0c:
		if (mem_write(t, t->tar, t->csw & UD_AP_CSW_SIZE_MASK, v))
			tar_increment(t);
		break;
	case 0x10:
	case 0x14:
	case 0x18:
	case 0x1c:
		(void)mem_write(t, (t->tar & ~0xfu) + (addr & 0xcu), 2, v);
		break;
	default:
		break; /* read-only or reserved */
	}
}

/* ---- DP registers ---- */

static uint32_t ctrl_stat_read(struct ud_swd_target *t)
{
	if (t->pwr_polls > 0)
		t->pwr_polls--;
	if (t->pwr_polls == 0) {
		/* Each ACK follows its REQ (bit 30 -> 31, 28 -> 29, 26 -> 27). */
		t->ctrl_stat &= ~(PWRUP_REQS << 1);
		t->ctrl_stat |= (t->ctrl_stat & PWRUP_REQS) << 1;
	}
	return t->ctrl_stat;
}

static void ctrl_stat_write(struct ud_swd_target *t, uint32_t v)
{
	uint32_t raised = v & PWRUP_REQS & ~t->ctrl_stat;

	/* Sticky flags and ACKs are not written (SWD clears stickies through ABORT). */
	t->ctrl_stat = (t->ctrl_stat & ~CTRL_WRITABLE) | (v & CTRL_WRITABLE);
	t->ctrl_stat &= ~((~v & PWRUP_REQS) << 1); /* a dropped request drops its ACK */
	if (raised)
		t->pwr_polls = t->powerup_delay;
	if (t->pwr_polls == 0)
		(void)ctrl_stat_read(t); /* no delay: acknowledged at once */
}

static void abort_write(struct ud_swd_target *t, uint32_t v)
{
	if (v & UD_DP_STKCMPCLR)
		t->ctrl_stat &= ~UD_DP_STICKYCMP;
	if (v & UD_DP_STKERRCLR)
		t->ctrl_stat &= ~UD_DP_STICKYERR;
	if (v & UD_DP_WDERRCLR)
		t->ctrl_stat &= ~UD_DP_WDATAERR;
	if (v & UD_DP_ORUNERRCLR)
		t->ctrl_stat &= ~UD_DP_STICKYORUN;
	/* DAPABORT: no AP transaction is ever left in progress here. */
}

static uint32_t dp_read(struct ud_swd_target *t, uint8_t req)
{
	switch (req & (UD_SWD_A2 | UD_SWD_A3)) {
	case DP_IDR_ABORT:
		return UD_SWD_TARGET_DPIDR;
	case DP_CTRL_WCR:
		return (t->select & 1u) ? t->wcr : ctrl_stat_read(t);
	case DP_RESEND_SELECT:
		return t->resend;
	default:
		t->resend = t->rdbuff;
		t->ctrl_stat |= UD_DP_READOK;
		return t->rdbuff; /* the last posted AP read */
	}
}

static void dp_write(struct ud_swd_target *t, uint8_t req, uint32_t v)
{
	switch (req & (UD_SWD_A2 | UD_SWD_A3)) {
	case DP_IDR_ABORT:
		abort_write(t, v);
		break;
	case DP_CTRL_WCR:
		if (t->select & 1u)
			t->wcr = v & WCR_WRITABLE;
		else
			ctrl_stat_write(t, v);
		break;
	case DP_RESEND_SELECT:
		t->select = v;
		break;
	default:
		break; /* DPv1: no register to write at 0xC */
	}
}

/* ---- requests ---- */

/* DPIDR and CTRL/STAT (WCR) reads and ABORT writes: never WAIT, never FAULT. */
static bool always_answered(uint8_t req)
{
	if (req & UD_SWD_APNDP)
		return false;
	uint8_t a = req & (UD_SWD_A2 | UD_SWD_A3);
	return (req & UD_SWD_RNW) ? a == DP_IDR_ABORT || a == DP_CTRL_WCR : a == DP_IDR_ABORT;
}

static uint8_t refuse(struct ud_swd_target *t, uint8_t ack)
{
	if (t->ctrl_stat & UD_DP_ORUNDETECT)
		t->ctrl_stat |= UD_DP_STICKYORUN;
	if (ack == UD_SWD_ACK_WAIT)
		t->waits++;
	else
		t->faults++;
	return ack;
}

/* The acknowledge of a request the target heard (SWD mode, not locked out). */
static uint8_t acknowledge(struct ud_swd_target *t, uint8_t req)
{
	if (t->inject_no_ack) {
		t->inject_no_ack--;
		t->no_acks++;
		return UD_SWD_ACK_NONE;
	}
	if (always_answered(req))
		return UD_SWD_ACK_OK;
	if (t->inject_wait) {
		t->inject_wait--;
		return refuse(t, UD_SWD_ACK_WAIT);
	}
	if (t->inject_fault) {
		t->inject_fault--;
		t->ctrl_stat |= UD_DP_STICKYERR;
		return refuse(t, UD_SWD_ACK_FAULT);
	}
	bool resend = req == (UD_SWD_RNW | DP_RESEND_SELECT);
	if ((t->ctrl_stat & STICKY) && !resend)
		return refuse(t, UD_SWD_ACK_FAULT);
	return UD_SWD_ACK_OK;
}

uint8_t ud_swd_target_request(struct ud_swd_target *t, uint8_t req, uint32_t *rdata)
{
	req &= UD_SWD_REQ_MASK;
	t->requests++;
	t->ones = 0; /* a header holds a 0 (its stop bit) */
	t->capture_n = 0;
	if (t->on_request)
		t->on_request(t->hook_ctx, t);
	if (t->mode != UD_SWD_TARGET_SWD || t->state == UD_SWD_TARGET_LOCKOUT) {
		t->no_acks++;
		return UD_SWD_ACK_NONE;
	}
	if (t->state == UD_SWD_TARGET_RESET) {
		if (req != UD_SWD_RNW) { /* anything but a DPIDR read */
			ud_swd_target_protocol_error(t);
			return UD_SWD_ACK_NONE;
		}
		t->state = UD_SWD_TARGET_RUN;
	}
	uint8_t ack = acknowledge(t, req);
	if (ack != UD_SWD_ACK_OK || !(req & UD_SWD_RNW))
		return ack;
	if (req & UD_SWD_APNDP) {
		uint32_t v = t->rdbuff; /* posted: the previous AP read's value */
		t->rdbuff = ap_read(t, ap_addr(t, req));
		t->resend = v;
		t->ctrl_stat |= UD_DP_READOK;
		*rdata = v;
	} else {
		*rdata = dp_read(t, req);
	}
	return ack;
}

void ud_swd_target_write(struct ud_swd_target *t, uint8_t req, uint32_t data, bool parity_ok)
{
	if (!parity_ok) {
		t->ctrl_stat |= UD_DP_WDATAERR;
		return;
	}
	if (req & UD_SWD_APNDP)
		ap_write(t, ap_addr(t, req), data);
	else
		dp_write(t, req, data);
}

/* ---- the transfer-level backend ---- */

static uint8_t io_transfer(void *ctx, uint8_t request, uint32_t *data, const struct ud_swd_cfg *cfg)
{
	struct ud_swd_target *t = ctx;
	uint32_t v = 0;

	if (cfg->turnaround != ud_swd_target_turnaround(t)) {
		t->requests++;
		ud_swd_target_protocol_error(t); /* the two sides disagree on the frame */
		return UD_SWD_ACK_NONE;
	}
	uint8_t ack = ud_swd_target_request(t, request, &v);
	if (ack != UD_SWD_ACK_OK)
		return ack;
	if (!(request & UD_SWD_RNW)) {
		ud_swd_target_write(t, request, *data, true);
		return ack;
	}
	*data = v;
	if (t->inject_parity) {
		t->inject_parity--;
		return ack | UD_SWD_PARITY_ERROR;
	}
	return ack;
}

static void io_sequence_out(void *ctx, uint32_t bits, const uint8_t *data)
{
	ud_swd_target_line(ctx, bits, data);
}

/* Nobody drives SWDIO: the pull-up reads 1, and the target hears those 1s too. */
static void io_sequence_in(void *ctx, uint32_t bits, uint8_t *data)
{
	for (uint32_t i = 0; i < (bits + 7) / 8; i++)
		data[i] = 0;
	for (uint32_t i = 0; i < bits; i++) {
		data[i / 8] |= (uint8_t)(1u << (i % 8));
		ud_swd_target_line_bit(ctx, 1);
	}
}

static uint8_t io_pins(void *ctx, uint8_t value, uint8_t select, uint32_t wait_us)
{
	struct ud_swd_target *t = ctx;
	uint8_t present = UD_SWJ_SWCLK | UD_SWJ_SWDIO | UD_SWJ_NRESET;

	(void)wait_us; /* the pins follow at once: no time passes */
	t->pins = (uint8_t)((t->pins & ~select) | (value & select & present));
	return t->pins;
}

static uint32_t io_clock(void *ctx, uint32_t hz)
{
	struct ud_swd_target *t = ctx;

	t->clock_hz = hz;
	return hz;
}

static void io_delay_us(void *ctx, uint32_t us)
{
	struct ud_swd_target *t = ctx;

	t->time_us += us; /* virtual: a fuzzer's DAP_Delay costs nothing */
}

static void io_connect(void *ctx)
{
	struct ud_swd_target *t = ctx;

	t->connects++;
}

static void io_disconnect(void *ctx)
{
	struct ud_swd_target *t = ctx;

	t->disconnects++;
}

static void io_host_status(void *ctx, uint8_t type, uint8_t on)
{
	struct ud_swd_target *t = ctx;
	uint8_t bit = (uint8_t)(1u << type);

	t->leds = on ? (uint8_t)(t->leds | bit) : (uint8_t)(t->leds & ~bit);
}

const struct ud_swd_io ud_swd_target_io = {
	.transfer = io_transfer,
	.sequence_out = io_sequence_out,
	.sequence_in = io_sequence_in,
	.pins = io_pins,
	.clock = io_clock,
	.delay_us = io_delay_us,
	.connect = io_connect,
	.disconnect = io_disconnect,
	.host_status = io_host_status,
	.reset_target = NULL,
};
