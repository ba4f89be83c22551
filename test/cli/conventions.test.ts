import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_REGRESSION, main, type CliIo } from "../../src/cli/main.js";
import { environmentProblem } from "../../src/cli/io.js";
import { runCli } from "../support/cli.js";
import { scenario } from "./badInputCorpus.js";

/*
 * The conventions of the command line: --version, help, "did you mean", options anywhere, and
 * exit codes 0 ok, 1 regression (compare), 2 bad input or environment, 3 a bug.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = join(ROOT, "bin/lambdasim.js");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const COMMAND_LIST = "commands: run, validate, sweep, merge, compare, schema, init, from-sam, from-power-tuning, calibrate";
const USAGE_HINT = 'run "lambdasim --help" for usage';
const REPORT = "this is a bug in lambdasim; please report it at the lambdasim issue tracker";

let tmp: string;
let valid: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-conventions-"));
  valid = join(tmp, "valid.yaml");
  writeFileSync(valid, scenario());
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
// A developer's shell may have it set; each test that wants it sets it itself.
beforeEach(() => {
  vi.stubEnv("LAMBDASIM_DEBUG", undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

it("exit codes: 0 ok, 1 a regression, 2 bad input or environment, 3 a bug", () => {
  expect([EXIT_OK, EXIT_REGRESSION, EXIT_BAD_INPUT, EXIT_INTERNAL]).toEqual([0, 1, 2, 3]);
});

describe("--version and help", () => {
  it("--version prints the version in package.json and exits 0", async () => {
    expect(await runCli(["--version"])).toEqual({ code: EXIT_OK, out: `${VERSION}\n`, err: "" });
  });

  it.each([["-h"], ["--help"], ["help"]])("%s prints the usage of every command and exits 0", async (arg) => {
    const result = await runCli([arg]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.err).toBe("");
    const lines = result.out.trimEnd().split("\n");
    expect(lines[0]).toBe("lambdasim <command> [options]");
    for (const usage of ["run [scenario]", "validate <scenario>", "sweep <scenario>", "merge <shards..>", "compare <baseline> <candidate>"])
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ {2}lambdasim ${usage.replace(/[.[\]]/g, "\\$&")} {2,}\\S`)));
    expect(lines.at(-1)).toBe(
      "Options may come before or after the command. Exit codes: 0 success, 1 a regression (compare), " +
        "2 bad input or environment (one line per problem), 3 an internal error (a bug; --debug prints its stack).",
    );
  });

  it("help <command> prints that command's usage, as <command> --help does", async () => {
    const result = await runCli(["help", "run"]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.err).toBe("");
    expect(result.out.split("\n")[0]).toBe("lambdasim run [scenario]");
    expect(result.out).toMatch(/^ {6}--replications {2}rerun with seeds/m);
    expect(result.out).not.toContain("--vary");
    expect(await runCli(["run", "--help"])).toEqual(result);
    expect(await runCli(["-h", "run"])).toEqual(result);
  });

  it("help <unknown command>: exit 2, did you mean, and the commands there are", async () => {
    expect(await runCli(["help", "frobnicate"])).toEqual({
      code: EXIT_BAD_INPUT,
      out: "",
      err: `error: unknown command "frobnicate"; ${COMMAND_LIST}\n${USAGE_HINT}\n`,
    });
    expect((await runCli(["help", "swep"])).err).toBe(
      `error: unknown command "swep" (did you mean "sweep"?); ${COMMAND_LIST}\n${USAGE_HINT}\n`,
    );
  });
});

describe("did you mean", () => {
  it.each([
    ["rnu", "run"],
    ["valdate", "validate"],
    ["hlep", "help"],
  ])("a mistyped command %s suggests %s; exit 2", async (typed, meant) => {
    expect(await runCli([typed, valid])).toEqual({
      code: EXIT_BAD_INPUT,
      out: "",
      err: `error: unknown command "${typed}" (did you mean "${meant}"?); ${COMMAND_LIST}\n${USAGE_HINT}\n`,
    });
  });

  it.each([
    [["run", "VALID", "--sed", "3"], "--sed", "--seed"],
    [["--sed", "3", "run", "VALID"], "--sed", "--seed"],
    [["run", "VALID", "--replication=2"], "--replication", "--replications"],
    [["sweep", "VALID", "--p99-limt", "300ms"], "--p99-limt", "--p99-limit"],
    [["compare", "a.json", "b.json", "--max-regresion", "p99=10%"], "--max-regresion", "--max-regression"],
    [["validate", "VALID", "--debgu"], "--debgu", "--debug"],
    [["schema", "--verison"], "--verison", "--version"],
  ])("%j: unknown option %s, did you mean %s; exit 2", async (argv, typed, meant) => {
    const result = await runCli(argv.map((arg) => (arg === "VALID" ? valid : arg)));
    expect(result).toEqual({
      code: EXIT_BAD_INPUT,
      out: "",
      err: `error: unknown option ${typed} (did you mean ${meant}?)\n${USAGE_HINT}\n`,
    });
  });

  it("an option no command of that name has, and nothing close: no suggestion", async () => {
    expect(await runCli(["validate", valid, "--out", join(tmp, "x")])).toEqual({
      code: EXIT_BAD_INPUT,
      out: "",
      err: `error: unknown option --out\n${USAGE_HINT}\n`,
    });
    expect((await runCli(["-V"])).err).toBe(`error: unknown option -V\n${USAGE_HINT}\n`);
  });
});

describe("options anywhere", () => {
  it("--seed 3 run <file> writes what run <file> --seed 3 writes", async () => {
    const before = join(tmp, "seed-before");
    const after = join(tmp, "seed-after");
    expect(await runCli(["--seed", "3", "--quiet", "--out", before, "run", valid])).toEqual({ code: EXIT_OK, out: "", err: "" });
    expect(await runCli(["run", valid, "--seed", "3", "--out", after, "--quiet"])).toEqual({ code: EXIT_OK, out: "", err: "" });
    const summary = readFileSync(join(before, "summary.json"), "utf8");
    expect(JSON.parse(summary).seed).toBe(3);
    expect(summary).toBe(readFileSync(join(after, "summary.json"), "utf8"));
  });

  it("--seed=3 before the command carries its value", async () => {
    const out = join(tmp, "seed-equals");
    expect(await runCli(["--seed=3", "--out", out, "--quiet", "run", valid])).toEqual({ code: EXIT_OK, out: "", err: "" });
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).seed).toBe(3);
  });

  it("a repeatable option before the command takes one value and leaves the scenario to the command", async () => {
    const out = join(tmp, "vary-before");
    const result = await runCli(["--vary", "functions.api.memoryMb=128,256", "--workers", "1", "sweep", valid, "--out", out, "--quiet"]);
    expect(result).toEqual({ code: EXIT_OK, out: "", err: "" });
    expect(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).variants).toHaveLength(2);
  });

  it("a bad value of an option before the command is reported as when it follows", async () => {
    expect(await runCli(["--seed", "-3", "validate", valid])).toEqual({
      code: EXIT_BAD_INPUT,
      out: "",
      err: `error: unknown option --seed\n${USAGE_HINT}\n`,
    });
    expect(await runCli(["--seed", "-3", "run", valid])).toEqual({
      code: EXIT_BAD_INPUT,
      out: "",
      err: `error: --seed: expected a whole number >= 0, got -3\n${USAGE_HINT}\n`,
    });
  });

  it.each([["run"], ["validate"], ["sweep"], ["merge"], ["compare"], ["schema"], ["init"], ["from-sam"], ["from-power-tuning"]])(
    "%s accepts --debug",
    async (command) => {
      const result = await runCli(["--debug", command, "--debug", "--help"]);
      expect(result.err).toBe("");
      expect(result.code).toBe(EXIT_OK);
      expect(result.out.split("\n")[0]).toMatch(new RegExp(`^lambdasim ${command}\\b`));
    },
  );

  it("the camel-case spelling yargs accepts (--p99Limit) is no unknown option", async () => {
    const result = await runCli(["--p99Limit", "300ms", "sweep", "--help"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(EXIT_OK);
  });

  it("--debug changes nothing when nothing goes wrong", async () => {
    expect(await runCli(["validate", valid, "--debug"])).toEqual({ code: EXIT_OK, out: `${valid}: valid (1 function)\n`, err: "" });
  });
});

describe("exit 3: an internal error", () => {
  // Writing stdout throwing a plain Error stands for any bug: nothing in lambdasim expects it.
  async function crash(argv: readonly string[]): Promise<{ code: number; err: string }> {
    let err = "";
    const io: CliIo = {
      out: () => {
        throw new Error("out failed\nsecond line");
      },
      err: (text) => (err += text),
      progress: false,
    };
    return { code: await main(argv, io), err };
  }

  it("prints one line without a stack, and where to report it", async () => {
    expect(await crash(["schema"])).toEqual({
      code: EXIT_INTERNAL,
      err: `internal error: out failed second line — ${REPORT} (rerun with --debug for the stack)\n`,
    });
  });

  it.each([
    ["--debug", ["schema", "--debug"]],
    ["--debug before the command", ["--debug", "schema"]],
  ])("%s: the line, then the stack", async (_name, argv) => {
    const { code, err } = await crash(argv);
    expect(code).toBe(EXIT_INTERNAL);
    const lines = err.trimEnd().split("\n");
    expect(lines[0]).toBe(`internal error: out failed second line — ${REPORT}`);
    expect(lines.slice(1, 3)).toEqual(["Error: out failed", "second line"]);
    expect(lines[3]).toMatch(/^ {4}at (Object\.)?out .*conventions\.test\.ts/);
  });

  it("LAMBDASIM_DEBUG=1: the stack too", async () => {
    vi.stubEnv("LAMBDASIM_DEBUG", "1");
    const { code, err } = await crash(["schema"]);
    expect(code).toBe(EXIT_INTERNAL);
    expect(err.split("\n")[0]).toBe(`internal error: out failed second line — ${REPORT}`);
    expect(err).toMatch(/^ {4}at /m);
  });

  it("bad input still exits 2 with --debug, and without a stack", async () => {
    const result = await runCli(["run", valid, "--seed", "x", "--debug"]);
    expect(result).toEqual({ code: EXIT_BAD_INPUT, out: "", err: `error: --seed: expected a whole number >= 0, got x\n${USAGE_HINT}\n` });
  });
});

describe("exit 2: the environment", () => {
  it("an output folder below a file: one line naming the path and the reason", async () => {
    const file = join(tmp, "a-file");
    writeFileSync(file, "x");
    const out = join(file, "reports");
    expect(await runCli(["run", valid, "--out", out, "--quiet"])).toEqual({
      code: EXIT_BAD_INPUT,
      out: "",
      err: `error: --out: ${JSON.stringify(out)} cannot be created: ${file} is a file, not a folder\n`,
    });
    expect(await runCli(["run", valid, "--out", file, "--quiet"])).toEqual({
      code: EXIT_BAD_INPUT,
      out: "",
      err: `error: --out: ${JSON.stringify(file)} exists and is not a folder\n`,
    });
  });

  function systemError(code: string, syscall: string, path?: string, dest?: string): Error {
    return Object.assign(new Error(`${code}: ${syscall}`), { code, syscall, path, dest });
  }

  it.each([
    [systemError("EACCES", "open", "out/summary.json"), "out/summary.json: cannot write: permission denied"],
    [systemError("EPERM", "rename", "out/a.tmp", "out/a"), "out/a: cannot write: operation not permitted"],
    [systemError("ENOSPC", "write"), "cannot write: no space left on the device"],
    [systemError("EROFS", "mkdir", "/ro/out"), "/ro/out: cannot create the folder: read-only file system"],
    [systemError("EISDIR", "open", "out/report.md"), "out/report.md: cannot write: is a folder, not a file"],
    [systemError("ENOENT", "rename", "out/a.tmp", "out/a"), "out/a: cannot write: no such file or folder"],
  ])("%s: %s", (error, line) => {
    expect(environmentProblem(error)).toBe(line);
  });

  it("anything else is not the environment's fault", () => {
    expect(environmentProblem(new Error("plain"))).toBeUndefined();
    expect(environmentProblem(systemError("ERR_INVALID_ARG_TYPE", "open", "x"))).toBeUndefined();
    expect(environmentProblem(Object.assign(new Error("no syscall"), { code: "ENOENT" }))).toBeUndefined();
  });
});

describe("the real binary", () => {
  beforeAll(() => {
    // `npm test` builds first; build here only when the test runs on its own in a fresh clone.
    if (!existsSync(join(ROOT, "dist/cli/main.js"))) {
      const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
      if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
    }
  }, 120_000);

  /** Runs bin/lambdasim.js; `preload` is a module run first, to break what no input can break. */
  function bin(argv: readonly string[], options: { preload?: string; env?: NodeJS.ProcessEnv } = {}) {
    const node = options.preload === undefined ? [] : ["--import", `data:text/javascript,${encodeURIComponent(options.preload)}`];
    const env = { ...process.env, LAMBDASIM_DEBUG: undefined, ...options.env };
    return spawnSync(process.execPath, [...node, BIN, ...argv], { cwd: tmp, encoding: "utf8", env });
  }

  /** A preload under which a write to standard output (fd 1) runs `body` instead; `rest` holds the other arguments. */
  const failingStandardOutput = (body: string) =>
    `import fs from "node:fs"; const write = fs.writeSync; fs.writeSync = (fd, ...rest) => { if (fd !== 1) return write(fd, ...rest); ${body} };`;

  it("--version: the version and exit 0", () => {
    const result = bin(["--version"]);
    expect(result.status).toBe(EXIT_OK);
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe(`${VERSION}\n`);
  });

  it("a bug: exit 3 and one line; with LAMBDASIM_DEBUG=1 the stack", () => {
    const preload = failingStandardOutput('throw new Error("injected");');
    const result = bin(["schema"], { preload });
    expect(result.status).toBe(EXIT_INTERNAL);
    expect(result.stderr).toBe(`internal error: injected — ${REPORT} (rerun with --debug for the stack)\n`);
    const debug = bin(["schema"], { preload, env: { LAMBDASIM_DEBUG: "1" } });
    expect(debug.status).toBe(EXIT_INTERNAL);
    expect(debug.stderr.split("\n").slice(0, 2)).toEqual([`internal error: injected — ${REPORT}`, "Error: injected"]);
    expect(debug.stderr).toMatch(/^ {4}at /m);
  });

  it("an error nothing awaits is a bug too: exit 3 and one line", () => {
    const preload = failingStandardOutput('setImmediate(() => { throw new Error("late"); }); return rest[0].length - (rest[1] ?? 0);');
    const result = bin(["schema"], { preload });
    expect(result.status).toBe(EXIT_INTERNAL);
    expect(result.stderr).toBe(`internal error: late — ${REPORT} (rerun with --debug for the stack)\n`);
  });

  it("a reader that stops early (| head): the command's own exit status and nothing on stderr", () => {
    // The schema is larger than a pipe's buffer, so the write after head has gone fails with EPIPE.
    const result = spawnSync("bash", ["-o", "pipefail", "-c", `"${process.execPath}" "${BIN}" schema | head -c 1 >/dev/null`], {
      cwd: tmp,
      encoding: "utf8",
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: EXIT_OK, stderr: "" });
  });

  it("standard output that would block: the rest goes through Node's stream, all of it, in order", () => {
    const whole = bin(["schema"]);
    const preload = failingStandardOutput(
      'if (!globalThis.blocked) { globalThis.blocked = true; throw Object.assign(new Error("EAGAIN"), { code: "EAGAIN" }); } return write(fd, ...rest);',
    );
    const result = bin(["schema"], { preload });
    expect(result.status).toBe(EXIT_OK);
    expect(result.stdout.length).toBeGreaterThan(100_000);
    expect(result.stdout).toBe(whole.stdout);
  });

  it("standard output that cannot be written: exit 2 and one line", () => {
    const readOnly = join(tmp, "read-only-stdout");
    writeFileSync(readOnly, "");
    const fd = openSync(readOnly, "r");
    try {
      const result = spawnSync(process.execPath, [BIN, "schema"], { cwd: tmp, encoding: "utf8", stdio: ["ignore", fd, "pipe"] });
      expect(result.status).toBe(EXIT_BAD_INPUT);
      expect(result.stderr).toBe("error: cannot write to standard output: not open for writing\n");
    } finally {
      closeSync(fd);
    }
  });
});
