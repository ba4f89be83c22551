import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_BAD_INPUT } from "../../src/cli/main.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { runCli } from "../support/cli.js";

/*
 * Runs that could never finish (or would fill the memory) are refused before anything is built:
 * exit 2, one line saying how much work was asked for and how to proceed, in well under a second.
 */

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-impossible-"));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const FUNCTIONS = "functions:\n  - name: api\n    duration: 100ms\n";

function scenarioFile(name: string, yaml: string): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(file, yaml);
  return file;
}

function simple(name: string, duration: string, arrivals: string, extra = ""): string {
  return scenarioFile(name, `duration: ${duration}\n${FUNCTIONS}${extra}workload:\n  - function: api\n    arrivals: ${arrivals}\n`);
}

/** Runs the CLI and checks the refusal: exit 2, exactly these lines, nothing written, under a second. */
async function expectRefused(argv: string[], expected: string[]): Promise<void> {
  const out = join(tmp, `out-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const result = await runCli([...argv, "--out", out, "--quiet"]);
  const elapsed = performance.now() - started;
  expect(result.err.split("\n").slice(0, -1)).toEqual(expected.map((line) => `error: ${line}`));
  expect(result.code).toBe(EXIT_BAD_INPUT);
  expect(existsSync(out)).toBe(false);
  expect(elapsed).toBeLessThan(1000);
}

const TAIL = "shorten duration or lower the rate, or pass --allow-large";

describe("runs that cannot finish are refused up front", () => {
  it("a rate of 1e9 per second", async () => {
    await expectRefused(
      ["run", simple("rate", "60", "{ poisson: { rate: 1e9 } }")],
      [
        `workload: this run would simulate about 6.0e+10 arrivals (workload[0]: poisson rate 1e9/s for 60 s = 6.0e+10), more than the 2e9 a run may simulate without --allow-large (~8 hours at 2 M/s); ${TAIL}`,
      ],
    );
  });

  it("an interval of 1e-12 s", async () => {
    await expectRefused(
      ["run", simple("interval", "60", "{ constant: { interval: 1e-12 } }")],
      [
        `workload: this run would simulate about 6.0e+13 arrivals (workload[0]: one every 1e-12 s for 60 s = 6.0e+13), more than the 2e9 a run may simulate without --allow-large (~347 days at 2 M/s); ${TAIL}`,
      ],
    );
  });

  it("an interval of 1e-12 s for an hour: the time it would take in plain years", async () => {
    await expectRefused(
      ["run", simple("interval-hour", "3600", "{ constant: { interval: 1e-12 } }")],
      [
        `workload: this run would simulate about 3.6e+15 arrivals (workload[0]: one every 1e-12 s for 3600 s = 3.6e+15), more than the 2e9 a run may simulate without --allow-large (~57 years at 2 M/s); ${TAIL}`,
      ],
    );
  });

  it("a duration of 100 years", async () => {
    await expectRefused(
      ["run", simple("years", "36500d", "{ poisson: { rate: 10 } }")],
      [
        `workload: this run would simulate about 3.2e+10 arrivals (workload[0]: poisson rate 10/s for 3.15e9 s = 3.2e+10), more than the 2e9 a run may simulate without --allow-large (~4 hours at 2 M/s); ${TAIL}`,
        // Its time series too: a row a minute for 100 years.
        "duration: 3.15e9 s in periods of 60 s is 5.26e7 time-series rows per function (× 1 function = 5.26e7), more than the 1e7 a run may hold without --allow-large; choose a longer --period, or pass --allow-large",
      ],
    );
  });

  it("a duration of 1e308 s, and an init of 1e308 s, beyond the longest time a scenario may give", async () => {
    await expectRefused(
      ["run", simple("d308", "1e308", "{ poisson: { rate: 10 } }")],
      ["duration: must be at most 1e11 s (about 3,170 years), got 1e+308 s"],
    );
    await expectRefused(
      [
        "run",
        scenarioFile(
          "init",
          `duration: 60\n${FUNCTIONS}    init: 1e308\nworkload:\n  - function: api\n    arrivals: { poisson: { rate: 1 } }\n`,
        ),
      ],
      ["functions[0].init: must be at most 1e11 s (about 3,170 years), got 1e+308 s"],
    );
  });

  it("steps integrate their rates over the duration, and retries multiply the work", async () => {
    await expectRefused(
      ["run", simple("steps", "1h", "{ steps: [{ at: 0, rate: 1 }, { at: 600, rate: 1e6 }] }")],
      [
        `workload: this run would simulate about 3.0e+9 arrivals (workload[0]: steps up to rate 1e6/s over 3600 s = 3.0e+9), more than the 2e9 a run may simulate without --allow-large (~25 minutes at 2 M/s); ${TAIL}`,
      ],
    );
    const asyncFile = scenarioFile(
      "async",
      `duration: 1000\n${FUNCTIONS}workload:\n  - function: api\n    invocation: async\n    arrivals: { poisson: { rate: 1e6 } }\n`,
    );
    await expectRefused(
      ["run", asyncFile],
      [
        `workload: this run would simulate about 3.0e+9 arrivals (workload[0]: poisson rate 1e6/s for 1000 s × up to 3 attempts (async maximumRetryAttempts 2) = 3.0e+9), more than the 2e9 a run may simulate without --allow-large (~25 minutes at 2 M/s); ${TAIL}`,
      ],
    );
  });

  it("replications count: 1e9 arrivals each, three times", async () => {
    await expectRefused(
      ["run", simple("replicated", "1000", "{ poisson: { rate: 1e6 } }"), "--replications", "3"],
      [
        `workload: this run would simulate about 3.0e+9 arrivals (workload[0]: poisson rate 1e6/s for 1000 s = 1.0e+9 × 3 replications), more than the 2e9 a run may simulate without --allow-large (~25 minutes at 2 M/s); ${TAIL}`,
      ],
    );
  });

  it("an estimate that overflows is refused even with --allow-large", async () => {
    await expectRefused(
      ["run", simple("overflow", "1e10", "{ poisson: { rate: 1e300 } }"), "--allow-large"],
      [
        "workload: the expected number of arrivals overflows (workload[0]: poisson rate 1e300/s for 1e10 s = Infinity); no run can simulate that many: lower the rate or shorten duration",
      ],
    );
  });

  it("NaN and Infinity are named as such, not as null", async () => {
    await expectRefused(
      ["run", simple("nan", ".nan", "{ poisson: { rate: 10 } }")],
      ["duration: expected a time such as 250ms, 30s, 10m, 2h, 1d, or a number of seconds, got NaN"],
    );
    await expectRefused(
      ["run", simple("inf", "60", "{ poisson: { rate: .inf } }")],
      ["workload[0].arrivals.poisson.rate: expected a number, got Infinity"],
    );
  });

  it("streams whose shard lanes would take gigabytes up front", async () => {
    const stream = (w: number) =>
      `  - function: api\n    source: kinesis\n    records: { poisson: { rate: 1 } }\n    shards: 100000\n    parallelizationFactor: ${w}\n`;
    await expectRefused(
      ["run", scenarioFile("lanes", `duration: 60\n${FUNCTIONS}workload:\n${stream(10)}${stream(5)}`)],
      [
        "workload: the streams would hold 1,500,000 shard lanes (shards × parallelizationFactor: workload[0] 1,000,000, workload[1] 500,000), about 0.9 GB, more than the 1,000,000 a run may hold without --allow-large; use fewer shards or a lower parallelizationFactor, or pass --allow-large",
      ],
    );
  });

  it("replication seeds beyond 2^53 - 1 would repeat a seed", async () => {
    await expectRefused(
      ["run", simple("seeds", "60", "{ poisson: { rate: 1 } }"), "--seed", "9007199254740990", "--replications", "3"],
      [
        "seed: 9007199254740990 with 3 replications needs seeds up to 9007199254740990 + 2, beyond 9007199254740991 (2^53 - 1); lower the seed or the replications",
      ],
    );
  });

  it("--allow-large lifts the limit for the user who means it", () => {
    const input = {
      duration: 60,
      functions: [{ name: "api", duration: 0.1 }],
      workload: [{ function: "api", arrivals: { poisson: { rate: 1e9 } } }],
    };
    expect(() => resolveScenario(input)).toThrow(/more than the 2e9 a run may simulate without --allow-large/);
    expect(resolveScenario(input, { allowLarge: true }).duration).toBe(60);
  });
});

describe("sweeps that cannot finish are refused before their variants are built", () => {
  const values = (n: number, from: number) => Array.from({ length: n }, (_, i) => from + i).join(",");

  it("7.3e8 variants", async () => {
    const file = simple("sweep-base", "60", "{ poisson: { rate: 1 } }");
    await expectRefused(
      [
        "sweep",
        file,
        "--vary",
        `functions.api.memoryMb=${values(1000, 128)}`,
        "--vary",
        `functions.api.timeout=${values(1000, 1)}`,
        "--vary",
        `functions.api.ephemeralStorageMb=${values(730, 512)}`,
      ],
      [
        "--vary: 1000 × 1000 × 730 values make 7.3e+8 variants, more than the 100,000 a sweep may run without --allow-large; vary fewer settings or values, or pass --allow-large",
      ],
    );
  });

  it("variants × replications × arrivals of each", async () => {
    const file = simple("sweep-heavy", "1000", "{ poisson: { rate: 1e6 } }");
    await expectRefused(
      ["sweep", file, "--vary", "functions.api.memoryMb=128,256", "--replications", "2"],
      [
        `workload: this sweep of 4 runs would simulate about 4.0e+9 arrivals (sweep: 2 variants = 2.0e+9 × 2 replications), more than the 2e9 a sweep may simulate without --allow-large (~33 minutes at 2 M/s); ${TAIL}`,
      ],
    );
  });
});
