/* SPDX-License-Identifier: MIT */
/**
 * @file ud_ch9.h
 * @brief USB 2.0 chapter 9 constants: request codes, descriptor types, feature selectors.
 *
 * Only facts from the USB 2.0 specification live here; no behaviour.
 */
#ifndef UD_CH9_H
#define UD_CH9_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A SETUP packet, decoded to host byte order. Its layout is that of the wire, so on a
 * little-endian CPU the 8 raw bytes are the struct. */
struct ud_setup {
	uint8_t bmRequestType;
	uint8_t bRequest;
	uint16_t wValue;
	uint16_t wIndex;
	uint16_t wLength;
};

/** Decode the 8 bytes of a SETUP packet (little endian on the wire). */
static inline struct ud_setup ud_setup_decode(const uint8_t raw[8])
{
	struct ud_setup s;
	s.bmRequestType = raw[0];
	s.bRequest = raw[1];
	s.wValue = (uint16_t)(raw[2] | (raw[3] << 8));
	s.wIndex = (uint16_t)(raw[4] | (raw[5] << 8));
	s.wLength = (uint16_t)(raw[6] | (raw[7] << 8));
	return s;
}

/* bmRequestType fields */
#define UD_DIR_IN 0x80u
#define UD_DIR_OUT 0x00u
#define UD_REQ_TYPE_MASK 0x60u
#define UD_REQ_TYPE_STANDARD 0x00u
#define UD_REQ_TYPE_CLASS 0x20u
#define UD_REQ_TYPE_VENDOR 0x40u
#define UD_REQ_RCPT_MASK 0x1fu
#define UD_REQ_RCPT_DEVICE 0x00u
#define UD_REQ_RCPT_INTERFACE 0x01u
#define UD_REQ_RCPT_ENDPOINT 0x02u
#define UD_REQ_RCPT_OTHER 0x03u

/* Standard request codes (USB 2.0 table 9-4) */
#define UD_REQ_GET_STATUS 0x00u
#define UD_REQ_CLEAR_FEATURE 0x01u
#define UD_REQ_SET_FEATURE 0x03u
#define UD_REQ_SET_ADDRESS 0x05u
#define UD_REQ_GET_DESCRIPTOR 0x06u
#define UD_REQ_SET_DESCRIPTOR 0x07u
#define UD_REQ_GET_CONFIGURATION 0x08u
#define UD_REQ_SET_CONFIGURATION 0x09u
#define UD_REQ_GET_INTERFACE 0x0au
#define UD_REQ_SET_INTERFACE 0x0bu
#define UD_REQ_SYNCH_FRAME 0x0cu

/* Descriptor types (USB 2.0 table 9-5, USB 3.x BOS) */
#define UD_DESC_DEVICE 0x01u
#define UD_DESC_CONFIGURATION 0x02u
#define UD_DESC_STRING 0x03u
#define UD_DESC_INTERFACE 0x04u
#define UD_DESC_ENDPOINT 0x05u
#define UD_DESC_DEVICE_QUALIFIER 0x06u
#define UD_DESC_OTHER_SPEED_CONFIG 0x07u
#define UD_DESC_INTERFACE_POWER 0x08u
#define UD_DESC_IAD 0x0bu
#define UD_DESC_BOS 0x0fu
#define UD_DESC_DEVICE_CAPABILITY 0x10u

/* Feature selectors (USB 2.0 table 9-6) */
#define UD_FEATURE_ENDPOINT_HALT 0x00u
#define UD_FEATURE_REMOTE_WAKEUP 0x01u
#define UD_FEATURE_TEST_MODE 0x02u

/* Configuration bmAttributes */
#define UD_CONFIG_ATTR_RESERVED 0x80u
#define UD_CONFIG_ATTR_SELF_POWERED 0x40u
#define UD_CONFIG_ATTR_REMOTE_WAKEUP 0x20u

/* Endpoint transfer types (bmAttributes bits 1..0) */
#define UD_EP_CONTROL 0x00u
#define UD_EP_ISOCHRONOUS 0x01u
#define UD_EP_BULK 0x02u
#define UD_EP_INTERRUPT 0x03u

/** Endpoint address helpers: bit 7 is the direction, bits 3..0 the number. */
#define UD_EP_NUM(addr) ((uint8_t)((addr)&0x0fu))
#define UD_EP_IS_IN(addr) (((addr)&0x80u) != 0u)

#ifdef __cplusplus
}
#endif

#endif /* UD_CH9_H */
