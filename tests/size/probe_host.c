/* SPDX-License-Identifier: MIT */
/*
 * The host side of tests/size: a size probe (examples/size/probe_*.c, built with its own
 * config_*.h) has started its device on the vdc; enumerate it as a host would (reset, device
 * descriptor, SET_ADDRESS, the whole configuration descriptor, every string it names,
 * SET_CONFIGURATION) and exit 0 if every step succeeded, 1 naming the first that did not.
 * The sizes in docs/size.md are only worth something if these firmwares work.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "udcore/ud_vdc.h"
#include "udcore/udcore.h"

static struct ud_vdc *vdc;
static struct ud_device *dev;
static uint8_t addr;

_Noreturn bool probe_started(struct ud_device *d);

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "probe_host: %s\n", what);
	exit(1);
}

/* The device side catches up: interrupts delivered, ud_task() run until idle. */
static void pump(void)
{
	for (int i = 0; i < 100; i++) {
		ud_vdc_irq_deliver_all(vdc);
		if (!ud_task(dev) && ud_vdc_irq_count(vdc) == 0)
			return;
	}
	fail("the device never went idle");
}

/* One IN transaction on EP0 or another endpoint, retried while NAKed. */
static uint16_t in_packet(uint8_t ep, uint8_t *buf, uint16_t cap)
{
	for (int i = 0; i < 16; i++) {
		uint16_t n = 0;
		uint8_t pid;
		enum ud_vdc_result r = ud_vdc_in(vdc, addr, ep, buf, cap, &n, &pid);
		pump();
		if (r == UD_VDC_ACK)
			return n;
		if (r != UD_VDC_NAK)
			fail("an IN transaction was not answered");
	}
	fail("an IN transaction was NAKed 16 times");
}

/* A control transfer without data stage, or with an IN data stage of up to @p len bytes;
 * returns the bytes read. */
static uint16_t control(uint8_t bm, uint8_t req, uint16_t value, uint16_t index, uint16_t len,
                        uint8_t *buf)
{
	const uint8_t raw[8] = {bm,
	                        req,
	                        (uint8_t)value,
	                        (uint8_t)(value >> 8),
	                        (uint8_t)index,
	                        (uint8_t)(index >> 8),
	                        (uint8_t)len,
	                        (uint8_t)(len >> 8)};
	uint16_t got = 0;

	if (ud_vdc_setup(vdc, addr, raw) != UD_VDC_ACK)
		fail("a SETUP was not acknowledged");
	pump();
	if (len == 0) {
		if (in_packet(0, buf, 64) != 0)
			fail("a status stage carried data");
		return 0;
	}
	for (;;) {
		uint16_t n = in_packet(0, buf + got, 64);
		got = (uint16_t)(got + n);
		if (n < 64 || got >= len)
			break;
	}
	if (ud_vdc_out(vdc, addr, 0, NULL, 0, 1) != UD_VDC_ACK)
		fail("a status OUT was not acknowledged");
	pump();
	return got;
}

static uint16_t get_desc(uint8_t type, uint8_t index, uint16_t langid, uint16_t len, uint8_t *buf)
{
	return control(0x80, UD_REQ_GET_DESCRIPTOR, (uint16_t)(type << 8 | index), langid, len,
	               buf);
}

_Noreturn bool probe_started(struct ud_device *d)
{
	static uint8_t buf[1024];

	dev = d;
	vdc = (struct ud_vdc *)d->port->priv;
	ud_vdc_vbus(vdc, true);
	pump();
	ud_vdc_bus_reset(vdc, UD_SPEED_FULL);
	pump();
	if (get_desc(UD_DESC_DEVICE, 0, 0, 18, buf) != 18 || buf[1] != UD_DESC_DEVICE)
		fail("device descriptor");
	uint8_t strings[3] = {buf[14], buf[15], buf[16]};
	control(0x00, UD_REQ_SET_ADDRESS, 5, 0, 0, buf);
	addr = 5;
	if (get_desc(UD_DESC_CONFIGURATION, 0, 0, 9, buf) != 9)
		fail("configuration descriptor header");
	uint16_t total = (uint16_t)(buf[2] | buf[3] << 8);
	if (total > sizeof(buf) || get_desc(UD_DESC_CONFIGURATION, 0, 0, total, buf) != total)
		fail("whole configuration descriptor");
	for (uint16_t off = 0; off < total; off = (uint16_t)(off + buf[off])) {
		if (buf[off] < 2 || off + buf[off] > total)
			fail("a descriptor's bLength in the configuration");
	}
	uint8_t lang[4];
	if (get_desc(UD_DESC_STRING, 0, 0, 4, lang) != 4 || lang[0] != 4 ||
	    lang[1] != UD_DESC_STRING)
		fail("string 0");
	for (unsigned i = 0; i < 3; i++) {
		if (!strings[i])
			continue;
		uint16_t n = get_desc(UD_DESC_STRING, strings[i], 0x0409, 255, buf);
		if (n < 2 || n != buf[0] || buf[1] != UD_DESC_STRING)
			fail("a string the device descriptor names");
	}
	control(0x00, UD_REQ_SET_CONFIGURATION, 1, 0, 0, buf);
	if (ud_device_state(dev) != UD_STATE_CONFIGURED)
		fail("SET_CONFIGURATION did not configure the device");
	printf("probe_host: enumerated (configuration %u bytes) and configured\n", total);
	exit(0);
}
