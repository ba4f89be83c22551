import type { EventSource } from "../eventSource.js";
import { compileSqs, type SqsSettings } from "./compile.js";
import { SqsMappings } from "./invoker.js";
import { SQS_ENTRY, type sqsEntrySchema } from "./schema.js";
import type { SqsStats } from "./stats.js";

/** SQS event source mappings: pollers that scale with the backlog, visibility timeouts, redrive. */
export const sqsSource: EventSource<typeof sqsEntrySchema, SqsSettings, SqsStats> = {
  entry: SQS_ENTRY,
  accepts: () => true,
  compile: compileSqs,
  createInvoker: (sim, platform, sources) => new SqsMappings(sim, platform, sources),
};
