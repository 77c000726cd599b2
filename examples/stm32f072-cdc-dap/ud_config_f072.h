/* SPDX-License-Identifier: MIT */
/* ud_config.h overrides for this firmware: what a CMSIS-DAP v2 + CDC device needs. */
#define UD_MAX_EP_NUM 4     /* DAP: EP1 OUT/IN; CDC: EP2 IN (notify), EP2 OUT, EP3 IN */
#define UD_MAX_INTERFACES 3 /* DAP 1, CDC 2 */
#define UD_MAX_FUNCTIONS 2
#define UD_MAX_STRINGS 6
#define UD_CONFIG_DESC_SIZE 128
#define UD_CTRL_BUF_SIZE 96
#define UD_MSOS2_SIZE 178 /* one WinUSB function in a composite device: 18 + 160 */
/* The STM32F072's controller is full speed only; the firmware needs no remote wakeup, no
 * alternate settings, no non-ASCII strings and no CDC overwrite mode (ud_config.h, ud_cdc.h).
 * UD_STREAMS stays at its default: port/stm32_fsdev streams CDC's data (ud_stream.h), no
 * request per packet. */
#define UD_HIGH_SPEED 0
#define UD_REMOTE_WAKEUP 0
#define UD_STRING_UTF8 0
#define UD_ALT_SETTINGS 0
#define UD_CDC_OVERWRITE 0
