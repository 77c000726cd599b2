/* SPDX-License-Identifier: MIT */
/**
 * @file usbip_server.h
 * @brief A USB/IP server that exports one simulated udcore device to real hosts
 * (`udsim serve --usbip ADDR:PORT --device NAME`, docs/real-hosts.md).
 *
 * One TCP listener, any number of short OP_REQ_DEVLIST connections, and one importer at a
 * time: each OP_REQ_IMPORT of bus id "1-1" builds a fresh world for the device (plugged in,
 * reset, addressed) and hands it to the URB engine (usbip_urb.h) for as long as the
 * connection lasts. A second importer is refused (OP_REP_IMPORT status 1) while the device is
 * in use.
 *
 * Everything runs in one thread, in ud_usbip_server_poll(): poll() over the sockets, then
 * rounds of the URB engine while packets move. A client that breaks the protocol (a header
 * the parser rejects, a devid that is not the device's, too many URBs in flight) or goes away
 * (even in the middle of a URB) loses its connection with one log line that says why; its
 * URBs are dropped, the device is unplugged, and the server goes on serving.
 */
#ifndef UD_SIM_USBIP_SERVER_H
#define UD_SIM_USBIP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "usbip_proto.h"
#include "world.h"

/** The port USB/IP uses by default. */
#define UD_USBIP_PORT 3240u

/** Connections served at once (further ones are accepted and closed at once, with a log). */
#define UD_USBIP_MAX_CONN 16u

/** URBs an importer may have in flight; one more is a protocol error. */
#define UD_USBIP_MAX_URBS 4096u

/** Bytes of URB buffers an importer may have in flight; more is a protocol error (each URB
 * alone is limited to UD_USBIP_MAX_XFER). */
#define UD_USBIP_MAX_PENDING_BYTES (64u * 1024u * 1024u)

/** Milliseconds a client may take to send its operation request (default). */
#define UD_USBIP_OP_TIMEOUT_MS 10000u

struct ud_usbip_config {
	const char *host; /**< address to bind, numeric IPv4 or IPv6; NULL: "127.0.0.1" */
	uint16_t port;    /**< 0: any free port (see ud_usbip_server_port()) */
	const char *device;
	struct ud_sim_options opt;
	unsigned faults;        /**< enum ud_usbip_fault bits (usbip_urb.h) */
	bool verbose;           /**< log every URB */
	FILE *log;              /**< NULL: stderr */
	unsigned op_timeout_ms; /**< 0: UD_USBIP_OP_TIMEOUT_MS */
};

struct ud_usbip_stats {
	uint32_t connections;  /**< accepted */
	uint32_t devlists;     /**< OP_REQ_DEVLIST answered */
	uint32_t imports;      /**< successful OP_REQ_IMPORT */
	uint32_t refused;      /**< OP_REP_IMPORT with an error status */
	uint32_t bad_clients;  /**< connections closed for a protocol error */
	uint32_t submitted;    /**< CMD_SUBMIT received */
	uint32_t completed;    /**< RET_SUBMIT sent */
	uint32_t unlinks;      /**< CMD_UNLINK received */
	uint32_t unlinked;     /**< ... that removed a pending URB (RET_UNLINK -ECONNRESET) */
	uint32_t dropped_urbs; /**< pending URBs of clients that went away (or were closed) */
};

struct ud_usbip_server;

/**
 * @brief Probe the device (it must build and enumerate), bind and listen.
 * @param w the world the server uses for the device; it must stay valid and must not move
 *        until ud_usbip_server_close().
 * @return the server, or NULL with a reason in @p err.
 */
struct ud_usbip_server *ud_usbip_server_open(struct ud_world *w, const struct ud_usbip_config *cfg,
                                             char *err, size_t errlen);

/** @brief The port the server listens on. */
uint16_t ud_usbip_server_port(const struct ud_usbip_server *s);

/** @brief The device record the server exports. */
const struct ud_usbip_device *ud_usbip_server_device(const struct ud_usbip_server *s);

/** @brief Counters since ud_usbip_server_open(). */
const struct ud_usbip_stats *ud_usbip_server_stats(const struct ud_usbip_server *s);

/** @brief True while a client has the device imported. */
bool ud_usbip_server_busy(const struct ud_usbip_server *s);

/**
 * @brief One iteration: wait up to @p timeout_ms (-1: as long as it takes; less when the
 * device has work) for socket events, serve them, then run the URB engine while packets move.
 * @return 0, or -1 if poll() itself failed (a server error, not a client's).
 */
int ud_usbip_server_poll(struct ud_usbip_server *s, int timeout_ms);

/** @brief ud_usbip_server_poll() forever. @return only on a server error: 1. */
int ud_usbip_server_run(struct ud_usbip_server *s);

/** @brief Close every connection and the listener, free the server. */
void ud_usbip_server_close(struct ud_usbip_server *s);

/**
 * @brief Parse a listen address: "ADDR:PORT", "[ADDR6]:PORT", "ADDR" (port 3240) or ":PORT" /
 * "PORT" (loopback). @p host gets the address ("127.0.0.1" if none is given).
 * @return 0, or -1 if it is malformed or the port is not 0..65535.
 */
int ud_usbip_parse_listen(const char *s, char *host, size_t hostlen, uint16_t *port);

/** @brief The fault bit called @p name ("corrupt-in"), or 0 if there is none. */
unsigned ud_usbip_fault_from_name(const char *name);

#endif /* UD_SIM_USBIP_SERVER_H */
