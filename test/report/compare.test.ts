import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../support/cli.js";
import { replicationFigures } from "../../src/report/figures.js";
import { meanInterval, significantlyDifferent, tQuantile975 } from "../../src/report/statistics.js";
import { buildSummary, type Summary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

const run = (seed: number) =>
  buildSummary(
    simulate(
      resolveScenario({
        name: "gate",
        seed,
        duration: "5m",
        functions: [{ name: "api", duration: { lognormal: { median: "100ms", p99: "500ms" } } }],
        workload: [{ function: "api", arrivals: { poisson: { rate: 20 } } }],
      }),
    ),
  );

/** A copy of `summary` with api's p99 and the costs scaled. */
function scaled(summary: Summary, p99: number, cost: number): Summary {
  const copy = structuredClone(summary);
  copy.functions.api.latencyMs.p99 *= p99;
  copy.functions.api.cost.totalUsd *= cost;
  copy.totals.cost.totalUsd *= cost;
  return copy;
}

let tmp: string;
let base: Summary;
const file = (name: string, content: unknown) => {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-compare-"));
  base = run(1);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("lambdasim compare", () => {
  it("exits 1 when a threshold is exceeded, with a one-line verdict first", async () => {
    const b = file("b.json", base);
    const c = file("c.json", scaled(base, 1.15, 1.03));
    const r = await cli(["compare", b, c, "--max-regression", "p99=10%", "--max-regression", "cost=5%"]);
    expect(r.code).toBe(1);
    const first = r.out.split("\n")[0];
    expect(first).toMatch(/^compare: FAIL: 1 regression beyond the thresholds \(api p99 \+15\.0% \(\+[\d.]+\) > 10%\)$/);
    expect(r.out).toMatch(/\| api \| p99 \| [\d.]+ \| [\d.]+ \| \+15\.0% .*\| 10% \| REGRESSION \|/);
    expect(r.out).toMatch(/\| \(total\) \| cost \| .*\+3\.0% .*\| 5% \| ok \|/);
  });

  it("exits 0 when every metric is within its threshold", async () => {
    const r = await cli([
      "compare",
      file("b.json", base),
      file("c.json", scaled(base, 1.15, 1.03)),
      "--max-regression",
      "p99=20%",
      "--max-regression",
      "cost=5%",
    ]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe("compare: PASS: no metric beyond its threshold (3 checked)");
  });

  it("takes absolute limits in the figure's unit", async () => {
    const c = scaled(base, 1, 1);
    c.functions.api.latencyMs.p99 += 30;
    expect((await cli(["compare", file("b.json", base), file("c.json", c), "--max-regression", "p99=25"])).code).toBe(1);
    expect((await cli(["compare", file("b.json", base), file("c.json", c), "--max-regression", "p99=35"])).code).toBe(0);
  });

  it("an improvement is never a regression", async () => {
    const r = await cli([
      "compare",
      file("b.json", base),
      file("c.json", scaled(base, 0.5, 0.5)),
      "--max-regression",
      "p99=0%",
      "--max-regression",
      "cost=0%",
    ]);
    expect(r.code).toBe(0);
  });

  it("exits 2 on bad input: unknown metric, malformed limit, missing file, not a summary", async () => {
    const b = file("b.json", base);
    const cases: [string[], RegExp][] = [
      [
        ["--max-regression", "latency=10%"],
        /^error: --max-regression: expected <metric>=<limit>\[%\] with metric one of p50, p90, p99, p999, duration, cost, coldStarts, throttles, errors .*got "latency=10%"$/,
      ],
      [["--max-regression", "p99=ten"], /^error: --max-regression: expected <metric>=<limit>\[%\]/],
    ];
    for (const [args, pattern] of cases) {
      const r = await cli(["compare", b, b, ...args]);
      expect(r.code).toBe(2);
      expect(r.err.trim()).toMatch(pattern);
    }
    const missing = await cli(["compare", b, join(tmp, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`error: ${join(tmp, "nope.json")}: cannot read: no such file\n`);
    const notJson = await cli(["compare", b, file("x.json", "{ nope")]);
    expect(notJson.code).toBe(2);
    expect(notJson.err).toMatch(/not valid JSON/);
    const notSummary = await cli(["compare", b, file("y.json", { hello: 1 })]);
    expect(notSummary.code).toBe(2);
    expect(notSummary.err).toMatch(/not a lambdasim summary\.json/);
  });

  it("--json gives the rows and the verdict for machines", async () => {
    const r = await cli(["compare", file("b.json", base), file("c.json", scaled(base, 1.15, 1)), "--max-regression", "p99=10%", "--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.verdict).toMatch(/^FAIL/);
    expect(json.regressions).toHaveLength(1);
    expect(json.regressions[0]).toMatchObject({ scope: "api", metric: "p99", threshold: "p99=10%", regression: true });
  });

  describe("with replications on both sides", () => {
    /** Replicated summaries whose api p99 values are given, run with seeds first, first+1, ... */
    function replicated(values: number[], first = 1) {
      const summaries = values.map((v) => {
        const s = structuredClone(base);
        s.functions.api.latencyMs.p99 = v;
        return s;
      });
      return {
        ...summaries[0],
        replications: replicationFigures(
          summaries,
          values.map((_, i) => first + i),
        ),
      };
    }

    it("a consistent shift is significant when the seeds pair the runs, not when they differ", async () => {
      // +12 on every seed: the paired differences have no spread, so the paired test is certain;
      // unpaired, the runs' own spread (sd ~16) hides it (Welch t = 1.2 < 2.3).
      const base = [80, 120, 100, 90, 110];
      const shifted = base.map((v) => v + 12);
      const paired = await cli([
        "compare",
        file("b.json", replicated(base)),
        file("c.json", replicated(shifted)),
        "--max-regression",
        "p99=10%",
      ]);
      expect(paired.code).toBe(1);
      const unpaired = await cli([
        "compare",
        file("b.json", replicated(base)),
        file("c.json", replicated(shifted, 100)),
        "--max-regression",
        "p99=10%",
      ]);
      expect(unpaired.code).toBe(0);
      expect(unpaired.out.split("\n")[0]).toContain("Welch's t test");
    });

    it("a threshold exceeded within the noise is not a regression (exit 0)", async () => {
      // Means 100 and 112 (+12 % > 10 %), but the spread (sd ~ 20) makes the difference insignificant.
      const r = await cli([
        "compare",
        file("b.json", replicated([80, 120, 100, 90, 110])),
        file("c.json", replicated([82, 142, 102, 112, 122])),
        "--max-regression",
        "p99=10%",
      ]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/\| api \| p99 \| 100 \| 112 \| .*\| 10% \| no \| within noise \|/);
    });

    it("a significant excess is a regression (exit 1)", async () => {
      const r = await cli([
        "compare",
        file("b.json", replicated([99, 100, 101, 100, 100])),
        file("c.json", replicated([119, 120, 121, 120, 120])),
        "--max-regression",
        "p99=10%",
      ]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/\| api \| p99 \| 100 \| 120 \| .*\| 10% \| yes \| REGRESSION \|/);
    });
  });
});

describe("statistics", () => {
  it("Student t quantiles match the tables (two-sided 95 %)", () => {
    // Exact values: df 1 12.7062, 5 2.5706, 30 2.0423, 60 2.0003, 120 1.9799, infinity 1.95996.
    expect(tQuantile975(1)).toBeCloseTo(12.7062, 4);
    expect(tQuantile975(5)).toBeCloseTo(2.5706, 4);
    expect(tQuantile975(30)).toBeCloseTo(2.0423, 3);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.9799, 3);
    expect(tQuantile975(1e9)).toBeCloseTo(1.96, 3);
  });

  it("the 95 % interval covers the mean in about 95 % of samples", () => {
    // Normal samples by Box-Muller from a fixed LCG: 2,000 intervals of n = 5; coverage 0.95 has a
    // binomial standard error of sqrt(0.95 x 0.05 / 2000) = 0.0049, so 0.935-0.965 is 3 sigma.
    let state = 12345;
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    let covered = 0;
    for (let k = 0; k < 2000; k++) {
      const m = meanInterval(Array.from({ length: 5 }, () => 10 + 3 * normal()));
      if (m.low <= 10 && 10 <= m.high) covered++;
    }
    expect(covered / 2000).toBeGreaterThan(0.935);
    expect(covered / 2000).toBeLessThan(0.965);
  });

  it("Welch's test tells apart shifted samples and not equal ones", () => {
    expect(significantlyDifferent([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toBe(false);
    expect(significantlyDifferent([1, 2, 3, 4, 5], [11, 12, 13, 14, 15])).toBe(true);
  });
});
