#!/usr/bin/env bash
# Start-up time per command, whole process: median of 10 runs of wall time and of process (user+sys)
# CPU time, in milliseconds. Usage: bash bench/startup.sh [bin/lambdasim.js ...] (default: this
# checkout's). With several binaries (before and after), each command's runs alternate between them,
# so that they share whatever else the machine is doing.
# On a machine shared with other work, the CPU time is the steadier figure: waiting for a core adds to
# the wall time only. CPU time is bash's `times` for the one child of a subshell (1 ms resolution,
# where /usr/bin/time rounds to 10 ms, the size of the differences this table is for).
# The first row, an empty Node (`node -e 0`), is what every command pays before lambdasim's code
# runs. It depends on the environment: with NODE_EXTRA_CA_CERTS set, Node 20 loads and parses that
# certificate file at every start (nodejs/node#40524), ~40 ms on the bench machine, although
# lambdasim opens no TLS connection; the header says whether it is set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "$#" -eq 0 ]; then set -- "$ROOT/bin/lambdasim.js"; fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# A small run: one function, one request a second for a minute.
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
# Runs the command once; appends "<wall ms> <user+sys ms>" to the file named first.
measure() {
  local out="$1"
  shift
  local start end cpu
  start="$(date +%s%N)"
  # `times` in the subshell prints the shell's own times, then its children's: the command's alone.
  cpu="$( ("$@" >/dev/null 2>&1 || true; times) | awk 'NR == 2 {
    split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000 + 0.5 }')"
  end="$(date +%s%N)"
  echo "$(((end - start) / 1000000)) $cpu" >>"$out"
}
row() { printf '%-42s %-40s %9s %14s\n' "$@"; }
label() { if [ "${#1}" -gt 40 ]; then echo "...${1: -37}"; else echo "$1"; fi; }
ca="$(if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then echo set; else echo unset; fi)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); NODE_EXTRA_CA_CERTS $ca"
row command binary "wall (ms)" "user+sys (ms)"
while IFS= read -r args; do
  : >"$WORK/times-empty"
  for bin in "$@"; do : >"$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)"; done
  for _ in $(seq 10); do
    if [ "$args" = "-e 0" ]; then
      measure "$WORK/times-empty" node -e 0
      continue
    fi
    for bin in "$@"; do
      rm -rf "$WORK/out"
      # shellcheck disable=SC2086
      measure "$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)" node "$bin" $args
    done
  done
  if [ "$args" = "-e 0" ]; then
    row "(empty node: node -e 0)" - "$(awk '{ print $1 }' "$WORK/times-empty" | median)" "$(awk '{ print $2 }' "$WORK/times-empty" | median)"
    continue
  fi
  for bin in "$@"; do
    times="$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)"
    row "${args//$WORK\//}" "$(label "$bin")" "$(awk '{ print $1 }' "$times" | median)" "$(awk '{ print $2 }' "$times" | median)"
  done
done <<EOF2
-e 0
--help
--version
validate $ROOT/scenarios/steady-api.yaml
schema
run $WORK/small.yaml --out $WORK/out --quiet
EOF2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
