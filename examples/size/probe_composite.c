/* SPDX-License-Identifier: MIT */
/*
 * Size probe "composite": CMSIS-DAP v2 + CDC-ACM + vendor bulk in one configuration, as a
 * debug probe with a serial port and a data pipe, on the skeleton port. Static state is named
 * by owner for tools/size.sh.
 */
#include "udcore/ud_bulk.h"
#include "udcore/ud_cdc.h"
#include "udcore/ud_dap.h"
#include "udcore/ud_skeleton.h"
#include "udcore/ud_swd_gpio.h"
#include "udcore/udcore.h"

static struct ud_skeleton port_skel;
static struct ud_device core_dev;
static struct ud_dap class_dap_probe;
static uint8_t class_dap_slots[UD_DAP_BUFFER_SIZE(4, 64)];
static struct ud_swd_gpio class_dap_gpio;
static struct ud_cdc class_cdc_port;
static uint8_t class_cdc_rx[64], class_cdc_tx[64]; /* one packet each, as probe_cdc.c */
static struct ud_bulk class_bulk_fn;
static struct ud_req app_rx;
static uint8_t app_buf[64];
static const struct ud_dap_info dap_info = {.vendor = "udcore", .product = "size probe"};
static const struct ud_device_info info = {
	.vid = 0x1209,
	.pid = 0x0005,
	.ep0_max_packet = 64,
	.max_power_ma = 100,
	.manufacturer = "udcore",
	.product = "size probe composite",
};

static void pin_write(void *ctx, uint8_t level)
{
	(void)ctx;
	(void)level;
}

static uint8_t pin_read(void *ctx)
{
	(void)ctx;
	return 1;
}

static const struct ud_swd_gpio_ops pins = {
	.swclk_write = pin_write,
	.swdio_write = pin_write,
	.swdio_read = pin_read,
	.swdio_output = pin_write,
	.nreset_write = pin_write,
	.nreset_read = pin_read,
};

static void rx_done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	if (req->status == UD_OK)
		(void)ud_bulk_submit_out(&class_bulk_fn, req);
}

static void enable(struct ud_bulk *b)
{
	(void)ud_bulk_submit_out(b, &app_rx);
}

static const struct ud_bulk_ops bulk_ops = {.enable = enable};

static int add_functions(void)
{
	class_dap_gpio.ops = &pins;
	const struct ud_dap_config dap = {
		.info = &dap_info,
		.io = &ud_swd_gpio_io,
		.io_ctx = &class_dap_gpio,
		.packet_count = 4,
		.packet_size = 64,
		.buffer = class_dap_slots,
		.buffer_size = sizeof(class_dap_slots),
	};
	static const struct ud_cdc_config cdc = {
		/* the port keeps a pointer to it */
		.rx_buf = class_cdc_rx,
		.rx_size = sizeof(class_cdc_rx),
		.tx_buf = class_cdc_tx,
		.tx_size = sizeof(class_cdc_tx),
	};
	const struct ud_bulk_config bulk = {
		.ops = &bulk_ops,
		.winusb_guid = "{c3d5a1f2-7b4e-4f0a-9a61-2e8d5b3c7f10}",
	};
	app_rx = (struct ud_req){.buf = app_buf, .length = sizeof(app_buf), .complete = rx_done};
	if (ud_dap_v2_add(&core_dev, &class_dap_probe, &dap) ||
	    ud_cdc_init(&class_cdc_port, &cdc) ||
	    ud_device_add_function(&core_dev, &class_cdc_port.fn))
		return 1;
	return ud_bulk_add(&core_dev, &class_bulk_fn, &bulk);
}

int main(void)
{
	ud_skeleton_init(&port_skel);
	if (ud_device_init(&core_dev, &port_skel.port, &info) || add_functions() ||
	    ud_device_start(&core_dev))
		return 1;
	for (;;) {
		uint8_t buf[64];
		ud_task(&core_dev);
		(void)ud_dap_process(&class_dap_probe);
		uint32_t n = ud_cdc_read(&class_cdc_port, buf, sizeof(buf));
		if (n) {
			ud_cdc_write(&class_cdc_port, buf, n);
			ud_cdc_flush(&class_cdc_port);
		}
	}
}
