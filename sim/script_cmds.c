/* SPDX-License-Identifier: MIT */
/* The script commands: bus events, transactions, transfers, interrupts and the task. Each
 * parses its words, acts through the host model and reports one JSON object. `expect` is in
 * script_expect.c. The table at the end is the language; docs/udsim.md describes it. */
#include <string.h>

#include "ctrl_bus.h"
#include "devices.h"
#include "enumerate.h"
#include "json.h"
#include "script.h"
#include "world.h"

static bool cmd_attach(struct ud_script *s, int argc, char **argv)
{
	static struct ud_enum_log log;
	struct ud_world *w = s->w;
	int os = UD_OS_LINUX;

	if (argc == 1 && (os = ud_host_os_parse(argv[0])) < 0)
		return ud_script_parse_error(s, "unknown OS '%.40s': linux, windows or macos",
		                             argv[0]);
	ud_enumerate(w, (enum ud_host_os)os, &s->last, &log);
	ud_script_report(s, "attach", UD_REPORT_OPEN);
	ud_json_str(s->out, "os", ud_host_os_name((enum ud_host_os)os));
	ud_json_int(s->out, "address", w->host.addr);
	ud_json_str(s->out, "speed", ud_sim_speed_name((enum ud_speed)w->host.speed));
	ud_json_int(s->out, "requests", (long)log.requests);
	ud_json_str(s->out, "steps", log.steps);
	ud_json_end(s->out);
	return true;
}

static bool cmd_reset(struct ud_script *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ud_host_reset(s->w, &s->last);
	ud_script_report(s, "reset", UD_REPORT_OPEN);
	ud_json_str(s->out, "speed", ud_sim_speed_name((enum ud_speed)s->w->host.speed));
	ud_json_end(s->out);
	return true;
}

static bool cmd_suspend(struct ud_script *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ud_host_suspend(s->w, true, &s->last);
	ud_script_report(s, "suspend", 0);
	return true;
}

static bool cmd_resume(struct ud_script *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ud_host_suspend(s->w, false, &s->last);
	ud_script_report(s, "resume", 0);
	return true;
}

static bool cmd_connect(struct ud_script *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ud_host_connect(s->w, true, &s->last);
	ud_script_report(s, "connect", 0);
	return true;
}

static bool cmd_disconnect(struct ud_script *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ud_host_connect(s->w, false, &s->last);
	ud_script_report(s, "disconnect", 0);
	return true;
}

static bool parse_setup(struct ud_script *s, char **argv, struct ud_setup *st)
{
	unsigned long v[5];

	if (!ud_script_hex(s, argv[0], 0xff, "bmRequestType", &v[0]) ||
	    !ud_script_hex(s, argv[1], 0xff, "bRequest", &v[1]) ||
	    !ud_script_hex(s, argv[2], 0xffff, "wValue", &v[2]) ||
	    !ud_script_hex(s, argv[3], 0xffff, "wIndex", &v[3]) ||
	    !ud_script_hex(s, argv[4], 0xffff, "wLength", &v[4]))
		return false;
	st->bmRequestType = (uint8_t)v[0];
	st->bRequest = (uint8_t)v[1];
	st->wValue = (uint16_t)v[2];
	st->wIndex = (uint16_t)v[3];
	st->wLength = (uint16_t)v[4];
	return true;
}

static bool cmd_setup(struct ud_script *s, int argc, char **argv)
{
	struct ud_setup st;
	uint16_t len = 0;
	bool in;

	if (!parse_setup(s, argv, &st))
		return false;
	in = UD_EP_IS_IN(st.bmRequestType);
	if (argc == 6) {
		if (in)
			return ud_script_parse_error(s, "an IN request takes no DATAHEX");
		if (!ud_script_data(s, argv[5], &len))
			return false;
	} else if (!in && st.wLength > 0) {
		return ud_script_parse_error(s, "an OUT request with wLength %x needs DATAHEX",
		                             st.wLength);
	}
	ud_host_control(s->w, &st, s->data, len, &s->last);
	ud_script_report(s, "setup", in ? UD_REPORT_LEN | UD_REPORT_DATA : UD_REPORT_LEN);
	return true;
}

static bool cmd_setup_packet(struct ud_script *s, int argc, char **argv)
{
	struct ud_setup st;

	(void)argc;
	if (!parse_setup(s, argv, &st))
		return false;
	ud_host_setup_packet(s->w, &st, &s->last);
	ud_script_report(s, "setup-packet", 0);
	return true;
}

static bool cmd_out(struct ud_script *s, int argc, char **argv)
{
	uint8_t ep;
	uint16_t len;

	(void)argc;
	if (!ud_script_ep(s, argv[0], false, &ep) || !ud_script_data(s, argv[1], &len))
		return false;
	ud_host_out_packet(s->w, ep, s->data, len, &s->last);
	s->last.len = len;
	ud_script_report(s, "out", UD_REPORT_PID | UD_REPORT_LEN);
	return true;
}

static bool cmd_in(struct ud_script *s, int argc, char **argv)
{
	uint8_t ep;

	(void)argc;
	if (!ud_script_ep(s, argv[0], true, &ep))
		return false;
	ud_host_in_packet(s->w, ep, &s->last);
	ud_script_report(s, "in", UD_REPORT_PID | UD_REPORT_LEN | UD_REPORT_DATA);
	return true;
}

static bool cmd_write(struct ud_script *s, int argc, char **argv)
{
	uint8_t ep;
	uint16_t len;

	if (!ud_script_ep(s, argv[0], false, &ep) || !ud_script_data(s, argv[1], &len))
		return false;
	if (argc == 3 && strcmp(argv[2], "zlp") != 0)
		return ud_script_parse_error(s, "write: third word must be 'zlp', not '%.40s'",
		                             argv[2]);
	ud_host_write(s->w, ep, s->data, len, argc == 3, &s->last);
	ud_script_report(s, "write", UD_REPORT_LEN);
	return true;
}

static bool cmd_read(struct ud_script *s, int argc, char **argv)
{
	unsigned long maxlen;
	uint8_t ep;

	(void)argc;
	if (!ud_script_ep(s, argv[0], true, &ep) ||
	    !ud_script_hex(s, argv[1], 0xffff, "MAXLEN", &maxlen))
		return false;
	ud_host_read(s->w, ep, (uint16_t)maxlen, &s->last);
	ud_script_report(s, "read", UD_REPORT_LEN | UD_REPORT_DATA);
	return true;
}

static bool cmd_manual(struct ud_script *s, int argc, char **argv)
{
	(void)argc;
	if (strcmp(argv[0], "on") != 0 && strcmp(argv[0], "off") != 0)
		return ud_script_parse_error(s, "usage: manual on|off");
	s->w->host.manual = strcmp(argv[0], "on") == 0;
	ud_host_result_clear(&s->last, UD_SIM_OK);
	/* Back in auto mode the host catches up with whatever the script left pending. */
	ud_host_pump(s->w, &s->last);
	ud_script_report(s, "manual", UD_REPORT_OPEN);
	ud_json_bool(s->out, "manual", s->w->host.manual);
	ud_json_end(s->out);
	return true;
}

static void irq_fields(FILE *out, const struct ud_vdc_irq *q)
{
	char ep[4];

	ud_json_str(out, "kind", ud_vdc_irq_name((enum ud_vdc_irq_kind)q->kind));
	switch (q->kind) {
	case UD_VDC_IRQ_XFER:
		snprintf(ep, sizeof(ep), "%02x", q->ep);
		ud_json_str(out, "ep", ep);
		ud_json_int(out, "actual", (long)q->actual);
		ud_json_str(out, "xfer_status", ud_status_name(q->status));
		break;
	case UD_VDC_IRQ_SETUP:
		ud_json_hex(out, "setup", q->setup, sizeof(q->setup));
		break;
	case UD_VDC_IRQ_RESET:
		ud_json_str(out, "speed", ud_sim_speed_name((enum ud_speed)q->frame));
		break;
	case UD_VDC_IRQ_SOF:
		ud_json_int(out, "frame", q->frame);
		break;
	default:
		break;
	}
}

/* The fsdev has one interrupt line: its "interrupt" is the USB_ISTR the handler will see. */
static void line_fields(FILE *out, uint16_t istr)
{
	char hex[8];

	snprintf(hex, sizeof(hex), "%04x", istr);
	ud_json_str(out, "kind", "line");
	ud_json_str(out, "istr", hex);
}

static bool cmd_irq(struct ud_script *s, int argc, char **argv)
{
	struct ud_world *w = s->w;
	const struct ud_vdc_irq *q = NULL;
	struct ud_vdc_irq copy;
	bool line = w->opt.port == UD_SIM_PORT_FSDEV;
	unsigned long n = 0;
	int rc;

	if (argc == 1 && !ud_script_hex(s, argv[0], 0xff, "interrupt index", &n))
		return false;
	ud_host_result_clear(&s->last, UD_SIM_OK);
	if (!line)
		q = ud_vdc_irq_peek(&w->vdc, (unsigned)n);
	if (line ? n >= ud_bus_irq_count(w) : !q) {
		ud_host_fail(&s->last, UD_SIM_ERROR, "no pending interrupt %lx (%u pending)", n,
		             ud_bus_irq_count(w));
		ud_script_report(s, "irq", 0);
		return true;
	}
	/* Delivering removes a vdc interrupt, and the fsdev handler changes USB_ISTR: report
	 * what was there before. */
	if (q)
		copy = *q;
	uint16_t istr = line ? ud_fsdev_model_istr(&w->fsdev.hw) : 0;
	rc = ud_bus_irq_deliver(w, (unsigned)n);
	if (rc != 0) {
		/* A bus event is a barrier both ways (docs/udsim.md): say which way it held. */
		bool bus = q && ud_vdc_irq_is_bus_event((enum ud_vdc_irq_kind)copy.kind);
		const char *why = line  ? "the handler left it asserted"
		                  : bus ? "a bus event waits for the interrupts raised before it"
		                        : "a bus event before it is pending";
		ud_host_fail(&s->last, UD_SIM_ERROR, "interrupt %lx not deliverable: %s", n,
		             rc == UD_ERR_STATE ? why : ud_status_name(rc));
	}
	ud_script_report(s, "irq", UD_REPORT_OPEN);
	if (line)
		line_fields(s->out, istr);
	else
		irq_fields(s->out, &copy);
	ud_json_end(s->out);
	return true;
}

static bool cmd_irqs(struct ud_script *s, int argc, char **argv)
{
	const struct ud_world *w = s->w;
	unsigned i, n = ud_bus_irq_count(w);

	(void)argc;
	(void)argv;
	ud_host_result_clear(&s->last, UD_SIM_OK);
	ud_script_report(s, "irqs", UD_REPORT_OPEN);
	ud_json_int(s->out, "count", (long)n);
	fputs(",\"irqs\":[", s->out);
	for (i = 0; i < n; i++) {
		fprintf(s->out, "%s{\"n\":%u", i ? "," : "", i);
		if (w->opt.port == UD_SIM_PORT_FSDEV)
			line_fields(s->out, ud_fsdev_model_istr(&w->fsdev.hw));
		else
			irq_fields(s->out, ud_vdc_irq_peek(&w->vdc, i));
		ud_json_bool(s->out, "deliverable", ud_bus_irq_deliverable(w, i));
		fputc('}', s->out);
	}
	fputc(']', s->out);
	ud_json_end(s->out);
	return true;
}

static bool cmd_task(struct ud_script *s, int argc, char **argv)
{
	bool busy;

	(void)argc;
	(void)argv;
	ud_host_result_clear(&s->last, UD_SIM_OK);
	busy = ud_task(&s->w->dev);
	ud_script_report(s, "task", UD_REPORT_OPEN);
	ud_json_bool(s->out, "busy", busy);
	ud_json_end(s->out);
	return true;
}

static bool cmd_step(struct ud_script *s, int argc, char **argv)
{
	struct ud_world *w = s->w;

	(void)argc;
	(void)argv;
	ud_host_result_clear(&s->last, UD_SIM_OK);
	if (w->def->step)
		w->def->step(w);
	ud_host_pump(w, &s->last);
	ud_script_report(s, "step", UD_REPORT_OPEN);
	ud_json_bool(s->out, "hook", w->def->step != NULL);
	ud_json_end(s->out);
	return true;
}

static bool cmd_sof(struct ud_script *s, int argc, char **argv)
{
	unsigned long frame = 0;

	if (argc == 1 && !ud_script_hex(s, argv[0], 0x7ff, "frame", &frame))
		return false;
	ud_host_sof(s->w, argc == 1 ? (int)frame : -1, &s->last);
	ud_script_report(s, "sof", UD_REPORT_OPEN);
	ud_json_int(s->out, "frame", s->w->host.frame);
	ud_json_end(s->out);
	return true;
}

/* Extension: what the core and controller think, for debugging scripts. */
static bool cmd_state(struct ud_script *s, int argc, char **argv)
{
	const struct ud_world *w = s->w;

	(void)argc;
	(void)argv;
	ud_host_result_clear(&s->last, UD_SIM_OK);
	ud_script_report(s, "state", UD_REPORT_OPEN);
	ud_json_str(s->out, "state", ud_state_name(ud_device_state(&w->dev)));
	ud_json_bool(s->out, "suspended", ud_device_suspended(&w->dev));
	ud_json_int(s->out, "config", ud_device_configuration(&w->dev));
	ud_json_int(s->out, "address", ud_bus_address(w));
	ud_json_int(s->out, "host_address", w->host.addr);
	ud_json_str(s->out, "speed", ud_sim_speed_name(ud_device_speed(&w->dev)));
	ud_json_int(s->out, "pending_irqs", (long)ud_bus_irq_count(w));
	ud_json_str(s->out, "port", ud_sim_port_name((enum ud_sim_port)w->opt.port));
	ud_json_bool(s->out, "manual", w->host.manual);
	ud_json_end(s->out);
	return true;
}

/* Extension: a world is one plain struct (world.h), so a state is saved and restored by copy,
 * as the explorer does. One slot. */
static struct ud_world saved_world;
static bool saved_valid;

static bool cmd_save(struct ud_script *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	memcpy(&saved_world, s->w, sizeof(saved_world));
	saved_valid = true;
	ud_host_result_clear(&s->last, UD_SIM_OK);
	ud_script_report(s, "save", 0);
	return true;
}

static bool cmd_restore(struct ud_script *s, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	ud_host_result_clear(&s->last, UD_SIM_OK);
	if (saved_valid)
		memcpy(s->w, &saved_world, sizeof(saved_world));
	else
		ud_host_fail(&s->last, UD_SIM_ERROR, "nothing saved");
	ud_script_report(s, "restore", 0);
	return true;
}

static const struct ud_script_cmd commands[] = {
	{"attach", 0, 1, "attach [linux|windows|macos]", cmd_attach},
	{"reset", 0, 0, "reset", cmd_reset},
	{"suspend", 0, 0, "suspend", cmd_suspend},
	{"resume", 0, 0, "resume", cmd_resume},
	{"connect", 0, 0, "connect", cmd_connect},
	{"disconnect", 0, 0, "disconnect", cmd_disconnect},
	{"setup", 5, 6, "setup BMREQUESTTYPE BREQUEST WVALUE WINDEX WLENGTH [DATAHEX]", cmd_setup},
	{"setup-packet", 5, 5, "setup-packet BMREQUESTTYPE BREQUEST WVALUE WINDEX WLENGTH",
         cmd_setup_packet},
	{"out", 2, 2, "out EP HEX|-", cmd_out},
	{"in", 1, 1, "in EP", cmd_in},
	{"write", 2, 3, "write EP HEX|- [zlp]", cmd_write},
	{"read", 2, 2, "read EP MAXLEN", cmd_read},
	{"manual", 1, 1, "manual on|off", cmd_manual},
	{"irq", 0, 1, "irq [N]", cmd_irq},
	{"irqs", 0, 0, "irqs", cmd_irqs},
	{"task", 0, 0, "task", cmd_task},
	{"step", 0, 0, "step", cmd_step},
	{"sof", 0, 1, "sof [FRAME]", cmd_sof},
	{"state", 0, 0, "state", cmd_state},
	{"save", 0, 0, "save", cmd_save},
	{"restore", 0, 0, "restore", cmd_restore},
	{"expect", 1, 3, "expect ok|ack|nak|stall|timeout|error [dup] [DATAHEX|-]",
         ud_script_cmd_expect},
};

const struct ud_script_cmd *ud_script_cmd_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	}
	return NULL;
}
