/* SPDX-License-Identifier: MIT */
/**
 * @file ud_config.h
 * @brief Compile-time configuration: every table size in one place, with defaults.
 *
 * Override any value with `-DUD_...=N` on the compiler command line, or put the overrides in a
 * header of your own and build with `-DUD_CONFIG_FILE=\"my_ud_config.h\"`. All storage is static
 * and sized by these values: udcore never allocates memory at run time. Set every value the same
 * for all files (the sizes of public structs depend on them). A value out of its range stops the
 * build with an #error that names it.
 *
 * The classes' own values are listed at the end ("Class values"); they are set the same way.
 */
#ifndef UD_CONFIG_H
#define UD_CONFIG_H

#ifdef UD_CONFIG_FILE
#include UD_CONFIG_FILE
#endif

/** Endpoint numbers per direction, EP0 included (2..16). Endpoints 0..UD_MAX_EP_NUM-1 exist. */
#ifndef UD_MAX_EP_NUM
#define UD_MAX_EP_NUM 8
#endif

/** Interfaces in the configuration (1..32). */
#ifndef UD_MAX_INTERFACES
#define UD_MAX_INTERFACES 8
#endif

/** Functions (class instances) registered on one device (1..254). */
#ifndef UD_MAX_FUNCTIONS
#define UD_MAX_FUNCTIONS 4
#endif

/** String descriptors, index 0 (the language list) excluded (1..255). */
#ifndef UD_MAX_STRINGS
#define UD_MAX_STRINGS 12
#endif

/** Bytes reserved for the configuration descriptor the builder writes (9..65535). */
#ifndef UD_CONFIG_DESC_SIZE
#define UD_CONFIG_DESC_SIZE 256
#endif

/**
 * Bytes of the core's EP0 buffer. It holds the core's own replies (the device descriptor and
 * qualifier, strings converted to UTF-16LE, the BOS, GET_STATUS, GET_CONFIGURATION and
 * GET_INTERFACE) and what functions pass to ud_ctrl_reply_copy(). A string descriptor longer
 * than this is refused by ud_desc_add_string(). 64..65534: lengths are 16-bit (wLength), and a
 * 16-bit length must be able to exceed the buffer for the core's and HID's "does it fit" checks.
 */
#ifndef UD_CTRL_BUF_SIZE
#define UD_CTRL_BUF_SIZE 128
#endif

/**
 * Bytes reserved for the Microsoft OS 2.0 descriptor set (the BOS is built on request). 0
 * compiles MS OS 2.0 support out. The set takes 162 bytes for a device with one interface; a
 * composite device takes 18 plus 160 per WinUSB function, so the default fits two. 0, or
 * 162..65535 (the smallest set; the set's wTotalLength is 16-bit).
 */
#ifndef UD_MSOS2_SIZE
#define UD_MSOS2_SIZE 384
#endif

/**
 * Vendor request code (bMS_VendorCode) on which the MS OS 2.0 descriptor set is answered
 * (0..255: bRequest is one byte).
 */
#ifndef UD_MSOS2_VENDOR_CODE
#define UD_MSOS2_VENDOR_CODE 0x20
#endif

/*
 * Features a firmware may leave out to save code and RAM. Each is on (1) by default; set it to 0
 * only if the device does not need it. A feature left out still gets the answer USB 2.0
 * prescribes when a host asks for it (noted for each), and the calls that need it return an
 * error.
 */

/**
 * High-speed support: the device qualifier and other-speed configuration descriptors, a
 * high-speed wMaxPacketSize and bInterval per endpoint, a 64-byte EP0 at high speed, and test
 * modes (USB 2.0 9.4.9 requires them of every high-speed capable device, so they come and go
 * with high speed). 0 makes a full-speed-only device: GET_DESCRIPTOR(DEVICE_QUALIFIER) and
 * GET_DESCRIPTOR(OTHER_SPEED_CONFIGURATION) are request errors (a STALL, as USB 2.0 9.6.2
 * requires of a full-speed-only device), SET_FEATURE(TEST_MODE) is a request error,
 * ud_desc_add_endpoint() ignores its high-speed size and interval, the core keeps no
 * per-endpoint table beside the configuration descriptor, and ud_device_start() returns
 * UD_ERR_NOTSUP on a port whose capabilities include UD_SPEED_HIGH (run such a controller at
 * full speed and declare it so).
 */
#ifndef UD_HIGH_SPEED
#define UD_HIGH_SPEED 1
#endif

/**
 * Remote wakeup: SET_FEATURE / CLEAR_FEATURE(DEVICE_REMOTE_WAKEUP) and the remote wakeup bit of
 * GET_STATUS. 0: those requests are request errors (a STALL, as for a device that does not
 * support remote wakeup, USB 2.0 9.4.1), the configuration descriptor never announces remote
 * wakeup (UD_CONFIG_ATTR_REMOTE_WAKEUP in ud_device_info.attributes is ignored), so
 * ud_device_remote_wakeup() always returns UD_ERR_STATE.
 */
#ifndef UD_REMOTE_WAKEUP
#define UD_REMOTE_WAKEUP 1
#endif

/**
 * UTF-8 strings: string descriptors are converted from UTF-8 (strictly checked; characters
 * outside the BMP become surrogate pairs). 0: strings must be 7-bit ASCII (1..0x7f per byte),
 * which a much smaller routine converts; ud_desc_add_string() and ud_device_init() return
 * UD_ERR_INVAL for a string with any byte of 0x80 or above rather than send it garbled.
 */
#ifndef UD_STRING_UTF8
#define UD_STRING_UTF8 1
#endif

/**
 * Alternate settings: interfaces with more than their default setting, and SET_INTERFACE.
 * 0: every interface has only alternate setting 0; ud_desc_add_interface() returns
 * UD_ERR_NOTSUP for any other; SET_INTERFACE is a request error (a STALL, which USB 2.0 9.4.10
 * allows of an interface with only a default setting: hosts then reset its endpoints with
 * CLEAR_FEATURE(ENDPOINT_HALT)); GET_INTERFACE still answers 0. None of udcore's classes uses
 * alternate settings.
 */
#ifndef UD_ALT_SETTINGS
#define UD_ALT_SETTINGS 1
#endif

/**
 * Endpoint streams (ud_stream.h): a ring per endpoint instead of a request per packet, where
 * the port implements them (`ep_stream` in ud_port.h). 0: ud_ep_stream_start() answers
 * UD_ERR_NOTSUP whatever the port, the classes build only their request path (CDC), and
 * port/stm32_fsdev leaves out its stream code. For a firmware whose port has no streams
 * (port/skeleton today), which would carry that code unused, or one that would rather save
 * the code than the per-packet instructions (docs/size.md, "What the feature switches cost",
 * measures it on the core + CDC probe). The ring
 * helpers ports call (ud_stream_out_*(), ud_stream_in_*()) are built either way.
 */
#ifndef UD_STREAMS
#define UD_STREAMS 1
#endif

#if UD_MAX_EP_NUM < 2 || UD_MAX_EP_NUM > 16
#error "UD_MAX_EP_NUM must be 2..16"
#endif
#if UD_MAX_INTERFACES < 1 || UD_MAX_INTERFACES > 32
#error "UD_MAX_INTERFACES must be 1..32"
#endif
#if UD_CTRL_BUF_SIZE < 64 || UD_CTRL_BUF_SIZE > 65534
#error "UD_CTRL_BUF_SIZE must be 64..65534"
#endif
#if UD_MSOS2_SIZE != 0 && (UD_MSOS2_SIZE < 162 || UD_MSOS2_SIZE > 65535)
#error "UD_MSOS2_SIZE must be 0 (no MS OS 2.0) or 162..65535"
#endif
#if UD_MSOS2_VENDOR_CODE < 0 || UD_MSOS2_VENDOR_CODE > 255
#error "UD_MSOS2_VENDOR_CODE must be 0..255"
#endif
#if UD_MAX_FUNCTIONS < 1 || UD_MAX_FUNCTIONS > 254
#error "UD_MAX_FUNCTIONS must be 1..254"
#endif
#if UD_MAX_STRINGS < 1 || UD_MAX_STRINGS > 255
#error "UD_MAX_STRINGS must be 1..255"
#endif
#if UD_CONFIG_DESC_SIZE < 9 || UD_CONFIG_DESC_SIZE > 65535
#error "UD_CONFIG_DESC_SIZE must be 9..65535"
#endif
#if UD_HIGH_SPEED != 0 && UD_HIGH_SPEED != 1
#error "UD_HIGH_SPEED must be 0 or 1"
#endif
#if UD_REMOTE_WAKEUP != 0 && UD_REMOTE_WAKEUP != 1
#error "UD_REMOTE_WAKEUP must be 0 or 1"
#endif
#if UD_STRING_UTF8 != 0 && UD_STRING_UTF8 != 1
#error "UD_STRING_UTF8 must be 0 or 1"
#endif
#if UD_ALT_SETTINGS != 0 && UD_ALT_SETTINGS != 1
#error "UD_ALT_SETTINGS must be 0 or 1"
#endif
#if UD_STREAMS != 0 && UD_STREAMS != 1
#error "UD_STREAMS must be 0 or 1"
#endif

/*
 * Class values. Each class header defines and checks its own (the header named below), after
 * including this one: set them the same way, with -D or in the UD_CONFIG_FILE header.
 *
 *   value                    default   range       header: what it sets
 *   UD_DAP_MAX_PACKET_COUNT  8         1..255      ud_dap.h: the largest packet_count of a
 *                                                  CMSIS-DAP probe (sizes its per-slot tables)
 *   UD_BULK_LOOPBACK_SLOTS   2         1..16       ud_bulk_loopback.h: transfers the loopback
 *                                                  personality keeps in flight
 *   UD_CDC_MAX_PACKET        64        64 or 512   ud_cdc.h: the largest CDC data packet (512
 *                                                  for a port that can run at high speed)
 *   UD_CDC_OVERWRITE         1         0 or 1      ud_cdc.h: the overwrite options built in
 *   UD_CDC_OTHER_CONTEXT     1         0 or 1      ud_cdc.h: UD_CDC_CTX_OTHER and the lock
 *                                                  hooks built in
 *   UD_SWD_GPIO_CONFIG       not set   a header    ud_swd_gpio.h ("Speed"): a header, e.g.
 *                                                  -DUD_SWD_GPIO_CONFIG=\"my_swd_pins.h\",
 *                                                  whose macros replace the GPIO SWD backend's
 *                                                  pin callbacks with register accesses; only
 *                                                  class/dap/swd_gpio.c reads it
 *
 * Two choices are not macros. Which classes are built is the CMake variable UD_CLASSES (the
 * top-level CMakeLists.txt: "bulk;cdc;dap;hid" by default, dap needs hid). The EP0 packet size is
 * chosen at run time: ud_device_info.ep0_max_packet (8, 16, 32 or 64, checked by
 * ud_device_init(); at high speed EP0 is always 64).
 */

#endif /* UD_CONFIG_H */
