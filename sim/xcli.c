/* SPDX-License-Identifier: MIT */
/* The explorer's subcommands and options for udsim. See xcli.h, docs/verification.md. */
#define _POSIX_C_SOURCE 200809L

#include "xcli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctrl_bus.h"
#include "explore.h"
#include "pcap.h"
#include "random_walk.h"
#include "replay.h"
#include "script.h"

static struct {
	unsigned depth;
	uint32_t faults;
	int max_faults; /* -1: the mode's default */
	unsigned shard_i, shard_n;
	unsigned long steps;
	const char *pcap;
	const char *out;
	unsigned table_bits;
	unsigned live_rounds;
	double time_limit;
	int progress; /* -1: when stderr is a terminal */
	int first;
	int cycles; /* enum ud_explore_cycles */
} xo = {.depth = 8,
        .max_faults = -1,
        .shard_n = 1,
        .steps = 10000,
        .table_bits = 22,
        .progress = -1};

/* --cycle-check's words, by enum ud_explore_cycles. */
static const char *const cycle_modes[] = {"both", "graph", "none"};

static bool number(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	*v = strtoul(s, &end, 10);
	return *end == '\0' && *v <= max;
}

static int bad(char *err, size_t cap, const char *opt, const char *val, const char *want)
{
	snprintf(err, cap, "%s: '%s' is not %s", opt, val ? val : "", want);
	return -1;
}

int ud_xcli_option(const char *opt, const char *val, char *err, size_t cap)
{
	unsigned long v, w;

	if (strcmp(opt, "--first") == 0 || strcmp(opt, "--progress") == 0 ||
	    strcmp(opt, "--no-progress") == 0) {
		if (opt[2] == 'f')
			xo.first = 1;
		else
			xo.progress = opt[2] == 'p';
		return 1;
	}
	if (strcmp(opt, "--depth") && strcmp(opt, "--faults") && strcmp(opt, "--max-faults") &&
	    strcmp(opt, "--shard") && strcmp(opt, "--steps") && strcmp(opt, "--pcap") &&
	    strcmp(opt, "--out") && strcmp(opt, "--table-bits") && strcmp(opt, "--live-rounds") &&
	    strcmp(opt, "--time-limit") && strcmp(opt, "--cycle-check"))
		return 0;
	if (!val) {
		snprintf(err, cap, "option '%s' needs a value", opt);
		return -1;
	}
	if (strcmp(opt, "--depth") == 0) {
		if (!number(val, UD_EXPLORE_MAX_DEPTH, &v))
			return bad(err, cap, opt, val, "a depth of 0..64");
		xo.depth = (unsigned)v;
	} else if (strcmp(opt, "--faults") == 0) {
		if (!ud_faults_parse(val, &xo.faults))
			return bad(err, cap, opt, val,
			           "a list of reset, disconnect, set-config, set-interface, "
			           "clear-halt, suspend, lines, all, none");
	} else if (strcmp(opt, "--max-faults") == 0) {
		if (!number(val, 255, &v))
			return bad(err, cap, opt, val, "0..255");
		xo.max_faults = (int)v;
	} else if (strcmp(opt, "--shard") == 0) {
		char *slash = strchr(val, '/');
		char a[16];
		if (!slash || (size_t)(slash - val) >= sizeof(a))
			return bad(err, cap, opt, val, "I/N with 0 <= I < N");
		memcpy(a, val, (size_t)(slash - val));
		a[slash - val] = '\0';
		if (!number(a, 100000, &v) || !number(slash + 1, 100000, &w) || w == 0 || v >= w)
			return bad(err, cap, opt, val, "I/N with 0 <= I < N");
		xo.shard_i = (unsigned)v;
		xo.shard_n = (unsigned)w;
	} else if (strcmp(opt, "--steps") == 0) {
		if (!number(val, 100000000ul, &v) || v == 0)
			return bad(err, cap, opt, val, "1..100000000");
		xo.steps = v;
	} else if (strcmp(opt, "--table-bits") == 0) {
		if (!number(val, 32, &v) || v < 10)
			return bad(err, cap, opt, val, "10..32");
		xo.table_bits = (unsigned)v;
	} else if (strcmp(opt, "--live-rounds") == 0) {
		if (!number(val, 1000000, &v))
			return bad(err, cap, opt, val, "0..1000000");
		xo.live_rounds = (unsigned)v;
	} else if (strcmp(opt, "--time-limit") == 0) {
		if (!number(val, 1000000, &v) || v == 0)
			return bad(err, cap, opt, val, "a number of seconds, 1..1000000");
		xo.time_limit = (double)v;
	} else if (strcmp(opt, "--cycle-check") == 0) {
		for (v = 0; v < 3 && strcmp(val, cycle_modes[v]) != 0; v++)
			;
		if (v == 3)
			return bad(err, cap, opt, val, "both, graph or none");
		xo.cycles = (int)v;
	} else if (strcmp(opt, "--pcap") == 0) {
		xo.pcap = val;
	} else {
		xo.out = val;
	}
	return 2;
}

const char *ud_xcli_usage(void)
{
	return "  --pcap FILE            write the USB traffic as a usbmon capture (any command)\n"
	       "\nexplore, random, replay (docs/verification.md):\n"
	       "  --depth N              explore: moves per path (default 8, at most 64)\n"
	       "  --faults LIST          reset,disconnect,set-config,set-interface,clear-halt,\n"
	       "                         suspend, lines (CDC: DTR toggled, SERIAL_STATE polled),\n"
	       "                         all (all but lines) or none (default none)\n"
	       "  --max-faults N         faults per path (explore: 1, random: unlimited)\n"
	       "  --shard I/N            explore: this process takes shard I of N\n"
	       "  --steps N              random: moves to take (default 10000)\n"
	       "  --out FILE             where to write a counterexample (default\n"
	       "                         counterexample-DEVICE.uds)\n"
	       "  --table-bits N         explore: 2^N seen-state slots, 9 bytes each (default "
	       "22)\n"
	       "  --live-rounds N        rounds of the fair continuation (default: from the "
	       "workload)\n"
	       "  --first                explore: stop at the first counterexample, do not "
	       "shorten it\n"
	       "  --cycle-check MODE     explore: both (default: on each path and in the graph),\n"
	       "                         graph (the graph check alone), none (liveness only)\n"
	       "  --time-limit S         explore: bounds 1, 2, ... up to --depth while time is "
	       "left;\n"
	       "                         reports the deepest one proven\n"
	       "  --progress, --no-progress  the progress line (default: on a terminal)\n";
}

int ud_xcli_begin(void)
{
	if (!xo.pcap)
		return 0;
	if (!ud_pcap_available())
		fprintf(stderr, "udsim: --pcap: this build cannot capture (the linker has no "
		                "--wrap); the file will be empty\n");
	return ud_pcap_open(xo.pcap);
}

void ud_xcli_end(void)
{
	ud_pcap_close();
}

static void sched_cfg(struct ud_sched_cfg *sc, unsigned default_max_faults)
{
	memset(sc, 0, sizeof(*sc));
	sc->faults = xo.faults;
	sc->max_faults = xo.max_faults >= 0 ? (unsigned)xo.max_faults : default_max_faults;
	sc->live_rounds = xo.live_rounds;
}

/* Print the counterexample, write it as a replay script, capture it if asked. */
static int report_counterexample(const char *device, const struct ud_sim_options *opt,
                                 const struct ud_sched_cfg *sc, const struct ud_move *path,
                                 unsigned len, bool live, const char *command, const char *what)
{
	char defname[96];
	const char *out = xo.out;
	struct ud_replay_origin origin = {.command = command, .what = what};
	FILE *f;
	bool again;

	if (!out) {
		snprintf(defname, sizeof(defname), "counterexample-%s.uds", device);
		out = defname;
	}
	printf("counterexample, %u step%s%s:\n", len, len == 1 ? "" : "s",
	       live ? " and the fair continuation" : "");
	f = fopen(out, "w");
	if (!f)
		perror(out);
	ud_pcap_enable(true);
	again = ud_replay_narrate(device, opt, sc, path, len, live, &origin, stdout, f);
	ud_pcap_enable(false);
	if (f)
		fclose(f);
	if (!again)
		printf("warning: the counterexample did NOT reproduce on replay "
		       "(non-determinism in the simulation)\n");
	if (f) {
		char world[UD_SIM_OPTIONS_TEXT];
		ud_sim_options_format(opt, world, sizeof(world));
		printf("replay script: %s  (udsim %sreplay %s)\n", out, world, out);
	}
	return UD_EXIT_EXPECT;
}

/* With no counterexample, a capture shows the root's fair continuation: a whole workload. */
static void capture_continuation(const char *device, const struct ud_sim_options *opt,
                                 const struct ud_sched_cfg *sc)
{
	if (!ud_pcap_is_open())
		return;
	ud_pcap_enable(true);
	ud_replay_check(device, opt, sc, NULL, 0, true);
	ud_pcap_enable(false);
}

static void command_line(char *buf, size_t cap, const char *cmd, const char *device,
                         const struct ud_sim_options *opt, const struct ud_sched_cfg *sc,
                         const char *extra)
{
	char faults[96], world[UD_SIM_OPTIONS_TEXT];

	ud_faults_format(sc->faults, faults, sizeof(faults));
	/* Options that change the world (the controller, speed, EP0) must be named to replay. */
	ud_sim_options_format(opt, world, sizeof(world));
	snprintf(buf, cap, "udsim %s --device %s %s%s--faults %s --max-faults %u", cmd, device,
	         world, extra, faults, sc->max_faults);
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void print_stats(const struct ud_explore_stats *st)
{
	printf("%llu states, %llu moves (%llu to states seen before), %llu liveness checks, "
	       "%.1f s, %.0f states/s%s\n",
	       (unsigned long long)st->states, (unsigned long long)st->transitions,
	       (unsigned long long)st->pruned, (unsigned long long)st->live_checks, st->seconds,
	       (double)st->states / (st->seconds + 1e-9),
	       st->table_full ? " (table full: raise --table-bits)" : "");
}

static void print_proven(const char *device, unsigned depth, const struct ud_explore_stats *st,
                         const struct ud_explore_cfg *cfg)
{
	bool sharded = cfg->shard_n > 1;

	printf("PROVEN: %s: every state within %u moves keeps every invariant, and from each "
	       "one the fair continuation delivers everything.\n",
	       device, depth);
	if (!st->frontier && !sharded && !st->table_full)
		printf("COMPLETE: no state at the bound has a successor the search has not seen: "
		       "these are all the states this workload and these faults (at most %u per "
		       "path) can reach, so the proof holds for paths of any length.\n",
		       cfg->sc.max_faults);
	if (st->graph_checked)
		printf("NO CYCLE: no moves lead from a state back to it (moves that change nothing "
		       "aside): no schedule can go round forever without progress.\n");
}

/* A search's violation, with its counterexample if it has one. */
static int report_violation(const struct ud_explore_cfg *cfg, const struct ud_explore_result *res,
                            const char *cmd)
{
	printf("VIOLATION: %s: %s\n", cfg->device, res->what);
	if (res->no_path) {
		printf("no counterexample: the search reached the cycle's states only by paths "
		       "that do not go round it\n");
		return UD_EXIT_EXPECT;
	}
	return report_counterexample(cfg->device, &cfg->opt, &cfg->sc, res->path, res->len,
	                             res->in_continuation, cmd, res->what);
}

/* --time-limit: bounds 1, 2, ... while time is left. */
static int explore_deepening(struct ud_explore_cfg *cfg, const char *cmd)
{
	static struct ud_explore_result res;
	double t0 = seconds_now(), limit = xo.time_limit;
	unsigned d, max = cfg->depth, best = 0;
	struct ud_explore_stats best_st;

	memset(&best_st, 0, sizeof(best_st));
	for (d = 1; d <= max; d++) {
		double left = limit - (seconds_now() - t0);
		if (left <= 0)
			break;
		cfg->depth = d;
		cfg->time_limit = left;
		/* Bound d - 1 is proven: a violation at d is as short as any, no second search. */
		cfg->first_only = true;
		if (ud_explore(cfg, &res) != 0)
			return UD_EXIT_SCRIPT;
		/* A violation counts even if the time ran out afterwards: never lose one. */
		if (res.violation)
			return report_violation(cfg, &res, cmd);
		if (res.stats.timed_out) {
			printf("depth %2u: out of time after %.1f s\n", d, res.stats.seconds);
			break;
		}
		printf("depth %2u: proven, %llu states, %.1f s, %.0f states/s\n", d,
		       (unsigned long long)res.stats.states, res.stats.seconds,
		       (double)res.stats.states / (res.stats.seconds + 1e-9));
		fflush(stdout);
		best = d;
		best_st = res.stats;
		if (!res.stats.frontier && cfg->shard_n <= 1 && !res.stats.table_full)
			break;
	}
	if (!best) {
		printf("no bound proven within %.0f s\n", limit);
		return UD_EXIT_OK;
	}
	printf("deepest bound proven within %.0f s: %u\n", limit, best);
	print_stats(&best_st);
	print_proven(cfg->device, best, &best_st, cfg);
	capture_continuation(cfg->device, &cfg->opt, &cfg->sc);
	return UD_EXIT_OK;
}

int ud_xcli_explore(const char *device, const struct ud_sim_options *opt, int argc, char **argv)
{
	static struct ud_explore_result res;
	struct ud_explore_cfg cfg;
	char cmd[384], extra[96];

	(void)argc;
	(void)argv;
	memset(&cfg, 0, sizeof(cfg));
	cfg.device = device;
	cfg.opt = *opt;
	sched_cfg(&cfg.sc, 1);
	cfg.depth = xo.depth;
	cfg.shard_i = xo.shard_i;
	cfg.shard_n = xo.shard_n;
	cfg.table_bits = xo.table_bits;
	cfg.first_only = xo.first;
	cfg.cycles = (uint8_t)xo.cycles;
	cfg.progress = xo.progress >= 0 ? xo.progress : isatty(2);
	char cycles[32] = "";
	if (cfg.cycles != UD_CYCLES_BOTH)
		snprintf(cycles, sizeof(cycles), "--cycle-check %s ", cycle_modes[cfg.cycles]);
	if (xo.time_limit > 0)
		snprintf(extra, sizeof(extra), "--depth %u --time-limit %.0f %s", cfg.depth,
		         xo.time_limit, cycles);
	else
		snprintf(extra, sizeof(extra), "--depth %u %s", cfg.depth, cycles);
	command_line(cmd, sizeof(cmd), "explore", device, opt, &cfg.sc, extra);
	ud_pcap_enable(false);
	printf("%s\n", cmd);
	if (!ud_track_available())
		printf("note: built without --wrap: the request-ownership checks are off, so "
		       "PROVEN covers the other invariants only\n");
	if (cfg.shard_n > 1)
		printf("shard %u of %u\n", cfg.shard_i, cfg.shard_n);
	fflush(stdout);
	if (xo.time_limit > 0)
		return explore_deepening(&cfg, cmd);
	if (ud_explore(&cfg, &res) != 0)
		return UD_EXIT_SCRIPT;
	print_stats(&res.stats);
	if (!res.violation) {
		print_proven(device, cfg.depth, &res.stats, &cfg);
		capture_continuation(device, opt, &cfg.sc);
		return UD_EXIT_OK;
	}
	return report_violation(&cfg, &res, cmd);
}

int ud_xcli_random(const char *device, const struct ud_sim_options *opt, int argc, char **argv)
{
	struct ud_walk_result res;
	struct ud_sched_cfg sc;
	char cmd[384], extra[96];
	int rc;

	(void)argc;
	(void)argv;
	sched_cfg(&sc, 255);
	snprintf(extra, sizeof(extra), "--seed %u --steps %lu ", (unsigned)opt->seed, xo.steps);
	command_line(cmd, sizeof(cmd), "random", device, opt, &sc, extra);
	printf("%s\n", cmd);
	ud_pcap_enable(false);
	rc = ud_walk(device, opt, &sc, opt->seed, xo.steps, &res);
	if (rc) {
		free(res.path);
		return UD_EXIT_SCRIPT;
	}
	printf("%lu moves in %lu episode%s, %lu liveness checks\n", res.steps, res.episodes,
	       res.episodes == 1 ? "" : "s", res.live_checks);
	if (!res.violation) {
		printf("PASSED: %s: no invariant broken, every liveness check reached "
		       "quiescence.\n",
		       device);
		capture_continuation(device, opt, &sc);
		free(res.path);
		return UD_EXIT_OK;
	}
	printf("VIOLATION: %s: %s\n", device, res.what);
	rc = report_counterexample(device, opt, &sc, res.path, res.len, res.live, cmd, res.what);
	free(res.path);
	return rc;
}

int ud_xcli_replay(const char *device, const struct ud_sim_options *opt, int argc, char **argv)
{
	const char *path = argv[0];
	FILE *in = stdin;
	int rc;

	(void)argc;
	if (strcmp(path, "-") != 0) {
		in = fopen(path, "r");
		if (!in) {
			perror(path);
			return UD_EXIT_SCRIPT;
		}
	}
	ud_pcap_enable(true);
	rc = ud_replay_run(in, strcmp(path, "-") ? path : "<stdin>", device, opt, stdout);
	if (in != stdin)
		fclose(in);
	return rc;
}
