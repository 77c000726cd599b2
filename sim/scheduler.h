/* SPDX-License-Identifier: MIT */
/**
 * @file scheduler.h
 * @brief The scheduler: a simulation as a set of independent actors, one step at a time.
 *
 * A state is a `struct ud_sched`: the world (world.h), the request watcher (track.h) and the
 * host's workload progress (workload.h), all plain bytes at a fixed address, so a state is
 * saved and restored with memcpy. From a state, these *moves* may be enabled:
 *
 * | move                | actor                                                           |
 * |---------------------|-----------------------------------------------------------------|
 * | `irq N`             | the controller's interrupt handler runs for pending interrupt N |
 * |                     | (any deliverable one: completions in any order, bus events are   |
 * |                     | barriers, ud_vdc.h)                                              |
 * | `task`              | ud_task() runs once                                              |
 * | `step`              | the device's class processing step (ud_dap_process(), the        |
 * |                     | application's reads and writes)                                  |
 * | `host-out EP`       | the host writes the next OUT packet of its workload              |
 * | `host-in EP`        | the host sends one IN token and checks what comes back           |
 * | `enumerate`         | after a reset or disconnect: the host plugs in if needed and     |
 * |                     | enumerates again (Linux order), atomically                       |
 * | `fault NAME [EP]`   | reset, disconnect, set-config, set-interface, clear-halt EP,     |
 * |                     | suspend (the host stops the bus; then only `resume`, `reset` and |
 * |                     | `disconnect` are host moves)                                     |
 * | `resume`            | the host resumes a bus it suspended                              |
 *
 * The host runs in manual mode (host.h): nothing happens behind a move's back. Two kinds of
 * moves are atomic, by choice: `enumerate` and the control-transfer faults (set-config,
 * set-interface, clear-halt) run as a whole control transfer with the host pumping (pending
 * interrupts delivered in order, ud_task() until idle) around each packet, as a fast device CPU
 * would. The interleavings of interest are those of the class data path; a control transfer is
 * one event in it. A control-transfer fault's pumps leave the data endpoints' completions
 * pending (host.h, `defer_data_irqs`): each stays an `irq` move, before or after the fault, so
 * the fault also meets a transfer that has ended but is not reported yet. (`enumerate` runs
 * after a reset, which every earlier interrupt precedes.) `reset` and `disconnect` only raise
 * the bus event: its
 * interrupt is then one more pending interrupt that the other actors race against.
 */
#ifndef UD_SIM_SCHED_H
#define UD_SIM_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "track.h"
#include "workload.h"
#include "world.h"

enum ud_move_kind {
	UD_MV_IRQ = 0,
	UD_MV_TASK,
	UD_MV_STEP,
	UD_MV_OUT,
	UD_MV_IN,
	UD_MV_ENUM,
	UD_MV_FAULT,
	UD_MV_RESUME,
	UD_MV_SOF, /**< the next frame's SOF: offered only while it would wake the fsdev */
};

enum ud_fault {
	UD_FAULT_RESET = 0,
	UD_FAULT_DISCONNECT,
	UD_FAULT_SET_CONFIG,
	UD_FAULT_SET_INTERFACE,
	UD_FAULT_CLEAR_HALT,
	UD_FAULT_SUSPEND,
	UD_FAULT_LINES, /**< SET_CONTROL_LINE_STATE toggling DTR: workloads with a notify EP */
	UD_FAULT_COUNT
};

/** `--faults all`: the bus and host faults every workload meets. `lines` is asked for by name:
 * it explores CDC's control plane (workload.h), at several times the states. */
#define UD_FAULTS_ALL ((1u << UD_FAULT_LINES) - 1u)
/** Every fault, `lines` too (replay: a script may hold any). */
#define UD_FAULTS_EVERY ((1u << UD_FAULT_COUNT) - 1u)

/** Most moves enabled in one state. */
#define UD_SCHED_MAX_MOVES 48

struct ud_move {
	uint8_t kind; /**< enum ud_move_kind */
	uint8_t arg;  /**< IRQ: index; OUT, IN: endpoint number; FAULT: enum ud_fault */
	uint8_t ep;   /**< FAULT clear-halt: endpoint address */
};

/** One state. Keep it plain: it is copied and hashed whole. */
struct ud_sched {
	struct ud_world w; /* first: everything inside points into it */
	struct ud_track track;
	struct ud_work work;
	uint8_t faults_used;
};

/** What a run allows (constant during a run, not part of the state). */
struct ud_sched_cfg {
	uint32_t faults;      /**< (1 << enum ud_fault) of the faults allowed */
	unsigned max_faults;  /**< per path (explore: default 1) */
	unsigned live_rounds; /**< bound of the fair continuation; 0: from the workload */
};

/** @brief Does a run with configuration @p c explore CDC's control plane (the `lines` fault
 * allowed: DTR toggled, the notification endpoint polled; workload.h)? */
static inline bool ud_sched_lines(const struct ud_sched_cfg *c)
{
	return (c->faults & (1u << UD_FAULT_LINES)) != 0;
}

/**
 * @brief Build the device, enumerate it (Linux order, auto mode), attach the request watcher,
 * plan the workload, then switch the host to manual mode: the root state. The invariants are
 * checked there: if one is broken already, the verdict (invariants.h) says so.
 * @return 0, or a UD_ERR_* code with a reason in @p err if there is no root state.
 */
int ud_sched_start(struct ud_sched *s, const char *device, const struct ud_sim_options *opt,
                   char *err, size_t cap);

/** @brief The workload planned at the last ud_sched_start(). */
const struct ud_work_plan *ud_sched_plan(void);

/** @brief The moves enabled in @p s, in a fixed order. @return how many. */
unsigned ud_sched_moves(const struct ud_sched *s, const struct ud_sched_cfg *c,
                        struct ud_move *out);

/**
 * @brief Take move @p m. @p desc (may be NULL) gets a readable account of what happened.
 * Invariants are checked afterwards: see the verdict (invariants.h).
 * @return false if @p m is not enabled in @p s (nothing changed).
 */
bool ud_sched_apply(struct ud_sched *s, const struct ud_sched_cfg *c, const struct ud_move *m,
                    char *desc, size_t cap);

/**
 * @brief The fair continuation: rounds of (deliver every pending interrupt, ud_task() until
 * idle, the class step, the host re-enumerates if it must, writes its next OUT packet and
 * sends an IN token), no faults, until quiescence: nothing pending, ud_task() idle, the device
 * quiescent and the workload done. @return true if reached within the bound; otherwise the
 * verdict says why. @p rounds (may be NULL) gets the rounds used.
 */
bool ud_sched_live(struct ud_sched *s, const struct ud_sched_cfg *c, unsigned *rounds);

/**
 * @brief Is @p s a dead end: no enabled move but a fault changes it, yet it is not at rest
 * (quiescent)? Then only the fair continuation goes on, by something that is not a move, and
 * the explorer's NO CYCLE claim (docs/verification.md) would not cover the schedules that
 * stop there. Faults do not count: progress must not wait for one, and which are enabled
 * depends on the search's fault budget. @return true, with the verdict set (invariants.h),
 * if so; @p s is left as it was.
 */
bool ud_sched_dead_end(struct ud_sched *s, const struct ud_sched_cfg *c);

/** @brief The round bound ud_sched_live() uses for configuration @p c. */
unsigned ud_sched_live_bound(const struct ud_sched_cfg *c);

/** @brief One round of the fair continuation. @return false if a step broke an invariant. */
bool ud_sched_live_round(struct ud_sched *s, const struct ud_sched_cfg *c);

/** A record of moves (the fair continuation's, for narrations). */
struct ud_move_log {
	struct ud_move *moves;
	unsigned n, cap;
	bool overflow; /**< more moves than `cap` were taken */
};

/** @brief Record every move the fair continuation takes into @p log from now on (NULL: stop
 * recording). */
void ud_sched_record(struct ud_move_log *log);

/** @brief True if @p s is quiescent now (may run ud_task(), which then found nothing to do).
 * A quiescent state whose core believes the bus suspended while it runs, or the other way
 * round, is a violation (the verdict says so). */
bool ud_sched_quiescent(struct ud_sched *s, const struct ud_sched_cfg *c);

/** @brief The move as a script line ("irq 1", "host-out 1", "fault clear-halt 81"). */
void ud_move_format(const struct ud_move *m, char *buf, size_t cap);

/** @brief Parse a script line's words into a move. @return false if they are not a move. */
bool ud_move_parse(int argc, char **argv, struct ud_move *m);

/** @brief Fault names, and parsing a comma-separated list ("all", "none" too) into a mask.
 * @return false on an unknown name. */
const char *ud_fault_name(enum ud_fault f);
bool ud_faults_parse(const char *list, uint32_t *mask);
void ud_faults_format(uint32_t mask, char *buf, size_t cap);

/* --- state copies (explore, random) --- */

/** @brief Bytes of the world the device uses (the rest of the app union stays zero). */
size_t ud_sched_world_bytes(const struct ud_sched *s);

/** @brief Copy the state @p from into @p to (only the bytes a state uses). */
void ud_sched_copy(struct ud_sched *to, const struct ud_sched *from);

#endif /* UD_SIM_SCHED_H */
