/* SPDX-License-Identifier: MIT */
/*
 * Harness 3, DAP commands: arbitrary command packets straight into the CMSIS-DAP command
 * processor (ud_dap_engine_execute) against the simulated SWD target, no USB in between.
 *
 * Input: byte 0 configures the run (bit 0: 512-byte packets instead of 64; bits 1-3: WAIT
 * answers to inject; bits 4-5: FAULT answers; bit 6: one missing acknowledge); then packets,
 * each a length byte (taken modulo the packet size + 1, so over-long requests occur) followed
 * by that many bytes, executed in order on one engine whose state carries over, as a host's
 * commands do. The request is copied into a buffer of exactly its length and the response
 * buffer is exactly the packet size, so ASan sees any read or write past either packet.
 *
 * Time is bounded: a packet may ask for up to 65535 WAIT or match retries per transfer, so the
 * target's request hook aborts the engine after UD_FUZZ_DAP_MAX_REQUESTS requests per input,
 * exactly as a host's DAP_TransferAbort from another context would.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "swd_target.h"
#include "udcore/ud_dap_engine.h"

#define UD_FUZZ_DAP_MAX_REQUESTS 20000u

static struct ud_dap_engine engine;
static struct ud_swd_target target;
static uint8_t ram[1024];
static struct ud_dap_info info = {
	.vendor = "udcore",
	.product = "fuzz",
	.serial = "0",
	.firmware_version = "0",
};

static void bound_time(void *ctx, struct ud_swd_target *t)
{
	(void)ctx;
	if (t->requests > UD_FUZZ_DAP_MAX_REQUESTS)
		ud_dap_engine_abort(&engine);
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)
{
	if (len == 0)
		return 0;
	uint8_t mode = buf[0];
	size_t at = 1;

	info.packet_count = 4;
	info.packet_size = (mode & 1u) ? 512 : 64;
	ud_swd_target_init(&target, ram, sizeof(ram));
	target.inject_wait = (mode >> 1) & 7u;
	target.inject_fault = (mode >> 4) & 3u;
	target.inject_no_ack = (mode >> 6) & 1u;
	target.on_request = bound_time;
	memset(&engine, 0, sizeof(engine));
	ud_dap_engine_init(&engine, &info, &ud_swd_target_io, &target);

	while (at < len) {
		size_t n = buf[at++] % (info.packet_size + 1u);
		if (n > len - at)
			n = len - at;
		/* Exactly sized copies: a read past the request or a write past the response is an
		 * ASan report, not a silent overrun into the fuzzer's buffer. */
		uint8_t *req = malloc(n ? n : 1);
		uint8_t *resp = malloc(info.packet_size);
		if (!req || !resp)
			abort();
		memcpy(req, buf + at, n);
		uint32_t r =
			ud_dap_engine_execute(&engine, req, (uint32_t)n, resp, info.packet_size);
		if (r > info.packet_size)
			abort(); /* the engine claimed more than it may write */
		free(req);
		free(resp);
		at += n;
	}
	return 0;
}
