/* ud_config.h overrides of the core + CDC size probe: one CDC-ACM port, no WinUSB. */
#define UD_MAX_EP_NUM 3
#define UD_MAX_INTERFACES 2
#define UD_MAX_FUNCTIONS 1
#define UD_MAX_STRINGS 4
#define UD_CONFIG_DESC_SIZE 80
#define UD_CTRL_BUF_SIZE 64
#define UD_MSOS2_SIZE 0
#include "config_features.h"
/* The CDC class's switches (ud_cdc.h; tools/size.sh turns each back on in turn): */
#ifndef UD_CDC_OVERWRITE
#define UD_CDC_OVERWRITE 0 /* the echo application does not overwrite */
#endif
#ifndef UD_CDC_OTHER_CONTEXT
#define UD_CDC_OTHER_CONTEXT 0 /* it reads and writes from the loop that runs ud_task() */
#endif
