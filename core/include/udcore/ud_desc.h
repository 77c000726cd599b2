/* SPDX-License-Identifier: MIT */
/**
 * @file ud_desc.h
 * @brief The descriptor builder: functions allocate numbers and append their descriptors.
 *
 * The device owns the configuration descriptor. During `bind` (ud_function.h) a function:
 *
 * ```
 * ud_desc_function_begin(dev, cls, sub, proto, istr);     // opens an IAD candidate
 *   intf = ud_desc_alloc_interface(dev);
 *   ud_desc_add_interface(dev, intf, 0, 2, cls, sub, proto, istr);
 *   out = ud_desc_alloc_endpoint(dev, false);  in = ud_desc_alloc_endpoint(dev, true);
 *   ud_desc_add_endpoint(dev, out, UD_EP_BULK, 64, 512, 0, 0);
 *   ud_desc_add_endpoint(dev, in,  UD_EP_BULK, 64, 512, 0, 0);
 * ud_desc_function_end(dev);   // writes an IAD in front if the function has > 1 interface
 * ```
 *
 * or, for the same descriptors as one constant (ud_desc_add_function(), below):
 *
 * ```
 * static const uint8_t desc[] = {
 *     9, UD_DESC_INTERFACE, 0, 0, 2, 0xff, 0, 0, 1,   // interface 0 of the function, string
 *     7, UD_DESC_ENDPOINT, 0x01, UD_EP_BULK, 64, 0, 0, // its 1st endpoint, OUT
 *     7, UD_DESC_ENDPOINT, 0x82, UD_EP_BULK, 64, 0, 0, // its 2nd endpoint, IN
 * };
 * static const struct ud_desc_template t = {desc, NULL, sizeof(desc), 0};
 * uint8_t ep[2];
 * ud_desc_add_function(dev, &t, istr, ep);  // ep[0]: OUT address, ep[1]: IN address
 * ```
 *
 * ud_device_start() then fills wTotalLength and bNumInterfaces, and the core patches each
 * endpoint's wMaxPacketSize and bInterval for the speed the host asks about (configuration at
 * the current speed, other-speed configuration at the other; with UD_HIGH_SPEED 0 the device
 * is full speed only and the high-speed values are ignored). Strings are UTF-8 and sent as
 * UTF-16LE (characters outside the BMP as surrogate pairs; with UD_STRING_UTF8 0 they must be
 * 7-bit ASCII). Functions that add a Microsoft OS
 * 2.0 section make the device report bcdUSB 2.01 (the lowest value that tells a host to read
 * the BOS, USB 2.0 LPM addendum; 2.10 would claim a USB 3 device in USB 2 mode), a BOS
 * descriptor with the MS OS 2.0 platform
 * capability, and answer the descriptor set on vendor request UD_MSOS2_VENDOR_CODE.
 *
 * The builder calls are made from `bind` (ud_device_add_function()), before ud_device_start();
 * while the device is started they return UD_ERR_STATE (ud_desc_add_string() may also be
 * called outside `bind` before the start). Most allocation failures (UD_ERR_NOSPACE) name a
 * table whose size is set in ud_config.h; each function lists its own.
 */
#ifndef UD_DESC_H
#define UD_DESC_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ud_device;

/**
 * @brief Allocate the next interface number for the function being bound.
 * @retval >=0 the interface number; UD_ERR_NOSPACE (UD_MAX_INTERFACES), UD_ERR_STATE.
 */
int ud_desc_alloc_interface(struct ud_device *dev);

/**
 * @brief Allocate the lowest free endpoint number in direction @p in, within the port's
 * endpoint count and UD_MAX_EP_NUM. IN and OUT numbers are allocated independently (EP1 IN and EP1 OUT may
 * belong to different functions).
 * @retval an endpoint address (0x81.. or 0x01..); UD_ERR_NOSPACE, UD_ERR_STATE.
 */
int ud_desc_alloc_endpoint(struct ud_device *dev, bool in);

/**
 * @brief Register a UTF-8 string; the pointer is kept (use a string literal or static).
 * @retval >=1 the string index; UD_ERR_INVAL (NULL, or invalid UTF-8; with UD_STRING_UTF8
 *         0, any byte of 0x80 or above; UD_ERR_NOSPACE instead if the string is already too
 *         long before that byte), UD_ERR_NOSPACE (table full, or the UTF-16 descriptor
 *         would exceed 255 bytes or UD_CTRL_BUF_SIZE), UD_ERR_STATE.
 */
int ud_desc_add_string(struct ud_device *dev, const char *utf8);

/**
 * @brief Start a function's descriptors. If it ends up with more than one interface,
 * ud_desc_function_end() inserts an Interface Association Descriptor with these codes.
 * @retval 0; UD_ERR_STATE (already inside a function, or after start).
 */
int ud_desc_function_begin(struct ud_device *dev, uint8_t cls, uint8_t subclass, uint8_t protocol,
                           uint8_t istring);

/**
 * @brief End the function's descriptors (writes the IAD when needed).
 * @retval 0; UD_ERR_NOSPACE (no room for the IAD), UD_ERR_STATE (no function begun).
 */
int ud_desc_function_end(struct ud_device *dev);

/**
 * @brief Append an interface descriptor. @p intf must have been allocated by this function;
 * alternate settings must be added in order 0, 1, 2 ...
 * @retval 0; UD_ERR_INVAL (interface not the function's, alternate out of order),
 *         UD_ERR_NOSPACE (UD_CONFIG_DESC_SIZE), UD_ERR_STATE, UD_ERR_NOTSUP (@p alt > 0 with
 *         UD_ALT_SETTINGS 0).
 */
int ud_desc_add_interface(struct ud_device *dev, uint8_t intf, uint8_t alt, uint8_t num_ep,
                          uint8_t cls, uint8_t subclass, uint8_t protocol, uint8_t istring);

/**
 * @brief Append an endpoint descriptor with its full- and high-speed packet sizes and
 * intervals. The endpoint belongs to the interface/alternate setting added last. With
 * UD_HIGH_SPEED 0, @p mps_hs and @p interval_hs are ignored.
 * @retval 0; UD_ERR_INVAL (address not allocated by this function, a size of 0 or over the
 *         port's capability, a size or interval USB 2.0 does not allow for the type: bulk
 *         other than 8, 16, 32 or 64 at full speed or 512 at high speed, interrupt over 64 at
 *         full speed, an interrupt or isochronous bInterval of 0, an isochronous or
 *         high-speed interrupt exponent over 16; a control type or any bmAttributes bits
 *         above the transfer type),
 *         UD_ERR_NOSPACE (UD_CONFIG_DESC_SIZE; with high-speed
 *         support also more than UD_EP_SLOTS endpoint descriptors), UD_ERR_STATE.
 */
int ud_desc_add_endpoint(struct ud_device *dev, uint8_t addr, uint8_t type, uint16_t mps_fs,
                         uint16_t mps_hs, uint8_t interval_fs, uint8_t interval_hs);

/**
 * @brief Append a class-specific descriptor (bLength must equal @p len, 2 <= len <= 255).
 * Interface and endpoint descriptors are refused: the core must know them, so they go through
 * ud_desc_add_interface() and ud_desc_add_endpoint().
 * @retval 0; UD_ERR_INVAL (NULL @p desc, bad length, or an INTERFACE or ENDPOINT descriptor),
 *         UD_ERR_NOSPACE, UD_ERR_STATE.
 */
int ud_desc_append(struct ud_device *dev, const uint8_t *desc, uint16_t len);

/**
 * @brief A function's descriptors as one constant block, for ud_desc_add_function(): the
 * bytes the host reads, with the numbers only binding decides written relative to the function.
 */
struct ud_desc_template {
	const uint8_t *desc;      /**< the descriptors, in the order the host reads them */
	const uint8_t *intf_refs; /**< offsets into @p desc of class-specific bytes that hold a
	                           *   relative interface number (e.g. a CDC union's) */
	uint16_t len;             /**< bytes in @p desc */
	uint8_t num_refs;         /**< entries in @p intf_refs */
};

/**
 * @brief Append a function's descriptors from a template, in place of the calls above: one
 * call, the descriptors as one readable constant. Call from `bind`, outside
 * ud_desc_function_begin() / ud_desc_function_end(). The core copies @p t and fills in:
 * - an interface descriptor's bInterfaceNumber, written 0, 1, ... (the template's first
 *   interface, its second, ...): each allocates the next interface number. Only alternate
 *   setting 0 (add alternate settings with the calls above);
 * - an IAD's bFirstInterface (written 0), and each byte at an offset in `intf_refs`: the
 *   number of the template's first interface is added (a function that allocated none before
 *   finds it in its `first_interface`);
 * - an endpoint descriptor's bEndpointAddress, written as the direction bit and the
 *   endpoint's position in the template (1, 2, ... in order): an endpoint number is allocated
 *   as by ud_desc_alloc_endpoint() and stored in @p addrs[position - 1];
 * - an IAD's iFunction and an interface's iInterface: 0 stays 0 (no string), any other value
 *   becomes @p istring (from ud_desc_add_string(), or 0).
 * Endpoint descriptors give the full-speed wMaxPacketSize and bInterval. With high-speed
 * support a bulk endpoint runs 512-byte packets at high speed, an interrupt endpoint the same
 * size at the period of its full-speed bInterval (rounded down to a power of two microframes),
 * an isochronous one the same size and period. Every other descriptor is copied as it is;
 * an IAD makes the device descriptor announce one (class 0xef/0x02/0x01, when
 * ud_device_info.device_class is 0).
 * @retval 0; UD_ERR_INVAL (@p t, its `desc` or @p addrs NULL, `intf_refs` NULL with
 *         `num_refs` > 0; a bLength below 2 or past the template's end, an interface or
 *         endpoint descriptor or IAD too short, an interface number or endpoint position out of
 *         order, an alternate setting other than 0, a control endpoint, a packet size the port
 *         cannot do or a size or interval ud_desc_add_endpoint() refuses, an offset in `intf_refs` past the end), UD_ERR_NOSPACE
 *         (UD_CONFIG_DESC_SIZE, UD_MAX_INTERFACES, no endpoint number left; with high-speed
 *         support also more than UD_EP_SLOTS endpoint descriptors), UD_ERR_STATE
 *         (@p dev NULL, not in `bind`, or inside ud_desc_function_begin()). On an error none
 *         of the template stays in the configuration, but numbers it allocated stay taken:
 *         `bind` should return the error (the device then does not start, see
 *         ud_device_add_function()).
 */
int ud_desc_add_function(struct ud_device *dev, const struct ud_desc_template *t, uint8_t istring,
                         uint8_t *addrs);

/**
 * @brief Ask Windows to bind WinUSB to interface @p first_intf of this function, with
 * DeviceInterfaceGUIDs @p guid ("{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}", kept as a pointer).
 * @retval 0; UD_ERR_INVAL (malformed GUID, or the interface is not this function's),
 *         UD_ERR_NOSPACE (UD_MAX_FUNCTIONS sections), UD_ERR_STATE, UD_ERR_NOTSUP (compiled
 *         with UD_MSOS2_SIZE 0). Whether the whole set fits UD_MSOS2_SIZE is known only when all
 *         functions are bound: ud_device_start() returns UD_ERR_NOSPACE if it does not, or if
 *         more than one function asks for WinUSB on a device Windows does not treat as
 *         composite (one interface, or a device class other than 0 and EF/02/01).
 */
int ud_desc_msos2_winusb(struct ud_device *dev, uint8_t first_intf, const char *guid);

#ifdef __cplusplus
}
#endif

#endif /* UD_DESC_H */
