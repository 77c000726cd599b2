/* SPDX-License-Identifier: MIT */
/* The USB/IP server: sockets, connections, operations and URB framing; the URBs themselves
 * go to the engine (usbip_urb.c). See usbip_server.h. */
#define _GNU_SOURCE /* accept4, MSG_NOSIGNAL */
#include "usbip_server.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ctrl_bus.h"
#include "usbip_conn.h"

static void vlog_line(struct ud_usbip_server *s, const char *peer, const char *fmt, va_list ap)
	UD_SIM_PRINTF(3, 0);

static void vlog_line(struct ud_usbip_server *s, const char *peer, const char *fmt, va_list ap)
{
	fputs("udsim serve: ", s->log);
	if (peer)
		fprintf(s->log, "%s: ", peer);
	vfprintf(s->log, fmt, ap);
	fputc('\n', s->log);
	fflush(s->log);
}

void ud_usbip_log(struct ud_usbip_server *s, const struct ud_usbip_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog_line(s, c ? c->peer : NULL, fmt, ap);
	va_end(ap);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- connections --- */

void ud_usbip_conn_close(struct ud_usbip_server *s, struct ud_usbip_conn *c, bool bad,
                         const char *fmt, ...)
{
	va_list ap;
	char why[300];

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (bad)
		s->st.bad_clients++;
	if (s->importer == c) {
		unsigned dropped = ud_usbip_engine_flush(&s->eng) + (c->rx_urb && !c->rx_drop);
		struct ud_sim_result *r = &s->eng.r;

		s->st.dropped_urbs += dropped;
		ud_host_connect(s->w, false, r); /* unplugged: the next import starts afresh */
		s->importer = NULL;
		ud_usbip_log(s, c, "%s%s; device released (%u URBs completed, %u dropped)",
		             bad ? "closing connection: " : "", why, c->urbs, dropped);
	} else {
		ud_usbip_log(s, c, "%s%s", bad ? "closing connection: " : "", why);
	}
	if (c->rx_urb)
		ud_usbip_urb_free(c->rx_urb);
	free(c->out);
	close(c->fd);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Room for @p n more output bytes; false (and the connection closed) if memory ran out. */
static bool out_reserve(struct ud_usbip_server *s, struct ud_usbip_conn *c, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (c->out_off > 0 && c->out_off == c->out_len) {
		c->out_off = 0;
		c->out_len = 0;
	}
	if (c->out_len + n <= c->out_cap)
		return true;
	if (c->out_off > 0) {
		memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
		c->out_len -= c->out_off;
		c->out_off = 0;
		if (c->out_len + n <= c->out_cap)
			return true;
	}
	cap = c->out_cap ? c->out_cap : 4096;
	while (cap < c->out_len + n)
		cap *= 2;
	p = realloc(c->out, cap);
	if (!p) {
		ud_usbip_conn_close(s, c, false, "out of memory for %zu output bytes",
		                    c->out_len + n);
		return false;
	}
	c->out = p;
	c->out_cap = cap;
	return true;
}

bool ud_usbip_conn_send(struct ud_usbip_server *s, struct ud_usbip_conn *c, const void *a,
                        size_t na, const void *b, size_t nb)
{
	if (!out_reserve(s, c, na + nb))
		return false;
	memcpy(c->out + c->out_len, a, na);
	if (nb)
		memcpy(c->out + c->out_len + na, b, nb);
	c->out_len += na + nb;
	return true;
}

static size_t out_pending(const struct ud_usbip_conn *c)
{
	return c->out_len - c->out_off;
}

/* Send what the socket takes now. A drained connection in the closing phase is closed. */
static void conn_flush(struct ud_usbip_server *s, struct ud_usbip_conn *c)
{
	while (out_pending(c) > 0) {
		ssize_t n = send(c->fd, c->out + c->out_off, out_pending(c),
		                 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n <= 0) {
			ud_usbip_conn_close(s, c, false, "connection lost while sending: %s",
			                    n < 0 ? strerror(errno) : "closed");
			return;
		}
		c->out_off += (size_t)n;
	}
	if (c->phase == UD_USBIP_PH_DRAIN)
		ud_usbip_conn_close(s, c, false, "reply sent, connection closed");
}

static void conn_read(struct ud_usbip_server *s, struct ud_usbip_conn *c)
{
	static uint8_t buf[65536];
	size_t total = 0;

	/* Bounded per call, so that one busy client cannot starve the device or the others. */
	while (c->fd >= 0 && total < (1u << 20)) {
		ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n <= 0) {
			ud_usbip_conn_eof(s, c, n < 0 ? strerror(errno) : NULL);
			return;
		}
		total += (size_t)n;
		if (c->phase == UD_USBIP_PH_DRAIN)
			continue; /* nothing more is expected; the reply is on its way */
		if (!ud_usbip_conn_feed(s, c, buf, (size_t)n))
			return;
	}
}

static void peer_name(const struct sockaddr_storage *sa, socklen_t len, char *out, size_t cap)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo((const struct sockaddr *)sa, len, host, sizeof(host), serv, sizeof(serv),
	                NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		snprintf(out, cap, "client");
		return;
	}
	snprintf(out, cap, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, serv);
}

static void accept_clients(struct ud_usbip_server *s)
{
	for (;;) {
		struct sockaddr_storage sa;
		socklen_t len = sizeof(sa);
		struct ud_usbip_conn *c = NULL;
		int one = 1, fd;
		unsigned i;

		fd = accept4(s->lfd, (struct sockaddr *)&sa, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		for (i = 0; i < UD_USBIP_MAX_CONN && !c; i++)
			if (s->conns[i].fd < 0)
				c = &s->conns[i];
		s->st.connections++;
		if (!c) {
			char peer[80];

			peer_name(&sa, len, peer, sizeof(peer));
			ud_usbip_log(s, NULL, "%s: refused: already %u connections", peer,
			             UD_USBIP_MAX_CONN);
			close(fd);
			continue;
		}
		/* URBs are small and latency-bound: send each reply at once. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->phase = UD_USBIP_PH_OP;
		c->opened_ms = now_ms();
		peer_name(&sa, len, c->peer, sizeof(c->peer));
		if (s->cfg.verbose)
			ud_usbip_log(s, c, "connected");
	}
}

/* --- the server --- */

static int listen_on(struct ud_usbip_server *s, char *err, size_t errlen)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_storage sa;
	socklen_t len = sizeof(sa);
	char port[8];
	int one = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", (unsigned)s->cfg.port);
	rc = getaddrinfo(s->host, port, &hints, &ai);
	if (rc != 0) {
		snprintf(err, errlen, "bad listen address '%s': %s", s->host, gai_strerror(rc));
		return -1;
	}
	s->lfd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(s->lfd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(s->lfd, 16) != 0 ||
	    getsockname(s->lfd, (struct sockaddr *)&sa, &len) != 0) {
		snprintf(err, errlen, "cannot listen on %s:%s: %s", s->host, port, strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	s->port = ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
	                                         : ((struct sockaddr_in *)&sa)->sin_port);
	return 0;
}

struct ud_usbip_server *ud_usbip_server_open(struct ud_world *w, const struct ud_usbip_config *cfg,
                                             char *err, size_t errlen)
{
	struct ud_usbip_server *s = calloc(1, sizeof(*s));
	unsigned i;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->w = w;
	s->cfg = *cfg;
	s->log = cfg->log ? cfg->log : stderr;
	s->lfd = -1;
	s->op_timeout_ms = cfg->op_timeout_ms ? cfg->op_timeout_ms : UD_USBIP_OP_TIMEOUT_MS;
	snprintf(s->host, sizeof(s->host), "%s", cfg->host ? cfg->host : "127.0.0.1");
	for (i = 0; i < UD_USBIP_MAX_CONN; i++)
		s->conns[i].fd = -1;
	if (ud_usbip_device_probe(w, cfg->device, &cfg->opt, &s->rec, err, errlen) != 0 ||
	    listen_on(s, err, errlen) != 0) {
		ud_usbip_server_close(s);
		return NULL;
	}
	ud_host_connect(w, false, &s->eng.r); /* unplugged until a client imports it */
	ud_usbip_log(s, NULL,
	             "listening on %s%s%s:%u, exporting '%s' as bus id %s "
	             "(%04x:%04x, %s speed, %u interface%s%s)",
	             strchr(s->host, ':') ? "[" : "", s->host, strchr(s->host, ':') ? "]" : "",
	             (unsigned)s->port, cfg->device, s->rec.busid, s->rec.vid, s->rec.pid,
	             s->rec.speed == UD_USBIP_SPEED_HIGH ? "high" : "full",
	             (unsigned)s->rec.num_intf, s->rec.num_intf == 1 ? "" : "s",
	             cfg->opt.port == UD_SIM_PORT_FSDEV ? ", on port/stm32_fsdev" : "");
	return s;
}

uint16_t ud_usbip_server_port(const struct ud_usbip_server *s)
{
	return s->port;
}

const struct ud_usbip_device *ud_usbip_server_device(const struct ud_usbip_server *s)
{
	return &s->rec;
}

const struct ud_usbip_stats *ud_usbip_server_stats(const struct ud_usbip_server *s)
{
	return &s->st;
}

bool ud_usbip_server_busy(const struct ud_usbip_server *s)
{
	return s->importer != NULL;
}

void ud_usbip_server_close(struct ud_usbip_server *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < UD_USBIP_MAX_CONN; i++)
		if (s->conns[i].fd >= 0)
			ud_usbip_conn_close(s, &s->conns[i], false, "server shutting down");
	if (s->lfd >= 0)
		close(s->lfd);
	free(s);
}

/* Output beyond this stops reading from a client (and moving its URBs) until it drains. */
#define OUT_HIGH_WATER (8u << 20)

/* How long poll() may sleep: not at all while packets move; a little, growing, while every
 * pending URB is NAKed (only the device's step hook or the client can change that); until a
 * socket event otherwise. */
static int wait_ms(struct ud_usbip_server *s, int timeout_ms)
{
	int64_t t = -1, now = now_ms();
	unsigned i;

	if (s->importer && s->eng.pending > 0 && out_pending(s->importer) <= OUT_HIGH_WATER)
		t = s->idle_rounds < 8 ? 0 : (s->idle_rounds < 13 ? 1 << (s->idle_rounds - 8) : 20);
	for (i = 0; i < UD_USBIP_MAX_CONN; i++) {
		const struct ud_usbip_conn *c = &s->conns[i];
		int64_t left;

		if (c->fd < 0 || c->phase > UD_USBIP_PH_BUSID)
			continue;
		left = c->opened_ms + s->op_timeout_ms - now;
		if (left < 0)
			left = 0;
		if (t < 0 || left < t)
			t = left;
	}
	if (timeout_ms >= 0 && (t < 0 || timeout_ms < t))
		t = timeout_ms;
	return (int)t;
}

static void expire_slow_clients(struct ud_usbip_server *s)
{
	int64_t now = now_ms();
	unsigned i;

	for (i = 0; i < UD_USBIP_MAX_CONN; i++) {
		struct ud_usbip_conn *c = &s->conns[i];

		if (c->fd >= 0 && c->phase <= UD_USBIP_PH_BUSID &&
		    now - c->opened_ms >= (int64_t)s->op_timeout_ms)
			ud_usbip_conn_close(s, c, true,
			                    "no complete operation request within %u ms",
			                    s->op_timeout_ms);
	}
}

/* Rounds of the URB engine while packets move (bounded, to get back to the sockets). */
static void run_device(struct ud_usbip_server *s)
{
	unsigned i;

	if (!s->importer || s->eng.pending == 0 || out_pending(s->importer) > OUT_HIGH_WATER)
		return;
	for (i = 0; i < 256 && s->importer && s->eng.pending > 0; i++) {
		if (!ud_usbip_engine_round(&s->eng)) {
			s->idle_rounds++;
			return;
		}
		s->idle_rounds = 0;
	}
}

int ud_usbip_server_poll(struct ud_usbip_server *s, int timeout_ms)
{
	struct pollfd pfd[1 + UD_USBIP_MAX_CONN];
	struct ud_usbip_conn *map[1 + UD_USBIP_MAX_CONN];
	nfds_t n = 1, k;
	unsigned i;

	pfd[0].fd = s->lfd;
	pfd[0].events = POLLIN;
	map[0] = NULL;
	for (i = 0; i < UD_USBIP_MAX_CONN; i++) {
		struct ud_usbip_conn *c = &s->conns[i];

		if (c->fd < 0)
			continue;
		pfd[n].fd = c->fd;
		pfd[n].events = (short)((out_pending(c) < OUT_HIGH_WATER ? POLLIN : 0) |
		                        (out_pending(c) > 0 ? POLLOUT : 0));
		map[n++] = c;
	}
	if (poll(pfd, n, wait_ms(s, timeout_ms)) < 0 && errno != EINTR) {
		ud_usbip_log(s, NULL, "poll: %s", strerror(errno));
		return -1;
	}
	if (pfd[0].revents & POLLIN)
		accept_clients(s);
	for (k = 1; k < n; k++) {
		struct ud_usbip_conn *c = map[k];

		if (c->fd == pfd[k].fd && (pfd[k].revents & POLLOUT))
			conn_flush(s, c);
		if (c->fd == pfd[k].fd && (pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
			conn_read(s, c);
	}
	expire_slow_clients(s);
	run_device(s);
	for (i = 0; i < UD_USBIP_MAX_CONN; i++)
		if (s->conns[i].fd >= 0 && out_pending(&s->conns[i]) > 0)
			conn_flush(s, &s->conns[i]);
	return 0;
}

int ud_usbip_server_run(struct ud_usbip_server *s)
{
	while (ud_usbip_server_poll(s, -1) == 0)
		;
	return 1;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int ud_usbip_parse_listen(const char *str, char *host, size_t hostlen, uint16_t *port)
{
	const char *h = str, *p = NULL, *colon = strchr(str, ':');
	unsigned long v = UD_USBIP_PORT;
	size_t hl;

	if (str[0] == '[') { /* [v6]:port or [v6] */
		const char *rb = strchr(str, ']');

		if (!rb || (rb[1] != '\0' && rb[1] != ':'))
			return -1;
		h = str + 1;
		hl = (size_t)(rb - h);
		if (rb[1] == ':')
			p = rb + 2;
	} else if (colon && !strchr(colon + 1, ':')) { /* addr:port or :port */
		hl = (size_t)(colon - str);
		p = colon + 1;
	} else if (!colon && all_digits(str)) { /* a bare port */
		hl = 0;
		p = str;
	} else { /* an address alone: IPv4, or IPv6 without brackets */
		hl = strlen(str);
	}
	if (hl + 1 > hostlen || (p && !all_digits(p)))
		return -1;
	if (p) {
		v = strtoul(p, NULL, 10);
		if (strlen(p) > 5 || v > 65535)
			return -1;
	}
	if (hl == 0) {
		snprintf(host, hostlen, "127.0.0.1");
	} else {
		memcpy(host, h, hl);
		host[hl] = '\0';
	}
	*port = (uint16_t)v;
	return 0;
}

unsigned ud_usbip_fault_from_name(const char *name)
{
	if (strcmp(name, "corrupt-in") == 0)
		return UD_USBIP_FAULT_CORRUPT_IN;
	return 0;
}
