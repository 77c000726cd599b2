/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the virtual device controller alone (fixture: vdc_fixture.h), its port
 * operations and its transactions: initialisation, SETUP, NAK/STALL/timeout answers, IN and
 * OUT transfers, abort and close.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vdc_fixture.h"

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
	ud_vdc_irq_deliver_all(&vdc); /* the core takes the new SETUP */
	/* Both EP0 directions restart at DATA1. */
	assert_int_equal(xfer(0x80, NULL, 0), 0);
	assert_int_equal(in(0, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(n, 0);
	assert_int_equal(pid, 1);
	assert_int_equal(vdc.ep[0].toggle, 1);
}

/* The core answers request A after the host sent B (ud_port.h): A's stage and stall stay
 * off the wire while B's interrupt is pending and while B's report waits for the core. */
static void test_ep0_superseded_stays_off_the_wire(void **state)
{
	(void)state;
	uint8_t reply[8], pkt[64], pid;
	uint16_t n;

	fill(reply, sizeof(reply), 0x40);
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_a), UD_VDC_ACK);
	ud_vdc_irq_deliver_all(&vdc); /* A taken by the core */
	assert_int_equal(ud_vdc_setup(&vdc, 0, setup_b), UD_VDC_ACK);
	assert_int_equal(xfer(0x80, reply, sizeof(reply)), 0); /* accepted... */
	vdc.port.ops->ep_stall(&vdc.port, 0x00, true);
	assert_int_equal(in(0, pkt, 64, &n, &pid), UD_VDC_NAK); /* ...but not sent */
	assert_int_equal(out(0, NULL, 0, 1), UD_VDC_NAK);       /* and no stall */
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x80), 0);

	ud_vdc_irq_deliver_all(&vdc); /* B reported; the core has not taken it yet */
	setup_waiting = true;
	assert_int_equal(xfer(0x80, reply, sizeof(reply)), 0);
	vdc.port.ops->ep_stall(&vdc.port, 0x80, true);
	assert_int_equal(in(0, pkt, 64, &n, &pid), UD_VDC_NAK);
	assert_int_equal(vdc.port.ops->ep_abort(&vdc.port, 0x80), 0);

	setup_waiting = false; /* the core took B: its own stage goes out */
	assert_int_equal(xfer(0x80, reply, sizeof(reply)), 0);
	assert_int_equal(in(0, pkt, 64, &n, &pid), UD_VDC_ACK);
	assert_int_equal(n, sizeof(reply));
	assert_memory_equal(pkt, reply, sizeof(reply));
	assert_int_equal(num_recs, 2); /* the two SETUPs; no parked stage was ever reported */
	assert_int_equal(recs[1].kind, REC_SETUP);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		VDC_T(test_init_defaults),
		VDC_T(test_ep_open_checks),
		VDC_T(test_ep_open_resets_state),
		VDC_T(test_connect_and_deinit),
		VDC_T(test_test_mode),
		VDC_T(test_setup_ack_and_timeout),
		VDC_T(test_setup_supersedes_pending_setup),
		VDC_T(test_setup_drops_ep0_transfers),
		VDC_T(test_ep0_superseded_stays_off_the_wire),
		VDC_T(test_nak_when_unarmed),
		VDC_T(test_timeout_no_endpoint),
		VDC_T(test_stall_answers),
		VDC_T(test_clear_stall_resets_toggle),
		VDC_T(test_in_multi_packet),
		VDC_T(test_in_exact_multiple_sends_no_zlp),
		VDC_T(test_in_zlp_transfer),
		VDC_T(test_in_host_buffer_too_small),
		VDC_T(test_out_multi_packet_short_end),
		VDC_T(test_out_full_length),
		VDC_T(test_out_zlp),
		VDC_T(test_out_overflow),
		VDC_T(test_out_babble),
		VDC_T(test_out_retransmission_ignored),
		VDC_T(test_abort),
		VDC_T(test_close_drops_silently),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
