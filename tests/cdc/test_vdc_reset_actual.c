/* SPDX-License-Identifier: MIT */
/*
 * Regression (found while writing class/cdc): the bytes a multi-packet transfer moved before a
 * bus reset must still be reported. The vdc used to clear an endpoint's state on the reset, so
 * when the core then closed the endpoint, ep_abort() returned 0 and the request completed
 * UD_ERR_SHUTDOWN with actual 0 although the host had ACKed a packet: for IN a class resending
 * the rest would send that packet twice; for OUT the bytes were in the buffer but the class was
 * told nothing arrived.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "enumerate.h"
#include "world.h"

static struct ud_world w;
static struct ud_function fn;
static struct ud_req req_in, req_out;
static uint8_t buf_in[128], buf_out[128];
static uint8_t ep_in, ep_out;

static void done(struct ud_device *dev, struct ud_req *req)
{
	(void)dev;
	(void)req;
}

static int bind(struct ud_function *f, struct ud_device *dev)
{
	(void)f;
	int rc = ud_desc_function_begin(dev, 0xff, 0, 0, 0);
	int intf = ud_desc_alloc_interface(dev);
	ep_in = (uint8_t)ud_desc_alloc_endpoint(dev, true);
	ep_out = (uint8_t)ud_desc_alloc_endpoint(dev, false);
	if (rc == 0)
		rc = ud_desc_add_interface(dev, (uint8_t)intf, 0, 2, 0xff, 0, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, ep_in, UD_EP_BULK, 64, 512, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, ep_out, UD_EP_BULK, 64, 512, 0, 0);
	return rc == 0 ? ud_desc_function_end(dev) : rc;
}

static void enable(struct ud_function *f)
{
	req_in.buf = buf_in;
	req_in.length = sizeof(buf_in);
	req_in.complete = done;
	req_out.buf = buf_out;
	req_out.length = sizeof(buf_out);
	req_out.complete = done;
	assert_int_equal(ud_ep_submit(f->dev, ep_in, &req_in), 0);
	assert_int_equal(ud_ep_submit(f->dev, ep_out, &req_out), 0);
}

static const struct ud_function_ops ops = {.bind = bind, .enable = enable};

static void test_reset_reports_bytes_moved(void **state)
{
	static struct ud_sim_result r;
	struct ud_enum_log log;
	uint8_t pkt[64] = {1, 2, 3};
	uint16_t len;
	uint8_t pid;

	(void)state;
	ud_vdc_init(&w.vdc, NULL);
	ud_host_init(&w.host, UD_SPEED_FULL);
	w.info.ep0_max_packet = 64;
	assert_int_equal(ud_device_init(&w.dev, &w.vdc.port, &w.info), 0);
	fn.ops = &ops;
	assert_int_equal(ud_device_add_function(&w.dev, &fn), 0);
	assert_int_equal(ud_device_start(&w.dev), 0);
	ud_enumerate(&w, UD_OS_LINUX, &r, &log);
	assert_int_equal(r.status, UD_SIM_OK);

	/* The host takes one IN packet and sends one OUT packet of the 128-byte transfers. */
	assert_int_equal(ud_vdc_in(&w.vdc, w.host.addr, ep_in & 0x0f, pkt, 64, &len, &pid),
	                 UD_VDC_ACK);
	assert_int_equal(len, 64);
	assert_int_equal(ud_vdc_out(&w.vdc, w.host.addr, ep_out, pkt, 64, 0), UD_VDC_ACK);
	ud_host_reset(&w, &r);

	assert_int_equal(req_in.status, UD_ERR_SHUTDOWN);
	assert_int_equal(req_out.status, UD_ERR_SHUTDOWN);
	assert_int_equal(req_in.actual, 64);  /* got 0 */
	assert_int_equal(req_out.actual, 64); /* got 0 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_reports_bytes_moved),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
