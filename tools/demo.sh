#!/usr/bin/env bash
# tools/demo.sh: build the simulator and enumerate a virtual USB device, no hardware needed.
#
#   1. tools/deps.sh demo: installs cmake, ninja-build, gcc and libc6-dev if missing (as root),
#      or prints the apt-get line to run and stops;
#   2. configures the dev preset (tests off: the demo needs no test packages) and builds only
#      the udsim target;
#   3. runs examples/demo.uds: one JSON line per host action.
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
