/* SPDX-License-Identifier: MIT */
/**
 * @file ud_bulk.h
 * @brief Vendor bulk class: one vendor-specific interface with a bulk OUT and a bulk IN
 * endpoint, optional WinUSB binding, and a streaming API over the core's request queues.
 *
 * ```
 * static struct ud_bulk bulk;
 * static const struct ud_bulk_ops ops = { .enable = start_streaming };
 * static const struct ud_bulk_config cfg = {
 *         .ops = &ops,
 *         .winusb_guid = "{8ad3f8a5-62a7-4c6e-9c3a-5f1d2b7c9e01}",  // Windows binds WinUSB
 *         .zlp = UD_BULK_ZLP_ALWAYS,
 * };
 * ud_bulk_add(&dev, &bulk, &cfg);          // before ud_device_start()
 *
 * static void start_streaming(struct ud_bulk *b)  // configured: submit buffers
 * {
 *         ud_bulk_submit_out(b, &rx[0]);  ud_bulk_submit_out(b, &rx[1]);
 * }
 * ```
 *
 * ## Streaming
 *
 * The application owns its `struct ud_req`s and their buffers (ud_req.h) and submits them
 * with ud_bulk_submit_out() (host to device) and ud_bulk_submit_in() (device to host). These
 * are thin wrappers of ud_ep_submit(): any number may be in flight per endpoint, they
 * complete in order, each exactly once, from ud_task(), never inside the call that submitted
 * them. A completion may resubmit its request (the usual way to keep a stream going). To find
 * its `struct ud_bulk` in a completion, use `req->context` or the request's position in the
 * application's own structure.
 *
 * An OUT request ends when `length` bytes arrived or the host ended its transfer with a short
 * packet (a zero-length packet included): `actual` tells how many. If the host sends a packet
 * that does not fit in what is left of the buffer, what fits is stored, the request completes
 * with UD_ERR_OVERFLOW and nothing is written past the buffer. Use buffers that are a multiple
 * of the max packet size (512 covers both speeds) to receive every packet whole.
 *
 * ## Zero-length packets on IN
 *
 * The host sees an IN transfer end at a short packet. A transfer whose length is a non-zero
 * multiple of the max packet size needs a zero-length packet after it, unless the host knows
 * the length in advance. The policy is explicit:
 *
 * - per request (`UD_BULK_ZLP_PER_REQUEST`, the default): the request's UD_REQ_ZLP flag
 *   decides (the core's rule, ud_req.h). A stream that splits one message over several
 *   requests flags only the last one.
 * - class-wide (`UD_BULK_ZLP_ALWAYS`): ud_bulk_submit_in() sets UD_REQ_ZLP on every request
 *   (it stays set in `req->flags`), so every request is one transfer on the wire, as a
 *   message-oriented protocol wants.
 *
 * A zero-length request sends one zero-length packet in either policy.
 *
 * ## Enable, disable and shutdown
 *
 * - `enable` runs when the host selects the configuration (SET_CONFIGURATION) and again when
 *   it selects the interface's alternate setting 0 (SET_INTERFACE, which hosts use to reset
 *   the endpoints: Linux usbtest does before every test). Both endpoints are then open, idle,
 *   not halted, with DATA0 toggles and empty queues: submit requests here.
 * - Before the endpoints close (configuration left: SET_CONFIGURATION, bus reset, disconnect,
 *   ud_device_stop(); or SET_INTERFACE) every request still queued completes with
 *   UD_ERR_SHUTDOWN (or as it ended, UD_OK or the port's error, if the hardware had finished
 *   it), before `enable` runs again.
 *   `disable` runs first when the configuration is left (not on SET_INTERFACE). From then on
 *   submits fail with UD_ERR_STATE, so a completion that resubmits on any status is harmless,
 *   but the intended pattern is: resubmit on UD_OK, stop on UD_ERR_SHUTDOWN, wait for
 *   `enable`.
 * - Halts: the host's SET_FEATURE(ENDPOINT_HALT) pauses the endpoint's queue (the transfer in
 *   progress keeps what it moved) and CLEAR_FEATURE resumes it with DATA0; queued requests do
 *   not complete because of a halt. `halt_cleared` tells the application about the clear.
 *
 * ## Context
 *
 * Every function here runs in task context: from ud_task() callbacks or code serialised with
 * ud_task(). None is ISR-safe. The callbacks in `struct ud_bulk_ops` run from ud_task().
 */
#ifndef UD_BULK_H
#define UD_BULK_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/udcore.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Interface class of the bulk function: vendor specific. */
#define UD_BULK_CLASS 0xffu

/** How IN transfers that end on a packet boundary are terminated (see above). */
enum ud_bulk_zlp {
	UD_BULK_ZLP_PER_REQUEST = 0, /**< each request's UD_REQ_ZLP flag decides */
	UD_BULK_ZLP_ALWAYS,          /**< ud_bulk_submit_in() sets UD_REQ_ZLP on every request */
};

struct ud_bulk;

/** Application callbacks, all optional (NULL). They run from ud_task(). */
struct ud_bulk_ops {
	/** Endpoints are open and idle (configuration or alternate setting 0 selected). */
	void (*enable)(struct ud_bulk *b);
	/** The configuration is being left: queued requests will complete with
	 * UD_ERR_SHUTDOWN right after this returns. */
	void (*disable)(struct ud_bulk *b);
	/**
	 * A control request the core offers the function (ud_function.h): a class or vendor
	 * request to its interface or endpoints, or to the device or the "other" recipient
	 * (offered to each function in turn), or a standard request to its interface that the
	 * core does not answer. Same contract as `control` in
	 * ud_function.h: answer with ud_ctrl_reply(), ud_ctrl_reply_copy() or ud_ctrl_receive()
	 * and return 0; UD_ERR_NOTSUP if not yours; any other UD_ERR_* stalls. NULL: NOTSUP.
	 */
	int (*control)(struct ud_bulk *b, const struct ud_setup *setup);
	/** The host cleared a halt on @p ep (ud_bulk.ep_in or ep_out); its toggle is DATA0. */
	void (*halt_cleared)(struct ud_bulk *b, uint8_t ep);
};

/** What the application says about the function. Copied by ud_bulk_add(). */
struct ud_bulk_config {
	const struct ud_bulk_ops *ops; /**< NULL: no callbacks */
	/** Interface string (UTF-8, kept as a pointer), NULL: none. */
	const char *interface_string;
	/** DeviceInterfaceGUID "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" for Windows (kept as a
	 * pointer): the device gets Microsoft OS 2.0 descriptors that bind WinUSB to the
	 * interface without an INF file. NULL: no WinUSB descriptors. */
	const char *winusb_guid;
	uint16_t mps_fs;  /**< full-speed max packet size, 8..64; 0: 64 */
	uint16_t mps_hs;  /**< high-speed max packet size, 512 for bulk; 0: 512 */
	uint8_t zlp;      /**< enum ud_bulk_zlp */
	uint8_t subclass; /**< bInterfaceSubClass */
	uint8_t protocol; /**< bInterfaceProtocol */
	void *context;    /**< free for the application (see ud_bulk_context()) */
};

/** One bulk function. Allocate statically; the fields are set by ud_bulk_add(). */
struct ud_bulk {
	struct ud_function fn; /**< (class) registered with the device */
	struct ud_bulk_config cfg;
	uint8_t intf;   /**< interface number */
	uint8_t ep_in;  /**< bulk IN endpoint address (0x8n) */
	uint8_t ep_out; /**< bulk OUT endpoint address (0x0n) */
	uint8_t active; /**< between `enable` and `disable` */
};

/**
 * @brief Register @p b with @p dev: allocates the interface, one bulk OUT and one bulk IN
 * endpoint, the interface string, and the WinUSB section if @p cfg asks for it. Call before
 * ud_device_start(), once per function.
 * @retval 0              added
 * @retval UD_ERR_INVAL   NULL argument, zlp not an enum ud_bulk_zlp, a packet size not
 *                        allowed for bulk (full speed 8, 16, 32, 64; high speed 512) or
 *                        above the port's capability, a malformed GUID or string
 * @retval UD_ERR_NOSPACE a table of ud_config.h is full (functions, interfaces, endpoints,
 *                        strings, descriptor bytes, MS OS 2.0 sections)
 * @retval UD_ERR_STATE   the device has started already
 * @retval UD_ERR_NOTSUP  a GUID was given but udcore was built with UD_MSOS2_SIZE 0
 */
int ud_bulk_add(struct ud_device *dev, struct ud_bulk *b, const struct ud_bulk_config *cfg);

/**
 * @brief Queue @p req on the OUT endpoint (data from the host into `req->buf`, at most
 * `req->length` bytes). See ud_ep_submit().
 * @retval 0              queued: `complete` runs exactly once, later
 * @retval UD_ERR_INVAL   NULL argument, `complete` NULL, `buf` NULL with a non-zero length
 * @retval UD_ERR_BUSY    @p req is queued already or its completion has not run yet
 * @retval UD_ERR_STATE   not enabled (not bound, not configured, or inside `disable`)
 */
int ud_bulk_submit_out(struct ud_bulk *b, struct ud_req *req);

/**
 * @brief Queue @p req on the IN endpoint (`req->length` bytes of `req->buf` to the host),
 * applying the ZLP policy (UD_BULK_ZLP_ALWAYS sets UD_REQ_ZLP in `req->flags`).
 * @retval 0, UD_ERR_INVAL, UD_ERR_BUSY, UD_ERR_STATE as ud_bulk_submit_out()
 */
int ud_bulk_submit_in(struct ud_bulk *b, struct ud_req *req);

/**
 * @brief End a queued request early: it completes later with UD_ERR_CANCELLED (or as it ended,
 * UD_OK or the port's error, if the hardware had finished it) and `actual` bytes moved. See
 * ud_ep_cancel().
 * @retval 0              it will complete
 * @retval UD_ERR_INVAL   NULL argument, or not bound
 * @retval UD_ERR_NOENT   not queued on this function's endpoints
 */
int ud_bulk_cancel(struct ud_bulk *b, struct ud_req *req);

/**
 * @brief Cancel every request queued in both directions (each completes with
 * UD_ERR_CANCELLED, or as it ended if the hardware had already finished it, in order).
 * @retval >=0            how many were cancelled
 * @retval UD_ERR_INVAL   NULL, or not bound
 */
int ud_bulk_flush(struct ud_bulk *b);

/**
 * @brief Halt (STALL) the IN (@p in true) or OUT endpoint, as a protocol error requires; the
 * queue pauses until the host clears the halt. See ud_ep_set_halt().
 * @retval 0; UD_ERR_INVAL (NULL or not bound), UD_ERR_STATE (endpoint not open)
 */
int ud_bulk_set_halt(struct ud_bulk *b, bool in);

/** @brief True between `enable` and `disable`: submits are accepted. */
bool ud_bulk_active(const struct ud_bulk *b);

/** @brief Max packet size of the IN (@p in) or OUT endpoint at the current speed, 0 if the
 * endpoint is not open. */
uint16_t ud_bulk_max_packet(const struct ud_bulk *b, bool in);

/** @brief The `context` of the configuration given to ud_bulk_add() (NULL for NULL @p b). */
void *ud_bulk_context(const struct ud_bulk *b);

/** @brief The bulk function that owns function @p fn (for code that walks the device). */
struct ud_bulk *ud_bulk_from_function(struct ud_function *fn);

#ifdef __cplusplus
}
#endif

#endif /* UD_BULK_H */
