/*
 * The per-period series (SparseMinuteSeries; a period is a minute unless `run --period` chose
 * another) read back period by period and reduced for drawing, on the time axis every chart over
 * time shares. With replications, each bucket's value is the mean over the replications and its
 * 95 % interval is kept beside it, for the charts to draw as a band.
 */
import type { ProvisionedStep } from "../../model/types.js";
import { formatNumber } from "../format.js";
import { denseColumn } from "../quietMinutes.js";
import { meanInterval } from "../statistics.js";
import type { Series } from "../svg.js";
import type { Drawn } from "./drawn.js";
import type { RunReportData } from "./runData.js";

/**
 * Series are reduced to at most this many points per line (a two-week trace has 20,160 minutes),
 * in buckets of a round number of seconds that is a whole number of periods.
 */
const MAX_POINTS = 600;
const BUCKET_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** How each drawn column is reduced over a bucket: peaks, counts and latencies keep the busiest period. */
const REDUCTION = {
  ConcurrentExecutionsMax: "max",
  ConcurrentExecutionsMean: "mean",
  Invocations: "max",
  Errors: "max",
  ColdStarts: "max",
  Throttles: "max",
  IteratorAgeMax: "max",
  AsyncEventAgeMax: "max",
  QueueDepthMax: "max",
  PollersMax: "max",
  LatencyP50: "max",
  LatencyP99: "max",
  LatencyMax: "max",
} as const;
export type DrawnColumn = keyof typeof REDUCTION;
const DRAWN_COLUMNS = Object.keys(REDUCTION) as DrawnColumn[];

/** A drawn line: its values (the mean over replications) and, with replications, its 95 % interval. */
export interface Line {
  y: Float64Array;
  band?: { low: Float64Array; high: Float64Array };
}

export interface Timeline {
  /** Seconds per period of the series. */
  period: number;
  /** Periods covered (the last one possibly partial). */
  periods: number;
  /** Periods per drawn point. */
  bucket: number;
  unit: { label: string; seconds: number };
  /** Bucket edges in `unit`: one more than the values of each series. */
  edges: Float64Array;
  /** Replications the lines are means of (1: a single run, no bands). */
  replications: number;
  byFunction: Map<string, Record<DrawnColumn, Line>>;
  /** The account's concurrency: the functions' per-period values summed, then reduced. */
  account: { ConcurrentExecutionsMax: Line; ConcurrentExecutionsMean: Line };
}

/**
 * The drawn columns of the drawn functions, and the account's concurrency, in buckets of whole
 * periods, over one run or its replications (`runs`, the first being the one the tables show).
 * Work is proportional to replications × functions × periods, not to the CSV's rows.
 */
export function timeline(runs: readonly RunReportData[], drawn: Drawn[]): Timeline {
  const period = runs[0].periodSeconds;
  // Replications drain for different times: the axis covers the longest, a shorter one is quiet after its end.
  const periods = Math.max(1, ...runs.map((r) => Math.ceil(r.simulatedSeconds / period)));
  const seconds = periods * period;
  const bucketSeconds =
    BUCKET_SECONDS.find((b) => b % period === 0 && seconds / b <= MAX_POINTS) ?? Math.ceil(periods / MAX_POINTS) * period;
  const bucket = bucketSeconds / period;
  const buckets = Math.ceil(periods / bucket);
  const unit =
    period < 60 && seconds <= 600
      ? { label: "s", seconds: 1 }
      : seconds <= 180 * 60
        ? { label: "min", seconds: 60 }
        : seconds <= 72 * 3600
          ? { label: "h", seconds: 3600 }
          : { label: "days", seconds: 86400 };
  const edges = Float64Array.from({ length: buckets + 1 }, (_, k) => (Math.min(k * bucket, periods) * period) / unit.seconds);
  const reduce = (dense: Float64Array, how: "max" | "mean") => {
    const values = new Float64Array(buckets);
    // Plain loops, not subarray().reduce(): this runs once per process, mostly before it is optimized.
    for (let k = 0; k < buckets; k++) {
      const from = k * bucket;
      const to = Math.min(periods, from + bucket);
      if (how === "max") {
        let max = -Infinity;
        for (let i = from; i < to; i++) max = Math.max(max, dense[i]);
        values[k] = max;
      } else {
        let sum = 0;
        for (let i = from; i < to; i++) sum += dense[i];
        values[k] = sum / (to - from);
      }
    }
    return values;
  };
  const scratch = new Float64Array(periods);
  /** A column's line: `dense` gives each run's value per period, which the buckets reduce. */
  const line = (column: DrawnColumn, dense: (run: RunReportData) => Float64Array) =>
    acrossRuns(runs.map((run) => reduce(dense(run), REDUCTION[column])));
  const functionValues = (index: number, column: DrawnColumn) => (run: RunReportData) => {
    denseColumn(run.functions[index].series, column, scratch);
    return scratch;
  };
  const accountValues = (column: DrawnColumn) => (run: RunReportData) => {
    const sum = new Float64Array(periods);
    for (const f of run.functions) {
      denseColumn(f.series, column, scratch);
      for (let m = 0; m < periods; m++) sum[m] += scratch[m];
    }
    return sum;
  };
  /*
   * Lines are computed when a chart first reads them: a report draws the event sources' columns only
   * for the functions they feed, and the account's only with several functions, and a line costs a
   * pass over every period of every replication, in code that runs once per process, unoptimized.
   */
  return {
    period,
    periods,
    bucket,
    unit,
    edges,
    replications: runs.length,
    byFunction: new Map(drawn.map((d) => [d.name, lazyRecord(DRAWN_COLUMNS, (column) => line(column, functionValues(d.index, column)))])),
    account: lazyRecord(["ConcurrentExecutionsMax", "ConcurrentExecutionsMean"], (column) => line(column, accountValues(column))),
  };
}

/** A record whose value for each key is computed by `compute` when first read, and kept. */
function lazyRecord<K extends string, V>(keys: readonly K[], compute: (key: K) => V): Record<K, V> {
  const record = {} as Record<K, V>;
  for (const key of keys) {
    Object.defineProperty(record, key, {
      configurable: true,
      enumerable: true,
      get() {
        const value = compute(key);
        Object.defineProperty(record, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return record;
}

/** One run's values as they are; several runs' as their mean per bucket with its 95 % interval. */
function acrossRuns(values: Float64Array[]): Line {
  if (values.length === 1) return { y: values[0] };
  const n = values[0].length;
  const y = new Float64Array(n);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  const sample = new Array<number>(values.length);
  for (let k = 0; k < n; k++) {
    for (let r = 0; r < values.length; r++) sample[r] = values[r][k];
    const ci = meanInterval(sample);
    y[k] = ci.mean;
    // A count or a latency cannot be negative, whatever the t interval of a few runs says.
    low[k] = Math.max(0, ci.low);
    high[k] = ci.high;
  }
  return { y, band: { low, high } };
}

function spanName(seconds: number): string {
  if (seconds % 86400 === 0) return seconds === 86400 ? "day" : `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? "hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? "minute" : `${seconds / 60} minutes`;
  return seconds === 1 ? "second" : `${seconds} seconds`;
}

/** The period in words for chart titles and axes: "minute", "second", "10 s". */
export function periodName(t: Timeline): string {
  if (t.period === 60) return "minute";
  return t.period === 1 ? "second" : `${formatNumber(t.period)} s`;
}

/** Says how a chart's per-period data was reduced, when it was, and what its bands are: note lines. */
export function reductionNote(t: Timeline, what: string): string[] {
  const notes: string[] = [];
  if (t.bucket !== 1) {
    const covered =
      t.period === 60 ? `${formatNumber(t.periods)} minutes` : `${formatNumber(t.periods)} periods of ${formatNumber(t.period)} s`;
    notes.push(`${covered} drawn as ${formatNumber(t.edges.length - 1)} points, one per ${spanName(t.bucket * t.period)}: ${what}.`);
  }
  if (t.replications > 1) notes.push(bandNote(t.replications));
  return notes;
}

/** What a shaded band is, for a chart that draws one. */
export function bandNote(replications: number): string {
  return `Lines are means over ${formatNumber(replications)} replications; the shaded band is the 95 % confidence interval of the mean.`;
}

export function timeAxis(t: Timeline) {
  return { label: `time since start (${t.unit.label})`, min: 0 };
}

/** The configured provisioned concurrency as a step series over the timeline (0 before its first step). */
export function provisionedSeries(steps: ProvisionedStep[], t: Timeline): { x: number[]; y: number[] } {
  const end = (t.periods * t.period) / t.unit.seconds;
  const x = [0];
  const y: number[] = [];
  let value = 0;
  for (const step of steps) {
    const at = Math.min(step.at / t.unit.seconds, end);
    if (at > x[x.length - 1]) {
      y.push(value);
      x.push(at);
    }
    value = step.value;
  }
  y.push(value);
  x.push(end);
  return { x, y };
}

export function perFunctionSeries(drawn: Drawn[], t: Timeline, column: DrawnColumn, scale = 1): Series[] {
  return drawn.map((d) => lineSeries(d.name, d.color, t, t.byFunction.get(d.name)![column], scale));
}

/** A step series over the timeline from a drawn line, its band included, values divided by `scale`. */
export function lineSeries(label: string, color: string, t: Timeline, line: Line, scale = 1, faint = false): Series {
  const s = (values: Float64Array) => (scale === 1 ? values : values.map((v) => v / scale));
  return {
    label,
    color,
    shape: "step",
    x: t.edges,
    y: s(line.y),
    ...(line.band ? { band: { low: s(line.band.low), high: s(line.band.high) } } : {}),
    ...(faint ? { faint } : {}),
  };
}
