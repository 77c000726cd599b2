/* SPDX-License-Identifier: MIT */
/**
 * @file ud_device.h
 * @brief The device: lifecycle, ud_task(), state queries.
 *
 * ```
 * static struct ud_device dev;             // all state, no heap
 * ud_device_init(&dev, &port, &info);      // port: e.g. ud_vdc_port() or your controller
 * ud_device_add_function(&dev, &cdc.fn);   // bind classes: descriptors are built here
 * ud_device_start(&dev);                   // finish descriptors, init port, connect
 * for (;;) ud_task(&dev);                  // or from an RTOS thread woken by `on_event`
 * ```
 *
 * Device states follow USB 2.0 figure 9-1: ATTACHED (no VBUS), POWERED, DEFAULT (after a bus
 * reset), ADDRESS, CONFIGURED; "suspended" is a separate flag because a suspended device
 * returns to the state it left.
 *
 * `struct ud_device` is public only so it can be allocated statically; its fields are private
 * to the core. Its only pointer into itself is the control engine's data pointer during a
 * control transfer (into its own buffers), so a simulator may save and restore a whole device
 * with memcpy at the same address.
 */
#ifndef UD_DEVICE_H
#define UD_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "ud_ch9.h"
#include "ud_channel.h"
#include "ud_config.h"
#include "ud_function.h"
#include "ud_port.h"
#include "ud_req.h"
#include "ud_status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ud_device_state {
	UD_STATE_ATTACHED = 0, /**< no VBUS (or not started) */
	UD_STATE_POWERED,      /**< VBUS, no reset yet */
	UD_STATE_DEFAULT,      /**< reset, address 0 */
	UD_STATE_ADDRESS,      /**< address assigned, not configured */
	UD_STATE_CONFIGURED,   /**< configuration 1 selected */
};

/** What the application says about the device. Strings are UTF-8, kept as pointers. */
struct ud_device_info {
	uint16_t vid, pid, bcd_device;
	uint8_t device_class, device_subclass, device_protocol; /**< 0: defined per interface
	                                                          (0xEF/02/01 if IADs are used) */
	uint8_t ep0_max_packet;   /**< 8, 16, 32 or 64 (64 when the bus runs at high speed) */
	uint8_t attributes;       /**< UD_CONFIG_ATTR_SELF_POWERED | UD_CONFIG_ATTR_REMOTE_WAKEUP */
	uint16_t max_power_ma;    /**< bMaxPower in mA (0..500; sent in 2 mA units, rounded up) */
	uint16_t langid;          /**< 0 means 0x0409 (English, United States) */
	const char *manufacturer; /**< NULL: no string */
	const char *product;
	const char *serial;
	void (*on_event)(void *ctx); /**< optional, called after each port report (from the ISR)
	                                  and from ud_function_wake() (any context): wake the
	                                  thread that runs ud_task(); safe in all of them */
	void *on_event_ctx;
};

/** Private: per-endpoint queue state. */
struct ud_ep {
	struct ud_req *head, *tail; /* queue; head is at the port while `busy` */
	uint16_t max_packet;
	uint8_t type;
	uint8_t flags;
	uint8_t fn;   /* owning function index, 0xff: none */
	uint8_t intf; /* owning interface */
};

/** Private: the EP0 control engine. Small fields first: Thumb-1 loads reach 32 bytes only. */
struct ud_ctrl {
	struct ud_setup setup;
	uint8_t stage;
	uint8_t pending_address; /* 0x80 | addr while a SET_ADDRESS waits for its status stage */
	uint8_t pending_test;    /* test mode selector waiting for its status stage */
	uint16_t tx_len;
	uint8_t *data; /* the data stage's buffer: the reply (IN, only read) or for the OUT data */
	ud_ctrl_data_fn rx_done;
	struct ud_function *rx_fn;
	struct ud_function *in_callback; /* the function whose `control` runs now */
	/* Its buffer is ud_device's ctrl_buf: kept here, it would put the endpoint table and the
	 * descriptors' small fields beyond a short offset. */
};

#if UD_HIGH_SPEED
/** Private: an endpoint's sizes at both speeds, in the order of the endpoint descriptors. */
struct ud_desc_ep {
	uint16_t mps_fs, mps_hs;
	uint8_t ival_fs, ival_hs;
};
#endif

struct ud_msos2_fn {
	uint8_t first_intf;
	const char *guid;
};

/** Private: what the descriptor builder keeps. Small fields first, the buffers last. */
struct ud_desc {
	uint16_t cfg_len;
	uint16_t fn_offset; /* where the open function's descriptors start */
	uint8_t num_interfaces;
	uint8_t num_ep_desc;
	uint8_t num_strings;
	uint8_t has_iad;
	uint8_t building_fn; /* function index being bound, 0xff: none */
	uint8_t fn_open;     /* inside ud_desc_function_begin/end */
	uint8_t fn_first_intf;
	uint8_t i_manufacturer, i_product, i_serial;
	uint8_t fn_iad[4]; /* class, subclass, protocol, istring of the open function */
	uint8_t intf_fn[UD_MAX_INTERFACES];
	uint8_t intf_alts[UD_MAX_INTERFACES]; /* number of alternate settings */
	uint8_t ep_fn[UD_EP_SLOTS];           /* owning function + 1, 0: free */
	const char *strings[UD_MAX_STRINGS];
#if UD_HIGH_SPEED
	struct ud_desc_ep ep[UD_EP_SLOTS];
#endif
#if UD_MSOS2_SIZE > 0
	struct ud_msos2_fn msos2_fn[UD_MAX_FUNCTIONS];
	uint8_t num_msos2;
	uint16_t msos2_len;
	uint8_t msos2[UD_MSOS2_SIZE];
#endif
	uint8_t cfg[UD_CONFIG_DESC_SIZE];
};

struct ud_device {
	/* Small, often used fields first: on Thumb-1 a load reaches only 31 (bytes) to 124 (words)
	 * bytes past its base register, so the bytes come first, then the words, and fields behind
	 * the large tables cost an extra instruction at every access. */
	uint8_t state; /* enum ud_device_state */
	uint8_t suspended;
	uint8_t started;
	uint8_t bind_failed; /* a bind left partial descriptors: refuse to start */
	uint8_t speed;       /* enum ud_speed */
	uint8_t address;
	uint8_t config; /* 0 or 1 */
	uint8_t remote_wakeup_enabled;
	uint8_t num_fns;
	uint8_t alt[UD_MAX_INTERFACES];
	struct ud_port *port;
	const struct ud_device_info *info;
	uint32_t busy;                        /* bit UD_EP_INDEX(ep): a transfer is at the port */
	uint32_t open;                        /* bit UD_EP_INDEX(ep): endpoint open */
	struct ud_req *done_head, *done_tail; /* ended, completion not yet delivered */
	uint32_t port_errors;                 /* port contract violations seen */
	struct ud_function *fns[UD_MAX_FUNCTIONS];

	/* Then the parts, nearest first as each base offset stays below 256 (one adds): the
	 * channel (its scalars first, its slot table last), the control engine (its small fields
	 * first, its buffer at the very end), the endpoint table (indexed: one add either way), the
	 * descriptors (their buffers last). Measured on every size probe (docs/size.md). */
	struct ud_channel chan; /* written by the ISR */
	struct ud_ctrl ctrl;
	struct ud_ep ep[UD_EP_SLOTS - 2]; /* endpoints 1 and up: EP0 is the control engine's */
	struct ud_desc desc;
	union { /* the control engine's buffer; word-aligned, so that a class building its reply
	         * in it (ud_ctrl_reply_buffer()) may store whole words */
		uint8_t ctrl_buf[UD_CTRL_BUF_SIZE];
		uint32_t ctrl_buf_align;
	};
};

/**
 * @brief Prepare @p dev for @p port and @p info and register the manufacturer, product and
 * serial strings (the configuration descriptor's header is written by ud_device_start()).
 * @retval 0; UD_ERR_INVAL (NULL argument, port without ops/caps, ep0_max_packet not 8, 16, 32
 *         or 64, a string invalid: see ud_desc_add_string()), UD_ERR_NOSPACE (strings table
 *         full, or a string too long for its descriptor: see ud_desc_add_string()).
 */
int ud_device_init(struct ud_device *dev, struct ud_port *port, const struct ud_device_info *info);

/**
 * @brief Register function @p fn and call its `bind` (which builds its descriptors).
 * If `bind` fails (or returns 0 inside a ud_desc_function_begin() it did not end), its partial
 * descriptors stay and ud_device_start() refuses with UD_ERR_STATE from then on; the argument
 * checks before `bind` leave the device usable.
 * @retval 0; UD_ERR_INVAL (NULL, no ops or no bind), UD_ERR_NOSPACE (UD_MAX_FUNCTIONS),
 *         UD_ERR_STATE (the device is started, or `bind` left a function open), or the error
 *         `bind` returned.
 */
int ud_device_add_function(struct ud_device *dev, struct ud_function *fn);

/**
 * @brief Finish the descriptors, initialise the port and connect to the bus.
 * @retval 0; UD_ERR_INVAL (NULL, or no port: ud_device_init() was not called or refused its
 *         arguments), UD_ERR_STATE (already started, or a function's bind
 *         failed and left partial descriptors), UD_ERR_NOSPACE (the MS OS
 *         2.0 set does not fit UD_MSOS2_SIZE), UD_ERR_NOTSUP (compiled with UD_HIGH_SPEED 0
 *         for a port that declares high speed), or the error the port's init returned.
 */
int ud_device_start(struct ud_device *dev);

/**
 * @brief Disconnect and shut down: functions are disabled, every queued request completes with
 * UD_ERR_SHUTDOWN before this returns (the head of a queue as it ended if its transfer had
 * already ended: UD_OK or the port's error), and the port is de-initialised. Task context.
 */
void ud_device_stop(struct ud_device *dev);

/**
 * @brief Process everything the port reported since the last call, in order: transfer
 * completions (each one's callback runs as it is taken, unless requests that ended earlier
 * still wait), bus events, the latest SETUP, the `poll` of functions woken by
 * ud_function_wake(); then the callbacks of the other ended requests.
 * Call from the main loop or one thread. Not re-entrant: do not call from a callback.
 * How soon after an interrupt: the host gives a request without a data stage 50 ms and each
 * data packet 500 ms (USB 2.0 9.2.6.4); on a port without UD_PORT_ADDR_BEFORE_STATUS the
 * address of SET_ADDRESS is applied here and must be within 2 ms of its status stage (9.2.6.3).
 * @return true if it did any work (call again soon), false if there was nothing to do.
 */
bool ud_task(struct ud_device *dev);

/** @brief The chapter 9 state (suspension aside). */
enum ud_device_state ud_device_state(const struct ud_device *dev);

/** @brief True while the bus is suspended. */
bool ud_device_suspended(const struct ud_device *dev);

/** @brief The bus speed of the last reset (UD_SPEED_FULL before any reset). */
enum ud_speed ud_device_speed(const struct ud_device *dev);

/** @brief The current configuration value (0: not configured). */
uint8_t ud_device_configuration(const struct ud_device *dev);

/** @brief The current alternate setting of interface @p intf (0 if out of range). */
uint8_t ud_device_alt_setting(const struct ud_device *dev, uint8_t intf);

/**
 * @brief How many times the port broke its contract (docs/porting.md): a completion reported
 * twice for one transfer, a report still waiting when the core starts the endpoint's next
 * transfer, a completion for an endpoint or control stage with nothing running. The core
 * ignores each such report, so on a correct port
 * this stays 0 for the life of the device: a port's bring-up test should assert that it does.
 */
uint32_t ud_device_port_errors(const struct ud_device *dev);

/**
 * @brief Signal remote wakeup. Task context. The bus must have been idle for at least 5 ms
 * before the device drives resume (USB 2.0 7.1.7.7, TWTRSM), and a port reports the suspend
 * after 3 ms of idle: so do not call this from the `suspend` callback itself, but 2 ms or
 * more after it (a wakeup source such as a key press normally comes much later).
 * @retval 0; UD_ERR_STATE (not suspended, or the host did not enable remote wakeup, which it
 *         cannot with UD_REMOTE_WAKEUP 0), UD_ERR_NOTSUP (port cannot).
 */
int ud_device_remote_wakeup(struct ud_device *dev);

/** @brief A state name ("attached", "powered", "default", "address", "configured"). */
const char *ud_state_name(enum ud_device_state state);

#ifdef __cplusplus
}
#endif

#endif /* UD_DEVICE_H */
