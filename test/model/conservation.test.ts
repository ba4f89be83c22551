/*
 * Invariants that must hold in every run (docs/queueing-results.md#invariants), over randomised scenarios with
 * tight limits, errors, crashes, timeouts, suppressed inits, client retries, lifetime recycling
 * and provisioned-concurrency schedules. simulate() itself checks conservation and the limits at
 * the end of each run and throws an InvariantError on a violation; on top of that we check, from
 * the summary:
 *   arrivals = succeeded + failed + throttled + inFlight          (each function, and in total)
 *   Invocations = succeeded + failed + (requests still running)   (running ≤ inFlight)
 *   Errors = failed ≥ timeouts + crashes; throttled ≤ Throttles; cold starts ≤ Invocations
 *   PC invocations + spill-over ≤ Invocations
 *   every concurrency figure within its limit (reserved, unreserved pool, account)
 *   inFlight = 0 when the run is allowed to finish; with options.stopAt cutting it short,
 *   inFlight ≥ 0 and the sums are still exact.
 * The scenario generator is a seeded alea stream: the set of scenarios is fixed, and a failure
 * names the case index to reproduce it.
 */
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import type { Summary } from "../../src/report/summary.js";
import { runScenario } from "./fidelityHelpers.js";

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const int = (rng: Rng, lo: number, hi: number) => Math.floor(between(rng, lo, hi + 1));
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function randomDistribution(rng: Rng, scale: number): unknown {
  switch (int(rng, 0, 4)) {
    case 0:
      return { constant: round3(between(rng, 0.05, 1.5) * scale) };
    case 1:
      return { exponential: { mean: round3(between(rng, 0.05, 1) * scale) } };
    case 2: {
      const median = round3(between(rng, 0.05, 0.8) * scale);
      return { lognormal: { median, p99: round3(median * between(rng, 2, 15)) } };
    }
    case 3: {
      const min = round3(between(rng, 0, 0.5) * scale);
      return { uniform: { min, max: round3(min + between(rng, 0.01, 2) * scale) } };
    }
    default:
      return { empirical: Array.from({ length: int(rng, 1, 5) }, () => round3(between(rng, 0, 2) * scale)) };
  }
}

function randomArrivals(rng: Rng, span: number): unknown {
  const rate = round3(between(rng, 0.5, 40));
  switch (int(rng, 0, 3)) {
    case 0:
      return { poisson: { rate } };
    case 1:
      return { constant: { interval: round3(between(rng, 0.02, 2)), start: round3(between(rng, 0, 10)) } };
    case 2: {
      const steps = [{ at: 0, rate }];
      for (let k = 1, at = 0; k < 4; k++) {
        at += round3(between(rng, 5, span / 3));
        steps.push({ at, rate: pick(rng, [0, round3(between(rng, 0.5, 80))]) });
      }
      return { steps };
    }
    default:
      return { diurnal: { mean: rate, peak: round3(rate * between(rng, 1, 2)), period: round3(between(rng, 30, span)) } };
  }
}

function randomScenario(rng: Rng, index: number) {
  const span = int(rng, 60, 600);
  const concurrencyLimit = int(rng, 2, 60);
  const unreservedMinimum = int(rng, 0, Math.min(5, concurrencyLimit - 1));
  const functionCount = int(rng, 1, 3);
  // Reservations first: the unreserved pool (and so the room for unreserved PC) depends on all of them.
  let reservable = concurrencyLimit - unreservedMinimum;
  const reservations: (number | undefined)[] = [];
  for (let i = 0; i < functionCount; i++) {
    const reserved = rng() < 0.4 && reservable > 0 ? int(rng, 0, Math.min(reservable, 20)) : undefined;
    reservable -= reserved ?? 0;
    reservations.push(reserved);
  }
  let unreservedProvisionable = reservable;
  const functions = [];
  const workload = [];
  for (let i = 0; i < functionCount; i++) {
    const name = `f${i}`;
    const fn: Record<string, unknown> = {
      name,
      memoryMb: pick(rng, [128, 512, 1769, 3008]),
      timeout: int(rng, 1, 4),
      duration: randomDistribution(rng, 1),
      errorRate: pick(rng, [0, 0, round3(between(rng, 0, 0.3))]),
      crashRate: pick(rng, [0, 0, round3(between(rng, 0, 0.1))]),
      cpuBoundFraction: pick(rng, [0, round3(rng())]),
      durationAtMemoryMb: pick(rng, [128, 1024, 1769]),
      runtime: pick(rng, ["nodejs22.x", "python3.12", "java21", "provided.al2023"]),
      package: pick(rng, ["zip", "image"]),
    };
    if (rng() < 0.7) fn.init = randomDistribution(rng, pick(rng, [0.3, 1, 3]));
    const reserved = reservations[i];
    if (reserved !== undefined) fn.reservedConcurrency = reserved;
    const provisionCap = reserved ?? unreservedProvisionable;
    if (rng() < 0.4 && provisionCap > 0) {
      const value = () => int(rng, 0, Math.min(provisionCap, 8));
      const schedule =
        rng() < 0.5
          ? value()
          : [
              { at: 0, value: value() },
              { at: round3(between(rng, 1, span / 2)), value: value() },
              { at: round3(between(rng, span / 2 + 1, span)), value: value() },
            ];
      fn.provisionedConcurrency = schedule;
      const peak = typeof schedule === "number" ? schedule : Math.max(...schedule.map((s) => s.value));
      if (reserved === undefined) unreservedProvisionable -= peak;
    }
    functions.push(fn);
    const retry = rng() < 0.5;
    workload.push({
      function: name,
      arrivals: randomArrivals(rng, span),
      client: retry
        ? { retry: "sdk-standard", maxAttempts: int(rng, 2, 5), retryQuota: pick(rng, [10, 500, "infinite"]) }
        : { retry: "none" },
    });
  }
  return {
    name: `conservation-${index}`,
    seed: index,
    duration: span,
    account: {
      concurrencyLimit,
      unreservedMinimum,
      scaling: pick(rng, ["per-function", "legacy", "unlimited"]),
      scalingBucketSize: int(rng, 1, 20),
      scalingRefillPerSecond: round3(between(rng, 0.2, 10)),
      legacyBurst: int(rng, 1, 30),
      legacyRefillPerMinute: round3(between(rng, 5, 300)),
      requestRateLimit: pick(rng, ["infinite", round3(between(rng, 5, 100))]),
    },
    platform: {
      keepAlive: pick(rng, ["infinite", round3(between(rng, 0.5, 120))]),
      maxLifetime: pick(rng, ["infinite", round3(between(rng, 5, 300))]),
      lifetimeJitter: round3(rng() * 0.5),
      reuse: pick(rng, ["mru", "lru"]),
      initBilling: pick(rng, ["current", "pre-2025-08"]),
      initTimeout: round3(between(rng, 0.2, 10)),
      provisionedAllocationDelay: round3(between(rng, 0, 30)),
      provisionedRampPerSecond: round3(between(rng, 0.5, 50)),
    },
    functions,
    workload,
  };
}

function checkSummary(summary: Summary, finished: boolean, limits: { account: number; reserved: (number | null)[] }) {
  let arrivals = 0;
  for (const [i, f] of Object.values(summary.functions).entries()) {
    const o = f.outcomes;
    expect(o.succeeded + o.failed + o.throttled + o.inFlight).toBe(f.arrivals);
    const running = f.metrics.Invocations - o.succeeded - o.failed;
    expect(running).toBeGreaterThanOrEqual(0);
    expect(running).toBeLessThanOrEqual(o.inFlight);
    expect(f.metrics.Errors).toBe(o.failed);
    expect(f.timeouts + f.crashes).toBeLessThanOrEqual(f.metrics.Errors);
    expect(o.throttled).toBeLessThanOrEqual(f.metrics.Throttles);
    expect(f.coldStarts).toBeLessThanOrEqual(f.metrics.Invocations);
    expect(f.metrics.ProvisionedConcurrencyInvocations + f.metrics.ProvisionedConcurrencySpilloverInvocations).toBeLessThanOrEqual(
      f.metrics.Invocations,
    );
    expect(f.metrics.ConcurrentExecutions.max).toBeLessThanOrEqual(f.maxClaimedConcurrency);
    expect(f.metrics.ConcurrentExecutions.max).toBeLessThanOrEqual(f.environments.max);
    expect(f.metrics.ConcurrentExecutions.mean).toBeLessThanOrEqual(f.environments.meanAlive + 1e-6);
    expect(f.environments.meanIdle).toBeGreaterThanOrEqual(-1e-6);
    const reserved = limits.reserved[i];
    if (reserved !== null) expect(f.maxClaimedConcurrency).toBeLessThanOrEqual(reserved);
    expect(f.maxClaimedConcurrency).toBeLessThanOrEqual(limits.account);
    expect(Number.isFinite(f.cost.totalUsd) && f.cost.totalUsd >= 0).toBe(true);
    if (finished) expect(o.inFlight).toBe(0);
    arrivals += f.arrivals;
  }
  const t = summary.totals;
  expect(t.outcomes.succeeded + t.outcomes.failed + t.outcomes.throttled + t.outcomes.inFlight).toBe(t.arrivals);
  expect(t.arrivals).toBe(arrivals);
  expect(summary.account.maxClaimedConcurrency).toBeLessThanOrEqual(summary.account.concurrencyLimit);
  expect(summary.account.maxUnreservedConcurrency).toBeLessThanOrEqual(summary.account.unreservedCapacity);
}

const CASES = 40;

describe("conservation and limits over randomised scenarios", () => {
  const rng = seedrandom.alea("lambdasim conservation");
  const scenarios = Array.from({ length: CASES }, (_, i) => randomScenario(rng, i));

  it.each(scenarios.map((s, i) => [i, s] as const))("case %i runs to completion with every arrival accounted for", (_, input) => {
    const { summary } = runScenario(input);
    const reserved = input.functions.map((f) => (f.reservedConcurrency as number | undefined) ?? null);
    checkSummary(summary, true, { account: input.account.concurrencyLimit, reserved });
    expect(summary.totals.arrivals).toBeGreaterThan(0);
  });

  it.each(scenarios.map((s, i) => [i, s] as const))("case %i cut short by stopAt still accounts for every arrival", (_, input) => {
    const stopAt = input.duration * 0.6;
    const { summary, result } = runScenario(input, { stopAt });
    expect(result.simulatedSeconds).toBeLessThanOrEqual(stopAt);
    const reserved = input.functions.map((f) => (f.reservedConcurrency as number | undefined) ?? null);
    checkSummary(summary, false, { account: input.account.concurrencyLimit, reserved });
  });

  it("the generator produces the situations the invariants are about", () => {
    const totals = { throttled: 0, timeouts: 0, crashes: 0, retries: 0, pc: 0, inFlightAtStop: 0 };
    for (const input of scenarios.slice(0, 20)) {
      const s = runScenario(input).summary;
      for (const f of Object.values(s.functions)) {
        totals.throttled += f.outcomes.throttled;
        totals.timeouts += f.timeouts;
        totals.crashes += f.crashes;
        totals.retries += f.clientRetries;
        totals.pc += f.metrics.ProvisionedConcurrencyInvocations;
      }
      totals.inFlightAtStop += runScenario(input, { stopAt: input.duration * 0.6 }).summary.totals.outcomes.inFlight;
    }
    for (const value of Object.values(totals)) expect(value).toBeGreaterThan(0);
  });
});
