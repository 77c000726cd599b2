#!/usr/bin/env bash
# run.sh: one boot of the test VM against simulated udcore devices.
#
#   UDSIM=path/to/udsim tests/hostvm/run.sh [KERNEL-ARG...]
#
# For each device it starts `udsim --device NAME serve --usbip 127.0.0.1:0` (its own port),
# computes what the device declares (device and configuration descriptors, read by udsim's own
# host model), boots the kernel and initrd of prepare.sh under QEMU with guest-init.sh as
# /init, and judges: the guest's verdict (usbtest, cdc_acm echo, OpenOCD), the descriptors the
# guest's usbcore read against the declared ones, and the servers' logs (no connection closed
# for a protocol error).
#
# Environment:
#   UDSIM           the udsim binary (required)
#   HOSTVM_DIR      cache (default build/hostvm); HOSTVM_LOGS the logs (default $HOSTVM_DIR/logs)
#   DEVICES         devices to attach (default "zero-mod63 zero cdc dap dap-v1"); one that
#                   `udsim devices` does not list is skipped with a message
#   FAULT           a `udsim serve --fault` for every server (negative control)
#   SERVER_ARGS     more `udsim serve` options, e.g. --log-urbs
#   USBTESTS        usbtest cases to run on zero-mod63, comma separated (default: the list)
#   ACMBYTES        bytes echoed through /dev/ttyACM0 (default 1 MiB)
#   EXPECT          pass (default) or fail: with fail, every device's checks in the guest
#                   must fail (exit 0 if they all did, 1 if one passed)
#   ACCEL           tcg (default) or kvm;  SMP (2), MEM (512), TIMEOUT (300 s)
#   INTERACTIVE=1   console on this terminal and a guest shell after the checks (Ctrl-A x)
#
# Exit status: 0 as expected, 1 not, 2 setup error. Logs: $HOSTVM_DIR/logs/.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
D=${HOSTVM_DIR:-$ROOT/build/hostvm}
LOGS=${HOSTVM_LOGS:-$D/logs}
DEVICES=${DEVICES:-zero-mod63 zero cdc dap dap-v1}
EXPECT=${EXPECT:-pass}
ACCEL=${ACCEL:-tcg}
TIMEOUT=${TIMEOUT:-300}
UDSIM=${UDSIM:?set UDSIM to the udsim binary}

say() { echo "hostvm: $*"; }
setup_error() {
	say "setup error: $*"
	exit 2
}

if [ ! -f "$D/initrd.gz" ] || [ ! -f "$D/kernel/vmlinuz" ]; then
	setup_error "run tests/hostvm/prepare.sh first"
fi
[ -x "$UDSIM" ] || setup_error "$UDSIM is not executable"
mkdir -p "$LOGS"
rm -f "$LOGS"/*

# Gadget Zero and the v2 probe at high speed (512-byte bulk packets); the CDC device is built
# full-speed only; the HID probe at full speed covers the other speed.
speed_of() {
	case "$1" in
	cdc | dap-v1) echo full ;;
	*) echo high ;;
	esac
}

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}
trap cleanup EXIT

# What the device declares: device descriptor + whole configuration descriptor, as udsim's
# host model reads them after a Linux-style enumeration.
declared() {
	"$UDSIM" --device "$1" --speed "$(speed_of "$1")" run - <<-EOF |
		attach linux
		setup 80 06 0100 0000 0012
		setup 80 06 0200 0000 0fff
	EOF
		sed -n 's/.*"op":"setup".*"data":"\([0-9a-f]*\)".*/\1/p' | tr -d '\n'
}

known=$("$UDSIM" devices | awk '{ print $1 }')
spec=""
attached=()
fault_opt=()
[ -z "${FAULT:-}" ] || fault_opt=(--fault "$FAULT")
for dev in $DEVICES; do
	if ! grep -qx -- "$dev" <<<"$known"; then
		say "SKIP $dev: \`udsim devices\` does not list it (the device has not landed yet)"
		continue
	fi
	slog=$LOGS/server-$dev.log
	# shellcheck disable=SC2086 # SERVER_ARGS is a list of options
	"$UDSIM" --device "$dev" --speed "$(speed_of "$dev")" serve --usbip 127.0.0.1:0 \
		"${fault_opt[@]}" ${SERVER_ARGS:-} >"$slog" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do
		grep -qs listening "$slog" && break
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 0.05
	done
	line=$(grep -m1 listening "$slog") || setup_error "udsim serve --device $dev did not start: $(cat "$slog")"
	port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\),.*/\1/p' <<<"$line")
	id=$(sed -n 's/.*(\([0-9a-f]\{4\}:[0-9a-f]\{4\}\),.*/\1/p' <<<"$line")
	if [ -z "$port" ] || [ -z "$id" ]; then
		setup_error "cannot parse '$line'"
	fi
	declared "$dev" >"$LOGS/declared-$dev.hex"
	[ -s "$LOGS/declared-$dev.hex" ] || setup_error "udsim could not read the descriptors of $dev"
	spec="${spec:+$spec,}$dev@$port@$id"
	attached+=("$dev")
	say "$dev: udsim serve on port $port ($id, $(speed_of "$dev") speed)${FAULT:+, fault $FAULT}"
done
[ ${#attached[@]} -gt 0 ] || setup_error "no device to attach"

kargs="console=ttyS0 quiet panic=-1 hostvm.devs=$spec usbtest.pattern=1"
[ -z "${USBTESTS:-}" ] || kargs="$kargs hostvm.usbtests=$USBTESTS"
[ -z "${ACMBYTES:-}" ] || kargs="$kargs hostvm.acmbytes=$ACMBYTES"
[ "${INTERACTIVE:-0}" != 1 ] || kargs="$kargs hostvm.shell=1"
# shellcheck disable=SC2054 # commas inside QEMU option values
accel=(-accel tcg,thread=multi)
[ "$ACCEL" != kvm ] || accel=(-accel kvm -cpu host)
# shellcheck disable=SC2054
qemu=(qemu-system-x86_64 "${accel[@]}" -smp "${SMP:-2}" -m "${MEM:-512}" -no-reboot
	-nodefaults -display none -kernel "$D/kernel/vmlinuz" -initrd "$D/initrd.gz"
	-append "$kargs $*" -netdev user,id=n0 -device virtio-net-pci,netdev=n0,romfile=)

if [ "${INTERACTIVE:-0}" = 1 ]; then
	"${qemu[@]}" -serial mon:stdio
	exit 0
fi

start=$SECONDS
timeout "$TIMEOUT" "${qemu[@]}" -serial stdio </dev/null >"$LOGS/console.log" 2>&1
qrc=$?
took=$((SECONDS - start))
cleanup
pids=()
tr -d '\r' <"$LOGS/console.log" >"$LOGS/console.txt"
grep -E 'HOSTVM\[|usbtest T|openocd\|.*(DPIDR|MEMCHECK|Error)|^qemu' "$LOGS/console.txt"

failures=0
problem() {
	failures=$((failures + 1))
	say "FAIL: $*"
}
grep -q 'HOSTVM.*RESULT: PASS' "$LOGS/console.txt" || problem "the guest did not report PASS"
for dev in "${attached[@]}"; do
	got=$(sed -n "s/^HOSTVM DESC $dev //p" "$LOGS/console.txt")
	want=$(cat "$LOGS/declared-$dev.hex")
	if [ -z "$got" ]; then
		problem "$dev: the guest did not report its descriptors"
	elif [ "$got" != "$want" ]; then
		problem "$dev: descriptors read by the guest's usbcore differ from the declared ones"
		say "  declared: $want"
		say "  guest:    $got"
	else
		say "$dev: the guest's usbcore read the declared descriptors ($((${#want} / 2)) bytes)"
	fi
	if grep -q 'closing connection' "$LOGS/server-$dev.log"; then
		problem "$dev: the server closed a connection for a protocol error:"
		grep 'closing connection' "$LOGS/server-$dev.log" | sed 's/^/    /'
	fi
done
say "QEMU exit status $qrc, ${took}s (console: $LOGS/console.txt, servers: $LOGS/server-*.log)"

if [ "$EXPECT" = fail ]; then
	# Every device's own check must have caught the fault.
	missed=0
	for dev in "${attached[@]}"; do
		if grep -q "HOSTVM\[.*FAIL: $dev: " "$LOGS/console.txt"; then
			say "negative control: $dev: the fault${FAULT:+ ($FAULT)} was caught: $(grep -m1 "FAIL: $dev: " "$LOGS/console.txt" | sed 's/.*FAIL: //')"
		else
			say "negative control FAILED: $dev: the fault${FAULT:+ ($FAULT)} went unnoticed"
			missed=$((missed + 1))
		fi
	done
	[ $missed -eq 0 ] && exit 0
	exit 1
fi
if [ $failures -eq 0 ]; then
	say "PASS"
	exit 0
fi
say "FAIL ($failures)"
exit 1
