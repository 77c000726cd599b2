/* SPDX-License-Identifier: MIT */
/* What the CDC class's files share (private). */
#ifndef UD_CDC_INTERNAL_H
#define UD_CDC_INTERNAL_H

#include <stddef.h>

#include "cdc_ring.h"
#include "udcore/ud_cdc.h"

/* Endpoint sizes and intervals. The notification is 10 bytes: one 16-byte packet. */
#define CDC_NOTIFY_MPS 16u
#define CDC_NOTIFY_INTERVAL_FS 16u /* ms */
#define CDC_NOTIFY_INTERVAL_HS 8u  /* 2^(8-1) microframes = 16 ms */
#define CDC_DATA_MPS_FS 64u
#define CDC_DATA_MPS_HS 512u
#define CDC_LINE_CODING_LEN 7u
#define CDC_SERIAL_STATE_LEN 10u
/* ss_sent when the host's view of the level is unknown: never equal to a state to send. */
#define CDC_SS_UNKNOWN 0xffffu

static inline struct ud_cdc *cdc_of(struct ud_function *fn)
{
	return (struct ud_cdc *)(void *)((char *)fn - offsetof(struct ud_cdc, fn));
}

static inline void cdc_lock(struct ud_cdc *c)
{
	if (c->cfg.lock)
		c->cfg.lock(c->cfg.ctx);
}

static inline void cdc_unlock(struct ud_cdc *c)
{
	if (c->cfg.unlock)
		c->cfg.unlock(c->cfg.ctx);
}

/* The application changed something the task side acts on: act now in task mode, or wake the
 * thread that runs ud_task() (it calls ud_cdc_poll()). */
static inline void cdc_app_changed(struct ud_cdc *c, void (*work)(struct ud_cdc *c),
                                   const uint8_t *busy)
{
	if (c->cfg.context != UD_CDC_CTX_TASK) {
		if (c->cfg.wake)
			c->cfg.wake(c->cfg.ctx);
	} else if (!*busy) { /* a busy endpoint re-checks when its transfer completes; the flag
	                      * is the task's, so it is only read here, in task mode */
		work(c);
	}
}

/* Task side of the data path and the notification (cdc_stream.c, cdc_requests.c): each is
 * idempotent and does nothing unless the port is enabled and its endpoint idle. */
void cdc_rx_arm(struct ud_cdc *c);
void cdc_tx_kick(struct ud_cdc *c);
void cdc_notify_kick(struct ud_cdc *c);

/* Request completions, set up by ud_cdc_init(). */
void cdc_rx_done(struct ud_device *dev, struct ud_req *req);
void cdc_tx_done(struct ud_device *dev, struct ud_req *req);
void cdc_notify_done(struct ud_device *dev, struct ud_req *req);

/* The function's `control` callback (cdc_requests.c). */
int cdc_control(struct ud_function *fn, const struct ud_setup *setup);

#endif /* UD_CDC_INTERNAL_H */
