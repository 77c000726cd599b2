/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual device controller alone. The core is not linked: the six
 * ud_port_report_*() functions below record what the vdc's interrupt handler reports, so each
 * test checks the port contract from both sides (the host's answers and the core's reports).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "udcore/ud_ch9.h"
#include "udcore/ud_vdc.h"

/* ---- recording reports (stand-ins for the core's channel) ---- */

enum rec_kind {
	REC_SETUP,
	REC_XFER,
	REC_RESET,
	REC_SUSPEND,
	REC_VBUS,
	REC_SOF
};

struct rec {
	enum rec_kind kind;
	struct ud_device *dev;
	uint8_t ep;
	uint32_t actual;
	int status;
	uint8_t setup[8];
	unsigned value; /* speed, suspended, present or frame */
};

static struct rec recs[64];
static unsigned num_recs;
static char fake_device; /* the vdc only passes the pointer on */
#define DEV ((struct ud_device *)(void *)&fake_device)

static struct rec *record(enum rec_kind kind, struct ud_device *dev)
{
	assert_true(num_recs < sizeof(recs) / sizeof(recs[0]));
	struct rec *r = &recs[num_recs++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->dev = dev;
	return r;
}

void ud_port_report_setup(struct ud_device *dev, const uint8_t raw[8])
{
	memcpy(record(REC_SETUP, dev)->setup, raw, 8);
}

void ud_port_report_xfer(struct ud_device *dev, uint8_t ep, uint32_t actual, int status)
{
	struct rec *r = record(REC_XFER, dev);
	r->ep = ep;
	r->actual = actual;
	r->status = status;
}

void ud_port_report_reset(struct ud_device *dev, enum ud_speed speed)
{
	record(REC_RESET, dev)->value = (unsigned)speed;
}

void ud_port_report_suspend(struct ud_device *dev, bool suspended)
{
	record(REC_SUSPEND, dev)->value = suspended;
}

void ud_port_report_vbus(struct ud_device *dev, bool present)
{
	record(REC_VBUS, dev)->value = present;
}

void ud_port_report_sof(struct ud_device *dev, uint16_t frame)
{
	record(REC_SOF, dev)->value = frame;
}

/* ---- helpers ---- */

static struct ud_vdc vdc;
static const uint8_t setup_a[8] = {0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x40, 0x00};
static const uint8_t setup_b[8] = {0x00, 0x05, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00};

/* A controller bound to DEV, initialised by the "core", attached and reset: ready for traffic
 * at address 0, with nothing pending and nothing recorded. */
static void bring_up(const struct ud_vdc_config *cfg, enum ud_speed speed)
{
	ud_vdc_init(&vdc, cfg);
	vdc.port.dev = DEV;
	assert_int_equal(vdc.port.ops->init(&vdc.port), 0);
	vdc.port.ops->connect(&vdc.port, true);
	ud_vdc_vbus(&vdc, true);
	ud_vdc_bus_reset(&vdc, speed);
	ud_vdc_irq_deliver_all(&vdc);
	num_recs = 0;
}

static int setup_default(void **state)
{
	(void)state;
	bring_up(NULL, UD_SPEED_FULL);
	return 0;
}

static void open_ep(uint8_t addr, uint8_t type, uint16_t mps)
{
	struct ud_ep_config cfg = {.addr = addr, .type = type, .max_packet = mps, .interval = 1};
	assert_int_equal(vdc.port.ops->ep_open(&vdc.port, &cfg), 0);
}

static int ep_open_rc(uint8_t addr, uint8_t type, uint16_t mps)
{
	struct ud_ep_config cfg = {.addr = addr, .type = type, .max_packet = mps, .interval = 1};
	return vdc.port.ops->ep_open(&vdc.port, &cfg);
}

static int xfer(uint8_t ep, uint8_t *buf, uint32_t len)
{
	return vdc.port.ops->ep_xfer(&vdc.port, ep, buf, len);
}

static enum ud_vdc_result out(uint8_t epnum, const uint8_t *data, uint16_t len, uint8_t pid)
{
	return ud_vdc_out(&vdc, vdc.address, epnum, data, len, pid);
}

/* An IN token; the packet lands in @data (64 bytes of room unless @cap says less). */
static enum ud_vdc_result in(uint8_t epnum, uint8_t *data, uint16_t cap, uint16_t *len,
                             uint8_t *pid)
{
	return ud_vdc_in(&vdc, vdc.address, epnum, data, cap, len, pid);
}

static void fill(uint8_t *buf, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(seed + i);
}

/* The only pending interrupt is the completion of @ep with @actual and @status. */
static void assert_one_xfer_irq(uint8_t ep, uint32_t actual, int status)
{
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	const struct ud_vdc_irq *q = ud_vdc_irq_peek(&vdc, 0);
	assert_int_equal(q->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(q->ep, ep);
	assert_int_equal(q->actual, actual);
	assert_int_equal(q->status, status);
}

/* ---- initialisation and the port operations ---- */

static void test_init_defaults(void **state)
{
	(void)state;
	ud_vdc_init(&vdc, NULL);
	assert_ptr_equal(ud_vdc_port(&vdc), &vdc.port);
	assert_ptr_equal(vdc.port.caps, &vdc.caps);
	assert_ptr_equal(vdc.port.priv, &vdc);
	assert_non_null(vdc.port.ops);
	assert_null(vdc.port.dev);
	assert_int_equal(vdc.caps.ep_count, 8 < UD_MAX_EP_NUM ? 8 : UD_MAX_EP_NUM);
	assert_int_equal(vdc.caps.speeds, UD_SPEED_FULL);
	assert_int_equal(vdc.caps.max_packet_fs, 64);
	assert_int_equal(vdc.caps.max_packet_hs, 512);
	for (int i = 0; i < 2; i++) {
		assert_true(vdc.ep[i].open);
		assert_int_equal(vdc.ep[i].type, UD_EP_CONTROL);
		assert_int_equal(vdc.ep[i].max_packet, 64);
	}
	assert_false(ud_vdc_attached(&vdc));

	struct ud_vdc_config cfg = {.ep_count = 40,
	                            .speeds = UD_SPEED_FULL | UD_SPEED_HIGH,
	                            .flags = UD_PORT_ADDR_BEFORE_STATUS,
	                            .max_packet_fs = 32,
	                            .max_packet_hs = 256,
	                            .ep0_max_packet = 8};
	ud_vdc_init(&vdc, &cfg);
	assert_int_equal(vdc.caps.ep_count, UD_MAX_EP_NUM);
	assert_int_equal(vdc.caps.speeds, UD_SPEED_FULL | UD_SPEED_HIGH);
	assert_int_equal(vdc.caps.flags, UD_PORT_ADDR_BEFORE_STATUS);
	assert_int_equal(vdc.caps.max_packet_fs, 32);
	assert_int_equal(vdc.caps.max_packet_hs, 256);
	assert_int_equal(vdc.ep[0].max_packet, 8);
	assert_int_equal(vdc.ep[1].max_packet, 8);
}

static void test_ep_open_checks(void **state)
{
	(void)state;
	assert_int_equal(vdc.port.ops->ep_open(&vdc.port, NULL), UD_ERR_INVAL);
	assert_int_equal(ep_open_rc(0x80, UD_EP_BULK, 64), UD_ERR_INVAL); /* EP0 */
	assert_int_equal(ep_open_rc(0x11, UD_EP_BULK, 64), UD_ERR_INVAL); /* reserved bits */
	assert_int_equal(ep_open_rc(0x01, UD_EP_BULK, 0), UD_ERR_INVAL);  /* no packets */
	assert_int_equal(ep_open_rc(0x01, 7, 64), UD_ERR_INVAL);          /* no such type */
	assert_int_equal(ep_open_rc(0x01, UD_EP_CONTROL, 64), UD_ERR_NOTSUP);
	assert_int_equal(ep_open_rc(0x81, UD_EP_BULK, 65), UD_ERR_NOTSUP); /* FS cap is 64 */
	assert_int_equal(ep_open_rc((uint8_t)vdc.caps.ep_count, UD_EP_BULK, 64), UD_ERR_NOTSUP);
	assert_int_equal(ep_open_rc(0x81, UD_EP_BULK, 64), 0);
	assert_int_equal(ep_open_rc(0x02, UD_EP_INTERRUPT, 8), 0);
	assert_true(vdc.ep[UD_EP_INDEX(0x81)].open);
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x02)].max_packet, 8);

	/* The cap follows the speed of the last reset. */
	struct ud_vdc_config cfg = {.speeds = UD_SPEED_FULL | UD_SPEED_HIGH};
	bring_up(&cfg, UD_SPEED_HIGH);
	assert_int_equal(vdc.speed, UD_SPEED_HIGH);
	assert_int_equal(ep_open_rc(0x81, UD_EP_BULK, 512), 0);
	assert_int_equal(ep_open_rc(0x01, UD_EP_BULK, 513), UD_ERR_NOTSUP);
}

static void test_ep_open_resets_state(void **state)
{
	(void)state;
	uint8_t buf[64], pkt[64], pid;
	uint16_t n;

	open_ep(0x81, UD_EP_BULK, 64);
	fill(buf, sizeof(buf), 1);
	assert_int_equal(xfer(0x81, buf, 64), 0);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_ACK); /* toggle now 1, irq pending */
	vdc.port.ops->ep_stall(&vdc.port, 0x81, true);
	open_ep(0x81, UD_EP_BULK, 32); /* a re-open starts from scratch */
	const struct ud_vdc_ep *e = &vdc.ep[UD_EP_INDEX(0x81)];
	assert_false(e->stalled);
	assert_false(e->armed);
	assert_int_equal(e->toggle, 0);
	assert_int_equal(e->max_packet, 32);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
}

static void test_connect_and_deinit(void **state)
{
	(void)state;
	uint8_t buf[8];

	assert_true(vdc.initialised);
	assert_true(ud_vdc_attached(&vdc));
	vdc.port.ops->connect(&vdc.port, false);
	assert_false(ud_vdc_attached(&vdc));
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_TIMEOUT);
	vdc.port.ops->connect(&vdc.port, true);

	/* deinit forgets traffic (the core already ended every request) but not bus events. */
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	assert_int_equal(out(1, buf, 0, 0), UD_VDC_ACK);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	ud_vdc_sof(&vdc, 3);
	ud_vdc_vbus(&vdc, false);
	assert_int_equal(ud_vdc_irq_count(&vdc), 4);
	vdc.port.ops->deinit(&vdc.port);
	assert_false(vdc.initialised);
	assert_false(vdc.connected);
	assert_false(vdc.ep[UD_EP_INDEX(0x01)].open);
	assert_false(vdc.ep[UD_EP_INDEX(0x01)].dead);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->kind, UD_VDC_IRQ_VBUS_OFF);
	assert_int_equal(vdc.port.ops->init(&vdc.port), 0);
	assert_true(vdc.initialised);
}

static void test_test_mode(void **state)
{
	(void)state;
	assert_int_equal(vdc.port.ops->test_mode(&vdc.port, 0), UD_ERR_INVAL);
	assert_int_equal(vdc.port.ops->test_mode(&vdc.port, 5), UD_ERR_INVAL);
	assert_int_equal(vdc.test_mode, 0);
	assert_int_equal(vdc.port.ops->test_mode(&vdc.port, 4), 0);
	assert_int_equal(vdc.test_mode, 4);
}

/* ---- SETUP ---- */

static void test_setup_ack_and_timeout(void **state)
{
	(void)state;
	ud_vdc_init(&vdc, NULL);
	vdc.port.dev = DEV;
	assert_int_equal(vdc.port.ops->init(&vdc.port), 0);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_TIMEOUT); /* nothing attached */
	ud_vdc_vbus(&vdc, true);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_TIMEOUT); /* pull-up off */
	vdc.port.ops->connect(&vdc.port, true);
	assert_int_equal(ud_vdc_setup(&vdc, 3, setup_a), UD_VDC_TIMEOUT); /* wrong address */
	ud_vdc_irq_deliver_all(&vdc);
	num_recs = 0;

	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	const struct ud_vdc_irq *q = ud_vdc_irq_peek(&vdc, 0);
	assert_int_equal(q->kind, UD_VDC_IRQ_SETUP);
	assert_memory_equal(q->setup, setup_a, 8);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].kind, REC_SETUP);
	assert_ptr_equal(recs[0].dev, DEV);
	assert_memory_equal(recs[0].setup, setup_a, 8);
	assert_int_equal(vdc.stats.irqs_delivered, vdc.stats.irqs_raised);
}

static void test_setup_supersedes_pending_setup(void **state)
{
	(void)state;
	uint8_t buf[8];

	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	assert_int_equal(out(1, buf, 0, 0), UD_VDC_ACK); /* a completion after the first SETUP */
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);

	/* One SETUP, the newer, raised last (it happened after the completion). */
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->kind, UD_VDC_IRQ_SETUP);
	assert_memory_equal(ud_vdc_irq_peek(&vdc, 1)->setup, setup_b, 8);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 2);
	assert_int_equal(recs[1].kind, REC_SETUP);
	assert_memory_equal(recs[1].setup, setup_b, 8);
}

static void test_setup_drops_ep0_transfers(void **state)
{
	(void)state;
	uint8_t reply[100], rx[8], pkt[64], pid;
	uint16_t n;

	/* EP0 IN data stage half sent, EP0 OUT completion undelivered, EP0 stalled. */
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	ud_vdc_irq_deliver_all(&vdc);
	fill(reply, sizeof(reply), 0);
	assert_int_equal(xfer(0x00, rx, 0), 0);
	assert_int_equal(out(0, NULL, 0, 1), UD_VDC_ACK);
	assert_int_equal(xfer(0x80, reply, sizeof(reply)), 0);
	assert_int_equal(in(0, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(pid, 1); /* the data stage starts with DATA1 */
	vdc.port.ops->ep_stall(&vdc.port, 0x00, true);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);

	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);
	assert_false(vdc.ep[0].armed);
	assert_false(vdc.ep[1].armed);
	assert_false(vdc.ep[0].stalled);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->kind, UD_VDC_IRQ_SETUP);
	/* Both EP0 directions restart at DATA1. */
	assert_int_equal(xfer(0x80, NULL, 0), 0);
	assert_int_equal(in(0, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(n, 0);
	assert_int_equal(pid, 1);
	assert_int_equal(vdc.ep[0].toggle, 1);
}

/* ---- NAK, STALL, TIMEOUT ---- */

static void test_nak_when_unarmed(void **state)
{
	(void)state;
	uint8_t data[64] = {0}, pid = 9;
	uint16_t n = 77;

	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x82, UD_EP_BULK, 64);
	assert_int_equal(out(0, data, 0, 1), UD_VDC_NAK);
	assert_int_equal(out(1, data, 64, 0), UD_VDC_NAK);
	assert_int_equal(in(0, data, 64, &n, &pid), UD_VDC_NAK);
	assert_int_equal(n, 0);
	assert_int_equal(in(2, data, 64, &n, &pid), UD_VDC_NAK);
	assert_int_equal(vdc.stats.naks, 4);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x01)].toggle, 0);
}

static void test_timeout_no_endpoint(void **state)
{
	(void)state;
	uint8_t data[64] = {0}, pid;
	uint16_t n;

	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(out(2, data, 1, 0), UD_VDC_TIMEOUT);        /* not open */
	assert_int_equal(in(1, data, 64, &n, &pid), UD_VDC_TIMEOUT); /* IN 1 not open */
	assert_int_equal(out(vdc.caps.ep_count, data, 1, 0), UD_VDC_TIMEOUT);
	assert_int_equal(out(16, data, 1, 0), UD_VDC_TIMEOUT);
	assert_int_equal(out(1, data, 1, 2), UD_VDC_TIMEOUT); /* not a DATA PID */
	assert_int_equal(ud_vdc_out(&vdc, 9, 1, data, 1, 0), UD_VDC_TIMEOUT);
	assert_int_equal(ud_vdc_in(&vdc, 0, 1, data, 64, NULL, &pid), UD_VDC_TIMEOUT);
	assert_int_equal(vdc.stats.naks + vdc.stats.stalls, 0);
}

static void test_stall_answers(void **state)
{
	(void)state;
	uint8_t buf[64] = {0}, pid;
	uint16_t n;

	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x81, UD_EP_BULK, 64);
	vdc.port.ops->ep_stall(&vdc.port, 0x01, true);
	vdc.port.ops->ep_stall(&vdc.port, 0x81, true);
	assert_int_equal(out(1, buf, 4, 0), UD_VDC_STALL);
	assert_int_equal(in(1, buf, 64, &n, &pid), UD_VDC_STALL);
	assert_int_equal(vdc.stats.stalls, 2);
	vdc.port.ops->ep_stall(&vdc.port, 0x8f, true); /* no such endpoint: ignored */

	/* EP0 directions stall independently; a stall wins over "not armed". */
	vdc.port.ops->ep_stall(&vdc.port, 0x80, true);
	assert_int_equal(in(0, buf, 64, &n, &pid), UD_VDC_STALL);
	assert_int_equal(out(0, buf, 0, 1), UD_VDC_NAK);
	vdc.port.ops->ep_stall(&vdc.port, 0x00, true);
	assert_int_equal(xfer(0x00, buf, 0), 0);           /* arming a stalled EP0 is allowed... */
	assert_int_equal(out(0, buf, 0, 1), UD_VDC_STALL); /* ...but it stays stalled */
	assert_int_equal(vdc.stats.xfer_on_stalled, 0);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK); /* clears both */
	assert_int_equal(in(0, buf, 64, &n, &pid), UD_VDC_NAK);
	assert_int_equal(out(0, buf, 0, 1), UD_VDC_NAK);
}

static void test_clear_stall_resets_toggle(void **state)
{
	(void)state;
	uint8_t buf[64], pkt[64], pid;
	uint16_t n;

	open_ep(0x81, UD_EP_BULK, 64);
	fill(buf, sizeof(buf), 0);
	assert_int_equal(xfer(0x81, buf, 10), 0);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(pid, 0);
	ud_vdc_irq_deliver_all(&vdc);
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x81)].toggle, 1);

	vdc.port.ops->ep_stall(&vdc.port, 0x81, true);
	vdc.port.ops->ep_stall(&vdc.port, 0x81, false);
	assert_int_equal(xfer(0x81, buf, 10), 0);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(pid, 0);

	/* Clearing resets the toggle even when the endpoint was not halted. */
	ud_vdc_irq_deliver_all(&vdc);
	vdc.port.ops->ep_stall(&vdc.port, 0x81, false);
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x81)].toggle, 0);
}

/* ---- IN transfers ---- */

static void test_in_multi_packet(void **state)
{
	(void)state;
	uint8_t buf[150], got[150], pkt[64], pid;
	uint16_t n;
	const uint16_t sizes[] = {64, 64, 22};
	size_t at = 0;

	open_ep(0x81, UD_EP_BULK, 64);
	fill(buf, sizeof(buf), 7);
	assert_int_equal(xfer(0x81, buf, sizeof(buf)), 0);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(ud_vdc_irq_count(&vdc), 0);
		assert_int_equal(in(1, pkt, sizeof(pkt), &n, &pid), UD_VDC_ACK);
		assert_int_equal(n, sizes[i]);
		assert_int_equal(pid, i & 1u); /* DATA0, DATA1, DATA0 */
		memcpy(got + at, pkt, n);
		at += n;
	}
	assert_memory_equal(got, buf, sizeof(buf));
	assert_one_xfer_irq(0x81, 150, UD_OK);
	assert_int_equal(in(1, pkt, sizeof(pkt), &n, &pid), UD_VDC_NAK); /* completion pending */

	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].kind, REC_XFER);
	assert_int_equal(recs[0].ep, 0x81);
	assert_int_equal(recs[0].actual, 150);
	assert_int_equal(recs[0].status, UD_OK);
}

static void test_in_exact_multiple_sends_no_zlp(void **state)
{
	(void)state;
	uint8_t buf[128], pkt[64], pid;
	uint16_t n;

	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x81, buf, sizeof(buf)), 0);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(n, 64);
	assert_one_xfer_irq(0x81, 128, UD_OK);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_NAK); /* a ZLP is the core's business */
}

static void test_in_zlp_transfer(void **state)
{
	(void)state;
	uint8_t pkt[64], pid = 9;
	uint16_t n = 9;

	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x81, NULL, 0), 0);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(n, 0);
	assert_int_equal(pid, 0);
	assert_one_xfer_irq(0x81, 0, UD_OK);
	assert_int_equal(in(1, NULL, 0, &n, &pid), UD_VDC_NAK);
}

static void test_in_host_buffer_too_small(void **state)
{
	(void)state;
	uint8_t buf[64], pkt[64], pid;
	uint16_t n;

	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x81, buf, 40), 0);
	assert_int_equal(in(1, pkt, 39, &n, &pid), UD_VDC_TIMEOUT);
	assert_int_equal(n, 0);
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x81)].done, 0); /* nothing moved */
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x81)].toggle, 0);
	assert_int_equal(in(1, pkt, 40, &n, &pid), UD_VDC_ACK);
	assert_int_equal(n, 40);
	assert_int_equal(pid, 0);
}

/* ---- OUT transfers ---- */

static void test_out_multi_packet_short_end(void **state)
{
	(void)state;
	uint8_t buf[200], pkt[64 * 3];

	open_ep(0x01, UD_EP_BULK, 64);
	fill(pkt, sizeof(pkt), 3);
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	assert_int_equal(out(1, pkt + 64, 64, 1), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(out(1, pkt + 128, 10, 0), UD_VDC_ACK); /* short: ends the transfer */
	assert_one_xfer_irq(0x01, 138, UD_OK);
	assert_memory_equal(buf, pkt, 138);
	assert_int_equal(buf[138], 0xee);
	assert_int_equal(out(1, pkt, 64, 1), UD_VDC_NAK); /* done, completion still pending */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(recs[0].actual, 138);
}

static void test_out_full_length(void **state)
{
	(void)state;
	uint8_t buf[128], pkt[128];

	open_ep(0x01, UD_EP_BULK, 64);
	fill(pkt, sizeof(pkt), 9);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	assert_int_equal(out(1, pkt + 64, 64, 1), UD_VDC_ACK);
	assert_one_xfer_irq(0x01, 128, UD_OK);
	assert_memory_equal(buf, pkt, 128);
}

static void test_out_zlp(void **state)
{
	(void)state;
	uint8_t buf[64];

	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out(1, NULL, 0, 0), UD_VDC_ACK);
	assert_one_xfer_irq(0x01, 0, UD_OK);

	/* The EP0 status stage: a zero-length transfer ended by the host's ZLP (DATA1). */
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);
	ud_vdc_irq_deliver_all(&vdc);
	assert_int_equal(xfer(0x00, NULL, 0), 0);
	assert_int_equal(out(0, NULL, 0, 1), UD_VDC_ACK);
	assert_one_xfer_irq(0x00, 0, UD_OK);
}

static void test_out_overflow(void **state)
{
	(void)state;
	uint8_t buf[100 + 4], pkt[128];

	open_ep(0x01, UD_EP_BULK, 64);
	fill(pkt, sizeof(pkt), 0x40);
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(xfer(0x01, buf, 100), 0);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	assert_int_equal(out(1, pkt + 64, 64, 1), UD_VDC_ACK); /* only 36 fit */
	assert_one_xfer_irq(0x01, 100, UD_ERR_OVERFLOW);
	assert_memory_equal(buf, pkt, 100);
	for (int i = 100; i < 104; i++)
		assert_int_equal(buf[i], 0xa5); /* nothing written past the transfer */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(recs[0].status, UD_ERR_OVERFLOW);

	/* Data where the EP0 status stage expects none overflows a zero-length transfer. */
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);
	ud_vdc_irq_deliver_all(&vdc);
	assert_int_equal(xfer(0x00, NULL, 0), 0);
	assert_int_equal(out(0, pkt, 3, 1), UD_VDC_ACK);
	assert_one_xfer_irq(0x00, 0, UD_ERR_OVERFLOW);
}

static void test_out_babble(void **state)
{
	(void)state;
	uint8_t buf[256], pkt[65];

	open_ep(0x01, UD_EP_BULK, 64);
	memset(buf, 0, sizeof(buf));
	fill(pkt, sizeof(pkt), 1);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out(1, pkt, 65, 0), UD_VDC_TIMEOUT);
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x01)].done, 0);
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x01)].toggle, 0);
	assert_int_equal(buf[0], 0);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
}

static void test_out_retransmission_ignored(void **state)
{
	(void)state;
	uint8_t buf[192], a[64], b[64], c[64];

	open_ep(0x01, UD_EP_BULK, 64);
	fill(a, 64, 0x10);
	fill(b, 64, 0x80);
	fill(c, 64, 0xc0);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out(1, a, 64, 0), UD_VDC_ACK);
	assert_int_equal(out(1, b, 64, 0), UD_VDC_ACK); /* DATA0 again: a retransmission */
	assert_int_equal(vdc.ep[UD_EP_INDEX(0x01)].done, 64);
	assert_int_equal(out(1, c, 10, 1), UD_VDC_ACK);
	assert_one_xfer_irq(0x01, 74, UD_OK);
	assert_memory_equal(buf, a, 64);
	assert_memory_equal(buf + 64, c, 10);
}

/* ---- abort and close ---- */

static void test_abort(void **state)
{
	(void)state;
	uint8_t buf[200], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x01), 0); /* nothing in flight */

	/* Mid-transfer: returns what moved, then the endpoint NAKs. */
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out(1, pkt, 64, 0), UD_VDC_ACK);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x01), 64);
	assert_int_equal(out(1, pkt, 64, 1), UD_VDC_NAK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);

	/* Finished but not reported: the pending completion is taken off the interrupt list and
	 * reported from the abort (ud_port.h), once, with its length, which is also returned. */
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(out(1, pkt, 64, 1), UD_VDC_ACK);
	assert_int_equal(out(1, pkt, 5, 0), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x01), 69);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 0);
	assert_int_equal(num_recs, 1);
	assert_int_equal(recs[0].kind, REC_XFER);
	assert_int_equal(recs[0].ep, 0x01);
	assert_int_equal(recs[0].actual, 69);
	assert_int_equal(recs[0].status, UD_OK);
	assert_int_equal(vdc.stats.aborts, 3);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x0f), 0); /* no such endpoint */
}

static void test_close_drops_silently(void **state)
{
	(void)state;
	uint8_t buf[64], pkt[64] = {0}, pid;
	uint16_t n;

	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(xfer(0x81, buf, 10), 0);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_ACK); /* IN 1 completion pending */
	vdc.port.ops->ep_close(&vdc.port, 0x01);
	vdc.port.ops->ep_close(&vdc.port, 0x81);
	vdc.port.ops->ep_close(&vdc.port, 0x00); /* EP0 cannot be closed: ignored */
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_TIMEOUT);
	assert_int_equal(in(1, pkt, 64, &n, &pid), UD_VDC_TIMEOUT);
	assert_true(vdc.ep[0].open);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 0);
	assert_int_equal(num_recs, 0);
}

/* ---- the core's side of the contract ---- */

static void test_stats_contract_violations(void **state)
{
	(void)state;
	uint8_t buf[64], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), 0);
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), UD_ERR_STATE); /* in flight */
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_ACK);              /* ended, unreported */
	assert_int_equal(xfer(0x01, buf, sizeof(buf)), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_while_busy, 2);

	assert_int_equal(xfer(0x02, buf, 1), UD_ERR_STATE);
	assert_int_equal(xfer(0x0f, buf, 1), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_on_closed, 2);

	open_ep(0x82, UD_EP_BULK, 64);
	vdc.port.ops->ep_stall(&vdc.port, 0x82, true);
	assert_int_equal(xfer(0x82, buf, 1), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_on_stalled, 1);
	assert_false(vdc.ep[UD_EP_INDEX(0x82)].armed);

	vdc.port.ops->ep_stall(&vdc.port, 0x82, false);
	assert_int_equal(xfer(0x82, NULL, 4), UD_ERR_INVAL);
	assert_int_equal(vdc.stats.xfers, 1);
	assert_int_equal(vdc.stats.irq_overflow, 0);
}

/* ---- the address ---- */

static void test_address_immediate(void **state)
{
	(void)state;
	vdc.port.ops->set_address(&vdc.port, 5);
	assert_int_equal(vdc.address, 5);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_TIMEOUT);
	assert_int_equal(ud_vdc_setup(&vdc, 5, setup_a), UD_VDC_ACK);
}

static void test_address_after_status(void **state)
{
	(void)state;
	struct ud_vdc_config cfg = {.flags = UD_PORT_ADDR_BEFORE_STATUS};
	uint8_t pkt[64], pid;
	uint16_t n;

	bring_up(&cfg, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);
	ud_vdc_irq_deliver_all(&vdc);
	vdc.port.ops->set_address(&vdc.port, 7);
	assert_int_equal(vdc.address, 0);
	assert_int_equal(vdc.pending_address, 0x87);
	assert_int_equal(xfer(0x80, NULL, 0), 0);
	assert_int_equal(ud_vdc_in(&vdc, 0, 0, pkt, 64, &n, &pid), UD_VDC_ACK); /* old address */
	assert_int_equal(n, 0);
	assert_int_equal(vdc.address, 7);
	assert_int_equal(vdc.pending_address, 0);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_TIMEOUT);
	assert_int_equal(ud_vdc_setup(&vdc, 7, setup_a), UD_VDC_ACK);

	/* A new SETUP instead of the status stage: the latched address never applies. */
	ud_vdc_irq_deliver_all(&vdc);
	vdc.port.ops->set_address(&vdc.port, 9);
	assert_int_equal(ud_vdc_setup(&vdc, 7, setup_a), UD_VDC_ACK);
	assert_int_equal(vdc.pending_address, 0);
	ud_vdc_irq_deliver_all(&vdc);
	assert_int_equal(xfer(0x80, NULL, 0), 0);
	assert_int_equal(ud_vdc_in(&vdc, 7, 0, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(vdc.address, 7);
}

/* ---- interrupts ---- */

static void test_deliver_out_of_order(void **state)
{
	(void)state;
	uint8_t a[8], b[8], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x02, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, a, 8), 0);
	assert_int_equal(xfer(0x02, b, 8), 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_ACK);
	assert_int_equal(out(2, pkt, 2, 0), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_true(ud_vdc_irq_deliverable(&vdc, 1));
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 1), 0);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 1), UD_ERR_NOENT);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_int_equal(num_recs, 2);
	assert_int_equal(recs[0].ep, 0x02);
	assert_int_equal(recs[0].actual, 2);
	assert_int_equal(recs[1].ep, 0x01);
	assert_int_equal(recs[1].actual, 1);
	assert_null(ud_vdc_irq_peek(&vdc, 0));
	assert_false(ud_vdc_irq_deliverable(&vdc, 0));
}

static void test_bus_event_barrier(void **state)
{
	(void)state;
	uint8_t buf[8], pkt[64] = {0};

	/* The barriers: the five bus events, not the traffic. */
	static const uint8_t bus = 1u << UD_VDC_IRQ_RESET | 1u << UD_VDC_IRQ_SUSPEND |
	                           1u << UD_VDC_IRQ_RESUME | 1u << UD_VDC_IRQ_VBUS_ON |
	                           1u << UD_VDC_IRQ_VBUS_OFF;
	for (unsigned k = UD_VDC_IRQ_SETUP; k <= UD_VDC_IRQ_SOF; k++)
		assert_int_equal(ud_vdc_irq_is_bus_event((enum ud_vdc_irq_kind)k), (bus >> k) & 1u);
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x02, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	assert_int_equal(xfer(0x02, buf, 8), 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_ACK);
	assert_int_equal(out(2, pkt, 1, 0), UD_VDC_ACK);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);

	/* xfer 1, xfer 2 | reset | setup */
	assert_int_equal(ud_vdc_irq_count(&vdc), 4);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 2)->kind, UD_VDC_IRQ_RESET);
	assert_true(ud_vdc_irq_deliverable(&vdc, 0));
	assert_true(ud_vdc_irq_deliverable(&vdc, 1));
	assert_false(ud_vdc_irq_deliverable(&vdc, 2)); /* waits for what came before it */
	assert_false(ud_vdc_irq_deliverable(&vdc, 3)); /* waits for the reset */
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 3), UD_ERR_STATE);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 2), UD_ERR_STATE);

	assert_int_equal(ud_vdc_irq_deliver(&vdc, 1), 0);
	assert_false(ud_vdc_irq_deliverable(&vdc, 1));
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_true(ud_vdc_irq_deliverable(&vdc, 0));
	assert_false(ud_vdc_irq_deliverable(&vdc, 1));
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), 0);
	assert_int_equal(num_recs, 4);
	assert_int_equal(recs[0].ep, 0x02);
	assert_int_equal(recs[1].ep, 0x01);
	assert_int_equal(recs[2].kind, REC_RESET);
	assert_int_equal(recs[2].value, UD_SPEED_FULL);
	assert_int_equal(recs[3].kind, REC_SETUP);
}

static void test_deliver_needs_device(void **state)
{
	(void)state;
	ud_vdc_sof(&vdc, 1);
	vdc.port.dev = NULL;
	assert_int_equal(ud_vdc_irq_deliver(&vdc, 0), UD_ERR_STATE);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 0);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	vdc.port.dev = DEV;
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(recs[0].kind, REC_SOF);
	assert_int_equal(recs[0].value, 1);
}

static void test_sof_coalesces(void **state)
{
	(void)state;
	uint8_t buf[8], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	ud_vdc_sof(&vdc, 10);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_ACK);
	ud_vdc_sof(&vdc, 11);
	ud_vdc_sof(&vdc, 0x800 | 12); /* frame numbers have 11 bits */
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->kind, UD_VDC_IRQ_SOF);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->frame, 12);
	ud_vdc_irq_deliver_all(&vdc);
	assert_int_equal(recs[1].kind, REC_SOF);
	assert_int_equal(recs[1].value, 12);
}

/* ---- bus events ---- */

static void test_bus_reset(void **state)
{
	(void)state;
	uint8_t buf[64], pkt[64] = {0}, pid;
	uint16_t n;

	vdc.port.ops->set_address(&vdc.port, 4);
	open_ep(0x01, UD_EP_BULK, 64);
	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 64), 0);
	assert_int_equal(xfer(0x81, buf, 64), 0);
	assert_int_equal(ud_vdc_in(&vdc, 4, 1, pkt, 64, &n, &pid), UD_VDC_ACK); /* IN done */
	assert_int_equal(xfer(0x00, buf, 8), 0);
	vdc.port.ops->ep_stall(&vdc.port, 0x80, true);

	ud_vdc_bus_reset(&vdc, UD_SPEED_HIGH); /* not supported: falls back to full speed */
	assert_int_equal(vdc.address, 0);
	assert_int_equal(vdc.speed, UD_SPEED_FULL);
	assert_false(vdc.ep[0].armed);
	assert_false(vdc.ep[1].stalled);
	assert_false(vdc.ep[UD_EP_INDEX(0x01)].open);
	assert_true(vdc.ep[UD_EP_INDEX(0x01)].dead);
	assert_false(vdc.ep[UD_EP_INDEX(0x01)].armed);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_TIMEOUT);
	/* The IN completion happened before the reset and is still reported, before it. */
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->kind, UD_VDC_IRQ_RESET);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->frame, UD_SPEED_FULL);

	/* Before the core sees the reset it may still start a transfer: a race, not a bug. */
	assert_int_equal(xfer(0x01, buf, 64), 0);
	assert_int_equal(vdc.stats.xfer_on_closed, 0);
	assert_int_equal(out(1, pkt, 1, 0), UD_VDC_TIMEOUT);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x01), 0);
	vdc.port.ops->ep_close(&vdc.port, 0x01);
	assert_false(vdc.ep[UD_EP_INDEX(0x01)].dead);
	assert_int_equal(xfer(0x01, buf, 64), UD_ERR_STATE);
	assert_int_equal(vdc.stats.xfer_on_closed, 1);

	/* Two resets with nothing between fold into one, with the latest speed. */
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
}

/* A bus event merges into a pending bus interrupt only if nothing was raised after that one: a
 * reset after a completion that followed a suspend is reported after the completion (which the
 * reset must not wipe: the host saw its handshake). */
static void test_bus_events_keep_order_around_traffic(void **state)
{
	(void)state;
	uint8_t buf[8], pkt[64] = {0};

	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	ud_vdc_suspend(&vdc);
	ud_vdc_resume(&vdc); /* merges: nothing between */
	assert_int_equal(out(1, pkt, 5, 0), UD_VDC_ACK);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	assert_int_equal(ud_vdc_irq_count(&vdc), 3);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 1)->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 2)->kind, UD_VDC_IRQ_RESET);
	assert_false(ud_vdc_irq_deliverable(&vdc, 2)); /* behind the completion */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 3);
	assert_int_equal(num_recs, 4);
	assert_int_equal(recs[0].kind, REC_SUSPEND);
	assert_int_equal(recs[1].kind, REC_SUSPEND);
	assert_int_equal(recs[2].kind, REC_XFER);
	assert_int_equal(recs[2].actual, 5);
	assert_int_equal(recs[3].kind, REC_RESET);

	/* Two bus interrupts that a moved SETUP leaves side by side become one, in order. */
	num_recs = 0;
	ud_vdc_suspend(&vdc);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	ud_vdc_resume(&vdc);
	assert_int_equal(ud_vdc_irq_count(&vdc), 3);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->nbus, 2);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 2);
	assert_int_equal(num_recs, 3);
	assert_int_equal(recs[0].value, 1); /* suspended */
	assert_int_equal(recs[1].value, 0); /* resumed */
	assert_int_equal(recs[2].kind, REC_SETUP);

	/* And those a withdrawn completion (an abort reports it) leaves side by side. */
	vdc.port.ops->ep_close(&vdc.port, 0x01); /* the reset above closed it */
	open_ep(0x01, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x01, buf, 8), 0);
	ud_vdc_suspend(&vdc);
	assert_int_equal(out(1, pkt, 3, 0), UD_VDC_ACK);
	ud_vdc_resume(&vdc);
	assert_int_equal(ud_vdc_irq_count(&vdc), 3);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x01), 3);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	assert_int_equal(ud_vdc_irq_peek(&vdc, 0)->nbus, 2);
	assert_int_equal(vdc.stats.irq_overflow, 0);
}

static void test_bus_reset_high_speed_and_suspended(void **state)
{
	(void)state;
	struct ud_vdc_config cfg = {.speeds = UD_SPEED_FULL | UD_SPEED_HIGH};

	bring_up(&cfg, UD_SPEED_FULL);
	ud_vdc_suspend(&vdc);
	ud_vdc_bus_reset(&vdc, UD_SPEED_HIGH);
	assert_false(vdc.suspended);
	assert_int_equal(vdc.speed, UD_SPEED_HIGH);
	/* One bus interrupt with three events, reported in the order they happened. */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(num_recs, 3);
	assert_int_equal(recs[0].kind, REC_SUSPEND);
	assert_int_equal(recs[0].value, 1);
	assert_int_equal(recs[1].kind, REC_SUSPEND); /* the reset woke it */
	assert_int_equal(recs[1].value, 0);
	assert_int_equal(recs[2].kind, REC_RESET);
	assert_int_equal(recs[2].value, UD_SPEED_HIGH);

	/* Invisible when detached. */
	vdc.port.ops->connect(&vdc.port, false);
	ud_vdc_bus_reset(&vdc, UD_SPEED_FULL);
	ud_vdc_suspend(&vdc);
	ud_vdc_sof(&vdc, 1);
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
	assert_int_equal(vdc.speed, UD_SPEED_HIGH);
}

static void test_vbus(void **state)
{
	(void)state;
	uint8_t buf[64];

	open_ep(0x81, UD_EP_BULK, 64);
	assert_int_equal(xfer(0x81, buf, 64), 0);
	assert_int_equal(xfer(0x80, buf, 8), 0);
	vdc.port.ops->set_address(&vdc.port, 3);
	ud_vdc_suspend(&vdc);
	ud_vdc_vbus(&vdc, true); /* no edge */
	ud_vdc_vbus(&vdc, false);
	ud_vdc_vbus(&vdc, false);
	assert_false(ud_vdc_attached(&vdc));
	assert_false(vdc.suspended);
	assert_int_equal(vdc.address, 0);
	assert_false(vdc.ep[1].armed);
	assert_false(vdc.ep[UD_EP_INDEX(0x81)].open);
	assert_true(vdc.connected); /* the pull-up is the core's */
	ud_vdc_vbus(&vdc, true);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(num_recs, 3);
	assert_int_equal(recs[0].kind, REC_SUSPEND);
	assert_int_equal(recs[1].kind, REC_VBUS);
	assert_int_equal(recs[1].value, 0);
	assert_int_equal(recs[2].kind, REC_VBUS);
	assert_int_equal(recs[2].value, 1);

	/* A port without VBUS sensing never reports it, though power is still modelled. */
	struct ud_vdc_config cfg = {.flags = UD_PORT_NO_VBUS_SENSE};
	ud_vdc_init(&vdc, &cfg);
	ud_vdc_vbus(&vdc, true);
	vdc.port.ops->connect(&vdc.port, true);
	assert_true(ud_vdc_attached(&vdc));
	ud_vdc_vbus(&vdc, false);
	assert_false(ud_vdc_attached(&vdc));
	assert_int_equal(ud_vdc_irq_count(&vdc), 0);
}

static void test_suspend_resume_wakeup(void **state)
{
	(void)state;
	assert_int_equal(vdc.port.ops->remote_wakeup(&vdc.port), UD_ERR_STATE);
	ud_vdc_resume(&vdc); /* not suspended: nothing */
	ud_vdc_suspend(&vdc);
	ud_vdc_suspend(&vdc);
	assert_true(vdc.suspended);
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	ud_vdc_resume(&vdc);
	assert_false(vdc.suspended);
	ud_vdc_suspend(&vdc);
	assert_int_equal(vdc.port.ops->remote_wakeup(&vdc.port), 0);
	assert_false(vdc.suspended);
	/* Status bits, not a queue: the late handler sees the last suspend and the last resume,
	 * in that order, which ends at the level the bus is at. */
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), 1);
	assert_int_equal(num_recs, 2);
	const unsigned want[] = {1, 0};
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(recs[i].kind, REC_SUSPEND);
		assert_int_equal(recs[i].value, want[i]);
	}
}

static void test_irq_list_bounded(void **state)
{
	(void)state;
	uint8_t bufs[UD_EP_SLOTS][1], pkt[64] = {0}, pid;
	uint16_t n;

	/* Every endpoint slot completes, plus a SETUP and a SOF: all fit. */
	for (uint8_t i = 1; i < vdc.caps.ep_count; i++) {
		open_ep(i, UD_EP_BULK, 64);
		open_ep((uint8_t)(0x80u | i), UD_EP_BULK, 64);
		assert_int_equal(xfer(i, bufs[2 * i], 1), 0);
		assert_int_equal(xfer((uint8_t)(0x80u | i), bufs[2 * i + 1], 1), 0);
		assert_int_equal(out(i, pkt, 1, 0), UD_VDC_ACK);
		assert_int_equal(in(i, pkt, 64, &n, &pid), UD_VDC_ACK);
	}
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	ud_vdc_sof(&vdc, 1);
	assert_int_equal(ud_vdc_irq_count(&vdc), 2u * (vdc.caps.ep_count - 1u) + 2u);
	assert_int_equal(vdc.stats.irq_overflow, 0);

	/* A host that never delivers and keeps suspending, resuming and moving its SETUP and SOF
	 * behind them adds two bus interrupts, no more (the one before the newest SETUP, the one
	 * between it and the SOF): each SETUP or SOF that moves joins the bus interrupts it
	 * separated. The list is bounded by construction. */
	unsigned before = ud_vdc_irq_count(&vdc);
	for (int i = 0; i < 4 * UD_VDC_MAX_IRQ; i++) {
		ud_vdc_suspend(&vdc);
		assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
		ud_vdc_resume(&vdc);
		ud_vdc_sof(&vdc, (uint16_t)i);
	}
	assert_int_equal(ud_vdc_irq_count(&vdc), before + 2u);
	assert_int_equal(vdc.stats.irq_overflow, 0);
	assert_int_equal(ud_vdc_irq_deliver_all(&vdc), before + 2u);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_SETUP), "setup");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_XFER), "xfer");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_RESET), "reset");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_SUSPEND), "suspend");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_RESUME), "resume");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_VBUS_ON), "vbus_on");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_VBUS_OFF), "vbus_off");
	assert_string_equal(ud_vdc_irq_name(UD_VDC_IRQ_SOF), "sof");
	assert_string_equal(ud_vdc_irq_name((enum ud_vdc_irq_kind)99), "unknown");
	assert_string_equal(ud_vdc_result_name(UD_VDC_ACK), "ack");
	assert_string_equal(ud_vdc_result_name(UD_VDC_NAK), "nak");
	assert_string_equal(ud_vdc_result_name(UD_VDC_STALL), "stall");
	assert_string_equal(ud_vdc_result_name(UD_VDC_TIMEOUT), "timeout");
	assert_string_equal(ud_vdc_result_name((enum ud_vdc_result)99), "unknown");
}

#define T(fn) cmocka_unit_test_setup(fn, setup_default)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_defaults),
		T(test_ep_open_checks),
		T(test_ep_open_resets_state),
		T(test_connect_and_deinit),
		T(test_test_mode),
		T(test_setup_ack_and_timeout),
		T(test_setup_supersedes_pending_setup),
		T(test_setup_drops_ep0_transfers),
		T(test_nak_when_unarmed),
		T(test_timeout_no_endpoint),
		T(test_stall_answers),
		T(test_clear_stall_resets_toggle),
		T(test_in_multi_packet),
		T(test_in_exact_multiple_sends_no_zlp),
		T(test_in_zlp_transfer),
		T(test_in_host_buffer_too_small),
		T(test_out_multi_packet_short_end),
		T(test_out_full_length),
		T(test_out_zlp),
		T(test_out_overflow),
		T(test_out_babble),
		T(test_out_retransmission_ignored),
		T(test_abort),
		T(test_close_drops_silently),
		T(test_stats_contract_violations),
		T(test_address_immediate),
		T(test_address_after_status),
		T(test_deliver_out_of_order),
		T(test_bus_event_barrier),
		T(test_deliver_needs_device),
		T(test_sof_coalesces),
		T(test_bus_reset),
		T(test_bus_reset_high_speed_and_suspended),
		T(test_vbus),
		T(test_suspend_resume_wakeup),
		T(test_irq_list_bounded),
		T(test_bus_events_keep_order_around_traffic),
		T(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
