/* SPDX-License-Identifier: MIT */
/* The CDC test world. See cdc_env.h. */
#include "cdc_env.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "enumerate.h"

static struct cdc_env *env_of(struct ud_cdc *cdc)
{
	return (struct cdc_env *)cdc->cfg->ctx;
}

static int on_line_coding(struct ud_cdc *cdc, const struct ud_cdc_line_coding *lc)
{
	struct cdc_env *e = env_of(cdc);
	e->line_codings++;
	e->lc = *lc;
	return e->lc_answer;
}

static void on_control_line(struct ud_cdc *cdc, uint8_t lines)
{
	struct cdc_env *e = env_of(cdc);
	e->control_lines++;
	e->lines = lines;
}

static void on_break(struct ud_cdc *cdc, uint16_t ms)
{
	struct cdc_env *e = env_of(cdc);
	e->breaks++;
	e->break_ms = ms;
}

static void on_rx(struct ud_cdc *cdc)
{
	env_of(cdc)->rx_calls++;
}

static void on_tx(struct ud_cdc *cdc)
{
	env_of(cdc)->tx_calls++;
}

static void on_state(struct ud_cdc *cdc, bool up)
{
	struct cdc_env *e = env_of(cdc);
	if (up) {
		e->ups++;
	} else {
		e->downs++;
		if (e->clear_tx_on_down)
			(void)ud_cdc_tx_clear(cdc);
	}
}

static void on_wake(void *ctx)
{
	((struct cdc_env *)ctx)->wakes++;
}

void cdc_env_lock(void *ctx)
{
	struct cdc_env *e = ctx;
	/* Nothing moves the application's indices but its calls, each under the lock: if one
	 * moved since the last unlock, a ring operation ran outside the lock. */
	assert_int_equal(UD_LOAD(&e->cdc.rx.tail), e->rx_tail_unlocked);
	assert_int_equal(UD_LOAD(&e->cdc.tx.head), e->tx_head_unlocked);
	e->locks++;
	e->lock_depth++;
	if (e->lock_depth > e->lock_depth_max)
		e->lock_depth_max = e->lock_depth;
}

void cdc_env_unlock(void *ctx)
{
	struct cdc_env *e = ctx;
	e->unlocks++;
	e->lock_depth--;
	e->rx_tail_unlocked = UD_LOAD(&e->cdc.rx.tail);
	e->tx_head_unlocked = UD_LOAD(&e->cdc.tx.head);
}

struct ud_cdc_config cdc_env_config(struct cdc_env *e, uint32_t rx_size, uint32_t tx_size)
{
	struct ud_cdc_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.rx_buf = e->rx;
	cfg.rx_size = rx_size;
	cfg.tx_buf = e->tx;
	cfg.tx_size = tx_size;
	cfg.on_line_coding = on_line_coding;
	cfg.on_control_line = on_control_line;
	cfg.on_break = on_break;
	cfg.on_rx = on_rx;
	cfg.on_tx = on_tx;
	cfg.on_state = on_state;
	cfg.wake = on_wake;
	cfg.ctx = e;
	return cfg;
}

bool cdc_env_no_streams;

int cdc_env_start(struct cdc_env *e, const struct ud_cdc_config *cfg, uint8_t speeds)
{
	struct ud_vdc_config vc;
	struct ud_cdc_config c = *cfg; /* before the memset: @p cfg may be e->cfg */
	int rc;

	memset(e, 0, sizeof(*e));
	memset(&vc, 0, sizeof(vc));
	vc.ep_count = UD_MAX_EP_NUM;
	vc.speeds = speeds ? speeds : UD_SPEED_FULL;
	vc.no_streams = (uint8_t)(cdc_env_no_streams || getenv("CDC_NO_STREAMS"));
	ud_vdc_init(&e->w.vdc, &vc);
	ud_host_init(&e->w.host, (vc.speeds & UD_SPEED_HIGH) ? UD_SPEED_HIGH : UD_SPEED_FULL);
	e->w.info.vid = 0x1209;
	e->w.info.pid = 0x0003;
	e->w.info.ep0_max_packet = 64;
	e->w.info.manufacturer = "udcore";
	e->w.info.product = "cdc test";
	assert_int_equal(ud_device_init(&e->w.dev, &e->w.vdc.port, &e->w.info), 0);
	c.ctx = e;  /* the callbacks find the env here */
	e->cfg = c; /* the port keeps a pointer to its configuration: not the local copy */
	assert_int_equal(ud_cdc_init(&e->cdc, &e->cfg), 0);
	rc = ud_device_add_function(&e->w.dev, &e->cdc.fn);
	if (rc == 0)
		rc = ud_device_start(&e->w.dev);
	return rc;
}

void cdc_env_attach(struct cdc_env *e)
{
	struct ud_sim_result r;
	struct ud_enum_log log;

	ud_enumerate(&e->w, UD_OS_LINUX, &r, &log);
	assert_int_equal(r.status, UD_SIM_OK);
	assert_true(ud_cdc_configured(&e->cdc));
	e->first_state = cdc_env_serial_state(e);
}

uint16_t cdc_env_serial_state(struct cdc_env *e)
{
	uint8_t buf[16];
	uint16_t len = 0;

	assert_int_equal(cdc_env_in(e, CDC_EP_NOTIFY, buf, &len), UD_SIM_ACK);
	assert_int_equal(len, 10);
	assert_int_equal(buf[0], 0xa1);
	assert_int_equal(buf[1], UD_CDC_NOTIFY_SERIAL_STATE);
	assert_int_equal(buf[6], 2);
	cdc_env_pump(e); /* the completion, so the class may send the next one */
	return (uint16_t)(buf[8] | (buf[9] << 8));
}

int cdc_env_control(struct cdc_env *e, uint8_t bm, uint8_t req, uint16_t value, uint16_t index,
                    uint16_t length, const uint8_t *out, uint16_t out_len, uint8_t *in,
                    uint16_t *in_len)
{
	struct ud_setup s = {bm, req, value, index, length};
	static struct ud_sim_result r;

	ud_host_control(&e->w, &s, out, out_len, &r);
	if (in && in_len) {
		memcpy(in, r.data, r.len);
		*in_len = r.len;
	}
	return r.status;
}

int cdc_env_out(struct cdc_env *e, const uint8_t *data, uint16_t len)
{
	static struct ud_sim_result r;

	ud_host_out_packet(&e->w, CDC_EP_OUT, data, len, &r);
	return r.status;
}

int cdc_env_in(struct cdc_env *e, uint8_t epnum, uint8_t *data, uint16_t *len)
{
	static struct ud_sim_result r;

	ud_host_in_packet(&e->w, epnum, &r);
	if (data)
		memcpy(data, r.data, r.len);
	if (len)
		*len = r.len;
	return r.status == UD_SIM_ACK && r.dup ? UD_SIM_ERROR : r.status;
}

void cdc_env_pump(struct cdc_env *e)
{
	static struct ud_sim_result r;
	bool manual = e->w.host.manual;

	e->w.host.manual = 0;
	assert_true(ud_host_pump(&e->w, &r));
	e->w.host.manual = manual;
}

uint16_t cdc_env_config_desc(struct cdc_env *e, uint8_t *buf, uint16_t cap)
{
	uint16_t len = 0;

	assert_int_equal(
		cdc_env_control(e, 0x80, UD_REQ_GET_DESCRIPTOR, 0x0200, 0, cap, NULL, 0, buf, &len),
		UD_SIM_OK);
	return len;
}

void cdc_env_up(struct cdc_env *e, const struct ud_cdc_config *cfg, uint8_t speeds)
{
	assert_int_equal(cdc_env_start(e, cfg, speeds), 0);
	cdc_env_attach(e);
}

void cdc_env_up_sizes(struct cdc_env *e, uint32_t rx_size, uint32_t tx_size, uint8_t speeds)
{
	struct ud_cdc_config cfg = cdc_env_config(e, rx_size, tx_size);
	cdc_env_up(e, &cfg, speeds);
}

uint16_t cdc_env_in_packet(struct cdc_env *e, uint8_t *buf)
{
	uint16_t len = 0xffff;
	assert_int_equal(cdc_env_in(e, CDC_EP_IN, buf, &len), UD_SIM_ACK);
	return len;
}

void cdc_env_expect_in_nak(struct cdc_env *e)
{
	assert_int_equal(cdc_env_in(e, CDC_EP_IN, NULL, NULL), UD_SIM_NAK);
}

void cdc_pattern(uint8_t *p, unsigned n, unsigned step, unsigned seed)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(i * step + seed);
}
