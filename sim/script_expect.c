/* SPDX-License-Identifier: MIT */
/* `expect STATUS [dup] [DATAHEX]`: the script's assertion on the previous action. A mismatch is
 * reported and counted (udsim then exits 1) but the script goes on, so one run shows every
 * difference. An IN packet the host dropped as a repeat (wrong data toggle: `dup` in its
 * output) matches only an expect that says `dup`: otherwise a device that sends the same
 * packet twice, or a toggle not reset, would pass `expect ack DATA`. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "script.h"

static int status_parse(const char *name)
{
	int st;

	for (st = UD_SIM_OK; st <= UD_SIM_ERROR; st++) {
		if (strcmp(ud_sim_status_name((enum ud_sim_status)st), name) == 0)
			return st;
	}
	return -1;
}

static void mismatch(struct ud_script *s, int want, bool want_dup, bool check_data, uint16_t len)
{
	const struct ud_sim_result *got = &s->last;
	const char *want_name = ud_sim_status_name((enum ud_sim_status)want);
	const char *got_name =
		s->have_last ? ud_sim_status_name((enum ud_sim_status)got->status) : "nothing";
	char msg[160];

	if (!s->have_last)
		snprintf(msg, sizeof(msg), "line %u: expected %s, but no action came before",
		         s->line, want_name);
	else if (got->status != want)
		snprintf(msg, sizeof(msg), "line %u: expected %s, got %s from %s on line %u",
		         s->line, want_name, got_name, s->last_op, s->last_line);
	else if (got->dup != want_dup)
		snprintf(msg, sizeof(msg), "line %u: %s %s a repeated packet (wrong data toggle)",
		         s->line, s->last_op, got->dup ? "got" : "expected");
	else
		snprintf(msg, sizeof(msg), "line %u: %s data differs (%u bytes, expected %u)",
		         s->line, s->last_op, (unsigned)got->len, (unsigned)len);
	s->expect_failures++;
	ud_json_str(s->out, "status", "error");
	ud_json_str(s->out, "message", msg);
	ud_json_str(s->out, "expected", want_name);
	ud_json_str(s->out, "got", got_name);
	if (check_data && s->have_last) {
		ud_json_hex(s->out, "expected_data", s->data, len);
		ud_json_hex(s->out, "got_data", got->data, got->len);
	}
	if (s->have_last && got->message[0])
		ud_json_str(s->out, "got_message", got->message);
	fprintf(stderr, "udsim: %s:%u: expect failed: %s\n", s->name, s->line, msg);
}

bool ud_script_cmd_expect(struct ud_script *s, int argc, char **argv)
{
	int want = status_parse(argv[0]);
	bool want_dup = argc >= 2 && strcmp(argv[1], "dup") == 0, match;
	const char *data = argc > (want_dup ? 2 : 1) ? argv[want_dup ? 2 : 1] : NULL;
	bool check_data = data != NULL;
	uint16_t len = 0;

	if (want < 0)
		return ud_script_parse_error(
			s, "unknown status '%.40s': ok, ack, nak, stall, timeout or error",
			argv[0]);
	if (argc == 3 && !want_dup)
		return ud_script_parse_error(s, "expect: '%.40s' where 'dup' or nothing belongs",
		                             argv[1]);
	if (check_data && !ud_script_data(s, data, &len))
		return false;
	match = s->have_last && s->last.status == want && s->last.dup == want_dup &&
	        (!check_data || (len == s->last.len && memcmp(s->data, s->last.data, len) == 0));
	ud_json_begin(s->out, "expect", s->line);
	if (match)
		ud_json_str(s->out, "status", "ok");
	else
		mismatch(s, want, want_dup, check_data, len);
	ud_json_end(s->out);
	return true;
}
