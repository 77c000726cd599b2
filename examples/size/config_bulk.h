/* ud_config.h overrides of the core + bulk size probe: one vendor bulk interface with WinUSB. */
#define UD_MAX_EP_NUM 2
#define UD_MAX_INTERFACES 1
#define UD_MAX_FUNCTIONS 1
#define UD_MAX_STRINGS 4
#define UD_CONFIG_DESC_SIZE 32
#define UD_CTRL_BUF_SIZE 64
#define UD_MSOS2_SIZE 162
#include "config_features.h"
