/* SPDX-License-Identifier: MIT */
/* A usbmon-format capture of the host model's traffic (DLT 220). See pcap.h. */
#include "pcap.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "udcore/ud_ch9.h"
#include "udcore/ud_vdc.h"

#include "ctrl_bus.h"

#define DLT_USB_LINUX_MMAPPED 220
#define USBMON_HDR 64

/* Linux errno values usbmon reports in URB status. */
#define ST_INPROGRESS (-115)
#define ST_PIPE (-32)
#define ST_CONNRESET (-104)
#define ST_PROTO (-71)

/* usbmon transfer types */
enum {
	XT_ISO = 0,
	XT_INTR = 1,
	XT_CTRL = 2,
	XT_BULK = 3
};

static FILE *pcap_file;
static bool recording;
static uint64_t urb_id, usec;

/* The control transfer being assembled. */
static struct {
	bool active;
	uint8_t addr;
	uint8_t setup[8];
	uint16_t len;
	uint8_t data[4096];
} ctl;

bool ud_pcap_is_open(void)
{
	return pcap_file != NULL;
}

void ud_pcap_enable(bool on)
{
	recording = on && pcap_file;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

int ud_pcap_open(const char *path)
{
	uint8_t h[24] = {0};

	pcap_file = fopen(path, "wb");
	if (!pcap_file) {
		perror(path);
		return -1;
	}
	put32(h, 0xa1b2c3d4u); /* microsecond timestamps, written little-endian */
	put16(h + 4, 2);
	put16(h + 6, 4);
	put32(h + 16, 65535);
	put32(h + 20, DLT_USB_LINUX_MMAPPED);
	fwrite(h, 1, sizeof(h), pcap_file);
	urb_id = 0x1000;
	usec = 0;
	ctl.active = false;
	recording = true;
	return 0;
}

void ud_pcap_close(void)
{
	if (pcap_file)
		fclose(pcap_file);
	pcap_file = NULL;
	recording = false;
}

struct urb {
	uint8_t type; /* 'S' or 'C' */
	uint8_t xfer; /* XT_* */
	uint8_t ep;   /* address, bit 7 IN */
	uint8_t dev;
	int32_t status;
	uint32_t length;
	const uint8_t *setup; /* S of a control URB */
	const uint8_t *data;
	uint32_t data_len;
};

static void record(const struct urb *u)
{
	uint8_t r[16 + USBMON_HDR] = {0};
	uint8_t *m = r + 16;
	uint32_t sec = (uint32_t)(usec / 1000000u), us = (uint32_t)(usec % 1000000u);

	put32(r, sec);
	put32(r + 4, us);
	put32(r + 8, USBMON_HDR + u->data_len);
	put32(r + 12, USBMON_HDR + u->data_len);
	put32(m, (uint32_t)urb_id);
	put32(m + 4, (uint32_t)(urb_id >> 32));
	m[8] = u->type;
	m[9] = u->xfer;
	m[10] = u->ep;
	m[11] = u->dev;
	put16(m + 12, 1); /* bus 1 */
	m[14] = u->setup ? 0 : '-';
	m[15] = u->data_len ? 0 : (u->ep & 0x80 ? '<' : '>');
	put32(m + 16, sec);
	put32(m + 24, us);
	put32(m + 28, (uint32_t)u->status);
	put32(m + 32, u->length);
	put32(m + 36, u->data_len);
	if (u->setup)
		memcpy(m + 40, u->setup, 8);
	if (u->xfer == XT_INTR)
		put32(m + 48, 1); /* interval */
	fwrite(r, 1, sizeof(r), pcap_file);
	if (u->data_len)
		fwrite(u->data, 1, u->data_len, pcap_file);
}

/* One URB: submission then completion. */
static void urb_pair(struct urb s, struct urb c)
{
	s.type = 'S';
	s.status = ST_INPROGRESS;
	record(&s);
	usec += 10;
	c.type = 'C';
	record(&c);
	urb_id++;
}

/* The control transfer in `ctl` ended with @status. */
static void ctl_emit(int32_t status)
{
	bool in = ctl.setup[0] & 0x80;
	uint16_t wlength = (uint16_t)(ctl.setup[6] | ctl.setup[7] << 8);
	struct urb s = {.xfer = XT_CTRL,
	                .ep = in ? 0x80 : 0x00,
	                .dev = ctl.addr,
	                .length = wlength,
	                .setup = ctl.setup};
	struct urb c = s;

	c.setup = NULL;
	if (!in) {
		s.data = ctl.data;
		s.data_len = ctl.len;
		c.length = status == 0 ? ctl.len : 0;
	} else {
		c.data = ctl.data;
		c.data_len = status == 0 ? ctl.len : 0;
		c.length = c.data_len;
	}
	c.status = status;
	urb_pair(s, c);
	ctl.active = false;
}

static uint8_t xfer_type(const struct ud_world *w, uint8_t ep)
{
	uint8_t t = ud_bus_ep_type(w, ep);

	return t == UD_EP_INTERRUPT ? XT_INTR : t == UD_EP_ISOCHRONOUS ? XT_ISO : XT_BULK;
}

static void ctl_data(const uint8_t *data, uint16_t len)
{
	uint16_t room = (uint16_t)(sizeof(ctl.data) - ctl.len);

	if (len > room)
		len = room;
	memcpy(ctl.data + ctl.len, data, len);
	ctl.len = (uint16_t)(ctl.len + len);
}

/* A packet on EP0 in direction @in, answered @v. */
static void ep0_packet(bool in, const uint8_t *data, uint16_t len, enum ud_vdc_result v)
{
	bool req_in = ctl.setup[0] & 0x80;

	if (!ctl.active || v == UD_VDC_NAK)
		return;
	if (v != UD_VDC_ACK) {
		ctl_emit(v == UD_VDC_STALL ? ST_PIPE : ST_PROTO);
		return;
	}
	if (in == req_in)
		ctl_data(data, len); /* data stage */
	else if (len == 0)
		ctl_emit(0); /* status stage */
}

static void data_packet(const struct ud_world *w, uint8_t addr, uint8_t ep, const uint8_t *data,
                        uint16_t len, enum ud_vdc_result v)
{
	struct urb s = {.xfer = xfer_type(w, ep), .ep = ep, .dev = addr}, c;
	bool in = ep & 0x80;

	if (v == UD_VDC_NAK)
		return;
	s.length = in ? ud_bus_ep_mps(w, ep) : len;
	if (!in && v == UD_VDC_ACK) {
		s.data = data;
		s.data_len = len;
	}
	c = s;
	c.data = NULL;
	c.data_len = 0;
	c.status = v == UD_VDC_ACK ? 0 : v == UD_VDC_STALL ? ST_PIPE : ST_PROTO;
	c.length = v == UD_VDC_ACK ? len : 0;
	if (in && v == UD_VDC_ACK) {
		c.data = data;
		c.data_len = len;
	}
	urb_pair(s, c);
}

#if defined(UD_SIM_WRAP)

enum ud_vdc_result __real_ud_bus_setup(struct ud_world *w, uint8_t addr, const uint8_t raw[8]);
enum ud_vdc_result __real_ud_bus_out(struct ud_world *w, uint8_t addr, uint8_t epnum,
                                     const uint8_t *data, uint16_t len, uint8_t pid);
enum ud_vdc_result __real_ud_bus_in(struct ud_world *w, uint8_t addr, uint8_t epnum, uint8_t *data,
                                    uint16_t cap, uint16_t *len, uint8_t *pid);
enum ud_vdc_result __wrap_ud_bus_setup(struct ud_world *w, uint8_t addr, const uint8_t raw[8]);
enum ud_vdc_result __wrap_ud_bus_out(struct ud_world *w, uint8_t addr, uint8_t epnum,
                                     const uint8_t *data, uint16_t len, uint8_t pid);
enum ud_vdc_result __wrap_ud_bus_in(struct ud_world *w, uint8_t addr, uint8_t epnum, uint8_t *data,
                                    uint16_t cap, uint16_t *len, uint8_t *pid);

bool ud_pcap_available(void)
{
	return true;
}

enum ud_vdc_result __wrap_ud_bus_setup(struct ud_world *w, uint8_t addr, const uint8_t raw[8])
{
	enum ud_vdc_result v = __real_ud_bus_setup(w, addr, raw);

	if (!recording || v != UD_VDC_ACK)
		return v;
	if (ctl.active)
		ctl_emit(ST_CONNRESET);
	ctl.active = true;
	ctl.addr = addr;
	memcpy(ctl.setup, raw, 8);
	ctl.len = 0;
	usec += 10;
	return v;
}

enum ud_vdc_result __wrap_ud_bus_out(struct ud_world *w, uint8_t addr, uint8_t epnum,
                                     const uint8_t *data, uint16_t len, uint8_t pid)
{
	enum ud_vdc_result v = __real_ud_bus_out(w, addr, epnum, data, len, pid);

	if (!recording)
		return v;
	usec += 10;
	if ((epnum & 0x0f) == 0)
		ep0_packet(false, data, len, v);
	else
		data_packet(w, addr, (uint8_t)(epnum & 0x0f), data, len, v);
	return v;
}

enum ud_vdc_result __wrap_ud_bus_in(struct ud_world *w, uint8_t addr, uint8_t epnum, uint8_t *data,
                                    uint16_t cap, uint16_t *len, uint8_t *pid)
{
	enum ud_vdc_result v = __real_ud_bus_in(w, addr, epnum, data, cap, len, pid);

	if (!recording)
		return v;
	usec += 10;
	if ((epnum & 0x0f) == 0)
		ep0_packet(true, data, *len, v);
	else
		data_packet(w, addr, (uint8_t)(0x80u | (epnum & 0x0f)), data, *len, v);
	return v;
}

#else

bool ud_pcap_available(void)
{
	(void)ep0_packet;
	(void)data_packet;
	return false;
}

#endif
