import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildSummary } from "../../src/report/summary.js";
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
    const [warning, ...rest] = warningsOf(nearLimit);
    expect(rest).toEqual([]);
    expect(warning.code).toBe("account-concurrency-near-limit");
    expect(warning.path).toBe("account.maxClaimedConcurrency");
    expect(warning.message).toMatch(
      /^peak account concurrency (9[1-9]|100) is above 90 % of the limit 100: the limit may be shaping the results$/,
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
