import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/*
 * The hostile-input corpus: one case per class of harm, over every command, each held to the same
 * promises. Exit 2 (1 only where compare reports a regression it was asked about), every stderr
 * line an `error:` line naming where the problem is (or the usage hint), no stack, nothing written
 * outside the case's own output folder, no temporary file left anywhere, and never a byte of the
 * secret that the case's files carry. Each case runs in a folder of its own, whose whole tree is
 * compared before and after.
 */

const SECRET = "PRIVATE-KEY-7f3a9c1e";
const secretFile = `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`;

let root: string;
let summary: Record<string, unknown>;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "lambdasim-corpus-"));
  const base = mkdtempSync(join(tmpdir(), "lambdasim-corpus-base-"));
  writeFileSync(join(base, "s.yaml"), valid);
  const made = await runCli(["run", join(base, "s.yaml"), "--out", join(base, "out"), "--quiet"]);
  if (made.code !== 0) throw new Error(made.err);
  summary = JSON.parse(readFileSync(join(base, "out", "summary.json"), "utf8"));
  rmSync(base, { recursive: true, force: true });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

interface Case {
  name: string;
  /** Files the case starts with, by name in its folder (content, made from a real summary.json, or null for a folder). */
  files?: Record<string, string | null | ((summary: Record<string, unknown>) => string)>;
  /** The command line; `D` stands for the case's folder. */
  argv: (dir: string) => string[];
  /** Each stderr line, after "error: " (D for the folder), as a pattern. */
  error: RegExp;
  exit?: number;
}

const api = "functions:\n  - { name: api, duration: 100ms }\n";
const scenario = (body: string, top = "duration: 1m\n") => `${top}${api}workload:\n${body}`;
const sync = (arrivals: string) => scenario(`  - { function: api, arrivals: ${arrivals} }\n`);
const valid = sync("{ poisson: { rate: 1 } }");
const traceEntry = (file: string, extra = "") =>
  scenario(`  - { function: api, arrivals: { trace: { file: ${JSON.stringify(file)}${extra} } } }\n`, "duration: 1h\n");
/** A real summary.json with one function's figures changed. */
const summaryWith =
  (change: (api: Record<string, Record<string, unknown>>) => void) =>
  (summary: Record<string, unknown>): string => {
    const copy = structuredClone(summary) as { functions: Record<string, Record<string, Record<string, unknown>>> };
    change(copy.functions.api);
    return JSON.stringify(copy);
  };
const realSummary = summaryWith(() => {});

const run =
  (file = "s.yaml", ...more: string[]) =>
  (d: string) => ["run", join(d, file), "--out", join(d, "out"), "--quiet", ...more];
const validate =
  (file = "s.yaml") =>
  (d: string) => ["validate", join(d, file)];
const sweep =
  (...more: string[]) =>
  (d: string) => ["sweep", join(d, "s.yaml"), "--out", join(d, "out"), "--quiet", "--workers", "1", ...more];

const CASES: Case[] = [
  // Scenario files that are not scenarios.
  {
    name: "run: a private key as the scenario",
    files: { "s.yaml": secretFile },
    argv: run(),
    error: /a scenario must be a mapping|YAML syntax error/,
  },
  {
    name: "validate: a private key as the scenario",
    files: { "s.yaml": secretFile },
    argv: validate(),
    error: /a scenario must be a mapping|YAML syntax error/,
  },
  { name: "run: a folder as the scenario", files: { "s.yaml": null }, argv: run(), error: /^.*is a folder|is a directory/ },
  { name: "run: a missing scenario", argv: run("missing.yaml"), error: /no such file/ },
  { name: "run: an empty scenario", files: { "s.yaml": "" }, argv: run(), error: /empty/ },
  {
    name: "run: binary garbage as the scenario",
    files: { "s.yaml": `\u0000\u0001${SECRET}\u0000` },
    argv: run(),
    error: /not a text file|syntax error/,
  },
  { name: "run: YAML with a tab-indented secret", files: { "s.yaml": `functions:\n\t- ${SECRET}\n` }, argv: run(), error: /syntax error/ },
  {
    name: "run: JSON with a trailing secret",
    files: { "s.json": `{"functions": []} ${SECRET}` },
    argv: run("s.json"),
    error: /syntax error/,
  },
  { name: "run: a scalar instead of a mapping", files: { "s.yaml": `${SECRET}\n` }, argv: run(), error: /a scenario must be a mapping/ },
  // Prototype pollution and YAML abuse.
  { name: "run: __proto__ key", files: { "s.yaml": `__proto__: { isAdmin: true }\n${valid}` }, argv: run(), error: /__proto__/ },
  {
    name: "run: constructor key in a function",
    files: { "s.yaml": sync("{ poisson: { rate: 1 }, constructor: { prototype: 1 } }") },
    argv: run(),
    error: /constructor|prototype/,
  },
  {
    name: "run: billion laughs",
    files: {
      "s.yaml": `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n${valid}`,
    },
    argv: run(),
    error: /aliases|unknown field/,
  },
  { name: "run: a self-referencing alias", files: { "s.yaml": `x: &x [*x]\n${valid}` }, argv: run(), error: /cycle|alias|unknown field/ },
  { name: "sweep: --vary __proto__", files: { "s.yaml": valid }, argv: sweep("--vary", "__proto__.isAdmin=true"), error: /__proto__/ },
  {
    name: "sweep: --vary constructor.prototype",
    files: { "s.yaml": valid },
    argv: sweep("--vary", "constructor.prototype.x=1"),
    error: /constructor|prototype/,
  },
  {
    name: "sweep: sweep.vary block with __proto__",
    files: { "s.yaml": `${valid}sweep:\n  vary:\n    __proto__.polluted: [1, 2]\n` },
    argv: sweep(),
    error: /__proto__/,
  },
  // Traces.
  {
    name: "run: a private key as a timestamps trace",
    files: { "s.yaml": traceEntry("key.pem"), "key.pem": secretFile },
    argv: run(),
    error: /key\.pem/,
  },
  {
    name: "run: a private key as an Azure trace",
    files: { "s.yaml": `workload:\n  - trace: { file: key.pem, format: azure-functions-2021 }\n`, "key.pem": secretFile },
    argv: run(),
    error: /key\.pem/,
  },
  { name: "run: /etc/passwd as a trace", files: { "s.yaml": traceEntry("/etc/passwd") }, argv: run(), error: /\/etc\/passwd/ },
  { name: "run: /proc/self/environ as a trace", files: { "s.yaml": traceEntry("/proc/self/environ") }, argv: run(), error: /environ/ },
  { name: "run: a folder as a trace", files: { "s.yaml": traceEntry("t"), t: null }, argv: run(), error: /folder|directory/ },
  { name: "run: a missing trace", files: { "s.yaml": traceEntry("nope.csv") }, argv: run(), error: /no such file/ },
  {
    name: "run: a trace with a 2 MB line",
    files: { "s.yaml": traceEntry("t.csv"), "t.csv": `1\n${"9".repeat(2 ** 21)}${SECRET}\n` },
    argv: run(),
    error: /longer than/,
  },
  {
    name: "run: a trace of text",
    files: { "s.yaml": traceEntry("t.csv"), "t.csv": `when\n${SECRET}\n` },
    argv: run(),
    error: /t\.csv, line/,
  },
  {
    name: "run: a trace going back in time",
    files: { "s.yaml": traceEntry("t.csv"), "t.csv": "5\n3\n" },
    argv: run(),
    error: /t\.csv, line 2/,
  },
  {
    name: "run: a trace column that does not exist",
    files: { "s.yaml": traceEntry("t.csv", ", column: 3"), "t.csv": "1\n2\n" },
    argv: run(),
    error: /t\.csv, line \d+: expected a timestamp/,
  },
  {
    name: "run: an unknown trace timeUnit",
    files: { "s.yaml": traceEntry("t.csv", ", timeUnit: ns"), "t.csv": "1\n" },
    argv: run(),
    error: /timeUnit/,
  },
  // Numbers that cannot be simulated.
  { name: "run: NaN rate", files: { "s.yaml": sync("{ poisson: { rate: .nan } }") }, argv: run(), error: /rate/ },
  { name: "run: infinite rate", files: { "s.yaml": sync("{ poisson: { rate: .inf } }") }, argv: run(), error: /rate/ },
  { name: "run: negative interval", files: { "s.yaml": sync("{ constant: { interval: -1 } }") }, argv: run(), error: /interval/ },
  {
    name: "run: a memory of 1e308",
    files: {
      "s.yaml": `duration: 1m\nfunctions:\n  - { name: api, duration: 100ms, memoryMb: 1e308 }\nworkload:\n  - { function: api, arrivals: { poisson: { rate: 1 } } }\n`,
    },
    argv: run(),
    error: /memoryMb/,
  },
  { name: "run: a seed past 2^53", files: { "s.yaml": `seed: 9007199254740993\n${valid}` }, argv: run(), error: /seed/ },
  // Names that would lead outside the output folder.
  { name: "run: a scenario named ..", files: { "s.yaml": `name: ".."\n${valid}` }, argv: run(), error: /name/ },
  { name: "run: a scenario named with a slash", files: { "s.yaml": `name: "../../x"\n${valid}` }, argv: run(), error: /name/ },
  {
    name: "run: a function named with a slash",
    files: {
      "s.yaml": `duration: 1m\nfunctions:\n  - { name: "../x", duration: 100ms }\nworkload:\n  - { function: "../x", arrivals: { poisson: { rate: 1 } } }\n`,
    },
    argv: run(),
    error: /name/,
  },
  // Output folders.
  {
    name: "run: --out is a file",
    files: { "s.yaml": valid, f: "x" },
    argv: (d) => ["run", join(d, "s.yaml"), "--out", join(d, "f"), "--quiet"],
    error: /--out/,
  },
  {
    name: "run: --out below a file",
    files: { "s.yaml": valid, f: "x" },
    argv: (d) => ["run", join(d, "s.yaml"), "--out", join(d, "f", "o"), "--quiet"],
    error: /--out/,
  },
  { name: "run: --out empty", files: { "s.yaml": valid }, argv: (d) => ["run", join(d, "s.yaml"), "--out", "", "--quiet"], error: /--out/ },
  {
    name: "run: --out twice",
    files: { "s.yaml": valid },
    argv: (d) => ["run", join(d, "s.yaml"), "--out", join(d, "a"), "--out", join(d, "b"), "--quiet"],
    error: /--out/,
  },
  {
    name: "run: --out /dev/null",
    files: { "s.yaml": valid },
    argv: (d) => ["run", join(d, "s.yaml"), "--out", "/dev/null", "--quiet"],
    error: /--out/,
  },
  {
    name: "run: --out under /proc",
    files: { "s.yaml": valid },
    argv: (d) => ["run", join(d, "s.yaml"), "--out", "/proc/self/x", "--quiet"],
    error: /--out/,
  },
  {
    name: "run: --out too long",
    files: { "s.yaml": valid },
    argv: (d) => ["run", join(d, "s.yaml"), "--out", join(d, "x".repeat(300)), "--quiet"],
    error: /--out/,
  },
  {
    name: "sweep: --out is a file",
    files: { "s.yaml": valid, f: "x" },
    argv: (d) => ["sweep", join(d, "s.yaml"), "--vary", "functions.api.memoryMb=128,256", "--out", join(d, "f"), "--quiet"],
    error: /--out/,
  },
  // Command lines.
  { name: "run: --seed -1", files: { "s.yaml": valid }, argv: run("s.yaml", "--seed", "-1"), error: /--seed|usage/ },
  { name: "run: --replications 0", files: { "s.yaml": valid }, argv: run("s.yaml", "--replications", "0"), error: /--replications|usage/ },
  { name: "run: a mistyped option", files: { "s.yaml": valid }, argv: run("s.yaml", "--sed", "3"), error: /--sed|usage/ },
  { name: "a mistyped command", argv: () => ["rnu"], error: /rnu|usage/ },
  { name: "sweep: a malformed --vary", files: { "s.yaml": valid }, argv: sweep("--vary", "functions.api.memoryMb"), error: /--vary|vary/ },
  {
    name: "sweep: --vary into a field that does not exist",
    files: { "s.yaml": valid },
    argv: sweep("--vary", "functions.nope.memoryMb=1,2"),
    error: /nope/,
  },
  {
    name: "sweep: --shard 3/2",
    files: { "s.yaml": valid },
    argv: sweep("--vary", "functions.api.memoryMb=128,256", "--shard", "3/2"),
    error: /--shard|usage/,
  },
  {
    name: "sweep: --workers abc",
    files: { "s.yaml": valid },
    argv: sweep("--vary", "functions.api.memoryMb=128,256", "--workers", "abc"),
    error: /--workers|usage/,
  },
  // merge: shard files.
  {
    name: "merge: a private key as a shard",
    files: { "a.json": secretFile },
    argv: (d) => ["merge", join(d, "a.json"), "--out", join(d, "out"), "--quiet"],
    error: /a\.json/,
  },
  {
    name: "merge: a shard of the wrong shape",
    files: { "a.json": JSON.stringify({ kind: SECRET }) },
    argv: (d) => ["merge", join(d, "a.json"), "--out", join(d, "out"), "--quiet"],
    error: /a\.json/,
  },
  {
    name: "merge: a shard that is a folder",
    files: { "a.json": null },
    argv: (d) => ["merge", join(d, "a.json"), "--out", join(d, "out"), "--quiet"],
    error: /a\.json/,
  },
  // compare: summaries.
  {
    name: "compare: a private key as the baseline",
    files: { "a.json": secretFile, "b.json": realSummary },
    argv: (d) => ["compare", join(d, "a.json"), join(d, "b.json")],
    error: /a\.json/,
  },
  {
    name: "compare: a null cost in the candidate",
    files: {
      "a.json": realSummary,
      "b.json": summaryWith((f) => {
        f.cost.totalUsd = null;
      }),
    },
    argv: (d) => ["compare", join(d, "a.json"), join(d, "b.json"), "--max-regression", "cost=1%"],
    error: /b\.json|cost/,
  },
  {
    name: "compare: a malformed threshold",
    files: { "a.json": realSummary, "b.json": realSummary },
    argv: (d) => ["compare", join(d, "a.json"), join(d, "b.json"), "--max-regression", "p99=lots"],
    error: /max-regression|p99|usage/,
  },
  {
    name: "compare: an unknown metric",
    files: { "a.json": realSummary, "b.json": realSummary },
    argv: (d) => ["compare", join(d, "a.json"), join(d, "b.json"), "--max-regression", "vibes=1%"],
    error: /vibes|usage/,
  },
  // Scenario tooling.
  { name: "init: into a path below a file", files: { f: "x" }, argv: (d) => ["init", join(d, "f", "s.yaml")], error: /f/ },
  { name: "init: onto an existing file", files: { "s.yaml": SECRET }, argv: (d) => ["init", join(d, "s.yaml")], error: /exists|s\.yaml/ },
  {
    name: "from-sam: a private key as the template",
    files: { "t.yaml": secretFile },
    argv: (d) => ["from-sam", join(d, "t.yaml")],
    error: /t\.yaml/,
  },
  {
    name: "from-sam: a template with __proto__",
    files: { "t.yaml": "Resources:\n  __proto__: { Type: AWS::Serverless::Function }\n" },
    argv: (d) => ["from-sam", join(d, "t.yaml")],
    error: /__proto__/,
  },
  {
    name: "from-sam: a template alias bomb",
    files: {
      "t.yaml": `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nResources: {}\n`,
    },
    argv: (d) => ["from-sam", join(d, "t.yaml")],
    error: /aliases|t\.yaml/,
  },
  {
    name: "from-sam: onto an existing --out",
    files: { "t.yaml": "Resources: {}\n", "o.yaml": SECRET },
    argv: (d) => ["from-sam", join(d, "t.yaml"), "--out", join(d, "o.yaml")],
    error: /exists|o\.yaml|Resources/,
  },
  { name: "schema: an extra argument", argv: () => ["schema", "extra"], error: /extra|usage|argument/ },
];

/** Every path below `dir`, with size and mtime, to see whether anything was written. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const stat = statSync(full);
      out.set(relative(dir, full), stat.isDirectory() ? "dir" : `${stat.size}:${stat.mtimeMs}`);
      if (stat.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

describe("the hostile-input corpus", () => {
  it("has at least 60 classes over every command", () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    const commands = new Set(CASES.map((c) => c.argv("D")[0]));
    for (const command of ["run", "validate", "sweep", "merge", "compare", "schema", "init", "from-sam"])
      expect(commands).toContain(command);
  });

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const dir = join(root, `case-${i}`);
      mkdirSync(dir);
      for (const [name, content] of Object.entries(c.files ?? {})) {
        if (content === null) mkdirSync(join(dir, name));
        else writeFileSync(join(dir, name), typeof content === "function" ? content(summary) : content);
      }
      const before = tree(root);
      const result = await runCli(c.argv(dir));
      const shown = `stderr:\n${result.err}\nstdout:\n${result.out}`;
      expect(result.code, shown).toBe(c.exit ?? 2);
      expect(result.out, shown).toBe("");
      const lines = result.err.split("\n").filter((line) => line !== "");
      expect(lines.length, shown).toBeGreaterThan(0);
      for (const line of lines) expect(line, shown).toMatch(/^error: \S|^run "lambdasim --help" for usage$/);
      expect(
        lines
          .filter((line) => line.startsWith("error: "))
          .map((line) => line.slice(7).split(dir).join("D"))
          .join("\n"),
        shown,
      ).toMatch(c.error);
      expect(result.err, shown).not.toMatch(/^\s+at /m);
      expect(result.err, shown).not.toContain("internal error");
      expect(result.err + result.out, "the secret was echoed").not.toContain(SECRET);
      // Nothing was written anywhere: the case's folder (and its siblings) are as they were.
      expect(tree(root), shown).toEqual(before);
      expect(existsSync(join(dir, "out")), shown).toBe(false);
    });
  });
});
