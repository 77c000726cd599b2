/* SPDX-License-Identifier: MIT */
/*
 * The USB/IP wire format (sim/usbip_proto.c): byte layouts checked against the protocol's
 * offsets, every rejection of the header parser, round trips, the listen-address parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "usbip_proto.h"
#include "usbip_server.h"

static uint32_t be32(const uint8_t *b)
{
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static void op_header(void **state)
{
	uint8_t b[8];
	struct ud_usbip_op op;

	(void)state;
	ud_usbip_build_op(b, UD_USBIP_OP_REP_IMPORT, 1);
	assert_memory_equal(b, "\x01\x11\x00\x03\x00\x00\x00\x01", 8);
	memcpy(b, "\x01\x11\x80\x05\x00\x00\x00\x00", 8);
	assert_int_equal(ud_usbip_parse_op_request(b, &op), UD_USBIP_OK);
	assert_int_equal(op.code, UD_USBIP_OP_REQ_DEVLIST);
	b[1] = 0x10;
	assert_int_equal(ud_usbip_parse_op_request(b, &op), UD_USBIP_E_VERSION);
	assert_int_equal(op.version, 0x0110);
	memcpy(b, "\x01\x11\x00\x05\x00\x00\x00\x00", 8); /* a reply is not a request */
	assert_int_equal(ud_usbip_parse_op_request(b, &op), UD_USBIP_E_OPCODE);
	assert_int_equal(ud_usbip_parse_op(b, &op), UD_USBIP_OK);
}

static void busid(void **state)
{
	uint8_t b[32];
	char out[32];

	(void)state;
	ud_usbip_build_busid(b, "1-1");
	assert_memory_equal(b, "1-1\0\0", 5);
	assert_int_equal(b[31], 0);
	assert_int_equal(ud_usbip_parse_busid(b, out), UD_USBIP_OK);
	assert_string_equal(out, "1-1");
	memset(b, 0, sizeof(b)); /* empty */
	assert_int_equal(ud_usbip_parse_busid(b, out), UD_USBIP_E_BUSID);
	memset(b, 'x', sizeof(b)); /* not terminated */
	assert_int_equal(ud_usbip_parse_busid(b, out), UD_USBIP_E_BUSID);
	memcpy(b, "1-\n\0", 4); /* a control character */
	assert_int_equal(ud_usbip_parse_busid(b, out), UD_USBIP_E_BUSID);
	memset(b, 'y', 31);
	b[31] = 0; /* 31 characters fit */
	assert_int_equal(ud_usbip_parse_busid(b, out), UD_USBIP_OK);
	assert_int_equal(strlen(out), 31);
}

static void device_record(void **state)
{
	struct ud_usbip_device d = {
		.path = "/sys/devices/x",
		.busid = "1-1",
		.busnum = 1,
		.devnum = 2,
		.speed = UD_USBIP_SPEED_HIGH,
		.vid = 0x1209,
		.pid = 0xda42,
		.bcd_device = 0x0100,
		.dev_class = 0xef,
		.dev_subclass = 2,
		.dev_protocol = 1,
		.config_value = 1,
		.num_configs = 1,
		.num_intf = 2,
		.intf = {{2, 2, 1}, {10, 0, 0}},
	};
	struct ud_usbip_device back;
	uint8_t b[UD_USBIP_DEV_LEN + 8];

	(void)state;
	assert_int_equal(ud_usbip_device_len(&d, true), 320);
	assert_int_equal(ud_usbip_device_len(&d, false), 312);
	memset(b, 0xee, sizeof(b));
	assert_int_equal(ud_usbip_build_device(b, &d, true), 320);
	/* Offsets of the protocol's OP_REP_IMPORT table, relative to the record. */
	assert_string_equal((char *)b, "/sys/devices/x");
	assert_int_equal(b[255], 0);
	assert_string_equal((char *)b + 0x100, "1-1");
	assert_int_equal(be32(b + 0x120), 1);
	assert_int_equal(be32(b + 0x124), 2);
	assert_int_equal(be32(b + 0x128), 3);
	assert_memory_equal(b + 0x12c, "\x12\x09\xda\x42\x01\x00\xef\x02\x01\x01\x01\x02", 12);
	assert_memory_equal(b + 0x138, "\x02\x02\x01\x00\x0a\x00\x00\x00", 8);
	assert_int_equal(ud_usbip_parse_device(b, sizeof(b), true, &back), UD_USBIP_OK);
	assert_int_equal(memcmp(&back, &d, sizeof(d)), 0);
	/* Too short, too many interfaces, an unterminated string. */
	assert_int_equal(ud_usbip_parse_device(b, 311, false, &back), UD_USBIP_E_RECORD);
	assert_int_equal(ud_usbip_parse_device(b, 316, true, &back), UD_USBIP_E_RECORD);
	b[0x137] = UD_USBIP_MAX_INTF + 1;
	assert_int_equal(ud_usbip_parse_device(b, sizeof(b), true, &back), UD_USBIP_E_RECORD);
	memset(b + 0x100, 'z', 32);
	assert_int_equal(ud_usbip_parse_device(b, sizeof(b), false, &back), UD_USBIP_E_BUSID);
}

/* A CMD_SUBMIT header as Linux vhci-hcd sends it (a control IN, GET_DESCRIPTOR). */
static const uint8_t submit_hdr[48] = {
	0,    0,    0,    1,    0, 0, 0, 0x2a, 0,    1, 0, 2,    0, 0, 0,    1,
	0,    0,    0,    0,    0, 0, 2, 0,    0,    0, 0, 0x40, 0, 0, 0,    0,
	0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0,    0x80, 6, 0, 1,    0, 0, 0x40, 0,
};

static void cmd_submit(void **state)
{
	struct ud_usbip_cmd c;
	uint8_t b[48];

	(void)state;
	assert_int_equal(ud_usbip_parse_cmd(submit_hdr, &c), UD_USBIP_OK);
	assert_int_equal(c.command, UD_USBIP_CMD_SUBMIT);
	assert_int_equal(c.seqnum, 42);
	assert_int_equal(c.devid, 0x00010002);
	assert_int_equal(c.direction, UD_USBIP_DIR_IN);
	assert_int_equal(c.ep, 0);
	assert_int_equal(c.flags, UD_USBIP_URB_DIR_IN);
	assert_int_equal(c.length, 64);
	assert_int_equal(c.npackets, -1);
	assert_memory_equal(c.setup, "\x80\x06\x00\x01\x00\x00\x40\x00", 8);
	assert_int_equal(ud_usbip_cmd_payload(&c), 0); /* IN: no data follows */
	ud_usbip_build_cmd(b, &c);
	assert_memory_equal(b, submit_hdr, 48);
	/* OUT: the data follows. */
	c.direction = UD_USBIP_DIR_OUT;
	assert_int_equal(ud_usbip_cmd_payload(&c), 64);
	/* number_of_packets 0 (what Linux sends for non-isochronous URBs) is fine too. */
	memcpy(b, submit_hdr, 48);
	memset(b + 32, 0, 4);
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_OK);
}

static void cmd_rejected(void **state)
{
	struct ud_usbip_cmd c;
	uint8_t b[48];

	(void)state;
	memcpy(b, submit_hdr, 48);
	b[3] = 3; /* RET_SUBMIT from a client */
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_COMMAND);
	b[3] = 0;
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_COMMAND);
	memcpy(b, submit_hdr, 48);
	b[15] = 2;
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_DIRECTION);
	memcpy(b, submit_hdr, 48);
	b[19] = 16;
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_EP);
	memcpy(b, submit_hdr, 48);
	b[16] = 1; /* ep 0x01000000 */
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_EP);
	memcpy(b, submit_hdr, 48);
	memcpy(b + 24, "\x01\x00\x00\x01", 4); /* 16 MiB + 1 */
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_LENGTH);
	memcpy(b + 24, "\x01\x00\x00\x00", 4); /* 16 MiB: the limit itself */
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_OK);
	memcpy(b + 24, "\xff\xff\xff\xfe", 4); /* "-2" */
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_LENGTH);
	memcpy(b, submit_hdr, 48);
	memcpy(b + 32, "\x00\x00\x00\x08", 4);
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_ISO);
	assert_int_equal(c.npackets, 8);
	memcpy(b + 32, "\x80\x00\x00\x00", 4);
	assert_int_equal(ud_usbip_parse_cmd(b, &c), UD_USBIP_E_ISO);
	assert_int_equal(c.npackets, INT32_MIN);
}

static void cmd_unlink(void **state)
{
	struct ud_usbip_cmd c = {
		.command = UD_USBIP_CMD_UNLINK, .seqnum = 8, .devid = 0x10002, .unlink_seqnum = 5};
	struct ud_usbip_cmd back;
	uint8_t b[48];

	(void)state;
	ud_usbip_build_cmd(b, &c);
	assert_int_equal(be32(b), 2);
	assert_int_equal(be32(b + 20), 5);
	for (unsigned i = 24; i < 48; i++)
		assert_int_equal(b[i], 0); /* padding */
	/* direction and ep of an unlink carry no framing: not checked. */
	b[15] = 9;
	assert_int_equal(ud_usbip_parse_cmd(b, &back), UD_USBIP_OK);
	assert_int_equal(back.unlink_seqnum, 5);
	assert_int_equal(ud_usbip_cmd_payload(&back), 0);
}

static void ret_headers(void **state)
{
	struct ud_usbip_ret r = {.command = UD_USBIP_RET_SUBMIT,
	                         .seqnum = 42,
	                         .status = -32,
	                         .actual = 18,
	                         .npackets = -1};
	struct ud_usbip_ret back;
	uint8_t b[48];

	(void)state;
	ud_usbip_build_ret(b, &r);
	assert_int_equal(be32(b), 3);
	assert_int_equal(be32(b + 4), 42);
	assert_int_equal(be32(b + 8) | be32(b + 12) | be32(b + 16), 0); /* devid, dir, ep: 0 */
	assert_int_equal(be32(b + 20), 0xffffffe0u);
	assert_int_equal(be32(b + 24), 18);
	assert_int_equal(be32(b + 32), 0xffffffffu);
	assert_int_equal(ud_usbip_parse_ret(b, &back), UD_USBIP_OK);
	assert_int_equal(memcmp(&back, &r, sizeof(r)), 0);
	r.command = UD_USBIP_RET_UNLINK;
	r.status = -104;
	ud_usbip_build_ret(b, &r);
	assert_int_equal(be32(b), 4);
	assert_int_equal(be32(b + 20), (uint32_t)-104);
	for (unsigned i = 24; i < 48; i++)
		assert_int_equal(b[i], 0);
	b[3] = 1;
	assert_int_equal(ud_usbip_parse_ret(b, &back), UD_USBIP_E_COMMAND);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(ud_usbip_command_name(1), "CMD_SUBMIT");
	assert_string_equal(ud_usbip_command_name(4), "RET_UNLINK");
	assert_string_equal(ud_usbip_command_name(99), "unknown");
	assert_string_equal(ud_usbip_err_name(UD_USBIP_E_LENGTH), "absurd transfer_buffer_length");
	assert_string_equal(ud_usbip_err_name((enum ud_usbip_err)99), "unknown error");
	assert_int_equal(ud_usbip_fault_from_name("corrupt-in"), 1);
	assert_int_equal(ud_usbip_fault_from_name("nope"), 0);
}

static void listen_address(void **state)
{
	char host[64];
	uint16_t port;

	(void)state;
	assert_int_equal(ud_usbip_parse_listen("127.0.0.1:3240", host, sizeof(host), &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 3240);
	assert_int_equal(ud_usbip_parse_listen("0.0.0.0", host, sizeof(host), &port), 0);
	assert_string_equal(host, "0.0.0.0");
	assert_int_equal(port, 3240);
	assert_int_equal(ud_usbip_parse_listen("4000", host, sizeof(host), &port), 0);
	assert_string_equal(host, "127.0.0.1"); /* loopback by default */
	assert_int_equal(port, 4000);
	assert_int_equal(ud_usbip_parse_listen(":0", host, sizeof(host), &port), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 0);
	assert_int_equal(ud_usbip_parse_listen("[::1]:5000", host, sizeof(host), &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 5000);
	assert_int_equal(ud_usbip_parse_listen("::", host, sizeof(host), &port), 0);
	assert_string_equal(host, "::");
	assert_int_equal(ud_usbip_parse_listen("1.2.3.4:65536", host, sizeof(host), &port), -1);
	assert_int_equal(ud_usbip_parse_listen("1.2.3.4:", host, sizeof(host), &port), -1);
	assert_int_equal(ud_usbip_parse_listen("1.2.3.4:x", host, sizeof(host), &port), -1);
	assert_int_equal(ud_usbip_parse_listen("[::1", host, sizeof(host), &port), -1);
	assert_int_equal(ud_usbip_parse_listen("1.2.3.4:000003240", host, sizeof(host), &port), -1);
	assert_int_equal(ud_usbip_parse_listen("127.0.0.1:1", host, 4, &port), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(op_header),      cmocka_unit_test(busid),
		cmocka_unit_test(device_record),  cmocka_unit_test(cmd_submit),
		cmocka_unit_test(cmd_rejected),   cmocka_unit_test(cmd_unlink),
		cmocka_unit_test(ret_headers),    cmocka_unit_test(names),
		cmocka_unit_test(listen_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
