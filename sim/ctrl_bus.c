/* SPDX-License-Identifier: MIT */
/* The controller-bus interface: one switch per operation, vdc or fsdev. See ctrl_bus.h. */
#include "ctrl_bus.h"

#include <stdio.h>
#include <string.h>

#include "world.h"

static bool is_fsdev(const struct ud_world *w)
{
	return w->opt.port == UD_SIM_PORT_FSDEV;
}

const char *ud_sim_port_name(enum ud_sim_port port)
{
	return port == UD_SIM_PORT_FSDEV ? "fsdev" : "vdc";
}

int ud_sim_port_parse(const char *name)
{
	if (strcmp(name, "vdc") == 0)
		return UD_SIM_PORT_VDC;
	if (strcmp(name, "fsdev") == 0)
		return UD_SIM_PORT_FSDEV;
	return -1;
}

static void vdc_init(struct ud_world *w, const struct ud_sim_options *opt)
{
	struct ud_vdc_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.ep_count = UD_MAX_EP_NUM;
	/* --speed full models a full-speed-only controller (no device qualifier); --speed high a
	 * high-speed capable one, reset at high speed by the host. */
	cfg.speeds = opt->speed == UD_SPEED_HIGH ? (UD_SPEED_FULL | UD_SPEED_HIGH) : UD_SPEED_FULL;
	cfg.flags = opt->addr_before_status ? UD_PORT_ADDR_BEFORE_STATUS : 0;
	cfg.no_streams = opt->no_streams ? 1u : 0u;
	/* Every registered device uses --ep0 or 64 for EP0 (devices.h). */
	cfg.ep0_max_packet = opt->ep0 ? opt->ep0 : 64;
	ud_vdc_init(&w->vdc, &cfg);
}

int ud_bus_init(struct ud_world *w, const struct ud_sim_options *opt, char *err, unsigned errlen)
{
	if (opt->port != UD_SIM_PORT_FSDEV) {
		vdc_init(w, opt);
		return 0;
	}
	if (opt->speed == UD_SPEED_HIGH) {
		snprintf(err, errlen, "--port fsdev is a full-speed controller: no --speed high");
		return UD_ERR_NOTSUP;
	}
	/* --addr-before-status needs nothing here: the fsdev port declares it itself. */
	/* An STM32F072: what examples/stm32f072-cdc-dap runs on. SOF reported, as by the vdc;
	 * --no-streams hides its ep_stream as it hides the vdc's. */
	uint8_t flags = UD_FSDEV_SOF;
	if (opt->no_streams)
		flags |= UD_FSDEV_SIM_NO_STREAMS;
	ud_sim_fsdev_init(&w->fsdev, &ud_fsdev_model_f072, flags);
	return 0;
}

struct ud_port *ud_world_port(struct ud_world *w)
{
	return is_fsdev(w) ? ud_fsdev_port(&w->fsdev.port) : ud_vdc_port(&w->vdc);
}

/* ---- transactions ---- */

enum ud_vdc_result ud_bus_setup(struct ud_world *w, uint8_t addr, const uint8_t raw[8])
{
	if (is_fsdev(w))
		return ud_fsdev_model_setup(&w->fsdev.hw, addr, raw);
	return ud_vdc_setup(&w->vdc, addr, raw);
}

enum ud_vdc_result ud_bus_out(struct ud_world *w, uint8_t addr, uint8_t epnum, const uint8_t *data,
                              uint16_t len, uint8_t pid)
{
	if (is_fsdev(w))
		return ud_fsdev_model_out(&w->fsdev.hw, addr, epnum, data, len, pid);
	return ud_vdc_out(&w->vdc, addr, epnum, data, len, pid);
}

enum ud_vdc_result ud_bus_in(struct ud_world *w, uint8_t addr, uint8_t epnum, uint8_t *data,
                             uint16_t cap, uint16_t *len, uint8_t *pid)
{
	if (is_fsdev(w))
		return ud_fsdev_model_in(&w->fsdev.hw, addr, epnum, data, cap, len, pid);
	return ud_vdc_in(&w->vdc, addr, epnum, data, cap, len, pid);
}

/* ---- bus events ---- */

void ud_bus_vbus(struct ud_world *w, bool on)
{
	if (is_fsdev(w))
		ud_fsdev_model_vbus(&w->fsdev.hw, on);
	else
		ud_vdc_vbus(&w->vdc, on);
}

void ud_bus_reset(struct ud_world *w, uint8_t speed)
{
	if (is_fsdev(w))
		ud_fsdev_model_bus_reset(&w->fsdev.hw); /* full speed, whatever the host offers */
	else
		ud_vdc_bus_reset(&w->vdc, (enum ud_speed)speed);
}

void ud_bus_suspend(struct ud_world *w)
{
	if (is_fsdev(w))
		ud_fsdev_model_suspend(&w->fsdev.hw);
	else
		ud_vdc_suspend(&w->vdc);
}

bool ud_bus_suspended(const struct ud_world *w)
{
	if (is_fsdev(w))
		return w->fsdev.hw.bus_suspended != 0;
	return w->vdc.suspended != 0;
}

bool ud_bus_wake_due(const struct ud_world *w)
{
	return is_fsdev(w) && ud_fsdev_model_wake_due(&w->fsdev.hw);
}

bool ud_bus_sof_wakes(const struct ud_world *w)
{
	return is_fsdev(w) && ud_fsdev_model_sof_wakes(&w->fsdev.hw);
}

void ud_bus_resume(struct ud_world *w)
{
	if (is_fsdev(w))
		ud_fsdev_model_resume(&w->fsdev.hw);
	else
		ud_vdc_resume(&w->vdc);
}

void ud_bus_sof(struct ud_world *w, uint16_t frame)
{
	if (is_fsdev(w))
		ud_fsdev_model_sof(&w->fsdev.hw, frame);
	else
		ud_vdc_sof(&w->vdc, frame);
}

/* ---- what the wire shows ---- */

bool ud_bus_attached(const struct ud_world *w)
{
	return is_fsdev(w) ? ud_fsdev_model_attached(&w->fsdev.hw) : ud_vdc_attached(&w->vdc);
}

bool ud_bus_vbus_present(const struct ud_world *w)
{
	return is_fsdev(w) ? w->fsdev.hw.vbus != 0 : w->vdc.vbus != 0;
}

uint8_t ud_bus_speed(const struct ud_world *w)
{
	if (is_fsdev(w) || !w->vdc.speed)
		return UD_SPEED_FULL;
	return w->vdc.speed;
}

uint8_t ud_bus_address(const struct ud_world *w)
{
	return is_fsdev(w) ? ud_fsdev_model_address(&w->fsdev.hw) : w->vdc.address;
}

uint8_t ud_bus_ep_type(const struct ud_world *w, uint8_t ep)
{
	if (is_fsdev(w))
		return ud_fsdev_model_ep_type(&w->fsdev.hw, ep);
	return w->vdc.ep[UD_EP_INDEX(ep)].type;
}

uint16_t ud_bus_ep_mps(const struct ud_world *w, uint8_t ep)
{
	if (is_fsdev(w))
		return ud_fsdev_model_ep_buffer(&w->fsdev.hw, ep);
	return w->vdc.ep[UD_EP_INDEX(ep)].max_packet;
}

/* ---- interrupts ---- */

unsigned ud_bus_irq_count(const struct ud_world *w)
{
	if (is_fsdev(w))
		return ud_fsdev_model_irq_line(&w->fsdev.hw) ? 1u : 0u;
	return ud_vdc_irq_count(&w->vdc);
}

bool ud_bus_irq_deliverable(const struct ud_world *w, unsigned n)
{
	if (is_fsdev(w))
		return n == 0 && ud_fsdev_model_irq_line(&w->fsdev.hw);
	return ud_vdc_irq_deliverable(&w->vdc, n);
}

int ud_bus_irq_deliver(struct ud_world *w, unsigned n)
{
	if (!is_fsdev(w))
		return ud_vdc_irq_deliver(&w->vdc, n);
	if (n != 0)
		return UD_ERR_NOENT;
	if (!w->fsdev.port.port.dev)
		return UD_ERR_STATE;
	return ud_sim_fsdev_irq(&w->fsdev);
}

bool ud_bus_irq_is_data(const struct ud_world *w, unsigned n)
{
	if (is_fsdev(w))
		return false;
	const struct ud_vdc_irq *q = ud_vdc_irq_peek(&w->vdc, n);
	return q && q->kind == UD_VDC_IRQ_XFER && UD_EP_NUM(q->ep) != 0;
}

void ud_bus_irq_describe(const struct ud_world *w, unsigned n, char *buf, size_t cap)
{
	if (is_fsdev(w)) {
		snprintf(buf, cap, "line: USB_ISTR %04x", ud_fsdev_model_istr(&w->fsdev.hw));
		return;
	}
	const struct ud_vdc_irq *q = ud_vdc_irq_peek(&w->vdc, n);
	if (!q) {
		snprintf(buf, cap, "none");
	} else if (q->kind == UD_VDC_IRQ_XFER) {
		snprintf(buf, cap, "EP %02x transfer done, %u bytes%s%s", q->ep,
		         (unsigned)q->actual, q->status ? ", " : "",
		         q->status ? ud_status_name(q->status) : "");
	} else if (q->kind == UD_VDC_IRQ_SETUP) {
		snprintf(buf, cap, "SETUP %02x %02x", q->setup[0], q->setup[1]);
	} else {
		snprintf(buf, cap, "%s", ud_vdc_irq_name((enum ud_vdc_irq_kind)q->kind));
	}
}

/* ---- contract checks ---- */

static bool vdc_contract(const struct ud_vdc_stats *st, char *msg, size_t cap)
{
	if (st->xfer_while_busy)
		snprintf(msg, cap,
		         "the core started a transfer on an endpoint whose transfer was still in "
		         "flight (%u times)",
		         (unsigned)st->xfer_while_busy);
	else if (st->xfer_on_closed)
		snprintf(msg, cap, "a transfer on a closed endpoint (%u times)",
		         (unsigned)st->xfer_on_closed);
	else if (st->xfer_on_stalled)
		snprintf(msg, cap, "a transfer on a stalled endpoint (%u times)",
		         (unsigned)st->xfer_on_stalled);
	else if (st->irq_overflow)
		snprintf(msg, cap, "the controller refused an interrupt (%u times)",
		         (unsigned)st->irq_overflow);
	else
		return true;
	return false;
}

static bool fsdev_contract(const struct ud_fsdev_model_stats *st, char *msg, size_t cap)
{
	if (st->bad_access)
		snprintf(msg, cap,
		         "the fsdev port made %u register or packet-memory access(es) the "
		         "hardware does not allow",
		         (unsigned)st->bad_access);
	else if (st->irq_stuck)
		snprintf(msg, cap,
		         "the fsdev interrupt handler returned with its line asserted and nothing "
		         "changed (%u times)",
		         (unsigned)st->irq_stuck);
	else
		return true;
	return false;
}

bool ud_bus_contract_ok(const struct ud_world *w, char *msg, size_t cap)
{
	bool ok = is_fsdev(w) ? fsdev_contract(&w->fsdev.hw.stats, msg, cap)
	                      : vdc_contract(&w->vdc.stats, msg, cap);
	if (!ok)
		return false;
	if (w->dev.port_errors) {
		snprintf(msg, cap, "the core saw %u report(s) that belong to no transfer",
		         (unsigned)w->dev.port_errors);
		return false;
	}
	return true;
}

void ud_bus_canon(struct ud_world *w)
{
	if (is_fsdev(w))
		memset(&w->fsdev.hw.stats, 0, sizeof(w->fsdev.hw.stats));
	else
		memset(&w->vdc.stats, 0, sizeof(w->vdc.stats));
}
