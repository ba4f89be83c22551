import { resolveScenario } from "../src/scenario/compile.js";
import type { Scenario } from "../src/scenario/types.js";
import { STEADY_RATE } from "./steadyScenario.js";

/**
 * The steady scenario with tenant isolation: the same function and Poisson 2,000 req/s, its
 * requests spread over 1,000 tenants (as in the pricing page's example) by a Zipf law (s = 1.1), each tenant with its own
 * environments. Sized like the steady scenario: arrivals / 2,000 s of arrivals.
 */
export function tenantScenario(arrivals: number, seed = 1): Scenario {
  return resolveScenario({
    name: "bench-tenant-isolation",
    seed,
    duration: arrivals / STEADY_RATE,
    functions: [
      {
        name: "api",
        memoryMb: 512,
        duration: { lognormal: { median: "80ms", p99: "400ms" } },
        tenantIsolation: { tenants: 1000, popularity: { zipf: 1.1 } },
      },
    ],
    workload: [{ function: "api", arrivals: { poisson: { rate: STEADY_RATE } } }],
  });
}
