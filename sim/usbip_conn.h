/* SPDX-License-Identifier: MIT */
/**
 * @file usbip_conn.h
 * @brief Internals of the USB/IP server shared by its socket side (usbip_server.c) and its
 * protocol side (usbip_conn.c): the connection and server structs, logging, output, closing.
 */
#ifndef UD_SIM_USBIP_CONN_H
#define UD_SIM_USBIP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "usbip_server.h"
#include "usbip_urb.h"

/** What a connection expects next. */
enum ud_usbip_phase {
	UD_USBIP_PH_OP = 0,  /**< the 8-byte operation header */
	UD_USBIP_PH_BUSID,   /**< the 32-byte bus id of OP_REQ_IMPORT */
	UD_USBIP_PH_HDR,     /**< imported: a 48-byte URB header */
	UD_USBIP_PH_PAYLOAD, /**< imported: the OUT data of a CMD_SUBMIT */
	UD_USBIP_PH_DRAIN,   /**< a final reply is being sent; then the connection closes */
};

/** Unlinks of URBs not received yet, remembered per connection (see usbip_conn.c). */
#define UD_USBIP_EARLY_UNLINKS 64u

/** A CMD_UNLINK that arrived before the CMD_SUBMIT it cancels. */
struct ud_usbip_early_unlink {
	uint32_t seqnum;        /**< of the CMD_UNLINK */
	uint32_t unlink_seqnum; /**< of the URB */
};

struct ud_usbip_conn {
	int fd; /**< -1: slot free */
	uint8_t phase;
	char peer[80];                 /**< "ADDR:PORT" for log lines */
	uint8_t hdr[UD_USBIP_HDR_LEN]; /**< the header being received */
	uint32_t have;                 /**< bytes of it so far, or of the payload */
	struct ud_usbip_urb *rx_urb;   /**< the CMD_SUBMIT whose payload is arriving */
	bool rx_drop;                  /**< ... was unlinked before it arrived: drop it */
	uint8_t *out;                  /**< bytes to send: out[out_off .. out_len) */
	size_t out_len, out_off, out_cap;
	int64_t opened_ms;
	uint32_t urbs;        /**< URBs completed on this connection */
	uint32_t last_submit; /**< seqnum of the latest CMD_SUBMIT */
	bool any_submit;      /**< last_submit is valid */
	struct ud_usbip_early_unlink early[UD_USBIP_EARLY_UNLINKS];
	unsigned n_early;
};

struct ud_usbip_server {
	struct ud_world *w;
	struct ud_usbip_config cfg;
	FILE *log;
	char host[64];
	int lfd;
	uint16_t port;
	struct ud_usbip_device rec;
	struct ud_usbip_conn conns[UD_USBIP_MAX_CONN];
	struct ud_usbip_conn *importer; /**< the connection that has the device, or NULL */
	struct ud_usbip_engine eng;
	struct ud_usbip_stats st;
	unsigned idle_rounds; /**< engine rounds in a row in which nothing moved */
	unsigned op_timeout_ms;
};

/** @brief One log line "udsim serve: [PEER: ]message". */
void ud_usbip_log(struct ud_usbip_server *s, const struct ud_usbip_conn *c, const char *fmt, ...)
	UD_SIM_PRINTF(3, 4);

/** @brief Close @p c with a log line giving the reason; @p bad: a protocol error (counted,
 * and the line says "closing connection"). Releases the device if @p c had imported it. */
void ud_usbip_conn_close(struct ud_usbip_server *s, struct ud_usbip_conn *c, bool bad,
                         const char *fmt, ...) UD_SIM_PRINTF(4, 5);

/** @brief Queue @p na bytes at @p a then @p nb at @p b for sending. @return false if the
 * connection had to be closed (out of memory). */
bool ud_usbip_conn_send(struct ud_usbip_server *s, struct ud_usbip_conn *c, const void *a,
                        size_t na, const void *b, size_t nb);

/** @brief Bytes received from @p c. @return false if the connection was closed. */
bool ud_usbip_conn_feed(struct ud_usbip_server *s, struct ud_usbip_conn *c, const uint8_t *p,
                        size_t n);

/** @brief The client closed its side (@p error NULL) or the socket failed. */
void ud_usbip_conn_eof(struct ud_usbip_server *s, struct ud_usbip_conn *c, const char *error);

#endif /* UD_SIM_USBIP_CONN_H */
