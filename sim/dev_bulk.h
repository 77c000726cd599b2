/* SPDX-License-Identifier: MIT */
/**
 * @file dev_bulk.h
 * @brief `bulk`: the bulk loopback (class/bulk, ud_bulk_loopback.h) with WinUSB descriptors.
 *
 * VID 0x1209, PID 0x0002 (pid.codes test range), strings "udcore" / "udcore bulk loopback" /
 * "0002". One vendor interface (class 0xFF) with bulk EP1 OUT and EP1 IN (64 bytes at full
 * speed, 512 at high), interface string UD_SIM_BULK_INTF_STRING, and Microsoft OS 2.0
 * descriptors binding WinUSB with DeviceInterfaceGUID UD_SIM_BULK_GUID (so bcdUSB is 2.01
 * and the device has a BOS). Every OUT transfer comes back on IN; a transfer of a non-zero
 * multiple of the max packet size is followed by a ZLP. Two transfers of up to
 * UD_SIM_BULK_SLOT bytes may wait to be read back.
 */
#ifndef UD_SIM_DEV_BULK_H
#define UD_SIM_DEV_BULK_H

#include <stdint.h>

#include "udcore/ud_bulk_loopback.h"

struct ud_world;
struct ud_sim_options;

#define UD_SIM_BULK_INTF_STRING "udcore bulk loopback"
#define UD_SIM_BULK_GUID "{c3d5a1f2-7b4e-4f0a-9a61-2e8d5b3c7f10}"
/** Bytes per slot: the host's largest transfer (4096) plus one high-speed packet, so a
 * 4096-byte transfer ended by a ZLP is one transfer. */
#define UD_SIM_BULK_SLOT (4096u + 512u)

struct ud_sim_bulk {
	struct ud_bulk_loopback lb;
	uint8_t mem[UD_BULK_LOOPBACK_SLOTS][UD_SIM_BULK_SLOT];
};

int ud_sim_bulk_setup(struct ud_world *w, const struct ud_sim_options *opt);

/** Add the loopback function in @p b to @p dev (for devices that combine functions). */
int ud_sim_bulk_add(struct ud_device *dev, struct ud_sim_bulk *b);

#endif /* UD_SIM_DEV_BULK_H */
