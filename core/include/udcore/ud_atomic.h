/* SPDX-License-Identifier: MIT */
/**
 * @file ud_atomic.h
 * @brief The one way udcore shares a field between two contexts (an interrupt and the task,
 * or two threads): a C11 atomic object, read and written only through the macros below.
 *
 * Why atomics and not `volatile`: in C11 two contexts touching one plain (or merely
 * `volatile`) object, one of them writing, is a data race, and a data race is undefined
 * behaviour; a fence orders nothing unless the flag it guards is an atomic object. With
 * `UD_ATOMIC` fields the fences and the acquire/release accesses below are what the
 * standard says they are.
 *
 * What it costs: udcore only ever *loads* and *stores* an atomic (never a read-modify-write
 * such as `atomic_fetch_add`), and only on objects of 8, 16 or 32 bits. On Cortex-M0/M0+ (no
 * exclusive-access instructions), M3/M4/M7, RISC-V and x86, such a load or store is the plain
 * instruction; acquire and release add the barrier (`dmb` on Arm, `fence` on RISC-V, nothing
 * on x86) that the fences gave before. No libatomic call is ever emitted: the Cortex-M0
 * firmware example and the size probes link without one. What is measured beyond the old
 * `volatile` code comes from gcc, which sometimes puts an atomic field's address in a register
 * of its own: a few instructions per packet (docs/performance.md) and about 1 % of code size
 * (docs/size.md).
 *
 * Rules for udcore's own code:
 * - A field written in one context and read in another is declared `UD_ATOMIC(T)`.
 * - It is accessed only with the macros, never with `=` or `++`: a plain access to an atomic
 *   is an implicit sequentially consistent one, which costs a full barrier on every access.
 *   The clang builds turn `-Watomic-implicit-seq-cst` into an error on core/, class/ and
 *   port/ to hold that line.
 * - A value one context publishes is stored with `UD_STORE_REL` after the data it covers; the
 *   other context reads it with `UD_LOAD_ACQ` before reading that data.
 *
 * For C++: a C++ translation unit may include udcore's headers (to allocate the structures
 * statically), but never touches these fields. There `UD_ATOMIC(T)` is plain `T`, which has
 * the same size and alignment for the types udcore uses (checked in core/src/channel.c).
 */
#ifndef UD_ATOMIC_H
#define UD_ATOMIC_H

#ifdef __cplusplus
#define UD_ATOMIC(T) T
#else
#include <stdatomic.h>

#define UD_ATOMIC(T) _Atomic(T)

/** Read an atomic field, with no ordering: a level or a counter read for itself. */
#define UD_LOAD(p) atomic_load_explicit((p), memory_order_relaxed)
/** Read an atomic field another context published with UD_STORE_REL(), before the data the
 * value stands for: everything written before that store is visible after this load. */
#define UD_LOAD_ACQ(p) atomic_load_explicit((p), memory_order_acquire)
/** Write an atomic field, with no ordering. */
#define UD_STORE(p, v) atomic_store_explicit((p), (v), memory_order_relaxed)
/** Publish: write an atomic field after the data it covers (pairs with UD_LOAD_ACQ()). */
#define UD_STORE_REL(p, v) atomic_store_explicit((p), (v), memory_order_release)
/** Sequentially consistent store and load, for the one place where each of two contexts
 * stores a flag and then loads the other's (an endpoint stream's kick, ud_stream.h): release
 * and acquire do not order a store before a later load. */
#define UD_STORE_SC(p, v) atomic_store_explicit((p), (v), memory_order_seq_cst)
#define UD_LOAD_SC(p) atomic_load_explicit((p), memory_order_seq_cst)
#endif

#endif /* UD_ATOMIC_H */
