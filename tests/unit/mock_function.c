/* SPDX-License-Identifier: MIT */
/* The mock function and the completion recorder of mock_port.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_port.h"

/* ---- the completion recorder ---- */

void mock_req_init(struct ud_req *r, unsigned id, uint8_t *buf, uint32_t len)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->length = len;
	r->complete = mock_req_complete;
	r->context = (void *)(uintptr_t)id;
}

void mock_req_complete(struct ud_device *dev, struct ud_req *req)
{
	assert_ptr_equal(dev, &mdev);
	if (mock.in_call)
		fail_msg("completion ran inside ud_ep_submit/cancel/flush");
	assert_true(mock_ndone < MOCK_MAX_DONE);
	mock_done[mock_ndone].req = req;
	mock_done[mock_ndone].status = req->status;
	mock_done[mock_ndone].actual = req->actual;
	mock_ndone++;
	mock_logf("done %u %d", (unsigned)(uintptr_t)req->context, req->status);
}

int mock_submit(uint8_t ep, struct ud_req *r)
{
	mock.in_call = true;
	int rc = ud_ep_submit(&mdev, ep, r);
	mock.in_call = false;
	return rc;
}

int mock_cancel(uint8_t ep, struct ud_req *r)
{
	mock.in_call = true;
	int rc = ud_ep_cancel(&mdev, ep, r);
	mock.in_call = false;
	return rc;
}

int mock_flush(uint8_t ep)
{
	mock.in_call = true;
	int rc = ud_ep_flush(&mdev, ep);
	mock.in_call = false;
	return rc;
}

unsigned mock_times_done(const struct ud_req *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < mock_ndone; i++)
		n += mock_done[i].req == r;
	return n;
}

/* ---- the mock function ---- */

static struct mock_fn *mf(struct ud_function *fn)
{
	return (struct mock_fn *)(void *)((char *)fn - offsetof(struct mock_fn, fn));
}

static int fn_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct mock_fn *m = mf(fn);
	return m->bind ? m->bind(m, dev) : 0;
}

static void fn_enable(struct ud_function *fn)
{
	mf(fn)->enables++;
	mock_logf("%c:enable", mf(fn)->tag);
}

static void fn_disable(struct ud_function *fn)
{
	mf(fn)->disables++;
	mock_logf("%c:disable", mf(fn)->tag);
}

static void fn_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	struct mock_fn *m = mf(fn);
	m->set_alts++;
	m->alt_intf = intf;
	m->alt = alt;
	mock_logf("%c:alt %u %u", m->tag, intf, alt);
}

static int fn_control(struct ud_function *fn, const struct ud_setup *s)
{
	struct mock_fn *m = mf(fn);
	m->controls++;
	m->setup = *s;
	mock_logf("%c:control %02x %02x", m->tag, s->bmRequestType, s->bRequest);
	return m->control ? m->control(m, s) : UD_ERR_NOTSUP;
}

static void fn_halt_cleared(struct ud_function *fn, uint8_t ep)
{
	struct mock_fn *m = mf(fn);
	m->halts_cleared++;
	m->halt_ep = ep;
	mock_logf("%c:halt-cleared %02x", m->tag, ep);
}

static void fn_reset(struct ud_function *fn)
{
	mf(fn)->resets++;
	mock_logf("%c:reset", mf(fn)->tag);
}

static void fn_suspend(struct ud_function *fn, bool suspended)
{
	struct mock_fn *m = mf(fn);
	m->suspends++;
	m->suspended = suspended;
	mock_logf("%c:suspend %d", m->tag, suspended);
}

static void fn_sof(struct ud_function *fn, uint16_t frame)
{
	struct mock_fn *m = mf(fn);
	m->sofs++;
	m->frame = frame;
}

void mock_fn_init(struct mock_fn *m, char tag, mock_bind_fn bind)
{
	memset(m, 0, sizeof(*m));
	m->tag = tag;
	m->bind = bind;
	m->ops = (struct ud_function_ops){
		.bind = fn_bind,
		.enable = fn_enable,
		.disable = fn_disable,
		.set_alt = fn_set_alt,
		.control = fn_control,
		.halt_cleared = fn_halt_cleared,
		.reset = fn_reset,
		.suspend = fn_suspend,
		.sof = fn_sof,
	};
	m->fn.ops = &m->ops;
	m->fn.name = "mock";
	for (unsigned i = 0; i < 4; i++)
		m->intf[i] = m->ep_in[i] = m->ep_out[i] = -1;
}

#define TRY(x)                                                                                     \
	do {                                                                                       \
		int rc_ = (x);                                                                     \
		if (rc_ < 0)                                                                       \
			return rc_;                                                                \
	} while (0)

int mock_bind_bulk(struct mock_fn *m, struct ud_device *dev)
{
	TRY(ud_desc_function_begin(dev, 0xff, 0, 0, 0));
	TRY(m->intf[0] = ud_desc_alloc_interface(dev));
	TRY(m->ep_out[0] = ud_desc_alloc_endpoint(dev, false));
	for (unsigned i = 0; i < 3; i++)
		TRY(m->ep_in[i] = ud_desc_alloc_endpoint(dev, true));
	uint8_t intf = (uint8_t)m->intf[0], out = (uint8_t)m->ep_out[0];
	TRY(ud_desc_add_interface(dev, intf, 0, 2, 0xff, 0, 0, 0));
	TRY(ud_desc_add_endpoint(dev, out, UD_EP_BULK, 64, 512, 0, 0));
	TRY(ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[0], UD_EP_BULK, 64, 512, 0, 0));
	TRY(ud_desc_add_interface(dev, intf, 1, 4, 0xff, 0, 0, 0));
	TRY(ud_desc_add_endpoint(dev, out, UD_EP_BULK, 64, 512, 0, 0));
	TRY(ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[0], UD_EP_BULK, 64, 512, 0, 0));
	TRY(ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[1], UD_EP_INTERRUPT, 16, 64, 10, 4));
	TRY(ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[2], UD_EP_ISOCHRONOUS, 64, 512, 1, 1));
	return ud_desc_function_end(dev);
}

int mock_bind_pair(struct mock_fn *m, struct ud_device *dev)
{
	TRY(ud_desc_function_begin(dev, 0x02, 0x02, 0x01, 0));
	TRY(m->intf[0] = ud_desc_alloc_interface(dev));
	TRY(m->intf[1] = ud_desc_alloc_interface(dev));
	TRY(m->ep_in[0] = ud_desc_alloc_endpoint(dev, true));
	TRY(m->ep_out[0] = ud_desc_alloc_endpoint(dev, false));
	TRY(m->ep_in[1] = ud_desc_alloc_endpoint(dev, true));
	TRY(ud_desc_add_interface(dev, (uint8_t)m->intf[0], 0, 1, 0x02, 0x02, 0x01, 0));
	TRY(ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[0], UD_EP_INTERRUPT, 8, 16, 16, 8));
	TRY(ud_desc_add_interface(dev, (uint8_t)m->intf[1], 0, 2, 0x0a, 0, 0, 0));
	TRY(ud_desc_add_endpoint(dev, (uint8_t)m->ep_out[0], UD_EP_BULK, 64, 512, 0, 0));
	TRY(ud_desc_add_endpoint(dev, (uint8_t)m->ep_in[1], UD_EP_BULK, 64, 512, 0, 0));
	return ud_desc_function_end(dev);
}

void mock_device_up(struct mock_fn *first, ...)
{
	va_list ap;

	assert_int_equal(ud_device_init(&mdev, mock_port(), &mock_info), 0);
	va_start(ap, first);
	for (struct mock_fn *m = first; m; m = va_arg(ap, struct mock_fn *))
		assert_int_equal(ud_device_add_function(&mdev, &m->fn), 0);
	va_end(ap);
	assert_int_equal(ud_device_start(&mdev), 0);
}
