import { COL, SERIES_COLUMNS, SERIES_WIDTH, type SeriesColumn } from "../metrics/timeSeries.js";
import type { SimulationResult } from "../simulate.js";
import { csvCell, csvLine, textChunks } from "./format.js";
import { hasLevelsAfter, quietMinuteLevel } from "./quietMinutes.js";
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

/** Per output column, precomputed so that a row costs array reads, not lookups by name. */
const OUTPUT_INDEX = OUTPUT_COLUMNS.map((c) => COL[c]);
/** The stored column a quiet period repeats (quietMinuteLevel), or -1 for 0. */
const QUIET_INDEX = OUTPUT_COLUMNS.map((c) => {
  const level = quietMinuteLevel(c);
  return level === undefined ? -1 : COL[level];
});
const IS_LARGEST = OUTPUT_COLUMNS.map((c) => LARGEST.includes(c));
const IS_ROUNDED = OUTPUT_COLUMNS.map((c) => !COUNTERS.includes(c) || c === "BilledGbSeconds");

/** One row of the time series as periodRows hands it over: the same object each time, refilled. */
interface PeriodRow {
  minute: number;
  start: number;
  /** The function's name as a CSV cell, or "(account)". */
  name: string;
  /** The output columns, rounded as the file shows them. */
  values: Float64Array;
}

/**
 * The time series, period by period (a minute unless `run --period` chose another), one row per
 * function with something alive or happening, then an "(account)" row summing them. Periods the
 * recorder skipped (nothing changed) are filled by the quiet-minute rule, which is exact. `minute`
 * is the minute the period starts in, so a 60 s period's rows are numbered as ever. The row is
 * refilled for the next one: a consumer copies what it keeps.
 */
function* periodRows(result: SimulationResult): Generator<PeriodRow> {
  const period = result.periodSeconds;
  const lastPeriod = Math.max(0, Math.ceil(result.simulatedSeconds / period) - 1);
  const functions = result.functions;
  const names = functions.map((f) => csvCell(f.spec.name));
  const cursors = functions.map(() => 0);
  const width = OUTPUT_COLUMNS.length;
  const values = new Float64Array(width);
  const total = new Float64Array(width);
  const row: PeriodRow = { minute: 0, start: 0, name: "", values: new Float64Array(width) };
  const shown = row.values;
  for (let index = 0; index <= lastPeriod; index++) {
    const start = index * period;
    row.minute = Math.floor(start / 60);
    row.start = start;
    total.fill(0);
    let any = false;
    for (let fn = 0; fn < functions.length; fn++) {
      const series = functions[fn].metrics.series;
      const stored = series.values;
      const at = cursors[fn];
      if (at < series.rows && series.minutes[at] === index) {
        const offset = at * SERIES_WIDTH;
        for (let k = 0; k < width; k++) values[k] = stored[offset + OUTPUT_INDEX[k]];
        cursors[fn]++;
      } else {
        const previous = at - 1;
        if (previous < 0 || !hasLevelsAfter(series, previous)) continue;
        const offset = previous * SERIES_WIDTH;
        for (let k = 0; k < width; k++) values[k] = QUIET_INDEX[k] < 0 ? 0 : stored[offset + QUIET_INDEX[k]];
      }
      any = true;
      for (let k = 0; k < width; k++) {
        const value = values[k];
        total[k] = IS_LARGEST[k] ? Math.max(total[k], value) : total[k] + value;
        shown[k] = IS_ROUNDED[k] ? round(value, 6) : value;
      }
      row.name = names[fn];
      yield row;
    }
    if (any && functions.length > 1) {
      // The account's max is bounded by, not equal to, the sum of per-function maxima.
      for (let k = 0; k < width; k++) shown[k] = IS_ROUNDED[k] ? round(total[k], 6) : total[k];
      row.name = ACCOUNT;
      yield row;
    }
  }
}

/** The time series as rows of cells, TIMESERIES_HEADER's columns. */
export function* timeSeriesRows(result: SimulationResult): Generator<(string | number)[]> {
  for (const row of periodRows(result)) yield [row.minute, row.start, row.name, ...row.values];
}

/**
 * timeseries.csv as text, in pieces of about `chunkChars` characters: the header and every row of
 * timeSeriesRows, as csvLine writes them. Formatting each line straight from the row, without a
 * row of cells in between, costs half as much (bench/RESULTS.md, "Whole process").
 */
export function timeSeriesCsv(result: SimulationResult, chunkChars?: number): Generator<string> {
  return textChunks(timeSeriesLines(result), chunkChars);
}

function* timeSeriesLines(result: SimulationResult): Generator<string> {
  yield csvLine(TIMESERIES_HEADER);
  const quoted = new Map<string, string>();
  for (const row of periodRows(result)) {
    let name = quoted.get(row.name);
    if (name === undefined) {
      name = csvLine([row.name]);
      quoted.set(row.name, name);
    }
    let line = `${row.minute},${row.start},${name}`;
    const values = row.values;
    for (let k = 0; k < values.length; k++) line += `,${values[k]}`;
    yield line;
  }
}
