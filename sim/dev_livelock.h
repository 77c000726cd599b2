/* SPDX-License-Identifier: MIT */
/**
 * @file dev_livelock.h
 * @brief `livelock`: a NEGATIVE CONTROL. A deliberately broken echo that the explorer must
 * catch by its cycle check (cycles.h), not by liveness. Do not copy it; class/bulk's loopback
 * is the echo to use.
 *
 * A vendor interface with a bulk OUT and a bulk IN endpoint (64-byte packets at full speed).
 * Each OUT transfer is answered with the same bytes on IN, one transfer at a time, as the
 * `bulk` loopback does. The flaw is a main loop that keeps its answer "fresh": its `step`
 * takes back an answer the host has not read yet (ud_ep_cancel()), and on a later `step`,
 * once the cancellation has completed, queues it again. Each half alone is harmless, and the
 * fair continuation (interrupts, the task, the step, then the host's IN token) always meets
 * the answer queued and reads it: there is no dead end. But a host whose IN token always
 * comes while the answer is taken back, with every other move taken in between, waits
 * forever: `step`, `task`, `step` lead back to the state they started from.
 */
#ifndef UD_SIM_DEV_LIVELOCK_H
#define UD_SIM_DEV_LIVELOCK_H

#include <stdint.h>

#include "udcore/udcore.h"

struct ud_world;
struct ud_sim_options;

#define UD_SIM_LIVELOCK_PACKET 64u

struct ud_sim_livelock {
	struct ud_function fn;
	uint8_t ep_in, ep_out;
	struct ud_req out_req, in_req;
	uint8_t buf[UD_SIM_LIVELOCK_PACKET]; /* the last OUT transfer, then its answer */
	uint8_t in_queued;                   /* the answer is submitted (its completion pending) */
	uint8_t taken_back;                  /* cancelled: to be queued again */
	uint8_t phase;                       /* step: 0 take back, 1 queue again */
	uint32_t echoed;                     /* answers the host read (statistics) */
};

int ud_sim_livelock_setup(struct ud_world *w, const struct ud_sim_options *opt);

/** The main loop's turn: one half of the "freshening". */
void ud_sim_livelock_step(struct ud_world *w);

#endif /* UD_SIM_DEV_LIVELOCK_H */
