/* SPDX-License-Identifier: MIT */
/**
 * @file state_hash.h
 * @brief Which states are the same: a canonical projection, its hash, and the seen-state table.
 *
 * Two states that will behave the same from now on must hash the same, or the explorer
 * re-explores them; two that may behave differently must not, or it misses behaviour. The
 * projection therefore erases only what cannot influence the future:
 *
 * - the ISR-to-task channel's free-running counters (`posted`/`seen`, resets, VBUS losses,
 *   SETUP sequence and epoch, wakes, the bus-event and wake summaries) are rebased so that
 *   every `seen` copy is 0: the core only ever compares them for equality or subtracts them
 *   (ud_channel.h), and a consumed slot's payload is cleared;
 * - statistics: the vdc's counters (their breaches are checked before hashing), the host's
 *   pump counters, the workload's lost/epoch counts;
 * - whatever the device's `canon` hook erases (its statistics, its free-running counters).
 *
 * Everything else is hashed as bytes. That is sound because a world is memset at creation and
 * only ever changed field by field or copied whole, so padding stays zero, the vdc keeps unused
 * interrupt entries and endpoint fields zeroed, and pointers point into the world itself, which
 * always lives at the same address.
 *
 * The hash is 64 bits; the table keeps only hashes (hash compaction, as in SPIN): two
 * different states colliding would make the explorer skip one. With n states the chance of
 * any collision is about n^2 / 2^65: 10^-7 for 2 million states.
 */
#ifndef UD_SIM_STATE_HASH_H
#define UD_SIM_STATE_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ud_sched;

/** @brief The canonical hash of @p s. Never 0. */
uint64_t ud_state_hash(const struct ud_sched *s);

/** Seen states: open addressing, linear probing, 2^bits slots of a hash and a meta byte. */
struct ud_table {
	uint64_t *key;
	uint8_t *meta;
	size_t mask;
	size_t used;
	size_t limit; /**< stop inserting beyond this (90 % load): pruning degrades, stays sound */
	bool full;
};

/** meta bits: the remaining depth budget the state was explored with, plus one (0: not
 * explored), and liveness known. */
#define UD_META_REM 0x7fu
#define UD_META_LIVE 0x80u

/** @brief Allocate 2^@p bits slots (heap: the simulator may). @return 0 or UD_ERR_NOSPACE. */
int ud_table_init(struct ud_table *t, unsigned bits);
void ud_table_free(struct ud_table *t);
void ud_table_clear(struct ud_table *t);

/**
 * @brief The meta byte of @p h, inserting it with meta 0 if new (@p *fresh true). NULL if the
 * table is full and @p h is not in it: treat the state as new and do not record it.
 */
uint8_t *ud_table_get(struct ud_table *t, uint64_t h, bool *fresh);

/** @brief The meta byte of @p h, or NULL if it is not in the table. */
const uint8_t *ud_table_find(const struct ud_table *t, uint64_t h);

#endif /* UD_SIM_STATE_HASH_H */
