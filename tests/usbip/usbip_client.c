/* SPDX-License-Identifier: MIT */
/* The in-process USB/IP client of the server tests. See usbip_client.h. */
#define _GNU_SOURCE /* open_memstream, MSG_NOSIGNAL */
#include "usbip_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "usbip_urb.h"

/* Pumps (each waits up to 1 ms) before a wait gives up. */
#define PATIENCE 2000u

static struct ud_world world;
static struct ud_usbip_server *srv;
static FILE *log_stream;
static char *log_buf;
static size_t log_len;

/* Direction of the URBs this client submitted, to know whether a RET_SUBMIT carries data. */
static struct {
	uint32_t seqnum;
	bool in;
} sent[256];

/* The server closes a connection whose operation request is not complete this long after it
 * accepted it. A test preempted between two pieces of a request (dropped_mid_urb sends 3 bytes
 * of one, then closes) would meet that close instead of the one it checks, so the tests wait
 * far longer than any preemption; only silent_client, the test of the timeout, sets a short
 * one (uc_server_start_timeout). */
#define PATIENT_OP_TIMEOUT_MS 60000u

void uc_server_start(const char *device, uint8_t speed, unsigned faults)
{
	uc_server_start_timeout(device, speed, faults, PATIENT_OP_TIMEOUT_MS);
}

void uc_server_start_timeout(const char *device, uint8_t speed, unsigned faults,
                             unsigned op_timeout_ms)
{
	struct ud_usbip_config cfg = {
		.device = device, .faults = faults, .op_timeout_ms = op_timeout_ms};
	char err[300];

	ud_sim_options_default(&cfg.opt);
	cfg.opt.speed = speed;
	cfg.opt.port = (uint8_t)uc_port();
	log_stream = open_memstream(&log_buf, &log_len);
	assert_non_null(log_stream);
	cfg.log = log_stream;
	srv = ud_usbip_server_open(&world, &cfg, err, sizeof(err));
	if (!srv)
		fail_msg("server: %s", err);
	/* The device core really runs on the controller UD_TEST_PORT names. */
	assert_ptr_equal(world.dev.port, uc_port() == UD_SIM_PORT_FSDEV ? &world.fsdev.port.port
	                                                                : ud_vdc_port(&world.vdc));
	memset(sent, 0, sizeof(sent));
}

enum ud_sim_port uc_port(void)
{
	const char *name = getenv("UD_TEST_PORT");
	int port = name ? ud_sim_port_parse(name) : UD_SIM_PORT_VDC;
	if (port < 0)
		fail_msg("UD_TEST_PORT=%s: not a controller (vdc, fsdev)", name);
	return (enum ud_sim_port)port;
}

void uc_need_high_speed(void)
{
	if (uc_port() == UD_SIM_PORT_FSDEV)
		skip(); /* a full-speed-only controller */
}

void uc_server_stop(void)
{
	if (!log_stream)
		return; /* the test skipped itself before starting a server */
	ud_usbip_server_close(srv);
	srv = NULL;
	fclose(log_stream);
	log_stream = NULL;
	free(log_buf);
	log_buf = NULL;
}

struct ud_usbip_server *uc_server(void)
{
	return srv;
}

void uc_pump(unsigned n)
{
	while (n--)
		assert_int_equal(ud_usbip_server_poll(srv, 0), 0);
}

const char *uc_log(void)
{
	fflush(log_stream);
	return log_buf ? log_buf : "";
}

void uc_log_clear(void)
{
	fflush(log_stream);
	rewind(log_stream);
	fflush(log_stream);
	if (log_buf)
		log_buf[0] = '\0';
}

int uc_connect(void)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(ud_usbip_server_port(srv));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	uc_pump(1);
	return fd;
}

void uc_send(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	unsigned tries = 0;

	while (n > 0) {
		ssize_t k = send(fd, b, n, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (k < 0) {
			assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
			assert_true(++tries < PATIENCE);
			assert_int_equal(ud_usbip_server_poll(srv, 1), 0);
			continue;
		}
		b += k;
		n -= (size_t)k;
	}
	uc_pump(1);
}

bool uc_recv(int fd, void *p, size_t n)
{
	uint8_t *b = p;
	unsigned tries = 0;

	while (n > 0) {
		ssize_t k = recv(fd, b, n, MSG_DONTWAIT);

		if (k == 0)
			return false;
		if (k < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return false;
			if (++tries > PATIENCE)
				return false;
			assert_int_equal(ud_usbip_server_poll(srv, 1), 0);
			continue;
		}
		b += k;
		n -= (size_t)k;
	}
	return true;
}

bool uc_closed(int fd)
{
	uint8_t buf[512];
	unsigned tries = 0;

	for (;;) {
		ssize_t k = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (k == 0 || (k < 0 && errno == ECONNRESET))
			return true;
		if (k > 0)
			continue;
		if (++tries > PATIENCE)
			return false;
		assert_int_equal(ud_usbip_server_poll(srv, 1), 0);
	}
}

bool uc_silent(int fd, unsigned pumps)
{
	uint8_t b;

	uc_pump(pumps);
	return recv(fd, &b, 1, MSG_DONTWAIT | MSG_PEEK) < 0 && errno == EAGAIN;
}

int uc_import(const char *busid, uint32_t *status, struct ud_usbip_device *rec)
{
	uint8_t req[UD_USBIP_OP_LEN + UD_USBIP_BUSID_LEN];
	uint8_t rep[UD_USBIP_OP_LEN + UD_USBIP_DEV_LEN];
	struct ud_usbip_op op;
	int fd = uc_connect();

	ud_usbip_build_op(req, UD_USBIP_OP_REQ_IMPORT, 0);
	ud_usbip_build_busid(req + UD_USBIP_OP_LEN, busid);
	uc_send(fd, req, sizeof(req));
	assert_true(uc_recv(fd, rep, UD_USBIP_OP_LEN));
	assert_int_equal(ud_usbip_parse_op(rep, &op), UD_USBIP_OK);
	assert_int_equal(op.code, UD_USBIP_OP_REP_IMPORT);
	if (status)
		*status = op.status;
	if (op.status != UD_USBIP_ST_OK) {
		assert_true(uc_closed(fd));
		close(fd);
		return -1;
	}
	assert_true(uc_recv(fd, rep + UD_USBIP_OP_LEN, UD_USBIP_DEV_LEN));
	if (rec)
		assert_int_equal(
			ud_usbip_parse_device(rep + UD_USBIP_OP_LEN, UD_USBIP_DEV_LEN, false, rec),
			UD_USBIP_OK);
	return fd;
}

uint32_t uc_devid(void)
{
	return (1u << 16) | UD_USBIP_DEV_ADDRESS;
}

void uc_submit(int fd, uint32_t seqnum, uint8_t ep, uint32_t dir, uint32_t flags, uint32_t len,
               const uint8_t *setup, const void *data)
{
	struct ud_usbip_cmd c = {
		.command = UD_USBIP_CMD_SUBMIT,
		.seqnum = seqnum,
		.devid = uc_devid(),
		.direction = dir,
		.ep = ep,
		.flags = flags | (dir == UD_USBIP_DIR_IN ? UD_USBIP_URB_DIR_IN : 0),
		.length = len,
		.npackets = -1,
	};
	uint8_t hdr[UD_USBIP_HDR_LEN];

	if (setup)
		memcpy(c.setup, setup, 8);
	sent[seqnum % 256].seqnum = seqnum;
	sent[seqnum % 256].in = dir == UD_USBIP_DIR_IN;
	ud_usbip_build_cmd(hdr, &c);
	uc_send(fd, hdr, sizeof(hdr));
	if (dir == UD_USBIP_DIR_OUT && len > 0)
		uc_send(fd, data, len);
}

void uc_unlink(int fd, uint32_t seqnum, uint32_t victim)
{
	struct ud_usbip_cmd c = {
		.command = UD_USBIP_CMD_UNLINK,
		.seqnum = seqnum,
		.devid = uc_devid(),
		.unlink_seqnum = victim,
	};
	uint8_t hdr[UD_USBIP_HDR_LEN];

	ud_usbip_build_cmd(hdr, &c);
	uc_send(fd, hdr, sizeof(hdr));
}

bool uc_ret(int fd, struct ud_usbip_ret *r, void *data, size_t cap)
{
	uint8_t hdr[UD_USBIP_HDR_LEN];

	if (!uc_recv(fd, hdr, sizeof(hdr)))
		return false;
	assert_int_equal(ud_usbip_parse_ret(hdr, r), UD_USBIP_OK);
	if (r->command == UD_USBIP_RET_SUBMIT && sent[r->seqnum % 256].seqnum == r->seqnum &&
	    sent[r->seqnum % 256].in && r->actual > 0) {
		assert_true(r->actual <= cap);
		assert_true(uc_recv(fd, data, r->actual));
	}
	return true;
}

int32_t uc_control(int fd, uint32_t seqnum, uint8_t bm, uint8_t req, uint16_t value, uint16_t index,
                   uint16_t length, void *data, uint32_t *actual)
{
	uint8_t setup[8] = {bm,
	                    req,
	                    (uint8_t)value,
	                    (uint8_t)(value >> 8),
	                    (uint8_t)index,
	                    (uint8_t)(index >> 8),
	                    (uint8_t)length,
	                    (uint8_t)(length >> 8)};
	struct ud_usbip_ret r;
	bool in = (bm & 0x80) != 0;

	uc_submit(fd, seqnum, 0, in ? UD_USBIP_DIR_IN : UD_USBIP_DIR_OUT, 0, length, setup, data);
	assert_true(uc_ret(fd, &r, data, length));
	assert_int_equal(r.command, UD_USBIP_RET_SUBMIT);
	assert_int_equal(r.seqnum, seqnum);
	if (actual)
		*actual = r.actual;
	return r.status;
}
