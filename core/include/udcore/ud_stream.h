/* SPDX-License-Identifier: MIT */
/**
 * @file ud_stream.h
 * @brief Endpoint streams: an OUT endpoint that receives packet after packet straight into a
 * byte ring, with no request per packet.
 *
 * A request (ud_req.h) costs a completion and a resubmission per transfer, and a class that
 * must see every packet at once (a serial port: the host may send exactly a packet and
 * nothing after it) needs a transfer per packet. A stream removes that cost: the class gives
 * an OUT endpoint a ring, and the port's interrupt handler stores each packet at the ring's
 * head, publishes it, and re-arms the endpoint while the ring has room for another. The reader
 * takes bytes at the tail and tells the port when it made room (ud_ep_stream_kick()). The core
 * is not on the packet path at all.
 *
 * Streams are optional for a port (`ep_stream` in ud_port.h). ud_ep_stream_start() answers
 * UD_ERR_NOTSUP where the port has none; a class then moves its data with requests.
 *
 * ## The rules
 *
 * - **The ring.** `buf` holds `size` bytes, a power of two no smaller than the endpoint's max
 *   packet size. `head` and `tail` are free-running indices; `head - tail` bytes are in the
 *   ring. The port writes the bytes and `head` (release: the bytes first); the class writes
 *   `tail` (see "making room"). Neither writes the other's index.
 * - **Nothing is lost.** The port accepts a packet only while the ring has room for a whole
 *   max-size one; until the reader makes room the endpoint NAKs and the host waits. A packet
 *   the controller acknowledged is in the ring once the port publishes it, also when the
 *   stream stops or the endpoint closes (a bus reset, SET_CONFIGURATION) before its interrupt
 *   was handled: the host believes it delivered.
 * - **Around the end.** A packet that may not fit before the ring's end is received into
 *   `bounce` (max packet bytes, the class's) and copied into the ring in two pieces.
 * - **Packets, not transfers.** Short packets and ZLPs end nothing: their bytes (if any) are
 *   simply in the ring. A stream suits a byte pipe, not messages.
 * - **Making room.** After moving `tail` the reader calls ud_ep_stream_kick() (task context)
 *   or, in another context, makes the task call it. The port sets `starved` when it leaves
 *   the endpoint unarmed for lack of room; the kick re-arms it. Both sides follow the same
 *   order so that no kick is missed: the reader stores `tail`, then loads `starved`; the port
 *   stores `starved`, then loads `tail` again; all four accesses sequentially consistent
 *   (ud_stream_publish_tail() and ud_ep_stream_kick() do the reader's half).
 * - **Wake.** With `wake` set, every packet published also calls ud_function_wake() for the
 *   function that owns the endpoint: its `poll` runs from ud_task() (e.g. to call the
 *   application's "data arrived" callback). Without it the core hears nothing of the packets.
 * - **Halt.** A halted streaming endpoint answers STALL and keeps its stream; when the halt is
 *   cleared it goes on receiving (data toggle DATA0).
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

/** An OUT endpoint's stream. Zero-initialise it, then set the fields marked (class). */
struct ud_stream {
	struct ud_ring *ring;       /**< (class) where packets go; the port is its producer */
	uint8_t *bounce;            /**< (class) max-packet bytes for a packet around the end */
	uint8_t wake;               /**< (class) 1: ud_function_wake() after every packet */
	UD_ATOMIC(uint8_t) starved; /* the port's: unarmed for lack of room */
};

/**
 * @brief Start streaming OUT endpoint @p ep into @p s's ring.
 * @retval 0              streaming: the endpoint is armed whenever the ring has room
 * @retval UD_ERR_INVAL   NULL argument, no ring or bounce buffer, a ring size that is not a
 *                        power of two or is smaller than the max packet size, @p ep is EP0,
 *                        out of range or an IN endpoint
 * @retval UD_ERR_NOTSUP  the port has no streams: move the data with requests
 * @retval UD_ERR_STATE   the endpoint is not open
 * @retval UD_ERR_BUSY    the endpoint has requests queued or streams already
 * @retval other          the error the port returned
 */
int ud_ep_stream_start(struct ud_device *dev, uint8_t ep, struct ud_stream *s);

/**
 * @brief End the stream on @p ep. A packet the controller had already acknowledged is in the
 * ring when this returns. Requests may be submitted to the endpoint again.
 * @retval 0             stopped
 * @retval UD_ERR_INVAL  NULL @p dev or bad endpoint address
 * @retval UD_ERR_NOENT  no stream on @p ep
 */
int ud_ep_stream_stop(struct ud_device *dev, uint8_t ep);

/** @brief True if @p ep is open and streaming. */
bool ud_ep_streaming(const struct ud_device *dev, uint8_t ep);

/* The slow half of ud_ep_stream_kick(): asks the port to re-arm. */
void ud_ep_stream_rearm(struct ud_device *dev, uint8_t ep, struct ud_stream *s);

#ifndef __cplusplus
/**
 * @brief Publish the reader's new @p tail: the store the kick rule above orders (sequentially
 * consistent). Any context: the reader's.
 */
static inline void ud_stream_publish_tail(struct ud_stream *s, uint32_t tail)
{
	UD_STORE_SC(&s->ring->tail, tail);
}

/**
 * @brief True if the port waits for room (the reader's load of the kick rule). Any context.
 */
static inline bool ud_stream_starved(struct ud_stream *s)
{
	return UD_LOAD_SC(&s->starved) != 0;
}

/**
 * @brief The reader made room (after ud_stream_publish_tail()): re-arm @p ep if the port
 * waits for room. Cheap when it does not (one load). Task context; @p s must be the stream
 * running on @p ep (a stopped stream is ignored).
 */
static inline void ud_ep_stream_kick(struct ud_device *dev, uint8_t ep, struct ud_stream *s)
{
	if (ud_stream_starved(s))
		ud_ep_stream_rearm(dev, ep, s);
}
#endif /* __cplusplus */

/* ---- for ports: the ring arithmetic, in the port's interrupt handler ---- */

/**
 * @brief Where the next packet of @p s goes, for a port about to arm its endpoint: the ring
 * at its head if a @p max_packet packet fits there before the end, the bounce buffer if it
 * fits only around the end, NULL if the ring lacks room (then `starved` is set, by the rule
 * above, and the reader's kick comes). Interrupt context, or task context with the port's
 * interrupt masked.
 */
uint8_t *ud_stream_out_buf(struct ud_stream *s, uint16_t max_packet);

/**
 * @brief The packet received into what ud_stream_out_buf() returned (@p n bytes, at most
 * @p max_packet) is complete: copy it in from the bounce buffer if it went there, publish it,
 * and wake the function that owns endpoint @p ep if the stream asks for that. Interrupt
 * context, or task context with the port's interrupt masked.
 */
void ud_stream_out_commit(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                          uint16_t max_packet);

/**
 * @brief ud_stream_out_commit() and then ud_stream_out_buf(): what a port's interrupt handler
 * does for each packet (the packet received, then where the next goes; NULL: no room yet).
 */
uint8_t *ud_stream_out_next(struct ud_device *dev, uint8_t ep, struct ud_stream *s, uint32_t n,
                            uint16_t max_packet);

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
#endif

#ifdef __cplusplus
}
#endif

#endif /* UD_STREAM_H */
