import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../support/cli.js";
import { loadScenarioFile } from "../../src/scenario/read.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), "../fixtures/sam");

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-tooling-cli-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("lambdasim schema, init and from-sam", () => {
  it("schema prints a draft-07 JSON Schema on stdout", async () => {
    const r = await cli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.out);
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["functions", "workload", "account", "platform", "sweep"]));
  });

  it("the schema file the package ships is what schema prints", async () => {
    const shipped = join(ROOT, "dist/scenario.schema.json");
    expect(existsSync(shipped), "npm run build writes it (scripts/write-schema.ts)").toBe(true);
    expect(readFileSync(shipped, "utf8")).toBe((await cli(["schema"])).out);
  });

  it("init writes a starter that validates, and never overwrites", async () => {
    const file = join(tmp, "starter.yaml");
    const first = await cli(["init", file]);
    expect(first.code).toBe(0);
    expect(first.out).toBe(`wrote ${file}; try: lambdasim run ${file}\n`);
    expect(loadScenarioFile(file).functions.length).toBeGreaterThan(0);
    const before = readFileSync(file, "utf8");
    const again = await cli(["init", file]);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`error: ${file}: already exists; choose another name or remove it first\n`);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("from-sam prints the scenario, warns on stderr, and writes it with --out", async () => {
    const template = join(FIXTURES, "orders-api.yaml");
    const printed = await cli(["from-sam", template]);
    expect(printed.code).toBe(0);
    expect(printed.out).toMatch(/^# /);
    expect(
      printed.err
        .split("\n")
        .filter(Boolean)
        .every((line) => line.startsWith("warning: ")),
    ).toBe(true);
    const out = join(tmp, "orders.yaml");
    const written = await cli(["from-sam", template, "--out", out]);
    expect(written.code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(printed.out);
    expect(loadScenarioFile(out).functions.map((f) => f.name).length).toBeGreaterThan(1);
  });

  it("from-sam on a missing or non-template file exits 2 with no output file", async () => {
    const missing = await cli(["from-sam", join(tmp, "nope.yaml"), "--out", join(tmp, "x.yaml")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`error: ${join(tmp, "nope.yaml")}: cannot read: no such file\n`);
    const notTemplate = await cli(["from-sam", join(FIXTURES, "../../../package.json"), "--out", join(tmp, "y.yaml")]);
    expect(notTemplate.code).toBe(2);
    expect(notTemplate.err).toMatch(/^error: /);
    expect(existsSync(join(tmp, "x.yaml"))).toBe(false);
    expect(existsSync(join(tmp, "y.yaml"))).toBe(false);
  });
});
