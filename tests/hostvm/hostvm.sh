#!/usr/bin/env bash
# hostvm.sh: the real-host test, as tools/test.sh runs it (docs/real-hosts.md, "The test").
#
# A stock Debian 12 kernel boots under QEMU (TCG, no KVM needed) with a busybox initramfs and
# attaches simulated udcore devices, exported by `udsim serve`, over USB/IP; its own drivers
# and tools drive them: usbcore enumerates them (descriptors compared with what the devices
# declare), usbtest runs its cases on Gadget Zero, cdc_acm echoes 1 MiB through /dev/ttyACM0,
# OpenOCD drives both CMSIS-DAP probes. Then a negative control: with `udsim serve --fault
# corrupt-in` (a byte flipped in every 4th IN transfer) every device's checks must fail.
#
#   1. builds udsim (Release) into $HOSTVM_DIR/udsim-build
#   2. prepare.sh: kernel (downloaded once), initrd (rebuilt when an input changes)
#   3. run.sh with every device: must pass
#   4. run.sh with the fault: must fail
#   5. run.sh with `cdc` on the STM32 fsdev port and its register model (`--port fsdev`): must
#      pass (the port's endpoint streams under Linux's cdc_acm, as on an STM32F072)
#
# Needs the packages of `tools/deps.sh hostvm`. HOSTVM_DIR (default build/hostvm) holds the
# cache; logs in $HOSTVM_DIR/logs (positive run), $HOSTVM_DIR/logs-fault and logs-fsdev.
# Exit status 0 if all three runs went as they must.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export HOSTVM_DIR=${HOSTVM_DIR:-$ROOT/build/hostvm}
D=$HOSTVM_DIR
mkdir -p "$D"

say() { echo "hostvm: $*"; }
t0=$SECONDS

# Release for speed; warnings are the other presets' business (-Werror off), this one only runs.
say "building udsim (Release) in $D/udsim-build"
if ! cmake -S "$ROOT" -B "$D/udsim-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
	-DUD_BUILD_SIM=ON -DUD_BUILD_TESTS=OFF -DUD_WERROR=OFF >"$D/udsim-build.log" 2>&1 ||
	! cmake --build "$D/udsim-build" --target udsim >>"$D/udsim-build.log" 2>&1; then
	cat "$D/udsim-build.log"
	say "FAILED: cannot build udsim"
	exit 1
fi
export UDSIM=$D/udsim-build/sim/udsim

t1=$SECONDS
bash "$HERE/prepare.sh" || {
	say "FAILED: cannot prepare the VM"
	exit 1
}

t2=$SECONDS
say "run 1: every device, must pass"
bash "$HERE/run.sh"
pos=$?

t3=$SECONDS
say "run 2 (negative control): \`udsim serve --fault corrupt-in\`, every device's checks must fail"
HOSTVM_LOGS=$D/logs-fault DEVICES="zero-mod63 cdc dap dap-v1" USBTESTS=2,4 ACMBYTES=65536 \
	FAULT=corrupt-in EXPECT=fail TIMEOUT=120 bash "$HERE/run.sh"
neg=$?
t4=$SECONDS

say "run 3: \`cdc\` on port/stm32_fsdev (register model, endpoint streams), must pass"
HOSTVM_LOGS=$D/logs-fsdev DEVICES=cdc SERVER_ARGS="--port fsdev" ACMBYTES=262144 \
	bash "$HERE/run.sh"
fsd=$?
# The server says which controller it runs: a run that fell back to the vdc proves nothing here.
if ! grep -qs "on port/stm32_fsdev" "$D/logs-fsdev/server-cdc.log"; then
	say "run 3: the cdc server did not run on port/stm32_fsdev"
	fsd=1
fi
t5=$SECONDS

say "times: build $((t1 - t0))s, prepare $((t2 - t1))s, run 1 $((t3 - t2))s, run 2 $((t4 - t3))s, run 3 $((t5 - t4))s, total $((t5 - t0))s"
if [ $pos -eq 0 ] && [ $neg -eq 0 ] && [ $fsd -eq 0 ]; then
	say "all passed"
	exit 0
fi
say "FAILED (run 1: exit $pos, negative control: exit $neg, fsdev: exit $fsd)"
exit 1
