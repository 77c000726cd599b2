/* SPDX-License-Identifier: MIT */
/**
 * @file fsdev_model.h
 * @brief A register-level model of the STM32 USB full-speed device peripheral, for running
 * port/stm32_fsdev on the host.
 *
 * CPU side: the registers with their real write semantics (USB_EPnR toggle bits flip on 1,
 * CTR bits clear on 0, SETUP read-only; USB_ISTR flags clear on 0; CTR, DIR and EP_ID computed
 * from the endpoint registers), and the packet memory in the three access schemes of
 * enum ud_fsdev_pma_access (16-bit at a 32-bit stride, 16-bit, 32-bit). Accesses of the wrong
 * width, unaligned or out of range are counted in `stats.bad_access`: the port must make none.
 * So is a token that finds two registers with its endpoint address and a direction enabled
 * (the reference manuals leave what the hardware then does undefined).
 *
 * Bus side, as the vdc's (ud_vdc.h), one transaction at a time, with the hardware's answers:
 *
 * | host does          | model answers                                                      |
 * |--------------------|--------------------------------------------------------------------|
 * | setup              | ACK into EP0's RX buffer (SETUP and CTR_RX set, both directions   |
 * |                    | NAK, DTOG_TX and DTOG_RX 1), whatever STAT_RX says; TIMEOUT if the |
 * |                    | function is off (DADDR.EF), the address differs, or CTR_RX is      |
 * |                    | still set (the hardware discards that SETUP without a handshake)   |
 * | out (pid)          | STAT_RX: DISABLED -> TIMEOUT, STALL, NAK; VALID: a packet larger   |
 * |                    | than the buffer (BL_SIZE/NUM_BLOCK) -> STALL; a PID that is not    |
 * |                    | DTOG_RX -> ACK, dropped; else stored, COUNT_RX, DTOG_RX flips,     |
 * |                    | STAT_RX NAK, CTR_RX                                                |
 * | in                 | STAT_TX: DISABLED -> TIMEOUT, STALL, NAK; VALID: COUNT_TX bytes    |
 * |                    | with PID DTOG_TX (the host ACKs), DTOG_TX flips, NAK, CTR_TX       |
 * | bus reset          | every EPnR but CTR_RX/CTR_TX and DADDR zeroed, RESET (WKUP too if |
 * |                    | suspended); no answers while USB_ISTR.RESET is set                 |
 * | suspend / resume   | SUSP / WKUP (WKUP only in suspend mode: FSUSP or SUSP pending)      |
 * | sof                | FNR.FN, SOF                                                        |
 * | tick_ms            | ESOF (a millisecond without SOF)                                   |
 *
 * The model has one interrupt line: a flag of USB_ISTR whose mask bit in USB_CNTR is set. A
 * host "delivers" it by calling the port's interrupt handler (ud_sim_fsdev_irq()).
 *
 * All state is in the struct, without pointers, so a world can be copied with memcpy.
 */
#ifndef UD_SIM_FSDEV_MODEL_H
#define UD_SIM_FSDEV_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "udcore/ud_stm32_fsdev.h"
#include "udcore/ud_vdc.h"

/** Where the model sits in the CPU's address space (as on the STM32F072). */
#define UD_FSDEV_MODEL_USB_BASE 0x40005c00u
#define UD_FSDEV_MODEL_PMA_BASE 0x40006000u
/** Largest packet memory the model holds. */
#define UD_FSDEV_MODEL_PMA_MAX 1024u

/** Which chip the model is. */
struct ud_fsdev_model_config {
	uint8_t access;       /**< enum ud_fsdev_pma_access */
	uint16_t pma_size;    /**< bytes, <= UD_FSDEV_MODEL_PMA_MAX */
	uint8_t ep_count;     /**< endpoint registers, <= UD_FSDEV_MAX_EP */
	bool internal_pullup; /**< USB_BCDR.DPPU exists; else the board's (board_pullup) */
};

/** What the model counts; the first three must stay 0 with a correct port. */
struct ud_fsdev_model_stats {
	uint32_t bad_access;     /**< bad width or address, unknown register, two for one EA */
	uint32_t irq_stuck;      /**< the handler left the line asserted and changed nothing */
	uint32_t setups_dropped; /**< a SETUP met CTR_RX still set: no handshake (a host retries) */
	uint32_t overruns;       /**< an OUT packet larger than its buffer: STALL */
	uint32_t naks, stalls;
	uint32_t irq_calls;      /**< interrupts delivered */
	uint32_t remote_wakeups; /**< RESUME set while suspended */
};

struct ud_fsdev_model {
	uint16_t epr[UD_FSDEV_MAX_EP];
	uint16_t cntr;
	uint16_t istr; /**< the flags only (bits 14..7); CTR, DIR, EP_ID are computed */
	uint16_t fnr, daddr, btable, bcdr;
	uint16_t pma_size;
	uint8_t access, ep_count, internal_pullup;
	uint8_t board_pullup;  /**< the board's pull-up switch (without internal_pullup) */
	uint8_t vbus;          /**< cable plugged in */
	uint8_t bus_suspended; /**< the bus is idle */
	struct ud_fsdev_model_stats stats;
	uint8_t pma[UD_FSDEV_MODEL_PMA_MAX];
};

/** The STM32F072: 16-bit PMA access, 1 KiB, 8 endpoint registers, BCDR.DPPU. */
extern const struct ud_fsdev_model_config ud_fsdev_model_f072;

/** @brief Power-on state of @p m (USB_CNTR = FRES | PDWN, all else 0), no VBUS. */
void ud_fsdev_model_init(struct ud_fsdev_model *m, const struct ud_fsdev_model_config *cfg);

/* --- the CPU side (what the port's ud_fsdev_config.io calls) --- */

uint32_t ud_fsdev_model_read(void *model, uintptr_t addr, uint8_t width);
void ud_fsdev_model_write(void *model, uintptr_t addr, uint32_t value, uint8_t width);
/** {ud_fsdev_model_read, ud_fsdev_model_write}, for ud_fsdev_config.io. */
extern const struct ud_fsdev_io ud_fsdev_model_io;

/** @brief USB_ISTR as the CPU reads it (flags, and CTR/DIR/EP_ID from the EPnR). */
uint16_t ud_fsdev_model_istr(const struct ud_fsdev_model *m);

/** @brief The interrupt line: a flag set whose mask bit is set. */
bool ud_fsdev_model_irq_line(const struct ud_fsdev_model *m);

/* --- the bus side --- */

/** VBUS present and the D+ pull-up on: the host sees the device. */
bool ud_fsdev_model_attached(const struct ud_fsdev_model *m);
/** The address the device answers to (USB_DADDR.ADD). */
uint8_t ud_fsdev_model_address(const struct ud_fsdev_model *m);

enum ud_vdc_result ud_fsdev_model_setup(struct ud_fsdev_model *m, uint8_t addr,
                                        const uint8_t raw[8]);
enum ud_vdc_result ud_fsdev_model_out(struct ud_fsdev_model *m, uint8_t addr, uint8_t epnum,
                                      const uint8_t *data, uint16_t len, uint8_t pid);
/** IN token; on ACK up to @p cap bytes into @p data, the length in *@p len, the PID in
 * *@p pid. A packet larger than @p cap: TIMEOUT, nothing changes. */
enum ud_vdc_result ud_fsdev_model_in(struct ud_fsdev_model *m, uint8_t addr, uint8_t epnum,
                                     uint8_t *data, uint16_t cap, uint16_t *len, uint8_t *pid);
void ud_fsdev_model_vbus(struct ud_fsdev_model *m, bool on);
void ud_fsdev_model_bus_reset(struct ud_fsdev_model *m);
void ud_fsdev_model_suspend(struct ud_fsdev_model *m);
void ud_fsdev_model_resume(struct ud_fsdev_model *m);
void ud_fsdev_model_sof(struct ud_fsdev_model *m, uint16_t frame);
/** True if the next packet or SOF will raise WKUP: the peripheral is in suspend mode (FSUSP)
 * while the bus runs. */
bool ud_fsdev_model_wake_due(const struct ud_fsdev_model *m);
/** True if the next SOF raises a WKUP not pending yet: wake due, WKUP clear. Once it is
 * pending, further SOFs change nothing the handler sees but the frame number. */
bool ud_fsdev_model_sof_wakes(const struct ud_fsdev_model *m);
void ud_fsdev_model_tick_ms(struct ud_fsdev_model *m);
/** The board's D+ pull-up (chips without BCDR.DPPU). */
void ud_fsdev_model_board_pullup(struct ud_fsdev_model *m, bool on);

/** EP_TYPE of the register serving endpoint address @p ep as a USB type (UD_EP_*), and the
 * size of its buffer in that direction; 0 both if no register serves it. */
uint8_t ud_fsdev_model_ep_type(const struct ud_fsdev_model *m, uint8_t ep);
uint16_t ud_fsdev_model_ep_buffer(const struct ud_fsdev_model *m, uint8_t ep);

/* --- a simulated controller: the port on top of the model --- */

/** The port and its hardware, in one plain struct (the port's io context points at `hw`). */
struct ud_sim_fsdev {
	struct ud_fsdev port; /* first: the struct ud_port is at the start, as in struct ud_vdc */
	struct ud_fsdev_model hw;
};

/** @brief Model @p chip and put the port on it (@p flags: enum ud_fsdev_flag). */
void ud_sim_fsdev_init(struct ud_sim_fsdev *s, const struct ud_fsdev_model_config *chip,
                       uint8_t flags);

/**
 * @brief Deliver the interrupt: run the port's handler once.
 * @retval 0; UD_ERR_NOENT (the line is not asserted); UD_ERR_STATE (the handler returned with
 *         the line still asserted and no register changed: counted in stats.irq_stuck).
 */
int ud_sim_fsdev_irq(struct ud_sim_fsdev *s);

#endif /* UD_SIM_FSDEV_MODEL_H */
