# bench/lib.sh: helpers for bench/section_*.sh (source it).
# shellcheck shell=bash

# instr PROGRAM ARGS...: the number of instructions callgrind counts for one run.
instr() {
	local f
	f=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$f" "$@" >/dev/null 2>&1
	local n
	n=$(awk '/^summary:/ {print $2}' "$f")
	rm -f "$f"
	echo "$n"
}

# per_unit N1 N2 PROGRAM ARGS-BEFORE-COUNT...: instructions per unit, as
# (instr(N2) - instr(N1)) / (N2 - N1), the program taking the count as its last argument.
per_unit() {
	local n1=$1 n2=$2
	shift 2
	local a b
	a=$(instr "$@" "$n1")
	b=$(instr "$@" "$n2")
	echo $(((b - a) / (n2 - n1)))
}

# profile_fn OUT N PROGRAM ARGS...: one callgrind run of PROGRAM ARGS N; prints "function
# instructions" (self cost) per line, libc functions as "libc:NAME", to show where they go.
profile_fn() {
	local out=$1 n=$2
	shift 2
	valgrind --tool=callgrind --callgrind-out-file="$out" "$@" "$n" >/dev/null 2>&1
	# With debug info, code inlined from a header is listed as "header.h:function" without the
	# "[object]" suffix: those lines count too (in the function they were inlined into).
	callgrind_annotate --threshold=100 "$out" 2>/dev/null | awk '
		/^ *[0-9,]+ \([ 0-9.]+%\)  [^ ]*:/ && !/=>/ && !/PROGRAM TOTALS/ {
			n = $1; gsub(",", "", n)
			line = $0
			obj = ""
			if (line ~ / \[[^]]*\]$/) { obj = line; sub(/.* \[/, "", obj); sub(/\]$/, "", obj) }
			fn = line; sub(/ \[[^]]*\]$/, "", fn); sub(/^ *[0-9,]+ \([ 0-9.]+%\)  /, "", fn)
			sub(/^.*:/, "", fn)
			if (obj ~ /libc\.so/) fn = "libc:" fn
			print fn, n
		}'
}

# fn_layers BUILD LIB:LAYER...: "function layer" for every function the static libraries
# (paths under BUILD) define, to attribute callgrind's per-function self cost. In a library of
# layer "vdc", the functions of vdc_bus.c get layer "wire": the host's transaction and what the
# controller hardware does (silicon), as opposed to the port's operations and interrupt handler.
# So do, in a library of layer "sim", those of the fsdev register model (fsdev_model.c: the
# registers and packet memory the port reads and writes; fsdev_model_bus.c: the host's
# transactions and the interrupt line), which stand for the STM32's USB peripheral.
fn_layers() {
	local build=$1 lib
	shift
	for lib in "$@"; do
		nm --defined-only "$build/${lib%%:*}" | awk -v layer="${lib##*:}" '
			/:$/ { member = $1 }
			NF == 3 && $2 ~ /^[Tt]$/ {
				wire = (layer == "vdc" && member == "vdc_bus.c.o:") ||
				       (layer == "sim" && member ~ /^fsdev_model(_bus)?\.c\.o:$/)
				print $3, wire ? "wire" : layer
			}'
	done | sort -u -k1,1
}

# layer_row LABEL UNITS LAYERS A B FALLBACK LIBC COLUMNS [STDERR_COLUMNS]: one Markdown table
# row "| LABEL | **c1** | c2 | ... |" of instructions per unit, from two profile_fn outputs A and
# B of runs UNITS units apart and the "function layer" map LAYERS (fn_layers). Each function's
# cost B - A goes to its layer; a function the map lacks goes to layer "copy" if it matches the
# regular expression LIBC (libc's data moves), else to layer FALLBACK (the benchmark's loop,
# host model, dynamic loader). COLUMNS is a space-separated list, each column a layer or layers
# added or subtracted ("+", "-"), "all" meaning the sum of every layer: "all-loop" is all but
# the loop. The first column is printed bold. STDERR_COLUMNS, in the same form, are printed on
# one stderr line, for a section's verdicts. Figures are rounded to the nearest integer.
layer_row() {
	awk -v label="$1" -v d="$2" -v fallback="$6" -v libc="$7" -v cols="$8" -v errcols="${9-}" '
		# value(EXPR): the sum of EXPR (see above) over the units, rounded.
		function value(expr,   t, n, i, sign, v) {
			gsub(/[-+]/, " & ", expr)
			n = split(expr, t, " ")
			sign = 1
			for (i = 1; i <= n; i++) {
				if (t[i] == "+") sign = 1
				else if (t[i] == "-") sign = -1
				else v += sign * (t[i] == "all" ? total : sum[t[i]])
			}
			return sprintf("%d", v / d + 0.5)
		}
		FILENAME == ARGV[1] { layer[$1] = $2; next }
		FILENAME == ARGV[2] { a[$1] += $2; next }
		{ b[$1] += $2 }
		END {
			for (f in b) {
				x = b[f] - a[f]
				l = (f in layer) ? layer[f] : (f ~ libc ? "copy" : fallback)
				sum[l] += x
				total += x
			}
			n = split(cols, c, " ")
			row = "| " label " | **" value(c[1]) "** |"
			for (i = 2; i <= n; i++) row = row " " value(c[i]) " |"
			print row
			n = split(errcols, c, " ")
			for (i = 1; i <= n; i++) printf "%s%s", value(c[i]), (i < n ? " " : "\n") >"/dev/stderr"
		}' "$3" "$4" "$5"
}
