/* SPDX-License-Identifier: MIT */
/*
 * Two real threads, as on an RTOS: the USB thread runs the host model, the interrupts,
 * ud_task() and, when woken, ud_cdc_poll(); the application thread only calls ud_cdc_read(),
 * ud_cdc_write(), ud_cdc_flush() and ud_cdc_serial_state() (UD_CDC_CTX_OTHER, no lock), and
 * the queries ud_cdc.h allows from any context. 1 MiB each way must arrive intact, in order,
 * with nothing lost between a wake and a poll, and the host must end up with the DCD level
 * the application set last. Built with ThreadSanitizer, this is also the check that every
 * field the two threads share is accessed without a data race.
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
/* Guards a hang (bytes lost between a wake and a poll): this long without a byte moved either
 * way. Not a limit on the whole run: on a loaded machine the run takes as long as the
 * scheduler makes it (21 s with three busy loops on its CPU at nice 19, for 0.07 s of CPU). */
#define STALL_LIMIT_S 60
#define TX_SIZE 512u

static struct cdc_env env;
static uint8_t host_data[BYTES], dev_data[BYTES];
static atomic_int woken;
static atomic_int app_error, usb_error, app_done;
static unsigned app_raises; /* RING events the application raised (read after the join) */

static void wake(void *ctx)
{
	(void)ctx;
	atomic_store(&woken, 1);
}

/* Give the CPU away for a moment when a thread has nothing to do: test machines are busy.
 * (nanosleep rather than sched_yield(): a yield may hand the CPU straight back.) */
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

/* The queries ud_cdc.h allows from any context, from the application thread while the USB
 * thread changes what they report: plausible values (each one a snapshot), and for
 * ThreadSanitizer the accesses. The port stays configured and nothing is dropped. */
static bool queries_ok(uint32_t written)
{
	struct ud_cdc_stats st = ud_cdc_stats(&env.cdc);

	return ud_cdc_configured(&env.cdc) && ud_cdc_lines(&env.cdc) <= 3u &&
	       ud_cdc_tx_pending(&env.cdc) <= TX_SIZE && st.tx_bytes <= written &&
	       st.rx_dropped == 0 && st.tx_dropped == 0 && st.io_errors == 0;
}

/* The application thread: read and write in chunks of changing size; now and then, toggle
 * DCD and raise a RING event. */
static void *app_thread(void *arg)
{
	uint8_t buf[700];
	uint32_t read = 0, written = 0, seed = 7;
	uint16_t level = 0;

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
		if (next(&seed) % 16 == 0) {
			level ^= UD_CDC_SERIAL_DCD;
			(void)ud_cdc_serial_state(&env.cdc, level | UD_CDC_SERIAL_RING);
			app_raises++;
		}
		if (!queries_ok(written)) {
			atomic_store(&app_error, 1);
			break;
		}
		if (n == 0 && w == 0)
			pause_briefly(); /* nothing moved: let the USB thread run */
	}
	/* The last level the host must see: DCD on (a level alone raises no event). */
	(void)ud_cdc_serial_state(&env.cdc, UD_CDC_SERIAL_DCD);
	atomic_store(&app_done, 1);
	return NULL;
}

/* One IN token on the notification endpoint: on a SERIAL_STATE, note its level and count
 * its RING event. @return false if the notification is not one the application can cause. */
static bool notification_ok(uint16_t *level, unsigned *rings, bool *got_one)
{
	uint8_t nb[16];
	uint16_t len = 0;

	*got_one = cdc_env_in(&env, CDC_EP_NOTIFY, nb, &len) == UD_SIM_ACK;
	if (!*got_one)
		return true;
	if (len != 10 || nb[0] != 0xa1 || nb[1] != UD_CDC_NOTIFY_SERIAL_STATE || nb[9] != 0 ||
	    (nb[8] & ~(UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_RING)))
		return false;
	*level = nb[8] & UD_CDC_SERIAL_LEVELS;
	*rings += (nb[8] & UD_CDC_SERIAL_RING) != 0;
	return true;
}

static void test_threads(void **state)
{
	struct ud_cdc_config cfg = cdc_env_config(&env, 256, TX_SIZE);
	uint32_t sent = 0, got = 0, seed = 3;
	uint8_t buf[64];
	uint16_t len, level;
	unsigned rings = 0;
	bool notified;
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
	level = env.first_state & UD_CDC_SERIAL_LEVELS;
	assert_int_equal(pthread_create(&app, NULL, app_thread, NULL), 0);

	time_t start = time(NULL), last_move = start;
	while (sent < BYTES || got < BYTES) {
		if (atomic_load(&app_error) || time(NULL) - last_move > STALL_LIMIT_S) {
			atomic_store(&usb_error, 1);
			break;
		}
		if (sent < BYTES) {
			uint16_t n = (uint16_t)(BYTES - sent < 64 ? BYTES - sent : 64);
			if (cdc_env_out(&env, host_data + sent, n) == UD_SIM_ACK) {
				sent += n;
				last_move = time(NULL);
			}
		}
		int st = cdc_env_in(&env, CDC_EP_IN, buf, &len);
		if (st == UD_SIM_ACK) {
			if (len > BYTES - got || memcmp(buf, dev_data + got, len) != 0) {
				atomic_store(&usb_error, 1);
				break;
			}
			got += len;
			last_move = time(NULL);
		}
		if (!notification_ok(&level, &rings, &notified)) {
			atomic_store(&usb_error, 1);
			break;
		}
		if (atomic_exchange(&woken, 0))
			ud_cdc_poll(&env.cdc);
		else if (st != UD_SIM_ACK)
			pause_briefly();
	}
	pthread_join(app, NULL);
	/* What the application's last calls left: at most one notification in flight and one
	 * merged behind it. */
	for (int i = 0; i < 3; i++) {
		ud_cdc_poll(&env.cdc);
		assert_true(notification_ok(&level, &rings, &notified));
	}
	print_message("sent %u got %u in %lds; %u notifications with RING for %u raises\n", sent,
	              got, (long)(time(NULL) - start), rings, app_raises);
	assert_false(atomic_load(&app_error));
	assert_false(atomic_load(&usb_error));
	assert_true(atomic_load(&app_done));
	assert_int_equal(sent, BYTES);
	assert_int_equal(got, BYTES);
	assert_false(notified); /* nothing left */
	assert_int_equal(level, UD_CDC_SERIAL_DCD);
	/* Events raised while one is pending merge into it: at least one arrives, never more
	 * than were raised. */
	assert_true(rings >= 1 && rings <= app_raises);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
