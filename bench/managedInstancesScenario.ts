import { resolveScenario } from "../src/scenario/compile.js";
import type { Scenario } from "../src/scenario/types.js";
import { STEADY_RATE } from "./steadyScenario.js";

/**
 * The steady benchmark's traffic (Poisson 2,000 req/s, lognormal handler time with median 80 ms
 * and p99 400 ms) on Lambda Managed Instances: 30 % of the handler time is CPU work shared
 * through processor sharing in environments of 2 vCPUs on m7g.xlarge, so every request costs a
 * CPU-finish event and an I/O-wait event besides its arrival, and the scaler runs. The span is
 * chosen so that about `arrivals` requests arrive; the 60 environments it needs (61 vCPUs of CPU
 * work at the scaler's 50 % target) exist from the start, so the run measures the steady state.
 */
export function managedInstancesScenario(arrivals: number, seed = 1): Scenario {
  return resolveScenario({
    name: "bench-managed-instances",
    seed,
    duration: arrivals / STEADY_RATE,
    functions: [
      {
        name: "api",
        runtime: "nodejs22.x",
        architecture: "arm64",
        memoryMb: 4096,
        timeout: 30,
        duration: { lognormal: { median: "80ms", p99: "400ms" } },
        cpuBoundFraction: 0.3,
        compute: "managed-instances",
        managedInstances: { instanceType: "m7g.xlarge", memoryGiBPerVcpu: 2, minEnvironments: 60 },
      },
    ],
    workload: [{ function: "api", arrivals: { poisson: { rate: STEADY_RATE } } }],
  });
}
