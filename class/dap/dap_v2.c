/* SPDX-License-Identifier: MIT */
/*
 * CMSIS-DAP v2: a vendor interface with a bulk OUT (commands) and a bulk IN (responses)
 * endpoint, in that order as the CMSIS-DAP v2 description asks, and a Microsoft OS 2.0
 * section so Windows binds WinUSB without an INF. The function callbacks only steer the queue.
 */
#include <stddef.h>

#include "dap_probe.h"
#include "dap_queue.h"

static struct ud_dap *to_dap(struct ud_function *fn)
{
	return (struct ud_dap *)(void *)((char *)fn - offsetof(struct ud_dap, t.fn));
}

/* One vendor interface (named by the interface string, as CMSIS-DAP v2 hosts look for
 * "CMSIS-DAP" in it), bulk OUT then IN; ud_desc_add_function() fills in the numbers. */
/* clang-format off */
static const uint8_t v2_desc[] = {
	9, UD_DESC_INTERFACE, 0, 0, 2, 0xff, 0, 0, 1,
	7, UD_DESC_ENDPOINT, 0x01, UD_EP_BULK, 64, 0, 0,
	7, UD_DESC_ENDPOINT, 0x82, UD_EP_BULK, 64, 0, 0,
};
/* clang-format on */
static const struct ud_desc_template v2_template = {v2_desc, NULL, sizeof(v2_desc), 0};

static int v2_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct ud_dap *dap = to_dap(fn);
	uint8_t ep[2]; /* OUT, IN */
	int istr, rc;

	if ((istr = ud_desc_add_string(dev, dap->interface_string)) < 0)
		return istr;
	rc = ud_desc_add_function(dev, &v2_template, (uint8_t)istr, ep);
	if (rc == 0)
		rc = ud_desc_msos2_winusb(dev, fn->first_interface, UD_DAP_V2_GUID);
	if (rc == 0) {
		dap->intf = fn->first_interface;
		dap->q.ep_out = ep[0];
		dap->q.ep_in = ep[1];
	}
	return rc;
}

static void v2_enable(struct ud_function *fn)
{
	struct ud_dap *dap = to_dap(fn);

	ud_dapq_enable(&dap->q, dap->q.ep_in, dap->q.ep_out);
}

static void v2_disable(struct ud_function *fn)
{
	ud_dapq_disable(&to_dap(fn)->q);
}

/* SET_INTERFACE closed and reopened the endpoints: a fresh start, as on enable. */
static void v2_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	(void)intf;
	(void)alt;
	v2_enable(fn);
}

static void v2_halt_cleared(struct ud_function *fn, uint8_t ep)
{
	(void)ep;
	ud_dapq_halt_cleared(&to_dap(fn)->q);
}

/* ud_dap_process() produced a response in another context: send it from here. */
static void v2_poll(struct ud_function *fn)
{
	ud_dapq_pump(&to_dap(fn)->q);
}

static const struct ud_function_ops v2_ops = {
	.bind = v2_bind,
	.enable = v2_enable,
	.disable = v2_disable,
	.set_alt = v2_set_alt,
	.halt_cleared = v2_halt_cleared,
	.poll = v2_poll,
};

int ud_dap_v2_add(struct ud_device *dev, struct ud_dap *dap, const struct ud_dap_config *cfg)
{
	int rc = ud_dap_prepare(dap, dev, cfg, 2);

	if (rc)
		return rc;
	dap->t.fn.ops = &v2_ops;
	dap->t.fn.name = "dap-v2";
	return ud_device_add_function(dev, &dap->t.fn);
}
