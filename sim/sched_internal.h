/* SPDX-License-Identifier: MIT */
/* Private to the scheduler: what sched.c and sched_host.c share. */
#ifndef UD_SIM_SCHED_INTERNAL_H
#define UD_SIM_SCHED_INTERNAL_H

#include "scheduler.h"

/* The host's moves enabled in @s (host-out, host-in, enumerate, faults), appended to @out.
 * @return how many. */
unsigned ud_sched_host_moves(const struct ud_sched *s, const struct ud_sched_cfg *c,
                             struct ud_move *out);

/* Take host move @m. @return false if it is not enabled. */
bool ud_sched_host_apply(struct ud_sched *s, const struct ud_sched_cfg *c, const struct ud_move *m,
                         char *desc, size_t cap);

/* The next frame's SOF on a running, configured fsdev bus (the vdc gets none): the fair
 * continuation sends one per round, the `sof` move one when it wakes the controller. */
void ud_sched_frame_tick(struct ud_sched *s);

#endif /* UD_SIM_SCHED_INTERNAL_H */
