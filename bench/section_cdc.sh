#!/usr/bin/env bash
# bench/section_cdc.sh BUILD: the CDC-ACM section of docs/performance.md (see bench/run.sh).
#
# Runs bench_cdc (bench/bench_cdc.c) under callgrind for two packet counts per direction and
# prints the difference per 64-byte packet, in total and split by where each instruction ran
# (self cost per function): the class (libud_cdc.a), the core (libudcore.a), the vdc's port
# side (libud_port_vdc.a but vdc_bus.c: operations and interrupt handler) and wire side
# (vdc_bus.c: the host's transaction and the controller hardware), libc's memcpy (packet data
# moved by the vdc as a controller's DMA would, and by the class between ring and application
# buffer), the simulator's link-time wrappers, and the benchmark's own loop (with its memcmp
# check of every byte), which is not counted. Then the same for bench_cdc_fsdev, the STM32
# fsdev port over the simulator's register model (information only: the verdict is the vdc's).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/lib.sh
source "$here/lib.sh"

build=${1:?usage: section_cdc.sh BUILD_DIR}
prog=$build/bench/bench_cdc
prog_fsdev=$build/bench/bench_cdc_fsdev
n1=2000
n2=10000
target=250

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Which library (and for the vdc, which side: lib.sh, fn_layers) defines each function.
fn_layers "$build" class/cdc/libud_cdc.a:class \
	core/libudcore.a:core \
	port/vdc/libud_port_vdc.a:vdc \
	sim/libud_sim.a:sim >"$tmp/layers"
# The same for bench_cdc_fsdev: the STM32 fsdev port in place of the vdc, its register model
# (in libud_sim.a) as the wire. A map of its own: both ports name their operations op_*.
fn_layers "$build" class/cdc/libud_cdc.a:class \
	core/libudcore.a:core \
	port/stm32_fsdev/libud_port_stm32_fsdev.a:port \
	sim/libud_sim.a:sim >"$tmp/layers_fsdev"

# profile N DIR: "function instructions" (self cost) for `bench_cdc DIR N`.
profile() {
	profile_fn "$tmp/cg" "$1" "$prog" "$2"
}

# row LABEL DIR: one table row; also appends the total per packet to $tmp/totals.
row() {
	profile "$n1" "$2" >"$tmp/a"
	profile "$n2" "$2" >"$tmp/b"
	# Unmatched functions (main, memcmp, the dynamic loader) are the loop. The first column,
	# the measure, is the device's CPU: all but the loop and the vdc's wire side; the second
	# adds the wire side. The totals: that with the wire, the class, the device's CPU.
	layer_row "$1" $((n2 - n1)) "$tmp/layers" "$tmp/a" "$tmp/b" loop '^libc:.*(memcpy|memmove)' \
		"all-loop-wire all-loop class core vdc wire copy sim loop" \
		"all-loop class all-loop-wire" 2>>"$tmp/totals"
}

# calls CALLGRIND_OUT REGEX: how many calls the run made to the functions whose name matches.
# Callgrind names a function once as "fn=(id) name" or "cfn=(id) name", then by "(id)" alone
# (or by its name every time, without --compress-strings).
calls() {
	awk -v re="$2" '
		/^c?fn=/ {
			s = $0; sub(/^c?fn=/, "", s)
			id = s; sub(/ .*/, "", id)
			if (id !~ /^\(/) name[id] = s
			else if (s ~ / /) { sub(/^[^ ]* /, "", s); name[id] = s }
			if ($0 ~ /^cfn=/) callee = name[id]
		}
		/^calls=/ { split($0, c, /[= ]/); if (callee ~ re) n += c[2] }
		END { print n + 0 }' "$1"
}

# row_fsdev LABEL DIR COPYFN: the same row for bench_cdc_fsdev (no verdict: information only);
# also appends to $tmp/fsdev the device CPU per packet, the port's part, the self cost of its
# packet-memory copy loop COPYFN, and the port's register and packet-memory accesses (calls into
# the model's CPU side, ud_fsdev_config.io), all per packet.
row_fsdev() {
	profile_fn "$tmp/cg1" "$n1" "$prog_fsdev" "$2" >"$tmp/a"
	profile_fn "$tmp/cg2" "$n2" "$prog_fsdev" "$2" >"$tmp/b"
	layer_row "$1" $((n2 - n1)) "$tmp/layers_fsdev" "$tmp/a" "$tmp/b" loop \
		'^libc:.*(memcpy|memmove)' "all-loop-wire all-loop class core port wire copy sim loop" \
		"all-loop-wire port" 2>"$tmp/f"
	local re='^ud_fsdev_model_(read|write)$' k1 k2
	k1=$(calls "$tmp/cg1" "$re")
	k2=$(calls "$tmp/cg2" "$re")
	local copy
	copy=$(awk -v fn="$3" -v d=$((n2 - n1)) '$1 == fn { c += (FILENAME == ARGV[1] ? -$2 : $2) }
		END { printf "%d\n", c / d + 0.5 }' "$tmp/a" "$tmp/b")
	echo "$(cat "$tmp/f") $copy $(((k2 - k1 + (n2 - n1) / 2) / (n2 - n1)))" >>"$tmp/fsdev"
}

cat <<EOF
## CDC-ACM (class/cdc): instructions per 64-byte packet

\`bench/bench_cdc.c\`: the \`cdc\` device of the simulator (\`sim/dev_cdc.c\`: CDC-ACM with
128-byte rings, task context) on the vdc at full speed, enumerated by the simulator's Linux
host, which then reads the SERIAL_STATE the class sends after the configuration (as Linux
does when a tty is opened: nothing is left in flight on the notification endpoint). **OUT** (host to application): the host sends one 64-byte packet, the controller
interrupt is delivered, \`ud_task()\` runs once (the class commits the packet to the receive
ring and re-arms the endpoint), the application calls \`ud_cdc_read()\` for 64 bytes. **IN**
(application to host): the application calls \`ud_cdc_write()\` with 64 bytes (the class
starts the IN transfer), the host reads them with one IN token, the interrupt is delivered
and \`ud_task()\` runs once (the class frees the ring space). The program checks every byte.

Callgrind counts whole runs of $n1 and $n2 packets; the table shows the difference divided by
$((n2 - n1)), split as for the bulk class: class (\`libud_cdc.a\`), core (\`libudcore.a\`),
the vdc's port side (operations and interrupt handler: a port's code on a real controller)
and wire side (\`vdc_bus.c\`: the host's transaction and what the controller hardware does),
copy (libc memcpy: the packet moved by the vdc as a controller's DMA would, and by the class
between the ring and the application's buffer), sim (\`libud_sim.a\`: the pass-through
wrappers the simulator links around \`ud_ep_submit()\` and the vdc's bus calls for its
explorer). "Device CPU", the measure, counts all of these but the wire side; "with the
wire" adds it. "Loop" (the benchmark's own loop and its memcmp check of every byte) is not
counted.

| direction | device CPU | with the wire | class | core | vdc: port | vdc: wire | copy | sim | loop |
|---|---|---|---|---|---|---|---|---|---|
EOF
row "OUT: host to \`ud_cdc_read()\`" out
row "IN: \`ud_cdc_write()\` to host" in
export BENCH_CDC_REQUESTS=1
row "OUT, a port without streams (requests)" out
row "IN, a port without streams (requests)" in
unset BENCH_CDC_REQUESTS
row "IN, streams, two packets per write (the writer ahead of the host)" in2
read -r out_total out_class out_cpu < <(sed -n 1p "$tmp/totals")
read -r in_total in_class in_cpu < <(sed -n 2p "$tmp/totals")
verdict() {
	if [ "$1" -le "$target" ] && [ "$2" -le "$target" ]; then echo "met"; else echo "not met"; fi
}
cat <<EOF

- Target (issue 4): at most $target instructions per packet each way (the first two rows),
  on the device's CPU.
- Device CPU: OUT $out_cpu, IN $in_cpu: **$(verdict "$out_cpu" "$in_cpu")**.
- With the wire side as well: OUT $out_total, IN $in_total ($(verdict "$out_total" "$in_total") by that count).
- The class's own instructions: OUT $out_class, IN $in_class.

Why the measure leaves the wire side out (the team's decision, made when issue 4 was
closed; until then the verdict counted it too, and both figures are still printed):
\`vdc_bus.c\` is the simulator's model of the host and of the controller's silicon. On a
device, those are a PC and hardware; they run none of the device's instructions, and counting
them would make the figure depend on how much the simulator models and checks (a check added
to the simulated host would slow the stack down on paper). Everything the device's CPU runs
is counted: the class, the core, the port's operations and interrupt handler, and every copy,
also the vdc's move of a packet to or from its endpoint, which on a controller without DMA
the port's CPU makes (the fsdev does).

The vdc has endpoint streams (\`ud_stream.h\`): the class gives each data endpoint its ring
and the vdc's interrupt handler moves every packet between the ring and the controller, so a
packet runs no request, no completion and no core code; \`ud_task()\` finds nothing to do. The
"requests" rows are the same benchmark on a vdc without streams (\`BENCH_CDC_REQUESTS\`, as on
a port without them, or in a build with \`UD_STREAMS 0\`): there CDC moves one packet per
transfer in both directions (docs/cdc.md
explains why: a host may send exactly a packet's worth with no ZLP after it), so every packet
pays a whole transfer's fixed cost in the core (the completion, the \`ud_task()\` pass, the
resubmit). The benchmark's IN direction is the stream's worst case: the application writes
one packet at a time, so the stream runs dry after each and the write must kick the port.
The last row shows a writer ahead of the host (\`bench_cdc in2\`: 128 bytes per write, the
host reads two packets, each with its interrupt, then one \`ud_task()\`): the handler finds
the second packet in the ring as the first goes, so the empty-ring check and the kick come
once per two packets. It is not the target row: the issue's measure is one write per packet.

### The same on a real controller's port: \`port/stm32_fsdev\` (information, not the verdict)

\`bench_cdc_fsdev\` is \`bench/bench_cdc.c\` built with \`BENCH_CDC_FSDEV\`: the same device,
workloads and per-packet steps, on \`port/stm32_fsdev\` (the STM32 USB full-speed peripheral,
with endpoint streams) over the simulator's register model of an STM32F072 (\`udsim --port
fsdev\`; 16-bit packet-memory access, 1 KiB). Per packet: the host's transaction on the model,
the interrupt (the port's handler \`ud_fsdev_irq_handler()\`, as the simulator delivers it:
\`ud_sim_fsdev_irq()\`), one \`ud_task()\`, the application's read or write; every byte is
checked, and the model must have counted no bad register or packet-memory access. Same
columns as above, but "port" is \`libud_port_stm32_fsdev.a\` and "wire" the register model
(\`sim/fsdev_model.c\`, \`sim/fsdev_model_bus.c\`).

| direction | device CPU | with the wire | class | core | fsdev: port | fsdev: wire (model) | copy | sim | loop |
|---|---|---|---|---|---|---|---|---|---|
EOF
row_fsdev "OUT: host to \`ud_cdc_read()\`, fsdev, streams" out ud_fsdev_pma_read
row_fsdev "IN: \`ud_cdc_write()\` to host, fsdev, streams" in ud_fsdev_pma_write
read -r fo_cpu fo_port fo_copy fo_acc < <(sed -n 1p "$tmp/fsdev")
read -r fi_cpu fi_port fi_copy fi_acc < <(sed -n 2p "$tmp/fsdev")
cat <<EOF

These rows are information: the verdict above stays on the vdc rows and does not read them.
They show what a real controller's port costs where the vdc's port is a model: the fsdev has
no DMA, so the port's CPU moves every packet between the ring and the peripheral's packet
memory itself, two bytes per access: \`ud_fsdev_pma_read()\` OUT, $fo_copy of the port's
$fo_port; \`ud_fsdev_pma_write()\` IN, $fi_copy of $fi_port. "Copy" is only the class's
memcpy between the ring and the application's buffer.

What counts as the port's and what as the model's. The port's column is every instruction of
\`libud_port_stm32_fsdev.a\`: its operations, its interrupt handler, the toggle-safe EPnR
writes (\`fsdev_regs.c\`), the descriptor-table and packet-memory loops (\`fsdev_pma.c\`): the
code a real STM32 runs. Each register or packet-memory access of that code goes through the
one access layer of \`fsdev_regs.h\`; on the target it is a volatile load or store, but this
host build (\`UD_FSDEV_HOSTED\`, every build that is not cross-compiled) makes it a call
through \`ud_fsdev_config.io\`: \`f->cfg.io->read(f->cfg.io_ctx, address, width)\`. The callee,
\`ud_fsdev_model_read()\` or \`ud_fsdev_model_write()\` (address decode, width and range
checks, the register's write semantics, the packet memory's bytes), stands for the
peripheral's bus interface and counts as wire, as do the model's host transactions (what the
silicon does on the bus, the packet's move between the wire and the packet memory) and the
interrupt's delivery (the line, and the simulator's check that the handler did not leave it
stuck). The port made $fo_acc such accesses per packet OUT, $fi_acc IN.

How the hosted accessors distort the port's column, against a real volatile load or store:

- Each access costs the port a call sequence instead of one load or store: \`cfg.io\`, its
  function pointer and \`cfg.io_ctx\` loaded, the width argument, the indirect call (about 4
  x86-64 instructions where the target has 1). And as the call is opaque, the compiler keeps
  less in registers across it: the port's functions save and restore more registers and load
  \`f->cfg\` fields again after each access. The port's column is over-counted by roughly 4
  per access, about $((4 * fo_acc)) OUT and $((4 * fi_acc)) IN here.
- The interrupt masking around task-context operations (\`fsdev_lock()\`: PRIMASK saved, set,
  restored; here the IN direction's kick) compiles to nothing on the host: under-counted by a
  few instructions.
- This build chooses the packet-memory access scheme at run time (\`f->cfg.pma_access\`, tested
  wherever an address is worked out); a firmware for one family fixes it with
  \`UD_FSDEV_PMA_ACCESS\`, and the other two schemes' code drops out.
- The counts are x86-64 instructions: a Cortex-M0+ runs the same C as Thumb instructions, in
  other numbers. Compare these rows with each other and with the vdc rows, not with cycles.

Device CPU on the fsdev: OUT $fo_cpu, IN $fi_cpu (not the issue's measure: see above).
EOF
