#!/usr/bin/env bash
# npm run test:slurm — the README's scale-out recipes, run for real (opt-in: not part of npm test).
#
# Installs Slurm and MUNGE from the distribution's packages when missing, starts a one-node cluster
# on this machine (munged, slurmctld, slurmd, run directly: no systemd, no cgroups), submits the
# README's Slurm recipe as an sbatch --array job, merges the shards with the README's merge
# command, and checks that the merged sweep is byte for byte the single-machine sweep. The
# Kubernetes and AWS Batch recipes' commands are run too, once per index as those engines would run
# them, to prove their index arithmetic, shard files and shared folder (not the engines). Every
# command is read from README.md, so a recipe that stops working fails here. The cluster this
# script started is stopped, and its temporary state removed, however the script ends.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
README="$ROOT/README.md"
BIN="node $ROOT/bin/lambdasim.js"
SCENARIO="$ROOT/scenarios/memory-power-tuning.yaml"

log() { printf '[test:slurm %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Slurm and MUNGE from the distribution ---------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurmctld, slurmd, slurm-client and munge"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge
fi
log "$(slurmctld -V), $(munged -V 2>&1 | head -1)"

[ -f "$ROOT/dist/cli/main.js" ] || (cd "$ROOT" && npm run build >/dev/null)

STATE="$(mktemp -d /tmp/lambdasim-slurm.XXXXXX)"
chmod 755 "$STATE"
PIDS=()
cleanup() {
  local status=$?
  for pidfile in "$STATE/slurmd.pid" "$STATE/slurmctld.pid" "$STATE/munged.pid"; do
    if [ -s "$pidfile" ]; then
      local pid
      pid="$(cat "$pidfile")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ "$status" -ne 0 ]; then
    for f in "$STATE"/*.log; do [ -f "$f" ] && { log "--- $(basename "$f") (last lines)"; tail -n 20 "$f"; }; done
  fi
  rm -rf "$STATE"
  log "cluster stopped, $STATE removed"
  exit "$status"
}
trap cleanup EXIT INT TERM

# --- MUNGE: a fresh key and socket in the temporary folder -----------------------------------
mkdir -p "$STATE/munge"
chmod 700 "$STATE/munge"
dd if=/dev/urandom of="$STATE/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$STATE/munge/munge.key"
MUNGE_SOCKET="$STATE/munge/munge.socket"
munged --force --key-file="$STATE/munge/munge.key" --socket="$MUNGE_SOCKET" --pid-file="$STATE/munged.pid" \
  --log-file="$STATE/munged.log" --seed-file="$STATE/munge/munged.seed"
for _ in $(seq 50); do [ -S "$MUNGE_SOCKET" ] && break; sleep 0.1; done
[ -S "$MUNGE_SOCKET" ] || fail "munged did not start"
log "munged up ($MUNGE_SOCKET)"

# --- Slurm: one node, this machine -----------------------------------------------------------
HOST="$(hostname -s)"
CPUS="$(nproc)"
MEMORY_MB="$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)"
free_port() { node -e 'const s = require("net").createServer().listen(0, () => { console.log(s.address().port); s.close(); })'; }
CTLD_PORT="$(free_port)"
SLURMD_PORT="$(free_port)"
export SLURM_CONF="$STATE/slurm.conf"
mkdir -p "$STATE/ctld" "$STATE/spool"
cat >"$SLURM_CONF" <<EOF
ClusterName=lambdasim-test
SlurmctldHost=$HOST
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$HOST CPUs=$CPUS RealMemory=$MEMORY_MB State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do sinfo -h -o %T 2>/dev/null | grep -qE '^idle' && break; sleep 0.2; done
sinfo -h -o %T | grep -qE '^idle' || fail "the node did not come up: $(sinfo -h -o '%T %E' 2>&1)"
log "one-node cluster up: $(sinfo -h -o '%P %D node(s) %c CPUs %T')"

# --- The commands, as README.md writes them ---------------------------------------------------
SLURM_OUT="$STATE/shared/sweep"
K8S_OUT="$STATE/results"
BATCH_OUT="$STATE/efs/sweep"
mkdir -p "$SLURM_OUT" "$K8S_OUT" "$BATCH_OUT"
# README paths -> this checkout and the temporary folders.
localise() {
  sed -e "s#/shared/lambdasim/#$ROOT/#g" -e "s#/app/#$ROOT/#g" -e "s#/shared/sweep#$SLURM_OUT#g" \
    -e "s#/results#$K8S_OUT#g" -e "s#/mnt/efs/sweep#$BATCH_OUT#g" -e "s#^lambdasim #$BIN #"
}
# The ```sh block after the "**Slurm array job**" heading: the sbatch command (with its continuation lines) and the merge.
SLURM_BLOCK="$(awk '/^\*\*Slurm array job\*\*/ { on = 1 } on && /^```sh/ { inside = 1; next } inside && /^```/ { exit } inside { print }' "$README")"
[ -n "$SLURM_BLOCK" ] || fail "README.md has no Slurm recipe"
SBATCH="$(printf '%s\n' "$SLURM_BLOCK" | sed -n '/^sbatch/,/[^\\]$/p' | tr -d '\\\n' | tr -s ' ' | localise)"
SLURM_MERGE="$(printf '%s\n' "$SLURM_BLOCK" | grep '^lambdasim merge' | localise)"
K8S_COMMAND="$(grep -o '"node /app/bin/lambdasim.js sweep [^"]*JOB_COMPLETION_INDEX[^"]*"' "$README" | tr -d '"' | localise)"
BATCH_COMMAND="$(grep -o '"node /app/bin/lambdasim.js sweep [^"]*AWS_BATCH_JOB_ARRAY_INDEX[^"]*"' "$README" | tr -d '"' | localise)"
MERGE_K8S="$(grep -o 'lambdasim merge /results/sweep-shard-[^`]*' "$README" | localise)"
MERGE_BATCH="$(grep -o 'lambdasim merge /mnt/efs/sweep/sweep-shard-[^`]*' "$README" | localise)"
for name in SBATCH SLURM_MERGE K8S_COMMAND BATCH_COMMAND MERGE_K8S MERGE_BATCH; do
  [ -n "${!name}" ] || fail "README.md: the $name command was not found"
  log "$name: ${!name}"
done

# --- The single-machine sweep: what every merge must equal ------------------------------------
$BIN sweep "$SCENARIO" --out "$STATE/single" --quiet
log "single-machine sweep: $(ls "$STATE/single" | tr '\n' ' ')"

same_as_single() {
  local dir="$1" what="$2"
  for f in sweep.json sweep.csv sweep.md report.html; do
    cmp -s "$STATE/single/$f" "$dir/$f" || fail "$what: $f differs from the single-machine sweep"
  done
  log "$what: sweep.json, sweep.csv, sweep.md and report.html byte-identical to the single-machine sweep"
}

# --- Slurm: the array job --------------------------------------------------------------------
cd "$STATE"
START=$(date +%s)
# sbatch writes each task's output to slurm-<job>_<task>.out in the folder it is run from ($STATE).
JOB_OUTPUT="$(eval "$SBATCH")" || fail "sbatch failed: $JOB_OUTPUT"
log "$JOB_OUTPUT; finished in $(($(date +%s) - START)) s"
for f in "$STATE"/slurm-*.out; do [ -s "$f" ] && fail "a shard printed something: $(basename "$f"): $(cat "$f")"; done
SHARDS=$(ls "$SLURM_OUT" | grep -c '^sweep-shard-.*-of-16\.json$' || true)
[ "$SHARDS" -eq 16 ] || fail "expected 16 shard files in $SLURM_OUT, found $SHARDS"
log "16 shard files written by the array job"
eval "$SLURM_MERGE"
same_as_single "$STATE/reports/sweep" "Slurm array job + merge"
rm -rf "$STATE/reports"

# --- Kubernetes and AWS Batch: their commands, once per index ---------------------------------
run_indexed() {
  local variable="$1" command="$2" index pids=()
  for index in $(seq 0 15); do
    env "$variable=$index" sh -c "$command" &
    pids+=($!)
    # Two at a time: this machine's cores.
    if [ $((index % 2)) -eq 1 ]; then wait "${pids[@]}"; pids=(); fi
  done
  [ "${#pids[@]}" -eq 0 ] || wait "${pids[@]}"
}
run_indexed JOB_COMPLETION_INDEX "$K8S_COMMAND"
eval "$MERGE_K8S"
same_as_single "$STATE/reports/sweep" "Kubernetes Indexed Job command (indices 0-15) + merge"
rm -rf "$STATE/reports"
run_indexed AWS_BATCH_JOB_ARRAY_INDEX "$BATCH_COMMAND"
eval "$MERGE_BATCH"
same_as_single "$STATE/reports/sweep" "AWS Batch array job command (indices 0-15) + merge"

log "PASS"
