/* SPDX-License-Identifier: MIT */
/**
 * @file ud_function.h
 * @brief The function (class) API: how a class plugs into the device.
 *
 * A function is one class instance (a CDC port, a DAP probe, a bulk pipe). It embeds a
 * `struct ud_function` in its own state, fills `ops`, and registers it with
 * ud_device_add_function() before ud_device_start(). The core then calls:
 *
 * 1. `bind` once, at once, from ud_device_add_function(): the function allocates interface
 *    numbers, endpoint addresses and string indexes and writes its descriptors (ud_desc.h).
 * 2. On SET_CONFIGURATION(1): the core opens the endpoints of alternate setting 0 of each of
 *    the function's interfaces, then calls `enable`. The function submits its requests there.
 * 3. On leaving the configuration (bus reset, disconnect, SET_CONFIGURATION(0) or a repeated
 *    SET_CONFIGURATION, ud_device_stop()): the core calls `disable`, then closes the endpoints.
 *    Every request still queued then completes with UD_ERR_SHUTDOWN, before the call that
 *    started the change returns to ud_task() (and, for a repeated SET_CONFIGURATION, before
 *    `enable` runs again), so the function can resubmit the same requests in `enable`.
 * 4. On SET_INTERFACE: the core closes the endpoints of the old alternate setting (their
 *    requests complete with UD_ERR_SHUTDOWN), opens those of the new one and calls `set_alt`.
 *    SET_INTERFACE to the current setting does the same (it resets the endpoints' state). If
 *    the port cannot open the new setting's endpoints, the request is stalled, the old setting
 *    is reopened and `set_alt` reports the old setting (its endpoints were reset all the same).
 *
 * Every callback runs in task context, never from an interrupt: `bind` from
 * ud_device_add_function(), `disable` (and request completions) also from ud_device_stop(),
 * all others from ud_task(). All callbacks but `bind` are optional (NULL).
 */
#ifndef UD_FUNCTION_H
#define UD_FUNCTION_H

#include <stdbool.h>
#include <stdint.h>

#include "ud_ch9.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ud_device;
struct ud_function;

/**
 * Called when the OUT data stage that ud_ctrl_receive() asked for ended, exactly once per
 * successful ud_ctrl_receive().
 * @param status UD_OK (all wLength bytes are in @p buf); UD_ERR_OVERFLOW (the data stage
 *        failed: the host sent more or fewer bytes than wLength, the port reported an error,
 *        or the port refused to start it; @p len is what arrived, 0 if nothing started; the
 *        core stalls the request); UD_ERR_OVERTAKEN (a new SETUP arrived first);
 *        UD_ERR_SHUTDOWN (bus reset, disconnect or ud_device_stop() first).
 * @return for UD_OK: 0 to acknowledge the status stage, any UD_ERR_* to STALL it. Ignored
 *         otherwise.
 */
typedef int (*ud_ctrl_data_fn)(struct ud_function *fn, const struct ud_setup *setup, uint8_t *buf,
                               uint16_t len, int status);

struct ud_function_ops {
	/** Allocate interfaces, endpoints, strings and write descriptors (ud_desc.h).
	 * @retval 0 bound; any UD_ERR_* makes ud_device_add_function() fail with it. */
	int (*bind)(struct ud_function *fn, struct ud_device *dev);

	/** The configuration was selected; alternate setting 0 endpoints are open. */
	void (*enable)(struct ud_function *fn);

	/** The configuration was left; endpoints are about to close (see above). */
	void (*disable)(struct ud_function *fn);

	/** Interface @p intf (one of the function's) now runs alternate setting @p alt. */
	void (*set_alt)(struct ud_function *fn, uint8_t intf, uint8_t alt);

	/**
	 * A control request for this function: class or vendor requests whose recipient is one of
	 * its interfaces or endpoints, standard requests to its interfaces that the core does not
	 * answer (e.g. GET_DESCRIPTOR for a HID report descriptor), standard SYNCH_FRAME to one of
	 * its isochronous endpoints, and class or vendor requests to the device, the "other" or a
	 * reserved recipient (offered to each function in turn). While an MS OS 2.0 set exists,
	 * vendor requests to the device with bRequest UD_MSOS2_VENDOR_CODE are the core's.
	 * Requests to an interface or endpoint come only while the device is configured (before,
	 * the core stalls them: there are none yet); the others come in any state.
	 *
	 * Answer by calling at most one of ud_ctrl_reply(), ud_ctrl_reply_copy() or
	 * ud_ctrl_receive() and returning 0; returning 0 without one acknowledges a request
	 * with no data stage (an IN request then gets a zero-length data stage; an OUT request with
	 * a data stage is stalled).
	 *
	 * @retval 0              handled as above
	 * @retval UD_ERR_NOTSUP  not this function's request: the core offers it elsewhere, and
	 *                        stalls it if nobody takes it
	 * @retval other UD_ERR_* a request error: the core stalls EP0 (protocol stall)
	 */
	int (*control)(struct ud_function *fn, const struct ud_setup *setup);

	/** The host cleared a halt on @p ep (CLEAR_FEATURE(ENDPOINT_HALT)); toggle is DATA0. */
	void (*halt_cleared)(struct ud_function *fn, uint8_t ep);

	/** The bus was reset (after `disable` if the device was configured). */
	void (*reset)(struct ud_function *fn);

	/** The bus was suspended or resumed. A bus reset, a disconnect or ud_device_stop() also
	 * end a suspension, without a suspend(false) call (`reset` or `disable` tell of those). */
	void (*suspend)(struct ud_function *fn, bool suspended);

	/** Start of frame (latest frame number; SOFs between two ud_task() runs coalesce). */
	void (*sof)(struct ud_function *fn, uint16_t frame);

	/**
	 * Task-context work the function asked for with ud_function_wake() from another context
	 * (an application thread, an interrupt): e.g. re-arm an OUT endpoint once a reader made
	 * room, or send responses another thread produced. Runs from ud_task(), at least once
	 * after every ud_function_wake(), so it may submit requests.
	 */
	void (*poll)(struct ud_function *fn);
};

/** Embed in the class's state. Fill `ops` (and `name`); the core fills the rest. */
struct ud_function {
	const struct ud_function_ops *ops;
	const char *name;        /**< for logs and the simulator, may be NULL */
	struct ud_device *dev;   /**< (core) the device it is bound to */
	uint8_t first_interface; /**< (core) first interface number it allocated */
	uint8_t num_interfaces;  /**< (core) how many it allocated */
	uint8_t index;           /**< (core) position in the device's function table */
};

/**
 * @brief Ask ud_task() to run @p fn's `poll` callback soon. Safe from any context: an
 * interrupt, another thread, or ud_task() itself; it never blocks, and wakes the thread that
 * runs ud_task() through the device's `on_event` hook. Wakes between two ud_task() runs fold
 * into one `poll`. Make the change `poll` should see (e.g. advance a ring index) before calling
 * this, so `poll` cannot miss it.
 */
void ud_function_wake(struct ud_function *fn);

/**
 * @brief Answer the current IN control request with @p len bytes at @p data. The core sends
 * min(@p len, wLength) bytes, plus a ZLP when that is shorter than wLength and a multiple of the
 * EP0 max packet size. @p data must stay valid until the next SETUP, bus reset or disconnect
 * (use ud_ctrl_reply_copy() for data on the stack).
 * Call only from a `control` callback.
 * @retval 0             reply set
 * @retval UD_ERR_INVAL  NULL @p dev, or NULL @p data with non-zero @p len
 * @retval UD_ERR_STATE  not inside a `control` callback of an IN request, or already answered
 */
int ud_ctrl_reply(struct ud_device *dev, const void *data, uint16_t len);

/**
 * @brief Like ud_ctrl_reply() but copies @p data into the core's EP0 buffer first.
 * @retval 0, UD_ERR_INVAL, UD_ERR_STATE as ud_ctrl_reply(); UD_ERR_NOSPACE if
 *         min(@p len, wLength) > UD_CTRL_BUF_SIZE.
 */
int ud_ctrl_reply_copy(struct ud_device *dev, const void *data, uint16_t len);

/**
 * @brief The core's EP0 buffer (UD_CTRL_BUF_SIZE bytes), to build the answer to the current
 * IN request in place and then pass it to ud_ctrl_reply(): no copy, and no buffer of that
 * size on the caller's stack. It stays valid as ud_ctrl_reply() requires.
 * Call only from a `control` callback of an IN request, before answering it.
 * @return the buffer; NULL if @p dev is NULL or not inside such a callback (the same cases in
 *         which ud_ctrl_reply() returns UD_ERR_INVAL or UD_ERR_STATE)
 */
uint8_t *ud_ctrl_reply_buffer(struct ud_device *dev);

/**
 * @brief Receive the OUT data stage of the current request (wLength bytes) into @p buf, then
 * call @p done. The host sending more than wLength is refused with a STALL (and @p done gets
 * UD_ERR_OVERFLOW).
 * Call only from a `control` callback.
 * @retval 0             @p done will run exactly once, provided the `control` callback then
 *                       returns 0 (if it returns an error the request is stalled and @p done
 *                       never runs; returning UD_ERR_NOTSUP after answering is a bug of the
 *                       function)
 * @retval UD_ERR_INVAL  NULL @p dev, @p buf or @p done
 * @retval UD_ERR_NOSPACE @p len < wLength: the request does not fit; return an error to stall
 * @retval UD_ERR_STATE  not inside a `control` callback of an OUT request with a data stage,
 *                       or already answered
 */
int ud_ctrl_receive(struct ud_device *dev, uint8_t *buf, uint16_t len, ud_ctrl_data_fn done);

#ifdef __cplusplus
}
#endif

#endif /* UD_FUNCTION_H */
