/* SPDX-License-Identifier: MIT */
/*
 * Two real threads, as on an RTOS: the USB thread runs the host model, the interrupts and
 * ud_task(); the probe thread only loops on ud_dap_process(), the other context ud_dap.h
 * allows, with no lock. The probe is the simulator's `dap` device (CMSIS-DAP v2, the real
 * engine, the simulated SWD target, 4 slots of 64 bytes). The host connects to the target and
 * then sends a few thousand DAP_Transfer and DAP_Info commands, keeping one more outstanding
 * than the probe has slots, so that commands arrive while others execute and OUT is NAKed
 * while every slot is taken. Every response must arrive exactly once, in order, with the right bytes: each
 * DAP_Transfer writes a word no other command writes and reads back the word the command
 * before it wrote, so a response lost, repeated, swapped, or executed out of order differs
 * from the expected one.
 *
 * Under ThreadSanitizer (ctest label "threads") this is the check that the queue's fields are
 * shared between the two contexts without a data race.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "enumerate.h"
#include "swd_target.h"
#include "udcore/ud_dap.h"
#include "world.h"

#define WORK_COMMANDS 4000u
#define MAX_COMMANDS (WORK_COMMANDS + 16u)
/* Outstanding commands: one more than the probe's slots, so that the host also writes into a
 * full queue and meets the NAK that holds a command back until a slot frees. */
#define WINDOW (UD_SIM_DAP_PACKET_COUNT + 1u)
/* Guards a hang (a lost response): this long without a command written or a response read.
 * Not a limit on the whole run, which takes as long as a loaded machine makes it. */
#define STALL_LIMIT_S 60
#define EP 1u     /* the `dap` device: bulk EP1 OUT and EP1 IN */
#define WORDS 64u /* RAM words the commands cycle through */

/* One command and the response it must get: `cmp` bytes compared, `len` the whole length. */
struct exchange {
	uint8_t cmd[32];
	uint8_t resp[32];
	uint8_t cmd_len, len, cmp;
};

static struct ud_world w;
static struct exchange plan[MAX_COMMANDS];
static unsigned planned;
static atomic_int stop;

static struct exchange *add(const uint8_t *cmd, uint8_t cmd_len, const uint8_t *resp, uint8_t len)
{
	struct exchange *x = &plan[planned++];

	memcpy(x->cmd, cmd, cmd_len);
	memcpy(x->resp, resp, len);
	x->cmd_len = cmd_len;
	x->len = x->cmp = len;
	return x;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* DAP_Transfer of one request (a write carries @value); OK, with the value read if any. */
static struct exchange *add_transfer(uint8_t request, uint32_t value)
{
	uint8_t cmd[8] = {0x05, 0, 1, request}, resp[7] = {0x05, 1, 1};
	bool read = (request & 0x02u) != 0;

	put32(cmd + 4, value);
	put32(resp + 3, value);
	return add(cmd, read ? 4 : 8, resp, read ? 7 : 3);
}

static uint32_t word_value(uint32_t k)
{
	return k * 0x9e3779b9u + 0x5a5a0000u;
}

static uint32_t word_addr(uint32_t k)
{
	return UD_SWD_TARGET_RAM_BASE + 4u * (k % WORDS);
}

/* Command k of the work: three DAP_Transfer commands in four, then a DAP_Info. */
static void add_work(uint32_t k)
{
	if (k % 4u == 3u) {
		static const uint8_t ids[] = {0xfe, 0xff, 0xf0, 0x04};
		static const uint8_t answers[][8] = {
			{0x00, 1, UD_SIM_DAP_PACKET_COUNT},
			{0x00, 2, 64, 0},
			{0x00, 1, UD_DAP_CAPS_ENGINE},
			{0x00, 6, '2', '.', '1', '.', '1', 0},
		};
		static const uint8_t lens[] = {3, 4, 3, 8};
		unsigned i = (k / 4u) % 4u;
		const uint8_t cmd[2] = {0x00, ids[i]};
		(void)add(cmd, 2, answers[i], lens[i]);
		return;
	}
	/* TAR, write DRW, TAR of the word the command before wrote, read DRW: 4 transfers. */
	uint32_t prev = k ? k - 1u : 0;
	while (prev && prev % 4u == 3u)
		prev--; /* the last DAP_Transfer before */
	uint8_t cmd[3 + 4 * 5] = {0x05, 0, 4}, resp[3 + 4] = {0x05, 4, 1};
	uint8_t *p = cmd + 3;
	*p++ = 0x05; /* AP write TAR */
	put32(p, word_addr(k));
	p += 4;
	*p++ = 0x0d; /* AP write DRW */
	put32(p, word_value(k));
	p += 4;
	*p++ = 0x05;
	put32(p, word_addr(prev));
	p += 4;
	*p++ = 0x0f; /* AP read DRW */
	put32(resp + 3, word_value(prev));
	(void)add(cmd, (uint8_t)(p - cmd), resp, sizeof(resp));
}

static void make_plan(void)
{
	static const uint8_t connect[] = {0x02, 0x01}, connected[] = {0x02, 0x01};
	static const uint8_t line_reset[] = {0x12, 56, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t to_swd[] = {0x12, 16, 0x9e, 0xe7}, idle[] = {0x12, 8, 0x00};
	static const uint8_t seq_ok[] = {0x12, 0x00};

	planned = 0;
	(void)add(connect, sizeof(connect), connected, sizeof(connected));
	(void)add(line_reset, sizeof(line_reset), seq_ok, sizeof(seq_ok));
	(void)add(to_swd, sizeof(to_swd), seq_ok, sizeof(seq_ok));
	(void)add(line_reset, sizeof(line_reset), seq_ok, sizeof(seq_ok));
	(void)add(idle, sizeof(idle), seq_ok, sizeof(seq_ok));
	(void)add_transfer(0x02, UD_SWD_TARGET_DPIDR); /* read DPIDR */
	(void)add_transfer(0x00, 0x1e);                /* ABORT: clear sticky flags */
	(void)add_transfer(0x04, 0x50000000u);         /* CTRL/STAT: power-up requests */
	add_transfer(0x06, 0)->cmp = 3;                /* CTRL/STAT read: OK, value not compared */
	(void)add_transfer(0x08, 0);                   /* SELECT: AP 0, bank 0 */
	(void)add_transfer(0x01, 0x23000002u);         /* CSW: 32-bit, no auto-increment */
	for (uint32_t k = 0; k < WORK_COMMANDS; k++)
		add_work(k);
}

/* Give the CPU away for a moment when a thread has nothing to do: test machines are busy. */
static void pause_briefly(void)
{
	struct timespec ts = {0, 1000};
	nanosleep(&ts, NULL);
}

/* The probe thread: what an RTOS task running the probe does, minus the wait on `notify`. */
static void *probe_thread(void *arg)
{
	struct ud_dap *dap = arg;

	while (!atomic_load(&stop)) {
		if (!ud_dap_process(dap))
			pause_briefly();
	}
	return NULL;
}

/* The device's main loop, in the USB thread: interrupts, then ud_task() (which runs the pump
 * when the probe thread's ud_function_wake() asked for it). */
static void device_loop(void)
{
	while (ud_vdc_irq_count(&w.vdc) > 0)
		(void)ud_vdc_irq_deliver(&w.vdc, 0);
	(void)ud_task(&w.dev);
}

struct progress {
	unsigned sent, answered; /* commands written (ACKed), responses read and checked */
	unsigned naks_out, naks_in;
	char error[160];
};

/* One host turn: write the next command while fewer than WINDOW are outstanding, else (or
 * if it was NAKed) read the oldest response. False once a response is wrong. */
static bool host_turn(struct progress *pr, bool *moved)
{
	static struct ud_sim_result r;

	*moved = false;
	if (pr->sent - pr->answered < WINDOW && pr->sent < planned) {
		const struct exchange *x = &plan[pr->sent];
		ud_host_out_packet(&w, EP, x->cmd, x->cmd_len, &r);
		if (r.status == UD_SIM_ACK) {
			pr->sent++;
			*moved = true;
			return true;
		}
		pr->naks_out++; /* every slot taken: the probe NAKs until one frees */
	}
	if (pr->answered == pr->sent)
		return true;
	ud_host_in_packet(&w, EP, &r);
	if (r.status != UD_SIM_ACK || r.dup) {
		pr->naks_in++;
		return true;
	}
	const struct exchange *x = &plan[pr->answered];
	if (r.len != x->len || memcmp(r.data, x->resp, x->cmp) != 0) {
		snprintf(pr->error, sizeof(pr->error),
		         "response %u: %u bytes, first %02x %02x %02x; expected %u bytes",
		         pr->answered, r.len, r.data[0], r.data[1], r.data[2], x->len);
		return false;
	}
	pr->answered++;
	*moved = true;
	return true;
}

static void test_two_threads(void **state)
{
	const struct ud_sim_options opt = {.speed = UD_SPEED_FULL};
	static struct ud_sim_result r;
	static struct ud_enum_log log;
	struct progress pr = {0};
	char err[128];
	pthread_t probe;

	(void)state;
	make_plan();
	assert_int_equal(ud_world_init(&w, "dap", &opt, err, sizeof(err)), 0);
	ud_enumerate(&w, UD_OS_LINUX, &r, &log);
	assert_int_equal(r.status, UD_SIM_OK);
	w.host.manual = 1; /* from here on the device runs only in device_loop() */
	struct ud_dap *dap = &w.app.dap.dap;

	atomic_store(&stop, 0);
	assert_int_equal(pthread_create(&probe, NULL, probe_thread, dap), 0);
	time_t start = time(NULL), last_move = start;
	bool ok = true;
	while (ok && pr.answered < planned) {
		if (time(NULL) - last_move > STALL_LIMIT_S) {
			snprintf(pr.error, sizeof(pr.error), "no progress: %u sent, %u answered",
			         pr.sent, pr.answered);
			ok = false;
			break;
		}
		bool moved;
		ok = host_turn(&pr, &moved);
		device_loop();
		if (moved)
			last_move = time(NULL);
		else
			pause_briefly(); /* waiting for the probe thread */
	}
	atomic_store(&stop, 1);
	pthread_join(probe, NULL);
	print_message("%u commands, %u answered, %u OUT NAKs, %u IN NAKs in %lds%s%s\n", pr.sent,
	              pr.answered, pr.naks_out, pr.naks_in, (long)(time(NULL) - start),
	              ok ? "" : ": ", pr.error);
	assert_true(ok);
	assert_int_equal(pr.answered, planned);

	/* Nothing more to come: no command waits, no response is left, no slot is held. */
	device_loop();
	ud_host_in_packet(&w, EP, &r);
	assert_int_equal(r.status, UD_SIM_NAK);
	assert_int_equal(ud_dap_pending(dap), 0);
	assert_true(ud_dap_idle(dap));
	const struct ud_dap_stats *s = ud_dap_stats(dap);
	assert_int_equal(s->commands, planned);
	assert_int_equal(s->responses, planned);
	assert_int_equal(s->discarded + s->silent + s->in_errors, 0);
	assert_true(pr.naks_out > 0); /* the window did fill every slot */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
