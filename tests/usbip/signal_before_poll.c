/* SPDX-License-Identifier: MIT */
/*
 * LD_PRELOAD shim of the test udsim.serve_signal_before_poll: the first poll() raises SIGTERM
 * before it waits, as if the signal came after `udsim serve` looked for one and before it went
 * to sleep. A server that only looks between two waits without a time limit never sees it.
 */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <dlfcn.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	static int raised;
	int (*real)(struct pollfd *, nfds_t, int);
	void *sym = dlsym(RTLD_NEXT, "poll");

	memcpy(&real, &sym, sizeof(real)); /* POSIX: dlsym's object pointer is the function */
	if (!raised) {
		raised = 1;
		raise(SIGTERM);
	}
	return real(fds, n, timeout_ms);
}
