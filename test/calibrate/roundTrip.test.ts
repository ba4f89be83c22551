/**
 * Round trip on data with a known truth (issue 10, "Must show"): the independent generator writes an
 * invocation history in each input format `lambdasim calibrate` reads; the fitted parameters must come
 * back within tolerances derived from the sample size, and `--check` must pass on them. Logs written
 * with a 5-minute keep-alive, checked against the same model with 10 minutes, must fail and name the
 * figure.
 *
 * Every bound is two-sided at z = 3.89 (a 1-in-10,000 miss per figure for a correct calibrate), from
 * the sampling law of the figure: order statistics for empirical quantiles, the delta method for the
 * log-moment lognormal fit, binomial for rates of outcomes, Poisson for arrival rates. Counts that
 * calibrate reads off the logs (invocations, cold starts, environments) must match exactly.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runCli } from "../support/cli.js";
import { type Format, type WriteOptions, writeLogs } from "./generator/formats.js";
import type { Realized } from "./generator/simulate.js";
import {
  type Bounds,
  lognormalFitBounds,
  lognormalQuantile,
  mixtureQuantile,
  poissonRateBounds,
  proportionBounds,
  sampleQuantileBounds,
} from "./generator/stats.js";
import { roundTripTruth } from "./generator/truths.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const Z = 3.89;
/** calibrate's quantile sketch is within 0.5 % of the exact quantile (src/metrics/histogram.ts); logs round to 0.01 ms. */
const SKETCH = 0.005 + 1e-4;

const truth = roundTripTruth();

interface FitSummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  fits: { lognormal: { medianMs: number; p99Ms: number } };
}

interface FunctionCalibration {
  invocations: number;
  memoryMb: number;
  timeoutSeconds: number | null;
  errorRate: number;
  timeoutRate: number;
  coldStarts: number;
  environments: number;
  duration: FitSummary;
  init: FitSummary | null;
  rate: { stepSeconds: number; steps: { atSeconds: number; perSecond: number }[] } | null;
  keepAlive: { status: string; seconds: number | null; longestWarmGapSeconds: number | null; shortestColdGapSeconds: number | null };
  metrics?: { Invocations: number; Throttles: number; ConcurrentExecutionsMax: number };
}

interface Calibration {
  window: { start: string; end: string; seconds: number };
  functions: Record<string, FunctionCalibration>;
  check?: { passed: boolean; functions: Record<string, { figure: string; verdict: string }[]> };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lambdasim-roundtrip-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectWithin(value: number, bounds: Bounds, what: string): void {
  expect(value >= bounds.lo && value <= bounds.hi, `${what} = ${value} outside [${bounds.lo}, ${bounds.hi}]`).toBe(true);
}

/** Generates the truth as `format` under a fresh folder and calibrates it; returns the report and the run. */
async function roundTrip(name: string, format: Format, options: WriteOptions, extra: string[] = ["--check"]) {
  const base = join(dir, name);
  const input = join(base, options.perStream ? "streams" : `orders.${format}${options.gzip ? ".gz" : ""}`);
  const realized = await writeLogs(truth, format, input, options);
  const inputs = options.perStream ? streamFiles(input) : [input];
  const out = join(base, "out", "orders.yaml");
  const report = join(base, "report");
  const run = await runCli(["calibrate", ...inputs, "--function", "orders", "--out", out, "--report", report, "--quiet", ...extra]);
  const calibration = JSON.parse(readFileSync(join(report, "calibration.json"), "utf8")) as Calibration;
  return { realized, run, calibration, out, inputs, report };
}

function streamFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((f) => join(folder, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** The fitted figures every format with timestamps must recover. */
function expectFits(fn: FunctionCalibration, r: Realized, { streams }: { streams: boolean }): void {
  expect(fn.memoryMb).toBe(truth.memoryMb);
  expect(fn.invocations).toBe(r.invocations);
  expect(fn.coldStarts).toBe(r.coldStarts);
  if (streams) expect(fn.environments).toBe(r.environments);
  expect(fn.timeoutSeconds).toBe(truth.timeoutSeconds);
  expectWithin(fn.errorRate, proportionBounds(truth.errorRate, r.invocations, Z), "errorRate");
  expectWithin(fn.timeoutRate, proportionBounds(truth.timeoutRate, r.invocations, Z), "timeoutRate");

  // Durations: every REPORT's, so the law is the lognormal with the timeouts' point mass at 30 s.
  const n = fn.duration.count;
  expect(n).toBe(r.invocations);
  const durationQuantile = mixtureQuantile(truth.duration, truth.timeoutRate, truth.timeoutSeconds * 1000);
  expectWithin(fn.duration.p50Ms, sampleQuantileBounds(durationQuantile, 0.5, n, Z, SKETCH), "duration p50");
  expectWithin(fn.duration.p99Ms, sampleQuantileBounds(durationQuantile, 0.99, n, Z, SKETCH), "duration p99");
  const durationFit = lognormalFitBounds(truth.duration, n, Z, truth.timeoutRate, truth.timeoutSeconds * 1000);
  expectWithin(fn.duration.fits.lognormal.medianMs, durationFit.medianMs, "duration lognormal median");
  expectWithin(fn.duration.fits.lognormal.p99Ms, durationFit.p99Ms, "duration lognormal p99");

  // Init durations: one per cold start, the pure lognormal.
  expect(fn.init?.count).toBe(r.coldStarts);
  const init = fn.init as FitSummary;
  expectWithin(
    init.p50Ms,
    sampleQuantileBounds((p) => lognormalQuantile(truth.init, p), 0.5, init.count, Z, SKETCH),
    "init p50",
  );
  const initFit = lognormalFitBounds(truth.init, init.count, Z);
  expectWithin(init.fits.lognormal.medianMs, initFit.medianMs, "init lognormal median");
  expectWithin(init.fits.lognormal.p99Ms, initFit.p99Ms, "init lognormal p99");
}

/** Arrival rate: each full 10-minute step is one truth cycle, whose count is Poisson with mean Σ rate × length. */
function expectRates(fn: FunctionCalibration, windowSeconds: number): void {
  const cycleSeconds = truth.segments[0].seconds + truth.segments[1].seconds;
  const cycleMean = truth.segments[0].seconds * truth.segments[0].perSecond + truth.segments[1].seconds * truth.segments[1].perSecond;
  const rate = fn.rate as NonNullable<FunctionCalibration["rate"]>;
  expect(rate.stepSeconds).toBe(cycleSeconds);
  const full = rate.steps.filter((s) => s.atSeconds + rate.stepSeconds <= windowSeconds);
  expect(full.length).toBeGreaterThanOrEqual(11);
  for (const step of full)
    expectWithin(step.perSecond, poissonRateBounds(cycleMean / cycleSeconds, cycleSeconds, Z), `rate at ${step.atSeconds} s`);
}

/** The keep-alive estimate lies in the bracket the logs allow, which holds the truth. */
function expectKeepAlive(fn: FunctionCalibration, r: Realized): void {
  expect(fn.keepAlive.status).toBe("estimated");
  // calibrate rebuilds starts from REPORT times (whole ms) minus durations: a few ms of play.
  expect(fn.keepAlive.longestWarmGapSeconds).toBeCloseTo(r.longestReuseGapSeconds, 2);
  expect(fn.keepAlive.shortestColdGapSeconds).toBeCloseTo(r.shortestColdGapSeconds as number, 2);
  expect(r.longestReuseGapSeconds).toBeLessThanOrEqual(truth.keepAliveSeconds);
  expect(r.shortestColdGapSeconds).toBeGreaterThan(truth.keepAliveSeconds);
  expectWithin(
    fn.keepAlive.seconds as number,
    { lo: Math.floor(r.longestReuseGapSeconds), hi: Math.ceil(r.shortestColdGapSeconds as number) },
    "keepAlive",
  );
}

function expectCheckPassed(run: { code: number; err: string }, calibration: Calibration): void {
  expect(run.err).toBe("");
  expect(run.code).toBe(0);
  expect(calibration.check?.passed).toBe(true);
  expect(calibration.check?.functions.orders.map((f) => f.figure)).toEqual([
    "invocations",
    "coldStarts",
    "environments",
    "peakConcurrency",
    "meanConcurrency",
    "billedGbSeconds",
    "cost",
    "p50DurationMs",
    "p99DurationMs",
  ]);
}

describe("calibrate recovers a known truth from each input format", () => {
  const cases: [string, Format, WriteOptions][] = [
    ["aws logs tail lines (stream in each line)", "text", { prefix: "tail" }],
    ["S3 export layout: one gzipped text file per stream, timestamp prefix", "text", { prefix: "space", perStream: true, gzip: true }],
    ["one text file per stream, tab prefix", "text", { prefix: "tab", perStream: true }],
    ["JSON log format, one file per stream", "json-log", { perStream: true, gzip: true }],
    ["aws logs filter-log-events JSON, gzipped", "filter-log-events", { gzip: true }],
    ["Logs Insights CSV export of the REPORT rows", "insights-csv", {}],
  ];
  for (const [label, format, options] of cases) {
    it(label, async () => {
      const name = `${format}-${options.prefix ?? "x"}-${options.perStream ? "streams" : "file"}`;
      const { realized, run, calibration } = await roundTrip(name, format, options);
      const fn = calibration.functions.orders;
      expectFits(fn, realized, { streams: true });
      expectRates(fn, calibration.window.seconds);
      expectKeepAlive(fn, realized);
      expectCheckPassed(run, calibration);
    });
  }

  it("text without timestamps: the fitted distributions, memory and rates, with a warning; no trace, rate profile, keep-alive or scenario; --check refused", async () => {
    const base = join(dir, "no-prefix");
    const realized = await writeLogs(truth, "text", join(base, "streams"), { prefix: "none", perStream: true });
    const inputs = streamFiles(join(base, "streams"));
    const out = join(base, "out", "orders.yaml");
    const report = join(base, "report");
    const checked = await runCli(["calibrate", ...inputs, "--function", "orders", "--out", out, "--report", report, "--check"]);
    expect(checked.code).toBe(2);
    expect(checked.err).toMatch(/^error: --check: no REPORT record has a timestamp/);
    expect(checked.err.trimEnd().split("\n")).toHaveLength(1);
    expect(readdirSync(base)).toEqual(["streams"]);

    const run = await runCli(["calibrate", ...inputs, "--function", "orders", "--out", out, "--report", report, "--quiet"]);
    expect(run.code, run.err).toBe(0);
    expect(run.err).toMatch(/^warning: no REPORT record has a timestamp .*no trace, rate profile, keep-alive, concurrency or scenario/);
    expect(run.err.trimEnd().split("\n")).toHaveLength(1);
    // Only the report: a scenario needs arrival times.
    expect(readdirSync(base).sort()).toEqual(["report", "streams"]);
    expect(readdirSync(report).sort()).toEqual(["calibration.html", "calibration.json", "calibration.md"]);
    const calibration = JSON.parse(readFileSync(join(report, "calibration.json"), "utf8")) as Omit<Calibration, "window"> & {
      window: null;
    };
    expect(calibration.window).toBeNull();
    const fn = calibration.functions.orders;
    expectFits(fn, realized, { streams: true });
    expect(fn.rate).toBeNull();
    expect(fn.keepAlive).toMatchObject({ status: "insufficient-evidence", seconds: null, longestWarmGapSeconds: null });
    // The functions block in calibration.md is a valid scenario's functions once a workload is added.
    const md = readFileSync(join(report, "calibration.md"), "utf8");
    const block = /```yaml\n([\s\S]*?)```/.exec(md)?.[1] as string;
    const scenario = join(base, "with-workload.yaml");
    writeFileSync(
      scenario,
      `name: pasted\nduration: 60s\n${block}workload:\n  - { function: orders, arrivals: { poisson: { rate: 1 } } }\n`,
    );
    const validated = await runCli(["validate", scenario]);
    expect(validated.code, validated.err).toBe(0);
  });

  it("get-metric-data beside the logs: Invocations and the peak of ConcurrentExecutions", async () => {
    const base = join(dir, "metrics");
    const logs = join(base, "orders.log");
    const metrics = join(base, "orders.metrics.json");
    const realized = await writeLogs(truth, "text", logs, { prefix: "tail" });
    await writeLogs(truth, "metric-data", metrics);
    const report = join(base, "report");
    const run = await runCli([
      "calibrate",
      logs,
      metrics,
      "--function",
      "orders",
      "--out",
      join(base, "out", "orders.yaml"),
      "--report",
      report,
      "--quiet",
    ]);
    expect(run.code, run.err).toBe(0);
    const fn = (JSON.parse(readFileSync(join(report, "calibration.json"), "utf8")) as Calibration).functions.orders;
    expect(fn.metrics?.Invocations).toBe(realized.invocations);
    expect(fn.metrics?.Throttles).toBe(0);
    expect(fn.metrics?.ConcurrentExecutionsMax).toBe(realized.peakConcurrency);
    expectFits(fn, realized, { streams: true });
  });
});

describe("--check fails on a model whose keep-alive differs from the logs' truth", () => {
  it("logs with a 5-minute keep-alive, the scenario with 10 minutes: exit 1, naming the cold starts (built CLI)", async () => {
    const { run, out, inputs } = await roundTrip("keepalive", "text", { prefix: "tail" }, []);
    expect(run.code, run.err).toBe(0);
    const scenario = parse(readFileSync(out, "utf8")) as { platform?: { keepAlive?: unknown } };
    expect(scenario.platform?.keepAlive).toBeDefined();
    scenario.platform = { ...scenario.platform, keepAlive: "10m" };
    const tenMinutes = join(dirname(out), "orders-10m.yaml");
    writeFileSync(tenMinutes, stringify(scenario));
    const child = spawnSync(
      process.execPath,
      [
        join(ROOT, "bin/lambdasim.js"),
        "calibrate",
        ...inputs,
        "--function",
        "orders",
        "--out",
        join(dir, "keepalive", "check", "orders.yaml"),
        "--report",
        join(dir, "keepalive", "check-report"),
        "--check",
        "--scenario",
        tenMinutes,
        "--quiet",
      ],
      { encoding: "utf8" },
    );
    expect(child.status, child.stderr).toBe(1);
    expect(child.stderr).toMatch(/^check: orders: coldStarts: observed \d+, simulated \d+, error -[\d.]+ % > tolerance [\d.]+ %$/m);
    expect(child.stderr).toMatch(/^check: orders: environments: /m);
    // The reports name the model checked and the failing figures at the top, not only in the table.
    const report = join(dir, "keepalive", "check-report");
    const checked = JSON.parse(readFileSync(join(report, "calibration.json"), "utf8")) as Calibration & { check: { scenario?: string } };
    expect(checked.check.passed).toBe(false);
    expect(checked.check.scenario).toBe(tenMinutes);
    const failed = checked.check.functions.orders.filter((r) => r.verdict === "fail").map((r) => r.figure);
    expect(failed).toContain("coldStarts");
    const summary = `the model in ${tenMinutes} against the logs: outside its tolerance: ${failed.map((f) => `orders ${f}`).join(", ")}; do not trust this model as it is`;
    expect(readFileSync(join(report, "calibration.md"), "utf8")).toContain(`Check of **${summary}**.`);
    expect(readFileSync(join(report, "calibration.html"), "utf8")).toContain(`Check of ${summary}.`);
  });
});
