import { describe, expect, it } from "vitest";
import { resolveScenario } from "../../src/scenario/compile.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { withArrivalTimes } from "./fidelityHelpers.js";
import { simulate } from "../../src/simulate.js";

/** A function with a 1 s handler and a 0.5 s init; platform fields as given. */
function base(platform: Record<string, unknown>): ScenarioInput {
  return {
    duration: 5000,
    platform: { maxLifetime: "infinite", ...platform },
    functions: [{ name: "fn", runtime: "python3.12", init: { constant: 0.5 }, duration: { constant: 1 } }],
    workload: [{ function: "fn", arrivals: { poisson: { rate: 0.01 } } }],
  };
}

// Pairs (two concurrent requests) at 0, 1000 and 3700 s; single requests every 100 s in between,
// which the most recently used environment serves while the other one sits idle; then 700 s of
// silence and a last pair at 4400 s.
const TIMES = [0, 0, ...range(100, 900), 1000, 1000, ...range(1100, 3600), 3700, 3700, 4400, 4400];
function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += 100) out.push(t);
  return out;
}

function coldStarts(platform: Record<string, unknown>, times = TIMES): number {
  const result = simulate(withArrivalTimes(resolveScenario(base(platform)), times));
  return result.functions[0].metrics.coldStarts;
}

describe("platform.activeKeepAlive", () => {
  it("defaults to keepAlive, and equal values behave exactly as the plain per-environment timeout", () => {
    expect(resolveScenario(base({})).platform.activeKeepAlive).toBe(600);
    expect(resolveScenario(base({ keepAlive: "5m" })).platform.activeKeepAlive).toBe(300);
    const plain = simulate({ ...resolveScenario(base({})), seed: 7 });
    const same = simulate({ ...resolveScenario(base({ activeKeepAlive: 600 })), seed: 7 });
    expect(same.functions[0].metrics.coldStarts).toBe(plain.functions[0].metrics.coldStarts);
    expect(same.functions[0].metrics.environmentsCreated).toBe(plain.functions[0].metrics.environmentsCreated);
    expect(same.functions[0].metrics.invocations).toBe(plain.functions[0].metrics.invocations);
  });

  it("rejects a value shorter than keepAlive", () => {
    expect(() => resolveScenario(base({ activeKeepAlive: 300 }))).toThrow(/activeKeepAlive: must be at least keepAlive \(600 s\)/);
  });

  it("keeps a spare idle environment while its function is active, up to activeKeepAlive, and reclaims all once the function is quiet", () => {
    // Plain 600 s: the spare environment is gone by 1000 s and again by 3700 s; both are gone by 4400 s.
    expect(coldStarts({})).toBe(2 + 1 + 1 + 2);
    // 1500 s while active: the spare (idle 998.5 s) serves the pair at 1000 s; idle 2699 s by 3700 s
    // it has been reclaimed; after 700 s of silence (more than keepAlive) both are gone.
    expect(coldStarts({ activeKeepAlive: 1500 })).toBe(2 + 0 + 1 + 2);
    // Infinite while active: the spare survives to 3700 s too; the silence still reclaims both.
    expect(coldStarts({ activeKeepAlive: "infinite" })).toBe(2 + 0 + 0 + 2);
  });

  it("with activeSpares, keeps only that many of the idle environments past keepAlive", () => {
    // Three at once, singles every 100 s (one environment serves them), three at once at 1000 s.
    const times = [0, 0, 0, ...range(100, 900), 1000, 1000, 1000];
    expect(coldStarts({}, times)).toBe(3 + 2);
    expect(coldStarts({ activeKeepAlive: 1500 }, times)).toBe(3 + 0);
    expect(coldStarts({ activeKeepAlive: 1500, activeSpares: 1 }, times)).toBe(3 + 1);
    expect(coldStarts({ activeKeepAlive: 1500, activeSpares: 2 }, times)).toBe(3 + 0);
    // No spares at all is the plain timeout.
    expect(coldStarts({ activeKeepAlive: 1500, activeSpares: 0 }, times)).toBe(3 + 2);
  });
});

describe("platform.earlyRetirementRate", () => {
  it("is off by default and, when set, retires environments before their lifetime", () => {
    const runs = (rate: number | undefined) => {
      const scenario = resolveScenario({
        duration: 20000,
        platform: rate === undefined ? {} : { earlyRetirementRate: rate },
        functions: [{ name: "fn", runtime: "python3.12", init: { constant: 0.5 }, duration: { constant: 1 } }],
        workload: [{ function: "fn", arrivals: { poisson: { rate: 0.5 } } }],
      });
      return simulate({ ...scenario, seed: 3 }).functions[0].metrics;
    };
    const plain = runs(undefined);
    const zero = runs(0);
    expect(zero.coldStarts).toBe(plain.coldStarts);
    expect(zero.invocations).toBe(plain.invocations);
    // Mean life 1000 s: ~20 retirements per busy environment over the run instead of ~3 recycles.
    expect(runs(1e-3).coldStarts).toBeGreaterThan(plain.coldStarts + 20);
  });
});

describe("simulate's onEnvironmentEnd", () => {
  it("reports every on-demand environment once, with its creation, last invocation end and end", () => {
    const ends: [number, number, number][] = [];
    const result = simulate(withArrivalTimes(resolveScenario(base({})), TIMES), {
      onEnvironmentEnd: (_fn, c, last, end) => ends.push([c, last, end]),
    });
    expect(ends).toHaveLength(result.functions[0].metrics.environmentsCreated);
    for (const [created, last, end] of ends) {
      expect(created).toBeLessThanOrEqual(last);
      expect(last).toBeLessThanOrEqual(end);
    }
    // The pair at 4400 s after 700 s of silence: both environments of the 3700 s pair were
    // reclaimed 600 s after their last request (just after, by the "exactly keepAlive is warm" rule).
    const reclaimed = ends.filter(([, last]) => last > 3700 && last < 3710);
    expect(reclaimed).toHaveLength(2);
    for (const [, last, end] of reclaimed) expect(end - last).toBeCloseTo(600, 6);
  });
});
