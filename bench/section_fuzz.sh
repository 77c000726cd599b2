#!/usr/bin/env bash
# bench/section_fuzz.sh BUILD: the fuzzing section of docs/performance.md (see bench/run.sh):
# executions per second of each libFuzzer harness, each run for a fixed time from its
# committed corpus with the sanitizers of the `fuzz` preset (ASan + UBSan), as in the test
# command. A rate of wall-clock time: it varies with the machine and its load, so it is a number
# to compare, never a pass/fail test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${UD_BENCH_FUZZ_SECONDS:-10}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "## Fuzzing: executions per second"
echo
echo "Each harness of \`fuzz/\` (docs/fuzzing.md) run for $seconds s from its committed corpus,"
echo "built by the \`fuzz\` preset (clang, libFuzzer, ASan + UBSan), one process on one core."
echo
echo "| harness | executions per second | executions |"
echo "|---|---:|---:|"
# The harnesses are the corpora under fuzz/ (each harness has one; fuzz/CMakeLists.txt), not
# what build/ happens to hold: a harness renamed or removed leaves its old binary behind.
for dir in fuzz/corpus/*/; do
	name=$(basename "$dir")
	bin=build/fuzz/fuzz/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "section_fuzz.sh: corpus fuzz/corpus/$name has no harness $bin" >&2
		exit 1
	fi
	mkdir -p "$tmp/$name"
	# A harness that crashes (or prints no statistics) stops the page with its log: a rate
	# measured up to a crash is not a rate, and the crash is a finding.
	if ! "$bin" -max_total_time="$seconds" -print_final_stats=1 "$tmp/$name" \
		"fuzz/corpus/$name" >"$tmp/$name.log" 2>&1; then
		echo "section_fuzz.sh: fuzz_$name failed; its log:" >&2
		tail -n 30 "$tmp/$name.log" >&2
		exit 1
	fi
	rate=$(awk '/^stat::average_exec_per_sec:/ { print $2 }' "$tmp/$name.log")
	runs=$(awk '/^stat::number_of_executed_units:/ { print $2 }' "$tmp/$name.log")
	if [ -z "$rate" ] || [ -z "$runs" ]; then
		echo "section_fuzz.sh: fuzz_$name printed no final statistics" >&2
		exit 1
	fi
	echo "| \`$name\` | $rate | $runs |"
done
