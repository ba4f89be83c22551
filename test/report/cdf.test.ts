import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "../../src/metrics/histogram.js";
import { cdfPoints } from "../../src/report/cdf.js";

function histogramOf(values: number[], exactCapacity?: number): LatencyHistogram {
  const h = new LatencyHistogram(exactCapacity);
  for (const v of values) h.record(v);
  return h;
}

describe("cdfPoints", () => {
  it("is empty for an empty histogram", () => {
    expect(cdfPoints(new LatencyHistogram())).toEqual([]);
  });

  it("gives the exact empirical CDF of exact samples, starting from 0 at the minimum", () => {
    expect(cdfPoints(histogramOf([3, 1, 2, 2]))).toEqual([
      { value: 1, p: 0 },
      { value: 1, p: 0.25 },
      { value: 2, p: 0.75 },
      { value: 3, p: 1 },
    ]);
  });

  it("keeps zeros, which have no logarithm, in a bin of their own", () => {
    expect(cdfPoints(histogramOf([0, 0, 5]))).toEqual([
      { value: 0, p: 0 },
      { value: 0, p: 2 / 3 },
      { value: 5, p: 1 },
    ]);
  });

  it("thins to at most maxPoints + 2 points, each still exactly on the CDF", () => {
    const n = 2000;
    const points = cdfPoints(histogramOf(Array.from({ length: n }, (_, i) => i + 1)), 50);
    expect(points.length).toBeLessThanOrEqual(52);
    expect(points.at(-1)).toEqual({ value: n, p: 1 });
    expect(points[0]).toEqual({ value: 1, p: 0 });
    for (let i = 1; i < points.length; i++) {
      if (i > 1) expect(points[i].value).toBeGreaterThan(points[i - 1].value);
      expect(points[i].p).toBeGreaterThan(points[i - 1].p);
      // Values 1..n: exactly value/n of them are at or below each value.
      expect(points[i].p).toBe(points[i].value / n);
    }
  });

  it("follows the true CDF within the histogram's bucket width once samples are folded", () => {
    const n = 100_000;
    const h = histogramOf(Array.from({ length: n }, (_, i) => i + 1));
    expect(h.isExact).toBe(false);
    const points = cdfPoints(h);
    expect(points.length).toBeLessThanOrEqual(402);
    expect(points.at(-1)).toEqual({ value: n, p: 1 });
    // A bucket midpoint is within 2^-8 (0.39 %) of every value in its bucket, and p counts the
    // whole bucket, so p is within that much (plus one sample) of the true share value/n.
    for (const point of points.slice(1)) {
      expect(Math.abs(point.p - point.value / n)).toBeLessThanOrEqual((point.value * 2 ** -8 + 1) / n);
    }
  });

  it("sees every sample through forEachValue, in ascending order, in both modes", () => {
    for (const capacity of [2048, 16]) {
      const values = [5, 1, 1, 300, 42, 42, 42, 0.5, 7e4];
      const h = histogramOf(values, capacity);
      let total = 0;
      let last = -Infinity;
      h.forEachValue((value, count) => {
        expect(value).toBeGreaterThan(last);
        last = value;
        total += count;
      });
      expect(total).toBe(values.length);
      expect(last).toBe(7e4);
    }
  });
});
