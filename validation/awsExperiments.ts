import { resolveScenario } from "../src/scenario/compile.js";
import type { ScenarioInput } from "../src/scenario/schema.js";
import type { Scenario } from "../src/scenario/types.js";
import { simulate, type SimulationResult } from "../src/simulate.js";
import { columnIndex, numberField, parseCsv } from "./csv.js";

/*
 * The simulator beside the 20 fixed-rate AWS Lambda experiments of Mahmoudi & Khazaei (IEEE TCC
 * 2020; data MIT-licensed, pacslab/simfaas and pacslab/serverless-performance-modeling).
 *
 * Everything here is a pure function of its arguments (text in, numbers out): the simulator is
 * deterministic for a given seed, so the same rows, settings and plan give the same numbers.
 */

/** One row of experiments.csv; times in milliseconds as in the file. */
export interface ExperimentRow {
  id: string;
  arrivalRate: number;
  serviceTimeWarmMs: number;
  serviceTimeColdMs: number;
  idleMinutesBeforeKill: number;
  averageInstanceCount: number;
  averageUtilization: number;
  coldStartProbability: number;
  coldStartProbabilitySE: number;
  averageRunningInstances: number;
  averageIdleInstances: number;
}

const EXPERIMENT_COLUMNS = {
  arrivalRate: "ArrivalRate",
  serviceTimeWarmMs: "ServiceTimeWarm",
  serviceTimeColdMs: "ServiceTimeCold",
  idleMinutesBeforeKill: "IdleMinutesBeforeKill",
  averageInstanceCount: "AverageInstanceCount",
  averageUtilization: "AverageUtilization",
  coldStartProbability: "ColdStartProbability",
  coldStartProbabilitySE: "ColdStartProbabilitySE",
  averageRunningInstances: "AverageRunningInstances",
  averageIdleInstances: "AverageIdleInstances",
} as const;

/** Parses experiments.csv (first column: the experiment's name), in file order. */
export function parseExperimentsCsv(text: string): ExperimentRow[] {
  const table = parseCsv(text);
  const index = Object.fromEntries(Object.entries(EXPERIMENT_COLUMNS).map(([key, column]) => [key, columnIndex(table, column)])) as Record<
    keyof typeof EXPERIMENT_COLUMNS,
    number
  >;
  return table.rows.map((fields) => {
    const id = fields[0].trim();
    if (id === "") throw new Error("experiments.csv: a row has no experiment name in its first column");
    const row = { id } as ExperimentRow;
    for (const key of Object.keys(EXPERIMENT_COLUMNS) as (keyof typeof EXPERIMENT_COLUMNS)[]) {
      row[key] = numberField(fields[index[key]], `${id}.${EXPERIMENT_COLUMNS[key]}`);
    }
    return row;
  });
}

/**
 * How the measurements were taken (reconstructed from pacslab/serverless-performance-modeling,
 * exp_parser.py and 02-overall-plots.py, and checked by recomputing the 11 experiments that have
 * raw logs: every AverageInstanceCount, AverageRunningInstances and ColdStartProbability digit
 * matches).
 * - Each experiment ran ~28 h (not 4 h) at a fixed Poisson rate.
 * - ColdStartProbability: the requests are cut into 10 consecutive blocks of equal count (~2.8 h
 *   each); the first quarter (in time) of each block is dropped; the value is the mean of the 10
 *   blocks' cold fractions and its SE is their population standard deviation / sqrt(10). Only the
 *   first block's dropped quarter is a warm-up; the rest is discarded steady-state data.
 * - AverageInstanceCount, AverageRunningInstances: sampled every 60 s over the last 21 h (the
 *   first quarter of the run is dropped). An environment counts from its first request's client
 *   start until 10 min after its last request's client end; "running" counts environments with a
 *   request in flight (client-side start to end).
 */
export interface Protocol {
  /** Simulated length of one replication = one experiment (s). */
  runSeconds: number;
  /** Invocations from here on count towards P(cold) (s). */
  coldWindowStart: number;
  /** Environment levels are averaged from here to the end of the run (s). */
  levelWindowStart: number;
  /**
   * The study counts an environment from its first request until this long after its last one
   * (s), whether or not it still existed: the inferred count (optional; default 600 s).
   */
  inferredIdleWindow?: number;
}

export const AWS_2020_PROTOCOL: Protocol = {
  runSeconds: 28 * 3600,
  coldWindowStart: 0.7 * 3600,
  levelWindowStart: 7 * 3600,
  inferredIdleWindow: 600,
};

/** The model's free settings; everything else comes from the experiment's row. */
export interface ModelSettings {
  /** Idle time before an environment is reclaimed (s). */
  keepAlive: number;
  /**
   * Optional activity-dependent reclaim (platform.activeKeepAlive): while the function is active,
   * an idle environment lives up to this long after its last invocation (s); absent: off.
   */
  activeKeepAlive?: number;
  /** platform.activeSpares: how many idle environments past keepAlive may stay; absent: all. */
  activeSpares?: number;
  /** platform.earlyRetirementRate (per second of life); absent: 0. */
  earlyRetirementRate?: number;
  /** Longest life of an environment (s); each draws maxLifetime x (1 - lifetimeJitter x U). */
  maxLifetime: number;
  lifetimeJitter: number;
  /** Log-space standard deviation of the lognormal handler time (its mean is ServiceTimeWarm). */
  handlerSigma: number;
  runtime: string;
  memoryMb: number;
}

/**
 * The headline settings. keepAlive is the study's IdleMinutesBeforeKill (10 min). maxLifetime
 * comes from the raw logs: environments that AWS evidently reclaimed while still in use (a cold
 * start came while they sat idle within 10 min) served requests for at most 2.04 h; those used
 * for over 1.5 h cluster at 1.54-2.04 h, median 1.93 h. 7400 s (2.06 h) with jitter 0.1 spreads
 * lifetimes uniformly over 1.85-2.06 h (mean 1.95 h). reports/validation.md prints the evidence.
 * Reuse is MRU (the simulator's default), which the logs confirm (>99.5 % of warm requests with
 * a choice went to the most recently used idle environment). The runtime only picks the default
 * init distribution, which the experiment's own init time replaces.
 */
export const HEADLINE = {
  keepAlive: 600,
  maxLifetime: 7400,
  lifetimeJitter: 0.1,
  runtime: "python3.9",
  memoryMb: 128,
} as const;

export function headlineSettings(handlerSigma: number): ModelSettings {
  return { ...HEADLINE, handlerSigma };
}

/** Rates up to this (req/s) are the "lone environment" regime: one environment serves nearly all. */
export const LONE_ENVIRONMENT_MAX_RATE = 0.01;

/** What a replication plan needs: how many runs, from which seed. */
export interface RunPlan {
  replications: number;
  /** Replication r uses seed firstSeed + r. */
  firstSeed: number;
}

/** The scenario of one experiment, as a scenario document (what a YAML file would hold). */
export function experimentScenario(row: ExperimentRow, settings: ModelSettings, protocol: Protocol, seed: number): ScenarioInput {
  const warm = row.serviceTimeWarmMs / 1000;
  const init = (row.serviceTimeColdMs - row.serviceTimeWarmMs) / 1000;
  if (!(init > 0)) throw new Error(`${row.id}: ServiceTimeCold must exceed ServiceTimeWarm to give an init time`);
  const sd = warm * Math.sqrt(Math.expm1(settings.handlerSigma ** 2));
  return {
    name: `aws-2020-${row.id}`.replace(/[^A-Za-z0-9._-]/g, "_"),
    description: `Fixed-rate AWS Lambda experiment ${row.id} (Mahmoudi & Khazaei 2020)`,
    seed,
    duration: protocol.runSeconds,
    region: "us-east-1",
    platform: {
      keepAlive: settings.keepAlive,
      ...(settings.activeKeepAlive === undefined
        ? {}
        : { activeKeepAlive: Number.isFinite(settings.activeKeepAlive) ? settings.activeKeepAlive : "infinite" }),
      ...(settings.earlyRetirementRate === undefined ? {} : { earlyRetirementRate: settings.earlyRetirementRate }),
      ...(settings.activeSpares === undefined
        ? {}
        : { activeSpares: Number.isFinite(settings.activeSpares) ? settings.activeSpares : "infinite" }),
      maxLifetime: Number.isFinite(settings.maxLifetime) ? settings.maxLifetime : "infinite",
      lifetimeJitter: settings.lifetimeJitter,
      reuse: "mru",
    },
    functions: [
      {
        name: "fn",
        runtime: settings.runtime,
        memoryMb: settings.memoryMb,
        timeout: 30,
        init: { constant: init },
        duration: sd > 0 ? { lognormal: { mean: warm, sd } } : { constant: warm },
      },
    ],
    workload: [{ function: "fn", arrivals: { poisson: { rate: row.arrivalRate } } }],
  };
}

/** One replication's figures over the protocol's windows. */
export interface ReplicationFigures {
  invocations: number;
  coldStarts: number;
  /** Time-average over the level window. */
  environments: number;
  busy: number;
  /** Highest number of concurrent invocations in the whole run. */
  maxConcurrency: number;
  /**
   * Time-average over the level window of the environments the study's definition would infer:
   * each counted from its first request until inferredIdleWindow after its last one ended, whether
   * it had been recycled sooner or kept idle longer. Set by runReplication.
   */
  inferredEnvironments?: number;
}

/**
 * Reads the windowed figures from a run's 1-minute series. Minutes the recorder skipped (nothing
 * happened) repeat the previous minute's end levels, which is exact.
 */
export function windowFigures(result: SimulationResult, protocol: Protocol): ReplicationFigures {
  const f = result.functions[0];
  const series = f.metrics.series;
  const coldFrom = Math.ceil(protocol.coldWindowStart / 60);
  const levelFrom = Math.ceil(protocol.levelWindowStart / 60);
  const levelTo = Math.floor(protocol.runSeconds / 60);
  if (!(levelTo > levelFrom)) throw new Error("the level window is empty: levelWindowStart must be before runSeconds");
  let invocations = 0;
  let coldStarts = 0;
  let envArea = 0;
  let busyArea = 0;
  let endAlive = 0;
  let endBusy = 0;
  let row = 0;
  for (let minute = 0; minute < levelTo; minute++) {
    let alive = endAlive;
    let busy = endBusy;
    if (row < series.rows && series.minutes[row] === minute) {
      if (minute >= coldFrom) {
        invocations += series.get(row, "Invocations");
        coldStarts += series.get(row, "ColdStarts");
      }
      alive = series.get(row, "EnvironmentsMean");
      busy = series.get(row, "ConcurrentExecutionsMean");
      endAlive = series.get(row, "EnvironmentsEnd");
      endBusy = series.get(row, "ConcurrentExecutionsEnd");
      row++;
    }
    if (minute >= levelFrom) {
      envArea += alive;
      busyArea += busy;
    }
  }
  const minutes = levelTo - levelFrom;
  return {
    invocations,
    coldStarts,
    environments: envArea / minutes,
    busy: busyArea / minutes,
    maxConcurrency: f.metrics.maxBusy,
  };
}

export interface Estimate {
  mean: number;
  /** Standard error of the mean over the replications. */
  se: number;
}

export interface ExperimentPrediction {
  id: string;
  replications: number;
  /** Invocations and cold starts in the cold-start window, summed over the replications. */
  invocations: number;
  coldStarts: number;
  /** P(cold) = sum of cold starts / sum of invocations (ratio estimator, delta-method SE). */
  coldStartProbability: Estimate;
  environments: Estimate;
  /** The environments the study's definition infers (NaN when the replications did not record it). */
  inferredEnvironments: Estimate;
  busy: Estimate;
  idle: Estimate;
  /** Standard deviation of one replication's P(cold): the scatter one 28 h experiment would show. */
  coldStartProbabilityRunSd: number;
  environmentsRunSd: number;
  /** Highest concurrency in any replication. */
  maxConcurrency: number;
}

function meanAndSe(values: readonly number[]): Estimate & { sd: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, se: NaN, sd: NaN };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n), sd: Math.sqrt(variance) };
}

/** Combines replications into estimates with standard errors. */
export function combineReplications(id: string, reps: readonly ReplicationFigures[]): ExperimentPrediction {
  const n = reps.length;
  if (n === 0) throw new Error(`${id}: no replications`);
  const invocations = reps.reduce((s, r) => s + r.invocations, 0);
  const coldStarts = reps.reduce((s, r) => s + r.coldStarts, 0);
  const p = invocations > 0 ? coldStarts / invocations : NaN;
  // Ratio estimator: var(p) ~ sum (c_i - p n_i)^2 / (R (R - 1) nbar^2).
  const nbar = invocations / n;
  const residual = reps.reduce((s, r) => s + (r.coldStarts - p * r.invocations) ** 2, 0);
  const pSe = n > 1 ? Math.sqrt(residual / (n * (n - 1))) / nbar : NaN;
  const perRun = reps.filter((r) => r.invocations > 0).map((r) => r.coldStarts / r.invocations);
  const environments = meanAndSe(reps.map((r) => r.environments));
  const inferred = reps.every((r) => r.inferredEnvironments !== undefined)
    ? meanAndSe(reps.map((r) => r.inferredEnvironments!))
    : { mean: NaN, se: NaN };
  const busy = meanAndSe(reps.map((r) => r.busy));
  const idle = meanAndSe(reps.map((r) => r.environments - r.busy));
  return {
    id,
    replications: n,
    invocations,
    coldStarts,
    coldStartProbability: { mean: p, se: pSe },
    environments: { mean: environments.mean, se: environments.se },
    inferredEnvironments: { mean: inferred.mean, se: inferred.se },
    busy: { mean: busy.mean, se: busy.se },
    idle: { mean: idle.mean, se: idle.se },
    coldStartProbabilityRunSd: meanAndSe(perRun).sd,
    environmentsRunSd: environments.sd,
    maxConcurrency: reps.reduce((m, r) => Math.max(m, r.maxConcurrency), 0),
  };
}

/** Validates an experiment's scenario once; replications then differ only in their seed. */
export function resolveExperiment(row: ExperimentRow, settings: ModelSettings, protocol: Protocol): Scenario {
  return resolveScenario(experimentScenario(row, settings, protocol, 1));
}

/** Runs one replication of an experiment (a resolved scenario) and reads its windowed figures. */
export function runReplication(scenario: Scenario, seed: number, protocol: Protocol): ReplicationFigures {
  const from = protocol.levelWindowStart;
  const to = protocol.runSeconds;
  const window = protocol.inferredIdleWindow ?? 600;
  let area = 0;
  const result = simulate(
    { ...scenario, seed },
    {
      onEnvironmentEnd: (_fn, createdAt, lastFinished) => {
        const overlap = Math.min(lastFinished + window, to) - Math.max(createdAt, from);
        if (overlap > 0) area += overlap;
      },
    },
  );
  return { ...windowFigures(result, protocol), inferredEnvironments: area / (to - from) };
}

/** Simulates one experiment: `plan.replications` independent runs of the protocol's length. */
export function simulateExperiment(row: ExperimentRow, settings: ModelSettings, protocol: Protocol, plan: RunPlan): ExperimentPrediction {
  const scenario = resolveExperiment(row, settings, protocol);
  const reps: ReplicationFigures[] = [];
  for (let r = 0; r < plan.replications; r++) reps.push(runReplication(scenario, plan.firstSeed + r, protocol));
  return combineReplications(row.id, reps);
}

/**
 * Replications needed so the run holds about `targetInvocations` invocations in its cold-start
 * window, at least `minimum`: the simulator's error then shrinks like 1/sqrt(target).
 */
export function replicationsFor(row: ExperimentRow, protocol: Protocol, targetInvocations: number, minimum: number): number {
  const perRun = row.arrivalRate * (protocol.runSeconds - protocol.coldWindowStart);
  return Math.max(minimum, Math.ceil(targetInvocations / perRun));
}

/** |predicted - measured| / measured, in percent. */
export function absolutePercentError(predicted: number, measured: number): number {
  return (Math.abs(predicted - measured) / Math.abs(measured)) * 100;
}

/** Mean absolute percentage error (percent) over the pairs. */
export function meanAbsolutePercentError(pairs: readonly { predicted: number; measured: number }[]): number {
  if (pairs.length === 0) return NaN;
  return pairs.reduce((s, p) => s + absolutePercentError(p.predicted, p.measured), 0) / pairs.length;
}

export interface ExperimentComparison {
  row: ExperimentRow;
  prediction: ExperimentPrediction;
  coldStartError: number;
  environmentsError: number;
  /** The inferred count's error against the same measured AverageInstanceCount. */
  inferredEnvironmentsError: number;
  busyError: number;
  idleError: number;
}

export interface ValidationSummary {
  comparisons: ExperimentComparison[];
  coldStartMape: number;
  environmentsMape: number;
  busyMape: number;
  idleMape: number;
  /** P(cold) MAPE over the lone-environment experiments (rate <= LONE_ENVIRONMENT_MAX_RATE) and the rest. */
  coldStartMapeLowRate: number;
  coldStartMapeBusy: number;
  environmentsMapeLowRate: number;
  environmentsMapeBusy: number;
  /** Environments MAPE with the study's inferred count (like for like with the measurement). */
  inferredEnvironmentsMape: number;
  inferredEnvironmentsMapeLowRate: number;
  inferredEnvironmentsMapeBusy: number;
}

/** Puts predictions beside the measurements and computes the MAPE figures. */
export function compareExperiments(rows: readonly ExperimentRow[], predictions: readonly ExperimentPrediction[]): ValidationSummary {
  const byId = new Map(predictions.map((p) => [p.id, p]));
  const comparisons = rows.map((row) => {
    const prediction = byId.get(row.id);
    if (!prediction) throw new Error(`no prediction for ${row.id}`);
    return {
      row,
      prediction,
      coldStartError: absolutePercentError(prediction.coldStartProbability.mean, row.coldStartProbability),
      environmentsError: absolutePercentError(prediction.environments.mean, row.averageInstanceCount),
      inferredEnvironmentsError: absolutePercentError(prediction.inferredEnvironments.mean, row.averageInstanceCount),
      busyError: absolutePercentError(prediction.busy.mean, row.averageRunningInstances),
      idleError: absolutePercentError(prediction.idle.mean, row.averageIdleInstances),
    };
  });
  const mean = (pick: (c: ExperimentComparison) => number, subset = comparisons) =>
    subset.length > 0 ? subset.reduce((s, c) => s + pick(c), 0) / subset.length : NaN;
  const low = comparisons.filter((c) => c.row.arrivalRate <= LONE_ENVIRONMENT_MAX_RATE);
  const busy = comparisons.filter((c) => c.row.arrivalRate > LONE_ENVIRONMENT_MAX_RATE);
  return {
    comparisons,
    coldStartMape: mean((c) => c.coldStartError),
    environmentsMape: mean((c) => c.environmentsError),
    busyMape: mean((c) => c.busyError),
    idleMape: mean((c) => c.idleError),
    coldStartMapeLowRate: mean((c) => c.coldStartError, low),
    coldStartMapeBusy: mean((c) => c.coldStartError, busy),
    environmentsMapeLowRate: mean((c) => c.environmentsError, low),
    environmentsMapeBusy: mean((c) => c.environmentsError, busy),
    inferredEnvironmentsMape: mean((c) => c.inferredEnvironmentsError),
    inferredEnvironmentsMapeLowRate: mean((c) => c.inferredEnvironmentsError, low),
    inferredEnvironmentsMapeBusy: mean((c) => c.inferredEnvironmentsError, busy),
  };
}

/** Simulates every experiment with one plan rule and compares with the measurements. */
export function validate(
  rows: readonly ExperimentRow[],
  settings: ModelSettings,
  protocol: Protocol,
  planFor: (row: ExperimentRow) => RunPlan,
): ValidationSummary {
  const predictions = rows.map((row) => simulateExperiment(row, settings, protocol, planFor(row)));
  return compareExperiments(rows, predictions);
}

/** How many environments a run creates and how long each serves (first to last request). */
export interface LifecycleFigures {
  /** Environments created per run (the whole run, warm-up included). */
  environmentsPerRun: number;
  /** Mean time from an environment's first request to the end of its last (s). */
  meanSpan: number;
}

/**
 * Environment lifecycles over `replications` runs from seed 1: directly comparable with the raw
 * logs' environment ids (count, and first-to-last-request span), which the columns of
 * experiments.csv only summarise.
 */
export function simulateLifecycles(
  row: ExperimentRow,
  settings: ModelSettings,
  protocol: Protocol,
  replications: number,
): LifecycleFigures {
  const scenario = resolveExperiment(row, settings, protocol);
  let count = 0;
  let spans = 0;
  for (let seed = 1; seed <= replications; seed++) {
    simulate(
      { ...scenario, seed },
      {
        onEnvironmentEnd: (_fn, createdAt, lastFinished) => {
          count++;
          spans += lastFinished - createdAt;
        },
      },
    );
  }
  return { environmentsPerRun: count / replications, meanSpan: count > 0 ? spans / count : NaN };
}
