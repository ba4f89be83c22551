import type { Distribution } from "../engine/distributions.js";
import type { Architecture, PackageType } from "./runtimes.js";

/*
 * The scenario as the model consumes it: validated, defaults filled, times in seconds, limits that
 * are off as Infinity, and every source of arrivals already turned into an ArrivalSource. Nothing
 * here refers to files.
 */

export type ScalingModel = "per-function" | "legacy" | "unlimited";
export type ReusePolicy = "mru" | "lru";
export type InitBillingRule = "current" | "pre-2025-08";

export interface AccountSettings {
  concurrencyLimit: number;
  unreservedMinimum: number;
  scaling: ScalingModel;
  scalingBucketSize: number;
  scalingRefillPerSecond: number;
  legacyBurst: number;
  legacyRefillPerMinute: number;
  /** Synchronous invokes per second for the whole account (Lambda's own pollers are exempt). */
  requestRateLimit: number;
}

export interface PlatformSettings {
  /** An idle environment is reclaimed after this long (s); see activeKeepAlive for the exception. */
  keepAlive: number;
  /**
   * While its function is still active (something ran within the last keepAlive), an idle
   * environment is kept up to this long after its own last invocation (s); >= keepAlive. Equal to
   * keepAlive (the default) gives the plain per-environment idle timeout.
   */
  activeKeepAlive: number;
  /**
   * How many of a function's idle environments past keepAlive activeKeepAlive may keep (the most
   * recently used ones); the rest are reclaimed at keepAlive. Infinity: all of them.
   */
  activeSpares: number;
  maxLifetime: number;
  lifetimeJitter: number;
  /** Environments are also retired at random at this rate (per second of life); 0: never. */
  earlyRetirementRate: number;
  reuse: ReusePolicy;
  initBilling: InitBillingRule;
  freeTier: boolean;
  initTimeout: number;
  provisionedAllocationDelay: number;
  provisionedRampPerSecond: number;
}

export interface ProvisionedStep {
  at: number;
  value: number;
}

export interface FunctionSpec {
  name: string;
  runtime: string;
  package: PackageType;
  memoryMb: number;
  architecture: Architecture;
  ephemeralStorageMb: number;
  timeout: number;
  init: Distribution;
  /** Handler time; undefined when every arrival carries its own (trace replay). */
  duration: Distribution | undefined;
  /** Handler time is scaled from this memory size by the CPU-bound fraction. */
  durationAtMemoryMb: number;
  cpuBoundFraction: number;
  errorRate: number;
  crashRate: number;
  reservedConcurrency: number | undefined;
  /** Provisioned concurrency over time, sorted by `at`; empty when none is configured. */
  provisioned: ProvisionedStep[];
  /** Intervals [from, to) in which every invocation fails (a downstream outage); sorted, disjoint. */
  errorWindows: TimeWindow[];
}

export interface TimeWindow {
  from: number;
  to: number;
}

export interface ClientRetry {
  retry: "none" | "sdk-standard";
  maxAttempts: number;
  baseDelay: number;
  throttleBaseDelay: number;
  maxBackoff: number;
  retryQuota: number;
}

export type FailureDestination = "dlq" | "none";

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
}

/** Records that fail every batch they are in: each with probability `rate`, or listed by ordinal. */
export type PoisonRecords = { rate: number } | { records: number[] } | null;

/** A Kinesis or DynamoDB stream and its event source mapping (times in seconds, Infinity = off). */
export interface StreamSettings {
  source: "kinesis" | "dynamodb-streams";
  shards: number;
  /** Zipf exponent of the record spread over shards: 0 spreads uniformly, larger is hotter. */
  shardSkew: number;
  pollInterval: number;
  batchSize: number;
  batchingWindow: number;
  parallelizationFactor: number;
  /** Infinity for -1. */
  maximumRetryAttempts: number;
  /** Infinity for -1. */
  maximumRecordAge: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  retention: number;
  onFailure: FailureDestination;
  poisonRecords: PoisonRecords;
  /** Handler time added per record in the batch, on top of the function's duration. */
  recordDuration: number;
}

/** An SQS queue and its event source mapping (times in seconds, Infinity = off). */
export interface SqsSettings {
  batchSize: number;
  batchingWindow: number;
  /** Infinity when not set. */
  maximumConcurrency: number;
  visibilityTimeout: number;
  /** Infinity when the queue has no redrive policy (no DLQ). */
  maxReceiveCount: number;
  messageRetention: number;
  reportBatchItemFailures: boolean;
  fifo: boolean;
  messageGroups: number;
  pollerScaling: "current" | "pre-2023";
  poisonRecords: PoisonRecords;
  recordDuration: number;
}

/** How the arrivals of a source reach the function. */
export type Delivery =
  | { kind: "sync"; client: ClientRetry }
  | { kind: "async"; async: AsyncSettings }
  | { kind: "stream"; stream: StreamSettings }
  | { kind: "sqs"; sqs: SqsSettings };

/** A stream of arrivals, pulled one at a time in time order. */
export interface ArrivalSource {
  /** Names the source's random streams: stable when other workload entries change. */
  readonly name: string;
  /** Moves to the next arrival and returns its time, or Infinity when there are no more. */
  next(): number;
  /** Index into Scenario.functions of the arrival last returned by next(). */
  functionIndex: number;
  /** Handler duration the arrival carries (seconds), or NaN to draw from the function's distribution. */
  duration: number;
  /** Requests, events, stream records or queue messages, and how they are delivered. */
  readonly delivery: Delivery;
  /** Releases files and buffers; called when the run ends, even early. */
  close(): void;
}

export interface Scenario {
  name: string;
  description: string | undefined;
  seed: number;
  /** Arrivals are generated in [0, duration); Infinity for a trace replayed to its end. */
  duration: number;
  region: string;
  account: AccountSettings;
  platform: PlatformSettings;
  functions: FunctionSpec[];
  /** Builds the arrival sources afresh for each run (each source draws from its own stream). */
  createSources(rng: (streamName: string) => () => number): ArrivalSource[];
}
