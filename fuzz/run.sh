#!/usr/bin/env bash
# fuzz/run.sh BINARY NAME SECONDS [extra libFuzzer flags]: fuzz one harness for SECONDS,
# starting from its committed corpus (read only: new inputs go to a scratch directory), with
# its dictionary if it has one. Exit status is libFuzzer's: non-zero on a crash, a leak, a
# sanitizer report, an invariant abort or a timeout. The crashing input is left in the current
# directory as crash-*/leak-*/timeout-*: keep it under tests/fuzz/NAME/ as a regression.
set -euo pipefail
bin=$1 name=$2 seconds=$3
shift 3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dict=()
[ -f "$here/$name.dict" ] && dict=(-dict="$here/$name.dict")
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	"${dict[@]}" "$@" "$scratch" "$here/corpus/$name"
