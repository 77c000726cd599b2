/* SPDX-License-Identifier: MIT */
/**
 * @file ud_vdc.h
 * @brief The virtual device controller: a USB device controller made of software.
 *
 * Upper side: the port contract (ud_port.h), exactly as a hardware port implements it.
 * Lower side: a transaction-level bus that any host model drives one transaction at a time:
 *
 * | host does                  | controller answers                                          |
 * |----------------------------|-------------------------------------------------------------|
 * | ud_vdc_setup()             | ACK (always, even on a stalled EP0; clears the EP0 stall)    |
 * | ud_vdc_out(ep, data)       | ACK (taken, or a repeated toggle ignored), NAK (no transfer  |
 * |                            | armed), STALL (halted), TIMEOUT (no such endpoint / address) |
 * | ud_vdc_in(ep)              | data + ACK, NAK, STALL or TIMEOUT, as above                  |
 * | ud_vdc_bus_reset/suspend/  | the bus event                                                |
 * | resume/vbus/sof            |                                                              |
 *
 * What the controller "hardware" notices is not told to the core at once: it becomes a
 * **pending interrupt**. A host (or the explorer) delivers pending interrupts one at a time,
 * in any order it likes (ud_vdc_irq_deliver()), and only then does the vdc's interrupt handler
 * call ud_port_report_*(). This is how the simulator reorders OUT and IN events the way an
 * unlucky real system would. One rule keeps the model physical: a bus event (reset, suspend,
 * resume, VBUS) is a barrier in both directions: interrupts raised after it cannot be delivered
 * before it, and it is delivered only after everything raised before it. So a completion the
 * hardware saw before a reset is reported before the reset, and none is reported after it, as
 * the port contract requires.
 *
 * Bus events are levels seen by the transceiver: a VBUS, suspend or resume call that does not
 * change the level raises nothing, and reset, suspend, resume and SOF are ignored while the
 * device is not attached (no VBUS or pull-up off), because it cannot see the bus then.
 *
 * Data toggles are modelled: the host passes the DATA0/DATA1 PID of each OUT packet and gets
 * the PID of each IN packet, so a device that fails to reset its toggle (e.g. on clear-halt)
 * loses packets exactly as on a real bus.
 *
 * All state lives in `struct ud_vdc` with no pointers into the heap, so a simulator can save and
 * restore it with memcpy.
 */
#ifndef UD_VDC_H
#define UD_VDC_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_channel.h"
#include "udcore/ud_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Pending interrupts the vdc can hold: one completion per endpoint slot (one transfer in flight),
 * one SETUP (a newer one supersedes it), one SOF (a tick: only the latest is kept), and a bus
 * interrupt before and after each of those. Bus events raised one after the other fold into one
 * interrupt (a controller's status bits), but never into one raised before a pending completion,
 * SETUP or SOF: that would move the event ahead of them. Any excess (none is possible) would be
 * refused and counted in `stats.irq_overflow`, never written out of bounds.
 */
#define UD_VDC_MAX_IRQ (2 * UD_EP_SLOTS + 5)

/** Answers to a host transaction. */
enum ud_vdc_result {
	UD_VDC_ACK = 0,
	UD_VDC_NAK,
	UD_VDC_STALL,
	UD_VDC_TIMEOUT, /**< no handshake: not connected, wrong address, endpoint not open */
};

enum ud_vdc_irq_kind {
	UD_VDC_IRQ_SETUP = 0,
	UD_VDC_IRQ_XFER,
	UD_VDC_IRQ_RESET,
	UD_VDC_IRQ_SUSPEND,
	UD_VDC_IRQ_RESUME,
	UD_VDC_IRQ_VBUS_ON,
	UD_VDC_IRQ_VBUS_OFF,
	UD_VDC_IRQ_SOF,
};

/** One pending interrupt. */
struct ud_vdc_irq {
	uint8_t kind;     /**< enum ud_vdc_irq_kind */
	uint8_t ep;       /**< XFER: endpoint address */
	int16_t status;   /**< XFER: UD_OK or UD_ERR_OVERFLOW */
	uint32_t actual;  /**< XFER: bytes moved */
	uint8_t setup[8]; /**< SETUP: the packet */
	uint16_t frame;   /**< SOF: frame number; RESET: speed (enum ud_speed) */
	uint8_t bus[5];   /**< bus kinds: the events merged into this one interrupt, the last of
	                       each kind, in order; `kind` is the first event raised */
	uint8_t nbus;
};

/** Controller state of one endpoint and direction. */
struct ud_vdc_ep {
	uint8_t open; /**< configured (EP0 is always open) */
	/** Closed by a bus reset or VBUS loss but not yet by the core, which may not have seen the
	 * event: the host cannot reach it, ep_xfer() is accepted and never moves data. */
	uint8_t dead;
	uint8_t type; /**< UD_EP_CONTROL, UD_EP_BULK, ... */
	uint8_t stalled;
	uint8_t toggle; /**< next DATA PID, 0 or 1 */
	uint8_t armed;  /**< a transfer is in flight (its completion not yet raised) */
	/** Its completion is raised and not yet delivered (an XFER entry in `irq`). Part of the
	 * interrupt list, not of the endpoint: a reset or close of the endpoint keeps it. */
	uint8_t pending;
	/* (the fields are ordered so that the stream pointer fits where padding was: 40 bytes) */
	uint16_t max_packet;
	int16_t status; /**< UD_OK or UD_ERR_OVERFLOW, reported at completion */
	uint32_t len;   /**< transfer length */
	uint8_t *buf;
	uint32_t done; /**< bytes moved so far */
	/** The stream running on it (ud_stream.h), or NULL. Each packet is one transfer (OUT: a
	 * max packet at ud_stream_out_buf(); IN: what ud_stream_in_buf() gives), which the
	 * interrupt handler commits instead of reporting, then re-arms. Kept across a bus reset
	 * until the core closes the endpoint: a packet the host saw acknowledged is committed. */
	struct ud_stream *stream;
};

/** Counters a test or the explorer reads to check the port contract was kept. */
struct ud_vdc_stats {
	uint32_t xfers; /**< ep_xfer() calls accepted */
	/** ep_xfer() while a transfer is in flight or its completion is undelivered: core bug */
	uint32_t xfer_while_busy;
	uint32_t xfer_on_closed;  /**< ep_xfer() on a closed or non-existent endpoint: core bug */
	uint32_t xfer_on_stalled; /**< ep_xfer() on a stalled non-control endpoint: core bug */
	uint32_t aborts;          /**< ep_abort() calls */
	uint32_t irqs_raised, irqs_delivered;
	/** An interrupt that did not fit (or a second completion for one endpoint) was refused:
	 * must stay 0. */
	uint32_t irq_overflow;
	uint32_t naks, stalls; /**< NAK and STALL handshakes given to the host */
};

/** Static configuration of one virtual controller. */
struct ud_vdc_config {
	uint8_t ep_count;       /**< endpoint numbers per direction incl. EP0 (<= UD_MAX_EP_NUM) */
	uint8_t speeds;         /**< enum ud_speed bits; UD_SPEED_FULL if 0 */
	uint8_t flags;          /**< enum ud_port_flag, e.g. UD_PORT_ADDR_BEFORE_STATUS */
	uint16_t max_packet_fs; /**< 64 if 0 */
	uint16_t max_packet_hs; /**< 512 if 0 */
	/** EP0 max packet size until the port is initialised (64 if 0). From init on, the vdc
	 * uses `port.ep0_max_packet`, which ud_device_init() sets from the device descriptor;
	 * at high speed EP0 is always 64. */
	uint8_t ep0_max_packet;
	/** 1: the port has no `ep_stream` operation, like a port that does not implement streams
	 * (a class then moves its data with requests): tests run both paths. */
	uint8_t no_streams;
};

struct ud_vdc {
	struct ud_port port;
	struct ud_port_caps caps;
	struct ud_vdc_ep ep[UD_EP_SLOTS];
	struct ud_vdc_irq irq[UD_VDC_MAX_IRQ];
	uint8_t num_irq;
	uint8_t address;         /**< address the controller answers to */
	uint8_t pending_address; /**< ADDR_BEFORE_STATUS: 0x80|addr until the status stage ends */
	uint8_t connected;       /**< pull-up on */
	uint8_t vbus;
	uint8_t suspended;
	uint8_t speed;
	uint8_t test_mode;   /**< selector the core entered, 0 if none */
	uint8_t initialised; /**< between the port's init and deinit */
	struct ud_vdc_stats stats;
};

/**
 * @brief Set up @p vdc from @p cfg (NULL: 8 endpoints, full speed, 64-byte packets). Afterwards
 * `&vdc->port` is ready for ud_device_init(). VBUS starts absent.
 */
void ud_vdc_init(struct ud_vdc *vdc, const struct ud_vdc_config *cfg);

/** The port to hand to ud_device_init(). */
static inline struct ud_port *ud_vdc_port(struct ud_vdc *vdc)
{
	return &vdc->port;
}

/* --- the bus side, for hosts --- */

/**
 * VBUS on (cable plugged) or off (unplugged: every transfer dropped without a report, non-control
 * endpoints closed, stalls cleared, address 0, not suspended). Raises VBUS_ON / VBUS_OFF when
 * the level changes, unless the port was configured with UD_PORT_NO_VBUS_SENSE (then VBUS is
 * still modelled as power, but never reported). The pull-up stays as the core left it.
 */
void ud_vdc_vbus(struct ud_vdc *vdc, bool on);

/**
 * Bus reset at @p speed (must be one the controller supports, else FULL): address 0 (a latched
 * SET_ADDRESS is forgotten), all non-control endpoints closed to the host (`dead` until the
 * core closes them) and their transfers dropped without a report, EP0 idle and not stalled. Completions raised before the reset stay pending (the transfers did
 * finish) and are delivered before it. A suspended device first raises RESUME (reset signalling
 * wakes it, as on real controllers), then RESET.
 */
void ud_vdc_bus_reset(struct ud_vdc *vdc, enum ud_speed speed);

/** The bus went idle: raises SUSPEND if not suspended yet. */
void ud_vdc_suspend(struct ud_vdc *vdc);

/** Resume signalling from the host: raises RESUME if suspended. */
void ud_vdc_resume(struct ud_vdc *vdc);

/** A start-of-frame (11-bit @p frame): raises SOF, replacing a SOF interrupt not yet delivered
 * (the new one is raised last, after any bus event). */
void ud_vdc_sof(struct ud_vdc *vdc, uint16_t frame);

/** True if the device is visible on the bus: VBUS present and pull-up on. */
bool ud_vdc_attached(const struct ud_vdc *vdc);

/**
 * @brief A SETUP transaction to device address @p addr. Supersedes any SETUP interrupt not yet
 * delivered (the old one is removed, the new one raised last), drops any EP0 transfer in flight
 * and any undelivered EP0 completion, clears the EP0 stall, sets both EP0 toggles to DATA1 and
 * forgets a SET_ADDRESS latched for a status stage that never completed (USB 2.0 9.4.6).
 * @return UD_VDC_ACK, or UD_VDC_TIMEOUT if not attached or @p addr is not the device's.
 */
enum ud_vdc_result ud_vdc_setup(struct ud_vdc *vdc, uint8_t addr, const uint8_t raw[8]);

/**
 * @brief An OUT transaction of @p len bytes with DATA PID @p pid (0/1) to endpoint number
 * @p epnum. A packet longer than the endpoint's max packet size is a babble: TIMEOUT (so is a
 * PID other than 0 or 1). STALL if halted; NAK if no transfer is armed (including one that
 * ended and whose completion is still pending). A PID that does not match the endpoint's toggle
 * is ACKed and ignored (a retransmission). A packet that does not fit in the armed transfer is
 * ACKed, truncated, and ends the transfer with UD_ERR_OVERFLOW. Otherwise the transfer ends on a
 * short packet (a ZLP included) or when its length is reached.
 */
enum ud_vdc_result ud_vdc_out(struct ud_vdc *vdc, uint8_t addr, uint8_t epnum, const uint8_t *data,
                              uint16_t len, uint8_t pid);

/**
 * @brief An IN token to endpoint number @p epnum. On ACK, up to one max packet is copied to
 * @p data (room for @p cap bytes; a packet larger than @p cap is a host error: TIMEOUT, nothing
 * changes), its length to @p *len and its DATA PID to @p *pid; the host is assumed to ACK it.
 * The transfer ends with its last packet (a zero-length transfer with its one ZLP; the vdc never
 * adds a ZLP itself). Ending the EP0 IN zero-length status stage applies a latched address.
 * @p *len is 0 unless the answer is ACK.
 */
enum ud_vdc_result ud_vdc_in(struct ud_vdc *vdc, uint8_t addr, uint8_t epnum, uint8_t *data,
                             uint16_t cap, uint16_t *len, uint8_t *pid);

/* --- interrupts --- */

/** Number of pending (raised, undelivered) interrupts. */
unsigned ud_vdc_irq_count(const struct ud_vdc *vdc);

/** The @p n-th pending interrupt in the order raised, or NULL. */
const struct ud_vdc_irq *ud_vdc_irq_peek(const struct ud_vdc *vdc, unsigned n);

/** @brief True if interrupts of @p kind are bus events (reset, suspend, resume, VBUS on/off):
 * the barriers of the interrupt order (ud_vdc_irq_deliverable()). */
bool ud_vdc_irq_is_bus_event(enum ud_vdc_irq_kind kind);

/**
 * True if pending interrupt @p n may be delivered now: no bus event is pending before it, and if
 * it is a bus event itself, nothing at all is pending before it.
 */
bool ud_vdc_irq_deliverable(const struct ud_vdc *vdc, unsigned n);

/**
 * @brief Run the interrupt handler for pending interrupt @p n: it removes it from the pending
 * list, then calls ud_port_report_*() with `vdc->port.dev`.
 * @retval 0; UD_ERR_NOENT (no such interrupt), UD_ERR_STATE (not deliverable now, or no device
 *         bound to the port yet).
 */
int ud_vdc_irq_deliver(struct ud_vdc *vdc, unsigned n);

/** @brief Deliver every pending interrupt in the order raised. @return how many. */
unsigned ud_vdc_irq_deliver_all(struct ud_vdc *vdc);

/** @brief A short name of an interrupt kind ("setup", "xfer", "reset", "suspend", "resume",
 * "vbus_on", "vbus_off", "sof"; "unknown" otherwise). Never NULL. */
const char *ud_vdc_irq_name(enum ud_vdc_irq_kind kind);

/** @brief "ack", "nak", "stall" or "timeout" ("unknown" otherwise). Never NULL. */
const char *ud_vdc_result_name(enum ud_vdc_result r);

#ifdef __cplusplus
}
#endif

#endif /* UD_VDC_H */
