/* SPDX-License-Identifier: MIT */
/*
 * Start-up for the STM32F072 (Cortex-M0): the vector table and Reset_Handler, which copies
 * .data from flash, zeroes .bss, sets the clock and calls main(). Every handler but the ones
 * this firmware defines is Default_Handler, a loop a debugger stops in.
 */
#include <stdint.h>

#include "board.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;

int main(void);
void Reset_Handler(void);
void Default_Handler(void);

void Default_Handler(void)
{
	for (;;) {
	}
}

#define WEAK_HANDLER(name) void name(void) __attribute__((weak, alias("Default_Handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(HardFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
WEAK_HANDLER(USB_IRQHandler);

void Reset_Handler(void)
{
	const uint32_t *src = &_sidata;
	for (uint32_t *dst = &_sdata; dst < &_edata;)
		*dst++ = *src++;
	for (uint32_t *dst = &_sbss; dst < &_ebss;)
		*dst++ = 0;
	board_clock_init();
	(void)main();
	for (;;) {
	}
}

typedef void (*handler_t)(void);

/* Initial stack pointer, 15 system exceptions, 32 interrupts (USB is IRQ 31). */
struct vector_table {
	uint32_t *initial_sp;
	handler_t exception[15];
	handler_t irq[32];
};

__attribute__((section(".isr_vector"), used)) static const struct vector_table vectors = {
	.initial_sp = &_estack,
	.exception =
		{
			Reset_Handler,
			NMI_Handler,
			HardFault_Handler,
			0,
			0,
			0,
			0,
			0,
			0,
			0,
			SVC_Handler,
			0,
			0,
			PendSV_Handler,
			SysTick_Handler,
		},
	.irq =
		{
			Default_Handler, Default_Handler, Default_Handler, Default_Handler,
			Default_Handler, Default_Handler, Default_Handler, Default_Handler,
			Default_Handler, Default_Handler, Default_Handler, Default_Handler,
			Default_Handler, Default_Handler, Default_Handler, Default_Handler,
			Default_Handler, Default_Handler, Default_Handler, Default_Handler,
			Default_Handler, Default_Handler, Default_Handler, Default_Handler,
			Default_Handler, Default_Handler, Default_Handler, Default_Handler,
			Default_Handler, Default_Handler, Default_Handler, USB_IRQHandler,
		},
};
