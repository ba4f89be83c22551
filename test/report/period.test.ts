/*
 * `run --period`: timeseries.csv rows per 1, 10, 30 or 60 s with per-period latency percentiles, and
 * report.html's bands over replications. Deterministic arrivals give exact expectations.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderHtmlReport, runReportData } from "../../src/report/html.js";
import { TIMESERIES_HEADER, timeSeriesRows } from "../../src/report/timeseries.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate, type SimulationResult } from "../../src/simulate.js";
import { runCli } from "../support/cli.js";

/** One function, 100 ms handler, a request every `interval` s from 0.1 s for 65 s. */
function steady(interval: number, periodSeconds: number, seed = 1): SimulationResult {
  return simulate(
    resolveScenario({
      name: "steady",
      seed,
      duration: "65s",
      functions: [{ name: "fn", runtime: "python3.12", init: { constant: 0.5 }, duration: { constant: 0.1 } }],
      workload: [{ function: "fn", arrivals: { constant: { interval, start: 0.1 } } }],
    }),
    { periodSeconds },
  );
}

function rows(result: SimulationResult): Record<string, number | string>[] {
  return [...timeSeriesRows(result)].map((row) => Object.fromEntries(TIMESERIES_HEADER.map((c, i) => [c, row[i]])));
}

describe("timeseries.csv per period", () => {
  it("counts exactly 4 arrivals and invocations a second at --period 1s, 40 per 10 s at 10s", () => {
    const perSecond = rows(steady(0.25, 1));
    expect(perSecond).toHaveLength(65);
    expect(perSecond.map((r) => r.startSeconds)).toEqual(Array.from({ length: 65 }, (_, i) => i));
    expect(perSecond.map((r) => r.minute)).toEqual(Array.from({ length: 65 }, (_, i) => Math.floor(i / 60)));
    for (const r of perSecond) {
      expect(r.arrivals).toBe(4);
      expect(r.Invocations).toBe(4);
      expect(r.Errors).toBe(0);
      expect(r.Throttles).toBe(0);
    }
    const perTen = rows(steady(0.25, 10));
    expect(perTen.map((r) => r.startSeconds)).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(perTen.map((r) => r.arrivals)).toEqual([40, 40, 40, 40, 40, 40, 20]);
    expect(perTen.map((r) => r.Invocations)).toEqual([40, 40, 40, 40, 40, 40, 20]);
  });

  it("gives the same counts summed over 10 s periods as by the minute", () => {
    const byMinute = rows(steady(0.07, 60));
    const byTen = rows(steady(0.07, 10));
    for (const column of ["arrivals", "Invocations", "ColdStarts", "BilledGbSeconds"]) {
      const summed = [0, 1].map((m) => byTen.filter((r) => r.minute === m).reduce((sum, r) => sum + Number(r[column]), 0));
      expect(summed.map((v) => Math.round(v * 1e6) / 1e6)).toEqual(byMinute.map((r) => r[column]));
    }
  });

  it("gives a constant handler's latency and duration percentiles exactly, within the histogram beyond 256 a period", () => {
    // 100 a second: 1,000 invocations per 10 s period, past the 256 the period histogram holds verbatim.
    const perTen = rows(steady(0.01, 10));
    const warm = perTen.slice(1, 6);
    for (const r of warm) {
      expect(r.Invocations).toBe(1000);
      // Within the histogram's 0.4 % (and clamped to the period's exact min and max, so exact here).
      expect(Number(r.LatencyP50)).toBeCloseTo(100, 9);
      expect(Math.abs(Number(r.LatencyP99) - 100) / 100).toBeLessThanOrEqual(0.004);
      expect(r.LatencyMax).toBe(100);
      expect(Math.abs(Number(r.DurationP99) - 100) / 100).toBeLessThanOrEqual(0.004);
    }
    // The first period holds the cold starts: init 500 ms + handler 100 ms is the slowest.
    expect(perTen[0].LatencyMax).toBe(600);
    expect(perTen[0].DurationP99).toBe(100);
  });

  it("puts 0 in the latency columns of a period in which no invocation ended", () => {
    const result = simulate(
      resolveScenario({
        name: "gap",
        seed: 1,
        duration: "30s",
        functions: [{ name: "fn", runtime: "python3.12", init: { constant: 0.5 }, duration: { constant: 0.1 } }],
        workload: [{ function: "fn", arrivals: { constant: { interval: 20, start: 1 } } }],
      }),
      { periodSeconds: 10 },
    );
    const r = rows(result);
    // Requests at 1 s and 21 s; the environment stays alive (keep-alive) through the quiet period 10-20 s.
    expect(r.map((row) => [row.startSeconds, row.Invocations, row.LatencyMax])).toEqual([
      [0, 1, 600],
      [10, 0, 0],
      [20, 1, 100],
    ]);
  });
});

describe("report.html over time", () => {
  it("shades a 95 % band on the charts over time if and only if there are replications", () => {
    const first = steady(0.25, 10, 1);
    const single = renderHtmlReport(first);
    expect(single).not.toContain('class="band"');
    expect(single).not.toContain('class="whisker"');
    expect(single).not.toContain('class="error-bar"');
    const replicated = renderHtmlReport(first, [runReportData(steady(0.25, 10, 2)), runReportData(steady(0.25, 10, 3))]);
    for (const kind of ["latency-over-time", "invocations-over-time", "concurrency", "cold-starts", "throttles"]) {
      const figure = replicated.match(new RegExp(`<figure data-chart="${kind}">.*?</figure>`, "s"))![0];
      expect(figure, kind).toContain('class="band"');
      expect(figure, kind).toContain("means over 3 replications");
    }
    expect(replicated.match(/<figure data-chart="latency-cdf">.*?<\/figure>/s)![0]).toContain('class="whisker"');
    expect(replicated.match(/<figure data-chart="cost">.*?<\/figure>/s)![0]).toContain('class="error-bar"');
  });

  it("titles the charts by the period", () => {
    const html = renderHtmlReport(steady(0.25, 10));
    expect(html).toContain("fn: latency per 10 s");
    expect(html).toContain("Cold starts per 10 s");
    expect(html).toContain("time since start (s)");
  });
});

describe("run --period", () => {
  const folders: string[] = [];
  const freshFolder = () => {
    const dir = mkdtempSync(join(tmpdir(), "lambdasim-period-"));
    folders.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a period not offered, with one line naming the allowed values and nothing written", async () => {
    const out = join(freshFolder(), "out");
    const { code, err } = await runCli(["run", "--period", "5s", "--out", out, "--quiet"]);
    expect(code).toBe(2);
    expect(err.split("\n")[0]).toBe('error: --period: expected one of 1s, 10s, 30s, 60s, got "5s"');
    expect(() => readFileSync(join(out, "summary.json"))).toThrow();
  });

  it("refuses a run whose rows would pass 1e7 without --allow-large", async () => {
    const dir = freshFolder();
    const file = join(dir, "year.json");
    const scenario = {
      name: "year",
      duration: "400d",
      functions: [{ name: "fn", runtime: "python3.12", duration: { constant: 0.1 } }],
      workload: [{ function: "fn", arrivals: { constant: { interval: 3600 } } }],
    };
    writeFileSync(file, JSON.stringify(scenario));
    const { code, err } = await runCli(["run", file, "--period", "1s", "--out", join(dir, "out"), "--quiet"]);
    expect(code).toBe(2);
    expect(err).toBe(
      "error: duration: 3.46e7 s in periods of 1 s is 3.46e7 time-series rows per function (× 1 function = 3.46e7), " +
        "more than the 1e7 a run may hold without --allow-large; choose a longer --period, or pass --allow-large\n",
    );
  });
});
