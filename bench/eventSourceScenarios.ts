import { resolveScenario } from "../src/scenario/compile.js";
import type { Scenario } from "../src/scenario/types.js";

/*
 * The event-source scenarios of the performance requirement, sized by the number of units
 * (records, events, messages) they generate. Each is healthy: no errors, no throttles, so the
 * figure is the simulator's cost per unit on the path, not of retries.
 */

export const STREAM_RATE = 50_000;
export const ASYNC_RATE = 2000;
export const SQS_RATE = 20_000;

/** A 100-shard Kinesis stream at 50,000 records/s, batches of up to 100, 20 ms median handler. */
export function streamScenario(records: number, seed = 1): Scenario {
  return resolveScenario({
    name: "bench-stream",
    seed,
    duration: records / STREAM_RATE,
    functions: [{ name: "ingest", memoryMb: 512, duration: { lognormal: { median: "20ms", p99: "100ms" } } }],
    workload: [{ function: "ingest", source: "kinesis", shards: 100, records: { poisson: { rate: STREAM_RATE } }, batchSize: 100 }],
  });
}

/** Asynchronous events at 2,000/s on one function, lognormal handler (median 80 ms, p99 400 ms). */
export function asyncScenario(events: number, seed = 1): Scenario {
  return resolveScenario({
    name: "bench-async",
    seed,
    duration: events / ASYNC_RATE,
    functions: [{ name: "thumbnailer", memoryMb: 512, duration: { lognormal: { median: "80ms", p99: "400ms" } } }],
    workload: [{ function: "thumbnailer", invocation: "async", arrivals: { poisson: { rate: ASYNC_RATE } } }],
  });
}

/** An SQS queue at 20,000 messages/s, batches of up to 10, 30 ms median handler. */
export function sqsScenario(messages: number, seed = 1): Scenario {
  return resolveScenario({
    name: "bench-sqs",
    seed,
    duration: messages / SQS_RATE,
    functions: [{ name: "worker", memoryMb: 512, timeout: 30, duration: { lognormal: { median: "30ms", p99: "150ms" } } }],
    workload: [{ function: "worker", source: "sqs", messages: { poisson: { rate: SQS_RATE } }, batchSize: 10, visibilityTimeout: "3m" }],
  });
}
