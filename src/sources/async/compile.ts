import type { CompileContext } from "../eventSource.js";
import type { InvocationEntry } from "../invocationEntry.js";
import type { FailureDestination } from "../shared/poison.js";
import { asyncSchema } from "./schema.js";

/** The asynchronous invocation configuration of one workload entry (times in seconds). */
export interface AsyncSettings {
  maximumRetryAttempts: number;
  maximumEventAge: number;
  onFailure: FailureDestination;
  /** Delay before the k-th retry after a function error; index k-1. */
  retryDelays: number[];
  /** Throttle and system-error backoff: first delay, growth factor, cap. */
  backoffInitial: number;
  backoffFactor: number;
  backoffMax: number;
  /** Probability that an event is delivered twice (at-least-once delivery). */
  duplicateProbability: number;
  payloadKb: number;
  /** Requests billed for each invocation beyond the first: one per 64 KB chunk past 256 KB. */
  extraRequests: number;
}

/** Requests an asynchronous event of `payloadKb` is billed beyond the first (docs/pricing.md#large-async-payloads). */
export function extraAsyncRequests(payloadKb: number): number {
  return Math.ceil(Math.max(0, payloadKb - 256) / 64);
}

export function compileAsync(entry: InvocationEntry, { path, problems }: CompileContext): AsyncSettings {
  if (entry.client !== undefined) {
    problems.push({
      path: `${path}.client`,
      message: `applies only to invocation: sync; an async invoke is accepted (202) at once and retried by Lambda, see async`,
    });
  }
  const settings = entry.async ?? asyncSchema.parse({});
  if (settings.backoffMax < settings.backoffInitial) {
    problems.push({
      path: `${path}.async.backoffMax`,
      message: `must be at least backoffInitial (${settings.backoffInitial} s), got ${settings.backoffMax} s`,
    });
  }
  return { ...settings, extraRequests: extraAsyncRequests(settings.payloadKb) };
}
