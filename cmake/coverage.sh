#!/usr/bin/env bash
# cmake/coverage.sh: line and branch coverage of udcore with lcov, and the coverage floor.
#
# usage: cmake/coverage.sh --build-dir DIR [options]      capture, report, check
#        cmake/coverage.sh --info FILE [options]           report and check an existing tracefile
#
#   --build-dir DIR    build tree with the .gcno/.gcda files (a --coverage build after its tests)
#   --source-dir DIR   udcore source tree (default: the tree this script is in)
#   --floor-file FILE  floors to enforce (default: cmake/coverage-floor.txt)
#   --out DIR          where lcov/*.info and html/ go (default: the build dir)
#   --info FILE        skip the capture: report on and check FILE (an lcov tracefile)
#   --gcov-tool TOOL   gcov matching the compiler (default: gcov)
#   --no-html          do not run genhtml
#
# Only core/, class/ and port/ count (tests/, sim/ and system headers are removed). Every line
# `DIR PERCENT` of the floor file requires the line coverage of the files under DIR/ to be at
# least PERCENT; a DIR with no files yet is skipped.
#
# Exit status: 0 all floors met; 3 a floor is not met; 1 any other failure; 2 bad usage.
# Registered as the ctest `coverage_floor` (and `coverage_floor_negative`, which checks that a
# floor of 101 % fails) by cmake/UdCoverage.cmake, in the coverage preset.
set -euo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
build=""
floor_file=""
out=""
info=""
gcov_tool=gcov
html=1

die() {
	echo "coverage.sh: ERROR: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) build=$2; shift 2 ;;
	--source-dir) src=$(cd "$2" && pwd -P); shift 2 ;;
	--floor-file) floor_file=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--info) info=$2; shift 2 ;;
	--gcov-tool) gcov_tool=$2; shift 2 ;;
	--no-html) html=0; shift ;;
	*) echo "coverage.sh: unknown argument '$1' (see the header of $0)" >&2; exit 2 ;;
	esac
done

[ -n "$floor_file" ] || floor_file="$src/cmake/coverage-floor.txt"
[ -f "$floor_file" ] || die "no floor file '$floor_file'"
[ -n "$build" ] || [ -n "$info" ] || { echo "coverage.sh: need --build-dir or --info" >&2; exit 2; }

branch=(--rc lcov_branch_coverage=1)

if [ -z "$info" ]; then
	command -v lcov >/dev/null || die "lcov not found (tools/deps.sh test installs it)"
	build=$(cd "$build" && pwd -P)
	[ -n "$out" ] || out=$build
	mkdir -p "$out/lcov"
	data="$out/lcov"
	# No stale tracefile may survive a failed capture (coverage_floor_negative reads it).
	rm -f "$data"/*.info
	# lcov 1.16 on Debian 12 warns "Subroutine ... redefined" on every run: noise, filtered.
	run_lcov() {
		local err rc=0
		err=$(mktemp)
		lcov --quiet "${branch[@]}" --gcov-tool "$gcov_tool" "$@" 2>"$err" || rc=$?
		grep -v '^Subroutine .* redefined at ' "$err" >&2 || true
		rm -f "$err"
		return "$rc"
	}

	# A zero baseline from the .gcno files, so that compiled code no test ran counts as missed.
	run_lcov --capture --initial --directory "$build" --output-file "$data/baseline.info" ||
		die "lcov --capture --initial failed"
	run_lcov --capture --directory "$build" --output-file "$data/tests.info" ||
		die "lcov --capture failed (did the tests run?)"
	run_lcov --add-tracefile "$data/baseline.info" --add-tracefile "$data/tests.info" \
		--output-file "$data/all.info" || die "lcov --add-tracefile failed"
	run_lcov --extract "$data/all.info" "$src/core/*" "$src/class/*" "$src/port/*" \
		--output-file "$data/extracted.info" || die "lcov --extract failed"
	run_lcov --remove "$data/extracted.info" "$src/tests/*" "$src/sim/*" "/usr/*" \
		--output-file "$data/coverage.info" ||
		die "lcov --remove failed (was no file of core/, class/ or port/ compiled with --coverage?)"
	info="$data/coverage.info"

	if [ "$html" -eq 1 ]; then
		genhtml --quiet --branch-coverage "${branch[@]}" --title udcore --prefix "$src" \
			--legend --output-directory "$out/html" "$info" || die "genhtml failed"
		echo "coverage.sh: HTML report: $out/html/index.html"
	fi
else
	[ -f "$info" ] || die "no tracefile '$info'"
fi

# Per-directory totals (core, class/<name>, port/<name>, ...) and the floor check, from the
# LF/LH/BRF/BRH records of the tracefile. Paths are made relative to the source tree.
awk -v src="$src/" -v floor_file="$floor_file" '
function pct(hit, found) {
	return found ? sprintf("%6.2f%%", 100.0 * hit / found) : "     -  "
}
function group(rel,    n, p) {
	n = split(rel, p, "/")
	if (n > 2 && (p[1] == "class" || p[1] == "port"))
		return p[1] "/" p[2]
	return n > 1 ? p[1] : "."
}
/^SF:/ {
	file = substr($0, 4)
	if (index(file, src) == 1)
		file = substr(file, length(src) + 1)
	nfiles++
	files[nfiles] = file
	next
}
/^LF:/ { lf[file] += substr($0, 4); next }
/^LH:/ { lh[file] += substr($0, 4); next }
/^BRF:/ { brf[file] += substr($0, 5); next }
/^BRH:/ { brh[file] += substr($0, 5); next }
END {
	for (i = 1; i <= nfiles; i++) {
		f = files[i]
		if (seen[f]++)
			continue
		g = group(f)
		if (!(g in glf))
			groups[++ngroups] = g
		glf[g] += lf[f]; glh[g] += lh[f]; gbrf[g] += brf[f]; gbrh[g] += brh[f]
		tlf += lf[f]; tlh += lh[f]; tbrf += brf[f]; tbrh += brh[f]
	}
	# sort the group names (insertion sort: a handful of entries)
	for (i = 2; i <= ngroups; i++)
		for (j = i; j > 1 && groups[j - 1] > groups[j]; j--) {
			t = groups[j]; groups[j] = groups[j - 1]; groups[j - 1] = t
		}
	printf "%-20s %22s %22s\n", "coverage by dir", "lines", "branches"
	for (i = 1; i <= ngroups; i++) {
		g = groups[i]
		printf "%-20s %8s %13s %8s %13s\n", g, pct(glh[g], glf[g]), "(" glh[g] "/" glf[g] ")",
		       pct(gbrh[g], gbrf[g]), "(" gbrh[g] "/" gbrf[g] ")"
	}
	printf "%-20s %8s %13s %8s %13s\n", "total", pct(tlh, tlf), "(" tlh "/" tlf ")",
	       pct(tbrh, tbrf), "(" tbrh "/" tbrf ")"

	failed = 0
	checked = 0
	while ((getline line < floor_file) > 0) {
		sub(/#.*/, "", line)
		n = split(line, w, " ")
		if (n == 0)
			continue
		if (n != 2 || w[2] !~ /^[0-9]+(\.[0-9]+)?$/) {
			printf "coverage floor: ERROR: bad line in %s: \"%s\" (want: DIR PERCENT)\n",
			       floor_file, line
			bad = 1
			continue
		}
		dir = w[1]
		sub(/\/+$/, "", dir)
		dlf = 0; dlh = 0
		for (f in seen)
			if (index(f, dir "/") == 1) {
				dlf += lf[f]; dlh += lh[f]
			}
		if (dlf == 0) {
			printf "coverage floor: %s: no files yet, skipped\n", dir
			continue
		}
		checked++
		measured = 100.0 * dlh / dlf
		if (dlh * 100.0 < w[2] * dlf) {
			printf "coverage floor NOT MET: %s line coverage is %.2f%%, below its floor of %s%% (%s)\n",
			       dir, measured, w[2], floor_file
			failed = 1
		} else {
			printf "coverage floor met: %s line coverage %.2f%% >= %s%%\n", dir, measured, w[2]
		}
	}
	close(floor_file)
	if (bad)
		exit 1
	if (failed)
		exit 3
	if (checked == 0)
		print "coverage floor: WARNING: no floor applied (no files under any listed directory)"
	exit 0
}
' "$info"
