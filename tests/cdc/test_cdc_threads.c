/* SPDX-License-Identifier: MIT */
/*
 * Two real threads, as on an RTOS: the USB thread runs the host model, the interrupts,
 * ud_task() and, when woken, ud_cdc_poll(); the application thread only calls ud_cdc_read(),
 * ud_cdc_write() and ud_cdc_flush() (UD_CDC_CTX_OTHER, no lock). 1 MiB each way must arrive
 * intact, in order, with nothing lost between a wake and a poll.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cdc_env.h"

#define BYTES (1024u * 1024u)
#define TIME_LIMIT_S 20

static struct cdc_env env;
static uint8_t host_data[BYTES], dev_data[BYTES];
static atomic_int woken;
static atomic_int app_error, usb_error, app_done;

static void wake(void *ctx)
{
	(void)ctx;
	atomic_store(&woken, 1);
}

/* Give the CPU away for a moment when a thread has nothing to do: test machines are busy.
 * (Not sched_yield(): sim/sched.h shadows <sched.h> on this include path.) */
static void pause_briefly(void)
{
	struct timespec ts = {0, 1000};
	nanosleep(&ts, NULL);
}

static uint32_t next(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* The application thread: read and write in chunks of changing size. */
static void *app_thread(void *arg)
{
	uint8_t buf[700];
	uint32_t read = 0, written = 0, seed = 7;

	(void)arg;
	while ((read < BYTES || written < BYTES) && !atomic_load(&usb_error)) {
		uint32_t n = ud_cdc_read(&env.cdc, buf, 1 + next(&seed) % sizeof(buf));
		if (n > BYTES - read || memcmp(buf, host_data + read, n) != 0) {
			atomic_store(&app_error, 1);
			break;
		}
		read += n;
		uint32_t want = 1 + next(&seed) % 700;
		if (want > BYTES - written)
			want = BYTES - written;
		uint32_t w = ud_cdc_write(&env.cdc, dev_data + written, want);
		written += w;
		if (written == BYTES || next(&seed) % 8 == 0)
			(void)ud_cdc_flush(&env.cdc);
		if (n == 0 && w == 0)
			pause_briefly(); /* nothing moved: let the USB thread run */
	}
	atomic_store(&app_done, 1);
	return NULL;
}

static void test_threads(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, 512);
	uint32_t sent = 0, got = 0, seed = 3;
	uint8_t buf[64];
	uint16_t len;
	pthread_t app;

	(void)state;
	for (uint32_t i = 0; i < BYTES; i++) {
		host_data[i] = (uint8_t)(next(&seed) >> 3);
		dev_data[i] = (uint8_t)(next(&seed) >> 5);
	}
	cfg.context = UD_CDC_CTX_OTHER;
	cfg.wake = wake;
	cfg.on_rx = NULL; /* the env's counting callbacks are not for two threads */
	cfg.on_tx = NULL;
	assert_int_equal(cdc_env_start(&env, &cfg, 0), 0);
	cdc_env_attach(&env);
	assert_int_equal(pthread_create(&app, NULL, app_thread, NULL), 0);

	time_t start = time(NULL);
	while (sent < BYTES || got < BYTES) {
		if (atomic_load(&app_error) || time(NULL) - start > TIME_LIMIT_S) {
			atomic_store(&usb_error, 1);
			break;
		}
		if (sent < BYTES) {
			uint16_t n = (uint16_t)(BYTES - sent < 64 ? BYTES - sent : 64);
			if (cdc_env_out(&env, host_data + sent, n) == UD_SIM_ACK)
				sent += n;
		}
		int st = cdc_env_in(&env, CDC_EP_IN, buf, &len);
		if (st == UD_SIM_ACK) {
			if (len > BYTES - got || memcmp(buf, dev_data + got, len) != 0) {
				atomic_store(&usb_error, 1);
				break;
			}
			got += len;
		}
		if (atomic_exchange(&woken, 0))
			ud_cdc_poll(&env.cdc);
		else if (st != UD_SIM_ACK)
			pause_briefly();
	}
	pthread_join(app, NULL);
	print_message("sent %u got %u in %lds\n", sent, got, (long)(time(NULL) - start));
	assert_false(atomic_load(&app_error));
	assert_false(atomic_load(&usb_error));
	assert_true(atomic_load(&app_done));
	assert_int_equal(sent, BYTES);
	assert_int_equal(got, BYTES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
