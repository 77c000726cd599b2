/* SPDX-License-Identifier: MIT */
/**
 * @file ud_stm32_fsdev.h
 * @brief Port for the STM32 "USB full-speed device" peripheral: the controller with endpoint
 * registers (USB_EPnR), a buffer descriptor table and a packet memory area (PMA), found in the
 * STM32F0, F1 (F102/F103), F3, L0, L1, L4, G4 and WB families, and as "USB DRD FS" in device
 * mode in the G0, C0, H5, U0 and U5 families.
 *
 * The port implements the contract of ud_port.h and nothing more: one transfer per endpoint,
 * moved packet by packet by the interrupt handler (an IN transfer loads its next packet on each
 * CTR_TX; an OUT transfer copies each packet out of the PMA on CTR_RX and re-arms until its
 * length is reached or a short packet ends it). With UD_STREAMS 1 (ud_config.h) it has endpoint
 * streams too (`ep_stream`, ud_stream.h): the handler copies each packet between the packet
 * memory and the class's ring (or its bounce buffer) and arms the endpoint for the next, with
 * no request per packet; with UD_STREAMS 0 that code is not built. Full speed only; bulk and
 * interrupt endpoints (no isochronous, no double buffering); endpoint number n uses register
 * EPnR, so endpoint numbers run 0..ep_count-1. The hardware takes a new address at once, but
 * only after the status stage may it: the port declares UD_PORT_ADDR_BEFORE_STATUS, latches
 * the address and its interrupt handler applies it as the status stage ends. It cannot sense
 * VBUS (UD_PORT_NO_VBUS_SENSE): a board that can should stop and start the device itself.
 *
 * ## Use
 *
 * ```
 * static struct ud_fsdev usb;
 * static const struct ud_fsdev_config cfg = {
 *         .usb_base = 0x40005C00, .pma_base = 0x40006000, .pma_size = 1024,
 *         .pma_access = UD_FSDEV_PMA_16, .ep_count = 8,
 *         .flags = UD_FSDEV_INTERNAL_PULLUP | UD_FSDEV_SOF };
 * ud_fsdev_init(&usb, &cfg);
 * ud_device_init(&dev, ud_fsdev_port(&usb), &info);  ... ud_device_start(&dev);
 * void USB_IRQHandler(void) { ud_fsdev_irq_handler(&usb); }
 * ```
 * The board enables the peripheral's clock (48 MHz) and its interrupt in the NVIC first.
 *
 * ## What the operations return (beyond ud_port.h)
 *
 * - init: UD_ERR_NOSPACE if the packet memory cannot hold the descriptor table and EP0's two
 *   buffers.
 * - ep_open: UD_ERR_INVAL (no config, EP0, reserved address bits, max packet 0);
 *   UD_ERR_NOTSUP (endpoint number >= ep_count, isochronous or control type, max packet above
 *   64); UD_ERR_NOSPACE (packet memory exhausted: the core then refuses the configuration).
 * - ep_xfer: UD_ERR_STATE (no such endpoint, not open, a transfer in flight, or a stream);
 *   UD_ERR_INVAL (NULL buffer with a length).
 * - ep_abort: on an endpoint a bus reset killed, the bytes its transfer moved before the reset
 *   (every packet acknowledged before it: the reset keeps the completion flags). 0 on a
 *   streaming endpoint (the core never aborts one: it stops the stream).
 * - ep_stream: UD_ERR_STATE for EP0, a number the controller lacks, an endpoint not open, one
 *   with a transfer in flight or another stream. A streaming OUT packet longer than the
 *   endpoint's max packet size (its packet memory buffer may be rounded up) keeps only that
 *   many bytes: a stream reports no errors.
 * - remote_wakeup: UD_ERR_STATE if the bus is not suspended.
 * - test_mode: not provided (full speed only).
 *
 * ## Contexts
 *
 * ud_fsdev_irq_handler() is the interrupt context; the operations run in task context and mask
 * interrupts (PRIMASK) for the few register writes the handler also makes.
 *
 * ## Packet memory access
 *
 * Three generations of the peripheral differ only in how the CPU reaches the PMA
 * (`enum ud_fsdev_pma_access`). Build with `-DUD_FSDEV_PMA_ACCESS=<value>` to fix it at compile
 * time (smaller code); otherwise `pma_access` chooses at run time.
 *
 * ## Host builds
 *
 * Built for the host (UD_FSDEV_HOSTED, set by CMake when not cross-compiling), every register
 * and PMA access goes through `cfg->io` instead of memory-mapped I/O, so the same code runs
 * against the register-level model in sim/fsdev_model.h.
 */
#ifndef UD_STM32_FSDEV_H
#define UD_STM32_FSDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_config.h"
#include "udcore/ud_port.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Endpoint registers of the peripheral (EP0R..EP7R). */
#define UD_FSDEV_MAX_EP 8

/** How the CPU reaches the packet memory. */
enum ud_fsdev_pma_access {
	/** F102/F103, F302/F303 xB/xC, L1: 16-bit halfwords, each at a 32-bit stride (512 B). */
	UD_FSDEV_PMA_16_STRIDE32 = 0,
	/** F0, F3 xD/xE, L0, L4, G4, WB: 16-bit halfwords, contiguous (1 KiB). */
	UD_FSDEV_PMA_16 = 1,
	/** G0, C0, H5, U0, U5 (USB DRD FS): 32-bit words only (2 KiB); 32-bit registers; the
	 * buffer descriptor table is fixed at PMA address 0 (no USB_BTABLE register). */
	UD_FSDEV_PMA_32 = 2,
};

/** `ud_fsdev_config.flags`. */
enum ud_fsdev_flag {
	/** The D+ pull-up is USB_BCDR.DPPU (F0, L0, L4, G4, G0, ...); otherwise `pullup`. Parts
	 * without DPPU need the callback: F102/F103 boards switch an external resistor (or have
	 * none to switch), and the L1's pull-up is its SYSCFG_PMC.USB_PU bit. */
	UD_FSDEV_INTERNAL_PULLUP = 0x01,
	/** Report start-of-frame to the core (1000 interrupts per second; CDC polls on it). */
	UD_FSDEV_SOF = 0x02,
	/** Host builds only, ignored on the target: the simulator's negative control. A bus reset
	 * then loses the packets acknowledged before it whose interrupt had not run yet, as a port
	 * that ignored the completion flags a reset keeps would (see ud_fsdev_irq_handler()). */
	UD_FSDEV_SIM_NO_RESET_RECOVERY = 0x80,
	/** Host builds only, ignored on the target: the port offers no `ep_stream`, as a port
	 * without streams, so that the classes' request path runs on this controller too (udsim
	 * --no-streams). A firmware that wants no streams builds with UD_STREAMS 0 instead. */
	UD_FSDEV_SIM_NO_STREAMS = 0x40,
};

/**
 * Host builds only: how the port reaches the "hardware" (a register-level model). @p width is
 * 16 or 32; addresses are the real ones, from `usb_base` and `pma_base`.
 */
struct ud_fsdev_io {
	uint32_t (*read)(void *ctx, uintptr_t addr, uint8_t width);
	void (*write)(void *ctx, uintptr_t addr, uint32_t value, uint8_t width);
};

/** What the board tells the port. Constant; the port keeps a copy. */
struct ud_fsdev_config {
	uintptr_t usb_base; /**< USB registers, e.g. 0x40005C00 */
	uintptr_t pma_base; /**< packet memory as the CPU sees it, e.g. 0x40006000 */
	uint16_t pma_size;  /**< bytes of packet memory (512, 1024 or 2048) */
	uint8_t pma_access; /**< enum ud_fsdev_pma_access */
	uint8_t ep_count;   /**< endpoint registers to use, 1..UD_FSDEV_MAX_EP */
	uint8_t flags;      /**< enum ud_fsdev_flag */
	/** Without UD_FSDEV_INTERNAL_PULLUP: switch the board's D+ pull-up (e.g. a GPIO on F103
	 * boards); NULL if it is always on. Called from task context. */
	void (*pullup)(void *ctx, bool on);
	void *pullup_ctx;
	/** Parts whose reception interrupt can come before the packet memory holds the whole
	 * packet: ST's errata sheets for the STM32H5 say CTR is raised a little before the last
	 * USB SRAM writes of an OUT transfer complete, and ask software to wait 800 ns at full
	 * speed before reading. A busy wait of that length; the port calls it after each
	 * reception (OUT packet or SETUP) and before it reads the count or the bytes, in the
	 * interrupt handler and in ep_abort(). NULL: no wait (the other families). */
	void (*rx_settle)(void);
	const struct ud_fsdev_io *io; /**< host builds only (ignored on the target) */
	void *io_ctx;
};

/** What the port remembers per endpoint and direction that the hardware does not. */
struct ud_fsdev_ep {
	/** Transfer buffer, owned by the core until the report; streaming OUT: where the packet
	 * armed goes (the ring at its head, or the bounce buffer). */
	uint8_t *buf;
	uint32_t len;        /**< transfer length */
	uint32_t done;       /**< bytes moved so far (IN: acknowledged by the host) */
	uint16_t max_packet; /**< wMaxPacketSize, or the EP0 size */
	uint16_t pma_addr;   /**< its packet buffer (PMA address) */
	uint16_t pma_size;   /**< bytes allocated there (0: none yet) */
	uint16_t last;       /**< IN: bytes of the packet loaded and not yet acknowledged */
	/** A transfer is in flight; streaming: a packet is armed, or moved and not committed
	 * yet (the handler has not run). */
	uint8_t busy;
	uint8_t open; /**< configured (EP0: always) */
	/** Cleared by a bus reset but not yet closed by the core: transfers are accepted and
	 * never move data, as the register that served it was reset. */
	uint8_t dead;
	uint8_t halted; /**< endpoints 1..7: stalled by ep_stall() until cleared */
#if UD_STREAMS
	struct ud_stream *stream; /**< the stream running on it (ud_stream.h), or NULL */
#endif
};

/** One controller. Allocate it statically; all state is in here. */
struct ud_fsdev {
	struct ud_port port;
	struct ud_port_caps caps;
	struct ud_fsdev_config cfg;
	struct ud_fsdev_ep ep[2 * UD_FSDEV_MAX_EP]; /**< index UD_EP_INDEX(addr) */
	uint16_t pma_floor;   /**< first PMA byte after the table and EP0's buffers */
	uint16_t pma_next;    /**< first free PMA byte */
	uint8_t suspended;    /**< the handler set USB_CNTR.FSUSP */
	uint8_t resume_esofs; /**< remote wakeup: ESOF interrupts left to drive resume */
	uint8_t new_address;  /**< 0x80 | SET_ADDRESS value until its status stage ends */
};

/**
 * @brief Fill @p f from @p cfg (copied): the port operations, the capabilities (full speed,
 * `cfg->ep_count` endpoints, 64-byte packets, UD_PORT_NO_VBUS_SENSE,
 * UD_PORT_ADDR_BEFORE_STATUS). Touches no hardware;
 * ud_device_start() does, through the port's init.
 */
void ud_fsdev_init(struct ud_fsdev *f, const struct ud_fsdev_config *cfg);

/** The port to hand to ud_device_init(). */
static inline struct ud_port *ud_fsdev_port(struct ud_fsdev *f)
{
	return &f->port;
}

/**
 * @brief The USB interrupt handler: call it from the USB interrupt vector (USB_IRQHandler,
 * USB_LP_IRQHandler, ...). Handles a bus reset (first counting the packets acknowledged before
 * it, whose completion flags the reset keeps, and reporting a transfer they end), then every
 * endpoint with a finished transaction (CTR), then suspend/resume, ESOF and SOF, and reports
 * to the core with the ud_port_report_*() functions. Does nothing before ud_device_init() bound
 * the port.
 */
void ud_fsdev_irq_handler(struct ud_fsdev *f);

#ifdef __cplusplus
}
#endif

#endif /* UD_STM32_FSDEV_H */
