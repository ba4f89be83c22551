import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_BAD_INPUT, EXIT_OK } from "../../src/cli/main.js";
import { runCli, type Captured } from "../support/cli.js";
import { CASES, type Expected, scenario } from "./badInputCorpus.js";

/*
 * Every malformed input must end in exit code 2 with one "error: <field path>: <what is wrong and
 * what is allowed>" line per problem, no stack trace, and no report files.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-bad-input-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const lines = (text: string) => text.split("\n").filter((line, i, all) => line !== "" || i < all.length - 1);

function expectLines(err: string, expected: readonly Expected[]): void {
  const actual = lines(err);
  expect(actual, `stderr was:\n${err}`).toHaveLength(expected.length);
  expected.forEach((want, i) => {
    if (typeof want === "string") expect(actual[i]).toBe(`error: ${want}`);
    else expect(actual[i]).toMatch(want);
  });
}

function expectNoCrash(result: Captured): void {
  expect(result.err).not.toMatch(/^\s{4}at /m);
  expect(result.err).not.toContain("internal error");
  expect(result.code).toBe(EXIT_BAD_INPUT);
}

describe("lambdasim run <malformed scenario>", () => {
  it("covers at least 20 distinct malformed scenarios", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  for (const c of CASES) {
    it(`${c.name}: exit 2, one line per problem, no report`, async () => {
      const dir = mkdtempSync(join(tmp, "case-"));
      for (const [name, content] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), content);
      for (const name of c.dirs ?? []) mkdirSync(join(dir, name));
      const file = join(dir, `scenario.${c.ext ?? "yaml"}`);
      writeFileSync(file, c.scenario);
      const outDir = join(dir, "out");
      mkdirSync(outDir);

      const result = await runCli(["run", file, "--out", outDir]);

      expectNoCrash(result);
      expectLines(result.err, typeof c.expected === "function" ? c.expected({ file, dir }) : c.expected);
      expect(result.out).toBe("");
      expect(readdirSync(outDir)).toEqual([]);
    });
  }

  it("a missing scenario file: exit 2, no report folder", async () => {
    const outDir = join(tmp, "missing-out");
    const missing = join(tmp, "no-such-scenario.yaml");
    const result = await runCli(["run", missing, "--out", outDir]);
    expectNoCrash(result);
    expectLines(result.err, [`cannot read scenario file ${JSON.stringify(missing)}: no such file`]);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe("lambdasim <malformed command line>", () => {
  const USAGE_HINT = /^run "lambdasim --help" for usage$/;
  let valid: string;
  let outDir: string;
  beforeAll(() => {
    valid = join(tmp, "valid.yaml");
    writeFileSync(valid, scenario());
    outDir = join(tmp, "cli-out");
    mkdirSync(outDir, { recursive: true });
  });

  it.each([
    ["-3", "--seed: expected a whole number >= 0, got -3"],
    ["1.5", "--seed: expected a whole number >= 0, got 1.5"],
  ])("--seed %s: exit 2 and what a seed must be", async (seed, message) => {
    const result = await runCli(["run", valid, "--seed", seed, "--out", outDir]);
    expectNoCrash(result);
    expectLines(result.err, [message, USAGE_HINT]);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it("--seed abc: names what was given", async () => {
    const result = await runCli(["run", valid, "--seed", "abc", "--out", outDir]);
    expectNoCrash(result);
    expectLines(result.err, [/^error: --seed: expected a whole number >= 0, got "?abc"?$/, USAGE_HINT]);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it("unknown command: names it and the commands there are", async () => {
    const result = await runCli(["frobnicate"]);
    expectNoCrash(result);
    expectLines(result.err, [
      'unknown command "frobnicate"; commands: run, validate, sweep, merge, compare, schema, init, from-sam, from-power-tuning, calibrate',
      USAGE_HINT,
    ]);
  });

  it("no command: exit 2 and the commands there are", async () => {
    const result = await runCli([]);
    expectNoCrash(result);
    expectLines(result.err, [
      "name a command: run, validate, sweep, merge, compare, schema, init, from-sam, from-power-tuning, calibrate",
      USAGE_HINT,
    ]);
  });
});

describe("the real binary", () => {
  const bin = join(ROOT, "bin/lambdasim.js");
  beforeAll(() => {
    // `npm test` builds first; build here only when the test runs on its own in a fresh clone.
    if (!existsSync(join(ROOT, "dist/cli/main.js"))) {
      const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
      if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    }
  }, 120_000);

  it("validate <bad file>: exit code 2 and exactly one line on stderr", () => {
    const file = join(tmp, "bin-bad.yaml");
    writeFileSync(file, scenario({ fn: "    memoryMb: 100" }));
    const result = spawnSync(process.execPath, [bin, "validate", file], { cwd: tmp, encoding: "utf8" });
    expect(result.status).toBe(EXIT_BAD_INPUT);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("error: functions[0].memoryMb: must be >= 128, got 100\n");
  });

  it("validate <good file>: exit code 0 and one line on stdout", () => {
    const file = join(tmp, "bin-good.yaml");
    writeFileSync(file, scenario());
    const result = spawnSync(process.execPath, [bin, "validate", file], { cwd: tmp, encoding: "utf8" });
    expect(result.status).toBe(EXIT_OK);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`${file}: valid (1 function)\n`);
  });
});

describe("lambdasim run <good scenario>", () => {
  it("writes exactly summary.json, timeseries.csv and report.md, and the summary has the documented fields", async () => {
    const dir = mkdtempSync(join(tmp, "happy-"));
    const file = join(dir, "happy.yaml");
    writeFileSync(
      file,
      [
        "name: happy",
        "description: a small API for the happy path",
        "seed: 9",
        "duration: 15m",
        "functions:",
        "  - { name: api, runtime: python3.12, memoryMb: 256, duration: { lognormal: { median: 50ms, p99: 400ms } } }",
        "  - { name: worker, memoryMb: 1024, reservedConcurrency: 5, provisionedConcurrency: 2, duration: 1s }",
        "workload:",
        "  - { function: api, arrivals: { poisson: { rate: 20 } } }",
        "  - { function: worker, arrivals: { constant: { interval: 2s } } }",
        "",
      ].join("\n"),
    );
    const outDir = join(dir, "out");
    const result = await runCli(["run", file, "--out", outDir]);
    expect(result.err).toBe("");
    expect(result.code).toBe(EXIT_OK);
    expect(result.out).toMatch(
      /^happy: [\d,]+ arrivals, [\d,]+ invocations, [\d,]+ cold starts, [\d,]+ throttles, [\d,]+ errors, \$\d+\.\d{6}\n/,
    );
    expect(result.out).toContain(
      `wrote ${join(outDir, "summary.json")}, ${join(outDir, "timeseries.csv")}, ${join(outDir, "report.md")}, ${join(outDir, "report.html")}`,
    );
    expect(readdirSync(outDir).sort()).toEqual(["report.html", "report.md", "summary.json", "timeseries.csv"]);

    const summary = JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8"));
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining([
        "scenario",
        "description",
        "seed",
        "region",
        "arrivalSpanSeconds",
        "simulatedSeconds",
        "account",
        "functions",
        "totals",
      ]),
    );
    expect(summary).toMatchObject({
      scenario: "happy",
      description: "a small API for the happy path",
      seed: 9,
      region: "us-east-1",
      arrivalSpanSeconds: 900,
    });
    expect(Object.keys(summary.functions).sort()).toEqual(["api", "worker"]);
    for (const f of Object.values(summary.functions) as Record<string, unknown>[]) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining([
          "config",
          "arrivals",
          "outcomes",
          "metrics",
          "coldStarts",
          "latencyMs",
          "durationMs",
          "initDurationMs",
          "environments",
          "cost",
        ]),
      );
      expect(Object.keys(f.metrics as object)).toEqual(
        expect.arrayContaining([
          "Invocations",
          "Errors",
          "Throttles",
          "ProvisionedConcurrencyInvocations",
          "ProvisionedConcurrencySpilloverInvocations",
          "ConcurrentExecutions",
        ]),
      );
      expect(Object.keys(f.latencyMs as object)).toEqual(expect.arrayContaining(["mean", "p50", "p90", "p99", "p999", "max"]));
    }
    expect(summary.functions.worker.config).toMatchObject({
      memoryMb: 1024,
      reservedConcurrency: 5,
      provisionedConcurrency: [{ at: 0, value: 2 }],
    });
    expect(summary.functions.worker.cost.provisionedUsd).toBeGreaterThan(0);
    expect(summary.totals).toMatchObject({ arrivals: expect.any(Number), Invocations: expect.any(Number), Throttles: 0 });
    expect(summary.totals.cost.totalUsd).toBeGreaterThan(0);

    const csv = readFileSync(join(outDir, "timeseries.csv"), "utf8").trim().split("\n");
    expect(csv[0].split(",")).toEqual(expect.arrayContaining(["minute", "function", "Invocations", "Throttles"]));
    expect(csv.length).toBeGreaterThan(1);
    expect(readFileSync(join(outDir, "report.md"), "utf8")).toContain("happy");
  });
});
