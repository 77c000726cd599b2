/* SPDX-License-Identifier: MIT */
/**
 * @file ud_dap.h
 * @brief CMSIS-DAP probe transports: v2 (vendor interface, bulk) and v1 (HID), sharing one
 * request/response queue that cannot starve.
 *
 * ```
 * static uint8_t slots[UD_DAP_BUFFER_SIZE(4, 64)];
 * static const struct ud_dap_config cfg = { .info = &info, .io = &swd_io, .io_ctx = &pins,
 *         .packet_count = 4, .packet_size = 64, .buffer = slots, .buffer_size = sizeof(slots) };
 * static struct ud_dap dap;
 * ud_dap_v2_add(&dev, &dap, &cfg);           // or ud_dap_v1_add(): before ud_device_start()
 * for (;;) { ud_task(&dev); ud_dap_process(&dap); }   // or ud_dap_process() in its own thread
 * ```
 *
 * ## v2 and v1
 *
 * - v2: one vendor interface (class 0xFF, subclass 0, protocol 0) whose string contains
 *   "CMSIS-DAP", a bulk OUT endpoint (commands) then a bulk IN endpoint (responses), 64 bytes
 *   at full speed and 512 at high speed, and a Microsoft OS 2.0 descriptor set that binds
 *   WinUSB with DeviceInterfaceGUIDs = UD_DAP_V2_GUID. Responses are sent as they are (short
 *   packets), not padded.
 * - v1: a HID interface (class/hid) with input and output reports of `packet_size` bytes and
 *   no report ID, on an interrupt IN and an interrupt OUT endpoint. Responses are padded with
 *   zeros to the report size; requests arrive padded by the host. Hosts find v1 probes by the
 *   *product* string, which must then contain "CMSIS-DAP" (ud_device_info).
 *
 * `packet_count` and `packet_size` come from the configuration and are what DAP_Info 0xFE and
 * 0xFF report (this transport writes them into its copy of `info`). The packet size may differ
 * from the endpoint's wMaxPacketSize (512-byte packets on a 64-byte full-speed endpoint, or
 * 64-byte packets on a 512-byte high-speed one): the host reads `packet_size`-long transfers,
 * so a response is followed by a zero-length packet exactly when it is a non-zero multiple of
 * wMaxPacketSize and shorter than `packet_size`; a command the host writes ends on a short
 * packet (its ZLP when it is a multiple of wMaxPacketSize) or at `packet_size` bytes.
 * Hosts differ there: pyOCD ends such a command with one more byte, but OpenOCD writes each
 * command as exactly its length with no ZLP, so a command of a whole number of packets
 * shorter than `packet_size` (a 128-byte DAP_Transfer of 25 writes, with 512 on 64) waits for
 * more and the next command is glued onto it: the probe hangs. For OpenOCD, or any host you
 * have not checked, use `packet_size` = wMaxPacketSize (64 at full speed, 512 at high speed).
 * A high-speed probe behind a full-speed hub runs 64-byte endpoints: give it
 * `packet_size_fs` = 64 and at full speed it reports and uses 64-byte packets (the speed is
 * taken at every SET_CONFIGURATION; the slots keep `packet_size` bytes).
 *
 * ## The queue
 *
 * One pool of `packet_count` slots; each holds a command and, later, its response. Four
 * free-running counters say where every slot is, and each has exactly one writer:
 *
 * ```
 *   freed <= sent <= done <= received <= freed + packet_count
 *   [freed, sent)       the response at the IN endpoint (at most one)      written by ud_task
 *   [sent, done)        responses ready, waiting for the IN endpoint       done: by process
 *   [done, received)    commands waiting for ud_dap_process()              written by ud_task
 *   [received, freed+N) free slots; the OUT request, when armed, fills slot `received`
 * ```
 *
 * - **OUT is armed only while a slot is free**, and it receives straight into that slot, so a
 *   command can never arrive without a place to go: with every slot taken the endpoint simply
 *   is not armed and the controller NAKs the host, which retries. Nothing is ever dropped.
 * - **One idempotent pump** (ud_dapq_pump() in dap_queue.c) arms IN whenever a response
 *   waits and the IN endpoint is idle, and then arms OUT if a slot is free. It runs after
 *   every IN and OUT completion, on enable, on a reset, and after ud_dap_process() produced
 *   a response (see contexts).
 *   "IN idle" is not a flag that software sets and may forget: it is `sent == freed`, derived
 *   from the same counters the completions move.
 * - **A slot is freed when its IN transfer completes** (whatever its status), never when the
 *   response is handed to the endpoint, so a response cannot be overwritten while the
 *   controller still sends it.
 * - **Every accepted command gets exactly one response, in order.** A command is accepted
 *   when its OUT transfer completes with data (a zero-length OUT is not a command: the OUT is
 *   re-armed into the same slot). Slots are used round-robin and answered in slot order.
 * - **DAP_TransferAbort** (first byte 0x07) is handled out of band: ud_dap_engine_abort()
 *   from the OUT completion (in ud_task()); it takes no slot and gets no response. It stops
 *   a transfer that is executing only if ud_dap_process() runs in another context than
 *   ud_task() (a thread, a lower-priority interrupt); in one main loop that calls both, it
 *   arrives between commands and has nothing to abort. Like any packet it
 *   can only arrive while OUT is armed, i.e. while fewer than `packet_count` commands are
 *   outstanding: a host that may need to abort keeps a slot free for it.
 * - **Resets.** Bus reset, disconnect, SET_CONFIGURATION (any, even the same value),
 *   SET_INTERFACE and CLEAR_FEATURE(ENDPOINT_HALT) on either endpoint reset the queue: every
 *   command accepted before (queued, executing or answered but unsent) is discarded (one
 *   that is executing is aborted with ud_dap_engine_abort(), one not yet executed is
 *   skipped), a receive or send in progress is cancelled and its data ignored, and the
 *   stream starts again with the next command the host writes. The host resynchronises by
 *   reading until it times out (after a bus reset or a new configuration it must anyway).
 *   A request that ends with UD_ERR_SHUTDOWN while no `disable` came first (SET_INTERFACE,
 *   also one the port cannot host, after which the core reopens the old endpoints and reports
 *   the old setting through `set_alt`) resets the queue too and asks ud_task() for a `poll`,
 *   which re-arms.
 *
 * ### Why the failure modes of DAPLink issue #1026 cannot happen
 *
 * - *IN armed only when a software "idle" flag says so*: there is no such flag. The pump
 *   recomputes "IN idle" from the counters and runs after every event that can change the
 *   answer (IN completion, response produced, enable, reset), so a response that waits while
 *   IN is idle is a state the pump never returns in.
 * - *Slot freed when the response is armed*: slots are freed only in the IN completion.
 * - *Request dropped when the queue is full*: OUT is never armed without a free slot, and
 *   the OUT request's buffer is that slot.
 * - *Two OUTs before an IN completion, an endpoint reset without completion, a disconnect*:
 *   the core completes every submitted request exactly once (ud_req.h), also when the
 *   endpoint is closed, cancelled or reset, and in any order relative to the other endpoint;
 *   each completion only moves its own counter and calls the pump, so no order of completions
 *   can leave a waiting response behind an idle IN or a free slot behind an unarmed OUT.
 *
 * ## Contexts: ud_task() and ud_dap_process()
 *
 * ud_dap_process() executes queued commands and may run in another thread than ud_task()
 * (not in an ISR that can preempt ud_task(): it takes the target's time). No lock is needed:
 * ud_task() writes `received`, `sent`, `freed`, `discard`, `packet` and the command slots;
 * process writes `done` and the response slots. The fields the other side reads are C11
 * atomics (ud_atomic.h). Each side writes a slot's bytes and length first and then stores the
 * counter that hands them over with release (`received` for a command, `done` for a
 * response); the other side loads that counter with acquire before it reads them, so the
 * slots themselves stay plain memory: a slot is touched by one side only between two counter
 * moves. When process has written a response it calls ud_function_wake(), and ud_task() runs
 * the function's `poll` callback, which is the pump: IN is only ever armed from ud_task()'s
 * context, as ud_req.h requires.
 *
 * `notify` (optional) is called from ud_task() each time a command was queued, to wake a
 * thread that runs ud_dap_process().
 */
#ifndef UD_DAP_H
#define UD_DAP_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_dap_engine.h"
#include "udcore/ud_hid.h"
#include "udcore/udcore.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest `packet_count` (sizes the per-slot length tables): 1..255, as DAP_Info reports it. */
#ifndef UD_DAP_MAX_PACKET_COUNT
#define UD_DAP_MAX_PACKET_COUNT 8
#endif
#if UD_DAP_MAX_PACKET_COUNT < 1 || UD_DAP_MAX_PACKET_COUNT > 255
#error "UD_DAP_MAX_PACKET_COUNT must be 1..255"
#endif

/** The interface GUID CMSIS-DAP v2 hosts look for (the DeviceInterfaceGUIDs property). */
#define UD_DAP_V2_GUID "{CDB3B5AD-293B-4663-AA36-1AAE46463776}"

/** Bytes of `buffer` a configuration needs: a command and a response buffer per slot. */
#define UD_DAP_BUFFER_SIZE(count, size) (2u * (uint32_t)(count) * (uint32_t)(size))

/** Smallest packet size (CMSIS-DAP assumes at least 64). */
#define UD_DAP_MIN_PACKET_SIZE 64u

/** Default interface strings; a custom one must contain "CMSIS-DAP". */
#define UD_DAP_V2_INTERFACE_STRING "CMSIS-DAP v2"
#define UD_DAP_V1_INTERFACE_STRING "CMSIS-DAP v1"

/** DAP_TransferAbort: the command id the transport handles out of band. */
#define UD_DAP_ID_TRANSFER_ABORT 0x07u

struct ud_dap_config {
	const struct ud_dap_info *info; /**< copied; packet_count/packet_size set from below */
	const struct ud_swd_io *io;     /**< the SWD backend the engine drives */
	void *io_ctx;
	uint8_t packet_count; /**< 1..UD_DAP_MAX_PACKET_COUNT */
	uint16_t packet_size; /**< >= 64; v1: also the HID report size */
	uint8_t *buffer;      /**< UD_DAP_BUFFER_SIZE(packet_count, packet_size) bytes */
	uint32_t buffer_size;
	/** NULL: UD_DAP_V2_INTERFACE_STRING / UD_DAP_V1_INTERFACE_STRING. Kept as a pointer. */
	const char *interface_string;
	/** Optional, called from ud_task() when a command was queued (wake the process thread). */
	void (*notify)(void *ctx);
	void *notify_ctx;
	/** v2, optional: the packet size while the device runs at full speed, 64..packet_size
	 *  (0: packet_size at every speed). A high-speed probe with 512-byte packets sets 64 so
	 *  that behind a full-speed hub it reports, and frames commands in, 64-byte packets,
	 *  which hosts that end commands without a ZLP (OpenOCD) need (see "v2 and v1" above).
	 *  v1: 0 or packet_size (a HID report has one size). */
	uint16_t packet_size_fs;
};

/** Counters for tests, the explorer and debugging. All written by ud_task() (plain memory:
 *  read them in ud_task()'s context). */
struct ud_dap_stats {
	uint32_t commands;  /**< commands accepted into a slot */
	uint32_t responses; /**< responses whose IN transfer completed with UD_OK */
	uint32_t discarded; /**< commands or responses dropped by a reset */
	uint32_t zlps;      /**< zero-length OUTs ignored */
	uint32_t aborts;    /**< DAP_TransferAbort packets handled out of band */
	uint32_t overlong;  /**< commands longer than a packet, answered UD_DAP_INVALID */
	uint32_t resets;    /**< queue resets */
	uint32_t in_errors; /**< IN transfers that ended neither UD_OK nor by a reset */
	uint32_t silent;    /**< commands the engine gave no response */
};

/** The request/response queue. Private: see the comment at the top for what each does.
 *  UD_ATOMIC fields are read by the other context ("Contexts" above); the slots' lengths are
 *  plain, published by the counter that hands their slot over. */
struct ud_dap_queue {
	struct ud_device *dev;
	struct ud_function *fn;
	struct ud_dap_engine *engine;
	uint8_t *buffer;            /* count command buffers, then count response buffers */
	uint16_t size;              /* a slot: packet_size */
	uint16_t size_fs;           /* packet_size_fs, or size */
	UD_ATOMIC(uint16_t) packet; /* packet in effect (enable() sets it): process reads it */
	uint8_t count;
	uint8_t ep_in, ep_out;
	uint8_t pad_in;               /* v1: responses padded to the report size */
	uint8_t active;               /* endpoints open (between enable and disable) */
	uint8_t out_busy;             /* out_req belongs to the core */
	uint8_t out_stale;            /* ... and what it receives belongs to before a reset */
	UD_ATOMIC(uint32_t) received; /* commands accepted: publishes req_len and the command */
	uint32_t sent, freed;         /* ud_task() only */
	UD_ATOMIC(uint32_t) discard;  /* commands before this index get no response */
	UD_ATOMIC(uint32_t) done;     /* written by process only: publishes resp_len, response */
	uint16_t req_len[UD_DAP_MAX_PACKET_COUNT];  /* 0: over-long command; under `received` */
	uint16_t resp_len[UD_DAP_MAX_PACKET_COUNT]; /* written by process only; under `done` */
	struct ud_req out_req, in_req;
	void (*notify)(void *ctx);
	void *notify_ctx;
	struct ud_dap_stats stats;
};

/** A CMSIS-DAP probe. Private: zero it, then ud_dap_v2_add() or ud_dap_v1_add(). */
struct ud_dap {
	union {
		struct ud_function fn; /* v2 */
		struct ud_hid hid;     /* v1 */
	} t;
	uint8_t version; /* 1 or 2 */
	uint8_t intf;
	const char *interface_string;
	struct ud_dap_queue q;
	struct ud_dap_info info;
	struct ud_dap_engine engine;
	struct ud_hid_config hid_cfg;
	uint8_t report_desc[32];
};

/**
 * @brief Add a CMSIS-DAP v2 probe (vendor interface, bulk OUT + IN, WinUSB) to @p dev and
 * initialise its engine (ud_dap_engine_init()). Before ud_device_start(). Task context.
 * @retval 0
 * @retval UD_ERR_INVAL   NULL argument or `info`/`io`/`buffer` missing, `io` without one of
 *                        its required operations (transfer, sequence_out, sequence_in, pins:
 *                        ud_swd.h), packet_count 0 or above
 *                        UD_DAP_MAX_PACKET_COUNT, packet_size below 64, buffer_size too small,
 *                        an interface string without "CMSIS-DAP"
 * @retval other          what ud_device_add_function() or the descriptor builder returned
 *                        (UD_ERR_NOSPACE: a table of ud_config.h; UD_ERR_STATE: started;
 *                        UD_ERR_NOTSUP: udcore built with UD_MSOS2_SIZE 0, no WinUSB set)
 */
int ud_dap_v2_add(struct ud_device *dev, struct ud_dap *dap, const struct ud_dap_config *cfg);

/**
 * @brief Add a CMSIS-DAP v1 probe (HID, reports of `packet_size` bytes, at most 1024) to
 * @p dev. As ud_dap_v2_add(), with the same return codes.
 */
int ud_dap_v1_add(struct ud_device *dev, struct ud_dap *dap, const struct ud_dap_config *cfg);

/**
 * @brief Execute the oldest queued command, if any: ud_dap_engine_execute() writes its
 * response into the command's slot, then ud_function_wake() has ud_task() send it.
 *
 * May run in another context than ud_task() (see the top of this file), never concurrently
 * with itself. A command accepted before a queue reset is skipped, not executed.
 *
 * @return true if a command was executed or skipped (call again), false if none waits.
 */
bool ud_dap_process(struct ud_dap *dap);

/** @brief Commands waiting for ud_dap_process(). Any context (a snapshot). */
unsigned ud_dap_pending(const struct ud_dap *dap);

/** @brief True if nothing is queued, executing, waiting to be sent or being sent. In
 *  ud_task()'s context (it reads the task's own counters). */
bool ud_dap_idle(const struct ud_dap *dap);

/** @brief The live counters. In ud_task()'s context, which writes them all. */
const struct ud_dap_stats *ud_dap_stats(const struct ud_dap *dap);

/** @brief The engine (for a backend or a test that inspects it). */
struct ud_dap_engine *ud_dap_engine(struct ud_dap *dap);

/** @brief The function registered with the device (for ud_function_wake() and tests). */
struct ud_function *ud_dap_function(struct ud_dap *dap);

#ifdef __cplusplus
}
#endif

#endif /* UD_DAP_H */
