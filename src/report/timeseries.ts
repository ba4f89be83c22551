import { SERIES_COLUMNS, type SeriesColumn } from "../metrics/timeSeries.js";
import type { SimulationResult } from "../simulate.js";
import { csvCell } from "./format.js";
import { hasLevelsAfter, quietMinuteValue } from "./quietMinutes.js";
import { round } from "./rounding.js";

export const TIMESERIES_HEADER = ["minute", "startSeconds", "function", ...SERIES_COLUMNS.filter((c) => !c.endsWith("End"))] as const;

const COUNTERS: SeriesColumn[] = [
  "arrivals",
  "Invocations",
  "Errors",
  "Throttles",
  "ColdStarts",
  "BilledGbSeconds",
  "QueueDepthMax",
  "PollersMax",
];
const OUTPUT_COLUMNS = SERIES_COLUMNS.filter((c) => !c.endsWith("End"));
const ACCOUNT = "(account)";
/**
 * Ages and latencies do not add up across functions: the account row shows the largest. For a
 * percentile that is an upper bound of the account's own (a quantile of a mixture lies between
 * its parts' quantiles), and for the maxima it is exact.
 */
const LARGEST: SeriesColumn[] = ["IteratorAgeMax", "AsyncEventAgeMax", "LatencyP50", "LatencyP99", "LatencyMax", "DurationP99"];

/**
 * The time series as rows, period by period (a minute unless `run --period` chose another), one
 * row per function with something alive or happening, then an "(account)" row summing them.
 * Periods the recorder skipped (nothing changed) are filled by the quiet-minute rule, which is
 * exact. `minute` is the minute the period starts in, so a 60 s period's rows are numbered as ever.
 */
export function* timeSeriesRows(result: SimulationResult): Generator<(string | number)[]> {
  const period = result.periodSeconds;
  const lastPeriod = Math.max(0, Math.ceil(result.simulatedSeconds / period) - 1);
  const cursors = result.functions.map(() => 0);
  for (let index = 0; index <= lastPeriod; index++) {
    const start = index * period;
    const minute = Math.floor(start / 60);
    const total = new Map<SeriesColumn, number>(OUTPUT_COLUMNS.map((c) => [c, 0]));
    let any = false;
    for (let fn = 0; fn < result.functions.length; fn++) {
      const series = result.functions[fn].metrics.series;
      const row = cursors[fn];
      let values: Record<string, number>;
      if (row < series.rows && series.minutes[row] === index) {
        values = Object.fromEntries(SERIES_COLUMNS.map((c) => [c, series.get(row, c)]));
        cursors[fn]++;
      } else {
        const previous = row - 1;
        if (previous < 0 || !hasLevelsAfter(series, previous)) continue;
        values = Object.fromEntries(SERIES_COLUMNS.map((c) => [c, quietMinuteValue(series, previous, c)]));
      }
      any = true;
      for (const c of OUTPUT_COLUMNS) total.set(c, LARGEST.includes(c) ? Math.max(total.get(c)!, values[c]) : total.get(c)! + values[c]);
      yield [minute, start, csvCell(result.functions[fn].spec.name), ...OUTPUT_COLUMNS.map((c) => format(c, values[c]))];
    }
    if (any && result.functions.length > 1) {
      // The account's max is bounded by, not equal to, the sum of per-function maxima.
      yield [minute, start, ACCOUNT, ...OUTPUT_COLUMNS.map((c) => format(c, total.get(c)!))];
    }
  }
}

function format(column: SeriesColumn, value: number): number {
  return COUNTERS.includes(column) && column !== "BilledGbSeconds" ? value : round(value, 6);
}
