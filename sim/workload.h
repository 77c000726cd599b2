/* SPDX-License-Identifier: MIT */
/**
 * @file workload.h
 * @brief The host side of an exploration: what the host writes, what it must read back.
 *
 * A workload is a fixed list of *units*. Unit k is a message the host writes on the OUT
 * endpoint (a bulk transfer, a DAP command, a run of serial bytes) and the answer it must
 * read back on the IN endpoint (the echo, the DAP response). The device's `plan` hook
 * (devices.h) fills the list once, after enumeration, from what a host knows: endpoint
 * numbers, packet sizes, and for DAP the responses the command engine gives.
 *
 * The host writes units in order, one OUT packet per scheduler step (`host-out`), keeping at
 * most `window` units unanswered (DAP: the packet count; 0: no limit, the device NAKs), and
 * reads with IN tokens (`host-in`). What arrives is compared as it arrives:
 *
 * - UD_WORK_FRAMED: each answer is one transfer, ended by a short packet (a zero-length one
 *   after a multiple of the max packet size): bulk loopback, DAP v2 responses;
 * - UD_WORK_REPORT: each answer is one full-size packet, the answer then zero padding (HID
 *   reports: DAP v1);
 * - UD_WORK_STREAM: answers are bytes; packet boundaries mean nothing (CDC echo).
 *
 * Every byte must be the next expected one: data that is corrupted, reordered, duplicated,
 * belongs to a unit that was lost, or arrives when nothing is expected is a violation on the
 * spot. OUT units are written the same three ways (a ZLP after a transfer that is a multiple
 * of the max packet size; one zero-padded report; plain bytes).
 *
 * Faults: a fault in the device's `resync` mask (e.g. a bus reset) ends the epoch: units
 * written but not fully answered are *lost* (the device may drop them: its queues reset), the
 * unit being written is abandoned, a half-read answer is dropped, and the host goes on with
 * the next unit. Units keep their index, so a stale answer from before the fault cannot be
 * mistaken for a later one (each unit's bytes differ). Other faults (e.g. clear-halt on a
 * bulk loopback) must be transparent: nothing may be lost.
 *
 * A *silent* unit (FRAMED or REPORT only) is written like any other and has no answer: DAP's
 * out-of-band DAP_TransferAbort. It does not count against the window (a host sends it
 * whenever it wants to stop a transfer, also while every slot is taken: the device then NAKs
 * it until a slot frees), and answers keep their order around it: the answer after it is the
 * next unit's. So a device that answers it, takes a slot for it or stops reading after it
 * is caught as for any other unit.
 *
 * Control lines: a plan with a notification endpoint (CDC), in a run that allows the `lines`
 * fault, has the host poll it with IN tokens and toggle DTR with SET_CONTROL_LINE_STATE (that
 * fault). Every SERIAL_STATE it
 * reads must be well formed, for the communication interface, with no event bits and only
 * the levels `notify_levels` or none. A reset, disconnect or SET_CONFIGURATION starts a new
 * session: DTR is clear again, and the device owes the host its levels anew.
 *
 * Quiescence (workload side): every unit written, and every unit not lost answered; with
 * control lines, also the host's view of the levels is the one its DTR brings: no change of
 * SERIAL_STATE was lost (ud_work_lines_done()).
 */
#ifndef UD_SIM_WORKLOAD_H
#define UD_SIM_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Units in one workload, and bytes per unit in each direction (two high-speed packets and
 * a bit: enough for every unit the devices plan). */
#define UD_WORK_MAX_UNITS 16
#define UD_WORK_MAX_BYTES 1100

enum ud_work_mode {
	UD_WORK_FRAMED = 0,
	UD_WORK_REPORT,
	UD_WORK_STREAM,
};

struct ud_work_unit {
	uint16_t out_len, in_len;
	uint8_t silent; /**< no answer is due (in_len 0): see above */
	uint8_t out[UD_WORK_MAX_BYTES];
	uint8_t in[UD_WORK_MAX_BYTES];
	char label[40]; /**< for counterexamples, e.g. "DAP_Info(04)" */
};

/** The constant part: filled by the device's `plan` hook, never changed during a search. */
struct ud_work_plan {
	uint8_t ep_out, ep_in; /**< endpoint numbers (1..15); 0: no such direction */
	/** CDC's notification endpoint (number) and communication interface; 0: none. With
	 * one, the host polls it, toggles DTR (the `lines` fault) and checks the SERIAL_STATE
	 * it reads: see "Control lines" above. */
	uint8_t ep_notify, notify_intf;
	uint8_t notify_levels;     /**< the SERIAL_STATE levels DTR set must bring (loopback) */
	uint32_t lines_reset;      /**< faults (1 << enum ud_fault) that start a new session */
	uint8_t out_mode, in_mode; /**< enum ud_work_mode */
	uint16_t report;           /**< UD_WORK_REPORT: report size in bytes */
	uint8_t window;            /**< most units written and not answered; 0: no limit */
	uint8_t n;                 /**< units */
	uint32_t resync;           /**< faults (1 << enum ud_fault) that end the epoch */
	char noun[16]; /**< what a unit is called in reports ("command"); empty: "unit" */
	struct ud_work_unit unit[UD_WORK_MAX_UNITS];
};

/** The changing part: host-side progress, saved and hashed with the world. */
struct ud_work {
	uint8_t next;     /**< unit being written (n: all written) */
	uint8_t first;    /**< oldest unit still expected back */
	uint16_t out_off; /**< bytes of unit `next` acknowledged */
	uint8_t out_zlp;  /**< unit `next` is written; its terminating ZLP is due */
	uint8_t in_zlp;   /**< the answer of `first` is read; its terminating ZLP is due */
	uint16_t in_off;  /**< bytes of the answer of `first` read */
	/* For reports only (the explorer leaves them out of the state hash: after a fault
	 * every lost unit is behind `first`, so they cannot change what happens next). */
	/* Control lines (plans with ep_notify): hashed, they change what happens next. */
	uint8_t dtr;    /**< the host's DTR as it last set it in this session */
	uint8_t seen;   /**< levels of the last SERIAL_STATE read; UD_WORK_NOT_SEEN: none yet */
	uint8_t lost;   /**< units lost at faults */
	uint8_t epochs; /**< faults that ended an epoch */
};

struct ud_world;

/** `seen` before the first SERIAL_STATE of a session. */
#define UD_WORK_NOT_SEEN 0xffu

/** @brief Reset @p k for a fresh start. */
void ud_work_init(struct ud_work *k);

/** @brief Next OUT packet (into @p buf, room for @p cap) the host would write on the plan's
 * OUT endpoint now. @return false if it writes nothing now (all written, window full). */
bool ud_work_out_next(const struct ud_work *k, const struct ud_work_plan *p, uint16_t mps,
                      uint8_t *buf, uint16_t cap, uint16_t *len);

/** @brief That packet was acknowledged: the host moves on. */
void ud_work_out_acked(struct ud_work *k, const struct ud_work_plan *p, uint16_t mps);

/** @brief An IN packet arrived. @return true if it is what the host expects; otherwise false
 * with the reason in @p msg. */
bool ud_work_in(struct ud_work *k, const struct ud_work_plan *p, uint16_t mps, const uint8_t *data,
                uint16_t len, char *msg, size_t cap);

/** @brief A fault happened: end the epoch if the plan says this fault does. */
void ud_work_fault(struct ud_work *k, const struct ud_work_plan *p, unsigned fault);

/** @brief A packet arrived on the notification endpoint. @return true if it is a SERIAL_STATE
 * the host accepts; otherwise false with the reason in @p msg. */
bool ud_work_notify(struct ud_work *k, const struct ud_work_plan *p, const uint8_t *data,
                    uint16_t len, char *msg, size_t cap);

/** @brief The host set DTR to @p on (SET_CONTROL_LINE_STATE acknowledged). */
void ud_work_set_dtr(struct ud_work *k, bool on);

/** @brief With control lines: the host has seen the levels its DTR brings (true if the plan
 * has none). */
bool ud_work_lines_done(const struct ud_work *k, const struct ud_work_plan *p);

/** @brief Every unit written, every unit not lost answered. */
bool ud_work_done(const struct ud_work *k, const struct ud_work_plan *p);

/** @brief Units written and not yet answered (lost and silent ones excluded), and the one
 * being written. */
unsigned ud_work_pending(const struct ud_work *k, const struct ud_work_plan *p);

/** @brief The plan's name for a unit, "unit" if it has none. */
const char *ud_work_noun(const struct ud_work_plan *p);

/** @brief One line on where the workload stands, for reports. */
void ud_work_describe(const struct ud_work *k, const struct ud_work_plan *p, char *buf, size_t cap);

#endif /* UD_SIM_WORKLOAD_H */
