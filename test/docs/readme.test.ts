import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/*
 * The README's code runs here, so an example that throws or a command that fails breaks CI. Every
 * ```ts block is compiled and run against the built package (dist/, which `npm test` builds
 * first). Every lambdasim command of a ```sh block runs in a scratch folder holding a copy of
 * scenarios/, so what the README writes to reports/ lands there, never in the repository.
 * Skipped: `npm …` (installs packages, or runs this very suite), `aws …` (needs an AWS account), and
 * the Slurm recipe's `sbatch …` and its merge of /shared/sweep (`npm run test:slurm` runs them on a cluster).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const PACKAGE_ENTRY = pathToFileURL(join(ROOT, "dist/src/index.js")).href;
const CLI = join(ROOT, "bin/lambdasim.js");
const SKIPPED = /^(npm|aws|sbatch) |^lambdasim merge \/shared\//;
/** Commands the README shows failing on purpose, with the exit code it describes. */
const EXPECTED_EXIT: Record<string, number> = {
  "lambdasim compare reports/gate-base/summary.json reports/gate-cand/summary.json --max-regression p99=10% --max-regression cost=5%": 1,
};

function blocks(language: string): string[] {
  return [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter((m) => m[1] === language).map((m) => m[2]);
}

/** The commands of a shell block: continuation lines joined, `&&` chains split. */
function commands(block: string): string[] {
  return block
    .replace(/\\\n/g, " ")
    .split("\n")
    .flatMap((line) => line.split("&&"))
    .map((command) => command.trim().replace(/\s+/g, " "))
    .filter((command) => command !== "");
}

const work = mkdtempSync(join(tmpdir(), "lambdasim-readme-"));
cpSync(join(ROOT, "scenarios"), join(work, "scenarios"), { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: work, encoding: "utf8", timeout: 120_000 });

describe("README code blocks", () => {
  const library = blocks("ts");
  it("include at least one library example", () => {
    expect(library.length).toBeGreaterThan(0);
  });

  library.forEach((source, i) => {
    it(`ts block ${i + 1} runs without an error`, () => {
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      const file = join(work, `readme-${i + 1}.mjs`);
      writeFileSync(file, outputText.replace(/from "lambdasim"/g, `from ${JSON.stringify(PACKAGE_ENTRY)}`));
      const result = run([file]);
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout).not.toBe("");
    });
  });

  const shell = blocks("sh").flatMap(commands);
  const runnable = shell.filter((command) => !SKIPPED.test(command));
  it("name only commands this test runs or knowingly skips", () => {
    expect(runnable.length).toBeGreaterThan(0);
    for (const command of runnable) expect(command).toMatch(/^(npx )?lambdasim /);
  });

  for (const command of runnable) {
    const line = command.replace(/^npx /, "");
    it(`$ ${line}`, { timeout: 120_000 }, () => {
      expect(line, "quotes would need a shell").not.toMatch(/['"$`]/);
      const result = run([CLI, ...line.split(" ").slice(1)]);
      expect(result.stderr).not.toMatch(/^error:/m);
      expect(result.status, result.stderr).toBe(EXPECTED_EXIT[line] ?? 0);
    });
  }
});

/** The options `--help` lists under a heading, e.g. "Options:" (the command's own) or "Options of every command:". */
/** The option as a whole word: `--out` is not mentioned by `--out-dir`. */
const mentions = (text: string, option: string) => new RegExp(`${option}(?![a-z0-9-])`).test(text);

function helpOptions(help: string, heading: string): string[] {
  const section = help.split(/\n\n/).find((part) => part.startsWith(`${heading}\n`));
  return section === undefined ? [] : [...section.matchAll(/^\s+(?:-\w, )?(--[a-z0-9-]+)/gm)].map((m) => m[1]);
}

describe("README command table", () => {
  const section = README.slice(README.indexOf("## Command line"), README.indexOf("\n## ", README.indexOf("## Command line") + 1));
  const rows = section.split("\n").filter((line) => line.startsWith("| `lambdasim "));

  it("has a row for every command and every option of each command in its rows", async () => {
    const top = await runCli(["--help"]);
    const commands = [...top.out.matchAll(/^ {2}lambdasim ([a-z-]+)/gm)].map((m) => m[1]);
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const command of commands) {
      // A command may take several rows (sweep, and sweep --plan): its options may be in any of them.
      const row = rows
        .filter((line) => line.startsWith(`| \`lambdasim ${command} `) || line.startsWith(`| \`lambdasim ${command}\``))
        .join("\n");
      expect(row, `no README row for ${command}`).not.toBe("");
      const help = await runCli(["help", command]);
      expect(help.code).toBe(0);
      for (const option of helpOptions(help.out, "Options:")) expect(mentions(row, option), `${command} ${option}`).toBe(true);
    }
  });

  it("mentions every option that every command accepts", async () => {
    const global = helpOptions((await runCli(["--help"])).out, "Options of every command:");
    expect(global).toEqual(expect.arrayContaining(["--debug", "--help", "--version"]));
    for (const option of global) expect(mentions(section, option), option).toBe(true);
  });
});
