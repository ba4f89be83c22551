/*
 * A minute without a stored row had no event (see SparseMinuteSeries): its counts and ages are 0
 * and its levels are the previous row's end levels. timeseries.csv and the HTML charts both fill
 * quiet minutes by this one rule, so they can never disagree.
 */
import type { MinuteRows, SeriesColumn } from "../metrics/timeSeries.js";

/** The end level a quiet minute repeats, per column; a column not listed is 0 in a quiet minute. */
const QUIET_MINUTE_LEVEL: Partial<Record<SeriesColumn, SeriesColumn>> = {
  ConcurrentExecutionsMax: "ConcurrentExecutionsEnd",
  ConcurrentExecutionsMean: "ConcurrentExecutionsEnd",
  EnvironmentsMean: "EnvironmentsEnd",
  QueueDepthMax: "QueueDepthEnd",
  PollersMax: "PollersEnd",
  ConcurrentExecutionsEnd: "ConcurrentExecutionsEnd",
  EnvironmentsEnd: "EnvironmentsEnd",
  QueueDepthEnd: "QueueDepthEnd",
  PollersEnd: "PollersEnd",
};

const END_LEVELS = [...new Set(Object.values(QUIET_MINUTE_LEVEL))];

/** The stored end level that `column` repeats in a quiet minute; undefined where it is 0. */
export function quietMinuteLevel(column: SeriesColumn): SeriesColumn | undefined {
  return QUIET_MINUTE_LEVEL[column];
}

/** Whether anything is still alive, running or queued after stored row `row`. */
export function hasLevelsAfter(series: MinuteRows, row: number): boolean {
  return END_LEVELS.some((level) => series.get(row, level) !== 0);
}

/** One function's column minute by minute into `out` (one entry per minute of the run). */
export function denseColumn(series: MinuteRows, column: SeriesColumn, out: Float64Array): void {
  out.fill(0);
  const levelColumn = QUIET_MINUTE_LEVEL[column];
  let level = 0;
  let next = 0;
  for (let row = 0; row < series.rows; row++) {
    const minute = series.minutes[row];
    // A row opened by the final bookkeeping at the very end of the run is past the last minute.
    if (minute >= out.length) break;
    if (level !== 0) out.fill(level, next, minute);
    out[minute] = series.get(row, column);
    level = levelColumn === undefined ? 0 : series.get(row, levelColumn);
    next = minute + 1;
  }
  if (level !== 0) out.fill(level, next);
}
