/*
 * The AWS Lambda pricing page's worked examples for SnapStart, tenant isolation and response
 * streaming (https://aws.amazon.com/lambda/pricing/, docs/pricing.md#snapstart, #tenant-isolation,
 * #response-streaming), reproduced to the cent by deterministic simulated runs: constant arrival
 * intervals, constant handler times, init 0 and environments recycled on a fixed lifetime (jitter
 * 0) make every request, billed millisecond, environment and restore exact. The page rounds each
 * line to the cent; the tolerance on unrounded figures is floating point (1e-9 relative).
 */
import { describe, expect, it } from "vitest";
import { HOURS_PER_MONTH } from "../../src/cost/monthly.js";
import { PRICES } from "../../src/cost/pricing.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

const cents = (usd: number | undefined) => Math.round((usd as number) * 100) / 100;
function expectUsd(actual: number | undefined, expected: number): void {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe("SnapStart: the pricing page's telemetry example ($263.92)", () => {
  /*
   * The page: 10,000 vehicles each send one message an hour for a 31-day month = 7,440,000
   * requests of 2 s at 1 GB (x86); 1 % of them start a new environment (74,400 restores); one
   * version active all month (2,678,400 s). Requests $1.49 + compute $248.00 + cache $4.03 +
   * restores $10.40 = $263.92.
   * Simulated: the same 31 days at a hundredth of the traffic (one message every 36 s) with each
   * environment retired after 3,599 s, so each serves exactly the 100 messages of its hour: 74,400
   * requests and 744 restores (1 %). The cache line depends on the active time only and is the
   * page's as it is; the other lines are the page's divided by 100.
   */
  const month31 = 31 * 24 * 3600;
  let once: ReturnType<typeof simulate> | undefined;
  const run = () =>
    (once ??= simulate(
      resolveScenario({
        name: "snapstart-example",
        duration: month31,
        account: { scaling: "unlimited", requestRateLimit: "infinite" },
        platform: { maxLifetime: "3599s", lifetimeJitter: 0 },
        functions: [{ name: "telemetry", runtime: "python3.12", memoryMb: 1024, timeout: "10s", snapStart: true, duration: "2s" }],
        workload: [{ function: "telemetry", arrivals: { constant: { interval: "36s" } } }],
      }),
    ));

  it("restores a snapshot for 1 % of the requests and bills neither init nor restore time", () => {
    const result = run();
    const m = result.functions[0].metrics;
    expect(m.invocations).toBe(74_400);
    expect(m.coldStarts).toBe(744);
    expect(m.onDemandBilledMs).toBe(74_400 * 2000);
  });

  it("gives the page's line items", () => {
    const cost = run().functions[0].cost;
    expect(cents(cost.requestUsd * 100)).toBe(1.49);
    expect(cents(cost.computeUsd * 100)).toBe(248.0);
    expect(cents(cost.features.snapStartCacheUsd)).toBe(4.03);
    expect(cents((cost.features.snapStartRestoreUsd as number) * 100)).toBe(10.4);
    expectUsd(cost.features.snapStartCacheUsd, 2_678_400 * 0.0000015046);
    expectUsd(cost.features.snapStartRestoreUsd, 744 * 0.0001397998);
    const pageTotal =
      100 * (cost.requestUsd + cost.computeUsd + (cost.features.snapStartRestoreUsd as number)) +
      (cost.features.snapStartCacheUsd as number);
    expect(cents(pageTotal)).toBe(263.92);
  });

  it("projects the same rates to a 730-hour month, with the cache billed for all of it", () => {
    const monthly = run().monthly!;
    const f = monthly.functions[0];
    const scale = (HOURS_PER_MONTH * 3600) / month31;
    expectUsd(f.features.snapStartCacheUsd, HOURS_PER_MONTH * 3600 * PRICES.snapStartCachePerGbSecond);
    expectUsd(f.features.snapStartRestoreUsd, 744 * scale * PRICES.snapStartRestorePerGb);
    expectUsd(f.requests, 74_400 * scale);
  });

  it("charges nothing for SnapStart on Java", () => {
    const result = simulate(
      resolveScenario({
        name: "snapstart-java",
        duration: "1h",
        functions: [{ name: "f", runtime: "java21", memoryMb: 1024, snapStart: true, duration: "100ms" }],
        workload: [{ function: "f", arrivals: { constant: { interval: "1s" } } }],
      }),
    );
    const cost = result.functions[0].cost;
    expect(result.functions[0].metrics.coldStarts).toBeGreaterThan(0);
    expect(cost.features).toEqual({ snapStartCacheUsd: 0, snapStartRestoreUsd: 0 });
  });

  it("bills the cache for at least 3 hours", () => {
    const result = simulate(
      resolveScenario({
        name: "snapstart-short",
        duration: "10m",
        functions: [{ name: "f", runtime: "dotnet8", memoryMb: 2048, snapStart: true, duration: "100ms" }],
        workload: [{ function: "f", arrivals: { constant: { interval: "1s" } } }],
      }),
    );
    expectUsd(result.functions[0].cost.features.snapStartCacheUsd, 2 * 3 * 3600 * 0.0000015046);
  });
});

describe("tenant isolation: the pricing page's multi-tenant SaaS example", () => {
  /*
   * The page: 10M invokes of 2 s at 1,024 MB (x86) a month; 200,000 environments created (2 %).
   * Requests $2 + compute $333.33 (the page writes $333.34) + tenant isolation. The page prices
   * the environments at $0.000167 per GB, $33.40, total $368.74; the price list's rate is
   * $0.000166667 per GB, which gives $33.33 and $368.67 (docs/pricing.md#tenant-isolation).
   * Simulated: a thousandth of that month: 10,000 requests, one every 4 s, each environment
   * retired after 199 s so that it serves exactly 50 requests: 200 environments.
   */
  const run = () =>
    simulate(
      resolveScenario({
        name: "tenant-example",
        duration: "40000s",
        platform: { maxLifetime: "199s", lifetimeJitter: 0 },
        functions: [{ name: "saas", memoryMb: 1024, timeout: "10s", init: 0, duration: "2s", tenantIsolation: { tenants: 1 } }],
        workload: [{ function: "saas", arrivals: { constant: { interval: "4s" } } }],
      }),
    );

  it("creates one environment per 50 requests and bills each per GB", () => {
    const result = run();
    const f = result.functions[0];
    expect(f.metrics.invocations).toBe(10_000);
    expect(f.metrics.environmentsCreated).toBe(200);
    expect(f.metrics.coldStarts / f.metrics.invocations).toBe(0.02);
    expect(cents(f.cost.requestUsd * 1000)).toBe(2);
    expect(cents(f.cost.computeUsd * 1000)).toBe(333.33);
    expectUsd(f.cost.features.tenantIsolationUsd, 200 * 0.000166667);
    expect(cents((f.cost.features.tenantIsolationUsd as number) * 1000)).toBe(33.33);
    // The page's own figure, at its rounded rate: 200,000 × $0.000167 × 1 GB.
    expect(cents(200_000 * 0.000167)).toBe(33.4);
    expect(cents(f.cost.totalUsd * 1000)).toBe(368.67);
  });

  it("projects environments to the month like requests", () => {
    const monthly = run().monthly!;
    const scale = (HOURS_PER_MONTH * 3600) / 40_000;
    expectUsd(monthly.functions[0].features.tenantIsolationUsd, 200 * scale * 0.000166667);
  });
});

describe("response streaming: the pricing page's server-side rendering example ($39.04)", () => {
  /*
   * The page: 3M requests a month of 500 ms at 1,536 MB (x86), free tier on (the 100 GB of free
   * streaming already used): 2M responses of 100 KB and 1M of 7 MB. Compute (2.25M − 400,000 GB-s)
   * $30.83 + requests (3M − 1M) $0.40 + 1M × 1 MB past 6 MB = 976.56 GB × $0.008 = $7.81; $39.04.
   * Simulated: a 2,628-s window (a thousandth of a 730-hour month), 2,000 small responses with a
   * 500-ms handler and 1,000 of 7 MB whose handler ends at once and whose last MB streams at
   * 2 MB/s for 500 ms; the monthly projection scales the window by 1,000 and takes the free tier
   * off the month.
   */
  const run = () =>
    simulate(
      resolveScenario({
        name: "streaming-example",
        duration: "2628s",
        platform: { freeTier: true },
        functions: [
          { name: "small", memoryMb: 1536, init: 0, duration: "500ms", responseStreaming: { sizeMb: 100 / 1024 } },
          { name: "large", memoryMb: 1536, init: 0, duration: 0, responseStreaming: { sizeMb: 7 } },
        ],
        workload: [
          { function: "small", arrivals: { constant: { interval: "1.314s" } } },
          { function: "large", arrivals: { constant: { interval: "2.628s" } } },
        ],
      }),
    );

  it("lengthens the 7-MB responses by 500 ms and bills only bytes past 6 MB", () => {
    const result = run();
    const [small, large] = result.functions;
    expect(small.metrics.invocations).toBe(2000);
    expect(large.metrics.invocations).toBe(1000);
    expect(large.metrics.onDemandBilledMs).toBe(1000 * 500);
    expect(small.cost.features.streamingUsd).toBe(0);
    expectUsd(large.cost.features.streamingUsd, (1000 / 1024) * 0.008);
  });

  it("gives the page's monthly lines", () => {
    const monthly = run().monthly!;
    const t = monthly.totals;
    expect(t.requests).toBeCloseTo(3_000_000, 6);
    expect(cents(t.computeUsd)).toBe(30.83);
    expect(cents(t.requestUsd)).toBe(0.4);
    expect(cents(t.features.streamingUsd)).toBe(7.81);
    expectUsd(t.features.streamingUsd, 976.5625 * 0.008);
    expect(cents(cents(t.computeUsd) + cents(t.requestUsd) + cents(t.features.streamingUsd))).toBe(39.04);
    expect(Math.abs(t.totalUsd - 39.04)).toBeLessThan(0.01);
  });
});

describe("large asynchronous payloads", () => {
  const run = (payloadKb: number) =>
    simulate(
      resolveScenario({
        name: "async-payload",
        duration: "100s",
        functions: [{ name: "f", init: 0, duration: "10ms" }],
        workload: [{ function: "f", invocation: "async", async: { payloadKb }, arrivals: { constant: { interval: "1s" } } }],
      }),
    ).functions[0].cost;

  it("bills 1 request up to 256 KB and 1 more per 64 KB past it: 1 MB = 13", () => {
    expect(run(1).requests).toBe(100);
    expect(run(256).requests).toBe(100);
    expect(run(257).requests).toBe(200);
    expect(run(320).requests).toBe(200);
    expect(run(1024).requests).toBe(1300);
    expectUsd(run(1024).requestUsd, 1300 * 0.2e-6);
  });
});
