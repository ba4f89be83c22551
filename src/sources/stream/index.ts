import type { EventSource } from "../eventSource.js";
import { compileStream, type StreamSettings } from "./compile.js";
import { StreamMappings } from "./invoker.js";
import { STREAM_ENTRY, type streamEntrySchema } from "./schema.js";
import type { StreamStats } from "./stats.js";

/** Kinesis and DynamoDB stream event source mappings: shards polled in order, batches retried in place. */
export const streamSource: EventSource<typeof streamEntrySchema, StreamSettings, StreamStats> = {
  entry: STREAM_ENTRY,
  accepts: () => true,
  compile: compileStream,
  createInvoker: (sim, platform, sources) => new StreamMappings(sim, platform, sources),
};
