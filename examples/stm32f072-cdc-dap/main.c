/* SPDX-License-Identifier: MIT */
/*
 * stm32f072-cdc-dap: a debug probe on an STM32F072. One USB device with two functions:
 *
 *   CMSIS-DAP v2 (vendor interface, bulk, WinUSB: no driver needed on Windows) that drives a
 *   target's SWD through two GPIO pins (class/dap's GPIO backend), and
 *   a CDC-ACM serial port bridged to USART2 (on a NUCLEO-F072RB: the ST-LINK's VCP pins).
 *
 * udcore is vendored as a subdirectory (CMakeLists.txt); the controller is port/stm32_fsdev.
 * The USB interrupt only records events (ud_fsdev_irq_handler); everything else runs in the
 * main loop: ud_task(), the DAP command engine, the serial bridge.
 */
#include "board.h"
#include "udcore/ud_cdc.h"
#include "udcore/ud_dap.h"
#include "udcore/ud_stm32_fsdev.h"
#include "udcore/ud_swd_gpio.h"
#include "udcore/udcore.h"

void USB_IRQHandler(void);

/* ---- the controller: the F072's USB peripheral ---- */

static struct ud_fsdev usb;
static const struct ud_fsdev_config usb_cfg = {
	.usb_base = 0x40005c00u,
	.pma_base = 0x40006000u,
	.pma_size = 1024,
	.pma_access = UD_FSDEV_PMA_16,
	.ep_count = 8,
	.flags = UD_FSDEV_INTERNAL_PULLUP | UD_FSDEV_SOF, /* BCDR.DPPU; SOF paces CDC */
};

void USB_IRQHandler(void)
{
	ud_fsdev_irq_handler(&usb);
}

/* ---- the device ---- */

static struct ud_device dev;
static struct ud_device_info info = {
	.vid = 0x1209, /* pid.codes test VID: replace with your own */
	.pid = 0x0006,
	.bcd_device = 0x0100,
	.ep0_max_packet = 64,
	.max_power_ma = 100,
	.manufacturer = "udcore",
	.product = "udcore STM32F072 CMSIS-DAP + serial",
};

/* ---- CMSIS-DAP v2 on GPIO SWD ---- */

static void pin_swclk(void *ctx, uint8_t level)
{
	(void)ctx;
	board_swclk(level);
}

static void pin_swdio(void *ctx, uint8_t level)
{
	(void)ctx;
	board_swdio(level);
}

static uint8_t pin_swdio_in(void *ctx)
{
	(void)ctx;
	return board_swdio_read();
}

static void pin_swdio_dir(void *ctx, uint8_t out)
{
	(void)ctx;
	board_swdio_output(out);
}

static void pin_nreset(void *ctx, uint8_t level)
{
	(void)ctx;
	board_nreset(level);
}

static uint8_t pin_nreset_in(void *ctx)
{
	(void)ctx;
	return board_nreset_read();
}

static void wait_us(void *ctx, uint32_t us)
{
	(void)ctx;
	board_delay_us(us);
}

static void led(void *ctx, uint8_t type, uint8_t on)
{
	(void)ctx;
	if (type == 0)
		board_led(on); /* DAP_HostStatus "connect" */
}

static const struct ud_swd_gpio_ops swd_pins = {
	.swclk_write = pin_swclk,
	.swdio_write = pin_swdio,
	.swdio_read = pin_swdio_in,
	.swdio_output = pin_swdio_dir,
	.nreset_write = pin_nreset,
	.nreset_read = pin_nreset_in,
	.delay_us = wait_us,
	.led = led,
};

static struct ud_swd_gpio swd = {.ops = &swd_pins};
static struct ud_dap dap;
static uint8_t dap_buffer[UD_DAP_BUFFER_SIZE(4, 64)];
static struct ud_dap_info dap_info = {
	.vendor = "udcore",
	.product = "udcore STM32F072 CMSIS-DAP",
	.firmware_version = "0.1.0",
};

/* ---- CDC-ACM bridged to USART2 ---- */

static struct ud_cdc cdc;
static uint8_t cdc_rx[128], cdc_tx[128];

static int line_coding(struct ud_cdc *c, const struct ud_cdc_line_coding *lc)
{
	(void)c;
	/* USART2 does 8N1 here; any rate the divider can make at 48 MHz. */
	if (lc->data_bits != 8 || lc->parity != 0 || lc->rate < 1200u || lc->rate > 3000000u)
		return UD_ERR_NOTSUP;
	board_uart_baud(lc->rate);
	return 0;
}

/* Move what fits both ways, a byte at a time, without ever blocking the loop. */
static void serial_bridge(void)
{
	static uint8_t pending;
	static bool have;
	uint8_t byte;

	if (!ud_cdc_configured(&cdc))
		return;
	if (!have && ud_cdc_read(&cdc, &pending, 1) == 1)
		have = true;
	if (have && board_uart_put(pending))
		have = false;
	if (ud_cdc_write_room(&cdc) > 0 && board_uart_get(&byte)) {
		(void)ud_cdc_write(&cdc, &byte, 1);
		(void)ud_cdc_flush(&cdc);
	}
}

static int add_functions(void)
{
	dap_info.serial = info.serial;
	const struct ud_dap_config dap_cfg = {
		.info = &dap_info,
		.io = &ud_swd_gpio_io,
		.io_ctx = &swd,
		.packet_count = 4,
		.packet_size = 64,
		.buffer = dap_buffer,
		.buffer_size = sizeof(dap_buffer),
	};
	static const struct ud_cdc_config cdc_cfg = {
		/* the port keeps a pointer to it */
		.rx_buf = cdc_rx,
		.rx_size = sizeof(cdc_rx),
		.tx_buf = cdc_tx,
		.tx_size = sizeof(cdc_tx),
		.interface_name = "udcore serial",
		.on_line_coding = line_coding,
	};
	int rc = ud_dap_v2_add(&dev, &dap, &dap_cfg);
	if (rc == 0)
		rc = ud_cdc_init(&cdc, &cdc_cfg);
	if (rc == 0)
		rc = ud_device_add_function(&dev, &cdc.fn);
	return rc;
}

int main(void)
{
	board_init();
	info.serial = board_serial();
	ud_fsdev_init(&usb, &usb_cfg);
	if (ud_device_init(&dev, ud_fsdev_port(&usb), &info) != 0 || add_functions() != 0 ||
	    ud_device_start(&dev) != 0) {
		for (;;) {
		} /* a configuration error: stop here, a debugger shows where */
	}
	board_usb_irq_enable();
	for (;;) {
		(void)ud_task(&dev);
		(void)ud_dap_process(&dap);
		serial_bridge();
	}
}
