#!/usr/bin/env bash
# tests/naming/check_prefix.sh NM LIB...: every symbol a udcore library exports starts with
# `ud_` (DESIGN.md, "Naming"): a firmware links udcore beside its own code and vendor
# libraries, so an unprefixed global (say a class-internal `cdc_rx_done`) could clash with one
# of theirs. Static functions are not exported and may be named freely. Symbols that begin
# with two underscores are the compiler's (sanitizer and coverage instrumentation) and are
# ignored. Registered as the ctest `naming.prefix` (tests/naming/CMakeLists.txt).
set -euo pipefail
nm=${1:?usage: check_prefix.sh NM LIB...}
shift
bad=0
for lib in "$@"; do
	# Defined globals: any upper-case type letter but U (undefined).
	syms=$("$nm" -g --defined-only "$lib" |
		awk 'NF == 3 && $2 ~ /^[A-TV-Z]$/ && $3 !~ /^__/ && $3 !~ /^ud_/ { print $3 }' |
		sort -u)
	if [ -n "$syms" ]; then
		echo "check_prefix.sh: $(basename "$lib") exports symbols without the ud_ prefix:" >&2
		while read -r s; do echo "  $s" >&2; done <<<"$syms"
		bad=1
	fi
done
[ "$bad" = 0 ] && echo "check_prefix.sh: every exported symbol of $# libraries starts with ud_"
exit "$bad"
