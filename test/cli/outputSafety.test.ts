import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/*
 * Output folders: names taken from inputs cannot lead outside reports/, a bad --out is refused
 * before anything is simulated, report sets appear whole or not at all (also when interrupted or
 * when two runs share a folder), and nothing is written outside the folder the user named.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = join(ROOT, "bin/lambdasim.js");
const REPORT = ["report.html", "report.md", "summary.json", "timeseries.csv"];
const RULE = "1-100 letters, digits, dots, hyphens or underscores, and not . or ..";
const isRoot = process.getuid?.() === 0;

/** Whether this process may mount a tmpfs (root outside a restricted container): the full-disk and read-only cases need it. */
const canMount = (() => {
  if (!isRoot) return false;
  const probe = mkdtempSync(join(tmpdir(), "lambdasim-mount-probe-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe]).status === 0;
  if (mounted) spawnSync("umount", [probe]);
  rmSync(probe, { recursive: true, force: true });
  return mounted;
})();

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-output-safety-"));
  // `npm test` builds first; build here only when the test runs on its own in a fresh clone.
  if (!existsSync(join(ROOT, "dist/cli/main.js"))) {
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  }
}, 120_000);
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function scenarioText({ duration = "1m", functions = 1, rate = 1, name = "" } = {}): string {
  const names = Array.from({ length: functions }, (_, i) => `f${i}`);
  return [
    ...(name ? [`name: ${JSON.stringify(name)}`] : []),
    `duration: ${duration}`,
    "functions:",
    ...names.flatMap((fn) => [`  - name: ${fn}`, "    duration: 100ms"]),
    "workload:",
    ...names.flatMap((fn) => [`  - function: ${fn}`, `    arrivals: { poisson: { rate: ${rate} } }`]),
    "",
  ].join("\n");
}

/** A fresh folder holding `files`. */
function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmp, "ws-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** Every path under `dir`, hidden ones included. */
function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

function bin(args: readonly string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8" });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const hashes = (dir: string) => Object.fromEntries(REPORT.map((name) => [name, sha(join(dir, name))]));

describe("names taken from inputs", () => {
  it("a scenario named . or .. after its file is refused with exit 2 and nothing is written", () => {
    for (const [file, name] of [
      ["...yaml", ".."],
      ["..yaml", "."],
    ]) {
      const ws = workspace({ [file]: scenarioText() });
      for (const command of ["run", "sweep"]) {
        const vary = command === "sweep" ? ["--vary", "functions.f0.memoryMb=128,256"] : [];
        const result = bin([command, file, ...vary], ws);
        expect(result.code, `${command} ${file}`).toBe(2);
        expect(result.err).toBe(
          `error: ${file}: the scenario is named ${JSON.stringify(name)} after its file, which cannot name a report folder (${RULE}); set name: in the file or give --out\n`,
        );
        expect(listTree(ws)).toEqual([file]);
      }
    }
  });

  it("name: . or .. in the file is refused by the schema", async () => {
    for (const name of [".", ".."]) {
      const ws = workspace({ "s.yaml": scenarioText({ name }) });
      const result = await runCli(["run", join(ws, "s.yaml"), "--out", join(ws, "out")]);
      expect(result.code).toBe(2);
      expect(result.err).toBe(`error: name: must not be . or .. (the name becomes the report folder), got ${JSON.stringify(name)}\n`);
      expect(listTree(ws)).toEqual(["s.yaml"]);
    }
  });

  it("merge refuses a shard whose sweep name would lead outside reports/, writing nothing anywhere", () => {
    const ws = workspace({ "s.yaml": scenarioText() });
    expect(
      bin(["sweep", "s.yaml", "--vary", "functions.f0.memoryMb=128,256", "--shard", "1/1", "--out", "shards", "--quiet"], ws).code,
    ).toBe(0);
    const shard = join(ws, "shards", "sweep-shard-1-of-1.json");
    for (const name of ["../../../pwned", "..", "."]) {
      const doc = JSON.parse(readFileSync(shard, "utf8"));
      doc.definition.name = name;
      const cwd = join(ws, "a", "b", "c");
      mkdirSync(cwd, { recursive: true });
      writeFileSync(join(cwd, "evil.json"), JSON.stringify(doc));
      const before = listTree(tmp);
      const result = bin(["merge", "evil.json"], cwd);
      expect(result.code).toBe(2);
      expect(result.err).toBe(`error: evil.json: sweep name ${JSON.stringify(name)} cannot name a report folder (${RULE})\n`);
      expect(listTree(tmp)).toEqual(before);
    }
  });
});

describe("--out is checked before anything is simulated", () => {
  // A day at 100 requests/s takes many seconds to simulate; each refusal must come at once.
  let slow: string;
  beforeAll(() => {
    slow = join(workspace({ "slow.yaml": scenarioText({ duration: "1d", rate: 100 }) }), "slow.yaml");
  });

  async function refused(args: readonly string[], line: string): Promise<void> {
    const started = Date.now();
    const result = await runCli(args);
    expect(result.code, args.join(" ")).toBe(2);
    expect(result.err).toBe(`error: ${line}\n`);
    expect(result.out).toBe("");
    expect(Date.now() - started).toBeLessThan(3000);
  }

  it("empty, given twice, a file, under a file, under /dev, /proc or /sys, or too long", async () => {
    const ws = workspace({ "file.txt": "mine\n" });
    const file = join(ws, "file.txt");
    const long = join(ws, "x".repeat(300));
    const deep = join(ws, ...Array.from({ length: 20 }, () => "y".repeat(250)));
    for (const [out, line] of [
      [[""], "--out: is empty; name an output folder"],
      [
        [join(ws, "a"), join(ws, "b")],
        `--out: given 2 times (${JSON.stringify(join(ws, "a"))}, ${JSON.stringify(join(ws, "b"))}); give one output folder`,
      ],
      [[file], `--out: ${JSON.stringify(file)} exists and is not a folder`],
      [[join(file, "out")], `--out: ${JSON.stringify(join(file, "out"))} cannot be created: ${file} is a file, not a folder`],
      [["/dev/null"], `--out: "/dev/null" is under /dev, which holds no files; name a folder for the reports`],
      [["/proc/self/out"], `--out: "/proc/self/out" is under /proc, which holds no files; name a folder for the reports`],
      [["/sys/out"], `--out: "/sys/out" is under /sys, which holds no files; name a folder for the reports`],
      [[long], `--out: ${JSON.stringify(long)} cannot be written: the path is too long (names up to 255 bytes, paths up to 4095)`],
      [[deep], `--out: ${JSON.stringify(deep)} cannot be written: the path is too long (names up to 255 bytes, paths up to 4095)`],
    ] as const) {
      await refused(["run", slow, ...out.flatMap((o) => ["--out", o])], line);
    }
    expect(listTree(ws)).toEqual(["file.txt"]);
    expect(readFileSync(file, "utf8")).toBe("mine\n");
  });

  it("the current folder, or a folder holding folders, is refused rather than replaced", () => {
    const ws = workspace({ "slow.yaml": readFileSync(slow, "utf8") });
    mkdirSync(join(ws, "out", "keep"), { recursive: true });
    const here = bin(["run", "slow.yaml", "--out", "."], ws);
    expect(here.code).toBe(2);
    expect(here.err).toBe('error: --out: "." is the current folder or holds it; name a folder for the reports\n');
    const folders = bin(["run", "slow.yaml", "--out", "out"], ws);
    expect(folders.code).toBe(2);
    expect(folders.err).toBe('error: --out: "out" holds folders (keep); name a new folder or one holding only files\n');
    expect(listTree(ws)).toEqual(["out", join("out", "keep"), "slow.yaml"]);
  });

  it("sweep and merge check --out before running too", async () => {
    const ws = workspace({ "file.txt": "" });
    const file = join(ws, "file.txt");
    await refused(
      ["sweep", slow, "--vary", "functions.f0.memoryMb=128,256", "--out", file],
      `--out: ${JSON.stringify(file)} exists and is not a folder`,
    );
    const shards = join(ws, "shards");
    const small = join(workspace({ "s.yaml": scenarioText() }), "s.yaml");
    expect((await runCli(["sweep", small, "--vary", "functions.f0.memoryMb=128", "--shard", "1/1", "--out", shards, "--quiet"])).code).toBe(
      0,
    );
    await refused(
      ["merge", join(shards, "sweep-shard-1-of-1.json"), "--out", "/dev/null"],
      `--out: "/dev/null" is under /dev, which holds no files; name a folder for the reports`,
    );
  });

  // chmod 555 does not stop root; a read-only tmpfs does, and root without the right to mount cannot set this case up.
  it.skipIf(isRoot && !canMount)("a folder that cannot be written is refused (as root: a read-only mount)", async () => {
    const ws = workspace();
    const locked = join(ws, "locked");
    mkdirSync(locked);
    let expected: string;
    if (isRoot) {
      expect(spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", locked]).status).toBe(0);
      expected = "read-only file system";
    } else {
      chmodSync(locked, 0o555);
      expected = "permission denied";
    }
    try {
      const out = join(locked, "out");
      await refused(["run", slow, "--out", out], `--out: ${JSON.stringify(out)} cannot be written: ${expected}`);
      expect(readdirSync(locked)).toEqual([]);
    } finally {
      if (isRoot) spawnSync("umount", [locked]);
      else chmodSync(locked, 0o755);
    }
  });

  it("init and from-sam --out never overwrite and report a path they cannot write in words", async () => {
    const ws = workspace({ "taken.yaml": "mine\n", "file.txt": "" });
    const taken = await runCli(["init", join(ws, "taken.yaml")]);
    expect(taken.code).toBe(2);
    expect(taken.err).toBe(`error: ${join(ws, "taken.yaml")}: already exists; choose another name or remove it first\n`);
    const under = join(ws, "file.txt", "s.yaml");
    const blocked = await runCli(["init", under]);
    expect(blocked.code).toBe(2);
    expect(blocked.err).toBe(`error: ${under}: cannot write: a part of the path is a file, not a folder\n`);
    expect(listTree(ws)).toEqual(["file.txt", "taken.yaml"]);
    expect(readFileSync(join(ws, "taken.yaml"), "utf8")).toBe("mine\n");
  });
});

describe("report sets appear whole or not at all", () => {
  it("a second run replaces the whole set, keeps the folder's other files, and leaves nothing beside it", () => {
    const ws = workspace({ "s.yaml": scenarioText() });
    for (const seed of ["1", "2"]) expect(bin(["run", "s.yaml", "--seed", seed, "--out", `ref${seed}`, "--quiet"], ws).code).toBe(0);
    expect(bin(["run", "s.yaml", "--seed", "1", "--out", "out", "--quiet"], ws).code).toBe(0);
    writeFileSync(join(ws, "out", "notes.txt"), "mine\n");
    const result = bin(["run", "s.yaml", "--seed", "2", "--out", "out"], ws);
    expect(result.code).toBe(0);
    expect(result.out.split("\n").at(-2)).toBe("wrote out/summary.json, out/timeseries.csv, out/report.md, out/report.html");
    expect(hashes(join(ws, "out"))).toEqual(hashes(join(ws, "ref2")));
    expect(readFileSync(join(ws, "out", "notes.txt"), "utf8")).toBe("mine\n");
    expect(readdirSync(ws).sort()).toEqual(["out", "ref1", "ref2", "s.yaml"]);
  });

  it("two runs writing one --out at once end with one run's complete set", async () => {
    const ws = workspace({ "s.yaml": scenarioText({ duration: "6h", functions: 10, rate: 0.2 }) });
    for (const seed of ["1", "2"]) expect(bin(["run", "s.yaml", "--seed", seed, "--out", `ref${seed}`, "--quiet"], ws).code).toBe(0);
    const refs = [hashes(join(ws, "ref1")), hashes(join(ws, "ref2"))];
    expect(refs[0]["summary.json"]).not.toBe(refs[1]["summary.json"]);
    for (let round = 0; round < 2; round++) {
      const codes = await Promise.all(
        ["1", "2"].map((seed) =>
          exitOf(spawn(process.execPath, [BIN, "run", "s.yaml", "--seed", seed, "--out", "out", "--quiet"], { cwd: ws })),
        ),
      );
      expect(codes).toEqual([0, 0]);
      expect(refs).toContainEqual(hashes(join(ws, "out")));
      expect(readdirSync(ws).sort()).toEqual(["out", "ref1", "ref2", "s.yaml"]);
    }
  });

  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    it(`${signal} while writing removes the temporary folder, exits ${code} and leaves the old set`, async () => {
      const ws = workspace({
        "small.yaml": scenarioText(),
        // 50 functions for a week: a time series of about 24 MB, which takes a while to write.
        "big.yaml": scenarioText({ duration: "7d", functions: 50, rate: 0.01 }),
      });
      expect(bin(["run", "small.yaml", "--out", "out", "--quiet"], ws).code).toBe(0);
      const old = hashes(join(ws, "out"));
      const child = spawn(process.execPath, [BIN, "run", "big.yaml", "--out", "out", "--quiet"], { cwd: ws });
      const exit = exitOf(child);
      // The temporary folder appears once the simulation is over and writing has begun.
      let temp: string | undefined;
      while (temp === undefined) {
        temp = readdirSync(ws).find((name) => name.startsWith(".out.tmp-"));
        if (temp === undefined) await new Promise((r) => setTimeout(r, 5));
      }
      while (!existsSync(join(ws, temp, "timeseries.csv"))) await new Promise((r) => setTimeout(r, 5));
      child.kill(signal);
      expect(await exit).toBe(code);
      expect(readdirSync(ws).sort()).toEqual(["big.yaml", "out", "small.yaml"]);
      expect(hashes(join(ws, "out"))).toEqual(old);
    });
  }

  // A real full disk rather than an injected failure: the error must come through the CSV stream and writeFileSync alike.
  it.skipIf(!canMount)("a full disk ends in one error line, exit 2, and no partial files (a 64 KB tmpfs)", async () => {
    const disk = join(workspace(), "disk");
    mkdirSync(disk);
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk]).status).toBe(0);
    try {
      const ws = workspace({ "s.yaml": scenarioText({ duration: "6h", functions: 10, rate: 0.2 }) });
      const out = join(disk, "out");
      const result = await runCli(["run", join(ws, "s.yaml"), "--out", out, "--quiet"]);
      expect(result.code).toBe(2);
      expect(result.err).toBe(`error: ${out}: cannot write: no space left on the device\n`);
      expect(readdirSync(disk)).toEqual([]);
    } finally {
      spawnSync("umount", [disk]);
    }
  });
});

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on("exit", (code) => resolve(code)));
}
