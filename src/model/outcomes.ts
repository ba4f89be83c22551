import { COL, type FunctionMetrics } from "../metrics/functionMetrics.js";
import { CRASH, ERROR, SUCCESS, TIMEOUT } from "./environments.js";
import type { FunctionSpec, TimeWindow } from "./types.js";

/*
 * How an invocation ends, on demand or on Managed Instances alike. The pieces stay small and
 * separate (a pure function, a cursor) so that V8 inlines them into the invocation path.
 */

/** The outcome `u` (one uniform draw per invocation) gives at the function's crash and error rates. */
export function drawnOutcome(spec: FunctionSpec, u: number): number {
  return u < spec.crashRate ? CRASH : u < spec.crashRate + spec.errorRate ? ERROR : SUCCESS;
}

/** A forward-only cursor over a function's error windows: invocations start in time order. */
export class ErrorWindows {
  private next = 0;

  constructor(private readonly windows: readonly TimeWindow[]) {}

  includes(now: number): boolean {
    const windows = this.windows;
    let k = this.next;
    if (k >= windows.length) return false;
    while (k < windows.length && windows[k].to <= now) k++;
    this.next = k;
    return k < windows.length && windows[k].from <= now;
  }
}

/** Counts a finished invocation's failure, if it was one: Errors always, the measured counters when counted. */
export function countFailure(metrics: FunctionMetrics, outcome: number, counted: boolean): void {
  if (outcome === SUCCESS) return;
  metrics.count(COL.Errors);
  if (!counted) return;
  metrics.errors++;
  if (outcome === TIMEOUT) metrics.timeouts++;
  else if (outcome === CRASH) metrics.crashes++;
}
