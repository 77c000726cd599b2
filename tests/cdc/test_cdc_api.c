/* SPDX-License-Identifier: MIT */
/*
 * The application API of ud_cdc.h around the data path (test_cdc_data.c): configuration
 * checks, descriptors, two ports on one device, the two contexts, SOF polling and the lock
 * hooks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cdc_env.h"
#include "enumerate.h"

static struct cdc_env env;

/* ---------------------------------------------------------------- configuration */

static void test_init_checks(void **state)
{
	static struct ud_cdc c;
	static uint8_t rx[64], tx[1];
	struct ud_cdc_config ok = {.rx_buf = rx, .rx_size = 64, .tx_buf = tx, .tx_size = 1};
	struct ud_cdc_config bad;

	(void)state;
	assert_int_equal(ud_cdc_init(&c, &ok), 0);
	assert_int_equal(ud_cdc_init(NULL, &ok), UD_ERR_INVAL);
	assert_int_equal(ud_cdc_init(&c, NULL), UD_ERR_INVAL);
	bad = ok;
	bad.rx_buf = NULL;
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	bad = ok;
	bad.tx_buf = NULL;
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	bad = ok;
	bad.rx_size = 32; /* less than a packet: OUT could never be armed */
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	bad = ok;
	bad.tx_size = 0;
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	/* Ring sizes are powers of two (the index arithmetic is a mask). */
	static const uint32_t not_pow2[] = {3, 6, 100, 0x7fffffffu, 0x80000001u, 0xffffffffu};
	for (unsigned i = 0; i < sizeof(not_pow2) / sizeof(not_pow2[0]); i++) {
		bad = ok;
		bad.tx_size = not_pow2[i];
		assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
		bad = ok;
		bad.rx_size = not_pow2[i] < 64 ? not_pow2[i] + 64 : not_pow2[i];
		assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	}
	bad = ok;
	bad.context = 2;
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	bad = ok;
	bad.flags = 0x04;
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	bad = ok;
	bad.lock = cdc_env_lock; /* without unlock */
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	bad = ok;
	bad.unlock = cdc_env_unlock;
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	/* Overwrite from another context moves the other side's index: needs the lock. */
	bad = ok;
	bad.context = UD_CDC_CTX_OTHER;
	bad.flags = UD_CDC_TX_OVERWRITE;
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	bad.flags = UD_CDC_RX_OVERWRITE;
	assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	bad.lock = cdc_env_lock;
	bad.unlock = cdc_env_unlock;
	assert_int_equal(ud_cdc_init(&c, &bad), 0);
	/* An initial line coding must be one SET_LINE_CODING accepts (Windows writes it back). */
	static const struct ud_cdc_line_coding bad_lc[] = {{9600, 0, 0, 0},
	                                                   {9600, 3, 0, 8},
	                                                   {9600, 0, 5, 8},
	                                                   {9600, 0, 0, 9},
	                                                   {9600, 0, 0, 4}};
	for (unsigned i = 0; i < sizeof(bad_lc) / sizeof(bad_lc[0]); i++) {
		bad = ok;
		bad.line_coding = bad_lc[i];
		assert_int_equal(ud_cdc_init(&c, &bad), UD_ERR_INVAL);
	}
	bad = ok;
	bad.line_coding = (struct ud_cdc_line_coding){9600, 2, 4, 16};
	assert_int_equal(ud_cdc_init(&c, &bad), 0);
	bad.line_coding = (struct ud_cdc_line_coding){0, 9, 9, 0}; /* rate 0: the default */
	assert_int_equal(ud_cdc_init(&c, &bad), 0);
	/* The largest ring sizes are accepted (the indices run free, 2^32 is a multiple). */
	bad = ok;
	bad.tx_size = 0x80000000u;
	bad.rx_size = 0x80000000u;
	assert_int_equal(ud_cdc_init(&c, &bad), 0);
}

/* The API tolerates NULL and an unconfigured port. */
static void test_null_and_unconfigured(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t buf[8] = {0};

	(void)state;
	assert_int_equal(ud_cdc_read(NULL, buf, 8), 0);
	assert_int_equal(ud_cdc_read(&env.cdc, NULL, 8), 0);
	assert_int_equal(ud_cdc_write(NULL, buf, 8), 0);
	assert_int_equal(ud_cdc_write(&env.cdc, NULL, 8), 0);
	assert_int_equal(ud_cdc_available(NULL), 0);
	assert_int_equal(ud_cdc_write_room(NULL), 0);
	assert_int_equal(ud_cdc_rx_clear(NULL), 0);
	assert_int_equal(ud_cdc_tx_pending(NULL), 0);
	assert_int_equal(ud_cdc_flush(NULL), UD_ERR_INVAL);
	assert_false(ud_cdc_configured(NULL));
	assert_int_equal(ud_cdc_lines(NULL), 0);
	assert_int_equal(ud_cdc_line_coding(NULL).rate, 0);
	assert_int_equal(ud_cdc_stats(NULL).rx_bytes, 0);
	ud_cdc_poll(NULL);

	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	assert_false(ud_cdc_configured(&env.cdc));
	ud_cdc_poll(&env.cdc); /* nothing to do, nothing breaks */
	assert_int_equal(ud_cdc_write(&env.cdc, buf, 8), 8);
	assert_int_equal(ud_cdc_write_room(&env.cdc), 120);
	assert_int_equal(ud_cdc_read(&env.cdc, buf, 8), 0);
	assert_int_equal(ud_cdc_available(&env.cdc), 0);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DSR), 0);
}

/* The descriptors: IAD, communication interface with its functional descriptors and the
 * notification endpoint, data interface with bulk OUT and IN. */
static void test_descriptors(void **state)
{
	static const uint8_t want[] = {
		0x09, 0x02, 0x4b, 0x00, 0x02, 0x01, 0x00, 0x80, 0x32, /* configuration */
		0x08, 0x0b, 0x00, 0x02, 0x02, 0x02, 0x00, 0x00,       /* IAD: 2 interfaces, ACM */
		0x09, 0x04, 0x00, 0x00, 0x01, 0x02, 0x02, 0x00, 0x00, /* communication interface */
		0x05, 0x24, 0x00, 0x20, 0x01,                         /* header, CDC 1.20 */
		0x05, 0x24, 0x01, 0x00, 0x01,                         /* call management */
		0x04, 0x24, 0x02, 0x06,                               /* ACM: line, break */
		0x05, 0x24, 0x06, 0x00, 0x01,                         /* union 0 -> 1 */
		0x07, 0x05, 0x81, 0x03, 0x10, 0x00, 0x10,             /* notify EP1 IN, 16 ms */
		0x09, 0x04, 0x01, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x00, /* data interface */
		0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00,             /* bulk EP1 OUT */
		0x07, 0x05, 0x82, 0x02, 0x40, 0x00, 0x00,             /* bulk EP2 IN */
	};
	uint8_t got[255];

	(void)state;
	cdc_env_up_sizes(&env, 128, 128, 0);
	env.w.info.max_power_ma = 100;
	uint16_t len = cdc_env_config_desc(&env, got, sizeof(got));
	assert_int_equal(len, sizeof(want));
	got[8] = 0x32; /* bMaxPower depends on the env's device info, not on the class */
	assert_memory_equal(got, want, sizeof(want));

	/* The device uses IAD class codes (EF/02/01) because of the IAD. */
	uint8_t dev[18];
	assert_int_equal(cdc_env_control(&env, 0x80, UD_REQ_GET_DESCRIPTOR, 0x0100, 0, 18, NULL, 0,
	                                 dev, &len),
	                 UD_SIM_OK);
	assert_int_equal(dev[4], 0xef);
	assert_int_equal(dev[5], 0x02);
	assert_int_equal(dev[6], 0x01);
}

/* An interface string, if configured, names both the IAD and the communication interface. */
static void test_interface_string(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t got[255];

	(void)state;
	cfg.interface_name = "serial";
	cdc_env_up(&env, &cfg, 0);
	uint16_t len = cdc_env_config_desc(&env, got, sizeof(got));
	assert_int_equal(len, 75);
	assert_int_not_equal(got[9 + 7], 0);          /* iFunction */
	assert_int_equal(got[9 + 8 + 8], got[9 + 7]); /* iInterface */
}

/* Binding fails cleanly when the port can run high speed but the class was built for 64-byte
 * packets, or the receive ring cannot hold a 512-byte packet. */
static void test_bind_high_speed(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 4096, 128);

	(void)state;
	int rc = cdc_env_start(&env, &cfg, UD_SPEED_FULL | UD_SPEED_HIGH);
#if UD_CDC_MAX_PACKET < 512
	assert_int_equal(rc, UD_ERR_NOSPACE);
#else
	assert_int_equal(rc, 0);
	cfg = cdc_env_config(&env, 256, 128);
	assert_int_equal(cdc_env_start(&env, &cfg, UD_SPEED_FULL | UD_SPEED_HIGH), UD_ERR_NOSPACE);
#endif
	cfg = cdc_env_config(&env, 64, 128);
	assert_int_equal(cdc_env_start(&env, &cfg, UD_SPEED_FULL), 0);
}

/* ---------------------------------------------------------------- contexts and locks */

/* In UD_CDC_CTX_OTHER mode the application's calls never touch the core: they wake the USB
 * thread, whose ud_cdc_poll() does the work. */
static void test_other_context_defers(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[128], got[128];

	(void)state;
	cfg.context = UD_CDC_CTX_OTHER;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 11);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data + 64, 64), UD_SIM_ACK);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_NAK);
	unsigned wakes = env.wakes;
	assert_int_equal(ud_cdc_read(&env.cdc, got, 128), 128);
	assert_int_equal(env.wakes, wakes + 1);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_NAK); /* not armed by the reader */
	ud_cdc_poll(&env.cdc);
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);

	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	assert_int_equal(env.wakes, wakes + 2);
	cdc_env_expect_in_nak(&env); /* not started by the writer */
	ud_cdc_poll(&env.cdc);
	uint8_t buf[64];
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_int_equal(ud_cdc_flush(&env.cdc), 0);
	assert_int_equal(ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD), 0);
	assert_int_equal(env.wakes, wakes + 4);
	cdc_env_expect_in_nak(&env);
	assert_int_equal(cdc_env_in(&env, CDC_EP_NOTIFY, NULL, NULL), UD_SIM_NAK);
	ud_cdc_poll(&env.cdc);
	assert_int_equal(cdc_env_in_packet(&env, buf), 0); /* the flush's ZLP */
	uint16_t len;
	assert_int_equal(cdc_env_in(&env, CDC_EP_NOTIFY, buf, &len), UD_SIM_ACK);
	assert_int_equal(len, 10);
	/* A read or write that moves nothing wakes nobody. */
	wakes = env.wakes;
	assert_int_equal(ud_cdc_read(&env.cdc, got, 128), 64);
	assert_int_equal(ud_cdc_read(&env.cdc, got, 128), 0);
	assert_int_equal(env.wakes, wakes + 1);
}

/* A SOF makes the class poll by itself. */
static void test_sof_polls(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	static struct ud_sim_result r;
	uint8_t data[64], buf[64];

	(void)state;
	cfg.context = UD_CDC_CTX_OTHER;
	cfg.wake = NULL;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 12);
	assert_int_equal(ud_cdc_write(&env.cdc, data, 64), 64);
	cdc_env_expect_in_nak(&env);
	ud_host_sof(&env.w, -1, &r);
	assert_int_equal(cdc_env_in_packet(&env, buf), 64);
	assert_memory_equal(buf, data, 64);
}

/* With lock hooks every application call runs under the lock, never nested. */
static void test_lock_hooks(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 128, 128);
	uint8_t data[64];

	(void)state;
	cfg.lock = cdc_env_lock;
	cfg.unlock = cdc_env_unlock;
	cfg.context = UD_CDC_CTX_OTHER;
	cfg.flags = UD_CDC_RX_OVERWRITE | UD_CDC_TX_OVERWRITE;
	cdc_env_up(&env, &cfg, 0);
	cdc_pattern(data, sizeof(data), 29u, 13);
	unsigned locks = env.locks;
	(void)ud_cdc_write(&env.cdc, data, 64);
	(void)ud_cdc_write_room(&env.cdc);
	(void)ud_cdc_flush(&env.cdc);
	(void)ud_cdc_serial_state(&env.cdc, 0);
	(void)ud_cdc_read(&env.cdc, data, 64);
	(void)ud_cdc_available(&env.cdc);
	(void)ud_cdc_rx_clear(&env.cdc);
	assert_int_equal(env.locks, locks + 7);
	ud_cdc_poll(&env.cdc); /* overwrite mode: the task side copies a packet under the lock */
	assert_int_equal(cdc_env_out(&env, data, 64), UD_SIM_ACK);
	assert_true(env.locks > locks + 7);
	assert_int_equal(env.locks, env.unlocks);
	assert_int_equal(env.lock_depth_max, 1);
}

/* Two ports on one device (the IAD lets CDC compose): each has its own interfaces, endpoints,
 * requests and data. A third and fourth do not fit the controller's endpoints: binding fails
 * cleanly. An invalid interface string fails the bind too. */
static void test_two_ports(void **state)
{
	static struct ud_world w;
	static struct ud_cdc port[4];
	static struct ud_cdc_config
		cfg[4]; /* the ports point to them: they must outlive the loop */
	static uint8_t rings[4][2][128];
	static struct ud_sim_result r;
	struct ud_enum_log log;
	uint8_t buf[64];

	(void)state;
	memset(&w, 0, sizeof(w));
	ud_vdc_init(&w.vdc, NULL);
	ud_host_init(&w.host, UD_SPEED_FULL);
	w.info.vid = 0x1209;
	w.info.pid = 0x0003;
	w.info.ep0_max_packet = 64;
	assert_int_equal(ud_device_init(&w.dev, &w.vdc.port, &w.info), 0);
	for (unsigned i = 0; i < 4; i++) {
		cfg[i] = (struct ud_cdc_config){.rx_buf = rings[i][0],
		                                .rx_size = 128,
		                                .tx_buf = rings[i][1],
		                                .tx_size = 128};
		assert_int_equal(ud_cdc_init(&port[i], &cfg[i]), 0);
	}
	assert_int_equal(ud_device_add_function(&w.dev, &port[0].fn), 0);
	assert_int_equal(ud_device_add_function(&w.dev, &port[1].fn), 0);
	assert_int_equal(ud_device_add_function(&w.dev, &port[2].fn), 0);
	/* 7 IN endpoints: the fourth port's notification and data IN do not fit. */
	assert_int_equal(ud_device_add_function(&w.dev, &port[3].fn), UD_ERR_NOSPACE);
	assert_int_equal(ud_device_start(&w.dev), UD_ERR_STATE); /* partial descriptors */

	/* Again with two ports only. */
	memset(&w, 0, sizeof(w));
	ud_vdc_init(&w.vdc, NULL);
	ud_host_init(&w.host, UD_SPEED_FULL);
	w.info.vid = 0x1209;
	w.info.pid = 0x0003;
	w.info.ep0_max_packet = 64;
	assert_int_equal(ud_device_init(&w.dev, &w.vdc.port, &w.info), 0);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(ud_cdc_init(&port[i], &cfg[i]), 0);
		assert_int_equal(ud_device_add_function(&w.dev, &port[i].fn), 0);
	}
	assert_int_equal(ud_device_start(&w.dev), 0);
	ud_enumerate(&w, UD_OS_WINDOWS, &r, &log);
	assert_int_equal(r.status, UD_SIM_OK);
	/* Each port's first SERIAL_STATE (levels 0) names its own communication interface. */
	for (unsigned i = 0; i < 2; i++) {
		ud_host_in_packet(&w, i ? 3 : 1, &r);
		assert_int_equal(r.status, UD_SIM_ACK);
		assert_int_equal(r.len, 10);
		assert_int_equal(r.data[4], i ? 2 : 0);
		assert_int_equal(r.data[8], 0);
	}
	/* Port 1: interfaces 2 and 3, notification EP3 IN, data EP2 OUT / EP4 IN; every byte
	 * naming one of its interfaces says so (IAD, interfaces, call management, union). */
	struct ud_setup get = {0x80, UD_REQ_GET_DESCRIPTOR, 0x0200, 0, 255};
	ud_host_control(&w, &get, NULL, 0, &r);
	assert_int_equal(r.status, UD_SIM_OK);
	assert_int_equal(r.len, 9 + 2 * 66);
	const uint8_t *p1 = &r.data[9 + 66];
	static const uint8_t at[] = {2, 10, 26, 34, 35, 45, 38, 54, 61};
	static const uint8_t want[] = {2, 2, 3, 2, 3, 3, 0x83, 0x02, 0x84};
	for (unsigned i = 0; i < sizeof(at); i++)
		assert_int_equal(p1[at[i]], want[i]);
	struct ud_setup s = {0x21, UD_CDC_REQ_SET_CONTROL_LINE_STATE, 1, 2, 0};
	ud_host_control(&w, &s, NULL, 0, &r);
	assert_int_equal(r.status, UD_SIM_OK);
	assert_int_equal(ud_cdc_lines(&port[0]), 0);
	assert_int_equal(ud_cdc_lines(&port[1]), 1);
	ud_host_out_packet(&w, 2, (const uint8_t *)"two", 3, &r);
	assert_int_equal(r.status, UD_SIM_ACK);
	ud_host_out_packet(&w, 1, (const uint8_t *)"one", 3, &r);
	assert_int_equal(r.status, UD_SIM_ACK);
	assert_int_equal(ud_cdc_read(&port[1], buf, 64), 3);
	assert_memory_equal(buf, "two", 3);
	assert_int_equal(ud_cdc_read(&port[0], buf, 64), 3);
	assert_memory_equal(buf, "one", 3);
	assert_int_equal(ud_cdc_write(&port[1], "2", 1), 1);
	assert_int_equal(ud_cdc_flush(&port[1]), 0);
	ud_host_in_packet(&w, 4, &r);
	assert_int_equal(r.status, UD_SIM_ACK);
	assert_int_equal(r.len, 1);
	ud_host_in_packet(&w, 2, &r);
	assert_int_equal(r.status, UD_SIM_NAK); /* port 0 has nothing to say */
	/* Port 1's SERIAL_STATE names port 1's communication interface (2) in wIndex, on port
	 * 1's notification endpoint (EP3 IN); port 0's (EP1 IN) stays quiet. */
	assert_int_equal(ud_cdc_serial_state(&port[1], UD_CDC_SERIAL_DCD), 0);
	ud_host_in_packet(&w, 3, &r);
	assert_int_equal(r.status, UD_SIM_ACK);
	static const uint8_t notification[10] = {0xa1, UD_CDC_NOTIFY_SERIAL_STATE, 0, 0, 2, 0, 2,
	                                         0,    UD_CDC_SERIAL_DCD,          0};
	assert_int_equal(r.len, sizeof(notification));
	assert_memory_equal(r.data, notification, sizeof(notification));
	ud_host_in_packet(&w, 1, &r);
	assert_int_equal(r.status, UD_SIM_NAK);

	/* An interface string that is not UTF-8. */
	memset(&w, 0, sizeof(w));
	ud_vdc_init(&w.vdc, NULL);
	w.info.ep0_max_packet = 64;
	assert_int_equal(ud_device_init(&w.dev, &w.vdc.port, &w.info), 0);
	cfg[0].interface_name = "\xff\xfe";
	assert_int_equal(ud_cdc_init(&port[0], &cfg[0]), 0);
	assert_int_equal(ud_device_add_function(&w.dev, &port[0].fn), UD_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_checks),
		cmocka_unit_test(test_null_and_unconfigured),
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_interface_string),
		cmocka_unit_test(test_bind_high_speed),
		cmocka_unit_test(test_other_context_defers),
		cmocka_unit_test(test_sof_polls),
		cmocka_unit_test(test_lock_hooks),
		cmocka_unit_test(test_two_ports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
