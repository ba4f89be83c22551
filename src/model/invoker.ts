/**
 * Whatever asks the platform for invocations: synchronous clients, the asynchronous event queue,
 * stream and queue pollers. The platform runs the invocation and tells its invoker how it ended;
 * the invoker owns everything else about the request (retries, batching, outcomes per record).
 */
export interface Invoker {
  /**
   * An invocation of function `fn` this invoker started with `token` has finished with `outcome`
   * (SUCCESS, ERROR, ...); `counted`: whether the arrival it was started for is in the measured window.
   */
  invocationEnded(fn: number, token: number, outcome: number, counted: boolean): void;
  /** True once no more arrivals can come and nothing waits to be retried or polled. */
  readonly exhausted: boolean;
  /**
   * Adds to `counts[fn]` the units (requests, events, records, messages) not finished when the run
   * ended that arrived at or after `from` (the measured window), counted from the invoker's own
   * structures, so conservation checks are not tautological.
   */
  addPending(counts: number[], from: number): void;
  /** Checks the invoker's own limits at the end of a run; throws InvariantError. */
  checkInvariants?(): void;
  /** Releases files and buffers; called when the run ends, even early. */
  close(): void;
}
