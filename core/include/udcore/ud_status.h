/* SPDX-License-Identifier: MIT */
/**
 * @file ud_status.h
 * @brief Return codes and request completion statuses, defined once for the whole stack.
 *
 * Every udcore function that can fail returns an `int`: one of the negative codes below on
 * failure; on success 0, or a count or index where its documentation says so. A completed request (`struct ud_req`) carries one of the same codes in its
 * `status` field, so a class can tell who ended a transfer:
 *
 * | status              | who ended the request                                              |
 * |---------------------|--------------------------------------------------------------------|
 * | UD_OK               | the transfer finished; `actual` may be short (a short OUT packet)  |
 * | UD_ERR_CANCELLED    | the class called ud_ep_cancel()                                    |
 * | UD_ERR_SHUTDOWN     | the endpoint closed: SET_CONFIGURATION, SET_INTERFACE, bus reset,  |
 * |                     | disconnect, or ud_device_stop()                                    |
 * | UD_ERR_OVERTAKEN    | EP0 only: a new SETUP arrived before the transfer ended            |
 * | UD_ERR_OVERFLOW     | the host sent more than the buffer holds; nothing written past it  |
 * | UD_ERR_IO           | the port refused to start the transfer, or reported a transfer     |
 * |                     | error it could not recover                                         |
 */
#ifndef UD_STATUS_H
#define UD_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

enum ud_status {
	UD_OK = 0,
	UD_ERR_INVAL = -1,      /**< an argument is out of range or NULL */
	UD_ERR_STATE = -2,      /**< not allowed in the current device or endpoint state */
	UD_ERR_BUSY = -3,       /**< the object is already in use (request queued twice, ...) */
	UD_ERR_NOSPACE = -4,    /**< a fixed-size table or buffer is full */
	UD_ERR_NOTSUP = -5,     /**< not supported (by this port, function or request) */
	UD_ERR_NOENT = -6,      /**< no such object (e.g. a request not queued on that endpoint) */
	UD_ERR_CANCELLED = -10, /**< request ended by ud_ep_cancel() */
	UD_ERR_SHUTDOWN = -11,  /**< request ended because its endpoint was closed */
	UD_ERR_OVERTAKEN = -12, /**< EP0 request ended by a newer SETUP packet */
	UD_ERR_OVERFLOW = -13,  /**< the host sent more data than the request buffer holds */
	UD_ERR_IO = -14,        /**< the port refused the transfer or reported it failed */
};

/**
 * @brief A short constant name for a status code ("ok", "cancelled", ...), for logs and the
 * simulator. Unknown values give "unknown". Never returns NULL.
 */
const char *ud_status_name(int status);

#ifdef __cplusplus
}
#endif

#endif /* UD_STATUS_H */
