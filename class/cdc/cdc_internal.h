/* SPDX-License-Identifier: MIT */
/*
 * What the CDC class's files share (private), and the byte rings.
 *
 * A ring of `size` bytes (a power of two) has two free-running 32-bit indices: `head`,
 * written only by the producer, and `tail`, written only by the consumer. head - tail is the
 * number of bytes in the ring (0: empty, size: full, without wasting a byte), and an index's
 * position in the storage is its low bits. Every index operation is one add, subtract or mask:
 * no division (Cortex-M0 has none) and no compare-and-branch. 2^32 is a multiple of the size,
 * so the indices wrap around together with the positions.
 *
 * Lock-free single producer / single consumer. The indices are atomic (ud_atomic.h); the bytes
 * are plain, guarded by them. The producer writes the bytes, then publishes them by storing
 * `head` with release; the consumer loads `head` with acquire before it reads the bytes, then
 * stores `tail` with release once it has read them; the producer loads `tail` with acquire
 * before it reuses that space. A side reads the index it writes itself with a relaxed load
 * (nobody else moves it, or only under the lock). On x86 these are plain moves; on Arm and
 * RISC-V acquire and release are the barriers the fences used to be.
 */
#ifndef UD_CDC_INTERNAL_H
#define UD_CDC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "udcore/ud_cdc.h"

/* Endpoint sizes and intervals. The notification is 10 bytes: one 16-byte packet. */
#define CDC_NOTIFY_MPS 16u
#define CDC_NOTIFY_INTERVAL_FS 16u /* ms; at high speed 2^(8-1) microframes (ud_desc.h) */
#define CDC_DATA_MPS_FS 64u
#define CDC_DATA_MPS_HS 512u
#define CDC_LINE_CODING_LEN 7u
/* 1 where struct ud_cdc_line_coding's first 7 bytes are the line coding's wire format
 * (little endian, PSTN table 17): it is then copied as it is, not byte by byte. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CDC_LC_WIRE 1
_Static_assert(offsetof(struct ud_cdc_line_coding, stop_bits) == 4 &&
                       offsetof(struct ud_cdc_line_coding, parity) == 5 &&
                       offsetof(struct ud_cdc_line_coding, data_bits) == 6,
               "line coding: the wire layout");
#else
#define CDC_LC_WIRE 0
#endif
#define CDC_SERIAL_STATE_LEN 10u
/* ss_sent when the host's view of the level is unknown: never equal to a state to send. */
#define CDC_SS_UNKNOWN 0xffu
#define CDC_BM_IN (UD_DIR_IN | UD_REQ_TYPE_CLASS | UD_REQ_RCPT_INTERFACE) /* 0xa1 */
/* rx_busy, tx_busy, ntf_busy: a transfer may start on the endpoint when it is CDC_ON. */
#define CDC_BUSY 0x01u /* one is in flight */
#define CDC_ON 0x02u   /* the port is enabled */
/* the endpoint streams (ud_stream.h): rx_busy into, tx_busy out of the ring */
#define CDC_STREAM 0x04u
/* tx_rare: what only some transmit completions need, so that ud_cdc_tx_done() tests one byte
 * for all of it. A packet that would wrap around the transmit ring's end is sent as two
 * transfers (ud_cdc_tx_kick()). CDC_CUT: the piece up to the end has been submitted and has not
 * moved yet. CDC_CUT_REST: the bytes at the tail are the rest of such a packet, which goes even
 * if it is short (it was a whole packet). When a transfer has moved bytes, ud_cdc_tx_done()
 * turns CUT into REST and clears REST; a transfer that moved nothing changes nothing (it is
 * sent again, and so is the rest: a reset between the two transfers cannot strand it).
 * CDC_TX_DISCARDING: the task's own copy of tx_discard (which is atomic for
 * ud_cdc_tx_pending() only). CDC_TX_OVW: UD_CDC_TX_OVERWRITE, for the port's life. */
#define CDC_TX_OVW UD_CDC_TX_OVERWRITE /* 0x01: ud_cdc_init() copies the flag as it is */
#define CDC_CUT 0x02u
#define CDC_CUT_REST 0x04u /* CDC_CUT << 1 */
#define CDC_CUTS (CDC_CUT | CDC_CUT_REST)
#define CDC_TX_DISCARDING 0x08u

/* The overwrite options, if built in (UD_CDC_OVERWRITE): constant 0 otherwise, and the code
 * that handles them drops out. */
#define CDC_FLAGS_BUILT (UD_CDC_OVERWRITE ? UD_CDC_TX_OVERWRITE | UD_CDC_RX_OVERWRITE : 0u)
#define CDC_TX_OVERWRITE(c) ((c)->flags & CDC_FLAGS_BUILT & UD_CDC_TX_OVERWRITE)
#define CDC_RX_OVERWRITE(c) ((c)->flags & CDC_FLAGS_BUILT & UD_CDC_RX_OVERWRITE)
/* struct ud_cdc's flags beyond the configuration's (ud_cdc_init()): the rest of the
 * configuration the packet path tests, so that a byte test replaces a load through cfg and a
 * test of a pointer. The configuration does not change while the port is in use (ud_cdc.h). */
#if UD_CDC_OTHER_CONTEXT
#define CDC_F_OTHER 0x10u /* context UD_CDC_CTX_OTHER */
#define CDC_F_LOCK 0x20u  /* lock hooks set */
#else /* neither can be set (ud_cdc_init() refuses them): constant 0, their code drops out */
#define CDC_F_OTHER 0x00u
#define CDC_F_LOCK 0x00u
#endif
#define CDC_F_ON_RX 0x40u /* on_rx set */
#define CDC_F_ON_TX 0x80u /* on_tx set */
/* What takes ud_cdc_read() and ud_cdc_write() off their short path. */
#define CDC_F_READ_SLOW (CDC_F_OTHER | CDC_F_LOCK)
#define CDC_F_WRITE_SLOW (CDC_F_OTHER | CDC_F_LOCK | (CDC_FLAGS_BUILT & UD_CDC_TX_OVERWRITE))

/* Keeps a rarely taken path out of its caller, so that the caller's common path stays free of
 * what the rare one needs (saved registers, a stack frame). */
#if defined(__GNUC__) || defined(__clang__)
#define CDC_NOINLINE __attribute__((noinline))
#else
#define CDC_NOINLINE
#endif

/* A test whose other outcome is the packet path's: the compiler lays that one out straight. */
#if defined(__GNUC__) || defined(__clang__)
#define CDC_RARELY(x) __builtin_expect(!!(x), 0)
#else
#define CDC_RARELY(x) (x)
#endif

/* The port a member belongs to (requests need no `context`). */
#define CDC_OF(p, member) ((struct ud_cdc *)(void *)((char *)(p)-offsetof(struct ud_cdc, member)))

/* A line coding PSTN 1.2 table 17 allows: 1, 1.5 or 2 stop bits (0..2), parity none, odd,
 * even, mark or space (0..4), 5..8 or 16 data bits. The rate is not checked. */
static inline bool cdc_lc_valid(const struct ud_cdc_line_coding *lc)
{
	bool bits_ok = (unsigned)(lc->data_bits - 5) <= 3 || lc->data_bits == 16;
	return lc->stop_bits <= 2 && lc->parity <= 4 && bits_ok;
}

static inline struct ud_cdc *cdc_of(struct ud_function *fn)
{
	return CDC_OF(fn, fn);
}

/* The data packet size at the current speed: the receive request's length, which is always
 * one packet (cdc_enable()), so the size is not kept twice. */
static inline uint32_t cdc_mps(const struct ud_cdc *c)
{
	return c->rx_req.length;
}

/* Add @p n to @p c's counter @p name (struct ud_cdc_counters), which only the calling context
 * writes: a load and a store, never a read-modify-write (ud_atomic.h); relaxed, a counter
 * publishes nothing. */
#define CDC_COUNT(c, name, n) UD_STORE(&(c)->stats.name, UD_LOAD(&(c)->stats.name) + (n))

/* Add @p n bytes the transmit ring's tail skipped unsent, after the tail's store: released, so
 * that ud_cdc_stats(), which loads it first, then finds the tail at least as far (cdc.c). */
static inline void cdc_count_unsent(struct ud_cdc *c, uint32_t n)
{
	UD_STORE_REL(&c->stats.tx_unsent, UD_LOAD(&c->stats.tx_unsent) + n);
}

/** Bytes between @p tail and @p head. */
static inline uint32_t cdc_ring_used(uint32_t head, uint32_t tail)
{
	return head - tail;
}

/** Position in the storage of index @p idx. */
static inline uint32_t cdc_ring_pos(const struct ud_ring *r, uint32_t idx)
{
	return idx & (r->size - 1u);
}

void ud_cdc_ring_copy_wrap(const struct ud_ring *r, uint32_t pos, uint8_t *ext, uint32_t n,
                           bool in);

/** Copy @p n bytes between the ring, from index @p idx on and around its end, and @p ext:
 * into the ring if @p in, out of it otherwise. The common case, one piece, is inline. */
static inline void cdc_ring_copy(const struct ud_ring *r, uint32_t idx, uint8_t *ext, uint32_t n,
                                 bool in)
{
	uint32_t pos = cdc_ring_pos(r, idx);

	if (r->size - pos < n)
		ud_cdc_ring_copy_wrap(r, pos, ext, n, in);
	else if (in)
		memcpy(r->buf + pos, ext, n);
	else
		memcpy(ext, r->buf + pos, n);
}

/* The application's lock hooks, if any (ud_cdc.h): off the packet path, so one copy of each
 * (cdc_bounce.c) serves every file. None with UD_CDC_OTHER_CONTEXT 0. */
#if UD_CDC_OTHER_CONTEXT
void ud_cdc_lock(struct ud_cdc *c);
void ud_cdc_unlock(struct ud_cdc *c);
#else
static inline void ud_cdc_lock(struct ud_cdc *c)
{
	(void)c;
}
static inline void ud_cdc_unlock(struct ud_cdc *c)
{
	(void)c;
}
#endif

/* The application changed something the task side acts on: act now in task mode (@p work
 * tests its endpoint's state itself), or wake the thread that runs ud_task() (it calls
 * ud_cdc_poll()). */
static inline void cdc_app_changed(struct ud_cdc *c, void (*work)(struct ud_cdc *c))
{
	if (c->flags & CDC_F_OTHER) {
		if (c->cfg->wake)
			c->cfg->wake(c->cfg->ctx);
	} else {
		work(c);
	}
}

/* Task side of the data path and the notification (cdc_stream.c, cdc_requests.c): each is
 * idempotent and does nothing unless the port is enabled and its endpoint idle. */
void ud_cdc_rx_arm(struct ud_cdc *c);
void ud_cdc_tx_kick(struct ud_cdc *c);
void ud_cdc_notify_kick(struct ud_cdc *c);

/* Pieces of the data path shared by cdc_stream.c and cdc_bounce.c. */
bool ud_cdc_rx_submit(struct ud_cdc *c, uint8_t *buf);
void ud_cdc_tx_submit(struct ud_cdc *c, uint8_t *buf, uint32_t len, uint16_t flags);

/* Off the packet path (cdc_bounce.c): receiving into the bounce buffer (a packet that would
 * wrap around the ring's end, or overwrite mode), transmit completions with something in
 * tx_rare, and (if built) the overwrite options: sending in overwrite mode, dropping the
 * oldest bytes for ud_cdc_write(). */
void ud_cdc_rx_arm_bounce(struct ud_cdc *c, bool full);
uint32_t ud_cdc_tx_done_rare(struct ud_cdc *c, uint32_t n);
uint32_t ud_cdc_tx_overwrite(struct ud_cdc *c, uint32_t len, uint32_t room);
#if UD_CDC_OVERWRITE
bool ud_cdc_tx_kick_bounce(struct ud_cdc *c);
#endif

/* Overwrite mode's transmit bounce (only built with UD_CDC_OVERWRITE): bytes copied out of the
 * ring and not yet taken by the host, and taking @p n of them. */
static inline uint32_t cdc_tx_bounced(const struct ud_cdc *c)
{
#if UD_CDC_OVERWRITE
	return UD_LOAD(&c->tx_bounce_len);
#else
	(void)c;
	return 0;
#endif
}

static inline void cdc_tx_bounce_sent(struct ud_cdc *c, uint32_t n)
{
#if UD_CDC_OVERWRITE
	c->tx_bounce_off = (uint16_t)(c->tx_bounce_off + n);
	UD_STORE(&c->tx_bounce_len, (uint16_t)(UD_LOAD(&c->tx_bounce_len) - n));
#else
	(void)c;
	(void)n;
#endif
}

/* Request completions, set up by ud_cdc_init(). */
void ud_cdc_rx_done(struct ud_device *dev, struct ud_req *req);
void ud_cdc_tx_done(struct ud_device *dev, struct ud_req *req);
void ud_cdc_notify_done(struct ud_device *dev, struct ud_req *req);

/* The function's `control` callback (cdc_requests.c). */
int ud_cdc_control(struct ud_function *fn, const struct ud_setup *setup);

#endif /* UD_CDC_INTERNAL_H */
