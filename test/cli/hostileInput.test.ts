import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_BAD_INPUT, EXIT_OK } from "../../src/cli/main.js";
import { InputError } from "../../src/common/inputError.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runCli, type Captured } from "../support/cli.js";

/*
 * Files and arguments written to do harm: secrets named as traces, pipes, megabyte lines, alias
 * bombs, prototype keys. Each must end in exit 2 with one line per problem, echo nothing of a
 * file beyond a short escaped excerpt, and leave the process as it found it.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = join(ROOT, "bin/lambdasim.js");
const SECRET = "s3cr3t-value";

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-hostile-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

const timestampsScenario = (file: string, extra = "") =>
  `duration: 1h\nfunctions:\n  - { name: api, duration: 100ms }\nworkload:\n  - function: api\n    arrivals: { trace: { file: ${JSON.stringify(file)}${extra} } }\n`;
const azureScenario = (file: string) => `workload:\n  - trace: { file: ${JSON.stringify(file)}, format: azure-functions-2021 }\n`;

function expectBadInput(result: Captured, lines: readonly string[]): void {
  expect(result.err, result.err).toBe(lines.map((line) => `error: ${line}\n`).join(""));
  expect(result.code).toBe(EXIT_BAD_INPUT);
  expect(result.out).toBe("");
}

async function run(scenarioText: string, name = "scenario.yaml"): Promise<{ result: Captured; out: string }> {
  const file = write(name, scenarioText);
  const out = join(tmp, `out-${name}`);
  return { result: await runCli(["run", file, "--out", out, "--quiet"]), out };
}

describe("trace files that are not traces", () => {
  it("/proc/self/environ: refused without echoing the environment", () => {
    if (!existsSync("/proc/self/environ")) return;
    const scenarioFile = write("environ.yaml", azureScenario("/proc/self/environ"));
    const result = spawnSync(process.execPath, [BIN, "run", scenarioFile, "--out", join(tmp, "environ-out")], {
      encoding: "utf8",
      env: { ...process.env, LAMBDASIM_TEST_SECRET: SECRET },
    });
    expect(result.stderr).toBe(
      "error: workload[0].trace.file: /proc/self/environ, line 1: not a text file (it holds NUL bytes); a trace is a CSV file\n",
    );
    expect(result.status).toBe(EXIT_BAD_INPUT);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    expect(existsSync(join(tmp, "environ-out"))).toBe(false);
  });

  it("a timestamps trace naming /proc/self/environ: the same refusal", async () => {
    if (!existsSync("/proc/self/environ")) return;
    const { result } = await run(timestampsScenario("/proc/self/environ"), "environ-ts.yaml");
    expectBadInput(result, [
      "workload[0].arrivals.trace.file: /proc/self/environ, line 1: not a text file (it holds NUL bytes); a trace is a CSV file",
    ]);
  });

  it("a line of text that is not the header: described, not quoted", async () => {
    const trace = write("secret.csv", `API_KEY=${SECRET}${"x".repeat(100)}\u001b[31m\n`);
    const { result } = await run(azureScenario(trace), "secret.yaml");
    expectBadInput(result, [
      `workload[0].trace.file: ${trace}, line 1: expected the header "app,func,end_timestamp,duration", got a line of other text (125 characters)`,
    ]);
  });

  it("a header of other column names: quoted, at most 40 characters", async () => {
    const trace = write("columns.csv", `${"column_".repeat(10)}\n`);
    const { result } = await run(azureScenario(trace), "columns.yaml");
    expectBadInput(result, [
      `workload[0].trace.file: ${trace}, line 1: expected the header "app,func,end_timestamp,duration", got "${"column_".repeat(10).slice(0, 40)}"...`,
    ]);
  });

  it("a FIFO: refused at once instead of waiting for a writer", async () => {
    const fifo = join(tmp, "trace.fifo");
    try {
      execFileSync("mkfifo", [fifo]);
    } catch {
      return;
    }
    const { result } = await run(timestampsScenario(fifo), "fifo.yaml");
    expectBadInput(result, [
      `workload[0].arrivals.trace.file: cannot read trace file ${JSON.stringify(fifo)}: not a regular file (a pipe, socket or device)`,
    ]);
  });

  it("a device as the scenario file: refused, not read forever", async () => {
    const result = await runCli(["validate", "/dev/zero"]);
    expectBadInput(result, ['cannot read scenario file "/dev/zero": not a regular file (a pipe, socket or device)']);
  });

  it("a folder as the scenario file", async () => {
    const result = await runCli(["validate", tmp]);
    expectBadInput(result, [`cannot read scenario file ${JSON.stringify(tmp)}: is a directory, not a file`]);
  });

  it("a 16 MB line: refused in well under a second, naming the line", async () => {
    const trace = write("long.csv", `1\n${"9".repeat(16 << 20)}\n`);
    const started = performance.now();
    const { result } = await run(timestampsScenario(trace), "long.yaml");
    expect(performance.now() - started).toBeLessThan(1000);
    expectBadInput(result, [`workload[0].arrivals.trace.file: ${trace}, line 2: line longer than 1 MiB`]);
  });
});

describe("trace contents real traces hold", () => {
  it("quoted fields with commas", async () => {
    const trace = write("quoted.csv", 'time,customer\n1,"Acme, Inc"\n2,"Smith ""Jr"", LLC"\n3,plain\n');
    const { result } = await run(timestampsScenario(trace), "quoted.yaml");
    expect(result.err).toBe("");
    expect(result.code).toBe(EXIT_OK);
  });

  it("ISO-8601 timestamps", async () => {
    const trace = write("iso.csv", "2024-06-10T09:00:00Z\n2024-06-10T09:00:00.500Z\n2024-06-10T11:00:01+02:00\n");
    const { result } = await run(`${timestampsScenario(trace)}seed: 1\n`, "iso.yaml");
    expect(result.err).toBe("");
    expect(result.code).toBe(EXIT_OK);
  });

  it("epoch milliseconds without timeUnit: read as ms, with one warning line", async () => {
    const trace = write("ms.csv", "1718000000000\n1718000001000\n1718000002000\n");
    const result = await runCli(["validate", write("ms.yaml", timestampsScenario(trace))]);
    expect(result.err).toBe(
      `warning: workload[0].arrivals.trace.timeUnit: not set, and ${trace} starts with a timestamp too large for seconds: read as milliseconds since the epoch; set timeUnit: ms to say so\n`,
    );
    expect(result.code).toBe(EXIT_OK);
  });

  it("an explicit timeUnit: no warning", async () => {
    const trace = write("ms2.csv", "1718000000000\n1718000001000\n");
    const result = await runCli(["validate", write("ms2.yaml", timestampsScenario(trace, ", timeUnit: ms"))]);
    expect(result.err).toBe("");
    expect(result.code).toBe(EXIT_OK);
  });

  it("an unknown timeUnit is bad input", async () => {
    const trace = write("ms3.csv", "1\n2\n");
    const result = await runCli(["validate", write("ms3.yaml", timestampsScenario(trace, ", timeUnit: min"))]);
    expect(result.code).toBe(EXIT_BAD_INPUT);
    expect(result.err).toMatch(/^error: workload\[0\]\.arrivals\.trace\.timeUnit: .*"s".*"ms".*"us"/);
  });
});

describe("YAML written to exhaust or pollute", () => {
  const SCENARIO_TAIL =
    "functions:\n  - { name: api, duration: 100ms }\nworkload:\n  - { function: api, arrivals: { poisson: { rate: 1 } } }\n";

  it("a <<: *defaults merge used 150 times is read", async () => {
    const fns = Array.from({ length: 150 }, (_, i) => `  - { <<: *defaults, name: f${i + 1} }`).join("\n");
    const text = `duration: 1s\nfunctions:\n  - &defaults { name: f0, memoryMb: 256, duration: 10ms }\n${fns}\nworkload:\n  - { function: f0, arrivals: { poisson: { rate: 1 } } }\n`;
    const file = write("merges.yaml", text);
    const result = await runCli(["validate", file]);
    expect(result.err).toBe("");
    expect(result.out).toBe(`${file}: valid (151 functions)\n`);
    expect(result.code).toBe(EXIT_OK);
  });

  it("a billion-laughs bomb: one line, exit 2", async () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (const [name, prev] of [
      ["b", "a"],
      ["c", "b"],
      ["d", "c"],
      ["e", "d"],
      ["f", "e"],
      ["g", "f"],
      ["h", "g"],
      ["i", "h"],
    ]) {
      text += `${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]\n`;
    }
    const file = write("laughs.yaml", text);
    expectBadInput(await runCli(["validate", file]), [`${file}: uses more than 10,000 aliases; write the repeated parts out`]);
  });

  it("an alias inside its own anchor: one line, exit 2", async () => {
    const file = write(
      "cycle.yaml",
      `duration: 1s\nfunctions: &f [{ name: api, nested: *f }]\n${SCENARIO_TAIL.replace(/^functions:.*\n.*\n/, "")}`,
    );
    expectBadInput(await runCli(["validate", file]), [`${file}:2:37: the alias *f is inside the node it refers to (a cycle)`]);
  });

  it("__proto__, constructor and prototype keys in a scenario: refused with their position", async () => {
    const file = write(
      "proto.yaml",
      `__proto__: { isAdmin: true }\nduration: 1s\nplatform: { constructor: 1, prototype: 2 }\n${SCENARIO_TAIL}`,
    );
    expectBadInput(await runCli(["validate", file]), [
      `${file}:1:1: the key "__proto__" is not allowed (reserved in JavaScript)`,
      `${file}:3:13: the key "constructor" is not allowed (reserved in JavaScript)`,
      `${file}:3:29: the key "prototype" is not allowed (reserved in JavaScript)`,
    ]);
    expect({} as Record<string, unknown>).not.toHaveProperty("isAdmin");
  });

  it("SAM templates: reserved keys, alias bombs and cycles are refused by from-sam", async () => {
    const proto = write("proto-template.yaml", "Resources:\n  __proto__: { Type: AWS::Serverless::Function }\n");
    expectBadInput(await runCli(["from-sam", proto]), [`${proto}:2:3: the key "__proto__" is not allowed (reserved in JavaScript)`]);
    const cycle = write("cycle-template.yaml", "Resources: &r\n  Fn: { Type: AWS::Serverless::Function, Properties: *r }\n");
    expectBadInput(await runCli(["from-sam", cycle]), [`${cycle}:2:54: the alias *r is inside the node it refers to (a cycle)`]);
    let bomb = "Parameters:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n";
    for (const [name, prev] of ["ba", "cb", "dc", "ed", "fe"]) bomb += `  ${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]\n`;
    const bombFile = write("bomb-template.yaml", `${bomb}Resources: {}\n`);
    expectBadInput(await runCli(["from-sam", bombFile]), [`${bombFile}: uses more than 10,000 aliases; write the repeated parts out`]);
  });
});

describe("sweeps that name Object.prototype", () => {
  const base =
    "duration: 1s\nfunctions:\n  - { name: api, duration: 100ms }\nworkload:\n  - { function: api, arrivals: { poisson: { rate: 1 } } }\n";

  for (const path of ["__proto__.isAdmin", "functions.api.constructor.prototype.isAdmin", "platform.prototype"]) {
    it(`--vary ${path}=true: exit 2, Object.prototype untouched`, async () => {
      const file = write(`vary-${path.length}.yaml`, base);
      const out = join(tmp, `vary-out-${path.length}`);
      const result = await runCli(["sweep", file, "--vary", `${path}=true`, "--out", out, "--quiet"]);
      const reserved = path.split(".").find((s) => ["__proto__", "constructor", "prototype"].includes(s));
      expectBadInput(result, [`--vary: ${path}: "${reserved}" is not a field of a scenario (a name reserved in JavaScript)`]);
      expect(existsSync(out)).toBe(false);
      expect(Object.prototype).not.toHaveProperty("isAdmin");
    });
  }

  it("a sweep.vary block in a file: the YAML key is refused", async () => {
    const file = write("vary-block.yaml", `${base}sweep:\n  vary:\n    __proto__.isAdmin: [true]\n`);
    const result = await runCli(["sweep", file, "--out", join(tmp, "vary-block-out"), "--quiet"]);
    expectBadInput(result, [
      `sweep.vary.__proto__.isAdmin: __proto__.isAdmin: "__proto__" is not a field of a scenario (a name reserved in JavaScript)`,
    ]);
    expect(Object.prototype).not.toHaveProperty("isAdmin");
  });

  it("--vary values holding __proto__: refused", async () => {
    const result = await runCli(["sweep", write("vary-value.yaml", base), "--vary", "platform={__proto__: {isAdmin: true}}", "--quiet"]);
    expectBadInput(result, ['--vary: platform: a value holds the key "__proto__", which is not allowed (a name reserved in JavaScript)']);
  });

  it("through the library: planSweep throws InputError and ({}).isAdmin stays undefined", () => {
    const raw = JSON.parse(
      '{"duration":"1s","functions":[{"name":"api","duration":"100ms"}],"workload":[{"function":"api","arrivals":{"poisson":{"rate":1}}}],"sweep":{"vary":{"__proto__.isAdmin":[true],"constructor.prototype.isAdmin":[true]}}}',
    );
    expect(() => planSweep(raw, { baseDir: tmp, defaultName: "lib" })).toThrow(InputError);
    for (const vary of [["__proto__.isAdmin=true"], ["functions.0.__proto__.isAdmin=true"], ["toString.isAdmin=true"]]) {
      try {
        planSweep(raw, { baseDir: tmp, defaultName: "lib", vary });
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
      }
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort());
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(Object.prototype.toString).not.toHaveProperty("isAdmin");
  });
});

describe("a trace appended to while it is replayed", () => {
  it("replays the rows its scan checked, whatever is written after", async () => {
    const dir = join(tmp, "growing");
    mkdirSync(dir);
    const trace = join(dir, "trace.csv");
    writeFileSync(trace, "1\n2\n3\n");
    const { loadScenarioFile } = await import("../../src/scenario/read.js");
    const { simulate } = await import("../../src/simulate.js");
    const scenario = loadScenarioFile(write("growing.yaml", timestampsScenario(trace)));
    writeFileSync(trace, "1\n2\n3\n4\nnot a time, half a ro", { flag: "w" });
    expect(simulate(scenario).functions[0].metrics.arrivals).toBe(3);
    expect(readdirSync(dir)).toEqual(["trace.csv"]);
  });
});
