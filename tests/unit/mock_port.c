/* SPDX-License-Identifier: MIT */
/* The mock port and control-transfer host model of mock_port.h (the mock function and the
 * completion recorder: mock_function.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

struct mock_port mock;
struct ud_device mdev;
struct ud_device_info mock_info;
struct mock_done mock_done[MOCK_MAX_DONE];
unsigned mock_ndone;

static struct mock_ep *slot(uint8_t ep)
{
	return &mock.ep[UD_EP_INDEX(ep)];
}

void mock_logf(const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof(mock.log) - mock.log_len;

	if (room < 2)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(mock.log + mock.log_len, room - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	mock.log_len += (unsigned)n < room - 2 ? (unsigned)n : (unsigned)(room - 2);
	mock.log[mock.log_len++] = ';';
	mock.log[mock.log_len] = '\0';
}

void mock_violation(const char *fmt, ...)
{
	va_list ap;

	if (mock.violations++ == 0) {
		va_start(ap, fmt);
		vsnprintf(mock.violation, sizeof(mock.violation), fmt, ap);
		va_end(ap);
	}
}

static struct mock_call *record(enum mock_op op, uint8_t ep)
{
	if (mock.ncalls >= MOCK_MAX_CALLS) {
		mock_violation("call log full");
		return &mock.calls[MOCK_MAX_CALLS - 1];
	}
	struct mock_call *c = &mock.calls[mock.ncalls++];
	memset(c, 0, sizeof(*c));
	c->op = op;
	c->ep = ep;
	return c;
}

/* ---- the port operations ---- */

static int op_init(struct ud_port *port)
{
	(void)port;
	record(MOCK_INIT, 0);
	mock_logf("init");
	mock.inited = true;
	return mock.init_rc;
}

static void op_deinit(struct ud_port *port)
{
	(void)port;
	record(MOCK_DEINIT, 0);
	mock_logf("deinit");
	mock.inited = false;
}

static void op_connect(struct ud_port *port, bool on)
{
	(void)port;
	record(MOCK_CONNECT, 0)->flag = on;
	mock_logf("connect %d", on);
	mock.connected = on;
}

static void op_set_address(struct ud_port *port, uint8_t addr)
{
	(void)port;
	record(MOCK_SET_ADDRESS, 0)->arg = addr;
	mock_logf("addr %u", addr);
	if (addr > 127)
		mock_violation("set_address(%u)", addr);
	mock.address = addr;
}

static int op_ep_open(struct ud_port *port, const struct ud_ep_config *cfg)
{
	(void)port;
	struct mock_call *c = record(MOCK_EP_OPEN, cfg->addr);
	c->cfg = *cfg;
	mock_logf("open %02x %u", cfg->addr, cfg->max_packet);
	if (UD_EP_NUM(cfg->addr) == 0 || (cfg->addr & 0x70u) || UD_EP_NUM(cfg->addr) >= 8)
		mock_violation("ep_open(%02x): bad address", cfg->addr);
	struct mock_ep *e = slot(cfg->addr);
	if (e->open)
		mock_violation("ep_open(%02x): already open", cfg->addr);
	if (mock.ep_open_rc)
		return mock.ep_open_rc;
	if (mock.fail_open_n && cfg->addr == mock.fail_open_ep) {
		mock.fail_open_n--;
		return UD_ERR_NOSPACE;
	}
	e->open = true;
	e->stalled = false;
	e->busy = false;
	return 0;
}

static void op_ep_close(struct ud_port *port, uint8_t ep)
{
	(void)port;
	record(MOCK_EP_CLOSE, ep);
	mock_logf("close %02x", ep);
	struct mock_ep *e = slot(ep);
	if (UD_EP_NUM(ep) == 0 || !e->open)
		mock_violation("ep_close(%02x): not open", ep);
	e->open = false;
	e->busy = false;
	e->stalled = false;
	e->stream = NULL; /* ep_close() ends a stream as a stop does (ud_port.h) */
}

static int op_ep_xfer(struct ud_port *port, uint8_t ep, uint8_t *buf, uint32_t len)
{
	(void)port;
	struct mock_call *c = record(MOCK_EP_XFER, ep);
	struct mock_ep *e = slot(ep);

	c->buf = buf;
	c->len = len;
	if (UD_EP_IS_IN(ep) && buf && len)
		memcpy(c->snap, buf, len < MOCK_SNAP ? len : MOCK_SNAP);
	mock_logf("xfer %02x %u", ep, (unsigned)len);
	if (UD_EP_NUM(ep) != 0 && !e->open)
		mock_violation("ep_xfer(%02x): endpoint closed", ep);
	if (e->busy)
		mock_violation("ep_xfer(%02x): a transfer is already in flight", ep);
	if (e->stalled)
		mock_violation("ep_xfer(%02x): endpoint stalled", ep);
	if (e->stream)
		mock_violation("ep_xfer(%02x): the endpoint streams", ep);
	if (!buf && len)
		mock_violation("ep_xfer(%02x): NULL buffer, length %u", ep, (unsigned)len);
	if (mock.fail_xfer_n && ep == mock.fail_xfer_ep) {
		mock.fail_xfer_n--;
		mock_logf("xfer-failed");
		return UD_ERR_IO;
	}
	e->busy = true;
	e->buf = buf;
	e->len = len;
	e->xfers++;
	return 0;
}

static uint32_t op_ep_abort(struct ud_port *port, uint8_t ep)
{
	record(MOCK_EP_ABORT, ep);
	mock_logf("abort %02x", ep);
	struct mock_ep *e = slot(ep);
	if (!e->busy)
		return 0;
	e->busy = false;
	uint32_t n = e->moved < e->len ? e->moved : e->len;
	e->moved = 0;
	if (e->ended) /* its interrupt not handled yet: reported now, as ud_port.h says */
		ud_port_report_xfer(port->dev, ep, n, UD_OK);
	e->ended = false;
	return n;
}

static void op_ep_stall(struct ud_port *port, uint8_t ep, bool stall)
{
	(void)port;
	record(MOCK_EP_STALL, ep)->flag = stall;
	mock_logf("stall %02x %d", ep, stall);
	struct mock_ep *e = slot(ep);
	if (UD_EP_NUM(ep) != 0) {
		if (!e->open)
			mock_violation("ep_stall(%02x): endpoint closed", ep);
		if (e->busy)
			mock_violation("ep_stall(%02x, %d): a transfer is in flight", ep, stall);
	} else if (!stall) {
		mock_violation("ep_stall(%02x, 0): EP0 stall is cleared by the port", ep);
	}
	e->stalled = stall;
}

/* Start or stop (ud_port.h); records the stream the core passed. */
static int op_ep_stream(struct ud_port *port, uint8_t ep, struct ud_stream *s)
{
	(void)port;
	struct mock_ep *e = slot(ep);

	record(MOCK_EP_STREAM, ep)->stream = s;
	mock_logf("stream %02x %s", ep, s ? "start" : "stop");
	if (UD_EP_NUM(ep) == 0 || !e->open) /* IN streams too (ud_stream.h) */
		mock_violation("ep_stream(%02x): not an open endpoint", ep);
	if (!s) {
		if (!e->stream)
			mock_violation("ep_stream(%02x, NULL): no stream to stop", ep);
		e->stream = NULL;
		return 0;
	}
	if (e->stream) /* the running one too: a kick is ep_kick's */
		mock_violation("ep_stream(%02x): a stream runs", ep);
	if (e->busy)
		mock_violation("ep_stream(%02x): a transfer is in flight", ep);
	if (mock.ep_stream_rc)
		return mock.ep_stream_rc;
	e->stream = s;
	return 0;
}

/* A kick (ud_port.h): the core passes it on unchecked, so any endpoint byte and any stream
 * may come; only the stream running on an endpoint the port has is acted on (the mock just
 * logs which). Recorded as MOCK_EP_KICK, with the stream. */
static void op_ep_kick(struct ud_port *port, uint8_t ep, struct ud_stream *s)
{
	(void)port;
	bool ours = !(ep & 0x70u) && UD_EP_NUM(ep) < UD_MAX_EP_NUM && UD_EP_NUM(ep) != 0;
	bool runs = ours && s && slot(ep)->stream == s;

	record(MOCK_EP_KICK, ep)->stream = s;
	mock_logf("stream %02x kick%s", ep, runs ? "" : " ignored");
}

static int op_remote_wakeup(struct ud_port *port)
{
	(void)port;
	record(MOCK_REMOTE_WAKEUP, 0);
	mock_logf("wakeup");
	return mock.remote_wakeup_rc;
}

static int op_test_mode(struct ud_port *port, uint8_t selector)
{
	(void)port;
	record(MOCK_TEST_MODE, 0)->arg = selector;
	mock_logf("test %u", selector);
	mock.test_mode = selector;
	return mock.test_mode_rc;
}

static void on_event(void *ctx)
{
	(void)ctx;
	mock.wakes++;
}

struct ud_port *mock_port(void)
{
	return &mock.port;
}

int mock_setup_test(void **state)
{
	(void)state;
	memset(&mock, 0, sizeof(mock));
	memset(&mdev, 0, sizeof(mdev));
	memset(mock_done, 0, sizeof(mock_done));
	mock_ndone = 0;
	mock.ops = (struct ud_port_ops){
		.init = op_init,
		.deinit = op_deinit,
		.connect = op_connect,
		.set_address = op_set_address,
		.ep_open = op_ep_open,
		.ep_close = op_ep_close,
		.ep_xfer = op_ep_xfer,
		.ep_abort = op_ep_abort,
		.ep_stall = op_ep_stall,
		.ep_stream = op_ep_stream,
		.ep_kick = op_ep_kick,
		.remote_wakeup = op_remote_wakeup,
		.test_mode = op_test_mode,
	};
	mock.caps = (struct ud_port_caps){
		.ep_count = 8,
		.speeds = UD_SPEED_FULL,
		.flags = 0,
		.max_packet_fs = 64,
		.max_packet_hs = 512,
	};
	mock.port.ops = &mock.ops;
	mock.port.caps = &mock.caps;
	mock_info = (struct ud_device_info){
		.vid = 0x1209,
		.pid = 0x0001,
		.bcd_device = 0x0100,
		.ep0_max_packet = 64,
		.max_power_ma = 100,
		.manufacturer = "udcore",
		.product = "Mock",
		.serial = "0001",
		.on_event = on_event,
	};
	return 0;
}

int mock_teardown(void **state)
{
	(void)state;
	if (mock.violations) {
		print_error("%u port contract violation(s); first: %s\n", mock.violations,
		            mock.violation);
		print_error("port log: %s\n", mock.log);
		return -1;
	}
	return 0;
}

unsigned mock_run(void)
{
	unsigned rounds = 0;

	for (unsigned i = 0; i < 1000; i++) {
		if (!ud_task(&mdev))
			return rounds;
		rounds++;
	}
	fail_msg("ud_task() still busy after 1000 rounds");
	return rounds;
}

/* ---- events ---- */

void mock_make_setup(uint8_t raw[8], uint8_t bm, uint8_t req, uint16_t value, uint16_t index,
                     uint16_t length)
{
	raw[0] = bm;
	raw[1] = req;
	raw[2] = (uint8_t)value;
	raw[3] = (uint8_t)(value >> 8);
	raw[4] = (uint8_t)index;
	raw[5] = (uint8_t)(index >> 8);
	raw[6] = (uint8_t)length;
	raw[7] = (uint8_t)(length >> 8);
}

void mock_setup_raw(const uint8_t raw[8])
{
	/* The port clears the EP0 protocol stall when a SETUP arrives. */
	slot(0x00)->stalled = false;
	slot(0x80)->stalled = false;
	ud_port_report_setup(&mdev, raw);
}

void mock_setup(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t length)
{
	uint8_t raw[8];

	mock_make_setup(raw, bm, req, value, index, length);
	mock_setup_raw(raw);
}

void mock_xfer_done(uint8_t ep, uint32_t actual, int status)
{
	struct mock_ep *e = slot(ep);

	if (!e->busy)
		fail_msg("test bug: no transfer in flight on %02x to complete", ep);
	e->busy = false;
	ud_port_report_xfer(&mdev, ep, actual, status);
}

void mock_out_data(uint8_t ep, const void *data, uint32_t n)
{
	struct mock_ep *e = slot(ep);

	if (!e->busy)
		fail_msg("test bug: no OUT transfer in flight on %02x", ep);
	uint32_t fit = n < e->len ? n : e->len;
	if (fit)
		memcpy(e->buf, data, fit);
	mock_xfer_done(ep, fit, n > e->len ? UD_ERR_OVERFLOW : UD_OK);
}

void mock_bus_reset(enum ud_speed speed)
{
	for (unsigned i = 0; i < UD_EP_SLOTS; i++) {
		mock.ep[i].busy = false;
		mock.ep[i].stalled = false;
	}
	mock.address = 0;
	ud_port_report_reset(&mdev, speed);
}

void mock_suspend(bool suspended)
{
	ud_port_report_suspend(&mdev, suspended);
}

void mock_vbus(bool present)
{
	if (!present) {
		for (unsigned i = 0; i < UD_EP_SLOTS; i++)
			mock.ep[i].busy = false;
	}
	ud_port_report_vbus(&mdev, present);
}

void mock_sof(uint16_t frame)
{
	ud_port_report_sof(&mdev, frame);
}

/* ---- queries ---- */

bool mock_busy(uint8_t ep)
{
	return slot(ep)->busy;
}

bool mock_stalled(uint8_t ep)
{
	return slot(ep)->stalled;
}

bool mock_open(uint8_t ep)
{
	return slot(ep)->open;
}

unsigned mock_count(enum mock_op op, uint8_t ep)
{
	unsigned n = 0;

	for (unsigned i = 0; i < mock.ncalls; i++)
		if (mock.calls[i].op == op && (ep == MOCK_ANY_EP || mock.calls[i].ep == ep))
			n++;
	return n;
}

int mock_index(enum mock_op op, uint8_t ep)
{
	for (int i = (int)mock.ncalls - 1; i >= 0; i--)
		if (mock.calls[i].op == op && (ep == MOCK_ANY_EP || mock.calls[i].ep == ep))
			return i;
	return -1;
}

const struct mock_call *mock_last(enum mock_op op, uint8_t ep)
{
	int i = mock_index(op, ep);
	return i < 0 ? NULL : &mock.calls[i];
}

void mock_clear_log(void)
{
	mock.ncalls = 0;
	mock.log_len = 0;
	mock.log[0] = '\0';
}

bool mock_log_has(const char *s)
{
	return strstr(mock.log, s) != NULL;
}

/* ---- the host model ---- */

uint16_t mock_ep0_mps(void)
{
	return ud_device_speed(&mdev) == UD_SPEED_HIGH ? 64u : mock.port.ep0_max_packet;
}

static int ctrl_end(struct mock_ctrl *r, int result, int stage)
{
	r->result = result;
	r->stall_stage = stage;
	return result;
}

/* Read the IN data stage in packets until a short packet or wLength bytes. */
static int ctrl_data_in(struct mock_ctrl *r, uint16_t length)
{
	uint16_t mps = mock_ep0_mps();

	for (;;) {
		if (mock_stalled(0x80))
			return ctrl_end(r, MOCK_STALL, 1);
		if (!mock_busy(0x80))
			return ctrl_end(r, MOCK_TIMEOUT, 1);
		struct mock_ep *e = slot(0x80);
		uint32_t off = 0;
		bool end = false;
		do {
			uint32_t n = e->len - off < mps ? e->len - off : mps;
			if (r->len + n > length || r->len + n > sizeof(r->data))
				return ctrl_end(r, MOCK_PROTOCOL, 1); /* babble */
			if (n)
				memcpy(r->data + r->len, e->buf + off, n);
			r->len = (uint16_t)(r->len + n);
			off += n;
			r->packets++;
			if (n < mps) {
				end = true;
				r->zlp = n == 0;
			} else if (r->len == length) {
				end = true;
			}
		} while (!end && off < e->len);
		if (off < e->len)
			return ctrl_end(r, MOCK_PROTOCOL, 1); /* more data than the host takes */
		mock_xfer_done(0x80, e->len, UD_OK);
		mock_run();
		if (end)
			return MOCK_ACK;
	}
}

int mock_ctrl(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t length,
              const void *out, struct mock_ctrl *r)
{
	struct mock_ctrl local;

	if (!r)
		r = &local;
	memset(r, 0, sizeof(*r));
	mock_setup(bm, req, value, index, length);
	mock_run();
	if (length && (bm & UD_DIR_IN)) {
		if (ctrl_data_in(r, length) != MOCK_ACK)
			return r->result;
		if (mock_stalled(0x00))
			return ctrl_end(r, MOCK_STALL, 2);
		if (mock_busy(0x80))
			return ctrl_end(r, MOCK_PROTOCOL, 2); /* more IN after the data stage */
		if (!mock_busy(0x00))
			return ctrl_end(r, MOCK_TIMEOUT, 2);
		if (slot(0x00)->len != 0)
			return ctrl_end(r, MOCK_PROTOCOL, 2);
		mock_xfer_done(0x00, 0, UD_OK);
		mock_run();
		return ctrl_end(r, MOCK_ACK, 0);
	}
	if (length) {
		if (mock_stalled(0x00))
			return ctrl_end(r, MOCK_STALL, 1);
		if (!mock_busy(0x00))
			return ctrl_end(r, MOCK_TIMEOUT, 1);
		if (slot(0x00)->len < length)
			return ctrl_end(r, MOCK_PROTOCOL, 1);
		mock_out_data(0x00, out, length);
		mock_run();
	}
	if (mock_stalled(0x80))
		return ctrl_end(r, MOCK_STALL, 2);
	if (!mock_busy(0x80))
		return ctrl_end(r, MOCK_TIMEOUT, 2);
	if (slot(0x80)->len != 0)
		return ctrl_end(r, MOCK_PROTOCOL, 2);
	mock_xfer_done(0x80, 0, UD_OK);
	mock_run();
	return ctrl_end(r, MOCK_ACK, 0);
}

void mock_enumerate(enum ud_speed speed)
{
	mock_bus_reset(speed);
	mock_run();
	assert_int_equal(ud_device_state(&mdev), UD_STATE_DEFAULT);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_ADDRESS, 5, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_ADDRESS);
	assert_int_equal(mock_ctrl(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, NULL), MOCK_ACK);
	assert_int_equal(ud_device_state(&mdev), UD_STATE_CONFIGURED);
}
