/*
 * Deterministic arrivals every P seconds, constant handler S < P, keep-alive T
 * (docs/queueing-results.md#periodic-arrivals). No randomness is involved, so every count is exact.
 *
 * After a warm call the environment idles for P − S; after a cold one for P − (init + S).
 *   P − S ≤ T           → one cold start (the first call), one environment for the whole run;
 *   P − init − S > T    → every call is cold (the environment is reclaimed before each call);
 *   in between          → cold and warm alternate (a cold call leaves a shorter idle gap).
 * Equality: an environment idle for exactly keepAlive is still warm. The simulator reclaims it at
 * the next representable time after lastFinished + keepAlive, so an arrival at exactly that instant
 * finds it. All times below are exact binary fractions so "exactly" means exactly.
 * maxLifetime is infinite: lifetime recycling would add cold starts.
 */
import { describe, expect, it } from "vitest";
import { runScenario } from "./fidelityHelpers.js";

function periodic(period: number, handler: number, keepAlive: number, init: number, span = 3600) {
  const { summary } = runScenario({
    seed: 5,
    duration: span,
    account: { concurrencyLimit: 10, scaling: "unlimited", requestRateLimit: "infinite" },
    platform: { keepAlive, maxLifetime: "infinite" },
    functions: [{ name: "f", timeout: "900s", init, duration: { constant: handler } }],
    workload: [{ function: "f", arrivals: { constant: { interval: period } } }],
  });
  const f = summary.functions.f;
  expect(f.metrics.Invocations).toBe(Math.ceil(span / period));
  expect(f.metrics.Throttles).toBe(0);
  expect(f.environments.max).toBe(1);
  return f;
}

describe("periodic arrivals on both sides of the keep-alive", () => {
  it("P − S < T: only the first call is cold", () => {
    const f = periodic(10, 4, 7, 1);
    expect(f.coldStarts).toBe(1);
    expect(f.environments.created).toBe(1);
  });

  it("P − S = T exactly: still warm (equality falls on the warm side)", () => {
    const f = periodic(10, 4, 6, 0);
    expect(f.coldStarts).toBe(1);
    expect(f.environments.created).toBe(1);
    // Same with fractional, exactly representable times: 7,200 calls, idle exactly 0.375 s.
    const g = periodic(0.5, 0.125, 0.375, 0);
    expect(g.metrics.Invocations).toBe(7200);
    expect(g.coldStarts).toBe(1);
  });

  it("P − S > T (by a hair): every call is cold", () => {
    const f = periodic(10, 4, 6 - 2 ** -20, 0);
    expect(f.coldStarts).toBe(360);
    expect(f.environments.created).toBe(360);
    const g = periodic(0.5, 0.125, 0.375 - 2 ** -30, 0);
    expect(g.coldStarts).toBe(7200);
  });

  it("P − init − S > T: every call is cold, each paying init", () => {
    const f = periodic(10, 4, 4.5, 1); // idle 5 s after a cold call, 6 s after a warm one
    expect(f.coldStarts).toBe(360);
    expect(f.initDurationMs.mean).toBeCloseTo(1000, 6);
    expect(f.latencyMs.mean).toBeCloseTo(5000, 6);
  });

  it("P − init − S ≤ T < P − S: cold and warm calls alternate", () => {
    const f = periodic(10, 4, 5.5, 1); // cold → idle 5 ≤ 5.5 → warm → idle 6 > 5.5 → cold ...
    expect(f.coldStarts).toBe(180);
    expect(f.environments.created).toBe(180);
    // ...with the equality again on the warm side: idle exactly 5 after a cold call.
    const g = periodic(10, 4, 5, 1);
    expect(g.coldStarts).toBe(180);
  });
});
