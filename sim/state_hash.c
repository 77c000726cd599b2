/* SPDX-License-Identifier: MIT */
/* The canonical projection of a state, its hash, and the table of seen states.
 * See state_hash.h for what the projection may erase and why. */
#include "state_hash.h"

#include <stdlib.h>
#include <string.h>

#include "ctrl_bus.h"
#include "devices.h"
#include "scheduler.h"

/* Rebase the channel's counters so every task-side copy is 0. The core compares them only
 * for equality or by difference, so the rebased channel behaves the same. */
static void rebase(UD_ATOMIC(uint32_t) * v, uint32_t by)
{
	UD_STORE(v, UD_LOAD(v) - by);
}

static void canon_channel(struct ud_channel *ch)
{
	uint32_t r = ch->resets_seen, v = ch->vbus_losses_seen;
	unsigned i;

	for (i = 0; i < UD_EP_SLOTS; i++) {
		struct ud_chan_xfer *x = &ch->xfer[i];
		UD_STORE(&x->posted, (uint8_t)(UD_LOAD(&x->posted) - x->seen));
		x->seen = 0;
		if (UD_LOAD(&x->posted) == 0) {
			UD_STORE(&x->actual, 0); /* consumed: never read again */
			UD_STORE(&x->status, 0);
		}
	}
	if (UD_LOAD(&ch->setup_seq) == ch->setup_seen) {
		UD_STORE(&ch->setup_seq, 0);
		UD_STORE(&ch->setup[0], 0);
		UD_STORE(&ch->setup[1], 0);
		UD_STORE(&ch->setup_epoch, 0);
	} else {
		/* seen is even (a stable sequence), so the parity of seq survives. The epoch is
		 * compared with resets + vbus_losses, both rebased below. */
		rebase(&ch->setup_seq, ch->setup_seen);
		rebase(&ch->setup_epoch, r + v);
	}
	ch->setup_seen = 0;
	rebase(&ch->resets, r);
	ch->resets_seen = 0;
	rebase(&ch->reset_losses, v); /* compared with vbus_losses */
	rebase(&ch->vbus_losses, v);
	ch->vbus_losses_seen = 0;
	rebase(&ch->suspends, ch->suspends_seen);
	ch->suspends_seen = 0;
	rebase(&ch->sofs, ch->sofs_seen);
	ch->sofs_seen = 0;
	rebase(&ch->bus_events, ch->bus_events_seen); /* the summaries too: compared with != only */
	ch->bus_events_seen = 0;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

/* Four independent lanes of 8 bytes, so the multiplications overlap; the tail is
 * zero-padded. */
static uint64_t hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t a = h, b = h ^ 0x9e3779b97f4a7c15ull, c = h + 0x632be59bd9b4e019ull,
		 d = h ^ 0x85157af5ull, w[4];

	while (len >= 32) {
		memcpy(w, p, 32);
		a = (a ^ w[0]) * 0x100000001b3ull;
		b = (b ^ w[1]) * 0x100000001b3ull;
		c = (c ^ w[2]) * 0x100000001b3ull;
		d = (d ^ w[3]) * 0x100000001b3ull;
		a ^= a >> 29;
		b ^= b >> 29;
		c ^= c >> 29;
		d ^= d >> 29;
		p += 32;
		len -= 32;
	}
	if (len) {
		memset(w, 0, sizeof(w));
		memcpy(w, p, len);
		a = (a ^ w[0]) * 0x100000001b3ull;
		b = (b ^ w[1]) * 0x100000001b3ull;
		c = (c ^ w[2]) * 0x100000001b3ull;
		d = (d ^ w[3]) * 0x100000001b3ull;
	}
	return mix(a) ^ mix(b + 1) ^ mix(c + 2) ^ mix(d + 3) ^ (uint64_t)len;
}

/* Chunks of the projection are hashed separately and the last projection is kept: a chunk
 * that did not change since (most of them, from one move to the next) reuses its hash after a
 * memcmp, which is several times cheaper than hashing it. */
#define CHUNK 128u
#define NCHUNKS ((sizeof(struct ud_sched) + CHUNK - 1) / CHUNK)

static struct ud_sched prev;         /* the last projection hashed */
static uint64_t chunk_hash[NCHUNKS]; /* of prev's chunks */
static bool chunks_ready;

/* Bytes of chunk @i (the last one may be short). */
static size_t chunk_len(size_t i)
{
	return i + 1 < NCHUNKS ? CHUNK : sizeof(struct ud_sched) - i * CHUNK;
}

/* Is chunk @i wholly inside a part that is constant or unused? */
static bool skipped(size_t i, size_t world_bytes)
{
	const size_t desc = offsetof(struct ud_sched, w.dev.desc);
	const size_t host = offsetof(struct ud_sched, w.host);
	const size_t def = offsetof(struct ud_sched, w.def);
	const size_t app = offsetof(struct ud_sched, w.app);
	const size_t tail = offsetof(struct ud_sched, track);
	size_t from = i * CHUNK, to = from + CHUNK;

	return (from >= desc && to <= host) || (from >= def && to <= app) ||
	       (from >= world_bytes && to <= tail);
}

uint64_t ud_state_hash(const struct ud_sched *s)
{
	static struct ud_sched c; /* scratch: the projection */
	const struct ud_sim_explore *x = s->w.def->explore;
	size_t i, wb = ud_sched_world_bytes(s);
	uint64_t h = 0x6a09e667f3bcc908ull;

	if (!chunks_ready) {
		for (i = 0; i < NCHUNKS; i++)
			chunk_hash[i] =
				hash_bytes(i, (const char *)&prev + i * CHUNK, chunk_len(i));
		chunks_ready = true;
	}
	ud_sched_copy(&c, s);
	canon_channel(&c.w.dev.chan);
	ud_bus_canon(&c.w);
	c.w.host.pumps = 0;
	c.w.host.pump_rounds = 0;
	c.work.lost = 0;
	c.work.epochs = 0;
	if (x && x->canon)
		x->canon(&c.w);
	/* The descriptors, the device info, the registry entry and the options do not change
	 * after ud_device_start() (the builder refuses changes then): chunks wholly inside
	 * them are left out, as is the part of the app union the device does not use. Not
	 * quite constant: answering GET_DESCRIPTOR(CONFIGURATION / OTHER_SPEED) rewrites the
	 * copy's type byte and each endpoint's wMaxPacketSize and bInterval for the speed asked
	 * (desc_answers.c). The core reads endpoint sizes from its own table, never from there,
	 * and the explorer enumerates at one speed; a move that asks for OTHER_SPEED would
	 * have to hash desc.cfg. */
	for (i = 0; i < NCHUNKS; i++) {
		const char *now = (const char *)&c + i * CHUNK;
		char *was = (char *)&prev + i * CHUNK;
		size_t n = chunk_len(i);

		if (skipped(i, wb))
			continue;
		if (memcmp(now, was, n) != 0) {
			memcpy(was, now, n);
			chunk_hash[i] = hash_bytes(i, now, n);
		}
		h = mix(h ^ chunk_hash[i]) + i;
	}
	h = mix(h);
	return h ? h : 1;
}

int ud_table_init(struct ud_table *t, unsigned bits)
{
	size_t n = (size_t)1 << bits;

	memset(t, 0, sizeof(*t));
	t->key = calloc(n, sizeof(*t->key));
	t->meta = calloc(n, 1);
	if (!t->key || !t->meta) {
		ud_table_free(t);
		return UD_ERR_NOSPACE;
	}
	t->mask = n - 1;
	t->limit = n - n / 10;
	return 0;
}

void ud_table_free(struct ud_table *t)
{
	free(t->key);
	free(t->meta);
	memset(t, 0, sizeof(*t));
}

void ud_table_clear(struct ud_table *t)
{
	memset(t->key, 0, (t->mask + 1) * sizeof(*t->key));
	memset(t->meta, 0, t->mask + 1);
	t->used = 0;
	t->full = false;
}

uint8_t *ud_table_get(struct ud_table *t, uint64_t h, bool *fresh)
{
	size_t i = (size_t)h & t->mask;

	*fresh = false;
	while (t->key[i]) {
		if (t->key[i] == h)
			return &t->meta[i];
		i = (i + 1) & t->mask;
	}
	if (t->used >= t->limit) {
		t->full = true;
		*fresh = true;
		return NULL;
	}
	t->key[i] = h;
	t->used++;
	*fresh = true;
	return &t->meta[i];
}

const uint8_t *ud_table_find(const struct ud_table *t, uint64_t h)
{
	size_t i = (size_t)h & t->mask;

	while (t->key[i]) {
		if (t->key[i] == h)
			return &t->meta[i];
		i = (i + 1) & t->mask;
	}
	return NULL;
}
