/* SPDX-License-Identifier: MIT */
/**
 * @file usbip_proto.h
 * @brief The USB/IP wire format (protocol version 1.1.1): pure functions that parse and build
 * the operation headers, device records and URB headers. No sockets, no state, no allocation,
 * so the parsers can be fuzzed on their own (fuzz/fuzz_usbip.c).
 *
 * Every multi-byte field is big-endian, except the 8-byte SETUP packet of CMD_SUBMIT, which is
 * the USB packet verbatim (little-endian fields). A connection starts with an operation
 * (an 8-byte header: version, code, status): OP_REQ_DEVLIST is answered with OP_REP_DEVLIST
 * and the connection closes; OP_REQ_IMPORT (followed by a 32-byte bus id) is answered with
 * OP_REP_IMPORT and, on success, the connection carries URB traffic from then on: 48-byte
 * headers (CMD_SUBMIT, CMD_UNLINK from the client; RET_SUBMIT, RET_UNLINK from the server),
 * the first 20 bytes of which are common (command, seqnum, devid, direction, ep). OUT data
 * follows a CMD_SUBMIT, IN data a RET_SUBMIT.
 *
 * The parsers decide whether a header can be trusted enough to frame the stream: a header they
 * reject leaves the reader unable to know where the next one starts, so a server must close
 * the connection (with the reason ud_usbip_err_name() gives).
 */
#ifndef UD_SIM_USBIP_PROTO_H
#define UD_SIM_USBIP_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UD_USBIP_VERSION 0x0111u

/** @name Operation codes (8-byte operation header) @{ */
#define UD_USBIP_OP_REQ_DEVLIST 0x8005u
#define UD_USBIP_OP_REP_DEVLIST 0x0005u
#define UD_USBIP_OP_REQ_IMPORT 0x8003u
#define UD_USBIP_OP_REP_IMPORT 0x0003u
/** @} */

/** @name Operation status: 0 OK, 1 error (OP_REP_IMPORT ends after the status then) @{ */
#define UD_USBIP_ST_OK 0u
#define UD_USBIP_ST_NA 1u
/** @} */

/** @name URB commands (48-byte header) @{ */
#define UD_USBIP_CMD_SUBMIT 1u
#define UD_USBIP_CMD_UNLINK 2u
#define UD_USBIP_RET_SUBMIT 3u
#define UD_USBIP_RET_UNLINK 4u
/** @} */

#define UD_USBIP_DIR_OUT 0u
#define UD_USBIP_DIR_IN 1u

/** @name transfer_flags bits a device server acts on (uapi linux/usbip.h values) @{ */
#define UD_USBIP_URB_SHORT_NOT_OK 0x0001u /**< a short IN transfer is an error (-EREMOTEIO) */
#define UD_USBIP_URB_ZERO_PACKET 0x0040u  /**< end an aligned OUT transfer with a ZLP */
#define UD_USBIP_URB_DIR_IN 0x0200u
/** @} */

/** @name Linux errno values carried (negated) in the status fields @{ */
#define UD_USBIP_EINVAL 22
#define UD_USBIP_EPIPE 32       /**< the endpoint stalled */
#define UD_USBIP_EPROTO 71      /**< no handshake (transaction error) */
#define UD_USBIP_EOVERFLOW 75   /**< babble: more data than the buffer */
#define UD_USBIP_ECONNRESET 104 /**< the URB was unlinked */
#define UD_USBIP_ESHUTDOWN 108
#define UD_USBIP_EREMOTEIO 121 /**< short IN transfer with URB_SHORT_NOT_OK */
/** @} */

/** @name USB speeds in device records (Linux enum usb_device_speed) @{ */
#define UD_USBIP_SPEED_LOW 1u
#define UD_USBIP_SPEED_FULL 2u
#define UD_USBIP_SPEED_HIGH 3u
/** @} */

/** @name Sizes on the wire @{ */
#define UD_USBIP_OP_LEN 8u     /**< operation header */
#define UD_USBIP_BUSID_LEN 32u /**< bus id after OP_REQ_IMPORT, and in device records */
#define UD_USBIP_PATH_LEN 256u
#define UD_USBIP_DEV_LEN 312u /**< device record without interfaces */
#define UD_USBIP_INTF_LEN 4u  /**< one interface record (OP_REP_DEVLIST only) */
#define UD_USBIP_HDR_LEN 48u  /**< URB header */
/** @} */

/** Largest transfer_buffer_length the server accepts; more is "absurd" and closes the
 * connection (Linux usbfs's default limit for all of a process's URBs is 16 MiB). */
#define UD_USBIP_MAX_XFER (16u * 1024u * 1024u)

/** Interfaces a device record lists at most. */
#define UD_USBIP_MAX_INTF 32u

/** Why a header was rejected. */
enum ud_usbip_err {
	UD_USBIP_OK = 0,
	UD_USBIP_E_VERSION,   /**< operation header: version is not 0x0111 */
	UD_USBIP_E_OPCODE,    /**< operation header: not a request this side understands */
	UD_USBIP_E_BUSID,     /**< bus id not terminated within 32 bytes, empty or not printable */
	UD_USBIP_E_COMMAND,   /**< URB header: unknown command */
	UD_USBIP_E_DIRECTION, /**< CMD_SUBMIT: direction is neither 0 nor 1 */
	UD_USBIP_E_EP,        /**< CMD_SUBMIT: endpoint number above 15 */
	UD_USBIP_E_LENGTH,    /**< CMD_SUBMIT: transfer_buffer_length above UD_USBIP_MAX_XFER */
	UD_USBIP_E_ISO,       /**< CMD_SUBMIT: isochronous packets (not supported) */
	UD_USBIP_E_RECORD,    /**< device record: counts out of range */
};

/** The 8-byte operation header. */
struct ud_usbip_op {
	uint16_t version;
	uint16_t code;
	uint32_t status;
};

/** A URB header as a client sends it (CMD_SUBMIT or CMD_UNLINK). */
struct ud_usbip_cmd {
	uint32_t command; /**< UD_USBIP_CMD_SUBMIT or UD_USBIP_CMD_UNLINK */
	uint32_t seqnum;
	uint32_t devid;     /**< (busnum << 16) | devnum of the imported device */
	uint32_t direction; /**< UD_USBIP_DIR_OUT / _IN */
	uint32_t ep;        /**< endpoint number 0..15 */
	/* CMD_SUBMIT */
	uint32_t flags;  /**< transfer_flags */
	uint32_t length; /**< transfer_buffer_length */
	int32_t start_frame;
	int32_t npackets; /**< number_of_packets: -1 (or 0) when not isochronous */
	int32_t interval;
	uint8_t setup[8]; /**< the SETUP packet of a control transfer, verbatim */
	/* CMD_UNLINK */
	uint32_t unlink_seqnum;
};

/** A URB header as the server sends it (RET_SUBMIT or RET_UNLINK). */
struct ud_usbip_ret {
	uint32_t command; /**< UD_USBIP_RET_SUBMIT or UD_USBIP_RET_UNLINK */
	uint32_t seqnum;  /**< the seqnum of the command answered */
	int32_t status;   /**< 0 or a negative Linux errno */
	uint32_t actual;  /**< RET_SUBMIT: actual_length */
	int32_t start_frame, npackets, error_count;
};

/** One interface in a device record: class, subclass, protocol. */
struct ud_usbip_intf {
	uint8_t cls, subclass, protocol;
};

/** The device record of OP_REP_DEVLIST and OP_REP_IMPORT. */
struct ud_usbip_device {
	char path[UD_USBIP_PATH_LEN];   /**< NUL-terminated */
	char busid[UD_USBIP_BUSID_LEN]; /**< NUL-terminated */
	uint32_t busnum, devnum, speed;
	uint16_t vid, pid, bcd_device;
	uint8_t dev_class, dev_subclass, dev_protocol;
	uint8_t config_value, num_configs, num_intf;
	struct ud_usbip_intf intf[UD_USBIP_MAX_INTF]; /**< the first num_intf are valid */
};

/** @brief Short text for a rejection, for log lines ("unsupported version", ...). Never NULL. */
const char *ud_usbip_err_name(enum ud_usbip_err e);

/** @brief "CMD_SUBMIT", "RET_UNLINK", ... or "unknown". Never NULL. */
const char *ud_usbip_command_name(uint32_t command);

/* --- operations --- */

/** @brief Parse an operation request a server receives.
 * @return UD_USBIP_OK; UD_USBIP_E_VERSION; UD_USBIP_E_OPCODE (neither OP_REQ_DEVLIST nor
 * OP_REQ_IMPORT). The status field is not checked (it is unused in requests). */
enum ud_usbip_err ud_usbip_parse_op_request(const uint8_t b[UD_USBIP_OP_LEN],
                                            struct ud_usbip_op *op);

/** @brief Parse any operation header (a client reading a reply); checks the version only. */
enum ud_usbip_err ud_usbip_parse_op(const uint8_t b[UD_USBIP_OP_LEN], struct ud_usbip_op *op);

/** @brief Build an operation header (version 0x0111). */
void ud_usbip_build_op(uint8_t b[UD_USBIP_OP_LEN], uint16_t code, uint32_t status);

/** @brief Parse the 32-byte bus id of OP_REQ_IMPORT into @p busid (NUL-terminated).
 * @return UD_USBIP_OK, or UD_USBIP_E_BUSID if it is not terminated within 32 bytes, empty,
 * or holds a byte outside printable ASCII. */
enum ud_usbip_err ud_usbip_parse_busid(const uint8_t b[UD_USBIP_BUSID_LEN],
                                       char busid[UD_USBIP_BUSID_LEN]);

/** @brief Build a 32-byte bus id field (zero padded, cut to 31 characters). */
void ud_usbip_build_busid(uint8_t b[UD_USBIP_BUSID_LEN], const char *busid);

/* --- device records --- */

/** @brief Bytes ud_usbip_build_device() writes: 312, plus 4 per interface if @p with_intf. */
size_t ud_usbip_device_len(const struct ud_usbip_device *d, bool with_intf);

/** @brief Write the device record of @p d into @p b (room for ud_usbip_device_len() bytes),
 * followed by its interface records if @p with_intf (OP_REP_DEVLIST; OP_REP_IMPORT has none).
 * num_intf is written as given; at most UD_USBIP_MAX_INTF interface records follow.
 * @return the bytes written. */
size_t ud_usbip_build_device(uint8_t *b, const struct ud_usbip_device *d, bool with_intf);

/** @brief Parse a device record of @p len bytes (a client reading a reply). With @p with_intf
 * the interface records must follow (len >= 312 + 4 * bNumInterfaces).
 * @return UD_USBIP_OK; UD_USBIP_E_RECORD if @p len is too short or bNumInterfaces is above
 * UD_USBIP_MAX_INTF; UD_USBIP_E_BUSID for an unterminated path or bus id. */
enum ud_usbip_err ud_usbip_parse_device(const uint8_t *b, size_t len, bool with_intf,
                                        struct ud_usbip_device *d);

/* --- URB headers --- */

/**
 * @brief Parse a URB header a server receives and check it can frame the stream.
 * @return UD_USBIP_OK; UD_USBIP_E_COMMAND (not CMD_SUBMIT or CMD_UNLINK); for CMD_SUBMIT
 * UD_USBIP_E_DIRECTION, UD_USBIP_E_EP, UD_USBIP_E_LENGTH (above UD_USBIP_MAX_XFER, which
 * covers "negative" lengths) or UD_USBIP_E_ISO (number_of_packets other than 0 and -1:
 * isochronous descriptors would follow, which this server does not read).
 */
enum ud_usbip_err ud_usbip_parse_cmd(const uint8_t b[UD_USBIP_HDR_LEN], struct ud_usbip_cmd *c);

/** @brief Bytes that follow a parsed command on the wire: the OUT data of a CMD_SUBMIT,
 * else 0. */
uint32_t ud_usbip_cmd_payload(const struct ud_usbip_cmd *c);

/** @brief Build a CMD_SUBMIT or CMD_UNLINK header from @p c (a client, the tests). Fields
 * that do not belong to the command are written as zero. */
void ud_usbip_build_cmd(uint8_t b[UD_USBIP_HDR_LEN], const struct ud_usbip_cmd *c);

/** @brief Build a RET_SUBMIT or RET_UNLINK header from @p r; devid, direction and ep are 0
 * as the protocol requires of a server. */
void ud_usbip_build_ret(uint8_t b[UD_USBIP_HDR_LEN], const struct ud_usbip_ret *r);

/** @brief Parse a RET_SUBMIT or RET_UNLINK header (a client, the tests).
 * @return UD_USBIP_OK, or UD_USBIP_E_COMMAND for any other command. */
enum ud_usbip_err ud_usbip_parse_ret(const uint8_t b[UD_USBIP_HDR_LEN], struct ud_usbip_ret *r);

#endif /* UD_SIM_USBIP_PROTO_H */
