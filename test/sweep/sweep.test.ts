import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../support/cli.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";
import { paretoFrontier } from "../../src/sweep/frontier.js";
import { buildSweepDocument } from "../../src/sweep/outputs.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run.js";
import { expandVariants, parseVary } from "../../src/sweep/variants.js";

/** A CPU-bound API and a worker: memory changes latency and cost, provisioned concurrency cold starts. */
const BASE = {
  name: "sweep-test",
  seed: 7,
  duration: "10m",
  functions: [
    { name: "api", memoryMb: 512, cpuBoundFraction: 0.8, duration: { lognormal: { median: "120ms", p99: "600ms" } } },
    { name: "worker", memoryMb: 256, duration: "300ms" },
  ],
  workload: [
    { function: "api", arrivals: { poisson: { rate: 20 } } },
    { function: "worker", invocation: "async", arrivals: { poisson: { rate: 2 } } },
  ],
};

let tmp: string;
let scenarioFile: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-sweep-"));
  scenarioFile = join(tmp, "sweep-test.json");
  writeFileSync(scenarioFile, JSON.stringify(BASE));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const filesOf = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, readFileSync(join(dir, name), "utf8")]),
  );

describe("variants", () => {
  it("form the cartesian product in order, the last dimension fastest, addressing entries by name or index", () => {
    const dims = [parseVary("functions.api.memoryMb=256,1024"), parseVary("workload.1.arrivals.poisson.rate=1,3,5")];
    const variants = expandVariants(BASE, dims);
    expect(variants.map((v) => v.vary)).toEqual([
      { "functions.api.memoryMb": 256, "workload.1.arrivals.poisson.rate": 1 },
      { "functions.api.memoryMb": 256, "workload.1.arrivals.poisson.rate": 3 },
      { "functions.api.memoryMb": 256, "workload.1.arrivals.poisson.rate": 5 },
      { "functions.api.memoryMb": 1024, "workload.1.arrivals.poisson.rate": 1 },
      { "functions.api.memoryMb": 1024, "workload.1.arrivals.poisson.rate": 3 },
      { "functions.api.memoryMb": 1024, "workload.1.arrivals.poisson.rate": 5 },
    ]);
    const last = variants[5].input as typeof BASE;
    expect(last.functions[0].memoryMb).toBe(1024);
    expect(last.workload[1].arrivals.poisson.rate).toBe(5);
    // The base is untouched.
    expect(BASE.functions[0].memoryMb).toBe(512);
  });

  it("reads values as YAML scalars and creates fields that were not written", () => {
    const [v] = expandVariants(BASE, [parseVary("functions.worker.reservedConcurrency=3"), parseVary("platform.keepAlive=5m")]);
    expect((v.input as { functions: { reservedConcurrency?: number }[] }).functions[1].reservedConcurrency).toBe(3);
    expect((v.input as { platform: { keepAlive: string } }).platform.keepAlive).toBe("5m");
  });

  it("rejects an unknown entry name, naming those that exist", () => {
    expect(() => expandVariants(BASE, [parseVary("functions.apl.memoryMb=256")])).toThrow(
      /functions\.apl: no entry "apl" \(entries: api, worker/,
    );
  });

  it("names the variant whose value is invalid", () => {
    expect(() => planSweep(BASE, { vary: ["functions.api.memoryMb=64,256"], baseDir: tmp, defaultName: "x" })).toThrow(
      /functions\[0\]\.memoryMb: must be >= 128, got 64 \(in variant 0: memoryMb=64\)/,
    );
  });
});

describe("sweep results", () => {
  it("equal the individual runs of each variant with the same seed (common random numbers)", async () => {
    const plan = planSweep(BASE, {
      vary: ["functions.api.memoryMb=256,1024", "functions.api.provisionedConcurrency=0,2"],
      baseDir: tmp,
      defaultName: "x",
    });
    const results = await runSweep(plan, { workers: 1 });
    expect(results).toHaveLength(4);
    for (const { index, summaries } of results) {
      const alone = buildSummary(simulate(resolveScenario(plan.variants[index].input, { baseDir: tmp })));
      expect(JSON.stringify(summaries[0])).toBe(JSON.stringify(alone));
    }
    // Memory changes the CPU-bound api's latency, and only the api's: the worker's draws are common.
    const [small, , large] = results.map((r) => r.summaries[0]);
    expect(large.functions.api.latencyMs.p50).toBeLessThan(small.functions.api.latencyMs.p50 / 1.5);
    expect(JSON.stringify(large.functions.worker)).toBe(JSON.stringify(small.functions.worker));
  });

  it("a variant identical to the baseline gives zero difference", async () => {
    const plan = planSweep(BASE, { vary: ["functions.api.memoryMb=512,512"], baseDir: tmp, defaultName: "x" });
    const [a, b] = await runSweep(plan, { workers: 1 });
    expect(JSON.stringify(a.summaries[0])).toBe(JSON.stringify(b.summaries[0]));
    writeFileSync(join(tmp, "a.json"), JSON.stringify(a.summaries[0]));
    writeFileSync(join(tmp, "b.json"), JSON.stringify(b.summaries[0]));
    const compared = await cli(["compare", join(tmp, "a.json"), join(tmp, "b.json"), "--json"]);
    expect(compared.code).toBe(0);
    const rows = JSON.parse(compared.out).rows as { change: number }[];
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.change === 0)).toBe(true);
  });

  it("names the cheapest variant within a p99 objective, or none", async () => {
    const plan = (limit: string) =>
      planSweep(BASE, { vary: ["functions.api.memoryMb=256,512,1024"], p99Limit: Number(limit), baseDir: tmp, defaultName: "x" });
    const loose = plan("1000");
    const results = await runSweep(loose, { workers: 1 });
    const p99 = results.map((r) => Math.max(r.summaries[0].functions.api.latencyMs.p99, r.summaries[0].functions.worker.latencyMs.p99));
    const cost = results.map((r) => r.summaries[0].totals.cost.totalUsd);
    // Within 1000 s every variant qualifies: the cheapest is the one named.
    expect(buildSweepDocument(loose.definition, loose.variants, results).objective).toEqual({
      strategy: "cost",
      balancedWeight: null,
      p99LimitMs: 1e6,
      chosen: cost.indexOf(Math.min(...cost)),
      cheapest: cost.indexOf(Math.min(...cost)),
    });
    // Just below the fastest variant's p99: none qualifies.
    const strict = plan(String((Math.min(...p99) - 1) / 1000));
    expect(buildSweepDocument(strict.definition, strict.variants, results).objective!.cheapest).toBeNull();
    // Exactly the fastest variant's p99: only it qualifies.
    const exact = plan(String(Math.min(...p99) / 1000));
    expect(buildSweepDocument(exact.definition, exact.variants, results).objective!.cheapest).toBe(p99.indexOf(Math.min(...p99)));
  });

  it("chooses by Power Tuning's strategies: cost, speed, and balanced W × cost / max cost + (1 − W) × p99 / max p99", async () => {
    const options = { vary: ["functions.api.memoryMb=256,512,1024,1769"], baseDir: tmp, defaultName: "x" };
    const base = planSweep(BASE, options);
    const results = await runSweep(base, { workers: 1 });
    const p99 = results.map((r) => Math.max(r.summaries[0].functions.api.latencyMs.p99, r.summaries[0].functions.worker.latencyMs.p99));
    const cost = results.map((r) => r.summaries[0].totals.cost.totalUsd);
    const choose = (extra: Partial<Parameters<typeof planSweep>[1]>) => {
      const plan = planSweep(BASE, { ...options, ...extra });
      return buildSweepDocument(plan.definition, plan.variants, results).objective!;
    };
    const argmin = (values: number[]) => values.indexOf(Math.min(...values));
    // More memory: faster and dearer for this CPU-bound api, so the three strategies disagree.
    expect(argmin(cost)).toBe(0);
    expect(argmin(p99)).toBe(3);
    expect(choose({ objective: "cost" })).toEqual({ strategy: "cost", balancedWeight: null, p99LimitMs: null, chosen: 0, cheapest: 0 });
    expect(choose({ objective: "speed" }).chosen).toBe(3);
    for (const weight of [0, 0.3, 0.5, 0.9, 1]) {
      const score = cost.map((c, i) => (weight * c) / Math.max(...cost) + ((1 - weight) * p99[i]) / Math.max(...p99));
      const choice = choose({ objective: "balanced", balancedWeight: weight });
      expect(choice.chosen, `weight ${weight}`).toBe(argmin(score));
      expect(choice.balancedWeight).toBe(weight);
    }
    // Weight 0 is the speed strategy and 1 the cost strategy, as Power Tuning documents.
    expect(choose({ objective: "balanced", balancedWeight: 0 }).chosen).toBe(3);
    expect(choose({ objective: "balanced", balancedWeight: 1 }).chosen).toBe(0);
    // Without a weight: Power Tuning's default, 0.5.
    expect(choose({ objective: "balanced" }).balancedWeight).toBe(0.5);
    // A limit excludes variants first: 256 MB misses one at 512 MB's p99, so 512 MB is the cheapest within it.
    expect(p99[0]).toBeGreaterThan(p99[1]);
    expect(choose({ objective: "cost", p99Limit: p99[1] / 1000 })).toMatchObject({ chosen: 1, cheapest: 1 });
    expect(choose({ objective: "speed", p99Limit: p99[1] / 1000 })).toMatchObject({ chosen: 3, cheapest: 1 });
    // No objective and no limit: nothing is chosen.
    expect(buildSweepDocument(base.definition, base.variants, results).objective).toBeNull();
    expect(() => planSweep(BASE, { ...options, balancedWeight: 0.2 })).toThrow(
      "--balanced-weight: applies to the balanced objective only, but the objective is not set",
    );
    expect(() => planSweep({ ...BASE, sweep: { objective: "speed", balancedWeight: 0.2 } }, { ...options })).toThrow(
      "sweep.balancedWeight: applies to the balanced objective only, but the objective is speed",
    );
  });

  it("names the chosen variant on stdout, in sweep.md and report.html; refuses an unknown objective or weight", async () => {
    const out = join(tmp, "objective-cli");
    const args = ["sweep", scenarioFile, "--vary", "functions.api.memoryMb=256,1024", "--workers", "1", "--out", out];
    const result = await cli([...args, "--objective", "balanced", "--balanced-weight", "0.7"]);
    expect(result.code).toBe(0);
    const line = result.out.split("\n").find((l) => l.startsWith("Balanced choice: #"));
    expect(line).toMatch(
      /^Balanced choice: #[01] \(memoryMb=(256|1024)\), \$[\d.]+ at a p99 of [\d.]+ ms; it minimises 0\.7 × cost \/ max cost \+ 0\.3 × p99 \/ max p99 \(objective balanced, weight 0\.7\)\.$/,
    );
    const doc = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8"));
    expect(doc.objective).toMatchObject({ strategy: "balanced", balancedWeight: 0.7, p99LimitMs: null });
    expect(line).toContain(`#${doc.objective.chosen} `);
    expect(readFileSync(join(out, "sweep.md"), "utf8")).toContain(line!.slice(0, 40));
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain(line!.slice(0, 40));
    const bad = await cli([...args.slice(0, -1), join(tmp, "never"), "--objective", "fast"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: --objective: expected cost, speed, balanced, got fast$/m);
    const weight = await cli([...args.slice(0, -1), join(tmp, "never"), "--objective", "balanced", "--balanced-weight", "1.5"]);
    expect(weight.err).toMatch(/^error: --balanced-weight: expected a number from 0 to 1, got 1\.5$/m);
  });

  it("marks the frontier: cheaper or faster than every other variant", () => {
    expect(
      paretoFrontier([
        { x: 1, y: 5 },
        { x: 2, y: 3 },
        { x: 3, y: 3 },
        { x: 2, y: 6 },
        { x: 4, y: 1 },
      ]),
    ).toEqual([true, true, false, false, true]);
  });

  it("replications give means and 95 % intervals that contain the single runs' spread", async () => {
    const plan = planSweep(BASE, { vary: ["functions.api.memoryMb=256,1024"], replications: 4, baseDir: tmp, defaultName: "x" });
    const results = await runSweep(plan, { workers: 1 });
    const doc = buildSweepDocument(plan.definition, plan.variants, results);
    const figure = doc.variants[0].replications!.figures["api.p99Ms"];
    expect(figure.values).toHaveLength(4);
    expect(new Set(figure.values).size).toBeGreaterThan(1);
    expect(figure.mean).toBeCloseTo(figure.values.reduce((s, v) => s + v, 0) / 4, 6);
    expect(figure.ci95[0]).toBeLessThan(figure.mean);
    expect(figure.ci95[1]).toBeGreaterThan(figure.mean);
    expect(doc.variants[0].replications!.seeds).toEqual([7, 8, 9, 10]);
    // Replication 0 is the scenario's own seed: the same as a plain run.
    expect(JSON.stringify(results[0].summaries[0])).toBe(JSON.stringify(buildSummary(simulate(resolveScenario(plan.variants[0].input)))));
  });
});

describe("lambdasim sweep and merge", () => {
  const vary = ["--vary", "functions.api.memoryMb=256,512,1024", "--vary", "functions.worker.reservedConcurrency=1,5", "--quiet"];

  it("write the same bytes on 1 or 2 workers, and shards merged equal the single sweep", async () => {
    const single = join(tmp, "single");
    const parallel = join(tmp, "parallel");
    const shards = join(tmp, "shards");
    const merged = join(tmp, "merged");
    expect((await cli(["sweep", scenarioFile, ...vary, "--workers", "1", "--out", single])).code).toBe(0);
    expect((await cli(["sweep", scenarioFile, ...vary, "--workers", "2", "--out", parallel])).code).toBe(0);
    for (const part of ["1/3", "2/3", "3/3"]) {
      const r = await cli(["sweep", scenarioFile, ...vary, "--workers", "1", "--shard", part, "--out", shards]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
    }
    const parts = readdirSync(shards).sort();
    expect(parts).toEqual(["sweep-shard-1-of-3.json", "sweep-shard-2-of-3.json", "sweep-shard-3-of-3.json"]);
    const m = await cli(["merge", ...parts.map((p) => join(shards, p)), "--out", merged, "--quiet"]);
    expect(m.err).toBe("");
    expect(m.code).toBe(0);
    const expected = filesOf(single);
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(["sweep.csv", "sweep.json", "sweep.md"]));
    expect(filesOf(parallel)).toEqual(expected);
    expect(filesOf(merged)).toEqual(expected);
    const doc = JSON.parse(expected["sweep.json"]);
    expect(doc.variants).toHaveLength(6);
    expect(doc.variants.map((v: { index: number }) => v.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(expected["sweep.csv"].trim().split("\n")).toHaveLength(7);
  });

  it("merge refuses a missing, repeated or foreign shard with exit 2", async () => {
    const dir = join(tmp, "bad-shards");
    for (const part of ["1/2", "2/2"]) await cli(["sweep", scenarioFile, ...vary, "--workers", "1", "--shard", part, "--out", dir]);
    await cli([
      "sweep",
      scenarioFile,
      "--vary",
      "functions.api.memoryMb=128,256",
      "--quiet",
      "--workers",
      "1",
      "--shard",
      "2/2",
      "--out",
      join(tmp, "other"),
    ]);
    const one = join(dir, "sweep-shard-1-of-2.json");
    const missing = await cli(["merge", one]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe("error: merge: missing shard 2/2\n");
    const twice = await cli(["merge", one, one]);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain("shard 1 is given twice");
    const foreign = await cli(["merge", one, join(tmp, "other", "sweep-shard-2-of-2.json")]);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toContain("belongs to a different sweep");
  });

  it("reports a bad --vary, --shard or --workers as bad input", async () => {
    for (const [args, message] of [
      [["--vary", "functions.api.memoryMb"], 'error: --vary: expected <path>=<v1>,<v2>,..., got "functions.api.memoryMb"\n'],
      [["--vary", "functions.api.memoryMb=256", "--shard", "3/2"], 'error: --shard: expected i/n with 1 <= i <= n (e.g. 2/8), got "3/2"\n'],
      [
        ["--vary", "functions.api.memoryMb=256", "--workers", "0"],
        'error: --workers: expected a whole number from 1 to 1024, got 0\nrun "lambdasim --help" for usage\n',
      ],
    ] as const) {
      const r = await cli(["sweep", scenarioFile, ...args, "--out", join(tmp, "never")]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(message);
    }
    expect(() => readdirSync(join(tmp, "never"))).toThrow();
  });
});

describe("warnings in sweeps", () => {
  /** An 80 s report job against the 3 s default timeout in variant #1 only; 15 minutes, past the pool's fill. */
  const SLOW = {
    name: "slow-sweep",
    seed: 3,
    duration: "15m",
    functions: [{ name: "report", duration: "1s" }],
    workload: [{ function: "report", arrivals: { constant: { interval: "1m" } } }],
    sweep: { vary: { "functions.report.duration": ["1s", "80s"] } },
  };
  const MESSAGE = "15 of 15 invocations of report timed out (timeout 3 s)";
  let file: string;
  beforeAll(() => {
    file = join(tmp, "slow-sweep.json");
    writeFileSync(file, JSON.stringify(SLOW));
  });

  it("carry each variant's warnings into sweep.json, sweep.md, report.html and stderr, only where there are some", async () => {
    const out = join(tmp, "slow-sweep");
    const r = await cli(["sweep", file, "--replications", "2", "--workers", "1", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("warning: most-invocations-timed-out in 1 of 2 variants (#1); see sweep.md\n");
    const files = filesOf(out);
    const doc = JSON.parse(files["sweep.json"]);
    expect("warnings" in doc.variants[0]).toBe(false);
    expect(doc.variants[1].warnings).toEqual([
      { code: "most-invocations-timed-out", path: "functions.report.timeouts", message: MESSAGE, replications: 2 },
    ]);
    expect(Object.keys(doc.variants[1])).toEqual([
      "index",
      "label",
      "vary",
      "frontier",
      "frontierStatus",
      "summary",
      "replications",
      "warnings",
    ]);
    expect(files["sweep.md"]).toContain(
      `\n## Warnings\n\n- #1 (duration=80s): \`most-invocations-timed-out\`: ${MESSAGE} (2 of 2 replications)\n\nFiles beside`,
    );
    expect(files["report.html"]).toContain("Warning: most-invocations-timed-out in 1 of 2 variants (#1); see sweep.md");
    const quiet = await cli(["sweep", file, "--workers", "1", "--out", join(tmp, "slow-quiet"), "--quiet"]);
    expect(quiet).toMatchObject({ code: 0, err: "" });
  });

  it("leave a sweep without warnings as it was: no warnings key, no section, nothing on stderr", async () => {
    const out = join(tmp, "fast-sweep");
    const r = await cli(["sweep", file, "--vary", "functions.report.duration=1s,2s", "--workers", "1", "--out", out]);
    expect(r).toMatchObject({ code: 0, err: "" });
    const files = filesOf(out);
    expect(files["sweep.json"]).not.toContain('"warnings"');
    expect(files["sweep.md"]).not.toContain("Warnings");
    expect(files["report.html"]).not.toContain("Warning:");
  });

  it("travel through shards: merged outputs and merge's stderr equal the single sweep's", async () => {
    const single = join(tmp, "slow-single");
    const shards = join(tmp, "slow-shards");
    const merged = join(tmp, "slow-merged");
    const s = await cli(["sweep", file, "--workers", "1", "--out", single]);
    for (const part of ["1/2", "2/2"])
      expect((await cli(["sweep", file, "--workers", "1", "--shard", part, "--out", shards, "--quiet"])).code).toBe(0);
    const m = await cli(["merge", join(shards, "sweep-shard-1-of-2.json"), join(shards, "sweep-shard-2-of-2.json"), "--out", merged]);
    expect(m.code).toBe(0);
    expect(m.err).toBe(s.err);
    expect(m.err).toBe("warning: most-invocations-timed-out in 1 of 2 variants (#1); see sweep.md\n");
    expect(filesOf(merged)).toEqual(filesOf(single));
  });

  it("merge refuses a shard whose warnings were tampered with: control characters, a made-up shape", async () => {
    const shards = join(tmp, "slow-tampered");
    for (const part of ["1/2", "2/2"]) await cli(["sweep", file, "--workers", "1", "--shard", part, "--out", shards, "--quiet"]);
    const first = join(shards, "sweep-shard-1-of-2.json");
    const second = join(shards, "sweep-shard-2-of-2.json");
    const original = readFileSync(second, "utf8");
    for (const [warning, message] of [
      [{ code: "most-invocations-timed-out", message: "\u001b[2Jgone" }, "message: expected text on one line without control characters"],
      [{ code: "Rm -rf", message: "x" }, "code: expected a warning code such as no-steady-state"],
      [{ code: "x", message: "y", extra: 1 }, 'Unrecognized key: "extra"'],
    ] as const) {
      const doc = JSON.parse(original);
      doc.results[0].summaries[0].warnings = [warning];
      writeFileSync(second, JSON.stringify(doc));
      const r = await cli(["merge", first, second, "--out", join(tmp, "never-merged")]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`error: ${second}: results[0].summaries[0].warnings[0]`);
      expect(r.err).toContain(message);
      expect(r.err).not.toContain("\u001b");
    }
    expect(() => readdirSync(join(tmp, "never-merged"))).toThrow();
  });
});

describe("named cases", () => {
  const CASES = {
    cases: [
      { name: "as-written" },
      { name: "warm-and-big", set: { "functions.api.memoryMb": 1024, "functions.api.provisionedConcurrency": 2 } },
    ],
  };

  it("set several fields per case, vary slower than every vary path, and equal the runs of the scenarios they describe", async () => {
    const plan = planSweep(
      { ...BASE, sweep: { ...CASES, vary: { "workload.worker.arrivals.poisson.rate": [1, 3] } } },
      { baseDir: tmp, defaultName: "x" },
    );
    expect(plan.variants.map((v) => v.label)).toEqual([
      "case=as-written, rate=1",
      "case=as-written, rate=3",
      "case=warm-and-big, rate=1",
      "case=warm-and-big, rate=3",
    ]);
    const warm = plan.variants[3].input as {
      functions: Record<string, unknown>[];
      workload: { arrivals: { poisson: { rate: number } } }[];
    };
    expect(warm.functions[0]).toMatchObject({ memoryMb: 1024, provisionedConcurrency: 2 });
    expect(warm.workload[1].arrivals.poisson.rate).toBe(3);
    const results = await runSweep(plan, { workers: 1 });
    for (const { index, summaries } of results) {
      const alone = buildSummary(simulate(resolveScenario(plan.variants[index].input, { baseDir: tmp })));
      expect(JSON.stringify(summaries[0])).toBe(JSON.stringify(alone));
    }
    const doc = buildSweepDocument(plan.definition, plan.variants, results);
    expect(doc.vary[0]).toEqual({ path: "case", values: [{ name: "as-written", set: {} }, CASES.cases[1]] });
    expect(doc.variants[2].vary).toEqual({ case: "warm-and-big", "workload.worker.arrivals.poisson.rate": 1 });
  });

  it("travel through shards, and a --vary replaces only the vary block", async () => {
    const file = join(tmp, "cases.json");
    writeFileSync(file, JSON.stringify({ ...BASE, sweep: CASES }));
    const single = join(tmp, "cases-single");
    const shards = join(tmp, "cases-shards");
    const merged = join(tmp, "cases-merged");
    const vary = ["--vary", "functions.worker.memoryMb=256,512", "--quiet", "--workers", "1"];
    expect((await cli(["sweep", file, ...vary, "--out", single])).code).toBe(0);
    for (const part of ["1/2", "2/2"]) expect((await cli(["sweep", file, ...vary, "--shard", part, "--out", shards])).code).toBe(0);
    const parts = readdirSync(shards).sort();
    expect((await cli(["merge", ...parts.map((p) => join(shards, p)), "--out", merged, "--quiet"])).code).toBe(0);
    const expected = filesOf(single);
    expect(filesOf(merged)).toEqual(expected);
    expect(expected["sweep.md"]).toContain("`case` (as-written, warm-and-big) × `functions.worker.memoryMb` (256, 512)");
    expect(expected["sweep.csv"].split("\n")[0]).toContain("case,functions.worker.memoryMb");
    expect(JSON.parse(expected["sweep.json"]).variants).toHaveLength(4);
  });

  it("refuses a repeated name, a bad name, a reserved key and a case that makes the scenario invalid, naming the case", () => {
    const plan = (sweep: unknown) => () => planSweep({ ...BASE, sweep }, { baseDir: tmp, defaultName: "x" });
    expect(plan({ cases: [{ name: "a" }, { name: "a" }] })).toThrow('sweep.cases[1].name: "a" names two cases');
    expect(plan({ cases: [{ name: "../up" }] })).toThrow(/sweep\.cases\.0\.name|sweep\.cases\[0\]\.name/);
    expect(plan({ cases: [{ name: "p", set: { "functions.api.__proto__": 1 } }] })).toThrow(/reserved in JavaScript/);
    expect(plan({ cases: [{ name: "huge", set: { "functions.api.memoryMb": 99999 } }] })).toThrow(/in variant 0: case=huge/);
  });
});
