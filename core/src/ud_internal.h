/* SPDX-License-Identifier: MIT */
/*
 * Private interfaces between the core's modules. Nothing outside core/src includes this.
 *
 *   channel.c       the ISR side (ud_port_report_*) and the task side that consumes it
 *   device.c        lifecycle, ud_task(), bus events, configuration and interface changes
 *   endpoint.c      request queues of non-control endpoints
 *   control.c       the EP0 stage machine and the ud_ctrl_* answers
 *   std_requests.c  chapter 9 standard requests
 *   descriptors.c   the builder functions use in `bind`
 *   desc_answers.c  the descriptors the core answers with
 *   strings.c       UTF-8 to UTF-16LE
 *   msos2.c         BOS and the Microsoft OS 2.0 descriptor set
 *   stream.c        endpoint streams: start, kick, stop
 *   stream_ring.c   the ring arithmetic ports run per packet (public headers only)
 */
#ifndef UD_INTERNAL_H
#define UD_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>

#include "udcore/udcore.h"

/* Keeps a rarely taken path out of its caller, so the caller's common path needs no stack
 * frame. Only a hint: other compilers lose a few instructions, nothing else. */
#if defined(__GNUC__) || defined(__clang__)
#define UD_NOINLINE __attribute__((noinline))
#else
#define UD_NOINLINE
#endif

/* struct ud_ep.flags */
#define UD_EPF_HALTED 0x01u
#define UD_EPF_STREAM 0x02u /* a stream (ud_stream.h) runs on it: no requests */

/* struct ud_req.state */
enum {
	UD_RS_IDLE = 0,
	UD_RS_QUEUED,
	UD_RS_DONE
};

/* struct ud_ctrl.stage */
enum {
	UD_CS_IDLE = 0,
	UD_CS_DISPATCH, /* inside the SETUP handler: ud_ctrl_reply()/receive() allowed */
	UD_CS_ANSWERED, /* inside the SETUP handler, answered (UD_CS_DISPATCH + 1) */
	UD_CS_DATA_IN,  /* the three stages of a control read, adjacent: one range to test */
	UD_CS_DATA_IN_ZLP,
	UD_CS_STATUS_OUT,
	UD_CS_DATA_OUT,
	UD_CS_STATUS_IN,
	UD_CS_STALLED,
};

#define UD_NO_FN 0xffu
#define UD_ALL_FNS 0xfeu /* a request to the device (or "other"): every function is offered it */
#define UD_EP0_OUT 0x00u
#define UD_EP0_IN 0x80u

/* UD_EP_INDEX(ep) for an address with bits 4..6 clear (ud_ep_addr_ok), in one instruction
 * fewer on Thumb-1: the direction bit shifts out of the byte. */
static inline unsigned ud_ep_slot(uint8_t ep)
{
	return (uint8_t)(ep << 1) | (ep >> 7u);
}

/* The endpoint address of channel slot `slot`: ud_ep_slot()'s inverse. */
static inline uint8_t ud_slot_ep(unsigned slot)
{
	return (uint8_t)(((slot & 1u) << 7) | (slot >> 1));
}

static inline uint32_t ud_ep_bit(uint8_t ep)
{
	return 1u << ud_ep_slot(ep);
}

/* The queue state of endpoint ep, which is not EP0 (dev->ep[] has no slots for it). */
static inline struct ud_ep *ud_ep_state(struct ud_device *dev, uint8_t ep)
{
	return &dev->ep[ud_ep_slot(ep) - 2u];
}

/* An endpoint address within the configured table (direction bit and number only). */
static inline bool ud_ep_addr_ok(uint8_t ep)
{
	return (ep & 0x70u) == 0 && UD_EP_NUM(ep) < UD_MAX_EP_NUM;
}

/* A non-control endpoint address of a device: what the endpoint and stream calls accept. */
static inline bool ud_ep_valid(const struct ud_device *dev, uint8_t ep)
{
	return dev && ud_ep_addr_ok(ep) && UD_EP_NUM(ep) != 0;
}

/* channel.c */

/* Consume the report waiting in slot x, whose `posted` the caller read (relaxed) and found
 * ahead of `seen`: the acquire fence pairs with the release of `posted` in
 * ud_port_report_xfer(), so the payload read after it is the one that count published. */
static inline void ud_chan_consume(struct ud_device *dev, struct ud_chan_xfer *x, uint8_t posted,
                                   uint32_t *actual, int *status)
{
	atomic_thread_fence(memory_order_acquire);
	if ((uint8_t)(posted - x->seen) != 1u)
		dev->port_errors++; /* two reports for one transfer: the port broke its contract */
	*actual = UD_LOAD(&x->actual);
	*status = UD_LOAD(&x->status);
	x->seen = posted;
}

/* Consume the report in channel slot i (UD_EP_INDEX), if one is waiting and the slot's
 * transfer is still at the port (`busy`: a report for none is a stray, which port_xfer()
 * drops). Inline: it is on every packet's path. A relaxed look first, as it is the cheaper
 * test and most busy slots have nothing; the acquire fence only once there is something to
 * read: an idle look costs no barrier on Arm. */
static inline bool ud_chan_take_slot(struct ud_device *dev, unsigned i, uint32_t *actual,
                                     int *status)
{
	struct ud_chan_xfer *x = &dev->chan.xfer[i];
	uint8_t posted = UD_LOAD(&x->posted);

	if (posted == x->seen || !(dev->busy & (1u << i)))
		return false;
	ud_chan_consume(dev, x, posted, actual, status);
	return true;
}

void ud_chan_forget_xfer(struct ud_device *dev, uint8_t ep);
bool ud_chan_take_setup(struct ud_device *dev, uint8_t raw[8]);
/* True if a bus reset or a disconnect happened that the task has not handled yet. */
static inline bool ud_chan_host_lost(const struct ud_device *dev)
{
	const struct ud_channel *ch = &dev->chan;
	return UD_LOAD(&ch->resets) != ch->resets_seen ||
	       UD_LOAD(&ch->vbus_losses) != ch->vbus_losses_seen;
}
/* True if a SETUP arrived that the task has not taken yet. */
static inline bool ud_chan_setup_waiting(const struct ud_device *dev)
{
	return UD_LOAD(&dev->chan.setup_seq) != dev->chan.setup_seen;
}
/* True (once) if function fn was woken since the last call. The flag is cleared before the
 * function's poll looks at anything: a wake after the clear sets it again for the next run,
 * and the fence (ud_function_wake()'s twin) shows poll the change of every wake before it. */
static inline bool ud_chan_take_wake(struct ud_device *dev, unsigned fn)
{
	if (!UD_LOAD(&dev->chan.wakes[fn]))
		return false;
	UD_STORE(&dev->chan.wakes[fn], 0u);
	atomic_thread_fence(memory_order_seq_cst);
	return true;
}

/* endpoint.c */
int ud_ep_open_cfg(struct ud_device *dev, const struct ud_ep_config *cfg, uint8_t fn, uint8_t intf);
void ud_ep_close(struct ud_device *dev, uint8_t ep);
/* Set or clear a halt on ep, an open non-control endpoint (what ud_ep_set_halt() and
 * ud_ep_clear_halt() do once they checked that). Either way the queue pauses first and its
 * transfer leaves the port, keeping what moved so the rest can restart later: the port is only
 * ever asked to stall an idle endpoint. */
void ud_ep_halt(struct ud_device *dev, uint8_t ep, bool on);
/* ep's queue state if it is a valid, open, non-control endpoint of dev; else NULL. */
const struct ud_ep *ud_ep_open_state(const struct ud_device *dev, uint8_t ep);
/* The port finished the transfer of the endpoint in channel slot `slot` (UD_EP_INDEX: the
 * task's poll has the slot, not the address). Its request ends; with direct (ud_task() alone:
 * no caller of the core is on the stack there) its completion runs at once unless others wait
 * before it, otherwise it waits for ud_deliver_done(). */
void ud_ep_on_xfer(struct ud_device *dev, unsigned slot, uint32_t actual, int status, bool direct);
bool ud_deliver_done(struct ud_device *dev);
int ud_port_xfer(struct ud_device *dev, uint8_t ep, uint8_t *buf, uint32_t len);
/* ud_port_abort()'s *ended when the transfer had not ended (no report was waiting). */
#define UD_XFER_RUNNING 1
/* Stop ep's transfer at the port; the bytes it moved. *ended: the status of a report that was
 * waiting (the transfer had ended: UD_OK or the port's error), else UD_XFER_RUNNING. */
uint32_t ud_port_abort(struct ud_device *dev, uint8_t ep, int *ended);

/* control.c */
void ud_ctrl_on_setup(struct ud_device *dev, const uint8_t raw[8]);
void ud_ctrl_on_xfer(struct ud_device *dev, uint8_t ep, uint32_t actual, int status);
void ud_ctrl_abort(struct ud_device *dev, int status);
/* ud_ctrl_reply() without its checks, for the core's own answers: their requests were checked
 * already (being dispatched, device-to-host, not answered yet). Returns 0. */
int ud_ctrl_answer(struct ud_device *dev, const void *data, uint16_t len);

/* std_requests.c: 0 answered, UD_ERR_NOTSUP route to a function, other errors stall. owner:
 * the function owning the interface or endpoint the request names (UD_NO_FN: none, which for
 * these recipients means it does not exist, EP0 aside), UD_ALL_FNS for the other recipients. */
int ud_std_request(struct ud_device *dev, const struct ud_setup *s, unsigned owner);

/* device.c */
int ud_dev_set_configuration(struct ud_device *dev, uint8_t value);
int ud_dev_set_interface(struct ud_device *dev, uint8_t intf, uint8_t alt);
struct ud_function *ud_dev_fn(struct ud_device *dev, uint8_t index);

/* descriptors.c, desc_answers.c */
void ud_desc_init(struct ud_device *dev);
/* The builder's state while a function is being bound, NULL otherwise (UD_ERR_STATE). */
struct ud_desc *ud_desc_building(struct ud_device *dev);
int ud_desc_finish(struct ud_device *dev);
/* EP0 max packet size at the current speed. */
static inline uint16_t ud_ctrl_ep0_size(const struct ud_device *dev)
{
#if UD_HIGH_SPEED
	if (dev->speed == UD_SPEED_HIGH)
		return 64u;
#endif
	return dev->info->ep0_max_packet;
}
/* GET_DESCRIPTOR(wValue): answers it with ud_ctrl_reply() (the descriptors built on request in
 * buf, UD_CTRL_BUF_SIZE bytes; the configuration where it is kept), or returns UD_ERR_INVAL (a
 * request error). */
int ud_desc_reply(struct ud_device *dev, uint16_t wvalue, uint8_t *buf);
/* Calls fn for every endpoint of interface intf, alternate alt, at speed; stops on error. */
int ud_desc_each_ep(struct ud_device *dev, uint8_t intf, uint8_t alt, enum ud_speed speed,
                    int (*cb)(struct ud_device *dev, const struct ud_ep_config *cfg, uint8_t intf),
                    struct ud_ep_config *scratch);

/* strings.c: UTF-8 to UTF-16LE; out may be NULL to measure. Returns bytes, UD_ERR_INVAL
 * (malformed UTF-8, or not ASCII with UD_STRING_UTF8 0) or UD_ERR_NOSPACE (more than cap
 * bytes, written or not). */
int ud_utf8_to_utf16le(const char *s, uint8_t *out, size_t cap);
/* Most bytes of UTF-16 a string descriptor carries: its bLength is one byte, and it is built in
 * the EP0 buffer. */
#define UD_STRING_MAX_BYTES (UD_CTRL_BUF_SIZE < 255 ? UD_CTRL_BUF_SIZE - 2 : 253)

/* msos2.c */
#if UD_MSOS2_SIZE > 0
int ud_msos2_finish(struct ud_device *dev);
static inline bool ud_msos2_enabled(const struct ud_device *dev)
{
	return dev->desc.num_msos2 != 0;
}
int ud_msos2_bos(struct ud_device *dev, uint8_t *out); /* length, or UD_ERR_INVAL: no BOS */
int ud_msos2_request(struct ud_device *dev, const struct ud_setup *s);
#else /* compiled out: no set, no BOS (bcdUSB 2.00), no vendor request of its own */
static inline int ud_msos2_finish(struct ud_device *dev)
{
	(void)dev;
	return 0;
}
static inline bool ud_msos2_enabled(const struct ud_device *dev)
{
	(void)dev;
	return false;
}
static inline int ud_msos2_bos(struct ud_device *dev, uint8_t *out)
{
	(void)dev;
	(void)out;
	return UD_ERR_INVAL;
}
static inline int ud_msos2_request(struct ud_device *dev, const struct ud_setup *s)
{
	(void)dev;
	(void)s;
	return UD_ERR_NOTSUP;
}
#endif

static inline void ud_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v & 0xffu);
	p[1] = (uint8_t)(v >> 8);
}

static inline void ud_put32(uint8_t *p, uint32_t v)
{
	ud_put16(p, (uint16_t)(v & 0xffffu));
	ud_put16(p + 2, (uint16_t)(v >> 16));
}

#endif /* UD_INTERNAL_H */
