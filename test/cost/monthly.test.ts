/*
 * The monthly projection and cost per million requests (docs/pricing.md#monthly-projection),
 * against hand calculations written out in full. Constant handler durations, constant arrival
 * intervals and init 0 make every billed millisecond exact, so the only tolerance is floating
 * point: 1e-9 relative on dollar figures that reach $100,000.
 */
import { describe, expect, it } from "vitest";
import { HOURS_PER_MONTH, monthlyBill, perMillionRequests, provisionedConfiguredGbSeconds } from "../../src/cost/monthly.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";
import { spec, usage } from "../support/functionSpec.js";

/** Equal to `expected` within 1e-9 of its size (and 1e-9 absolute near zero). */
function expectUsd(actual: number | null, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

/*
 * 500 requests/s (one every 2 ms) of exactly 1 s at 6,144 MB (6 GB) on x86 for 600 s: 3,000 GB-s
 * every second. A 730-hour month is 2,628,000 s, 4,380 times the window, so the month holds
 * 300,000 × 4,380 = 1,314,000,000 requests and 1,800,000 × 4,380 = 7,884,000,000 GB-s: past the
 * 6-billion-GB-s end of the first x86 tier.
 */
function tierCrossingRun(freeTier: boolean) {
  const result = simulate(
    resolveScenario({
      name: "monthly",
      seed: 1,
      duration: "600s",
      account: { concurrencyLimit: 1000, scaling: "unlimited", requestRateLimit: "infinite" },
      platform: { keepAlive: "infinite", maxLifetime: "infinite", freeTier },
      functions: [{ name: "f", memoryMb: 6144, architecture: "x86_64", timeout: "10s", init: 0, duration: { constant: "1s" } }],
      workload: [{ function: "f", arrivals: { constant: { interval: "2ms" } } }],
    }),
  );
  return buildSummary(result);
}

describe("monthly projection of a constant workload across the x86 tier boundary", () => {
  it("without the free tier: 6e9 GB-s at $0.0000166667 + 1.884e9 at $0.000015, and 1,314 M requests at $0.20", () => {
    const s = tierCrossingRun(false);
    expect(s.totals.Invocations).toBe(300_000);
    expect(s.totals.cost.gbSeconds).toBe(1_800_000);
    const m = s.monthly;
    if (m === null) throw new Error("a 600-s window has a monthly projection");
    expect(m.hours).toBe(730);
    expect(m.windowSeconds).toBe(600);
    expect(m.requests).toBe(1_314_000_000);
    expect(m.gbSeconds).toBe(7_884_000_000);
    // 6,000,000,000 × 0.0000166667 = 100,000.20; 1,884,000,000 × 0.000015 = 28,260.00.
    expectUsd(m.computeUsd, 100_000.2 + 28_260);
    // 1,314,000,000 / 1,000,000 × 0.20 = 262.80.
    expectUsd(m.requestUsd, 262.8);
    expectUsd(m.totalUsd, 128_523);
    expectUsd(m.perMillionRequestsUsd, 128_523 / 1314);
    expect(m.provisionedUsd).toBe(0);
    expect(m.ephemeralStorageUsd).toBe(0);
    // One function: it carries the whole account's bill.
    expectUsd(m.functions.f.totalUsd, 128_523);
  });

  it("with the free tier: 1 M requests and 400,000 GB-s off the month first, the rest priced from the first tier", () => {
    const m = tierCrossingRun(true).monthly;
    if (m === null) throw new Error("a 600-s window has a monthly projection");
    // (1,314,000,000 − 1,000,000) / 1,000,000 × 0.20 = 262.60.
    expectUsd(m.requestUsd, 262.6);
    // 7,884,000,000 − 400,000 = 7,883,600,000 GB-s: 6,000,000,000 × 0.0000166667 = 100,000.20,
    // then 1,883,600,000 × 0.000015 = 28,254.00.
    expectUsd(m.computeUsd, 100_000.2 + 28_254);
    expectUsd(m.totalUsd, 128_516.8);
  });

  it("the window's own bill stays as it was: 1,800,000 GB-s all in the first tier", () => {
    const s = tierCrossingRun(false);
    // 1,800,000 × 0.0000166667 = 30.00006; 300,000 requests = 0.06.
    expectUsd(s.totals.cost.computeUsd, 30.00006);
    expectUsd(s.totals.cost.totalUsd, 30.06006);
    // 30.06006 / 300,000 × 1,000,000 = 100.2002 per million requests.
    expectUsd(s.totals.cost.perMillionRequestsUsd, 100.2002);
    expectUsd(s.functions.f.cost.perMillionRequestsUsd, 100.2002);
  });
});

describe("cost per million requests", () => {
  it("is the total divided by requests, × 10^6: the worked example's $1.033335 for 10^6 requests", () => {
    expect(perMillionRequests(1.033335, 1e6)).toBe(1.033335);
    expect(perMillionRequests(0.5, 250_000)).toBe(2);
  });

  it("is null without requests (a function that never ran, or a provisioned bill with no traffic)", () => {
    expect(perMillionRequests(0, 0)).toBeNull();
    expect(perMillionRequests(3.5, 0)).toBeNull();
  });
});

describe("monthlyBill()", () => {
  // A window of 1/1000 of a month, so the monthly volumes are the window's × 1,000.
  const window = { from: 0, to: (HOURS_PER_MONTH * 3600) / 1000 };

  it("aggregates the tiers over the functions of one architecture and shares them out by GB-s", () => {
    // Two x86 functions of 4·10^9 and 3·10^9 monthly GB-s (4·10^6 and 3·10^6 in the window, at
    // 1,024 MB: 4·10^9 and 3·10^9 billed ms), and an arm64 one of 10^9, alone in its first tier.
    const bill = monthlyBill(
      [
        usage({ spec: spec({ name: "a", memoryMb: 1024 }), requests: 1000, onDemandBilledMs: 4e9 }),
        usage({ spec: spec({ name: "b", memoryMb: 1024 }), requests: 3000, onDemandBilledMs: 3e9 }),
        usage({ spec: spec({ name: "c", memoryMb: 1024, architecture: "arm64" }), requests: 0, onDemandBilledMs: 1e9 }),
      ],
      window,
      false,
    );
    if (bill === null) throw new Error("the window has a length");
    const [a, b, c] = bill.functions;
    expect(a.gbSeconds).toBe(4e9);
    expect(b.gbSeconds).toBe(3e9);
    // x86: 6·10^9 × 0.0000166667 + 10^9 × 0.000015 = 100,000.20 + 15,000 = 115,000.20, 4/7 and 3/7.
    expectUsd(a.computeUsd + b.computeUsd, 115_000.2);
    expectUsd(a.computeUsd, (115_000.2 * 4) / 7);
    expectUsd(b.computeUsd, (115_000.2 * 3) / 7);
    // arm64: 10^9 × 0.0000133334 = 13,333.40, its own tiers.
    expectUsd(c.computeUsd, 13_333.4);
    // Requests: 4,000,000 in the month at $0.20 per million = $0.80, shared 1:3.
    expectUsd(a.requestUsd, 0.2);
    expectUsd(b.requestUsd, 0.6);
    expect(c.requestUsd).toBe(0);
    expect(c.perMillionRequestsUsd).toBeNull();
    expectUsd(bill.totals.totalUsd, 115_000.2 + 13_333.4 + 0.8);
  });

  it("below the free tier a month costs nothing; the allowance is shared over architectures by GB-s", () => {
    // 900,000 requests and 300,000 GB-s (x86) + 60,000 GB-s (arm64) a month: all inside the free tier.
    const free = monthlyBill(
      [
        usage({ spec: spec({ memoryMb: 1024 }), requests: 900, onDemandBilledMs: 300_000 }),
        usage({ spec: spec({ memoryMb: 1024, architecture: "arm64" }), requests: 0, onDemandBilledMs: 60_000 }),
      ],
      window,
      true,
    );
    expect(free?.totals.totalUsd).toBe(0);
    // 800,000 GB-s a month, half on each architecture: 200,000 of the 400,000 free GB-s each, so
    // 200,000 × 0.0000166667 = 3.33334 (x86) + 200,000 × 0.0000133334 = 2.66668 (arm64).
    const shared = monthlyBill(
      [
        usage({ spec: spec({ memoryMb: 1024 }), requests: 0, onDemandBilledMs: 400_000 }),
        usage({ spec: spec({ memoryMb: 1024, architecture: "arm64" }), requests: 0, onDemandBilledMs: 400_000 }),
      ],
      window,
      true,
    );
    expectUsd(shared?.functions[0].computeUsd ?? null, 3.33334);
    expectUsd(shared?.functions[1].computeUsd ?? null, 2.66668);
  });

  it("provisioned concurrency: the configured GB-s rate × 730 h at the allocated price, plus its duration", () => {
    // PC 10 at 2,048 MB for the whole 3,600-s window: 20 GB configured all month =
    // 20 × 2,628,000 = 52,560,000 GB-s × 0.0000041667 = 219.001752. In the window, 500 s of
    // invocations + 10 s of inits = 1,020 GB-s, × 730 = 744,600 GB-s × 0.0000097222 = 7.23915012.
    // 1,000 requests × 730 = 730,000 at $0.20 per million = 0.146. The free tier does not touch
    // provisioned charges.
    for (const freeTier of [false, true]) {
      const bill = monthlyBill(
        [
          usage({
            spec: spec({ memoryMb: 2048, provisioned: [{ at: 0, value: 10 }] }),
            requests: 1000,
            provisionedBilledMs: 500_000,
            provisionedInitMs: 10_000,
          }),
        ],
        { from: 0, to: 3600 },
        freeTier,
      );
      if (bill === null) throw new Error("the window has a length");
      expect(bill.totals.provisionedGbSeconds).toBeCloseTo(52_560_000 + 744_600, 6);
      expectUsd(bill.totals.provisionedUsd, 219.001752 + 7.23915012);
      expectUsd(bill.totals.requestUsd, freeTier ? 0 : 0.146);
      expect(bill.totals.computeUsd).toBe(0);
    }
  });

  it("configured GB-s are not rounded to 5 minutes, and count only the window's part of each step", () => {
    // PC 2 from 0 to 100 s, then 4: in [60, 160) that is 2 × 40 + 4 × 60 = 320 concurrency-s at 0.5 GB.
    const schedule = [
      { at: 0, value: 2 },
      { at: 100, value: 4 },
    ];
    expect(provisionedConfiguredGbSeconds(schedule, 512, 60, 160)).toBe(160);
    expect(provisionedConfiguredGbSeconds(schedule, 512, 0, 1)).toBe(1);
    expect(provisionedConfiguredGbSeconds([], 512, 0, 100)).toBe(0);
  });

  it("ephemeral storage scales with the month like the duration it is billed over", () => {
    // 10,240 MB of /tmp: 9.5 GB above the free 512 MB; 100 billed s in the window = 100,000 s a month.
    const bill = monthlyBill([usage({ spec: spec({ ephemeralStorageMb: 10240 }), requests: 1, onDemandBilledMs: 100_000 })], window, false);
    expectUsd(bill?.totals.ephemeralStorageUsd ?? null, 9.5 * 100_000 * 0.0000000309);
  });

  it("has no projection for a window of no length", () => {
    expect(monthlyBill([usage({ requests: 1, onDemandBilledMs: 1 })], { from: 5, to: 5 }, false)).toBeNull();
  });
});
