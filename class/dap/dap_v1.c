/* SPDX-License-Identifier: MIT */
/*
 * CMSIS-DAP v1: the queue behind a HID interface (class/hid) whose input and output reports
 * are `packet_size` bytes without a report ID, on interrupt IN and OUT endpoints. Hosts pad
 * every command to the report size; the queue pads every response (ud_dapq_init pad_in).
 */
#include <stddef.h>
#include <string.h>

#include "dap_probe.h"
#include "dap_queue.h"

static struct ud_dap *to_dap(struct ud_hid *hid)
{
	return (struct ud_dap *)(void *)((char *)hid - offsetof(struct ud_dap, t.hid));
}

/* A vendor-defined collection with one input and one output report of n bytes (HID 1.11
 * 6.2.2: short items; Report Count as a 2-byte item so n may exceed 255). */
static uint16_t build_report_desc(uint8_t *d, uint16_t n)
{
	const uint8_t lo = (uint8_t)(n & 0xffu), hi = (uint8_t)(n >> 8);
	const uint8_t desc[] = {
		0x06, 0x00, 0xff, /* Usage Page (vendor 0xFF00) */
		0x09, 0x01,       /* Usage (1) */
		0xa1, 0x01,       /* Collection (Application) */
		0x15, 0x00,       /*   Logical Minimum (0) */
		0x26, 0xff, 0x00, /*   Logical Maximum (255) */
		0x75, 0x08,       /*   Report Size (8 bits) */
		0x96, lo,   hi,   /*   Report Count (n) */
		0x09, 0x01,       /*   Usage (1) */
		0x81, 0x02,       /*   Input (Data, Variable, Absolute) */
		0x96, lo,   hi,   /*   Report Count (n) */
		0x09, 0x01,       /*   Usage (1) */
		0x91, 0x02,       /*   Output (Data, Variable, Absolute) */
		0xc0,             /* End Collection */
	};
	memcpy(d, desc, sizeof(desc));
	return (uint16_t)sizeof(desc);
}

static void v1_enable(struct ud_hid *hid)
{
	ud_dapq_enable(&to_dap(hid)->q, ud_hid_ep_in(hid), ud_hid_ep_out(hid));
}

static void v1_disable(struct ud_hid *hid)
{
	ud_dapq_disable(&to_dap(hid)->q);
}

static void v1_halt_cleared(struct ud_hid *hid, uint8_t ep)
{
	(void)ep;
	ud_dapq_halt_cleared(&to_dap(hid)->q);
}

static void v1_poll(struct ud_hid *hid)
{
	ud_dapq_pump(&to_dap(hid)->q);
}

/* GET_REPORT is mandatory in HID, but a DAP response exists only as the answer to a command:
 * an input report polled on EP0 is all zeros and takes nothing from the queue. */
static int v1_get_report(struct ud_hid *hid, uint8_t type, uint8_t id, uint8_t *buf, uint16_t cap)
{
	uint16_t n = to_dap(hid)->q.size;

	if (type != UD_HID_REPORT_INPUT || id != 0)
		return UD_ERR_INVAL;
	if (n > cap)
		return UD_ERR_NOSPACE;
	memset(buf, 0, n);
	return n;
}

static const struct ud_hid_ops v1_ops = {
	.enable = v1_enable,
	.disable = v1_disable,
	.halt_cleared = v1_halt_cleared,
	.poll = v1_poll,
	.get_report = v1_get_report,
};

int ud_dap_v1_add(struct ud_device *dev, struct ud_dap *dap, const struct ud_dap_config *cfg)
{
	/* A HID report has one size at every speed. */
	if (cfg && (cfg->packet_size > 1024 ||
	            (cfg->packet_size_fs != 0 && cfg->packet_size_fs != cfg->packet_size)))
		return UD_ERR_INVAL;
	int rc = ud_dap_prepare(dap, dev, cfg, 1);
	if (rc)
		return rc;

	struct ud_hid_config *h = &dap->hid_cfg;
	uint16_t size = cfg->packet_size;
	h->report_desc = dap->report_desc;
	h->report_desc_len = build_report_desc(dap->report_desc, size);
	h->in_size = h->out_size = size < 64 ? size : 64;
	h->in_size_hs = h->out_size_hs = size < 512 ? size : 512;
	h->interval_fs = 1;
	h->interval_hs = 1;
	h->interface_string = dap->interface_string;
	h->ops = &v1_ops;
	dap->t.hid.fn.name = "dap-v1";
	rc = ud_hid_add(dev, &dap->t.hid, h);
	if (rc == 0)
		dap->intf = ud_hid_interface(&dap->t.hid);
	return rc;
}
