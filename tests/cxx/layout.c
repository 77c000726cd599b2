/* SPDX-License-Identifier: MIT */
/*
 * The layout of udcore's public structures as this compiler sees them: compiled once as C11
 * and once as C++ (layout.cpp), the two outputs must be equal (check_layout.sh). A C++
 * firmware allocates `struct ud_device` and the class instances statically, and the C
 * libraries then use them: ud_atomic.h's UD_ATOMIC(T) is `_Atomic(T)` in C but plain `T` in
 * C++, and this is what shows that both give one layout.
 */
#include <stddef.h>
#include <stdio.h>

#include "udcore/ud_bulk.h"
#include "udcore/ud_bulk_loopback.h"
#include "udcore/ud_bulk_zero.h"
#include "udcore/ud_cdc.h"
#include "udcore/ud_dap.h"
#include "udcore/ud_dap_engine.h"
#include "udcore/ud_hid.h"
#include "udcore/ud_skeleton.h"
#include "udcore/ud_stm32_fsdev.h"
#include "udcore/ud_swd_gpio.h"
#include "udcore/ud_vdc.h"
#include "udcore/udcore.h"

#define SIZE(T) printf("sizeof(%s) = %u\n", #T, (unsigned)sizeof(T))
#define AT(T, m) printf("offsetof(%s, %s) = %u\n", #T, #m, (unsigned)offsetof(T, m))

int main(void)
{
	SIZE(struct ud_device);
	SIZE(struct ud_channel);
	SIZE(struct ud_chan_xfer);
	AT(struct ud_chan_xfer, posted);
	AT(struct ud_channel, bus_events);
	AT(struct ud_channel, xfer);
	AT(struct ud_channel, setup);
	AT(struct ud_channel, setup_seq);
	AT(struct ud_channel, wakes);
	AT(struct ud_device, chan);
	SIZE(struct ud_ring);
	SIZE(struct ud_cdc);
	SIZE(struct ud_dap_queue);
	SIZE(struct ud_dap);
	SIZE(struct ud_dap_engine);
	SIZE(struct ud_hid);
	SIZE(struct ud_bulk);
	SIZE(struct ud_bulk_loopback);
	SIZE(struct ud_bulk_zero);
	SIZE(struct ud_vdc);
	SIZE(struct ud_skeleton);
	SIZE(struct ud_fsdev);
	SIZE(struct ud_swd_gpio);
	return 0;
}
