/* SPDX-License-Identifier: MIT */
/**
 * @file ud_hid.h
 * @brief A small HID function (HID 1.11): one interface, an interrupt IN and an optional
 * interrupt OUT endpoint, the HID and report descriptors, and the class requests.
 *
 * It is a building block: it knows nothing of what its reports mean. The user (the CMSIS-DAP
 * v1 transport, ud_dap.h, is one) embeds a `struct ud_hid`, fills a `struct ud_hid_config`
 * and moves reports with its own `struct ud_req` through ud_hid_send() / ud_hid_receive(),
 * under the ownership rule of ud_req.h.
 *
 * ```
 * static const struct ud_hid_config cfg = { .report_desc = rd, .report_desc_len = sizeof(rd),
 *         .in_size = 64, .out_size = 64, .interval_fs = 1, .interval_hs = 1, .ops = &ops };
 * ud_hid_add(&dev, &hid, &cfg);            // before ud_device_start()
 * ```
 *
 * What it answers on EP0, for its interface:
 *
 * | request                       | answer                                                   |
 * |-------------------------------|----------------------------------------------------------|
 * | GET_DESCRIPTOR(HID 0x21)      | the 9-byte HID descriptor (also in the configuration)    |
 * | GET_DESCRIPTOR(Report 0x22)   | `report_desc`                                            |
 * | GET_REPORT (required by HID)  | `ops->get_report`; without one, an input report of zeros |
 * |                               | (`in_size` bytes); other types STALL                     |
 * | SET_REPORT                    | `ops->set_report` (data in `set_report_buf`); STALL if   |
 * |                               | there is no callback or the report does not fit          |
 * | SET_IDLE / GET_IDLE           | the idle rate is stored and reported back (see below)     |
 * | SET_PROTOCOL / GET_PROTOCOL   | boot interfaces (`subclass` 1) only; STALL otherwise     |
 *
 * The idle rate is kept for GET_IDLE but never makes the function repeat a report: reports are
 * sent only when the user submits one. A non-boot HID function may do so (HID 1.11 7.2.4 makes
 * SET_IDLE optional outside boot keyboards), and a user whose input reports are answers (DAP v1)
 * must never see one duplicated. A wrong direction, wLength or report type is a STALL.
 *
 * Every callback runs from ud_task().
 */
#ifndef UD_HID_H
#define UD_HID_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/udcore.h"

#ifdef __cplusplus
extern "C" {
#endif

/* HID 1.11 constants: descriptor types, class requests, report types. */
#define UD_HID_CLASS 0x03u
#define UD_HID_DESC_HID 0x21u
#define UD_HID_DESC_REPORT 0x22u
#define UD_HID_GET_REPORT 0x01u
#define UD_HID_GET_IDLE 0x02u
#define UD_HID_GET_PROTOCOL 0x03u
#define UD_HID_SET_REPORT 0x09u
#define UD_HID_SET_IDLE 0x0au
#define UD_HID_SET_PROTOCOL 0x0bu
#define UD_HID_REPORT_INPUT 0x01u
#define UD_HID_REPORT_OUTPUT 0x02u
#define UD_HID_REPORT_FEATURE 0x03u
#define UD_HID_PROTOCOL_BOOT 0x00u
#define UD_HID_PROTOCOL_REPORT 0x01u
#define UD_HID_SUBCLASS_BOOT 0x01u

/** Size of the HID descriptor this function writes (one report descriptor). */
#define UD_HID_DESC_LEN 9u

struct ud_hid;

/** The user's callbacks; every one is optional (NULL). All run from ud_task(). */
struct ud_hid_ops {
	/**
	 * The interrupt endpoints are open and empty: after SET_CONFIGURATION, and again after a
	 * SET_INTERFACE, which closes and reopens them (requests submitted earlier have then
	 * completed with UD_ERR_SHUTDOWN). Submit the first requests here.
	 */
	void (*enable)(struct ud_hid *hid);
	/** The configuration is being left (SET_CONFIGURATION, bus reset, disconnect, stop): the
	 * endpoints close next and queued requests complete with UD_ERR_SHUTDOWN. */
	void (*disable)(struct ud_hid *hid);
	/** The host cleared a halt on @p ep (ud_hid_ep_in() or ud_hid_ep_out()). */
	void (*halt_cleared)(struct ud_hid *hid, uint8_t ep);
	/** The user asked for it with ud_function_wake(&hid->fn) (ud_function.h `poll`). */
	void (*poll)(struct ud_hid *hid);
	/**
	 * GET_REPORT: write report @p type / @p id into @p buf (room for @p cap bytes; the core's
	 * EP0 buffer, zeroed up to wLength, so bytes left unwritten are sent as 0).
	 * @return the report length (it is cut to wLength), or a UD_ERR_* code to STALL.
	 */
	int (*get_report)(struct ud_hid *hid, uint8_t type, uint8_t id, uint8_t *buf, uint16_t cap);
	/**
	 * SET_REPORT: report @p type / @p id arrived in @p data (@p len bytes, as the host sent
	 * them; a report ID, if any, is the first byte).
	 * @return 0 to acknowledge it, a UD_ERR_* code to STALL the status stage.
	 */
	int (*set_report)(struct ud_hid *hid, uint8_t type, uint8_t id, const uint8_t *data,
	                  uint16_t len);
};

/** What the HID function looks like. Kept as a pointer: make it static or long-lived. */
struct ud_hid_config {
	const uint8_t *report_desc; /**< the report descriptor (kept as a pointer) */
	uint16_t report_desc_len;   /**< 1..65535 */
	uint16_t in_size;  /**< interrupt IN max packet size: 1..64 at full speed; used at both */
	uint16_t out_size; /**< interrupt OUT max packet size; 0: no OUT endpoint */
	uint16_t in_size_hs, out_size_hs; /**< at high speed (0: same as full speed); <= 1024 */
	uint8_t interval_fs;              /**< bInterval at full speed, in ms (1..255) */
	uint8_t interval_hs;          /**< bInterval at high speed: 2^(n-1) microframes (1..16) */
	uint8_t subclass;             /**< 0, or UD_HID_SUBCLASS_BOOT */
	uint8_t protocol;             /**< bInterfaceProtocol: 0 none, 1 keyboard, 2 mouse */
	uint8_t country;              /**< bCountryCode, normally 0 */
	const char *interface_string; /**< UTF-8, NULL: none */
	const struct ud_hid_ops *ops; /**< NULL: no callbacks */
	uint8_t *set_report_buf;      /**< room for SET_REPORT data (NULL if no set_report) */
	uint16_t set_report_len;
};

/** The function's state. Private: zero it, then ud_hid_add(). */
struct ud_hid {
	struct ud_function fn;
	const struct ud_hid_config *cfg;
	uint8_t intf;
	uint8_t ep_in, ep_out; /**< 0 when absent */
	uint8_t idle;          /**< last SET_IDLE duration (4 ms units), 0 = indefinite */
	uint8_t protocol;      /**< UD_HID_PROTOCOL_*; REPORT again at every SET_CONFIGURATION */
	uint8_t desc[UD_HID_DESC_LEN];
};

/**
 * @brief Bind @p hid to @p dev (calls ud_device_add_function()). Before ud_device_start().
 * @retval 0; UD_ERR_INVAL (NULL argument, no report descriptor, an endpoint size of 0 or
 *         above 64 at full speed / 1024 at high speed, an interval of 0 or `interval_hs` above
 *         16, SET_REPORT callback without a buffer); UD_ERR_STATE (the device was started); or
 *         an error of ud_device_add_function() or the descriptor builder (UD_ERR_NOSPACE:
 *         UD_MAX_FUNCTIONS or a table of ud_config.h).
 */
int ud_hid_add(struct ud_device *dev, struct ud_hid *hid, const struct ud_hid_config *cfg);

/**
 * @brief Queue an input report: ud_ep_submit() on the interrupt IN endpoint, with the same
 * return codes and completion rule (ud_req.h). Task context.
 */
int ud_hid_send(struct ud_hid *hid, struct ud_req *req);

/**
 * @brief Queue a receive on the interrupt OUT endpoint (ud_ep_submit()).
 * @retval UD_ERR_NOTSUP the function has no OUT endpoint; otherwise as ud_ep_submit().
 */
int ud_hid_receive(struct ud_hid *hid, struct ud_req *req);

/** @brief Interrupt IN endpoint address (valid after ud_hid_add()). */
uint8_t ud_hid_ep_in(const struct ud_hid *hid);

/** @brief Interrupt OUT endpoint address, 0 if the function has none. */
uint8_t ud_hid_ep_out(const struct ud_hid *hid);

/** @brief The interface number it was given. */
uint8_t ud_hid_interface(const struct ud_hid *hid);

/** @brief The idle duration of the last SET_IDLE since the last SET_CONFIGURATION (4 ms units;
 * 0 = indefinite, also before any). */
uint8_t ud_hid_idle(const struct ud_hid *hid);

/** @brief UD_HID_PROTOCOL_BOOT or UD_HID_PROTOCOL_REPORT (the latter unless a boot host
 * asked otherwise since the last SET_CONFIGURATION). */
uint8_t ud_hid_protocol(const struct ud_hid *hid);

#ifdef __cplusplus
}
#endif

#endif /* UD_HID_H */
