#!/usr/bin/env bash
# bench/section_explore.sh BUILD: the explorer's section of docs/performance.md (bench/run.sh).
#
# For each class: the speed of the search (distinct states per second) on the bound CI proves,
# and the deepest bound `explore --time-limit 60` proves with any number of faults on a path.
# These are wall-clock figures on one core of the machine bench/run.sh runs on: the search's
# speed is the quantity, so it cannot be an instruction count; they are reported, never
# checked against a threshold.
set -euo pipefail

build=${1:?usage: section_explore.sh BUILD_DIR}
udsim=$build/sim/udsim
limit=${UD_BENCH_EXPLORE_LIMIT:-60}

# stat FIELD: from udsim's "N states, M moves (...), K liveness checks, T s, R states/s" line.
stats() {
	awk '/ states, .* moves / {
		gsub(",", ""); print $1, $(NF - 3), $(NF - 1)
	}' | tail -n 1
}

# The bound CI proves for each device (tests/explorer/CMakeLists.txt).
ci_faults() {
	case "$1" in
	bulk | cdc) echo 2 ;;
	*) echo 1 ;;
	esac
}

echo "## The explorer: states per second, and the deepest bound in $limit s"
echo
echo "\`udsim explore\` (docs/verification.md), built with gcc -O2, one process on one core."
echo "*CI proof*: the search CI runs (every fault kind, at most the given number per path, bound"
echo "64), which covers every reachable state: its distinct states, time and states per second."
echo "*Deepest in $limit s*: \`--time-limit $limit --faults all --max-faults 255\` searches"
echo "bounds 1, 2, ... with any number of faults per path and reports the deepest it proved"
echo "within the minute, with that search's states and speed. Wall-clock figures: they vary"
echo "with the machine and its load, unlike the instruction counts above."
echo
echo "| device | CI proof: faults per path | states | seconds | states/s | deepest bound in $limit s | states at it | states/s |"
echo "|---|---|---|---|---|---|---|---|"
for dev in bulk cdc dap dap-v1; do
	mf=$(ci_faults "$dev")
	read -r s1 t1 r1 < <("$udsim" --device "$dev" explore --depth 64 --faults all \
		--max-faults "$mf" --no-progress | stats)
	out=$("$udsim" --device "$dev" explore --depth 64 --faults all --max-faults 255 \
		--time-limit "$limit" --no-progress)
	deepest=$(echo "$out" | awk '/deepest bound proven within/ {print $NF}')
	if echo "$out" | grep -q '^COMPLETE'; then
		deepest="$deepest (complete)"
	fi
	read -r s2 t2 r2 < <(echo "$out" | stats)
	echo "| \`$dev\` | $mf | $s1 | $t1 | $r1 | ${deepest:-none} | ${s2:-} | ${r2:-} |"
done
