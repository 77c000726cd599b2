/* SPDX-License-Identifier: MIT */
/*
 * The board: an STM32F072RB (a NUCLEO-F072RB, or any board with the chip and a USB connector
 * on PA11/PA12). Everything here is plain register access; nothing of it is udcore.
 *
 * Pins this firmware uses (change them in board.c):
 *   PA11, PA12  USB D-, D+ (the USB peripheral takes them over)
 *   PB13        SWCLK to the target    PB14  SWDIO to the target
 *   PB12        nRESET to the target (open drain)
 *   PA2, PA3    USART2 TX, RX: the CDC serial port's other end (the Nucleo's ST-LINK VCP)
 *   PA5         LED (the Nucleo's LD2): on while the debugger is connected
 */
#ifndef BOARD_H
#define BOARD_H

#include <stdbool.h>
#include <stdint.h>

/** 48 MHz system and USB clock from HSI48, trimmed by the CRS against the host's SOFs. */
void board_clock_init(void);

/** GPIO for SWD and the LED, USART2 at 115200 8N1, the USB peripheral's clock. */
void board_init(void);

/** The chip's 96-bit unique ID as 24 hex digits, for the USB serial number. */
const char *board_serial(void);

/** USART2: set the bit rate; put a byte if there is room; get one if one arrived. */
void board_uart_baud(uint32_t baud);
bool board_uart_put(uint8_t byte);
bool board_uart_get(uint8_t *byte);

/** Busy-wait, roughly (a calibrated loop at 48 MHz). */
void board_delay_us(uint32_t us);

/** Enable the USB interrupt in the NVIC. */
void board_usb_irq_enable(void);

/* SWD pins: levels 0/1. */
void board_swclk(uint8_t level);
void board_swdio(uint8_t level);
uint8_t board_swdio_read(void);
void board_swdio_output(uint8_t on);
void board_nreset(uint8_t level);
uint8_t board_nreset_read(void);
void board_led(uint8_t on);

#endif
