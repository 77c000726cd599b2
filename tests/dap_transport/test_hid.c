/* SPDX-License-Identifier: MIT */
/*
 * class/hid on its own: a boot keyboard (IN only, SET_REPORT for its LEDs, its own
 * GET_REPORT) and a plain HID function with IN and OUT endpoints and no callbacks, side by
 * side on one device. Descriptors, every class request and its malformed variants, the data
 * path and the forwarded callbacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "dap_host.h"

static struct th t;
static struct ud_hid kbd, plain;

static const uint8_t kbd_report_desc[] = {0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0x75, 0x08, 0x95,
                                          0x08, 0x81, 0x02, 0x95, 0x01, 0x91, 0x02, 0xc0};
static const uint8_t plain_report_desc[] = {0x06, 0x00, 0xff, 0x09, 0x01, 0xa1, 0x01, 0x95,
                                            0x20, 0x81, 0x02, 0x95, 0x20, 0x91, 0x02, 0xc0};

static struct {
	unsigned enables, disables, halts, polls, get_reports, set_reports;
	uint8_t last_ep;
	uint8_t set_type, set_id;
	uint8_t set_data[8];
	uint16_t set_len;
	int set_rc;
	int get_rc; /* 0: answer normally; otherwise return this */
} calls;

static uint8_t led_buf[8];

static void k_enable(struct ud_hid *h)
{
	assert_ptr_equal(h, &kbd);
	calls.enables++;
}

static void k_disable(struct ud_hid *h)
{
	(void)h;
	calls.disables++;
}

static void k_halt(struct ud_hid *h, uint8_t ep)
{
	(void)h;
	calls.halts++;
	calls.last_ep = ep;
}

static void k_poll(struct ud_hid *h)
{
	(void)h;
	calls.polls++;
}

static int k_get_report(struct ud_hid *h, uint8_t type, uint8_t id, uint8_t *buf, uint16_t cap)
{
	(void)h;
	calls.get_reports++;
	if (calls.get_rc)
		return calls.get_rc;
	if (type != UD_HID_REPORT_INPUT || id != 0 || cap < 8)
		return UD_ERR_INVAL;
	for (uint8_t i = 0; i < 8; i++)
		buf[i] = (uint8_t)(0xa0 + i);
	return 8;
}

static int k_set_report(struct ud_hid *h, uint8_t type, uint8_t id, const uint8_t *data,
                        uint16_t len)
{
	(void)h;
	calls.set_reports++;
	calls.set_type = type;
	calls.set_id = id;
	calls.set_len = len;
	memcpy(calls.set_data, data, len < 8 ? len : 8);
	return calls.set_rc;
}

static const struct ud_hid_ops kbd_ops = {
	.enable = k_enable,
	.disable = k_disable,
	.halt_cleared = k_halt,
	.poll = k_poll,
	.get_report = k_get_report,
	.set_report = k_set_report,
};

static const struct ud_hid_config kbd_cfg = {
	.report_desc = kbd_report_desc,
	.report_desc_len = sizeof(kbd_report_desc),
	.in_size = 8,
	.interval_fs = 10,
	.interval_hs = 7,
	.subclass = UD_HID_SUBCLASS_BOOT,
	.protocol = 1,
	.country = 33,
	.interface_string = "udcore keyboard",
	.ops = &kbd_ops,
	.set_report_buf = led_buf,
	.set_report_len = sizeof(led_buf),
};

static const struct ud_hid_config plain_cfg = {
	.report_desc = plain_report_desc,
	.report_desc_len = sizeof(plain_report_desc),
	.in_size = 32,
	.out_size = 32,
	.in_size_hs = 64,
	.out_size_hs = 64,
	.interval_fs = 1,
	.interval_hs = 1,
};

static int add_both(struct th *th)
{
	int rc = ud_hid_add(&th->dev, &kbd, &kbd_cfg);
	return rc ? rc : ud_hid_add(&th->dev, &plain, &plain_cfg);
}

static int setup(void **state)
{
	struct th_opts o = {.add = add_both};

	(void)state;
	memset(&calls, 0, sizeof(calls));
	memset(&kbd, 0, sizeof(kbd));
	memset(&plain, 0, sizeof(plain));
	th_init(&t, 0, 0, 0, &o);
	return 0;
}

static int ctl(uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi, uint16_t wl, uint8_t *buf,
               uint16_t *n)
{
	return th_control(&t, bm, br, wv, wi, wl, (bm & 0x80u) ? NULL : buf,
	                  (bm & 0x80u) ? buf : NULL, n);
}

static const uint8_t *find_desc(const uint8_t *p, uint16_t len, uint8_t type, unsigned nth)
{
	for (uint16_t off = 0; off + 2 <= len && p[off] >= 2; off = (uint16_t)(off + p[off]))
		if (p[off + 1] == type && nth-- == 0)
			return p + off;
	return NULL;
}

static void test_descriptors(void **state)
{
	uint8_t buf[256];
	uint16_t n = 0;

	(void)state;
	assert_int_equal(ctl(0x80, UD_REQ_GET_DESCRIPTOR, 0x0200, 0, 255, buf, &n), 0);
	const uint8_t *i0 = find_desc(buf, n, UD_DESC_INTERFACE, 0);
	const uint8_t *i1 = find_desc(buf, n, UD_DESC_INTERFACE, 1);
	assert_int_equal(i0[4], 1); /* keyboard: IN only */
	assert_int_equal(i0[5], UD_HID_CLASS);
	assert_int_equal(i0[6], UD_HID_SUBCLASS_BOOT);
	assert_int_equal(i0[7], 1);
	assert_int_not_equal(i0[8], 0);
	assert_int_equal(i1[4], 2);
	assert_int_equal(i1[8], 0); /* no string */
	const uint8_t *h0 = find_desc(buf, n, UD_HID_DESC_HID, 0);
	assert_int_equal(h0[2] | (h0[3] << 8), 0x0111);
	assert_int_equal(h0[4], 33);
	assert_int_equal(h0[7] | (h0[8] << 8), sizeof(kbd_report_desc));
	const uint8_t *e0 = find_desc(buf, n, UD_DESC_ENDPOINT, 0);
	assert_int_equal(e0[2], 0x81);
	assert_int_equal(e0[3], UD_EP_INTERRUPT);
	assert_int_equal(e0[4], 8);
	assert_int_equal(e0[6], 10);
	assert_int_equal(ud_hid_interface(&kbd), 0);
	assert_int_equal(ud_hid_interface(&plain), 1);
	assert_int_equal(ud_hid_ep_out(&kbd), 0);
	assert_int_equal(ud_hid_ep_out(&plain), 0x01);
	assert_int_equal(ud_hid_ep_in(&plain), 0x82);

	assert_int_equal(ctl(0x81, UD_REQ_GET_DESCRIPTOR, 0x2200, 0, 255, buf, &n), 0);
	assert_int_equal(n, sizeof(kbd_report_desc));
	assert_memory_equal(buf, kbd_report_desc, n);
	assert_int_equal(ctl(0x81, UD_REQ_GET_DESCRIPTOR, 0x2200, 1, 255, buf, &n), 0);
	assert_memory_equal(buf, plain_report_desc, sizeof(plain_report_desc));
	assert_int_equal(ctl(0x81, UD_REQ_GET_DESCRIPTOR, 0x2100, 0, 255, buf, &n), 0);
	assert_int_equal(n, 9);
	assert_memory_equal(buf, h0, 9);
	assert_int_equal(ctl(0x81, UD_REQ_GET_DESCRIPTOR, 0x2200, 0, 4, buf, &n), 0);
	assert_int_equal(n, 4); /* cut to wLength */
}

static void test_bad_descriptor_requests(void **state)
{
	uint8_t buf[64];
	uint16_t n;

	(void)state;
	assert_int_equal(ctl(0x81, UD_REQ_GET_DESCRIPTOR, 0x2300, 0, 64, buf, &n),
	                 -1); /* physical */
	assert_int_equal(ctl(0x81, UD_REQ_GET_DESCRIPTOR, 0x2201, 0, 64, buf, &n),
	                 -1);                                                          /* index 1 */
	assert_int_equal(ctl(0x01, UD_REQ_GET_DESCRIPTOR, 0x2200, 0, 0, buf, &n), -1); /* OUT */
	assert_int_equal(ctl(0x01, UD_REQ_SET_DESCRIPTOR, 0x2200, 0, 0, buf, &n), -1);
	assert_int_equal(ctl(0x81, UD_REQ_GET_DESCRIPTOR, 0x2200, 0x0100, 64, buf, &n), -1);
	assert_int_equal(ctl(0xc1, 0x01, 0, 0, 1, buf, &n), -1);    /* vendor */
	assert_int_equal(ctl(0xa2, 0x01, 0, 0x81, 1, buf, &n), -1); /* class, endpoint */
	assert_int_equal(ctl(0xa1, 0x55, 0, 0, 1, buf, &n), -1);    /* unknown class request */
}

static void test_get_report(void **state)
{
	uint8_t buf[64];
	uint16_t n = 0;

	(void)state;
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0100, 0, 8, buf, &n), 0);
	assert_int_equal(n, 8);
	assert_int_equal(buf[7], 0xa7);
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0100, 0, 3, buf, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0300, 0, 8, buf, &n), -1);
	calls.get_rc = UD_ERR_NOTSUP;
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0100, 0, 8, buf, &n), -1);
	calls.get_rc = UD_CTRL_BUF_SIZE + 1; /* more than the room it had: refused, not sent */
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0100, 0, 8, buf, &n), -1);
	/* A report the callback leaves unwritten goes as zeros, not as the last answer's bytes
	 * (the buffer is the core's EP0 buffer, which just held 0xa0...). */
	calls.get_rc = 0;
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0100, 0, 8, buf, &n), 0);
	calls.get_rc = 8;
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0100, 0, 8, buf, &n), 0);
	assert_int_equal(n, 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(buf[i], 0);
	calls.get_rc = 0;
	assert_int_equal(ctl(0x21, UD_HID_GET_REPORT, 0x0100, 0, 0, buf, &n), -1); /* OUT */
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0100, 0, 0, buf, &n), -1); /* wLength 0 */
	/* Without a callback: an input report of zeros, other types refused. */
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0100, 1, 64, buf, &n), 0);
	assert_int_equal(n, 32);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0300, 1, 64, buf, &n), -1);
	assert_int_equal(ctl(0xa1, UD_HID_GET_REPORT, 0x0102, 1, 64, buf, &n), -1);
}

static void test_set_report(void **state)
{
	uint8_t buf[16] = {0x05, 0x06};
	uint16_t n;

	(void)state;
	assert_int_equal(ctl(0x21, UD_HID_SET_REPORT, 0x0200, 0, 1, buf, &n), 0);
	assert_int_equal(calls.set_reports, 1);
	assert_int_equal(calls.set_type, UD_HID_REPORT_OUTPUT);
	assert_int_equal(calls.set_len, 1);
	assert_int_equal(calls.set_data[0], 0x05);
	assert_int_equal(ctl(0x21, UD_HID_SET_REPORT, 0x0307, 0, 2, buf, &n), 0);
	assert_int_equal(calls.set_type, UD_HID_REPORT_FEATURE);
	assert_int_equal(calls.set_id, 7);
	calls.set_rc = UD_ERR_INVAL; /* the user refuses it: the status stage STALLs */
	assert_int_equal(ctl(0x21, UD_HID_SET_REPORT, 0x0200, 0, 1, buf, &n), -1);
	calls.set_rc = 0;
	assert_int_equal(ctl(0x21, UD_HID_SET_REPORT, 0x0200, 0, 9, buf, &n), -1); /* too long */
	assert_int_equal(ctl(0x21, UD_HID_SET_REPORT, 0x0200, 0, 0, buf, &n), -1); /* no data */
	assert_int_equal(ctl(0xa1, UD_HID_SET_REPORT, 0x0200, 0, 1, buf, &n), -1); /* IN */
	assert_int_equal(ctl(0x21, UD_HID_SET_REPORT, 0x0200, 1, 1, buf, &n), -1); /* no callback */
	assert_int_equal(calls.set_reports, 3);
}

static void test_idle(void **state)
{
	uint8_t buf[4];
	uint16_t n;

	(void)state;
	assert_int_equal(ctl(0xa1, UD_HID_GET_IDLE, 0, 0, 1, buf, &n), 0);
	assert_int_equal(buf[0], 0);
	assert_int_equal(ctl(0x21, UD_HID_SET_IDLE, 0x7d00, 0, 0, buf, &n), 0);
	assert_int_equal(ud_hid_idle(&kbd), 0x7d);
	assert_int_equal(ctl(0xa1, UD_HID_GET_IDLE, 0, 0, 1, buf, &n), 0);
	assert_int_equal(buf[0], 0x7d);
	assert_int_equal(ctl(0xa1, UD_HID_GET_IDLE, 0, 0, 2, buf, &n), -1);
	assert_int_equal(ctl(0xa1, UD_HID_GET_IDLE, 0x0100, 0, 1, buf, &n), -1);
	assert_int_equal(ctl(0x21, UD_HID_GET_IDLE, 0, 0, 0, buf, &n), -1);
	assert_int_equal(ctl(0xa1, UD_HID_SET_IDLE, 0, 0, 1, buf, &n), -1);
	/* A new configuration forgets it. */
	th_set_configuration(&t, 1);
	assert_int_equal(ud_hid_idle(&kbd), 0);
}

static void test_protocol(void **state)
{
	uint8_t buf[4];
	uint16_t n;

	(void)state;
	assert_int_equal(ctl(0xa1, UD_HID_GET_PROTOCOL, 0, 0, 1, buf, &n), 0);
	assert_int_equal(buf[0], UD_HID_PROTOCOL_REPORT);
	assert_int_equal(ctl(0x21, UD_HID_SET_PROTOCOL, UD_HID_PROTOCOL_BOOT, 0, 0, buf, &n), 0);
	assert_int_equal(ud_hid_protocol(&kbd), UD_HID_PROTOCOL_BOOT);
	assert_int_equal(ctl(0xa1, UD_HID_GET_PROTOCOL, 0, 0, 1, buf, &n), 0);
	assert_int_equal(buf[0], UD_HID_PROTOCOL_BOOT);
	assert_int_equal(ctl(0x21, UD_HID_SET_PROTOCOL, 2, 0, 0, buf, &n), -1);
	assert_int_equal(ctl(0xa1, UD_HID_GET_PROTOCOL, 1, 0, 1, buf, &n), -1);
	assert_int_equal(ctl(0xa1, UD_HID_GET_PROTOCOL, 0, 0, 2, buf, &n), -1);
	assert_int_equal(ctl(0xa1, UD_HID_SET_PROTOCOL, 0, 0, 1, buf, &n), -1);
	assert_int_equal(ctl(0x21, UD_HID_GET_PROTOCOL, 0, 0, 0, buf, &n), -1);
	/* Not a boot interface. */
	assert_int_equal(ctl(0xa1, UD_HID_GET_PROTOCOL, 0, 1, 1, buf, &n), -1);
	assert_int_equal(ctl(0x21, UD_HID_SET_PROTOCOL, 0, 1, 0, buf, &n), -1);
	/* A bus reset brings report protocol back (HID 1.11 7.2.6). */
	th_bus_reset_and_enumerate(&t);
	assert_int_equal(ud_hid_protocol(&kbd), UD_HID_PROTOCOL_REPORT);
}

static void done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	*(int *)req->context = req->status == UD_OK ? (int)req->actual : req->status;
}

static void test_data_path_and_callbacks(void **state)
{
	static uint8_t in_data[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out_data[32];
	struct ud_req in = {.buf = in_data, .length = 8, .complete = done};
	struct ud_req out = {.buf = out_data, .length = 32, .complete = done};
	int in_res = -100, out_res = -100;
	uint8_t pkt[64];
	uint16_t n;

	(void)state;
	in.context = &in_res;
	out.context = &out_res;
	assert_int_equal(calls.enables, 1);
	assert_int_equal(ud_hid_send(&kbd, &in), 0);
	assert_int_equal(ud_hid_receive(&kbd, &out), UD_ERR_NOTSUP);
	assert_int_equal(ud_hid_send(NULL, &in), UD_ERR_INVAL);
	assert_int_equal(ud_hid_receive(NULL, &out), UD_ERR_INVAL);
	th_settle(&t);
	t.in_ep = 1;
	assert_int_equal(th_in(&t, pkt, &n), UD_VDC_ACK);
	assert_int_equal(n, 8);
	assert_memory_equal(pkt, in_data, 8);
	th_settle(&t);
	assert_int_equal(in_res, 8);

	assert_int_equal(ud_hid_receive(&plain, &out), 0);
	th_settle(&t);
	const uint8_t msg[5] = {9, 8, 7, 6, 5};
	assert_int_equal(th_out_ep(&t, 1, msg, 5), UD_VDC_ACK);
	th_settle(&t);
	assert_int_equal(out_res, 5);
	assert_memory_equal(out_data, msg, 5);

	th_clear_halt(&t, 0x81);
	assert_int_equal(calls.halts, 1);
	assert_int_equal(calls.last_ep, 0x81);
	ud_function_wake(&kbd.fn);
	th_settle(&t);
	assert_int_equal(calls.polls, 1);
	ud_function_wake(&plain.fn); /* no callbacks at all: nothing happens */
	th_settle(&t);
	th_set_interface(&t, 0, 0);
	assert_int_equal(calls.enables, 2);
	th_set_interface(&t, 1, 0);
	th_clear_halt(&t, 0x01);
	assert_int_equal(calls.halts, 1);
	th_set_configuration(&t, 0);
	assert_int_equal(calls.disables, 1);
}

static void test_config_rejected(void **state)
{
	struct ud_device dev;
	struct ud_vdc vdc;
	struct ud_device_info info = {.ep0_max_packet = 64};
	struct ud_hid h;
	struct ud_hid_config c;
	static const struct ud_hid_ops set_only = {.set_report = k_set_report};

	(void)state;
	ud_vdc_init(&vdc, NULL);
	assert_int_equal(ud_device_init(&dev, ud_vdc_port(&vdc), &info), 0);
	memset(&h, 0, sizeof(h));
	assert_int_equal(ud_hid_add(NULL, &h, &plain_cfg), UD_ERR_INVAL);
	assert_int_equal(ud_hid_add(&dev, NULL, &plain_cfg), UD_ERR_INVAL);
	assert_int_equal(ud_hid_add(&dev, &h, NULL), UD_ERR_INVAL);
	c = plain_cfg;
	c.report_desc = NULL;
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.report_desc_len = 0;
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.in_size = 0;
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.in_size = 65;
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.out_size_hs = 1025;
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.out_size = 0; /* a high-speed size without a full-speed one */
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.interval_fs = 0;
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.interval_hs = 17;
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.interval_hs = 0;
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	c = plain_cfg;
	c.ops = &set_only; /* SET_REPORT without a buffer */
	assert_int_equal(ud_hid_add(&dev, &h, &c), UD_ERR_INVAL);
	assert_int_equal(dev.num_fns, 0);
}

/* The builder's errors come back from ud_hid_add(): no endpoint left, a bad string. */
static void test_bind_errors(void **state)
{
	struct ud_device dev;
	struct ud_vdc vdc;
	struct ud_vdc_config vc = {.ep_count = 2};
	struct ud_device_info info = {.ep0_max_packet = 64};
	static struct ud_hid a, b, c, d;
	struct ud_hid_config in_only = plain_cfg, bad_string = plain_cfg;

	(void)state;
	in_only.out_size = in_only.out_size_hs = 0;
	bad_string.interface_string = "\xff\xfe";
	ud_vdc_init(&vdc, &vc);
	assert_int_equal(ud_device_init(&dev, ud_vdc_port(&vdc), &info), 0);
	assert_int_equal(ud_hid_add(&dev, &a, &in_only), 0);              /* takes EP1 IN */
	assert_int_equal(ud_hid_add(&dev, &b, &in_only), UD_ERR_NOSPACE); /* no IN left */

	ud_vdc_init(&vdc, &vc);
	assert_int_equal(ud_device_init(&dev, ud_vdc_port(&vdc), &info), 0);
	assert_int_equal(ud_hid_add(&dev, &c, &plain_cfg), 0);
	assert_int_equal(ud_hid_add(&dev, &d, &plain_cfg), UD_ERR_NOSPACE);

	ud_vdc_init(&vdc, &vc);
	assert_int_equal(ud_device_init(&dev, ud_vdc_port(&vdc), &info), 0);
	assert_int_equal(ud_hid_add(&dev, &a, &bad_string), UD_ERR_INVAL);
}

/* A SET_REPORT data stage shorter than wLength: the core reports it to the function, which
 * passes the error on, and the request STALLs; the callback never sees the half report. */
static void test_set_report_short_data_stage(void **state)
{
	const uint8_t raw[8] = {0x21, UD_HID_SET_REPORT, 0x00, 0x02, 0, 0, 2, 0};
	const uint8_t one = 0x55;
	uint8_t pkt[64], pid;
	uint16_t n;

	(void)state;
	assert_int_equal(ud_vdc_setup(&t.vdc, t.addr, raw), UD_VDC_ACK);
	th_settle(&t);
	assert_int_equal(ud_vdc_out(&t.vdc, t.addr, 0, &one, 1, 1), UD_VDC_ACK);
	th_settle(&t);
	assert_int_equal(ud_vdc_in(&t.vdc, t.addr, 0, pkt, sizeof(pkt), &n, &pid), UD_VDC_STALL);
	assert_int_equal(calls.set_reports, 0);
}

static void test_bind_runs_out(void **state)
{
	struct ud_vdc vdc;
	struct ud_device dev;
	struct ud_device_info info = {.ep0_max_packet = 64};
	static struct th_hog hog;
	static struct ud_hid h;

	(void)state;
	ud_vdc_init(&vdc, NULL);
	assert_int_equal(ud_device_init(&dev, ud_vdc_port(&vdc), &info), 0);
	memset(&hog, 0, sizeof(hog));
	hog.interfaces = UD_MAX_INTERFACES;
	assert_int_equal(th_add_hog(&dev, &hog), 0);
	assert_int_equal(ud_hid_add(&dev, &h, &plain_cfg), UD_ERR_NOSPACE);

	ud_vdc_init(&vdc, NULL);
	assert_int_equal(ud_device_init(&dev, ud_vdc_port(&vdc), &info), 0);
	memset(&hog, 0, sizeof(hog));
	hog.outs = UD_MAX_EP_NUM - 1;
	assert_int_equal(th_add_hog(&dev, &hog), 0);
	assert_int_equal(ud_hid_add(&dev, &h, &plain_cfg), UD_ERR_NOSPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_descriptors, setup),
		cmocka_unit_test_setup(test_bad_descriptor_requests, setup),
		cmocka_unit_test_setup(test_get_report, setup),
		cmocka_unit_test_setup(test_set_report, setup),
		cmocka_unit_test_setup(test_idle, setup),
		cmocka_unit_test_setup(test_protocol, setup),
		cmocka_unit_test_setup(test_data_path_and_callbacks, setup),
		cmocka_unit_test(test_config_rejected),
		cmocka_unit_test(test_bind_errors),
		cmocka_unit_test_setup(test_set_report_short_data_stage, setup),
		cmocka_unit_test(test_bind_runs_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
