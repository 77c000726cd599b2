#!/usr/bin/env bash
# tests/config/classes.sh: UD_CLASSES (top-level CMakeLists.txt) builds exactly the classes it
# lists, and refuses lists it cannot honour.
#
#   1. UD_CLASSES=cdc: only libud_cdc.a is built (and its target is the only class target);
#   2. UD_CLASSES=hid;dap: libud_hid.a and libud_dap.a, nothing else;
#   3. UD_CLASSES empty: the core alone;
#   4. refused at configure time, each with its message: an unknown class, dap without hid,
#      and a reduced list with the tests or the simulator on (they use every class).
#
# usage: classes.sh --source-dir DIR --work-dir DIR [--c-compiler CC] [--generator GEN]
# Registered as the ctest `config.classes` (tests/config/CMakeLists.txt).
set -euo pipefail

src=""
work=""
cc=""
gen=""
while [ $# -gt 0 ]; do
	case "$1" in
	--source-dir) src=$2; shift 2 ;;
	--work-dir) work=$2; shift 2 ;;
	--c-compiler) cc=$2; shift 2 ;;
	--generator) gen=$2; shift 2 ;;
	*) echo "classes.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$src" ] && [ -n "$work" ] || { echo "classes.sh: need --source-dir and --work-dir" >&2; exit 2; }
rm -rf "$work"
mkdir -p "$work"

common=(-DCMAKE_BUILD_TYPE=Release -DUD_BUILD_TESTS=OFF -DUD_BUILD_SIM=OFF)
[ -n "$gen" ] && common+=(-G "$gen")
[ -n "$cc" ] && common+=(-DCMAKE_C_COMPILER="$cc")

fail() {
	echo "classes.sh: FAIL: $*" >&2
	exit 1
}

# build NAME LIST EXPECTED...: configure and build with UD_CLASSES=LIST; exactly the class
# libraries EXPECTED (e.g. cdc) must exist.
build() {
	local name=$1 list=$2
	shift 2
	local b="$work/$name"
	echo "=== UD_CLASSES='$list' ==="
	cmake -S "$src" -B "$b" "${common[@]}" "-DUD_CLASSES=$list" >"$b.log" 2>&1 ||
		{ cat "$b.log"; fail "configure with UD_CLASSES='$list'"; }
	cmake --build "$b" >>"$b.log" 2>&1 || { cat "$b.log"; fail "build with UD_CLASSES='$list'"; }
	[ -f "$b/core/libudcore.a" ] || fail "UD_CLASSES='$list': no libudcore.a"
	local got
	got=$(find "$b/class" -name 'libud_*.a' -printf '%f\n' | sed 's/^libud_//; s/\.a$//' | sort |
		tr '\n' ' ')
	local want
	want=$(printf '%s\n' "$@" | sed '/^$/d' | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "UD_CLASSES='$list': built '$got', want '$want'"
	echo "built: ${got:-(no class)}"
}

# refuse NAME MESSAGE ARGS...: configuring with ARGS must fail and say MESSAGE.
refuse() {
	local name=$1 msg=$2
	shift 2
	local b="$work/$name"
	echo "=== refused: $* ==="
	if cmake -S "$src" -B "$b" "${common[@]}" "$@" >"$b.log" 2>&1; then
		fail "configure with $* succeeded"
	fi
	grep -q -- "$msg" "$b.log" || { cat "$b.log"; fail "configure with $* did not say '$msg'"; }
}

build cdc "cdc" cdc
build dap "hid;dap" hid dap
build none "" ""
refuse unknown "unknown class 'serial'" "-DUD_CLASSES=cdc;serial"
refuse dap_alone "dap needs hid" "-DUD_CLASSES=dap"
refuse tests "need every class" "-DUD_CLASSES=cdc" -DUD_BUILD_TESTS=ON
echo "classes.sh: ok"
