/*
 * The per-minute series (SparseMinuteSeries) read back minute by minute and reduced for drawing,
 * on the time axis every chart over time shares.
 */
import type { ProvisionedStep } from "../../model/types.js";
import { formatNumber } from "../format.js";
import { denseColumn } from "../quietMinutes.js";
import type { Series } from "../svg.js";
import type { Drawn } from "./drawn.js";
import type { RunReportData } from "./runData.js";

/**
 * Per-minute series are reduced to at most this many points per line (a two-week trace has 20,160
 * minutes), in buckets of a round number of minutes.
 */
const MAX_POINTS = 600;
const BUCKET_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

/** How each drawn column is reduced over a bucket: peaks and counts keep the busiest minute. */
const REDUCTION = {
  ConcurrentExecutionsMax: "max",
  ConcurrentExecutionsMean: "mean",
  ColdStarts: "max",
  Throttles: "max",
  IteratorAgeMax: "max",
  AsyncEventAgeMax: "max",
  QueueDepthMax: "max",
  PollersMax: "max",
} as const;
export type DrawnColumn = keyof typeof REDUCTION;
const DRAWN_COLUMNS = Object.keys(REDUCTION) as DrawnColumn[];

export interface Timeline {
  /** Minutes covered (the last one possibly partial). */
  minutes: number;
  /** Minutes per drawn point. */
  bucket: number;
  unit: { label: string; minutes: number };
  /** Bucket edges in `unit`: one more than the values of each series. */
  edges: Float64Array;
  byFunction: Map<string, Record<DrawnColumn, Float64Array>>;
  /** The account's concurrency: the functions' per-minute values summed, then reduced. */
  account: { ConcurrentExecutionsMax: Float64Array; ConcurrentExecutionsMean: Float64Array };
}

/**
 * The drawn columns of the drawn functions, and the account's concurrency, in buckets of whole
 * minutes. Work is proportional to functions × minutes, not to the CSV's rows.
 */
export function timeline(data: RunReportData, drawn: Drawn[]): Timeline {
  const minutes = Math.max(1, Math.ceil(data.simulatedSeconds / 60));
  const bucket = BUCKET_MINUTES.find((b) => minutes / b <= MAX_POINTS) ?? Math.ceil(minutes / MAX_POINTS);
  const buckets = Math.ceil(minutes / bucket);
  const unit =
    minutes <= 180 ? { label: "min", minutes: 1 } : minutes <= 72 * 60 ? { label: "h", minutes: 60 } : { label: "days", minutes: 1440 };
  const edges = Float64Array.from({ length: buckets + 1 }, (_, k) => Math.min(k * bucket, minutes) / unit.minutes);
  const reduce = (dense: Float64Array, how: "max" | "mean") => {
    const values = new Float64Array(buckets);
    for (let k = 0; k < buckets; k++) {
      const slice = dense.subarray(k * bucket, Math.min(minutes, (k + 1) * bucket));
      values[k] = how === "max" ? Math.max(...slice) : slice.reduce((sum, v) => sum + v, 0) / slice.length;
    }
    return values;
  };
  const scratch = new Float64Array(minutes);
  const byFunction = new Map(
    drawn.map((d) => {
      const series = data.functions[d.index].series;
      const columns = DRAWN_COLUMNS.map((column) => {
        denseColumn(series, column, scratch);
        return [column, reduce(scratch, REDUCTION[column])];
      });
      return [d.name, Object.fromEntries(columns) as Record<DrawnColumn, Float64Array>];
    }),
  );
  const peakSum = new Float64Array(minutes);
  const meanSum = new Float64Array(minutes);
  for (const f of data.functions) {
    denseColumn(f.series, "ConcurrentExecutionsMax", scratch);
    for (let m = 0; m < minutes; m++) peakSum[m] += scratch[m];
    denseColumn(f.series, "ConcurrentExecutionsMean", scratch);
    for (let m = 0; m < minutes; m++) meanSum[m] += scratch[m];
  }
  return {
    minutes,
    bucket,
    unit,
    edges,
    byFunction,
    account: { ConcurrentExecutionsMax: reduce(peakSum, "max"), ConcurrentExecutionsMean: reduce(meanSum, "mean") },
  };
}

function bucketName(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "day" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "hour" : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

/** Says how a chart's per-minute data was reduced, when it was: a note line, or none. */
export function reductionNote(t: Timeline, what: string): string[] {
  if (t.bucket === 1) return [];
  return [
    `${formatNumber(t.minutes)} minutes drawn as ${formatNumber(t.edges.length - 1)} points, one per ${bucketName(t.bucket)}: ${what}.`,
  ];
}

export function timeAxis(t: Timeline) {
  return { label: `time since start (${t.unit.label})`, min: 0 };
}

/** The configured provisioned concurrency as a step series over the timeline (0 before its first step). */
export function provisionedSeries(steps: ProvisionedStep[], t: Timeline): { x: number[]; y: number[] } {
  const x = [0];
  const y: number[] = [];
  let value = 0;
  for (const step of steps) {
    const at = Math.min(step.at / 60, t.minutes) / t.unit.minutes;
    if (at > x[x.length - 1]) {
      y.push(value);
      x.push(at);
    }
    value = step.value;
  }
  y.push(value);
  x.push(t.minutes / t.unit.minutes);
  return { x, y };
}

export function perFunctionSeries(drawn: Drawn[], t: Timeline, column: DrawnColumn, scale = 1): Series[] {
  return drawn.map((d) => {
    const values = t.byFunction.get(d.name)![column];
    return { label: d.name, color: d.color, shape: "step", x: t.edges, y: scale === 1 ? values : values.map((v) => v / scale) };
  });
}
