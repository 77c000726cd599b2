/* SPDX-License-Identifier: MIT */
/*
 * Shared by the harnesses that drive a whole simulated device: a world built once, saved, and
 * restored with memcpy before every input (so each input starts from the same state, fast),
 * and the contract checks that must hold after every step whatever the input did.
 */
#ifndef UD_FUZZ_WORLD_H
#define UD_FUZZ_WORLD_H

#include <stddef.h>
#include <stdint.h>

#include "world.h"

/* Byte reader over the fuzz input; reads past the end return 0. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

uint8_t fuzz_u8(struct fuzz_in *in);
uint16_t fuzz_u16(struct fuzz_in *in);

/* Put the world of @p device on controller @p port (enum ud_sim_port), configured by a Linux
 * enumeration when @p enumerated, into @p w: built once per process (in @p w itself, as the
 * world points into itself) and restored by memcpy on every later call. @p w must be the same
 * object, and @p device and @p port the same, on every call. */
void fuzz_world_start(struct ud_world *w, const char *device, int port, int enumerated);

/* Abort (a crash libFuzzer reports) if the core or the controller saw a port-contract
 * violation (ud_bus_contract_ok(): the vdc's counters, or the fsdev model's forbidden
 * accesses and stuck handler). */
void fuzz_world_check(const struct ud_world *w);

#endif
