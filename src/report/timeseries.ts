import { COL, SERIES_COLUMNS, SERIES_WIDTH, type SeriesColumn } from "../metrics/timeSeries.js";
import type { SimulationResult } from "../simulate.js";
import { csvCell, csvLine } from "./format.js";
import { putNumber } from "./numberBytes.js";
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

/**
 * The time series, period by period (a minute unless `run --period` chose another), one row per
 * function with something alive or happening, then an "(account)" row summing them. Periods the
 * recorder skipped (nothing changed) are filled by the quiet-minute rule, which is exact. `minute`
 * is the minute the period starts in, so a 60 s period's rows are numbered as ever.
 *
 * Each next() refills this one row: a consumer copies what it keeps. A cursor rather than a
 * generator, because timeseries.csv walks it once per process, mostly before V8 has optimized it,
 * and resuming a generator per row costs more there than a method call.
 */
class PeriodRows {
  minute = 0;
  start = 0;
  /** The function's name as a CSV cell, or "(account)". */
  name = "";
  /** The output columns, rounded as the file shows them. */
  readonly values = new Float64Array(OUTPUT_COLUMNS.length);

  private readonly period: number;
  private readonly lastPeriod: number;
  private readonly functions: SimulationResult["functions"];
  private readonly names: string[];
  /** Per function, its next stored row. */
  private readonly cursors: number[];
  /** Whether each period ends with an "(account)" row: only with several functions to sum. */
  private readonly account: boolean;
  /** The current function's unrounded values, and their sum (or maximum) over the period's functions. */
  private readonly unrounded = new Float64Array(OUTPUT_COLUMNS.length);
  private readonly total = new Float64Array(OUTPUT_COLUMNS.length);
  private index = 0;
  /** The next function to look at in the current period; functions.length once only the account row is left. */
  private fn = 0;
  /** Whether a function had a row in the current period. */
  private any = false;

  constructor(result: SimulationResult) {
    this.period = result.periodSeconds;
    this.lastPeriod = Math.max(0, Math.ceil(result.simulatedSeconds / this.period) - 1);
    this.functions = result.functions;
    this.names = this.functions.map((f) => csvCell(f.spec.name));
    this.cursors = this.functions.map(() => 0);
    this.account = this.functions.length > 1;
  }

  /** Moves to the next row; false after the last. */
  next(): boolean {
    const width = OUTPUT_COLUMNS.length;
    const functions = this.functions;
    const values = this.unrounded;
    const total = this.total;
    const shown = this.values;
    while (this.index <= this.lastPeriod) {
      if (this.fn === 0) {
        const start = this.index * this.period;
        this.minute = Math.floor(start / 60);
        this.start = start;
        total.fill(0);
        this.any = false;
      }
      while (this.fn < functions.length) {
        const fn = this.fn++;
        const series = functions[fn].metrics.series;
        const stored = series.values;
        const at = this.cursors[fn];
        if (at < series.rows && series.minutes[at] === this.index) {
          const offset = at * SERIES_WIDTH;
          for (let k = 0; k < width; k++) values[k] = stored[offset + OUTPUT_INDEX[k]];
          this.cursors[fn]++;
        } else {
          const previous = at - 1;
          if (previous < 0 || !hasLevelsAfter(series, previous)) continue;
          const offset = previous * SERIES_WIDTH;
          for (let k = 0; k < width; k++) values[k] = QUIET_INDEX[k] < 0 ? 0 : stored[offset + QUIET_INDEX[k]];
        }
        this.any = true;
        if (this.account) {
          for (let k = 0; k < width; k++) total[k] = IS_LARGEST[k] ? Math.max(total[k], values[k]) : total[k] + values[k];
        }
        for (let k = 0; k < width; k++) shown[k] = IS_ROUNDED[k] ? round(values[k], 6) : values[k];
        this.name = this.names[fn];
        return true;
      }
      const accountRow = this.any && this.account;
      this.index++;
      this.fn = 0;
      if (accountRow) {
        // The account's max is bounded by, not equal to, the sum of per-function maxima.
        for (let k = 0; k < width; k++) shown[k] = IS_ROUNDED[k] ? round(total[k], 6) : total[k];
        this.name = ACCOUNT;
        return true;
      }
    }
    return false;
  }
}

/** The time series as rows of cells, TIMESERIES_HEADER's columns. */
export function* timeSeriesRows(result: SimulationResult): Generator<(string | number)[]> {
  const row = new PeriodRows(result);
  while (row.next()) yield [row.minute, row.start, row.name, ...row.values];
}

/**
 * timeseries.csv as UTF-8 bytes in pieces of about `chunkBytes` bytes, each ending with a whole
 * line: the header and every row of timeSeriesRows, as csvLine writes them. The numbers go as bytes
 * straight from the row into the piece (putNumber), with no string per line or per number: at 10^7
 * seconds (166,667 rows) that halves the time after the simulation (bench/wholeProcess.ts).
 */
export function* timeSeriesCsv(result: SimulationResult, chunkBytes = 1 << 16): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const quoted = new Map<string, Uint8Array>();
  const header = encoder.encode(`${csvLine(TIMESERIES_HEADER)}\n`);
  let buf = new Uint8Array(Math.max(chunkBytes, header.length) + MAX_ROW_NUMBER_BYTES);
  buf.set(header);
  let pos = header.length;
  const row = new PeriodRows(result);
  while (row.next()) {
    if (pos >= chunkBytes) {
      yield buf.subarray(0, pos);
      buf = new Uint8Array(chunkBytes + MAX_ROW_NUMBER_BYTES);
      pos = 0;
    }
    let name = quoted.get(row.name);
    if (name === undefined) {
      name = encoder.encode(`,${csvLine([row.name])},`);
      quoted.set(row.name, name);
    }
    if (pos + name.length + MAX_ROW_NUMBER_BYTES > buf.length) {
      // A long function name: the piece grows past its size, as a long line always made it.
      const grown = new Uint8Array(pos + name.length + MAX_ROW_NUMBER_BYTES);
      grown.set(buf.subarray(0, pos));
      buf = grown;
    }
    pos = putRow(buf, pos, row, name);
  }
  yield buf.subarray(0, pos);
}

/**
 * Writes one row's line at `pos` (room checked) and returns the position after it. A function of
 * its own so that V8 optimizes this small loop early, apart from the generator around it.
 */
function putRow(buf: Uint8Array, pos: number, row: PeriodRows, name: Uint8Array): number {
  pos = putNumber(buf, pos, row.minute);
  buf[pos++] = COMMA;
  pos = putNumber(buf, pos, row.start);
  buf.set(name, pos);
  pos += name.length;
  const values = row.values;
  pos = putNumber(buf, pos, values[0]);
  for (let k = 1; k < values.length; k++) {
    buf[pos++] = COMMA;
    pos = putNumber(buf, pos, values[k]);
  }
  buf[pos++] = NEWLINE;
  return pos;
}

const COMMA = 44;
const NEWLINE = 10;
/** A row's bytes besides the function's name: its numbers (at most 25 bytes each), commas and line break. */
const MAX_ROW_NUMBER_BYTES = (OUTPUT_COLUMNS.length + 2) * 26 + 1;
