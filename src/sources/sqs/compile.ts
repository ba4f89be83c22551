import type { CompileContext } from "../eventSource.js";
import { compilePoison, type PoisonRecords } from "../shared/poison.js";
import type { SqsEntry } from "./schema.js";

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
  /** Provisioned mode's poller bounds, or null for the default (on-demand) poller scaling. */
  provisionedPollers: { minimum: number; maximum: number } | null;
  messageSizeKb: number;
}

export function compileSqs(entry: SqsEntry, { path, fn, problems }: CompileContext): SqsSettings {
  if (entry.fifo && entry.batchingWindow > 0) {
    problems.push({
      path: `${path}.batchingWindow`,
      message: `must be 0 for a FIFO queue (Lambda does not gather FIFO batches over a window), got ${entry.batchingWindow} s`,
    });
  }
  if (entry.fifo && entry.batchSize > 10) {
    problems.push({ path: `${path}.batchSize`, message: `must be at most 10 for a FIFO queue, got ${entry.batchSize}` });
  } else if (entry.batchSize > 10 && entry.batchingWindow < 1) {
    problems.push({
      path: `${path}.batchSize`,
      message: `${entry.batchSize} needs a batchingWindow of at least 1s (batches larger than 10 are gathered over a window), got batchingWindow ${entry.batchingWindow} s`,
    });
  }
  if (entry.visibilityTimeout < fn.timeout) {
    problems.push({
      path: `${path}.visibilityTimeout`,
      message: `must be at least the function's timeout (${fn.timeout} s; AWS recommends 6 x), got ${entry.visibilityTimeout} s`,
    });
  }
  const pollers = entry.provisionedPollers;
  if (pollers !== undefined && entry.maximumConcurrency !== undefined) {
    problems.push({
      path: `${path}.maximumConcurrency`,
      message: `cannot be combined with provisionedPollers (AWS accepts one or the other; in provisioned mode provisionedPollers.maximum caps the mapping), got ${entry.maximumConcurrency}`,
    });
  }
  if (pollers !== undefined && pollers.minimum > pollers.maximum) {
    problems.push({
      path: `${path}.provisionedPollers.minimum`,
      message: `must be at most provisionedPollers.maximum (${pollers.maximum}), got ${pollers.minimum}`,
    });
  }
  if (entry.messageGroups !== undefined && !entry.fifo) {
    problems.push({ path: `${path}.messageGroups`, message: `applies only to FIFO queues; set fifo: true or remove it` });
  }
  return {
    batchSize: entry.batchSize,
    batchingWindow: entry.batchingWindow,
    maximumConcurrency: entry.maximumConcurrency ?? Infinity,
    visibilityTimeout: entry.visibilityTimeout,
    maxReceiveCount: entry.maxReceiveCount ?? Infinity,
    messageRetention: entry.messageRetention,
    reportBatchItemFailures: entry.reportBatchItemFailures,
    fifo: entry.fifo,
    messageGroups: entry.messageGroups ?? 1,
    pollerScaling: entry.pollerScaling,
    poisonRecords: compilePoison(entry.poisonRecords),
    recordDuration: entry.recordDuration,
    provisionedPollers: pollers === undefined ? null : { minimum: pollers.minimum, maximum: pollers.maximum },
    messageSizeKb: entry.messageSizeKb,
  };
}
