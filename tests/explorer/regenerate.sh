#!/usr/bin/env bash
# tests/explorer/regenerate.sh UDSIM: rewrite the kept counterexamples of the negative control
# with what the explorer finds now. Needed only when the explorer's moves or their order change
# on purpose (explore.dap_flawed and explore.dap_flawed_faults then fail and say so); review
# the new steps before committing them.
set -euo pipefail
udsim=${1:?usage: regenerate.sh UDSIM}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# keep NAME INTRO ARGS...: run the explorer, expect a counterexample, keep it with INTRO on top.
keep() {
	local name=$1 intro=$2
	shift 2
	local status=0
	"$udsim" "$@" --no-progress --out "$tmp/$name" >/dev/null || status=$?
	[ "$status" -eq 1 ] || { echo "regenerate.sh: $* exited $status, not 1" >&2; exit 1; }
	{ printf '%s\n' "$intro"; cat "$tmp/$name"; } >"$here/$name"
	echo "regenerate.sh: wrote $here/$name"
}

keep dap_flawed_starvation.uds "\
# Kept counterexample (tests/explorer/CMakeLists.txt: explore.dap_flawed finds exactly these
# steps again, explore.replay_kept_starvation replays them and expects the violation).
# The negative control \`dap-flawed\` (sim/dev_dap_flawed.h) starves: the IN completion finds no
# response queued yet and sets the \"response idle\" flag; the main loop, which read the flag
# before that, queues its response without arming IN. Nothing ever sends it." \
	--device dap-flawed explore --depth 12

keep dap_flawed_stale.uds "\
# Kept counterexample (explore.dap_flawed_faults, explore.replay_kept_stale). With faults
# allowed, \`dap-flawed\` answers a command with the response to one sent before
# SET_CONFIGURATION: its queue survives the reset of the configuration." \
	--device dap-flawed explore --depth 12 --faults all
