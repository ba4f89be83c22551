/**
 * The invocation paths lambdasim models. Every registry of per-path parts (the sources' own in
 * index.ts, the report's, the SAM importer's) is typed against this list, so a path that lacks a
 * part in any of them is a compile error, never a silent zero.
 */
export const SOURCE_KINDS = ["sync", "async", "stream", "sqs"] as const;

export type SourceKind = (typeof SOURCE_KINDS)[number];
