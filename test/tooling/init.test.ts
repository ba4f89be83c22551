import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { Distribution } from "../../src/engine/distributions.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { scenarioSchema } from "../../src/scenario/schema.js";
import { simulate } from "../../src/simulate.js";
import { starterScenario } from "../../src/tooling/init.js";

/*
 * `lambdasim init` writes a scenario a new user runs before editing it: it must validate, run,
 * and say nothing in its comments that the schema or the numbers contradict.
 */

const starter = () => parse(starterScenario()) as Record<string, unknown>;

function lognormalMean(distribution: Distribution | undefined): number {
  if (distribution?.kind !== "lognormal") throw new Error(`expected a lognormal, got ${distribution?.kind}`);
  return Math.exp(distribution.mu + distribution.sigma ** 2 / 2);
}

describe("starterScenario", () => {
  it("is commented YAML that validates as it is", () => {
    const text = starterScenario();
    expect(text.split("\n").filter((line) => line.trimStart().startsWith("#")).length).toBeGreaterThanOrEqual(15);
    const scenario = resolveScenario(starter(), { defaultName: "starter" });
    expect(scenario.name).toBe("starter");
    expect(scenario.duration).toBe(3600);
    expect(scenario.functions.map((f) => f.name)).toEqual(["orders-api", "send-receipt", "fulfil-order"]);
    const kinds = scenario.createSources(() => () => 0.5).map((source) => source.kind);
    expect(kinds).toEqual(["sync", "async", "sqs"]);
  });

  it("spells out the account and platform defaults exactly", () => {
    const written = scenarioSchema.parse(starter());
    const defaults = scenarioSchema.parse({ workload: (starter() as { workload: unknown }).workload });
    expect(written.account).toEqual(defaults.account);
    expect(written.platform).toEqual(defaults.platform);
    // Every default it names is written out, not just left implicit.
    const account = starter().account as Record<string, unknown>;
    const platform = starter().platform as Record<string, unknown>;
    expect(Object.keys(account)).toEqual(["concurrencyLimit", "unreservedMinimum", "scaling"]);
    expect(Object.keys(platform)).toEqual(["keepAlive", "maxLifetime", "reuse", "initBilling", "freeTier"]);
  });

  it("has the handler-time means its comments state", () => {
    const [api, receipt] = resolveScenario(starter()).functions;
    // "mean ~84 ms" and "mean ~314 ms": lognormals through the stated median and p99.
    expect(lognormalMean(api.duration)).toBeCloseTo(0.084, 3);
    expect(lognormalMean(receipt.duration)).toBeCloseTo(0.314, 3);
  });

  it("runs quickly, serving every kind of traffic", () => {
    const input = { ...starter(), duration: "2m" };
    const result = simulate(resolveScenario(input));
    // Poisson arrivals: 20/s for 120 s is 2,400 per function, standard deviation ~49; 5 sd bounds.
    for (const fn of result.functions) {
      expect(Math.abs(fn.metrics.arrivals - 2400), fn.spec.name).toBeLessThan(5 * Math.sqrt(2400));
      expect(fn.metrics.throttles, fn.spec.name).toBe(0);
      expect(fn.inFlight, fn.spec.name).toBe(0);
    }
    const [api, receipt, worker] = result.functions;
    // Each request or event is one invocation (no failures to retry beyond errorRate 0.1 %).
    expect(api.metrics.invocations).toBe(api.metrics.arrivals);
    expect(receipt.metrics.succeeded).toBe(receipt.metrics.arrivals);
    // Messages arrive in batches: fewer invocations than messages, every message deleted.
    expect(worker.sources.sqs?.deleted).toBe(worker.metrics.arrivals);
    expect(worker.metrics.invocations).toBeLessThan(worker.metrics.arrivals);
    // Little's law for the API: mean concurrency ~ 20/s x 0.084 s (+ cold starts), far from the 1,000 limit.
    expect(api.metrics.busyArea / api.observedSeconds).toBeGreaterThan(1.4);
    expect(api.metrics.busyArea / api.observedSeconds).toBeLessThan(2.4);
  });
});
