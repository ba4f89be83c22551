/*
 * ProvisionedConcurrencyUtilization (provisioned.utilizationMax / utilizationMean), in runs whose
 * busy intervals are known exactly: one 5-s invocation every 10 s, on provisioned environments
 * that are ready at once (no allocation delay, init 0).
 */
import { describe, expect, it } from "vitest";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

function run(provisionedConcurrency: unknown) {
  const result = simulate(
    resolveScenario({
      name: "utilization",
      seed: 1,
      duration: "100s",
      account: { scaling: "unlimited", requestRateLimit: "infinite" },
      platform: { keepAlive: "infinite", maxLifetime: "infinite", provisionedAllocationDelay: 0 },
      functions: [{ name: "f", init: 0, duration: { constant: "5s" }, timeout: "10s", provisionedConcurrency }],
      // Arrivals at 1, 11, ..., 91 s: busy in [1, 6), [11, 16), ..., [91, 96).
      workload: [{ function: "f", arrivals: { constant: { interval: "10s", start: "1s" } } }],
    }),
  );
  return buildSummary(result).functions.f;
}

describe("provisioned concurrency utilization", () => {
  it("one of 2 busy for 50 of 100 s: max 0.5, time-averaged mean 0.25", () => {
    const f = run(2);
    expect(f.observedSeconds).toBe(100);
    expect(f.metrics.ProvisionedConcurrencyInvocations).toBe(10);
    expect(f.provisioned.utilizationMax).toBe(0.5);
    expect(f.provisioned.utilizationMean).toBe(0.25);
  });

  it("follows the schedule, and averages only over the time something is configured", () => {
    // 2 until 50 s: 5 invocations × 5 s at 1/2 = 12.5; 4 from 50 to 80 s: 3 × 5 s at 1/4 = 3.75;
    // none from 80 s (the last two run on demand). Mean 16.25 / 80 s configured = 0.203125.
    const f = run([
      { at: 0, value: 2 },
      { at: "50s", value: 4 },
      { at: "80s", value: 0 },
    ]);
    expect(f.metrics.ProvisionedConcurrencyInvocations).toBe(8);
    expect(f.provisioned.utilizationMax).toBe(0.5);
    expect(f.provisioned.utilizationMean).toBe(0.203125);
  });

  it("is null for a function without provisioned concurrency", () => {
    const f = run(undefined);
    expect(f.provisioned.utilizationMax).toBeNull();
    expect(f.provisioned.utilizationMean).toBeNull();
  });
});
