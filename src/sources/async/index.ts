import type { EventSource } from "../eventSource.js";
import { INVOCATION_ENTRY, type invocationEntrySchema } from "../invocationEntry.js";
import { compileAsync, type AsyncSettings } from "./compile.js";
import { AsyncQueue } from "./invoker.js";
import type { AsyncStats } from "./stats.js";

/** Asynchronous invocation (Event): Lambda queues the event, retries it and dead-letters it. */
export const asyncSource: EventSource<typeof invocationEntrySchema, AsyncSettings, AsyncStats> = {
  entry: INVOCATION_ENTRY,
  accepts: (entry) => entry.invocation === "async",
  compile: compileAsync,
  createInvoker: (sim, platform, sources) => new AsyncQueue(sim, platform, sources),
};
