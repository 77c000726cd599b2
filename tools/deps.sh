#!/usr/bin/env bash
# tools/deps.sh: the one place that knows which Debian 12 packages udcore needs.
#
#   tools/deps.sh test   everything tools/test.sh needs (compilers, cmocka, lcov, clang-format,
#                        cppcheck...)
#   tools/deps.sh demo   just enough to build and run the udsim demo (tools/demo.sh)
#   tools/deps.sh bench  what bench/run.sh needs (valgrind for instruction counts)
#   tools/deps.sh size   what tools/size.sh needs (the Arm cross compiler and newlib)
#   tools/deps.sh hostvm what tests/hostvm needs (QEMU, busybox, usbip, OpenOCD; a Linux guest
#                        drives the simulated devices over USB/IP)
#
# Missing packages are installed with apt-get when run as root; otherwise the exact
# `sudo apt-get install` line is printed and the script exits 1. Nothing is done when every
# package is already there.
#
# libc6-dev is listed because gcc only recommends it and recommends are not installed.
# To add a package, append it to the list of the set that needs it below. To add a new set,
# add a `name) pkgs=(...)` branch to packages_for.
set -euo pipefail

packages_for() {
	local -a pkgs
	case "$1" in
	demo)
		pkgs=(cmake ninja-build gcc libc6-dev)
		;;
	size)
		pkgs=(cmake ninja-build gawk gcc-arm-none-eabi libnewlib-arm-none-eabi)
		;;
	bench)
		pkgs=(cmake ninja-build gcc libc6-dev valgrind git clang libclang-rt-14-dev libcmocka-dev)
		;;
	test)
		pkgs=(cmake ninja-build gcc libc6-dev clang libclang-rt-14-dev libcmocka-dev lcov
			clang-format cppcheck jq git pkg-config gcc-arm-none-eabi libnewlib-arm-none-eabi
			gcc-riscv64-unknown-elf tshark zip unzip)
		;;
	hostvm)
		pkgs=(cmake ninja-build gcc libc6-dev binutils qemu-system-x86 busybox-static usbip
			openocd)
		;;
	*)
		return 1
		;;
	esac
	printf '%s\n' "${pkgs[@]}"
}

usage() {
	echo "usage: $0 demo|size|bench|test|hostvm" >&2
	exit 2
}

[ $# -eq 1 ] || usage
mapfile -t wanted < <(packages_for "$1" || true)
[ ${#wanted[@]} -gt 0 ] || usage

missing=()
for pkg in "${wanted[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	if [ "$status" != "install ok installed" ]; then
		missing+=("$pkg")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps.sh: all packages for '$1' are installed"
	exit 0
fi

echo "deps.sh: missing Debian packages for '$1': ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	# Wait for another apt/dpkg run (e.g. unattended-upgrades) instead of failing at once.
	lock=(-o DPkg::Lock::Timeout=600)
	apt-get "${lock[@]}" update
	apt-get "${lock[@]}" install -y --no-install-recommends "${missing[@]}"
else
	echo "deps.sh: not root; install them with:" >&2
	echo "sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
