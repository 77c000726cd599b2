/* SPDX-License-Identifier: MIT */
/**
 * @file ud_stream.h
 * @brief Endpoint streams: a bulk or interrupt endpoint that moves packet after packet
 * between the wire and a byte ring, with no request per packet.
 *
 * A request (ud_req.h) costs a completion and a resubmission per transfer, and a class that
 * must see every packet at once (a serial port: the host may send exactly a packet and
 * nothing after it, and expects what the device wrote as soon as a packet is there) needs a
 * transfer per packet. A stream removes that cost. The class gives the endpoint a ring; the
 * port's interrupt handler moves each packet between the ring and the controller, publishes
 * it and arms the endpoint for the next while there is one. The class tells the port when it
 * changed the ring (ud_ep_stream_kick()). The core is not on the packet path at all.
 *
 * Streams are optional for a port (`ep_stream` in ud_port.h). ud_ep_stream_start() answers
 * UD_ERR_NOTSUP where the port has none; a class then moves its data with requests.
 *
 * ## The rules
 *
 * - **The ring.** `buf` holds `size` bytes, a power of two. `head` and `tail` are free-running
 *   indices; `head - tail` bytes are in the ring. The producer writes the bytes and then
 *   `head`; the consumer reads them and then writes `tail`. On an OUT endpoint the port
 *   produces and the class consumes; on an IN endpoint the other way round. Neither side
 *   writes the other's index.
 * - **OUT: nothing is lost.** The port accepts a packet only while the ring has room for a
 *   whole max-size one (the ring holds at least one); until the reader makes room the endpoint
 *   NAKs and the host waits. Short packets and ZLPs end nothing: their bytes, if any, are
 *   simply in the ring. A stream suits a byte pipe, not messages.
 * - **IN: whole packets, and a flush.** The port sends a max-size packet whenever the ring
 *   holds one (or, for a ring smaller than a packet, when it is full). Fewer bytes wait until
 *   the writer moves `flush` to `head`: from then on, once fewer than a packet's bytes are
 *   left, what is there goes as a short packet (also bytes written after the flush), or, if
 *   the last packet sent was a whole one, a ZLP: the host's transfer ends and it sees the
 *   data now. A flush with nothing sent since a short packet does nothing. A byte counts as sent (the port moves `tail` past it) once the host
 *   acknowledged its packet; a packet loaded but not acknowledged when the stream stops is
 *   sent again by the next stream: nothing lost, nothing twice.
 * - **Acknowledged means kept.** A packet the controller acknowledged is committed (OUT: in the
 *   ring; IN: past the tail) also when the stream stops or the endpoint closes (bus reset,
 *   disconnect, SET_CONFIGURATION) before its interrupt was handled.
 * - **Around the end.** A packet that may cross the ring's end goes through `bounce` (max
 *   packet bytes, the class's), copied in two pieces. On IN `bounce` may be NULL: such a
 *   packet is then cut at the end (a short packet, which ends the host's transfer there; the
 *   rest follows at once, also after the stream restarted). A class that discards the ring's
 *   bytes while the stream is stopped clears `rest`.
 * - **Kicks.** After the class moved its index (OUT: made room; IN: wrote, or moved `flush`) it
 *   calls ud_ep_stream_kick() (task context) or, in another context, makes the task call it.
 *   The port sets `starved` when it leaves the endpoint unarmed for want of room or data; the
 *   kick re-arms it. Both sides follow the same order so that no kick is missed: the class
 *   stores its index (or `flush`), then loads `starved`; the port stores `starved`, then loads
 *   the class's index (and `flush`) again; all of them sequentially consistent
 *   (UD_STORE_SC(), ud_ep_stream_kick()).
 * - **Wake.** With `wake` set, every packet committed also calls ud_function_wake() for the
 *   function that owns the endpoint: its `poll` runs from ud_task() (e.g. to call the
 *   application's "data arrived" or "room again" callback). Without it the core hears
 *   nothing of the packets.
 * - **Halt.** A halted streaming endpoint answers STALL and keeps its stream; when the halt is
 *   cleared it goes on (data toggle DATA0).
 * - **End.** ud_ep_stream_stop(), or the endpoint closing (bus reset, disconnect,
 *   SET_CONFIGURATION, SET_INTERFACE), ends the stream. The ring and its bytes stay the
 *   class's; a new stream may start on them once the endpoint is open again.
 *
 * All functions here run in task context unless they say otherwise.
 */
#ifndef UD_STREAM_H
#define UD_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ud_atomic.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ud_device;

/** A byte ring: `size` bytes at `buf`, `head - tail` of them in use (see the rules above). */
struct ud_ring {
	uint8_t *buf;             /**< storage */
	uint32_t size;            /**< bytes, a power of two */
	UD_ATOMIC(uint32_t) head; /**< producer's index */
	UD_ATOMIC(uint32_t) tail; /**< consumer's index */
};

/** An endpoint's stream. Zero-initialise it, then set the fields marked (class). */
struct ud_stream {
	struct ud_ring *ring;       /**< (class) the ring the packets go to or come from */
	uint8_t *bounce;            /**< (class) max-packet bytes for a packet around the end;
	                                 IN: may be NULL (see above) */
	UD_ATOMIC(uint32_t) flush;  /**< (class, IN) send what is before it now (see above) */
	uint8_t wake;               /**< (class) 1: ud_function_wake() after every packet */
	UD_ATOMIC(uint8_t) starved; /* the port's: unarmed for want of room or data */
	uint8_t last_full;          /* the port's, IN: the last packet sent was a whole one */
	/* IN without a bounce buffer, the port's: `cut`, what the packet loaded left behind at
	 * the ring's start; `rest`, what a cut packet the host took left, which goes next
	 * whatever its size (it was part of a whole packet). A new stream keeps `rest`: a bus
	 * reset between the two pieces does not strand it. */
	uint16_t cut, rest;
	/* IN, the port's: the flush mark of the last flush carried out; the packet loaded ends
	 * a flush (flush_pkt), the one whose mark was flush_load. */
	uint32_t flush_done, flush_load;
	uint8_t flush_pkt;
};

/**
 * @brief Start streaming endpoint @p ep: OUT into @p s's ring, IN out of it.
 * @retval 0              streaming: the endpoint is armed whenever there is room (OUT) or
 *                        something to send (IN)
 * @retval UD_ERR_INVAL   NULL argument, no ring, ring storage or (OUT) bounce buffer, a ring size
 *                        that is not a power of two or (OUT) smaller than the max packet
 *                        size, @p ep is EP0 or out of range
 * @retval UD_ERR_NOTSUP  the port has no streams: move the data with requests
 * @retval UD_ERR_STATE   the endpoint is not open
 * @retval UD_ERR_BUSY    the endpoint has requests queued or streams already
 * @retval other          the error the port returned
 */
int ud_ep_stream_start(struct ud_device *dev, uint8_t ep, struct ud_stream *s);

/**
 * @brief End the stream on @p ep. A packet the controller had already acknowledged is
 * committed when this returns (OUT: in the ring; IN: past the tail); one loaded and not
 * acknowledged is not, and goes again with the next stream. Requests may be submitted to the
 * endpoint again.
 * @retval 0             stopped
 * @retval UD_ERR_INVAL  NULL @p dev or bad endpoint address
 * @retval UD_ERR_NOENT  no stream on @p ep
 */
int ud_ep_stream_stop(struct ud_device *dev, uint8_t ep);

/** @brief True if @p ep is open and streaming. */
bool ud_ep_streaming(const struct ud_device *dev, uint8_t ep);

/* The slow half of ud_ep_stream_kick(): passes the kick to the port's ep_kick unchecked
 * (the port ignores one that is not for the stream running on @p ep). */
void ud_ep_stream_rearm(struct ud_device *dev, uint8_t ep, struct ud_stream *s);

/*
 * UD_STREAM_WINDOW(s): the point where the port has found no room or nothing to send and has
 * not stored `starved` yet, the window the kick order closes. Empty; a test builds with
 * UD_STREAM_WINDOW_HOOK set to a function of its own, which plays the class's side there
 * (tests/unit/test_stream_window.c).
 */
#ifdef UD_STREAM_WINDOW_HOOK
void UD_STREAM_WINDOW_HOOK(struct ud_stream *s);
#define UD_STREAM_WINDOW(s) UD_STREAM_WINDOW_HOOK(s)
#else
#define UD_STREAM_WINDOW(s) ((void)0)
#endif

#ifndef __cplusplus
/**
 * @brief The class changed the ring (after a sequentially consistent store of its index or of
 * `flush`): re-arm @p ep if the port waits. One load when it does not. Task context; @p s
 * is the stream started on @p ep (a kick after it ended is ignored: the port's ep_kick only
 * re-arms the stream running there).
 */
static inline void ud_ep_stream_kick(struct ud_device *dev, uint8_t ep, struct ud_stream *s)
{
	if (UD_LOAD_SC(&s->starved))
		ud_ep_stream_rearm(dev, ep, s);
}
#endif

/* ---- for ports: the ring arithmetic, in the port's interrupt handler ---- */
/* Each runs in interrupt context, or in task context with the port's interrupt masked. */

/**
 * @brief OUT: where the next packet of @p s goes, for a port about to arm its endpoint: the
 * ring at its head if a @p max_packet packet fits there before the end, the bounce buffer if
 * it fits only around the end, NULL if the ring lacks room (then `starved` is set, by the
 * rule above, and the reader's kick comes).
 */
uint8_t *ud_stream_out_buf(struct ud_stream *s, uint16_t max_packet);

/**
 * @brief OUT: the packet received into what ud_stream_out_buf() returned (@p n bytes, at most
 * @p max_packet) is complete: copy it in from the bounce buffer if it went there, publish it,
 * and wake the function that owns endpoint @p ep if the stream asks for that.
 */
void ud_stream_out_commit(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                          uint16_t max_packet);

/**
 * @brief OUT: ud_stream_out_commit() and then ud_stream_out_buf(), what a port's interrupt
 * handler does for each packet (the packet received, then where the next goes).
 */
uint8_t *ud_stream_out_next(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                            uint16_t max_packet);

/**
 * @brief IN: the next packet of @p s to load: its length (0 for a ZLP), and in @p *buf where
 * its bytes are (the ring at its tail, or the bounce buffer, filled, if they cross the end).
 * -1 if there is nothing to send now (then `starved` is set and the writer's kick comes).
 */
int32_t ud_stream_in_buf(struct ud_stream *s, uint16_t max_packet, uint8_t **buf);

/**
 * @brief IN: the host acknowledged the packet ud_stream_in_buf() gave (@p n bytes): move the
 * tail past it, and wake the function that owns endpoint @p ep if the stream asks for that.
 */
void ud_stream_in_commit(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                         uint16_t max_packet);

/** @brief IN: ud_stream_in_commit() and then ud_stream_in_buf(). */
int32_t ud_stream_in_next(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                          uint16_t max_packet, uint8_t **buf);

#ifndef __cplusplus
/**
 * @brief ud_stream_out_next()'s common case inline, for a port's per-packet path: the packet
 * neither went to nor leaves the next one to the bounce buffer, the stream does not wake, and
 * a packet's room is left. Then it publishes the packet and returns where the next goes;
 * otherwise it returns NULL having done nothing, and the port calls ud_stream_out_next().
 */
static inline uint8_t *ud_stream_out_quick(struct ud_stream *s, uint32_t n, uint16_t max_packet)
{
	struct ud_ring *r = s->ring;
	uint32_t size = r->size;
	uint32_t head = UD_LOAD(&r->head);
	uint32_t next = head + n;
	uint32_t pos = next & (size - 1u);

	/* Acquire: the reader is done with the bytes before its tail before they are reused.
	 * `starved` is clear while the endpoint is armed: nothing to clear here. */
	if (s->wake || size - (head & (size - 1u)) < max_packet || size - pos < max_packet ||
	    size - (next - UD_LOAD_ACQ(&r->tail)) < max_packet)
		return NULL;
	UD_STORE_REL(&r->head, next); /* the bytes before the index that publishes them */
	return r->buf + pos;
}

/**
 * @brief ud_stream_in_buf()'s common case inline, for a port arming an idle endpoint (a kick):
 * a whole packet in the ring before its end, no piece of a cut one owed. Then it returns where
 * the packet is (@p max_packet bytes); otherwise NULL having changed nothing, and the port
 * calls ud_stream_in_buf(). It returns a pointer rather than filling one so that the port's
 * arm needs no stack slot for it.
 */
static inline uint8_t *ud_stream_in_quick(struct ud_stream *s, uint16_t max_packet)
{
	struct ud_ring *r = s->ring;
	uint32_t tail = UD_LOAD(&r->tail); /* the port's own index */
	/* Acquire: the writer's bytes before its head are there. A whole packet goes whatever
	 * the flush mark says, so the mark is not loaded. */
	uint32_t head = UD_LOAD_ACQ(&r->head);
	uint32_t pos = tail & (r->size - 1u);

	if (head - tail < max_packet || r->size - pos < max_packet || s->rest)
		return NULL;
	s->flush_pkt = 0;
	s->cut = 0;
	if (UD_LOAD(&s->starved))
		UD_STORE(&s->starved, 0);
	return r->buf + pos;
}

/**
 * @brief ud_stream_in_next() for a port's per-packet path: its common case (a whole packet
 * taken, no wake, the next one whole in the ring before its end) inline, the rest by calls.
 */
static inline int32_t ud_stream_in_step(struct ud_device *dev, uint8_t ep, struct ud_stream *s,
                                        uint32_t n, uint16_t max_packet, uint8_t **buf)
{
	struct ud_ring *r = s->ring;

	/* (a whole packet that is not the rest of a cut one; a flush's packet is short) */
	if (s->wake || n != max_packet || s->rest)
		return ud_stream_in_next(dev, ep, s, n, max_packet, buf);
	uint32_t tail = UD_LOAD(&r->tail) + n;
	UD_STORE_REL(&r->tail, tail); /* the controller has read them: the space is free */
	s->last_full = 1;
	uint32_t pos = tail & (r->size - 1u);
	/* Acquire: the writer's bytes before its head are there. */
	uint32_t head = UD_LOAD_ACQ(&r->head);
	if (head - tail >= max_packet && r->size - pos >= max_packet) {
		*buf = r->buf + pos;
		return max_packet;
	}
	/* The ring ran dry with no flush pending (a writer that keeps pace with the host): say
	 * so and look again, as ud_stream_in_buf() would, without its general case. */
	if (head == tail && UD_LOAD(&s->flush) == s->flush_done) {
		UD_STREAM_WINDOW(s);
		UD_STORE_SC(&s->starved, 1);
		if (UD_LOAD_SC(&r->head) == tail && UD_LOAD_SC(&s->flush) == s->flush_done)
			return -1;
	}
	return ud_stream_in_buf(s, max_packet, buf);
}
#endif

#ifdef __cplusplus
}
#endif

#endif /* UD_STREAM_H */
