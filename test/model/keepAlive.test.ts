/*
 * One execution environment with an idle keep-alive (docs/queueing-results.md#single-environment-keep-alive).
 *
 * Account concurrency 1 (a request arriving while the environment is busy is throttled), Poisson
 * arrivals at rate λ, keep-alive T measured from the end of the last request, warm service S_w
 * and cold service S_c = init + S_w. maxLifetime must be infinite, or recycling would add cold
 * starts the formulas do not have. After each completion the next *accepted* arrival comes after
 * an Exp(λ) idle gap X (memorylessness), independent of everything before, so the run is a
 * renewal process with i.i.d. cycles "idle gap X, then one busy period B":
 *   P(cold | accepted) = P(X > T) = e^(−λT)
 *   E[B]               = E[S_w] + e^(−λT)·E[init]
 *   P(throttle)        = λE[B] / (1 + λE[B])   (fraction of time busy, seen by Poisson arrivals)
 *   mean live envs     = (E[B] + (1 − e^(−λT))/λ) / (E[B] + 1/λ)
 * We take λT = 1 so P(cold) = 0.368 is mid-range and every term matters.
 *
 * Tolerances (4 SE each):
 *  - P(cold): the cold flags of accepted requests are i.i.d. Bernoulli(e^(−λT)) (each depends only
 *    on its own idle gap), so SE = √(p(1−p)/n) exactly, n = accepted requests.
 *  - P(throttle): renewal-reward ratio estimator. Per cycle: 1 accepted + K throttled arrivals,
 *    K | B ~ Poisson(λB). p̂ = ΣK / Σ(1+K); by the delta method
 *    SE = (1−p)·√Var(K) / ((1+λE[B])·√n), Var(K) = λE[B] + λ²Var(B),
 *    Var(B) = Var(S_w) + q·(Var(init) + E[init]²) − (q·E[init])², q = e^(−λT).
 *  - live environments: batch means over 100 batches of consecutive minutes (each batch holds
 *    > 500 cycles). So that a noisy model cannot pass on a wide tolerance, the batch SE must stay
 *    under 1.5 × a proven bound: per cycle the deviation is Z = min(X,T) − rX + (1−r)B with
 *    r < 1, and min(·,T) is 1-Lipschitz so SD(min(X,T)) ≤ SD(X) = 1/λ; hence
 *    SE ≤ (2/λ + SD(B)) / ((E[B] + 1/λ)·√n).
 */
import { describe, expect, it } from "vitest";
import { batchMean, minuteColumn, note, runScenario } from "./fidelityHelpers.js";

const Z = 4;

interface Case {
  label: string;
  lambda: number;
  keepAlive: number;
  /** Warm handler distribution, with its mean and variance. */
  handler: Record<string, unknown>;
  handlerMean: number;
  handlerVar: number;
  init: Record<string, unknown> | number;
  initMean: number;
  initVar: number;
  span: number;
  seed: number;
}

const CASES: Case[] = [
  {
    label: "exponential handler (mean 5 s), constant init 8 s, λ = 0.05/s, T = 20 s",
    lambda: 0.05,
    keepAlive: 20,
    handler: { exponential: { mean: 5 } },
    handlerMean: 5,
    handlerVar: 25,
    init: 8,
    initMean: 8,
    initVar: 0,
    span: 2_000_000,
    seed: 11,
  },
  {
    label: "constant handler 2 s, lognormal init (mean 3 s, sd 1 s), λ = 0.1/s, T = 10 s",
    lambda: 0.1,
    keepAlive: 10,
    handler: { constant: 2 },
    handlerMean: 2,
    handlerVar: 0,
    init: { lognormal: { mean: 3, sd: 1 } },
    initMean: 3,
    initVar: 1,
    span: 1_000_000,
    seed: 12,
  },
];

describe("single environment with keep-alive T", () => {
  for (const c of CASES) {
    it(c.label, () => {
      const { result, summary } = runScenario({
        seed: c.seed,
        duration: c.span,
        account: { concurrencyLimit: 1, scaling: "unlimited", requestRateLimit: "infinite" },
        platform: { keepAlive: c.keepAlive, maxLifetime: "infinite" },
        functions: [{ name: "f", memoryMb: 128, timeout: "900s", init: c.init, duration: c.handler }],
        workload: [{ function: "f", arrivals: { poisson: { rate: c.lambda } } }],
      });
      const f = summary.functions.f;
      const { lambda } = c;
      const q = Math.exp(-lambda * c.keepAlive);
      const meanB = c.handlerMean + q * c.initMean;
      // B = S_w + C·I with C ~ Bernoulli(q) independent of S_w and I.
      const varB = c.handlerVar + q * (c.initVar + c.initMean ** 2) - (q * c.initMean) ** 2;
      const pThrottle = (lambda * meanB) / (1 + lambda * meanB);
      const live = (meanB + (1 - q) / lambda) / (meanB + 1 / lambda);

      expect(f.metrics.ConcurrentExecutions.max).toBe(1);
      expect(f.environments.max).toBe(1);
      const accepted = f.metrics.Invocations;
      expect(accepted).toBeGreaterThan(40_000);

      // P(cold | accepted)
      const pCold = f.coldStarts / accepted;
      const seCold = Math.sqrt((q * (1 - q)) / accepted);
      note(`keepAlive ${c.seed} P(cold)`, pCold, q, Z * seCold);
      expect(Math.abs(pCold - q)).toBeLessThan(Z * seCold);
      // Every cold start needs a new environment: the old one has been reclaimed.
      expect(f.environments.created).toBe(f.coldStarts);

      // P(throttle)
      const p = f.metrics.Throttles / f.arrivals;
      const varK = lambda * meanB + lambda ** 2 * varB;
      const seThrottle = ((1 - pThrottle) * Math.sqrt(varK)) / ((1 + lambda * meanB) * Math.sqrt(accepted));
      note(`keepAlive ${c.seed} P(throttle)`, p, pThrottle, Z * seThrottle);
      expect(Math.abs(p - pThrottle)).toBeLessThan(Z * seThrottle);

      // Mean live environments (renewal-reward bound on the SE: see the header).
      const minutes = Math.floor(c.span / 60);
      const aliveSeries = batchMean(minuteColumn(result.functions[0].metrics, "EnvironmentsMean", minutes), Math.floor(minutes / 100));
      const seBound = (2 / lambda + Math.sqrt(varB)) / ((meanB + 1 / lambda) * Math.sqrt(accepted));
      expect(aliveSeries.se).toBeLessThan(1.5 * seBound);
      note(`keepAlive ${c.seed} live environments`, f.environments.meanAlive, live, Z * aliveSeries.se);
      expect(Math.abs(aliveSeries.value - live)).toBeLessThan(Z * aliveSeries.se);
      expect(Math.abs(f.environments.meanAlive - live)).toBeLessThan(Z * aliveSeries.se);

      // Mean busy = fraction of time busy = λE[B]/(1+λE[B]) as well (PASTA).
      expect(Math.abs(f.metrics.ConcurrentExecutions.mean - pThrottle)).toBeLessThan(Z * seThrottle);
    });
  }

  it("P(cold) responds to T: doubling λT moves it far outside the tolerance", () => {
    // With T = 40 s in the first case e^(−2) = 0.135, against 0.368 at T = 20 s; the check
    // above (±4 SE ≈ ±0.007) cannot confuse the two. Run a short version to prove the knob acts.
    const { summary } = runScenario({
      seed: 3,
      duration: 200_000,
      account: { concurrencyLimit: 1, scaling: "unlimited", requestRateLimit: "infinite" },
      platform: { keepAlive: 40, maxLifetime: "infinite" },
      functions: [{ name: "f", memoryMb: 128, timeout: "900s", init: 8, duration: { exponential: { mean: 5 } } }],
      workload: [{ function: "f", arrivals: { poisson: { rate: 0.05 } } }],
    });
    const f = summary.functions.f;
    const q = Math.exp(-2);
    const n = f.metrics.Invocations;
    expect(Math.abs(f.coldStarts / n - q)).toBeLessThan(Z * Math.sqrt((q * (1 - q)) / n));
  });
});
