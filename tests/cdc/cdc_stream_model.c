/* SPDX-License-Identifier: MIT */
/* The randomised stream run. See cdc_stream_model.h. */
#include "cdc_stream_model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define MAX_STEPS 40000000ul

static uint8_t host_data[CDC_STREAM_MAX]; /* host to device */
static uint8_t dev_data[CDC_STREAM_MAX];  /* device to host */
static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: fast, and good enough to pick actions. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32) % n;
}

void cdc_stream_seed(uint32_t dflt)
{
	const char *s = getenv("CDC_SEED");
	uint32_t v = s ? (uint32_t)strtoul(s, NULL, 0) : dflt;

	print_message("seed %u (CDC_SEED=%u replays it)\n", v, v);
	rng_state = 0x9e3779b97f4a7c15ull ^ v;
	for (uint32_t i = 0; i < CDC_STREAM_MAX; i++) {
		host_data[i] = (uint8_t)rnd(256);
		dev_data[i] = (uint8_t)rnd(256);
	}
}

struct stream {
	struct cdc_env *e;
	const struct cdc_stream_opts *o;
	uint32_t sent, read, written, got;
	unsigned long host_pause, app_pause, wakes_seen;
	struct cdc_stream_result res;
};

/* Something the host does with a whole control transfer, in auto mode. */
static void host_control(struct stream *s, uint8_t bm, uint8_t req, uint16_t value, uint16_t index)
{
	s->e->w.host.manual = 0;
	assert_int_equal(cdc_env_control(s->e, bm, req, value, index, 0, NULL, 0, NULL, NULL),
	                 UD_SIM_OK);
	s->e->w.host.manual = 1;
}

/* The host saw a STALL: it clears the halt, as a driver does. */
static void clear_halt(struct stream *s, uint8_t ep)
{
	host_control(s, 0x02, UD_REQ_CLEAR_FEATURE, UD_FEATURE_ENDPOINT_HALT, ep);
}

static void host_out(struct stream *s)
{
	uint32_t left = s->o->bytes - s->sent;
	if (s->host_pause || left == 0)
		return;
	uint32_t mps = ud_host_mps(&s->e->w.host, CDC_EP_OUT, false);
	uint32_t len = rnd(4) == 0 ? rnd(mps + 1) : mps; /* mostly full packets, some short, ZLPs */
	if (len > left)
		len = left;
	int st = cdc_env_out(s->e, host_data + s->sent, (uint16_t)len);
	if (st == UD_SIM_NAK) {
		s->res.out_naks++;
		/* A NAK for want of room (the ring cannot take a packet) while the application
		 * is not paused: the reader's pace made the host wait. Not one of the NAKs any
		 * reader sees, before the task re-arms a finished transfer or during a pause. */
		if (!s->app_pause && ud_cdc_available(&s->e->cdc) > s->o->rx_size - mps)
			s->res.full_naks++;
		return;
	}
	if (st == UD_SIM_STALL && s->o->events) {
		clear_halt(s, CDC_EP_OUT);
		return;
	}
	assert_int_equal(st, UD_SIM_ACK);
	s->sent += len;
}

static void host_in(struct stream *s)
{
	uint8_t buf[UD_HOST_PACKET_MAX];
	uint16_t len;

	if (s->host_pause || s->got == s->o->bytes)
		return;
	int st = cdc_env_in(s->e, CDC_EP_IN, buf, &len);
	if (st == UD_SIM_NAK) {
		s->res.in_naks++;
		return;
	}
	if (st == UD_SIM_STALL && s->o->events) {
		clear_halt(s, 0x80u | CDC_EP_IN);
		return;
	}
	assert_int_equal(st, UD_SIM_ACK);
	assert_true(s->got + len <= s->o->bytes);
	assert_memory_equal(buf, dev_data + s->got, len);
	s->got += len;
}

/* The controller's interrupt handler runs for one pending interrupt, any deliverable one. */
static void deliver_irq(struct stream *s)
{
	struct ud_vdc *vdc = &s->e->w.vdc;
	unsigned n = ud_vdc_irq_count(vdc);
	if (n == 0)
		return;
	unsigned i = rnd(n);
	while (!ud_vdc_irq_deliverable(vdc, i))
		i--; /* index 0 is always deliverable */
	assert_int_equal(ud_vdc_irq_deliver(vdc, i), 0);
}

/* The thread that runs ud_task(); in UD_CDC_CTX_OTHER mode it also polls after a wake. */
static void usb_thread(struct stream *s)
{
	(void)ud_task(&s->e->w.dev);
	if (s->o->context == UD_CDC_CTX_OTHER && s->e->wakes != s->wakes_seen) {
		s->wakes_seen = s->e->wakes;
		ud_cdc_poll(&s->e->cdc);
	}
}

static void app_read(struct stream *s)
{
	uint8_t buf[4096];

	if (s->app_pause || (s->o->slow_reader && rnd(10) != 0))
		return;
	uint32_t chunk = s->o->chunk ? s->o->chunk : 300;
	uint32_t want = 1 + rnd(s->o->slow_reader ? 48 : chunk);
	uint32_t n = ud_cdc_read(&s->e->cdc, buf, want);
	assert_true(n <= want);
	assert_true(s->read + n <= s->sent);
	assert_memory_equal(buf, host_data + s->read, n);
	s->read += n;
}

static void app_write(struct stream *s)
{
	uint32_t left = s->o->bytes - s->written;
	if (s->app_pause)
		return;
	if (left == 0) {
		(void)ud_cdc_flush(&s->e->cdc); /* the last partial packet must go out */
		return;
	}
	uint32_t len = 1 + rnd(s->o->chunk ? s->o->chunk : 300);
	if (len > left)
		len = left;
	uint32_t room = ud_cdc_write_room(&s->e->cdc);
	uint32_t n = ud_cdc_write(&s->e->cdc, dev_data + s->written, len);
	assert_int_equal(n, len < room ? len : room); /* takes what fits */
	s->written += n;
}

/* A fault in the middle of the stream; both rings are kept, so the stream goes on intact. */
static void bus_event(struct stream *s)
{
	static struct ud_sim_result r;
	struct cdc_env *e = s->e;
	uint8_t ep = rnd(2) ? CDC_EP_OUT : 0x80u | CDC_EP_IN;

	s->res.events++;
	switch (rnd(6)) {
	case 0: /* bus reset and a new enumeration */
		e->w.host.manual = 0;
		cdc_env_attach(e);
		break;
	case 1: /* unplugged and plugged in again */
		e->w.host.manual = 0;
		ud_host_connect(&e->w, false, &r);
		assert_int_equal(r.status, UD_SIM_OK);
		cdc_env_attach(e);
		break;
	case 2:
		host_control(s, 0x00, UD_REQ_SET_CONFIGURATION, 1, 0);
		break;
	case 3: /* SET_INTERFACE on the data interface */
		host_control(s, 0x01, UD_REQ_SET_INTERFACE, 0, 1);
		break;
	case 4:
		clear_halt(s, ep);
		break;
	default:
		host_control(s, 0x02, UD_REQ_SET_FEATURE, UD_FEATURE_ENDPOINT_HALT, ep);
		break;
	}
	e->w.host.manual = 1;
}

static void step(struct stream *s)
{
	uint32_t a = rnd(10000);

	if (s->host_pause)
		s->host_pause--;
	if (s->app_pause)
		s->app_pause--;
	if (a < 2000)
		host_out(s);
	else if (a < 4000)
		host_in(s);
	else if (a < 5500)
		deliver_irq(s);
	else if (a < 7000)
		usb_thread(s);
	else if (a < 8500)
		app_read(s);
	else if (a < 9700)
		app_write(s);
	else if (a < 9850)
		(void)ud_cdc_flush(&s->e->cdc);
	else if (a < 9960 && s->o->sof)
		ud_vdc_sof(&s->e->w.vdc, (uint16_t)rnd(2048));
	else if (a >= 9994 && a < 9998 && s->o->events)
		bus_event(s);
	else if (a == 9998)
		s->host_pause = 1 + rnd(5000); /* the host stops polling for a long stretch */
	else if (a == 9999)
		s->app_pause = 1 + rnd(5000);
}

static void check_end(struct stream *s)
{
	struct cdc_env *e = s->e;
	const struct cdc_stream_opts *o = s->o;

	/* What the host has not read yet may only be the ZLP that ends the last transfer. */
	e->w.host.manual = 0;
	cdc_env_pump(e);
	uint16_t len = 0;
	int zlps = 0;
	while (cdc_env_in(e, CDC_EP_IN, NULL, &len) == UD_SIM_ACK) {
		assert_int_equal(len, 0);
		assert_true(++zlps <= 1);
	}
	struct ud_cdc_stats st = ud_cdc_stats(&e->cdc);
	assert_int_equal(st.rx_bytes, o->bytes);
	assert_int_equal(st.tx_bytes, o->bytes);
	assert_int_equal(st.rx_dropped + st.tx_dropped + st.io_errors, 0);
	assert_int_equal(ud_cdc_tx_pending(&e->cdc), 0);
	assert_int_equal(ud_cdc_available(&e->cdc), 0);
	assert_int_equal(e->w.dev.port_errors, 0);
	assert_int_equal(e->w.vdc.stats.xfer_while_busy, 0);
	assert_int_equal(e->w.vdc.stats.xfer_on_closed, 0);
	assert_int_equal(e->w.vdc.stats.irq_overflow, 0);
	if (o->slow_reader)
		assert_true(s->res.full_naks > 1000); /* the reader made the host wait */
	if (o->lock) {
		assert_int_equal(e->lock_depth_max, 1);
		assert_int_equal(e->lock_depth, 0);
		assert_true(e->locks > 0);
	}
}

struct cdc_stream_result cdc_stream_run(struct cdc_env *e, const struct cdc_stream_opts *o)
{
	struct ud_cdc_config cfg = cdc_env_config(e, o->rx_size, o->tx_size);
	struct stream s;

	assert_true(o->bytes <= CDC_STREAM_MAX);
	cfg.context = o->context;
	if (o->no_wake)
		cfg.wake = NULL;
	if (o->lock) {
		cfg.lock = cdc_env_lock;
		cfg.unlock = cdc_env_unlock;
	}
	assert_int_equal(cdc_env_start(e, &cfg, o->speeds), 0);
	cdc_env_attach(e);
	e->w.host.manual = 1;
	memset(&s, 0, sizeof(s));
	s.e = e;
	s.o = o;
	while (s.sent < o->bytes || s.read < o->bytes || s.got < o->bytes) {
		assert_true(s.res.steps < MAX_STEPS); /* liveness: everything drains */
		step(&s);
		s.res.steps++;
	}
	print_message("%lu steps, %lu events; OUT NAKs %lu (ring full %lu), IN NAKs %lu\n",
	              s.res.steps, s.res.events, s.res.out_naks, s.res.full_naks, s.res.in_naks);
	check_end(&s);
	return s.res;
}
