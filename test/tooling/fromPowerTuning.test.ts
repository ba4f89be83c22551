/*
 * `lambdasim from-power-tuning` reads the output of an AWS Lambda Power Tuning execution, whose
 * shape scenarios/README.md traces to Power Tuning's README and analyzer, and
 * writes a durationByMemory that a scenario and a memory sweep then use exactly at the measured
 * sizes. The file is untrusted: bad ones end in exit 2, one line per problem, none of its text shown.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSweepDocument } from "../../src/sweep/outputs.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run.js";
import { runCli } from "../support/cli.js";

const FIXTURE = join(resolve(dirname(fileURLToPath(import.meta.url)), "../.."), "scenarios/power-tuning-results.json");
const RESULTS = JSON.parse(readFileSync(FIXTURE, "utf8"));
/** Power Tuning's averageDuration per memory size in the fixture (ms). */
const MEASURED: Record<number, number> = Object.fromEntries(
  RESULTS.results.stats.map((s: { value: number; averageDuration: number }) => [s.value, s.averageDuration]),
);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-power-tuning-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, content: unknown) => {
  const file = join(tmp, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
};

describe("from-power-tuning", () => {
  it("writes each measured size's mean duration as durationByMemory", async () => {
    const result = await runCli(["from-power-tuning", FIXTURE]);
    expect(result.code).toBe(0);
    expect(result.err).toBe("");
    const block = parse(result.out) as { durationByMemory: Record<string, string> };
    expect(block.durationByMemory).toEqual({
      128: "1243.57ms",
      256: "618.21ms",
      512: "311.64ms",
      1024: "162.38ms",
      1536: "112.95ms",
      2048: "96.41ms",
      3008: "95.87ms",
    });
    expect(result.out).toContain("its choice: 256 MB");
    // The state machine's own output, without the README's "results" wrapper, reads the same.
    const bare = await runCli(["from-power-tuning", write("bare.json", RESULTS.results)]);
    expect(bare.out).toBe(result.out);
  });

  it("is what scenarios/power-tuned-transform.yaml carries, so the example stays a conversion of the results file", async () => {
    const converted = parse((await runCli(["from-power-tuning", FIXTURE, "--function", "transform"])).out) as Record<string, unknown>[];
    const example = parse(readFileSync(join(dirname(FIXTURE), "power-tuned-transform.yaml"), "utf8")) as {
      functions: Record<string, unknown>[];
    };
    expect(example.functions[0].durationByMemory).toEqual(converted[0].durationByMemory);
  });

  it("converted and swept: the measured sizes run exactly as measured, and the objectives choose among them", async () => {
    const converted = await runCli(["from-power-tuning", FIXTURE, "--function", "transform", "--out", join(tmp, "entry.yaml")]);
    expect(converted.code).toBe(0);
    expect(converted.out).toBe(`wrote ${join(tmp, "entry.yaml")}\n`);
    const [entry] = parse(readFileSync(join(tmp, "entry.yaml"), "utf8")) as Record<string, unknown>[];
    const scenario = {
      name: "tuned",
      duration: "10m",
      functions: [{ ...entry, runtime: "nodejs22.x", memoryMb: 1024, timeout: "10s", init: "200ms" }],
      workload: [{ function: "transform", arrivals: { poisson: { rate: 5 } } }],
    };
    const sizes = [128, 256, 512, 768, 1024, 1536, 2048, 3008];
    const plan = planSweep(scenario, {
      vary: [`functions.transform.memoryMb=${sizes.join(",")}`],
      objective: "balanced",
      baseDir: tmp,
      defaultName: "tuned",
    });
    const doc = buildSweepDocument(plan.definition, plan.variants, await runSweep(plan, { workers: 1 }));
    doc.variants.forEach((variant, i) => {
      const duration = variant.summary.functions.transform.durationMs;
      const measured = MEASURED[sizes[i]];
      if (measured === undefined) return;
      expect(duration.mean, `${sizes[i]} MB`).toBeCloseTo(measured, 3);
      expect(duration.max, `${sizes[i]} MB`).toBeCloseTo(measured, 3);
    });
    // 768 MB lies between 512 and 1,024 MB: t = a + b × 1769 / m through the two measurements.
    const w = (1769 / 768 - 1769 / 512) / (1769 / 1024 - 1769 / 512);
    expect(doc.variants[3].summary.functions.transform.durationMs.mean).toBeCloseTo(311.64 + w * (162.38 - 311.64), 3);
    expect(doc.objective).toMatchObject({ strategy: "balanced", balancedWeight: 0.5, p99LimitMs: null });
    // The balanced choice by the formula over the sweep's own figures.
    const cost = doc.variants.map((v) => v.summary.totals.cost.totalUsd);
    const p99 = doc.variants.map((v) => v.summary.functions.transform.latencyMs.p99);
    const score = cost.map((c, i) => (0.5 * c) / Math.max(...cost) + (0.5 * p99[i]) / Math.max(...p99));
    expect(doc.objective!.chosen).toBe(score.indexOf(Math.min(...score)));
  });

  it("refuses a file that is not Power Tuning output, naming the field and echoing none of its text", async () => {
    const secret = "AKIAEXAMPLESECRETKEY0000";
    const cases: [unknown, string[]][] = [
      [
        { results: { ...RESULTS.results, stats: undefined } },
        ["results.stats: missing: run Power Tuning with includeOutputResults: true to get the per-memory statistics, got nothing"],
      ],
      [{ results: { ...RESULTS.results, power: secret } }, ["results.power: expected a memory size in MB, got a string"]],
      [
        { results: { ...RESULTS.results, stats: [{ value: 64, averagePrice: secret, averageDuration: 1 }] } },
        [
          "results.stats[0].value: Too small: expected number to be >=128, got 64",
          "results.stats[0].averagePrice: expected number, received string, got a string",
        ],
      ],
      [
        { results: { ...RESULTS.results, stats: [RESULTS.results.stats[0], RESULTS.results.stats[0]] } },
        ["results.stats[1].value: 128 MB is given twice"],
      ],
      [
        { results: secret },
        [
          `results: expected the output of an AWS Lambda Power Tuning execution, { results: { power, cost, duration, stats } }, got a string`,
        ],
      ],
      [
        [secret],
        ["expected the output of an AWS Lambda Power Tuning execution, { results: { power, cost, duration, stats } }, got a list"],
      ],
    ];
    for (const [i, [document, expected]] of cases.entries()) {
      const file = write(`bad-${i}.json`, document);
      const result = await runCli(["from-power-tuning", file, "--out", join(tmp, `never-${i}.yaml`)]);
      expect(result.code, JSON.stringify(expected)).toBe(2);
      expect(result.err.split("\n").slice(0, -1)).toEqual(expected.map((line) => `error: ${file}: ${line}`));
      expect(result.err).not.toContain(secret);
      expect(existsSync(join(tmp, `never-${i}.yaml`))).toBe(false);
    }
    const malformed = write("malformed.json", `{"results": ${secret}`);
    const bad = await runCli(["from-power-tuning", malformed]);
    expect(bad.code).toBe(2);
    expect(bad.err).not.toContain(secret);
    const folder = join(tmp, "a-folder");
    mkdirSync(folder);
    expect((await runCli(["from-power-tuning", folder])).code).toBe(2);
  });

  it("writes --out only where named and never over a file, and refuses a --function that is no function name", async () => {
    const existing = write("existing.yaml", "keep me\n");
    const refused = await runCli(["from-power-tuning", FIXTURE, "--out", existing]);
    expect(refused.code).toBe(2);
    expect(readFileSync(existing, "utf8")).toBe("keep me\n");
    const name = await runCli(["from-power-tuning", FIXTURE, "--function", "a: b"]);
    expect(name.code).toBe(2);
    expect(name.err).toMatch(/^error: --function: must be 1-64 letters, digits, hyphens or underscores, got "a: b"$/m);
  });

  it("skips sizes without a measured duration, as Power Tuning's analyzer does, and says so", async () => {
    const stats = RESULTS.results.stats.map((s: { value: number }) => (s.value === 512 ? { ...s, averageDuration: 0 } : s));
    const result = await runCli(["from-power-tuning", write("empty-size.json", { results: { ...RESULTS.results, stats } })]);
    expect(result.code).toBe(0);
    expect(result.err).toBe("warning: skipped 512 MB: no measured duration (averageDuration 0)\n");
    expect(Object.keys((parse(result.out) as { durationByMemory: object }).durationByMemory)).not.toContain("512");
  });
});
