/* SPDX-License-Identifier: MIT */
/**
 * @file ud_swd_gpio.h
 * @brief A generic SWD backend that bit-bangs two GPIO pins (SWCLK, SWDIO) and nRESET.
 *
 * The board supplies pin access as callbacks (struct ud_swd_gpio_ops); the backend implements
 * the SWD wire protocol on top (ADIv5): request header with start, parity, stop and park
 * bits, turnaround, acknowledge, 32 data bits with even parity, the data phase after
 * WAIT/FAULT when configured, idle cycles, and the back-off after a missing acknowledge.
 *
 * ```
 * static const struct ud_swd_gpio_ops pins = { .swclk_write = clk, .swdio_write = dio_w,
 *         .swdio_read = dio_r, .swdio_output = dio_dir, .delay_us = delay };
 * static struct ud_swd_gpio gpio = { .ops = &pins, .ctx = NULL };
 * ud_dap_engine_init(&engine, &info, &ud_swd_gpio_io, &gpio);   // or ud_dap_config.io
 * ```
 *
 * ## Timing
 *
 * The host changes SWDIO half a period after a rising edge (just before SWCLK goes low) and
 * the target samples it on the next rising edge; the target changes SWDIO after a rising edge
 * and the host samples it while SWCLK is low, just before the next rising edge. An output
 * cycle is: SWDIO, SWCLK low, half period, SWCLK high, half period; an input cycle: SWCLK low,
 * half period, sample, SWCLK high, half period. `half_period` (optional) sets the clock: without it the pins toggle as fast as
 * the callbacks run. SWCLK idles high between transfers.
 *
 * ## Speed
 *
 * Callbacks cost a call per edge. A board that needs more speed can compile swd_gpio.c with
 * UD_SWD_GPIO_CONFIG naming a header that defines any of the macros UD_SWD_GPIO_SWCLK(g, v),
 * UD_SWD_GPIO_SWDIO(g, v), UD_SWD_GPIO_SWDIO_IN(g), UD_SWD_GPIO_SWDIO_DIR(g, out) and
 * UD_SWD_GPIO_HALF(g) as direct register accesses (g is the struct ud_swd_gpio pointer, which
 * they need not use); the callbacks they replace may then be NULL. Set UD_SWD_GPIO_CONFIG with
 * -D for swd_gpio.c or in the UD_CONFIG_FILE header (ud_config.h), e.g.
 * `#define UD_SWD_GPIO_CONFIG "my_swd_pins.h"`. tests/config/swd_gpio_fast.h is such a header,
 * on a fake GPIO port.
 */
#ifndef UD_SWD_GPIO_H
#define UD_SWD_GPIO_H

#include <stdint.h>

#include "ud_swd.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Pin access the board supplies. Levels are 0 or 1. Called from the engine's context. */
struct ud_swd_gpio_ops {
	void (*swclk_write)(void *ctx, uint8_t level);
	void (*swdio_write)(void *ctx, uint8_t level);
	uint8_t (*swdio_read)(void *ctx);
	/** 1: drive SWDIO (with the last level written), 0: release it (input). */
	void (*swdio_output)(void *ctx, uint8_t enable);
	/** Optional: drive nRESET (0 asserts the reset; 1 releases it, open drain). */
	void (*nreset_write)(void *ctx, uint8_t level);
	/** Optional: read nRESET back (NULL: the last level written, 1 at first). */
	uint8_t (*nreset_read)(void *ctx);
	/** Optional: 1 on DAP_Connect (make SWCLK, SWDIO outputs), 0 on DAP_Disconnect (make
	 * them inputs). */
	void (*port_enable)(void *ctx, uint8_t on);
	/** Optional: wait half an SWCLK period (NULL: no wait). */
	void (*half_period)(void *ctx);
	/** Optional: choose the half period for @p hz; @return the frequency achieved. NULL:
	 * DAP_SWJ_Clock is accepted and reported as requested. */
	uint32_t (*set_clock)(void *ctx, uint32_t hz);
	/** Optional: busy-wait @p us microseconds (DAP_Delay, DAP_SWJ_Pins wait). NULL: neither
	 * waits (DAP_Delay answers DAP_OK at once; DAP_SWJ_Pins reads the pins once). */
	void (*delay_us)(void *ctx, uint32_t us);
	/** Optional: status LEDs (DAP_HostStatus: @p type 0 connect, 1 running). */
	void (*led)(void *ctx, uint8_t type, uint8_t on);
};

/** One GPIO SWD port: the io_ctx of ud_swd_gpio_io. Zero the state fields. */
struct ud_swd_gpio {
	const struct ud_swd_gpio_ops *ops;
	void *ctx;      /**< passed to every op */
	uint8_t swclk;  /**< private: last SWCLK level written */
	uint8_t swdio;  /**< private: last SWDIO level written */
	uint8_t nreset; /**< private: last nRESET level written + 1 (0: never written) */
};

/**
 * The backend (struct ud_swd_io) whose ctx is a `struct ud_swd_gpio *`. Its `transfer`
 * returns the acknowledge bits exactly as sampled (a missing target reads 7 through the
 * pull-up; any other value that is not 1, 2 or 4 is a protocol error) after clocking the
 * back-off (turnaround + 33 cycles with SWDIO released). `pins` reads SWCLK as last written,
 * SWDIO from the pin, nRESET through `nreset_read` (without it: the last level written, 1 at
 * first); TDI, TDO and nTRST read 0. No `reset_target`.
 */
extern const struct ud_swd_io ud_swd_gpio_io;

#ifdef __cplusplus
}
#endif

#endif /* UD_SWD_GPIO_H */
