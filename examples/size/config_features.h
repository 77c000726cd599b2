/* The feature switches every size probe sets (each config_<name>.h includes this). */
/* Full speed only (the port is), no remote wakeup, ASCII strings, no alternate settings (none
 * of the classes has any): see ud_config.h. tools/size.sh turns each back on in turn
 * (UD_SIZE_DEFINES) to measure what it costs. */
#ifndef UD_HIGH_SPEED
#define UD_HIGH_SPEED 0
#endif
#ifndef UD_REMOTE_WAKEUP
#define UD_REMOTE_WAKEUP 0
#endif
#ifndef UD_STRING_UTF8
#define UD_STRING_UTF8 0
#endif
#ifndef UD_ALT_SETTINGS
#define UD_ALT_SETTINGS 0
#endif
