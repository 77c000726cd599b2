#!/usr/bin/env bash
# cmake/check-format.sh: check (or fix) the formatting of every C source against .clang-format.
#
# usage: cmake/check-format.sh [--fix] [--clang-format PATH]
#   default: clang-format --dry-run --Werror, exit non-zero if any file would change
#   --fix:   rewrite the files in place
# Covers *.c and *.h under core class port sim fuzz tests examples. Registered as the ctest
# `format` by cmake/UdFormat.cmake (dev preset).
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tool=clang-format
fix=0

while [ $# -gt 0 ]; do
	case "$1" in
	--fix) fix=1; shift ;;
	--clang-format) tool=$2; shift 2 ;;
	*) echo "check-format.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

command -v "$tool" >/dev/null || { echo "check-format.sh: $tool not found" >&2; exit 1; }

cd "$src"
dirs=()
for d in core class port sim fuzz tests examples; do
	[ -d "$d" ] && dirs+=("$d")
done
mapfile -t files < <(find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)
if [ ${#files[@]} -eq 0 ]; then
	echo "check-format.sh: no C files"
	exit 0
fi

if [ "$fix" -eq 1 ]; then
	"$tool" -i --style=file "${files[@]}"
	echo "check-format.sh: formatted ${#files[@]} files"
	exit 0
fi

if "$tool" --dry-run --Werror --style=file "${files[@]}"; then
	echo "check-format.sh: ${#files[@]} files formatted as .clang-format says"
else
	echo "check-format.sh: FAILED: run cmake/check-format.sh --fix (clang-format -i)" >&2
	exit 1
fi
