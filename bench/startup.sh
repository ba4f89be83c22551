#!/usr/bin/env bash
# Start-up time per command, whole process: median of 10 runs of wall time and of process (user+sys)
# CPU time, by /usr/bin/time. Usage: bash bench/startup.sh [path/to/bin/lambdasim.js] (default: this checkout's).
# On a machine shared with other work, the CPU time is the steadier figure: waiting for a core adds to the wall time only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/bin/lambdasim.js}"
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
printf '%-42s %10s %12s\n' command "wall (s)" "user+sys (s)"
while IFS= read -r args; do
  : >"$WORK/times"
  for _ in $(seq 10); do
    rm -rf "$WORK/out"
    # shellcheck disable=SC2086
    /usr/bin/time -f '%e %U %S' -a -o "$WORK/times" node "$BIN" $args >/dev/null 2>&1 || true
  done
  wall="$(awk '{ print $1 }' "$WORK/times" | median)"
  cpu="$(awk '{ printf "%.2f\n", $2 + $3 }' "$WORK/times" | median)"
  printf '%-42s %10s %12s\n' "${args//$WORK\//}" "$wall" "$cpu"
done <<EOF2
--help
--version
validate $ROOT/scenarios/steady-api.yaml
schema
run $WORK/small.yaml --out $WORK/out --quiet
EOF2
