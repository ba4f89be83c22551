/*
 * Lambda Managed Instances' cost lines through every output that carries cost: summary.json,
 * report.md and report.html (columns that add up to the total), the monthly projection, a sweep
 * whose cases vary `compute`, and `compare`; and response streaming on Managed Instances.
 */
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { compareSummaries, parseThreshold } from "../../src/report/compare.js";
import { renderHtmlReport } from "../../src/report/html/run.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";
import { buildSweepDocument, sweepCsv, sweepMarkdown } from "../../src/sweep/outputs.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run.js";

const close = (actual: number, expected: number, tolerance = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);

/*
 * An hour of 10 requests a second on a Node.js function. On Managed Instances with the defaults
 * on m7g.xlarge ($0.1632 an hour) and 4 GB (2 vCPUs at 2 GiB each), two environments fit an
 * instance and the minimum three environments spread over three zones need three instances:
 * 3 instance-hours, $0.4896 of EC2 and $0.07344 of management fee; 36,000 requests at $0.20 a
 * million are $0.0072. The load is far below what three environments carry, so the scaler never
 * adds one.
 */
const input = (compute: "on-demand" | "managed-instances") => ({
  name: "hour",
  seed: 7,
  duration: "1h",
  functions: [
    {
      name: "api",
      runtime: "nodejs22.x",
      architecture: "arm64",
      memoryMb: 4096,
      init: "300ms",
      duration: { constant: "50ms" },
      cpuBoundFraction: 0.2,
      compute,
    },
  ],
  workload: [{ function: "api", arrivals: { constant: { interval: "100ms" } } }],
});
const EC2 = 3 * 0.1632;
const FEE = 3 * 0.1632 * 0.15;
const REQUESTS = (36_000 * 0.2) / 1e6;

describe("Managed Instances cost lines in the outputs", () => {
  const managed = buildSummary(simulate(resolveScenario(input("managed-instances"))));
  const onDemand = buildSummary(simulate(resolveScenario(input("on-demand"))));

  it("summary.json: instance-hours, EC2, fee and requests make the total, with no GB-s", () => {
    const f = managed.functions.api;
    expect(f.metrics.Invocations).toBe(36_000);
    expect(f.managedInstances?.instancesMax).toBe(3);
    close(f.managedInstances?.instanceHours as number, 3);
    close(f.cost.managedInstancesEc2Usd as number, EC2, 1e-6);
    close(f.cost.managedInstancesFeeUsd as number, FEE, 1e-6);
    close(f.cost.requestUsd, REQUESTS, 1e-6);
    expect(f.cost.gbSeconds).toBe(0);
    close(f.cost.totalUsd, EC2 + FEE + REQUESTS, 1e-6);
    close(managed.totals.cost.totalUsd, f.cost.totalUsd, 1e-9);
    // A month is 730 of these hours.
    close(managed.monthly?.managedInstancesEc2Usd as number, EC2 * 730, 1e-4);
    close(managed.monthly?.managedInstancesFeeUsd as number, FEE * 730, 1e-4);
    expect("managedInstancesEc2Usd" in onDemand.totals.cost).toBe(false);
  });

  it("report.md: both lines are columns of the window's and the month's tables, and the columns add up", () => {
    const md = renderMarkdown(managed);
    const heads = md.split("\n").filter((line) => line.includes("| managed instances EC2 $ | management fee $ |"));
    expect(heads).toHaveLength(2);
    // The window's row: requests $, compute $, provisioned $, EC2 $, fee $, total $.
    const row = md.split("\n").find((line) => line.startsWith("| api | 4096 MB |")) as string;
    const dollars = [...row.matchAll(/\$([\d,.]+)/g)].map((m) => Number(m[1].replace(/,/g, "")));
    const [requests, compute, provisioned, ec2, fee, total] = dollars;
    close(ec2, EC2, 1e-6);
    close(fee, FEE, 1e-6);
    close(requests + compute + provisioned + ec2 + fee, total, 2e-6);
    expect(renderMarkdown(onDemand)).not.toContain("management fee");
  });

  it("report.md: a Managed Instances section gives the capacity used and why requests were throttled", () => {
    const md = renderMarkdown(managed);
    const section = md.split("## Lambda Managed Instances")[1];
    // Three instances all hour: the minimum three environments, one per zone.
    const row = section.split("\n").find((line) => line.startsWith("| api |")) as string;
    const cells = row.split(" | ");
    expect([...cells.slice(1, 5), ...cells.slice(6)]).toEqual(["m7g.xlarge", "3", "3.00", "3", "0", "0 |"]);
    // 10 requests/s of 10 ms CPU work each (20 % of 50 ms) on 3 × 4 vCPUs: well under 5 %, above 0.
    const cpu = Number(cells[5].replace(" %", ""));
    expect(cpu).toBeGreaterThan(0);
    expect(cpu).toBeLessThan(5);
    expect(renderMarkdown(onDemand)).not.toContain("## Lambda Managed Instances");
  });

  it("report.html: the table and the cost chart carry both lines only for a run that has them", () => {
    const html = renderHtmlReport(simulate(resolveScenario(input("managed-instances"))));
    expect(html).toContain("managed instances EC2 $");
    expect(html).toContain("management fee $");
    expect(renderHtmlReport(simulate(resolveScenario(input("on-demand"))))).not.toContain("management fee");
  });

  it("a sweep's cases vary compute, and each variant's summary carries its own bill", async () => {
    const plan = planSweep(
      {
        ...input("on-demand"),
        sweep: { cases: [{ name: "on-demand" }, { name: "managed", set: { "functions.api.compute": "managed-instances" } }] },
      },
      { baseDir: tmpdir(), defaultName: "hour" },
    );
    const results = await runSweep(plan, { workers: 1 });
    const doc = buildSweepDocument(plan.definition, plan.variants, results);
    const [od, mi] = doc.variants.map((v) => v.summary);
    expect("managedInstancesEc2Usd" in od.totals.cost).toBe(false);
    close(mi.totals.cost.totalUsd, EC2 + FEE + REQUESTS, 1e-6);
    close(mi.totals.cost.managedInstancesEc2Usd as number, EC2, 1e-6);
    // The same traffic on demand: 36,000 x 50 ms at 4 GB = 7,200 GB-s plus the cold starts' init
    // where billed; arm64 at $0.0000133334 per GB-s, well under a dollar.
    expect(od.totals.cost.totalUsd).toBeLessThan(0.2);
    close(od.totals.cost.totalUsd, onDemand.totals.cost.totalUsd, 1e-12);

    // sweep.csv has a column per line any variant has, 0 for the variant without it.
    const csv = sweepCsv(doc);
    const column = csv.header.indexOf("(total).managedInstancesEc2Usd");
    expect(column).toBeGreaterThan(0);
    expect(csv.header).toContain("api.managedInstancesFeeUsd");
    expect(csv.rows.map((row) => Number(row[column]))).toEqual([0, Number(EC2.toFixed(6))]);
    // sweep.md: a cost-by-line table whose rows add up to each variant's total.
    const byLine = sweepMarkdown(doc).split("## Cost by line")[1];
    const row = byLine.split("\n").find((line) => line.startsWith("| 1 | case=managed |")) as string;
    const dollars = row
      .split("|")
      .slice(3, -1)
      .map((cell) => Number(cell.trim().slice(1)));
    const [total, ec2, fee, rest] = dollars;
    close(ec2, EC2, 1e-6);
    close(fee, FEE, 1e-6);
    close(ec2 + fee + rest, total, 1e-5);
  });

  it("compare sees the Managed Instances bill in the cost", () => {
    const comparison = compareSummaries(onDemand, managed, [parseThreshold("cost=0.01")]);
    const row = comparison.rows.find((r) => r.scope === "api" && r.metric === "cost");
    close(row?.change as number, managed.functions.api.cost.totalUsd - onDemand.functions.api.cost.totalUsd, 1e-9);
    expect(row?.exceeded).toBe(true);
    // Each optional line is a row of its own, 0 on the side that does not have it; never a threshold's.
    const ec2 = comparison.rows.find((r) => r.scope === "(total)" && r.metric === "managedInstancesEc2Usd");
    expect(ec2?.baseline).toBe(0);
    close(ec2?.candidate as number, EC2, 1e-6);
    expect(ec2?.threshold).toBeNull();
  });
});

describe("response streaming on Managed Instances", () => {
  it("adds (sizeMb − 6) / 2 s of waiting to each request and charges the GB past 6 MB", () => {
    const streamed = (sizeMb: number) => {
      const base = input("managed-instances");
      return buildSummary(
        simulate(
          resolveScenario({
            ...base,
            functions: [{ ...base.functions[0], responseStreaming: { sizeMb } }],
          }),
        ),
      ).functions.api;
    };
    const plain = streamed(6);
    const large = streamed(10);
    // Constant 50 ms handler, 20 % of it CPU work on a lightly loaded environment: every request
    // takes 50 ms, and 2 s more when 4 MB stream at 2 MB/s. No CPU is used while streaming.
    close(plain.latencyMs.p50, 50, 1e-6);
    close(large.latencyMs.p50, 2050, 1e-6);
    close(large.cost.streamingUsd as number, (36_000 * 4 * 0.008) / 1024, 1e-9);
    close(large.managedInstances?.cpuUtilizationMean as number, plain.managedInstances?.cpuUtilizationMean as number, 1e-9);
  });
});
