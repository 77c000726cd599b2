/* SPDX-License-Identifier: MIT */
/* `expect STATUS [DATAHEX]`: the script's assertion on the previous action. A mismatch is
 * reported and counted (udsim then exits 1) but the script goes on, so one run shows every
 * difference. */
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

static void mismatch(struct ud_script *s, int want, bool check_data, uint16_t len)
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
	bool check_data = argc == 2, match;
	uint16_t len = 0;

	if (want < 0)
		return ud_script_parse_error(
			s, "unknown status '%.40s': ok, ack, nak, stall, timeout or error",
			argv[0]);
	if (check_data && !ud_script_data(s, argv[1], &len))
		return false;
	match = s->have_last && s->last.status == want &&
	        (!check_data || (len == s->last.len && memcmp(s->data, s->last.data, len) == 0));
	ud_json_begin(s->out, "expect", s->line);
	if (match)
		ud_json_str(s->out, "status", "ok");
	else
		mismatch(s, want, check_data, len);
	ud_json_end(s->out);
	return true;
}
