#!/usr/bin/env bash
# tools/demo.sh: build the simulator and enumerate a virtual USB device, no hardware needed.
#
#   1. tools/deps.sh demo: installs cmake, ninja-build, gcc and libc6-dev if missing (as root),
#      or prints the apt-get line to run and stops;
#   2. configures the dev preset (tests off: the demo needs no test packages) and builds only
#      the udsim target;
#   3. runs examples/demo.uds: one JSON line per host action;
#   4. asks the explorer (docs/verification.md) whether any order of interrupts, main loop,
#      DAP thread, host and faults makes a CMSIS-DAP probe stop answering: the real one
#      (class/dap) is proven, `dap-flawed` (DAPLink #1026's queue logic, a deliberate
#      negative control) is caught with a counterexample.
#
# usage: tools/demo.sh [SCRIPT]   (default: examples/demo.uds)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash tools/deps.sh demo

script=${1:-examples/demo.uds}

cmake --preset dev -DUD_BUILD_TESTS=OFF
cmake --build --preset dev --target udsim

echo
echo "=== build/dev/sim/udsim --device minimal run $script ==="
build/dev/sim/udsim --device minimal run "$script"

udsim=build/dev/sim/udsim
echo
echo "=== the explorer: can ANY order of interrupts, main loop, DAP thread, host and faults"
echo "=== (bus reset, disconnect, SET_CONFIGURATION, SET_INTERFACE, clear-halt, suspend) make a"
echo "=== CMSIS-DAP probe lose, repeat or stop sending a response?  (docs/verification.md)"
echo
echo "--- the probe of class/dap: $udsim --device dap explore --depth 64 --faults all"
$udsim --device dap explore --depth 64 --faults all --no-progress
echo
echo "--- dap-flawed, a probe with DAPLink #1026's queue logic (broken on purpose):"
echo "--- $udsim --device dap-flawed explore --depth 12"
status=0
$udsim --device dap-flawed explore --depth 12 --no-progress \
	--out build/dev/counterexample-dap-flawed.uds || status=$?
if [ "$status" -ne 1 ]; then
	echo "demo.sh: the explorer should have caught dap-flawed (exit 1), it exited $status" >&2
	exit 1
fi
echo
echo "demo.sh: done. Replay the counterexample: $udsim replay build/dev/counterexample-dap-flawed.uds"
