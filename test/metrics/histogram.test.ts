import { describe, it, expect } from "vitest";
import { quantile, quantileSorted } from "d3-array";
import seedrandom from "seedrandom";
import { LatencyHistogram, summarize } from "../../src/metrics/histogram.js";

type Rng = () => number;

const generators: Record<string, (rng: Rng) => number> = {
  // Box-Muller; median 50 ms with a heavy right tail, like real invocation latency.
  lognormal: (rng) => 50 * Math.exp(Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())),
  exponential: (rng) => -100 * Math.log(1 - rng()),
  uniform: (rng) => 1000 * rng(),
};

function sample(kind: string, n: number, seed: string): Float64Array {
  const rng = seedrandom.alea(seed);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = generators[kind](rng);
  return values;
}

function recordAll(values: ArrayLike<number>, h = new LatencyHistogram()): LatencyHistogram {
  for (let i = 0; i < values.length; i++) h.record(values[i]);
  return h;
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

const PROBABILITIES = [0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];

describe("LatencyHistogram in exact mode", () => {
  it("matches d3.quantile on the same data", () => {
    const values = sample("lognormal", 2048, "exact");
    const h = recordAll(values);
    expect(h.isExact).toBe(true);
    for (const p of PROBABILITIES) expect(h.quantile(p)).toBe(quantile(values, p));
  });

  it("stays exact up to capacity and switches on the next sample", () => {
    const h = recordAll(sample("uniform", 100, "switch"), new LatencyHistogram(100));
    expect(h.isExact).toBe(true);
    h.record(1);
    expect(h.isExact).toBe(false);
    expect(h.count).toBe(101);
  });

  it("handles a single sample and an empty histogram", () => {
    const h = new LatencyHistogram();
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.mean).toBeNaN();
    h.record(42);
    expect(h.quantile(0)).toBe(42);
    expect(h.quantile(0.99)).toBe(42);
    expect(h.min).toBe(42);
    expect(h.max).toBe(42);
  });
});

describe("LatencyHistogram in histogram mode", () => {
  const N = 1_000_000;

  for (const kind of Object.keys(generators)) {
    it(`is within 0.5 % of the exact quantiles of 1e6 ${kind} samples`, () => {
      const values = sample(kind, N, `hist-${kind}`);
      const h = recordAll(values);
      expect(h.isExact).toBe(false);

      const sorted = Array.from(values).sort((a, b) => a - b);
      for (const p of [0.5, 0.9, 0.99, 0.999]) {
        const exact = quantileSorted(sorted, p)!;
        expect(relativeError(h.quantile(p), exact), `p=${p}`).toBeLessThanOrEqual(0.005);
      }

      let sum = 0;
      for (const v of values) sum += v;
      expect(h.count).toBe(N);
      expect(h.sum).toBe(sum);
      expect(h.mean).toBe(sum / N);
      expect(h.min).toBe(sorted[0]);
      expect(h.max).toBe(sorted[N - 1]);
      expect(h.quantile(0)).toBe(sorted[0]);
      expect(h.quantile(1)).toBe(sorted[N - 1]);
    });
  }

  it("uses a fixed amount of memory regardless of sample count", () => {
    const values = sample("lognormal", N, "memory");
    const small = recordAll(values.subarray(0, 10_000));
    const large = recordAll(values);
    expect(small.isExact).toBe(false);
    expect(large.footprintBytes).toBe(small.footprintBytes);
    expect(large.footprintBytes).toBeLessThanOrEqual(64 * 1024);
    // Before the switch only the sample buffer is held.
    expect(new LatencyHistogram().footprintBytes).toBe(2048 * 8);
  });

  it("clamps out-of-range values into the end buckets but keeps min/max exact", () => {
    const h = new LatencyHistogram(0);
    for (let i = 0; i < 1000; i++) h.record(1e-12);
    for (let i = 0; i < 1000; i++) h.record(1e12);
    expect(h.min).toBe(1e-12);
    expect(h.max).toBe(1e12);
    // Clamped samples are represented by the end buckets, which span [2^-20, 2^30).
    expect(h.quantile(0.25)).toBeGreaterThanOrEqual(2 ** -20);
    expect(h.quantile(0.25)).toBeLessThan(2 ** -19);
    expect(h.quantile(0.75)).toBeGreaterThanOrEqual(2 ** 29);
    expect(h.quantile(0.75)).toBeLessThan(2 ** 30);
    expect(h.quantile(0)).toBe(1e-12);
    expect(h.quantile(1)).toBe(1e12);
  });

  it("interpolates across a gap between clusters like R-7", () => {
    const values = [...Array(5000).fill(10), ...Array(5000).fill(1000)];
    const h = recordAll(values, new LatencyHistogram(16));
    expect(relativeError(h.quantile(0.5), quantile(values, 0.5)!)).toBeLessThanOrEqual(0.005);
  });
});

describe("zero values", () => {
  it("are exact in both modes and interpolate into the first non-zero sample", () => {
    const values = sample("exponential", 10_000, "zeros");
    values.fill(0, 0, 3000);
    const sorted = Array.from(values).sort((a, b) => a - b);

    for (const capacity of [16_384, 64]) {
      const h = recordAll(values, new LatencyHistogram(capacity));
      expect(h.isExact).toBe(capacity > values.length);
      expect(h.min).toBe(0);
      expect(h.quantile(0.1)).toBe(0);
      expect(h.quantile(0.25)).toBe(0);
      // Rank 2999.7 lies between the last zero and the first positive sample.
      const exact = quantileSorted(sorted, 0.3)!;
      expect(exact).toBeGreaterThan(0);
      expect(relativeError(h.quantile(0.3), exact)).toBeLessThanOrEqual(0.005);
    }
  });

  it("an all-zero histogram reports zero everywhere", () => {
    const h = recordAll(new Float64Array(5000), new LatencyHistogram(8));
    expect(h.isExact).toBe(false);
    for (const p of PROBABILITIES) expect(h.quantile(p)).toBe(0);
    expect(summarize(h)).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
  });
});

describe("merge", () => {
  const values = sample("lognormal", 200_000, "merge");

  function expectSameDistribution(merged: LatencyHistogram, reference: LatencyHistogram): void {
    expect(merged.count).toBe(reference.count);
    expect(merged.min).toBe(reference.min);
    expect(merged.max).toBe(reference.max);
    // Summation order differs, so only the last few bits may disagree.
    expect(relativeError(merged.sum, reference.sum)).toBeLessThan(1e-12);
    for (const p of PROBABILITIES) expect(merged.quantile(p), `p=${p}`).toBe(reference.quantile(p));
  }

  it("of two exact histograms that fit stays exact", () => {
    const a = recordAll(values.subarray(0, 1000));
    const b = recordAll(values.subarray(1000, 2000));
    a.merge(b);
    expect(a.isExact).toBe(true);
    expectSameDistribution(a, recordAll(values.subarray(0, 2000)));
  });

  // Split points chosen so each side is in the named mode (capacity 2048).
  const cases: Array<[string, number, number]> = [
    ["exact + exact overflowing", 1500, 3000],
    ["exact + histogram", 1000, values.length],
    ["histogram + exact", values.length - 1000, values.length],
    ["histogram + histogram", 80_000, values.length],
  ];
  for (const [name, split, end] of cases) {
    it(`${name} equals recording everything into one`, () => {
      const a = recordAll(values.subarray(0, split));
      const b = recordAll(values.subarray(split, end));
      a.merge(b);
      expect(a.isExact).toBe(false);
      expectSameDistribution(a, recordAll(values.subarray(0, end)));
    });
  }

  it("with itself doubles every sample", () => {
    for (const n of [1000, 100_000]) {
      const h = recordAll(values.subarray(0, n));
      h.merge(h);
      const doubled = recordAll(values.subarray(0, n));
      recordAll(values.subarray(0, n), doubled);
      expectSameDistribution(h, doubled);
    }
  });

  it("with an empty histogram changes nothing", () => {
    const h = recordAll(values.subarray(0, 5000));
    const before = summarize(h);
    h.merge(new LatencyHistogram());
    h.merge(new LatencyHistogram(0));
    expect(summarize(h)).toEqual(before);
  });
});

describe("validation and determinism", () => {
  it("rejects values that are not finite and non-negative", () => {
    const h = new LatencyHistogram();
    for (const bad of [-1, NaN, Infinity, -Infinity]) expect(() => h.record(bad)).toThrow(RangeError);
    expect(h.count).toBe(0);
    expect(() => h.quantile(1.5)).toThrow(RangeError);
    expect(() => new LatencyHistogram(-1)).toThrow(RangeError);
  });

  it("produces identical results for identical sequences", () => {
    const values = sample("exponential", 50_000, "determinism");
    expect(summarize(recordAll(values))).toEqual(summarize(recordAll(values)));
  });
});

describe("summarize", () => {
  it("returns zeros for an empty histogram", () => {
    expect(summarize(new LatencyHistogram())).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
  });

  it("reports the histogram's own statistics", () => {
    const h = recordAll(sample("uniform", 1000, "summary"));
    expect(summarize(h)).toEqual({
      mean: h.mean,
      p50: h.quantile(0.5),
      p90: h.quantile(0.9),
      p99: h.quantile(0.99),
      p999: h.quantile(0.999),
      max: h.max,
    });
  });
});
