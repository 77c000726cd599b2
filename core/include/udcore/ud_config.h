/* SPDX-License-Identifier: MIT */
/**
 * @file ud_config.h
 * @brief Compile-time configuration: every table size in one place, with defaults.
 *
 * Override any value with `-DUD_...=N` on the compiler command line, or put the overrides in a
 * header of your own and build with `-DUD_CONFIG_FILE=\"my_ud_config.h\"`. All storage is static
 * and sized by these values: udcore never allocates memory at run time.
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

/** Functions (class instances) registered on one device. */
#ifndef UD_MAX_FUNCTIONS
#define UD_MAX_FUNCTIONS 4
#endif

/** String descriptors, index 0 (the language list) excluded. */
#ifndef UD_MAX_STRINGS
#define UD_MAX_STRINGS 12
#endif

/** Bytes reserved for the configuration descriptor the builder writes. */
#ifndef UD_CONFIG_DESC_SIZE
#define UD_CONFIG_DESC_SIZE 256
#endif

/**
 * Bytes of the core's EP0 buffer. It holds the core's own replies (GET_STATUS, strings
 * converted to UTF-16LE, the device qualifier). A string descriptor longer than this is refused
 * by ud_desc_add_string(). Minimum 64.
 */
#ifndef UD_CTRL_BUF_SIZE
#define UD_CTRL_BUF_SIZE 128
#endif

/**
 * Bytes reserved for the Microsoft OS 2.0 descriptor set (the BOS is built on request). 0
 * compiles MS OS 2.0 support out. The set takes 170 bytes for a device with one interface; a
 * composite device takes 18 plus 168 per WinUSB function, so the default fits two.
 */
#ifndef UD_MSOS2_SIZE
#define UD_MSOS2_SIZE 384
#endif

/** Vendor request code (bMS_VendorCode) on which the MS OS 2.0 descriptor set is answered. */
#ifndef UD_MSOS2_VENDOR_CODE
#define UD_MSOS2_VENDOR_CODE 0x20
#endif

#if UD_MAX_EP_NUM < 2 || UD_MAX_EP_NUM > 16
#error "UD_MAX_EP_NUM must be 2..16"
#endif
#if UD_MAX_INTERFACES < 1 || UD_MAX_INTERFACES > 32
#error "UD_MAX_INTERFACES must be 1..32"
#endif
#if UD_CTRL_BUF_SIZE < 64
#error "UD_CTRL_BUF_SIZE must be at least 64"
#endif

#endif /* UD_CONFIG_H */
