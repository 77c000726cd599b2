/* SPDX-License-Identifier: MIT */
/**
 * @file ud_port.h
 * @brief The port contract: what a USB device controller driver implements, and how it
 * reports hardware events to the core.
 *
 * A port is small on purpose. It moves **one transfer per endpoint at a time**, and reports
 * what the hardware saw. Everything else (request queues, ZLPs, cancellation, the EP0 stage
 * machine, chapter 9, status codes) lives once in the core, where the simulator proves it for
 * every port.
 *
 * ## Contexts
 *
 * - **Operations** (`struct ud_port_ops`) are called by the core from task context, i.e. from
 *   ud_task(), ud_device_start()/ud_device_stop() or the calls an application makes serialised
 *   with ud_task() (ud_ep_submit(), ud_ep_cancel(), ud_ep_flush(), ud_ep_set_halt(),
 *   ud_ep_clear_halt(), ud_device_remote_wakeup()), never from an interrupt. They must not
 *   call back into the core except through the ud_port_report_*() functions.
 * - **Reports** (`ud_port_report_*()`) are called by the port from its interrupt handler (or
 *   from any single context that is never preempted by ud_task() mid-report), and, for the
 *   transfer being aborted, from ep_abort (below). They are lock-free, never block, never fail
 *   and never call a class.
 * - The operations run while the port's interrupt may fire: where one changes registers or
 *   state the handler also writes, it masks the interrupt for those lines. A second interrupt
 *   source that reports (e.g. VBUS on a GPIO's EXTI) must not preempt the USB handler or be
 *   preempted by it: give it the same priority, or let it pend the USB interrupt.
 *
 * ## Transfers
 *
 * `ep_xfer(ep, buf, len)` starts one transfer. For IN, the port sends `len` bytes as packets of
 * the endpoint's max packet size; `len` 0 sends one zero-length packet. The core adds ZLPs
 * itself by starting a separate zero-length transfer. For OUT, the port receives packets into
 * `buf` until `len` bytes arrived or a short packet ended the transfer. Either way the port then
 * calls ud_port_report_xfer(ep, actual, UD_OK) once. If the host sends an OUT packet that does
 * not fit in what is left of `buf`, the port stores what fits, drops the rest and reports
 * UD_ERR_OVERFLOW. An OUT transfer of `len` 0 waits for one packet: a ZLP ends it UD_OK, a
 * packet with data ends it UD_ERR_OVERFLOW with `actual` 0. The core never starts a second
 * transfer on an endpoint before the first was reported or aborted, so one completion slot per
 * endpoint is enough.
 *
 * `buf` has no alignment guarantee, and an IN `buf` may be read-only memory (a `const` reply
 * in flash, e.g. a HID report descriptor). A controller whose DMA needs aligned RAM, or that
 * writes whole packets (or whole multiples of the packet size), goes through a bounce buffer
 * of its own: nothing may be written past `buf + len`. A transfer longer than the hardware
 * can program at once is split by the port.
 *
 * ## A control transfer, as the core drives it
 *
 * ```
 * host SETUP        -> port: clear any EP0 stall, NAK both EP0 directions, drop their
 *                      transfers without a report, next data PID DATA1 both ways,
 *                      ud_port_report_setup(raw)                                  [ISR]
 * core (ud_task)    -> ep_abort(0x00), ep_abort(0x80) for a direction with a transfer in
 *                      flight (drop any stale stage)
 * IN data stage     -> ep_xfer(0x80, reply, n) and, at once, the status stage
 *                      ep_xfer(0x00, NULL, 0) (a host may end the data stage early)
 *                   ... report(0x80, n)  [+ ep_xfer(0x80, NULL, 0) when 0 < n < wLength and n is
 *                      a multiple of the EP0 max packet] ... report(0x00, 0); if the status
 *                      report comes first, the core aborts what is left of the IN
 * OUT data stage    -> ep_xfer(0x00, buf, wLength) ... report(0x00, wLength)
 *                   -> ep_stall(0x00, true) (more OUT data than announced is refused), then
 *                      status: ep_xfer(0x80, NULL, 0) ... report(0x80, 0)
 * no data stage     -> status: ep_xfer(0x80, NULL, 0) ... report(0x80, 0)
 * request refused   -> ep_stall(0x80, true) and ep_stall(0x00, true); the port keeps EP0
 *                      stalled until the next SETUP, which clears it
 * SET_ADDRESS       -> set_address(a) after report(0x80, 0) of the status stage, or before
 *                      ep_xfer(0x80, NULL, 0) when the port declares UD_PORT_ADDR_BEFORE_STATUS
 *                      (the hardware then applies it after the status stage itself)
 * ```
 *
 * A SETUP ends the control transfer before it (USB 2.0 8.5.3), but the core learns of it only
 * when ud_task() takes it: until then it goes on answering the old request. So an EP0 ep_xfer()
 * or ep_stall() made while a newer SETUP is waiting, at the hardware (not handled yet) or
 * reported and not yet taken (ud_port_setup_waiting()), belongs to a request the host has
 * abandoned and must not reach the wire: the host's next IN token is for the new request and
 * would get the old one's data, or a stall. The port then arms nothing: ep_xfer() records the
 * transfer as in flight and returns 0 (the core aborts it when it takes the SETUP), ep_stall()
 * does nothing. Check both places with the interrupt masked: the handler moves a SETUP from
 * the one to the other, and between two unmasked checks it would be in neither.
 *
 * ## Bus events
 *
 * On a bus reset the port disables the controller's endpoints other than EP0 (some hardware,
 * e.g. DWC2, does not) and they are dead: the port reports no transfer still in flight on
 * them (ep_abort(), when the core closes them as it handles the reset, returns the bytes such
 * a transfer moved before the reset), and until the core closes them it accepts ep_xfer()
 * (0, nothing armed), ep_stall() and ep_abort() on them without touching the hardware. A transfer that had ended
 * before the reset but was not reported yet may still be reported, before the reset: it is a
 * completion the hardware saw first (port/stm32_fsdev counts such packets, both ways, from the
 * completion flags its reset keeps). The address returns to 0 and EP0 is ready for a SETUP
 * (with `ep0_max_packet` at full speed, 64 at high speed) without the core's help, as
 * hardware does. The port then calls ud_port_report_reset() with the negotiated speed. Reports made before the reset are still valid and are consumed first.
 */
#ifndef UD_PORT_H
#define UD_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "ud_status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ud_device;
struct ud_port;
struct ud_stream;

/** Bus speeds. Values double as bits in `ud_port_caps.speeds`. */
enum ud_speed {
	UD_SPEED_FULL = 0x01, /**< 12 Mbit/s */
	UD_SPEED_HIGH = 0x02, /**< 480 Mbit/s */
};

/** Capability flags a port declares in `ud_port_caps.flags`. */
enum ud_port_flag {
	/** The hardware applies a new address only after the status stage completes, so the core
	 * must call set_address() before it arms the status stage (e.g. DWC2, many ChipIdea). A
	 * port whose address register takes effect at once may declare it too, latch the address
	 * and write it from its interrupt handler when the status stage's IN packet is
	 * acknowledged, dropping it if that stage ends otherwise (port/stm32_fsdev does). Without
	 * it the core applies the address from ud_task(), which must then run within the 2 ms the
	 * host allows after the status stage (USB 2.0 9.2.6.3). */
	UD_PORT_ADDR_BEFORE_STATUS = 0x01,
	/** The port cannot sense VBUS: the core treats the bus as powered from ud_device_start(). */
	UD_PORT_NO_VBUS_SENSE = 0x02,
	/** All OUT endpoints share one receive FIFO. Informational: nothing in the tree reads it
	 * yet (a class could size its buffers by it). */
	UD_PORT_SHARED_RX_FIFO = 0x04,
	/** The port implements test_mode() (required for high-speed compliance). */
	UD_PORT_TEST_MODE = 0x08,
};

/** What the controller can do. Declared by the port, never guessed by the core. */
struct ud_port_caps {
	uint8_t ep_count;       /**< endpoint numbers per direction, EP0 included */
	uint8_t speeds;         /**< bitwise OR of enum ud_speed */
	uint8_t flags;          /**< bitwise OR of enum ud_port_flag */
	uint16_t max_packet_fs; /**< largest max packet size of a full-speed endpoint (64 bulk) */
	uint16_t max_packet_hs; /**< largest max packet size of a high-speed endpoint (512 bulk) */
};

/** What the core asks of an endpoint when it opens it. */
struct ud_ep_config {
	uint8_t addr;        /**< endpoint address, bit 7 = IN */
	uint8_t type;        /**< UD_EP_BULK, UD_EP_INTERRUPT, UD_EP_ISOCHRONOUS */
	uint16_t max_packet; /**< wMaxPacketSize at the current speed */
	uint8_t interval;    /**< bInterval at the current speed */
};

/**
 * The operations a port implements. All run in task context. Unless stated, an operation
 * cannot fail and returns nothing; optional ones may be NULL.
 */
struct ud_port_ops {
	/**
	 * Bring the controller up, detached from the bus (pull-up off), EP0 ready to receive
	 * SETUP packets once connected. Called once by ud_device_start().
	 * @retval 0 ready; any UD_ERR_* code aborts ud_device_start() with that code.
	 */
	int (*init)(struct ud_port *port);

	/** Shut the controller down (optional). Called by ud_device_stop() after disconnect. */
	void (*deinit)(struct ud_port *port);

	/** Attach to (pull-up on) or detach from the bus. */
	void (*connect)(struct ud_port *port, bool on);

	/** Set the device address (0..127). See the SET_ADDRESS line of the sequence above. */
	void (*set_address)(struct ud_port *port, uint8_t addr);

	/**
	 * Configure a non-control endpoint, idle, not halted, data toggle DATA0.
	 * @retval 0 open; UD_ERR_NOTSUP (type or size not supported), UD_ERR_NOSPACE (no FIFO or
	 *         packet memory left). The core then refuses SET_CONFIGURATION with a STALL.
	 */
	int (*ep_open)(struct ud_port *port, const struct ud_ep_config *cfg);

	/** Disable a non-control endpoint. Any transfer in flight is dropped without a report. */
	void (*ep_close)(struct ud_port *port, uint8_t ep);

	/**
	 * Start one transfer (see "Transfers" above). Called only when no transfer is in flight on
	 * @p ep and the endpoint is not stalled. @p buf stays valid until the report or an abort.
	 * @retval 0 started; any UD_ERR_* code if the port refuses (the core then completes the
	 *         request with UD_ERR_IO, or stalls the control transfer on EP0).
	 */
	int (*ep_xfer)(struct ud_port *port, uint8_t ep, uint8_t *buf, uint32_t len);

	/**
	 * Stop the transfer in flight on @p ep, if any. When this returns, the port will not report
	 * that transfer, and any report of it not yet consumed is withdrawn by the core. If the
	 * transfer had already ended (its last packet moved: the length reached, a short OUT
	 * packet, or the packet of a zero-length transfer) but the port has not reported it yet
	 * (its interrupt not handled), the port reports it now, from here, with its status: the
	 * core then ends the request as it ended instead of restarting a transfer that is over
	 * (a spurious ZLP on IN, two host messages run together on OUT). This one report may come
	 * from task context: the endpoint's interrupt is off or its flag cleared meanwhile.
	 * On IN, a packet has moved once the hardware saw the host's ACK (the data toggle
	 * advanced); one loaded but not acknowledged is not counted, and is flushed, its data PID
	 * kept for the next packet. Hardware whose disable completes later (DWC2's EPDIS) is
	 * polled here, interrupt masked, until it has.
	 * @return bytes moved before the abort (0 if none or no transfer).
	 */
	uint32_t (*ep_abort)(struct ud_port *port, uint8_t ep);

	/**
	 * Set or clear STALL. On EP0 (0x00/0x80) a stall lasts until the next SETUP, which the
	 * port (or its hardware) clears. On other endpoints the core calls it only while no
	 * transfer is in flight, or while the endpoint streams: the stream then pauses (the host
	 * gets STALL, nothing moves) and goes on once cleared (arm the endpoint again then if
	 * the hardware disarmed it: nobody kicks after a clear). Clearing always resets the data
	 * toggle to DATA0.
	 * The core stalls EP0 OUT alone after an OUT data stage (to refuse more data than
	 * announced) and then arms the status IN. Hardware that can only stall EP0 as a whole
	 * (e.g. nRF52's EP0STALL) stalls on ep_stall(0x80, true), which comes first for a refused
	 * request, and ignores ep_stall(0x00, true): stalling both there would fail the status
	 * stage of every control write.
	 */
	void (*ep_stall)(struct ud_port *port, uint8_t ep, bool stall);

	/**
	 * Optional (NULL: the core answers ud_ep_stream_start() with UD_ERR_NOTSUP); a port
	 * that has it has ep_kick too. Streams (ud_stream.h) on a bulk or interrupt endpoint:
	 * start and stop. "Arm" means: OUT, receive one packet at ud_stream_out_buf() (NULL: no
	 * room yet); IN, load the packet ud_stream_in_buf() gives (-1: nothing to send yet; 0:
	 * a ZLP).
	 * - @p s not NULL: start. The endpoint is open, not streaming, and no transfer is in
	 *   flight on it. Arm it.
	 * - @p s NULL: stop. A packet the controller acknowledged but the handler has not
	 *   committed yet is committed now (ud_stream_out_commit(), ud_stream_in_commit()); an IN
	 *   packet loaded and not acknowledged is dropped (the tail never passed it: the next
	 *   stream sends it again). Then the endpoint is idle.
	 * While streaming, the interrupt handler commits each packet that moved and arms the
	 * endpoint for the next (ud_stream_out_next() / ud_stream_out_quick(),
	 * ud_stream_in_step()); it reports no transfer for @p ep. ep_close() ends a stream as a
	 * stop does. A bus reset leaves a packet acknowledged before it to be committed, like a
	 * completion seen before the reset; a dead endpoint is never re-armed.
	 * @retval 0 done; UD_ERR_NOTSUP (a type the port cannot stream, e.g. isochronous),
	 *         UD_ERR_STATE (start on an endpoint with a transfer in flight or that is not
	 *         open).
	 */
	int (*ep_stream)(struct ud_port *port, uint8_t ep, struct ud_stream *s);

	/**
	 * Required with ep_stream. A kick (ud_ep_stream_kick()): the class changed the ring of
	 * @p s and the port had left the endpoint unarmed (`starved`). If @p s is the stream
	 * running on @p ep, the endpoint is not armed and no packet waits in it to be committed,
	 * arm it. In every other case do nothing. The core passes each kick on unchecked (it is
	 * on the path of every write), so @p ep may be any byte and @p s a stream that ended or
	 * never ran there: a kick never starts a stream. Mask the interrupt around it, as for
	 * ep_stream: the handler arms the same endpoint.
	 */
	void (*ep_kick)(struct ud_port *port, uint8_t ep, struct ud_stream *s);

	/** Signal resume on the bus (remote wakeup): drive K for 1 to 15 ms (USB 2.0 7.1.7.7),
	 * from now. The core calls it only while the bus is suspended; the bus must have been
	 * idle for 5 ms first, which the application's caller of ud_device_remote_wakeup()
	 * ensures (ud_device.h) unless the port waits itself. Optional. The core stays suspended
	 * until the port reports ud_port_report_suspend(false) when the resume ends: report it
	 * also if the hardware raises no resume interrupt for signalling the device drove.
	 * @retval 0 or UD_ERR_NOTSUP. */
	int (*remote_wakeup)(struct ud_port *port);

	/**
	 * Enter a high-speed test mode (selector 1..4) after the status stage of SET_FEATURE(
	 * TEST_MODE). Optional; required with UD_PORT_TEST_MODE. @retval 0 or UD_ERR_NOTSUP.
	 */
	int (*test_mode)(struct ud_port *port, uint8_t selector);
};

/** A port instance: the port fills `ops`, `caps` and `priv`; the core fills `dev`. */
struct ud_port {
	const struct ud_port_ops *ops;
	const struct ud_port_caps *caps;
	void *priv;             /**< the port's own state */
	struct ud_device *dev;  /**< set by ud_device_init() */
	uint8_t ep0_max_packet; /**< set by ud_device_init(): EP0 max packet size (8..64) at full
	                             speed; the port configures EP0 with it at init and after each
	                             bus reset at full speed, and with 64 after a reset at high
	                             speed (USB 2.0 5.5.3; the core announces 64 there) */
};

/*
 * Reports: called by the port from interrupt context. They write into a channel that cannot
 * overflow by construction: one completion slot per endpoint (at most one transfer is in
 * flight), one SETUP slot (a newer SETUP supersedes an unread one, as on the wire), and
 * counters for bus events. Nothing is lost; class callbacks run later, from ud_task().
 */

/** A SETUP packet arrived on EP0 (8 raw bytes, copied before returning). */
void ud_port_report_setup(struct ud_device *dev, const uint8_t raw[8]);

/**
 * The transfer on @p ep ended: @p status UD_OK (done, @p actual bytes), UD_ERR_OVERFLOW (the
 * host sent more than fit) or UD_ERR_IO. Exactly once per ep_xfer() that was not aborted.
 */
void ud_port_report_xfer(struct ud_device *dev, uint8_t ep, uint32_t actual, int status);

/** A packet was committed to the stream on @p ep, which asked for a wake (ud_stream.h):
 * ud_stream_out_commit() calls it, a port need not. Wakes the function owning @p ep. */
void ud_port_report_stream(struct ud_device *dev, uint8_t ep);

/** A bus reset ended; the bus now runs at @p speed. */
void ud_port_report_reset(struct ud_device *dev, enum ud_speed speed);

/** The bus went idle for 3 ms (suspend) or resume signalling was seen. */
void ud_port_report_suspend(struct ud_device *dev, bool suspended);

/** VBUS appeared or went away (a disconnect). Ports without VBUS sensing never call it. */
void ud_port_report_vbus(struct ud_device *dev, bool present);

/** A start-of-frame with frame number @p frame (only the latest is kept: SOF is a tick). */
void ud_port_report_sof(struct ud_device *dev, uint16_t frame);

/**
 * True if a SETUP was reported that ud_task() has not taken yet: EP0 operations made now
 * answer a request the host has abandoned (see "A control transfer"). Call it in ep_xfer()
 * and ep_stall() of EP0, with the port's interrupt masked. Never fails; lock-free.
 */
bool ud_port_setup_waiting(const struct ud_device *dev);

#ifdef __cplusplus
}
#endif

#endif /* UD_PORT_H */
