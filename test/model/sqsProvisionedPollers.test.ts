import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { compareSummaries, parseThreshold } from "../../src/report/compare.js";
import { renderHtmlReport } from "../../src/report/html/run.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildSummary } from "../../src/report/summary.js";
import { buildSweepDocument } from "../../src/sweep/outputs.js";
import { planSweep } from "../../src/sweep/plan.js";
import { runSweep } from "../../src/sweep/run.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate, type SimulateOptions } from "../../src/simulate.js";
import { withArrivalTimes } from "./fidelityHelpers.js";

/*
 * SQS provisioned mode (docs/lambda-behaviour.md#sqs-provisioned-pollers), against AWS's documented figures:
 * 10 concurrent batches and 1 MB/s per event poller, up to 1,000 concurrency (100 pollers) added a
 * minute, at least 2 pollers, each billed per second with a one-minute minimum at $0.00925 per
 * event poller unit hour; and the pricing page's SQS example (Provisioned Mode for ESM, Pricing
 * Example 2, $580). Handlers are constant with no init and arrivals are placed exactly, so every
 * expectation is exact up to floating point.
 */

const SEED = 5;

function scenario(sqs: Record<string, unknown>, fn: Record<string, unknown> = {}, duration = 1) {
  return resolveScenario({
    name: "pollers",
    seed: SEED,
    duration,
    account: { concurrencyLimit: 10000, scaling: "unlimited", requestRateLimit: "infinite" },
    functions: [{ name: "worker", memoryMb: 1024, architecture: "x86_64", init: 0, duration: { constant: "1s" }, timeout: "10s", ...fn }],
    workload: [{ function: "worker", source: "sqs", messages: { constant: { interval: 1 } }, batchSize: 1, ...sqs }],
  });
}

function run(
  sqs: Record<string, unknown>,
  fn: Record<string, unknown>,
  duration: number,
  times: readonly number[] | ((k: number) => number),
  options: SimulateOptions = {},
) {
  const result = simulate(withArrivalTimes(scenario(sqs, fn, duration), times), options);
  const summary = buildSummary(result);
  const stats = result.functions[0].sources.sqs;
  if (stats === null) throw new Error("the worker is fed by an SQS queue");
  return { summary, f: summary.functions.worker, stats, livePollers: stats.pollerLedgers.reduce((n, l) => n + l.live, 0) };
}

/** n messages, all sent at t = 0. */
const backlog = (n: number) => (k: number) => (k < n ? 0 : Infinity);

const close = (actual: number, expected: number, tolerance = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance);

describe("SQS provisioned pollers: capacity per poller", () => {
  it("a backlog drains at 10 concurrent batches per poller: 300 one-second messages on 3 pollers take 10 s", () => {
    // 3 pollers, minimum = maximum, so no scaling: 30 batches at once, 10 waves of 1 s. Receives
    // are paced by the 3 MB/s of 1-KB messages (1/3,072 s each), so the 30th message of each wave
    // starts 29/3,072 s after the first, and the last one ends at 10 + 29/3,072.
    const { summary, f } = run({ provisionedPollers: { minimum: 3, maximum: 3 } }, {}, 1, backlog(300));
    expect(f.sqs).toMatchObject({ messages: 300, deleted: 300, eventPollersMax: 3, maxConcurrentPollers: 30 });
    expect(f.metrics.ConcurrentExecutions.max).toBe(30);
    close(summary.simulatedSeconds, 10 + 29 / 3072, 1e-6);
  });

  it.each([
    { kb: 1024, batch: 1, end: 99 * 0.25 + 0.1 },
    { kb: 256, batch: 1, end: 99 / 16 + 0.1 },
    { kb: 256, batch: 10, end: 9 * ((10 * 256) / 4096) + 0.1 },
  ])(
    "a backlog of 100 messages of $kb KB (batches of $batch) drains at 1 MB/s per poller: 4 pollers end at $end s",
    ({ kb, batch, end }) => {
      // 4 pollers receive 4 MB/s: 4 messages of 1 MB (16 of 256 KB) a second, one batch after
      // another; a 0.1-s handler never fills the 40 batch slots, so throughput alone sets the pace.
      const { summary, f } = run(
        {
          provisionedPollers: { minimum: 4, maximum: 4 },
          messageSizeKb: kb,
          batchSize: batch,
          ...(batch > 1 ? { batchingWindow: "1s" } : {}),
        },
        { duration: { constant: "100ms" } },
        1,
        backlog(100),
      );
      expect(f.sqs).toMatchObject({ messages: 100, deleted: 100 });
      close(summary.simulatedSeconds, end);
    },
  );
});

describe("SQS provisioned pollers: scaling", () => {
  // 200,000 messages of 10 s each at t = 0 keep every batch slot busy for the first minute.
  const ramp = (stopAt: number, sqs: Record<string, unknown>) =>
    run(sqs, { duration: { constant: "10s" } }, 1, backlog(200_000), { stopAt });
  const provisioned = { provisionedPollers: { minimum: 2, maximum: 100 } };

  it("adds 5 pollers every 3 s while messages wait, from the minimum of 2 to the maximum of 100", () => {
    for (const [t, pollers] of [
      [0, 2],
      [2.999, 2],
      [3, 7],
      [30, 52],
      [59.999, 97],
      [60, 100],
      [120, 100],
    ] as const) {
      const r = ramp(t, provisioned);
      expect(r.livePollers, `pollers at ${t} s`).toBe(pollers);
      expect(r.f.sqs?.maxConcurrentPollers, `batch slots at ${t} s`).toBe(10 * pollers);
    }
  });

  it("reaches 1,000 concurrent batches in the first minute, where the default scaling reaches 305 (+5 a second)", () => {
    // The 30 batches the tick at 60 s allows are received within 30 / 102,400 s of it.
    expect(ramp(60.001, provisioned).f.metrics.ConcurrentExecutions.max).toBe(1000);
    const standard = ramp(60, {});
    expect(standard.f.sqs?.maxConcurrentPollers).toBe(305);
    expect(standard.f.metrics.ConcurrentExecutions.max).toBe(305);
  });
});

describe("SQS provisioned pollers: billing", () => {
  it("an idle mapping keeps and bills its minimum: 2 pollers x 600 s = 1/3 EPU-hour, $0.00308", () => {
    const { f, summary, livePollers } = run({ provisionedPollers: {} }, {}, 600, []);
    expect(livePollers).toBe(2);
    expect(f.sqs).toMatchObject({ messages: 0, eventPollersMax: 2, pollerHours: 0.333333 });
    close(f.cost.pollersUsd as number, (1200 / 3600) * 0.00925);
    close(f.cost.totalUsd, (1200 / 3600) * 0.00925);
    // Over a 730-hour month: 2 x 730 = 1,460 EPU-hours, $13.505.
    close(summary.monthly?.pollerHours as number, 1460, 1e-6);
    close(summary.monthly?.pollersUsd as number, 13.505);
  });

  it("a burst adds 5 pollers, kept and billed for one minute: 10 x 600 + 5 x 60 poller-seconds", () => {
    // 400 messages at t = 0 on 10 pollers (100 slots). Messages wait for a poller from the 100th
    // receive, at 99 / 10,240 s (1-KB messages at 10 MB/s); the revisions follow every 3 s. At the
    // first, 100 messages still wait, so the mapping goes to 15 pollers; the queue is empty by the
    // next, but the 5 new pollers are paid for a minute anyway and go at the revision 60 s after
    // they came.
    const burst = { provisionedPollers: { minimum: 10, maximum: 50 } };
    const first = 99 / 10240;
    for (const [t, pollers] of [
      [3, 10],
      [3 + first, 15],
      [6 + first, 15],
      [63, 15],
      [63 + first + 1e-9, 10],
    ] as const) {
      expect(run(burst, {}, 600, backlog(400), { stopAt: t }).livePollers, `pollers at ${t} s`).toBe(pollers);
    }
    const { f } = run(burst, {}, 600, backlog(400));
    expect(f.sqs).toMatchObject({ deleted: 400, eventPollersMax: 15, pollerHours: 1.75 });
    close(f.cost.pollersUsd as number, 1.75 * 0.00925);
  });
});

/*
 * The pricing page's SQS example (aws.amazon.com/lambda/pricing, "Provisioned Mode for Event Source
 * Mapping (ESM) Pricing", Pricing Example 2): 1 M invocations a day for 30 days of 1 s at 1,024 MB
 * on x86, no free tier; 10 minimum event pollers, and the mapping "scales up to consume 8000
 * EPU-hours per month": compute 30,000,000 GB-s x $0.0000166667 = $500, requests 30 M x $0.20 = $6,
 * EPUs 8,000 x $0.00925 = $74, in all $580.
 *
 * The scenario: a 730-hour month is 300 windows of 8,760 s, so a window of 100,000 one-message
 * invocations gives the example's 30 M a month. 10 pollers for the window are 87,600
 * poller-seconds, 7,300 EPU-hours a month; the other 700 come from 28 bursts of 400 messages, 5
 * minutes apart, each of which adds 5 pollers for a minute (as in the test above):
 * 28 x 300 = 8,400 poller-seconds. (87,600 + 8,400) / 3,600 x 300 = 8,000 EPU-hours.
 */
describe("the pricing page's SQS provisioned-mode example ($580)", () => {
  const WINDOW = 8760;
  const BURSTS = 28;
  const BURST = 400;
  const times: number[] = [];
  const steady = 100_000 - BURSTS * BURST;
  for (let k = 0; k < steady; k++) times.push((k * WINDOW) / steady);
  for (let b = 1; b <= BURSTS; b++) for (let j = 0; j < BURST; j++) times.push(300 * b);
  times.sort((a, b) => a - b);
  const { f, summary } = run({ provisionedPollers: { minimum: 10, maximum: 100 } }, {}, WINDOW, times);

  it("bills the window: 100,000 requests, 100,000 GB-s, 26.67 EPU-hours", () => {
    expect(f.metrics.Invocations).toBe(100_000);
    expect(f.cost.gbSeconds).toBe(100_000);
    expect(f.sqs).toMatchObject({ deleted: 100_000, eventPollersMax: 15, pollerHours: 26.666667 });
    close((f.cost.pollersUsd as number) * 3600, 96_000 * 0.00925, 1e-6);
  });

  it("projects to the example's month to the cent: $500 + $6 + $74 = $580", () => {
    const m = summary.monthly;
    if (m === null) throw new Error("the window has a length");
    expect(m.requests).toBe(30_000_000);
    expect(m.gbSeconds).toBe(30_000_000);
    close(m.pollerHours as number, 8000, 1e-6);
    close(m.pollersUsd as number, 74);
    close(m.requestUsd, 6);
    close(m.computeUsd, 500.001);
    close(m.totalUsd, 580.001);
    expect(m.computeUsd.toFixed(2)).toBe("500.00");
    expect((m.pollersUsd as number).toFixed(2)).toBe("74.00");
    expect(m.totalUsd.toFixed(2)).toBe("580.00");
  });
});

describe("SQS provisioned pollers in sweeps and compare", () => {
  // An idle queue for 600 s: the only cost is the pollers' minimum, m x 600 / 3,600 x $0.00925.
  const input = (sqs: Record<string, unknown>) => ({
    name: "idle",
    seed: SEED,
    duration: 600,
    functions: [{ name: "worker", init: 0, duration: { constant: "1s" }, timeout: "10s" }],
    workload: [{ function: "worker", source: "sqs", messages: { constant: { interval: 1000 } }, batchSize: 1, ...sqs }],
  });
  const idleCost = (minimum: number) => ((minimum * 600) / 3600) * 0.00925;

  it("a sweep varies provisionedPollers.minimum, and each variant's cost carries its pollers", async () => {
    const plan = planSweep(input({ provisionedPollers: { minimum: 2 } }), {
      vary: ["workload.worker.provisionedPollers.minimum=2,20"],
      baseDir: tmpdir(),
      defaultName: "idle",
    });
    const results = await runSweep(plan, { workers: 1 });
    const [two, twenty] = results.map((r) => r.summaries[0].functions.worker.cost);
    close(two.pollersUsd as number, idleCost(2));
    close(twenty.pollersUsd as number, idleCost(20));
    const doc = buildSweepDocument(plan.definition, plan.variants, results);
    const total = (i: number) => doc.variants[i].summary.totals.cost;
    close(total(1).totalUsd - total(0).totalUsd, idleCost(20) - idleCost(2), 1e-8);
    close(total(1).pollersUsd as number, idleCost(20));
  });

  it("report.md and report.html show the pollers' dollars and hours only for a run that has them", () => {
    const plain = simulate(resolveScenario(input({})));
    const provisioned = simulate(resolveScenario(input({ provisionedPollers: { minimum: 10 } })));
    const md = renderMarkdown(buildSummary(provisioned));
    // 10 pollers x 600 s = 1.67 EPU-hours = $0.015417; a month of them: 7,300 EPU-hours, $67.53.
    expect(md).toContain("| SQS pollers $ |");
    expect(md).toContain("| $0.015417 |");
    expect(md).toContain("| $67.53 |");
    expect(md).toContain("(10 event pollers, 1.7 EPU-hours)");
    expect(renderMarkdown(buildSummary(plain))).not.toContain("pollers $");
    expect(renderHtmlReport(provisioned)).toContain("SQS pollers $");
    expect(renderHtmlReport(plain)).not.toContain("SQS pollers");
  });

  it("compare sees the pollers in the cost: default scaling against 10 provisioned pollers", () => {
    const baseline = buildSummary(simulate(resolveScenario(input({}))));
    const candidate = buildSummary(simulate(resolveScenario(input({ provisionedPollers: { minimum: 10 } }))));
    expect("pollersUsd" in baseline.totals.cost).toBe(false);
    const comparison = compareSummaries(baseline, candidate, [parseThreshold("cost=0.01")]);
    const row = comparison.rows.find((r) => r.scope === "worker" && r.metric === "cost");
    close(row?.change as number, idleCost(10));
    expect(row?.exceeded).toBe(true);
  });
});
