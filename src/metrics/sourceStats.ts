import { LatencyHistogram } from "./histogram.js";

/*
 * What the asynchronous queue and the event source mappings measure about one function, beside
 * its invocation metrics. Counts are of events, records or messages, not of invocations.
 */

export class AsyncStats {
  /** AsyncEventsReceived: events accepted onto the function's queue (duplicates not counted). */
  received = 0;
  /** AsyncEventsDropped: events given up on without a successful run, dead-lettered ones included (as AWS counts them). */
  dropped = 0;
  /** Events sent to the failure destination (a subset of dropped). */
  deadLettered = 0;
  /** Invocations retried after a function error. */
  retries = 0;
  /** Times an event went back to the queue after a throttle, to be tried again after a backoff. */
  throttleRequeues = 0;
  /** Extra deliveries of an event (at-least-once delivery). */
  duplicates = 0;
  /** AsyncEventAge (ms): from enqueue to each invoke attempt. */
  readonly eventAge = new LatencyHistogram();
}

export class StreamStats {
  records = 0;
  /** Records in a batch that succeeded (or checkpointed past by ReportBatchItemFailures). */
  processed = 0;
  /** Records given up on after retries or maximumRecordAge (sent to onFailure when set). */
  discarded = 0;
  /** Records lost because they outlived the stream's retention before being processed. */
  expired = 0;
  /** Batch invocations retried after a function error (bisected halves included). */
  retries = 0;
  /** IteratorAge (ms): age of a batch's newest record when the batch is sent. */
  readonly iteratorAge = new LatencyHistogram();
  /** Time shards spent blocked behind a failing batch (s): longest single block, and the sum. */
  blockedMax = 0;
  blockedTotal = 0;
}

export class SqsStats {
  messages = 0;
  /** Messages deleted after a successful batch (or reported as not failed). */
  deleted = 0;
  /** Message receives, a throttled batch's included (each counts toward maxReceiveCount). */
  receives = 0;
  movedToDlq = 0;
  /** Messages deleted by the queue after messageRetention. */
  expired = 0;
  maxConcurrentPollers = 0;
  /** ApproximateAgeOfOldestMessage, highest seen (ms). */
  oldestMessageAgeMax = 0;
}
