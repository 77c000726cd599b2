/* SPDX-License-Identifier: MIT */
/* Helpers for the bulk class tests. See bulk_world.h. */
#include "bulk_world.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

struct ud_world bw;
struct ud_sim_result bw_r;

void bw_registered(const char *name, enum ud_speed speed, uint8_t ep0)
{
	struct ud_sim_options opt;
	char err[160];

	ud_sim_options_default(&opt);
	opt.speed = (uint8_t)speed;
	opt.ep0 = ep0;
	assert_int_equal(ud_world_init(&bw, name, &opt, err, sizeof(err)), 0);
}

/* The same controller as udsim builds (sim/world.c) for --speed @p speed. */
void bw_custom(enum ud_speed speed, int (*add)(struct ud_device *dev))
{
	struct ud_vdc_config cfg = {
		.ep_count = UD_MAX_EP_NUM,
		.speeds = speed == UD_SPEED_HIGH ? (UD_SPEED_FULL | UD_SPEED_HIGH) : UD_SPEED_FULL,
		.ep0_max_packet = 64,
	};

	memset(&bw, 0, sizeof(bw));
	ud_sim_options_default(&bw.opt);
	bw.opt.speed = (uint8_t)speed;
	ud_vdc_init(&bw.vdc, &cfg);
	ud_host_init(&bw.host, speed);
	bw.info.vid = 0x1209;
	bw.info.pid = 0x0003;
	bw.info.ep0_max_packet = 64;
	bw.info.max_power_ma = 100;
	bw.info.manufacturer = "udcore";
	bw.info.product = "bulk test";
	assert_int_equal(ud_device_init(&bw.dev, &bw.vdc.port, &bw.info), 0);
	assert_int_equal(add(&bw.dev), 0);
	assert_int_equal(ud_device_start(&bw.dev), 0);
}

void bw_attach(enum ud_host_os os)
{
	static struct ud_enum_log log;

	memset(&log, 0, sizeof(log));
	ud_enumerate(&bw, os, &bw_r, &log);
	if (bw_r.status != UD_SIM_OK)
		fail_msg("enumeration failed: %s (%s)", bw_r.message, log.steps);
	assert_int_equal(ud_device_state(&bw.dev), UD_STATE_CONFIGURED);
}

enum ud_sim_status bw_control(uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi, uint16_t wl,
                              const uint8_t *out, uint16_t out_len)
{
	struct ud_setup s = {bm, br, wv, wi, wl};

	ud_host_control(&bw, &s, out, out_len, &bw_r);
	return (enum ud_sim_status)bw_r.status;
}

void bw_control_ok(uint8_t bm, uint8_t br, uint16_t wv, uint16_t wi, uint16_t wl,
                   const uint8_t *out, uint16_t out_len)
{
	if (bw_control(bm, br, wv, wi, wl, out, out_len) != UD_SIM_OK)
		fail_msg("control %02x %02x %04x %04x %04x: %s %s", bm, br, wv, wi, wl,
		         ud_sim_status_name((enum ud_sim_status)bw_r.status), bw_r.message);
}

uint16_t bw_ep_status(uint8_t ep)
{
	bw_control_ok(0x82, UD_REQ_GET_STATUS, 0, ep, 2, NULL, 0);
	assert_int_equal(bw_r.len, 2);
	return (uint16_t)(bw_r.data[0] | (bw_r.data[1] << 8));
}

void bw_set_halt(uint8_t ep)
{
	bw_control_ok(0x02, UD_REQ_SET_FEATURE, UD_FEATURE_ENDPOINT_HALT, ep, 0, NULL, 0);
}

void bw_clear_halt(uint8_t ep)
{
	bw_control_ok(0x02, UD_REQ_CLEAR_FEATURE, UD_FEATURE_ENDPOINT_HALT, ep, 0, NULL, 0);
}

void bw_set_interface0(uint8_t intf)
{
	bw_control_ok(0x01, UD_REQ_SET_INTERFACE, 0, intf, 0, NULL, 0);
}

enum ud_sim_status bw_write(uint8_t epnum, const uint8_t *data, uint16_t len, bool zlp)
{
	ud_host_write(&bw, epnum, data, len, zlp, &bw_r);
	return (enum ud_sim_status)bw_r.status;
}

enum ud_sim_status bw_read(uint8_t epnum, uint16_t maxlen)
{
	ud_host_read(&bw, epnum, maxlen, &bw_r);
	return (enum ud_sim_status)bw_r.status;
}

enum ud_sim_status bw_in(uint8_t epnum)
{
	ud_host_in_packet(&bw, epnum, &bw_r);
	return (enum ud_sim_status)bw_r.status;
}

enum ud_sim_status bw_out(uint8_t epnum, const uint8_t *data, uint16_t len)
{
	ud_host_out_packet(&bw, epnum, data, len, &bw_r);
	return (enum ud_sim_status)bw_r.status;
}

uint16_t bw_mps(void)
{
	return bw.host.speed == UD_SPEED_HIGH ? 512u : 64u;
}

void bw_fill(uint8_t *buf, uint32_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1u;

	for (uint32_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
}

void bw_pump_manual(void)
{
	for (unsigned round = 0; round < UD_HOST_PUMP_ROUNDS; round++) {
		bool work = ud_vdc_irq_deliver_all(&bw.vdc) > 0;
		work |= ud_task(&bw.dev);
		if (!work)
			return;
	}
	fail_msg("the device did not settle");
}

void bw_assert_clean(void)
{
	assert_int_equal(bw.dev.port_errors, 0);
	assert_int_equal(bw.vdc.stats.xfer_while_busy, 0);
	assert_int_equal(bw.vdc.stats.xfer_on_closed, 0);
	assert_int_equal(bw.vdc.stats.xfer_on_stalled, 0);
	assert_int_equal(bw.vdc.stats.irq_overflow, 0);
}
