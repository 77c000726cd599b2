/* SPDX-License-Identifier: MIT */
/*
 * Clients that break the USB/IP protocol: each loses its connection, with one log line that
 * says why, and the server goes on serving (a DEVLIST and an import work afterwards, and the
 * device is released for the next importer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "usbip_client.h"
#include "usbip_urb.h"

static int start(void **state)
{
	(void)state;
	uc_server_start("minimal", UD_SPEED_FULL, 0);
	return 0;
}

/* A server that gives a client 300 ms for its operation request: the timeout's own test. */
static int start_impatient(void **state)
{
	(void)state;
	uc_server_start_timeout("minimal", UD_SPEED_FULL, 0, 300);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	uc_server_stop();
	return 0;
}

/* The server still answers a DEVLIST and lets a client import the device. */
static void still_serving(void)
{
	uint8_t req[UD_USBIP_OP_LEN], rep[UD_USBIP_OP_LEN + 4];
	int fd = uc_connect();

	ud_usbip_build_op(req, UD_USBIP_OP_REQ_DEVLIST, 0);
	uc_send(fd, req, sizeof(req));
	assert_true(uc_recv(fd, rep, sizeof(rep)));
	assert_true(uc_closed(fd));
	close(fd);
	fd = uc_import("1-1", NULL, NULL);
	assert_true(fd >= 0);
	close(fd);
	uc_pump(5);
	assert_false(ud_usbip_server_busy(uc_server()));
}

/* Send @p n bytes on a fresh connection (imported first if @p imported); the server must close
 * it with a log line containing @p why, and count a bad client. */
static void expect_closed(bool imported, const void *bytes, size_t n, const char *why)
{
	uint32_t before = ud_usbip_server_stats(uc_server())->bad_clients;
	int fd = imported ? uc_import("1-1", NULL, NULL) : uc_connect();

	assert_true(fd >= 0);
	uc_log_clear();
	uc_send(fd, bytes, n);
	assert_true(uc_closed(fd));
	close(fd);
	if (!strstr(uc_log(), why))
		fail_msg("log lacks '%s':\n%s", why, uc_log());
	assert_non_null(strstr(uc_log(), "closing connection: "));
	assert_int_equal(ud_usbip_server_stats(uc_server())->bad_clients, before + 1);
	assert_false(ud_usbip_server_busy(uc_server()));
	still_serving();
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* A valid CMD_SUBMIT header (bulk IN EP1, 64 bytes) to spoil. */
static void good_submit(uint8_t hdr[UD_USBIP_HDR_LEN])
{
	struct ud_usbip_cmd c = {
		.command = UD_USBIP_CMD_SUBMIT,
		.seqnum = 7,
		.devid = uc_devid(),
		.direction = UD_USBIP_DIR_IN,
		.ep = 1,
		.length = 64,
		.npackets = -1,
	};

	ud_usbip_build_cmd(hdr, &c);
}

static void bad_version(void **state)
{
	uint8_t op[UD_USBIP_OP_LEN] = {0x01, 0x06, 0x80, 0x05, 0, 0, 0, 0};

	(void)state;
	expect_closed(false, op, sizeof(op), "unsupported protocol version 0x0106");
}

static void unknown_operation(void **state)
{
	uint8_t op[UD_USBIP_OP_LEN];

	(void)state;
	ud_usbip_build_op(op, 0x8004, 0);
	expect_closed(false, op, sizeof(op), "unknown operation code 0x8004");
}

static void unterminated_busid(void **state)
{
	uint8_t req[UD_USBIP_OP_LEN + UD_USBIP_BUSID_LEN];

	(void)state;
	ud_usbip_build_op(req, UD_USBIP_OP_REQ_IMPORT, 0);
	memset(req + UD_USBIP_OP_LEN, 'A', UD_USBIP_BUSID_LEN);
	expect_closed(false, req, sizeof(req), "OP_REQ_IMPORT: malformed bus id");
}

static void unknown_command(void **state)
{
	uint8_t hdr[UD_USBIP_HDR_LEN];

	(void)state;
	good_submit(hdr);
	put32(hdr, 5);
	expect_closed(true, hdr, sizeof(hdr), "unknown command 0x00000005");
	put32(hdr, UD_USBIP_RET_SUBMIT); /* a reply sent to the server */
	expect_closed(true, hdr, sizeof(hdr), "unknown command 0x00000003");
}

static void bad_direction(void **state)
{
	uint8_t hdr[UD_USBIP_HDR_LEN];

	(void)state;
	good_submit(hdr);
	put32(hdr + 12, 2);
	expect_closed(true, hdr, sizeof(hdr), "CMD_SUBMIT seqnum 7: direction is neither");
}

static void bad_endpoint(void **state)
{
	uint8_t hdr[UD_USBIP_HDR_LEN];

	(void)state;
	good_submit(hdr);
	put32(hdr + 16, 16);
	expect_closed(true, hdr, sizeof(hdr), "endpoint number above 15 (ep 16)");
}

static void absurd_length(void **state)
{
	uint8_t hdr[UD_USBIP_HDR_LEN];

	(void)state;
	good_submit(hdr);
	put32(hdr + 24, 0xffffffffu); /* -1 as a length */
	expect_closed(true, hdr, sizeof(hdr), "absurd transfer_buffer_length 4294967295");
	put32(hdr + 12, UD_USBIP_DIR_OUT);
	put32(hdr + 24, UD_USBIP_MAX_XFER + 1); /* OUT: that much data would follow */
	expect_closed(true, hdr, sizeof(hdr), "absurd transfer_buffer_length 16777217");
}

static void isochronous(void **state)
{
	uint8_t hdr[UD_USBIP_HDR_LEN];

	(void)state;
	good_submit(hdr);
	put32(hdr + 32, 3);
	expect_closed(true, hdr, sizeof(hdr), "isochronous packets are not supported");
}

static void wrong_devid(void **state)
{
	uint8_t hdr[UD_USBIP_HDR_LEN];

	(void)state;
	good_submit(hdr);
	put32(hdr + 8, 0x00050006);
	expect_closed(true, hdr, sizeof(hdr), "devid 0x00050006 is not the device's");
}

/* A connection dropped in the middle of a header, or of the OUT data of a URB: the log says
 * so, the device is released. */
static void dropped_mid_urb(void **state)
{
	uint8_t hdr[UD_USBIP_HDR_LEN + 100];
	struct ud_usbip_cmd c = {
		.command = UD_USBIP_CMD_SUBMIT,
		.seqnum = 9,
		.devid = uc_devid(),
		.direction = UD_USBIP_DIR_OUT,
		.ep = 1,
		.length = 512,
		.npackets = -1,
	};
	int fd;

	(void)state;
	fd = uc_import("1-1", NULL, NULL);
	uc_log_clear();
	uc_send(fd, "\0\0\0\1\0\0", 6);
	close(fd);
	uc_pump(5);
	assert_non_null(strstr(uc_log(), "in the middle of a URB header (6 of 48 bytes)"));
	assert_false(ud_usbip_server_busy(uc_server()));

	fd = uc_import("1-1", NULL, NULL);
	uc_log_clear();
	ud_usbip_build_cmd(hdr, &c);
	memset(hdr + UD_USBIP_HDR_LEN, 0x55, 100);
	uc_send(fd, hdr, sizeof(hdr));
	close(fd);
	uc_pump(5);
	assert_non_null(strstr(uc_log(), "in the middle of the OUT data of CMD_SUBMIT seqnum 9 "
	                                 "(100 of 512 bytes)"));
	assert_false(ud_usbip_server_busy(uc_server()));

	fd = uc_connect();
	uc_log_clear();
	uc_send(fd, "\1\1\x80", 3);
	close(fd);
	uc_pump(5);
	assert_non_null(strstr(uc_log(), "in the middle of an operation header (3 of 8 bytes)"));
	assert_int_equal(ud_usbip_server_stats(uc_server())->bad_clients, 3);
	still_serving();
}

/* A client that says nothing is closed after the operation timeout (300 ms here). */
static void silent_client(void **state)
{
	int fd;

	(void)state;
	fd = uc_connect();
	uc_log_clear();
	assert_true(uc_closed(fd));
	close(fd);
	assert_non_null(strstr(uc_log(), "no complete operation request within 300 ms"));
	still_serving();
}

/* More URBs in flight than the server keeps: the connection is closed. */
static void too_many_urbs(void **state)
{
	uint8_t setup_cfg[8] = {0x00, 0x09, 1, 0, 0, 0, 0, 0};
	uint8_t setup_alt[8] = {0x01, 0x0b, 1, 0, 0, 0, 0, 0};
	struct ud_usbip_ret r;
	int fd;

	(void)state;
	fd = uc_import("1-1", NULL, NULL);
	uc_submit(fd, 1, 0, UD_USBIP_DIR_OUT, 0, 0, setup_cfg, NULL);
	assert_true(uc_ret(fd, &r, NULL, 0));
	uc_submit(fd, 2, 0, UD_USBIP_DIR_OUT, 0, 0, setup_alt, NULL);
	assert_true(uc_ret(fd, &r, NULL, 0));
	uc_log_clear();
	/* EP1 IN NAKs forever on `minimal`: every URB stays pending. */
	for (uint32_t s = 0; s <= UD_USBIP_MAX_URBS; s++)
		uc_submit(fd, 10 + s, 1, UD_USBIP_DIR_IN, 0, 64, NULL, NULL);
	assert_true(uc_closed(fd));
	close(fd);
	assert_non_null(strstr(uc_log(), "more than 4096 URBs in flight"));
	assert_int_equal(ud_usbip_server_stats(uc_server())->dropped_urbs, UD_USBIP_MAX_URBS);
	still_serving();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bad_version, start, stop),
		cmocka_unit_test_setup_teardown(unknown_operation, start, stop),
		cmocka_unit_test_setup_teardown(unterminated_busid, start, stop),
		cmocka_unit_test_setup_teardown(unknown_command, start, stop),
		cmocka_unit_test_setup_teardown(bad_direction, start, stop),
		cmocka_unit_test_setup_teardown(bad_endpoint, start, stop),
		cmocka_unit_test_setup_teardown(absurd_length, start, stop),
		cmocka_unit_test_setup_teardown(isochronous, start, stop),
		cmocka_unit_test_setup_teardown(wrong_devid, start, stop),
		cmocka_unit_test_setup_teardown(dropped_mid_urb, start, stop),
		cmocka_unit_test_setup_teardown(silent_client, start_impatient, stop),
		cmocka_unit_test_setup_teardown(too_many_urbs, start, stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
