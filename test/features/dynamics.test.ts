/*
 * What SnapStart, tenant isolation and response streaming do to environments and latency
 * (docs/lambda-behaviour.md#snapstart, #tenant-isolation, #response-streaming), checked against
 * exact results: constant times where the outcome is exact, and the expected number of distinct
 * tenants (occupancy) with a tolerance of 5 standard deviations where it is random.
 */
import { describe, expect, it } from "vitest";
import { RngStreams } from "../../src/engine/rng.js";
import { tenantPicker } from "../../src/model/features.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

describe("SnapStart", () => {
  const run = (snapStart: boolean) =>
    simulate(
      resolveScenario({
        name: "snap",
        duration: "10s",
        functions: [
          {
            name: "f",
            runtime: "python3.13",
            memoryMb: 512,
            init: "4s",
            ...(snapStart && { snapStart: true, restore: "250ms" }),
            duration: "100ms",
          },
        ],
        workload: [{ function: "f", arrivals: { constant: { interval: "20s" } } }],
      }),
    );

  it("a cold start restores the snapshot instead of running init, and the restore is not billed", () => {
    const cold = run(false).functions[0];
    const snap = run(true).functions[0];
    expect(cold.metrics.latency.max).toBeCloseTo(4100, 6);
    expect(snap.metrics.latency.max).toBeCloseTo(350, 6);
    expect(cold.metrics.onDemandBilledMs).toBe(4100);
    expect(snap.metrics.onDemandBilledMs).toBe(100);
  });

  it("reports the restores in the summary", () => {
    const summary = buildSummary(run(true));
    expect(summary.functions.f.snapStart).toEqual({ restores: 1 });
    expect(summary.functions.f.config.snapStart).toBe(true);
    expect("snapStart" in buildSummary(run(false)).functions.f).toBe(false);
  });
});

describe("tenant isolation", () => {
  const N = 1000;
  const n = 2000;
  /* One request a second, 1 ms each, environments kept for ever: an environment is created exactly for each tenant's first request. */
  const run = (tenantIsolation: object | undefined) =>
    simulate(
      resolveScenario({
        name: "tenants",
        duration: n,
        platform: { keepAlive: "infinite", maxLifetime: "infinite" },
        functions: [{ name: "f", init: "10ms", duration: "1ms", ...(tenantIsolation && { tenantIsolation }) }],
        workload: [{ function: "f", arrivals: { constant: { interval: "1s" } } }],
      }),
    ).functions[0];

  it("never reuses an environment across tenants: environments created = distinct tenants seen", () => {
    expect(run(undefined).metrics.environmentsCreated).toBe(1);
    const isolated = run({ tenants: N });
    // Occupancy: n uniform draws over N tenants leave N(1 - 1/N)^n unseen.
    const q = (1 - 1 / N) ** n;
    const mean = N * (1 - q);
    const variance = N * (N - 1) * (1 - 2 / N) ** n + N * q - N * N * q * q;
    expect(Math.abs(isolated.metrics.environmentsCreated - mean)).toBeLessThan(5 * Math.sqrt(variance));
    expect(isolated.metrics.coldStarts).toBe(isolated.metrics.environmentsCreated);
  });

  it("with one tenant behaves as a function without isolation", () => {
    expect(run({ tenants: 1 }).metrics.environmentsCreated).toBe(1);
  });

  it("reuses an idle environment of the same tenant (warm within the tenant)", () => {
    const isolated = run({ tenants: 2 });
    expect(isolated.metrics.environmentsCreated).toBe(2);
    expect(isolated.metrics.coldStarts).toBe(2);
  });

  it("draws Zipf-distributed tenants: tenant 1 of 100 with probability 1 / H(100, s)", () => {
    const s = 1.2;
    let h = 0;
    for (let k = 1; k <= 100; k++) h += 1 / k ** s;
    const p = 1 / h;
    const draws = 100_000;
    const pick = tenantPicker({ tenants: 100, popularity: { zipf: s } }, new RngStreams(7).stream("t"));
    let first = 0;
    let last = 0;
    for (let i = 0; i < draws; i++) {
      const t = pick();
      if (t === 0) first++;
      if (t === 99) last++;
    }
    expect(Math.abs(first / draws - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / draws));
    const pLast = 1 / 100 ** s / h;
    expect(Math.abs(last / draws - pLast)).toBeLessThan(5 * Math.sqrt((pLast * (1 - pLast)) / draws));
  });
});

describe("response streaming", () => {
  const run = (sizeMb: number, timeout = "3s") =>
    simulate(
      resolveScenario({
        name: "stream",
        duration: "10s",
        functions: [{ name: "f", init: 0, duration: "100ms", timeout, responseStreaming: { sizeMb } }],
        workload: [{ function: "f", arrivals: { constant: { interval: "20s" } } }],
      }),
    ).functions[0];

  it("sends the first 6 MB with the handler and the rest at 2 MB/s", () => {
    expect(run(6).metrics.latency.max).toBeCloseTo(100, 6);
    expect(run(10).metrics.latency.max).toBeCloseTo(2100, 6);
    expect(run(10).metrics.onDemandBilledMs).toBe(2100);
  });

  it("a stream longer than the timeout is cut there", () => {
    const f = run(200, "10s");
    expect(f.metrics.onDemandBilledMs).toBe(10_000);
    expect(f.metrics.timeouts).toBe(1);
  });
});
