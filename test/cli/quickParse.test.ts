import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPrebuiltTexts, type Parsed, parseWithYargs, quickParse } from "../../src/cli/main.js";
import { runCli } from "../support/cli.js";

/*
 * The command line is parsed without yargs when it is plain (src/cli/main.ts, quickParse), for
 * start-up time. Both parsers must hand a command the same arguments, and the bundle's prebuilt
 * texts must be what yargs and `schema` print.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The arguments a command reads: its positionals and the camel-case spelling of its options. */
function readByCommand(parsed: Parsed): Record<string, unknown> {
  if (!("command" in parsed)) return { text: parsed.text };
  const keys = Object.keys(parsed.args).filter((key) => !key.includes("-") && key !== "_" && key !== "$0");
  return { command: parsed.command, ...Object.fromEntries(keys.map((key) => [key, parsed.args[key]])) };
}

// Command first, as main() hands them over.
const PLAIN: string[][] = [
  ["run"],
  ["run", "s.yaml"],
  ["run", "s.yaml", "--seed", "3", "--out", "o", "--replications", "2", "--quiet", "--allow-large"],
  ["run", "--quiet", "s.yaml", "--debug"],
  ["run", "s.yaml", "--seed", "x"],
  ["run", "s.yaml", "--out", ""],
  ["validate", "s.yaml"],
  ["validate", "123"],
  ["schema"],
  ["schema", "--debug"],
  ["init"],
  ["init", "x.yaml"],
  ["from-sam", "t.yaml", "--out", "s.yaml"],
  ["sweep", "s.yaml", "--workers", "2", "--shard", "1/4", "--p99-limit", "300ms", "--seed", "1", "--replications", "3"],
  ["merge", "a.json"],
  ["merge", "a.json", "b.json", "c.json", "--out", "o", "--quiet"],
  ["compare", "a.json", "b.json", "--json"],
];

// Left to yargs: quickParse must decline these.
const UNUSUAL: string[][] = [
  ["run", "s.yaml", "--seed=3"],
  ["run", "s.yaml", "--no-quiet"],
  ["run", "s.yaml", "--allowLarge"],
  ["run", "s.yaml", "--seed", "-1"],
  ["run", "s.yaml", "--seed", "1", "--seed", "2"],
  ["run", "s.yaml", "--seed"],
  ["run", "a.yaml", "b.yaml"],
  ["run", "--", "s.yaml"],
  ["validate"],
  ["validate", "a", "b"],
  ["schema", "extra"],
  ["sweep", "s.yaml", "--vary", "a=1,2"],
  ["compare", "a.json"],
  ["compare", "a.json", "b.json", "--max-regression", "p99=5%"],
  ["run", "-h", "s.yaml"],
  ["run", "--version"],
  [],
];

describe("quickParse", () => {
  it.each(PLAIN.map((argv) => [argv.join(" "), argv]))("%s: the arguments yargs gives", async (_name, argv) => {
    const quick = quickParse(argv);
    expect(quick).toBeDefined();
    expect(readByCommand(quick!)).toEqual(readByCommand(await parseWithYargs(argv)));
  });

  it.each(UNUSUAL.map((argv) => [argv.join(" ") || "(nothing)", argv]))("%s: left to yargs", (_name, argv) => {
    expect(quickParse(argv)).toBeUndefined();
  });

  it("--version is the version yargs prints", async () => {
    expect(quickParse(["--version"])).toEqual(await parseWithYargs(["--version"]));
  });

  it("help is left to yargs when no texts were prebuilt (running from the sources)", () => {
    for (const argv of [["--help"], ["-h"], ["run", "--help"]]) expect(quickParse(argv)).toBeUndefined();
  });
});

describe("the bundle's prebuilt texts", () => {
  beforeAll(() => {
    // `npm test` builds first; build here only when the test runs on its own in a fresh clone.
    if (!existsSync(join(ROOT, "dist/cli/texts.json"))) {
      const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
      if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    }
  }, 180_000);

  it("are the help yargs prints and the schema `schema` prints", async () => {
    expect(JSON.parse(readFileSync(join(ROOT, "dist/cli/texts.json"), "utf8"))).toEqual(await buildPrebuiltTexts());
  });

  it.each([[["--help"]], [["-h"]], [["help"]], [["run", "--help"]], [["--help", "sweep"]], [["help", "merge"]], [["schema"]]])(
    "the binary prints for %j what the sources print",
    async (argv) => {
      const result = spawnSync(process.execPath, [join(ROOT, "bin/lambdasim.js"), ...argv], { encoding: "utf8" });
      const expected = await runCli(argv);
      expect({ code: result.status, out: result.stdout, err: result.stderr }).toEqual(expected);
    },
  );
});
