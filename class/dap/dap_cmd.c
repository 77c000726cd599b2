/* SPDX-License-Identifier: MIT */
/*
 * The engine's front: packet checks, the command table and dispatch (measure, then run),
 * and the general commands: DAP_Info, HostStatus, Connect, Disconnect, Delay, ResetTarget,
 * and the atomic commands QueueCommands / ExecuteCommands.
 */
#include <stddef.h>

#include "dap_engine_priv.h"

/* Power-up defaults (ud_dap_engine_init()). */
#define DEFAULT_WAIT_RETRY 100u
#define DEFAULT_CLOCK_HZ 1000000u

/* The longest DAP_Info string, with its terminator: Len is one byte. */
#define INFO_STRING_MAX 255u

struct dap_cmd {
	uint8_t id;
	uint8_t req_len;        /* fixed request length, when measure is NULL */
	uint8_t resp_len;       /* fixed response length, when measure is NULL */
	dap_measure_fn measure; /* NULL: the fixed lengths above */
	dap_run_fn run;
};

static const struct dap_cmd *find_cmd(uint8_t id);

/* ---- DAP_Info ---- */

static const char *info_string(const struct ud_dap_info *info, uint8_t id)
{
	switch (id) {
	case 0x01:
		return info->vendor;
	case 0x02:
		return info->product;
	case 0x03:
		return info->serial;
	case 0x04:
		return UD_DAP_PROTOCOL_VERSION;
	case 0x05:
		return info->target_vendor;
	case 0x06:
		return info->target_name;
	case 0x07:
		return info->board_vendor;
	case 0x08:
		return info->board_name;
	case 0x09:
		return info->firmware_version;
	default:
		return NULL;
	}
}

/* Len of the answer to DAP_Info @id. A string counts its terminator; one that cannot be
 * reported whole (Len is a byte, and the answer must fit in a packet) reports Len 0. */
static uint32_t info_len(const struct ud_dap_engine *e, uint8_t id)
{
	uint32_t max = INFO_STRING_MAX;
	uint32_t n = 0;

	switch (id) {
	case 0xf0: /* capabilities: Info0 only */
	case 0xfe: /* packet count */
		return 1;
	case 0xff: /* packet size */
		return 2;
	default:
		break;
	}
	const char *s = info_string(e->info, id);
	if (s == NULL)
		return 0;
	if (e->info->packet_size != 0 && e->info->packet_size - 2u < max)
		max = e->info->packet_size - 2u;
	while (n < max && s[n] != '\0')
		n++;
	return n < max ? n + 1 : 0; /* n + 1 > max: too long */
}

static uint8_t capabilities(const struct ud_dap_engine *e)
{
	uint8_t caps = e->info->capabilities & UD_DAP_CAPS_ENGINE;
	return e->info->capabilities ? caps : (uint8_t)UD_DAP_CAPS_ENGINE;
}

static int32_t info_measure(const struct ud_dap_engine *e, struct dap_in *in)
{
	if (!dap_in_skip(in, 1) || dap_in_left(in) < 1)
		return -1;
	return 2 + (int32_t)info_len(e, dap_in_u8(in));
}

static void info_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint8_t id = dap_in_u8(in);
	uint32_t len = info_len(e, id);

	dap_out_u8(out, DAP_INFO);
	dap_out_u8(out, (uint8_t)len);
	if (len == 0)
		return;
	switch (id) {
	case 0xf0:
		dap_out_u8(out, capabilities(e));
		break;
	case 0xfe:
		dap_out_u8(out, e->info->packet_count);
		break;
	case 0xff:
		dap_out_u16(out, e->packet ? e->packet : e->info->packet_size);
		break;
	default: {
		const char *s = info_string(e->info, id);
		for (uint32_t i = 0; i < len; i++)
			dap_out_u8(out, (uint8_t)s[i]); /* len - 1 characters, then the NUL */
		break;
	}
	}
}

/* ---- general commands ---- */

static void host_status_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint8_t type = dap_in_u8(in);
	uint8_t on = dap_in_u8(in) ? 1 : 0;

	dap_out_u8(out, DAP_HOST_STATUS);
	if (type > 1) {
		dap_out_u8(out, DAP_ERROR); /* neither the connect nor the running indicator */
		return;
	}
	if (e->io->host_status)
		e->io->host_status(e->io_ctx, type, on);
	dap_out_u8(out, DAP_OK);
}

static void connect_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint8_t port = dap_in_u8(in);

	dap_out_u8(out, DAP_CONNECT);
	if (port != UD_DAP_PORT_DISABLED && port != UD_DAP_PORT_SWD) {
		dap_out_u8(out, UD_DAP_PORT_DISABLED); /* JTAG is not implemented: failed */
		return;
	}
	if (e->io->connect)
		e->io->connect(e->io_ctx);
	e->port = UD_DAP_PORT_SWD; /* the default port is SWD */
	dap_out_u8(out, UD_DAP_PORT_SWD);
}

static void disconnect_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	(void)in;
	if (e->io->disconnect)
		e->io->disconnect(e->io_ctx);
	e->port = UD_DAP_PORT_DISABLED;
	dap_out_u8(out, DAP_DISCONNECT);
	dap_out_u8(out, DAP_OK);
}

static void delay_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint16_t us = dap_in_u16(in);

	if (e->io->delay_us)
		e->io->delay_us(e->io_ctx, us);
	dap_out_u8(out, DAP_DELAY);
	dap_out_u8(out, DAP_OK);
}

static void reset_target_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	(void)in;
	uint8_t executed = e->io->reset_target ? e->io->reset_target(e->io_ctx) : 0;

	dap_out_u8(out, DAP_RESET_TARGET);
	dap_out_u8(out, DAP_OK);
	dap_out_u8(out, executed ? 1 : 0);
}

/* ---- one command, measured or run ---- */

static int32_t measure_cmd(const struct ud_dap_engine *e, const struct dap_cmd *c,
                           struct dap_in *in)
{
	if (c->measure)
		return c->measure(e, in);
	return dap_in_skip(in, c->req_len) ? c->resp_len : -1;
}

/* Run @c and leave @in just past it, where measure leaves it, whatever run read. */
static void run_cmd(struct ud_dap_engine *e, const struct dap_cmd *c, struct dap_in *in,
                    struct dap_out *out)
{
	struct dap_in probe = *in;

	(void)measure_cmd(e, c, &probe);
	c->run(e, in, out);
	in->pos = probe.pos;
}

/* ---- DAP_QueueCommands / DAP_ExecuteCommands ---- */

/* The commands an atomic packet may hold: any command, but not another atomic one (no
 * recursion) and not DAP_TransferAbort (not in the table: out of band only). */
static const struct dap_cmd *atomic_sub(const struct dap_in *in)
{
	if (dap_in_left(in) < 1)
		return NULL;
	const struct dap_cmd *c = find_cmd(in->p[in->pos]);
	if (c == NULL || c->id == DAP_QUEUE_COMMANDS || c->id == DAP_EXECUTE_COMMANDS)
		return NULL;
	return c;
}

static int32_t atomic_measure(const struct ud_dap_engine *e, struct dap_in *in)
{
	if (!dap_in_skip(in, 1) || dap_in_left(in) < 1)
		return -1;
	uint8_t n = dap_in_u8(in);
	int32_t total = 2;

	for (unsigned i = 0; i < n; i++) {
		const struct dap_cmd *c = atomic_sub(in);
		if (c == NULL)
			return -1;
		int32_t need = measure_cmd(e, c, in);
		if (need < 0)
			return -1;
		total += need; /* at most 255 * (4 + 65535 * 4), about 66.8 M: no overflow */
	}
	return total;
}

static void atomic_run(struct ud_dap_engine *e, struct dap_in *in, struct dap_out *out)
{
	in->pos++;
	uint8_t n = dap_in_u8(in);

	/* Both answer 0x7F (the specification's DAP_QueueCommands response). */
	dap_out_u8(out, DAP_EXECUTE_COMMANDS);
	dap_out_u8(out, n);
	const struct dap_cmd *c;
	for (unsigned i = 0; i < n && (c = atomic_sub(in)) != NULL; i++)
		run_cmd(e, c, in, out); /* atomic_measure() saw every one of them */
}

/* ---- the table ---- */

static const struct dap_cmd commands[] = {
	{DAP_INFO, 0, 0, info_measure, info_run},
	{DAP_HOST_STATUS, 3, 2, NULL, host_status_run},
	{DAP_CONNECT, 2, 2, NULL, connect_run},
	{DAP_DISCONNECT, 1, 2, NULL, disconnect_run},
	{DAP_TRANSFER_CONFIGURE, 6, 2, NULL, ud_dap_transfer_configure_run},
	{DAP_TRANSFER, 0, 0, ud_dap_transfer_measure, ud_dap_transfer_run},
	{DAP_TRANSFER_BLOCK, 0, 0, ud_dap_block_measure, ud_dap_block_run},
	{DAP_WRITE_ABORT, 6, 2, NULL, ud_dap_write_abort_run},
	{DAP_DELAY, 3, 2, NULL, delay_run},
	{DAP_RESET_TARGET, 1, 3, NULL, reset_target_run},
	{DAP_SWJ_PINS, 7, 2, NULL, ud_dap_swj_pins_run},
	{DAP_SWJ_CLOCK, 5, 2, NULL, ud_dap_swj_clock_run},
	{DAP_SWJ_SEQUENCE, 0, 0, ud_dap_swj_sequence_measure, ud_dap_swj_sequence_run},
	{DAP_SWD_CONFIGURE, 2, 2, NULL, ud_dap_swd_configure_run},
	{DAP_SWD_SEQUENCE, 0, 0, ud_dap_swd_sequence_measure, ud_dap_swd_sequence_run},
	{DAP_QUEUE_COMMANDS, 0, 0, atomic_measure, atomic_run},
	{DAP_EXECUTE_COMMANDS, 0, 0, atomic_measure, atomic_run},
};

static const struct dap_cmd *find_cmd(uint8_t id)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].id == id)
			return &commands[i];
	}
	return NULL;
}

/* ---- the API ---- */

void ud_dap_engine_init(struct ud_dap_engine *e, const struct ud_dap_info *info,
                        const struct ud_swd_io *io, void *io_ctx)
{
	*e = (struct ud_dap_engine){0};
	e->info = info;
	e->io = io;
	e->io_ctx = io_ctx;
	e->swd.turnaround = 1;
	e->wait_retry = DEFAULT_WAIT_RETRY;
	e->clock_hz = DEFAULT_CLOCK_HZ;
}

uint32_t ud_dap_engine_execute(struct ud_dap_engine *e, const uint8_t *req, uint32_t req_len,
                               uint8_t *resp, uint32_t resp_cap)
{
	uint32_t packet = e->info->packet_size;

	if (resp == NULL || resp_cap == 0)
		return 0;
	if (packet != 0 && resp_cap > packet)
		resp_cap = packet; /* the host reads packet_size bytes, never more */
	if (req == NULL || req_len == 0 || (packet != 0 && req_len > packet))
		goto invalid;
	if (req[0] == DAP_TRANSFER_ABORT)
		return 0; /* out of band (ud_dap_engine_abort()); it has no response */

	const struct dap_cmd *c = find_cmd(req[0]);
	struct dap_in in = {req, req_len, 0};
	if (c == NULL)
		goto invalid;
	int32_t need = measure_cmd(e, c, &in);
	if (need < 0 || (uint32_t)need > resp_cap)
		goto invalid;

	struct dap_out out = {resp, resp_cap, 0};
	in.pos = 0;
	/* Relaxed, no read-modify-write: this context is busy_seq's only writer. */
	uint32_t seq = UD_LOAD(&e->busy_seq) + 1u;
	UD_STORE(&e->busy_seq, seq); /* odd: a packet runs, abort() may target it */
	c->run(e, &in, &out);
	UD_STORE(&e->busy_seq, seq + 1u);
	return out.len;

invalid:
	resp[0] = UD_DAP_INVALID;
	return 1;
}

void ud_dap_engine_abort(struct ud_dap_engine *e)
{
	uint32_t seq = UD_LOAD(&e->busy_seq);

	if (seq & 1u)
		UD_STORE(&e->abort_seq, seq);
}
