import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/read.js";
import { buildSummary, type Summary } from "../../src/report/summary.js";
import { simulate } from "../../src/simulate.js";

/*
 * The ready-made examples in scenarios/ are what a capacity planner copies first: each must load,
 * run, and still tell the story its description promises.
 */

const SCENARIOS = resolve(dirname(fileURLToPath(import.meta.url)), "../../scenarios");
const files = readdirSync(SCENARIOS)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

/** Each example is simulated once and shared by the assertions about it. */
const summaries = new Map<string, Summary>();
function run(file: string): Summary {
  let summary = summaries.get(file);
  if (!summary) {
    const scenario = loadScenarioFile(join(SCENARIOS, file));
    // Every example runs in a few seconds, so none needs options.stopAt to cap it.
    summary = buildSummary(simulate(scenario));
    summaries.set(file, summary);
  }
  return summary;
}

const fn = (summary: Summary, name: string) => {
  const f = summary.functions[name];
  expect(f, `function ${name} in ${summary.scenario}`).toBeDefined();
  return f;
};

describe("scenarios/ examples", () => {
  it("has the documented examples", () => {
    for (const name of [
      "steady-api.yaml",
      "burst-beyond-scaling.yaml",
      "reserved-vs-shared.yaml",
      "provisioned-spillover.yaml",
      "memory-vs-cost.yaml",
      "azure-trace-replay.yaml",
      "async-retry-storm.yaml",
      "kinesis-poison-record.yaml",
      "dynamodb-stream-consumer.yaml",
      "sqs-backlog-burst.yaml",
    ]) {
      expect(files).toContain(name);
    }
  });

  describe.each(files)("%s", (file) => {
    it("has a description and a name matching its file", () => {
      const raw = parse(readFileSync(join(SCENARIOS, file), "utf8")) as { name?: string; description?: string };
      expect(raw.description?.length ?? 0).toBeGreaterThan(80);
      expect(raw.name).toBe(file.replace(/\.yaml$/, ""));
    });

    it("does not depend on files outside scenarios/", () => {
      const text = readFileSync(join(SCENARIOS, file), "utf8");
      for (const match of text.matchAll(/^\s*file:\s*(\S+)/gm)) {
        expect(match[1]).not.toMatch(/^(\/|\.\.)/);
      }
    });

    it("validates and runs to completion", () => {
      const summary = run(file);
      expect(summary.totals.arrivals).toBeGreaterThan(0);
      expect(summary.totals.Invocations).toBeGreaterThan(0);
      expect(summary.totals.outcomes.inFlight).toBe(0);
      expect(summary.totals.cost.totalUsd).toBeGreaterThan(0);
    });

    it("warns only of what it is written to show", () => {
      // provisioned-spillover fills the account on purpose: its two functions share the 1,000 limit;
      // in reserved-vs-shared thumbnails fills the 700 unreserved beside payments' 300 reserved, and
      // ClaimedAccountConcurrency counts the whole reservation.
      const fillsTheAccount = ["provisioned-spillover.yaml", "reserved-vs-shared.yaml"];
      const expected = fillsTheAccount.includes(file) ? ["account-concurrency-near-limit"] : [];
      expect((run(file).warnings ?? []).map((w) => w.code)).toEqual(expected);
    });
  });
});

describe("the examples tell their story", () => {
  it("steady-api: no throttles, cold starts well under 1 %, concurrency near Little's law", () => {
    const s = run("steady-api.yaml");
    // The first 10 minutes warm the pool up and are left out.
    expect(s.window).toEqual({ from: 600, to: 7200 });
    expect(s.totals.Throttles).toBe(0);
    expect(s.totals.coldStarts / s.totals.Invocations).toBeLessThan(0.01);
    // 150 req/s x ~66 ms and 40 req/s x ~175 ms.
    expect(fn(s, "orders-api").metrics.ConcurrentExecutions.mean).toBeGreaterThan(8);
    expect(fn(s, "orders-api").metrics.ConcurrentExecutions.mean).toBeLessThan(12);
    expect(fn(s, "search-api").metrics.ConcurrentExecutions.mean).toBeGreaterThan(5.5);
    expect(fn(s, "search-api").metrics.ConcurrentExecutions.mean).toBeLessThan(8.5);
  });

  it("burst-beyond-scaling: the scaling bucket throttles, retries rescue part, the account pool is never full", () => {
    const s = run("burst-beyond-scaling.yaml");
    const api = fn(s, "tickets-api");
    expect(api.metrics.Throttles).toBeGreaterThan(1000);
    expect(api.clientRetries).toBeGreaterThan(0);
    // Some throttled requests succeed on a retry, some run out of attempts.
    expect(api.outcomes.throttled).toBeGreaterThan(0);
    expect(api.outcomes.throttled).toBeLessThan(api.metrics.Throttles);
    // More than the 1,000 the bucket holds were needed, and the raised account limit was not the cause.
    expect(api.environments.created).toBeGreaterThan(1000);
    expect(s.account.maxClaimedConcurrency).toBeLessThan(s.account.concurrencyLimit);
  });

  it("reserved-vs-shared: the reserved function is never throttled, the unreserved one is, at its pool size", () => {
    const s = run("reserved-vs-shared.yaml");
    const payments = fn(s, "payments");
    const thumbnails = fn(s, "thumbnails");
    expect(payments.config.reservedConcurrency).toBe(300);
    expect(payments.metrics.Throttles).toBe(0);
    expect(thumbnails.config.reservedConcurrency).toBeNull();
    expect(thumbnails.metrics.Throttles).toBeGreaterThan(1000);
    expect(s.account.unreservedCapacity).toBe(700);
    expect(thumbnails.maxClaimedConcurrency).toBe(700);
  });

  it("provisioned-spillover: PC serves most requests, the rest spills over, PC is billed, fewer cold starts", () => {
    const s = run("provisioned-spillover.yaml");
    const pc = fn(s, "checkout-pc");
    const onDemand = fn(s, "checkout-ondemand");
    expect(pc.config.provisionedConcurrency).toEqual([
      { at: 0, value: 30 },
      { at: 1020, value: 80 },
      { at: 2460, value: 30 },
    ]);
    expect(pc.metrics.ProvisionedConcurrencyInvocations).toBeGreaterThan(pc.metrics.Invocations / 2);
    expect(pc.metrics.ProvisionedConcurrencySpilloverInvocations).toBeGreaterThan(0);
    expect(pc.metrics.ProvisionedConcurrencyInvocations + pc.metrics.ProvisionedConcurrencySpilloverInvocations).toBe(
      pc.metrics.Invocations,
    );
    expect(pc.cost.provisionedUsd).toBeGreaterThan(0);
    expect(onDemand.cost.provisionedUsd).toBe(0);
    expect(onDemand.metrics.ProvisionedConcurrencyInvocations).toBe(0);
    expect(pc.coldStarts).toBeLessThan(onDemand.coldStarts);
  });

  it("memory-vs-cost: more memory is faster and, for this function, costs more per request", () => {
    const s = run("memory-vs-cost.yaml");
    const sizes = [512, 1024, 1769, 3008];
    const rows = sizes.map((mb) => {
      const f = fn(s, `render-${mb}`);
      expect(f.config.memoryMb).toBe(mb);
      return { mb, p50: f.latencyMs.p50, usdPerRequest: f.cost.totalUsd / f.arrivals };
    });
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].p50, `p50 at ${rows[i].mb} MB`).toBeLessThan(rows[i - 1].p50);
      expect(rows[i].usdPerRequest, `cost per request at ${rows[i].mb} MB`).toBeGreaterThan(rows[i - 1].usdPerRequest);
    }
    // Halving memory nearly doubles the CPU-bound handler: 0.15 + 0.85 x 2 = 1.85.
    expect(rows[0].p50 / rows[1].p50).toBeGreaterThan(1.6);
    expect(rows[0].p50 / rows[1].p50).toBeLessThan(2.1);
  });

  it("azure-trace-replay: every row of the copied trace replays, one function per (app, func), many cold starts", () => {
    const s = run("azure-trace-replay.yaml");
    expect(s.totals.arrivals).toBe(199);
    expect(s.totals.Invocations).toBe(199);
    expect(Object.keys(s.functions)).toHaveLength(31);
    for (const [name, f] of Object.entries(s.functions)) {
      expect(name).toMatch(/^azure-[0-9a-f]{8}-[0-9a-f]{8}$/);
      expect(f.config).toMatchObject({ memoryMb: 256, runtime: "python3.12", timeoutSeconds: 900 });
    }
    expect(s.totals.Errors).toBe(0);
    expect(s.totals.coldStarts / s.totals.Invocations).toBeGreaterThan(0.1);
  });

  it("azure-trace-replay: the copied trace is the shared sample, unchanged, with its licence", () => {
    const copy = readFileSync(join(SCENARIOS, "traces/azure-functions-2021-sample.csv"), "utf8");
    expect(copy.split("\n")[0]).toBe("app,func,end_timestamp,duration");
    expect(copy.trim().split("\n")).toHaveLength(200);
    const licence = readFileSync(join(SCENARIOS, "traces/LICENSE-azure-functions-2021"), "utf8");
    expect(licence).toContain("Attribution 4.0 International");
    expect(licence).toContain("SOSP 2021");
  });

  it("periodic-cron: a schedule inside the keep-alive stays warm, one beyond it is always cold", () => {
    const s = run("periodic-cron.yaml");
    const every5 = fn(s, "report-every-5m");
    const every15 = fn(s, "report-every-15m");
    expect(every5.arrivals).toBe(288);
    expect(every15.arrivals).toBe(96);
    expect(every15.coldStarts).toBe(every15.metrics.Invocations);
    // Only the ~2 h maximum lifetime forces a new environment: about 12-14 a day.
    expect(every5.coldStarts).toBeLessThan(20);
    expect(fn(s, "report-every-9m").coldStarts).toBeLessThan(20);
  });

  it("webhook-timestamps-trace: the replayed burst hits the reserved cap and is partly rescued by retries", () => {
    const s = run("webhook-timestamps-trace.yaml");
    const hooks = fn(s, "webhooks");
    expect(hooks.arrivals).toBe(1838);
    expect(hooks.maxClaimedConcurrency).toBe(40);
    expect(hooks.metrics.Throttles).toBeGreaterThan(0);
    expect(hooks.clientRetries).toBeGreaterThan(0);
    expect(hooks.outcomes.throttled).toBeLessThan(hooks.metrics.Throttles);
  });
});
