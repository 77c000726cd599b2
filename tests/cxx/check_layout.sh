#!/usr/bin/env bash
# cxx.layout: build layout.c as C11 and as C++ (layout.cpp) and require equal outputs, i.e.
# udcore's public structures have one layout in both languages.
# usage: check_layout.sh CC CXX OUTDIR INCLUDE_DIR...
set -euo pipefail
cc=$1 cxx=$2 out=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
inc=()
for d in "$@"; do inc+=("-I$d"); done
mkdir -p "$out"
"$cc" -std=c11 -Wall -Wextra -Werror "${inc[@]}" "$here/layout.c" -o "$out/layout_c"
"$cxx" -std=c++11 -Wall -Wextra -Werror "${inc[@]}" "$here/layout.cpp" -o "$out/layout_cxx"
"$out/layout_c" >"$out/layout_c.txt"
"$out/layout_cxx" >"$out/layout_cxx.txt"
if ! diff -u "$out/layout_c.txt" "$out/layout_cxx.txt"; then
	echo "cxx.layout: C and C++ disagree on the layout above (ud_atomic.h, UD_ATOMIC)" >&2
	exit 1
fi
echo "cxx.layout: $(wc -l <"$out/layout_c.txt") sizes and offsets agree between C and C++"
