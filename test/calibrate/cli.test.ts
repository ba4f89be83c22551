import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/read.js";
import { runCli } from "../support/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "lambdasim-calibrate-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

interface Line {
  /** End of the invocation (the REPORT's time), ms after T0. */
  at: number;
  stream: string;
  durationMs: number;
  initMs?: number;
  memoryMb?: number;
  status?: string;
}

function reportLine(l: Line): string {
  const billed = Math.ceil(l.durationMs + (l.initMs ?? 0));
  return [
    `${new Date(T0 + l.at).toISOString()} 2026/01/05/[$LATEST]${l.stream} REPORT RequestId: r-${l.at}`,
    `Duration: ${l.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billed} ms`,
    `Memory Size: ${l.memoryMb ?? 512} MB`,
    "Max Memory Used: 70 MB",
    ...(l.initMs === undefined ? [] : [`Init Duration: ${l.initMs.toFixed(2)} ms`]),
    ...(l.status === undefined ? [] : [`Status: ${l.status}`]),
  ].join("\t");
}

let cases = 0;
/** A fresh folder holding one log file with these REPORT lines. */
function logFile(lines: Line[], name = "orders.log"): { dir: string; file: string } {
  const dir = join(tmp, `case-${cases++}`);
  mkdirSync(dir);
  const file = join(dir, name);
  writeFileSync(file, `${lines.map(reportLine).join("\n")}\n`);
  return { dir, file };
}

/**
 * One environment "aaaa": a cold start, 29 warm invocations 5 s apart, then idle 200 s and used
 * again (it survived 200 s); a second environment "bbbb" starts cold while "aaaa" has been idle
 * 260 s (it did not survive 260 s). The keep-alive lies in [200, 260): estimated as 230 s.
 */
function keepAliveLog(): Line[] {
  const lines: Line[] = [{ at: 1000, stream: "aaaa", durationMs: 100, initMs: 200 }];
  let at = 1000;
  for (let i = 0; i < 29; i++) {
    at += 5000;
    lines.push({ at, stream: "aaaa", durationMs: 50 + i });
  }
  at += 200_000 + 60;
  lines.push({ at, stream: "aaaa", durationMs: 60 });
  at += 260_000 + 300;
  lines.push({ at, stream: "bbbb", durationMs: 100, initMs: 200 });
  for (let i = 0; i < 5; i++) {
    at += 1000;
    lines.push({ at, stream: "bbbb", durationMs: 40 + i });
  }
  return lines;
}

describe("lambdasim calibrate", () => {
  it("writes the replay scenario, its trace, the rate scenario and the report; the scenarios validate", async () => {
    const { dir, file } = logFile(keepAliveLog());
    const out = join(dir, "model", "orders.yaml");
    const report = join(dir, "report");
    const r = await runCli(["calibrate", file, "--out", out, "--report", report, "--step", "2m"]);
    expect(r.err).toBe(
      "warning: function orders: 2 cold start(s) with Init Duration; fitting a family needs 30: the scenario's init is the 2 value(s) as observed\n",
    );
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, "model")).sort()).toEqual(["orders.orders.trace.csv", "orders.rate.yaml", "orders.yaml"]);
    expect(readdirSync(report).sort()).toEqual(["calibration.html", "calibration.json", "calibration.md"]);
    const scenario = loadScenarioFile(out);
    expect(scenario.functions.map((f) => [f.name, f.memoryMb])).toEqual([["orders", 512]]);
    expect(scenario.platform.keepAlive).toBe(230);
    expect(loadScenarioFile(join(dir, "model", "orders.rate.yaml")).functions.length).toBe(1);
    const trace = readFileSync(join(dir, "model", "orders.orders.trace.csv"), "utf8")
      .trim()
      .split("\n");
    expect(trace[0]).toBe("seconds");
    expect(trace.length - 1).toBe(37);
    // Starts are REPORT time less duration and init: the first at 1,000 − 100 − 200 = 700 ms after T0 (the window starts there), the second at 6,000 − 50 ms.
    expect(trace[1]).toBe("0.000");
    expect(trace[2]).toBe((6 - 0.05 - 0.7).toFixed(3));
    const doc = JSON.parse(readFileSync(join(report, "calibration.json"), "utf8"));
    expect(doc.window.start).toBe(new Date(T0 + 700).toISOString());
    const f = doc.functions.orders;
    expect(f).toMatchObject({
      invocations: 37,
      memoryMb: 512,
      coldStarts: 2,
      environments: 2,
      errorRate: 0,
      timeoutRate: 0,
      timeoutSeconds: null,
    });
    expect(f.keepAlive).toMatchObject({ status: "estimated", seconds: 230, warmGaps: 35, coldStartsWithIdleEnvironment: 1 });
    expect(f.keepAlive.longestWarmGapSeconds).toBeCloseTo(200, 6);
    expect(f.keepAlive.shortestColdGapSeconds).toBeCloseTo(260, 6);
    expect(f.rate.stepSeconds).toBe(120);
    expect(f.rate.steps[0]).toEqual({ atSeconds: 0, perSecond: 24 / 120 });
    expect(Object.keys(f.duration.fits)).toEqual(["lognormal", "gamma", "weibull"]);
    expect(f.duration.empiricalPoints).toBe(37);
    expect(doc.check).toBeUndefined();
    // calibration.html: observed vs fitted duration and init, invocations per minute, concurrency over time.
    const html = readFileSync(join(report, "calibration.html"), "utf8");
    expect(html.match(/<svg/g)).toHaveLength(4);
    for (const title of [
      "Handler duration: observed vs fitted",
      "Init duration: observed vs fitted",
      "Invocations per minute",
      "Concurrency over time",
    ])
      expect(html).toContain(title);
  });

  it("names each function from its log group (/aws/lambda/NAME) and calibrates each on its own", async () => {
    const dir = join(tmp, `case-${cases++}`);
    mkdirSync(dir);
    const rows: string[] = ["@timestamp,@message,@logStream,@log"];
    for (const [fn, memoryMb, durationMs] of [
      ["checkout-api", 256, 40],
      ["billing_worker", 1024, 900],
    ] as const) {
      for (let i = 0; i < 40; i++) {
        const line = reportLine({
          at: 2000 * i,
          stream: `${fn}-a`,
          durationMs: durationMs + i,
          memoryMb,
          ...(i === 0 ? { initMs: 300 } : {}),
        });
        const [stamp, stream, ...message] = line.split(" ");
        rows.push(`${stamp.replace("T", " ").replace("Z", "")},"${message.join(" ")}",${stream},123456789012:/aws/lambda/${fn}`);
      }
    }
    const file = join(dir, "query-results.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const r = await runCli(["calibrate", file, "--out", join(dir, "both.yaml"), "--report", join(dir, "r"), "--quiet"]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, "r", "calibration.json"), "utf8"));
    expect(Object.keys(doc.functions)).toEqual(["checkout-api", "billing_worker"]);
    expect(doc.functions["checkout-api"]).toMatchObject({ invocations: 40, memoryMb: 256, coldStarts: 1, environments: 1 });
    expect(doc.functions.billing_worker).toMatchObject({ invocations: 40, memoryMb: 1024, coldStarts: 1, environments: 1 });
    expect(doc.functions.billing_worker.duration.p50Ms).toBeGreaterThan(900);
    const scenario = loadScenarioFile(join(dir, "both.yaml"));
    expect(scenario.functions.map((f) => [f.name, f.memoryMb])).toEqual([
      ["checkout-api", 256],
      ["billing_worker", 1024],
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      "both.billing_worker.trace.csv",
      "both.checkout-api.trace.csv",
      "both.rate.yaml",
      "both.yaml",
      "query-results.csv",
      "r",
    ]);
  });

  it("--check passes the calibrated model and, against a model with another memory size, fails naming the figures (exit 1)", async () => {
    const { dir, file } = logFile(keepAliveLog());
    const out = join(dir, "orders.yaml");
    const ok = await runCli(["calibrate", file, "--out", out, "--report", join(dir, "r1"), "--check"]);
    expect(ok.err).not.toMatch(/^(error|check):/m);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, "r1", "calibration.json"), "utf8"));
    expect(doc.check.passed).toBe(true);
    expect(doc.check.functions.orders.map((r: { figure: string }) => r.figure)).toEqual([
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
    const other = join(dir, "bigger.yaml");
    writeFileSync(other, readFileSync(out, "utf8").replace("memoryMb: 512", "memoryMb: 1024"));
    const fail = await runCli([
      "calibrate",
      file,
      "--out",
      join(dir, "again.yaml"),
      "--report",
      join(dir, "r2"),
      "--check",
      "--scenario",
      other,
    ]);
    expect(fail.code).toBe(1);
    expect(fail.err).toMatch(/^check: orders: billedGbSeconds: observed [\d.]+, simulated [\d.]+, error 100\.\d\d % > tolerance/m);
    expect(JSON.parse(readFileSync(join(dir, "r2", "calibration.json"), "utf8")).check.passed).toBe(false);
  });

  it("takes the timeout from timed-out invocations and the error rate from Status: error", async () => {
    const lines: Line[] = Array.from({ length: 40 }, (_, i) => ({
      at: 10_000 * (i + 1),
      stream: "aaaa",
      durationMs: i === 7 ? 3000.4 : 20 + i,
      ...(i === 0 ? { initMs: 120 } : {}),
      ...(i === 7 ? { status: "timeout" } : i % 10 === 3 ? { status: "error" } : {}),
    }));
    const { dir, file } = logFile(lines);
    const r = await runCli(["calibrate", file, "--out", join(dir, "s.yaml"), "--report", join(dir, "r"), "--quiet"]);
    expect(r.code).toBe(0);
    const f = JSON.parse(readFileSync(join(dir, "r", "calibration.json"), "utf8")).functions.orders;
    expect(f).toMatchObject({ timeoutSeconds: 3, timeoutRate: 1 / 40, errorRate: 4 / 40 });
    expect(f.keepAlive.status).toBe("insufficient-evidence");
    expect(loadScenarioFile(join(dir, "s.yaml")).functions[0]).toMatchObject({ timeout: 3, errorRate: 0.1 });
  });

  it("starts the scenario with the environments that were warm before the window", async () => {
    // Two streams, both already warm at the window's start: no Init Duration anywhere.
    const lines: Line[] = Array.from({ length: 40 }, (_, i) => ({
      at: 2000 * (i + 1),
      stream: i % 2 === 0 ? "aaaa" : "bbbb",
      durationMs: 1500,
    }));
    const { dir, file } = logFile(lines);
    const r = await runCli(["calibrate", file, "--out", join(dir, "s.yaml"), "--report", join(dir, "r"), "--check", "--quiet"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, "r", "calibration.json"), "utf8"));
    expect(doc.functions.orders).toMatchObject({ coldStarts: 0, environments: 2, prewarmedEnvironments: 2 });
    expect(loadScenarioFile(join(dir, "s.yaml")).functions[0].prewarmedEnvironments).toBe(2);
    const figures = Object.fromEntries(
      doc.check.functions.orders.map((row: { figure: string; simulated: number }) => [row.figure, row.simulated]),
    );
    expect(figures).toMatchObject({ coldStarts: 0, environments: 2 });
  });

  it("warns of two memory sizes and calibrates the latest span", async () => {
    const lines: Line[] = Array.from({ length: 70 }, (_, i) => ({
      at: 1000 * (i + 1),
      stream: i < 35 ? "aaaa" : "bbbb",
      durationMs: 30,
      memoryMb: i < 35 ? 512 : 1024,
      ...(i === 0 || i === 35 ? { initMs: 100 } : {}),
    }));
    const { dir, file } = logFile(lines);
    const r = await runCli(["calibrate", file, "--out", join(dir, "s.yaml"), "--report", join(dir, "r"), "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `warning: ${file}:36: function orders: REPORT records of 2 memory sizes, 512 MB (35 records, ${new Date(T0 + 1000).toISOString()} to ${new Date(T0 + 35_000).toISOString()}), 1024 MB (35 records, ${new Date(T0 + 36_000).toISOString()} to ${new Date(T0 + 70_000).toISOString()}): a deployment changed the memory; calibrated the latest span, 1024 MB, from its first record here\n`,
    );
    const f = JSON.parse(readFileSync(join(dir, "r", "calibration.json"), "utf8")).functions.orders;
    expect(f.memoryMb).toBe(1024);
    expect(f.memorySpans.map((s: { memoryMb: number }) => s.memoryMb)).toEqual([512, 1024]);
  });

  it("bare lines without timestamps: two memory sizes calibrate the last read, the report only", async () => {
    const lines: Line[] = Array.from({ length: 70 }, (_, i) => ({
      at: 1000 * (i + 1),
      stream: "aaaa",
      durationMs: 30 + (i % 7),
      memoryMb: i < 35 ? 512 : 1024,
      ...(i === 0 || i === 35 ? { initMs: 100 } : {}),
      ...(i === 3 ? { status: "error" } : {}),
    }));
    const dir = join(tmp, `case-${cases++}`);
    mkdirSync(dir);
    const file = join(dir, "orders.log");
    writeFileSync(file, `${lines.map((l) => reportLine(l).replace(/^\S+ \S+ /, "")).join("\n")}\n`);
    const r = await runCli(["calibrate", file, "--out", join(dir, "s.yaml"), "--report", join(dir, "r")]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`wrote ${join(dir, "r", "calibration.{json,md,html}")} (no scenario: the records have no timestamps)\n`);
    expect(r.err).toContain(
      `warning: ${file}:36: function orders: REPORT records of 2 memory sizes, 512 MB (35 records), 1024 MB (35 records): a deployment changed the memory; calibrated the latest span (the last in the order read), 1024 MB, from its first record here\n`,
    );
    expect(r.err).toContain("warning: no REPORT record has a timestamp");
    expect(readdirSync(dir).sort()).toEqual(["orders.log", "r"]);
    const f = JSON.parse(readFileSync(join(dir, "r", "calibration.json"), "utf8")).functions.orders;
    expect(f).toMatchObject({ memoryMb: 1024, invocations: 35, coldStarts: 1, environments: 1, errorRate: 0, rate: null });
    expect(f.memorySpans).toEqual([
      { memoryMb: 512, from: null, to: null, invocations: 35 },
      { memoryMb: 1024, from: null, to: null, invocations: 35 },
    ]);
    expect(f.duration.p50Ms).toBeCloseTo(33, 0);
  });

  it("warns of clock skew with the file and line of the first record out of order", async () => {
    const lines: Line[] = Array.from({ length: 40 }, (_, i) => ({
      at: 1000 * (i + 1),
      stream: "aaaa",
      durationMs: 10,
      ...(i === 0 ? { initMs: 50 } : {}),
    }));
    [lines[20], lines[21]] = [lines[21], lines[20]];
    const { dir, file } = logFile(lines);
    const r = await runCli(["calibrate", file, "--out", join(dir, "s.yaml"), "--report", join(dir, "r"), "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(
      `warning: ${file}:22: function orders: 1 REPORT record(s) earlier than the one before them in the same log stream`,
    );
  });

  it.each([
    ["none of the formats", "Dear team, the quarterly numbers are attached.\n", /:1: not a format calibrate reads: /],
    [
      "a malformed number",
      `${reportLine({ at: 0, stream: "a", durationMs: 1 }).replace("Duration: 1.00", "Duration: 1,5")}\n`,
      /:1: REPORT field "Duration" is "1,5", not a number/,
    ],
    [
      "timestamped and bare lines mixed",
      `${reportLine({ at: 0, stream: "a", durationMs: 1 })}\n${reportLine({ at: 5, stream: "a", durationMs: 1 }).replace(/^\S+ \S+ /, "")}\n`,
      /^error: .*orders\.log:2: a REPORT record without a timestamp, but the first one \(.*orders\.log:1\) has one: give either exports with timestamps or bare lines, not both$/m,
    ],
    [
      "too few records",
      `${reportLine({ at: 0, stream: "a", durationMs: 1 })}\n`,
      /^error: .*orders\.log:1: function orders: 1 REPORT record\(s\), the first here, the last at .*orders\.log:1; calibrating needs at least 30$/m,
    ],
  ])("%s: one error line, exit 2, nothing written", async (_, content, message) => {
    const dir = join(tmp, `case-${cases++}`);
    mkdirSync(dir);
    const file = join(dir, "orders.log");
    writeFileSync(file, content);
    const r = await runCli(["calibrate", file, "--out", join(dir, "out", "s.yaml"), "--report", join(dir, "r")]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(message);
    expect(r.out).toBe("");
    expect(readdirSync(dir)).toEqual(["orders.log"]);
  });

  it("never overwrites a scenario and names the function from --function", async () => {
    const { dir, file } = logFile(keepAliveLog(), "export-2026-01-05.log");
    const out = join(dir, "s.yaml");
    writeFileSync(out, "mine\n");
    const r = await runCli(["calibrate", file, "--function", "checkout", "--out", out, "--report", join(dir, "r")]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: ${out}: already exists; calibrate never overwrites: choose another --out or remove it\n`);
    expect(readFileSync(out, "utf8")).toBe("mine\n");
    expect(existsSync(join(dir, "s.checkout.trace.csv"))).toBe(false);
    const named = await runCli(["calibrate", file, "--function", "checkout", "--out", join(dir, "t.yaml"), "--report", join(dir, "r")]);
    expect(named.code).toBe(0);
    expect(existsSync(join(dir, "t.checkout.trace.csv"))).toBe(true);
  });
});
