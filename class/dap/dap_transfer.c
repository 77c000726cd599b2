/* SPDX-License-Identifier: MIT */
/*
 * The transfer commands: DAP_TransferConfigure, DAP_Transfer, DAP_TransferBlock and
 * DAP_WriteABORT, on top of one SWD transfer with WAIT retries.
 *
 * AP reads are posted on SWD: the data of an AP read arrives with the next AP read, or with a
 * read of the DP's RDBUFF. A read is counted (and its value written to the response) only
 * when its value arrived, so the response's count and data always agree. AP writes are
 * posted too: their fault shows in the next acknowledge, so a command that ends with an AP
 * write reads RDBUFF once more to report it.
 */
#include "dap_engine_priv.h"

/* DAP_Transfer request bits beyond the four SWD ones. */
#define REQ_MATCH_VALUE 0x10u
#define REQ_MATCH_MASK 0x20u
#define REQ_TIMESTAMP 0x80u

/* DAP_Transfer response bit: value match failed after the retries. */
#define RESP_MISMATCH 0x10u

/* DP read of RDBUFF (address 0xC) and DP write of ABORT (address 0x0). */
#define DP_RDBUFF (UD_SWD_RNW | UD_SWD_A2 | UD_SWD_A3)
#define DP_ABORT 0x00u

/* One SWD transfer, repeated while the target answers WAIT, up to the configured retries. An
 * abort ends the retries too: the command then reports WAIT. */
static uint8_t swd_xfer(struct ud_dap_engine *e, uint8_t req, uint32_t *data)
{
	uint32_t retry = e->wait_retry;

	for (;;) {
		uint8_t ack = e->io->transfer(e->io_ctx, req & UD_SWD_REQ_MASK, data, &e->swd);
		if (ack != UD_SWD_ACK_WAIT || retry == 0 || dap_aborted(e))
			return ack;
		retry--;
	}
}

/* A DAP_Transfer or DAP_TransferBlock in progress. */
struct xfer {
	struct ud_dap_engine *e;
	struct dap_out *out;
	uint32_t done; /* transfers completed */
	uint8_t ack;   /* the response byte so far; 0 before the first transfer */
	bool pending;  /* an AP read's value waits in RDBUFF */
	bool check;    /* the last wire transfer was an AP write */
};

static bool ok(const struct xfer *x)
{
	return x->ack == UD_SWD_ACK_OK;
}

/* Read RDBUFF: the pending posted read's value. */
static bool collect(struct xfer *x)
{
	uint32_t v = 0;

	x->ack = swd_xfer(x->e, DP_RDBUFF, &v);
	if (!ok(x))
		return false;
	dap_out_u32(x->out, v);
	x->pending = false;
	x->done++;
	return true;
}

/* Before anything other than another AP read, the pending read's value must be fetched,
 * or the counts would go out of order. */
static bool settle(struct xfer *x)
{
	return !x->pending || collect(x);
}

/* After the last transfer (or an abort): collect the pending read, or confirm the last AP
 * write. The confirmation's acknowledge is reported; it is not a transfer of its own. */
static void finish(struct xfer *x)
{
	uint32_t v = 0;

	if (x->pending)
		(void)collect(x);
	else if (x->check)
		x->ack = swd_xfer(x->e, DP_RDBUFF, &v);
}

/* An AP read: its own value comes later; this one brings the previous one's. */
static bool posted_read(struct xfer *x, uint8_t req)
{
	uint32_t v = 0;

	x->ack = swd_xfer(x->e, req, &v);
	if (!ok(x))
		return false;
	if (x->pending) {
		dap_out_u32(x->out, v);
		x->done++;
	}
	x->pending = true;
	x->check = false;
	return true;
}

/* A DP read: its value is immediate. */
static bool direct_read(struct xfer *x, uint8_t req)
{
	uint32_t v = 0;

	x->ack = swd_xfer(x->e, req, &v);
	if (!ok(x))
		return false;
	dap_out_u32(x->out, v);
	x->done++;
	x->check = false;
	return true;
}

static bool write_reg(struct xfer *x, uint8_t req, uint32_t v)
{
	x->ack = swd_xfer(x->e, req, &v);
	if (!ok(x))
		return false;
	x->done++;
	x->check = (req & UD_SWD_APNDP) != 0;
	return true;
}

/* Read until (value & match mask) == @want, at most match_retry + 1 times. The value is not
 * returned: a match read has no data in the response. */
static bool match_read(struct xfer *x, uint8_t req, uint32_t want)
{
	uint32_t retry = x->e->match_retry;
	uint32_t v = 0;

	for (;;) {
		x->ack = swd_xfer(x->e, req, &v);
		if (ok(x) && (req & UD_SWD_APNDP))
			x->ack = swd_xfer(x->e, DP_RDBUFF, &v); /* the AP read's own value */
		if (!ok(x))
			return false;
		x->check = false;
		if ((v & x->e->match_mask) == want)
			break;
		if (retry == 0 || dap_aborted(x->e)) {
			x->ack |= RESP_MISMATCH;
			return false;
		}
		retry--;
	}
	x->done++;
	return true;
}

/* ---- DAP_Transfer ---- */

int32_t ud_dap_transfer_measure(const struct ud_dap_engine *e, struct dap_in *in)
{
	int32_t resp = 3;

	(void)e;
	if (!dap_in_skip(in, 2) || dap_in_left(in) < 1) /* id, DAP index */
		return -1;
	uint8_t count = dap_in_u8(in);
	if (count == 0)
		return -1; /* 1..255 */
	for (unsigned i = 0; i < count; i++) {
		if (dap_in_left(in) < 1)
			return -1;
		uint8_t req = dap_in_u8(in);
		if (req & REQ_TIMESTAMP)
			return -1; /* declined: no Test Domain Timer (capability bit 5 is 0) */
		if ((req & UD_SWD_RNW) && !(req & REQ_MATCH_VALUE))
			resp += 4;
		else if (!dap_in_skip(in, 4)) /* write value, match mask or match value */
			return -1;
	}
	return resp;
}

static bool transfer_one(struct xfer *x, struct dap_in *in)
{
	uint8_t req = dap_in_u8(in);

	if (req & UD_SWD_RNW) {
		if (req & REQ_MATCH_VALUE) {
			uint32_t want = dap_in_u32(in);
			return settle(x) && match_read(x, req, want);
		}
		if (req & UD_SWD_APNDP)
			return posted_read(x, req);
		return settle(x) && direct_read(x, req);
	}
	uint32_t v = dap_in_u32(in);
	if (!settle(x))
		return false;
	if (req & REQ_MATCH_MASK) {
		x->e->match_mask = v; /* not a wire transfer */
		x->ack = UD_SWD_ACK_OK;
		x->done++;
		return true;
	}
	return write_reg(x, req, v);
}

void ud_dap_transfer_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	struct xfer x = {.e = e, .out = out};

	in->pos += 2; /* id, DAP index (ignored for SWD) */
	uint8_t count = dap_in_u8(in);
	dap_out_u8(out, DAP_TRANSFER);
	uint32_t at = out->len;
	dap_out_u8(out, 0);
	dap_out_u8(out, 0);

	if (e->port != UD_DAP_PORT_SWD) {
		x.ack = UD_SWD_ACK_NONE; /* not connected: nothing on the wire answered */
	} else {
		bool failed = false;
		for (unsigned i = 0; i < count && !failed && !dap_aborted(e); i++)
			failed = !transfer_one(&x, in);
		if (!failed)
			finish(&x); /* also after an abort: what was started is completed */
	}
	dap_out_set(out, at, (uint8_t)x.done);
	dap_out_set(out, at + 1, x.ack);
}

/* ---- DAP_TransferBlock ---- */

int32_t ud_dap_block_measure(const struct ud_dap_engine *e, struct dap_in *in)
{
	(void)e;
	if (!dap_in_skip(in, 2) || dap_in_left(in) < 3) /* id, DAP index; count, request */
		return -1;
	uint32_t count = dap_in_u16(in);
	uint8_t req = dap_in_u8(in);
	if (count == 0)
		return -1; /* 1..65535 */
	if (req & UD_SWD_RNW)
		return 4 + 4 * (int32_t)count;
	return dap_in_skip(in, 4 * count) ? 4 : -1;
}

/* Reads of one register. Ends false on a failed transfer; an abort just stops early. */
static bool block_read(struct xfer *x, uint8_t req, uint32_t count)
{
	for (uint32_t i = 0; i < count && !dap_aborted(x->e); i++) {
		bool done = (req & UD_SWD_APNDP) ? posted_read(x, req) : direct_read(x, req);
		if (!done)
			return false;
	}
	return true;
}

static bool block_write(struct xfer *x, struct dap_in *in, uint8_t req, uint32_t count)
{
	for (uint32_t i = 0; i < count && !dap_aborted(x->e); i++) {
		if (!write_reg(x, req, dap_in_u32(in)))
			return false;
	}
	return true;
}

void ud_dap_block_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	struct xfer x = {.e = e, .out = out};

	in->pos += 2; /* id, DAP index (ignored for SWD) */
	uint32_t count = dap_in_u16(in);
	uint8_t req = dap_in_u8(in) & UD_SWD_REQ_MASK; /* match and time stamp do not apply */
	dap_out_u8(out, DAP_TRANSFER_BLOCK);
	uint32_t at = out->len;
	dap_out_u16(out, 0);
	dap_out_u8(out, 0);

	if (e->port != UD_DAP_PORT_SWD) {
		x.ack = UD_SWD_ACK_NONE;
	} else {
		bool done = (req & UD_SWD_RNW) ? block_read(&x, req, count)
		                               : block_write(&x, in, req, count);
		if (done)
			finish(&x);
	}
	dap_out_set(out, at, (uint8_t)x.done);
	dap_out_set(out, at + 1, (uint8_t)(x.done >> 8));
	dap_out_set(out, at + 2, x.ack);
}

/* ---- DAP_TransferConfigure, DAP_WriteABORT ---- */

void ud_dap_transfer_configure_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	e->swd.idle_cycles = dap_in_u8(in);
	e->wait_retry = dap_in_u16(in);
	e->match_retry = dap_in_u16(in);
	dap_out_u8(out, DAP_TRANSFER_CONFIGURE);
	dap_out_u8(out, DAP_OK);
}

void ud_dap_write_abort_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos += 2; /* id, DAP index (ignored for SWD) */
	uint32_t v = dap_in_u32(in);
	uint8_t status = DAP_ERROR;

	if (e->port == UD_DAP_PORT_SWD && swd_xfer(e, DP_ABORT, &v) == UD_SWD_ACK_OK)
		status = DAP_OK;
	dap_out_u8(out, DAP_WRITE_ABORT);
	dap_out_u8(out, status);
}
