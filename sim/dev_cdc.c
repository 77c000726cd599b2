/* SPDX-License-Identifier: MIT */
/* `cdc`: the CDC-ACM class as a loopback plug with an echo application. See dev_cdc.h. */
#include "dev_cdc.h"

#include <stddef.h>

#include "world.h"

static struct ud_sim_cdc *to_sim(struct ud_cdc *cdc)
{
	return (struct ud_sim_cdc *)(void *)((char *)cdc - offsetof(struct ud_sim_cdc, cdc));
}

static int on_line_coding(struct ud_cdc *cdc, const struct ud_cdc_line_coding *lc)
{
	(void)lc;
	to_sim(cdc)->line_codings++;
	return 0;
}

/* A loopback plug wires DTR to DCD and DSR. */
static void on_control_line(struct ud_cdc *cdc, uint8_t lines)
{
	struct ud_sim_cdc *s = to_sim(cdc);

	s->control_lines++;
	s->lines = lines;
	(void)ud_cdc_serial_state(cdc, (lines & UD_CDC_LINE_DTR) ? UD_CDC_SERIAL_LEVELS : 0);
}

/* ... and its receive line sees the break the host sends. */
static void on_break(struct ud_cdc *cdc, uint16_t ms)
{
	struct ud_sim_cdc *s = to_sim(cdc);

	s->breaks++;
	s->last_break = ms;
	uint16_t level = (s->lines & UD_CDC_LINE_DTR) ? UD_CDC_SERIAL_LEVELS : 0;
	if (ms != 0)
		(void)ud_cdc_serial_state(cdc, (uint16_t)(level | UD_CDC_SERIAL_BREAK));
}

static void on_state(struct ud_cdc *cdc, bool configured)
{
	(void)configured;
	to_sim(cdc)->states++;
}

void ud_sim_cdc_step(struct ud_world *w)
{
	ud_sim_cdc_echo(&w->app.cdc);
}

void ud_sim_cdc_echo(struct ud_sim_cdc *s)
{
	uint8_t buf[UD_SIM_CDC_RING];
	uint32_t room = ud_cdc_write_room(&s->cdc);
	uint32_t n = room;

	/* Only what the transmit ring can take is read: an echo that never drops a byte. */
	if (n > sizeof(buf))
		n = sizeof(buf);
	n = ud_cdc_read(&s->cdc, buf, n);
	if (n == 0)
		return;
	(void)ud_cdc_write(&s->cdc, buf, n);
	s->echoed += n;
	/* Whole packets written into an empty ring all go without a flush (ud_cdc.h); any other
	 * write needs one, or its last piece would wait. */
	if (s->lazy_flush) {
		s->skip_next ^= 1u;
		uint16_t mps = ud_ep_max_packet(s->cdc.fn.dev, s->cdc.ep_in);
		if (s->skip_next && room == UD_SIM_CDC_RING && mps && n % mps == 0)
			return;
	}
	(void)ud_cdc_flush(&s->cdc);
}

int ud_sim_cdc_add(struct ud_device *dev, struct ud_sim_cdc *s)
{
	s->cfg = (struct ud_cdc_config){
		.rx_buf = s->rx,
		.rx_size = sizeof(s->rx),
		.tx_buf = s->tx,
		.tx_size = sizeof(s->tx),
		.interface_name = UD_SIM_CDC_INTF_STRING,
		.on_line_coding = on_line_coding,
		.on_control_line = on_control_line,
		.on_break = on_break,
		.on_state = on_state,
	};
	int rc = ud_cdc_init(&s->cdc, &s->cfg);
	if (rc < 0)
		return rc;
	return ud_device_add_function(dev, &s->cdc.fn);
}

int ud_sim_cdc_setup(struct ud_world *w, const struct ud_sim_options *opt)
{
	int rc;

	const struct ud_sim_identity id = {0x1209, 0x0003, "udcore cdc echo", "0003"};

	rc = ud_world_device_init(w, opt, &id);
	if (rc < 0)
		return rc;
	w->app.cdc.lazy_flush = opt->lazy_flush ? 1u : 0u;
	return ud_sim_cdc_add(&w->dev, &w->app.cdc);
}
