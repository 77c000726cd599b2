/* SPDX-License-Identifier: MIT */
/**
 * @file ud_req.h
 * @brief Transfer requests and the endpoint queue API that classes use.
 *
 * ## The ownership rule
 *
 * A class hands the core a `struct ud_req` that the class owns (static or on a long-lived
 * object; udcore never allocates). From the moment ud_ep_submit() returns 0 until the
 * request's completion callback runs, the request and its buffer belong to the core: the class
 * must not touch them. Then:
 *
 * - If ud_ep_submit() returns 0, `complete` runs **exactly once**, later, from ud_task() (or
 *   from ud_device_stop(), which ends every request).
 * - If ud_ep_submit() returns an error, `complete` **never** runs for that submission.
 * - `complete` is never called from inside ud_ep_submit(), ud_ep_cancel() or ud_ep_flush():
 *   even a request that ends at once (cancelled, endpoint closed) completes later, when
 *   ud_task() delivers the ended requests (in the same ud_task() call if it was cancelled from
 *   one of its callbacks before that step). A class therefore never re-enters itself.
 * - Requests on one endpoint complete in the order they were submitted (FIFO), except that a
 *   cancelled request completes as soon as it is cancelled. Any number may be queued per
 *   endpoint.
 * - Inside `complete`, the request belongs to the class again: it may free, reuse or resubmit
 *   it (to the same or another endpoint).
 * - `status` tells who ended it (see ud_status.h): UD_OK (done; `actual` may be short),
 *   UD_ERR_CANCELLED, UD_ERR_SHUTDOWN, UD_ERR_OVERFLOW or UD_ERR_IO. (UD_ERR_OVERTAKEN only
 *   occurs on EP0, which the control engine owns.)
 *
 * ## Threading
 *
 * The functions here run in task context: from ud_task() callbacks, or from code that is
 * serialised with ud_task() (same thread, or a lock the application holds around both).
 * They are not ISR-safe.
 */
#ifndef UD_REQ_H
#define UD_REQ_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ud_device;
struct ud_req;

/** Completion callback: runs once per successful submit, from ud_task() or ud_device_stop(). */
typedef void (*ud_req_complete_fn)(struct ud_device *dev, struct ud_req *req);

/**
 * IN only: when `length` is a non-zero multiple of the endpoint's max packet size, end the
 * transfer with a zero-length packet so the host sees its end. Ignored on OUT endpoints.
 */
#define UD_REQ_ZLP 0x01u

/** A transfer request. Zero-initialise it, then set the fields marked (class). */
struct ud_req {
	uint8_t *buf;                /**< (class) data; may be NULL when length is 0 */
	uint32_t length;             /**< (class) bytes to send (IN) or room to receive (OUT) */
	ud_req_complete_fn complete; /**< (class) must not be NULL */
	void *context;               /**< (class) free for the class */
	uint16_t flags;              /**< (class) UD_REQ_ZLP */
	uint8_t ep;    /* private to the core (here, it fills what would be padding) */
	uint8_t state; /* private to the core */

	uint32_t actual;     /**< (core) bytes transferred, valid in `complete` */
	int16_t status;      /**< (core) UD_OK or a UD_ERR_* code, valid in `complete` */
	uint8_t zlp_pending; /* private to the core */

	struct ud_req *next; /* private to the core */
};

/**
 * @brief Queue @p req on endpoint @p ep (an address: 0x81 = EP1 IN, 0x01 = EP1 OUT).
 *
 * The transfer starts at once if the endpoint is idle, otherwise after the requests queued
 * before it. An OUT request ends when `length` bytes arrived or the host sent a short packet.
 * A halted endpoint keeps its queue; transfers resume once the halt is cleared.
 *
 * @retval 0              queued; `complete` will run exactly once, later
 * @retval UD_ERR_INVAL   @p dev or @p req NULL, `complete` NULL, `buf` NULL with a non-zero
 *                        length, @p ep is EP0 (owned by the control engine) or out of range
 * @retval UD_ERR_BUSY    @p req is already queued or its completion has not run yet, or a
 *                        stream runs on @p ep (ud_stream.h)
 * @retval UD_ERR_STATE   the endpoint is not open (device not configured, or the endpoint
 *                        is not part of the current alternate setting)
 */
int ud_ep_submit(struct ud_device *dev, uint8_t ep, struct ud_req *req);

/**
 * @brief End a queued request early. It completes later with UD_ERR_CANCELLED and `actual` set
 * to what was transferred so far; later requests on the endpoint keep their place. If the
 * transfer had already ended (its report not yet processed), it completes as it ended instead:
 * UD_OK (the data did move; unless it still owed a ZLP, which the cancel drops), or the error
 * the port reported.
 *
 * @retval 0             @p req will complete (UD_ERR_CANCELLED, or as above)
 * @retval UD_ERR_INVAL  NULL argument or bad endpoint address
 * @retval UD_ERR_NOENT  @p req is not queued on @p ep (never submitted, or it already ended:
 *                       its completion is on its way and it will not be reported twice)
 */
int ud_ep_cancel(struct ud_device *dev, uint8_t ep, struct ud_req *req);

/**
 * @brief Cancel every request queued on @p ep (each completes with UD_ERR_CANCELLED, in order;
 * the head as ud_ep_cancel() says if its transfer had already ended).
 *
 * @retval >=0           number of requests dequeued
 * @retval UD_ERR_INVAL  NULL device or bad endpoint address
 */
int ud_ep_flush(struct ud_device *dev, uint8_t ep);

/**
 * @brief Halt (STALL) an open non-control endpoint, as a class does on a protocol error.
 * The transfer in progress is paused, not ended: it continues after the host clears the halt.
 * (A transfer that had already ended, its report not yet processed, ends as it did: UD_OK or
 * the port's error.)
 *
 * @retval 0             halted
 * @retval UD_ERR_INVAL  NULL device, bad endpoint address or EP0 (EP0 stalls through the
 *                       control engine)
 * @retval UD_ERR_STATE  the endpoint is not open
 */
int ud_ep_set_halt(struct ud_device *dev, uint8_t ep);

/**
 * @brief Clear a halt and reset the data toggle to DATA0 (also when it was not halted), as
 * CLEAR_FEATURE(ENDPOINT_HALT) from the host does.
 *
 * @retval 0             cleared
 * @retval UD_ERR_INVAL  NULL device, bad endpoint address or EP0
 * @retval UD_ERR_STATE  the endpoint is not open
 */
int ud_ep_clear_halt(struct ud_device *dev, uint8_t ep);

/** @brief True if @p ep is open and halted. */
bool ud_ep_is_halted(const struct ud_device *dev, uint8_t ep);

/** @brief True if @p ep is open (part of the active configuration and alternate setting). */
bool ud_ep_is_open(const struct ud_device *dev, uint8_t ep);

/** @brief Number of requests queued on @p ep and not yet ended (0 for a closed endpoint). */
unsigned ud_ep_queued(const struct ud_device *dev, uint8_t ep);

/** @brief Max packet size of open endpoint @p ep at the current speed, 0 if not open. */
uint16_t ud_ep_max_packet(const struct ud_device *dev, uint8_t ep);

#ifdef __cplusplus
}
#endif

#endif /* UD_REQ_H */
