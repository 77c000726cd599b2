/* SPDX-License-Identifier: MIT */
/*
 * A USB/IP client for the server tests, in the same process as the server: every wait pumps
 * the server (ud_usbip_server_poll) between attempts to read, so no thread is needed. The
 * server logs into a memory buffer the tests search (uc_log()).
 */
#ifndef UD_TEST_USBIP_CLIENT_H
#define UD_TEST_USBIP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctrl_bus.h"
#include "usbip_proto.h"
#include "usbip_server.h"

/** Start a server for @p device at @p speed (UD_SPEED_FULL / _HIGH) on a free loopback port;
 * @p faults: enum ud_usbip_fault bits. Asserts on failure. */
void uc_server_start(const char *device, uint8_t speed, unsigned faults);

/** The same with an operation timeout (ud_usbip_config.op_timeout_ms) of @p op_timeout_ms:
 * uc_server_start()'s is a minute, so that no preemption of the test expires a client. */
void uc_server_start_timeout(const char *device, uint8_t speed, unsigned faults,
                             unsigned op_timeout_ms);

/** The controller the server runs on: environment variable UD_TEST_PORT ("vdc", the default,
 * or "fsdev"), so that one test program checks both ports. */
enum ud_sim_port uc_port(void);

/** Skip the calling test if the controller is full-speed only. */
void uc_need_high_speed(void);

/** Stop it (closes every connection). */
void uc_server_stop(void);

struct ud_usbip_server *uc_server(void);

/** Run the server @p n times without waiting. */
void uc_pump(unsigned n);

/** Everything the server logged so far. */
const char *uc_log(void);

/** Forget the log so far. */
void uc_log_clear(void);

/** A new connection to the server (accepted on the next pump). */
int uc_connect(void);

/** Send all of @p p (pumping while the socket is full). */
void uc_send(int fd, const void *p, size_t n);

/** Read exactly @p n bytes, pumping; false on end of stream or after ~2 s. */
bool uc_recv(int fd, void *p, size_t n);

/** True if the server closed @p fd (end of stream) within ~2 s; data before it is skipped. */
bool uc_closed(int fd);

/** True if nothing arrives on @p fd during @p pumps pumps. */
bool uc_silent(int fd, unsigned pumps);

/** OP_REQ_IMPORT of @p busid: the connection (imported) or -1, with the reply's status in
 * @p status and the device record in @p rec (either may be NULL). */
int uc_import(const char *busid, uint32_t *status, struct ud_usbip_device *rec);

/** The devid the server expects: bus 1, device UD_USBIP_DEV_ADDRESS. */
uint32_t uc_devid(void);

/** CMD_SUBMIT: @p dir UD_USBIP_DIR_IN/OUT; OUT data @p data of @p len bytes follows; for
 * ep 0, @p setup is the SETUP packet (NULL: zeros). */
void uc_submit(int fd, uint32_t seqnum, uint8_t ep, uint32_t dir, uint32_t flags, uint32_t len,
               const uint8_t *setup, const void *data);

/** CMD_UNLINK of @p victim. */
void uc_unlink(int fd, uint32_t seqnum, uint32_t victim);

/** Read one reply: its header in @p r and, for a RET_SUBMIT of an IN URB this client
 * submitted, its data into @p data (room for @p cap bytes). false if none came. */
bool uc_ret(int fd, struct ud_usbip_ret *r, void *data, size_t cap);

/** A control transfer on EP0 and its reply (asserts that it came and has @p seqnum). */
int32_t uc_control(int fd, uint32_t seqnum, uint8_t bm, uint8_t req, uint16_t value, uint16_t index,
                   uint16_t length, void *data, uint32_t *actual);

#endif /* UD_TEST_USBIP_CLIENT_H */
