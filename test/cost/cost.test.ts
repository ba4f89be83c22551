/*
 * Cost arithmetic (docs/pricing.md#worked-examples, docs/pricing.md#prices), checked to a fraction of a cent.
 *
 * Everything here is deterministic arithmetic, so the tolerances only absorb floating point:
 * 1e-9 USD on figures of order $1 (the summary rounds USD to 10 decimals), and exact equality for
 * billed milliseconds and GB-s, which the simulator sums as integers.
 */
import { describe, expect, it } from "vitest";
import { bill, provisionedAllocatedGbSeconds } from "../../src/cost/bill.js";
import { PRICES, requestCost, tieredDurationCost } from "../../src/cost/pricing.js";
import { billedMilliseconds, gbSeconds } from "../../src/common/billing.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";
import { spec, usage } from "../support/functionSpec.js";

const USD = 1e-9;

function run(input: Record<string, unknown>) {
  const result = simulate(resolveScenario({ name: "cost", seed: 1, ...input }));
  return { result, summary: buildSummary(result) };
}

describe("billed duration", () => {
  it("rounds up to the millisecond, keeping exact values exact", () => {
    expect(billedMilliseconds(0.1)).toBe(100);
    expect(billedMilliseconds(0.1000001)).toBe(101);
    expect(billedMilliseconds(0.0001)).toBe(1);
    // AWS bills at least 1 ms, even for a call that took no measurable time.
    expect(billedMilliseconds(0)).toBe(1);
    expect(billedMilliseconds(0.30624)).toBe(307);
    expect(billedMilliseconds(0.30624 + 0.24288)).toBe(550); // ceil(549.12)
    expect(billedMilliseconds(1)).toBe(1000);
  });

  it("GB-s = MB / 1024 × seconds", () => {
    expect(gbSeconds(100, 512)).toBe(0.05);
    expect(gbSeconds(1e8, 512)).toBe(50_000);
    expect(gbSeconds(1000, 1024)).toBe(1);
  });
});

describe("the worked example: 10^6 × 100 ms × 512 MB on x86, no free tier", () => {
  it("bill(): 50,000 GB-s, $0.833335 compute + $0.20 requests = $1.033335", () => {
    const { totals, functions } = bill([usage({ requests: 1e6, onDemandBilledMs: 1e6 * 100 })], { from: 0, to: 3600 }, false);
    expect(totals.gbSeconds).toBe(50_000);
    expect(Math.abs(totals.computeUsd - 0.833335)).toBeLessThan(USD);
    expect(Math.abs(totals.requestUsd - 0.2)).toBeLessThan(USD);
    expect(Math.abs(totals.totalUsd - 1.033335)).toBeLessThan(USD);
    expect(functions[0].totalUsd).toBeCloseTo(totals.totalUsd, 12);
  });

  it("end to end: a simulated run of exactly 10^6 invocations bills the same", () => {
    const { summary } = run({
      duration: "1000s",
      account: { concurrencyLimit: 1000, scaling: "unlimited", requestRateLimit: "infinite" },
      platform: { keepAlive: "infinite", maxLifetime: "infinite" },
      functions: [{ name: "f", memoryMb: 512, architecture: "x86_64", init: 0, duration: { constant: "100ms" } }],
      workload: [{ function: "f", arrivals: { constant: { interval: "1ms" } } }],
    });
    const cost = summary.totals.cost;
    expect(summary.totals.Invocations).toBe(1_000_000);
    expect(cost.gbSeconds).toBe(50_000);
    expect(Math.abs(cost.computeUsd - 0.833335)).toBeLessThan(USD);
    expect(Math.abs(cost.requestUsd - 0.2)).toBeLessThan(USD);
    expect(Math.abs(cost.totalUsd - 1.033335)).toBeLessThan(USD);
  });

  it("arm64 prices the same GB-s at $0.0000133334: $0.66667 + $0.20", () => {
    const { totals } = bill(
      [usage({ spec: spec({ architecture: "arm64" }), requests: 1e6, onDemandBilledMs: 1e8 })],
      { from: 0, to: 3600 },
      false,
    );
    expect(Math.abs(totals.computeUsd - 0.66667)).toBeLessThan(USD);
    expect(Math.abs(totals.totalUsd - 0.86667)).toBeLessThan(USD);
  });

  it("extra ephemeral storage: (10,240 − 512) MB for 10^5 billed s at $0.0000000309/GB-s", () => {
    const { totals } = bill(
      [usage({ spec: spec({ ephemeralStorageMb: 10240 }), requests: 1e6, onDemandBilledMs: 1e8 })],
      { from: 0, to: 3600 },
      false,
    );
    expect(Math.abs(totals.ephemeralStorageUsd - 9.5 * 1e5 * 0.0000000309)).toBeLessThan(USD); // $0.029355
  });
});

describe("INIT billing rules", () => {
  // A single cold call: init 242.88 ms, handler 306.24 ms.
  function coldCall(runtime: string, pkg: "zip" | "image", initBilling: "current" | "pre-2025-08") {
    const { result, summary } = run({
      duration: "10s",
      account: { scaling: "unlimited", requestRateLimit: "infinite" },
      platform: { initBilling },
      functions: [{ name: "f", runtime, package: pkg, memoryMb: 1024, init: "242.88ms", duration: { constant: "306.24ms" } }],
      workload: [{ function: "f", arrivals: { constant: { interval: "20s" } } }],
    });
    const f = summary.functions.f;
    expect(f.metrics.Invocations).toBe(1);
    expect(f.coldStarts).toBe(1);
    // Duration excludes init; the REPORT line's Init Duration carries it.
    expect(f.durationMs.mean).toBeCloseTo(306.24, 9);
    expect(f.initDurationMs.mean).toBeCloseTo(242.88, 9);
    return result.functions[0].metrics.onDemandBilledMs;
  }

  it("current rule (since Aug 2025): ceil(306.24 + 242.88) = 550 ms for a ZIP managed runtime", () => {
    expect(coldCall("nodejs22.x", "zip", "current")).toBe(550);
    expect(coldCall("python3.12", "zip", "current")).toBe(550);
  });

  it("pre-2025-08 rule: a ZIP managed runtime bills only the handler, ceil(306.24) = 307 ms", () => {
    expect(coldCall("nodejs22.x", "zip", "pre-2025-08")).toBe(307);
    expect(coldCall("java21", "zip", "pre-2025-08")).toBe(307);
  });

  it("pre-2025-08 rule: custom runtimes and container images were already billed for INIT", () => {
    expect(coldCall("provided.al2023", "zip", "pre-2025-08")).toBe(550);
    expect(coldCall("nodejs22.x", "image", "pre-2025-08")).toBe(550);
  });

  it("warm calls bill the handler only, under both rules", () => {
    for (const initBilling of ["current", "pre-2025-08"] as const) {
      const { result } = run({
        duration: "100s",
        account: { scaling: "unlimited", requestRateLimit: "infinite" },
        platform: { initBilling, keepAlive: "infinite", maxLifetime: "infinite" },
        functions: [{ name: "f", memoryMb: 1024, init: "242.88ms", duration: { constant: "306.24ms" } }],
        workload: [{ function: "f", arrivals: { constant: { interval: "10s" } } }],
      });
      const m = result.functions[0].metrics;
      expect(m.invocations).toBe(10);
      expect(m.coldStarts).toBe(1);
      expect(m.onDemandBilledMs).toBe(9 * 307 + (initBilling === "current" ? 550 : 307));
    }
  });

  it("a timed-out invocation bills the full timeout (plus INIT under the current rule)", () => {
    for (const [initBilling, expected] of [
      ["current", 3100],
      ["pre-2025-08", 3000],
    ] as const) {
      const { result, summary } = run({
        duration: "10s",
        account: { scaling: "unlimited", requestRateLimit: "infinite" },
        platform: { initBilling },
        functions: [{ name: "f", memoryMb: 128, timeout: "3s", init: "100ms", duration: { constant: "5s" } }],
        workload: [{ function: "f", arrivals: { constant: { interval: "20s" } } }],
      });
      expect(summary.functions.f.timeouts).toBe(1);
      expect(summary.functions.f.metrics.Errors).toBe(1);
      expect(result.functions[0].metrics.onDemandBilledMs).toBe(expected);
    }
  });
});

describe("duration price tiers", () => {
  const [x1, x2, x3] = PRICES.durationTiers.x86_64.map(([, price]) => price);
  const [a1, a2, a3] = PRICES.durationTiers.arm64.map(([, price]) => price);

  it("the price table is the fact sheet's", () => {
    expect([x1, x2, x3]).toEqual([0.0000166667, 0.000015, 0.0000133334]);
    expect([a1, a2, a3]).toEqual([0.0000133334, 0.0000120001, 0.0000106667]);
    expect(PRICES.durationTiers.x86_64.map(([upper]) => upper)).toEqual([6e9, 15e9, Infinity]);
    expect(PRICES.durationTiers.arm64.map(([upper]) => upper)).toEqual([7.5e9, 18.75e9, Infinity]);
    expect(requestCost(1e6)).toBe(0.2);
  });

  it("x86: crossing from tier 1 into tier 2, and from tier 2 into tier 3", () => {
    // 5.5e9 → 6.5e9 GB-s: 0.5e9 at tier 1 + 0.5e9 at tier 2 = $8,333.35 + $7,500.
    expect(tieredDurationCost(1e9, "x86_64", 5.5e9)).toBeCloseTo(15_833.35, 6);
    // 14e9 → 16e9: 1e9 at tier 2 + 1e9 at tier 3 = $15,000 + $13,333.4.
    expect(tieredDurationCost(2e9, "x86_64", 14e9)).toBeCloseTo(28_333.4, 6);
    // All three tiers from zero: 20e9 GB-s.
    expect(tieredDurationCost(20e9, "x86_64")).toBeCloseTo(6e9 * x1 + 9e9 * x2 + 5e9 * x3, 4);
    // Entirely inside tier 1: linear.
    expect(tieredDurationCost(50_000, "x86_64")).toBeCloseTo(0.833335, 12);
  });

  it("arm64 tiers break at 7.5e9 and 18.75e9 GB-s", () => {
    expect(tieredDurationCost(1e9, "arm64", 7e9)).toBeCloseTo(0.5e9 * a1 + 0.5e9 * a2, 6);
    expect(tieredDurationCost(1e9, "arm64", 18.5e9)).toBeCloseTo(0.25e9 * a2 + 0.75e9 * a3, 6);
  });

  it("bill() applies the tiers to the month's total and shares the cost pro rata", () => {
    // Two x86 functions: 4e9 + 3e9 GB-s = 7e9 → 6e9 at tier 1 + 1e9 at tier 2.
    const total = 6e9 * x1 + 1e9 * x2; // $115,000.2
    const ms = (gbs: number) => (gbs * 1000 * 1024) / 1024; // at 1024 MB, 1 GB-s = 1000 ms
    const { totals, functions } = bill(
      [
        usage({ spec: spec({ memoryMb: 1024 }), onDemandBilledMs: ms(4e9) }),
        usage({ spec: spec({ name: "g", memoryMb: 1024 }), onDemandBilledMs: ms(3e9) }),
      ],
      { from: 0, to: 3600 },
      false,
    );
    expect(totals.computeUsd).toBeCloseTo(total, 4);
    expect(functions[0].computeUsd).toBeCloseTo((total * 4) / 7, 4);
    expect(functions[1].computeUsd).toBeCloseTo((total * 3) / 7, 4);
  });
});

describe("free tier", () => {
  it("1 million requests and 400,000 GB-s a month are free", () => {
    const { totals } = bill([usage({ requests: 2e6, onDemandBilledMs: 1e9 })], { from: 0, to: 3600 }, true); // 500,000 GB-s at 512 MB
    expect(Math.abs(totals.requestUsd - 0.2)).toBeLessThan(USD);
    expect(Math.abs(totals.computeUsd - 100_000 * 0.0000166667)).toBeLessThan(USD); // $1.66667
  });

  it("usage inside the free tier costs nothing", () => {
    const { totals } = bill([usage({ requests: 1e6, onDemandBilledMs: 1e8 })], { from: 0, to: 3600 }, true);
    expect(totals.totalUsd).toBe(0);
  });

  it("does not apply to provisioned concurrency", () => {
    const pc = spec({ provisioned: [{ at: 0, value: 10 }], memoryMb: 1024 });
    const paid = bill([usage({ spec: pc })], { from: 0, to: 3600 }, false).totals.provisionedUsd;
    const free = bill([usage({ spec: pc })], { from: 0, to: 3600 }, true).totals.provisionedUsd;
    expect(paid).toBeGreaterThan(0);
    expect(free).toBe(paid);
  });
});

describe("provisioned concurrency billing", () => {
  it("allocated GB-s run from enable to disable, rounded up to 5 minutes", () => {
    expect(provisionedAllocatedGbSeconds([{ at: 0, value: 10 }], 1024, 0, 300)).toBe(3000);
    expect(provisionedAllocatedGbSeconds([{ at: 0, value: 10 }], 1024, 0, 301)).toBe(6000);
    expect(provisionedAllocatedGbSeconds([{ at: 0, value: 10 }], 1024, 0, 1)).toBe(3000);
    // Enabled at 1 h, still on at the end of a 2 h run: 50 × 3600 s × 0.5 GB.
    expect(
      provisionedAllocatedGbSeconds(
        [
          { at: 0, value: 0 },
          { at: 3600, value: 50 },
        ],
        512,
        0,
        7200,
      ),
    ).toBe(90_000);
    // On for 10 min, off for 10 min, on for 1 min: two stretches, each rounded up on its own.
    const stretches = [
      { at: 0, value: 4 },
      { at: 600, value: 0 },
      { at: 1200, value: 4 },
    ];
    expect(provisionedAllocatedGbSeconds(stretches, 1024, 0, 1260)).toBe(4 * 600 + 4 * 300);
    // A value change without a disable is one enabled period: [0, 660 s) rounds up to 900 s, the
    // 240 s added at the value in force when it ends (3), not each step on its own (2 × 300 + 3 × 600).
    expect(
      provisionedAllocatedGbSeconds(
        [
          { at: 0, value: 2 },
          { at: 60, value: 3 },
        ],
        1024,
        0,
        660,
      ),
    ).toBe(2 * 60 + 3 * 600 + 3 * 240);
  });

  it("rounds a schedule's enabled period as a whole, not each step (steps of 7 and 6 minutes)", () => {
    // Enabled 0–13 min (10, then 20 from 7 min), disabled at 13 min: 13 min rounds up to 15 min,
    // the 2 min added at 20. Per step it would be 10 × 10 min + 20 × 10 min = 18,000 GB-s at 1 GB.
    const schedule = [
      { at: 0, value: 10 },
      { at: 420, value: 20 },
      { at: 780, value: 0 },
    ];
    expect(provisionedAllocatedGbSeconds(schedule, 1024, 0, 1800)).toBe(10 * 420 + 20 * 360 + 20 * 120);
    // Two enabled periods, each rounded: 13 min → 15, and 2 min (25–27 min, at 5) → 5.
    const twice = [...schedule, { at: 1500, value: 5 }, { at: 1620, value: 0 }];
    expect(provisionedAllocatedGbSeconds(twice, 1024, 0, 1800)).toBe(13_800 + 5 * 300);
    // Measured from a warm-up at 10 min: the period inside the window is 10–13 min, rounded to 5.
    expect(provisionedAllocatedGbSeconds(schedule, 1024, 600, 1800)).toBe(20 * 180 + 20 * 120);
  });

  it("prices allocated time at $0.0000041667 and provisioned duration at $0.0000097222 per GB-s (x86)", () => {
    const pc = spec({ provisioned: [{ at: 0, value: 10 }], memoryMb: 2048 });
    const { functions } = bill(
      [usage({ spec: pc, requests: 1000, provisionedBilledMs: 500_000, provisionedInitMs: 10_000 })],
      { from: 0, to: 3600 },
      false,
    );
    const c = functions[0];
    expect(c.provisionedAllocatedGbSeconds).toBe(10 * 3600 * 2);
    expect(c.provisionedDurationGbSeconds).toBe(510 * 2);
    expect(Math.abs(c.provisionedUsd - (72_000 * 0.0000041667 + 1020 * 0.0000097222))).toBeLessThan(USD);
    expect(c.computeUsd).toBe(0); // no on-demand duration
    expect(Math.abs(c.requestUsd - 0.0002)).toBeLessThan(USD);
  });

  it("end to end: PC enabled at 1 h in a 2 h run is billed 50 × 3600 s, not from allocation", () => {
    // Arrivals stop at 100 min so nothing runs past the end and the billing window is exactly 2 h.
    const { result, summary } = run({
      duration: "2h",
      account: { scaling: "unlimited", requestRateLimit: "infinite" },
      platform: { maxLifetime: "infinite" },
      functions: [
        {
          name: "f",
          memoryMb: 512,
          init: "200ms",
          duration: { constant: "100ms" },
          provisionedConcurrency: [
            { at: 0, value: 0 },
            { at: "1h", value: 50 },
          ],
        },
      ],
      workload: [
        {
          function: "f",
          arrivals: {
            steps: [
              { at: 0, rate: 2 },
              { at: "100m", rate: 0 },
            ],
          },
        },
      ],
    });
    expect(result.simulatedSeconds).toBe(7200);
    const c = summary.functions.f.cost;
    expect(c.provisionedAllocatedGbSeconds).toBe(50 * 3600 * 0.5);
    // Each of the 50 allocations runs init once (200 ms, billed at the provisioned-duration rate).
    expect(result.functions[0].metrics.provisionedInitMs).toBe(50 * 200);
    const m = result.functions[0].metrics;
    const expectedProvisioned = 90_000 * 0.0000041667 + gbSeconds(m.provisionedBilledMs + m.provisionedInitMs, 512) * 0.0000097222;
    expect(Math.abs(c.provisionedUsd - expectedProvisioned)).toBeLessThan(USD);
    expect(m.provisionedBilledMs).toBe(m.provisionedInvocations * 100);
  });
});
