#!/usr/bin/env bash
# cmake/cppcheck.sh: static analysis of core/ class/ port/ sim/ with cppcheck, configured as
# the build compiles them; any finding fails.
#
# usage: cmake/cppcheck.sh [--cppcheck PATH] BUILD_DIR
#   BUILD_DIR is a build configured with CMAKE_EXPORT_COMPILE_COMMANDS=ON (every preset) and
#   UD_BUILD_SIM=ON; its compile_commands.json gives each file's -I and -D. Only the entries of
#   the file's own directory's targets are kept (core/ files as ud_core builds them, not as a
#   test rebuilds them with its hooks), so the defines are the ones the libraries ship with.
# Two passes, because the ud_config.h switches pick different #if branches:
#   1. the default ud_config.h: core/ class/ port/ sim/;
#   2. the size probes' feature switches (examples/size/config_features.h: UD_HIGH_SPEED 0,
#      UD_STREAMS 0...) included first: core/ class/ port/ (sim/ is only built with the
#      default configuration).
# Checks: --enable=warning,portability,performance (the errors are always on). Not `style`:
# its findings are matters of taste (variable scope, const parameters of callbacks whose
# signature a function pointer fixes) and change the most between cppcheck versions.
# A false positive is suppressed where it is, with a /* cppcheck-suppress id */ comment
# saying why it is one. Registered as the ctest `cppcheck` by cmake/UdCppcheck.cmake (dev
# preset). Needs jq (to select the entries). About 8 s on one core.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tool=cppcheck
build=

while [ $# -gt 0 ]; do
	case "$1" in
	--cppcheck) tool=$2; shift 2 ;;
	-*) echo "cppcheck.sh: unknown argument '$1'" >&2; exit 2 ;;
	*) build=$1; shift ;;
	esac
done

[ -n "$build" ] || { echo "usage: cppcheck.sh [--cppcheck PATH] BUILD_DIR" >&2; exit 2; }
command -v "$tool" >/dev/null || { echo "cppcheck.sh: $tool not found" >&2; exit 1; }
command -v jq >/dev/null || { echo "cppcheck.sh: jq not found (tools/deps.sh test)" >&2; exit 1; }
db=$build/compile_commands.json
[ -f "$db" ] || { echo "cppcheck.sh: no $db (CMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# select DIRS OUT: the entries of DIRS' sources that their own directory's targets compile
# (the object file, .output or the -o of .command, lies under the source's top directory).
select_entries() {
	jq --arg src "$src/" --arg dirs "$1" '
		[.[] | (.file | ltrimstr($src)) as $f | ($f | split("/")[0]) as $top
		 | (.output // (.command | capture(" -o (?<o>[^ ]+)").o)) as $obj
		 | select(($dirs | split(" ") | index($top)) != null)
		 | select($obj | startswith($top + "/"))]' "$db" >"$2"
	local n
	n=$(jq length "$2")
	if [ "$n" -eq 0 ]; then
		echo "cppcheck.sh: no entries for $1 in $db" >&2
		exit 1
	fi
	echo "$n"
}

# pass NAME PROJECT [EXTRA...]: one cppcheck run; its findings go to stderr.
pass() {
	local name=$1 project=$2
	shift 2
	if ! "$tool" --project="$project" --std=c11 --enable=warning,portability,performance \
		--error-exitcode=1 --inline-suppr --suppress=missingIncludeSystem --quiet "$@"; then
		echo "cppcheck.sh: FAILED: $name: the findings above" >&2
		return 1
	fi
}

n_all=$(select_entries "core class port sim" "$tmp/all.json")
n_lib=$(select_entries "core class port" "$tmp/lib.json")
rc=0
pass "default ud_config.h" "$tmp/all.json" || rc=1
pass "feature switches off" "$tmp/lib.json" --include="$src/examples/size/config_features.h" || rc=1
if [ "$rc" -eq 0 ]; then
	echo "cppcheck.sh: no findings: $n_all compile commands with the default ud_config.h," \
		"$n_lib with the feature switches off"
fi
exit "$rc"
