import { snapStartSupport, streamedBillableGb } from "../model/features.js";
import type { FunctionSpec } from "../model/types.js";
import { PRICES } from "./pricing.js";

/*
 * The charges of SnapStart, tenant isolation and response streaming (docs/pricing.md#snapstart,
 * #tenant-isolation, #response-streaming). Each line appears only for a function that uses the
 * option, so the bill of a function without them is what it always was.
 */

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
    const cachedSeconds = Math.max(usage.activeSeconds, PRICES.snapStartCacheMinimumSeconds);
    cost.snapStartCacheUsd = priced ? gb * cachedSeconds * PRICES.snapStartCachePerGbSecond : 0;
    cost.snapStartRestoreUsd = priced ? usage.restores * gb * PRICES.snapStartRestorePerGb : 0;
  }
  if (spec.tenantIsolation !== undefined) {
    cost.tenantIsolationUsd = usage.environmentsCreated * gb * PRICES.tenantIsolationPerGb[spec.architecture];
  }
  if (spec.responseStreamingMb !== undefined) {
    cost.streamingUsd = usage.invocations * streamedBillableGb(spec.responseStreamingMb) * PRICES.streamingPerGb;
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
