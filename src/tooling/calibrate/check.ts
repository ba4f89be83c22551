import { gbSeconds } from "../../common/billing.js";
import { requestCost, tieredDurationCost } from "../../cost/pricing.js";
import type { Architecture } from "../../model/runtimes.js";
import type { SimulationResult } from "../../simulate.js";

/*
 * `calibrate --check`: what the logs say happened against what the calibrated model predicts over
 * the same window, figure by figure, each with a tolerance derived from the sample behind it
 * (docs/calibration.md#tolerances). Pure: the figures in, the verdicts out.
 */

export const CHECK_FIGURES = [
  "invocations",
  "coldStarts",
  "environments",
  "peakConcurrency",
  "meanConcurrency",
  "billedGbSeconds",
  "cost",
  "p50DurationMs",
  "p99DurationMs",
] as const;

export type CheckFigure = (typeof CHECK_FIGURES)[number];

export type Figures = Record<CheckFigure, number>;

/** The logs' figures of one function, and what the tolerances need to know about the sample. */
export interface Observed extends Figures {
  /** Coefficients of variation of the handler duration and the billed duration. */
  durationCv: number;
  billedCv: number;
  /** The observed handler-duration quantile function (ms). */
  durationQuantile: (p: number) => number;
}

export interface CheckRow {
  figure: CheckFigure;
  observed: number;
  simulated: number;
  /** (simulated − observed) / observed; 0 when both are 0. */
  error: number;
  tolerance: number;
  verdict: "pass" | "fail";
}

export interface CheckResult {
  passed: boolean;
  /** The scenario simulated when --scenario named one; absent for the calibrated scenario. */
  scenario?: string;
  functions: Record<string, CheckRow[]>;
}

/** Replay is exact in its count: only a throttle or a request still running at the end could differ. */
const COUNT_EXACT = 0.001;
/**
 * What the model may miss beyond sampling in figures that depend on the environment life cycle
 * (cold starts, environments, peak concurrency): the keep-alive is estimated or defaulted, and AWS
 * routes and reclaims by rules it does not publish.
 */
const LIFECYCLE_SLACK = 0.1;
/** The 1,000-point empirical table and the 0.4 % sketch buckets, in means and quantiles. */
const TABLE_SLACK = 0.02;
/** Standard errors allowed on either side: a correct model fails a figure about 0.3 % of the time. */
const Z = 3;

function relativeError(observed: number, simulated: number): number {
  if (observed === 0) return simulated === 0 ? 0 : Infinity;
  return (simulated - observed) / observed;
}

/**
 * The quantile p's tolerance: the ranks within Z standard errors of both samples' p
 * (√2 · √(p(1−p)/n), for the observed and the simulated sample) mapped through the observed
 * quantile function, as a relative spread, plus TABLE_SLACK.
 */
function quantileTolerance(o: Observed, p: number): number {
  const n = Math.max(1, o.invocations);
  const delta = Z * Math.SQRT2 * Math.sqrt((p * (1 - p)) / n);
  const at = o.durationQuantile(p);
  if (!(at > 0)) return TABLE_SLACK;
  const spread = Math.max(Math.abs(o.durationQuantile(p + delta) / at - 1), Math.abs(o.durationQuantile(p - delta) / at - 1));
  return spread + TABLE_SLACK;
}

/** Each figure's allowed |relative error|. */
export function tolerances(o: Observed): Figures {
  const n = Math.max(1, o.invocations);
  const count = (k: number) => LIFECYCLE_SLACK + Z / Math.sqrt(Math.max(1, k));
  // A mean over n draws has relative standard error cv/√n; both sides are samples, hence √2.
  const mean = (cv: number) => TABLE_SLACK + (Z * Math.SQRT2 * cv) / Math.sqrt(n);
  return {
    invocations: COUNT_EXACT,
    coldStarts: count(o.coldStarts),
    environments: count(o.environments),
    peakConcurrency: count(o.peakConcurrency),
    meanConcurrency: mean(o.durationCv),
    billedGbSeconds: mean(o.billedCv),
    cost: mean(o.billedCv),
    p50DurationMs: quantileTolerance(o, 0.5),
    p99DurationMs: quantileTolerance(o, 0.99),
  };
}

/** The verdicts of every function the logs and the simulation both have; a function missing from either fails. */
export function checkCalibration(observed: Record<string, Observed>, simulated: Record<string, Figures>): CheckResult {
  const functions: Record<string, CheckRow[]> = {};
  let passed = true;
  for (const [name, o] of Object.entries(observed)) {
    const s = simulated[name];
    const limits = tolerances(o);
    functions[name] = CHECK_FIGURES.map((figure) => {
      const sim = s === undefined ? 0 : s[figure];
      const error = relativeError(o[figure], sim);
      const verdict = Math.abs(error) <= limits[figure] ? "pass" : "fail";
      if (verdict === "fail") passed = false;
      return { figure, observed: o[figure], simulated: sim, error, tolerance: limits[figure], verdict };
    });
  }
  return { passed, functions };
}

/** One sentence on the check's outcome, naming every figure outside its tolerance and the model checked. */
export function checkSummary(check: CheckResult): string {
  const model = check.scenario === undefined ? "the calibrated model" : `the model in ${check.scenario}`;
  const failed = Object.entries(check.functions).flatMap(([name, rows]) =>
    rows.filter((r) => r.verdict === "fail").map((r) => `${name} ${r.figure}`),
  );
  return failed.length === 0
    ? `${model} against the logs: every figure within its tolerance`
    : `${model} against the logs: outside its tolerance: ${failed.join(", ")}; do not trust this model as it is`;
}

/** On-demand cost as the check prices both sides: requests plus GB-s on the architecture's first tiers, no free tier. */
export function observedCost(requests: number, billedGbSeconds: number, architecture: Architecture): number {
  return requestCost(requests) + tieredDurationCost(billedGbSeconds, architecture);
}

/** The check's figures of every function a simulation ran. */
export function simulatedFigures(result: SimulationResult): Record<string, Figures> {
  const figures: Record<string, Figures> = {};
  const windowSeconds = Math.max(1e-9, result.window.to - result.window.from);
  for (const f of result.functions) {
    const m = f.metrics;
    const billed = gbSeconds(m.onDemandBilledMs, f.spec.memoryMb);
    figures[f.spec.name] = {
      invocations: m.invocations,
      coldStarts: m.coldStarts,
      // Environments alive before the window are log streams too.
      environments: m.environmentsCreated + f.spec.prewarmedEnvironments,
      peakConcurrency: m.maxBusy,
      meanConcurrency: m.busyArea / windowSeconds,
      billedGbSeconds: billed,
      cost: observedCost(m.invocations, billed, f.spec.architecture),
      p50DurationMs: m.duration.quantile(0.5),
      p99DurationMs: m.duration.quantile(0.99),
    };
  }
  return figures;
}
