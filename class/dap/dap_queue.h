/* SPDX-License-Identifier: MIT */
/*
 * Private to class/dap: the request/response queue both transports share (dap_queue.c).
 * The design and its invariants are described at the top of udcore/ud_dap.h.
 *
 * Task side (ud_task() context): init, enable, disable, reset, pump and the two completion
 * callbacks. Process side: ud_dapq_execute(). Nothing else touches a `struct ud_dap_queue`.
 */
#ifndef UD_DAP_QUEUE_H
#define UD_DAP_QUEUE_H

#include <stdbool.h>

#include "udcore/ud_dap.h"

/* Prepare @q with its storage and @e, the engine that executes commands and is aborted out of
 * band; the endpoints come with ud_dapq_enable(). */
void ud_dapq_init(struct ud_dap_queue *q, struct ud_device *dev, struct ud_function *fn,
                  struct ud_dap_engine *e, const struct ud_dap_config *cfg, bool pad_in);

/* The endpoints are open and empty (SET_CONFIGURATION, SET_INTERFACE): reset, take the packet
 * size for the bus speed, then arm. */
void ud_dapq_enable(struct ud_dap_queue *q, uint8_t ep_in, uint8_t ep_out);

/* The configuration is being left: reset and stop arming (the endpoints close next). */
void ud_dapq_disable(struct ud_dap_queue *q);

/* CLEAR_FEATURE(ENDPOINT_HALT) on one of the queue's endpoints (the core only reports those):
 * reset, cancelling what is at the endpoints, which stay open. */
void ud_dapq_halt_cleared(struct ud_dap_queue *q);

/* The pump: send the next response if IN is idle, then arm OUT if a slot is free. */
void ud_dapq_pump(struct ud_dap_queue *q);

/* Process side: execute (or skip) the oldest queued command. */
bool ud_dapq_execute(struct ud_dap_queue *q);

#endif /* UD_DAP_QUEUE_H */
