/* SPDX-License-Identifier: MIT */
/*
 * Private to class/dap: what dap_v1.c and dap_v2.c share (dap_probe.c).
 */
#ifndef UD_DAP_PROBE_H
#define UD_DAP_PROBE_H

#include "udcore/ud_dap.h"

/* Check @cfg, zero @dap, copy the info (with the packet count and size), initialise the
 * engine and the queue for transport @version (1 or 2). 0 or UD_ERR_INVAL. */
int ud_dap_prepare(struct ud_dap *dap, struct ud_device *dev, const struct ud_dap_config *cfg,
                   uint8_t version);

#endif /* UD_DAP_PROBE_H */
