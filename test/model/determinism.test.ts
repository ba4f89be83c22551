/*
 * Same scenario + same seed ⇒ byte-identical outputs (docs/queueing-results.md#invariants); a different seed
 * gives a different run; and each component draws from its own named random stream, so changing
 * one function's workload leaves an unaffected function's results byte-identical (the basis of
 * common-random-number comparisons between what-if scenarios).
 */
import { describe, expect, it } from "vitest";
import { SERIES_WIDTH } from "../../src/metrics/timeSeries.js";
import { runScenario } from "./fidelityHelpers.js";

/** A scenario exercising most of the model: limits, PC schedule, errors, crashes, retries. */
function busyScenario(seed: number, rateB = 20) {
  return {
    seed,
    duration: "20m",
    account: { concurrencyLimit: 60, unreservedMinimum: 10, scalingBucketSize: 30, scalingRefillPerSecond: 2 },
    platform: { keepAlive: "45s", maxLifetime: "5m", lifetimeJitter: 0.3 },
    functions: [
      {
        name: "a",
        memoryMb: 512,
        timeout: "2s",
        init: { lognormal: { median: "250ms", p99: "1500ms" } },
        duration: { lognormal: { median: "300ms", p99: "2500ms" } },
        errorRate: 0.02,
        crashRate: 0.01,
        reservedConcurrency: 25,
        provisionedConcurrency: [
          { at: 0, value: 3 },
          { at: "8m", value: 10 },
          { at: "15m", value: 0 },
        ],
      },
      {
        name: "b",
        runtime: "python3.12",
        timeout: "3s",
        duration: { exponential: { mean: "800ms" } },
        cpuBoundFraction: 0.5,
        memoryMb: 1024,
      },
    ],
    workload: [
      { function: "a", arrivals: { diurnal: { mean: 30, peak: 50, period: "10m" } }, client: { retry: "sdk-standard" } },
      { function: "b", arrivals: { poisson: { rate: rateB } }, client: { retry: "sdk-standard", retryQuota: 20 } },
    ],
  };
}

describe("determinism", () => {
  it("same seed ⇒ byte-identical summary", () => {
    const first = JSON.stringify(runScenario(busyScenario(7)).summary);
    const second = JSON.stringify(runScenario(busyScenario(7)).summary);
    expect(second).toBe(first);
    // The run does exercise the features (so the identity is not vacuous).
    const s = JSON.parse(first);
    expect(s.totals.Throttles).toBeGreaterThan(0);
    expect(s.functions.a.crashes).toBeGreaterThan(0);
    expect(s.functions.a.clientRetries).toBeGreaterThan(0);
    expect(s.functions.a.metrics.ProvisionedConcurrencyInvocations).toBeGreaterThan(0);
  });

  it("same seed ⇒ identical per-minute series too", () => {
    const one = runScenario(busyScenario(8)).result.functions.map((f) =>
      Array.from(f.metrics.series.values.subarray(0, f.metrics.series.rows * SERIES_WIDTH)),
    );
    const two = runScenario(busyScenario(8)).result.functions.map((f) =>
      Array.from(f.metrics.series.values.subarray(0, f.metrics.series.rows * SERIES_WIDTH)),
    );
    expect(two).toEqual(one);
  });

  it("a different seed ⇒ a different run", () => {
    const a = runScenario(busyScenario(7)).summary;
    const b = runScenario(busyScenario(70)).summary;
    expect(JSON.stringify(b)).not.toBe(JSON.stringify(a));
    expect(b.functions.b.arrivals).not.toBe(a.functions.b.arrivals);
  });

  /*
   * Nothing couples the two functions: per-function scaling buckets, no request-rate limit, a
   * concurrency limit neither approaches. A has its own arrival, duration, init, outcome and
   * lifetime streams, so it must not notice B.
   *
   * The run itself lasts until the last request of any function finishes, but each function's
   * time averages are taken over its own window (the arrival span plus its own drain), so B's
   * drain must not move A's figures either: both tests must hold, with and without a drain.
   */
  const twoFunctions = (rateB: number, drain: boolean) => {
    const stop = drain ? [] : [{ at: "29m", rate: 0 }];
    return {
      seed: 3,
      duration: "30m",
      account: { concurrencyLimit: 10_000, scaling: "per-function", requestRateLimit: "infinite" },
      platform: { keepAlive: "2m", maxLifetime: "10m" },
      functions: [
        {
          name: "A",
          timeout: "5s",
          duration: { lognormal: { mean: "400ms", sd: "600ms" } },
          errorRate: 0.05,
          crashRate: 0.01,
          provisionedConcurrency: 2,
        },
        { name: "B", timeout: "5s", duration: { exponential: { mean: "1s" } } },
      ],
      workload: [
        { function: "A", arrivals: { steps: [{ at: 0, rate: 5 }, ...stop] }, client: { retry: "sdk-standard" } },
        { function: "B", arrivals: { steps: [{ at: 0, rate: rateB }, ...stop] } },
      ],
    };
  };

  it("changing function B's rate leaves function A's summary byte-identical (unconstrained account)", () => {
    const one = runScenario(twoFunctions(5, false));
    const two = runScenario(twoFunctions(40, false));
    expect(one.result.simulatedSeconds).toBe(1800);
    expect(two.result.simulatedSeconds).toBe(1800);
    expect(two.summary.functions.B.arrivals).toBeGreaterThan(4 * one.summary.functions.B.arrivals);
    expect(JSON.stringify(two.summary.functions.A)).toBe(JSON.stringify(one.summary.functions.A));
  });

  it("with a drain past the span, A's summary is still byte-identical (its window ends with its own drain)", () => {
    const one = runScenario(twoFunctions(5, true));
    const two = runScenario(twoFunctions(40, true));
    expect(two.result.simulatedSeconds).not.toBe(one.result.simulatedSeconds);
    expect(JSON.stringify(two.summary.functions.A)).toBe(JSON.stringify(one.summary.functions.A));
  });
});
