/* SPDX-License-Identifier: MIT */
/*
 * Size probe "core + CDC": a USB serial port that echoes what it receives, on the skeleton
 * port. Static state is named by owner (core_*, port_*, class_cdc_*) for tools/size.sh.
 */
#include "udcore/ud_cdc.h"
#include "udcore/ud_skeleton.h"
#include "udcore/udcore.h"

static struct ud_skeleton port_skel;
static struct ud_device core_dev;
static struct ud_cdc class_cdc_port;
/* One full-speed packet each: the least ud_cdc_init() accepts for receiving, and all an echo
 * needs (the host waits with NAK while a ring is full). */
static uint8_t class_cdc_rx[64], class_cdc_tx[64];
static const struct ud_device_info info = {
	.vid = 0x1209,
	.pid = 0x0003,
	.ep0_max_packet = 64,
	.max_power_ma = 100,
	.manufacturer = "udcore",
	.product = "size probe",
};

int main(void)
{
	static const struct ud_cdc_config cfg = {
		/* the port keeps a pointer to it */
		.rx_buf = class_cdc_rx,
		.rx_size = sizeof(class_cdc_rx),
		.tx_buf = class_cdc_tx,
		.tx_size = sizeof(class_cdc_tx),
	};
	ud_skeleton_init(&port_skel);
	if (ud_device_init(&core_dev, &port_skel.port, &info) ||
	    ud_cdc_init(&class_cdc_port, &cfg) ||
	    ud_device_add_function(&core_dev, &class_cdc_port.fn) || ud_device_start(&core_dev))
		return 1;
	for (;;) {
		uint8_t buf[64];
		ud_task(&core_dev);
		uint32_t n = ud_cdc_read(&class_cdc_port, buf, sizeof(buf));
		if (n) {
			ud_cdc_write(&class_cdc_port, buf, n);
			ud_cdc_flush(&class_cdc_port);
		}
	}
}
