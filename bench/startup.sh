#!/usr/bin/env bash
# Start-up time per command, whole process: median of 10 runs of wall time and of process (user+sys)
# CPU time, by /usr/bin/time. Usage: bash bench/startup.sh [bin/lambdasim.js ...] (default: this
# checkout's). With several binaries (before and after), each command's runs alternate between them,
# so that they share whatever else the machine is doing.
# On a machine shared with other work, the CPU time is the steadier figure: waiting for a core adds to the wall time only.
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
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-42s %-40s %10s %12s\n' command binary "wall (s)" "user+sys (s)"
while IFS= read -r args; do
  for bin in "$@"; do : >"$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)"; done
  for _ in $(seq 10); do
    for bin in "$@"; do
      rm -rf "$WORK/out"
      # shellcheck disable=SC2086
      /usr/bin/time -f '%e %U %S' -a -o "$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)" node "$bin" $args >/dev/null 2>&1 || true
    done
  done
  for bin in "$@"; do
    times="$WORK/times-$(echo "$bin" | md5sum | cut -c1-8)"
    wall="$(awk '{ print $1 }' "$times" | median)"
    cpu="$(awk '{ printf "%.2f\n", $2 + $3 }' "$times" | median)"
    label="$bin"
    if [ "${#label}" -gt 40 ]; then label="...${bin: -37}"; fi
    printf '%-42s %-40s %10s %12s\n' "${args//$WORK\//}" "$label" "$wall" "$cpu"
  done
done <<EOF2
--help
--version
validate $ROOT/scenarios/steady-api.yaml
schema
run $WORK/small.yaml --out $WORK/out --quiet
EOF2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
