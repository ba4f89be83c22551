/**
 * The independent log generator against its own truth: if the generator were wrong, the round trip
 * through `lambdasim calibrate` would prove nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORMATS, writeLogs } from "./generator/formats.js";
import { Xoshiro128 } from "./generator/prng.js";
import { realize } from "./generator/simulate.js";
import {
  type Lognormal,
  lognormalParams,
  normalCdf,
  normalQuantile,
  poissonRateBounds,
  proportionBounds,
  sampleQuantileBounds,
  within,
} from "./generator/stats.js";
import { roundTripTruth } from "./generator/truths.js";

/** Two-sided z for a 1-in-10,000 miss: the seeds are fixed, but a wrong generator must still fail. */
const Z = 3.89;

/** Kolmogorov–Smirnov distance of a sample from a lognormal. */
function ksLognormal(sample: number[], law: Lognormal): number {
  const { mu, sigma } = lognormalParams(law);
  const sorted = [...sample].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((x, i) => {
    const f = normalCdf((Math.log(x) - mu) / sigma);
    d = Math.max(d, Math.abs(f - i / sorted.length), Math.abs(f - (i + 1) / sorted.length));
  });
  return d;
}

/** The KS critical value at level 1e-4 (asymptotic: √(−ln(α/2)/2) / √n), widened for the 0.01 ms rounding. */
const ksCritical = (n: number): number => Math.sqrt(-Math.log(0.5e-4) / 2) / Math.sqrt(n) + 1e-4;

describe("generator statistics", () => {
  it("normal quantile and CDF agree with tabulated values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 7);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326347874040841, 7);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 6);
  });

  it("the PRNG's uniforms and lognormals follow their laws (KS)", () => {
    const rng = new Xoshiro128(42);
    const n = 50_000;
    const u = Array.from({ length: n }, () => rng.uniform()).sort((a, b) => a - b);
    let d = 0;
    u.forEach((x, i) => {
      d = Math.max(d, Math.abs(x - i / n), Math.abs(x - (i + 1) / n));
    });
    expect(d).toBeLessThan(ksCritical(n));
    const law = { medianMs: 120, p99Ms: 900 };
    const { mu, sigma } = lognormalParams(law);
    expect(
      ksLognormal(
        Array.from({ length: n }, () => rng.lognormal(mu, sigma)),
        law,
      ),
    ).toBeLessThan(ksCritical(n));
  });

  it("sample-quantile bounds cover the sample quantile of uniforms at the stated rate", () => {
    // Uniform(0,1): the quantile function is the identity, so the bound is exactly the rank bound.
    const rng = new Xoshiro128(7);
    const n = 2000;
    const trials = 400;
    let misses = 0;
    for (let t = 0; t < trials; t++) {
      const s = Array.from({ length: n }, () => rng.uniform()).sort((a, b) => a - b);
      if (
        !within(
          s[Math.ceil(0.99 * n) - 1],
          sampleQuantileBounds((p) => p, 0.99, n, 1.96),
        )
      )
        misses++;
    }
    // 5 % expected; 400 trials: Binomial(400, 0.05) stays under 36 with probability > 0.9999.
    expect(misses).toBeLessThan(36);
    expect(misses).toBeGreaterThan(0);
  });
});

describe("generated logs follow the truth", () => {
  let dir: string;
  const truth = roundTripTruth();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lambdasim-generator-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("arrivals per segment are Poisson with the segment's rate, outcomes binomial", () => {
    const r = realize(truth);
    truth.segments.forEach((s, i) => {
      expect(within(r.segmentArrivals[i] / s.seconds, poissonRateBounds(s.perSecond, s.seconds, Z)), `segment ${i}`).toBe(true);
    });
    expect(within(r.errors / r.invocations, proportionBounds(truth.errorRate, r.invocations, Z))).toBe(true);
    // Timeouts are drawn at timeoutRate; the duration law's own tail past 30 s is ~1e-9.
    expect(within(r.timeouts / r.invocations, proportionBounds(truth.timeoutRate, r.invocations, Z))).toBe(true);
    expect(r.longestReuseGapSeconds).toBeLessThanOrEqual(truth.keepAliveSeconds);
    expect(r.shortestColdGapSeconds).toBeGreaterThan(truth.keepAliveSeconds);
  });

  it("text logs: every stream starts cold, runs one request at a time, and never reuses after the keep-alive", async () => {
    const file = join(dir, "orders.log");
    const r = await writeLogs(truth, "text", file);
    const lines = readFileSync(file, "utf8").replace(/\n$/, "").split("\n");
    const streamOf = new Map<string, string>();
    // Text lines carry no stream; the same simulation as filter-log-events output has them.
    const events = await (async () => {
      const f = join(dir, "events.json");
      await writeLogs(truth, "filter-log-events", f);
      return JSON.parse(readFileSync(f, "utf8")).events as { logStreamName: string; timestamp: number; message: string }[];
    })();
    expect(events.length).toBe(lines.length);
    let previous = 0;
    for (const [i, e] of events.entries()) {
      expect(e.timestamp).toBeGreaterThanOrEqual(previous);
      previous = e.timestamp;
      expect(lines[i]).toBe(`${new Date(e.timestamp).toISOString()} ${e.message.slice(0, -1)}`);
      const m = /RequestId: ([0-9a-f-]{36})/.exec(e.message);
      if (m) streamOf.set(m[1], e.logStreamName);
    }
    const durations: number[] = [];
    const inits: number[] = [];
    const state = new Map<string, { busy: boolean; lastEnd: number; needsInit: boolean }>();
    let reports = 0;
    for (const e of events) {
      const s = state.get(e.logStreamName) ?? { busy: false, lastEnd: Number.NEGATIVE_INFINITY, needsInit: true };
      state.set(e.logStreamName, s);
      if (e.message.startsWith("START")) {
        expect(s.busy, "one request at a time per environment").toBe(false);
        s.busy = true;
      } else if (e.message.startsWith("REPORT")) {
        reports++;
        const m =
          /^REPORT RequestId: \S+\tDuration: ([\d.]+) ms\tBilled Duration: (\d+) ms\tMemory Size: 1024 MB\tMax Memory Used: (\d+) MB\t(?:Init Duration: ([\d.]+) ms\t)?(Status: \w+)?/.exec(
            e.message,
          );
        expect(m, e.message).not.toBeNull();
        if (!m) continue;
        const duration = Number(m[1]);
        const init = m[4] === undefined ? undefined : Number(m[4]);
        expect(Number(m[2])).toBe(Math.ceil(duration + (init ?? 0)));
        expect(init !== undefined, "Init Duration exactly on a new or reset environment").toBe(s.needsInit);
        if (init === undefined) expect((e.timestamp - duration - s.lastEnd) / 1000).toBeLessThanOrEqual(truth.keepAliveSeconds + 0.002);
        else inits.push(init);
        s.needsInit = m[5] === "Status: timeout";
        if (m[5] === undefined) durations.push(duration);
        s.busy = false;
        s.lastEnd = e.timestamp;
      }
    }
    expect(reports).toBe(r.invocations);
    expect(state.size).toBe(r.environments);
    expect(inits.length).toBe(r.coldStarts);
    expect(ksLognormal(durations, truth.duration)).toBeLessThan(ksCritical(durations.length));
    expect(ksLognormal(inits, truth.init)).toBeLessThan(ksCritical(inits.length));
    expect(
      within(
        quantile(durations, 0.99),
        sampleQuantileBounds((p) => lognormalQuantileOf(truth.duration, p), 0.99, durations.length, Z, 1e-4),
      ),
    ).toBe(true);
    expect(streamOf.size).toBe(r.invocations);
  });

  it("every format carries the same REPORTs; gzip and the per-stream layout are faithful", async () => {
    const r = realize(truth);
    for (const format of FORMATS) {
      const file = join(dir, `all.${format}.gz`);
      await writeLogs(truth, format, file, { gzip: true });
      const text = gunzipSync(readFileSync(file)).toString("utf8");
      if (format === "metric-data") {
        const data = JSON.parse(text) as { MetricDataResults: { Label: string; Values: number[] }[] };
        const invocations = data.MetricDataResults.find((m) => m.Label === "Invocations");
        expect(invocations?.Values.reduce((a, b) => a + b, 0)).toBe(r.invocations);
        const concurrency = data.MetricDataResults.find((m) => m.Label === "ConcurrentExecutions");
        expect(Math.max(...(concurrency?.Values ?? []))).toBe(r.peakConcurrency);
      } else {
        const count = format === "json-log" ? text.split('"type":"platform.report"').length - 1 : text.split("REPORT RequestId").length - 1;
        expect(count, format).toBe(r.invocations);
      }
    }
    const folder = join(dir, "by-stream");
    await writeLogs(truth, "text", folder, { perStream: true });
    const files = listFiles(folder);
    expect(files.length).toBe(r.environments);
    expect(files.every((f) => f.endsWith("/000000") && f.includes("[$LATEST]"))).toBe(true);
    expect(files.map((f) => readFileSync(f, "utf8").split("REPORT RequestId").length - 1).reduce((a, b) => a + b, 0)).toBe(r.invocations);
  });
});

function lognormalQuantileOf(law: Lognormal, p: number): number {
  const { mu, sigma } = lognormalParams(law);
  return Math.exp(mu + sigma * normalQuantile(p));
}

/** The sample p-quantile as the ⌈n p⌉-th order statistic. */
function quantile(sample: number[], p: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.ceil(p * sorted.length) - 1];
}

function listFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .map((f) => join(folder, f))
    .filter((f) => statSync(f).isFile());
}
