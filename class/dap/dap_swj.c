/* SPDX-License-Identifier: MIT */
/*
 * The wire-level commands: DAP_SWJ_Pins, DAP_SWJ_Clock, DAP_SWJ_Sequence, DAP_SWD_Configure
 * and DAP_SWD_Sequence. They work whether or not DAP_Connect ran: a host may drive the pins
 * or send a line reset before connecting.
 */
#include "dap_engine_priv.h"

/* DAP_SWJ_Pins: "Pin Wait ... max 3 s". */
#define PIN_WAIT_MAX_US 3000000u

/* DAP_SWD_Sequence info byte. */
#define SEQ_CYCLES 0x3fu /* 1..64, 64 encoded as 0 */
#define SEQ_INPUT 0x80u

void ud_dap_swj_pins_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint8_t value = dap_in_u8(in);
	uint8_t select = dap_in_u8(in);
	uint32_t wait = dap_in_u32(in);

	if (wait > PIN_WAIT_MAX_US)
		wait = PIN_WAIT_MAX_US;
	dap_out_u8(out, DAP_SWJ_PINS);
	dap_out_u8(out, e->io->pins ? e->io->pins(e->io_ctx, value, select, wait) : 0);
}

void ud_dap_swj_clock_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint32_t hz = dap_in_u32(in);

	dap_out_u8(out, DAP_SWJ_CLOCK);
	if (hz == 0) {
		dap_out_u8(out, DAP_ERROR); /* no clock to run the wire with */
		return;
	}
	e->clock_hz = e->io->clock ? e->io->clock(e->io_ctx, hz) : hz;
	dap_out_u8(out, DAP_OK);
}

/* Bits of DAP_SWJ_Sequence's count byte: 1..256, 256 encoded as 0. */
static uint32_t swj_bits(uint8_t count)
{
	return count ? count : 256u;
}

int32_t ud_dap_swj_sequence_measure(const struct ud_dap_engine *e, struct dap_in *in)
{
	(void)e;
	if (!dap_in_skip(in, 1) || dap_in_left(in) < 1)
		return -1;
	uint32_t bits = swj_bits(dap_in_u8(in));
	return dap_in_skip(in, (bits + 7) / 8) ? 2 : -1;
}

void ud_dap_swj_sequence_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint32_t bits = swj_bits(dap_in_u8(in));
	const uint8_t *data = dap_in_bytes(in, (bits + 7) / 8);

	if (data)
		e->io->sequence_out(e->io_ctx, bits, data);
	dap_out_u8(out, DAP_SWJ_SEQUENCE);
	dap_out_u8(out, DAP_OK);
}

void ud_dap_swd_configure_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint8_t cfg = dap_in_u8(in);

	e->swd.turnaround = (uint8_t)((cfg & 0x03u) + 1u); /* 0..3: 1..4 cycles */
	e->swd.data_phase = (cfg >> 2) & 1u;
	dap_out_u8(out, DAP_SWD_CONFIGURE);
	dap_out_u8(out, DAP_OK);
}

static uint32_t seq_bits(uint8_t info)
{
	uint32_t n = info & SEQ_CYCLES;
	return n ? n : 64u;
}

int32_t ud_dap_swd_sequence_measure(const struct ud_dap_engine *e, struct dap_in *in)
{
	int32_t resp = 2;

	(void)e;
	if (!dap_in_skip(in, 1) || dap_in_left(in) < 1)
		return -1;
	uint8_t n = dap_in_u8(in);
	for (unsigned i = 0; i < n; i++) {
		if (dap_in_left(in) < 1)
			return -1;
		uint8_t info = dap_in_u8(in);
		uint32_t bytes = (seq_bits(info) + 7) / 8;
		if (info & SEQ_INPUT)
			resp += (int32_t)bytes; /* captured data in the response */
		else if (!dap_in_skip(in, bytes))
			return -1;
	}
	return resp;
}

void ud_dap_swd_sequence_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint8_t n = dap_in_u8(in);

	dap_out_u8(out, DAP_SWD_SEQUENCE);
	dap_out_u8(out, DAP_OK);
	for (unsigned i = 0; i < n; i++) {
		uint8_t info = dap_in_u8(in);
		uint32_t bits = seq_bits(info);
		if (info & SEQ_INPUT) {
			uint8_t *data = dap_out_bytes(out, (bits + 7) / 8);
			if (data)
				e->io->sequence_in(e->io_ctx, bits, data);
		} else {
			const uint8_t *data = dap_in_bytes(in, (bits + 7) / 8);
			if (data)
				e->io->sequence_out(e->io_ctx, bits, data);
		}
	}
}
