/* SPDX-License-Identifier: MIT */
/* The protocol side of a USB/IP connection: operations, URB headers and payloads, replies.
 * See usbip_server.h for the behaviour and usbip_conn.h for the structures. */
#include "usbip_conn.h"

#include <stdlib.h>
#include <string.h>

static void refuse_import(struct ud_usbip_server *s, struct ud_usbip_conn *c, const char *why)
{
	uint8_t op[UD_USBIP_OP_LEN];

	ud_usbip_build_op(op, UD_USBIP_OP_REP_IMPORT, UD_USBIP_ST_NA);
	s->st.refused++;
	ud_usbip_log(s, c, "OP_REQ_IMPORT refused: %s", why);
	if (ud_usbip_conn_send(s, c, op, sizeof(op), NULL, 0))
		c->phase = UD_USBIP_PH_DRAIN;
}

static void op_devlist(struct ud_usbip_server *s, struct ud_usbip_conn *c)
{
	uint8_t head[UD_USBIP_OP_LEN + 4] = {0};
	uint8_t rec[UD_USBIP_DEV_LEN + UD_USBIP_INTF_LEN * UD_USBIP_MAX_INTF];
	size_t n = ud_usbip_build_device(rec, &s->rec, true);

	ud_usbip_build_op(head, UD_USBIP_OP_REP_DEVLIST, UD_USBIP_ST_OK);
	head[UD_USBIP_OP_LEN + 3] = 1; /* one device */
	s->st.devlists++;
	if (s->cfg.verbose)
		ud_usbip_log(s, c, "OP_REQ_DEVLIST: 1 device");
	if (ud_usbip_conn_send(s, c, head, sizeof(head), rec, n))
		c->phase = UD_USBIP_PH_DRAIN;
}

static void on_complete(void *ctx, const struct ud_usbip_urb *u, int32_t status, uint32_t actual);

static void op_import(struct ud_usbip_server *s, struct ud_usbip_conn *c, const char *busid)
{
	uint8_t reply[UD_USBIP_OP_LEN + UD_USBIP_DEV_LEN];
	char err[200], why[300];

	if (strcmp(busid, s->rec.busid) != 0) {
		snprintf(why, sizeof(why), "no device with bus id '%s' (this server exports '%s')",
		         busid, s->rec.busid);
		refuse_import(s, c, why);
		return;
	}
	if (s->importer) {
		snprintf(why, sizeof(why), "bus id %s is in use by %s", busid, s->importer->peer);
		refuse_import(s, c, why);
		return;
	}
	if (ud_usbip_device_attach(s->w, s->cfg.device, &s->cfg.opt, err, sizeof(err)) != 0) {
		refuse_import(s, c, err);
		return;
	}
	ud_usbip_engine_init(&s->eng, s->w, on_complete, s, s->cfg.faults);
	s->importer = c;
	s->idle_rounds = 0;
	s->st.imports++;
	ud_usbip_build_op(reply, UD_USBIP_OP_REP_IMPORT, UD_USBIP_ST_OK);
	ud_usbip_build_device(reply + UD_USBIP_OP_LEN, &s->rec, false);
	ud_usbip_log(s, c, "OP_REQ_IMPORT %s: device '%s' attached", busid, s->cfg.device);
	if (ud_usbip_conn_send(s, c, reply, sizeof(reply), NULL, 0))
		c->phase = UD_USBIP_PH_HDR;
}

static void on_complete(void *ctx, const struct ud_usbip_urb *u, int32_t status, uint32_t actual)
{
	struct ud_usbip_server *s = ctx;
	struct ud_usbip_conn *c = s->importer;
	struct ud_usbip_ret ret = {
		.command = UD_USBIP_RET_SUBMIT, .seqnum = u->seqnum, .status = status};
	uint8_t hdr[UD_USBIP_HDR_LEN];

	/* For OUT the client wants the bytes taken, for IN the bytes that follow. */
	ret.actual = actual;
	ud_usbip_build_ret(hdr, &ret);
	s->st.completed++;
	c->urbs++;
	if (s->cfg.verbose)
		ud_usbip_log(s, c, "RET_SUBMIT seqnum %u ep %u %s: status %d, actual %u of %u",
		             u->seqnum, u->epnum, u->in ? "IN" : "OUT", status, actual, u->len);
	ud_usbip_conn_send(s, c, hdr, sizeof(hdr), u->buf, u->in ? actual : 0);
}

static uint32_t devid(const struct ud_usbip_server *s)
{
	return (s->rec.busnum << 16) | s->rec.devnum;
}

static void send_ret_unlink(struct ud_usbip_server *s, struct ud_usbip_conn *c, uint32_t seqnum,
                            int32_t status)
{
	struct ud_usbip_ret ret = {
		.command = UD_USBIP_RET_UNLINK, .seqnum = seqnum, .status = status};
	uint8_t hdr[UD_USBIP_HDR_LEN];

	ud_usbip_build_ret(hdr, &ret);
	ud_usbip_conn_send(s, c, hdr, sizeof(hdr), NULL, 0);
}

/* Seqnums in serial-number order (they wrap): true if @p a comes after @p b. */
static bool seq_after(uint32_t a, uint32_t b)
{
	return (uint32_t)(a - b) - 1u < 0x7fffffffu;
}

/*
 * Linux's vhci-hcd sends its queued CMD_SUBMITs, then its queued CMD_UNLINKs; a URB submitted
 * and unlinked in the moment between the two overtakes its own submit, so a CMD_UNLINK can
 * arrive before the CMD_SUBMIT it cancels. Answering it "not pending" (status 0, as
 * usbip-host does) makes vhci give the URB back at once and then take its RET_SUBMIT for a
 * protocol error and drop the connection. So an unlink of a seqnum later than every submit
 * seen so far is kept here; when that submit arrives the URB is dropped unanswered and the
 * unlink answered -ECONNRESET. Submits arrive in seqnum order, so a kept unlink whose URB was
 * overtaken by a later submit will never meet it: it is answered 0 then.
 * @return true if the URB @p seqnum was unlinked before it arrived.
 */
static bool unlinked_early(struct ud_usbip_server *s, struct ud_usbip_conn *c, uint32_t seqnum)
{
	bool hit = false;
	unsigned i = 0;

	c->last_submit = seqnum;
	c->any_submit = true;
	while (i < c->n_early) {
		const struct ud_usbip_early_unlink *e = &c->early[i];

		if (e->unlink_seqnum == seqnum && !hit) {
			send_ret_unlink(s, c, e->seqnum, -UD_USBIP_ECONNRESET);
			s->st.unlinked++;
			hit = true;
		} else if (e->unlink_seqnum == seqnum || seq_after(seqnum, e->unlink_seqnum)) {
			/* A second unlink of the same URB, or one whose URB will not come. */
			send_ret_unlink(s, c, e->seqnum, 0);
		} else {
			i++;
			continue;
		}
		c->n_early--;
		memmove(&c->early[i], &c->early[i + 1], (c->n_early - i) * sizeof(c->early[0]));
	}
	return hit;
}

static void cmd_submit(struct ud_usbip_server *s, struct ud_usbip_conn *c,
                       const struct ud_usbip_cmd *cmd)
{
	struct ud_usbip_urb *u;

	if (s->eng.pending >= UD_USBIP_MAX_URBS) {
		ud_usbip_conn_close(s, c, true, "CMD_SUBMIT seqnum %u: more than %u URBs in flight",
		                    cmd->seqnum, UD_USBIP_MAX_URBS);
		return;
	}
	if (s->eng.pending_bytes + cmd->length > UD_USBIP_MAX_PENDING_BYTES) {
		ud_usbip_conn_close(s, c, true,
		                    "CMD_SUBMIT seqnum %u: more than %u bytes of URBs in flight",
		                    cmd->seqnum, UD_USBIP_MAX_PENDING_BYTES);
		return;
	}
	u = calloc(1, sizeof(*u));
	if (u && cmd->length > 0)
		u->buf = malloc(cmd->length);
	if (!u || (cmd->length > 0 && !u->buf)) {
		ud_usbip_urb_free(u);
		ud_usbip_conn_close(s, c, false, "out of memory for a %u-byte URB", cmd->length);
		return;
	}
	u->seqnum = cmd->seqnum;
	u->flags = cmd->flags;
	u->len = cmd->length;
	u->epnum = (uint8_t)cmd->ep;
	u->in = cmd->direction == UD_USBIP_DIR_IN;
	memcpy(u->setup, cmd->setup, sizeof(u->setup));
	s->st.submitted++;
	if (s->cfg.verbose)
		ud_usbip_log(s, c,
		             "CMD_SUBMIT seqnum %u ep %u %s len %u flags 0x%x setup "
		             "%02x%02x%02x%02x%02x%02x%02x%02x",
		             u->seqnum, u->epnum, u->in ? "IN" : "OUT", u->len, u->flags,
		             u->setup[0], u->setup[1], u->setup[2], u->setup[3], u->setup[4],
		             u->setup[5], u->setup[6], u->setup[7]);
	c->rx_drop = unlinked_early(s, c, u->seqnum);
	if (c->fd < 0) { /* closed: out of memory for the replies */
		ud_usbip_urb_free(u);
		return;
	}
	if (ud_usbip_cmd_payload(cmd) > 0) {
		c->rx_urb = u;
		c->have = 0;
		c->phase = UD_USBIP_PH_PAYLOAD;
		return;
	}
	if (c->rx_drop)
		ud_usbip_urb_free(u);
	else
		ud_usbip_engine_submit(&s->eng, u);
}

static void cmd_unlink(struct ud_usbip_server *s, struct ud_usbip_conn *c,
                       const struct ud_usbip_cmd *cmd)
{
	bool hit = ud_usbip_engine_unlink(&s->eng, cmd->unlink_seqnum);

	s->st.unlinks++;
	if (!hit && (!c->any_submit || seq_after(cmd->unlink_seqnum, c->last_submit))) {
		/* Its CMD_SUBMIT is still on the way (see unlinked_early()). */
		if (c->n_early == UD_USBIP_EARLY_UNLINKS) {
			send_ret_unlink(s, c, c->early[0].seqnum, 0);
			c->n_early--;
			memmove(&c->early[0], &c->early[1], c->n_early * sizeof(c->early[0]));
		}
		c->early[c->n_early].seqnum = cmd->seqnum;
		c->early[c->n_early++].unlink_seqnum = cmd->unlink_seqnum;
		if (s->cfg.verbose)
			ud_usbip_log(s, c, "CMD_UNLINK seqnum %u of seqnum %u: before its submit",
			             cmd->seqnum, cmd->unlink_seqnum);
		return;
	}
	/* -ECONNRESET: the URB was pending and will never be answered; 0: it was already
	 * answered, its RET_SUBMIT is the client's answer. */
	s->st.unlinked += hit;
	if (s->cfg.verbose)
		ud_usbip_log(s, c, "CMD_UNLINK seqnum %u of seqnum %u: %s", cmd->seqnum,
		             cmd->unlink_seqnum, hit ? "unlinked" : "not pending");
	send_ret_unlink(s, c, cmd->seqnum, hit ? -UD_USBIP_ECONNRESET : 0);
}

/* A URB header the parser rejected: say exactly what was wrong with it. */
static void bad_header(struct ud_usbip_server *s, struct ud_usbip_conn *c,
                       const struct ud_usbip_cmd *cmd, enum ud_usbip_err e)
{
	char detail[80] = "";

	switch (e) {
	case UD_USBIP_E_COMMAND:
		snprintf(detail, sizeof(detail), " 0x%08x", cmd->command);
		break;
	case UD_USBIP_E_DIRECTION:
		snprintf(detail, sizeof(detail), " (direction %u)", cmd->direction);
		break;
	case UD_USBIP_E_EP:
		snprintf(detail, sizeof(detail), " (ep %u)", cmd->ep);
		break;
	case UD_USBIP_E_LENGTH:
		snprintf(detail, sizeof(detail), " %u (limit %u)", cmd->length, UD_USBIP_MAX_XFER);
		break;
	case UD_USBIP_E_ISO:
		snprintf(detail, sizeof(detail), " (number_of_packets %d)", (int)cmd->npackets);
		break;
	default:
		break;
	}
	ud_usbip_conn_close(s, c, true, "%s seqnum %u: %s%s", ud_usbip_command_name(cmd->command),
	                    cmd->seqnum, ud_usbip_err_name(e), detail);
}

static void urb_header(struct ud_usbip_server *s, struct ud_usbip_conn *c)
{
	struct ud_usbip_cmd cmd;
	enum ud_usbip_err e = ud_usbip_parse_cmd(c->hdr, &cmd);

	c->have = 0;
	if (e != UD_USBIP_OK) {
		bad_header(s, c, &cmd, e);
		return;
	}
	if (cmd.devid != devid(s)) {
		ud_usbip_conn_close(
			s, c, true, "%s seqnum %u: devid 0x%08x is not the device's 0x%08x",
			ud_usbip_command_name(cmd.command), cmd.seqnum, cmd.devid, devid(s));
		return;
	}
	if (cmd.command == UD_USBIP_CMD_SUBMIT)
		cmd_submit(s, c, &cmd);
	else
		cmd_unlink(s, c, &cmd);
}

static void op_header(struct ud_usbip_server *s, struct ud_usbip_conn *c)
{
	struct ud_usbip_op op;
	enum ud_usbip_err e = ud_usbip_parse_op_request(c->hdr, &op);

	c->have = 0;
	if (e == UD_USBIP_E_VERSION) {
		ud_usbip_conn_close(s, c, true, "operation header: %s 0x%04x (expected 0x%04x)",
		                    ud_usbip_err_name(e), op.version, UD_USBIP_VERSION);
	} else if (e != UD_USBIP_OK) {
		ud_usbip_conn_close(s, c, true, "operation header: %s 0x%04x", ud_usbip_err_name(e),
		                    op.code);
	} else if (op.code == UD_USBIP_OP_REQ_DEVLIST) {
		op_devlist(s, c);
	} else {
		c->phase = UD_USBIP_PH_BUSID;
	}
}

static void busid_field(struct ud_usbip_server *s, struct ud_usbip_conn *c)
{
	char busid[UD_USBIP_BUSID_LEN];

	c->have = 0;
	if (ud_usbip_parse_busid(c->hdr, busid) != UD_USBIP_OK) {
		ud_usbip_conn_close(s, c, true, "OP_REQ_IMPORT: %s",
		                    ud_usbip_err_name(UD_USBIP_E_BUSID));
		return;
	}
	op_import(s, c, busid);
}

/* Bytes of the fixed-size field of the current phase. */
static uint32_t field_len(uint8_t phase)
{
	switch (phase) {
	case UD_USBIP_PH_OP:
		return UD_USBIP_OP_LEN;
	case UD_USBIP_PH_BUSID:
		return UD_USBIP_BUSID_LEN;
	default:
		return UD_USBIP_HDR_LEN;
	}
}

/* Take payload bytes of the URB being received; submit it once complete. */
static size_t payload(struct ud_usbip_server *s, struct ud_usbip_conn *c, const uint8_t *p,
                      size_t n)
{
	struct ud_usbip_urb *u = c->rx_urb;
	size_t take = u->len - c->have;

	if (take > n)
		take = n;
	memcpy(u->buf + c->have, p, take);
	c->have += (uint32_t)take;
	if (c->have == u->len) {
		c->rx_urb = NULL;
		c->have = 0;
		c->phase = UD_USBIP_PH_HDR;
		if (c->rx_drop)
			ud_usbip_urb_free(u);
		else
			ud_usbip_engine_submit(&s->eng, u);
	}
	return take;
}

bool ud_usbip_conn_feed(struct ud_usbip_server *s, struct ud_usbip_conn *c, const uint8_t *p,
                        size_t n)
{
	while (n > 0 && c->fd >= 0 && c->phase != UD_USBIP_PH_DRAIN) {
		size_t take;
		uint32_t need;

		if (c->phase == UD_USBIP_PH_PAYLOAD) {
			take = payload(s, c, p, n);
			p += take;
			n -= take;
			continue;
		}
		need = field_len(c->phase);
		take = need - c->have < n ? need - c->have : n;
		memcpy(c->hdr + c->have, p, take);
		c->have += (uint32_t)take;
		p += take;
		n -= take;
		if (c->have < need)
			break;
		if (c->phase == UD_USBIP_PH_OP)
			op_header(s, c);
		else if (c->phase == UD_USBIP_PH_BUSID)
			busid_field(s, c);
		else
			urb_header(s, c);
	}
	return c->fd >= 0;
}

void ud_usbip_conn_eof(struct ud_usbip_server *s, struct ud_usbip_conn *c, const char *error)
{
	const char *how = error ? error : "the client closed the connection";

	if (c->phase == UD_USBIP_PH_PAYLOAD) {
		ud_usbip_conn_close(s, c, true,
		                    "%s in the middle of the OUT data of CMD_SUBMIT "
		                    "seqnum %u (%u of %u bytes)",
		                    how, c->rx_urb->seqnum, c->have, c->rx_urb->len);
	} else if (c->have > 0 && c->phase != UD_USBIP_PH_DRAIN) {
		ud_usbip_conn_close(s, c, true, "%s in the middle of %s (%u of %u bytes)", how,
		                    c->phase == UD_USBIP_PH_HDR     ? "a URB header"
		                    : c->phase == UD_USBIP_PH_BUSID ? "the bus id of OP_REQ_IMPORT"
		                                                    : "an operation header",
		                    c->have, field_len(c->phase));
	} else if (s->importer == c) {
		ud_usbip_conn_close(s, c, false, "%s (detached)", how);
	} else {
		ud_usbip_conn_close(s, c, false, "%s", how);
	}
}
