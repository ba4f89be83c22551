/*
 * Shared helpers for the fidelity tests in test/model: running a scenario given as data, the
 * Erlang-B formula, and batch-means standard errors computed from a function's per-minute series.
 *
 * Batch means: the run is cut into k batches of consecutive minutes, long compared with the
 * correlation time of the process; the batch values are then close to independent and the
 * spread between them estimates the standard error of the whole-run figure (Law & Kelton,
 * "Simulation Modeling and Analysis", ch. 9.5).
 */
import type { FunctionMetrics } from "../../src/metrics/functionMetrics.js";
import type { SeriesColumn } from "../../src/metrics/timeSeries.js";
import { buildSummary } from "../../src/report/summary.js";
import { denseColumn } from "../../src/report/quietMinutes.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import type { Scenario } from "../../src/scenario/types.js";
import type { ScenarioSource } from "../../src/sources/index.js";
import { simulate, type SimulateOptions } from "../../src/simulate.js";

/** Validates `input`, simulates it and builds the summary. */
export function runScenario(input: Record<string, unknown>, options: SimulateOptions = {}) {
  const scenario = resolveScenario({ name: "fidelity", ...input });
  const result = simulate(scenario, options);
  return { scenario, result, summary: buildSummary(result) };
}

/**
 * The resolved scenario with its one source's arrivals replaced by fixed times: a list, or
 * at(0), at(1), ... until at returns Infinity. The source keeps its name, path and settings.
 */
export function withArrivalTimes(scenario: Scenario, times: readonly number[] | ((k: number) => number)): Scenario {
  const [template] = scenario.createSources(() => () => 0.5);
  const at = typeof times === "function" ? times : (k: number) => (k < times.length ? times[k] : Infinity);
  return {
    ...scenario,
    createSources: () => {
      let k = -1;
      const source: ScenarioSource = {
        name: template.name,
        functionIndex: 0,
        duration: NaN,
        kind: template.kind,
        settings: template.settings,
        next: () => at(++k),
        close: () => {},
      };
      return [source];
    },
  };
}

/**
 * Prints simulator-versus-theory figures when FIDELITY_LOG is set (e.g. FIDELITY_LOG=1 npx vitest
 * run test/model), so the numbers behind a passing test can be read without editing it.
 */
export function note(label: string, observed: number, expected: number, tolerance?: number): void {
  if (!process.env.FIDELITY_LOG) return;
  const tol = tolerance === undefined ? "" : `  tol ±${tolerance.toPrecision(3)}`;
  console.log(`${label}: sim ${observed.toPrecision(6)}  theory ${expected.toPrecision(6)}${tol}`);
}

/** Account settings that take every limit out of the way except the concurrency limit. */
export const NO_RATE_LIMITS = { scaling: "unlimited", requestRateLimit: "infinite" } as const;

/** Erlang-B blocking probability B(c, A) by the numerically stable recursion. */
export function erlangB(c: number, offered: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (offered * b) / (k + offered * b);
  return b;
}

/** P(N = k) for N ~ Poisson(mean). */
export function poissonPmf(k: number, mean: number): number {
  let p = Math.exp(-mean);
  for (let i = 1; i <= k; i++) p *= mean / i;
  return p;
}

/** One column of a function's per-minute series over minutes [0, minutes), quiet minutes filled. */
export function minuteColumn(metrics: FunctionMetrics, column: SeriesColumn, minutes: number): Float64Array {
  const out = new Float64Array(minutes);
  denseColumn(metrics.series, column, out);
  return out;
}

export interface Estimate {
  value: number;
  /** Batch-means standard error of `value`. */
  se: number;
  batches: number;
}

function batchSums(x: ArrayLike<number>, size: number): number[] {
  const k = Math.floor(x.length / size);
  if (k < 10) throw new Error(`only ${k} batches of ${size}; use a longer run or smaller batches`);
  const sums: number[] = [];
  for (let b = 0; b < k; b++) {
    let s = 0;
    for (let i = b * size; i < (b + 1) * size; i++) s += x[i];
    sums.push(s);
  }
  return sums;
}

/** Ratio sum(num) / sum(den) over whole batches, with its batch-means (ratio-estimator) SE. */
export function batchRatio(num: ArrayLike<number>, den: ArrayLike<number>, size: number): Estimate {
  const n = batchSums(num, size);
  const d = batchSums(den, size);
  const k = n.length;
  const totalN = n.reduce((a, b) => a + b, 0);
  const totalD = d.reduce((a, b) => a + b, 0);
  const value = totalN / totalD;
  let ss = 0;
  for (let b = 0; b < k; b++) ss += (n[b] - value * d[b]) ** 2;
  const meanD = totalD / k;
  return { value, se: Math.sqrt(ss / (k * (k - 1))) / meanD, batches: k };
}

/** Mean of `x` over whole batches, with its batch-means SE. */
export function batchMean(x: ArrayLike<number>, size: number): Estimate {
  const sums = batchSums(x, size);
  const k = sums.length;
  const means = sums.map((s) => s / size);
  const value = means.reduce((a, b) => a + b, 0) / k;
  const ss = means.reduce((a, m) => a + (m - value) ** 2, 0);
  return { value, se: Math.sqrt(ss / (k * (k - 1))), batches: k };
}
