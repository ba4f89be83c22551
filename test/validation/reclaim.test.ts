import { describe, expect, it } from "vitest";
import {
  AWS_2020_PROTOCOL,
  headlineSettings,
  resolveExperiment,
  runReplication,
  type ExperimentRow,
} from "../../validation/awsExperiments.js";
import { fitIdleLimit, idleProbes, logLifecycles, type IdleProbe, type RawRequest } from "../../validation/rawLogs.js";

const req = (instId: string, start: number, isCold = false, elapsed = 2): RawRequest => ({
  instId,
  isCold,
  clientStart: start,
  clientEnd: start + elapsed,
  clientElapsed: elapsed,
});

describe("idleProbes", () => {
  it("observes the most recently used idle environment at each request: still there, or gone", () => {
    const log = [
      req("a", 0, true),
      req("a", 100), // a idle 98 s: still there
      req("b", 800, true), // a idle 698 s and never seen again: gone
      req("b", 900), // b idle 98 s: there
      req("c", 900.5, true), // b busy, a gone: no idle environment, no observation
      req("c", 1000), // c (ended 902.5) is the most recently used idle one: there
      req("b", 1700), // not c, which never serves again: c gone after 697.5 s
    ];
    expect(idleProbes(log).map((p) => [Math.round(p.idle), p.alive, p.active])).toEqual([
      [98, true, false],
      [698, false, false],
      [98, true, false],
      [98, true, false],
      [698, false, false],
    ]);
  });

  it("marks an active observation when the function had a request in flight", () => {
    const log = [req("a", 0, true), req("b", 1, true), req("a", 700, false, 100), req("b", 750)];
    const probes = idleProbes(log);
    const last = probes[probes.length - 1];
    expect(last).toMatchObject({ alive: true, active: true });
    expect(Math.round(last.idle)).toBe(747);
  });
});

describe("fitIdleLimit", () => {
  it("finds a sharp limit between the longest idle still there and the shortest gone after it", () => {
    const probes: IdleProbe[] = [];
    for (let g = 10; g < 3000; g += 7) probes.push({ idle: g, alive: g <= 1234, age: 100, active: true });
    const fit = fitIdleLimit(probes, 600, 2400);
    // Observations at 10 + 7k s: the last one there is at 1228 s, the first one gone at 1235 s.
    expect(fit.low).toBe(1228);
    expect(fit.high).toBe(1234);
    expect(fit.estimate).toBe(1230);
    expect(fit.background).toBeLessThan(1e-5);
  });
});

describe("logLifecycles and the inferred environment count", () => {
  it("counts environment ids and their first-to-last-request spans", () => {
    const lc = logLifecycles([req("a", 0, true), req("a", 100), req("b", 50, true)]);
    expect(lc.environments).toBe(2);
    expect(lc.meanSpan).toBeCloseTo((102 + 2) / 2, 10);
  });

  it("with the plain timeout, infers at least the live count (recycled environments linger)", () => {
    const row = { id: "experiment_x", arrivalRate: 0.1, serviceTimeWarmMs: 2000, serviceTimeColdMs: 2300 } as ExperimentRow;
    const figures = runReplication(resolveExperiment(row, headlineSettings(0.02), AWS_2020_PROTOCOL), 5, AWS_2020_PROTOCOL);
    expect(figures.inferredEnvironments!).toBeGreaterThanOrEqual(figures.environments - 1e-9);
    expect(figures.inferredEnvironments!).toBeLessThan(figures.environments * 1.2);
  });
});
