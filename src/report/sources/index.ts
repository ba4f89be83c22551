import { SOURCE_KINDS, type SourceKind, type SourceStats } from "../../sources/index.js";
import { asyncReport } from "./async.js";
import type { SourceReport } from "./part.js";
import { sqsReport } from "./sqs.js";
import { streamReport } from "./stream.js";

/**
 * What the reports show of each invocation path, keyed like the sources' own registry. Synchronous
 * calls have nothing beyond the function's own figures, so their entry is null.
 */
export const SOURCE_REPORTS = {
  sync: null,
  async: asyncReport,
  stream: streamReport,
  sqs: sqsReport,
} satisfies Record<SourceKind, SourceReport<never, unknown> | null>;

type Reports = typeof SOURCE_REPORTS;
type ReportedKind = { [K in SourceKind]: Reports[K] extends null ? never : K }[SourceKind];

/** Per reported path, the function's summary.json block, or null where the path does not feed it. */
export type SourceBlocks = { [K in ReportedKind]: ReturnType<NonNullable<Reports[K]>["summarize"]> | null };

export const REPORTED_KINDS = SOURCE_KINDS.filter((kind): kind is ReportedKind => SOURCE_REPORTS[kind] !== null);

export function reportOf(kind: ReportedKind): SourceReport<unknown, unknown> {
  return SOURCE_REPORTS[kind] as SourceReport<unknown, unknown>;
}

export function sourceBlocks(stats: SourceStats): SourceBlocks {
  const blocks: Partial<Record<ReportedKind, unknown>> = {};
  for (const kind of REPORTED_KINDS) {
    const measured = stats[kind];
    blocks[kind] = measured === null ? null : reportOf(kind).summarize(measured);
  }
  return blocks as SourceBlocks;
}

/** Each reported path with the functions it feeds and their blocks, in registry order. */
export function fedFunctions<F extends SourceBlocks>(functions: readonly [string, F][]) {
  return REPORTED_KINDS.map((kind) => ({
    kind,
    report: reportOf(kind),
    rows: functions.filter(([, f]) => f[kind] !== null).map(([name, f]) => ({ name, f, block: f[kind] as unknown })),
  })).filter((section) => section.rows.length > 0);
}
