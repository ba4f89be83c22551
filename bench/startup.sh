#!/usr/bin/env bash
# Start-up time per command, whole process: median of 10 runs of wall time and of process (user+sys)
# CPU time, in milliseconds. Usage: bash bench/startup.sh [bin/lambdasim.js | snapshot.blob ...] (default: this
# checkout's). With several binaries (before and after), each command's runs alternate between them,
# so that they share whatever else the machine is doing.
# On a machine shared with other work, the CPU time is the steadier figure: waiting for a core adds to
# the wall time only. CPU time is bash's `times` for the one child of a subshell (1 ms resolution,
# where /usr/bin/time rounds to 10 ms, the size of the differences this table is for).
# The first row, an empty Node (`node -e 0`), is what every command pays before lambdasim's code
# runs. It depends on the environment: with NODE_EXTRA_CA_CERTS set, Node 20 loads and parses that
# certificate file at every start (nodejs/node#40524), ~40 ms on the bench machine, although
# lambdasim opens no TLS connection; the header says whether it is set.
# The last column counts minor page faults (one run, /usr/bin/time; steady to within ~1 %): each is a
# page of memory touched for the first time, and on a VM whose faults are slow (the header measures
# the cost of one) they are a large part of the CPU time that the instruction counts do not show.
set -euo pipefail
# shellcheck source=bench/startup-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/startup-common.sh"
if [ "$#" -eq 0 ]; then set -- "$ROOT/bin/lambdasim.js"; fi
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
# Minor page faults of one run of the command ("-" without GNU time).
faults() {
  if [ -x /usr/bin/time ]; then
    rm -rf "$WORK/out"
    /usr/bin/time -f %R -o "$WORK/faults" "$@" >/dev/null 2>&1 || true
    tail -1 "$WORK/faults"
  else
    echo -
  fi
}
# Microseconds per page that the kernel maps on first touch: 64 MiB filled once, after allocation.
fault_cost() {
  node -e 'const b = Buffer.alloc(64 << 20); const t = process.hrtime.bigint(); b.fill(1);
    console.log((Number(process.hrtime.bigint() - t) / 1e3 / 16384).toFixed(1))'
}
row() { printf '%-42s %-40s %9s %14s %12s\n' "$@"; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); NODE_EXTRA_CA_CERTS $(ca_state); first touch of a page: $(fault_cost) us"
row command binary "wall (ms)" "user+sys (ms)" "page faults"
for _ in $(seq 10); do measure "$WORK/times-empty" node -e 0; done
row "(empty node: node -e 0)" - "$(awk '{ print $1 }' "$WORK/times-empty" | median)" "$(awk '{ print $2 }' "$WORK/times-empty" | median)" "$(faults node -e 0)"
while IFS= read -r args; do
  for bin in "$@"; do : >"$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)"; done
  for _ in $(seq 10); do
    for bin in "$@"; do
      rm -rf "$WORK/out"
      node_for "$bin"
      # shellcheck disable=SC2086
      measure "$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)" "${NODE_CMD[@]}" $args
    done
  done
  for bin in "$@"; do
    times="$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)"
    node_for "$bin"
    # shellcheck disable=SC2086
    row "${args//$WORK\//}" "$(label "$bin")" "$(awk '{ print $1 }' "$times" | median)" "$(awk '{ print $2 }' "$times" | median)" "$(faults "${NODE_CMD[@]}" $args)"
  done
done < <(startup_commands)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
