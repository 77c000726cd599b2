#!/usr/bin/env bash
# tests/config/knobs.sh: every compile-time value of ud_config.h and of the class headers is
# checked where it is defined. Each value out of its range stops the build with an #error that
# names it and its range; each value at the edge of its range builds the core and every class
# without a warning.
#
#   1. refused: a one-line file including every public header, compiled with the bad value,
#      must fail and print the #error's text;
#   2. accepted: the same file and every source of core/src and class/*, compiled with -O2 and
#      the project's warnings as errors, must build;
#   3. the same through a UD_CONFIG_FILE header (how ud_config.h says class values are set),
#      with the GPIO SWD backend's register macros (swd_gpio_fast.h) named there.
#
# usage: knobs.sh --source-dir DIR --work-dir DIR --c-compiler CC [--cflags "FLAGS"]
# FLAGS: the warning options of the project's targets (CMake passes ud_core's). Registered as
# the ctest `config.knobs` (tests/config/CMakeLists.txt).
set -euo pipefail

src=""
work=""
cc="cc"
cflags="-Wall -Wextra"
while [ $# -gt 0 ]; do
	case "$1" in
	--source-dir) src=$2; shift 2 ;;
	--work-dir) work=$2; shift 2 ;;
	--c-compiler) cc=$2; shift 2 ;;
	--cflags) cflags=$2; shift 2 ;;
	*) echo "knobs.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
if [ -z "$src" ] || [ -z "$work" ]; then
	echo "knobs.sh: need --source-dir and --work-dir" >&2
	exit 2
fi
rm -rf "$work"
mkdir -p "$work"

read -r -a warn <<<"$cflags"
flags=(-std=c11 "${warn[@]}" -Werror -I"$src/core/include" -I"$src/tests/config" -I"$work")
for inc in "$src"/class/*/include; do
	flags+=(-I"$inc")
done
sources=("$src"/core/src/*.c "$src"/class/*/*.c)
jobs=$(nproc 2>/dev/null || echo 2)

tu="$work/headers.c"
cat >"$tu" <<'TU'
#include "udcore/udcore.h"
#include "udcore/ud_bulk.h"
#include "udcore/ud_bulk_loopback.h"
#include "udcore/ud_cdc.h"
#include "udcore/ud_dap.h"
#include "udcore/ud_hid.h"
#include "udcore/ud_swd_gpio.h"
int knobs_headers(void);
int knobs_headers(void) { return 0; }
TU

fail() {
	echo "knobs.sh: FAIL: $*" >&2
	exit 1
}

n=0
# refuse MESSAGE DEFINE...: the headers compiled with the DEFINEs must fail with #error MESSAGE.
refuse() {
	local msg=$1
	shift
	local log="$work/refuse.$((n += 1)).log"
	echo "=== refused: $* ==="
	if "$cc" "${flags[@]}" "${@/#/-D}" -fsyntax-only "$tu" >"$log" 2>&1; then
		fail "$* compiled"
	fi
	# gcc prints  error: #error "MESSAGE", clang  error: "MESSAGE"
	grep -qF -- "\"$msg\"" "$log" || { cat "$log"; fail "$* did not say \"$msg\""; }
}

# accept DEFINE...: the headers and every core and class source build with the DEFINEs.
accept() {
	local dir="$work/accept.$((n += 1))"
	echo "=== accepted: ${*:-(defaults)} ==="
	mkdir -p "$dir"
	# A few files per compiler run, the runs in parallel.
	(cd "$dir" && printf '%s\0' "$tu" "${sources[@]}" |
		xargs -0 -n 4 -P "$jobs" "$cc" "${flags[@]}" "${@/#/-D}" -O2 -c) >"$dir.log" 2>&1 ||
		{ cat "$dir.log"; fail "${*:-the defaults} did not build"; }
}

accept
for v in 64 65534; do accept UD_CTRL_BUF_SIZE=$v; done
for v in 63 65535 70000; do refuse "UD_CTRL_BUF_SIZE must be 64..65534" UD_CTRL_BUF_SIZE=$v; done
for v in 0 162 65535; do accept UD_MSOS2_SIZE=$v; done
for v in -1 1 161 65536; do
	refuse "UD_MSOS2_SIZE must be 0 (no MS OS 2.0) or 162..65535" UD_MSOS2_SIZE=$v
done
for v in 0 255; do accept UD_MSOS2_VENDOR_CODE=$v; done
for v in -1 256 300; do
	refuse "UD_MSOS2_VENDOR_CODE must be 0..255" UD_MSOS2_VENDOR_CODE=$v
done
for v in 1 255; do accept UD_DAP_MAX_PACKET_COUNT=$v; done
for v in 0 256; do
	refuse "UD_DAP_MAX_PACKET_COUNT must be 1..255" UD_DAP_MAX_PACKET_COUNT=$v
done
accept UD_CDC_OVERWRITE=0
for v in -1 2; do refuse "UD_CDC_OVERWRITE must be 0 or 1" UD_CDC_OVERWRITE=$v; done
accept UD_CDC_OTHER_CONTEXT=0
for v in -1 2; do refuse "UD_CDC_OTHER_CONTEXT must be 0 or 1" UD_CDC_OTHER_CONTEXT=$v; done
# Each feature switch is named alone when it is the one out of range.
for s in UD_HIGH_SPEED UD_REMOTE_WAKEUP UD_STRING_UTF8 UD_ALT_SETTINGS UD_STREAMS; do
	refuse "$s must be 0 or 1" "$s=2"
done
# Checks that were there before, kept from coming undone.
for v in 1 17; do refuse "UD_MAX_EP_NUM must be 2..16" UD_MAX_EP_NUM=$v; done
refuse "UD_CDC_MAX_PACKET must be 64 (full speed) or 512 (high speed)" UD_CDC_MAX_PACKET=32
for v in 0 17; do
	refuse "UD_BULK_LOOPBACK_SLOTS must be 1..16" UD_BULK_LOOPBACK_SLOTS=$v
done

# A UD_CONFIG_FILE header sets class values too: edge values, and the fast SWD path.
cat >"$work/knobs_edge.h" <<'CFG'
#define UD_CTRL_BUF_SIZE 65534
#define UD_DAP_MAX_PACKET_COUNT 255
#define UD_CDC_MAX_PACKET 512
#define UD_CDC_OVERWRITE 0
#define UD_CDC_OTHER_CONTEXT 0
#define UD_SWD_GPIO_CONFIG "swd_gpio_fast.h"
CFG
accept 'UD_CONFIG_FILE="knobs_edge.h"'
grep -qa fake_gpio_half "$work/accept.$n/swd_gpio.o" ||
	fail "swd_gpio.c did not take its macros from UD_SWD_GPIO_CONFIG set in UD_CONFIG_FILE"
echo '#define UD_DAP_MAX_PACKET_COUNT 0' >"$work/knobs_bad.h"
refuse "UD_DAP_MAX_PACKET_COUNT must be 1..255" 'UD_CONFIG_FILE="knobs_bad.h"'
echo "knobs.sh: ok"
