import type { CompileContext } from "../eventSource.js";
import { compilePoison, type FailureDestination, type PoisonRecords } from "../shared/poison.js";
import type { StreamEntry } from "./schema.js";

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

export function compileStream(entry: StreamEntry, { path, problems }: CompileContext): StreamSettings {
  if (entry.source === "dynamodb-streams" && entry.retention !== 86400) {
    problems.push({
      path: `${path}.retention`,
      message: `DynamoDB Streams keep records for 24h, which cannot be changed; got ${entry.retention} s`,
    });
  }
  return {
    source: entry.source,
    shards: entry.shards,
    shardSkew: entry.shardSkew,
    // Kinesis is polled about once a second per shard, DynamoDB Streams about four times.
    pollInterval: entry.pollInterval ?? (entry.source === "kinesis" ? 1 : 0.25),
    batchSize: entry.batchSize,
    batchingWindow: entry.batchingWindow,
    parallelizationFactor: entry.parallelizationFactor,
    maximumRetryAttempts: entry.maximumRetryAttempts,
    maximumRecordAge: entry.maximumRecordAge,
    bisectBatchOnFunctionError: entry.bisectBatchOnFunctionError,
    reportBatchItemFailures: entry.reportBatchItemFailures,
    retention: entry.retention,
    onFailure: entry.onFailure,
    poisonRecords: compilePoison(entry.poisonRecords),
    recordDuration: entry.recordDuration,
  };
}
