/* SPDX-License-Identifier: MIT */
/*
 * The USB/IP server with a client over loopback sockets: OP_REQ_DEVLIST, OP_REQ_IMPORT,
 * CMD_SUBMIT / RET_SUBMIT on control, bulk IN and OUT (URBs cut into packets and merged back,
 * URB_ZERO_PACKET, URB_SHORT_NOT_OK, babble), an OUT the device NAKs waits, CMD_UNLINK /
 * RET_UNLINK (an unlinked URB is never answered, also when the unlink overtakes its submit),
 * and the corrupt-in fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "usbip_client.h"
#include "usbip_urb.h"

#define GET_DESCRIPTOR 0x06
#define SET_CONFIGURATION 0x09
#define SET_INTERFACE 0x0b

static int stop(void **state)
{
	(void)state;
	uc_server_stop();
	return 0;
}

/* An imported device, configured (and with alternate setting @p alt if non-zero). */
static int import_configured(uint8_t alt)
{
	int fd = uc_import("1-1", NULL, NULL);

	assert_true(fd >= 0);
	assert_int_equal(uc_control(fd, 1, 0x00, SET_CONFIGURATION, 1, 0, 0, NULL, NULL), 0);
	if (alt)
		assert_int_equal(uc_control(fd, 2, 0x01, SET_INTERFACE, alt, 0, 0, NULL, NULL), 0);
	return fd;
}

static void devlist(void **state)
{
	uint8_t req[UD_USBIP_OP_LEN], rep[UD_USBIP_OP_LEN + 4 + UD_USBIP_DEV_LEN + 4];
	struct ud_usbip_device d;
	struct ud_usbip_op op;
	int fd;

	(void)state;
	uc_need_high_speed();
	uc_server_start("zero", UD_SPEED_HIGH, 0);
	fd = uc_connect();
	ud_usbip_build_op(req, UD_USBIP_OP_REQ_DEVLIST, 0);
	uc_send(fd, req, sizeof(req));
	assert_true(uc_recv(fd, rep, sizeof(rep)));
	assert_int_equal(ud_usbip_parse_op(rep, &op), UD_USBIP_OK);
	assert_int_equal(op.code, UD_USBIP_OP_REP_DEVLIST);
	assert_int_equal(op.status, 0);
	assert_memory_equal(rep + 8, "\0\0\0\1", 4); /* one device */
	assert_int_equal(ud_usbip_parse_device(rep + 12, sizeof(rep) - 12, true, &d), UD_USBIP_OK);
	assert_string_equal(d.busid, "1-1");
	assert_int_equal(d.vid, 0x0525);
	assert_int_equal(d.pid, 0xa4a0);
	assert_int_equal(d.speed, UD_USBIP_SPEED_HIGH);
	assert_int_equal(d.busnum, 1);
	assert_int_equal(d.devnum, UD_USBIP_DEV_ADDRESS);
	assert_int_equal(d.num_configs, 1);
	assert_int_equal(d.config_value, 1);
	assert_int_equal(d.num_intf, 1);
	assert_int_equal(d.intf[0].cls, 0xff);
	assert_true(uc_closed(fd)); /* the reply ends the connection */
	close(fd);
	assert_int_equal(ud_usbip_server_stats(uc_server())->devlists, 1);
}

static void import_busy_and_again(void **state)
{
	struct ud_usbip_device rec;
	uint32_t st;
	int a, b;

	(void)state;
	uc_server_start("zero", UD_SPEED_FULL, 0);
	a = uc_import("1-1", &st, &rec);
	assert_true(a >= 0);
	assert_string_equal(rec.busid, "1-1");
	assert_int_equal(rec.speed, UD_USBIP_SPEED_FULL);
	assert_true(ud_usbip_server_busy(uc_server()));
	/* One importer at a time; an unknown bus id is refused too. */
	assert_int_equal(uc_import("1-1", &st, NULL), -1);
	assert_int_equal(st, UD_USBIP_ST_NA);
	assert_non_null(strstr(uc_log(), "OP_REQ_IMPORT refused: bus id 1-1 is in use"));
	assert_int_equal(uc_import("2-7", &st, NULL), -1);
	assert_non_null(strstr(uc_log(), "no device with bus id '2-7'"));
	/* The importer leaves; the device is free again, and a fresh one. */
	close(a);
	uc_pump(5);
	assert_false(ud_usbip_server_busy(uc_server()));
	b = uc_import("1-1", &st, NULL);
	assert_true(b >= 0);
	close(b);
	uc_pump(5);
	assert_int_equal(ud_usbip_server_stats(uc_server())->imports, 2);
	assert_int_equal(ud_usbip_server_stats(uc_server())->refused, 2);
	assert_int_equal(ud_usbip_server_stats(uc_server())->bad_clients, 0);
}

static void control_transfers(void **state)
{
	uint8_t buf[256];
	uint32_t actual;
	int fd;

	(void)state;
	uc_server_start("zero", UD_SPEED_FULL, 0);
	fd = uc_import("1-1", NULL, NULL);
	/* GET_DESCRIPTOR(device) with a 64-byte buffer: ends on the short packet. */
	assert_int_equal(uc_control(fd, 1, 0x80, GET_DESCRIPTOR, 0x0100, 0, 64, buf, &actual), 0);
	assert_int_equal(actual, 18);
	assert_int_equal(buf[0], 18);
	assert_int_equal(buf[1], 1);
	assert_int_equal(buf[8] | (buf[9] << 8), 0x0525);
	/* The configuration descriptor in 64-byte packets, merged: 9 + 9 + 7 + 7 bytes. */
	assert_int_equal(uc_control(fd, 2, 0x80, GET_DESCRIPTOR, 0x0200, 0, 255, buf, &actual), 0);
	assert_int_equal(actual, 32);
	/* SET_ADDRESS never reaches the device (it has its address) and succeeds. */
	assert_int_equal(uc_control(fd, 3, 0x00, 0x05, 9, 0, 0, NULL, NULL), 0);
	assert_int_equal(uc_control(fd, 4, 0x80, GET_DESCRIPTOR, 0x0100, 0, 18, buf, &actual), 0);
	/* A request the device does not know: STALL = -EPIPE; the next one works. */
	assert_int_equal(uc_control(fd, 5, 0x80, GET_DESCRIPTOR, 0x4200, 0, 18, buf, &actual),
	                 -UD_USBIP_EPIPE);
	assert_int_equal(uc_control(fd, 6, 0x00, SET_CONFIGURATION, 1, 0, 0, NULL, NULL), 0);
	/* Gadget Zero's control write / read back (0x5b / 0x5c) with an OUT data stage. */
	memset(buf, 0xa5, 100);
	assert_int_equal(uc_control(fd, 7, 0x40, 0x5b, 0, 0, 100, buf, &actual), 0);
	assert_int_equal(actual, 100);
	memset(buf, 0, 100);
	assert_int_equal(uc_control(fd, 8, 0xc0, 0x5c, 0, 0, 100, buf, &actual), 0);
	assert_int_equal(actual, 100);
	assert_int_equal(buf[99], 0xa5);
	/* Hub-class port reset: the device is reset, readdressed and configured again. */
	assert_int_equal(uc_control(fd, 9, 0x23, 0x03, 4, 1, 0, NULL, NULL), 0);
	assert_int_equal(uc_control(fd, 10, 0x80, 0x08, 0, 0, 1, buf, &actual), 0);
	assert_int_equal(buf[0], 1); /* GET_CONFIGURATION */
	close(fd);
}

static void bulk_packets_merged(void **state)
{
	static uint8_t buf[8192];
	struct ud_usbip_ret r;
	int fd;

	(void)state;
	uc_need_high_speed();
	uc_server_start("zero-mod63", UD_SPEED_HIGH, 0);
	fd = import_configured(0);
	/* 4096 bytes = 8 packets of 512, merged into one URB, pattern intact across packets. */
	uc_submit(fd, 10, 1, UD_USBIP_DIR_IN, 0, 4096, NULL, NULL);
	assert_true(uc_ret(fd, &r, buf, sizeof(buf)));
	assert_int_equal(r.seqnum, 10);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.actual, 4096);
	assert_int_equal(buf[511], 511 % 63);
	assert_int_equal(buf[512], 0);
	assert_int_equal(buf[4095], 511 % 63);
	/* A buffer that is not a multiple of the packet size: the last packet is babble. */
	uc_submit(fd, 11, 1, UD_USBIP_DIR_IN, 0, 1000, NULL, NULL);
	assert_true(uc_ret(fd, &r, buf, sizeof(buf)));
	assert_int_equal(r.status, -UD_USBIP_EOVERFLOW);
	assert_int_equal(r.actual, 1000);
	/* OUT: 8 packets into the sink, then the terminating ZLP the flag asks for. */
	for (unsigned i = 0; i < 4096; i++)
		buf[i] = (uint8_t)((i % 512) % 63);
	uc_submit(fd, 12, 1, UD_USBIP_DIR_OUT, UD_USBIP_URB_ZERO_PACKET, 4096, NULL, buf);
	assert_true(uc_ret(fd, &r, buf, sizeof(buf)));
	assert_int_equal(r.seqnum, 12);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.actual, 4096);
	close(fd);
}

static void zero_packet_flag(void **state)
{
	uint8_t out[64], in[4096];
	struct ud_usbip_ret r;
	int fd;

	(void)state;
	uc_server_start("bulk", UD_SPEED_FULL, 0);
	fd = import_configured(0);
	memset(out, 0x3c, sizeof(out));
	/* 64 bytes (one full packet) with URB_ZERO_PACKET: the ZLP ends the device's transfer,
	 * which comes back on IN, short. */
	uc_submit(fd, 10, 1, UD_USBIP_DIR_OUT, UD_USBIP_URB_ZERO_PACKET, 64, NULL, out);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.status, 0);
	assert_int_equal(r.actual, 64);
	uc_submit(fd, 11, 1, UD_USBIP_DIR_IN, 0, 4096, NULL, NULL);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.seqnum, 11);
	assert_int_equal(r.actual, 64);
	assert_int_equal(in[63], 0x3c);
	/* Without the flag the device's transfer stays open: nothing to read back yet, the IN
	 * URB waits (NAKed, not failed) ... */
	uc_submit(fd, 12, 1, UD_USBIP_DIR_OUT, 0, 64, NULL, out);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.actual, 64);
	uc_submit(fd, 13, 1, UD_USBIP_DIR_IN, UD_USBIP_URB_SHORT_NOT_OK, 4096, NULL, NULL);
	assert_true(uc_silent(fd, 200));
	/* ... until a short packet ends it: 64 + 10 bytes, short, and the client said a short
	 * read is an error. */
	uc_submit(fd, 14, 1, UD_USBIP_DIR_OUT, 0, 10, NULL, out);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.seqnum, 14);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.seqnum, 13);
	assert_int_equal(r.actual, 74);
	assert_int_equal(r.status, -UD_USBIP_EREMOTEIO);
	close(fd);
}

static void nak_waits_and_unlink(void **state)
{
	uint8_t out[512], in[512];
	struct ud_usbip_ret r;
	int fd;

	(void)state;
	uc_server_start("minimal", UD_SPEED_FULL, 0);
	fd = import_configured(1); /* alt 1: bulk EP1 IN and OUT, never armed: NAK */
	memset(out, 1, sizeof(out));
	uc_submit(fd, 20, 1, UD_USBIP_DIR_OUT, 0, 512, NULL, out);
	uc_submit(fd, 21, 1, UD_USBIP_DIR_IN, 0, 512, NULL, NULL);
	uc_submit(fd, 22, 1, UD_USBIP_DIR_OUT, 0, 100, NULL, out);
	assert_true(uc_silent(fd, 300)); /* NAKed, waiting, not failed */
	/* Unlink the head OUT URB and the IN URB: -ECONNRESET, and never a RET_SUBMIT. */
	uc_unlink(fd, 23, 20);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.command, UD_USBIP_RET_UNLINK);
	assert_int_equal(r.seqnum, 23);
	assert_int_equal(r.status, -UD_USBIP_ECONNRESET);
	uc_unlink(fd, 24, 21);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.seqnum, 24);
	assert_int_equal(r.status, -UD_USBIP_ECONNRESET);
	assert_true(uc_silent(fd, 300));
	/* An unlink of a URB that was answered long ago (seqnum 1): status 0. */
	uc_unlink(fd, 25, 1);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.command, UD_USBIP_RET_UNLINK);
	assert_int_equal(r.status, 0);
	/* An unlink that overtakes its URB's submit (vhci-hcd can send them in that order):
	 * kept, answered -ECONNRESET when the submit arrives, and the URB never answered. */
	uc_unlink(fd, 27, 26);
	assert_true(uc_silent(fd, 50));
	uc_submit(fd, 26, 1, UD_USBIP_DIR_IN, 0, 64, NULL, NULL);
	assert_true(uc_ret(fd, &r, in, sizeof(in)));
	assert_int_equal(r.command, UD_USBIP_RET_UNLINK);
	assert_int_equal(r.seqnum, 27);
	assert_int_equal(r.status, -UD_USBIP_ECONNRESET);
	assert_true(uc_silent(fd, 300));
	assert_int_equal(ud_usbip_server_stats(uc_server())->unlinked, 3);
	/* URB 22 is still waiting; the client leaves: it is dropped, the device released. */
	close(fd);
	uc_pump(5);
	assert_false(ud_usbip_server_busy(uc_server()));
	assert_int_equal(ud_usbip_server_stats(uc_server())->dropped_urbs, 1);
	assert_non_null(strstr(uc_log(), "1 dropped"));
}

static void unlink_after_completion(void **state)
{
	uint8_t buf[64];
	struct ud_usbip_ret r;
	int fd;

	(void)state;
	uc_server_start("zero", UD_SPEED_FULL, 0);
	fd = import_configured(0);
	/* Queue several IN URBs and unlink one after the replies came: its RET_SUBMIT was the
	 * answer, the unlink gets status 0. */
	for (uint32_t s = 10; s < 14; s++)
		uc_submit(fd, s, 1, UD_USBIP_DIR_IN, 0, 64, NULL, NULL);
	for (uint32_t s = 10; s < 14; s++) {
		assert_true(uc_ret(fd, &r, buf, sizeof(buf)));
		assert_int_equal(r.seqnum, s); /* FIFO per endpoint */
		assert_int_equal(r.actual, 64);
	}
	uc_unlink(fd, 14, 12);
	assert_true(uc_ret(fd, &r, buf, sizeof(buf)));
	assert_int_equal(r.command, UD_USBIP_RET_UNLINK);
	assert_int_equal(r.status, 0);
	close(fd);
}

static void corrupt_in_fault(void **state)
{
	uint8_t buf[64];
	struct ud_usbip_ret r;
	unsigned bad = 0;
	int fd;

	(void)state;
	uc_server_start("zero", UD_SPEED_FULL, UD_USBIP_FAULT_CORRUPT_IN);
	fd = import_configured(0);
	for (uint32_t s = 10; s < 18; s++) {
		uc_submit(fd, s, 1, UD_USBIP_DIR_IN, 0, 64, NULL, NULL);
		assert_true(uc_ret(fd, &r, buf, sizeof(buf)));
		assert_int_equal(r.actual, 64);
		for (unsigned i = 0; i < 64; i++)
			bad += buf[i] != 0;
	}
	assert_int_equal(bad, 2); /* one byte in every 4th URB */
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(devlist, stop),
		cmocka_unit_test_teardown(import_busy_and_again, stop),
		cmocka_unit_test_teardown(control_transfers, stop),
		cmocka_unit_test_teardown(bulk_packets_merged, stop),
		cmocka_unit_test_teardown(zero_packet_flag, stop),
		cmocka_unit_test_teardown(nak_waits_and_unlink, stop),
		cmocka_unit_test_teardown(unlink_after_completion, stop),
		cmocka_unit_test_teardown(corrupt_in_fault, stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
