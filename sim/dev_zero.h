/* SPDX-License-Identifier: MIT */
/**
 * @file dev_zero.h
 * @brief `zero` and `zero-mod63`: the Gadget Zero compatible source/sink (class/bulk,
 * ud_bulk_zero.h), the device the Linux usbtest driver binds to.
 *
 * VID 0x0525, PID 0xa4a0 (Gadget Zero's), strings "udcore" / "Gadget Zero (udcore)" /
 * "0525a4a0". One vendor interface (class 0xFF) with bulk EP1 OUT (sink) and EP1 IN (source),
 * 64 bytes at full speed, 512 at high, interface string UD_SIM_ZERO_INTF_STRING; 4096-byte
 * bulk requests and a 4096-byte buffer for the 0x5b/0x5c control test requests (Linux's
 * USB_COMP_EP0_BUFSIZ). `zero` uses usbtest pattern 0 (zeros, usbtest's default), `zero-mod63`
 * pattern 1.
 */
#ifndef UD_SIM_DEV_ZERO_H
#define UD_SIM_DEV_ZERO_H

#include <stdint.h>

#include "udcore/ud_bulk_zero.h"

struct ud_world;
struct ud_sim_options;

#define UD_SIM_ZERO_INTF_STRING "source and sink data (udcore)"
#define UD_SIM_ZERO_BUFLEN 4096u
#define UD_SIM_ZERO_CTRL 4096u

struct ud_sim_zero {
	struct ud_bulk_zero zero;
	uint8_t in_buf[UD_SIM_ZERO_BUFLEN];
	uint8_t out_buf[UD_SIM_ZERO_BUFLEN];
	uint8_t ctrl[UD_SIM_ZERO_CTRL];
};

/** `zero`: pattern 0. */
int ud_sim_zero_setup(struct ud_world *w, const struct ud_sim_options *opt);
/** `zero-mod63`: pattern 1. */
int ud_sim_zero_mod63_setup(struct ud_world *w, const struct ud_sim_options *opt);

#endif /* UD_SIM_DEV_ZERO_H */
