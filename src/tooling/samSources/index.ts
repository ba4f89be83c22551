import type { SourceKind } from "../../sources/kinds.js";
import { samAsync, samSync } from "./invocations.js";
import type { SamSource } from "./source.js";
import { samSqs } from "./sqs.js";
import { samStream } from "./stream.js";

/** The SAM importer's part of each invocation path, keyed like the sources' own registry. */
export const SAM_SOURCES = {
  sync: samSync,
  async: samAsync,
  stream: samStream,
  sqs: samSqs,
} satisfies Record<SourceKind, SamSource>;

export { addSqs } from "./sqs.js";
export { addStream } from "./stream.js";
