/*
 * Starting warm and the measured window (docs/lambda-behaviour.md#start-warm, #warm-up).
 *
 * Deterministic arrivals (one request every 250 ms, each running a constant 900 ms) hold exactly
 * 4 invocations at the peak once warm: at t = 0.75 s the requests of 0, 0.25, 0.5 and 0.75 s run,
 * and the first ends at 0.9 s, before the next arrives at 1 s. With an infinite keep-alive and
 * lifetime a cold start happens only when all the environments are busy, so a run that starts
 * with 4 ready environments, provisioned or prewarmed, has none. One that starts empty has 5: the
 * first request's 200 ms init keeps it busy until 1.1 s, so the request of 1 s needs a fifth.
 * All counts here are exact.
 */
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/common/inputError.js";
import { minuteColumn, runScenario } from "./fidelityHelpers.js";

const OPEN = { scaling: "unlimited", requestRateLimit: "infinite" } as const;
const FOREVER = { keepAlive: "infinite", maxLifetime: "infinite" } as const;
const EVERY_250MS = { constant: { interval: "250ms" } };

function run(fn: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return runScenario({
    seed: 7,
    duration: "10m",
    account: OPEN,
    platform: FOREVER,
    functions: [{ name: "f", memoryMb: 128, timeout: "10s", init: "200ms", duration: { constant: "900ms" }, ...fn }],
    workload: [{ function: "f", arrivals: EVERY_250MS }],
    ...extra,
  });
}

describe("starting warm", () => {
  it("an empty start has 5 cold starts", () => {
    const f = run({}).summary.functions.f;
    expect(f.arrivals).toBe(2400);
    expect(f.metrics.ConcurrentExecutions.max).toBe(5);
    expect(f.coldStarts).toBe(5);
    expect(f.environments.created).toBe(5);
  });

  it("provisionedConcurrency as a number is ready at t = 0: no cold start, no allocation, every request on it", () => {
    const { result, summary } = run({ provisionedConcurrency: 4 });
    const f = summary.functions.f;
    expect(f.coldStarts).toBe(0);
    expect(f.metrics.ProvisionedConcurrencyInvocations).toBe(2400);
    expect(f.metrics.ProvisionedConcurrencySpilloverInvocations).toBe(0);
    // Allocated and initialised before the run: nothing created or initialised in it.
    expect(f.environments.created).toBe(0);
    expect(f.environments.max).toBe(4);
    expect(result.functions[0].metrics.provisionedInitMs).toBe(0);
    expect(f.initDurationMs.max).toBe(0);
    // Billed from 0: 4 × 600 s × 0.125 GB.
    expect(f.cost.provisionedAllocatedGbSeconds).toBe(300);
    expect(f.latencyMs.max).toBeCloseTo(900, 9);
  });

  it("a schedule step at 0 is ready at t = 0 too", () => {
    const f = run({ provisionedConcurrency: [{ at: 0, value: 4 }] }).summary.functions.f;
    expect(f.coldStarts).toBe(0);
    expect(f.metrics.ProvisionedConcurrencyInvocations).toBe(2400);
  });

  it("prewarmedEnvironments ≥ the peak with an infinite keep-alive: no cold start, nothing created", () => {
    const f = run({ prewarmedEnvironments: 4 }).summary.functions.f;
    expect(f.coldStarts).toBe(0);
    expect(f.metrics.Invocations).toBe(2400);
    expect(f.environments.created).toBe(0);
    expect(f.environments.max).toBe(4);
  });

  it("prewarmed environments' keep-alive runs from t = 0", () => {
    // Three prewarmed environments, a 10-minute keep-alive, one request at 9 min 59 s (warm) or at
    // 10 min 1 s (all reclaimed at 10 min: cold).
    const at = (start: string) =>
      runScenario({
        duration: "11m",
        account: OPEN,
        platform: { keepAlive: "10m", maxLifetime: "infinite" },
        functions: [{ name: "f", init: "200ms", duration: "100ms", prewarmedEnvironments: 3 }],
        workload: [{ function: "f", arrivals: { constant: { interval: "1h", start } } }],
      }).summary.functions.f;
    expect(at("599s").coldStarts).toBe(0);
    expect(at("601s").coldStarts).toBe(1);
  });

  it("refuses more prewarmed environments than the function could run on demand", () => {
    const problems = (fn: Record<string, unknown>) => {
      try {
        run(fn);
      } catch (error) {
        if (error instanceof InputError) return error.problems.map((p) => `${p.path}: ${p.message}`);
        throw error;
      }
      return [];
    };
    expect(problems({ reservedConcurrency: 10, provisionedConcurrency: 4, prewarmedEnvironments: 7 })).toEqual([
      "functions[0].prewarmedEnvironments: must be at most 6, the on-demand concurrency the function has: reservedConcurrency 10 - provisionedConcurrency at 0 (4); got 7",
    ]);
    expect(problems({ prewarmedEnvironments: 1001 })[0]).toMatch(/^functions\[0\]\.prewarmedEnvironments: must be at most 1000, /);
    expect(problems({ prewarmedEnvironments: -1 })[0]).toMatch(/^functions\[0\]\.prewarmedEnvironments: /);
  });
});

describe("warm-up", () => {
  it("a warm-up past the start-up leaves its cold starts out and counts only later arrivals", () => {
    const cold = run({}).summary;
    const { result, summary } = run({}, { warmup: "1m" });
    const f = summary.functions.f;
    expect(summary.window).toEqual({ from: 60, to: 600 });
    // Arrivals at k × 0.25 s for k = 240 … 2399.
    expect(f.arrivals).toBe(2160);
    expect(f.metrics.Invocations).toBe(2160);
    expect(f.outcomes.succeeded).toBe(2160);
    expect(f.coldStarts).toBe(0);
    expect(f.environments.created).toBe(0);
    expect(f.initDurationMs.max).toBe(0);
    // Only warm latencies remain (the start-up's cold ones are 200 + 900 ms).
    expect(cold.functions.f.latencyMs.max).toBeCloseTo(1100, 9);
    expect(f.latencyMs.max).toBeCloseTo(900, 9);
    // The cost of the counted invocations: 2160 requests × 900 ms × 0.125 GB, no init.
    expect(f.cost.requests).toBe(2160);
    expect(f.cost.gbSeconds).toBeCloseTo(2160 * 0.9 * 0.125, 9);
    // Time averages over [60 s, 600.65 s] (the last request ends at 599.75 + 0.9 s): 3.6
    // invocations run on average from the warm-up on (900 ms every 250 ms), and the 5
    // environments of the start-up all live the whole window.
    expect(f.observedSeconds).toBeCloseTo(540.65, 9);
    const busySeconds = 2160 * 0.9 + (0.65 + 0.4 + 0.15); // + the tails of the requests of 59.25, 59.5, 59.75 s
    expect(f.metrics.ConcurrentExecutions.mean).toBeCloseTo(busySeconds / 540.65, 6);
    expect(f.environments.meanAlive).toBe(5);
    expect(f.metrics.ConcurrentExecutions.max).toBe(4);
    expect(summary.totals.arrivals).toBe(2160);
    // The per-minute series keeps the whole run, start-up included.
    const m = result.functions[0].metrics;
    expect(minuteColumn(m, "arrivals", 10)[0]).toBe(240);
    expect(minuteColumn(m, "ColdStarts", 10)[0]).toBe(5);
  });

  it("a request that arrived before the warm-up is not counted, even when it ends after it", () => {
    // One request at 59.5 s running 10 s, one at 61 s: only the second is in the window.
    const { summary } = runScenario({
      duration: "2m",
      warmup: "1m",
      account: OPEN,
      platform: FOREVER,
      functions: [{ name: "f", timeout: "20s", init: 0, duration: "10s" }],
      workload: [{ function: "f", arrivals: { constant: { interval: "1.5s", start: "59.5s" } } }],
    });
    const f = summary.functions.f;
    // Arrivals at 59.5 + 1.5k s below 120 s: k = 0 … 40; from 60 s on, k = 1 … 40.
    expect(f.arrivals).toBe(40);
    expect(f.outcomes.succeeded).toBe(40);
    expect(f.metrics.Invocations).toBe(40);
    // 7 run at once (10 s every 1.5 s). The environment of the 59.5 s request was created before
    // the window (its cold start is not counted) and is reused at 70 s; the 6 of 61 … 68.5 s are new.
    expect(f.coldStarts).toBe(6);
    expect(f.environments.created).toBe(6);
  });

  it("must be shorter than the duration", () => {
    expect(() => run({}, { warmup: "10m" })).toThrow(/warmup: must be shorter than duration \(600 s\), got 600 s/);
  });
});
