/* SPDX-License-Identifier: MIT */
/*
 * The CDC-ACM function: configuration checks, descriptors, and what happens when the
 * configuration is entered or left. The data path is in cdc_stream.c, class requests and
 * SERIAL_STATE in cdc_requests.c.
 */
#include <string.h>

#include "cdc_internal.h"

#define CDC_CLASS_COMM 0x02u
#define CDC_SUBCLASS_ACM 0x02u
#define CDC_PROTOCOL_NONE 0x00u
#define CDC_CLASS_DATA 0x0au
#define CDC_CS_INTERFACE 0x24u
#define CDC_FD_HEADER 0x00u
#define CDC_FD_CALL_MGMT 0x01u
#define CDC_FD_ACM 0x02u
#define CDC_FD_UNION 0x06u
/* ACM bmCapabilities: D1 line coding, control line state, SERIAL_STATE; D2 SEND_BREAK. */
#define CDC_ACM_CAPS 0x06u

/* A power of two, at least @p min (which is not 0). */
static bool pow2(uint32_t n, uint32_t min)
{
	return n >= min && !(n & (n - 1u));
}

static bool config_ok(const struct ud_cdc_config *cfg)
{
	if (!cfg->rx_buf || !cfg->tx_buf || !pow2(cfg->rx_size, CDC_DATA_MPS_FS) ||
	    !pow2(cfg->tx_size, 1))
		return false;
	if (cfg->context > UD_CDC_CTX_OTHER || (cfg->flags & ~CDC_FLAGS_BUILT))
		return false;
	if (!cfg->lock != !cfg->unlock)
		return false;
#if !UD_CDC_OTHER_CONTEXT
	if (cfg->context != UD_CDC_CTX_TASK || cfg->lock)
		return false; /* left out of this build (ud_cdc.h) */
#endif
	/* An initial coding the host could not set: Windows writes back what GET_LINE_CODING
	 * gave, and the refusal of that write fails the opening of the port. */
	if (cfg->line_coding.rate && !cdc_lc_valid(&cfg->line_coding))
		return false;
	/* Dropping the oldest bytes moves the other side's index: from another context that
	 * needs the lock. */
	return !(cfg->context == UD_CDC_CTX_OTHER && cfg->flags && !cfg->lock);
}

static const struct ud_function_ops cdc_ops;

int ud_cdc_init(struct ud_cdc *c, const struct ud_cdc_config *cfg)
{
	static const struct ud_cdc_line_coding dflt = {115200, 0, 0, 8};

	if (!c || !cfg || !config_ok(cfg))
		return UD_ERR_INVAL;
	memset(c, 0, sizeof(*c));
	c->cfg = cfg; /* kept, not copied: ud_cdc.h says it must outlive the port */
	c->line_coding = cfg->line_coding.rate ? cfg->line_coding : dflt;
	/* The context is 0 or 1 (config_ok()); lock and unlock are set together. */
	c->flags = (uint8_t)(cfg->flags | (unsigned)cfg->context * CDC_F_OTHER |
	                     (unsigned)!!cfg->lock * CDC_F_LOCK |
	                     (unsigned)!!cfg->on_rx * CDC_F_ON_RX |
	                     (unsigned)!!cfg->on_tx * CDC_F_ON_TX);
	c->tx_rare = (uint8_t)CDC_TX_OVERWRITE(c); /* CDC_TX_OVW or 0 */
	c->fn.ops = &cdc_ops;
	c->fn.name = "cdc";
	c->rx.buf = cfg->rx_buf;
	c->rx.size = cfg->rx_size;
	c->tx.buf = cfg->tx_buf;
	c->tx.size = cfg->tx_size;
#if UD_STREAMS
	c->rx_stream.ring = &c->rx;
	c->rx_stream.bounce = c->rx_bounce;
	c->rx_stream.wake = (uint8_t) !!cfg->on_rx;
	c->tx_stream.ring = &c->tx;
	c->tx_stream.wake = (uint8_t) !!cfg->on_tx;
#if UD_CDC_OVERWRITE
	c->tx_stream.bounce = c->tx_bounce; /* else NULL: a packet is cut at the ring's end */
#endif
#endif
	c->rx_req.complete = ud_cdc_rx_done;
	c->tx_req.complete = ud_cdc_tx_done;
	c->ntf_req.complete = ud_cdc_notify_done;
	c->ntf_req.buf = c->ntf_buf;
	c->ntf_req.length = CDC_SERIAL_STATE_LEN;
	return 0;
}

/* ---------------------------------------------------------------- descriptors */

/* The function's descriptors (ud_desc_add_function() fills in the numbers): an IAD, the
 * communication interface with the functional descriptors of CDC 1.2 / PSTN 1.2 (header, CDC
 * 1.20; call management: none by the device, data on the data interface; ACM; union) and the
 * notification endpoint, then the data interface with bulk OUT and IN. One descriptor per
 * line, as the host reads them. */
/* clang-format off */
static const uint8_t cdc_desc[] = {
	8, UD_DESC_IAD, 0, 2, CDC_CLASS_COMM, CDC_SUBCLASS_ACM, CDC_PROTOCOL_NONE, 1,
	9, UD_DESC_INTERFACE, 0, 0, 1, CDC_CLASS_COMM, CDC_SUBCLASS_ACM, CDC_PROTOCOL_NONE, 1,
	5, CDC_CS_INTERFACE, CDC_FD_HEADER, 0x20, 0x01,
	5, CDC_CS_INTERFACE, CDC_FD_CALL_MGMT, 0x00, 1,
	4, CDC_CS_INTERFACE, CDC_FD_ACM, CDC_ACM_CAPS,
	5, CDC_CS_INTERFACE, CDC_FD_UNION, 0, 1,
	7, UD_DESC_ENDPOINT, 0x81, UD_EP_INTERRUPT, CDC_NOTIFY_MPS, 0, CDC_NOTIFY_INTERVAL_FS,
	9, UD_DESC_INTERFACE, 1, 0, 2, CDC_CLASS_DATA, 0, 0, 0,
	7, UD_DESC_ENDPOINT, 0x02, UD_EP_BULK, CDC_DATA_MPS_FS, 0, 0,
	7, UD_DESC_ENDPOINT, 0x83, UD_EP_BULK, CDC_DATA_MPS_FS, 0, 0,
};
/* clang-format on */
/* Where the bytes naming an interface are: after the IAD (8), the interface (9), the header
 * (5), in call management (5) and union. */
static const uint8_t cdc_intf_refs[] = {
	8 + 9 + 5 + 4,         /* call management's bDataInterface */
	8 + 9 + 5 + 5 + 4 + 3, /* union's bControlInterface */
	8 + 9 + 5 + 5 + 4 + 4, /* union's bSubordinateInterface0 */
};
static const struct ud_desc_template cdc_template = {cdc_desc, cdc_intf_refs, sizeof(cdc_desc),
                                                     sizeof(cdc_intf_refs)};

static int cdc_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct ud_cdc *c = cdc_of(fn);
	int istr = 0;
	uint8_t ep[3]; /* notification IN, data OUT, data IN */

	/* A high-speed capable port may run 512-byte packets: the bounce buffer(s) and the
	 * receive ring must hold one. */
	uint32_t mps_max =
		(dev->port->caps->speeds & UD_SPEED_HIGH) ? CDC_DATA_MPS_HS : CDC_DATA_MPS_FS;
	if (mps_max > UD_CDC_MAX_PACKET || c->rx.size < mps_max)
		return UD_ERR_NOSPACE;
	if (c->cfg->interface_name) {
		istr = ud_desc_add_string(dev, c->cfg->interface_name);
		if (istr < 0)
			return istr;
	}
	int rc = ud_desc_add_function(dev, &cdc_template, (uint8_t)istr, ep);
	if (rc)
		return rc;
	/* SERIAL_STATE's header, the same in every notification (ud_cdc_notify_kick() writes the
	 * state after it): device to host, class, interface; wValue 0; wIndex the communication
	 * interface; wLength 2, the UART state bitmap. The zero bytes are ud_cdc_init()'s. */
	c->ntf_buf[0] = CDC_BM_IN;
	c->ntf_buf[1] = UD_CDC_NOTIFY_SERIAL_STATE;
	c->ntf_buf[4] = fn->first_interface;
	c->ntf_buf[6] = CDC_SERIAL_STATE_LEN - 8u;
	c->ep_notify = ep[0];
	c->ep_out = ep[1];
	c->ep_in = ep[2];
	return 0;
}

/* ---------------------------------------------------------------- lifecycle */

/* Move the data through streams where the port has them (ud_stream.h): the port then fills
 * the receive ring and empties the transmit ring itself, with no request per packet. Not in an
 * overwrite mode, whose rings the writer changes on the consumer's side (receive: the endpoint
 * stays armed whatever the room; transmit: a packet goes from a copy). Otherwise, and if a
 * start fails, with requests. */
static void cdc_rx_stream(struct ud_cdc *c)
{
#if UD_STREAMS
	if (CDC_RX_OVERWRITE(c))
		return;
	if (ud_ep_stream_start(c->fn.dev, c->ep_out, &c->rx_stream) == 0)
		c->rx_busy |= CDC_STREAM;
#else
	(void)c;
#endif
}

static void cdc_tx_stream(struct ud_cdc *c)
{
#if UD_STREAMS
	if (CDC_TX_OVERWRITE(c))
		return;
	if (ud_ep_stream_start(c->fn.dev, c->ep_in, &c->tx_stream) == 0)
		c->tx_busy |= CDC_STREAM;
#else
	(void)c;
#endif
}

static void cdc_enable(struct ud_function *fn)
{
	struct ud_cdc *c = cdc_of(fn);

	/* One packet per transfer (ud_cdc_rx_arm()); cdc_mps() reads the size here. */
	c->rx_req.length = ud_ep_max_packet(fn->dev, c->ep_in);
	c->tx_req.length = 0; /* a new host session: no transfer of the old one is open */
	/* Send the levels whatever they are: a host that kept its old view across the reset
	 * (Linux's reset-resume keeps the tty's last SERIAL_STATE) would otherwise go on showing
	 * a carrier that dropped meanwhile. It waits at the port until the host polls. */
	c->ss_sent = CDC_SS_UNKNOWN;
	c->rx_busy |= CDC_ON;
	cdc_rx_stream(c);
	c->tx_busy |= CDC_ON;
	cdc_tx_stream(c);
	UD_STORE(&c->ntf_busy, UD_LOAD(&c->ntf_busy) | CDC_ON); /* ud_cdc_configured() */
	ud_cdc_poll(c);
	if (c->cfg->on_state)
		c->cfg->on_state(c, true);
}

/* The endpoints close after this; the transfers in flight end with UD_ERR_SHUTDOWN and their
 * completions keep what moved (ud_cdc.h: both rings are kept). */
static void cdc_disable(struct ud_function *fn)
{
	struct ud_cdc *c = cdc_of(fn);

#if UD_STREAMS
	/* The streams stop now, not when the endpoints close after this: on_state may clear the
	 * transmit ring, whose tail must then be the class's (a packet the host took meanwhile
	 * is committed first). */
	if (c->rx_busy & CDC_STREAM)
		(void)ud_ep_stream_stop(fn->dev, c->ep_out);
	if (c->tx_busy & CDC_STREAM)
		(void)ud_ep_stream_stop(fn->dev, c->ep_in);
#endif
	c->rx_busy &= (uint8_t) ~(CDC_ON | CDC_STREAM);
	c->tx_busy &= (uint8_t) ~(CDC_ON | CDC_STREAM);
	UD_STORE(&c->ntf_busy, (uint8_t)(UD_LOAD(&c->ntf_busy) & ~CDC_ON));
	if (UD_LOAD(&c->lines)) {
		UD_STORE(&c->lines, 0);
		if (c->cfg->on_control_line)
			c->cfg->on_control_line(c, 0);
	}
	if (c->break_on) { /* a break "until further notice" whose host is gone: end it */
		c->break_on = 0;
		if (c->cfg->on_break)
			c->cfg->on_break(c, 0);
	}
	if (c->cfg->on_state)
		c->cfg->on_state(c, false);
}

/* SET_INTERFACE re-opened the endpoints of one of our interfaces (alternate 0, the only one):
 * their requests ended; start them again. */
static void cdc_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	struct ud_cdc *c = cdc_of(fn);

	(void)intf;
	(void)alt;
#if UD_STREAMS
	/* The data interface's endpoints closing ended their streams: start them again (not
	 * after SET_INTERFACE of the communication interface, which leaves them running). */
	if ((c->rx_busy & CDC_STREAM) && !ud_ep_streaming(fn->dev, c->ep_out)) {
		c->rx_busy &= (uint8_t)~CDC_STREAM;
		cdc_rx_stream(c);
	}
	if ((c->tx_busy & CDC_STREAM) && !ud_ep_streaming(fn->dev, c->ep_in)) {
		c->tx_busy &= (uint8_t)~CDC_STREAM;
		cdc_tx_stream(c);
	}
#endif
	ud_cdc_poll(c);
}

#if UD_STREAMS
/* A stream's wake (only with on_rx / on_tx set): the port moved rx.head or tx.tail. Each
 * callback runs once for any number of packets since it last ran, also when the stream has
 * stopped since (a reset, SET_INTERFACE), as a request's completion would run it. Only
 * streams wake the function, so the marks are a stream's. */
static void cdc_poll_fn(struct ud_function *fn)
{
	struct ud_cdc *c = cdc_of(fn);
	uint32_t head = UD_LOAD(&c->rx.head);
	uint32_t tail = UD_LOAD(&c->tx.tail);

	if ((c->flags & CDC_F_ON_RX) && head != c->rx_seen) {
		c->rx_seen = head;
		c->cfg->on_rx(c);
	}
	if ((c->flags & CDC_F_ON_TX) && tail != c->tx_seen) {
		c->tx_seen = tail;
		c->cfg->on_tx(c);
	}
	ud_cdc_poll(c);
}
#endif

/* Every frame: pick up what the application did from another context, in case nobody called
 * ud_cdc_poll() (ports that report SOF only). */
static void cdc_sof(struct ud_function *fn, uint16_t frame)
{
	(void)frame;
	ud_cdc_poll(cdc_of(fn));
}

static const struct ud_function_ops cdc_ops = {
	.bind = cdc_bind,
	.enable = cdc_enable,
	.disable = cdc_disable,
	.set_alt = cdc_set_alt,
	.control = ud_cdc_control,
	.sof = cdc_sof,
#if UD_STREAMS
	.poll = cdc_poll_fn,
#endif
};

void ud_cdc_poll(struct ud_cdc *c)
{
	if (!c)
		return;
	ud_cdc_rx_arm(c); /* each does nothing while the port is not enabled */
	ud_cdc_tx_kick(c);
	ud_cdc_notify_kick(c);
}

/* ---------------------------------------------------------------- queries */

bool ud_cdc_configured(const struct ud_cdc *c)
{
	/* The flag is the task's; any context reads a snapshot of it: an atomic load. */
	return c && (UD_LOAD(&c->ntf_busy) & CDC_ON);
}

uint8_t ud_cdc_lines(const struct ud_cdc *c)
{
	return c ? UD_LOAD(&c->lines) : 0;
}

struct ud_cdc_line_coding ud_cdc_line_coding(const struct ud_cdc *c)
{
	struct ud_cdc_line_coding none = {0, 0, 0, 0};
	return c ? c->line_coding : none;
}

struct ud_cdc_stats ud_cdc_stats(const struct ud_cdc *c)
{
	struct ud_cdc_stats st = {0, 0, 0, 0, 0, 0};

	if (c) { /* any context: each counter one atomic load (they may be of different moments) */
		st.rx_bytes = UD_LOAD(&c->rx.head); /* it moves by exactly the bytes received */
		/* Without overwrite, the tail less what was discarded (struct ud_cdc_counters). A
		 * clear stores the tail, then tx_unsent (release): loaded the other way round, the
		 * difference never wraps (at worst, during a clear, it counts the discarded bytes
		 * as sent for a moment). */
		uint32_t unsent = UD_LOAD_ACQ(&c->stats.tx_unsent);
		st.tx_bytes = CDC_TX_OVERWRITE(c) ? UD_LOAD(&c->stats.tx_bytes)
		                                  : UD_LOAD(&c->tx.tail) - unsent;
		st.rx_dropped = UD_LOAD(&c->stats.rx_dropped);
		st.tx_dropped = UD_LOAD(&c->stats.tx_dropped);
		st.io_errors = UD_LOAD(&c->stats.io_errors);
		st.refused = UD_LOAD(&c->stats.refused);
	}
	return st;
}
