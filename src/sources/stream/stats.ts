import { LatencyHistogram } from "../../metrics/histogram.js";

/** What a stream mapping measures about one function; counts are of records, not invocations. */
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
