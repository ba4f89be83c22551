import type { InputProblem } from "../common/inputError.js";
import type { ArrivalsSpec } from "./primitives.js";
import type { ParsedScenario } from "./schema.js";

/*
 * How much work a scenario asks for, estimated from the written arrival processes before anything
 * is built, so that a run which could never finish is refused in a moment instead of hanging and
 * growing memory. Memory grows with the work too (environments, queued messages, the per-minute rows
 * of busy minutes), so one limit on the work bounds both.
 */

/**
 * The most arrival attempts a run (all its replications, or all of a sweep's runs) simulates
 * without --allow-large. The benchmark simulates about 2 million a second, so this is some 15–20
 * minutes of one core: longer than any example or realistic what-if, short enough that a typo in
 * a rate or a duration costs minutes, not a machine.
 */
export const ARRIVAL_LIMIT = 2e9;
const ARRIVAL_LIMIT_TEXT = "2e9";

/** Simulated arrivals per second in the benchmark (bench/RESULTS.md), to say how long a refused run would take. */
const ARRIVALS_PER_SECOND = 2e6;

/**
 * The most stream lanes (shards × parallelizationFactor, over all stream entries) a run allocates
 * without --allow-large. Each lane's state is allocated up front, about 600 bytes (measured), so
 * this is some 600 MB: one stream at the largest shards and factor AWS allows fits, several do not.
 */
export const LANE_LIMIT = 1_000_000;
const BYTES_PER_LANE = 600;

/** One workload entry's share of the estimate, with how it was reckoned. */
export interface EntryEstimate {
  path: string;
  attempts: number;
  reckoning: string;
}

export interface ArrivalEstimate {
  /** Arrivals times the most attempts each may take, summed over the workload; may be Infinity. */
  attempts: number;
  entries: EntryEstimate[];
  /** Stream lanes allocated up front, by entry. */
  lanes: { path: string; lanes: number }[];
}

const short = (value: number) => (Number.isFinite(value) ? value.toExponential(1) : String(value));

/** Numbers as written in the reckoning: whole numbers as such, others in three significant figures. */
function plain(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  if (Math.abs(value) >= 1e6 || (value !== 0 && Math.abs(value) < 1e-3)) {
    const [mantissa, exponent] = value.toExponential(2).split("e");
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(3)));
}

function arrivalsOver(spec: ArrivalsSpec, end: number): { arrivals: number; how: string } | undefined {
  if ("poisson" in spec)
    return { arrivals: spec.poisson.rate * end, how: `poisson rate ${plain(spec.poisson.rate)}/s for ${plain(end)} s` };
  if ("constant" in spec) {
    const { interval, start } = spec.constant;
    return { arrivals: start < end ? (end - start) / interval : 0, how: `one every ${plain(interval)} s for ${plain(end)} s` };
  }
  if ("steps" in spec) {
    let arrivals = 0;
    spec.steps.forEach((step, i) => {
      const from = Math.min(step.at, end);
      const to = Math.min(spec.steps[i + 1]?.at ?? end, end);
      arrivals += step.rate * (to - from);
    });
    return { arrivals, how: `steps up to rate ${plain(Math.max(...spec.steps.map((s) => s.rate)))}/s over ${plain(end)} s` };
  }
  if ("diurnal" in spec)
    return { arrivals: spec.diurnal.mean * end, how: `diurnal mean ${plain(spec.diurnal.mean)}/s for ${plain(end)} s` };
  // A trace replays its rows, which the file bounds: reading it is the only cost, paid at compile time.
  return undefined;
}

/** The most times one arrival may be tried, where the entry's settings let retries multiply the work. */
function attemptsPerArrival(entry: Record<string, unknown>): { factor: number; why: string } {
  const client = entry.client as { retry: string; maxAttempts: number } | undefined;
  if (client?.retry === "sdk-standard" && client.maxAttempts > 1) {
    return { factor: client.maxAttempts, why: `client maxAttempts ${client.maxAttempts}` };
  }
  if (entry.invocation === "async") {
    const retries = (entry.async as { maximumRetryAttempts: number } | undefined)?.maximumRetryAttempts ?? 2;
    if (retries > 0) return { factor: 1 + retries, why: `async maximumRetryAttempts ${retries}` };
  }
  if (entry.source === "sqs" && typeof entry.maxReceiveCount === "number" && entry.maxReceiveCount > 1) {
    return { factor: entry.maxReceiveCount, why: `maxReceiveCount ${entry.maxReceiveCount}` };
  }
  return { factor: 1, why: "" };
}

/** The work the scenario's generated arrivals ask for; trace replays are bounded by their files and not counted. */
export function estimateArrivals(parsed: ParsedScenario): ArrivalEstimate {
  const end = parsed.duration;
  const entries: EntryEstimate[] = [];
  const lanes: ArrivalEstimate["lanes"] = [];
  parsed.workload.forEach((entry, w) => {
    if ("trace" in entry) return;
    const record = entry as Record<string, unknown>;
    if (typeof record.shards === "number") {
      lanes.push({ path: `workload[${w}]`, lanes: record.shards * ((record.parallelizationFactor as number | undefined) ?? 1) });
    }
    if (end === undefined) return;
    const spec = (record.arrivals ?? record.messages ?? record.records) as ArrivalsSpec;
    const over = arrivalsOver(spec, end);
    if (over === undefined) return;
    const { factor, why } = attemptsPerArrival(record);
    const attempts = over.arrivals * factor;
    const times = factor > 1 ? ` × up to ${factor} attempts (${why})` : "";
    entries.push({ path: `workload[${w}]`, attempts, reckoning: `${over.how}${times} = ${short(attempts)}` });
  });
  return { attempts: entries.reduce((sum, e) => sum + e.attempts, 0), entries, lanes };
}

/** The three largest contributions, which are what a user has to change. */
function largest(estimate: ArrivalEstimate): string {
  const top = [...estimate.entries].sort((a, b) => b.attempts - a.attempts).slice(0, 3);
  const more = estimate.entries.length - top.length;
  return `${top.map((e) => `${e.path}: ${e.reckoning}`).join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}

function duration(seconds: number): string {
  if (seconds < 3600) return `~${Math.max(1, Math.round(seconds / 60))} minutes`;
  if (seconds < 86400 * 2) return `~${Math.round(seconds / 3600)} hours`;
  if (seconds < 86400 * 365 * 2) return `~${Math.round(seconds / 86400)} days`;
  const years = seconds / (86400 * 365);
  // "~57 years", not "~5.7e+1 years": exponents only where the number would be long.
  return `~${years < 1e6 ? Math.round(years).toLocaleString("en-US") : short(years)} years`;
}

/** The problem with the stream lanes a run allocates up front, if any. */
export function lanesProblem(estimate: ArrivalEstimate, allowLarge: boolean): InputProblem | undefined {
  const total = estimate.lanes.reduce((sum, e) => sum + e.lanes, 0);
  if (allowLarge || total <= LANE_LIMIT) return undefined;
  const count = (n: number) => n.toLocaleString("en-US");
  return {
    path: "workload",
    message:
      `the streams would hold ${count(total)} shard lanes (shards × parallelizationFactor: ${estimate.lanes.map((e) => `${e.path} ${count(e.lanes)}`).join(", ")}), ` +
      `about ${((total * BYTES_PER_LANE) / 1e9).toFixed(1)} GB, more than the ${count(LANE_LIMIT)} a run may hold without --allow-large; use fewer shards or a lower parallelizationFactor, or pass --allow-large`,
  };
}

/**
 * The problem with an estimate, if any: one that overflowed is refused always (no run could reach
 * it), one above the limit unless the user allowed large runs. `runs` multiplies it (replications
 * and sweep variants), and `what` says what they are.
 */
export function estimateProblem(
  estimate: ArrivalEstimate,
  options: { allowLarge: boolean; runs?: number; what?: string },
): InputProblem | undefined {
  const runs = options.runs ?? 1;
  const total = estimate.attempts * runs;
  const times = runs > 1 ? ` × ${options.what ?? `${runs} runs`}` : "";
  if (!Number.isFinite(total)) {
    return {
      path: "workload",
      message: `the expected number of arrivals overflows (${largest(estimate)}${times}); no run can simulate that many: lower the rate or shorten duration`,
    };
  }
  if (options.allowLarge || total <= ARRIVAL_LIMIT) return undefined;
  return {
    path: "workload",
    message:
      `this run would simulate about ${short(total)} arrivals (${largest(estimate)}${times}), more than the ${ARRIVAL_LIMIT_TEXT} ` +
      `a run may simulate without --allow-large (${duration(total / ARRIVALS_PER_SECOND)} at 2 M/s); shorten duration or lower the rate, or pass --allow-large`,
  };
}

/**
 * The most time-series rows (periods × functions, over all replications) a run may hold without
 * --allow-large. A busy row takes some 200 bytes in memory and about 150 in timeseries.csv, so this
 * is a few GB at most: a two-week trace of 500 functions by the minute fits, a year by the second
 * does not.
 */
export const ROW_LIMIT = 1e7;
const ROW_LIMIT_TEXT = "1e7";

/**
 * The problem with the rows a run's time series could need at `periodSeconds` each, if any. Only
 * periods with activity are stored, but a busy run has activity in all of them, and the CSV
 * writes every period in which anything is alive. A trace's span is known only once it is read;
 * the arrival estimate bounds that work.
 */
export function rowsProblem(
  duration: number | undefined,
  functions: number,
  periodSeconds: number,
  options: { allowLarge: boolean; runs?: number },
): InputProblem | undefined {
  if (duration === undefined || !Number.isFinite(duration)) return undefined;
  const runs = options.runs ?? 1;
  const periods = Math.ceil(duration / periodSeconds);
  const rows = periods * functions * runs;
  if (options.allowLarge || rows <= ROW_LIMIT) return undefined;
  const times = runs > 1 ? ` × ${runs} replications` : "";
  return {
    path: "duration",
    message:
      `${plain(duration)} s in periods of ${plain(periodSeconds)} s is ${plain(periods)} time-series rows per function ` +
      `(× ${functions} function${functions === 1 ? "" : "s"}${times} = ${plain(rows)}), ` +
      `more than the ${ROW_LIMIT_TEXT} a run may hold without --allow-large; choose a longer --period, or pass --allow-large`,
  };
}
