#!/usr/bin/env bash
# bench/section_dap.sh BUILD: the CMSIS-DAP section of docs/performance.md (see bench/run.sh).
#
# Two tables from bench_dap (bench/bench_dap.c): target-memory read throughput of the v2
# transport in bytes per millisecond of simulated full-speed bus time, against what the bus
# (and the SWD clock) allows; and callgrind's instructions per DAP_TransferBlock command,
# split by where they run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

build=${1:?usage: section_dap.sh BUILD_DIR}
prog=$build/bench/bench_dap
commands=400
n1=200
n2=1000

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# thr SIZE IN_FLIGHT SWD_KHZ: one throughput row.
thr() {
	local size=$1 window=$2 khz=$3 clock
	if [ "$khz" -eq 0 ]; then clock="instant"; else clock="$((khz / 1000)) MHz"; fi
	"$prog" "$size" "$window" "$khz" "$commands" | awk -v clock="$clock" '{
		bound = $8; if ($9 > 0 && $9 < bound) bound = $9
		printf "| %d B | %d | %s | **%.0f** | %.0f | %s | %.1f %% | %.2f |\n",
			$1, $2, clock, $7, $8, ($9 > 0 ? sprintf("%.0f", $9) : "-"),
			100 * $7 / bound, $11 / $4
	}'
}

# Function names by layer, to attribute callgrind's per-function self cost.
layers() {
	nm --defined-only "$build/class/dap/libud_dap.a" | awk '
		/\.o:$/ { obj = $0; next }
		NF == 3 && $2 ~ /^[Tt]$/ {
			print $3, (obj ~ /^dap_(probe|queue|v1|v2)\.c\.o:$/ ? "transport" : "engine")
		}'
	nm --defined-only "$build/class/hid/libud_hid.a" | awk 'NF == 3 && $2 ~ /^[Tt]$/ { print $3, "transport" }'
	nm --defined-only "$build/core/libudcore.a" | awk 'NF == 3 && $2 ~ /^[Tt]$/ { print $3, "core" }'
	nm --defined-only "$build/port/vdc/libud_port_vdc.a" | awk 'NF == 3 && $2 ~ /^[Tt]$/ { print $3, "vdc" }'
	nm --defined-only "$build/sim/libud_sim.a" | awk '
		/\.o:$/ { obj = $0; next }
		NF == 3 && $2 ~ /^[Tt]$/ && obj ~ /^swd_target\.c\.o:$/ { print $3, "target" }'
}
layers | sort -u >"$tmp/layers"

profile() {
	local n=$1
	shift
	profile_fn "$tmp/cg" "$n" "$prog" "$@"
}

# instr LABEL ARGS...: instructions per command for bench_dap ARGS COUNT.
instr_row() {
	local label=$1
	shift
	profile "$n1" "$@" >"$tmp/a"
	profile "$n2" "$@" >"$tmp/b"
	# "probe" is what runs on the device: transport + engine + core + vdc.
	layer_row "$label" $((n2 - n1)) "$tmp/layers" "$tmp/a" "$tmp/b" host '^libc:' \
		"transport engine core vdc transport+engine+core+vdc target copy host"
}

cat <<EOF
## CMSIS-DAP v2 (class/dap): target-memory read throughput

\`bench/bench_dap.c\`: a CMSIS-DAP v2 probe (\`ud_dap.h\`, the real engine, 8 packet slots) on
a full-speed vdc (64-byte bulk endpoints) in front of the simulated SWD target (\`sim/
swd_target.h\`). After connecting (DAP_Connect, SWJ sequences, DPIDR, power-up, CSW, TAR) the
host reads target RAM with $commands DAP_TransferBlock commands, each for as many words as a
response packet holds (15 in 64 bytes, 127 in 512), keeping up to "in flight" commands
outstanding as pyOCD does with the packet count, and checks every byte read.

Bus time is counted in byte times: a transaction costs its payload plus 13 bytes of protocol
overhead (tokens, handshake, CRC, inter-packet delays; USB 2.0 table 5-9), a 1 ms frame holds
19 x (64 + 13) = 1463 of them, the "19 bulk packets of 64 bytes per frame" of the
specification, and no transaction crosses a frame boundary; a NAKed transaction costs 9. The
device's main loop (interrupts, \`ud_task()\`) runs after every transaction; commands execute in
another context (\`ud_dap_process()\`), at once ("instant") or in the time their SWD transfers
take at the given clock (46 cycles per transfer; a block of n reads is n + 1 transfers), while
the bus goes on. "Bus bound" is what the bus allows for DAP_TransferBlock responses under the
same cost model: per command one OUT transaction with the 5-byte request plus the response's
packets, nothing else, frames filled to the last byte, so no schedule can exceed it (64-byte
packets: 60 data bytes per 18 + 77 byte times). "SWD bound" is what the SWD clock allows.
"% of bound" is measured over the smaller bound; the few per cent missing at "instant" are the
ends of frames too short for the next transaction. Counting response packets alone (19 per
frame, all of each but the 4-byte header data) would give 1140 B/ms for 64-byte and 1206 B/ms
for 512-byte packets, a ceiling no command stream reaches.

| packet size | in flight | SWD clock | measured, B/ms | bus bound | SWD bound | % of bound | NAKs per command |
|---|---|---|---|---|---|---|---|
EOF
thr 64 1 0
thr 64 4 0
thr 512 4 0
thr 64 1 8000
thr 64 4 8000
thr 512 1 8000
thr 512 4 8000
thr 64 1 24000
thr 64 4 24000
cat <<EOF

512-byte packets ride on the 64-byte full-speed endpoints as 8-packet responses (the host
reads packet-size transfers; the ZLP rules hold). With one command in flight the bus idles
while each executes; with the packet count in flight the queue keeps OUT armed and the next
response ready, and the reads run at the smaller of the two bounds.

Instructions per DAP_TransferBlock command (callgrind, runs of $n1 and $n2 commands, the
difference divided by $((n2 - n1)); self cost per function by library). "Transport" is
class/dap's queue and v2 function; "engine" the command engine; "probe" the sum of what runs
on the device (transport + engine + core + vdc, the vdc standing in for the controller);
"target" the simulated SWD target, "copy" libc's memcpy/memset, "host" the host model and the
benchmark's own loop, none of them part of a probe.

| packets, in flight | transport | engine | core | vdc | probe | target | copy | host |
|---|---|---|---|---|---|---|---|---|
EOF
instr_row "64 B, 4 in flight" 64 4 0
instr_row "512 B, 4 in flight" 512 4 0
