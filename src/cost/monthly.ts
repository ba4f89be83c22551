import type { Architecture } from "../model/runtimes.js";
import type { ProvisionedStep } from "../model/types.js";
import { gbSeconds } from "../common/billing.js";
import { type FunctionUsage, pollersCost } from "./bill.js";
import { type FeatureCost, featureCost, featureTotal, sumFeatureCosts } from "./features.js";
import { PRICES, requestCost, tieredDurationCost } from "./pricing.js";
import { managedInstancesCost } from "./managedInstances.js";

/** The month of AWS's pricing calculator: 730 hours (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** The stretch of simulated time, in seconds, whose rates a monthly projection extends. */
export interface MeasuredWindow {
  from: number;
  to: number;
}

/** One function's (or the account's) usage and bill over a 730-hour month at the window's rates. */
export interface MonthlyCost {
  /** Requests billed: one per invocation, more for asynchronous events over 256 KB. */
  requests: number;
  /** Invocations, what the cost per million requests divides by. */
  invocations: number;
  /** On-demand duration GB-s: what the duration tiers and the free tier apply to. */
  gbSeconds: number;
  /** Provisioned concurrency configured (allocated) plus duration on provisioned environments. */
  provisionedGbSeconds: number;
  requestUsd: number;
  computeUsd: number;
  provisionedUsd: number;
  ephemeralStorageUsd: number;
  /** SnapStart, tenant isolation and response streaming lines, for the options used. */
  features: FeatureCost;
  /** Event poller unit hours of SQS provisioned mode, and their price. */
  pollerHours: number;
  pollersUsd: number;
  /** Lambda Managed Instances: instance-hours, the EC2 instances (after any discount) and the management fee. */
  managedInstanceHours: number;
  managedInstancesEc2Usd: number;
  managedInstancesFeeUsd: number;
  totalUsd: number;
  perMillionRequestsUsd: number | null;
}

export interface MonthlyBill {
  hours: number;
  windowSeconds: number;
  freeTier: boolean;
  functions: MonthlyCost[];
  totals: MonthlyCost;
}

/** USD per million requests; null without requests, where there is nothing to divide by. */
export function perMillionRequests(totalUsd: number, requests: number): number | null {
  return requests > 0 ? (totalUsd / requests) * 1e6 : null;
}

/**
 * GB-s of provisioned concurrency configured within [from, to), not rounded: over a month the
 * 5-minute rounding of an enabled period is negligible, while over a short window it would be
 * multiplied up to the month with it.
 */
export function provisionedConfiguredGbSeconds(schedule: readonly ProvisionedStep[], memoryMb: number, from: number, to: number): number {
  let concurrencySeconds = 0;
  schedule.forEach((step, i) => {
    const start = Math.max(from, step.at);
    const stop = Math.min(to, i + 1 < schedule.length ? schedule[i + 1].at : to);
    if (stop > start) concurrencySeconds += step.value * (stop - start);
  });
  return concurrencySeconds * (memoryMb / 1024);
}

/**
 * Projects the window's usage to a 730-hour month and prices it as AWS bills a month (and as its
 * pricing calculator estimates one): the duration tiers apply to each architecture's monthly
 * on-demand GB-s summed over all functions, and the free tier (when on) is taken off the monthly
 * requests and GB-s first, the rest priced from the first tier. Account-wide charges are shared
 * out to functions pro rata: requests by requests, an architecture's compute by GB-s, the free
 * GB-s over architectures by GB-s. Null for a window of no length, which has no rates.
 */
export function monthlyBill(usages: readonly FunctionUsage[], window: MeasuredWindow, freeTier: boolean): MonthlyBill | null {
  const windowSeconds = window.to - window.from;
  if (!(windowSeconds > 0)) return null;
  const scale = (HOURS_PER_MONTH * 3600) / windowSeconds;

  const volumes = usages.map((u) => {
    const { spec } = u;
    const arch = spec.architecture;
    const allocated = provisionedConfiguredGbSeconds(spec.provisioned, spec.memoryMb, window.from, window.to) * scale;
    const provisionedDuration = gbSeconds(u.provisionedBilledMs + u.provisionedInitMs, spec.memoryMb) * scale;
    const billedSeconds = ((u.onDemandBilledMs + u.provisionedBilledMs + u.provisionedInitMs) / 1000) * scale;
    const managedInstanceHours = (u.managedInstanceHours ?? 0) * scale;
    return {
      managedInstanceHours,
      managed: managedInstancesCost(spec, managedInstanceHours),
      arch,
      requests: u.requests * scale,
      invocations: (u.features?.invocations ?? u.requests) * scale,
      gbSeconds: gbSeconds(u.onDemandBilledMs, spec.memoryMb) * scale,
      provisionedGbSeconds: allocated + provisionedDuration,
      provisionedUsd:
        allocated * PRICES.provisionedAllocatedPerGbSecond[arch] + provisionedDuration * PRICES.provisionedDurationPerGbSecond[arch],
      ephemeralStorageUsd: ((spec.ephemeralStorageMb - 512) / 1024) * billedSeconds * PRICES.ephemeralStoragePerGbSecond,
      // The version is active all month: the cache is billed for the whole 730 hours.
      features: u.features
        ? featureCost(spec, {
            invocations: u.features.invocations * scale,
            restores: u.features.restores * scale,
            environmentsCreated: u.features.environmentsCreated * scale,
            activeSeconds: windowSeconds * scale,
          })
        : {},
      pollerSeconds: (u.pollerSeconds ?? 0) * scale,
    };
  });

  const totalRequests = volumes.reduce((sum, v) => sum + v.requests, 0);
  const totalGbs = volumes.reduce((sum, v) => sum + v.gbSeconds, 0);
  const byArch: Record<Architecture, number> = { x86_64: 0, arm64: 0 };
  for (const v of volumes) byArch[v.arch] += v.gbSeconds;
  const archCost: Record<Architecture, number> = { x86_64: 0, arm64: 0 };
  for (const arch of ["x86_64", "arm64"] as const) {
    const free = freeTier && totalGbs > 0 ? Math.min(byArch[arch], PRICES.freeTier.gbSeconds * (byArch[arch] / totalGbs)) : 0;
    archCost[arch] = tieredDurationCost(byArch[arch] - free, arch);
  }
  const freeRequests = freeTier ? Math.min(totalRequests, PRICES.freeTier.requests) : 0;
  const totalRequestUsd = requestCost(totalRequests - freeRequests);

  const functions = volumes.map((v): MonthlyCost => {
    const requestUsd = totalRequests > 0 ? totalRequestUsd * (v.requests / totalRequests) : 0;
    const computeUsd = byArch[v.arch] > 0 ? archCost[v.arch] * (v.gbSeconds / byArch[v.arch]) : 0;
    const pollersUsd = pollersCost(v.pollerSeconds);
    const totalUsd =
      requestUsd +
      computeUsd +
      v.provisionedUsd +
      v.ephemeralStorageUsd +
      featureTotal(v.features) +
      pollersUsd +
      v.managed.ec2Usd +
      v.managed.feeUsd;
    return {
      requests: v.requests,
      invocations: v.invocations,
      gbSeconds: v.gbSeconds,
      provisionedGbSeconds: v.provisionedGbSeconds,
      requestUsd,
      computeUsd,
      provisionedUsd: v.provisionedUsd,
      ephemeralStorageUsd: v.ephemeralStorageUsd,
      features: v.features,
      pollerHours: v.pollerSeconds / 3600,
      pollersUsd,
      managedInstanceHours: v.managedInstanceHours,
      managedInstancesEc2Usd: v.managed.ec2Usd,
      managedInstancesFeeUsd: v.managed.feeUsd,
      totalUsd,
      perMillionRequestsUsd: perMillionRequests(totalUsd, v.invocations),
    };
  });

  const sum = (pick: (c: MonthlyCost) => number) => functions.reduce((total, c) => total + pick(c), 0);
  const totalUsd = sum((c) => c.totalUsd);
  const totalInvocations = sum((c) => c.invocations);
  return {
    hours: HOURS_PER_MONTH,
    windowSeconds,
    freeTier,
    functions,
    totals: {
      requests: totalRequests,
      invocations: totalInvocations,
      gbSeconds: totalGbs,
      provisionedGbSeconds: sum((c) => c.provisionedGbSeconds),
      requestUsd: sum((c) => c.requestUsd),
      computeUsd: sum((c) => c.computeUsd),
      provisionedUsd: sum((c) => c.provisionedUsd),
      ephemeralStorageUsd: sum((c) => c.ephemeralStorageUsd),
      features: sumFeatureCosts(functions.map((c) => c.features)),
      pollerHours: sum((c) => c.pollerHours),
      pollersUsd: sum((c) => c.pollersUsd),
      managedInstanceHours: sum((c) => c.managedInstanceHours),
      managedInstancesEc2Usd: sum((c) => c.managedInstancesEc2Usd),
      managedInstancesFeeUsd: sum((c) => c.managedInstancesFeeUsd),
      totalUsd,
      perMillionRequestsUsd: perMillionRequests(totalUsd, totalInvocations),
    },
  };
}
