import type { Architecture } from "../model/runtimes.js";

/**
 * AWS Lambda list prices, us-east-1, USD (docs/pricing.md#prices). Other regions price
 * differently; lambdasim uses these everywhere and says so in the README.
 */
export const PRICES = {
  requestPerMillion: 0.2,
  /** Duration tiers: [upper bound of the tier in GB-s per month, price per GB-s]. */
  durationTiers: {
    x86_64: [
      [6e9, 0.0000166667],
      [15e9, 0.000015],
      [Infinity, 0.0000133334],
    ],
    arm64: [
      [7.5e9, 0.0000133334],
      [18.75e9, 0.0000120001],
      [Infinity, 0.0000106667],
    ],
  } as Record<Architecture, readonly (readonly [number, number])[]>,
  ephemeralStoragePerGbSecond: 0.0000000309,
  /** Provisioned concurrency (docs/pricing.md#provisioned-concurrency says where the arm64 figures come from). */
  provisionedAllocatedPerGbSecond: { x86_64: 0.0000041667, arm64: 0.0000033334 } as Record<Architecture, number>,
  provisionedDurationPerGbSecond: { x86_64: 0.0000097222, arm64: 0.0000077778 } as Record<Architecture, number>,
  /** Provisioned concurrency is billed from enable to disable, rounded up to this many seconds. */
  provisionedBillingIncrement: 300,
  freeTier: { requests: 1_000_000, gbSeconds: 400_000 },
  /** SQS event source mapping in provisioned mode: per event poller unit (one poller) hour. */
  sqsPollerPerHour: 0.00925,
  // SnapStart, tenant isolation and response streaming (docs/pricing.md#snapstart, #tenant-isolation, #response-streaming).
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
  /**
   * Lambda Managed Instances management fee, as a share of the EC2 on-demand price of the
   * instances (docs/pricing.md#lambda-managed-instances); the instances' own prices are in
   * model/managedInstanceTypes.ts.
   */
  managedInstancesFeeShare: 0.15,
} as const;

/** Price of `amount` GB-s on an architecture's tiers, starting `alreadyUsed` GB-s into the month. */
export function tieredDurationCost(amount: number, architecture: Architecture, alreadyUsed = 0): number {
  let cost = 0;
  let position = alreadyUsed;
  let remaining = amount;
  for (const [upper, price] of PRICES.durationTiers[architecture]) {
    if (remaining <= 0) break;
    const inTier = Math.min(remaining, Math.max(0, upper - position));
    cost += inTier * price;
    remaining -= inTier;
    position += inTier;
  }
  return cost;
}

export function requestCost(requests: number): number {
  return (requests * PRICES.requestPerMillion) / 1e6;
}
