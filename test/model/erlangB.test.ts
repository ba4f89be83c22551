/*
 * Throttling under a concurrency limit is the Erlang loss system M/G/c/c (docs/queueing-results.md#erlang-b).
 *
 * Synchronous Poisson arrivals at rate λ, concurrency limit c, no client retries, zero init, no
 * scaling-rate or request-rate limit, infinite keep-alive and lifetime (environments are reused,
 * so nothing but the limit can throttle). With A = λ·E[S]:
 *   P(throttle) = B(c, A)             (Erlang-B, insensitive to the service-time distribution)
 *   mean busy   = A·(1 − B(c, A))     (CloudWatch ConcurrentExecutions, time-averaged)
 *   throttles/s = λ·B(c, A)
 *
 * Tolerances. Each run lasts 10 h (600 min). Standard errors come from batch means over 60
 * batches of 10 minutes; 10 min is > 100 × the correlation time of the loss system (about
 * E[S²]/(2E[S]) ≤ 2.5 s here, the lognormal with CV 2 being the longest), so the batches are
 * effectively independent. Each assertion allows 4 SE (two-sided p ≈ 6e-5 per check under the
 * null). To stop a broken, noisier model from passing on a wide tolerance, each SE is also
 * bounded:
 *  - P(throttle): SE ≤ 4 × the binomial SE √(B(1−B)/n). Arrivals are correlated through busy
 *    periods; over 30 seeds the measured inflation was 1.3 (constant), 1.9 (exponential) and
 *    2.6 (lognormal, CV 2).
 *  - mean busy: SE ≤ 1.5 × √(λ·E[S²]/D), the standard error of the time-average of the M/G/∞
 *    occupancy over a run of length D (its autocovariance integrates to λ·E[S²]/2); the limit
 *    c only lowers the variance.
 */
import { describe, expect, it } from "vitest";
import { batchMean, batchRatio, erlangB, minuteColumn, NO_RATE_LIMITS, note, runScenario } from "./fidelityHelpers.js";

const MINUTES = 600;
const SPAN = MINUTES * 60;
const BATCH = 10;
const Z = 4;

const cache = new Map<string, ReturnType<typeof simulateLoss>>();
function lossSystem(c: number, lambda: number, duration: Record<string, unknown>, seed: number) {
  const key = JSON.stringify([c, lambda, duration, seed]);
  if (!cache.has(key)) cache.set(key, simulateLoss(c, lambda, duration, seed));
  return cache.get(key)!;
}

function simulateLoss(c: number, lambda: number, duration: Record<string, unknown>, seed: number) {
  const { result, summary } = runScenario({
    seed,
    duration: SPAN,
    account: { concurrencyLimit: c, ...NO_RATE_LIMITS },
    platform: { keepAlive: "infinite", maxLifetime: "infinite" },
    functions: [{ name: "f", memoryMb: 128, timeout: "900s", init: "0s", duration }],
    workload: [{ function: "f", arrivals: { poisson: { rate: lambda } } }],
  });
  const metrics = result.functions[0].metrics;
  return {
    summary: summary.functions.f,
    arrivals: minuteColumn(metrics, "arrivals", MINUTES),
    throttles: minuteColumn(metrics, "Throttles", MINUTES),
    busy: minuteColumn(metrics, "ConcurrentExecutionsMean", MINUTES),
  };
}

// Same mean (1 s), increasingly variable: CV 0, 1 and 2. E[S²] = 1, 2 and 5 s².
const DISTRIBUTIONS = [
  { label: "constant", spec: { constant: "1s" }, secondMoment: 1 },
  { label: "exponential", spec: { exponential: { mean: "1s" } }, secondMoment: 2 },
  { label: "lognormal (CV 2)", spec: { lognormal: { mean: "1s", sd: "2s" } }, secondMoment: 5 },
];

describe("Erlang-B throttling, M/G/c/c", () => {
  const c = 10;
  const lambda = 8;
  const offered = lambda * 1;
  const blocking = erlangB(c, offered); // 0.121661

  it("the recursion reproduces known Erlang-B values", () => {
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 12);
    expect(erlangB(2, 1)).toBeCloseTo(0.2, 12);
    // B(10, 8) = (8^10/10!) / sum_{k<=10} 8^k/k!
    let sum = 0;
    let term = 1;
    for (let k = 0; k <= 10; k++) {
      if (k > 0) term *= 8 / k;
      sum += term;
    }
    expect(blocking).toBeCloseTo(term / sum, 12);
  });

  for (const [i, { label, spec, secondMoment }] of DISTRIBUTIONS.entries()) {
    it(`c = ${c}, A = ${offered}: ${label} durations`, () => {
      const run = lossSystem(c, lambda, spec, 101 + i);
      const n = run.summary.arrivals;
      expect(run.summary.outcomes.throttled).toBe(run.summary.metrics.Throttles);

      const pThrottle = batchRatio(run.throttles, run.arrivals, BATCH);
      const binomialSe = Math.sqrt((blocking * (1 - blocking)) / n);
      expect(pThrottle.se).toBeLessThan(4 * binomialSe);
      note(`erlangB ${label} P(throttle)`, pThrottle.value, blocking, Z * pThrottle.se);
      expect(Math.abs(pThrottle.value - blocking)).toBeLessThan(Z * pThrottle.se);

      const busy = batchMean(run.busy, BATCH);
      const meanBusy = offered * (1 - blocking);
      expect(busy.se).toBeLessThan(1.5 * Math.sqrt((lambda * secondMoment) / SPAN));
      note(`erlangB ${label} mean busy`, busy.value, meanBusy, Z * busy.se);
      expect(Math.abs(busy.value - meanBusy)).toBeLessThan(Z * busy.se);
      // The summary's figure covers the whole run (plus the short drain after the last arrival).
      expect(Math.abs(run.summary.metrics.ConcurrentExecutions.mean - meanBusy)).toBeLessThan(Z * busy.se + 0.01);
      expect(run.summary.metrics.ConcurrentExecutions.max).toBe(c);

      const perSecond = batchMean(
        Float64Array.from(run.throttles, (x) => x / 60),
        BATCH,
      );
      note(`erlangB ${label} throttles/s`, run.summary.metrics.Throttles / SPAN, lambda * blocking, Z * perSecond.se);
      expect(Math.abs(run.summary.metrics.Throttles / SPAN - lambda * blocking)).toBeLessThan(Z * perSecond.se);
    });
  }

  it("a second operating point: c = 30, A = 25, exponential durations", () => {
    const lambda2 = 12.5;
    const offered2 = 25; // mean 2 s
    const b = erlangB(30, offered2); // 0.052863
    const run = lossSystem(30, lambda2, { exponential: { mean: "2s" } }, 7);
    const pThrottle = batchRatio(run.throttles, run.arrivals, BATCH);
    expect(pThrottle.se).toBeLessThan(4 * Math.sqrt((b * (1 - b)) / run.summary.arrivals));
    note("erlangB c=30 A=25 P(throttle)", pThrottle.value, b, Z * pThrottle.se);
    expect(Math.abs(pThrottle.value - b)).toBeLessThan(Z * pThrottle.se);
    const busy = batchMean(run.busy, BATCH);
    expect(busy.se).toBeLessThan(1.5 * Math.sqrt((lambda2 * 8) / SPAN));
    note("erlangB c=30 A=25 mean busy", busy.value, offered2 * (1 - b), Z * busy.se);
    expect(Math.abs(busy.value - offered2 * (1 - b))).toBeLessThan(Z * busy.se);
  });

  it("blocking is distribution-insensitive but not load-insensitive: the test can tell B(10, 8) from B(10, 8.4)", () => {
    // Guards against a tolerance so wide it would accept any model: a 5 % change in offered load
    // moves B by more than 4 SE of the exponential run.
    const run = lossSystem(c, lambda, { exponential: { mean: "1s" } }, 102);
    const pThrottle = batchRatio(run.throttles, run.arrivals, BATCH);
    expect(Math.abs(erlangB(c, 8.4) - blocking)).toBeGreaterThan(Z * pThrottle.se);
  });
});
