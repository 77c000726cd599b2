/* SPDX-License-Identifier: MIT */
/* The test host of the DAP transport tests. See dap_host.h. */
#include "dap_host.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#define NAK_RETRIES 8

/* The fake engine never touches the wire: a backend whose required operations (which the
 * transport checks are set) fail the test if called. */
static uint8_t no_transfer(void *ctx, uint8_t request, uint32_t *data, const struct ud_swd_cfg *cfg)
{
	(void)ctx;
	(void)request;
	(void)data;
	(void)cfg;
	fail_msg("the fake engine drove the SWD wire");
	return 0;
}

static void no_sequence(void *ctx, uint32_t bits, const uint8_t *data)
{
	(void)ctx;
	(void)bits;
	(void)data;
	fail_msg("the fake engine drove the SWD wire");
}

static void no_sequence_in(void *ctx, uint32_t bits, uint8_t *data)
{
	(void)ctx;
	(void)bits;
	(void)data;
	fail_msg("the fake engine drove the SWD wire");
}

static uint8_t no_pins(void *ctx, uint8_t value, uint8_t select, uint32_t wait_us)
{
	(void)ctx;
	(void)value;
	(void)select;
	(void)wait_us;
	fail_msg("the fake engine drove the SWD wire");
	return 0;
}

const struct ud_swd_io th_no_io = {.transfer = no_transfer,
                                   .sequence_out = no_sequence,
                                   .sequence_in = no_sequence_in,
                                   .pins = no_pins};

static void count_notify(void *ctx)
{
	((struct th *)ctx)->notifies++;
}

void th_settle(struct th *t)
{
	for (unsigned round = 0; round < 1000; round++) {
		bool work = false;
		while (ud_vdc_irq_count(&t->vdc) > 0) {
			assert_int_equal(ud_vdc_irq_deliver(&t->vdc, 0), 0);
			work = true;
		}
		work |= ud_task(&t->dev);
		if (t->process_in_settle)
			work |= ud_dap_process(&t->dap);
		if (!work)
			return;
	}
	fail_msg("device did not settle");
}

void th_irq(struct th *t, unsigned n)
{
	assert_true(ud_vdc_irq_deliverable(&t->vdc, n));
	assert_int_equal(ud_vdc_irq_deliver(&t->vdc, n), 0);
}

int th_find_irq(const struct th *t, uint8_t ep)
{
	for (unsigned i = 0; i < ud_vdc_irq_count(&t->vdc); i++) {
		const struct ud_vdc_irq *q = ud_vdc_irq_peek(&t->vdc, i);
		if (q->kind == UD_VDC_IRQ_XFER && q->ep == ep)
			return (int)i;
	}
	return -1;
}

static enum ud_vdc_result in0(struct th *t, uint8_t *buf, uint16_t *n)
{
	uint8_t pid = 0;
	enum ud_vdc_result r;

	for (unsigned i = 0; i <= NAK_RETRIES; i++) {
		r = ud_vdc_in(&t->vdc, t->addr, 0, buf, 64, n, &pid);
		if (r != UD_VDC_NAK)
			break;
		th_settle(t);
	}
	if (r == UD_VDC_ACK) {
		assert_int_equal(pid, t->tog_in[0]);
		t->tog_in[0] ^= 1u;
		th_settle(t);
	}
	return r;
}

static enum ud_vdc_result out0(struct th *t, const uint8_t *data, uint16_t n)
{
	enum ud_vdc_result r;

	for (unsigned i = 0; i <= NAK_RETRIES; i++) {
		r = ud_vdc_out(&t->vdc, t->addr, 0, data, n, t->tog_out[0]);
		if (r != UD_VDC_NAK)
			break;
		th_settle(t);
	}
	if (r == UD_VDC_ACK) {
		t->tog_out[0] ^= 1u;
		th_settle(t);
	}
	return r;
}

static int data_in(struct th *t, uint16_t wl, uint8_t *in, uint16_t *inlen)
{
	uint16_t got = 0, n = 0;
	uint8_t pkt[64];

	for (;;) {
		enum ud_vdc_result r = in0(t, pkt, &n);
		if (r == UD_VDC_STALL)
			return -1;
		assert_int_equal(r, UD_VDC_ACK);
		assert_true(got + n <= wl);
		if (in)
			memcpy(in + got, pkt, n);
		got = (uint16_t)(got + n);
		if (n < 64 || got >= wl)
			break;
	}
	if (inlen)
		*inlen = got;
	return out0(t, NULL, 0) == UD_VDC_ACK ? 0 : -1;
}

static int data_out(struct th *t, uint16_t wl, const uint8_t *out)
{
	for (uint16_t off = 0; off < wl; off = (uint16_t)(off + 64)) {
		uint16_t n = (uint16_t)(wl - off < 64 ? wl - off : 64);
		if (out0(t, out + off, n) != UD_VDC_ACK)
			return -1;
	}
	uint8_t pkt[64];
	uint16_t n = 0;
	return in0(t, pkt, &n) == UD_VDC_ACK && n == 0 ? 0 : -1;
}

/* What the host learns from a request that succeeded: address, toggles. */
static void learn(struct th *t, uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi)
{
	if (bm == 0x00 && br == UD_REQ_SET_ADDRESS)
		t->addr = (uint8_t)wv;
	if (bm == 0x00 && br == UD_REQ_SET_CONFIGURATION) {
		memset(t->tog_out + 1, 0, sizeof(t->tog_out) - 1);
		memset(t->tog_in + 1, 0, sizeof(t->tog_in) - 1);
	}
	if (bm == 0x01 && br == UD_REQ_SET_INTERFACE) {
		t->tog_out[t->out_ep] = 0;
		t->tog_in[t->in_ep] = 0;
	}
	if (bm == 0x02 && br == UD_REQ_CLEAR_FEATURE && (wi & 0x0fu)) {
		if (wi & 0x80u)
			t->tog_in[wi & 0x0fu] = 0;
		else
			t->tog_out[wi & 0x0fu] = 0;
	}
}

int th_control(struct th *t, uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi, uint16_t wl,
               const uint8_t *out, uint8_t *in, uint16_t *inlen)
{
	const uint8_t raw[8] = {bm,          br,
	                        (uint8_t)wv, (uint8_t)(wv >> 8),
	                        (uint8_t)wi, (uint8_t)(wi >> 8),
	                        (uint8_t)wl, (uint8_t)(wl >> 8)};
	int rc;

	assert_int_equal(ud_vdc_setup(&t->vdc, t->addr, raw), UD_VDC_ACK);
	t->tog_in[0] = t->tog_out[0] = 1;
	th_settle(t);
	if (wl && (bm & 0x80u)) {
		rc = data_in(t, wl, in, inlen);
	} else if (wl) {
		rc = data_out(t, wl, out);
	} else {
		uint8_t pkt[64];
		uint16_t n = 0;
		enum ud_vdc_result r = in0(t, pkt, &n);
		rc = r == UD_VDC_ACK && n == 0 ? 0 : -1;
	}
	if (rc == 0)
		learn(t, bm, br, wv, wi);
	return rc;
}

int th_control_setup_first(struct th *t, uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi)
{
	const uint8_t raw[8] = {
		bm, br, (uint8_t)wv, (uint8_t)(wv >> 8), (uint8_t)wi, (uint8_t)(wi >> 8), 0, 0};
	uint8_t pkt[64];
	uint16_t n = 0;
	int setup = -1;

	assert_int_equal(ud_vdc_setup(&t->vdc, t->addr, raw), UD_VDC_ACK);
	t->tog_in[0] = t->tog_out[0] = 1;
	for (unsigned i = 0; i < ud_vdc_irq_count(&t->vdc); i++)
		if (ud_vdc_irq_peek(&t->vdc, i)->kind == UD_VDC_IRQ_SETUP)
			setup = (int)i;
	assert_true(setup >= 0);
	th_irq(t, (unsigned)setup);
	(void)ud_task(&t->dev);
	if (in0(t, pkt, &n) != UD_VDC_ACK || n != 0)
		return -1;
	learn(t, bm, br, wv, wi);
	return 0;
}

enum ud_vdc_result th_out_ep(struct th *t, uint8_t epnum, const void *data, uint16_t len)
{
	enum ud_vdc_result r = ud_vdc_out(&t->vdc, t->addr, epnum, data, len, t->tog_out[epnum]);
	if (r == UD_VDC_ACK)
		t->tog_out[epnum] ^= 1u;
	return r;
}

enum ud_vdc_result th_out(struct th *t, const void *data, uint16_t len)
{
	return th_out_ep(t, t->out_ep, data, len);
}

enum ud_vdc_result th_in(struct th *t, uint8_t *data, uint16_t *len)
{
	uint8_t pid = 0;
	enum ud_vdc_result r = ud_vdc_in(&t->vdc, t->addr, t->in_ep, data, 1024, len, &pid);
	if (r == UD_VDC_ACK) {
		assert_int_equal(pid, t->tog_in[t->in_ep]); /* a repeat would be a lost response */
		t->tog_in[t->in_ep] ^= 1u;
	}
	return r;
}

enum ud_vdc_result th_write(struct th *t, const void *data, uint16_t len, bool zlp)
{
	const uint8_t *p = data;
	uint16_t off = 0;
	enum ud_vdc_result r = UD_VDC_ACK;
	bool last_full;

	do {
		uint16_t n = (uint16_t)(len - off < t->mps ? len - off : t->mps);
		for (unsigned i = 0; i <= NAK_RETRIES; i++) {
			r = th_out(t, p + off, n);
			if (r != UD_VDC_NAK)
				break;
			th_settle(t);
		}
		if (r != UD_VDC_ACK)
			return r;
		th_settle(t);
		off = (uint16_t)(off + n);
		last_full = n == t->mps;
	} while (off < len);
	if (zlp && len && last_full) {
		for (unsigned i = 0; i <= NAK_RETRIES; i++) {
			r = th_out(t, NULL, 0);
			if (r != UD_VDC_NAK)
				break;
			th_settle(t);
		}
		th_settle(t);
	}
	return r;
}

int th_read(struct th *t, uint8_t *buf, uint16_t maxlen)
{
	uint16_t got = 0;
	uint8_t pkt[1024];

	for (;;) {
		uint16_t n = 0;
		enum ud_vdc_result r = UD_VDC_NAK;
		for (unsigned i = 0; i <= NAK_RETRIES; i++) {
			r = th_in(t, pkt, &n);
			if (r != UD_VDC_NAK)
				break;
			th_settle(t);
		}
		if (r == UD_VDC_NAK && got == 0)
			return -1;
		assert_int_equal(r, UD_VDC_ACK);
		assert_true(got + n <= maxlen); /* more than the host asked for: babble */
		memcpy(buf + got, pkt, n);
		got = (uint16_t)(got + n);
		th_settle(t);
		if (n < t->mps || got == maxlen)
			return got;
	}
}

static void find_endpoints(struct th *t)
{
	t->out_ep = (uint8_t)(t->dap.q.ep_out & 0x0fu);
	t->in_ep = (uint8_t)(t->dap.q.ep_in & 0x0fu);
	t->mps = ud_ep_max_packet(&t->dev, t->dap.q.ep_in);
}

void th_bus_reset_and_enumerate(struct th *t)
{
	ud_vdc_bus_reset(&t->vdc, (enum ud_speed)t->speed);
	th_settle(t);
	t->addr = 0;
	memset(t->tog_out, 0, sizeof(t->tog_out));
	memset(t->tog_in, 0, sizeof(t->tog_in));
	assert_int_equal(th_control(t, 0x00, UD_REQ_SET_ADDRESS, 1, 0, 0, NULL, NULL, NULL), 0);
	th_set_configuration(t, 1);
}

void th_set_configuration(struct th *t, uint8_t value)
{
	assert_int_equal(
		th_control(t, 0x00, UD_REQ_SET_CONFIGURATION, value, 0, 0, NULL, NULL, NULL), 0);
	if (value)
		find_endpoints(t);
}

void th_clear_halt(struct th *t, uint8_t ep_addr)
{
	assert_int_equal(th_control(t, 0x02, UD_REQ_CLEAR_FEATURE, UD_FEATURE_ENDPOINT_HALT,
	                            ep_addr, 0, NULL, NULL, NULL),
	                 0);
}

void th_set_interface(struct th *t, uint8_t intf, uint8_t alt)
{
	assert_int_equal(th_control(t, 0x01, UD_REQ_SET_INTERFACE, alt, intf, 0, NULL, NULL, NULL),
	                 0);
}

static uint32_t late_isr_abort(struct ud_port *port, uint8_t ep)
{
	struct th *t = (struct th *)(void *)((char *)port - offsetof(struct th, vdc.port));
	int i = th_find_irq(t, ep);

	if (i >= 0 && ud_vdc_irq_deliverable(&t->vdc, (unsigned)i))
		th_irq(t, (unsigned)i);
	return t->vdc_ops->ep_abort(port, ep);
}

static int failing_xfer(struct ud_port *port, uint8_t ep, uint8_t *buf, uint32_t len)
{
	struct th *t = (struct th *)(void *)((char *)port - offsetof(struct th, vdc.port));

	if (ep == t->dap.q.ep_in && t->fail_in_xfers > 0) {
		t->fail_in_xfers--;
		return UD_ERR_IO;
	}
	return t->vdc_ops->ep_xfer(port, ep, buf, len);
}

void th_init(struct th *t, uint8_t version, uint8_t count, uint16_t size, const struct th_opts *opt)
{
	static const struct th_opts none;
	struct ud_vdc_config vc;

	opt = opt ? opt : &none;
	memset(t, 0, sizeof(*t));
	memset(&vc, 0, sizeof(vc));
	t->version = version;
	t->speed = opt->speed ? opt->speed : UD_SPEED_FULL;
	vc.ep_count = UD_MAX_EP_NUM;
	vc.speeds = t->speed == UD_SPEED_HIGH ? (UD_SPEED_FULL | UD_SPEED_HIGH) : UD_SPEED_FULL;
	ud_vdc_init(&t->vdc, &vc);
	if (opt->wrap_port) {
		t->vdc_ops = t->vdc.port.ops;
		t->wrapped_ops = *t->vdc_ops;
		t->wrapped_ops.ep_abort = late_isr_abort;
		t->wrapped_ops.ep_xfer = failing_xfer;
		t->vdc.port.ops = &t->wrapped_ops;
	}

	t->info.vid = 0x1209;
	t->info.pid = 0xda42;
	t->info.ep0_max_packet = 64;
	t->info.max_power_ma = 100;
	t->info.manufacturer = "udcore";
	t->info.product = "udcore CMSIS-DAP test";
	t->info.serial = "0042";
	assert_int_equal(ud_device_init(&t->dev, ud_vdc_port(&t->vdc), &t->info), 0);

	t->dap_info.vendor = "udcore";
	t->dap_info.product = "test probe";
	t->cfg.info = &t->dap_info;
	t->cfg.io = &th_no_io;
	t->cfg.packet_count = count;
	t->cfg.packet_size = size;
	t->cfg.packet_size_fs = opt->size_fs;
	t->cfg.buffer = t->slots;
	t->cfg.buffer_size = sizeof(t->slots);
	t->cfg.interface_string = opt->interface_string;
	t->cfg.notify = count_notify;
	t->cfg.notify_ctx = t;
	int rc = opt->add       ? opt->add(t)
	         : version == 1 ? ud_dap_v1_add(&t->dev, &t->dap, &t->cfg)
	                        : ud_dap_v2_add(&t->dev, &t->dap, &t->cfg);
	assert_int_equal(rc, 0);
	assert_int_equal(ud_device_start(&t->dev), 0);
	t->process_in_settle = true;
	ud_vdc_vbus(&t->vdc, true);
	th_settle(t);
	th_bus_reset_and_enumerate(t);
}

static int hog_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct th_hog *h = (struct th_hog *)(void *)fn;
	int rc = 0;

	for (uint8_t i = 0; i < h->strings && rc >= 0; i++)
		rc = ud_desc_add_string(dev, "hog");
	for (uint8_t i = 0; i < h->interfaces && rc >= 0; i++)
		rc = ud_desc_alloc_interface(dev);
	for (uint8_t i = 0; i < h->outs && rc >= 0; i++)
		rc = ud_desc_alloc_endpoint(dev, false);
	for (uint8_t i = 0; i < h->ins && rc >= 0; i++)
		rc = ud_desc_alloc_endpoint(dev, true);
	return rc < 0 ? rc : 0;
}

static const struct ud_function_ops hog_ops = {.bind = hog_bind};

int th_add_hog(struct ud_device *dev, struct th_hog *h)
{
	h->fn.ops = &hog_ops;
	return ud_device_add_function(dev, &h->fn);
}
