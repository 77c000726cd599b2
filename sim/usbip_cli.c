/* SPDX-License-Identifier: MIT */
/* `udsim serve`: options and the main loop of the USB/IP server. See usbip_cli.h. */
#define _POSIX_C_SOURCE 200809L /* sigaction */
#include "usbip_cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "usbip_server.h"
#include "usbip_urb.h"

static struct {
	char host[64];
	uint16_t port;
	unsigned faults;
	bool log_urbs;
} opts = {"127.0.0.1", UD_USBIP_PORT, 0, false};

/* The world is big and points into itself: static, never moved. */
static struct ud_world serve_world;
static volatile sig_atomic_t stop_signal;

int ud_usbip_cli_option(const char *opt, const char *val, char *err, size_t cap)
{
	if (strcmp(opt, "--log-urbs") == 0) {
		opts.log_urbs = true;
		return 1;
	}
	if (strcmp(opt, "--usbip") && strcmp(opt, "--fault"))
		return 0;
	if (!val) {
		snprintf(err, cap, "option '%s' needs a value", opt);
		return -1;
	}
	if (strcmp(opt, "--usbip") == 0) {
		if (ud_usbip_parse_listen(val, opts.host, sizeof(opts.host), &opts.port) != 0) {
			snprintf(err, cap, "--usbip: '%s' is not ADDR:PORT, ADDR or PORT", val);
			return -1;
		}
		return 2;
	}
	if (!ud_usbip_fault_from_name(val)) {
		snprintf(err, cap, "--fault: unknown fault '%s' (known: corrupt-in)", val);
		return -1;
	}
	opts.faults |= ud_usbip_fault_from_name(val);
	return 2;
}

const char *ud_usbip_cli_usage(void)
{
	return "  --usbip ADDR:PORT      serve: listen address (default 127.0.0.1:3240; PORT 0:\n"
	       "                         any free port, printed in the 'listening' line)\n"
	       "  --fault corrupt-in     serve: flip a byte in every 4th IN URB with data\n"
	       "                         (negative tests of host-side checks)\n"
	       "  --log-urbs             serve: log every URB\n";
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* The longest the server sleeps before it looks at stop_signal again. A signal that arrives
 * after a look and before poll() sleeps interrupts nothing: with no time limit the server
 * would go on until a client came (and tests/hostvm's cleanup, which waits for it, forever);
 * the test udsim.serve_signal_before_poll raises one there. */
#define STOP_LOOK_MS 100

int ud_usbip_cli_serve(const char *device, const struct ud_sim_options *opt, int argc, char **argv)
{
	struct ud_usbip_config cfg = {
		.host = opts.host,
		.port = opts.port,
		.device = device,
		.opt = *opt,
		.faults = opts.faults,
		.verbose = opts.log_urbs,
	};
	struct sigaction sa;
	struct ud_usbip_server *s;
	char err[300];
	int rc = 0;

	(void)argc;
	(void)argv;
	/* No SA_RESTART: poll() returns at once on a signal and the loop ends (or, for one that
	 * came just before poll(), within STOP_LOOK_MS). */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	s = ud_usbip_server_open(&serve_world, &cfg, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "udsim serve: %s\n", err);
		return 3;
	}
	while (!stop_signal) {
		if (ud_usbip_server_poll(s, STOP_LOOK_MS) != 0) {
			rc = 1;
			break;
		}
	}
	if (stop_signal) {
		const struct ud_usbip_stats *st = ud_usbip_server_stats(s);

		fprintf(stderr,
		        "udsim serve: signal %d, stopping: %u connections, %u imports, %u URBs "
		        "submitted, %u completed, %u unlinked, %u bad clients\n",
		        (int)stop_signal, st->connections, st->imports, st->submitted,
		        st->completed, st->unlinked, st->bad_clients);
	}
	ud_usbip_server_close(s);
	return rc;
}
