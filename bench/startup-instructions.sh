#!/usr/bin/env bash
# Start-up per command in instructions executed (millions; median of 3 runs under valgrind's
# cachegrind), the figure of bench/startup.sh that the machine's load and memory speed do not move:
# on the 2-core VM one process's time varies by up to ±30 % when idle, its instruction count by
# about ±2 % (what garbage collection happens to do). Usage: bash bench/startup-instructions.sh
# [bin/lambdasim.js | snapshot.blob ...] (default: this checkout's); needs valgrind (Debian: apt-get install valgrind).
# The empty Node row is what every command pays before lambdasim's code runs; with
# NODE_EXTRA_CA_CERTS set it is several times larger (see bench/startup.sh), so compare runs made
# with the variable in the same state (the header says which).
set -euo pipefail
command -v valgrind >/dev/null || { echo "needs valgrind (Debian: apt-get install valgrind)" >&2; exit 2; }
# shellcheck source=bench/startup-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/startup-common.sh"
if [ "$#" -eq 0 ]; then set -- "$ROOT/bin/lambdasim.js"; fi
# Millions of instructions one run of the command executes, threads included.
instructions() {
  rm -rf "$WORK/out"
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/I *refs/ { gsub(",", "", $4); printf "%.1f\n", $4 / 1e6 }'
}
row() { printf '%-42s %-40s %16s\n' "$@"; }
echo "NODE_EXTRA_CA_CERTS $(ca_state); $(node --version)"
row command binary "instructions (M)"
row "(empty node: node -e 0)" - "$(for _ in 1 2 3; do instructions node -e 0; done | median)"
while IFS= read -r args; do
  for bin in "$@"; do
    node_for "$bin"
    # shellcheck disable=SC2086
    row "${args//$WORK\//}" "$(label "$bin")" "$(for _ in 1 2 3; do instructions "${NODE_CMD[@]}" $args; done | median)"
  done
done < <(startup_commands)
