import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/*
 * The bundled command line is compiled with the V8 code cache that `npm run build` writes beside
 * each chunk (bin/loadBundle.js). The cache must be one this Node accepts, or it saves nothing;
 * one it rejects, or one that is damaged, must change nothing but the time taken.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BUNDLE = join(ROOT, "dist/cli");
const SCENARIO = join(ROOT, "scenarios/steady-api.yaml");

/** Runs `script` in a fresh Node without flags (a flag V8 counts would make it reject every cache). */
function node(script: string, flags: string[] = []) {
  return spawnSync(process.execPath, [...flags, "-e", script], { cwd: ROOT, encoding: "utf8" });
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-code-cache-"));
  // `npm test` builds first; build here only when the test runs on its own in a fresh clone.
  if (!existsSync(join(BUNDLE, "main.js.cache"))) {
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  }
}, 180_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe("the bundle's code cache", () => {
  it("covers the chunks validate and run load, and this Node accepts every cache", () => {
    const cached = readdirSync(BUNDLE).filter((name) => name.endsWith(".js.cache"));
    expect(cached).toEqual(expect.arrayContaining(["main.js.cache", expect.stringMatching(/^runCommand-.*\.js\.cache$/)]));
    const check = `
      const { readFileSync } = require("node:fs");
      const { Script } = require("node:vm");
      const rejected = ${JSON.stringify(cached)}.filter((name) => {
        const file = ${JSON.stringify(BUNDLE)} + "/" + name.slice(0, -".cache".length);
        return new Script(readFileSync(file, "utf8"), { filename: file, cachedData: readFileSync(file + ".cache") }).cachedDataRejected;
      });
      process.stdout.write(JSON.stringify(rejected));`;
    const result = node(check);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it("a cache V8 rejects (other flags) or a damaged one: the same output, compiled from the source", () => {
    const damaged = join(tmp, "cli");
    cpSync(BUNDLE, damaged, { recursive: true });
    for (const name of readdirSync(damaged).filter((name) => name.endsWith(".cache"))) writeFileSync(join(damaged, name), "not a cache");
    const run = (dir: string, flags: string[] = []) =>
      node(
        `require(${JSON.stringify(join(ROOT, "bin/loadBundle.js"))}).loadBundle(${JSON.stringify(dir)}).exports` +
          `.main(["validate", ${JSON.stringify(SCENARIO)}]).then((code) => { process.exitCode = code; });`,
        flags,
      );
    const expected = run(BUNDLE);
    expect(expected.status).toBe(0);
    expect(expected.stdout).toBe(`${SCENARIO}: valid (2 functions)\n`);
    for (const result of [run(damaged), run(BUNDLE, ["--max-lazy"])]) {
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
        status: expected.status,
        stdout: expected.stdout,
        stderr: expected.stderr,
      });
    }
  });
});
