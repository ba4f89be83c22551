import { describe, expect, it } from "vitest";
import {
  distributionMean,
  lognormalFromMeanSd,
  lognormalFromMedianP99,
  sampler,
  type Distribution,
} from "../../src/engine/distributions.js";
import { RngStreams } from "../../src/engine/rng.js";

function moments(d: Distribution, n: number, seed = "d"): { mean: number; sd: number; sorted: Float64Array } {
  const draw = sampler(d, new RngStreams(seed).stream("x"));
  const values = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] = draw();
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, sd: Math.sqrt(squares / (n - 1)), sorted: values.sort() };
}

const N = 400_000;

describe("distributions", () => {
  // With n draws the sample mean has standard error sd/sqrt(n); 5 standard errors would be
  // crossed by chance about once in 3.5 million runs, so a failure means a wrong sampler.
  const cases: [string, Distribution, number][] = [
    ["exponential", { kind: "exponential", mean: 0.25 }, 0.25],
    ["uniform", { kind: "uniform", min: 1, max: 3 }, 1 / Math.sqrt(3)],
    ["lognormal median/p99", lognormalFromMedianP99(0.08, 0.4), NaN],
    ["lognormal mean/sd", lognormalFromMeanSd(2, 0.5), 0.5],
    ["empirical", { kind: "empirical", values: [1, 2, 3, 10] }, Math.sqrt(((1 - 4) ** 2 + (2 - 4) ** 2 + (3 - 4) ** 2 + 36) / 4)],
  ];
  for (const [name, d, sd] of cases) {
    it(`${name}: sample mean within 5 standard errors of the analytic mean`, () => {
      const m = moments(d, N);
      const standardError = (Number.isNaN(sd) ? m.sd : sd) / Math.sqrt(N);
      expect(Math.abs(m.mean - distributionMean(d))).toBeLessThan(5 * standardError);
      if (!Number.isNaN(sd)) expect(m.sd).toBeCloseTo(sd, 2);
    });
  }

  it("lognormal {median, p99} puts the median and 99th percentile where asked (1 % tolerance)", () => {
    // Order-statistic SE at the 99th percentile with 4e5 draws is ~0.3 % of the value here.
    const { sorted } = moments(lognormalFromMedianP99(0.08, 0.4), N);
    expect(sorted[Math.floor(0.5 * N)] / 0.08).toBeCloseTo(1, 1);
    expect(Math.abs(sorted[Math.floor(0.99 * N)] / 0.4 - 1)).toBeLessThan(0.01);
  });

  it("constant is constant", () => {
    const draw = sampler({ kind: "constant", value: 0.1 }, () => 0.5);
    expect([draw(), draw()]).toEqual([0.1, 0.1]);
  });

  it("exponential never returns Infinity even when the generator returns 0", () => {
    expect(Math.abs(sampler({ kind: "exponential", mean: 1 }, () => 0)())).toBe(0);
  });
});

describe("RngStreams", () => {
  it("the same seed and name give the same sequence; other names and seeds differ", () => {
    const a = new RngStreams(42).stream("arrivals:api:0");
    const b = new RngStreams(42).stream("arrivals:api:0");
    const c = new RngStreams(42).stream("arrivals:web:0");
    const d = new RngStreams(43).stream("arrivals:api:0");
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(Array.from({ length: 5 }, d)).not.toEqual(seqA);
  });

  it("a stream's draws do not depend on which other streams exist or how much they drew", () => {
    const alone = new RngStreams(7).stream("duration:api");
    const shared = new RngStreams(7);
    const other = shared.stream("duration:other");
    for (let i = 0; i < 1000; i++) other();
    const mine = shared.stream("duration:api");
    expect(Array.from({ length: 10 }, mine)).toEqual(Array.from({ length: 10 }, alone));
  });

  it("refuses to hand out one stream twice", () => {
    const streams = new RngStreams(1);
    streams.stream("x");
    expect(() => streams.stream("x")).toThrow(/twice/);
  });
});
