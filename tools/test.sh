#!/usr/bin/env bash
# tools/test.sh: the whole test suite, as CI runs it (.ci/run). From a fresh Debian 12 machine:
#
#   1. tools/deps.sh test: installs the missing Debian packages (as root), or prints the
#      apt-get line to run and stops;
#   2. for each of the presets dev, clang, asan, tsan and coverage: `cmake --workflow --preset X`
#      configures build/X, builds everything (tsan: the two-thread tests) and runs ctest (tsan:
#      those tests, under ThreadSanitizer; dev also checks clang-format and runs cppcheck
#      (cmake/cppcheck.sh: any finding fails), coverage enforces the floors of cmake/coverage-floor.txt, fuzz runs every libFuzzer
#      harness for 30 s, docs/fuzzing.md); then the cross presets
#      (cross-m0plus, cross-m4, cross-m7, cross-rv32) build every library with -Os -Werror;
#      then the step examples (not a CMake preset) links the firmware examples/stm32f072-cdc-dap
#      with arm-none-eabi, vendoring udcore as a user would;
#   3. the step hostvm (not a CMake preset): a Linux guest in QEMU drives the simulated devices
#      over USB/IP with its own drivers and tools (tests/hostvm/hostvm.sh, docs/real-hosts.md),
#      if `tools/deps.sh hostvm` succeeds (as root it installs QEMU & co.); skipped otherwise;
#   4. prints one summary line per preset; exits non-zero if any preset failed.
#
# usage: tools/test.sh [PRESET...]   (default: all of the above)
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

bash tools/deps.sh test || exit 1

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(dev clang asan tsan coverage fuzz cross-m0plus cross-m4 cross-m7 cross-rv32 examples hostvm)

# The firmware examples: cross-compiled projects that vendor udcore with add_subdirectory().
build_examples() {
	local b=build/examples/stm32f072-cdc-dap
	cmake -S examples/stm32f072-cdc-dap -B "$b" -G Ninja \
		-DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/arm-none-eabi.cmake" \
		-DUD_ARM_CPU=cortex-m0 -DCMAKE_BUILD_TYPE=MinSizeRel && cmake --build "$b"
}

declare -A result seconds
failed=0
for p in "${presets[@]}"; do
	echo
	echo "=================== preset $p: cmake --workflow --preset $p ==================="
	start=$SECONDS
	if [ "$p" = examples ]; then
		if build_examples; then
			result[$p]=passed
		else
			result[$p]=FAILED
			failed=1
		fi
	elif [ "$p" = hostvm ]; then
		if ! bash tools/deps.sh hostvm; then
			result[$p]=skipped
		elif bash tests/hostvm/hostvm.sh; then
			result[$p]=passed
		else
			result[$p]=FAILED
			failed=1
		fi
	elif cmake --workflow --preset "$p"; then
		result[$p]=passed
	else
		result[$p]=FAILED
		failed=1
	fi
	seconds[$p]=$((SECONDS - start))
done

echo
echo "=================== summary ==================="
for p in "${presets[@]}"; do
	printf 'preset %-9s %-6s (%ss)\n' "$p" "${result[$p]}" "${seconds[$p]}"
done
if [ "$failed" -ne 0 ]; then
	echo "tools/test.sh: FAILED"
	exit 1
fi
echo "tools/test.sh: all presets passed"
