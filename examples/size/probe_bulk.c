/* SPDX-License-Identifier: MIT */
/*
 * Size probe "core + bulk": a vendor bulk interface with WinUSB that streams one buffer each
 * way, on the skeleton port. Static state is named by owner for tools/size.sh.
 */
#include "udcore/ud_bulk.h"
#include "udcore/ud_skeleton.h"
#include "udcore/udcore.h"

static struct ud_skeleton port_skel;
static struct ud_device core_dev;
static struct ud_bulk class_bulk_fn;
static struct ud_req app_rx, app_tx;
static uint8_t app_buf[64];
static const struct ud_device_info info = {
	.vid = 0x1209,
	.pid = 0x0002,
	.ep0_max_packet = 64,
	.max_power_ma = 100,
	.manufacturer = "udcore",
	.product = "size probe",
};

static void rx_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	if (req->status == UD_OK) {
		app_tx.length = req->actual;
		(void)ud_bulk_submit_in(&class_bulk_fn, &app_tx);
	}
}

static void tx_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	(void)req;
	(void)ud_bulk_submit_out(&class_bulk_fn, &app_rx);
}

static void enable(struct ud_bulk *b)
{
	(void)ud_bulk_submit_out(b, &app_rx);
}

static const struct ud_bulk_ops ops = {.enable = enable};

int main(void)
{
	const struct ud_bulk_config cfg = {
		.ops = &ops,
		.winusb_guid = "{c3d5a1f2-7b4e-4f0a-9a61-2e8d5b3c7f10}",
	};
	app_rx = (struct ud_req){.buf = app_buf, .length = sizeof(app_buf), .complete = rx_done};
	app_tx = (struct ud_req){.buf = app_buf, .complete = tx_done};
	ud_skeleton_init(&port_skel);
	if (ud_device_init(&core_dev, &port_skel.port, &info) ||
	    ud_bulk_add(&core_dev, &class_bulk_fn, &cfg) || ud_device_start(&core_dev))
		return 1;
	for (;;)
		ud_task(&core_dev);
}
