import type { EventSource } from "../eventSource.js";
import { INVOCATION_ENTRY, type invocationEntrySchema } from "../invocationEntry.js";
import { compileSync, type ClientRetry } from "./compile.js";
import { SyncClients } from "./invoker.js";

/** Synchronous invocation (RequestResponse): the caller waits, and retries a 429 as its SDK does. */
export const syncSource: EventSource<typeof invocationEntrySchema, ClientRetry, null> = {
  entry: INVOCATION_ENTRY,
  accepts: (entry) => entry.invocation === "sync",
  compile: compileSync,
  createInvoker: (sim, platform, sources) => new SyncClients(sim, platform, sources),
};
