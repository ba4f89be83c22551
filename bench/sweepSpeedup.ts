import { planSweep } from "../src/sweep/plan.js";
import { runSweep } from "../src/sweep/run.js";
import { STEADY_RATE } from "./steadyScenario.js";

export interface SweepSpeedup {
  variants: number;
  arrivalsPerVariant: number;
  workers: number;
  serialSeconds: number;
  parallelSeconds: number;
  speedup: number;
}

/**
 * A memory sweep of the steady scenario (8 variants) run on one thread and then on `workers`
 * threads; the same simulations either way, so the ratio of wall times is the speed-up.
 */
export async function benchSweepSpeedup(arrivalsPerVariant: number, workers: number): Promise<SweepSpeedup> {
  const scenario = {
    name: "bench-sweep",
    seed: 1,
    duration: arrivalsPerVariant / STEADY_RATE,
    functions: [{ name: "api", memoryMb: 512, cpuBoundFraction: 0.5, duration: { lognormal: { median: "80ms", p99: "400ms" } } }],
    workload: [{ function: "api", arrivals: { poisson: { rate: STEADY_RATE } } }],
  };
  const plan = planSweep(scenario, {
    vary: ["functions.api.memoryMb=256,512,768,1024,1536,1769,2048,3008"],
    baseDir: ".",
    defaultName: "bench-sweep",
  });
  const time = async (threads: number) => {
    const start = process.hrtime.bigint();
    await runSweep(plan, { workers: threads });
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  // Warm-up on both paths, so neither pays first-compilation costs in the timed runs.
  await runSweep(planSweep({ ...scenario, duration: 10 }, { vary: ["functions.api.memoryMb=256,512"], baseDir: ".", defaultName: "w" }), {
    workers: 1,
  });
  const serialSeconds = await time(1);
  const parallelSeconds = await time(workers);
  return {
    variants: plan.variants.length,
    arrivalsPerVariant,
    workers,
    serialSeconds,
    parallelSeconds,
    speedup: serialSeconds / parallelSeconds,
  };
}
