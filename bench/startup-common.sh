# Shared by bench/startup.sh and bench/startup-instructions.sh (sourced, with the binaries to
# compare as arguments): the scratch folder, the small scenario, the commands both measure, and
# helpers. Sets ROOT and WORK; with no arguments, compares nothing but this checkout's binary.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
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
# The commands measured, one command line each (after a row for an empty Node, `node -e 0`).
startup_commands() {
  printf '%s\n' "--help" "--version" "validate $ROOT/scenarios/steady-api.yaml" "schema" "run $WORK/small.yaml --out $WORK/out --quiet"
}
# Sets NODE_CMD to what runs binary $1: node BIN, or for a V8 snapshot built by bench/snapshotBlob.ts
# (a .blob) node --snapshot-blob BLOB -- (the -- keeps --version and --help from Node's own options).
node_for() { if [[ "$1" == *.blob ]]; then NODE_CMD=(node --snapshot-blob "$1" --); else NODE_CMD=(node "$1"); fi; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
label() { if [ "${#1}" -gt 40 ]; then echo "...${1: -37}"; else echo "$1"; fi; }
ca_state() { if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then echo set; else echo unset; fi; }
