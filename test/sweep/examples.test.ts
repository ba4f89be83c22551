import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, type CliIo } from "../../src/cli/main.js";
import { readScenarioDocument, scenarioFileContext } from "../../src/scenario/read.js";
import { buildSweepDocument } from "../../src/sweep/outputs.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run.js";

/* The what-if and regression-gate examples in scenarios/ tell the story their descriptions promise. */

const SCENARIOS = resolve(dirname(fileURLToPath(import.meta.url)), "../../scenarios");

async function sweepOf(file: string) {
  const path = join(SCENARIOS, file);
  const plan = planSweep(readScenarioDocument(path), scenarioFileContext(path));
  return buildSweepDocument(plan.definition, plan.variants, await runSweep(plan, { workers: 1 }));
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "lambdasim-examples-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("what-if examples", () => {
  it("memory-power-tuning: more memory is faster and dearer, so every size is on the frontier", async () => {
    const doc = await sweepOf("memory-power-tuning.yaml");
    expect(doc.variants.map((v) => v.vary["functions.resize.memoryMb"])).toEqual([128, 256, 512, 1024, 1769, 3008]);
    const p99 = doc.variants.map((v) => v.summary.functions.resize.latencyMs.p99);
    const cost = doc.variants.map((v) => v.summary.totals.cost.totalUsd);
    for (let i = 1; i < p99.length; i++) {
      expect(p99[i]).toBeLessThan(p99[i - 1]);
      expect(cost[i]).toBeGreaterThan(cost[i - 1]);
    }
    expect(doc.variants.every((v) => v.frontier)).toBe(true);
    // The objective p99 <= 2 s: 512 MB misses it (~3.3 s), 1,024 MB is the cheapest that meets it.
    expect(doc.objective).toEqual({ strategy: "cost", balancedWeight: null, p99LimitMs: 2000, chosen: 3, cheapest: 3 });
    // 0.2 + 0.8 x 1024/128 = 6.6 times the 1,024 MB duration at 128 MB (medians, ±10 % sampling).
    const ratio = doc.variants[0].summary.functions.resize.durationMs.p50 / doc.variants[3].summary.functions.resize.durationMs.p50;
    expect(ratio).toBeGreaterThan(6.6 * 0.9);
    expect(ratio).toBeLessThan(6.6 * 1.1);
  });

  it("steady-api (the README's what-if): single-threaded search-api gains nothing past 1,769 MB, which is the cheapest within 750 ms", async () => {
    const path = join(SCENARIOS, "steady-api.yaml");
    const plan = planSweep(readScenarioDocument(path), {
      ...scenarioFileContext(path),
      vary: ["functions.search-api.memoryMb=512,1024,1769,3008", "functions.search-api.provisionedConcurrency=0,10", "duration=30m"],
      p99Limit: 0.75,
    });
    const doc = buildSweepDocument(plan.definition, plan.variants, await runSweep(plan, { workers: 1 }));
    const search = (i: number) => doc.variants[i].summary.functions["search-api"];
    // One Python thread: 3,008 MB runs exactly as 1,769 MB does, at a higher price.
    expect(search(6).durationMs).toEqual(search(4).durationMs);
    expect(doc.variants[6].summary.totals.cost.totalUsd).toBeGreaterThan(doc.variants[4].summary.totals.cost.totalUsd);
    expect(doc.variants[6].frontier).toBe(false);
    // 0.4 + 0.6 × 1024/1769 = 0.747 of the 1,024 MB handler time (means, ±5 % sampling).
    const ratio = search(4).durationMs.mean / search(2).durationMs.mean;
    expect(Math.abs(ratio / (0.4 + (0.6 * 1024) / 1769) - 1)).toBeLessThan(0.05);
    expect(doc.objective).toMatchObject({ strategy: "cost", chosen: 4, cheapest: 4 });
  });

  it("provisioned-what-if: 15 provisioned environments cure the cold p99; more only cost", async () => {
    const doc = await sweepOf("provisioned-what-if.yaml");
    const p99 = (i: number) => doc.variants[i].replications!.figures["quotes-api.p99Ms"];
    const cost = (i: number) => doc.variants[i].replications!.figures.totalUsd.mean;
    expect(p99(0).mean).toBeGreaterThan(1500);
    expect(p99(1).mean).toBeLessThan(800);
    // Beyond 15 the p99 intervals overlap: no significant gain.
    for (const i of [2, 3, 4]) expect(p99(i).ci95[0]).toBeLessThanOrEqual(p99(1).ci95[1]);
    // Cost is linear in the provisioned value: equal steps of 15 environments cost the same.
    const steps = [1, 2, 3, 4].map((i) => cost(i) - cost(i - 1));
    for (const step of steps.slice(1)) expect(Math.abs(step - steps[1]) / steps[1]).toBeLessThan(0.01);
    expect(doc.variants[4].frontier).toBe(false);
  });
});

describe("regression-gate example", () => {
  it("the candidate's lower memory fails the p99 gate (exit 1) and passes a loose one (exit 0)", async () => {
    const io: CliIo = { out: () => {}, err: () => {}, progress: false };
    for (const version of ["baseline", "candidate"]) {
      const code = await main(
        ["run", join(SCENARIOS, `regression-gate-${version}.yaml`), "--replications", "3", "--out", join(tmp, version), "--quiet"],
        io,
      );
      expect(code).toBe(0);
    }
    let out = "";
    const capture: CliIo = { out: (t) => (out += t), err: () => {}, progress: false };
    const summaries = [join(tmp, "baseline", "summary.json"), join(tmp, "candidate", "summary.json")];
    expect(await main(["compare", ...summaries, "--max-regression", "p99=10%", "--max-regression", "cost=5%"], capture)).toBe(1);
    expect(out).toMatch(/^compare: FAIL: 1 regression beyond the thresholds \(orders-api p99 \+(4\d|5\d)\.\d%/);
    expect(await main(["compare", ...summaries, "--max-regression", "p99=80%", "--max-regression", "cost=5%"], capture)).toBe(0);
  });
  it("which-compute (the README's answer): SnapStart cures the cold p99 for least; Managed Instances have no cold starts but need capacity for the burst", async () => {
    const doc = await sweepOf("which-compute.yaml");
    expect(doc.variants.map((v) => v.vary.case)).toEqual([
      "on-demand",
      "provisioned-40",
      "snapstart",
      "managed-instances",
      "managed-instances-8",
    ]);
    const [onDemand, provisioned, snapStart, managed3, managed8] = doc.variants.map((v) => v.summary);
    const fn = (s: typeof onDemand) => s.functions.pricing;
    const month = (s: typeof onDemand) => s.monthly?.totalUsd as number;
    // On demand: more than 1 % of the requests wait for the 2.5 s init, so p99 is a cold start.
    expect(fn(onDemand).coldStarts / fn(onDemand).metrics.Invocations).toBeGreaterThan(0.01);
    expect(fn(onDemand).latencyMs.p99).toBeGreaterThan(2000);
    // The others bring p99 back under the warm handler's 800 ms p99 plus sampling (5 %).
    for (const s of [provisioned, snapStart, managed8]) expect(fn(s).latencyMs.p99).toBeLessThan(840);
    // SnapStart on Java is free, and its restores are not billed where inits are: the cheapest.
    expect(month(snapStart)).toBeLessThan(month(onDemand));
    for (const s of [provisioned, managed3, managed8]) expect(month(s)).toBeGreaterThan(month(onDemand));
    // Managed Instances: no cold starts; three 1-vCPU environments are throttled (CPU) by the
    // burst, eight are not. Their EC2 line is instances x 730 h x $0.0816 (m7g.large): 3 and 5
    // instances (two environments each, spread over three zones).
    for (const s of [managed3, managed8]) expect(fn(s).coldStarts).toBe(0);
    expect(fn(managed3).metrics.Throttles).toBeGreaterThan(0);
    expect(fn(managed3).managedInstances?.throttleReasons.cpu).toBe(fn(managed3).metrics.Throttles);
    expect(fn(managed8).metrics.Throttles).toBe(0);
    expect(managed3.monthly?.managedInstancesEc2Usd).toBeCloseTo(3 * 730 * 0.0816, 6);
    expect(managed8.monthly?.managedInstancesEc2Usd).toBeCloseTo(5 * 730 * 0.0816, 6);
    expect(managed8.monthly?.managedInstancesFeeUsd).toBeCloseTo(5 * 730 * 0.0816 * 0.15, 6);
    // Provisioned concurrency: 40 x 2 GB allocated all month at $0.0000033334 per GB-s (arm64) at least.
    expect(provisioned.monthly?.provisionedUsd).toBeGreaterThan(40 * 2 * 730 * 3600 * 0.0000033334);
    expect(doc.variants.filter((v) => v.frontier).map((v) => v.vary.case)).toEqual(["snapstart"]);
  });
});
