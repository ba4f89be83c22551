import { snapStartSupport, streamedBillableGb } from "../model/features.js";
import type { Architecture } from "../model/runtimes.js";
import type { FunctionSpec } from "../model/types.js";

/*
 * The charges of SnapStart, tenant isolation and response streaming (docs/pricing.md#snapstart,
 * #tenant-isolation, #response-streaming). Each line appears only for a function that uses the
 * option, so the bill of a function without them is what it always was.
 */

export const FEATURE_PRICES = {
  /** SnapStart cache, per GB-s of memory while the version is active, Python and .NET only. */
  snapStartCachePerGbSecond: 0.0000015046,
  /** The cache is billed for at least this long (3 hours). */
  snapStartCacheMinimumSeconds: 3 * 3600,
  /** SnapStart restore, per GB of memory restored, Python and .NET only. */
  snapStartRestorePerGb: 0.0001397998,
  /** Tenant isolation, per GB of memory of each environment created. */
  tenantIsolationPerGb: { x86_64: 0.000166667, arm64: 0.000133333 } as Record<Architecture, number>,
  /** Response streaming, per GB written past the first 6 MB of each response. */
  streamingPerGb: 0.008,
} as const;

/** What a function did that the options price, over the window or projected to a month. */
export interface FeatureUsage {
  invocations: number;
  /** Snapshot restores (the cold starts of a SnapStart function). */
  restores: number;
  environmentsCreated: number;
  /** Seconds the function version is active: the cache is billed for them. */
  activeSeconds: number;
}

export interface FeatureCost {
  snapStartCacheUsd?: number;
  snapStartRestoreUsd?: number;
  tenantIsolationUsd?: number;
  streamingUsd?: number;
}

export const FEATURE_COST_KEYS = ["snapStartCacheUsd", "snapStartRestoreUsd", "tenantIsolationUsd", "streamingUsd"] as const;

/** The option charges of one function; both SnapStart lines are 0 for Java, which AWS does not charge. */
export function featureCost(spec: FunctionSpec, usage: FeatureUsage): FeatureCost {
  const gb = spec.memoryMb / 1024;
  const cost: FeatureCost = {};
  if (spec.snapStartRestore !== undefined) {
    const priced = snapStartSupport(spec.runtime) === "priced";
    const cachedSeconds = Math.max(usage.activeSeconds, FEATURE_PRICES.snapStartCacheMinimumSeconds);
    cost.snapStartCacheUsd = priced ? gb * cachedSeconds * FEATURE_PRICES.snapStartCachePerGbSecond : 0;
    cost.snapStartRestoreUsd = priced ? usage.restores * gb * FEATURE_PRICES.snapStartRestorePerGb : 0;
  }
  if (spec.tenantIsolation !== undefined) {
    cost.tenantIsolationUsd = usage.environmentsCreated * gb * FEATURE_PRICES.tenantIsolationPerGb[spec.architecture];
  }
  if (spec.responseStreamingMb !== undefined) {
    cost.streamingUsd = usage.invocations * streamedBillableGb(spec.responseStreamingMb) * FEATURE_PRICES.streamingPerGb;
  }
  return cost;
}

export function featureTotal(cost: FeatureCost): number {
  let total = 0;
  for (const key of FEATURE_COST_KEYS) total += cost[key] ?? 0;
  return total;
}

/** The option lines summed over functions; only the lines some function has. */
export function sumFeatureCosts(costs: readonly (FeatureCost | undefined)[]): FeatureCost {
  const sum: FeatureCost = {};
  for (const cost of costs) {
    if (cost === undefined) continue;
    for (const key of FEATURE_COST_KEYS) if (cost[key] !== undefined) sum[key] = (sum[key] ?? 0) + cost[key];
  }
  return sum;
}
