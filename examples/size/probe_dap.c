/* SPDX-License-Identifier: MIT */
/*
 * Size probe "core + DAP v2": a CMSIS-DAP v2 probe with the GPIO bit-bang SWD backend (pin
 * callbacks left empty: a board fills them), on the skeleton port. Static state is named by
 * owner for tools/size.sh.
 */
#include "udcore/ud_dap.h"
#include "udcore/ud_skeleton.h"
#include "udcore/ud_swd_gpio.h"
#include "udcore/udcore.h"

static struct ud_skeleton port_skel;
static struct ud_device core_dev;
static struct ud_dap class_dap_probe;
static uint8_t class_dap_slots[UD_DAP_BUFFER_SIZE(4, 64)];
static struct ud_swd_gpio class_dap_gpio;
static const struct ud_dap_info dap_info = {.vendor = "udcore", .product = "size probe"};
static const struct ud_device_info info = {
	.vid = 0x1209,
	.pid = 0xda42,
	.ep0_max_packet = 64,
	.max_power_ma = 100,
	.manufacturer = "udcore",
	.product = "size probe CMSIS-DAP",
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

int main(void)
{
	class_dap_gpio.ops = &pins;
	const struct ud_dap_config cfg = {
		.info = &dap_info,
		.io = &ud_swd_gpio_io,
		.io_ctx = &class_dap_gpio,
		.packet_count = 4,
		.packet_size = 64,
		.buffer = class_dap_slots,
		.buffer_size = sizeof(class_dap_slots),
	};
	ud_skeleton_init(&port_skel);
	if (ud_device_init(&core_dev, &port_skel.port, &info) ||
	    ud_dap_v2_add(&core_dev, &class_dap_probe, &cfg) || ud_device_start(&core_dev))
		return 1;
	for (;;) {
		ud_task(&core_dev);
		(void)ud_dap_process(&class_dap_probe);
	}
}
