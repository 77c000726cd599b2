/* SPDX-License-Identifier: MIT */
/**
 * @file track.h
 * @brief Watching the request ownership rule (ud_req.h) from outside the core.
 *
 * The explorer must see every ud_ep_submit(), ud_ep_cancel() and ud_ep_flush() a class makes
 * and every completion the core delivers, without a hook in core/. The simulator is linked
 * with `--wrap` for those three functions (sim/CMakeLists.txt), so calls from class code land
 * in track.c first. The wrapper of ud_ep_submit() swaps the request's `complete` for a
 * trampoline and remembers the class's callback; the trampoline checks the rule, then calls
 * the class's callback with `complete` restored, and installs itself again afterwards (unless
 * the callback resubmitted the request, which installs it anyway). Checked:
 *
 * - a completion runs only for a request whose submit returned 0, and once per such submit
 *   (a second completion, or one after a failed submit, is a violation);
 * - never inside ud_ep_submit(), ud_ep_cancel() or ud_ep_flush();
 * - a submit the core accepted was not outstanding already.
 *
 * ud_track_check() adds the structural half: every outstanding request is linked exactly once
 * in its endpoint's queue or on the device's done list, and nothing else is linked there, so
 * every outstanding request can still complete and none can complete twice.
 *
 * The state (`struct ud_track`) lives next to the world in `struct ud_sched` and is saved and
 * restored with it; entries stay sorted by address so equal states are equal bytewise. When
 * no tracker is attached (plain `udsim run`) the wrappers only pass the calls through.
 * A class that compares `req->complete` against its own functions while it owns a request
 * between two submits would see the trampoline there; none does.
 */
#ifndef UD_SIM_TRACK_H
#define UD_SIM_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "udcore/udcore.h"

/** Requests one simulation can watch (every request any class ever submits). */
#define UD_TRACK_MAX 24

enum ud_track_state {
	UD_TRK_IDLE = 0,    /**< owned by the class: completed, or never accepted */
	UD_TRK_OUTSTANDING, /**< submitted, completion not yet run */
	UD_TRK_FAILED,      /**< the last submit failed; owned by the class */
};

struct ud_track_entry {
	struct ud_req *req;
	ud_req_complete_fn complete; /**< the class's own callback */
	uint8_t state;               /**< enum ud_track_state */
	uint8_t ep;                  /**< endpoint of the last accepted submit */
};

struct ud_track {
	struct ud_track_entry e[UD_TRACK_MAX]; /**< sorted by `req`; unused entries zero */
	uint8_t n;
	uint8_t inside;   /**< depth of wrapped submit/cancel/flush calls now running */
	uint8_t overflow; /**< a request did not fit: it is passed through unwatched */
};

/** @brief Watch requests into @p t from now on (NULL: stop watching). @p t is zeroed. */
void ud_track_attach(struct ud_track *t);

/** @brief True if the simulator was linked with the wrappers (else nothing is watched). */
bool ud_track_available(void);

/**
 * @brief The structural check on @p dev (see above). @return true if it holds; otherwise
 * false with a reason in @p msg.
 */
bool ud_track_check(const struct ud_track *t, const struct ud_device *dev, char *msg, size_t cap);

/** @brief Number of outstanding requests. */
unsigned ud_track_outstanding(const struct ud_track *t);

#endif /* UD_SIM_TRACK_H */
