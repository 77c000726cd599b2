/* SPDX-License-Identifier: MIT */
/* Whole transfers of the host model: control transfers, IN reads and OUT writes. Each packet
 * that is NAKed is tried again (the device is pumped in between in auto mode) up to the
 * mode's limit; a packet with the wrong IN toggle is a repeat the host drops. */
#include <string.h>

#include "host.h"
#include "world.h"

/* One IN packet that carries new data, or a final handshake. */
static void in_retry(struct ud_world *w, uint8_t epnum, struct ud_sim_result *pkt)
{
	unsigned limit = ud_host_nak_limit(&w->host), tries;

	for (tries = 0; tries < limit; tries++) {
		ud_host_in_packet(w, epnum, pkt);
		if (pkt->status == UD_SIM_NAK || (pkt->status == UD_SIM_ACK && pkt->dup))
			continue;
		return;
	}
	ud_host_fail(pkt, UD_SIM_TIMEOUT, "EP%u IN: no new data after %u tries", epnum, limit);
}

static void out_retry(struct ud_world *w, uint8_t epnum, const uint8_t *data, uint16_t len,
                      struct ud_sim_result *pkt)
{
	unsigned limit = ud_host_nak_limit(&w->host), tries;

	for (tries = 0; tries < limit; tries++) {
		ud_host_out_packet(w, epnum, data, len, pkt);
		if (pkt->status != UD_SIM_NAK)
			return;
	}
	ud_host_fail(pkt, UD_SIM_TIMEOUT, "EP%u OUT: NAKed %u times", epnum, limit);
}

/* Copy a failed packet's verdict into the transfer's result, naming the stage. */
static void stage_failed(struct ud_sim_result *r, const struct ud_sim_result *pkt,
                         const char *stage)
{
	enum ud_sim_status st = (enum ud_sim_status)pkt->status;

	if (st == UD_SIM_ACK || st == UD_SIM_OK || st == UD_SIM_NAK)
		st = UD_SIM_ERROR;
	ud_host_fail(r, st, "%s: %s%s%s", stage,
	             ud_sim_status_name((enum ud_sim_status)pkt->status),
	             pkt->message[0] ? ": " : "", pkt->message);
}

/* Receive packets into r->data until a short packet or @p maxlen bytes. */
static bool read_packets(struct ud_world *w, uint8_t epnum, uint16_t maxlen, const char *stage,
                         struct ud_sim_result *r)
{
	struct ud_sim_result pkt;
	uint16_t mps = ud_host_mps(&w->host, epnum, true);

	do {
		in_retry(w, epnum, &pkt);
		if (pkt.status != UD_SIM_ACK) {
			stage_failed(r, &pkt, stage);
			return false;
		}
		if ((uint32_t)r->len + pkt.len > maxlen) {
			ud_host_fail(r, UD_SIM_ERROR,
			             "%s: overflow: %u more bytes after %u, limit %u", stage,
			             (unsigned)pkt.len, (unsigned)r->len, (unsigned)maxlen);
			return false;
		}
		if ((uint32_t)r->len + pkt.len > UD_SIM_DATA_MAX) {
			ud_host_fail(r, UD_SIM_ERROR, "%s: more than the host's %u-byte buffer",
			             stage, UD_SIM_DATA_MAX);
			return false;
		}
		memcpy(r->data + r->len, pkt.data, pkt.len);
		r->len = (uint16_t)(r->len + pkt.len);
		if (pkt.len < mps)
			break;
	} while (r->len < maxlen);
	return true;
}

/* Send @p len bytes in max-packet pieces (one ZLP if @p len is 0, and one more after a final
 * full packet if @p zlp). */
static bool write_packets(struct ud_world *w, uint8_t epnum, const uint8_t *data, uint16_t len,
                          bool zlp, const char *stage, struct ud_sim_result *r)
{
	struct ud_sim_result pkt;
	uint16_t mps = ud_host_mps(&w->host, epnum, false);
	uint16_t off = 0, n;
	bool extra_zlp = zlp && len > 0 && len % mps == 0;

	do {
		n = (uint16_t)(len - off < mps ? len - off : mps);
		out_retry(w, epnum, data ? data + off : NULL, n, &pkt);
		if (pkt.status != UD_SIM_ACK) {
			stage_failed(r, &pkt, stage);
			return false;
		}
		off = (uint16_t)(off + n);
		r->len = off;
	} while (off < len);
	if (extra_zlp) {
		out_retry(w, epnum, NULL, 0, &pkt);
		if (pkt.status != UD_SIM_ACK) {
			stage_failed(r, &pkt, stage);
			return false;
		}
	}
	return true;
}

void ud_host_control(struct ud_world *w, const struct ud_setup *s, const uint8_t *out,
                     uint16_t out_len, struct ud_sim_result *r)
{
	struct ud_host *h = &w->host;
	struct ud_sim_result pkt;
	bool in = UD_EP_IS_IN(s->bmRequestType);

	ud_host_result_clear(r, UD_SIM_OK);
	ud_host_setup_packet(w, s, &pkt);
	if (pkt.status != UD_SIM_ACK) {
		stage_failed(r, &pkt, "setup");
		return;
	}
	/* The OUT data stage sends what the caller gave, even if that is not wLength bytes:
	 * scripts use this to test a device against a host that sends too much. */
	if (in && s->wLength > 0) {
		if (!read_packets(w, 0, s->wLength, "data stage", r))
			return;
	} else if (!in && (s->wLength > 0 || out_len > 0)) {
		if (!write_packets(w, 0, out, out_len, false, "data stage", r))
			return;
	}
	/* Status stage: a zero-length packet, always DATA1, OUT after an IN data stage and IN
	 * otherwise (also for an IN request with wLength 0: it has no data stage). */
	if (!ud_host_status_in(s)) {
		h->ep[0].toggle_out = 1;
		out_retry(w, 0, NULL, 0, &pkt);
	} else {
		h->ep[0].toggle_in = 1;
		in_retry(w, 0, &pkt);
		if (pkt.status == UD_SIM_ACK && pkt.len != 0) {
			ud_host_fail(r, UD_SIM_ERROR,
			             "status stage: %u-byte packet instead of a ZLP",
			             (unsigned)pkt.len);
			return;
		}
	}
	if (pkt.status != UD_SIM_ACK) {
		stage_failed(r, &pkt, "status stage");
		return;
	}
	if (in && s->wLength > 0)
		ud_host_learn(h, s, r->data, r->len);
}

void ud_host_read(struct ud_world *w, uint8_t epnum, uint16_t maxlen, struct ud_sim_result *r)
{
	ud_host_result_clear(r, UD_SIM_OK);
	read_packets(w, epnum, maxlen, "read", r);
}

void ud_host_write(struct ud_world *w, uint8_t epnum, const uint8_t *data, uint16_t len, bool zlp,
                   struct ud_sim_result *r)
{
	ud_host_result_clear(r, UD_SIM_OK);
	write_packets(w, epnum, data, len, zlp, "write", r);
}
