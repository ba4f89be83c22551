/**
 * What the reports show of one invocation path: the function's summary.json block, and the table
 * of report.md and report.html, one row per function the path feeds. Charts of a path's ages and
 * capacity are in report/html/eventSources.ts, which reads the blocks.
 */
export interface SourceReport<Stats, Block> {
  /** The block summary.json carries under the path's kind. */
  summarize(stats: Stats): Block;
  /** Section heading (report.md uses ##, report.html <h3>). */
  readonly title: string;
  /** Table heads after "function", for report.md and report.html (they differ in places). */
  readonly markdownHeads: readonly string[];
  readonly htmlHeads: readonly string[];
  /** One table row's cells after the function name; `number` formats a figure for the medium. */
  cells(block: Block, maxQueueDepth: number, number: (value: number) => string, ms: (value: number) => string): string[];
}

/** Declares a path's report part, typing each table row by what its summarize() returns. */
export function sourceReport<Stats, Block>(part: SourceReport<Stats, Block>): SourceReport<Stats, Block> {
  return part;
}
