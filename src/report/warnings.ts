import type { FunctionResult, SimulationResult } from "../simulate.js";

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

const count = (value: number) => value.toLocaleString("en-US");
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
  return warnings;
}
