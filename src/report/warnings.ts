import type { FunctionResult, SimulationResult } from "../simulate.js";
import { enUsNumber } from "../common/enUsNumber.js";
import { binomialUpperTail } from "./statistics.js";

/**
 * Something that likely makes a run's results not what the scenario meant to measure: found in
 * the scenario as it was compiled (its path is then a field of the scenario), or in the results
 * (its path is then where in summary.json the figures behind it are).
 */
export interface RunWarning {
  code: string;
  path?: string;
  message: string;
}

/** Above this share of the account limit, the limit may be shaping the results. */
const NEAR_LIMIT = 0.9;

/** Significance of the last quarter's drop in cold starts: a false alarm in 1 in 1,000 steady runs at most. */
const STILL_FALLING_P = 0.001;

const count = (value: number) => enUsNumber(value);
const seconds = (value: number) => `${Number(value.toFixed(3))} s`;

/**
 * The warnings of a run, a pure function of its results. A function replayed from an Azure trace
 * has no duration of its own (each row carries it), so its timeouts are rows longer than its
 * timeout; they are counted over all the functions sharing a timeout, as one trace entry sets one
 * timeout for the many functions it creates, and one line beats one per function.
 */
export function runWarnings(result: SimulationResult): RunWarning[] {
  const warnings: RunWarning[] = [...result.scenarioWarnings];
  const traced = new Map<number, FunctionResult[]>();
  for (const f of result.functions) {
    if (f.spec.duration === undefined) traced.set(f.spec.timeout, [...(traced.get(f.spec.timeout) ?? []), f]);
  }
  for (const [timeout, functions] of traced) {
    const timeouts = functions.reduce((sum, f) => sum + f.metrics.timeouts, 0);
    if (timeouts === 0) continue;
    const invocations = functions.reduce((sum, f) => sum + f.metrics.invocations, 0);
    warnings.push({
      code: "trace-duration-above-timeout",
      message:
        `${count(timeouts)} of ${count(invocations)} invocations of the ${functions.length === 1 ? "function" : `${functions.length} functions`} ` +
        `replayed from a trace hit the ${seconds(timeout)} timeout: the trace's durations are longer; set timeout on the trace entry (up to 900s)`,
    });
  }
  for (const f of result.functions) {
    const { timeouts, invocations } = f.metrics;
    // A replayed function's timeouts are its trace's durations, told above for the whole trace.
    if (f.spec.duration !== undefined && timeouts > invocations / 2) {
      warnings.push({
        code: "most-invocations-timed-out",
        path: `functions.${f.spec.name}.timeouts`,
        message: `${count(timeouts)} of ${count(invocations)} invocations of ${f.spec.name} timed out (timeout ${seconds(f.spec.timeout)})`,
      });
    }
  }
  const { concurrencyLimit, maxClaimedConcurrency } = result.account;
  if (Number.isFinite(concurrencyLimit) && maxClaimedConcurrency > NEAR_LIMIT * concurrencyLimit) {
    warnings.push({
      code: "account-concurrency-near-limit",
      path: "account.maxClaimedConcurrency",
      message: `peak account concurrency ${count(maxClaimedConcurrency)} is above ${NEAR_LIMIT * 100} % of the limit ${count(concurrencyLimit)}: the limit may be shaping the results`,
    });
  }
  warnings.push(...steadyStateWarnings(result));
  return warnings;
}

/** Where each function's arrivals ended: the scenario's span, or for a trace replayed to its end the run's end. */
const arrivalEnd = (result: SimulationResult) => (Number.isFinite(result.arrivalSpan) ? result.arrivalSpan : result.simulatedSeconds);

/**
 * Runs that end while their pools of environments are still filling from empty (every run starts
 * with none), judged per function on its cold starts per invocation, a function's cold starts in
 * one stretch of whole minutes and in another being Poisson counts. Under one rate per invocation,
 * the count in stretch A given the sum c of both is Binomial(c, A's share of their invocations):
 * the exact conditional test of two Poisson rates, one-sided, at STILL_FALLING_P.
 * - Arrivals ending within the first keepAlive: no idle environment can have been reclaimed, so
 *   no steady state of reclaims and new environments can have been reached; the fill is what
 *   the figures show when the first quarter of the run has significantly more cold starts per
 *   invocation than the rest (a burst later in the run is no fill, and is not warned of).
 * - Longer runs: cold starts per invocation fell from each quarter of the run to the next and
 *   significantly from the third to the last. Falling through all four is the shape of a fill; a
 *   burst or a wave of recycled environments in the middle of the run is not.
 */
function steadyStateWarnings(result: SimulationResult): RunWarning[] {
  const keepAlive = result.platform.keepAlive;
  // An infinite keep-alive never reclaims: its pool is the running maximum of demand by design.
  if (!Number.isFinite(keepAlive)) return [];
  const end = arrivalEnd(result);
  const short = end < keepAlive;
  const warmup = `${Number((short ? keepAlive : end).toFixed(3))}s`;
  const advice = `run longer${short ? " than keepAlive" : ""} and set warmup: ${warmup} to leave the fill out of the figures, or start warm with prewarmedEnvironments`;
  const warnings: RunWarning[] = [];
  for (const f of result.functions) {
    const minutes = Math.floor(end / 60);
    const quarter = Math.floor(minutes / 4);
    let p: number;
    let finding: string;
    if (short) {
      const first = Math.max(1, quarter);
      if (minutes <= first) continue;
      const [head, rest] = minuteCounts(f, [0, first, minutes]);
      p = rateAboveTest(head, rest);
      finding =
        `the arrivals end at ${seconds(end)}, within the first keepAlive (${seconds(keepAlive)}), and ${f.spec.name}'s first ${first} minute${first > 1 ? "s" : ""} ` +
        `had ${perThousand(head)} cold starts per 1,000 invocations, the rest of the run ${perThousand(rest)}`;
    } else {
      if (quarter === 0) continue;
      const from = minutes - 4 * quarter;
      const quarters = minuteCounts(
        f,
        [0, 1, 2, 3, 4].map((q) => from + q * quarter),
      );
      const rates = quarters.map((q) => q.coldStarts / q.invocations);
      if (!(rates[0] >= rates[1] && rates[1] >= rates[2] && rates[2] > rates[3])) continue;
      p = rateAboveTest(quarters[2], quarters[3]);
      finding = `${f.spec.name}'s cold starts per 1,000 invocations fell in every quarter of the run (${quarters.map(perThousand).join(", ")})`;
    }
    if (!(p < STILL_FALLING_P)) continue;
    warnings.push({
      code: "no-steady-state",
      path: `functions.${f.spec.name}.coldStarts`,
      message: `${finding}; p = ${p.toPrecision(2)}: its environments were still filling from empty when the arrivals ended; ${advice}`,
    });
  }
  return warnings;
}

interface Stretch {
  coldStarts: number;
  invocations: number;
}

const perThousand = (s: Stretch) => Number(((s.coldStarts / s.invocations) * 1000).toFixed(3));

/** P-value of "more cold starts per invocation in a than in b"; NaN when either had no invocation. */
function rateAboveTest(a: Stretch, b: Stretch): number {
  if (a.invocations === 0 || b.invocations === 0) return NaN;
  return binomialUpperTail(a.coldStarts, a.coldStarts + b.coldStarts, a.invocations / (a.invocations + b.invocations));
}

/** A function's cold starts and invocations in the stretches of minutes [bounds[i], bounds[i + 1]). */
function minuteCounts(f: FunctionResult, bounds: readonly number[]): Stretch[] {
  const stretches = bounds.slice(1).map(() => ({ coldStarts: 0, invocations: 0 }));
  const series = f.metrics.series;
  // Minutes without a row had nothing happen: no cold start and no invocation.
  for (let row = 0; row < series.rows; row++) {
    const minute = series.minutes[row];
    if (minute < bounds[0] || minute >= bounds[bounds.length - 1]) continue;
    let i = 0;
    while (bounds[i + 1] <= minute) i++;
    stretches[i].coldStarts += series.get(row, "ColdStarts");
    stretches[i].invocations += series.get(row, "Invocations");
  }
  return stretches;
}
