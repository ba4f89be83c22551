import type { DrawnColumn } from "../html/timeline.js";

/** A report.html chart of one per-minute column, a line per function the path feeds. */
export interface SourceChart {
  /** The figure's name in the page (a CSS hook and test anchor). */
  readonly figure: string;
  /** A per-minute column the charts know how to reduce (html/timeline.ts). */
  readonly column: DrawnColumn;
  readonly title: string;
  /** An age in ms (drawn in a unit that suits its size) or a count; says what is measured. */
  readonly measure: { age: string } | { count: string };
}

/**
 * What the reports show of one invocation path: the function's summary.json block, the table of
 * report.md and report.html (one row per function the path feeds), and its charts over time.
 * Every reported path's functions are also drawn in report.html's chart of waiting work.
 */
export interface SourceReport<Stats, Block> {
  /** The block summary.json carries under the path's kind. */
  summarize(stats: Stats): Block;
  /** Section heading (report.md uses ##, report.html <h3>). */
  readonly title: string;
  /** Table heads after "function", for report.md and report.html (they differ in places). */
  readonly markdownHeads: readonly string[];
  readonly htmlHeads: readonly string[];
  /** One table row's cells after the function name; `number` formats a count and `ms` a figure with a fraction (times, hours) for the medium. */
  cells(block: Block, maxQueueDepth: number, number: (value: number) => string, ms: (value: number) => string): string[];
  /** Drawn before the chart of waiting work: how old the work the path sends is. */
  readonly ageCharts: readonly SourceChart[];
  /** Drawn after it: the capacity the path gave itself. */
  readonly capacityCharts: readonly SourceChart[];
}

/** Declares a path's report part, typing each table row by what its summarize() returns. */
export function sourceReport<Stats, Block>(part: SourceReport<Stats, Block>): SourceReport<Stats, Block> {
  return part;
}
