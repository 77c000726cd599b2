/* SPDX-License-Identifier: MIT */
/**
 * @file ud_bulk_loopback.h
 * @brief Bulk loopback: what the host writes to the OUT endpoint comes back on the IN
 * endpoint, transfer by transfer. An optional module on top of ud_bulk.h for bringing up a
 * port on real hardware (any host tool that writes and reads a bulk pipe can check it).
 *
 * ## What the host sees
 *
 * - Each OUT transfer (ended by a short packet, a zero-length packet, or a full slot) is sent
 *   back as one IN transfer with the same bytes. A transfer whose length is a non-zero
 *   multiple of the max packet size is followed by a zero-length packet (UD_BULK_ZLP_ALWAYS),
 *   so the host sees the same boundary it wrote. A zero-length OUT transfer comes back as one
 *   zero-length packet.
 * - A host must end an OUT transfer that is a multiple of the max packet size with a
 *   zero-length packet (as Linux does with URB_ZERO_PACKET), unless it fills a slot exactly.
 *   Choose `slot_size` larger than the largest transfer (4096 + 512 for 4096-byte transfers).
 * - UD_BULK_LOOPBACK_SLOTS transfers may be in flight; when every slot holds data the host has
 *   not read back yet, the OUT endpoint NAKs (nothing is dropped) until the host reads.
 * - Transfers come back in the order they were written.
 *
 * ## Errors
 *
 * An OUT request that ends with UD_ERR_OVERFLOW (the port reports that a packet did not fit;
 * with slots that are a multiple of 512 a correct port never does) is counted in
 * `stats.overflows` and not echoed: part of a packet is missing. An UD_ERR_IO completion (the
 * port refused the transfer) is counted in `stats.errors` and its slot stays idle until the
 * next `enable`. Shut-down completions (bus reset,
 * SET_CONFIGURATION, SET_INTERFACE) end the loop; `enable` restarts it with every slot empty.
 */
#ifndef UD_BULK_LOOPBACK_H
#define UD_BULK_LOOPBACK_H

#include <stdint.h>

#include "udcore/ud_bulk.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Transfers in flight (override with -DUD_BULK_LOOPBACK_SLOTS=N, 1..16). */
#ifndef UD_BULK_LOOPBACK_SLOTS
#define UD_BULK_LOOPBACK_SLOTS 2
#endif
#if UD_BULK_LOOPBACK_SLOTS < 1 || UD_BULK_LOOPBACK_SLOTS > 16
#error "UD_BULK_LOOPBACK_SLOTS must be 1..16"
#endif

struct ud_bulk_loopback_config {
	/** UD_BULK_LOOPBACK_SLOTS * slot_size bytes, owned by the application. */
	uint8_t *mem;
	/** Bytes per slot: a non-zero multiple of 512 (whole packets at both speeds). */
	uint32_t slot_size;
	const char *interface_string; /**< NULL: none */
	const char *winusb_guid;      /**< NULL: no WinUSB descriptors (ud_bulk_config) */
};

struct ud_bulk_loopback_stats {
	uint32_t transfers; /**< OUT transfers echoed */
	uint32_t bytes;     /**< bytes echoed */
	uint32_t overflows; /**< OUT requests that ended with UD_ERR_OVERFLOW (not echoed) */
	uint32_t errors;    /**< UD_ERR_IO completions (the port refused a transfer) */
};

struct ud_bulk_loopback {
	struct ud_bulk bulk;
	struct ud_req req[UD_BULK_LOOPBACK_SLOTS];
	uint8_t *mem;
	uint32_t slot_size;
	struct ud_bulk_loopback_stats stats;
};

/**
 * @brief Register the loopback function @p lb with @p dev (before ud_device_start()).
 * @retval 0; UD_ERR_INVAL (NULL argument, `mem` NULL, `slot_size` 0 or not a multiple of
 *         512); otherwise what ud_bulk_add() returns.
 */
int ud_bulk_loopback_add(struct ud_device *dev, struct ud_bulk_loopback *lb,
                         const struct ud_bulk_loopback_config *cfg);

#ifdef __cplusplus
}
#endif

#endif /* UD_BULK_LOOPBACK_H */
