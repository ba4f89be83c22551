import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_BAD_INPUT, EXIT_OK } from "../../src/cli/main.js";
import { planSweep } from "../../src/sweep/plan.js";
import { calibrate, type Calibration, renderTimePlan, SAMPLE_ATTEMPTS, timePlan } from "../../src/sweep/timePlan.js";
import { runCli } from "../support/cli.js";

/* `lambdasim sweep --plan`: variants, the estimated time per shard count, and how it was measured. */

// One function at `rate` per second for 1,000 s: 1,000 × rate arrival attempts by the estimate.
const scenario = (rate: number) => ({
  name: "plan-me",
  seed: 7,
  duration: "1000s",
  functions: [{ name: "f", memoryMb: 128, duration: "10ms" }],
  workload: [{ function: "f", arrivals: { poisson: { rate } } }],
});

const context = { baseDir: ".", defaultName: "plan-me" };
const calibration = (fixedSeconds: number, secondsPerAttempt: number): Calibration => ({
  variant: 0,
  samples: [],
  fixedSeconds,
  secondsPerAttempt,
});

describe("timePlan", () => {
  it("shards take variants by index mod N, and each shard's threads take the next run as they become free", () => {
    // Rates 1, 2, 3, 4, 5 per second: 1,000 to 5,000 attempts, at 1 ms each plus 0.5 s per run.
    const plan = planSweep(scenario(1), { ...context, vary: ["workload.0.arrivals.poisson.rate=1,2,3,4,5"] });
    expect(plan.attempts).toEqual([1000, 2000, 3000, 4000, 5000]);
    const estimate = timePlan(plan, calibration(0.5, 0.001), 2);
    expect(estimate).toMatchObject({ scenario: "plan-me", variants: 5, replications: 1, runs: 5, attempts: 15000, workers: 2 });
    // Runs of 1.5, 2.5, 3.5, 4.5, 5.5 s. One shard, two threads: 1.5+3.5+5.5 and 2.5+4.5 -> 10.5 s.
    // Two shards: {1.5, 3.5, 5.5} -> 1.5+5.5 and 3.5 -> 7 s; {2.5, 4.5} -> 4.5 s. Four: {1.5, 5.5} -> 5.5 s.
    expect(estimate.estimates).toEqual([
      { shards: 1, runsPerShard: 5, seconds: 10.5 },
      { shards: 2, runsPerShard: 3, seconds: 7 },
      { shards: 4, runsPerShard: 2, seconds: 5.5 },
      { shards: 5, runsPerShard: 1, seconds: 5.5 },
    ]);
  });

  it("replications multiply the runs of every shard", () => {
    const plan = planSweep(scenario(1), { ...context, vary: ["functions.0.memoryMb=128,256"], replications: 3 });
    const estimate = timePlan(plan, calibration(1, 0), 1);
    expect(estimate.runs).toBe(6);
    expect(estimate.estimates).toEqual([
      { shards: 1, runsPerShard: 6, seconds: 6 },
      { shards: 2, runsPerShard: 3, seconds: 3 },
    ]);
  });

  it("calibrates on at most SAMPLE_ATTEMPTS attempts of the first variant, and fits a cost per run and per attempt", () => {
    // 1e6 attempts: the samples are cut to 2e5 and 5e4. The clock advances 1 s per reading: every timed run takes 1 s.
    const plan = planSweep(scenario(1000), { ...context, vary: ["functions.0.memoryMb=128,256"] });
    let clock = 0;
    const c = calibrate(plan, () => clock++);
    expect(c.samples.map((s) => s.attempts)).toEqual([SAMPLE_ATTEMPTS / 4, SAMPLE_ATTEMPTS]);
    expect(c.samples.map((s) => s.seconds)).toEqual([1, 1]);
    // Equal times: nothing is per attempt by the difference, so all of it is (1 s / 2e5).
    expect(c.secondsPerAttempt).toBeCloseTo(1 / SAMPLE_ATTEMPTS, 15);
    expect(c.fixedSeconds).toBeCloseTo(0, 12);
  });

  it("renders a header, the calibration and one tab-separated row per shard count", () => {
    const plan = planSweep(scenario(1), { ...context, vary: ["workload.0.arrivals.poisson.rate=1,2,3,4,5"] });
    const text = renderTimePlan(timePlan(plan, calibration(0.5, 0.001), 2));
    expect(text.split("\n").slice(0, 1)).toEqual(["plan-me: 5 variants × 1 replication = 5 runs, about 1.5e+4 arrival attempts"]);
    expect(text.split("\n").slice(3)).toEqual([
      "shards\truns/shard\tseconds\ttime",
      "1\t5\t10.500\t11 s",
      "2\t3\t7.000\t7.0 s",
      "4\t2\t5.500\t5.5 s",
      "5\t1\t5.500\t5.5 s",
      "",
    ]);
  });
});

describe("lambdasim sweep --plan", () => {
  let tmp: string;
  let file: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "lambdasim-plan-"));
    file = join(tmp, "s.json");
    writeFileSync(file, JSON.stringify(scenario(20)));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("prints the plan, runs no sweep and writes nothing", async () => {
    const result = await runCli(["sweep", file, "--vary", "functions.0.memoryMb=128,256,512", "--plan", "--workers", "1"]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.err).toBe("");
    const lines = result.out.trimEnd().split("\n");
    expect(lines[0]).toBe("plan-me: 3 variants × 1 replication = 3 runs, about 6.0e+4 arrival attempts");
    expect(lines[1]).toMatch(
      /^calibrated on this machine: variant 0 timed over 5,000 attempts \(25 % of its duration\) in \d+\.\d{3} s and 20,000 attempts \(all of its duration\) in \d+\.\d{3} s: /,
    );
    expect(lines[2]).toBe("estimated simulation time with 1 worker thread per shard (--workers), not counting start-up and merge:");
    expect(lines.slice(3).map((l) => l.split("\t").slice(0, 2).join(" "))).toEqual(["shards runs/shard", "1 3", "2 2", "3 1"]);
    const seconds = lines.slice(4).map((l) => Number(l.split("\t")[2]));
    expect(seconds[0]).toBeGreaterThan(0);
    expect(seconds[0]).toBeGreaterThanOrEqual(seconds[1]);
    expect(readdirSync(tmp)).toEqual(["s.json"]);
  });

  it("--json prints the same plan as JSON", async () => {
    const result = await runCli(["sweep", file, "--vary", "functions.0.memoryMb=128,256", "--plan", "--json"]);
    expect(result.code).toBe(EXIT_OK);
    const plan = JSON.parse(result.out);
    expect(plan).toMatchObject({ scenario: "plan-me", variants: 2, replications: 1, runs: 2, attempts: 40000 });
    expect(plan.estimates.map((e: { shards: number }) => e.shards)).toEqual([1, 2]);
  });

  it.each([
    [["--plan", "--shard", "1/2"], "error: --plan prints the plan of the whole sweep and writes nothing; drop --shard"],
    [["--plan", "--out", "x", "--quiet"], "error: --plan prints the plan of the whole sweep and writes nothing; drop --out, --quiet"],
    [["--json"], "error: --json: only with --plan (the sweep's own outputs are files)"],
  ])("%j: exit 2 and one line", async (options, line) => {
    const result = await runCli(["sweep", file, "--vary", "functions.0.memoryMb=128,256", ...options]);
    expect(result).toEqual({ code: EXIT_BAD_INPUT, out: "", err: `${line}\nrun "lambdasim --help" for usage\n` });
  });
});
