/*
 * Reserved and provisioned concurrency accounting (docs/lambda-behaviour.md#concurrency).
 *
 *  - Reserved concurrency is a cap and a guarantee: the function never holds more than its
 *    reservation, and gets all of it even while an unreserved function saturates the rest of the
 *    account. With account 1,000 and 200 reserved, the unreserved functions share 800.
 *  - Provisioned concurrency (PC) serves requests on pre-initialised environments (no cold start);
 *    traffic above the PC spills over to on-demand environments. PC environments are tried first,
 *    so they form an M/G/c/c loss system in front of the on-demand pool: with Poisson traffic the
 *    spill-over fraction is exactly Erlang-B B(PC, A) (insensitive to the service distribution).
 *  - PC is claimed from its pool for as long as it is configured, busy or not.
 *  - A PC schedule takes effect at its step, after the allocation delay.
 * Counts that are determined exactly are asserted exactly; statistical ones state their SE.
 */
import { describe, expect, it } from "vitest";
import { erlangB, minuteColumn, note, runScenario } from "./fidelityHelpers.js";

const Z = 4;
const OPEN = { scaling: "unlimited", requestRateLimit: "infinite" } as const;
const PLATFORM = { keepAlive: "10m", maxLifetime: "infinite" } as const;

describe("reserved concurrency", () => {
  function reservedRun(reservedRate: number) {
    const { summary } = runScenario({
      seed: 41,
      duration: "2m",
      account: { concurrencyLimit: 1000, ...OPEN },
      platform: PLATFORM,
      functions: [
        { name: "r", timeout: "900s", init: 0, duration: { exponential: { mean: "1s" } }, reservedConcurrency: 200 },
        { name: "u", timeout: "900s", init: 0, duration: { exponential: { mean: "1s" } } },
      ],
      workload: [
        { function: "r", arrivals: { poisson: { rate: reservedRate } } },
        { function: "u", arrivals: { poisson: { rate: 1500 } } }, // needs ~1,500, gets 800
      ],
    });
    return summary;
  }

  it("is guaranteed while another function saturates the rest of the account", () => {
    // Offered load 100 against 200 reserved: P(throttle) = B(200, 100) ≈ 1e-19, i.e. none.
    const s = reservedRun(100);
    expect(s.account.unreservedCapacity).toBe(800);
    expect(s.functions.r.metrics.Throttles).toBe(0);
    expect(s.functions.u.maxClaimedConcurrency).toBe(800);
    expect(s.functions.u.metrics.ConcurrentExecutions.max).toBe(800);
    expect(s.account.maxUnreservedConcurrency).toBe(800);
    expect(s.functions.u.metrics.Throttles).toBeGreaterThan(50_000);
    expect(s.account.maxClaimedConcurrency).toBeLessThanOrEqual(1000);
  });

  it("is a cap: an overloaded reserved function holds exactly 200, the other exactly 800", () => {
    const s = reservedRun(400);
    expect(s.functions.r.maxClaimedConcurrency).toBe(200);
    expect(s.functions.r.metrics.ConcurrentExecutions.max).toBe(200);
    expect(s.functions.r.metrics.Throttles).toBeGreaterThan(10_000);
    expect(s.functions.u.maxClaimedConcurrency).toBe(800);
    expect(s.account.maxClaimedConcurrency).toBe(1000);
    // u draws on its own random streams and sees the same 800: its figures do not depend on r's load.
    expect(s.functions.u.metrics).toEqual(reservedRun(100).functions.u.metrics);
  });

  it("reserved concurrency 0 throttles every request", () => {
    const { summary } = runScenario({
      seed: 1,
      duration: "1m",
      account: OPEN,
      functions: [{ name: "z", init: 0, duration: "100ms", reservedConcurrency: 0 }],
      workload: [{ function: "z", arrivals: { poisson: { rate: 10 } } }],
    });
    const z = summary.functions.z;
    expect(z.metrics.Invocations).toBe(0);
    expect(z.metrics.Throttles).toBe(z.arrivals);
    expect(z.outcomes.throttled).toBe(z.arrivals);
  });
});

describe("provisioned concurrency", () => {
  it("after allocation, traffic below the PC runs on it: no cold starts, no spill-over", () => {
    // PC 20 configured at 1 min (a number would be ready at t = 0), the default 90 s allocation
    // delay, 0.5 s allocation init; traffic 3/s × 1 s: P(more than 20 busy) = P(Poisson(3) > 20)
    // ≈ 1e-11, so after ~150.7 s nothing spills over.
    const { result, summary } = runScenario({
      seed: 42,
      duration: "15m",
      account: { concurrencyLimit: 1000, ...OPEN },
      platform: PLATFORM,
      functions: [
        {
          name: "p",
          timeout: "900s",
          init: "500ms",
          duration: { constant: "1s" },
          provisionedConcurrency: [
            { at: 0, value: 0 },
            { at: "1m", value: 20 },
          ],
        },
      ],
      workload: [{ function: "p", arrivals: { poisson: { rate: 3 } } }],
    });
    const p = summary.functions.p;
    const m = result.functions[0].metrics;
    const cold = minuteColumn(m, "ColdStarts", 15);
    const invocations = minuteColumn(m, "Invocations", 15);
    // PC is configured from 1 min on, so every invocation from then on is either on it or a spill-over.
    const fromStep = invocations.slice(1).reduce((a, b) => a + b, 0);
    expect(p.metrics.ProvisionedConcurrencyInvocations + p.metrics.ProvisionedConcurrencySpilloverInvocations).toBe(fromStep);
    // Spill-over = requests of the 90 s after the step + 20 × 10 ms ramp + 0.5 s init ≈ Poisson(3 × 90.6):
    // mean 272, SD 16.5; allow 4 SD.
    note("pc spill-over before allocation", p.metrics.ProvisionedConcurrencySpilloverInvocations, 3 * 90.6, 4 * 16.5);
    expect(Math.abs(p.metrics.ProvisionedConcurrencySpilloverInvocations - 3 * 90.6)).toBeLessThan(4 * 16.5);
    // Every minute from the 4th on runs entirely on PC: no cold starts there at all.
    for (let minute = 3; minute < 15; minute++) expect(cold[minute]).toBe(0);
    const late = invocations.slice(3).reduce((a, b) => a + b, 0);
    expect(p.metrics.ProvisionedConcurrencyInvocations).toBeGreaterThanOrEqual(late);
    // Cold starts are on-demand ones only: the 20 allocation inits are not counted as cold starts.
    expect(p.coldStarts).toBe(p.environments.created - 20);
    expect(m.provisionedInitMs).toBe(20 * 500);
    expect(p.initDurationMs.max).toBeCloseTo(500, 9);
    expect(p.maxClaimedConcurrency).toBeGreaterThanOrEqual(20);
  });

  it("traffic above the PC spills over at the Erlang-B rate B(PC, A)", () => {
    // PC 5, no allocation delay, zero init; A = 10 (Poisson 10/s × exponential 1 s).
    // Spill-over fraction = B(5, 10) = 0.5640. Batch means, 60 batches of 1 min (≫ 1 s service).
    const pc = 5;
    const { summary } = runScenario({
      seed: 43,
      duration: "1h",
      account: { concurrencyLimit: 1000, ...OPEN },
      platform: { ...PLATFORM, provisionedAllocationDelay: 0 },
      functions: [{ name: "p", timeout: "900s", init: 0, duration: { exponential: { mean: "1s" } }, provisionedConcurrency: pc }],
      workload: [{ function: "p", arrivals: { poisson: { rate: 10 } } }],
    });
    const p = summary.functions.p;
    expect(p.metrics.Throttles).toBe(0);
    // The series has no spill-over column, so the SE is the binomial one inflated for the
    // correlation of successive requests through busy periods: over 40 seeds the spread of the
    // fraction was 0.0034 against a binomial 0.0026 (×1.3); we inflate by 2.
    const fraction = p.metrics.ProvisionedConcurrencySpilloverInvocations / p.metrics.Invocations;
    const b = erlangB(pc, 10);
    const se = 2 * Math.sqrt((b * (1 - b)) / p.metrics.Invocations);
    note("pc spill-over fraction", fraction, b, Z * se);
    expect(Math.abs(fraction - b)).toBeLessThan(Z * se);
  });

  it("idle PC is claimed from the pool: another unreserved function gets 200 − 50", () => {
    // Account 200; function p has PC 50 and no traffic at all; u overloads the pool from 120 s,
    // after p's PC was allocated (90 s). Without the PC, u reaches 200.
    const maxOfU = (provisioned: number) => {
      const { summary } = runScenario({
        seed: 44,
        duration: "5m",
        account: { concurrencyLimit: 200, ...OPEN },
        platform: PLATFORM,
        functions: [
          { name: "p", timeout: "900s", init: "500ms", duration: "1s", provisionedConcurrency: provisioned },
          { name: "u", timeout: "900s", init: 0, duration: { exponential: { mean: "1s" } } },
        ],
        workload: [
          { function: "p", arrivals: { poisson: { rate: 0 } } },
          {
            function: "u",
            arrivals: {
              steps: [
                { at: 0, rate: 0 },
                { at: 120, rate: 1000 },
              ],
            },
          },
        ],
      });
      expect(summary.account.maxClaimedConcurrency).toBe(200);
      expect(summary.functions.p.maxClaimedConcurrency).toBe(provisioned);
      expect(summary.functions.p.metrics.Invocations).toBe(0);
      return summary.functions.u.maxClaimedConcurrency;
    };
    expect(maxOfU(0)).toBe(200);
    expect(maxOfU(50)).toBe(150);
  });

  it("a PC schedule [{0, 0}, {1h, 50}]: no PC before 1 h, all traffic on PC after allocation", () => {
    const { result, summary } = runScenario({
      seed: 45,
      duration: "2h",
      account: { concurrencyLimit: 1000, ...OPEN },
      platform: PLATFORM,
      functions: [
        {
          name: "p",
          timeout: "900s",
          init: "200ms",
          duration: { constant: "1s" },
          provisionedConcurrency: [
            { at: 0, value: 0 },
            { at: "1h", value: 50 },
          ],
        },
      ],
      // Arrivals stop at 110 min so nothing runs past 2 h.
      workload: [
        {
          function: "p",
          arrivals: {
            steps: [
              { at: 0, rate: 10 },
              { at: "110m", rate: 0 },
            ],
          },
        },
      ],
    });
    const p = summary.functions.p;
    const m = result.functions[0].metrics;
    const arrivals = minuteColumn(m, "arrivals", 120);
    const sum = (from: number, to: number) => arrivals.slice(from, to).reduce((a, b) => a + b, 0);
    // Spill-over counts only while PC is configured (from 1 h): the arrivals in [3600, ~3690.7 s).
    // Minutes 60 and 61 are wholly inside, minute 62 (3720-3780 s) wholly after; 3690.7 s lies in
    // minute 61, so spill-over is between the arrivals of minute 60 and those of minutes 60-61.
    const spill = p.metrics.ProvisionedConcurrencySpilloverInvocations;
    expect(spill).toBeGreaterThanOrEqual(sum(60, 61));
    expect(spill).toBeLessThanOrEqual(sum(60, 62));
    // ...and is close to 10/s × 90.7 s: Poisson SD 30, 4 SD.
    expect(Math.abs(spill - 907)).toBeLessThan(120);
    // Everything after allocation runs on PC (P(> 50 busy) at 10/s × 1 s is ≈ 1e-19).
    expect(p.metrics.ProvisionedConcurrencyInvocations).toBeGreaterThanOrEqual(sum(62, 110));
    // From 1 h on every request is either on PC or spill-over (nothing is throttled).
    expect(p.metrics.ProvisionedConcurrencyInvocations + spill).toBe(sum(60, 110));
    // No cold starts after allocation; before 1 h, on-demand environments stay warm (10 min keep-alive).
    const cold = minuteColumn(m, "ColdStarts", 120);
    for (let minute = 62; minute < 120; minute++) expect(cold[minute]).toBe(0);
    expect(p.metrics.Invocations).toBe(p.arrivals);
    expect(m.provisionedInitMs).toBe(50 * 200);
    expect(p.cost.provisionedAllocatedGbSeconds).toBe(50 * 3600 * (128 / 1024));
  });
});

describe("ClaimedAccountConcurrency (docs/lambda-behaviour.md#claimed-concurrency)", () => {
  it("account 1,000, 900 reserved with 1 in use, 100 unreserved running: claimed 1,000, the next unreserved call is a 429", () => {
    // r: one request at 0 running 500 s. u: one request a second from 0 to 100 s, each running
    // 500 s, so requests 0 … 99 run together and the 101st (at 100 s) finds 1,000 claimed.
    const { summary } = runScenario({
      duration: "100.5s",
      account: { concurrencyLimit: 1000, scaling: "unlimited" },
      functions: [
        { name: "r", timeout: "900s", init: 0, duration: "500s", reservedConcurrency: 900 },
        { name: "u", timeout: "900s", init: 0, duration: "500s" },
      ],
      workload: [
        { function: "r", arrivals: { constant: { interval: "1h" } } },
        { function: "u", arrivals: { constant: { interval: "1s" } } },
      ],
    });
    const { r, u } = summary.functions;
    expect(r.metrics.ConcurrentExecutions.max).toBe(1);
    expect(u.arrivals).toBe(101);
    expect(u.metrics.ConcurrentExecutions.max).toBe(100);
    expect(u.metrics.Throttles).toBe(1);
    expect(u.outcomes.throttled).toBe(1);
    // Unreserved running (100) + all reserved (900), not the 101 running.
    expect(summary.account.maxUnreservedConcurrency).toBe(100);
    expect(summary.account.maxClaimedConcurrency).toBe(1000);
    // Each function's share of it: r its reservation, u what it ran.
    expect(r.maxClaimedConcurrency).toBe(900);
    expect(u.maxClaimedConcurrency).toBe(100);
  });

  it("provisioned concurrency of a function without a reservation is claimed, idle or not", () => {
    // p: PC 50 (ready at 0), never invoked; u: 10 requests at once running 100 s. Claimed = 50 + 10.
    const { summary } = runScenario({
      duration: "1s",
      account: { concurrencyLimit: 1000, scaling: "unlimited" },
      functions: [
        { name: "p", init: 0, duration: "1s", provisionedConcurrency: 50 },
        { name: "u", timeout: "900s", init: 0, duration: "100s" },
      ],
      workload: [
        { function: "p", arrivals: { poisson: { rate: 0 } } },
        { function: "u", arrivals: { constant: { interval: "100ms" } } },
      ],
    });
    expect(summary.account.maxClaimedConcurrency).toBe(60);
    expect(summary.functions.p.maxClaimedConcurrency).toBe(50);
  });
});

describe("a request at the very instant provisioned concurrency is configured", () => {
  // One request at exactly 60 s, when a schedule step sets PC 5. The request is counted once:
  // on a provisioned environment or as a spill-over, never as neither (CloudWatch:
  // ProvisionedConcurrencyInvocations + ProvisionedConcurrencySpilloverInvocations = Invocations).
  const at60 = (provisioned: unknown, delay: string) =>
    runScenario({
      duration: "61s",
      account: OPEN,
      platform: { provisionedAllocationDelay: delay },
      functions: [{ name: "p", init: "100ms", duration: "1s", provisionedConcurrency: provisioned }],
      workload: [{ function: "p", arrivals: { constant: { interval: "1h", start: "60s" } } }],
    }).summary.functions.p.metrics;

  it("is a spill-over while the allocation is under way", () => {
    for (const delay of ["90s", "0s"]) {
      const m = at60(
        [
          { at: 0, value: 0 },
          { at: "60s", value: 5 },
        ],
        delay,
      );
      expect(m.Invocations).toBe(1);
      expect(m.ProvisionedConcurrencySpilloverInvocations).toBe(1);
      expect(m.ProvisionedConcurrencyInvocations).toBe(0);
    }
  });

  it("runs on provisioned concurrency configured before the run", () => {
    const m = at60(5, "90s");
    expect(m.ProvisionedConcurrencyInvocations).toBe(1);
    expect(m.ProvisionedConcurrencySpilloverInvocations).toBe(0);
  });
});
