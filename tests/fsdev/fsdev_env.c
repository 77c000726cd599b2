/* SPDX-License-Identifier: MIT */
#include "fsdev_env.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "udcore/ud_ch9.h"
#include "udcore/ud_device.h"

struct recorder rec;
struct ud_sim_fsdev S;
struct ud_port *P;
bool setup_waiting;
static struct ud_device dummy; /* only its address is used: the reports come here */

static struct rec_event *push(uint8_t kind)
{
	assert_true(rec.n < REC_MAX);
	struct rec_event *e = &rec.ev[rec.n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	return e;
}

void ud_port_report_setup(struct ud_device *dev, const uint8_t raw[8])
{
	assert_ptr_equal(dev, &dummy);
	memcpy(push(REC_SETUP)->setup, raw, 8);
}

bool ud_port_setup_waiting(const struct ud_device *dev)
{
	assert_ptr_equal(dev, &dummy);
	return setup_waiting;
}

void ud_port_report_xfer(struct ud_device *dev, uint8_t ep, uint32_t actual, int status)
{
	assert_ptr_equal(dev, &dummy);
	struct rec_event *e = push(REC_XFER);
	e->ep = ep;
	e->actual = actual;
	e->status = status;
}

void ud_port_report_reset(struct ud_device *dev, enum ud_speed speed)
{
	assert_ptr_equal(dev, &dummy);
	push(REC_RESET)->actual = speed;
}

void ud_port_report_suspend(struct ud_device *dev, bool suspended)
{
	assert_ptr_equal(dev, &dummy);
	push(REC_SUSPEND)->actual = suspended;
}

void ud_port_report_vbus(struct ud_device *dev, bool present)
{
	assert_ptr_equal(dev, &dummy);
	push(REC_VBUS)->actual = present;
}

void ud_port_report_sof(struct ud_device *dev, uint16_t frame)
{
	assert_ptr_equal(dev, &dummy);
	push(REC_SOF)->actual = frame;
}

void ud_port_report_stream(struct ud_device *dev, uint8_t ep)
{
	assert_ptr_equal(dev, &dummy);
	push(REC_WAKE)->ep = ep;
}

void env_clear(void)
{
	memset(&rec, 0, sizeof(rec));
}

void env_init(const struct ud_fsdev_model_config *chip, uint8_t ep0, uint8_t flags)
{
	ud_sim_fsdev_init(&S, chip ? chip : &ud_fsdev_model_f072, flags);
	P = ud_fsdev_port(&S.port);
	P->dev = &dummy;
	P->ep0_max_packet = ep0;
	assert_int_equal(P->ops->init(P), 0);
	P->ops->connect(P, true);
	ud_fsdev_model_board_pullup(&S.hw, true); /* chips without BCDR.DPPU: the board's */
	ud_fsdev_model_vbus(&S.hw, true);
	env_clear();
	setup_waiting = false;
}

void env_irq(void)
{
	assert_int_equal(ud_sim_fsdev_irq(&S), 0);
}

void env_reset(void)
{
	ud_fsdev_model_bus_reset(&S.hw);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_RESET);
	assert_int_equal(rec.ev[0].actual, UD_SPEED_FULL);
	env_clear();
}

const struct rec_event *env_last(void)
{
	assert_true(rec.n > 0);
	return &rec.ev[rec.n - 1];
}

void env_setup(const uint8_t raw[8])
{
	env_clear();
	assert_int_equal(ud_fsdev_model_setup(&S.hw, ud_fsdev_model_address(&S.hw), raw),
	                 UD_VDC_ACK);
	env_irq();
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.ev[0].kind, REC_SETUP);
	assert_memory_equal(rec.ev[0].setup, raw, 8);
	env_clear();
}

uint16_t env_epr(unsigned n)
{
	return S.hw.epr[n];
}

unsigned env_stat_tx(unsigned n)
{
	return (S.hw.epr[n] >> 4) & 3u;
}

unsigned env_stat_rx(unsigned n)
{
	return (S.hw.epr[n] >> 12) & 3u;
}

void env_no_bad_access(void)
{
	assert_int_equal(S.hw.stats.bad_access, 0);
	assert_int_equal(S.hw.stats.irq_stuck, 0);
}

const uint8_t get_dev[8] = {0x80, 0x06, 0x00, 0x01, 0x00, 0x00, 0x40, 0x00};
uint8_t pattern[256];

int env_setup_f072(void **state)
{
	(void)state;
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7u + 3u);
	env_init(NULL, 64, UD_FSDEV_SOF);
	return 0;
}

uint16_t pma16(uint32_t at)
{
	return (uint16_t)(S.hw.pma[at] | (S.hw.pma[at + 1u] << 8));
}

void open_ep(uint8_t addr, uint8_t type, uint16_t mps)
{
	const struct ud_ep_config cfg = {.addr = addr, .type = type, .max_packet = mps};
	assert_int_equal(P->ops->ep_open(P, &cfg), 0);
}

enum ud_vdc_result in_token(uint8_t epnum, uint8_t *buf, uint16_t *len, uint8_t *pid)
{
	return ud_fsdev_model_in(&S.hw, ud_fsdev_model_address(&S.hw), epnum, buf, 64, len, pid);
}

enum ud_vdc_result out_packet(uint8_t epnum, const uint8_t *data, uint16_t len, uint8_t pid)
{
	return ud_fsdev_model_out(&S.hw, ud_fsdev_model_address(&S.hw), epnum, data, len, pid);
}
