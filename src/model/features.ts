import type { Distribution } from "../engine/distributions.js";
import type { Uniform } from "../engine/rng.js";

/*
 * SnapStart, tenant isolation and response streaming as the platform applies them
 * (docs/lambda-behaviour.md#snapstart, #tenant-isolation, #response-streaming).
 */

/** SnapStart runtimes: Java 11+ (free), Python 3.12+ and .NET 8+ (cache and restore charges). */
export function snapStartSupport(runtime: string): "free" | "priced" | "unsupported" {
  const java = /^java(\d+)$/.exec(runtime);
  if (java) return Number(java[1]) >= 11 ? "free" : "unsupported";
  const python = /^python3\.(\d+)$/.exec(runtime);
  if (python) return Number(python[1]) >= 12 ? "priced" : "unsupported";
  const dotnet = /^dotnet(\d+)$/.exec(runtime);
  if (dotnet) return Number(dotnet[1]) >= 8 ? "priced" : "unsupported";
  return "unsupported";
}

/**
 * Default snapshot restore time: median 300 ms with 90 % under 500 ms, as reported for a Python
 * (Flask) function (docs/lambda-behaviour.md#snapstart). Fitted as a lognormal through those two
 * points: sigma = ln(500 / 300) / z(0.90).
 */
export const DEFAULT_RESTORE: Distribution = { kind: "lognormal", mu: Math.log(0.3), sigma: Math.log(0.5 / 0.3) / 1.2815515655446004 };

/** Response bytes sent before the stream is throttled, and the bandwidth after them. */
export const STREAM_FREE_MB = 6;
export const STREAM_MB_PER_SECOND = 2;

/** Seconds a response of `sizeMb` adds to the invocation: what lies past 6 MB, at 2 MB/s. */
export function streamingSeconds(sizeMb: number): number {
  return Math.max(0, sizeMb - STREAM_FREE_MB) / STREAM_MB_PER_SECOND;
}

/** GB (1,024 MB) of a response billed for streaming: what lies past the first 6 MB. */
export function streamedBillableGb(sizeMb: number): number {
  return Math.max(0, sizeMb - STREAM_FREE_MB) / 1024;
}

export type TenantPopularity = "uniform" | { zipf: number };

export interface TenantIsolationSpec {
  tenants: number;
  popularity: TenantPopularity;
}

/**
 * Draws the tenant of each request, 0-based. Zipf by inverse transform on the cumulative
 * weights (binary search): O(log tenants) a draw, 8 bytes a tenant.
 */
export function tenantPicker(spec: TenantIsolationSpec, uniform: Uniform): () => number {
  const n = spec.tenants;
  if (spec.popularity === "uniform") return () => Math.min(n - 1, Math.floor(uniform() * n));
  const s = spec.popularity.zipf;
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    total += 1 / (k + 1) ** s;
    cumulative[k] = total;
  }
  return () => {
    const target = uniform() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
