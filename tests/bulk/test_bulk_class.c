/* SPDX-License-Identifier: MIT */
/*
 * The bulk class's streaming API (ud_bulk.h) with an application of the test's own, on the vdc
 * through the host model: several requests in flight per endpoint, each completed exactly once
 * in order; the ZLP policy; enable/disable and the shut-down completions on every way out of
 * the configuration; and bad input (more data than the buffer, a halt or clear in the middle
 * of a transfer, a reset with requests queued), where nothing may be written past a buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bulk_world.h"
#include "udcore/ud_bulk.h"

#define NREQ 4
#define BUFLEN 512
#define GUARD 16
#define GUARD_BYTE 0xa5
#define LOG_MAX 64

static const char guid[] = "{01234567-89ab-cdef-0123-456789abcdef}";

/* The application: requests with guard bytes after each buffer, and a log of everything. */
static struct app {
	struct ud_bulk bulk;
	struct ud_req rx[NREQ], tx[NREQ];
	uint8_t rxbuf[NREQ][BUFLEN + GUARD], txbuf[NREQ][BUFLEN + GUARD];
	struct {
		const struct ud_req *req;
		int16_t status;
		uint32_t actual;
	} log[LOG_MAX];
	unsigned nlog;
	unsigned enables, disables, halts_cleared, controls;
	uint8_t last_halt_cleared;
	bool resubmit;     /* completions resubmit on UD_OK */
	bool resubmit_any; /* completions resubmit whatever the status */
	unsigned resubmits_refused;
	int submit_in_disable; /* what a submit from `disable` returned */
	unsigned queued_at_disable;
	bool active_in_disable;
} app;

static struct ud_bulk_config cfg;

static void on_enable(struct ud_bulk *b)
{
	assert_ptr_equal(b, &app.bulk);
	app.enables++;
}

static void on_disable(struct ud_bulk *b)
{
	app.disables++;
	app.active_in_disable = ud_bulk_active(b);
	app.queued_at_disable =
		ud_ep_queued(b->fn.dev, b->ep_in) + ud_ep_queued(b->fn.dev, b->ep_out);
	app.submit_in_disable = ud_bulk_submit_out(b, &app.rx[NREQ - 1]);
}

static int on_control(struct ud_bulk *b, const struct ud_setup *s)
{
	static const uint8_t answer[3] = {1, 2, 3};

	app.controls++;
	if (s->bmRequestType == 0xc1 && s->bRequest == 0x01)
		return ud_ctrl_reply(b->fn.dev, answer, sizeof(answer));
	return UD_ERR_NOTSUP;
}

static void on_halt_cleared(struct ud_bulk *b, uint8_t ep)
{
	(void)b;
	app.halts_cleared++;
	app.last_halt_cleared = ep;
}

static const struct ud_bulk_ops ops = {
	.enable = on_enable,
	.disable = on_disable,
	.control = on_control,
	.halt_cleared = on_halt_cleared,
};

static void done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	assert_true(app.nlog < LOG_MAX);
	app.log[app.nlog].req = req;
	app.log[app.nlog].status = req->status;
	app.log[app.nlog].actual = req->actual;
	app.nlog++;
	bool in = req >= &app.tx[0] && req < &app.tx[NREQ];
	if (app.resubmit && req->status == UD_OK) {
		assert_int_equal(in ? ud_bulk_submit_in(&app.bulk, req)
		                    : ud_bulk_submit_out(&app.bulk, req),
		                 0);
	} else if (app.resubmit_any) {
		int rc =
			in ? ud_bulk_submit_in(&app.bulk, req) : ud_bulk_submit_out(&app.bulk, req);
		assert_int_equal(rc, UD_ERR_STATE);
		app.resubmits_refused++;
	}
}

static unsigned times_done(const struct ud_req *req)
{
	unsigned n = 0;
	for (unsigned i = 0; i < app.nlog; i++)
		n += app.log[i].req == req;
	return n;
}

static int add_app(struct ud_device *dev)
{
	return ud_bulk_add(dev, &app.bulk, &cfg);
}

static int setup(void **state)
{
	(void)state;
	memset(&app, 0, sizeof(app));
	for (unsigned i = 0; i < NREQ; i++) {
		memset(app.rxbuf[i], GUARD_BYTE, sizeof(app.rxbuf[i]));
		memset(app.txbuf[i], GUARD_BYTE, sizeof(app.txbuf[i]));
		app.rx[i] =
			(struct ud_req){.buf = app.rxbuf[i], .length = BUFLEN, .complete = done};
		app.tx[i] = (struct ud_req){.buf = app.txbuf[i], .length = 0, .complete = done};
	}
	cfg = (struct ud_bulk_config){.ops = &ops,
	                              .interface_string = "bulk test",
	                              .winusb_guid = guid,
	                              .subclass = 0x12,
	                              .protocol = 0x34,
	                              .context = &app};
	return 0;
}

static void guards_intact(void)
{
	for (unsigned i = 0; i < NREQ; i++)
		for (unsigned g = 0; g < GUARD; g++) {
			assert_int_equal(app.rxbuf[i][BUFLEN + g], GUARD_BYTE);
			assert_int_equal(app.txbuf[i][BUFLEN + g], GUARD_BYTE);
		}
}

static void up(enum ud_speed speed)
{
	bw_custom(speed, add_app);
	bw_attach(UD_OS_LINUX);
	assert_int_equal(app.enables, 1);
	assert_true(ud_bulk_active(&app.bulk));
}

/* ---- registration and descriptors ---- */

static void test_add_errors(void **state)
{
	(void)state;
	struct ud_device dev;
	struct ud_vdc vdc;
	struct ud_bulk more[UD_MAX_FUNCTIONS];
	struct ud_device_info info = {.vid = 1, .pid = 2, .ep0_max_packet = 64};
	struct ud_bulk_config c = {0};

	ud_vdc_init(&vdc, NULL);
	assert_int_equal(ud_device_init(&dev, &vdc.port, &info), 0);
	assert_int_equal(ud_bulk_add(NULL, &app.bulk, &c), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_add(&dev, NULL, &c), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_add(&dev, &app.bulk, NULL), UD_ERR_INVAL);
	c.zlp = 2;
	assert_int_equal(ud_bulk_add(&dev, &app.bulk, &c), UD_ERR_INVAL);
	c.zlp = UD_BULK_ZLP_ALWAYS;
	c.mps_fs = 63;
	assert_int_equal(ud_bulk_add(&dev, &app.bulk, &c), UD_ERR_INVAL);
	c.mps_fs = 8;
	c.mps_hs = 256;
	assert_int_equal(ud_bulk_add(&dev, &app.bulk, &c), UD_ERR_INVAL);
	c.mps_hs = 0;
	c.interface_string = "\xff bad UTF-8";
	assert_int_equal(ud_bulk_add(&dev, &app.bulk, &c), UD_ERR_INVAL);
	assert_int_equal(ud_device_start(&dev), UD_ERR_STATE); /* a bind failed: never starts */

	/* A malformed GUID fails in bind: the device refuses to start with partial descriptors. */
	assert_int_equal(ud_device_init(&dev, &vdc.port, &info), 0);
	c.interface_string = NULL;
	c.winusb_guid = "{not-a-guid}";
	assert_int_equal(ud_bulk_add(&dev, &app.bulk, &c), UD_ERR_INVAL);

	/* Every function slot taken, then one more. */
	assert_int_equal(ud_device_init(&dev, &vdc.port, &info), 0);
	c.winusb_guid = NULL;
	for (unsigned i = 0; i < UD_MAX_FUNCTIONS; i++)
		assert_int_equal(ud_bulk_add(&dev, &more[i], &c), 0);
	assert_int_equal(ud_bulk_add(&dev, &app.bulk, &c), UD_ERR_NOSPACE);
	assert_int_equal(more[1].ep_out, 0x02);
	assert_int_equal(more[1].ep_in, 0x82);
	assert_int_equal(more[1].intf, 1);
	assert_int_equal(ud_device_start(&dev), 0);
	assert_int_equal(ud_bulk_add(&dev, &app.bulk, &c), UD_ERR_STATE);
	ud_device_stop(&dev);

	/* A controller with EP0 and EP1 only: the second function finds no endpoint. */
	struct ud_vdc_config small = {.ep_count = 2};
	ud_vdc_init(&vdc, &small);
	assert_int_equal(ud_device_init(&dev, &vdc.port, &info), 0);
	assert_int_equal(ud_bulk_add(&dev, &more[0], &c), 0);
	assert_int_equal(ud_bulk_add(&dev, &more[1], &c), UD_ERR_NOSPACE);
}

/* Before it is bound (or with NULL) the API refuses politely. */
static void test_unbound(void **state)
{
	(void)state;
	struct ud_bulk b;
	struct ud_req r = {.complete = done};

	memset(&b, 0, sizeof(b));
	assert_int_equal(ud_bulk_submit_out(NULL, &r), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_submit_in(NULL, &r), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_submit_in(&b, NULL), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_submit_out(&b, &r), UD_ERR_STATE);
	assert_int_equal(ud_bulk_submit_in(&b, &r), UD_ERR_STATE);
	assert_int_equal(ud_bulk_cancel(&b, &r), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_cancel(NULL, &r), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_flush(&b), UD_ERR_INVAL);
	assert_int_equal(ud_bulk_set_halt(&b, true), UD_ERR_INVAL);
	assert_false(ud_bulk_active(&b));
	assert_false(ud_bulk_active(NULL));
	assert_int_equal(ud_bulk_max_packet(&b, true), 0);
	assert_null(ud_bulk_context(NULL));
	assert_null(ud_bulk_from_function(NULL));
}

static void test_descriptors(void **state)
{
	(void)state;
	/* Configuration at full speed: interface (vendor, subclass 0x12, protocol 0x34, string
	 * 3: after manufacturer and product), bulk EP1 OUT and EP1 IN of 64 bytes. */
	static const uint8_t cfg_fs[] = {
		0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32, /* configuration */
		0x09, 0x04, 0x00, 0x00, 0x02, 0xff, 0x12, 0x34, 0x03, /* interface */
		0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00,             /* EP1 OUT */
		0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00,             /* EP1 IN */
	};

	up(UD_SPEED_HIGH);
	assert_int_equal(app.bulk.intf, 0);
	assert_int_equal(app.bulk.ep_out, 0x01);
	assert_int_equal(app.bulk.ep_in, 0x81);
	assert_ptr_equal(ud_bulk_context(&app.bulk), &app);
	assert_ptr_equal(ud_bulk_from_function(&app.bulk.fn), &app.bulk);
	assert_int_equal(ud_bulk_max_packet(&app.bulk, true), 512);
	assert_int_equal(ud_bulk_max_packet(&app.bulk, false), 512);
	/* The other-speed configuration is the full-speed one. */
	bw_control_ok(0x80, UD_REQ_GET_DESCRIPTOR, 0x0700, 0, 255, NULL, 0);
	assert_int_equal(bw_r.len, sizeof(cfg_fs));
	assert_memory_equal(bw_r.data + 2, cfg_fs + 2, sizeof(cfg_fs) - 2);
	bw_control_ok(0x80, UD_REQ_GET_DESCRIPTOR, 0x0303, 0x0409, 255, NULL, 0);
	assert_int_equal(bw_r.len, 2 + 2 * 9); /* "bulk test" */
	bw_control_ok(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18, NULL, 0);
	assert_int_equal(bw_r.data[2], 0x01); /* bcdUSB 2.01: WinUSB descriptors present */

	/* Without a GUID or string: bcdUSB 2.00, no BOS, no interface string. */
	setup(NULL);
	cfg.winusb_guid = NULL;
	cfg.interface_string = NULL;
	up(UD_SPEED_FULL);
	bw_control_ok(0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18, NULL, 0);
	assert_int_equal(bw_r.data[2], 0x00);
	assert_int_equal(bw_control(0x80, UD_REQ_GET_DESCRIPTOR, 0x0f00, 0, 5, NULL, 0),
	                 UD_SIM_STALL);
	bw_control_ok(0x80, UD_REQ_GET_DESCRIPTOR, 0x0200, 0, 255, NULL, 0);
	assert_int_equal(bw_r.data[9 + 8], 0); /* iInterface */
	assert_int_equal(ud_bulk_max_packet(&app.bulk, true), 64);
}

/* Class/vendor requests reach the application; without a `control` callback they stall. */
static void test_control_routing(void **state)
{
	(void)state;
	up(UD_SPEED_FULL);
	bw_control_ok(0xc1, 0x01, 0, 0, 3, NULL, 0);
	assert_int_equal(bw_r.len, 3);
	assert_int_equal(bw_control(0xc1, 0x02, 0, 0, 3, NULL, 0), UD_SIM_STALL);
	assert_int_equal(bw_control(0x41, 0x02, 0, 0, 0, NULL, 0), UD_SIM_STALL);
	assert_int_equal(app.controls, 3);

	/* No callbacks at all: requests stall, clears and enables go unnoticed. */
	cfg.ops = NULL;
	bw_custom(UD_SPEED_FULL, add_app);
	bw_attach(UD_OS_LINUX);
	assert_true(ud_bulk_active(&app.bulk));
	assert_int_equal(bw_control(0xc1, 0x01, 0, 0, 3, NULL, 0), UD_SIM_STALL);
	bw_clear_halt(0x81);
	bw_control_ok(0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0, NULL, 0);
	assert_int_equal(app.controls + app.halts_cleared + app.disables, 3);
	assert_int_equal(app.enables, 1);
}

/* ---- streaming ---- */

static void test_several_in_flight(void **state)
{
	(void)state;
	static uint8_t data[NREQ][BUFLEN];

	up(UD_SPEED_FULL);
	for (unsigned i = 0; i < NREQ; i++)
		assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[i]), 0);
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), UD_ERR_BUSY);
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.rx[0]), UD_ERR_BUSY);
	assert_int_equal(ud_ep_queued(&bw.dev, 0x01), NREQ);
	/* Four transfers of different lengths: each request gets one, in order. */
	static const uint16_t len[NREQ] = {1, 64, 200, 0};
	for (unsigned i = 0; i < NREQ; i++) {
		bw_fill(data[i], len[i], i);
		assert_int_equal(bw_write(1, data[i], len[i], true), UD_SIM_OK);
	}
	assert_int_equal(app.nlog, NREQ);
	for (unsigned i = 0; i < NREQ; i++) {
		assert_ptr_equal(app.log[i].req, &app.rx[i]);
		assert_int_equal(app.log[i].status, UD_OK);
		assert_int_equal(app.log[i].actual, len[i]);
		assert_memory_equal(app.rxbuf[i], data[i], len[i]);
	}

	/* Four IN requests queued at once go out in order, each once. */
	for (unsigned i = 0; i < NREQ; i++) {
		bw_fill(app.txbuf[i], 100 + i, 50 + i);
		app.tx[i].length = 100 + i;
		assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[i]), 0);
	}
	for (unsigned i = 0; i < NREQ; i++) {
		assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
		assert_int_equal(bw_r.len, 100 + i);
		assert_memory_equal(bw_r.data, app.txbuf[i], 100 + i);
	}
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	for (unsigned i = 0; i < NREQ; i++)
		assert_int_equal(times_done(&app.tx[i]), 1);
	guards_intact();
	bw_assert_clean();
}

/* Completions that resubmit keep a stream going without any polling. */
static void test_stream_resubmit(void **state)
{
	(void)state;
	static uint8_t data[300];

	up(UD_SPEED_HIGH);
	app.resubmit = true;
	app.rx[0].length = 64;
	app.rx[1].length = 64;
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), 0);
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[1]), 0);
	for (unsigned i = 0; i < 20; i++) {
		bw_fill(data, 64, i);
		assert_int_equal(bw_write(1, data, 64, false), UD_SIM_OK);
		assert_memory_equal(app.log[i].req->buf, data, 64);
	}
	assert_int_equal(app.nlog, 20);
	for (unsigned i = 0; i < 20; i++)
		assert_ptr_equal(app.log[i].req, &app.rx[i % 2]);
	assert_int_equal(ud_ep_queued(&bw.dev, 0x01), 2);
}

/* The ZLP policy: per request (the flag decides) or always. */
static void test_zlp_policy(void **state)
{
	(void)state;
	up(UD_SPEED_FULL);
	/* Per request, no flag: 128 bytes are two full packets and nothing after them. */
	app.tx[0].length = 128;
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[0]), 0);
	assert_int_equal(app.tx[0].flags & UD_REQ_ZLP, 0);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 64);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	/* Flagged: a ZLP follows. */
	app.tx[1].length = 64;
	app.tx[1].flags = UD_REQ_ZLP;
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[1]), 0);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 64);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 0);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	/* A zero-length request is one ZLP; a short one needs none. */
	app.tx[2].length = 0;
	app.tx[3].length = 65;
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[2]), 0);
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[3]), 0);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 0);
	assert_int_equal(bw_read(1, 4096), UD_SIM_OK);
	assert_int_equal(bw_r.len, 65);
	assert_int_equal(bw_in(1), UD_SIM_NAK);

	/* Always: the class flags every request. */
	setup(NULL);
	cfg.zlp = UD_BULK_ZLP_ALWAYS;
	up(UD_SPEED_HIGH);
	app.tx[0].length = 512;
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[0]), 0);
	assert_int_equal(app.tx[0].flags & UD_REQ_ZLP, UD_REQ_ZLP);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 512);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 0);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	app.tx[1].length = 100;
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[1]), 0);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.len, 100);
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	assert_int_equal(app.nlog, 2);
}

/* Cancel and flush: each request still completes exactly once. */
static void test_cancel_flush(void **state)
{
	(void)state;
	up(UD_SPEED_FULL);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[i]), 0);
	app.tx[0].length = 10;
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[0]), 0);
	assert_int_equal(ud_bulk_cancel(&app.bulk, &app.rx[1]), 0);
	assert_int_equal(ud_bulk_cancel(&app.bulk, &app.tx[0]), 0);
	assert_int_equal(ud_bulk_cancel(&app.bulk, &app.rx[3]), UD_ERR_NOENT);
	assert_int_equal(ud_bulk_cancel(&app.bulk, NULL), UD_ERR_INVAL);
	assert_int_equal(app.nlog, 0); /* never inside the call */
	assert_int_equal(bw_in(1), UD_SIM_NAK);
	assert_int_equal(app.nlog, 2);
	assert_int_equal(app.log[0].status, UD_ERR_CANCELLED);
	assert_int_equal(app.log[1].status, UD_ERR_CANCELLED);
	assert_int_equal(ud_bulk_flush(&app.bulk), 2);
	assert_int_equal(ud_bulk_flush(&app.bulk), 0);
	assert_int_equal(bw_out(1, NULL, 0), UD_SIM_NAK);
	assert_int_equal(app.nlog, 4);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(times_done(&app.rx[i]), 1);
}

/* ---- leaving the configuration ---- */

/* Queue two requests per endpoint, then let @p leave end the configuration. */
static void shutdown_case(void (*leave)(void), bool expect_disable)
{
	up(UD_SPEED_FULL);
	for (unsigned i = 0; i < 2; i++) {
		app.tx[i].length = 64;
		assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[i]), 0);
		assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[i]), 0);
	}
	app.resubmit_any = true; /* resubmitting from a shut-down completion is refused */
	leave();
	app.resubmit_any = false;
	assert_int_equal(app.resubmits_refused, 4);
	assert_int_equal(app.disables, expect_disable ? 1 : 0);
	if (expect_disable) {
		assert_int_equal(app.queued_at_disable, 4);
		assert_false(app.active_in_disable);
		assert_int_equal(app.submit_in_disable, UD_ERR_STATE);
	}
	assert_int_equal(app.nlog, 4);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(times_done(&app.rx[i]), 1);
		assert_int_equal(times_done(&app.tx[i]), 1);
	}
	for (unsigned i = 0; i < app.nlog; i++)
		assert_int_equal(app.log[i].status, UD_ERR_SHUTDOWN);
	assert_int_equal(ud_ep_queued(&bw.dev, 0x01) + ud_ep_queued(&bw.dev, 0x81), 0);
	bw_assert_clean();
}

static void leave_set_config0(void)
{
	bw_control_ok(0x00, UD_REQ_SET_CONFIGURATION, 0, 0, 0, NULL, 0);
	assert_false(ud_bulk_active(&app.bulk));
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), UD_ERR_STATE);
}

static void leave_bus_reset(void)
{
	ud_host_reset(&bw, &bw_r);
	assert_int_equal(bw_r.status, UD_SIM_OK);
}

static void leave_disconnect(void)
{
	ud_host_connect(&bw, false, &bw_r);
	assert_int_equal(bw_r.status, UD_SIM_OK);
}

static void leave_stop(void)
{
	ud_device_stop(&bw.dev);
}

static void leave_set_interface(void)
{
	bw_set_interface0(0);
	assert_int_equal(app.enables, 2); /* a fresh start, without `disable` */
	assert_true(ud_bulk_active(&app.bulk));
}

static void test_shutdown_set_config0(void **state)
{
	(void)state;
	shutdown_case(leave_set_config0, true);
	/* Selecting the configuration again enables, and the same requests can be reused. */
	bw_control_ok(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, 0);
	assert_int_equal(app.enables, 2);
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), 0);
}

static void test_shutdown_bus_reset(void **state)
{
	(void)state;
	shutdown_case(leave_bus_reset, true);
}

static void test_shutdown_disconnect(void **state)
{
	(void)state;
	shutdown_case(leave_disconnect, true);
}

static void test_shutdown_device_stop(void **state)
{
	(void)state;
	shutdown_case(leave_stop, true);
}

static void test_shutdown_set_interface(void **state)
{
	(void)state;
	shutdown_case(leave_set_interface, false);
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[0]), 0);
}

/* A repeated SET_CONFIGURATION(1): disable, shut-down completions, then enable. */
static void test_shutdown_reconfigure(void **state)
{
	(void)state;
	up(UD_SPEED_FULL);
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), 0);
	bw_control_ok(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, NULL, 0);
	assert_int_equal(app.disables, 1);
	assert_int_equal(app.enables, 2);
	assert_int_equal(times_done(&app.rx[0]), 1);
	assert_int_equal(app.log[0].status, UD_ERR_SHUTDOWN);
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), 0);
}

/* ---- bad input ---- */

/* The host sends more than the buffer holds: what fits is stored, the request says
 * UD_ERR_OVERFLOW, the guard bytes after the buffer are untouched. */
static void test_overflow(void **state)
{
	(void)state;
	static uint8_t data[64];

	up(UD_SPEED_FULL);
	app.rx[0].length = 10;
	app.rx[1].length = 100;
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), 0);
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[1]), 0);
	bw_fill(data, sizeof(data), 3);
	assert_int_equal(bw_out(1, data, 64), UD_SIM_ACK);
	assert_int_equal(app.nlog, 1);
	assert_int_equal(app.log[0].status, UD_ERR_OVERFLOW);
	assert_int_equal(app.log[0].actual, 10);
	assert_memory_equal(app.rxbuf[0], data, 10);
	assert_int_equal(app.rxbuf[0][10], GUARD_BYTE);
	/* 100 bytes of room: one packet fits, the second does not. */
	assert_int_equal(bw_out(1, data, 64), UD_SIM_ACK);
	assert_int_equal(bw_out(1, data, 64), UD_SIM_ACK);
	assert_int_equal(app.log[1].status, UD_ERR_OVERFLOW);
	assert_int_equal(app.log[1].actual, 100);
	assert_int_equal(app.rxbuf[1][100], GUARD_BYTE);
	guards_intact();
	/* No request: the endpoint NAKs, nothing is dropped. */
	assert_int_equal(bw_out(1, data, 64), UD_SIM_NAK);
	bw_assert_clean();
}

/* A halt set and cleared by the host in the middle of a transfer: the request neither ends
 * nor loses data; it resumes after the clear, from DATA0. */
static void test_halt_mid_transfer(void **state)
{
	(void)state;
	static uint8_t data[256];

	up(UD_SPEED_FULL);
	bw_fill(data, sizeof(data), 4);
	app.rx[0].length = 256;
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), 0);
	assert_int_equal(bw_out(1, data, 64), UD_SIM_ACK);
	assert_int_equal(bw_out(1, data + 64, 64), UD_SIM_ACK);
	bw_set_halt(0x01);
	assert_int_equal(bw_ep_status(0x01), 1);
	assert_int_equal(bw_out(1, data + 128, 64), UD_SIM_STALL);
	assert_int_equal(app.nlog, 0);
	bw_clear_halt(0x01);
	assert_int_equal(app.halts_cleared, 1);
	assert_int_equal(app.last_halt_cleared, 0x01);
	assert_int_equal(bw_ep_status(0x01), 0);
	assert_int_equal(bw.host.ep[1].toggle_out, 0);
	assert_int_equal(bw_write(1, data + 128, 128, false), UD_SIM_OK);
	assert_int_equal(app.nlog, 1);
	assert_int_equal(app.log[0].status, UD_OK);
	assert_int_equal(app.log[0].actual, 256);
	assert_memory_equal(app.rxbuf[0], data, 256);

	/* IN: 4 packets, halted after 2; the rest follows the clear, starting with DATA0. */
	bw_fill(app.txbuf[0], 256, 6);
	app.tx[0].length = 256;
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[0]), 0);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	bw_set_halt(0x81);
	assert_int_equal(bw_in(1), UD_SIM_STALL);
	assert_int_equal(bw_ep_status(0x81), 1);
	bw_clear_halt(0x81);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(bw_r.pid, 0);
	assert_false(bw_r.dup);
	assert_memory_equal(bw_r.data, app.txbuf[0] + 128, 64);
	assert_int_equal(bw_in(1), UD_SIM_ACK);
	assert_int_equal(app.nlog, 2);
	assert_int_equal(app.log[1].actual, 256);
	/* The application halts on its own (a protocol error): the host sees STALL. */
	assert_int_equal(ud_bulk_set_halt(&app.bulk, true), 0);
	assert_int_equal(bw_in(1), UD_SIM_STALL);
	assert_int_equal(bw_ep_status(0x81), 1);
	bw_clear_halt(0x81);
	assert_int_equal(ud_bulk_set_halt(&app.bulk, false), 0);
	assert_int_equal(bw_out(1, data, 1), UD_SIM_STALL);
	bw_clear_halt(0x01);
	bw_assert_clean();
}

/* A bus reset with requests queued on both endpoints and one half moved. */
static void test_reset_mid_transfer(void **state)
{
	(void)state;
	static uint8_t data[64];

	up(UD_SPEED_HIGH);
	app.rx[0].length = 512;
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[0]), 0);
	assert_int_equal(ud_bulk_submit_out(&app.bulk, &app.rx[1]), 0);
	bw_fill(app.txbuf[0], 512, 1);
	app.tx[0].length = 512;
	assert_int_equal(ud_bulk_submit_in(&app.bulk, &app.tx[0]), 0);
	bw_fill(data, sizeof(data), 7);
	assert_int_equal(bw_out(1, data, 64), UD_SIM_ACK); /* short: rx[0] completes */
	assert_int_equal(app.nlog, 1);
	bw_attach(UD_OS_WINDOWS);
	assert_int_equal(app.nlog, 3);
	assert_int_equal(times_done(&app.rx[1]), 1);
	assert_int_equal(times_done(&app.tx[0]), 1);
	assert_int_equal(app.log[1].status, UD_ERR_SHUTDOWN);
	assert_int_equal(app.log[2].status, UD_ERR_SHUTDOWN);
	assert_int_equal(app.disables, 1);
	assert_int_equal(app.enables, 2);
	guards_intact();
	bw_assert_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_errors, setup),
		cmocka_unit_test_setup(test_unbound, setup),
		cmocka_unit_test_setup(test_descriptors, setup),
		cmocka_unit_test_setup(test_control_routing, setup),
		cmocka_unit_test_setup(test_several_in_flight, setup),
		cmocka_unit_test_setup(test_stream_resubmit, setup),
		cmocka_unit_test_setup(test_zlp_policy, setup),
		cmocka_unit_test_setup(test_cancel_flush, setup),
		cmocka_unit_test_setup(test_shutdown_set_config0, setup),
		cmocka_unit_test_setup(test_shutdown_bus_reset, setup),
		cmocka_unit_test_setup(test_shutdown_disconnect, setup),
		cmocka_unit_test_setup(test_shutdown_device_stop, setup),
		cmocka_unit_test_setup(test_shutdown_set_interface, setup),
		cmocka_unit_test_setup(test_shutdown_reconfigure, setup),
		cmocka_unit_test_setup(test_overflow, setup),
		cmocka_unit_test_setup(test_halt_mid_transfer, setup),
		cmocka_unit_test_setup(test_reset_mid_transfer, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
