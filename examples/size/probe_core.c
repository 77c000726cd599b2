/* SPDX-License-Identifier: MIT */
/*
 * Size probe "core only": a device with one empty vendor interface on the skeleton port, so
 * the linker keeps the whole core (enumeration, chapter 9, queues) but no class.
 */
#include "udcore/ud_skeleton.h"
#include "udcore/udcore.h"

static int bind(struct ud_function *fn, struct ud_device *dev)
{
	(void)fn;
	int intf = ud_desc_alloc_interface(dev);
	if (intf < 0)
		return intf;
	return ud_desc_add_interface(dev, (uint8_t)intf, 0, 0, 0xff, 0, 0, 0);
}

static const struct ud_function_ops ops = {.bind = bind};
static struct ud_function fn = {.ops = &ops};
static struct ud_skeleton port_skel;
static struct ud_device core_dev; /* named by owner: see tools/size.sh */
static const struct ud_device_info info = {
	.vid = 0x1209,
	.pid = 0x0001,
	.ep0_max_packet = 64,
	.max_power_ma = 100,
	.manufacturer = "udcore",
	.product = "size probe",
};

int main(void)
{
	ud_skeleton_init(&port_skel);
	if (ud_device_init(&core_dev, &port_skel.port, &info) ||
	    ud_device_add_function(&core_dev, &fn) || ud_device_start(&core_dev))
		return 1;
	for (;;)
		ud_task(&core_dev);
}
