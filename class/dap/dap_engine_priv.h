/* SPDX-License-Identifier: MIT */
/*
 * Shared by the engine's files (dap_cmd.c, dap_transfer.c, dap_swj.c): bounded cursors over
 * the request and response packets, and the per-command entry points.
 *
 * Every command is handled in two passes over the same bytes. `measure` walks the request
 * without side effects and returns the largest response it can produce (or -1: malformed);
 * `run` executes it. run() is only called after the whole packet measured well, but it still
 * reads and writes through the cursors below, which cannot step outside either packet.
 */
#ifndef UD_DAP_ENGINE_PRIV_H
#define UD_DAP_ENGINE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "udcore/ud_dap_engine.h"

/* Command ids (CMSIS-DAP). */
#define DAP_INFO 0x00u
#define DAP_HOST_STATUS 0x01u
#define DAP_CONNECT 0x02u
#define DAP_DISCONNECT 0x03u
#define DAP_TRANSFER_CONFIGURE 0x04u
#define DAP_TRANSFER 0x05u
#define DAP_TRANSFER_BLOCK 0x06u
#define DAP_TRANSFER_ABORT 0x07u
#define DAP_WRITE_ABORT 0x08u
#define DAP_DELAY 0x09u
#define DAP_RESET_TARGET 0x0au
#define DAP_SWJ_PINS 0x10u
#define DAP_SWJ_CLOCK 0x11u
#define DAP_SWJ_SEQUENCE 0x12u
#define DAP_SWD_CONFIGURE 0x13u
#define DAP_SWD_SEQUENCE 0x1du
#define DAP_QUEUE_COMMANDS 0x7eu
#define DAP_EXECUTE_COMMANDS 0x7fu

#define DAP_OK 0x00u
#define DAP_ERROR 0xffu

/* A request packet being read. */
struct dap_in {
	const uint8_t *p;
	uint32_t len, pos;
};

/* A response packet being written. */
struct dap_out {
	uint8_t *p;
	uint32_t cap, len;
};

static inline uint32_t dap_in_left(const struct dap_in *in)
{
	return in->pos < in->len ? in->len - in->pos : 0;
}

/* Readers return 0 past the end (run() never gets there: measure() checked). */
static inline uint8_t dap_in_u8(struct dap_in *in)
{
	if (dap_in_left(in) < 1)
		return 0;
	return in->p[in->pos++];
}

static inline uint16_t dap_in_u16(struct dap_in *in)
{
	uint16_t lo = dap_in_u8(in);
	return (uint16_t)(lo | (uint16_t)(dap_in_u8(in) << 8));
}

static inline uint32_t dap_in_u32(struct dap_in *in)
{
	uint32_t lo = dap_in_u16(in);
	return lo | ((uint32_t)dap_in_u16(in) << 16);
}

/* @n bytes of the request in place, or NULL if fewer are left. */
static inline const uint8_t *dap_in_bytes(struct dap_in *in, uint32_t n)
{
	if (dap_in_left(in) < n)
		return NULL;
	const uint8_t *at = in->p + in->pos;
	in->pos += n;
	return at;
}

/* Skip @n bytes; false (and nothing skipped) if fewer are left. */
static inline bool dap_in_skip(struct dap_in *in, uint32_t n)
{
	return dap_in_bytes(in, n) != NULL;
}

/* Writers drop what does not fit (run() never gets there: measure() checked). */
static inline void dap_out_u8(struct dap_out *out, uint8_t v)
{
	if (out->len < out->cap)
		out->p[out->len++] = v;
}

static inline void dap_out_u16(struct dap_out *out, uint16_t v)
{
	dap_out_u8(out, (uint8_t)v);
	dap_out_u8(out, (uint8_t)(v >> 8));
}

static inline void dap_out_u32(struct dap_out *out, uint32_t v)
{
	dap_out_u16(out, (uint16_t)v);
	dap_out_u16(out, (uint16_t)(v >> 16));
}

/* Reserve @n zeroed bytes of the response in place; NULL if they do not fit. */
static inline uint8_t *dap_out_bytes(struct dap_out *out, uint32_t n)
{
	if (out->cap - out->len < n)
		return NULL;
	uint8_t *at = out->p + out->len;
	for (uint32_t i = 0; i < n; i++)
		at[i] = 0;
	out->len += n;
	return at;
}

/* Overwrite a byte written earlier (a count or status whose value is known at the end). */
static inline void dap_out_set(struct dap_out *out, uint32_t at, uint8_t v)
{
	if (at < out->len)
		out->p[at] = v;
}

/* True if an out-of-band abort targets the packet executing now (see ud_dap_engine.h). */
static inline bool dap_aborted(const struct ud_dap_engine *e)
{
	return UD_LOAD(&e->abort_seq) == UD_LOAD(&e->busy_seq);
}

/* measure: called with in->pos at the command id; advances past the command; returns the
 * largest response in bytes, or -1 if the request is malformed. */
typedef int32_t (*dap_measure_fn)(const struct ud_dap_engine *e, struct dap_in *in);
/* run: called with in->pos at the command id, after measure() passed. */
typedef void (*dap_run_fn)(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);

/* dap_transfer.c */
int32_t ud_dap_transfer_measure(const struct ud_dap_engine *e, struct dap_in *in);
void ud_dap_transfer_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);
int32_t ud_dap_block_measure(const struct ud_dap_engine *e, struct dap_in *in);
void ud_dap_block_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);
void ud_dap_transfer_configure_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);
void ud_dap_write_abort_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);

/* dap_swj.c */
void ud_dap_swj_pins_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);
void ud_dap_swj_clock_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);
int32_t ud_dap_swj_sequence_measure(const struct ud_dap_engine *e, struct dap_in *in);
void ud_dap_swj_sequence_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);
void ud_dap_swd_configure_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);
int32_t ud_dap_swd_sequence_measure(const struct ud_dap_engine *e, struct dap_in *in);
void ud_dap_swd_sequence_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out);

#endif /* UD_DAP_ENGINE_PRIV_H */
