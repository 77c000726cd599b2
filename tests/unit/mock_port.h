/* SPDX-License-Identifier: MIT */
/*
 * A mock port for the core's unit tests, plus a configurable mock function and a small
 * host model for control transfers.
 *
 * The port records every operation the core calls (with its arguments) in `mock.calls` and in a
 * readable text log (`mock.log`), lets the test choose the results, and checks the port contract
 * of ud_port.h as it goes: a second ep_xfer on an endpoint before the first was reported or
 * aborted, an ep_xfer on a closed or stalled endpoint, an ep_stall on a non-control endpoint with a
 * transfer in flight, an ep_xfer on a streaming endpoint, a stream started on a busy one, ...
 * each count as a violation, and mock_teardown() fails the test if any happened.
 *
 * Everything is one static instance (`mock`, `mdev`): the tests are single-threaded, and
 * mock_setup_test() clears it before each test.
 */
#ifndef MOCK_PORT_H
#define MOCK_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/udcore.h"

#define MOCK_MAX_CALLS 1024
#define MOCK_SNAP 320 /* bytes of an IN transfer kept in its call record */
#define MOCK_LOG_SIZE 16384

enum mock_op {
	MOCK_INIT,
	MOCK_DEINIT,
	MOCK_CONNECT,
	MOCK_SET_ADDRESS,
	MOCK_EP_OPEN,
	MOCK_EP_CLOSE,
	MOCK_EP_XFER,
	MOCK_EP_ABORT,
	MOCK_EP_STALL,
	MOCK_REMOTE_WAKEUP,
	MOCK_TEST_MODE,
	MOCK_EP_STREAM,
	MOCK_EP_KICK,
};

#define MOCK_ANY_EP 0xffu

struct mock_call {
	enum mock_op op;
	uint8_t ep;
	bool flag;                /* connect: on; ep_stall: stall */
	uint8_t arg;              /* set_address: address; test_mode: selector */
	struct ud_ep_config cfg;  /* ep_open */
	uint8_t *buf;             /* ep_xfer */
	uint32_t len;             /* ep_xfer */
	uint8_t snap[MOCK_SNAP];  /* ep_xfer on IN: the first bytes of buf at the call */
	struct ud_stream *stream; /* ep_stream: NULL for a stop */
};

/* What the mock knows about one endpoint slot (UD_EP_INDEX). */
struct mock_ep {
	bool open;
	bool stalled;
	bool busy; /* an ep_xfer was started and neither reported nor aborted */
	uint8_t *buf;
	uint32_t len;
	uint32_t moved; /* bytes ep_abort reports as moved (set by the test) */
	bool ended; /* ep_abort finds the transfer ended, unreported: it reports it (ud_port.h) */
	unsigned xfers;
	struct ud_stream *stream; /* ep_stream started it, no stop or close since */
};

struct mock_port {
	struct ud_port port;
	struct ud_port_ops ops;
	struct ud_port_caps caps;

	struct mock_call calls[MOCK_MAX_CALLS];
	unsigned ncalls;
	char log[MOCK_LOG_SIZE]; /* "xfer 81 64; abort 81; ..." port ops and function events */
	unsigned log_len;

	struct mock_ep ep[UD_EP_SLOTS];
	bool connected;
	bool inited;
	uint8_t address;
	uint8_t test_mode;

	/* Results the test chooses. */
	int init_rc;
	int ep_open_rc;       /* returned by every ep_open while non-zero */
	uint8_t fail_open_ep; /* ep_open of this endpoint fails ... */
	unsigned fail_open_n; /* ... this many more times with UD_ERR_NOSPACE */
	uint8_t fail_xfer_ep; /* ep_xfer on this endpoint fails ... */
	unsigned fail_xfer_n; /* ... this many more times with UD_ERR_IO */
	int remote_wakeup_rc;
	int test_mode_rc;
	int ep_stream_rc; /* returned by every ep_stream start while non-zero */

	/* Contract violations seen. */
	unsigned violations;
	char violation[256]; /* the first one */
	unsigned wakes;      /* on_event calls */
	bool in_call;        /* inside ud_ep_submit/cancel/flush (mock_submit, ...) */
};

extern struct mock_port mock;
extern struct ud_device mdev;
extern struct ud_device_info mock_info; /* reset to defaults by mock_setup_test() */

/* cmocka group/test fixtures: clear everything / check no contract violation happened. */
int mock_setup_test(void **state);
int mock_teardown(void **state);

/* The port: caps default to 8 endpoints, full speed only, no flags, 64/512 byte packets. */
struct ud_port *mock_port(void);

/* Run ud_task() until it reports no work (fails the test after 1000 rounds). Returns the number
 * of rounds that did work. */
unsigned mock_run(void);

/* ---- events, as the port's interrupt handler reports them ---- */

void mock_setup(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t length);
void mock_setup_raw(const uint8_t raw[8]);
/* The transfer on ep ended: the mock checks one was in flight and reports it. */
void mock_xfer_done(uint8_t ep, uint32_t actual, int status);
/* Like mock_xfer_done for OUT: copies n bytes into the transfer's buffer first (at most its
 * length; with more, status becomes UD_ERR_OVERFLOW as a port would report). */
void mock_out_data(uint8_t ep, const void *data, uint32_t n);
/* A bus reset as hardware does it: transfers forgotten, stalls cleared, address 0; then reported. */
void mock_bus_reset(enum ud_speed speed);
void mock_suspend(bool suspended);
void mock_vbus(bool present);
void mock_sof(uint16_t frame);

/* ---- queries on the record ---- */

bool mock_busy(uint8_t ep);
bool mock_stalled(uint8_t ep);
bool mock_open(uint8_t ep);
unsigned mock_count(enum mock_op op, uint8_t ep); /* ep MOCK_ANY_EP: any */
/* The last call of op on ep (MOCK_ANY_EP: any), NULL if none. */
const struct mock_call *mock_last(enum mock_op op, uint8_t ep);
/* Index in calls[] of the last call of op on ep, or -1. */
int mock_index(enum mock_op op, uint8_t ep);
void mock_clear_log(void);
bool mock_log_has(const char *s);
/* Append a free-form event to the log (functions and tests use it). */
void mock_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Record a contract violation (the mock's own checks, and tests' callbacks). */
void mock_violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- a completion recorder for transfer requests ---- */

#define MOCK_MAX_DONE 64

struct mock_done {
	struct ud_req *req;
	int status;
	uint32_t actual;
};

extern struct mock_done mock_done[MOCK_MAX_DONE]; /* in completion order */
extern unsigned mock_ndone;

/* Zero r, then set buf, length, context = id and complete = mock_req_complete. */
void mock_req_init(struct ud_req *r, unsigned id, uint8_t *buf, uint32_t len);
/* Records the completion (and logs "done <id> <status>"); fails the test when it runs inside
 * ud_ep_submit/cancel/flush called through the wrappers below. */
void mock_req_complete(struct ud_device *dev, struct ud_req *req);
int mock_submit(uint8_t ep, struct ud_req *r);
int mock_cancel(uint8_t ep, struct ud_req *r);
int mock_flush(uint8_t ep);
unsigned mock_times_done(const struct ud_req *r);

/* ---- a host model for control transfers on EP0 ---- */

enum mock_ctrl_result {
	MOCK_ACK = 0,  /* status stage done */
	MOCK_STALL,    /* EP0 stalled in some stage */
	MOCK_TIMEOUT,  /* the host waited for a stage the device never armed */
	MOCK_PROTOCOL, /* the device armed something the host did not expect */
};

struct mock_ctrl {
	int result; /* enum mock_ctrl_result */
	uint8_t data[1024];
	uint16_t len;     /* IN data received */
	unsigned packets; /* IN data packets, ZLP included */
	bool zlp;         /* the data stage ended with a zero-length packet */
	int stall_stage;  /* 0 setup, 1 data, 2 status */
};

/* The EP0 max packet the host sees now (64 at high speed). */
uint16_t mock_ep0_mps(void);

/*
 * One whole control transfer, as a host does it, reading IN data in packets of the EP0 max
 * packet size (a transfer ends on a short packet or after wLength bytes). For OUT, @p out holds
 * wLength bytes. @p r may be NULL. Returns r->result.
 */
int mock_ctrl(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t length,
              const void *out, struct mock_ctrl *r);

/* Reset, SET_ADDRESS(5), SET_CONFIGURATION(1), asserting each succeeds. */
void mock_enumerate(enum ud_speed speed);

/* ---- a mock function ---- */

struct mock_fn;
typedef int (*mock_bind_fn)(struct mock_fn *m, struct ud_device *dev);
typedef int (*mock_control_fn)(struct mock_fn *m, const struct ud_setup *s);

struct mock_fn {
	struct ud_function fn;
	struct ud_function_ops ops;
	char tag; /* 'A', 'B', ... in the log */
	mock_bind_fn bind;
	mock_control_fn control; /* NULL: UD_ERR_NOTSUP */
	void *ctx;

	/* What bind allocated (the stock binds fill these). */
	int intf[4];
	int ep_in[4], ep_out[4];

	unsigned enables, disables, resets, set_alts, halts_cleared, sofs, suspends, controls;
	uint8_t alt_intf, alt;
	uint8_t halt_ep;
	bool suspended;
	uint16_t frame;
	struct ud_setup setup; /* of the last control call */
};

/* Prepare m with tag, bind and the recording ops (control dispatches to m->control). */
void mock_fn_init(struct mock_fn *m, char tag, mock_bind_fn bind);

/* Stock binds.
 * bulk: one vendor interface (0xff), alt 0: bulk OUT ep_out[0], bulk IN ep_in[0] (64/512);
 *   alt 1: the same two plus interrupt IN ep_in[1] (16/64, interval 10/4) and isochronous IN
 *   ep_in[2] (64/512, interval 1/1).
 * pair: two interfaces (IAD class 02/02/01): intf[0] with interrupt IN ep_in[0] (8/16, 16/8),
 *   intf[1] (0x0a) with bulk OUT ep_out[0] and bulk IN ep_in[1] (64/512). */
int mock_bind_bulk(struct mock_fn *m, struct ud_device *dev);
int mock_bind_pair(struct mock_fn *m, struct ud_device *dev);

/* ud_device_init + add the given functions (NULL-terminated) + ud_device_start, asserted. */
void mock_device_up(struct mock_fn *first, ...);

/* Build a SETUP packet. */
void mock_make_setup(uint8_t raw[8], uint8_t bm, uint8_t req, uint16_t value, uint16_t index,
                     uint16_t length);

#endif /* MOCK_PORT_H */
