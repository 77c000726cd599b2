/* SPDX-License-Identifier: MIT */
/* The host side of an exploration: writing units, checking answers. See workload.h. */
#include "workload.h"

#include <stdio.h>
#include <string.h>

const char *ud_work_noun(const struct ud_work_plan *p)
{
	return p->noun[0] ? p->noun : "unit";
}

void ud_work_init(struct ud_work *k)
{
	memset(k, 0, sizeof(*k));
	k->seen = UD_WORK_NOT_SEEN;
}

/* The levels the host's DTR brings at the other end (a loopback plug: DTR to DCD and DSR). */
static uint8_t levels_due(const struct ud_work *k, const struct ud_work_plan *p)
{
	return k->dtr ? p->notify_levels : 0u;
}

/* Units written whose answer is still due: silent ones have none. */
static unsigned unanswered(const struct ud_work *k, const struct ud_work_plan *p)
{
	unsigned n = 0;
	for (unsigned i = k->first; i < k->next; i++)
		n += p->unit[i].silent ? 0u : 1u;
	return n;
}

/* The oldest answer due skips written silent units: nothing comes back for them. */
static void skip_silent(struct ud_work *k, const struct ud_work_plan *p)
{
	while (k->first < k->next && p->unit[k->first].silent)
		k->first++;
}

unsigned ud_work_pending(const struct ud_work *k, const struct ud_work_plan *p)
{
	return unanswered(k, p) + (k->out_off > 0 || k->out_zlp ? 1u : 0u);
}

bool ud_work_lines_done(const struct ud_work *k, const struct ud_work_plan *p)
{
	return !p->ep_notify || k->seen == levels_due(k, p);
}

bool ud_work_done(const struct ud_work *k, const struct ud_work_plan *p)
{
	return k->next == p->n && k->first == p->n && !k->out_zlp && k->in_off == 0 && !k->in_zlp;
}

void ud_work_set_dtr(struct ud_work *k, bool on)
{
	k->dtr = on ? 1u : 0u;
}

/* SERIAL_STATE (CDC PSTN 1.2, 6.5.4): bmRequestType 0xa1, bNotification 0x20, wValue 0,
 * wIndex the communication interface, wLength 2, then the 16-bit state. */
bool ud_work_notify(struct ud_work *k, const struct ud_work_plan *p, const uint8_t *data,
                    uint16_t len, char *msg, size_t cap)
{
	if (len != 10 || data[0] != 0xa1 || data[1] != 0x20 || data[2] || data[3] ||
	    data[4] != p->notify_intf || data[5] || data[6] != 2 || data[7]) {
		snprintf(msg, cap, "%u bytes that are not a SERIAL_STATE for interface %u", len,
		         p->notify_intf);
		return false;
	}
	uint16_t state = (uint16_t)(data[8] | (data[9] << 8));
	if (state != 0 && state != p->notify_levels) {
		snprintf(msg, cap,
		         "SERIAL_STATE 0x%04x: neither the levels DTR brings (0x%02x) nor none",
		         state, p->notify_levels);
		return false;
	}
	k->seen = (uint8_t)state;
	return true;
}

bool ud_work_out_next(const struct ud_work *k, const struct ud_work_plan *p, uint16_t mps,
                      uint8_t *buf, uint16_t cap, uint16_t *len)
{
	const struct ud_work_unit *u;
	uint16_t n;

	if (!p->ep_out || k->next >= p->n)
		return false;
	u = &p->unit[k->next];
	/* A new unit starts only inside the window; one already started is finished. */
	if (k->out_off == 0 && !k->out_zlp && p->window && !u->silent &&
	    unanswered(k, p) >= p->window)
		return false;
	if (k->out_zlp) {
		*len = 0;
		return true;
	}
	if (p->out_mode == UD_WORK_REPORT) {
		n = p->report < cap ? p->report : cap;
		memset(buf, 0, n);
		memcpy(buf, u->out, u->out_len < n ? u->out_len : n);
		*len = n;
		return true;
	}
	n = (uint16_t)(u->out_len - k->out_off);
	if (n > mps)
		n = mps;
	if (n > cap)
		n = cap;
	memcpy(buf, u->out + k->out_off, n);
	*len = n;
	return true;
}

static void unit_written(struct ud_work *k, const struct ud_work_plan *p)
{
	k->next++;
	k->out_off = 0;
	k->out_zlp = 0;
	skip_silent(k, p);
}

void ud_work_out_acked(struct ud_work *k, const struct ud_work_plan *p, uint16_t mps)
{
	const struct ud_work_unit *u = &p->unit[k->next];
	uint16_t n;

	if (k->out_zlp || p->out_mode == UD_WORK_REPORT) {
		unit_written(k, p);
		return;
	}
	n = (uint16_t)(u->out_len - k->out_off);
	if (n > mps)
		n = mps;
	k->out_off = (uint16_t)(k->out_off + n);
	if (k->out_off < u->out_len)
		return;
	/* The host ends a transfer that filled its last packet with a ZLP (FRAMED). */
	if (p->out_mode == UD_WORK_FRAMED && n == mps && u->out_len > 0)
		k->out_zlp = 1;
	else
		unit_written(k, p);
}

static void answered(struct ud_work *k, const struct ud_work_plan *p)
{
	k->first++;
	k->in_off = 0;
	k->in_zlp = 0;
	skip_silent(k, p);
}

static bool in_framed(struct ud_work *k, const struct ud_work_plan *p, uint16_t mps,
                      const uint8_t *data, uint16_t len, char *msg, size_t cap)
{
	const struct ud_work_unit *u = &p->unit[k->first];

	if (k->in_zlp) {
		if (len != 0) {
			snprintf(msg, cap, "answer of %s %u (%s): %u bytes where its ZLP was due",
			         ud_work_noun(p), k->first, u->label, len);
			return false;
		}
		answered(k, p);
		return true;
	}
	if (k->in_off + len > u->in_len) {
		snprintf(msg, cap,
		         "answer of %s %u (%s): %u bytes after %u, but the answer has %u: "
		         "not its answer",
		         ud_work_noun(p), k->first, u->label, len, k->in_off, u->in_len);
		return false;
	}
	if (len && memcmp(data, u->in + k->in_off, len) != 0) {
		snprintf(msg, cap, "answer of %s %u (%s): bytes %u..%u differ from the expected",
		         ud_work_noun(p), k->first, u->label, k->in_off,
		         (unsigned)(k->in_off + len));
		return false;
	}
	k->in_off = (uint16_t)(k->in_off + len);
	if (len < mps) {
		if (k->in_off != u->in_len) {
			snprintf(msg, cap, "answer of %s %u (%s) ended after %u of %u bytes",
			         ud_work_noun(p), k->first, u->label, k->in_off, u->in_len);
			return false;
		}
		answered(k, p);
	} else if (k->in_off == u->in_len) {
		k->in_zlp = 1;
	}
	return true;
}

static bool in_report(struct ud_work *k, const struct ud_work_plan *p, const uint8_t *data,
                      uint16_t len, char *msg, size_t cap)
{
	const struct ud_work_unit *u = &p->unit[k->first];
	uint16_t i;

	if (len != p->report) {
		snprintf(msg, cap, "report for %s %u (%s) is %u bytes, not %u", ud_work_noun(p),
		         k->first, u->label, len, p->report);
		return false;
	}
	for (i = 0; i < len; i++) {
		uint8_t want = i < u->in_len ? u->in[i] : 0;
		if (data[i] != want) {
			snprintf(msg, cap, "report for %s %u (%s): byte %u is %02x, expected %02x",
			         ud_work_noun(p), k->first, u->label, i, data[i], want);
			return false;
		}
	}
	answered(k, p);
	return true;
}

static bool in_stream(struct ud_work *k, const struct ud_work_plan *p, const uint8_t *data,
                      uint16_t len, char *msg, size_t cap)
{
	uint16_t i;

	for (i = 0; i < len; i++) {
		const struct ud_work_unit *u;

		while (k->first < k->next && k->in_off == p->unit[k->first].in_len)
			answered(k, p);
		u = &p->unit[k->first];
		/* An echo can overtake its unit's writing, never the bytes acknowledged. */
		if (k->first >= p->n || (k->first == k->next && k->in_off >= k->out_off)) {
			snprintf(msg, cap, "%u bytes arrived that were never written",
			         (unsigned)(len - i));
			return false;
		}
		if (data[i] != u->in[k->in_off]) {
			snprintf(msg, cap, "%s %u (%s): byte %u is %02x, expected %02x",
			         ud_work_noun(p), k->first, u->label, k->in_off, data[i],
			         u->in[k->in_off]);
			return false;
		}
		k->in_off++;
	}
	while (k->first < k->next && k->in_off == p->unit[k->first].in_len)
		answered(k, p);
	return true;
}

bool ud_work_in(struct ud_work *k, const struct ud_work_plan *p, uint16_t mps, const uint8_t *data,
                uint16_t len, char *msg, size_t cap)
{
	if (p->in_mode == UD_WORK_STREAM)
		return in_stream(k, p, data, len, msg, cap);
	if (k->first >= k->next) {
		snprintf(msg, cap, "%u bytes arrived on IN while no answer is due (%s)", len,
		         k->first < p->n ? "not yet written" : "all answered");
		return false;
	}
	if (p->in_mode == UD_WORK_REPORT)
		return in_report(k, p, data, len, msg, cap);
	return in_framed(k, p, mps, data, len, msg, cap);
}

void ud_work_fault(struct ud_work *k, const struct ud_work_plan *p, unsigned fault)
{
	unsigned lost;

	/* A new session for the control lines: the device clears them when its configuration
	 * ends, and owes the host its levels when it is configured again. */
	if (p->ep_notify && (p->lines_reset & (1u << fault))) {
		k->dtr = 0;
		k->seen = UD_WORK_NOT_SEEN;
	}
	if (!(p->resync & (1u << fault)))
		return;
	lost = unanswered(k, p);
	if (k->out_off > 0 || k->out_zlp) {
		lost += p->unit[k->next].silent ? 0u : 1u; /* no answer was due for a silent one */
		k->next++;                                 /* the unit being written is abandoned */
	}
	k->lost = (uint8_t)(k->lost + lost);
	k->epochs++;
	k->first = k->next;
	k->out_off = 0;
	k->out_zlp = 0;
	k->in_off = 0;
	k->in_zlp = 0;
}

void ud_work_describe(const struct ud_work *k, const struct ud_work_plan *p, char *buf, size_t cap)
{
	char lines[96] = "";

	if (p->ep_notify && (k->dtr || k->seen != UD_WORK_NOT_SEEN)) {
		char seen[8] = "none";
		if (k->seen != UD_WORK_NOT_SEEN)
			snprintf(seen, sizeof(seen), "0x%02x", k->seen);
		snprintf(lines, sizeof(lines), "; DTR %s, SERIAL_STATE levels seen %s, due 0x%02x",
		         k->dtr ? "on" : "off", seen, levels_due(k, p));
	}
	/* Silent units behind `first` were never answered: they do not count as answers. */
	unsigned silent = 0;
	for (unsigned i = 0; i < k->first; i++)
		silent += p->unit[i].silent;
	snprintf(buf, cap, "%u of %u %ss written, %u answered, %u still waiting for an answer%s%s",
	         k->next, p->n, ud_work_noun(p), (unsigned)(k->first - k->lost - silent),
	         ud_work_pending(k, p), k->lost ? " (some lost at a fault)" : "", lines);
}
