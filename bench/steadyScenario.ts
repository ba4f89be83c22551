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
  return resolveScenario({
    name: "bench-steady",
    seed,
    duration: arrivals / STEADY_RATE,
    functions: [
      {
        name: "api",
        memoryMb: 512,
        duration: { lognormal: { median: "80ms", p99: "400ms" } },
      },
    ],
    workload: [{ function: "api", arrivals: { poisson: { rate: STEADY_RATE } } }],
  });
}
