/* SPDX-License-Identifier: MIT */
/*
 * Harness usbip: the input is what a USB/IP client sends the server, byte for byte.
 *
 * 1. The header parsers (sim/usbip_proto.c) read it the way the server frames a stream: an
 *    operation header, the bus id of an import, then URB headers, each followed by the OUT
 *    data its length announces. Everything a parser accepts must be in range (a length within
 *    UD_USBIP_MAX_XFER, an endpoint within 15, a printable bus id...) and survive a round
 *    trip through the matching builder; every 48 bytes are also read as a reply header and
 *    the input as a device record, with the same round trip.
 * 2. The same bytes are fed, in pieces, into a connection of a real server (sockets aside)
 *    exporting Gadget Zero, whose URB engine runs between the pieces: imports, submits,
 *    unlinks, malformed headers and truncated payloads reach the connection state machine and
 *    the device. At the end the connection is closed and the server must hold no URB and no
 *    importer, with every URB accounted for (answered, unlinked or dropped).
 *
 * A broken invariant aborts (a crash libFuzzer reports).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "usbip_conn.h"
#include "usbip_proto.h"
#include "usbip_server.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_usbip: %s:%d: %s\n", __FILE__, __LINE__, #cond);     \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static void check_cmd(const uint8_t *b)
{
	struct ud_usbip_cmd c, again;
	uint8_t built[UD_USBIP_HDR_LEN];

	if (ud_usbip_parse_cmd(b, &c) != UD_USBIP_OK)
		return;
	CHECK(c.command == UD_USBIP_CMD_SUBMIT || c.command == UD_USBIP_CMD_UNLINK);
	CHECK(ud_usbip_cmd_payload(&c) <= UD_USBIP_MAX_XFER);
	if (c.command == UD_USBIP_CMD_SUBMIT) {
		CHECK(c.direction <= UD_USBIP_DIR_IN && c.ep <= 15);
		CHECK(c.npackets == 0 || c.npackets == -1);
		CHECK(ud_usbip_cmd_payload(&c) == (c.direction == UD_USBIP_DIR_OUT ? c.length : 0));
	} else {
		CHECK(ud_usbip_cmd_payload(&c) == 0);
	}
	ud_usbip_build_cmd(built, &c);
	CHECK(ud_usbip_parse_cmd(built, &again) == UD_USBIP_OK);
	CHECK(memcmp(&c, &again, sizeof(c)) == 0);
}

static void check_ret(const uint8_t *b)
{
	struct ud_usbip_ret r, again;
	uint8_t built[UD_USBIP_HDR_LEN];

	if (ud_usbip_parse_ret(b, &r) != UD_USBIP_OK)
		return;
	ud_usbip_build_ret(built, &r);
	CHECK(ud_usbip_parse_ret(built, &again) == UD_USBIP_OK);
	CHECK(memcmp(&r, &again, sizeof(r)) == 0);
}

static void check_device(const uint8_t *b, size_t len)
{
	static struct ud_usbip_device d, again;
	static uint8_t built[UD_USBIP_DEV_LEN + UD_USBIP_INTF_LEN * UD_USBIP_MAX_INTF];
	size_t n;

	if (ud_usbip_parse_device(b, len, true, &d) != UD_USBIP_OK)
		return;
	CHECK(d.num_intf <= UD_USBIP_MAX_INTF);
	CHECK(strlen(d.busid) < UD_USBIP_BUSID_LEN && strlen(d.path) < UD_USBIP_PATH_LEN);
	n = ud_usbip_build_device(built, &d, true);
	CHECK(n == ud_usbip_device_len(&d, true) && n <= len);
	CHECK(ud_usbip_parse_device(built, n, true, &again) == UD_USBIP_OK);
	CHECK(memcmp(&d, &again, sizeof(d)) == 0);
}

/* Part 1: the parsers over the stream, framed as the server frames it. */
static void parsers(const uint8_t *p, size_t n)
{
	struct ud_usbip_op op;
	char busid[UD_USBIP_BUSID_LEN];
	size_t i;

	check_device(p, n);
	for (i = 0; i + UD_USBIP_HDR_LEN <= n; i += UD_USBIP_HDR_LEN)
		check_ret(p + i);
	if (n < UD_USBIP_OP_LEN)
		return;
	if (ud_usbip_parse_op_request(p, &op) == UD_USBIP_OK)
		CHECK(op.version == UD_USBIP_VERSION &&
		      (op.code == UD_USBIP_OP_REQ_DEVLIST || op.code == UD_USBIP_OP_REQ_IMPORT));
	p += UD_USBIP_OP_LEN;
	n -= UD_USBIP_OP_LEN;
	if (n < UD_USBIP_BUSID_LEN)
		return;
	if (ud_usbip_parse_busid(p, busid) == UD_USBIP_OK) {
		CHECK(busid[0] != '\0' && strlen(busid) < UD_USBIP_BUSID_LEN);
		for (i = 0; busid[i]; i++)
			CHECK(busid[i] >= 0x20 && busid[i] <= 0x7e);
	}
	p += UD_USBIP_BUSID_LEN;
	n -= UD_USBIP_BUSID_LEN;
	while (n >= UD_USBIP_HDR_LEN) {
		struct ud_usbip_cmd c;
		size_t skip = UD_USBIP_HDR_LEN;

		check_cmd(p);
		if (ud_usbip_parse_cmd(p, &c) == UD_USBIP_OK)
			skip += ud_usbip_cmd_payload(&c);
		if (skip > n)
			break;
		p += skip;
		n -= skip;
	}
}

static struct ud_world world;
static struct ud_usbip_server *srv;

/* Part 2: the stream into a connection of a real server. */
static void connection(const uint8_t *p, size_t n)
{
	struct ud_usbip_server *s = srv;
	struct ud_usbip_conn *c = &s->conns[0];
	const struct ud_usbip_stats *st = &s->st;
	uint32_t submitted = st->submitted, done = st->completed + st->unlinked + st->dropped_urbs;
	int sv[2];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	memset(c, 0, sizeof(*c));
	c->fd = sv[0];
	c->phase = UD_USBIP_PH_OP;
	snprintf(c->peer, sizeof(c->peer), "fuzz");
	/* Pieces of 61 bytes: headers and payloads arrive split, as TCP may deliver them. */
	while (n > 0 && c->fd >= 0) {
		size_t k = n < 61 ? n : 61;
		unsigned r;

		if (!ud_usbip_conn_feed(s, c, p, k))
			break;
		p += k;
		n -= k;
		for (r = 0; r < 8 && s->importer && s->eng.pending > 0; r++)
			ud_usbip_engine_round(&s->eng);
	}
	if (c->fd >= 0)
		ud_usbip_conn_close(s, c, false, "end of input");
	close(sv[1]);
	CHECK(s->importer == NULL && s->eng.pending == 0 && s->eng.pending_bytes == 0);
	CHECK(c->fd == -1 && c->rx_urb == NULL && c->out == NULL);
	CHECK(st->submitted - submitted == st->completed + st->unlinked + st->dropped_urbs - done);
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	if (!srv) {
		struct ud_usbip_config cfg = {.device = "zero", .port = 0};
		char err[300];

		ud_sim_options_default(&cfg.opt);
		cfg.log = fopen("/dev/null", "w");
		srv = ud_usbip_server_open(&world, &cfg, err, sizeof(err));
		if (!srv) {
			fprintf(stderr, "fuzz_usbip: %s\n", err);
			abort();
		}
	}
	parsers(buf, len);
	connection(buf, len);
	return 0;
}
