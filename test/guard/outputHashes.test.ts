import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { CASES } from "../cli/badInputCorpus.js";

/*
 * The guard against unintended output changes: sha256 of every report file of every example
 * scenario (and of every sweep an example defines), and of the message of every malformed scenario
 * in the bad-input corpus, and of the published JSON Schema. A change that alters output on purpose says so in its commit and
 * re-records with `UPDATE_OUTPUT_HASHES=1 npx vitest run test/guard`.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURE = join(ROOT, "test/fixtures/output-hashes.json");
const RECORD = process.env.UPDATE_OUTPUT_HASHES === "1";
const RUN_FILES = ["summary.json", "timeseries.csv", "report.md", "report.html"];
const SWEEP_FILES = ["sweep.json", "sweep.csv", "sweep.md", "report.html"];

type Hashes = Record<string, Record<string, string>>;

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
/** The examples, and scenarios kept only to pin behaviour the examples do not reach. */
const yamlIn = (folder: string) =>
  readdirSync(join(ROOT, folder))
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => `${folder}/${name}`);
const guarded = [...yamlIn("scenarios"), ...yamlIn("test/fixtures/guard")];
/** An example keeps the key it was first recorded under: its file name. */
const keyOf = (file: string) => (file.startsWith("scenarios/") ? basename(file) : file);
const hasSweep = (file: string) => /^sweep:/m.test(readFileSync(join(ROOT, file), "utf8"));

const recorded: Hashes = RECORD ? {} : JSON.parse(readFileSync(FIXTURE, "utf8"));
const measured: Hashes = {};

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-hashes-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  if (RECORD) writeFileSync(FIXTURE, `${JSON.stringify(measured, null, 2)}\n`);
});

function expectRecorded(key: string, hashes: Record<string, string>): void {
  measured[key] = hashes;
  if (!RECORD) expect(hashes, `${key}: output bytes changed`).toEqual(recorded[key]);
}

function hashFiles(dir: string, names: readonly string[]): Record<string, string> {
  expect(readdirSync(dir).sort()).toEqual([...names].sort());
  return Object.fromEntries(names.map((name) => [name, sha256(readFileSync(join(dir, name)))]));
}

describe("example (and guard scenario) outputs are byte-identical to the recorded ones", () => {
  it("covers every example scenario and every guard scenario", () => {
    if (RECORD) return;
    const keys = Object.keys(recorded).filter((key) => key.startsWith("run "));
    expect(keys.map((key) => key.slice(4)).sort()).toEqual(guarded.map(keyOf).sort());
  });

  for (const file of guarded) {
    it(`run ${file}`, async () => {
      const out = join(tmp, `run-${basename(file, ".yaml")}`);
      const result = await runCli(["run", join(ROOT, file), "--out", out, "--quiet"]);
      expect(result.err).toBe("");
      expect(result.code).toBe(0);
      expectRecorded(`run ${keyOf(file)}`, hashFiles(out, RUN_FILES));
    });
  }

  for (const file of guarded.filter(hasSweep)) {
    it(`sweep ${file}`, async () => {
      const out = join(tmp, `sweep-${basename(file, ".yaml")}`);
      const result = await runCli(["sweep", join(ROOT, file), "--out", out, "--quiet", "--workers", "1"]);
      expect(result.err).toBe("");
      expect(result.code).toBe(0);
      expectRecorded(`sweep ${keyOf(file)}`, hashFiles(out, SWEEP_FILES));
    });
  }
});

describe("calibrate's outputs on the example log are byte-identical to the recorded ones", () => {
  it("calibrate scenarios/logs/orders-api.log.gz --check", async () => {
    const out = join(tmp, "calibrate");
    const result = await runCli([
      "calibrate",
      join(ROOT, "scenarios/logs/orders-api.log.gz"),
      "--out",
      join(out, "orders-api.yaml"),
      "--report",
      join(out, "report"),
      "--check",
      "--quiet",
    ]);
    expect(result.code, result.err).toBe(0);
    // Paths are the part of the report that depends on where it ran.
    const read = (file: string) => readFileSync(join(out, file), "utf8").split(ROOT).join("<root>").split(out).join("<out>");
    const files = [
      "orders-api.yaml",
      "orders-api.rate.yaml",
      "orders-api.orders-api.trace.csv",
      ...["json", "md", "html"].map((e) => `report/calibration.${e}`),
    ];
    expectRecorded("calibrate orders-api.log.gz", Object.fromEntries(files.map((file) => [file, sha256(read(file))])));
  });
});

describe("the published JSON Schema is byte-identical to the recorded one", () => {
  it("lambdasim schema", async () => {
    const result = await runCli(["schema"]);
    expect(result.code).toBe(0);
    expectRecorded("schema", { stdout: sha256(result.out) });
  });
});

describe("bad-input messages are byte-identical to the recorded ones", () => {
  it("every case of the corpus", async () => {
    const hashes: Record<string, string> = {};
    for (const c of CASES) {
      const dir = mkdtempSync(join(tmp, "case-"));
      for (const [name, content] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), content);
      for (const name of c.dirs ?? []) mkdirSync(join(dir, name));
      const file = join(dir, `scenario.${c.ext ?? "yaml"}`);
      writeFileSync(file, c.scenario);
      const result = await runCli(["run", file, "--out", join(dir, "out")]);
      expect(result.code, c.name).toBe(2);
      // The case's temporary folder is the one part of a message that changes from run to run.
      hashes[c.name] = sha256(result.err.split(dir).join("<dir>"));
    }
    expectRecorded("bad input", hashes);
  });
});
