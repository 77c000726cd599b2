/* SPDX-License-Identifier: MIT */
/* `minimal`: the device of the foundation tests. See dev_minimal.h. */
#include "dev_minimal.h"

#include <stddef.h>

#include "world.h"

static struct ud_minimal *to_minimal(struct ud_function *fn)
{
	return (struct ud_minimal *)(void *)((char *)fn - offsetof(struct ud_minimal, fn));
}

static int minimal_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct ud_minimal *m = to_minimal(fn);
	int intf, in, out, istr, rc;

	istr = ud_desc_add_string(dev, UD_MINIMAL_INTF_STRING);
	if (istr < 0)
		return istr;
	rc = ud_desc_function_begin(dev, 0xff, 0, 0, (uint8_t)istr);
	if (rc < 0)
		return rc;
	intf = ud_desc_alloc_interface(dev);
	if (intf < 0)
		return intf;
	in = ud_desc_alloc_endpoint(dev, true);
	if (in < 0)
		return in;
	out = ud_desc_alloc_endpoint(dev, false);
	if (out < 0)
		return out;
	m->intf = (uint8_t)intf;
	m->ep_in = (uint8_t)in;
	m->ep_out = (uint8_t)out;

	rc = ud_desc_add_interface(dev, m->intf, 0, 0, 0xff, 0, 0, (uint8_t)istr);
	if (rc == 0)
		rc = ud_desc_add_interface(dev, m->intf, 1, 2, 0xff, 0, 0, (uint8_t)istr);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, m->ep_in, UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, m->ep_out, UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_function_end(dev);
	return rc;
}

static void minimal_enable(struct ud_function *fn)
{
	struct ud_minimal *m = to_minimal(fn);

	m->enables++;
	m->alt = 0;
}

static void minimal_disable(struct ud_function *fn)
{
	to_minimal(fn)->disables++;
}

static void minimal_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	struct ud_minimal *m = to_minimal(fn);

	(void)intf;
	m->set_alts++;
	m->alt = alt;
}

/* No requests of its own: everything it is offered is stalled by the core. */
static int minimal_control(struct ud_function *fn, const struct ud_setup *setup)
{
	(void)setup;
	to_minimal(fn)->controls++;
	return UD_ERR_NOTSUP;
}

static void minimal_halt_cleared(struct ud_function *fn, uint8_t ep)
{
	(void)ep;
	to_minimal(fn)->halts_cleared++;
}

static void minimal_reset(struct ud_function *fn)
{
	to_minimal(fn)->resets++;
}

static void minimal_suspend(struct ud_function *fn, bool suspended)
{
	(void)suspended;
	to_minimal(fn)->suspends++;
}

static void minimal_sof(struct ud_function *fn, uint16_t frame)
{
	(void)frame;
	to_minimal(fn)->sofs++;
}

static const struct ud_function_ops minimal_ops = {
	.bind = minimal_bind,
	.enable = minimal_enable,
	.disable = minimal_disable,
	.set_alt = minimal_set_alt,
	.control = minimal_control,
	.halt_cleared = minimal_halt_cleared,
	.reset = minimal_reset,
	.suspend = minimal_suspend,
	.sof = minimal_sof,
};

int ud_minimal_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	struct ud_minimal *m = &w->app.minimal;
	int rc;

	const struct ud_sim_identity id = {0x1209, 0x0001, "udcore minimal", "0001"};

	rc = ud_world_device_init(w, opt, &id);
	if (rc < 0)
		return rc;
	m->fn.ops = &minimal_ops;
	m->fn.name = "minimal";
	return ud_device_add_function(&w->dev, &m->fn);
}
