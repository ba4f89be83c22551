import type { ConcurrencyPools } from "./limits.js";
import type { FunctionMetrics } from "../metrics/functionMetrics.js";

/** A broken invariant is a simulator bug, never a user error. */
export class InvariantError extends Error {
  constructor(message: string) {
    super(`internal invariant violated: ${message}`);
    this.name = "InvariantError";
  }
}

/**
 * Checked at the end of every run: every arrival in the measured window is accounted for exactly
 * once, and no concurrency limit was ever exceeded.
 */
export function checkInvariants(
  names: readonly string[],
  metrics: readonly FunctionMetrics[],
  /** Units not finished at the end, per function, as counted by the invokers (those in the measured window). */
  pendingByFunction: readonly number[],
  /** Invocations running at the end whose arrival is in the measured window, per function. */
  runningCounted: readonly number[],
  pools: ConcurrencyPools,
  /** Requests one environment may run at once, per function (1 unless it runs on Managed Instances). */
  perEnvironment: readonly number[] = [],
): void {
  metrics.forEach((m, fn) => {
    const name = names[fn];
    const inFlight = pendingByFunction[fn];
    const accounted = m.succeeded + m.failed + m.throttled + m.dropped + m.deadLettered + inFlight;
    if (accounted !== m.arrivals) {
      throw new InvariantError(
        `${name}: arrivals ${m.arrivals} != succeeded ${m.succeeded} + failed ${m.failed} + throttled ${m.throttled} + dropped ${m.dropped} + deadLettered ${m.deadLettered} + inFlight ${inFlight}`,
      );
    }
    if (m.invocations !== m.completions + runningCounted[fn]) {
      throw new InvariantError(`${name}: Invocations ${m.invocations} != completed ${m.completions} + running ${runningCounted[fn]}`);
    }
    if (m.errors > m.completions) throw new InvariantError(`${name}: Errors ${m.errors} > completed invocations ${m.completions}`);
    const reserved = pools.reserved[fn];
    if (reserved >= 0 && pools.maxClaimed[fn] > reserved) {
      throw new InvariantError(`${name}: concurrency reached ${pools.maxClaimed[fn]} above its reserved ${reserved}`);
    }
    if (m.busy < 0 || m.alive < 0 || m.busy > m.alive * (perEnvironment[fn] ?? 1))
      throw new InvariantError(`${name}: busy ${m.busy}, alive ${m.alive}`);
  });
  if (pools.maxUnreservedClaimed > pools.unreservedCapacity) {
    throw new InvariantError(`unreserved concurrency reached ${pools.maxUnreservedClaimed} above ${pools.unreservedCapacity}`);
  }
  if (pools.maxAccountClaimed > pools.accountLimit) {
    throw new InvariantError(`account concurrency reached ${pools.maxAccountClaimed} above ${pools.accountLimit}`);
  }
}
