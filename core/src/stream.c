/* SPDX-License-Identifier: MIT */
/*
 * Endpoint streams (ud_stream.h): starting, kicking and stopping them. What runs per packet,
 * in the port's interrupt handler, is in stream_ring.c.
 */
#include "ud_internal.h"

#if UD_STREAMS

int ud_ep_stream_start(struct ud_device *dev, uint8_t ep, struct ud_stream *s)
{
	if (!ud_ep_valid(dev, ep) || !s || !s->ring || !s->ring->buf ||
	    (!s->bounce && !(ep & UD_DIR_IN)))
		return UD_ERR_INVAL;
	if (!(dev->open & ud_ep_bit(ep)))
		return UD_ERR_STATE;
	struct ud_ep *e = ud_ep_state(dev, ep);
	uint32_t size = s->ring->size;
	if (!size || (size & (size - 1u)) || (!(ep & UD_DIR_IN) && size < e->max_packet))
		return UD_ERR_INVAL;
	if (!dev->port->ops->ep_stream || !dev->port->ops->ep_kick)
		return UD_ERR_NOTSUP;
	if (e->head || (e->flags & UD_EPF_STREAM))
		return UD_ERR_BUSY;
	UD_STORE(&s->starved, 0);
	s->last_full = 0; /* a new stream: no transfer of the host's is open */
	s->cut = 0;       /* (`rest` and `flush_done` stay: ud_stream.h) */
	s->flush_pkt = 0;
	int rc = dev->port->ops->ep_stream(dev->port, ep, s);
	if (rc)
		return rc;
	e->flags |= UD_EPF_STREAM;
	return 0;
}

/* True if @p e, an open endpoint's state (ud_ep_open_state(): NULL if it is not open), streams. */
static bool streaming(const struct ud_ep *e)
{
	return e && (e->flags & UD_EPF_STREAM);
}

int ud_ep_stream_stop(struct ud_device *dev, uint8_t ep)
{
	if (!ud_ep_valid(dev, ep))
		return UD_ERR_INVAL;
	if (!streaming(ud_ep_open_state(dev, ep)))
		return UD_ERR_NOENT;
	dev->port->ops->ep_stream(dev->port, ep, NULL);
	ud_ep_state(dev, ep)->flags &= (uint8_t)~UD_EPF_STREAM;
	return 0;
}

bool ud_ep_streaming(const struct ud_device *dev, uint8_t ep)
{
	return streaming(ud_ep_open_state(dev, ep));
}

void ud_ep_stream_rearm(struct ud_device *dev, uint8_t ep, struct ud_stream *s)
{
	/* Unchecked, on the path of every write: the port ignores a kick to anything but the
	 * stream running on @p ep (ud_port.h). A port without streams never sets `starved`,
	 * so no kick comes here for it. */
	dev->port->ops->ep_kick(dev->port, ep, s);
}

void ud_port_report_stream(struct ud_device *dev, uint8_t ep)
{
	uint8_t fn = ud_ep_state(dev, ep)->fn;
	if (fn < dev->num_fns)
		ud_function_wake(dev->fns[fn]);
}

#else /* UD_STREAMS 0: the API stays, and answers as for a port without streams */

int ud_ep_stream_start(struct ud_device *dev, uint8_t ep, struct ud_stream *s)
{
	if (!ud_ep_valid(dev, ep) || !s || !s->ring || !s->ring->buf)
		return UD_ERR_INVAL;
	return UD_ERR_NOTSUP;
}

int ud_ep_stream_stop(struct ud_device *dev, uint8_t ep)
{
	return ud_ep_valid(dev, ep) ? UD_ERR_NOENT : UD_ERR_INVAL;
}

bool ud_ep_streaming(const struct ud_device *dev, uint8_t ep)
{
	(void)dev;
	(void)ep;
	return false;
}

void ud_ep_stream_rearm(struct ud_device *dev, uint8_t ep, struct ud_stream *s)
{
	(void)dev;
	(void)ep;
	(void)s;
}

void ud_port_report_stream(struct ud_device *dev, uint8_t ep)
{
	(void)dev;
	(void)ep;
}
#endif
