/*
 * With keep-alive T = ∞ (and no lifetime limit) no environment is ever reclaimed, and a new one is
 * created only when every existing one is busy. So the number of environments, the number of
 * cold starts and the peak concurrency are one and the same number, whatever the reuse policy
 * (docs/queueing-results.md#infinite-keep-alive). An exact identity: no tolerance.
 *
 * The workload is bursty (a Poisson process whose rate steps up and down) with variable handler
 * and init times, so the peak comes from a burst and is far from the average.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "./fidelityHelpers.js";

const STEPS = [
  { at: 0, rate: 2 },
  { at: 900, rate: 80 },
  { at: 1200, rate: 0.5 },
  { at: 3000, rate: 150 },
  { at: 3120, rate: 5 },
  { at: 4800, rate: 40 },
  { at: 5400, rate: 0 },
];

describe("cold starts = peak concurrency when keep-alive is infinite", () => {
  for (const reuse of ["mru", "lru"] as const) {
    for (const seed of [1, 2]) {
      it(`${reuse}, seed ${seed}`, () => {
        const { summary } = runScenario({
          seed,
          duration: "2h",
          account: { concurrencyLimit: 100_000, scaling: "unlimited", requestRateLimit: "infinite" },
          platform: { keepAlive: "infinite", maxLifetime: "infinite", reuse },
          functions: [
            {
              name: "f",
              timeout: "900s",
              init: { lognormal: { median: "300ms", p99: "2s" } },
              duration: { lognormal: { mean: "800ms", sd: "1500ms" } },
            },
          ],
          workload: [{ function: "f", arrivals: { steps: STEPS } }],
        });
        const f = summary.functions.f;
        const peak = f.metrics.ConcurrentExecutions.max;
        expect(peak).toBeGreaterThan(100); // the 150/s burst, well above the 2/s and 40/s levels
        expect(f.coldStarts).toBe(peak);
        expect(f.environments.created).toBe(peak);
        expect(f.environments.max).toBe(peak);
        expect(f.metrics.Throttles).toBe(0);
      });
    }
  }

  it("both policies see the same peak on the same arrivals (common random numbers)", () => {
    const peaks = (["mru", "lru"] as const).map((reuse) => {
      const { summary } = runScenario({
        seed: 9,
        duration: "2h",
        account: { concurrencyLimit: 100_000, scaling: "unlimited", requestRateLimit: "infinite" },
        platform: { keepAlive: "infinite", maxLifetime: "infinite", reuse },
        // Constant init: occupancy then does not depend on which environment serves a request.
        functions: [{ name: "f", timeout: "900s", init: "250ms", duration: { lognormal: { mean: "800ms", sd: "1500ms" } } }],
        workload: [{ function: "f", arrivals: { steps: STEPS } }],
      });
      return summary.functions.f;
    });
    // Cold iff the arrival finds every environment busy, i.e. iff concurrency reaches a new
    // maximum: the same arrivals are cold under both policies, so everything matches.
    expect(peaks[0].coldStarts).toBe(peaks[1].coldStarts);
    expect(peaks[0].metrics.ConcurrentExecutions).toEqual(peaks[1].metrics.ConcurrentExecutions);
  });
});
