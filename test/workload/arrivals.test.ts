import { describe, expect, it } from "vitest";
import { RngStreams } from "../../src/engine/rng.js";
import { constantArrivals, diurnalArrivals, poissonArrivals, stepArrivals, type ArrivalClock } from "../../src/workload/arrivals.js";

function collect(clock: ArrivalClock): number[] {
  const times: number[] = [];
  for (let t = clock(); t < Infinity; t = clock()) times.push(t);
  return times;
}

const stream = (name: string) => new RngStreams(3).stream(name);

/** Poisson counts have variance = mean: 5 standard deviations is a safe band for a correct process. */
function expectPoissonCount(count: number, expected: number): void {
  expect(Math.abs(count - expected)).toBeLessThan(5 * Math.sqrt(expected));
}

describe("arrival processes", () => {
  it("poisson: count ~ rate x duration, increasing, all before the end", () => {
    const times = collect(poissonArrivals(50, 2000, stream("p")));
    expectPoissonCount(times.length, 100_000);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(times.at(-1)!).toBeLessThan(2000);
  });

  it("poisson: exponential gaps (coefficient of variation 1 within 1 %)", () => {
    const times = collect(poissonArrivals(10, 20_000, stream("gaps")));
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const mean = gaps.reduce((a, b) => a + b) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    expect(Math.abs(sd / mean - 1)).toBeLessThan(0.01);
  });

  it("constant: exact multiples of the interval from start, without drift", () => {
    const times = collect(constantArrivals(0.1, 5, 1005));
    expect(times.length).toBe(10_000);
    expect(times[0]).toBe(5);
    expect(times[9999]).toBe(5 + 9999 * 0.1);
  });

  it("steps: each segment gets rate x length arrivals, none before the first step", () => {
    const steps = [
      { at: 100, rate: 10 },
      { at: 1100, rate: 0 },
      { at: 2100, rate: 200 },
    ];
    const times = collect(stepArrivals(steps, 2600, stream("s")));
    const inRange = (a: number, b: number) => times.filter((t) => t >= a && t < b).length;
    expect(inRange(0, 100)).toBe(0);
    expectPoissonCount(inRange(100, 1100), 10_000);
    expect(inRange(1100, 2100)).toBe(0);
    expectPoissonCount(inRange(2100, 2600), 100_000);
  });

  it("diurnal: the count in each quarter period matches the integral of the rate", () => {
    const period = 4000;
    const mean = 20;
    const peak = 35;
    const times = collect(diurnalArrivals(mean, peak, period, period / 2, period, stream("d")));
    const amplitude = peak - mean;
    const integral = (a: number, b: number) =>
      mean * (b - a) +
      (amplitude * period * (Math.sin((2 * Math.PI * (b - period / 2)) / period) - Math.sin((2 * Math.PI * (a - period / 2)) / period))) /
        (2 * Math.PI);
    for (let q = 0; q < 4; q++) {
      const a = (q * period) / 4;
      const b = ((q + 1) * period) / 4;
      expectPoissonCount(times.filter((t) => t >= a && t < b).length, integral(a, b));
    }
  });

  it("a zero rate produces nothing", () => {
    expect(collect(poissonArrivals(0, 100, stream("zero")))).toEqual([]);
  });
});
