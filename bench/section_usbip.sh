#!/usr/bin/env bash
# bench/section_usbip.sh BUILD: the USB/IP server section of docs/performance.md (see
# bench/run.sh).
#
# Runs bench_usbip (bench/bench_usbip.c) under callgrind for two URB counts per row and prints
# the difference per URB: everything one URB costs the server once its bytes are off the
# socket (allocation, the URB engine, the host model, the vdc, the core, the class, the
# RET_SUBMIT header), and the same per byte moved.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

build=${1:?usage: section_usbip.sh BUILD_DIR}
prog=$build/bench/bench_usbip
n1=100
n2=500

# row LABEL BYTES ARGS...: one table row for bench_usbip ARGS COUNT.
row() {
	local label=$1 bytes=$2 n
	shift 2
	n=$(per_unit "$n1" "$n2" "$prog" "$@")
	awk -v l="$label" -v n="$n" -v b="$bytes" \
		'BEGIN { printf "| %s | **%d** | %.1f |\n", l, n, n / b }'
}

cat <<EOF
## USB/IP server (sim/usbip_*.c): instructions per URB

\`bench/bench_usbip.c\` attaches Gadget Zero (\`zero\`) and configures it as \`udsim serve\`
does, then sends URBs through the server's URB engine one after the other, as a client that
waits for each reply: each URB is allocated, cut into packets on the virtual bus (the host
model, the vdc, the core and the class all run, in auto mode: every packet pumps the
controller's interrupts and \`ud_task()\`), merged back, and its RET_SUBMIT header built. The
sockets are left out: they cost the same for any device. Callgrind counts two runs of $n1 and
$n2 URBs; the table shows the difference divided by $((n2 - n1)).

| URB | instructions per URB | per byte |
|---|---|---|
EOF
row "bulk IN, 4096 B, high speed (8 packets)" 4096 in high 4096
row "bulk OUT, 4096 B + ZLP, high speed (9 packets)" 4096 out high 4096
row "bulk IN, 4096 B, full speed (64 packets)" 4096 in full 4096
row "bulk IN, 64 B, full speed (1 packet)" 64 in full 64
row "control IN, GET_DESCRIPTOR(device), 18 B" 18 control full 0
cat <<EOF

In the \`hostvm\` test the guest, not the server, sets the pace: a Linux guest under QEMU
without KVM needs 1.5 to 10 ms per URB round trip (usbtest case 1, 100 writes one after the
other, takes 0.15 to 1 s depending on the machine's load), orders of magnitude more than
these counts.
EOF
