/* SPDX-License-Identifier: MIT */
/* The fixture of the vdc's unit tests: vdc_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vdc_fixture.h"

/* ---- recording reports (stand-ins for the core's channel) ---- */

struct rec recs[64];
unsigned num_recs;
char fake_device; /* the vdc only passes the pointer on */

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

/* A stream's wake (ud_stream.h); counted, the tests that stream ask for it. */
unsigned stream_wakes;

void ud_port_report_stream(struct ud_device *dev, uint8_t ep)
{
	(void)dev;
	(void)ep;
	stream_wakes++;
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

bool setup_waiting;

bool ud_port_setup_waiting(const struct ud_device *dev)
{
	(void)dev;
	return setup_waiting;
}

/* ---- helpers ---- */

struct ud_vdc vdc;
const uint8_t setup_a[8] = {0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x40, 0x00};
const uint8_t setup_b[8] = {0x00, 0x05, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00};

/* A controller bound to DEV, initialised by the "core", attached and reset: ready for traffic
 * at address 0, with nothing pending and nothing recorded. */
void bring_up(const struct ud_vdc_config *cfg, enum ud_speed speed)
{
	ud_vdc_init(&vdc, cfg);
	vdc.port.dev = DEV;
	assert_int_equal(vdc.port.ops->init(&vdc.port), 0);
	vdc.port.ops->connect(&vdc.port, true);
	ud_vdc_vbus(&vdc, true);
	ud_vdc_bus_reset(&vdc, speed);
	ud_vdc_irq_deliver_all(&vdc);
	num_recs = 0;
	setup_waiting = false;
}

int setup_default(void **state)
{
	(void)state;
	bring_up(NULL, UD_SPEED_FULL);
	return 0;
}

void open_ep(uint8_t addr, uint8_t type, uint16_t mps)
{
	struct ud_ep_config cfg = {.addr = addr, .type = type, .max_packet = mps, .interval = 1};
	assert_int_equal(vdc.port.ops->ep_open(&vdc.port, &cfg), 0);
}

int ep_open_rc(uint8_t addr, uint8_t type, uint16_t mps)
{
	struct ud_ep_config cfg = {.addr = addr, .type = type, .max_packet = mps, .interval = 1};
	return vdc.port.ops->ep_open(&vdc.port, &cfg);
}

int xfer(uint8_t ep, uint8_t *buf, uint32_t len)
{
	return vdc.port.ops->ep_xfer(&vdc.port, ep, buf, len);
}

enum ud_vdc_result out(uint8_t epnum, const uint8_t *data, uint16_t len, uint8_t pid)
{
	return ud_vdc_out(&vdc, vdc.address, epnum, data, len, pid);
}

/* An IN token; the packet lands in @data (64 bytes of room unless @cap says less). */
enum ud_vdc_result in(uint8_t epnum, uint8_t *data, uint16_t cap, uint16_t *len, uint8_t *pid)
{
	return ud_vdc_in(&vdc, vdc.address, epnum, data, cap, len, pid);
}

const struct ud_vdc_ep *ep_state(uint8_t ep)
{
	return &vdc.ep[UD_EP_INDEX(ep)];
}

int stream_op(uint8_t ep, struct ud_stream *s)
{
	return vdc.port.ops->ep_stream(&vdc.port, ep, s);
}

void stream_kick(uint8_t ep, struct ud_stream *s)
{
	vdc.port.ops->ep_kick(&vdc.port, ep, s);
}

void fill(uint8_t *buf, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(seed + i);
}

/* The only pending interrupt is the completion of @ep with @actual and @status. */
void assert_one_xfer_irq(uint8_t ep, uint32_t actual, int status)
{
	assert_int_equal(ud_vdc_irq_count(&vdc), 1);
	const struct ud_vdc_irq *q = ud_vdc_irq_peek(&vdc, 0);
	assert_int_equal(q->kind, UD_VDC_IRQ_XFER);
	assert_int_equal(q->ep, ep);
	assert_int_equal(q->actual, actual);
	assert_int_equal(q->status, status);
}
