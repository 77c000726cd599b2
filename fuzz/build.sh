#!/usr/bin/env bash
# fuzz/build.sh: build every harness the way OSS-Fuzz and ClusterFuzzLite expect.
#
# They run it with $CC, $CFLAGS (sanitizers, coverage flags), $LIB_FUZZING_ENGINE, $OUT and
# $WORK set, from the source tree. The harnesses are the ones fuzz/CMakeLists.txt declares (the
# same list the test command fuzzes, so the two cannot drift apart): CMake builds them with
# UD_FUZZ=ON and without the tests, so neither cmocka nor anything but a C compiler, CMake and
# zip is needed. Each fuzz_<name> becomes $OUT/<name> with its seed corpus
# ($OUT/<name>_seed_corpus.zip) and, where there is one, its dictionary ($OUT/<name>.dict).
#
# Locally, with clang and libFuzzer:
#   CC=clang CFLAGS="-fsanitize=address,undefined,fuzzer-no-link -g" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out fuzz/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${CC:=clang}" "${CFLAGS:=}" "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}" "${OUT:=build/oss-fuzz}"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
if [ -n "${WORK:-}" ]; then
	build=$WORK/udcore-fuzz
else
	build=$(mktemp -d)
	trap 'rm -rf "$build"' EXIT
fi

# CFLAGS go to the link too (CMake passes CMAKE_C_FLAGS to it), so the sanitizers' runtimes
# are linked; the engine only into the harnesses. Ninja where there is one: tools/deps.sh
# installs it, not make (only a recommendation of Debian's cmake), so the test command works
# on a fresh machine; OSS-Fuzz's images have make.
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
cmake -S . -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$CC" \
	-DCMAKE_C_FLAGS="$CFLAGS" -DUD_BUILD_TESTS=OFF -DUD_BUILD_SIM=ON -DUD_WERROR=OFF \
	-DUD_FUZZ=ON -DUD_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" >/dev/null
cmake --build "$build" --parallel "$(nproc)"

count=0
for bin in "$build"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	name=${name#fuzz_}
	cp "$bin" "$OUT/$name"
	if [ -d "fuzz/corpus/$name" ]; then
		rm -f "$OUT/${name}_seed_corpus.zip"
		(cd "fuzz/corpus/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
	fi
	[ -f "fuzz/$name.dict" ] && cp "fuzz/$name.dict" "$OUT/$name.dict"
	echo "fuzz/build.sh: $OUT/$name"
	count=$((count + 1))
done
if [ "$count" -eq 0 ]; then
	echo "fuzz/build.sh: no harness was built (see $build)" >&2
	exit 1
fi
