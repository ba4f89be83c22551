import type { Bench } from "tinybench";
import seedrandom from "seedrandom";
import { LatencyHistogram } from "../src/metrics/histogram.js";

/** Values recorded per task iteration (run.ts divides by it to report ns per record). */
export const SAMPLES = 1_000_000;

// Generated up front so the task times only LatencyHistogram.record, not the RNG.
function lognormalLatencies(n: number): Float64Array {
  const rng = seedrandom.alea("histogram-bench");
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = 50 * Math.exp(Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()));
  }
  return values;
}

export async function benchHistogram(bench: Bench): Promise<void> {
  const values = lognormalLatencies(SAMPLES);
  bench.add(`LatencyHistogram.record x${SAMPLES}`, () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < values.length; i++) h.record(values[i]);
  });
}
