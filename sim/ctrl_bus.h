/* SPDX-License-Identifier: MIT */
/**
 * @file ctrl_bus.h
 * @brief The controller under a world, as the host model and the explorer see it: the vdc
 * (`--port vdc`, the default) or the STM32 fsdev port on its register-level model
 * (`--port fsdev`, fsdev_model.h).
 *
 * Every host transaction, bus event and interrupt delivery of the simulator goes through these
 * functions; each one dispatches on `w->opt.port` and calls the vdc directly on the vdc path.
 *
 * The two controllers differ where the hardware differs:
 * - Interrupts. The vdc keeps one pending interrupt per event, deliverable in (almost) any
 *   order. The fsdev has one interrupt line: ud_bus_irq_count() is 1 while it is asserted, and
 *   delivering it runs the port's handler, which takes every pending flag in one call.
 * - The fsdev is a full-speed device without VBUS sensing, that takes a new address at once
 *   (so no `--speed high`, no `--addr-before-status`), and that answers nothing between a bus
 *   reset and its handler having set EP0 up again.
 */
#ifndef UD_SIM_CTRL_BUS_H
#define UD_SIM_CTRL_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "udcore/ud_vdc.h"

struct ud_world;
struct ud_sim_options;

/** Which controller a world runs on (`udsim --port`). */
enum ud_sim_port {
	UD_SIM_PORT_VDC = 0,
	UD_SIM_PORT_FSDEV = 1,
};

/** "vdc" or "fsdev". */
const char *ud_sim_port_name(enum ud_sim_port port);
/** The port called @p name, or -1. */
int ud_sim_port_parse(const char *name);

/**
 * @brief Build the controller of @p w from @p opt (called by ud_world_init() before the
 * device's setup). @return 0, or UD_ERR_NOTSUP with a reason in @p err for an option the
 * controller cannot do.
 */
int ud_bus_init(struct ud_world *w, const struct ud_sim_options *opt, char *err, unsigned errlen);

/** The port to hand to ud_device_init(). */
struct ud_port *ud_world_port(struct ud_world *w);

/* --- transactions (answers as in ud_vdc.h) --- */
enum ud_vdc_result ud_bus_setup(struct ud_world *w, uint8_t addr, const uint8_t raw[8]);
enum ud_vdc_result ud_bus_out(struct ud_world *w, uint8_t addr, uint8_t epnum, const uint8_t *data,
                              uint16_t len, uint8_t pid);
enum ud_vdc_result ud_bus_in(struct ud_world *w, uint8_t addr, uint8_t epnum, uint8_t *data,
                             uint16_t cap, uint16_t *len, uint8_t *pid);

/* --- bus events --- */
void ud_bus_vbus(struct ud_world *w, bool on);
/** A bus reset; the host asks for @p speed, the controller may settle for full speed. */
void ud_bus_reset(struct ud_world *w, uint8_t speed);
void ud_bus_suspend(struct ud_world *w);
void ud_bus_resume(struct ud_world *w);
void ud_bus_sof(struct ud_world *w, uint16_t frame);

/* --- what the wire shows --- */
bool ud_bus_attached(const struct ud_world *w);
bool ud_bus_vbus_present(const struct ud_world *w);
/** Speed of the last reset (UD_SPEED_FULL before any). */
uint8_t ud_bus_speed(const struct ud_world *w);
/** The address the controller answers to. */
uint8_t ud_bus_address(const struct ud_world *w);
/** USB type (UD_EP_*) and max packet size of endpoint address @p ep, for the pcap writer. */
uint8_t ud_bus_ep_type(const struct ud_world *w, uint8_t ep);
uint16_t ud_bus_ep_mps(const struct ud_world *w, uint8_t ep);

/** True while the host holds the bus in suspend (vdc: suspended and not woken by a reset;
 * fsdev model: its bus_suspended). */
bool ud_bus_suspended(const struct ud_world *w);

/** True if the next frame will raise a wake-up: the fsdev in suspend mode (FSUSP) on a running
 * bus (its resume detection sees the SOF). Never on the vdc, which reports levels exactly. */
bool ud_bus_wake_due(const struct ud_world *w);

/** True if the next frame's SOF raises that wake-up now: wake due and not raised yet (the
 * explorer's `sof` move). Never on the vdc. */
bool ud_bus_sof_wakes(const struct ud_world *w);

/* --- interrupts --- */
unsigned ud_bus_irq_count(const struct ud_world *w);
bool ud_bus_irq_deliverable(const struct ud_world *w, unsigned n);
/** @retval 0; UD_ERR_NOENT; UD_ERR_STATE (not deliverable, or fsdev: the handler got stuck). */
int ud_bus_irq_deliver(struct ud_world *w, unsigned n);
/** True if pending interrupt @p n is a data endpoint's transfer completion (never on the fsdev,
 * whose one line carries every event). */
bool ud_bus_irq_is_data(const struct ud_world *w, unsigned n);
/** One line on pending interrupt @p n ("xfer 81 64 bytes", "line ISTR 8400", ...). */
void ud_bus_irq_describe(const struct ud_world *w, unsigned n, char *buf, size_t cap);

/* --- the contract checks --- */

/** @return true if the controller saw no breach of the port contract (vdc: its counters;
 * fsdev: bad register/PMA accesses, a stuck handler) and the core none either; else false
 * with the first breach in @p msg. */
bool ud_bus_contract_ok(const struct ud_world *w, char *msg, size_t cap);

/** Zero the controller's statistics (for the explorer's canonical state). */
void ud_bus_canon(struct ud_world *w);

#endif /* UD_SIM_CTRL_BUS_H */
