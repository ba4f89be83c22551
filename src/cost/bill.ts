import type { Architecture } from "../model/runtimes.js";
import type { FunctionSpec, ProvisionedStep } from "../model/types.js";
import { gbSeconds } from "../common/billing.js";
import { type FeatureCost, type FeatureUsage, featureCost, featureTotal, sumFeatureCosts } from "./features.js";
import { PRICES, requestCost, tieredDurationCost } from "./pricing.js";
import { managedInstancesCost } from "./managedInstances.js";

/** What one function used during the run, in billing units. */
export interface FunctionUsage {
  spec: FunctionSpec;
  requests: number;
  onDemandBilledMs: number;
  provisionedBilledMs: number;
  provisionedInitMs: number;
  /** Instance-hours of a Managed Instances function in the window (0 or absent otherwise). */
  managedInstanceHours?: number;
  /** What SnapStart, tenant isolation and response streaming charge for (activeSeconds is taken from the window). */
  features?: Omit<FeatureUsage, "activeSeconds">;
  /** Event poller seconds of the function's SQS mappings in provisioned mode, as billed (0 without). */
  pollerSeconds?: number;
}

/** USD for event poller seconds (SQS provisioned mode). */
export function pollersCost(pollerSeconds: number): number {
  return (pollerSeconds / 3600) * PRICES.sqsPollerPerHour;
}

export interface FunctionCost {
  /** Requests billed: one per invocation, more for asynchronous events over 256 KB. */
  requests: number;
  /** Invocations, what the cost per million requests divides by. */
  invocations: number;
  /** On-demand duration GB-s (INIT included where the billing rule says so). */
  gbSeconds: number;
  provisionedAllocatedGbSeconds: number;
  provisionedDurationGbSeconds: number;
  requestUsd: number;
  computeUsd: number;
  ephemeralStorageUsd: number;
  provisionedUsd: number;
  /** SnapStart, tenant isolation and response streaming lines, for the options the function uses. */
  features: FeatureCost;
  pollerHours: number;
  pollersUsd: number;
  /** Lambda Managed Instances: the EC2 instances (after any discount) and the management fee. */
  managedInstancesEc2Usd: number;
  managedInstancesFeeUsd: number;
  totalUsd: number;
}

export interface CostTotals {
  requests: number;
  invocations: number;
  gbSeconds: number;
  provisionedGbSeconds: number;
  requestUsd: number;
  computeUsd: number;
  ephemeralStorageUsd: number;
  provisionedUsd: number;
  features: FeatureCost;
  pollerHours: number;
  pollersUsd: number;
  managedInstancesEc2Usd: number;
  managedInstancesFeeUsd: number;
  totalUsd: number;
}

/**
 * GB-s of provisioned concurrency configured over the window [from, to): AWS bills it from enable
 * to disable, rounded up to 5 minutes (docs/pricing.md#provisioned-concurrency). The rounding
 * applies to each enabled period as a whole (from a non-zero value to the next 0, however often
 * the value changes in between), clipped to the window; the rounded-up remainder is billed at
 * the value configured when the period ends.
 */
export function provisionedAllocatedGbSeconds(schedule: readonly ProvisionedStep[], memoryMb: number, from: number, to: number): number {
  const increment = PRICES.provisionedBillingIncrement;
  let total = 0;
  let periodSeconds = 0;
  let lastValue = 0;
  const closePeriod = () => {
    if (periodSeconds <= 0) return;
    const rounded = Math.ceil(periodSeconds / increment - 1e-9) * increment;
    total += lastValue * (rounded - periodSeconds);
    periodSeconds = 0;
  };
  schedule.forEach((step, i) => {
    const start = Math.max(from, step.at);
    const stop = Math.min(to, i + 1 < schedule.length ? schedule[i + 1].at : to);
    if (step.value <= 0) {
      closePeriod();
      return;
    }
    if (stop <= start) return;
    total += step.value * (stop - start);
    periodSeconds += stop - start;
    lastValue = step.value;
  });
  closePeriod();
  return total * (memoryMb / 1024);
}

/** The time provisioned concurrency is billed for: the measured window, without the drain after it. */
export interface BillingWindow {
  from: number;
  to: number;
}

/**
 * Bills a run as if it were the month's whole usage: duration tiers and the free tier are
 * account-wide, so they are applied to the totals and each function gets its pro-rata share.
 */
export function bill(
  usages: readonly FunctionUsage[],
  window: BillingWindow,
  freeTier: boolean,
): { functions: FunctionCost[]; totals: CostTotals } {
  const onDemandGbs = usages.map((u) => gbSeconds(u.onDemandBilledMs, u.spec.memoryMb));
  const totalRequests = usages.reduce((sum, u) => sum + u.requests, 0);
  const totalOnDemandGbs = onDemandGbs.reduce((a, b) => a + b, 0);

  const byArch: Record<Architecture, number> = { x86_64: 0, arm64: 0 };
  usages.forEach((u, i) => (byArch[u.spec.architecture] += onDemandGbs[i]));
  const archCost: Record<Architecture, number> = { x86_64: 0, arm64: 0 };
  for (const arch of ["x86_64", "arm64"] as const) {
    const free =
      freeTier && totalOnDemandGbs > 0 ? Math.min(byArch[arch], PRICES.freeTier.gbSeconds * (byArch[arch] / totalOnDemandGbs)) : 0;
    archCost[arch] = tieredDurationCost(byArch[arch] - free, arch, free);
  }
  const freeRequests = freeTier ? Math.min(totalRequests, PRICES.freeTier.requests) : 0;
  const totalRequestUsd = requestCost(totalRequests - freeRequests);

  const functions = usages.map((u, i): FunctionCost => {
    const { spec } = u;
    const arch = spec.architecture;
    const computeUsd = byArch[arch] > 0 ? archCost[arch] * (onDemandGbs[i] / byArch[arch]) : 0;
    const requestUsd = totalRequests > 0 ? totalRequestUsd * (u.requests / totalRequests) : 0;
    const allocated = provisionedAllocatedGbSeconds(spec.provisioned, spec.memoryMb, window.from, window.to);
    const provisionedDuration = gbSeconds(u.provisionedBilledMs + u.provisionedInitMs, spec.memoryMb);
    const provisionedUsd =
      allocated * PRICES.provisionedAllocatedPerGbSecond[arch] + provisionedDuration * PRICES.provisionedDurationPerGbSecond[arch];
    const extraStorageGb = (spec.ephemeralStorageMb - 512) / 1024;
    const billedSeconds = (u.onDemandBilledMs + u.provisionedBilledMs + u.provisionedInitMs) / 1000;
    const ephemeralStorageUsd = extraStorageGb * billedSeconds * PRICES.ephemeralStoragePerGbSecond;
    const features = u.features ? featureCost(spec, { ...u.features, activeSeconds: window.to - window.from }) : {};
    const pollerSeconds = u.pollerSeconds ?? 0;
    const pollersUsd = pollersCost(pollerSeconds);
    const managed = managedInstancesCost(spec, u.managedInstanceHours ?? 0);
    return {
      requests: u.requests,
      invocations: u.features?.invocations ?? u.requests,
      gbSeconds: onDemandGbs[i],
      provisionedAllocatedGbSeconds: allocated,
      provisionedDurationGbSeconds: provisionedDuration,
      requestUsd,
      computeUsd,
      ephemeralStorageUsd,
      provisionedUsd,
      features,
      pollerHours: pollerSeconds / 3600,
      pollersUsd,
      managedInstancesEc2Usd: managed.ec2Usd,
      managedInstancesFeeUsd: managed.feeUsd,
      totalUsd:
        requestUsd +
        computeUsd +
        ephemeralStorageUsd +
        provisionedUsd +
        featureTotal(features) +
        pollersUsd +
        managed.ec2Usd +
        managed.feeUsd,
    };
  });

  const sum = (pick: (c: FunctionCost) => number) => functions.reduce((total, c) => total + pick(c), 0);
  return {
    functions,
    totals: {
      requests: totalRequests,
      invocations: sum((c) => c.invocations),
      gbSeconds: totalOnDemandGbs,
      provisionedGbSeconds: sum((c) => c.provisionedAllocatedGbSeconds + c.provisionedDurationGbSeconds),
      requestUsd: sum((c) => c.requestUsd),
      computeUsd: sum((c) => c.computeUsd),
      ephemeralStorageUsd: sum((c) => c.ephemeralStorageUsd),
      provisionedUsd: sum((c) => c.provisionedUsd),
      features: sumFeatureCosts(functions.map((c) => c.features)),
      pollerHours: sum((c) => c.pollerHours),
      pollersUsd: sum((c) => c.pollersUsd),
      managedInstancesEc2Usd: sum((c) => c.managedInstancesEc2Usd),
      managedInstancesFeeUsd: sum((c) => c.managedInstancesFeeUsd),
      totalUsd: sum((c) => c.totalUsd),
    },
  };
}
