/* SPDX-License-Identifier: MIT */
/* The script interpreter: reading lines, splitting words, dispatching commands, reporting.
 * The commands themselves are in script_cmds.c. See script.h and docs/udsim.md. */
#include "script.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "json.h"
#include "world.h"

void ud_script_init(struct ud_script *s, struct ud_world *w, FILE *out, const char *name)
{
	memset(s, 0, sizeof(*s));
	s->w = w;
	s->out = out;
	s->name = name;
}

int ud_script_exit_code(const struct ud_script *s)
{
	if (s->parse_errors)
		return UD_EXIT_SCRIPT;
	return s->expect_failures ? UD_EXIT_EXPECT : UD_EXIT_OK;
}

bool ud_script_parse_error(struct ud_script *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->parse_errors++;
	ud_json_begin(s->out, "parse", s->line);
	ud_json_str(s->out, "status", "error");
	ud_json_str(s->out, "message", msg);
	ud_json_end(s->out);
	fprintf(stderr, "udsim: %s:%u: %s\n", s->name, s->line, msg);
	return false;
}

void ud_script_report(struct ud_script *s, const char *op, unsigned fields)
{
	const struct ud_sim_result *r = &s->last;

	s->last_op = op;
	s->last_line = s->line;
	s->have_last = true;
	ud_json_begin(s->out, op, s->line);
	ud_json_str(s->out, "status", ud_sim_status_name((enum ud_sim_status)r->status));
	if ((fields & UD_REPORT_PID) && r->pid >= 0)
		ud_json_int(s->out, "pid", r->pid);
	if (r->dup)
		ud_json_bool(s->out, "dup", true);
	if (fields & UD_REPORT_LEN)
		ud_json_int(s->out, "len", r->len);
	if (fields & UD_REPORT_DATA)
		ud_json_hex(s->out, "data", r->data, r->len);
	if (r->message[0])
		ud_json_str(s->out, "message", r->message);
	if (!(fields & UD_REPORT_OPEN))
		ud_json_end(s->out);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Hex digits only: no 0x prefix, no sign, at most 8 digits so the value cannot overflow. */
bool ud_script_hex(struct ud_script *s, const char *tok, unsigned long max, const char *what,
                   unsigned long *out)
{
	unsigned long v = 0;
	size_t i, n = strlen(tok);

	if (n == 0 || n > 8)
		return ud_script_parse_error(s, "malformed %s '%s': want 1-8 hex digits", what,
		                             tok);
	for (i = 0; i < n; i++) {
		int d = hexval(tok[i]);

		if (d < 0)
			return ud_script_parse_error(s, "malformed %s '%s': not hex (no 0x prefix)",
			                             what, tok);
		v = v * 16u + (unsigned long)d;
	}
	if (v > max)
		return ud_script_parse_error(s, "%s '%s' out of range (max %lx)", what, tok, max);
	*out = v;
	return true;
}

bool ud_script_data(struct ud_script *s, const char *tok, uint16_t *len)
{
	size_t i, n = strlen(tok);

	if (strcmp(tok, "-") == 0) {
		*len = 0;
		return true;
	}
	if (n % 2)
		return ud_script_parse_error(s, "malformed data '%.40s': odd number of hex digits",
		                             tok);
	if (n / 2 > UD_SIM_DATA_MAX)
		return ud_script_parse_error(s, "data longer than %u bytes", UD_SIM_DATA_MAX);
	for (i = 0; i < n; i += 2) {
		int hi = hexval(tok[i]), lo = hexval(tok[i + 1]);

		if (hi < 0 || lo < 0)
			return ud_script_parse_error(s, "malformed data '%.40s': not hex", tok);
		s->data[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = (uint16_t)(n / 2);
	return true;
}

bool ud_script_ep(struct ud_script *s, const char *tok, bool in, uint8_t *epnum)
{
	unsigned long v;

	if (!ud_script_hex(s, tok, 0xff, "endpoint", &v))
		return false;
	if ((v & 0x70) != 0)
		return ud_script_parse_error(s, "endpoint '%s': number above f", tok);
	if ((v & 0x80) && !in)
		return ud_script_parse_error(s, "endpoint '%s' is an IN address", tok);
	*epnum = (uint8_t)(v & 0x0f);
	return true;
}

/* Split @p line into words, ending it at a '#'. @return the number of words, or -1. */
static int split(char *line, char **argv)
{
	int argc = 0;
	char *p = strchr(line, '#');

	if (p)
		*p = '\0';
	p = line;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0')
			return argc;
		if (argc == UD_SCRIPT_MAX_ARGS)
			return -1;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

bool ud_script_line(struct ud_script *s, char *line)
{
	char *argv[UD_SCRIPT_MAX_ARGS];
	const struct ud_script_cmd *cmd;
	int argc = split(line, argv);

	if (argc < 0)
		return ud_script_parse_error(s, "more than %d words", UD_SCRIPT_MAX_ARGS);
	if (argc == 0)
		return true;
	cmd = ud_script_cmd_find(argv[0]);
	if (!cmd)
		return ud_script_parse_error(s, "unknown command '%.40s'", argv[0]);
	if ((unsigned)argc - 1 < cmd->min_args || (unsigned)argc - 1 > cmd->max_args)
		return ud_script_parse_error(s, "usage: %s", cmd->usage);
	return cmd->run(s, argc - 1, argv + 1);
}

int ud_script_run(struct ud_script *s, FILE *in)
{
	static char line[UD_SCRIPT_LINE_MAX + 2];

	while (fgets(line, sizeof(line), in)) {
		size_t n = strlen(line);

		s->line++;
		if (n && line[n - 1] == '\n') {
			line[n - 1] = '\0';
		} else if (!feof(in)) {
			ud_script_parse_error(s, "line longer than %u characters",
			                      UD_SCRIPT_LINE_MAX);
			break;
		}
		if (!ud_script_line(s, line))
			break;
	}
	if (ferror(in)) {
		s->line++;
		ud_script_parse_error(s, "read error");
	}
	return ud_script_exit_code(s);
}
