/* SPDX-License-Identifier: MIT */
/*
 * The smallest program that uses udcore as a library: a device on the virtual controller.
 * It only checks that the headers, the core and the port link; tools/demo.sh shows a device
 * that actually enumerates.
 */
#include <stdio.h>

#include <udcore/ud_vdc.h>
#include <udcore/udcore.h>

static struct ud_vdc vdc;
static struct ud_device dev;

static const struct ud_device_info info = {
	.vid = 0x1209, /* pid.codes test VID/PID */
	.pid = 0x0001,
	.bcd_device = 0x0100,
	.ep0_max_packet = 64,
	.max_power_ma = 100,
	.manufacturer = "udcore",
	.product = "consumer example",
};

int main(void)
{
	ud_vdc_init(&vdc, NULL);
	int rc = ud_device_init(&dev, &vdc.port, &info);
	if (rc != 0) {
		fprintf(stderr, "ud_device_init failed: %d (%s)\n", rc, ud_status_name(rc));
		return 1;
	}
	printf("udcore consumer: device initialised, state %s\n",
	       ud_state_name(ud_device_state(&dev)));
	return 0;
}
