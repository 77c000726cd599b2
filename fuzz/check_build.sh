#!/usr/bin/env bash
# fuzz/check_build.sh DIR: the test fuzz.oss_build. Runs fuzz/build.sh as OSS-Fuzz would (clang,
# libFuzzer, ASan/UBSan) into DIR, then checks that it produced every harness
# fuzz/CMakeLists.txt declares and that each one runs: 100 inputs from its seed corpus.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${1:?usage: check_build.sh DIR}
rm -rf "$dir"
mkdir -p "$dir/out" "$dir/work"
CC=clang CFLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all -g -O1" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT="$dir/out" WORK="$dir/work" "$here/build.sh" >"$dir/build.log"

# The declared harnesses: ud_fuzz_harness(name ...) and the events_<dev> loop.
mapfile -t names < <(sed -n 's/^ud_fuzz_harness(\([a-z_]*\)[ )].*/\1/p' "$here/CMakeLists.txt")
# shellcheck disable=SC2013 # the device names are words on one line
for dev in $(sed -n 's/^foreach(dev \(.*\))$/\1/p' "$here/CMakeLists.txt"); do
	names+=("events_$dev")
done
[ "${#names[@]}" -ge 5 ] || { echo "check_build.sh: cannot read the harness list" >&2; exit 1; }
fail=0
for n in "${names[@]}"; do
	bin=$dir/out/$n
	if [ ! -x "$bin" ]; then
		echo "check_build.sh: fuzz/build.sh did not produce $n" >&2
		fail=1
		continue
	fi
	seeds=$dir/seeds/$n
	mkdir -p "$seeds"
	[ -f "$bin"_seed_corpus.zip ] && unzip -q -o "$bin"_seed_corpus.zip -d "$seeds"
	if ! "$bin" -runs=100 "$seeds" >"$dir/$n.log" 2>&1; then
		echo "check_build.sh: $n failed to run (see $dir/$n.log)" >&2
		fail=1
	fi
done
[ "$fail" -eq 0 ] && echo "check_build.sh: ${#names[@]} harnesses built and run: ${names[*]}"
exit "$fail"
