/* SPDX-License-Identifier: MIT */
/* Replay scripts: running them, and writing counterexamples as them. See replay.h. */
#include "replay.h"

#include <string.h>

#include "cycles.h"
#include "devices.h"
#include "invariants.h"
#include "json.h"
#include "script.h"
#include "state_hash.h"

/* The replayed state: one fixed address, like every world. */
static struct ud_sched rs;
static struct ud_script script;
/* The states the replayed moves went through: a return to one is a cycle (cycles.h). */
static struct ud_cycle_watch watch;

/* A replay may take any move the script says, any number of faults. */
static const struct ud_sched_cfg replay_cfg = {
	.faults = UD_FAULTS_EVERY,
	.max_faults = 255,
};

struct replay {
	const char *name;
	const char *device;
	const struct ud_sim_options *opt;
	FILE *out;
	unsigned line;
	unsigned moves; /* scheduler moves replayed */
	bool fair;      /* after `fair`: the moves are a fair continuation, not watched */
	bool started;
	char devname[64];
};

static int line_error(struct replay *R, const char *msg, const char *arg)
{
	ud_json_begin(R->out, "parse", R->line);
	ud_json_str(R->out, "status", "error");
	ud_json_str(R->out, "message", msg);
	ud_json_end(R->out);
	fprintf(stderr, "udsim: %s:%u: %s%s%s\n", R->name, R->line, msg, arg ? ": " : "",
	        arg ? arg : "");
	return UD_EXIT_SCRIPT;
}

static int start(struct replay *R)
{
	char err[200];

	if (ud_sched_start(&rs, R->device, R->opt, err, sizeof(err)) != 0)
		return line_error(R, "the device could not be started", err);
	ud_script_init(&script, &rs.w, R->out, R->name);
	R->started = true;
	ud_cycle_watch_start(&watch, 0, ud_state_hash(&rs));
	return 0;
}

static void report_step(struct replay *R, const char *op, const char *desc)
{
	ud_json_begin(R->out, op, R->line);
	ud_json_str(R->out, "status", ud_verdict.bad ? "error" : "ok");
	if (desc[0])
		ud_json_str(R->out, "step", desc);
	ud_json_end(R->out);
	ud_host_result_clear(&script.last, ud_verdict.bad ? UD_SIM_ERROR : UD_SIM_OK);
	script.last_op = op;
	script.last_line = R->line;
	script.have_last = true;
}

/* Split a copy of @line into words (up to 12), ending at '#'. */
static int words(char *line, char **argv)
{
	int argc = 0;
	char *p = strchr(line, '#');

	if (p)
		*p = '\0';
	for (p = strtok(line, " \t\r"); p && argc < 12; p = strtok(NULL, " \t\r"))
		argv[argc++] = p;
	return argc;
}

static int one_line(struct replay *R, char *line)
{
	static char copy[UD_SCRIPT_LINE_MAX + 2];
	char *argv[12], desc[300];
	struct ud_move m;
	int argc, rc;

	strcpy(copy, line);
	argc = words(copy, argv);
	if (argc == 0)
		return 0;
	if (strcmp(argv[0], "device") == 0) {
		if (argc != 2 || R->started)
			return line_error(R, "usage: device NAME, before start", NULL);
		snprintf(R->devname, sizeof(R->devname), "%s", argv[1]);
		R->device = R->devname;
		return 0;
	}
	if (!R->started && (rc = start(R)) != 0)
		return rc;
	if (ud_verdict.bad) /* the start broke an invariant: report it on this line */
		return 0;
	if (strcmp(argv[0], "start") == 0)
		return argc == 1 ? 0 : line_error(R, "usage: start", NULL);
	ud_verdict_clear();
	if (strcmp(argv[0], "fair") == 0) {
		/* The explorer's own fair continuation follows: a liveness counterexample, whose
		 * continuation may go round in circles; that is its verdict, not a cycle. */
		R->fair = true;
		return argc == 1 ? 0 : line_error(R, "usage: fair", NULL);
	}
	if (strcmp(argv[0], "live") == 0) {
		unsigned rounds = 0;
		bool ok = ud_sched_live(&rs, &replay_cfg, &rounds);
		snprintf(desc, sizeof(desc), "live: %s after %u rounds of the fair continuation",
		         ok ? "quiescent, everything delivered" : "NOT quiescent", rounds);
		report_step(R, "live", desc);
		/* Not a move: a cycle is sought among the moves after it. */
		ud_cycle_watch_start(&watch, R->moves, ud_state_hash(&rs));
		return 0;
	}
	if (strcmp(argv[0], "dead-end") == 0) {
		/* The explorer's dead-end counterexample ends here: the verdict, if it still is. */
		if (argc != 1)
			return line_error(R, "usage: dead-end", NULL);
		bool dead = ud_sched_dead_end(&rs, &replay_cfg);
		report_step(
			R, "dead-end",
			dead ? "dead-end: no move but a fault changes this state, and it is not at "
			       "rest"
			     : "dead-end: not one: a move changes this state, or it is at rest");
		return 0;
	}
	if (ud_move_parse(argc, argv, &m)) {
		if (!ud_sched_apply(&rs, &replay_cfg, &m, desc, sizeof(desc)))
			return line_error(R, "this step is not possible in this state", line);
		R->moves++;
		if (!ud_verdict.bad && !R->fair)
			ud_cycle_watch_step(&watch, ud_state_hash(&rs));
		report_step(R, argv[0], desc);
		return 0;
	}
	script.line = R->line;
	if (!ud_script_line(&script, line))
		return UD_EXIT_SCRIPT;
	ud_invariants_check(&rs);
	ud_cycle_watch_start(&watch, R->moves, ud_state_hash(&rs));
	return 0;
}

int ud_replay_run(FILE *in, const char *name, const char *device, const struct ud_sim_options *opt,
                  FILE *out)
{
	static char line[UD_SCRIPT_LINE_MAX + 2];
	struct replay R = {.name = name, .device = device, .opt = opt, .out = out};
	int rc = 0;

	while (fgets(line, sizeof(line), in)) {
		size_t n = strlen(line);

		R.line++;
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		rc = one_line(&R, line);
		if (rc)
			return rc;
		if (ud_verdict.bad) {
			ud_json_begin(out, "violation", R.line);
			ud_json_str(out, "status", "error");
			ud_json_str(out, "message", ud_verdict.what);
			ud_json_end(out);
			fprintf(stderr, "udsim: %s:%u: violation: %s\n", name, R.line,
			        ud_verdict.what);
			return UD_EXIT_EXPECT;
		}
	}
	if (!R.started && (rc = start(&R)) != 0)
		return rc;
	return ud_script_exit_code(&script);
}

int ud_replay_check(const char *device, const struct ud_sim_options *opt,
                    const struct ud_sched_cfg *sc, const struct ud_move *path, unsigned len,
                    bool live)
{
	char err[200];
	unsigned i;

	if (ud_sched_start(&rs, device, opt, err, sizeof(err)) != 0)
		return -1;
	if (ud_verdict.bad)
		return 1;
	/* No cycle watch: the random walk's shrinking calls this, and random walks do not look
	 * for cycles (its verdict must stay the kind the walk found). */
	for (i = 0; i < len; i++) {
		ud_verdict_clear();
		if (!ud_sched_apply(&rs, sc, &path[i], NULL, 0))
			return -1;
		if (ud_verdict.bad)
			return 1;
	}
	ud_verdict_clear();
	if (live && !ud_sched_live(&rs, sc, NULL))
		return 1;
	return 0;
}

static void script_header(FILE *f, const char *device, const struct ud_sim_options *opt,
                          const struct ud_replay_origin *o)
{
	char world[UD_SIM_OPTIONS_TEXT];

	ud_sim_options_format(opt, world, sizeof(world));
	fprintf(f, "# udsim replay script: a counterexample.\n");
	if (o && o->command)
		fprintf(f, "# Found by: %s\n", o->command);
	if (o && o->what)
		fprintf(f, "# Violation: %s\n", o->what);
	fprintf(f,
	        "# Replay it: udsim %sreplay THIS-FILE  (exit status 1: the violation happens "
	        "again)\n# The language: docs/verification.md.\n",
	        world);
	fprintf(f, "device %s\nstart\n", device);
}

/* One step for a human: what happened, then the device's own state if it can say and it
 * changed. */
static char last_state[200];

static void narrate_line(FILE *f, unsigned n, const char *desc)
{
	const struct ud_sim_explore *x = rs.w.def->explore;
	char state[200];

	fprintf(f, "  %3u. %s\n", n, desc);
	if (x && x->describe) {
		x->describe(&rs.w, state, sizeof(state));
		if (strcmp(state, last_state) != 0)
			fprintf(f, "         %s\n", state);
		strcpy(last_state, state);
	}
}

/* Moves of the fair continuation a narration shows, at most. */
#define NARRATE_MOVES 16384u
#define NARRATE_PRINT 80u

static struct ud_move cont[NARRATE_MOVES];

/* Apply @p path from a fresh root, quietly. @return false if a move was not possible. */
static bool quiet_prefix(const char *device, const struct ud_sim_options *opt,
                         const struct ud_sched_cfg *sc, const struct ud_move *path, unsigned len)
{
	char err[200];
	unsigned i;

	if (ud_sched_start(&rs, device, opt, err, sizeof(err)) != 0) {
		fprintf(stderr, "udsim: %s\n", err);
		return false;
	}
	ud_cycle_watch_start(&watch, 0, ud_state_hash(&rs));
	for (i = 0; i < len && !ud_verdict.bad; i++) {
		if (!ud_sched_apply(&rs, sc, &path[i], NULL, 0))
			return false;
		if (!ud_verdict.bad)
			ud_cycle_watch_step(&watch, ud_state_hash(&rs));
	}
	return true;
}

/* Record the fair continuation from `rs` until it gets stuck (a whole round changes
 * nothing), reaches quiescence or breaks an invariant. @return the moves to show; *stuck
 * says whether it ended in a state that no round changes. */
static unsigned record_continuation(const struct ud_sched_cfg *sc, bool *stuck)
{
	struct ud_move_log log = {cont, 0, NARRATE_MOVES, false};
	unsigned r, bound = ud_sched_live_bound(sc), cut = 0;
	uint64_t before = ud_state_hash(&rs);

	*stuck = false;
	ud_sched_record(&log);
	for (r = 0; r < bound && !log.overflow; r++) {
		unsigned mark = log.n;
		uint64_t after;
		if (ud_sched_quiescent(&rs, sc) || !ud_sched_live_round(&rs, sc))
			break;
		after = ud_state_hash(&rs);
		if (after == before) {
			*stuck = true;
			cut = mark;
			break;
		}
		before = after;
	}
	ud_sched_record(NULL);
	return *stuck ? cut : log.n;
}

static void print_step(FILE *human, FILE *out, unsigned n, const struct ud_move *m,
                       const char *desc)
{
	char word[40];

	ud_move_format(m, word, sizeof(word));
	if (human)
		narrate_line(human, n, desc);
	if (out)
		fprintf(out, "%-22s # %s\n", word, desc);
}

bool ud_replay_narrate(const char *device, const struct ud_sim_options *opt,
                       const struct ud_sched_cfg *sc, const struct ud_move *path, unsigned len,
                       bool live, const struct ud_replay_origin *origin, FILE *human,
                       FILE *script_out)
{
	char desc[300], what[200];
	unsigned i, ncont = 0, shown = 0;
	bool stuck = false;

	if (!quiet_prefix(device, opt, sc, path, len))
		return false;
	if (live && !ud_verdict.bad)
		ncont = record_continuation(sc, &stuck);
	if (!quiet_prefix(device, opt, sc, NULL, 0))
		return false;
	if (script_out)
		script_header(script_out, device, opt, origin);
	if (ud_verdict.bad && human)
		fprintf(human, "  the start (building and enumerating the device) broke it\n");
	last_state[0] = '\0';
	if (human && rs.w.def->explore && rs.w.def->explore->describe) {
		rs.w.def->explore->describe(&rs.w, last_state, sizeof(last_state));
		fprintf(human, "         at the start: %s\n", last_state);
	}
	ud_cycle_watch_start(&watch, 0, ud_state_hash(&rs));
	for (i = 0; i < len && !ud_verdict.bad; i++) {
		if (!ud_sched_apply(&rs, sc, &path[i], desc, sizeof(desc))) {
			fprintf(stderr, "udsim: step %u is not possible on replay\n", i + 1);
			return false;
		}
		if (!ud_verdict.bad)
			ud_cycle_watch_step(&watch, ud_state_hash(&rs));
		print_step(human, script_out, i + 1, &path[i], desc);
	}
	/* A dead end is a verdict on the state the path ends in, not on a move. */
	if (!ud_verdict.bad && !live && ud_sched_dead_end(&rs, sc) && script_out)
		fprintf(script_out, "%-22s # no move but a fault changes this state; not at rest\n",
		        "dead-end");
	if (!ud_verdict.bad && live) {
		if (human && ncont)
			fprintf(human,
			        "  then the fair continuation: every interrupt delivered, the "
			        "task and the class step run, the host writes and reads, no "
			        "faults (steps that change nothing are left out):\n");
		if (script_out && ncont)
			fprintf(script_out,
			        "%-22s # the fair continuation (not checked for cycles)\n", "fair");
		for (i = 0; i < ncont && !ud_verdict.bad; i++) {
			uint64_t h = ud_state_hash(&rs);
			ud_sched_apply(&rs, sc, &cont[i], desc, sizeof(desc));
			if (ud_state_hash(&rs) == h && !ud_verdict.bad)
				continue;
			shown++;
			print_step(shown <= NARRATE_PRINT ? human : NULL, script_out, len + shown,
			           &cont[i], desc);
		}
		if (human && shown > NARRATE_PRINT)
			fprintf(human, "  ... and %u more steps (in the script)\n",
			        shown - NARRATE_PRINT);
		if (human && stuck) {
			ud_work_describe(&rs.work, ud_sched_plan(), what, sizeof(what));
			fprintf(human,
			        "  STUCK: from here a whole round of the fair continuation "
			        "changes nothing, forever: %s.\n",
			        what);
		}
		if (!ud_verdict.bad)
			ud_sched_live(&rs, sc, NULL);
		if (script_out)
			fprintf(script_out, "%-22s # the fair continuation must reach quiescence\n",
			        "live");
	}
	return ud_verdict.bad;
}
