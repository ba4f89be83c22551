#!/usr/bin/env bash
# Start-up per command in instructions executed (millions; median of 3 runs under valgrind's
# cachegrind), the figure of bench/startup.sh that the machine's load and memory speed do not move:
# on the 2-core VM one process's time varies by up to ±30 % when idle, its instruction count by
# about ±2 % (what garbage collection happens to do). Usage: bash bench/startup-instructions.sh
# [bin/lambdasim.js ...] (default: this checkout's); needs valgrind (Debian: apt-get install valgrind).
# The empty Node row is what every command pays before lambdasim's code runs; with
# NODE_EXTRA_CA_CERTS set it is several times larger (see bench/startup.sh), so compare runs made
# with the variable in the same state (the header says which).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$#" -eq 0 ]; then set -- "$ROOT/bin/lambdasim.js"; fi
command -v valgrind >/dev/null || { echo "needs valgrind (Debian: apt-get install valgrind)" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# The small run of bench/startup.sh.
cat >"$WORK/small.yaml" <<'YAML'
name: small
seed: 1
duration: 60s
functions:
  - { name: f, memoryMb: 128, duration: 20ms }
workload:
  - { function: f, arrivals: { poisson: { rate: 1 } } }
YAML
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Millions of instructions one run of the command executes, threads included.
instructions() {
  rm -rf "$WORK/out"
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/I *refs/ { gsub(",", "", $4); printf "%.1f\n", $4 / 1e6 }'
}
row() { printf '%-42s %-40s %16s\n' "$@"; }
label() { if [ "${#1}" -gt 40 ]; then echo "...${1: -37}"; else echo "$1"; fi; }
ca="$(if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then echo set; else echo unset; fi)"
echo "NODE_EXTRA_CA_CERTS $ca; $(node --version)"
row command binary "instructions (M)"
row "(empty node: node -e 0)" - "$(for _ in 1 2 3; do instructions node -e 0; done | median)"
while IFS= read -r args; do
  for bin in "$@"; do
    # shellcheck disable=SC2086
    row "${args//$WORK\//}" "$(label "$bin")" "$(for _ in 1 2 3; do instructions node "$bin" $args; done | median)"
  done
done <<EOF2
--help
--version
validate $ROOT/scenarios/steady-api.yaml
schema
run $WORK/small.yaml --out $WORK/out --quiet
EOF2
