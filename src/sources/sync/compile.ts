import type { CompileContext } from "../eventSource.js";
import type { InvocationEntry } from "../invocationEntry.js";
import { clientSchema, type ClientConfig } from "./schema.js";

/** What a synchronous caller does with a throttle. */
export interface ClientRetry {
  retry: "none" | "sdk-standard";
  maxAttempts: number;
  baseDelay: number;
  throttleBaseDelay: number;
  maxBackoff: number;
  retryQuota: number;
}

export function compileClient(client: ClientConfig): ClientRetry {
  return { ...client, retryQuota: client.retryQuota === "infinite" ? Infinity : client.retryQuota };
}

export function compileSync(entry: InvocationEntry, { path, problems }: CompileContext): ClientRetry {
  if (entry.async !== undefined)
    problems.push({ path: `${path}.async`, message: `applies only to invocation: async; this entry is invocation: sync` });
  return compileClient(entry.client ?? clientSchema.parse({}));
}
