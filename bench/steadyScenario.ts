import { resolveScenario } from "../src/scenario/compile.js";
import type { Scenario } from "../src/scenario/types.js";

/** Arrival rate of the steady benchmark scenario, requests per second. */
export const STEADY_RATE = 2000;

/**
 * The steady scenario of the performance requirement: one function "api" (512 MB, default
 * runtime and platform), Poisson arrivals at 2,000 req/s and lognormal handler durations with
 * median 80 ms and p99 400 ms. The arrival span is chosen so that about `arrivals` requests
 * arrive (arrivals / 2,000 s: 5,000 s for 10^7).
 */
export function steadyScenario(arrivals: number, seed = 1): Scenario {
  return resolveScenario(steadyInput("bench-steady", arrivals, seed, {}));
}

/**
 * The steady scenario with tenant isolation: its requests spread over 1,000 tenants (as in the
 * pricing page's example) by a Zipf law (s = 1.1), each tenant with its own environments.
 */
export function tenantScenario(arrivals: number, seed = 1): Scenario {
  return resolveScenario(
    steadyInput("bench-tenant-isolation", arrivals, seed, { tenantIsolation: { tenants: 1000, popularity: { zipf: 1.1 } } }),
  );
}

function steadyInput(name: string, arrivals: number, seed: number, options: Record<string, unknown>) {
  return {
    name,
    seed,
    duration: arrivals / STEADY_RATE,
    functions: [{ name: "api", memoryMb: 512, duration: { lognormal: { median: "80ms", p99: "400ms" } }, ...options }],
    workload: [{ function: "api", arrivals: { poisson: { rate: STEADY_RATE } } }],
  };
}
