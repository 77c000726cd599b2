#!/usr/bin/env bash
# fuzz/build.sh: build every harness the way OSS-Fuzz and ClusterFuzzLite expect.
#
# They run it with $CC, $CFLAGS (sanitizers, coverage flags), $LIB_FUZZING_ENGINE and $OUT set,
# from the source tree. Each harness fuzz/fuzz_<name>.c becomes $OUT/<name> with its seed
# corpus ($OUT/<name>_seed_corpus.zip) and dictionary ($OUT/<name>.dict). The sources are
# compiled directly (no CMake, no cmocka) so the script needs only a C compiler and zip.
#
# Locally, with clang and libFuzzer:
#   CC=clang CFLAGS="-fsanitize=address,undefined,fuzzer-no-link -g" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out fuzz/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
: "${CC:=clang}" "${CFLAGS:=}" "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}" "${OUT:=build/oss-fuzz}"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# Everything a simulated world links: core, every class, the vdc, the simulator (not its main).
mapfile -t srcs < <(ls core/src/*.c port/vdc/*.c class/*/*.c sim/*.c fuzz/fuzz_world.c 2>/dev/null |
	grep -v '^sim/udsim\.c$')
incs=(-Icore/include -Iport/vdc/include -Isim -Ifuzz)
for d in class/*/include; do incs+=("-I$d"); done

for h in fuzz/fuzz_*.c; do
	name=$(basename "$h" .c)
	name=${name#fuzz_}
	[ "$name" = world ] && continue
	# shellcheck disable=SC2086 # CFLAGS and LIB_FUZZING_ENGINE are word lists by contract
	$CC $CFLAGS -std=c11 "${incs[@]}" "${srcs[@]}" "$h" $LIB_FUZZING_ENGINE -o "$OUT/$name"
	if [ -d "fuzz/corpus/$name" ]; then
		rm -f "$OUT/${name}_seed_corpus.zip"
		(cd "fuzz/corpus/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
	fi
	[ -f "fuzz/$name.dict" ] && cp "fuzz/$name.dict" "$OUT/$name.dict"
	echo "fuzz/build.sh: $OUT/$name"
done
