/* ud_config.h overrides of the composite size probe: DAP v2 + CDC + bulk, two WinUSB functions. */
#define UD_MAX_EP_NUM 5
#define UD_MAX_INTERFACES 4
#define UD_MAX_FUNCTIONS 3
#define UD_MAX_STRINGS 6
#define UD_CONFIG_DESC_SIZE 128
#define UD_CTRL_BUF_SIZE 96
#define UD_MSOS2_SIZE 338
#include "config_features.h"
/* The CDC class's switches (ud_cdc.h; tools/size.sh turns each back on in turn): */
#ifndef UD_CDC_OVERWRITE
#define UD_CDC_OVERWRITE 0 /* the echo application does not overwrite */
#endif
#ifndef UD_CDC_OTHER_CONTEXT
#define UD_CDC_OTHER_CONTEXT 0 /* it reads and writes from the loop that runs ud_task() */
#endif
