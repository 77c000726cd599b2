#!/usr/bin/env bash
# bench/section_bulk.sh BUILD: the bulk class section of docs/performance.md (see bench/run.sh).
#
# Runs bench_bulk (bench/bench_bulk.c) under callgrind for two packet counts per row and prints
# the difference per packet, in total and split by where the instructions run: the class
# (libud_bulk.a), the core (libudcore.a), the vdc (libud_port_vdc.a), the data copies (libc
# memcpy/memmove/memset, called by the vdc to move packet data as controller hardware or DMA
# would) and the benchmark's own loop and application callback.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

build=${1:?usage: section_bulk.sh BUILD_DIR}
prog=$build/bench/bench_bulk
n1=1024
n2=9216
target=150

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Which library (and for the vdc, which side: lib.sh, fn_layers) defines each function.
fn_layers "$build" core/libudcore.a:core \
	port/vdc/libud_port_vdc.a:vdc \
	class/bulk/libud_bulk.a:class >"$tmp/layers"

# profile N ARGS...: "function instructions" (self cost) for one run of COUNT = N.
profile() {
	local n=$1
	shift
	profile_fn "$tmp/cg" "$n" "$prog" "$@"
}

# row LABEL ARGS...: one table row for bench_bulk ARGS.
row() {
	local label=$1
	shift
	profile "$n1" "$@" >"$tmp/a"
	profile "$n2" "$@" >"$tmp/b"
	# The measure, the device's CPU, is all but layers bench ("loop") and wire (as in the CDC
	# section); it also goes to $tmp/stack (verdicts). The second column adds the wire.
	layer_row "$label" $((n2 - n1)) "$tmp/layers" "$tmp/a" "$tmp/b" bench '^libc:' \
		"all-bench-wire all-bench class core vdc wire copy bench" "all-bench-wire" 2>>"$tmp/stack"
}

# verdict FIRST LAST: "met" if rows FIRST..LAST of the issue's measure are within the target.
verdict() {
	sed -n "$1,$2p" "$tmp/stack" | awk -v t="$target" '
		{ if ($1 > t) bad = 1; if ($1 > max) max = $1 }
		END { if (bad) printf "not met (worst row: %d)", max; else printf "met" }'
}

cat <<EOF
## Bulk class (class/bulk): instructions per packet

\`bench/bench_bulk.c\`: a device with one bulk function (\`ud_bulk.h\`) on the vdc, configured
through the vdc's bus API (reset, SET_ADDRESS, SET_CONFIGURATION; the program links no
simulator code), moves packets in one direction; the application keeps two requests queued
and resubmits each from its completion, as a streaming application does. Per packet: one
transaction on the vdc's bus side (the wire and the controller hardware), and when it ends a
transfer, the controller interrupt and one \`ud_task()\` pass, as a main loop woken by the
interrupt runs it. Callgrind counts two runs of $n1 and $n2 packets; the table shows the
difference divided by $((n2 - n1)), split by where the instructions ran (self cost per
function): the class (\`libud_bulk.a\`), the core (\`libudcore.a\`), the vdc's port side
(its port operations and interrupt handler: what a port's code does on a real controller),
the vdc's wire side (\`vdc_bus.c\`: the host's transaction and the controller hardware's
answer, which silicon does), and "copy" (libc's memcpy moving packet data inside the vdc,
hardware or DMA on a real controller). "Device CPU", the measure, counts all of these but
the wire side, which runs on the host and in silicon, not on the device (the CDC section says
why); "with the wire" adds it. "Loop" is the benchmark's own loop and application callback,
not counted.

| path, packet size, request size | device CPU | with the wire | class | core | vdc: port | vdc: wire | copy | loop |
|---|---|---|---|---|---|---|---|---|
EOF
row "OUT, 64 B (full speed), 4096 B requests" out 64 4096
row "IN, 64 B (full speed), 4096 B requests" in 64 4096
row "OUT, 512 B (high speed), 4096 B requests" out 512 4096
row "IN, 512 B (high speed), 4096 B requests" in 512 4096
row "OUT, 64 B (full speed), 64 B requests" out 64 64
row "IN, 64 B (full speed), 64 B requests" in 64 64
row "OUT, 512 B (high speed), 512 B requests" out 512 512
row "IN, 512 B (high speed), 512 B requests" in 512 512
cat <<EOF

Target (issue 3): at most $target instructions per 64-byte packet each way, on the device's
CPU.

- Streaming (first four rows: the application keeps 4096-byte requests queued, the use the
  class's API is made for; a transfer's fixed cost is shared by 64 packets at full speed,
  8 at high speed): $(verdict 1 2) for 64-byte packets.
- One packet per request (last four rows): $(verdict 5 6). Every packet then pays a whole
  transfer's fixed cost: the completion reported by the interrupt handler, the \`ud_task()\`
  pass that takes it, the next transfer started at the port, the completion callback and the
  resubmit. That floor is what an application that cannot batch (such as CDC, below) pays
  per packet.

The class itself is a thin wrapper of \`ud_ep_submit()\`.
EOF
