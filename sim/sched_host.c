/* SPDX-License-Identifier: MIT */
/* The scheduler's host moves: writing and reading the workload, enumerating again, faults;
 * and moves as script words. See scheduler.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_bus.h"
#include "devices.h"
#include "enumerate.h"
#include "invariants.h"
#include "sched_internal.h"

static const char *const fault_names[UD_FAULT_COUNT] = {
	"reset", "disconnect", "set-config", "set-interface", "clear-halt", "suspend", "lines",
};

/* Results are large (4 KiB of data): one, not on the stack. */
static struct ud_sim_result res;

const char *ud_fault_name(enum ud_fault f)
{
	return (unsigned)f < UD_FAULT_COUNT ? fault_names[f] : "unknown";
}

bool ud_faults_parse(const char *list, uint32_t *mask)
{
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned f;

		if (n == 3 && strncmp(p, "all", 3) == 0) {
			*mask |= UD_FAULTS_ALL;
		} else if (!(n == 4 && strncmp(p, "none", 4) == 0)) {
			for (f = 0; f < UD_FAULT_COUNT; f++) {
				if (strlen(fault_names[f]) == n &&
				    strncmp(p, fault_names[f], n) == 0)
					break;
			}
			if (f == UD_FAULT_COUNT)
				return false;
			*mask |= 1u << f;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return true;
}

void ud_faults_format(uint32_t mask, char *buf, size_t cap)
{
	size_t used = 0;
	unsigned f;

	buf[0] = '\0';
	for (f = 0; f < UD_FAULT_COUNT; f++) {
		if (mask & (1u << f))
			used += (size_t)snprintf(buf + used, used < cap ? cap - used : 0, "%s%s",
			                         used ? "," : "", fault_names[f]);
	}
	if (!used)
		snprintf(buf, cap, "none");
}

static uint8_t workload_intf(const struct ud_sched *s)
{
	const struct ud_work_plan *p = ud_sched_plan();
	const struct ud_host *h = &s->w.host;

	if (p->ep_out && h->ep[p->ep_out].intf_out != 0xff)
		return h->ep[p->ep_out].intf_out;
	if (p->ep_in && h->ep[p->ep_in].intf_in != 0xff)
		return h->ep[p->ep_in].intf_in;
	return 0;
}

/* The negative control of the explorer's dead-end check (docs/verification.md): with
 * UD_SIM_NO_SOF_MOVE set in the environment, the `sof` move is never offered. */
static bool sof_move_on(void)
{
	static int on = -1;
	if (on < 0)
		on = getenv("UD_SIM_NO_SOF_MOVE") == NULL;
	return on != 0;
}

unsigned ud_sched_host_moves(const struct ud_sched *s, const struct ud_sched_cfg *c,
                             struct ud_move *out)
{
	const struct ud_work_plan *p = ud_sched_plan();
	uint8_t pkt[UD_HOST_PACKET_MAX];
	uint16_t len;
	unsigned n = 0, f;

	if (s->w.host.config == 0) {
		out[n++] = (struct ud_move){UD_MV_ENUM, 0, 0};
		return n;
	}
	if (ud_bus_suspended(&s->w)) {
		/* A suspended bus carries no transactions: the host resumes it, or resets or
		 * unplugs the device. */
		out[n++] = (struct ud_move){UD_MV_RESUME, 0, 0};
		for (f = UD_FAULT_RESET; f <= UD_FAULT_DISCONNECT; f++) {
			if (s->faults_used < c->max_faults && (c->faults & (1u << f)))
				out[n++] = (struct ud_move){UD_MV_FAULT, (uint8_t)f, 0};
		}
		return n;
	}
	if (p->ep_out && ud_work_out_next(&s->work, p, ud_host_mps(&s->w.host, p->ep_out, false),
	                                  pkt, sizeof(pkt), &len))
		out[n++] = (struct ud_move){UD_MV_OUT, p->ep_out, 0};
	if (p->ep_in)
		out[n++] = (struct ud_move){UD_MV_IN, p->ep_in, 0};
	if (p->ep_notify && ud_sched_lines(c))
		out[n++] = (struct ud_move){UD_MV_IN, p->ep_notify, 0};
	/* A running bus sends an SOF every frame; it is a move only where it matters: while the
	 * fsdev sits in suspend mode on that running bus, when the next SOF is what wakes it
	 * (ud_sched_frame_tick()), and only until it has: later SOFs would only count frames.
	 * Elsewhere the fair continuation's SOFs suffice, and an SOF at every state would
	 * multiply the states for nothing. */
	if (ud_bus_sof_wakes(&s->w) && sof_move_on())
		out[n++] = (struct ud_move){UD_MV_SOF, 0, 0};
	if (s->faults_used >= c->max_faults)
		return n;
	for (f = 0; f < UD_FAULT_CLEAR_HALT; f++) {
		if (c->faults & (1u << f))
			out[n++] = (struct ud_move){UD_MV_FAULT, (uint8_t)f, 0};
	}
	if (c->faults & (1u << UD_FAULT_CLEAR_HALT)) {
		if (p->ep_out)
			out[n++] = (struct ud_move){UD_MV_FAULT, UD_FAULT_CLEAR_HALT, p->ep_out};
		if (p->ep_in)
			out[n++] = (struct ud_move){UD_MV_FAULT, UD_FAULT_CLEAR_HALT,
			                            (uint8_t)(0x80u | p->ep_in)};
	}
	if (c->faults & (1u << UD_FAULT_SUSPEND))
		out[n++] = (struct ud_move){UD_MV_FAULT, UD_FAULT_SUSPEND, 0};
	if (p->ep_notify && ud_sched_lines(c))
		out[n++] = (struct ud_move){UD_MV_FAULT, UD_FAULT_LINES, 0};
	return n;
}

/* A handshake the workload never provokes: the endpoint is open and nobody halted it. */
static void unexpected(const char *dir, uint8_t ep, const struct ud_sim_result *r)
{
	ud_verdict_fail("host %s EP%u: unexpected %s%s%s", dir, ep, ud_sim_status_name(r->status),
	                r->message[0] ? ": " : "", r->message);
}

static bool host_out(struct ud_sched *s, uint8_t ep, char *desc, size_t cap)
{
	const struct ud_work_plan *p = ud_sched_plan();
	uint16_t mps = ud_host_mps(&s->w.host, ep, false), len;
	uint8_t pkt[UD_HOST_PACKET_MAX];
	unsigned unit = s->work.next, off = s->work.out_off;

	if (s->w.host.config == 0 || ep != p->ep_out || ud_bus_suspended(&s->w) ||
	    !ud_work_out_next(&s->work, p, mps, pkt, sizeof(pkt), &len))
		return false;
	ud_host_out_packet(&s->w, ep, pkt, len, &res);
	if (desc)
		snprintf(desc, cap, "host-out %u: %s %u (%s) bytes %u..%u -> %s", ep,
		         ud_work_noun(p), unit, p->unit[unit].label, off, off + len,
		         ud_sim_status_name(res.status));
	if (res.status == UD_SIM_ACK)
		ud_work_out_acked(&s->work, p, mps);
	else if (res.status != UD_SIM_NAK)
		unexpected("OUT", ep, &res);
	return true;
}

/* An IN token on the notification endpoint: a SERIAL_STATE, if one waits (workload.h). */
static bool host_notify(struct ud_sched *s, uint8_t ep, char *desc, size_t cap)
{
	char msg[200];

	ud_host_in_packet(&s->w, ep, &res);
	if (desc) {
		if (res.status == UD_SIM_ACK && res.len == 10)
			snprintf(desc, cap, "host-in %02x: SERIAL_STATE 0x%02x%02x -> ack",
			         0x80u | ep, res.data[9], res.data[8]);
		else
			snprintf(desc, cap, "host-in %02x: %u bytes -> %s", 0x80u | ep, res.len,
			         ud_sim_status_name(res.status));
	}
	if (res.status == UD_SIM_ACK && res.dup)
		ud_verdict_fail("host IN EP%u: a repeated notification (wrong DATA PID)", ep);
	else if (res.status == UD_SIM_ACK &&
	         !ud_work_notify(&s->work, ud_sched_plan(), res.data, res.len, msg, sizeof(msg)))
		ud_verdict_fail("host IN EP%u: %s", ep, msg);
	else if (res.status != UD_SIM_ACK && res.status != UD_SIM_NAK)
		unexpected("IN", ep, &res);
	return true;
}

static bool host_in(struct ud_sched *s, const struct ud_sched_cfg *c, uint8_t ep, char *desc,
                    size_t cap)
{
	const struct ud_work_plan *p = ud_sched_plan();
	uint16_t mps = ud_host_mps(&s->w.host, ep, true);
	unsigned unit = s->work.first;
	char msg[200];

	if (s->w.host.config == 0 || ud_bus_suspended(&s->w))
		return false;
	if (p->ep_notify && ep == p->ep_notify)
		return ud_sched_lines(c) && host_notify(s, ep, desc, cap);
	if (ep != p->ep_in)
		return false;
	ud_host_in_packet(&s->w, ep, &res);
	if (desc) {
		if (res.status == UD_SIM_ACK)
			snprintf(desc, cap, "host-in %02x: %u bytes (answer of %s %u) -> ack",
			         0x80u | ep, res.len, ud_work_noun(ud_sched_plan()), unit);
		else
			snprintf(desc, cap, "host-in %02x: -> %s", 0x80u | ep,
			         ud_sim_status_name(res.status));
	}
	if (res.status == UD_SIM_ACK && res.dup)
		ud_verdict_fail("host IN EP%u: a packet with the wrong DATA PID (a repeat): the "
		                "device lost its data toggle",
		                ep);
	else if (res.status == UD_SIM_ACK &&
	         !ud_work_in(&s->work, p, mps, res.data, res.len, msg, sizeof(msg)))
		ud_verdict_fail("host IN EP%u: %s", ep, msg);
	else if (res.status != UD_SIM_ACK && res.status != UD_SIM_NAK)
		unexpected("IN", ep, &res);
	return true;
}

static bool host_enumerate(struct ud_sched *s, char *desc, size_t cap)
{
	static struct ud_enum_log log;

	if (s->w.host.config != 0)
		return false;
	s->w.host.manual = 0;
	ud_enumerate(&s->w, UD_OS_LINUX, &res, &log);
	s->w.host.manual = 1;
	if (desc)
		snprintf(desc, cap, "enumerate: the host enumerates again -> %s, address %u",
		         ud_sim_status_name(res.status), s->w.host.addr);
	if (res.status != UD_SIM_OK)
		ud_verdict_fail("enumeration after a fault failed: %s: %s",
		                ud_sim_status_name(res.status), res.message);
	return true;
}

/* A control transfer as one event: the host pumps around each packet, delivering EP0's and the
 * bus's interrupts; the data endpoints' stay pending, each still a move of its own. */
static void control(struct ud_sched *s, uint8_t bm, uint8_t req, uint16_t value, uint16_t index,
                    const char *what)
{
	struct ud_setup st = {.bmRequestType = bm,
	                      .bRequest = req,
	                      .wValue = value,
	                      .wIndex = index,
	                      .wLength = 0};

	s->w.host.manual = 0;
	s->w.host.defer_data_irqs = 1; /* the data path's interrupts stay moves of their own */
	ud_host_control(&s->w, &st, NULL, 0, &res);
	s->w.host.defer_data_irqs = 0;
	s->w.host.manual = 1;
	if (res.status != UD_SIM_OK)
		ud_verdict_fail("%s: %s%s%s", what, ud_sim_status_name(res.status),
		                res.message[0] ? ": " : "", res.message);
}

static bool fault(struct ud_sched *s, const struct ud_sched_cfg *c, const struct ud_move *m,
                  char *desc, size_t cap)
{
	uint8_t intf = workload_intf(s);

	bool suspended = ud_bus_suspended(&s->w);

	if (s->w.host.config == 0 || m->arg >= UD_FAULT_COUNT || !(c->faults & (1u << m->arg)) ||
	    s->faults_used >= c->max_faults)
		return false;
	/* Only a reset or an unplug reaches a suspended device; a suspend needs a running bus. */
	if (suspended && m->arg != UD_FAULT_RESET && m->arg != UD_FAULT_DISCONNECT)
		return false;
	s->faults_used++;
	ud_work_fault(&s->work, ud_sched_plan(), m->arg);
	switch (m->arg) {
	case UD_FAULT_RESET:
		ud_host_reset(&s->w, &res); /* manual: only raises the reset */
		if (desc)
			snprintf(desc, cap, "fault reset: the host resets the bus");
		break;
	case UD_FAULT_DISCONNECT:
		ud_host_connect(&s->w, false, &res);
		if (desc)
			snprintf(desc, cap, "fault disconnect: the cable is pulled");
		break;
	case UD_FAULT_SET_CONFIG:
		control(s, 0x00, UD_REQ_SET_CONFIGURATION, 1, 0, "SET_CONFIGURATION(1) again");
		if (desc)
			snprintf(desc, cap, "fault set-config: SET_CONFIGURATION(1) again -> %s",
			         ud_sim_status_name(res.status));
		break;
	case UD_FAULT_SET_INTERFACE:
		control(s, 0x01, UD_REQ_SET_INTERFACE, 0, intf, "SET_INTERFACE");
		if (desc)
			snprintf(desc, cap, "fault set-interface: SET_INTERFACE(%u, 0) -> %s", intf,
			         ud_sim_status_name(res.status));
		break;
	case UD_FAULT_SUSPEND:
		ud_host_suspend(&s->w, true, &res); /* manual: only raises the suspend */
		if (desc)
			snprintf(desc, cap, "fault suspend: the host suspends the bus");
		break;
	case UD_FAULT_LINES: {
		const struct ud_work_plan *p = ud_sched_plan();
		bool dtr = !s->work.dtr;
		control(s, 0x21, 0x22, dtr ? 1u : 0u, p->notify_intf, "SET_CONTROL_LINE_STATE");
		if (res.status == UD_SIM_OK)
			ud_work_set_dtr(&s->work, dtr);
		if (desc)
			snprintf(desc, cap, "fault lines: SET_CONTROL_LINE_STATE(DTR %s) -> %s",
			         dtr ? "on" : "off", ud_sim_status_name(res.status));
		break;
	}
	default:
		control(s, 0x02, UD_REQ_CLEAR_FEATURE, UD_FEATURE_ENDPOINT_HALT, m->ep,
		        "CLEAR_FEATURE(ENDPOINT_HALT)");
		if (desc)
			snprintf(desc, cap,
			         "fault clear-halt %02x: CLEAR_FEATURE(ENDPOINT_HALT) -> %s", m->ep,
			         ud_sim_status_name(res.status));
		break;
	}
	return true;
}

bool ud_sched_host_apply(struct ud_sched *s, const struct ud_sched_cfg *c, const struct ud_move *m,
                         char *desc, size_t cap)
{
	switch (m->kind) {
	case UD_MV_OUT:
		return host_out(s, m->arg, desc, cap);
	case UD_MV_IN:
		return host_in(s, c, m->arg, desc, cap);
	case UD_MV_ENUM:
		return host_enumerate(s, desc, cap);
	case UD_MV_FAULT:
		return fault(s, c, m, desc, cap);
	case UD_MV_RESUME:
		if (s->w.host.config == 0 || !ud_bus_suspended(&s->w))
			return false;
		ud_host_suspend(&s->w, false, &res); /* manual: only raises the resume */
		if (desc)
			snprintf(desc, cap, "resume: the host resumes the bus");
		return true;
	case UD_MV_SOF:
		if (s->w.host.config == 0 || !ud_bus_sof_wakes(&s->w))
			return false;
		ud_sched_frame_tick(s);
		if (desc)
			snprintf(desc, cap, "sof: frame %u wakes the controller", s->w.host.frame);
		return true;
	default:
		return false;
	}
}

void ud_move_format(const struct ud_move *m, char *buf, size_t cap)
{
	switch (m->kind) {
	case UD_MV_IRQ:
		snprintf(buf, cap, "irq %x", m->arg);
		break;
	case UD_MV_TASK:
		snprintf(buf, cap, "task");
		break;
	case UD_MV_STEP:
		snprintf(buf, cap, "step");
		break;
	case UD_MV_OUT:
		snprintf(buf, cap, "host-out %x", m->arg);
		break;
	case UD_MV_IN:
		snprintf(buf, cap, "host-in %02x", 0x80u | m->arg);
		break;
	case UD_MV_ENUM:
		snprintf(buf, cap, "enumerate");
		break;
	case UD_MV_RESUME:
		snprintf(buf, cap, "resume");
		break;
	case UD_MV_SOF:
		snprintf(buf, cap, "sof");
		break;
	default:
		if (m->arg == UD_FAULT_CLEAR_HALT)
			snprintf(buf, cap, "fault clear-halt %02x", m->ep);
		else
			snprintf(buf, cap, "fault %s", ud_fault_name((enum ud_fault)m->arg));
		break;
	}
}

static bool hex_word(const char *w, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*w || strlen(w) > 2)
		return false;
	*v = strtoul(w, &end, 16);
	return *end == '\0' && *v <= max;
}

/* The moves that are one word: their kind, if @w is one. */
static bool word_move(const char *w, uint8_t *kind)
{
	static const struct {
		const char *word;
		uint8_t kind;
	} words[] = {
		{"task", UD_MV_TASK},     {"step", UD_MV_STEP}, {"enumerate", UD_MV_ENUM},
		{"resume", UD_MV_RESUME}, {"sof", UD_MV_SOF},
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(w, words[i].word) == 0) {
			*kind = words[i].kind;
			return true;
		}
	}
	return false;
}

bool ud_move_parse(int argc, char **argv, struct ud_move *m)
{
	unsigned long v = 0;
	unsigned f;

	memset(m, 0, sizeof(*m));
	if (argc < 1)
		return false;
	if (strcmp(argv[0], "irq") == 0) {
		if (argc > 2 || (argc == 2 && !hex_word(argv[1], 0xff, &v)))
			return false;
		*m = (struct ud_move){UD_MV_IRQ, (uint8_t)v, 0};
	} else if (word_move(argv[0], &m->kind)) {
		if (argc != 1)
			return false;
	} else if (strcmp(argv[0], "host-out") == 0 || strcmp(argv[0], "host-in") == 0) {
		bool in = argv[0][5] == 'i';
		if (argc != 2 || !hex_word(argv[1], 0xff, &v) || (v & 0x70) || (!in && (v & 0x80)))
			return false;
		*m = (struct ud_move){in ? UD_MV_IN : UD_MV_OUT, (uint8_t)(v & 0x0f), 0};
	} else if (strcmp(argv[0], "fault") == 0) {
		if (argc < 2)
			return false;
		for (f = 0; f < UD_FAULT_COUNT && strcmp(argv[1], fault_names[f]) != 0; f++)
			;
		if (f == UD_FAULT_COUNT || (f == UD_FAULT_CLEAR_HALT) != (argc == 3))
			return false;
		if (argc == 3 && !hex_word(argv[2], 0xff, &v))
			return false;
		*m = (struct ud_move){UD_MV_FAULT, (uint8_t)f, (uint8_t)v};
	} else {
		return false;
	}
	return true;
}
