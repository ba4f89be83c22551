import { describe, expect, it } from "vitest";
import { frontierStatus, paretoFrontier } from "../../src/sweep/frontier.js";

/** A figure known within ± half. */
const est = (mean: number, half = 0) => ({ mean, low: mean - half, high: mean + half });

describe("frontierStatus: the frontier with 95 % intervals", () => {
  it("is the Pareto frontier when every interval is a point (one run per variant)", () => {
    const points = [
      { x: 1, y: 100 },
      { x: 2, y: 50 },
      { x: 2, y: 60 },
      { x: 3, y: 50 },
      { x: 1, y: 100 },
    ];
    const status = frontierStatus(points.map((p) => ({ cost: est(p.x), p99: est(p.y) })));
    expect(status).toEqual(["frontier", "frontier", "dominated", "dominated", "frontier"]);
    expect(status.map((s) => s === "frontier")).toEqual(paretoFrontier(points));
  });

  it("calls a variant beaten only by differences inside the intervals indistinguishable, not dominated", () => {
    // B is dearer and slower on the means, but both gaps lie within the overlapping intervals.
    const status = frontierStatus([
      { cost: est(1.0, 0.1), p99: est(100, 10) },
      { cost: est(1.05, 0.1), p99: est(105, 10) },
    ]);
    expect(status).toEqual(["frontier", "indistinguishable"]);
  });

  it("does not put a variant on the frontier at twice the cost for a p99 gain well inside its interval", () => {
    // B is faster on the mean by 5 ms of a ± 20 ms interval, and clearly (intervals apart) twice as dear.
    const status = frontierStatus([
      { cost: est(1, 0.05), p99: est(100, 20) },
      { cost: est(2, 0.05), p99: est(95, 20) },
    ]);
    expect(status).toEqual(["frontier", "dominated"]);
  });

  it("keeps a variant that is clearly faster on the frontier, however much dearer", () => {
    const status = frontierStatus([
      { cost: est(1, 0.05), p99: est(100, 5) },
      { cost: est(2, 0.05), p99: est(80, 5) },
    ]);
    expect(status).toEqual(["frontier", "frontier"]);
  });

  it("dominates a variant clearly beaten on one axis, even when it is better on the other's mean by less than the interval", () => {
    // C: cost clearly above A's (intervals apart), p99 below A's mean but inside the intervals; D: clearly worse on both.
    const status = frontierStatus([
      { cost: est(1, 0.1), p99: est(100, 10) },
      { cost: est(1.5, 0.1), p99: est(99, 10) },
      { cost: est(1.5, 0.1), p99: est(150, 10) },
    ]);
    expect(status).toEqual(["frontier", "dominated", "dominated"]);
  });

  it("treats intervals that touch as overlapping: only a gap is a clear difference", () => {
    const status = frontierStatus([
      { cost: est(1, 0.25), p99: est(100) },
      { cost: est(1.5, 0.25), p99: est(100) },
    ]);
    expect(status).toEqual(["frontier", "indistinguishable"]);
  });
});
