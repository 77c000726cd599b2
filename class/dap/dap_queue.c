/* SPDX-License-Identifier: MIT */
/*
 * The CMSIS-DAP request/response queue: a pool of slots, the OUT and IN requests, and the one
 * pump. Why it cannot starve, and which context writes what, is at the top of udcore/ud_dap.h;
 * the short version: four counters with one writer each, OUT armed only into a free slot,
 * slots freed only by IN completions, and the pump run after everything that can change what
 * it would do.
 *
 * Between the two contexts: a side reads its own counters with UD_LOAD, stores the counter
 * that hands a slot over with UD_STORE_REL after the slot's bytes and length, and the other
 * side loads that counter with UD_LOAD_ACQ before reading them (ud_atomic.h).
 */
#include <string.h>

#include "dap_queue.h"

/* a comes before b on the free-running counters (they never drift 2^31 apart). */
static bool before(uint32_t a, uint32_t b)
{
	return ((a - b) & 0x80000000u) != 0;
}

static unsigned slot_of(const struct ud_dap_queue *q, uint32_t index)
{
	return (unsigned)(index % q->count);
}

static uint8_t *cmd_buf(const struct ud_dap_queue *q, uint32_t index)
{
	return q->buffer + (uint32_t)slot_of(q, index) * q->size;
}

static uint8_t *resp_buf(const struct ud_dap_queue *q, uint32_t index)
{
	return q->buffer + ((uint32_t)q->count + slot_of(q, index)) * q->size;
}

static void out_complete(struct ud_device *dev, struct ud_req *req);
static void in_complete(struct ud_device *dev, struct ud_req *req);
static void reset(struct ud_dap_queue *q, bool cancel);

void ud_dapq_init(struct ud_dap_queue *q, struct ud_device *dev, struct ud_function *fn,
                  struct ud_dap_engine *e, const struct ud_dap_config *cfg, bool pad_in)
{
	memset(q, 0, sizeof(*q));
	q->dev = dev;
	q->fn = fn;
	q->engine = e;
	q->buffer = cfg->buffer;
	q->size = cfg->packet_size;
	q->size_fs = cfg->packet_size_fs ? cfg->packet_size_fs : cfg->packet_size;
	UD_STORE(&q->packet, q->size);
	q->count = cfg->packet_count;
	q->pad_in = pad_in;
	q->notify = cfg->notify;
	q->notify_ctx = cfg->notify_ctx;
	q->out_req.complete = out_complete;
	q->out_req.context = q;
	q->in_req.complete = in_complete;
	q->in_req.context = q;
}

/* Arm OUT into slot `received` if it is free. The slot is the request's buffer, so data can
 * only ever arrive where there is room; otherwise the endpoint stays unarmed and NAKs. */
static void arm_out(struct ud_dap_queue *q)
{
	struct ud_req *r = &q->out_req;

	uint32_t received = UD_LOAD(&q->received);

	if (!q->active || q->out_busy || received - q->freed >= q->count)
		return;
	r->buf = cmd_buf(q, received);
	r->length = UD_LOAD(&q->packet);
	r->flags = 0;
	if (ud_ep_submit(q->dev, q->ep_out, r) == 0)
		q->out_busy = 1;
}

/* Hand response `sent` to the IN endpoint. The host reads packet-size transfers, so a
 * response shorter than that ends with a short packet, or a ZLP if it fills whole packets.
 * If the core refuses it, it stays at `sent` for the next pump. */
static void arm_in(struct ud_dap_queue *q)
{
	struct ud_req *r = &q->in_req;
	uint32_t len = q->resp_len[slot_of(q, q->sent)];
	uint16_t packet = UD_LOAD(&q->packet);

	r->buf = resp_buf(q, q->sent);
	if (q->pad_in && len < packet) {
		memset(r->buf + len, 0, packet - len);
		len = packet;
	}
	r->length = len;
	r->flags = len < packet ? UD_REQ_ZLP : 0;
	if (ud_ep_submit(q->dev, q->ep_in, r) == 0)
		q->sent++;
}

/* Idempotent: whatever state it is called in, it leaves no ready response behind an idle IN
 * endpoint and no free slot behind an unarmed OUT endpoint (while the endpoints are open). */
void ud_dapq_pump(struct ud_dap_queue *q)
{
	if (q->sent == q->freed) { /* IN idle: nothing at the endpoint */
		/* Acquire: the responses before `done` and their lengths are visible. Read once: a
		 * response that process finishes later is followed by a wake, and so by a pump. */
		uint32_t done = UD_LOAD_ACQ(&q->done);
		while (q->sent != done) {
			bool discarded = before(q->sent, UD_LOAD(&q->discard));
			if (!discarded && q->resp_len[slot_of(q, q->sent)] != 0) {
				if (q->active)
					arm_in(q); /* IN is busy now (or refused it): nothing more to do */
				break;
			}
			/* Answered for a stream a reset ended, or no response: free it unsent. */
			if (discarded)
				q->stats.discarded++;
			else
				q->stats.silent++; /* counted here, so every counter is the task's */
			q->sent++;
			q->freed++;
		}
	}
	arm_out(q);
}

/* A command arrived in slot `received` (or the OUT carried no command). */
static void accept(struct ud_dap_queue *q, uint32_t len, bool overflow)
{
	uint32_t received = UD_LOAD(&q->received);
	const uint8_t *cmd = cmd_buf(q, received);

	if (len == 0) {
		q->stats.zlps++; /* not a command: the slot stays free */
		return;
	}
	if (cmd[0] == UD_DAP_ID_TRANSFER_ABORT) {
		ud_dap_engine_abort(q->engine); /* out of band: no slot, no response */
		q->stats.aborts++;
		return;
	}
	/* Longer than a packet: the rest is lost, so it cannot be executed as sent. */
	q->req_len[slot_of(q, received)] = overflow ? 0 : (uint16_t)len;
	if (overflow)
		q->stats.overlong++;
	q->stats.commands++;
	/* Release: the command (received into the slot) and its length go with the index. */
	UD_STORE_REL(&q->received, received + 1u);
	if (q->notify)
		q->notify(q->notify_ctx);
}

/* An endpoint closed under the queue while it was active, with no disable before: a
 * SET_INTERFACE, which calls set_alt (enable) next, also one the port could not host (the
 * core reopens the old endpoints and calls set_alt with the old setting). Either way the stream is cut:
 * reset, and have ud_task() pump once the endpoints are back (the `poll` callback runs after
 * the request that closed them), so the queue cannot be left unarmed. */
static void endpoint_closed(struct ud_dap_queue *q, const struct ud_req *req)
{
	if (req->status != UD_ERR_SHUTDOWN || !q->active)
		return;
	reset(q, false);
	ud_function_wake(q->fn);
}

static void out_complete(struct ud_device *dev, struct ud_req *req)
{
	struct ud_dap_queue *q = req->context;

	(void)dev;
	q->out_busy = 0;
	if (q->out_stale) {
		q->out_stale = 0; /* received for a stream a reset ended */
		if (req->actual)
			q->stats.discarded++;
	} else if (req->status == UD_OK || req->status == UD_ERR_OVERFLOW) {
		accept(q, req->actual, req->status == UD_ERR_OVERFLOW);
	}
	endpoint_closed(q, req);
	ud_dapq_pump(q);
}

static void in_complete(struct ud_device *dev, struct ud_req *req)
{
	struct ud_dap_queue *q = req->context;

	(void)dev;
	if (q->freed != q->sent)
		q->freed++; /* only now may the slot take a new command */
	if (req->status == UD_OK)
		q->stats.responses++;
	else if (req->status == UD_ERR_CANCELLED || req->status == UD_ERR_SHUTDOWN)
		q->stats.discarded++; /* at the endpoint when a reset came: dropped as well */
	else
		q->stats.in_errors++;
	endpoint_closed(q, req);
	ud_dapq_pump(q);
}

/* Drop the stream: commands accepted so far get no response; whatever is at the endpoints is
 * ignored when it completes (and cancelled, if the endpoints stay open). Slots come back as
 * process skips the commands and the pump frees the results: every slot keeps one owner. */
static void reset(struct ud_dap_queue *q, bool cancel)
{
	/* Relaxed: process reads it after its acquire of `received`, which this context stores
	 * later (release), so a command accepted after this reset is never judged by an older
	 * value; a command of the old stream that process still executes is aborted below and
	 * its response freed unsent by the pump. */
	UD_STORE(&q->discard, UD_LOAD(&q->received));
	q->stats.resets++;
	/* A command executing now in another context belongs to the ended stream: let it stop
	 * at its next transfer (the engine ignores an abort while nothing executes). */
	ud_dap_engine_abort(q->engine);
	if (q->out_busy) {
		q->out_stale = 1;
		if (cancel)
			(void)ud_ep_cancel(q->dev, q->ep_out, &q->out_req);
	}
	if (cancel && q->sent != q->freed)
		(void)ud_ep_cancel(q->dev, q->ep_in, &q->in_req);
}

void ud_dapq_enable(struct ud_dap_queue *q, uint8_t ep_in, uint8_t ep_out)
{
	q->ep_in = ep_in;
	q->ep_out = ep_out;
	if (q->active)
		reset(q, false); /* SET_INTERFACE: no disable came first */
	/* Commands of the old packet size belong to the stream the reset ended. Relaxed, like
	 * `discard`: the next command's release of `received` carries it to process. */
	UD_STORE(&q->packet, ud_device_speed(q->dev) == UD_SPEED_HIGH ? q->size : q->size_fs);
	q->active = 1;
	ud_dapq_pump(q);
}

void ud_dapq_disable(struct ud_dap_queue *q)
{
	reset(q, false);
	q->active = 0;
}

void ud_dapq_halt_cleared(struct ud_dap_queue *q)
{
	reset(q, true);
	ud_dapq_pump(q);
}

/* Process side. It reads only `received`, `discard`, `packet` and the command slot it owns
 * between `done` and `received`, and writes only that slot's response and then `done`. */
bool ud_dapq_execute(struct ud_dap_queue *q)
{
	uint32_t index = UD_LOAD(&q->done);
	uint32_t len;

	/* Acquire: command `index` and its req_len, written before `received`, are visible. */
	if (index == UD_LOAD_ACQ(&q->received))
		return false;
	unsigned slot = slot_of(q, index);
	uint8_t *resp = resp_buf(q, index);
	if (before(index, UD_LOAD(&q->discard))) {
		len = 0; /* the stream it belonged to is gone: don't touch the target for it */
	} else if (q->req_len[slot] == 0) {
		resp[0] = UD_DAP_INVALID; /* as the engine answers a malformed request */
		len = 1;
	} else {
		/* Read once: a SET_CONFIGURATION may change it. */
		uint16_t packet = UD_LOAD(&q->packet);
		q->engine->packet = packet; /* what DAP_Info 0xFF reports */
		len = ud_dap_engine_execute(q->engine, cmd_buf(q, index), q->req_len[slot], resp,
		                            packet);
		if (len > packet)
			len = packet; /* an engine bug must not make the IN read past the packet */
	}
	q->resp_len[slot] = (uint16_t)len;
	/* Release: the response and its length go with the index. */
	UD_STORE_REL(&q->done, index + 1u);
	ud_function_wake(q->fn); /* ud_task() runs the pump through the `poll` callback */
	return true;
}
