/* SPDX-License-Identifier: MIT */
/*
 * The CMSIS-DAP request/response queue: a pool of slots, the OUT and IN requests, and the one
 * pump. Why it cannot starve, and which context writes what, is at the top of udcore/ud_dap.h;
 * the short version: four counters with one writer each, OUT armed only into a free slot,
 * slots freed only by IN completions, and the pump run after everything that can change what
 * it would do.
 */
#include <stdatomic.h>
#include <string.h>

#include "dap_queue.h"

/* The other context's data is written before the counter that hands it over. */
static void publish(void)
{
	atomic_thread_fence(memory_order_release);
}

static void acquire(void)
{
	atomic_thread_fence(memory_order_acquire);
}

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
	q->packet = q->size;
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

	if (!q->active || q->out_busy || q->received - q->freed >= q->count)
		return;
	r->buf = cmd_buf(q, q->received);
	r->length = q->packet;
	r->flags = 0;
	if (ud_ep_submit(q->dev, q->ep_out, r) == 0)
		q->out_busy = 1;
}

/* Hand response `sent` to the IN endpoint. The host reads packet-size transfers, so a
 * response shorter than that ends with a short packet, or a ZLP if it fills whole packets. */
static bool arm_in(struct ud_dap_queue *q)
{
	struct ud_req *r = &q->in_req;
	uint32_t len = q->resp_len[slot_of(q, q->sent)];

	uint16_t packet = q->packet;
	r->buf = resp_buf(q, q->sent);
	if (q->pad_in && len < packet) {
		memset(r->buf + len, 0, packet - len);
		len = packet;
	}
	r->length = len;
	r->flags = len < packet ? UD_REQ_ZLP : 0;
	if (ud_ep_submit(q->dev, q->ep_in, r) != 0)
		return false;
	q->sent++;
	return true;
}

/* Idempotent: whatever state it is called in, it leaves no ready response behind an idle IN
 * endpoint and no free slot behind an unarmed OUT endpoint (while the endpoints are open). */
void ud_dapq_pump(struct ud_dap_queue *q)
{
	while (q->sent == q->freed) { /* IN idle: nothing at the endpoint */
		uint32_t done = q->done;
		acquire();
		if (q->sent == done)
			break;
		if (before(q->sent, q->discard) || q->resp_len[slot_of(q, q->sent)] == 0) {
			/* Answered for a stream a reset ended, or no response: free it unsent. */
			if (before(q->sent, q->discard))
				q->stats.discarded++;
			q->sent++;
			q->freed++;
			continue;
		}
		if (!q->active || !arm_in(q))
			break;
	}
	arm_out(q);
}

/* A command arrived in slot `received` (or the OUT carried no command). */
static void accept(struct ud_dap_queue *q, uint32_t len, bool overflow)
{
	const uint8_t *cmd = cmd_buf(q, q->received);

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
	q->req_len[slot_of(q, q->received)] = overflow ? 0 : (uint16_t)len;
	if (overflow)
		q->stats.overlong++;
	q->stats.commands++;
	publish();
	q->received = q->received + 1u;
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
	q->discard = q->received;
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
	/* Commands of the old packet size belong to the stream the reset ended. */
	q->packet = ud_device_speed(q->dev) == UD_SPEED_HIGH ? q->size : q->size_fs;
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

/* Process side. It reads only `received`, `discard` and the command slot it owns between
 * `done` and `received`, and writes only that slot's response and then `done`. */
bool ud_dapq_execute(struct ud_dap_queue *q)
{
	uint32_t index = q->done, received = q->received;
	uint32_t len;

	acquire();
	if (index == received)
		return false;
	unsigned slot = slot_of(q, index);
	uint8_t *resp = resp_buf(q, index);
	if (before(index, q->discard)) {
		len = 0; /* the stream it belonged to is gone: don't touch the target for it */
	} else if (q->req_len[slot] == 0) {
		resp[0] = UD_DAP_INVALID; /* as the engine answers a malformed request */
		len = 1;
	} else {
		uint16_t packet = q->packet; /* read once: a SET_CONFIGURATION may change it */
		q->engine->packet = packet;  /* what DAP_Info 0xFF reports */
		len = ud_dap_engine_execute(q->engine, cmd_buf(q, index), q->req_len[slot], resp,
		                            packet);
		if (len > packet)
			len = packet; /* an engine bug must not make the IN read past the packet */
		if (len == 0)
			q->stats.silent++;
	}
	q->resp_len[slot] = (uint16_t)len;
	publish();
	q->done = index + 1u;
	ud_function_wake(q->fn); /* ud_task() runs the pump through the `poll` callback */
	return true;
}
