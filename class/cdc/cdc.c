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
#define CDC_RING_MAX 0x7fffffffu

static bool ring_size_ok(const uint8_t *buf, uint32_t size, uint32_t min)
{
	return buf && size >= min && size <= CDC_RING_MAX;
}

static bool config_ok(const struct ud_cdc_config *cfg)
{
	bool overwrite = (cfg->flags & (UD_CDC_TX_OVERWRITE | UD_CDC_RX_OVERWRITE)) != 0;

	if (!ring_size_ok(cfg->rx_buf, cfg->rx_size, CDC_DATA_MPS_FS) ||
	    !ring_size_ok(cfg->tx_buf, cfg->tx_size, 1))
		return false;
	if (cfg->context > UD_CDC_CTX_OTHER ||
	    (cfg->flags & ~(UD_CDC_TX_OVERWRITE | UD_CDC_RX_OVERWRITE)))
		return false;
	if (!cfg->lock != !cfg->unlock)
		return false;
	/* Dropping the oldest bytes moves the other side's index: from another context that
	 * needs the lock. */
	return !(cfg->context == UD_CDC_CTX_OTHER && overwrite && !cfg->lock);
}

static void init_req(struct ud_req *req, struct ud_cdc *c, ud_req_complete_fn done)
{
	req->complete = done;
	req->context = c;
}

static const struct ud_function_ops cdc_ops;

int ud_cdc_init(struct ud_cdc *c, const struct ud_cdc_config *cfg)
{
	if (!c || !cfg || !config_ok(cfg))
		return UD_ERR_INVAL;
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->fn.ops = &cdc_ops;
	c->fn.name = "cdc";
	c->rx.buf = cfg->rx_buf;
	c->rx.size = cfg->rx_size;
	c->tx.buf = cfg->tx_buf;
	c->tx.size = cfg->tx_size;
	c->mps = CDC_DATA_MPS_FS;
	c->line = cfg->line_coding;
	if (c->line.rate == 0) {
		c->line.rate = 115200;
		c->line.stop_bits = 0;
		c->line.parity = 0;
		c->line.data_bits = 8;
	}
	init_req(&c->rx_req, c, cdc_rx_done);
	init_req(&c->tx_req, c, cdc_tx_done);
	init_req(&c->ntf_req, c, cdc_notify_done);
	c->ntf_req.buf = c->ntf_buf;
	c->ntf_req.length = CDC_SERIAL_STATE_LEN;
	return 0;
}

/* ---------------------------------------------------------------- descriptors */

/* Interfaces and endpoints, allocated in the order the descriptors name them. */
static int alloc_numbers(struct ud_cdc *c, struct ud_device *dev)
{
	int n[5];

	n[0] = ud_desc_alloc_interface(dev);
	n[1] = ud_desc_alloc_interface(dev);
	n[2] = ud_desc_alloc_endpoint(dev, true);
	n[3] = ud_desc_alloc_endpoint(dev, false);
	n[4] = ud_desc_alloc_endpoint(dev, true);
	for (unsigned i = 0; i < 5; i++)
		if (n[i] < 0)
			return n[i];
	c->intf_comm = (uint8_t)n[0];
	c->intf_data = (uint8_t)n[1];
	c->ep_notify = (uint8_t)n[2];
	c->ep_out = (uint8_t)n[3];
	c->ep_in = (uint8_t)n[4];
	return 0;
}

/* The communication interface: functional descriptors (CDC 1.2 / PSTN 1.2) and the
 * notification endpoint. */
static int add_comm_interface(struct ud_cdc *c, struct ud_device *dev, uint8_t istr)
{
	const uint8_t header[5] = {5, CDC_CS_INTERFACE, CDC_FD_HEADER, 0x20, 0x01}; /* CDC 1.20 */
	/* Call management: the device does none itself; the data interface carries the data. */
	const uint8_t call[5] = {5, CDC_CS_INTERFACE, CDC_FD_CALL_MGMT, 0x00, c->intf_data};
	const uint8_t acm[4] = {4, CDC_CS_INTERFACE, CDC_FD_ACM, CDC_ACM_CAPS};
	const uint8_t uni[5] = {5, CDC_CS_INTERFACE, CDC_FD_UNION, c->intf_comm, c->intf_data};

	int rc = ud_desc_add_interface(dev, c->intf_comm, 0, 1, CDC_CLASS_COMM, CDC_SUBCLASS_ACM,
	                               CDC_PROTOCOL_NONE, istr);
	if (rc == 0)
		rc = ud_desc_append(dev, header, sizeof(header));
	if (rc == 0)
		rc = ud_desc_append(dev, call, sizeof(call));
	if (rc == 0)
		rc = ud_desc_append(dev, acm, sizeof(acm));
	if (rc == 0)
		rc = ud_desc_append(dev, uni, sizeof(uni));
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, c->ep_notify, UD_EP_INTERRUPT, CDC_NOTIFY_MPS,
		                          CDC_NOTIFY_MPS, CDC_NOTIFY_INTERVAL_FS,
		                          CDC_NOTIFY_INTERVAL_HS);
	return rc;
}

static int add_data_interface(struct ud_cdc *c, struct ud_device *dev)
{
	int rc = ud_desc_add_interface(dev, c->intf_data, 0, 2, CDC_CLASS_DATA, 0, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, c->ep_out, UD_EP_BULK, CDC_DATA_MPS_FS,
		                          CDC_DATA_MPS_HS, 0, 0);
	if (rc == 0)
		rc = ud_desc_add_endpoint(dev, c->ep_in, UD_EP_BULK, CDC_DATA_MPS_FS,
		                          CDC_DATA_MPS_HS, 0, 0);
	return rc;
}

static int cdc_bind(struct ud_function *fn, struct ud_device *dev)
{
	struct ud_cdc *c = cdc_of(fn);
	int istr = 0;

	/* A high-speed capable port may run 512-byte packets: the bounce buffers and the
	 * receive ring must hold one. */
	uint32_t mps_max =
		(dev->port->caps->speeds & UD_SPEED_HIGH) ? CDC_DATA_MPS_HS : CDC_DATA_MPS_FS;
	if (mps_max > UD_CDC_MAX_PACKET || c->rx.size < mps_max)
		return UD_ERR_NOSPACE;
	if (c->cfg.interface_name) {
		istr = ud_desc_add_string(dev, c->cfg.interface_name);
		if (istr < 0)
			return istr;
	}
	int rc = ud_desc_function_begin(dev, CDC_CLASS_COMM, CDC_SUBCLASS_ACM, CDC_PROTOCOL_NONE,
	                                (uint8_t)istr);
	if (rc == 0)
		rc = alloc_numbers(c, dev);
	if (rc == 0)
		rc = add_comm_interface(c, dev, (uint8_t)istr);
	if (rc == 0)
		rc = add_data_interface(c, dev);
	if (rc == 0)
		rc = ud_desc_function_end(dev);
	return rc;
}

/* ---------------------------------------------------------------- lifecycle */

static void cdc_enable(struct ud_function *fn)
{
	struct ud_cdc *c = cdc_of(fn);

	c->mps = ud_ep_max_packet(fn->dev, c->ep_in);
	c->tx_open = 0; /* a new host session: no transfer of the old one is open */
	c->ss_sent = 0; /* the host assumes no carrier: send the level if it is set */
	c->enabled = 1;
	ud_cdc_poll(c);
	if (c->cfg.on_state)
		c->cfg.on_state(c, true);
}

/* The endpoints close after this; the transfers in flight end with UD_ERR_SHUTDOWN and their
 * completions keep what moved (ud_cdc.h: both rings are kept). */
static void cdc_disable(struct ud_function *fn)
{
	struct ud_cdc *c = cdc_of(fn);

	c->enabled = 0;
	if (c->lines) {
		c->lines = 0;
		if (c->cfg.on_control_line)
			c->cfg.on_control_line(c, 0);
	}
	if (c->cfg.on_state)
		c->cfg.on_state(c, false);
}

/* SET_INTERFACE re-opened the endpoints of one of our interfaces (alternate 0, the only one):
 * their requests ended; start them again. */
static void cdc_set_alt(struct ud_function *fn, uint8_t intf, uint8_t alt)
{
	(void)intf;
	(void)alt;
	ud_cdc_poll(cdc_of(fn));
}

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
	.control = cdc_control,
	.sof = cdc_sof,
};

void ud_cdc_poll(struct ud_cdc *c)
{
	if (!c || !c->enabled)
		return;
	cdc_rx_arm(c);
	cdc_tx_kick(c);
	cdc_notify_kick(c);
}

/* ---------------------------------------------------------------- queries */

bool ud_cdc_configured(const struct ud_cdc *c)
{
	return c && c->enabled;
}

uint8_t ud_cdc_lines(const struct ud_cdc *c)
{
	return c ? c->lines : 0;
}

struct ud_cdc_line_coding ud_cdc_line_coding(const struct ud_cdc *c)
{
	struct ud_cdc_line_coding none = {0, 0, 0, 0};
	return c ? c->line : none;
}

struct ud_cdc_stats ud_cdc_stats(const struct ud_cdc *c)
{
	struct ud_cdc_stats none = {0, 0, 0, 0, 0, 0};
	return c ? c->stats : none;
}
