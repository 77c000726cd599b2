/* SPDX-License-Identifier: MIT */
/*
 * port/stm32_fsdev's endpoint streams against the register model: the races with the hardware
 * that the single-threaded model cannot stage by itself. An io wrapper lets the host make one
 * transaction right after the port has read an endpoint register, i.e. between the driver's
 * read and its (toggle-bit) write, as silicon may at any time while an endpoint is VALID.
 *
 * On a streaming endpoint ep_stall() is called while a packet is armed (ud_port.h: "or while
 * the endpoint streams"), also to clear a halt that is not set (the core does so on every
 * CLEAR_FEATURE(ENDPOINT_HALT): the host resets its toggle, so must the device). A toggle
 * write computed from VALID lands on the NAK the hardware set after the packet, and makes the
 * wrong state: STALL becomes DISABLED, the clear's NAK becomes VALID again with the moved
 * packet still in the packet memory, and the clear's DATA0 becomes DATA1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "../unit/stream_fixture.h"
#include "fsdev_env.h"
#include "udcore/ud_ch9.h"
#include "udcore/ud_stream.h"

#define RING 256u

static uint8_t ring_buf[RING];
static uint8_t bounce[64];
static struct ud_ring ring;
static struct ud_stream st;
static uint8_t pkt[64];

/* Once armed, the host makes one transaction right after the port's @armed-th read of EPnR
 * of @ep's number. */
static struct {
	int armed;
	uint8_t ep;
	uint8_t data[64];
	uint16_t len;
	uint8_t pid; /* OUT: the PID sent; IN: the one received */
	enum ud_vdc_result answer;
} race;

static uint32_t race_read(void *ctx, uintptr_t addr, uint8_t width)
{
	uint32_t v = ud_fsdev_model_read(ctx, addr, width);
	if (race.armed && addr == UD_FSDEV_MODEL_USB_BASE + 4u * (race.ep & 0x0fu) &&
	    --race.armed == 0) {
		if (race.ep & 0x80u)
			race.answer =
				ud_fsdev_model_in(ctx, ud_fsdev_model_address(ctx), race.ep & 0x0fu,
			                          race.data, 64, &race.len, &race.pid);
		else
			race.answer = ud_fsdev_model_out(ctx, ud_fsdev_model_address(ctx), race.ep,
			                                 race.data, race.len, race.pid);
	}
	return v;
}

static const struct ud_fsdev_io race_io = {.read = race_read, .write = ud_fsdev_model_write};

static void stream_env(uint8_t ep)
{
	env_reset();
	memset(ring_buf, 0xee, sizeof(ring_buf));
	stream_fixture_reset(&ring, ring_buf, RING, &st, bounce);
	open_ep(ep, UD_EP_BULK, 64);
	memset(&race, 0, sizeof(race));
}

static int setup_out(void **state)
{
	env_setup_f072(state);
	stream_env(0x01);
	return 0;
}

static int setup_in(void **state)
{
	env_setup_f072(state);
	stream_env(0x81);
	return 0;
}

static void fill(uint8_t *p, uint32_t n, uint8_t seed)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 3u);
}

/* The writer puts @n bytes (seeded @seed) at the head and kicks. */
static void write_bytes(uint32_t n, uint8_t seed)
{
	uint32_t h = UD_LOAD(&ring.head);
	for (uint32_t i = 0; i < n; i++)
		ring_buf[(h + i) & (RING - 1u)] = (uint8_t)(seed + i);
	UD_STORE_SC(&ring.head, h + n);
	if (UD_LOAD_SC(&st.starved))
		P->ops->ep_kick(P, 0x81, &st);
}

/* ---- stall / clear racing a packet ---- */

/* IN, a halt cleared that was not set (CLEAR_FEATURE(ENDPOINT_HALT) on a running endpoint)
 * while a packet is loaded; the host takes it between the port's read of EP1R and its write.
 * The packet counts once; the toggle restarts at DATA0 for the next one, which the host then
 * accepts. The bug: the write, computed from VALID, flipped the hardware's NAK back to VALID
 * and its DTOG to DATA1, with the packet taken still loaded. The handler then loaded the next
 * packet into a VALID endpoint with DATA1: the host, whose toggle the clear reset, drops it as
 * a retransmission while the port commits it: 64 bytes lost. */
static void test_in_clear_races_a_packet(void **state)
{
	uint16_t len;
	uint8_t pid;

	(void)state;
	assert_int_equal(P->ops->ep_stream(P, 0x81, &st), 0);
	write_bytes(128, 0x10);
	assert_int_equal(env_stat_tx(1), 3);
	S.port.cfg.io = &race_io;
	race.ep = 0x81;
	race.armed = 1;
	P->ops->ep_stall(P, 0x81, false);
	S.port.cfg.io = &ud_fsdev_model_io;
	assert_int_equal(race.answer, UD_VDC_ACK);
	assert_int_equal(race.len, 64);
	/* The endpoint NAKs (the packet taken is not loaded again), DATA0 next, its interrupt
	 * pending. */
	assert_int_equal(env_stat_tx(1), 2);
	assert_false(env_epr(1) & 0x0040u);
	assert_true(env_epr(1) & 0x0080u);
	env_irq();
	assert_int_equal(UD_LOAD(&ring.tail), 64);
	memset(pkt, 0, sizeof(pkt));
	assert_int_equal(in_token(1, pkt, &len, &pid), UD_VDC_ACK);
	assert_int_equal(len, 64);
	assert_int_equal(pid, 0); /* what the host expects after its CLEAR_FEATURE */
	assert_int_equal(pkt[0], 0x10 + 64);
	env_no_bad_access();
}

/* OUT, the same: the host's packet arrives between the read and the write of the clear. It
 * lands once, and the host's next packet, DATA0 after its CLEAR_FEATURE, lands too. The bug:
 * STAT_RX VALID again with the packet not yet copied out of the packet memory, and DTOG_RX 1:
 * the host's DATA0 packet is ACKed and dropped. */
static void test_out_clear_races_a_packet(void **state)
{
	(void)state;
	assert_int_equal(P->ops->ep_stream(P, 0x01, &st), 0);
	assert_int_equal(env_stat_rx(1), 3);
	S.port.cfg.io = &race_io;
	race.ep = 0x01;
	race.len = 64;
	race.pid = 0;
	fill(race.data, 64, 0x40);
	race.armed = 1;
	P->ops->ep_stall(P, 0x01, false);
	S.port.cfg.io = &ud_fsdev_model_io;
	assert_int_equal(race.answer, UD_VDC_ACK);
	/* NAK until the handler has copied the packet; DATA0 next. */
	assert_int_equal(env_stat_rx(1), 2);
	assert_false(env_epr(1) & 0x4000u);
	env_irq();
	assert_int_equal(UD_LOAD(&ring.head), 64);
	assert_memory_equal(ring_buf, race.data, 64);
	fill(pkt, 64, 0x90);
	assert_int_equal(out_packet(1, pkt, 64, 0), UD_VDC_ACK);
	env_irq();
	assert_int_equal(UD_LOAD(&ring.head), 128);
	assert_memory_equal(ring_buf + 64, pkt, 64);
	env_no_bad_access();
}

/* IN, a halt set while a packet is loaded; the host takes it between the read and the write.
 * The packet counts once and the endpoint answers STALL from then on. The bug: STALL written as
 * a toggle from VALID onto the hardware's NAK gives DISABLED: the host's tokens time out (a
 * transaction error, not the halt it asked for). */
static void test_in_stall_races_a_packet(void **state)
{
	uint16_t len;
	uint8_t pid;

	(void)state;
	assert_int_equal(P->ops->ep_stream(P, 0x81, &st), 0);
	write_bytes(128, 0x10);
	S.port.cfg.io = &race_io;
	race.ep = 0x81;
	race.armed = 1;
	P->ops->ep_stall(P, 0x81, true);
	S.port.cfg.io = &ud_fsdev_model_io;
	assert_int_equal(race.answer, UD_VDC_ACK);
	assert_int_equal(env_stat_tx(1), 1);
	env_irq();
	assert_int_equal(UD_LOAD(&ring.tail), 64);
	assert_int_equal(in_token(1, pkt, &len, &pid), UD_VDC_STALL);
	P->ops->ep_stall(P, 0x81, false);
	assert_int_equal(in_token(1, pkt, &len, &pid), UD_VDC_ACK);
	assert_int_equal(pid, 0);
	env_no_bad_access();
}

/* OUT, the same. */
static void test_out_stall_races_a_packet(void **state)
{
	(void)state;
	assert_int_equal(P->ops->ep_stream(P, 0x01, &st), 0);
	S.port.cfg.io = &race_io;
	race.ep = 0x01;
	race.len = 10;
	fill(race.data, 10, 0x40);
	race.armed = 1;
	P->ops->ep_stall(P, 0x01, true);
	S.port.cfg.io = &ud_fsdev_model_io;
	assert_int_equal(race.answer, UD_VDC_ACK);
	assert_int_equal(env_stat_rx(1), 1);
	env_irq();
	assert_int_equal(UD_LOAD(&ring.head), 10);
	fill(pkt, 64, 0x90);
	assert_int_equal(out_packet(1, pkt, 64, 1), UD_VDC_STALL);
	env_no_bad_access();
}

/* ---- stop racing a packet (sound: these pass) ---- */

/* IN: the host takes the loaded packet between the read of VALID and the write of NAK inside
 * the stop: ep_nak() sees the flag and NAKs again; the stop commits the packet once, and the
 * handler finds nothing to commit. */
static void test_in_stop_races_a_packet(void **state)
{
	(void)state;
	assert_int_equal(P->ops->ep_stream(P, 0x81, &st), 0);
	write_bytes(128, 0x10);
	S.port.cfg.io = &race_io;
	race.ep = 0x81;
	race.armed = 2;
	assert_int_equal(P->ops->ep_stream(P, 0x81, NULL), 0);
	S.port.cfg.io = &ud_fsdev_model_io;
	assert_int_equal(race.answer, UD_VDC_ACK);
	assert_int_equal(UD_LOAD(&ring.tail), 64);
	assert_int_equal(env_stat_tx(1), 2);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	env_no_bad_access();
}

/* OUT: the same with a packet arriving; it lands once. */
static void test_out_stop_races_a_packet(void **state)
{
	(void)state;
	assert_int_equal(P->ops->ep_stream(P, 0x01, &st), 0);
	S.port.cfg.io = &race_io;
	race.ep = 0x01;
	race.len = 20;
	fill(race.data, 20, 0x40);
	race.armed = 2;
	assert_int_equal(P->ops->ep_stream(P, 0x01, NULL), 0);
	S.port.cfg.io = &ud_fsdev_model_io;
	assert_int_equal(race.answer, UD_VDC_ACK);
	assert_int_equal(UD_LOAD(&ring.head), 20);
	assert_memory_equal(ring_buf, race.data, 20);
	assert_int_equal(env_stat_rx(1), 2);
	assert_false(ud_fsdev_model_irq_line(&S.hw));
	env_no_bad_access();
}

#define TO(name) cmocka_unit_test_setup(name, setup_out)
#define TI(name) cmocka_unit_test_setup(name, setup_in)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TI(test_in_clear_races_a_packet), TO(test_out_clear_races_a_packet),
		TI(test_in_stall_races_a_packet), TO(test_out_stall_races_a_packet),
		TI(test_in_stop_races_a_packet),  TO(test_out_stop_races_a_packet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
