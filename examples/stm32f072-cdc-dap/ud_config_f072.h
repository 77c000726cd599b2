/* SPDX-License-Identifier: MIT */
/* ud_config.h overrides for this firmware: what a CMSIS-DAP v2 + CDC device needs. */
#define UD_MAX_EP_NUM 4     /* DAP: EP1 OUT/IN; CDC: EP2 IN (notify), EP2 OUT, EP3 IN */
#define UD_MAX_INTERFACES 3 /* DAP 1, CDC 2 */
#define UD_MAX_FUNCTIONS 2
#define UD_MAX_STRINGS 6
#define UD_CONFIG_DESC_SIZE 128
#define UD_CTRL_BUF_SIZE 96
#define UD_MSOS2_SIZE 192 /* one WinUSB function in a composite device: 18 + 168 */
