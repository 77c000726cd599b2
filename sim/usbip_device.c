/* SPDX-License-Identifier: MIT */
/* The exported device: plugged in, reset and addressed the way the exporting machine's hub
 * would, and described in a USB/IP device record. See usbip_urb.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_bus.h"
#include "usbip_urb.h"

/* One whole control transfer through the host model; @return true if it ended well. */
static bool control(struct ud_world *w, struct ud_sim_result *r, uint8_t bm, uint8_t req,
                    uint16_t value, uint16_t length)
{
	struct ud_setup s = {
		.bmRequestType = bm, .bRequest = req, .wValue = value, .wLength = length};

	ud_host_control(w, &s, NULL, 0, r);
	return r->status == UD_SIM_OK;
}

static int attach(struct ud_world *w, const char *device, const struct ud_sim_options *opt,
                  struct ud_sim_result *r, char *err, size_t errlen)
{
	if (ud_world_init(w, device, opt, err, (unsigned)errlen) != 0)
		return -1;
	ud_host_connect(w, true, r);
	if (r->status == UD_SIM_OK)
		ud_host_reset(w, r);
	if (r->status != UD_SIM_OK || !ud_bus_attached(w)) {
		snprintf(err, errlen, "device '%s' did not connect: %s", device, r->message);
		return -1;
	}
	if (!control(w, r, 0x00, UD_REQ_SET_ADDRESS, UD_USBIP_DEV_ADDRESS, 0)) {
		snprintf(err, errlen, "device '%s': SET_ADDRESS: %s: %s", device,
		         ud_sim_status_name((enum ud_sim_status)r->status), r->message);
		return -1;
	}
	return 0;
}

int ud_usbip_device_attach(struct ud_world *w, const char *device, const struct ud_sim_options *opt,
                           char *err, size_t errlen)
{
	struct ud_sim_result *r = malloc(sizeof(*r));
	int rc;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = attach(w, device, opt, r, err, errlen);
	free(r);
	return rc;
}

/* Interfaces (alternate setting 0) of a whole configuration descriptor. */
static void record_interfaces(struct ud_usbip_device *rec, const uint8_t *d, uint16_t len)
{
	uint16_t i = 0;

	rec->num_intf = 0;
	while (i + 2u <= len && d[i] >= 2 && i + d[i] <= len) {
		if (d[i + 1] == UD_DESC_INTERFACE && d[i] >= 9 && d[i + 3] == 0 &&
		    rec->num_intf < UD_USBIP_MAX_INTF) {
			struct ud_usbip_intf *f = &rec->intf[rec->num_intf++];

			f->cls = d[i + 5];
			f->subclass = d[i + 6];
			f->protocol = d[i + 7];
		}
		i = (uint16_t)(i + d[i]);
	}
}

static int probe(struct ud_world *w, const char *device, struct ud_sim_result *r,
                 struct ud_usbip_device *rec, char *err, size_t errlen)
{
	const uint8_t *d = r->data;
	uint16_t total;

	if (!control(w, r, 0x80, UD_REQ_GET_DESCRIPTOR, UD_DESC_DEVICE << 8, 18) || r->len < 18) {
		snprintf(err, errlen, "device '%s': GET_DESCRIPTOR(device) failed: %s", device,
		         r->message);
		return -1;
	}
	rec->vid = (uint16_t)(d[8] | (d[9] << 8));
	rec->pid = (uint16_t)(d[10] | (d[11] << 8));
	rec->bcd_device = (uint16_t)(d[12] | (d[13] << 8));
	rec->dev_class = d[4];
	rec->dev_subclass = d[5];
	rec->dev_protocol = d[6];
	rec->num_configs = d[17];
	if (!control(w, r, 0x80, UD_REQ_GET_DESCRIPTOR, UD_DESC_CONFIGURATION << 8, 9) ||
	    r->len < 9) {
		snprintf(err, errlen, "device '%s': GET_DESCRIPTOR(configuration) failed: %s",
		         device, r->message);
		return -1;
	}
	total = (uint16_t)(d[2] | (d[3] << 8));
	rec->config_value = d[5];
	if (total > UD_SIM_DATA_MAX)
		total = UD_SIM_DATA_MAX;
	if (!control(w, r, 0x80, UD_REQ_GET_DESCRIPTOR, UD_DESC_CONFIGURATION << 8, total)) {
		snprintf(err, errlen, "device '%s': GET_DESCRIPTOR(configuration, %u) failed: %s",
		         device, (unsigned)total, r->message);
		return -1;
	}
	record_interfaces(rec, d, r->len);
	return 0;
}

int ud_usbip_device_probe(struct ud_world *w, const char *device, const struct ud_sim_options *opt,
                          struct ud_usbip_device *rec, char *err, size_t errlen)
{
	struct ud_sim_result *r = malloc(sizeof(*r));
	int rc;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(rec, 0, sizeof(*rec));
	rc = attach(w, device, opt, r, err, errlen);
	if (rc == 0)
		rc = probe(w, device, r, rec, err, errlen);
	free(r);
	if (rc != 0)
		return rc;
	snprintf(rec->path, sizeof(rec->path), "/sys/devices/udsim/%s/usb1/1-1", device);
	snprintf(rec->busid, sizeof(rec->busid), "1-1");
	rec->busnum = 1;
	rec->devnum = UD_USBIP_DEV_ADDRESS;
	rec->speed = ud_bus_speed(w) == UD_SPEED_HIGH ? UD_USBIP_SPEED_HIGH : UD_USBIP_SPEED_FULL;
	return 0;
}
