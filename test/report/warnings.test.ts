import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildSummary } from "../../src/report/summary.js";
import { binomialUpperTail } from "../../src/report/statistics.js";
import { runWarnings } from "../../src/report/warnings.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SAMPLE = join(ROOT, "scenarios/traces/azure-functions-2021-sample.csv");

const tmp = mkdtempSync(join(tmpdir(), "lambdasim-warnings-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const azureReplay = (settings: Record<string, unknown>) => ({
  name: "azure",
  workload: [{ trace: { file: SAMPLE, format: "azure-functions-2021", memoryMb: 256, runtime: "python3.12", ...settings } }],
});
const slowHandler = {
  name: "slow",
  duration: "5m",
  functions: [{ name: "report", duration: "80s" }],
  workload: [{ function: "report", arrivals: { constant: { interval: "1m" } } }],
};
const nearLimit = {
  name: "near-limit",
  duration: "5m",
  account: { concurrencyLimit: 100 },
  functions: [{ name: "api", duration: "1s" }],
  workload: [{ function: "api", arrivals: { poisson: { rate: 95 } } }],
};
const quiet = {
  name: "quiet",
  duration: "5m",
  functions: [{ name: "api", duration: "100ms" }],
  workload: [{ function: "api", arrivals: { poisson: { rate: 5 } } }],
};

const api = { name: "api", duration: { lognormal: { median: "100ms", p99: "400ms" } } };
const poisson = (name: string, duration: string, rate: number) => ({
  name,
  duration,
  functions: [api],
  workload: [{ function: "api", arrivals: { poisson: { rate } } }],
});
/** Load rising by 40/s every 5 minutes for 2 hours: the pool grows to the end; no lifetime recycling inside the run. */
const ramp = {
  name: "ramp",
  duration: "2h",
  account: { concurrencyLimit: 5000 },
  platform: { maxLifetime: "12h" },
  functions: [{ name: "api", duration: "1s" }],
  workload: [{ function: "api", arrivals: { steps: Array.from({ length: 24 }, (_, i) => ({ at: `${i * 5}m`, rate: 40 * (i + 1) })) } }],
};

const warningsOf = (scenario: unknown) => runWarnings(simulate(resolveScenario(scenario)));

describe("run warnings", () => {
  it("count the Azure sample's rows longer than the default 3 s timeout, for all the trace's functions at once", () => {
    expect(warningsOf(azureReplay({}))).toEqual([
      {
        code: "trace-duration-above-timeout",
        message:
          "89 of 199 invocations of the 31 functions replayed from a trace hit the 3 s timeout: the trace's durations are longer; set timeout on the trace entry (up to 900s)",
      },
    ]);
  });

  it("are none for the same replay with the trace entry's timeout above its longest row", () => {
    expect(warningsOf(azureReplay({ timeout: "900s" }))).toEqual([]);
  });

  it("name a function whose invocations mostly time out (an 80 s handler against the 3 s default)", () => {
    expect(warningsOf(slowHandler)).toEqual([
      {
        code: "most-invocations-timed-out",
        path: "functions.report.timeouts",
        message: "5 of 5 invocations of report timed out (timeout 3 s)",
      },
    ]);
  });

  it("flag a peak account concurrency above 90 % of the limit", () => {
    const [warning, ...rest] = warningsOf(nearLimit).filter((w) => w.code !== "no-steady-state");
    expect(rest).toEqual([]);
    expect(warning.code).toBe("account-concurrency-near-limit");
    expect(warning.path).toBe("account.maxClaimedConcurrency");
    expect(warning.message).toMatch(
      /^peak account concurrency (9[1-9]|100) is above 90 % of the limit 100: the limit may be shaping the results$/,
    );
  });

  it("are none about steady state for a steady 2-hour run, with any of three seeds", () => {
    for (const seed of [1, 2, 3]) expect(warningsOf({ ...poisson("steady", "2h", 100), seed })).toEqual([]);
  });

  it("flag a run that ends within the first keepAlive while its pool is still filling", () => {
    expect(warningsOf({ ...poisson("short", "5m", 100), seed: 1 })).toEqual([
      {
        code: "no-steady-state",
        path: "functions.api.coldStarts",
        message:
          "the arrivals end at 300 s, within the first keepAlive (600 s), and api's first 1 minute had 4.333 cold starts per 1,000 invocations, " +
          "the rest of the run 0.042; p = 1.8e-17: its environments were still filling from empty when the arrivals ended; " +
          "run longer than keepAlive and set warmup: 600s to leave the fill out of the figures, or start warm with prewarmedEnvironments",
      },
    ]);
  });

  it("do not flag a short run without a visible fill, nor one with an infinite keep-alive", () => {
    // 5 requests/s: the first minute's handful of cold starts is no significant excess.
    expect(warningsOf(quiet)).toEqual([]);
    expect(warningsOf({ ...poisson("short", "5m", 100), seed: 1, platform: { keepAlive: "infinite" } })).toEqual([]);
  });

  it("flag a run that is all ramp-up: cold starts per invocation falling through every quarter", () => {
    const warnings = warningsOf({ ...ramp, seed: 1 });
    expect(warnings.map((w) => [w.code, w.path])).toEqual([["no-steady-state", "functions.api.coldStarts"]]);
    expect(warnings[0].message).toMatch(
      /^api's cold starts per 1,000 invocations fell in every quarter of the run \(1\.232, 0\.357, 0\.251, 0\.148\); p = 2\.0e-9: .* set warmup: 7200s /,
    );
  });

  it("appear in summary.json and report.md only when there is one", () => {
    const clean = buildSummary(simulate(resolveScenario(quiet)));
    expect("warnings" in clean).toBe(false);
    expect(renderMarkdown(clean)).not.toContain("## Warnings");
    const warned = buildSummary(simulate(resolveScenario(slowHandler)));
    expect(warned.warnings?.map((w) => w.code)).toEqual(["most-invocations-timed-out"]);
    expect(renderMarkdown(warned)).toContain(
      "## Warnings\n\n- `most-invocations-timed-out`: 5 of 5 invocations of report timed out (timeout 3 s)\n\n## Monthly cost",
    );
  });

  it("are printed on stderr by lambdasim run, one line each, and kept in summary.json even with --quiet", async () => {
    const file = join(tmp, "slow.json");
    writeFileSync(file, JSON.stringify(slowHandler));
    const out = join(tmp, "slow");
    const loud = await runCli(["run", file, "--out", join(tmp, "slow-loud")]);
    expect(loud.code).toBe(0);
    expect(loud.err).toBe("warning: most-invocations-timed-out: 5 of 5 invocations of report timed out (timeout 3 s)\n");
    const result = await runCli(["run", file, "--out", out, "--quiet"]);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).warnings).toEqual([
      {
        code: "most-invocations-timed-out",
        path: "functions.report.timeouts",
        message: "5 of 5 invocations of report timed out (timeout 3 s)",
      },
    ]);
  });

  it("leave stderr empty for a run without any", async () => {
    const file = join(tmp, "quiet.json");
    writeFileSync(file, JSON.stringify(quiet));
    const result = await runCli(["run", file, "--out", join(tmp, "quiet"), "--quiet"]);
    expect(result).toMatchObject({ code: 0, err: "" });
  });
});

describe("binomialUpperTail", () => {
  it("is exact on sums that can be done by hand", () => {
    expect(binomialUpperTail(3, 5, 0.5)).toBeCloseTo(16 / 32, 15);
    expect(binomialUpperTail(10, 10, 0.5)).toBeCloseTo(1 / 1024, 15);
    // P(X >= 2), n = 4, p = 0.1: 1 - 0.9^4 - 4 * 0.1 * 0.9^3.
    expect(binomialUpperTail(2, 4, 0.1)).toBeCloseTo(1 - 0.9 ** 4 - 4 * 0.1 * 0.9 ** 3, 15);
    expect([binomialUpperTail(0, 7, 0.3), binomialUpperTail(8, 7, 0.3), binomialUpperTail(1, 7, 0)]).toEqual([1, 0, 0]);
  });

  it("matches the normal tail for a large n (n = 1,000,000, p = 0.3, 3 standard deviations up)", () => {
    const sd = Math.sqrt(1e6 * 0.3 * 0.7);
    // 0.0013499 is 1 - Phi(3); at this n the binomial tail is within 5 % of it (skew and the discrete step).
    expect(binomialUpperTail(Math.ceil(300_000 + 3 * sd), 1e6, 0.3) / 0.0013499).toBeCloseTo(1, 1);
  });
});
