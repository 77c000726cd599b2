/* SPDX-License-Identifier: MIT */
/* udsim: drive a simulated udcore device from the command line. See docs/udsim.md.
 *
 * Global options come first or anywhere; the first other word names a subcommand from the
 * table below. Adding a subcommand is one table entry and one function. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl_bus.h"
#include "devices.h"
#include "script.h"
#include "usbip_cli.h"
#include "world.h"
#include "xcli.h"

struct cli {
	const char *device;
	struct ud_sim_options opt;
};

struct subcommand {
	const char *name;
	const char *args;
	const char *help;
	unsigned min_args, max_args;
	int (*run)(const struct cli *cli, int argc, char **argv);
};

/* The world is big and must not move during a run (it points into itself). */
static struct ud_world world;
static struct ud_script script;

static int build_world(const struct cli *cli)
{
	char err[160];

	if (ud_world_init(&world, cli->device, &cli->opt, err, sizeof(err)) != 0) {
		fprintf(stderr, "udsim: %s\n", err);
		return UD_EXIT_SCRIPT;
	}
	return UD_EXIT_OK;
}

static int cmd_run(const struct cli *cli, int argc, char **argv)
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
	rc = build_world(cli);
	if (rc == UD_EXIT_OK) {
		ud_script_init(&script, &world, stdout, strcmp(path, "-") ? path : "<stdin>");
		rc = ud_script_run(&script, in);
	}
	if (in != stdin)
		fclose(in);
	return rc;
}

static int cmd_devices(const struct cli *cli, int argc, char **argv)
{
	const struct ud_sim_device *d;
	unsigned i;

	(void)cli;
	(void)argc;
	(void)argv;
	for (i = 0; (d = ud_sim_device_at(i)) != NULL; i++)
		printf("%-12s %s\n", d->name, d->summary);
	return UD_EXIT_OK;
}

/* The explorer's subcommands (xcli.h, docs/verification.md). */
static int cmd_explore(const struct cli *cli, int argc, char **argv)
{
	return ud_xcli_explore(cli->device, &cli->opt, argc, argv);
}

static int cmd_random(const struct cli *cli, int argc, char **argv)
{
	return ud_xcli_random(cli->device, &cli->opt, argc, argv);
}

static int cmd_replay(const struct cli *cli, int argc, char **argv)
{
	return ud_xcli_replay(cli->device, &cli->opt, argc, argv);
}

/* The USB/IP server (usbip_cli.h, docs/real-hosts.md). */
static int cmd_serve(const struct cli *cli, int argc, char **argv)
{
	return ud_usbip_cli_serve(cli->device, &cli->opt, argc, argv);
}

static const struct subcommand subcommands[] = {
	{"run", "SCRIPT", "run a host script (SCRIPT '-' reads stdin)", 1, 1, cmd_run},
	{"devices", "", "list the simulated devices", 0, 0, cmd_devices},
	{"explore", "", "every interleaving up to --depth: prove or find a counterexample", 0, 0,
         cmd_explore},
	{"random", "", "random interleavings (--seed, --steps)", 0, 0, cmd_random},
	{"replay", "SCRIPT", "replay scheduler steps (a counterexample)", 1, 1, cmd_replay},
	{"serve", "", "export the device to real hosts over USB/IP (--usbip)", 0, 0, cmd_serve},
};

static void usage(FILE *out)
{
	size_t i;

	fputs("usage: udsim [OPTIONS] COMMAND [ARGS]\n\ncommands:\n", out);
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-8s %-8s %s\n", subcommands[i].name, subcommands[i].args,
		        subcommands[i].help);
	fputs("\noptions:\n"
	      "  --device NAME          device to simulate (default: minimal; see `udsim "
	      "devices`)\n"
	      "  --port vdc|fsdev       the controller: the virtual one (default), or the STM32\n"
	      "                         USB full-speed device port on its register model\n"
	      "  --speed full|high      full: full-speed-only controller (default);\n"
	      "                         high: high-speed capable controller and host port\n"
	      "  --seed N               seed for randomised modes (decimal)\n"
	      "  --ep0 8|16|32|64       EP0 max packet size (devices that allow it)\n"
	      "  --addr-before-status   the controller applies SET_ADDRESS itself after the "
	      "status\n"
	      "                         stage (UD_PORT_ADDR_BEFORE_STATUS)\n"
	      "  --no-streams           the controller has no endpoint streams (ud_stream.h):\n"
	      "                         classes move their data with requests\n"
	      "  --lazy-flush           the cdc echo leaves every other echo of whole packets\n"
	      "                         unflushed (they go without a flush)\n"
	      "  -h, --help             this text\n",
	      out);
	fputs(ud_xcli_usage(), out);
	fputs(ud_usbip_cli_usage(), out);
	fputs("\nexit status: 0 ok, 1 an expect failed or a violation was found, 2 usage,\n"
	      "3 bad script or device setup\n",
	      out);
}

static int bad_usage(const char *fmt, ...) UD_SIM_PRINTF(1, 2);

static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("udsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	usage(stderr);
	return UD_EXIT_USAGE;
}

static bool parse_ulong(const char *s, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	*v = strtoul(s, &end, 10);
	return *end == '\0';
}

/* Parse one option at argv[*i] (advancing past its value). @return 0, or an exit code. */
static int parse_option(struct cli *cli, int argc, char **argv, int *i)
{
	const char *opt = argv[*i];
	const char *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	unsigned long v;

	if (strcmp(opt, "--addr-before-status") == 0) {
		cli->opt.addr_before_status = true;
		return 0;
	}
	if (strcmp(opt, "--no-streams") == 0) {
		cli->opt.no_streams = true;
		return 0;
	}
	if (strcmp(opt, "--lazy-flush") == 0) {
		cli->opt.lazy_flush = true;
		return 0;
	}
	if (strcmp(opt, "--device") && strcmp(opt, "--speed") && strcmp(opt, "--seed") &&
	    strcmp(opt, "--ep0") && strcmp(opt, "--port")) {
		char err[160];
		int taken = ud_xcli_option(opt, val, err, sizeof(err));

		if (taken == 0)
			taken = ud_usbip_cli_option(opt, val, err, sizeof(err));

		if (taken < 0)
			return bad_usage("%s", err);
		if (taken == 0)
			return bad_usage("unknown option '%s'", opt);
		*i += taken - 1;
		return 0;
	}
	if (!val)
		return bad_usage("option '%s' needs a value", opt);
	(*i)++;
	if (strcmp(opt, "--device") == 0) {
		cli->device = val;
	} else if (strcmp(opt, "--port") == 0) {
		int port = ud_sim_port_parse(val);
		if (port < 0)
			return bad_usage("--port: '%s' is not vdc or fsdev", val);
		cli->opt.port = (uint8_t)port;
	} else if (strcmp(opt, "--speed") == 0) {
		if (strcmp(val, "full") && strcmp(val, "high"))
			return bad_usage("--speed: '%s' is not full or high", val);
		cli->opt.speed = strcmp(val, "high") == 0 ? UD_SPEED_HIGH : UD_SPEED_FULL;
	} else if (strcmp(opt, "--seed") == 0) {
		if (!parse_ulong(val, &v) || v > 0xffffffffUL)
			return bad_usage("--seed: '%s' is not a 32-bit decimal number", val);
		cli->opt.seed = (uint32_t)v;
	} else {
		if (!parse_ulong(val, &v) || (v != 8 && v != 16 && v != 32 && v != 64))
			return bad_usage("--ep0: '%s' is not 8, 16, 32 or 64", val);
		cli->opt.ep0 = (uint8_t)v;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char *pos[16];
	struct cli cli = {.device = "minimal"};
	int i, npos = 0, rc;
	bool options_done = false;
	size_t k;

	ud_sim_options_default(&cli.opt);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!options_done && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			usage(stdout);
			return UD_EXIT_OK;
		} else if (!options_done && strcmp(a, "--") == 0) {
			options_done = true;
		} else if (!options_done && a[0] == '-' && a[1] != '\0') {
			rc = parse_option(&cli, argc, argv, &i);
			if (rc)
				return rc;
		} else if (npos < (int)(sizeof(pos) / sizeof(pos[0]))) {
			pos[npos++] = argv[i];
		} else {
			return bad_usage("too many arguments");
		}
	}
	if (npos == 0)
		return bad_usage("no command given");
	for (k = 0; k < sizeof(subcommands) / sizeof(subcommands[0]); k++) {
		const struct subcommand *sc = &subcommands[k];

		if (strcmp(sc->name, pos[0]) != 0)
			continue;
		if ((unsigned)npos - 1 < sc->min_args || (unsigned)npos - 1 > sc->max_args)
			return bad_usage("wrong number of arguments for '%s'", sc->name);
		if (ud_xcli_begin() != 0)
			return UD_EXIT_SCRIPT;
		rc = sc->run(&cli, npos - 1, pos + 1);
		ud_xcli_end();
		return rc;
	}
	return bad_usage("unknown command '%s'", pos[0]);
}
