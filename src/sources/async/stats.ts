import { LatencyHistogram } from "../../metrics/histogram.js";

/** What the asynchronous queue measures about one function; counts are of events, not invocations. */
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
