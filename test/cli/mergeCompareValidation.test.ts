import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_BAD_INPUT, EXIT_OK } from "../../src/cli/main.js";
import { runCli } from "../support/cli.js";

/*
 * merge and compare read JSON that may have been edited, truncated or forged: a value they compute
 * with that is not what lambdasim writes ends in exit 2 with the file and field named, never in a
 * wrong sweep, a passed gate or a stack trace.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SCENARIO = join(ROOT, "scenarios/memory-power-tuning.yaml");

let tmp: string;
// biome-ignore lint/suspicious/noExplicitAny: the tests tamper with parsed JSON at any depth
type Json = any;
let shard1: Json;
let shard2: Json;
let summary: Json;
let replicated: Json;

const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-merge-compare-"));
  for (const part of ["1/2", "2/2"]) {
    const result = await runCli(["sweep", SCENARIO, "--shard", part, "--workers", "1", "--out", join(tmp, "shards"), "--quiet"]);
    expect(result.code).toBe(EXIT_OK);
  }
  shard1 = readJson(join(tmp, "shards/sweep-shard-1-of-2.json"));
  shard2 = readJson(join(tmp, "shards/sweep-shard-2-of-2.json"));
  const run = await runCli(["run", "--out", join(tmp, "run"), "--quiet", "--replications", "2"]);
  expect(run.code).toBe(EXIT_OK);
  replicated = readJson(join(tmp, "run/summary.json"));
  const { replications: _, ...single } = replicated;
  summary = single;
}, 60_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, document: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify(document));
  return file;
}

async function expectRefused(argv: string[], expected: string[], out?: string): Promise<void> {
  const started = performance.now();
  const result = await runCli(argv);
  expect(result.err.split("\n").slice(0, -1)).toEqual(expected.map((line) => `error: ${line}`));
  expect(result.code).toBe(EXIT_BAD_INPUT);
  if (out !== undefined) expect(existsSync(out)).toBe(false);
  expect(performance.now() - started).toBeLessThan(1000);
}

describe("merge checks its shards", () => {
  const merge = (name: string, files: string[]) => {
    const out = join(tmp, `merged-${name}`);
    return { argv: ["merge", ...files, "--out", out, "--quiet"], out };
  };

  it("merges untouched shards", async () => {
    const { argv, out } = merge("ok", [write("s1.json", shard1), write("s2.json", shard2)]);
    expect((await runCli(argv)).code).toBe(EXIT_OK);
    expect(existsSync(join(out, "sweep.json"))).toBe(true);
  });

  it("refuses a variant given twice", async () => {
    const twice = structuredClone(shard1);
    twice.results[1] = structuredClone(twice.results[0]);
    const file = write("twice.json", twice);
    const { argv, out } = merge("twice", [file, write("s2.json", shard2)]);
    await expectRefused(argv, [`${file}: results[1].index: variant 0 is given twice (also in ${file})`], out);
  });

  it("refuses a result in the wrong shard, and one missing", async () => {
    const moved = structuredClone(shard2);
    moved.results[0] = structuredClone(shard1.results[0]);
    const file = write("moved.json", moved);
    const a = merge("moved", [write("s1.json", shard1), file]);
    await expectRefused(a.argv, [`${file}: results[0].index: variant 0 is not in shard 2/2`], a.out);
    const short = structuredClone(shard2);
    short.results.pop();
    const b = merge("short", [write("s1.json", shard1), write("short.json", short)]);
    await expectRefused(b.argv, ["merge: no results for variant 5"], b.out);
  });

  it("refuses a null figure, a forged variant list and an impossible seed", async () => {
    const nulled = structuredClone(shard1);
    nulled.results[0].summaries[0].totals.cost.totalUsd = null;
    const nullFile = write("null.json", nulled);
    const a = merge("null", [nullFile, write("s2.json", shard2)]);
    await expectRefused(a.argv, [`${nullFile}: results[0].summaries[0].totals.cost.totalUsd: expected a finite number, got null`], a.out);

    const forged = structuredClone(shard1);
    forged.variants[2].index = 7;
    const forgedFile = write("forged.json", forged);
    const b = merge("forged", [forgedFile, write("s2.json", shard2)]);
    await expectRefused(b.argv, [`${forgedFile}: variants[2].index: expected 2, got 7`], b.out);

    const seeded = structuredClone(shard1);
    seeded.definition.seed = Number.MAX_SAFE_INTEGER + 1;
    const seedFile = write("seed.json", seeded);
    const c = merge("seed", [seedFile, write("s2.json", shard2)]);
    await expectRefused(
      c.argv,
      [`${seedFile}: definition.seed: expected a whole number from 0 to 9007199254740991, got 9007199254740992`],
      c.out,
    );
  });
});

describe("merge carries the sweep's objective", () => {
  it("keeps the shards' objective, and refuses a weight without the balanced objective", async () => {
    const { argv, out } = {
      argv: ["merge", write("s1.json", shard1), write("s2.json", shard2), "--out", join(tmp, "merged-objective"), "--quiet"],
      out: join(tmp, "merged-objective"),
    };
    expect((await runCli(argv)).code).toBe(EXIT_OK);
    // memory-power-tuning.yaml gives p99Limit 2s and no objective: the cheapest within it, 1,024 MB.
    expect(readJson(join(out, "sweep.json")).objective).toEqual({
      strategy: "cost",
      balancedWeight: null,
      p99LimitMs: 2000,
      chosen: 3,
      cheapest: 3,
    });
    const weighted = structuredClone(shard1);
    weighted.definition.balancedWeight = 0.4;
    const file = write("weighted.json", weighted);
    const refusedOut = join(tmp, "merged-weighted");
    await expectRefused(
      ["merge", file, write("s2.json", shard2), "--out", refusedOut, "--quiet"],
      [
        `${file}: definition.balancedWeight: must be a number from 0 to 1 with the balanced objective and null otherwise, got 0.4 with cost`,
      ],
      refusedOut,
    );
  });
});

describe("compare checks both summaries", () => {
  it("a null cost cannot pass a cost gate", async () => {
    const candidate = structuredClone(summary);
    const name = Object.keys(candidate.functions)[0];
    candidate.functions[name].cost.totalUsd = null;
    const file = write("candidate-null.json", candidate);
    await expectRefused(
      ["compare", write("baseline.json", summary), file, "--max-regression", "cost=1%"],
      [`${file}: functions.${name}.cost.totalUsd: expected a finite number, got null`],
    );
  });

  it("a string where a count belongs, and a missing block", async () => {
    const candidate = structuredClone(summary);
    candidate.totals.Throttles = "0";
    delete candidate.totals.cost;
    const file = write("candidate-string.json", candidate);
    await expectRefused(
      ["compare", write("baseline.json", summary), file],
      [`${file}: totals.Throttles: expected a whole number >= 0, got "0"`, `${file}: totals.cost: expected a mapping, got nothing`],
    );
  });

  it("replications with fewer values than seeds", async () => {
    const candidate = structuredClone(replicated);
    candidate.replications.figures.totalUsd.values.pop();
    const file = write("candidate-replications.json", candidate);
    await expectRefused(
      ["compare", write("baseline-replicated.json", replicated), file],
      [`${file}: replications.figures.totalUsd.values: expected one value per seed (2), got 1`],
    );
  });

  it("untouched summaries compare", async () => {
    const result = await runCli([
      "compare",
      write("baseline.json", summary),
      write("candidate.json", summary),
      "--max-regression",
      "cost=1%",
    ]);
    expect(result.code).toBe(EXIT_OK);
  });
});
