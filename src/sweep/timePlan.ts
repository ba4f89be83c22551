import { parseTime } from "../scenario/units.js";
import type { SweepPlan } from "./plan.js";
import { runTask } from "./task.js";

/*
 * How long a sweep would take on N machines, so that a user can size an array job before running
 * it: each variant's work is its arrival estimate (src/scenario/estimate.ts), and the speed is
 * measured at plan time by timing a short simulation of the first variant on this machine.
 */

/** Arrival attempts the calibration simulates at most: some tenths of a second at the benchmark's speed. */
export const SAMPLE_ATTEMPTS = 200_000;

/** Shard counts shown: powers of two below the number of variants, then one variant per shard. */
const SHARD_COUNTS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

export interface Calibration {
  /** The variant timed (always the first: the scenario as written with the first value of each list). */
  variant: number;
  /**
   * The two timed simulations: `attempts` estimated over the share of the variant's duration
   * simulated, and the seconds the simulation and its summary took on this machine.
   */
  samples: { share: number; attempts: number; seconds: number }[];
  /** Seconds of every run whatever its size (compiling the scenario, the summary), fitted to the samples. */
  fixedSeconds: number;
  /** Seconds per estimated arrival attempt, fitted to the samples; 0 for trace replays, which are taken to cost alike. */
  secondsPerAttempt: number;
}

export interface ShardEstimate {
  shards: number;
  /** Simulations (variants × replications) in the busiest shard. */
  runsPerShard: number;
  /** Seconds the busiest shard would take with `workers` threads each. */
  seconds: number;
}

export interface TimePlan {
  scenario: string;
  variants: number;
  replications: number;
  runs: number;
  /** Estimated arrival attempts of the whole sweep (every variant and replication). */
  attempts: number;
  workers: number;
  calibration: Calibration;
  estimates: ShardEstimate[];
}

/**
 * Times the first variant at two sizes, after a run that warms the JIT up: its duration is cut to
 * at most SAMPLE_ATTEMPTS estimated attempts, and to a quarter of that. The two points give what a
 * run costs whatever its size and what each attempt adds. A trace replay (no estimate) is timed
 * whole, once. `now` is a clock in seconds, given by the caller (tests pass a fake one).
 */
export function calibrate(plan: SweepPlan, now: () => number): Calibration {
  const variant = plan.variants[0];
  const attempts = plan.attempts[0];
  const duration = parseTime(variant.input.duration);
  const timed = (share: number) => {
    const input = structuredClone(variant.input);
    if (share < 1 && duration !== undefined) input.duration = duration * share;
    const start = now();
    runTask({ id: 0, input, baseDir: plan.baseDir, defaultName: plan.definition.name, seed: plan.definition.seed });
    return { share, attempts: attempts * share, seconds: now() - start };
  };
  if (attempts === 0 || duration === undefined) {
    const whole = timed(1);
    return { variant: variant.index, samples: [whole], fixedSeconds: whole.seconds, secondsPerAttempt: 0 };
  }
  const large = Math.min(1, SAMPLE_ATTEMPTS / attempts);
  // Warmed up at full size: a smaller warm-up leaves the optimising compiler busy in the timed runs.
  timed(large);
  const samples = [timed(large / 4), timed(large)];
  const [a, b] = samples;
  // Timing noise on a busy machine can make the smaller run look slower: then all of it is per attempt.
  const secondsPerAttempt = Math.max(0, (b.seconds - a.seconds) / (b.attempts - a.attempts)) || b.seconds / b.attempts;
  const fixedSeconds = Math.max(0, b.seconds - secondsPerAttempt * b.attempts);
  return { variant: variant.index, samples, fixedSeconds, secondsPerAttempt };
}

/** Seconds of one run of a variant, by the calibration's fit. */
const runSeconds = (calibration: Calibration, attempts: number): number =>
  calibration.fixedSeconds + calibration.secondsPerAttempt * attempts;

/** Seconds `workers` threads take for these runs when each takes the next as it becomes free, as src/sweep/run.ts does. */
function makespan(runs: readonly number[], workers: number): number {
  const free = new Array<number>(Math.min(workers, Math.max(runs.length, 1))).fill(0);
  for (const seconds of runs) {
    let first = 0;
    for (let w = 1; w < free.length; w++) if (free[w] < free[first]) first = w;
    free[first] += seconds;
  }
  return Math.max(...free);
}

/** The estimate per shard count, shards taking variants as `--shard i/N` does (index mod N). */
export function timePlan(plan: SweepPlan, calibration: Calibration, workers: number): TimePlan {
  const { replications, name } = plan.definition;
  const count = plan.variants.length;
  const counts = [...SHARD_COUNTS.filter((n) => n < count), count];
  const estimates = counts.map((shards) => {
    const perShard = Array.from({ length: shards }, () => [] as number[]);
    plan.variants.forEach((variant, i) => {
      const seconds = runSeconds(calibration, plan.attempts[i]);
      for (let r = 0; r < replications; r++) perShard[variant.index % shards].push(seconds);
    });
    return {
      shards,
      runsPerShard: Math.max(...perShard.map((runs) => runs.length)),
      seconds: Math.max(...perShard.map((runs) => makespan(runs, workers))),
    };
  });
  return {
    scenario: name,
    variants: count,
    replications,
    runs: count * replications,
    attempts: plan.attempts.reduce((sum, a) => sum + a, 0) * replications,
    workers,
    calibration,
    estimates,
  };
}

/** A duration as people read it: 0.4 s, 12 s, 3.5 min, 2.1 h. */
function readable(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The plan as text: a header, how it was calibrated, then one tab-separated row per shard count. */
export function renderTimePlan(plan: TimePlan): string {
  const c = plan.calibration;
  const count = (n: number) => Math.round(n).toLocaleString("en-US");
  const sample = (x: Calibration["samples"][number]) =>
    `${count(x.attempts)} attempts (${x.share < 1 ? `${(x.share * 100).toPrecision(2)} %` : "all"} of its duration) in ${x.seconds.toFixed(3)} s`;
  const calibration =
    c.secondsPerAttempt === 0 && c.samples.length === 1
      ? `variant ${c.variant} run whole in ${c.samples[0].seconds.toFixed(3)} s (no arrival estimate: every run is taken to cost as much)`
      : `variant ${c.variant} timed over ${c.samples.map(sample).join(" and ")}: ` +
        `${c.fixedSeconds.toFixed(3)} s per run + ${(c.secondsPerAttempt * 1e6).toFixed(3)} µs per attempt`;
  const lines = [
    `${plan.scenario}: ${plan.variants} variants × ${plan.replications} replication${plan.replications > 1 ? "s" : ""} = ${plan.runs} runs, about ${plan.attempts.toExponential(1)} arrival attempts`,
    `calibrated on this machine: ${calibration}`,
    `estimated simulation time with ${plan.workers} worker thread${plan.workers > 1 ? "s" : ""} per shard (--workers), not counting start-up and merge:`,
    "shards\truns/shard\tseconds\ttime",
    ...plan.estimates.map((e) => `${e.shards}\t${e.runsPerShard}\t${e.seconds.toFixed(3)}\t${readable(e.seconds)}`),
  ];
  return `${lines.join("\n")}\n`;
}
