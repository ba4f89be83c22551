/*
 * Lambda Managed Instances (docs/lambda-behaviour.md#lambda-managed-instances,
 * docs/pricing.md#lambda-managed-instances): the pricing page's worked example to the cent, the
 * scaling promises the developer guide makes (no cold starts; traffic that less than doubles in
 * 5 minutes is not throttled; faster growth is, until capacity arrives), and processor sharing
 * against the exact M/M/1-PS mean response time.
 */
import { describe, expect, it } from "vitest";
import { HOURS_PER_MONTH, monthlyBill } from "../../src/cost/monthly.js";
import { instancesFor } from "../../src/model/managedInstances.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

/*
 * AWS Lambda pricing page, Lambda Managed Instances example: m7g.xlarge, 2,000 instance-hours on a
 * 3-year Compute Savings Plan, $160.36 in all. m7g.xlarge is $0.1632 an hour on demand
 * (us-east-1); the management fee is 15 % of that, $0.02448 an hour, $48.96 for 2,000 hours; the
 * EC2 part is the rest, $111.40, $0.0557 an hour: the 3-year Compute Savings Plan rate, a
 * discount of 1 - 0.0557 / 0.1632 on the on-demand price.
 */
const ON_DEMAND = 0.1632;
const SAVINGS_PLAN_RATE = 0.0557;
const DISCOUNT = 1 - SAVINGS_PLAN_RATE / ON_DEMAND;
const PAGE_TOTAL = 160.36;

const toTheCent = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(0.005);

/** One function on m7g.xlarge, arm64, Node.js: environments of `vcpus` vCPUs at 2 GiB each. */
function managedFunction(extra: Record<string, unknown> = {}, managed: Record<string, unknown> = {}) {
  return {
    name: "api",
    runtime: "nodejs22.x",
    architecture: "arm64",
    memoryMb: 4096,
    timeout: "30s",
    init: "500ms",
    duration: { lognormal: { median: "45ms", p99: "350ms" } },
    cpuBoundFraction: 0.3,
    compute: "managed-instances",
    managedInstances: { instanceType: "m7g.xlarge", memoryGiBPerVcpu: 2, ...managed },
    ...extra,
  };
}

describe("Managed Instances pricing", () => {
  it("reproduces the pricing page's m7g.xlarge example: 2,000 instance-hours on a 3-year Compute Savings Plan = $160.36", () => {
    // Environments of 4 vCPUs (8 GB at 2 GiB per vCPU) fill an m7g.xlarge each; four of them,
    // spread over three zones (2 + 1 + 1), need four instances: 500 h x 4 = 2,000 instance-hours.
    expect(instancesFor(4, 1)).toBe(4);
    const result = simulate(
      resolveScenario({
        name: "pricing-example",
        seed: 1,
        duration: "500h",
        functions: [managedFunction({ memoryMb: 8192 }, { minEnvironments: 4, maxEnvironments: 4, savingsPlanDiscount: DISCOUNT })],
        workload: [{ function: "api", arrivals: { poisson: { rate: 0 } } }],
      }),
    );
    const summary = buildSummary(result);
    const f = summary.functions.api;
    expect(f.managedInstances?.instanceHours).toBeCloseTo(2000, 9);
    expect(f.managedInstances?.instancesMax).toBe(4);
    toTheCent(f.cost.managedInstancesEc2Usd as number, 111.4);
    toTheCent(f.cost.managedInstancesFeeUsd as number, 48.96);
    toTheCent(f.cost.totalUsd, PAGE_TOTAL);
    expect(f.cost.gbSeconds).toBe(0);
    // The monthly projection carries the same lines: 4 instances for 730 h.
    const monthly = summary.monthly;
    expect(monthly?.managedInstanceHours).toBeCloseTo(4 * HOURS_PER_MONTH, 6);
    toTheCent(monthly?.totalUsd as number, 4 * HOURS_PER_MONTH * (SAVINGS_PLAN_RATE + 0.15 * ON_DEMAND));
  });

  it("projects a window's instance-hours to the month: 2,000 instance-hours a month price at $160.36", () => {
    const spec = resolveScenario({
      name: "m",
      duration: "1h",
      functions: [managedFunction({}, { savingsPlanDiscount: DISCOUNT })],
      workload: [{ function: "api", arrivals: { poisson: { rate: 0 } } }],
    }).functions[0];
    // One hour's usage at the rate of 2,000 instance-hours in a 730-hour month.
    const bill = monthlyBill(
      [
        {
          spec,
          requests: 0,
          onDemandBilledMs: 0,
          provisionedBilledMs: 0,
          provisionedInitMs: 0,
          managedInstanceHours: 2000 / HOURS_PER_MONTH,
        },
      ],
      { from: 0, to: 3600 },
      false,
    );
    expect(bill?.totals.managedInstanceHours).toBeCloseTo(2000, 9);
    toTheCent(bill?.totals.managedInstancesEc2Usd as number, 111.4);
    toTheCent(bill?.totals.managedInstancesFeeUsd as number, 48.96);
    toTheCent(bill?.totals.totalUsd as number, PAGE_TOTAL);
  });
});

/** A Poisson load on the managed function whose rate follows `steps`; counts from `warmup` on. */
function run(steps: { at: number; rate: number }[], duration: number, warmup: number, seed = 1) {
  return buildSummary(
    simulate(
      resolveScenario({
        name: "dynamics",
        seed,
        duration,
        warmup,
        functions: [managedFunction()],
        workload: [{ function: "api", arrivals: { steps } }],
      }),
    ),
  ).functions.api;
}

describe("Managed Instances scaling", () => {
  it("a steady load: no cold starts and no throttles", () => {
    const f = run([{ at: 0, rate: 300 }], 3600, 600);
    expect(f.metrics.Invocations).toBeGreaterThan(900_000);
    expect(f.coldStarts).toBe(0);
    expect(f.metrics.Throttles).toBe(0);
    expect(f.latencyMs.p99).toBeLessThan(1000);
  });

  it("a ramp that less than doubles within 5 minutes: no throttles", () => {
    // 1.8x every 5 minutes for 20 minutes (10.5x in all), in 30-second steps, after a steady start.
    const steps = [{ at: 0, rate: 100 }];
    for (let k = 0; k <= 40; k++) steps.push({ at: 600 + 30 * k, rate: 100 * 1.8 ** ((30 * k) / 300) });
    const f = run(steps, 2400, 300);
    expect(f.managedInstances?.environmentsMax).toBeGreaterThan(20);
    expect(f.metrics.Throttles).toBe(0);
    expect(f.coldStarts).toBe(0);
  });

  it("a step to 4x: throttles until new instances arrive, none once they have", () => {
    const steps = [
      { at: 0, rate: 200 },
      { at: 1200, rate: 800 },
    ];
    const around = run(steps, 2400, 900);
    expect(around.metrics.Throttles).toBeGreaterThan(100);
    const reasons = around.managedInstances?.throttleReasons;
    expect((reasons?.cpu ?? 0) + (reasons?.concurrency ?? 0)).toBe(around.metrics.Throttles);
    // The same run (same seed, same draws), counted from 5 minutes after the step.
    const after = run(steps, 2400, 1500);
    expect(after.metrics.Throttles).toBe(0);
    expect(after.coldStarts).toBe(0);
  });
});

describe("Managed Instances processor sharing", () => {
  /*
   * One environment of one vCPU, all its handler time CPU-bound, exponential service of mean
   * S = 100 ms, Poisson arrivals at 5/s: ρ = 0.5, and an M/M/1 processor-sharing queue's mean
   * response time is S / (1 − ρ) = 200 ms. Processor sharing's mean does not depend on the service
   * distribution beyond its mean, so constant service gives 200 ms too, where first-come
   * first-served would give S + ρS / (2(1 − ρ)) = 150 ms. Replications with independent seeds
   * give independent estimates of the mean; the test allows 4 standard errors of their average
   * (Student's t with 7 degrees of freedom: a false failure for about one set of seeds in 200);
   * the 1,000 s warm-up (10,000 service times) leaves the empty start's bias far below that.
   */
  it.each([
    ["exponential (M/M/1-PS)", { exponential: { mean: 0.1 } }],
    ["constant (M/D/1-PS)", { constant: 0.1 }],
  ])("service %s: the exact processor-sharing mean response time S / (1 − ρ)", (_, duration) => {
    const S = 0.1;
    const lambda = 5;
    const expected = (S / (1 - lambda * S)) * 1000;
    const means: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const f = buildSummary(
        simulate(
          resolveScenario({
            name: "mm1ps",
            seed,
            duration: 21_000,
            warmup: 1000,
            functions: [
              managedFunction(
                { memoryMb: 2048, durationAtMemoryMb: 2048, cpuBoundFraction: 1, duration },
                { minEnvironments: 1, maxEnvironments: 1, maxConcurrencyPerEnvironment: 1600, maxCpuQueuePerVcpu: 1e6 },
              ),
            ],
            workload: [{ function: "api", arrivals: { poisson: { rate: lambda } } }],
          }),
        ),
      ).functions.api;
      expect(f.metrics.Throttles).toBe(0);
      means.push(f.latencyMs.mean);
    }
    const average = means.reduce((a, b) => a + b, 0) / means.length;
    const sd = Math.sqrt(means.reduce((a, b) => a + (b - average) ** 2, 0) / (means.length - 1));
    const standardError = sd / Math.sqrt(means.length);
    expect(standardError).toBeLessThan(0.02 * expected);
    expect(Math.abs(average - expected)).toBeLessThan(4 * standardError);
    // First-come first-served would be at least 10 standard errors away for constant service.
    expect(Math.abs(average - 150)).toBeGreaterThan(10 * standardError);
  });
});
