/* SPDX-License-Identifier: MIT */
/**
 * @file ud_cdc.h
 * @brief CDC-ACM: a virtual serial port that never loses a byte.
 *
 * One function with two interfaces grouped by an Interface Association Descriptor, so it
 * composes with other functions on one device:
 *
 * - a communication interface (class 0x02, subclass 0x02 ACM, protocol 0x00) with the header,
 *   call management, ACM and union functional descriptors and one interrupt IN endpoint for
 *   SERIAL_STATE notifications (16-byte packets, every 16 ms);
 * - a data interface (class 0x0A) with one bulk OUT and one bulk IN endpoint (64 bytes at full
 *   speed, 512 at high speed).
 *
 * ```
 * static uint8_t rx[512], tx[512];
 * static struct ud_cdc cdc;
 * static const struct ud_cdc_config cfg = {
 *         .rx_buf = rx, .rx_size = sizeof(rx), .tx_buf = tx, .tx_size = sizeof(tx),
 * };
 * ud_cdc_init(&cdc, &cfg);
 * ud_device_add_function(&dev, &cdc.fn);
 * ...
 * for (;;) {
 *         ud_task(&dev);
 *         n = ud_cdc_read(&cdc, buf, sizeof(buf));
 *         ud_cdc_write(&cdc, buf, n);     // returns how many bytes it took
 *         ud_cdc_flush(&cdc);
 * }
 * ```
 *
 * ## The data path
 *
 * Received and transmitted bytes live in two byte rings whose storage the application supplies
 * (`rx_buf`/`rx_size`, `tx_buf`/`tx_size`): the class has no data buffers of its own except a
 * packet-sized receive bounce buffer (UD_CDC_MAX_PACKET bytes), and a transmit one when the
 * overwrite options are built in (UD_CDC_OVERWRITE). Ring sizes are powers of two
 * (ud_cdc_init() refuses others), so that ring arithmetic is a mask, not a division; a stream
 * of full packets then never wraps (short packets shift the position, and then a packet may
 * wrap around the ring's end).
 *
 * On a port with endpoint streams (ud_stream.h), the data endpoints stream through the rings:
 * the port's interrupt handler moves each packet and arms the next, no request per packet, and
 * the class kicks the port when the application changed a ring. The rules below hold alike;
 * a packet that crosses the transmit ring's end goes whole through the transmit bounce buffer
 * if UD_CDC_OVERWRITE is built in (and is cut there otherwise); `on_rx` / `on_tx` run once for
 * any number of packets since they last ran. The overwrite modes always use requests.
 * Without streams:
 *
 * - **Receive (host to device).** The bulk OUT endpoint is armed for exactly one packet, and
 *   only while the receive ring has room for a whole packet. Until then the controller NAKs and
 *   the host waits: a slow reader slows the host down and nothing is lost. The packet lands
 *   straight in the ring when there are max-packet contiguous bytes at the write position, and
 *   in the bounce buffer otherwise (then it is copied in, around the wrap). One packet per
 *   transfer, because a host may send exactly a packet's worth without a ZLP: a longer
 *   transfer would hold those bytes back until more arrived.
 * - **Transmit (device to host).** ud_cdc_write() copies what fits into the transmit ring and
 *   returns how many bytes it took. Whole packets are sent as soon as the IN endpoint is idle,
 *   one packet per transfer, straight from the ring. A packet that would wrap around the ring's
 *   end goes as two: the bytes up to the end (a short packet: the host's transfer ends there,
 *   early) and then the rest, at once; the host gets the same bytes in the same order. A
 *   partial packet waits for ud_cdc_flush(), which sends everything buffered and ends the
 *   host's transfer: with a short packet, or with a zero-length packet when the data ends on
 *   a packet boundary. (A transmit ring smaller than a packet cannot wait for a whole one:
 *   once full, it goes out as a short packet.) Bytes stay in the ring until the host has
 *   acknowledged them (with UD_CDC_TX_OVERWRITE the packet in flight is a copy in the
 *   transmit bounce buffer).
 * - One packet per transfer in both directions also means a transfer has either finished (its
 *   completion is reported even if a bus reset follows) or moved nothing: no bus event can
 *   make the class lose a byte or send one twice, whatever the controller can tell about a
 *   half-done transfer.
 * - Data is never dropped because DTR is clear or the host does not read: the ring fills and
 *   ud_cdc_write() takes less. An application that prefers to lose the oldest bytes asks for it
 *   with UD_CDC_TX_OVERWRITE / UD_CDC_RX_OVERWRITE; every byte dropped that way is counted in
 *   `struct ud_cdc_stats`.
 *
 * ## Bus reset, disconnect, re-configuration
 *
 * Leaving the configuration (bus reset, disconnect, SET_CONFIGURATION) ends the transfers in
 * flight, and then:
 *
 * - **Receive ring: kept.** Bytes already received stay readable. A packet the controller had
 *   acknowledged before the reset is kept too (the host believes it delivered).
 * - **Transmit ring: kept.** Bytes the host has not acknowledged stay queued and are sent
 *   after the next SET_CONFIGURATION, in order, without duplicates (a terminal sees the output
 *   it missed). A pending flush stays pending. An application that wants them discarded calls
 *   ud_cdc_tx_clear(), e.g. from its `on_state` callback. ud_cdc_tx_pending() reports them.
 * - DTR and RTS read as clear (the host must assert them again); `on_control_line` is called
 *   if they were set. A break the host started "until further notice" (SEND_BREAK 0xffff)
 *   ends: `on_break` is called with 0. The line coding is kept. SERIAL_STATE: every
 *   SET_CONFIGURATION is followed by one notification with the current DCD/DSR levels, also
 *   when they are 0 (a host that kept its old view across a reset learns that a carrier
 *   dropped), merged with the events (break, framing, ...) whose notification did not reach
 *   the host.
 *
 * SET_INTERFACE (to setting 0, the only one) does not leave the configuration: the transfers in
 * flight end and restart at once on the reopened endpoints. The rings and a pending flush are
 * kept, DTR/RTS and the line coding are unchanged, and a notification the reset cut off is
 * sent again.
 *
 * ## Contexts and thread / interrupt safety
 *
 * "Task context" means ud_task() and everything it calls (all callbacks in this header), or
 * code serialised with it (same thread, or under a lock the application holds around both).
 * The functions below say where they may be called:
 *
 * | function | UD_CDC_CTX_TASK (default) | UD_CDC_CTX_OTHER |
 * |---|---|---|
 * | ud_cdc_init() | before ud_device_add_function() | same |
 * | ud_cdc_read(), ud_cdc_available(), ud_cdc_rx_clear() | task context | one reader context (thread or ISR), or several under `lock` |
 * | ud_cdc_write(), ud_cdc_write_room(), ud_cdc_flush(), ud_cdc_serial_state() | task context | one writer context, or several under `lock` |
 * | ud_cdc_tx_pending(), ud_cdc_configured(), ud_cdc_lines(), ud_cdc_stats() | any | any (a snapshot) |
 * | ud_cdc_poll(), ud_cdc_tx_clear(), ud_cdc_line_coding() | task context | task context |
 *
 * How it is safe without a lock: each ring has one producer and one consumer, and each of its
 * two indices is written by one side only (receive: the task writes `head`, the reader writes
 * `tail`; transmit: the writer writes `head`, the task writes `tail`; with streams, the port's
 * interrupt handler takes the task's part). Every field two contexts
 * share is a C11 atomic (ud_atomic.h), loaded and stored whole, never read-modify-written: a
 * side writes the ring's bytes, then publishes its index with a release store; the other side
 * loads that index with acquire before it touches the bytes. The flush request (a counter the
 * application increments) and the SERIAL_STATE events (a bit per event the application flips)
 * follow the same one-writer rule, acknowledged by copies the task keeps, and are published
 * with release after what they cover. What the "any" row reads (the task's state byte, the
 * lines, the counters, the transmit indices) is atomic too: one load per value, a snapshot.
 *
 * How work is not forgotten: in UD_CDC_CTX_OTHER mode the application's calls never touch the
 * core (which is not thread safe); they change a ring and then call `wake(ctx)`. The thread
 * that runs ud_task() must then call ud_cdc_poll(), which arms the OUT endpoint if the reader
 * made room and starts an IN transfer if the writer left data or asked for a flush. ud_cdc_poll()
 * is idempotent and derives everything from the indices, so a wake that arrives while it runs
 * is not lost: the change is either seen by this poll or the wake makes the thread poll again.
 * After each of its transfers the class re-checks that endpoint (not after an I/O error), and it
 * polls everything on every SOF. In
 * UD_CDC_CTX_TASK mode the calls act at once and `wake` is not used.
 *
 * The `lock` hooks are only needed when several contexts share one side of a ring (e.g. two
 * threads writing), and with the overwrite options in UD_CDC_CTX_OTHER mode, where dropping the
 * oldest bytes moves the other side's index: then ud_cdc_init() requires them. If set, every
 * reader and writer call in the table runs under lock()/unlock(), and the task side takes the
 * lock where it moves the application's index (the overwrite drop, the overwrite-mode packet
 * copy, ud_cdc_tx_clear()). Never nested, and never held across a call into the core. They
 * must work from every context that calls into the class (for an ISR reader: mask that
 * interrupt).
 *
 * All storage is in `struct ud_cdc` and the rings; nothing is allocated. `struct ud_cdc`
 * points to the application's `struct ud_cdc_config`, which must outlive the port (see
 * ud_cdc_init()). Every callback runs in task context and must not block.
 */
#ifndef UD_CDC_H
#define UD_CDC_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_atomic.h"
#include "udcore/udcore.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Largest data packet the class handles: 64 for a full-speed port; a port that can run at
 * high speed needs 512 (ud_device_add_function() fails with UD_ERR_NOSPACE otherwise). Set it
 * like the core's sizes (ud_config.h: -D or UD_CONFIG_FILE), the same for every file that
 * includes this header.
 */
#ifndef UD_CDC_MAX_PACKET
#define UD_CDC_MAX_PACKET 64
#endif

#if UD_CDC_MAX_PACKET != 64 && UD_CDC_MAX_PACKET != 512
#error "UD_CDC_MAX_PACKET must be 64 (full speed) or 512 (high speed)"
#endif

/**
 * 1 (default): the overwrite options UD_CDC_TX_OVERWRITE and UD_CDC_RX_OVERWRITE are built
 * in. 0: they are left out (less code, docs/size.md says how much on Cortex-M0; and `struct
 * ud_cdc` has no transmit bounce buffer: UD_CDC_MAX_PACKET + 4 bytes less RAM) and
 * ud_cdc_init() refuses them. Set it like UD_CDC_MAX_PACKET (the size of `struct ud_cdc`
 * depends on it).
 */
#ifndef UD_CDC_OVERWRITE
#define UD_CDC_OVERWRITE 1
#endif

#if UD_CDC_OVERWRITE != 0 && UD_CDC_OVERWRITE != 1
#error "UD_CDC_OVERWRITE must be 0 or 1"
#endif

/**
 * 1 (default): the port may be used from another context (UD_CDC_CTX_OTHER) and with the
 * `lock` hooks. 0: from the task context only, without lock hooks (less code: the wake and
 * lock paths are left out, docs/size.md says how much on Cortex-M0) and ud_cdc_init()
 * refuses the other context and the hooks. For firmware whose main loop both runs ud_task()
 * and reads and writes the port.
 */
#ifndef UD_CDC_OTHER_CONTEXT
#define UD_CDC_OTHER_CONTEXT 1
#endif

#if UD_CDC_OTHER_CONTEXT != 0 && UD_CDC_OTHER_CONTEXT != 1
#error "UD_CDC_OTHER_CONTEXT must be 0 or 1"
#endif

/* Class-specific requests (CDC PSTN 1.2, section 6.3). */
#define UD_CDC_REQ_SET_LINE_CODING 0x20u
#define UD_CDC_REQ_GET_LINE_CODING 0x21u
#define UD_CDC_REQ_SET_CONTROL_LINE_STATE 0x22u
#define UD_CDC_REQ_SEND_BREAK 0x23u
/** SERIAL_STATE notification code (PSTN 1.2, section 6.5.4). */
#define UD_CDC_NOTIFY_SERIAL_STATE 0x20u

/** SET_CONTROL_LINE_STATE wValue bits: what ud_cdc_lines() returns. */
#define UD_CDC_LINE_DTR 0x01u
#define UD_CDC_LINE_RTS 0x02u

/**
 * SERIAL_STATE bits (UART state bitmap, PSTN 1.2 table 31). DCD and DSR are levels, sent
 * whenever they change and once after each configuration; the others are events, sent once
 * each time they are raised.
 */
#define UD_CDC_SERIAL_DCD 0x0001u     /**< bRxCarrier: receive carrier detect (DCD) */
#define UD_CDC_SERIAL_DSR 0x0002u     /**< bTxCarrier: transmission carrier (DSR) */
#define UD_CDC_SERIAL_BREAK 0x0004u   /**< bBreak: a break was detected */
#define UD_CDC_SERIAL_RING 0x0008u    /**< bRingSignal: ring signal detected */
#define UD_CDC_SERIAL_FRAMING 0x0010u /**< bFraming: a framing error occurred */
#define UD_CDC_SERIAL_PARITY 0x0020u  /**< bParity: a parity error occurred */
#define UD_CDC_SERIAL_OVERRUN 0x0040u /**< bOverRun: received data was discarded */
#define UD_CDC_SERIAL_LEVELS (UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_DSR)
#define UD_CDC_SERIAL_EVENTS 0x007cu
/** Number of event bits (break .. overrun). */
#define UD_CDC_SERIAL_NUM_EVENTS 5

/** Line coding (PSTN 1.2 table 17), in host byte order. */
struct ud_cdc_line_coding {
	uint32_t rate;     /**< dwDTERate, bits per second */
	uint8_t stop_bits; /**< bCharFormat: 0 = 1, 1 = 1.5, 2 = 2 stop bits */
	uint8_t parity;    /**< bParityType: 0 none, 1 odd, 2 even, 3 mark, 4 space */
	uint8_t data_bits; /**< bDataBits: 5, 6, 7, 8 or 16 */
};

/** Where the application calls the data functions (see the table above). */
enum ud_cdc_context {
	UD_CDC_CTX_TASK = 0,  /**< the context of ud_task(): calls act at once */
	UD_CDC_CTX_OTHER = 1, /**< another thread or an ISR: calls touch only the rings, then
	                           `wake`; the ud_task() thread calls ud_cdc_poll() */
};

/** `flags`: explicit permission to lose the oldest bytes instead of waiting (needs
 * UD_CDC_OVERWRITE). */
#define UD_CDC_TX_OVERWRITE                                                                        \
	0x01u /**< ud_cdc_write() takes everything; when the transmit ring
                                       is full the oldest bytes not yet handed to the
                                       controller are dropped (counted in tx_dropped) */
#define UD_CDC_RX_OVERWRITE                                                                        \
	0x02u /**< the OUT endpoint stays armed; when the receive ring is
                                       full the oldest unread bytes are dropped (rx_dropped) */

struct ud_cdc;

/** What the application configures. ud_cdc_init() keeps a pointer to it, not a copy: it must
 * stay valid and unchanged while the port is in use (a `static const` is typical).
 * Initialise by name. */
struct ud_cdc_config {
	uint8_t *rx_buf;  /**< receive ring storage (host to device) */
	uint32_t rx_size; /**< bytes, a power of two, at least a packet: 64, or 512 on a port
	                       that can run at high speed (else ud_device_add_function()
	                       fails); at most 0x80000000 */
	uint8_t *tx_buf;  /**< transmit ring storage (device to host) */
	uint32_t tx_size; /**< bytes, a power of two: 1 to 0x80000000; under a packet, a
	                       full ring goes out as a short packet without a flush */

	/* Callbacks, all optional, all in task context. */
	/** Bytes arrived in the receive ring. */
	void (*on_rx)(struct ud_cdc *cdc);
	/** The host acknowledged bytes: there is room in the transmit ring. */
	void (*on_tx)(struct ud_cdc *cdc);

	/* Concurrency hooks (see the file comment), all optional. */
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
	/** UD_CDC_CTX_OTHER: called after a call changed a ring, from the caller's context:
	 * make the thread that runs ud_task() call ud_cdc_poll() soon (e.g. give its
	 * semaphore, as in ud_device_info.on_event). Called often: keep it cheap. */
	void (*wake)(void *ctx);
	void *ctx; /**< passed to lock, unlock and wake; free for the callbacks too */

	/** The host set a line coding (already validated). Return 0 to accept it, or a UD_ERR_*
	 * code to refuse it: the request is stalled and the old coding stays. */
	int (*on_line_coding)(struct ud_cdc *cdc, const struct ud_cdc_line_coding *lc);
	/** SET_CONTROL_LINE_STATE (every one, changed or not), and lines dropping to 0 when the
	 * configuration is left with DTR or RTS set. @p lines: UD_CDC_LINE_DTR | _RTS. */
	void (*on_control_line)(struct ud_cdc *cdc, uint8_t lines);
	/** SEND_BREAK: @p ms milliseconds of break, 0xffff until a SEND_BREAK with 0; and 0 when
	 * the configuration is left while a 0xffff break is on (the host that would end it is
	 * gone). */
	void (*on_break)(struct ud_cdc *cdc, uint16_t ms);
	/** The port became usable (SET_CONFIGURATION) or stopped being usable. */
	void (*on_state)(struct ud_cdc *cdc, bool configured);

	const char *interface_name; /**< UTF-8 interface string, NULL for none */
	/** Initial; rate 0 means 115200 8N1. Else it must be one the host could set (stop bits
	 * 0..2, parity 0..4, data bits 5..8 or 16): Windows writes back what it reads. */
	struct ud_cdc_line_coding line_coding;
	uint8_t context; /**< enum ud_cdc_context */
	uint8_t flags;   /**< UD_CDC_TX_OVERWRITE | UD_CDC_RX_OVERWRITE */
};

/** Counters; each is written by one context only. */
struct ud_cdc_stats {
	uint32_t rx_bytes;   /**< bytes received into the ring (task, or a stream's port) */
	uint32_t tx_bytes;   /**< bytes the host acknowledged (derived: struct ud_cdc_counters) */
	uint32_t rx_dropped; /**< UD_CDC_RX_OVERWRITE: unread bytes overwritten (task) */
	uint32_t tx_dropped; /**< UD_CDC_TX_OVERWRITE: unsent bytes overwritten (writer) */
	uint32_t io_errors;  /**< transfers the controller failed (task) */
	uint32_t refused;    /**< class requests refused with a STALL, or whose data stage never
	                          completed (task) */
};

/** The counters as the class keeps them (private): struct ud_cdc_stats's fields, each written
 * by one context and read by ud_cdc_stats() from any. rx_bytes is the receive ring's head,
 * which moves by exactly the bytes received into the ring. tx_bytes is counted only with
 * UD_CDC_TX_OVERWRITE; otherwise the transmit ring's tail moves by the bytes the host
 * acknowledged and by those ud_cdc_tx_clear() discarded, which tx_unsent counts (task), and
 * tx_bytes is the difference. */
struct ud_cdc_counters {
	UD_ATOMIC(uint32_t) tx_bytes, rx_dropped, tx_dropped, io_errors, refused, tx_unsent;
};

/** One CDC-ACM port. Allocate statically; all fields but `fn` are private. */
struct ud_cdc {
	struct ud_function fn; /**< register with ud_device_add_function(dev, &cdc.fn) */
	/* private. `fn` comes first so that the core's callbacks, which get &fn, have the port's
	 * own address: no offset to subtract, and every field at a short positive offset. Then
	 * what the packet path uses most, in reach of Cortex-M0's short loads (offsets up to 31
	 * for a byte, 62 for a halfword, 124 for a word); then the rest, ordered so that no
	 * padding is needed but one byte (after line_rx). */
	/* task, per endpoint: bit 0: a transfer is in flight, bit 1: the port is enabled (one
	 * test on the packet path instead of two). Atomic fields are the ones another context
	 * reads or writes too (ud_atomic.h); the task is the only one to write those marked
	 * "task". ntf_busy's enabled bit is what ud_cdc_configured() reports. */
	uint8_t rx_busy, tx_busy;
	UD_ATOMIC(uint8_t) ntf_busy;
	/* The configuration's flags, and what the packet path tests of the rest of it (context,
	 * hooks set): one byte test instead of a load through cfg (cdc_internal.h, CDC_F_*). */
	uint8_t flags;
	uint8_t tx_rare;  /* task: a cut packet, a discard, overwrite mode (cdc_internal.h) */
	uint8_t flushing; /* task: a flush is being carried out */
	uint8_t ep_out, ep_in, ep_notify; /* the communication interface: fn.first_interface */
	/* SERIAL_STATE. An event is pending while its bit differs in ss_req and ss_ack: the
	 * writer flips ss_req to raise an event that is not pending, the task flips ss_ack once
	 * the event is on its way. */
	UD_ATOMIC(uint8_t) ss_level; /* writer: DCD/DSR now */
	UD_ATOMIC(uint8_t) ss_req;   /* writer: events raised (published after ss_level) */
	UD_ATOMIC(uint8_t) ss_ack;   /* task: events taken */
	uint8_t ss_resend;           /* task: events of a notification the host never got */
	uint8_t ss_sent;             /* task: level the host last heard */
	uint8_t ntf_events;          /* task: events in the notification in flight */
	UD_ATOMIC(uint8_t) lines;    /* task: the last SET_CONTROL_LINE_STATE */
	/* task: ud_cdc_tx_clear() waits for the transfer in flight */
	UD_ATOMIC(uint8_t) tx_discard;
	uint8_t break_on;    /* task: SEND_BREAK 0xffff is on */
	uint8_t ntf_buf[10]; /* the notification */
#if UD_CDC_OVERWRITE
	UD_ATOMIC(uint16_t) tx_bounce_len; /* task, overwrite mode: bytes in tx_bounce not sent */
	uint16_t tx_bounce_off;
#endif
	struct ud_ring rx, tx;
	UD_ATOMIC(uint32_t) flush_req;   /* writer: flush requests made (published after head) */
	uint32_t flush_seen;             /* task: flush requests taken */
	const struct ud_cdc_config *cfg; /* the application's (ud_cdc_init()) */
	struct ud_req rx_req, tx_req;
#if UD_STREAMS
	/* Without requests where the port streams (ud_stream.h): the port moves rx.head and
	 * tx.tail. */
	struct ud_stream rx_stream, tx_stream;
	uint32_t rx_seen, tx_seen; /* task: rx.head, tx.tail when on_rx, on_tx last ran */
#endif
	struct ud_cdc_counters stats;
	struct ud_cdc_line_coding line_coding; /* the current one (SET_LINE_CODING) */
	uint8_t line_rx[7];                    /* SET_LINE_CODING's data stage */
	/* task: ud_cdc_tx_clear() with a transfer in flight: the head it saw less the transfer's
	 * length. Bytes from here to head are pending (ud_cdc_tx_pending(): no other context reads
	 * tx_req); the tail goes to it plus tx_req.length when the transfer ends. */
	UD_ATOMIC(uint32_t) tx_kept_from;
	struct ud_req ntf_req;
	uint8_t rx_bounce[UD_CDC_MAX_PACKET];
#if UD_CDC_OVERWRITE
	/* Overwrite mode sends a copy: the writer may drop ring bytes the host has not taken. */
	uint8_t tx_bounce[UD_CDC_MAX_PACKET];
#endif
};

/**
 * @brief Prepare @p cdc from @p cfg. Then register `&cdc->fn` with ud_device_add_function(),
 * which builds the descriptors.
 *
 * @p cfg is kept as a pointer, not copied (as ud_device_init() keeps its `info`): it must stay
 * valid and unchanged for as long as the port is in use, i.e. `static` (typically
 * `static const`) or part of a structure that lives as long as @p cdc, not a local variable of
 * a function that returns. The initial line coding is copied (the host may change it).
 * @retval 0
 * @retval UD_ERR_INVAL NULL argument or ring buffer, a ring size that is not a power of two
 *         or out of range, an unknown context or flag (an overwrite flag in a build with
 *         UD_CDC_OVERWRITE 0), UD_CDC_CTX_OTHER with an overwrite flag but no lock hooks,
 *         only one of lock/unlock (with UD_CDC_OTHER_CONTEXT 0: UD_CDC_CTX_OTHER, or either
 *         hook), an initial line coding with a non-zero rate and a stop
 *         bits, parity or data bits value SET_LINE_CODING would refuse
 */
int ud_cdc_init(struct ud_cdc *cdc, const struct ud_cdc_config *cfg);

/**
 * @brief Copy up to @p len received bytes to @p buf, oldest first. Makes room in the receive
 * ring: in task mode the OUT endpoint is re-armed at once if a packet now fits.
 * Reader context (see the table). Works whether the port is configured or not.
 * @return bytes copied (0 if none, or @p cdc / @p buf NULL)
 */
uint32_t ud_cdc_read(struct ud_cdc *cdc, void *buf, uint32_t len);

/** @brief Received bytes waiting to be read. Reader context. */
uint32_t ud_cdc_available(struct ud_cdc *cdc);

/** @brief Discard every received byte not read yet. Reader context. @return bytes discarded. */
uint32_t ud_cdc_rx_clear(struct ud_cdc *cdc);

/**
 * @brief Queue up to @p len bytes for the host and return how many were taken: all that fit
 * (with UD_CDC_TX_OVERWRITE: all of them, the oldest unsent bytes making way). Whole packets
 * go out as soon as the IN endpoint is free; a partial packet waits for ud_cdc_flush().
 * Bytes are taken whether the port is configured or not, and sent once it is.
 * Writer context.
 * @return bytes taken (0 if the ring is full, or @p cdc / @p data NULL)
 */
uint32_t ud_cdc_write(struct ud_cdc *cdc, const void *data, uint32_t len);

/**
 * @brief Free space in the transmit ring: what ud_cdc_write() takes now without dropping
 * anything (with UD_CDC_TX_OVERWRITE it takes more, dropping the oldest bytes). Writer context.
 */
uint32_t ud_cdc_write_room(struct ud_cdc *cdc);

/**
 * @brief Send everything written so far, partial packet included, and end the host's transfer
 * (a short packet, or a ZLP if the data ends on a packet boundary; a ZLP alone if an earlier
 * transfer ended on one). Nothing to send and nothing open: nothing happens. If the port is
 * not configured, the flush is carried out once it is. Writer context.
 * @retval 0             requested
 * @retval UD_ERR_INVAL  @p cdc NULL
 */
int ud_cdc_flush(struct ud_cdc *cdc);

/**
 * @brief Bytes written and not yet acknowledged by the host (in the ring or in flight), not
 * counting those ud_cdc_tx_clear() discarded. Any context (a snapshot).
 */
uint32_t ud_cdc_tx_pending(struct ud_cdc *cdc);

/**
 * @brief Discard the bytes written and not yet acknowledged by the host; a pending flush is
 * dropped with them. The packet in flight is cancelled (if the host took it already, it counts
 * as sent). Task context, e.g. from `on_state(false)` to flush rather than keep on a reset.
 * @return the bytes pending at the call (ud_cdc_tx_pending()), the packet in flight included
 */
uint32_t ud_cdc_tx_clear(struct ud_cdc *cdc);

/**
 * @brief Report the UART state to the host with a SERIAL_STATE notification. @p bits:
 * UD_CDC_SERIAL_DCD / _DSR give the level now (a notification is sent when it differs from the
 * last one sent); each event bit set (break, ring, framing, parity, overrun) is sent once, in
 * the next notification. Notifications are sent one at a time; changes made while one is in
 * flight are merged into the next. Events raised while the port is not configured are sent
 * once it is. Every call sets the levels: to raise an event while DCD is on, pass DCD too
 * (`ud_cdc_serial_state(c, UD_CDC_SERIAL_DCD | UD_CDC_SERIAL_RING)`), or the host sees the
 * carrier drop (Linux hangs up a tty without CLOCAL). Writer context.
 * @retval 0             queued
 * @retval UD_ERR_INVAL  @p cdc NULL, or a bit above UD_CDC_SERIAL_OVERRUN
 */
int ud_cdc_serial_state(struct ud_cdc *cdc, uint16_t bits);

/**
 * @brief The task side of the data path: arm the OUT endpoint if the receive ring has room
 * for a packet, start an IN transfer if there is data to send or a flush to carry out, send a
 * pending SERIAL_STATE. Idempotent and cheap when there is nothing to do. Needed in
 * UD_CDC_CTX_OTHER mode after `wake`; harmless otherwise. Task context.
 */
void ud_cdc_poll(struct ud_cdc *cdc);

/** @brief True while the device is configured and the port usable. Any context. */
bool ud_cdc_configured(const struct ud_cdc *cdc);

/** @brief The last SET_CONTROL_LINE_STATE: UD_CDC_LINE_DTR | UD_CDC_LINE_RTS. Any context. */
uint8_t ud_cdc_lines(const struct ud_cdc *cdc);

/** @brief The current line coding. Task context (it may tear if read elsewhere). */
struct ud_cdc_line_coding ud_cdc_line_coding(const struct ud_cdc *cdc);

/** @brief A copy of the counters. Any context (each counter is consistent on its own). */
struct ud_cdc_stats ud_cdc_stats(const struct ud_cdc *cdc);

#ifdef __cplusplus
}
#endif

#endif /* UD_CDC_H */
