import { grown } from "../common/typedArrays.js";

/**
 * Columns of one function's row per period (a minute unless `run --period` says otherwise; the
 * names below say "minute" for the period). Levels are time-weighted within the period.
 */
export const SERIES_COLUMNS = [
  "arrivals",
  "Invocations",
  "Errors",
  "Throttles",
  "ColdStarts",
  "ConcurrentExecutionsMax",
  "ConcurrentExecutionsMean",
  "EnvironmentsMean",
  "BilledGbSeconds",
  // Event sources: highest within the minute.
  "IteratorAgeMax",
  "AsyncEventAgeMax",
  "QueueDepthMax",
  "PollersMax",
  // Of the invocations that ended in the period (ms): percentiles from a per-period histogram.
  "LatencyP50",
  "LatencyP99",
  "LatencyMax",
  "DurationP99",
  // Levels at the end of the minute: a minute with no event of its own repeats them.
  "ConcurrentExecutionsEnd",
  "EnvironmentsEnd",
  "QueueDepthEnd",
  "PollersEnd",
] as const;

export type SeriesColumn = (typeof SERIES_COLUMNS)[number];

const COLUMN_COUNT = SERIES_COLUMNS.length;
export const COL = Object.fromEntries(SERIES_COLUMNS.map((name, i) => [name, i])) as Record<SeriesColumn, number>;

/**
 * Per-minute rows for one function, stored only for minutes in which something happened to it:
 * a two-week trace of hundreds of mostly idle functions stays small, and the quiet minutes are
 * exactly reconstructible (nothing changed, so every level equals the previous row's end level).
 */
/** What a reader of the per-minute rows needs: they are read, never written, after the run. */
export type MinuteRows = Pick<SparseMinuteSeries, "rows" | "minutes" | "get">;

export class SparseMinuteSeries {
  minutes = new Float64Array(64);
  values = new Float64Array(64 * COLUMN_COUNT);
  rows = 0;

  /** Opens a row for `minute` (later than any before) and returns its offset into `values`. */
  open(minute: number): number {
    if (this.rows === this.minutes.length) this.grow();
    this.minutes[this.rows] = minute;
    const offset = this.rows * COLUMN_COUNT;
    this.values.fill(0, offset, offset + COLUMN_COUNT);
    this.rows++;
    return offset;
  }

  private grow(): void {
    this.minutes = grown(this.minutes, this.minutes.length * 2);
    this.values = grown(this.values, this.values.length * 2);
  }

  get(row: number, column: SeriesColumn): number {
    return this.values[row * COLUMN_COUNT + COL[column]];
  }
}

export const SERIES_WIDTH = COLUMN_COUNT;
