/* The feature switches every size probe sets (each config_<name>.h includes this). */
/* Full speed only (the port is), no remote wakeup, ASCII strings, no alternate settings (none
 * of the classes has any), no endpoint streams (the port has none): see ud_config.h. tools/size.sh turns each back on in turn
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
/* The skeleton port has no endpoint streams (ud_stream.h): the classes' stream code would
 * never run. */
#ifndef UD_STREAMS
#define UD_STREAMS 0
#endif
