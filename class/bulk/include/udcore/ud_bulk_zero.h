/* SPDX-License-Identifier: MIT */
/**
 * @file ud_bulk_zero.h
 * @brief Source/sink personality compatible with the source/sink function of Linux "Gadget
 * Zero", so that the Linux `usbtest` host driver can test a port with its bulk, control and
 * halt tests. An optional module on top of ud_bulk.h.
 *
 * Run it on a device with VID 0x0525 and PID 0xa4a0 (UD_BULK_ZERO_VID/PID), the IDs Linux
 * usbtest binds to as "Linux gadget zero"; usbtest then finds the endpoints from the
 * descriptors (its `autoconf`) and selects alternate setting 0 before each test.
 *
 * ## Behaviour (Gadget Zero's, from its documentation and source as facts)
 *
 * - **Source** (IN): one request of `buflen` bytes is always queued, filled with the pattern;
 *   no zero-length packets (hosts read fixed lengths).
 * - **Sink** (OUT): one request of `buflen` bytes is always queued; every completed transfer is
 *   checked against the pattern. A mismatch counts in `stats.pattern_errors` and halts the OUT
 *   endpoint (the host sees STALL until it clears the halt). Before each resubmit the buffer
 *   is filled with 0x55, so a port that reports bytes it did not store is caught.
 * - **Port errors**: a request that ends with UD_ERR_OVERFLOW (sink) counts in `stats.errors`
 *   and the sink goes on; one that ends with UD_ERR_IO (the port refused the transfer) counts
 *   and leaves its endpoint idle (NAK) until the next enable.
 * - **Patterns** (usbtest's `pattern` module parameter): 0: all bytes zero; 1 ("mod63"): byte
 *   i of a transfer is (i % max packet size) % 63, i.e. every packet restarts the count.
 * - **Control** (the two vendor requests of Intel's USB 2.0 compliance test device, usbtest
 *   tests 14 and 21): 0x5b with bmRequestType exactly 0x40 stores its data stage in the
 *   control buffer; 0x5c with bmRequestType exactly 0xc0 returns wLength bytes of it. Both
 *   require wValue 0 and wIndex 0 and wLength <= `ctrl_size` (Linux: 4096), and otherwise
 *   STALL; a zero wLength is accepted. Any other bmRequestType for these codes is not this
 *   function's request (the core stalls it unless another function takes it).
 * - **Halts**: SET_FEATURE(ENDPOINT_HALT), GET_STATUS and CLEAR_FEATURE(ENDPOINT_HALT) on
 *   either endpoint are chapter 9 and answered by the core: a halted endpoint STALLs every
 *   transaction, GET_STATUS reports bit 0, and clearing (also when not halted) resets the data
 *   toggle to DATA0; the transfer in progress resumes where it stopped.
 *
 * Only alternate setting 0 (bulk) exists; Gadget Zero's alternate setting 1 (isochronous)
 * and its second configuration (loopback) are not modelled: see ud_bulk_loopback.h.
 */
#ifndef UD_BULK_ZERO_H
#define UD_BULK_ZERO_H

#include <stdint.h>

#include "udcore/ud_bulk.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UD_BULK_ZERO_VID 0x0525u /**< NetChip, as Gadget Zero */
#define UD_BULK_ZERO_PID 0xa4a0u /**< Linux-USB "Gadget Zero" */

#define UD_BULK_ZERO_REQ_WRITE 0x5bu /**< control write test: store the data stage */
#define UD_BULK_ZERO_REQ_READ 0x5cu  /**< control read test: return the stored data */

enum ud_bulk_zero_pattern {
	UD_BULK_ZERO_PATTERN_ZEROS = 0, /**< usbtest pattern 0 */
	UD_BULK_ZERO_PATTERN_MOD63 = 1, /**< usbtest pattern 1: (i % max packet) % 63 */
};

struct ud_bulk_zero_config {
	uint8_t pattern; /**< enum ud_bulk_zero_pattern */
	/** Source and sink buffers of `buflen` bytes each, owned by the application. */
	uint8_t *in_buf, *out_buf;
	/** Bytes per bulk request, a non-zero multiple of 512 (Gadget Zero's default: 4096). */
	uint32_t buflen;
	/** Buffer of the 0x5b/0x5c requests, `ctrl_size` bytes (NULL with 0: both STALL
	 * whenever wLength is not 0). */
	uint8_t *ctrl_buf;
	uint16_t ctrl_size;
	const char *interface_string; /**< NULL: none */
};

struct ud_bulk_zero_stats {
	uint32_t out_transfers, out_bytes; /**< sink: transfers and bytes received */
	uint32_t in_transfers, in_bytes;   /**< source: transfers and bytes sent */
	uint32_t pattern_errors;           /**< sink transfers that did not match the pattern */
	uint32_t ctrl_writes, ctrl_reads;  /**< 0x5b and 0x5c requests accepted */
	uint32_t errors;                   /**< UD_ERR_IO and UD_ERR_OVERFLOW completions */
};

struct ud_bulk_zero {
	struct ud_bulk bulk;
	struct ud_req in_req, out_req;
	uint8_t *in_buf, *out_buf;
	uint32_t buflen;
	uint8_t *ctrl_buf;
	uint16_t ctrl_size;
	uint16_t mps;         /**< max packet size while enabled */
	uint8_t pattern;      /**< pattern in use since the last enable */
	uint8_t next_pattern; /**< pattern the next enable uses */
	struct ud_bulk_zero_stats stats;
};

/**
 * @brief Register the source/sink function @p z with @p dev (before ud_device_start()). The
 * device should use UD_BULK_ZERO_VID/PID for usbtest to bind to it.
 * @retval 0; UD_ERR_INVAL (NULL argument or buffer, pattern not 0 or 1, `buflen` 0 or not a
 *         multiple of 512, `ctrl_size` without `ctrl_buf`); otherwise what ud_bulk_add()
 *         returns.
 */
int ud_bulk_zero_add(struct ud_device *dev, struct ud_bulk_zero *z,
                     const struct ud_bulk_zero_config *cfg);

/**
 * @brief Change the data pattern from the next enable on (as reloading Gadget Zero with
 * another `pattern` parameter does). Task context.
 * @retval 0; UD_ERR_INVAL (NULL or unknown pattern)
 */
int ud_bulk_zero_set_pattern(struct ud_bulk_zero *z, uint8_t pattern);

#ifdef __cplusplus
}
#endif

#endif /* UD_BULK_ZERO_H */
