/* SPDX-License-Identifier: MIT */
/* STM32F072 clock, GPIO and USART2, from the reference manual (RM0091). See board.h. */
#include "board.h"

#define REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* RCC */
#define RCC_BASE 0x40021000u
#define RCC_CFGR REG(RCC_BASE + 0x04u)
#define RCC_AHBENR REG(RCC_BASE + 0x14u)
#define RCC_APB1ENR REG(RCC_BASE + 0x1cu)
#define RCC_CFGR3 REG(RCC_BASE + 0x30u)
#define RCC_CR2 REG(RCC_BASE + 0x34u)
#define RCC_CR2_HSI48ON (1u << 16)
#define RCC_CR2_HSI48RDY (1u << 17)
#define RCC_CFGR_SW_MASK 3u
#define RCC_CFGR_SW_HSI48 3u
#define RCC_CFGR3_USBSW (1u << 7) /* 0: USB clocked from HSI48 */
#define RCC_AHBENR_IOPAEN (1u << 17)
#define RCC_AHBENR_IOPBEN (1u << 18)
#define RCC_APB1ENR_USART2EN (1u << 17)
#define RCC_APB1ENR_USBEN (1u << 23)
#define RCC_APB1ENR_CRSEN (1u << 27)

/* Flash: one wait state above 24 MHz, prefetch on. */
#define FLASH_ACR REG(0x40022000u)
#define FLASH_ACR_LATENCY_1 1u
#define FLASH_ACR_PRFTBE (1u << 4)

/* CRS: trims HSI48 to the USB SOFs (its reset configuration already syncs on USB SOF). */
#define CRS_CR REG(0x40006c00u)
#define CRS_CR_CEN (1u << 5)
#define CRS_CR_AUTOTRIMEN (1u << 6)

/* GPIO */
#define GPIOA 0x48000000u
#define GPIOB 0x48000400u
#define GPIO_MODER(p) REG((p) + 0x00u)
#define GPIO_OTYPER(p) REG((p) + 0x04u)
#define GPIO_OSPEEDR(p) REG((p) + 0x08u)
#define GPIO_PUPDR(p) REG((p) + 0x0cu)
#define GPIO_IDR(p) REG((p) + 0x10u)
#define GPIO_BSRR(p) REG((p) + 0x18u)
#define GPIO_AFRL(p) REG((p) + 0x20u)
#define MODE_INPUT 0u
#define MODE_OUTPUT 1u
#define MODE_AF 2u

#define PIN_SWCLK 13u  /* PB13 */
#define PIN_SWDIO 14u  /* PB14 */
#define PIN_NRESET 12u /* PB12 */
#define PIN_LED 5u     /* PA5 */

/* USART2 on PA2 (TX), PA3 (RX), alternate function 1. */
#define USART2 0x40004400u
#define USART_CR1 REG(USART2 + 0x00u)
#define USART_BRR REG(USART2 + 0x0cu)
#define USART_ISR REG(USART2 + 0x1cu)
#define USART_RDR REG(USART2 + 0x24u)
#define USART_TDR REG(USART2 + 0x28u)
#define USART_CR1_UE (1u << 0)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_ISR_ORE (1u << 3)
#define USART_ISR_RXNE (1u << 5)
#define USART_ISR_TXE (1u << 7)
#define USART_ICR REG(USART2 + 0x20u)

#define NVIC_ISER REG(0xe000e100u)
#define USB_IRQN 31u

#define SYSCLK_HZ 48000000u

/* The 96-bit unique device ID (RM0091, "Device electronic signature"). */
#define UID_BASE 0x1ffff7acu

void board_clock_init(void)
{
	RCC_CR2 |= RCC_CR2_HSI48ON;
	while (!(RCC_CR2 & RCC_CR2_HSI48RDY)) {
	}
	FLASH_ACR = FLASH_ACR_PRFTBE | FLASH_ACR_LATENCY_1; /* before the clock goes up */
	RCC_CFGR = (RCC_CFGR & ~RCC_CFGR_SW_MASK) | RCC_CFGR_SW_HSI48;
	while (((RCC_CFGR >> 2) & 3u) != RCC_CFGR_SW_HSI48) {
	}
	RCC_APB1ENR |= RCC_APB1ENR_CRSEN;
	CRS_CR |= CRS_CR_AUTOTRIMEN | CRS_CR_CEN;
	RCC_CFGR3 &= ~RCC_CFGR3_USBSW;
}

static void pin_mode(uint32_t port, unsigned pin, unsigned mode)
{
	GPIO_MODER(port) = (GPIO_MODER(port) & ~(3u << (2u * pin))) | (mode << (2u * pin));
}

static void pin_set(uint32_t port, unsigned pin, uint8_t level)
{
	GPIO_BSRR(port) = level ? (1u << pin) : (1u << (pin + 16u));
}

void board_init(void)
{
	RCC_AHBENR |= RCC_AHBENR_IOPAEN | RCC_AHBENR_IOPBEN;
	RCC_APB1ENR |= RCC_APB1ENR_USBEN | RCC_APB1ENR_USART2EN;

	/* SWD: push-pull outputs at high speed, SWCLK idling high; nRESET open drain, released. */
	GPIO_OSPEEDR(GPIOB) |= (3u << (2u * PIN_SWCLK)) | (3u << (2u * PIN_SWDIO));
	GPIO_PUPDR(GPIOB) |= 1u << (2u * PIN_SWDIO); /* pull-up while the host reads SWDIO */
	GPIO_OTYPER(GPIOB) |= 1u << PIN_NRESET;
	pin_set(GPIOB, PIN_SWCLK, 1);
	pin_set(GPIOB, PIN_NRESET, 1);
	pin_mode(GPIOB, PIN_SWCLK, MODE_OUTPUT);
	pin_mode(GPIOB, PIN_SWDIO, MODE_INPUT);
	pin_mode(GPIOB, PIN_NRESET, MODE_OUTPUT);
	pin_mode(GPIOA, PIN_LED, MODE_OUTPUT);

	/* USART2: PA2, PA3 as AF1; 115200 8N1 until the host sets a line coding. */
	GPIO_AFRL(GPIOA) = (GPIO_AFRL(GPIOA) & ~0xff00u) | 0x1100u;
	pin_mode(GPIOA, 2, MODE_AF);
	pin_mode(GPIOA, 3, MODE_AF);
	board_uart_baud(115200);
	USART_CR1 = USART_CR1_UE | USART_CR1_RE | USART_CR1_TE;
}

const char *board_serial(void)
{
	static char hex[25];
	static const char digit[] = "0123456789ABCDEF";

	for (unsigned i = 0; i < 12u; i++) {
		uint8_t b = *(volatile const uint8_t *)(uintptr_t)(UID_BASE + i);
		hex[2u * i] = digit[b >> 4];
		hex[2u * i + 1u] = digit[b & 15u];
	}
	hex[24] = '\0';
	return hex;
}

void board_uart_baud(uint32_t baud)
{
	uint32_t cr1 = USART_CR1;

	USART_CR1 = cr1 & ~USART_CR1_UE; /* BRR is written with the USART disabled */
	USART_BRR = (SYSCLK_HZ + baud / 2u) / baud;
	USART_CR1 = cr1;
}

bool board_uart_put(uint8_t byte)
{
	if (!(USART_ISR & USART_ISR_TXE))
		return false;
	USART_TDR = byte;
	return true;
}

bool board_uart_get(uint8_t *byte)
{
	uint32_t isr = USART_ISR;

	if (isr & USART_ISR_ORE)
		USART_ICR = USART_ISR_ORE; /* an overrun stops reception until cleared */
	if (!(isr & USART_ISR_RXNE))
		return false;
	*byte = (uint8_t)USART_RDR;
	return true;
}

void board_delay_us(uint32_t us)
{
	/* About 6 cycles per pass on a Cortex-M0 at 48 MHz. */
	for (volatile uint32_t n = us * 8u; n; n--) {
	}
}

void board_usb_irq_enable(void)
{
	NVIC_ISER = 1u << USB_IRQN;
}

void board_swclk(uint8_t level)
{
	pin_set(GPIOB, PIN_SWCLK, level);
}

void board_swdio(uint8_t level)
{
	pin_set(GPIOB, PIN_SWDIO, level);
}

uint8_t board_swdio_read(void)
{
	return (GPIO_IDR(GPIOB) >> PIN_SWDIO) & 1u;
}

void board_swdio_output(uint8_t on)
{
	pin_mode(GPIOB, PIN_SWDIO, on ? MODE_OUTPUT : MODE_INPUT);
}

void board_nreset(uint8_t level)
{
	pin_set(GPIOB, PIN_NRESET, level);
}

uint8_t board_nreset_read(void)
{
	return (GPIO_IDR(GPIOB) >> PIN_NRESET) & 1u;
}

void board_led(uint8_t on)
{
	pin_set(GPIOA, PIN_LED, on);
}
