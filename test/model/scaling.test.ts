/*
 * Scaling-rate limits (docs/lambda-behaviour.md#scaling-rate): a step from 0 to R req/s of constant 1 s invocations,
 * zero init, account concurrency 10,000, no request-rate limit. Each environment serves one
 * request per second, so R environments are needed; new ones come from a token bucket of
 * capacity C refilled at r per second (a warm environment costs no token).
 *   per-function model (Nov 2023): C = 1,000, r = 100/s (1,000 per 10 s), one bucket per function;
 *   legacy model: C = 3,000 in us-east-1, r = 500/min, one bucket for the whole account.
 *
 * Continuum prediction: N(t) = C + r·t environments, throttle rate R − N(t) until N = R:
 *   throttles = ∫_0^{(R−C)/r} (R − C − r·t) dt = (R − C)² / (2r) = 80,000 (per-function, R = 5,000).
 *
 * Discrete prediction (exact). Arrivals come every 1/R s, so each second has R "phases". An
 * environment frees exactly 1 s after it started, i.e. at the next arrival of the same phase,
 * and takes it: once a phase has an environment it is never throttled again. Only arrivals of
 * phases without one try for a token, and an environment is created *at* the arrival of its own
 * phase, which is therefore accepted. Every second ends with phases still trying, so all refill
 * up to the last arrival of second m is spent in it, and
 *   N_m = envs at the end of second m = ⌊C + r·(m + 1 − 1/R)⌋,  throttles_m = R − N_m,
 *   throttles = Σ_m max(0, R − N_m).
 * Per-function: N_m = 1,099 + 100m → Σ_{m=0}^{39} (3,901 − 100m) = 78,040. It differs from the
 * continuum by −(R − C)/2 = −2,000 (a new environment serves its own phase in the second it is
 * created, so each second counts against its end-of-second N, not its average) and +40 (the
 * refill during the last 1/R s of a second is not usable within it: the floor).
 * Legacy, R = 3,500: N_m = ⌊3,000 + (25/3)(m + 1 − 1/3500)⌋ → 14,790 (continuum 15,000).
 *
 * Tolerance: the prediction is exact in rational arithmetic; the simulator computes k·interval
 * and start + 1 s in floating point, so a completion can land an ulp after the arrival it should
 * serve. Each such event costs at most one throttle or one extra environment; we allow one per
 * second of ramp (40, resp. 60: 0.05 % and 0.4 %). The runs observed 0 such throttles.
 */
import { describe, expect, it } from "vitest";
import { note, runScenario } from "./fidelityHelpers.js";

/** Σ_m max(0, R − ⌊C + (p/q)(m + 1 − 1/R)⌋), in integer arithmetic. */
function predictedThrottles(rate: number, bucket: number, refillNum: number, refillDen: number): number {
  let total = 0;
  for (let m = 0; ; m++) {
    const envs = Math.floor((bucket * refillDen * rate + refillNum * (rate * (m + 1) - 1)) / (refillDen * rate));
    if (envs >= rate) return total;
    total += rate - envs;
  }
}

function step(scaling: string, functions: { name: string; interval: number; start?: number }[], span: number) {
  const { result, summary } = runScenario({
    seed: 1,
    duration: span,
    region: "us-east-1",
    account: { concurrencyLimit: 10_000, scaling, requestRateLimit: "infinite" },
    platform: { keepAlive: "10m", maxLifetime: "infinite" },
    functions: functions.map((f) => ({ name: f.name, timeout: "900s", init: 0, duration: { constant: "1s" } })),
    workload: functions.map((f) => ({ function: f.name, arrivals: { constant: { interval: f.interval, start: f.start ?? 0 } } })),
  });
  return { result, summary };
}

describe("scaling-rate limits", () => {
  it("the discrete prediction: 78,040 (per-function) and 14,790 (legacy)", () => {
    expect(predictedThrottles(5000, 1000, 100, 1)).toBe(78_040);
    expect(predictedThrottles(3500, 3000, 500, 60)).toBe(14_790);
    // The continuum figures they refine.
    expect((5000 - 1000) ** 2 / (2 * 100)).toBe(80_000);
    expect((3500 - 3000) ** 2 / (2 * (500 / 60))).toBeCloseTo(15_000, 9);
  });

  it("per-function bucket: 0 → 5,000 req/s of 1 s calls throttles 78,040 over the 40 s ramp", () => {
    const { summary } = step("per-function", [{ name: "f", interval: 0.0002 }], 45);
    const f = summary.functions.f;
    const predicted = predictedThrottles(5000, 1000, 100, 1);
    note("scaling per-function throttles", f.metrics.Throttles, predicted, 40);
    expect(f.arrivals).toBe(225_000);
    expect(Math.abs(f.metrics.Throttles - predicted)).toBeLessThanOrEqual(40);
    expect(f.environments.created).toBeGreaterThanOrEqual(5000);
    expect(f.environments.created).toBeLessThanOrEqual(5040);
    expect(f.coldStarts).toBe(f.environments.created);
  });

  it("per-function bucket: unused capacity does not accrue (the same step after 100 idle seconds)", () => {
    const { summary } = step("per-function", [{ name: "f", interval: 0.0002, start: 100 }], 145);
    const predicted = predictedThrottles(5000, 1000, 100, 1);
    expect(Math.abs(summary.functions.f.metrics.Throttles - predicted)).toBeLessThanOrEqual(40);
  });

  it("legacy, us-east-1: burst 3,000 then +500/min; 0 → 3,500 req/s throttles 14,790 over 60 s", () => {
    const { result, summary } = step("legacy", [{ name: "f", interval: 1 / 3500 }], 70);
    const f = summary.functions.f;
    const predicted = predictedThrottles(3500, 3000, 500, 60);
    note("scaling legacy throttles", f.metrics.Throttles, predicted, 60);
    expect(Math.abs(f.metrics.Throttles - predicted)).toBeLessThanOrEqual(60);
    // The ramp ends at 60 s: nothing is throttled in the second minute.
    const series = result.functions[0].metrics.series;
    expect(series.minutes[1]).toBe(1);
    expect(series.get(1, "Throttles")).toBe(0);
  });

  it("legacy: the bucket is shared by the account (two functions at 1,750 req/s each)", () => {
    // Interleaved, the two streams are one 3,500 req/s stream: the same 14,790 throttles in
    // total. Per-function buckets of 3,000 would throttle nothing.
    const { summary } = step(
      "legacy",
      [
        { name: "a", interval: 1 / 1750 },
        { name: "b", interval: 1 / 1750, start: 1 / 3500 },
      ],
      70,
    );
    const total = summary.totals.Throttles;
    note("scaling legacy shared throttles", total, 14_790, 60);
    expect(Math.abs(total - 14_790)).toBeLessThanOrEqual(60);
    expect(summary.functions.a.metrics.Throttles).toBeGreaterThan(5000);
    expect(summary.functions.b.metrics.Throttles).toBeGreaterThan(5000);
  });

  it("unlimited scaling: the same step throttles nothing", () => {
    const { summary } = step("unlimited", [{ name: "f", interval: 0.0002 }], 10);
    const f = summary.functions.f;
    expect(f.metrics.Throttles).toBe(0);
    expect(f.environments.created).toBeGreaterThanOrEqual(5000);
    expect(f.environments.created).toBeLessThanOrEqual(5010);
  });
});
