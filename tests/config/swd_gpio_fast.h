/* SPDX-License-Identifier: MIT */
/*
 * A UD_SWD_GPIO_CONFIG header (ud_swd_gpio.h, "Speed") written as a board writes one: the pin
 * macros are register accesses on one GPIO port and ignore `g`. The port is a fake one in RAM
 * (test_swd_gpio_fast.c) so that this path of class/dap/swd_gpio.c is built with the project's
 * warnings and run; the half-period macro calls the test's model of the target, where a board
 * would call its delay.
 */
#ifndef SWD_GPIO_FAST_H
#define SWD_GPIO_FAST_H

#include <stdint.h>

/* Output data, input data and direction (1: output) registers of a GPIO port. */
struct fake_gpio {
	volatile uint32_t odr;
	volatile uint32_t idr;
	volatile uint32_t dir;
};

extern struct fake_gpio fake_gpio_port;
void fake_gpio_half(void);

#define FAKE_SWCLK (1u << 3)
#define FAKE_SWDIO (1u << 5)

#define FAKE_GPIO_SET(reg, bit, on) ((void)((reg) = (on) ? (reg) | (bit) : (reg) & ~(bit)))

#define UD_SWD_GPIO_SWCLK(g, v) FAKE_GPIO_SET(fake_gpio_port.odr, FAKE_SWCLK, (v))
#define UD_SWD_GPIO_SWDIO(g, v) FAKE_GPIO_SET(fake_gpio_port.odr, FAKE_SWDIO, (v))
#define UD_SWD_GPIO_SWDIO_IN(g) ((fake_gpio_port.idr & FAKE_SWDIO) != 0u)
#define UD_SWD_GPIO_SWDIO_DIR(g, out) FAKE_GPIO_SET(fake_gpio_port.dir, FAKE_SWDIO, (out))
#define UD_SWD_GPIO_HALF(g) fake_gpio_half()

#endif /* SWD_GPIO_FAST_H */
