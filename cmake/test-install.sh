#!/usr/bin/env bash
# cmake/test-install.sh: prove that udcore can be consumed both ways a firmware project would:
#
#   1. configure, build and install this source tree into a temporary prefix, then build
#      examples/consumer against it with find_package(udcore) and run it;
#   2. build examples/consumer again with add_subdirectory() of this source tree and run it.
#
# usage: cmake/test-install.sh [--work-dir DIR] [--c-compiler CC] [--generator GEN] [--keep]
#   --work-dir DIR   where to build (wiped first); default: a fresh temporary directory
#   --c-compiler CC  C compiler for every build (default: CMake's choice)
#   --generator GEN  CMake generator (default: Ninja if available)
#   --keep           keep the temporary directory
# Registered as the ctest `install_consumer` (tests/install/).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=""
cc=""
gen=""
keep=0

while [ $# -gt 0 ]; do
	case "$1" in
	--work-dir) work=$2; shift 2 ;;
	--c-compiler) cc=$2; shift 2 ;;
	--generator) gen=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	*) echo "test-install.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

if [ -z "$gen" ] && command -v ninja >/dev/null 2>&1; then
	gen=Ninja
fi

if [ -n "$work" ]; then
	rm -rf "$work"
	mkdir -p "$work"
	work=$(cd "$work" && pwd)
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/udcore-install.XXXXXX")
	if [ "$keep" -eq 0 ]; then
		trap 'rm -rf "$work"' EXIT
	fi
fi

common=()
[ -n "$gen" ] && common+=(-G "$gen")
[ -n "$cc" ] && common+=(-DCMAKE_C_COMPILER="$cc")

step() {
	echo
	echo "=== test-install: $* ==="
}

prefix="$work/prefix"

step "build and install udcore from $src into $prefix"
cmake -S "$src" -B "$work/udcore" "${common[@]}" -DCMAKE_BUILD_TYPE=Release \
	-DUD_BUILD_TESTS=OFF -DUD_BUILD_SIM=OFF
cmake --build "$work/udcore"
cmake --install "$work/udcore" --prefix "$prefix"

config=$(find "$prefix" -name udcoreConfig.cmake -print -quit)
if [ -z "$config" ]; then
	echo "test-install: FAILED: no udcoreConfig.cmake installed under $prefix" >&2
	exit 1
fi
echo "installed: $config"

step "consumer with find_package(udcore)"
# Never pick up a udcore from a package registry: only from our prefix (checked below).
cmake -S "$src/examples/consumer" -B "$work/consumer-installed" "${common[@]}" \
	-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
	-DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
found=$(sed -n 's/^udcore_DIR:PATH=//p' "$work/consumer-installed/CMakeCache.txt")
if [ "$found" != "$(dirname "$config")" ]; then
	echo "test-install: FAILED: consumer found udcore in '$found', not in $prefix" >&2
	exit 1
fi
cmake --build "$work/consumer-installed"
"$work/consumer-installed/consumer"

step "consumer with add_subdirectory($src)"
cmake -S "$src/examples/consumer" -B "$work/consumer-vendored" "${common[@]}" \
	-DUDCORE_SOURCE_DIR="$src"
cmake --build "$work/consumer-vendored"
"$work/consumer-vendored/consumer"

step "OK: udcore installs, and links both via find_package and add_subdirectory"
