/*
 * Kinesis and DynamoDB Streams event source mappings: a failed batch blocks its shard, retries,
 * bisecting and partial batch responses, record age and retention limits, polling cadence, and
 * conservation across random configurations. Exact numbers where the behaviour is exact (records
 * all present at the first poll, constant handler times); stated tolerances where it is not.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../src/engine/simulation.js";
import type { FunctionMetrics } from "../../src/metrics/functionMetrics.js";
import { LambdaPlatform } from "../../src/model/platform.js";
import type { StreamSettings } from "../../src/sources/stream/compile.js";
import { StreamMappings } from "../../src/sources/stream/invoker.js";
import type { Scenario } from "../../src/scenario/types.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { loadScenarioFile } from "../../src/scenario/read.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import { withArrivalTimes } from "./fidelityHelpers.js";
import { simulate } from "../../src/simulate.js";

/** Handler time of every batch before recordDuration (s). */
const HANDLER = 0.02;
const INIT = 0.2;

/** One function with constant handler and init times fed by one stream with `stream` settings. */
function streamInput(stream: Record<string, unknown>, fn: Record<string, unknown> = {}, duration = 1): ScenarioInput {
  return {
    name: "stream",
    duration,
    platform: { maxLifetime: "infinite" },
    functions: [{ name: "fn", timeout: 30, duration: { constant: HANDLER }, init: { constant: INIT }, ...fn }],
    workload: [
      {
        function: "fn",
        source: "kinesis",
        records: { poisson: { rate: 1 } },
        maximumRetryAttempts: -1,
        maximumRecordAge: -1,
        ...stream,
      } as never,
    ],
  };
}

/** `count` records all at time 0: every lane finds its whole backlog at its first poll. */
const allAtZero = (count: number) => (k: number) => (k < count ? 0 : Infinity);

/** The scenario's arrival sources, all of them stream sources in these tests. */
function streamSources(scenario: Scenario, sim: Simulation) {
  return scenario.createSources((name) => sim.rng.stream(name)).map((source) => source as typeof source & { settings: StreamSettings });
}

function run(scenario: Scenario) {
  const result = simulate(scenario);
  const summary = buildSummary(result);
  return { result, metrics: result.functions[0].metrics, stats: result.functions[0].sources, f: summary.functions.fn, summary };
}

/**
 * The size of every batch the mapping sends, in order, read from the extraDuration it passes to
 * the platform (recordDuration x batch size).
 */
function batchSizes(scenario: Scenario, recordDuration: number): number[] {
  const sim = new Simulation(scenario.seed);
  const platform = new LambdaPlatform(sim, scenario);
  const sizes: number[] = [];
  const tryInvoke = platform.tryInvoke.bind(platform);
  platform.tryInvoke = (fn, invoker, token, requestedAt, arrivedAt, duration, extra, forceError) => {
    sizes.push(Math.round(extra / recordDuration));
    return tryInvoke(fn, invoker, token, requestedAt, arrivedAt, duration, extra, forceError);
  };
  new StreamMappings(sim, platform, streamSources(scenario, sim));
  platform.start();
  sim.run();
  return sizes;
}

/** Per-minute maxima of IteratorAge (ms) by minute, from the function's sparse series. */
function iteratorAgeByMinute(metrics: FunctionMetrics): Map<number, number> {
  const rows = new Map<number, number>();
  for (let row = 0; row < metrics.series.rows; row++) rows.set(metrics.series.minutes[row], metrics.series.get(row, "IteratorAgeMax"));
  return rows;
}

describe("stream settings", () => {
  it("leaves maximumRetryAttempts and maximumRecordAge infinite when omitted (the AWS defaults)", () => {
    const scenario = resolveScenario({
      duration: 1,
      functions: [{ name: "fn", duration: { constant: HANDLER } }],
      workload: [{ function: "fn", source: "kinesis", records: { poisson: { rate: 1 } } }],
    });
    const [source] = scenario.createSources(() => () => 0.5);
    expect(source.kind === "stream" && source.settings).toMatchObject({
      maximumRetryAttempts: Infinity,
      maximumRecordAge: Infinity,
      pollInterval: 1,
    });
  });
});

describe("records spread over shards and lanes", () => {
  // 40,000 records all waiting at the first polls, no failures: every record is sent exactly once,
  // so the batch sizes sent per lane (the token) count the records each lane received.
  const RECORD = 0.001;
  const perLane = (stream: Record<string, unknown>, lanes: number) => {
    const scenario = withArrivalTimes(
      resolveScenario(streamInput({ batchSize: 100, recordDuration: RECORD, ...stream })),
      allAtZero(40000),
    );
    const sim = new Simulation(scenario.seed);
    const platform = new LambdaPlatform(sim, scenario);
    const counts = new Array<number>(lanes).fill(0);
    const tryInvoke = platform.tryInvoke.bind(platform);
    platform.tryInvoke = (fn, invoker, token, requestedAt, arrivedAt, duration, extra, forceError) => {
      counts[token] += Math.round(extra / RECORD);
      return tryInvoke(fn, invoker, token, requestedAt, arrivedAt, duration, extra, forceError);
    };
    new StreamMappings(sim, platform, streamSources(scenario, sim));
    platform.start();
    sim.run();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40000);
    return counts;
  };
  // Each lane's count is binomial(40,000, p): allow 5 standard deviations.
  const within = (count: number, p: number) => expect(Math.abs(count - 40000 * p)).toBeLessThan(5 * Math.sqrt(40000 * p * (1 - p)));

  it("uniformly without skew, over shards x parallelizationFactor lanes", () => {
    for (const count of perLane({ shards: 4, parallelizationFactor: 2 }, 8)) within(count, 1 / 8);
  });

  it("Zipf over shard ranks with shardSkew, and uniformly over a shard's lanes", () => {
    // Skew 1: weights 1, 1/2, 1/3, 1/4 over H = 25/12; each shard's share split over 2 lanes.
    const counts = perLane({ shards: 4, shardSkew: 1, parallelizationFactor: 2 }, 8);
    counts.forEach((count, lane) => within(count, 12 / 25 / (Math.floor(lane / 2) + 1) / 2));
  });
});

describe("a poison record blocks its shard", () => {
  // 800 records in the first 80 ms (about 200 per shard), then one every 50 ms (about 5/s per
  // shard) until 75 minutes; record 0, at t = 0, is poison. A 100 ms batching window makes each
  // shard's first batch exactly its first 100 records: the window opens at the first poll and the
  // batch goes as soon as 100 records wait, all within the 80 ms burst.
  const END = 4500;
  const WINDOW = 0.1;
  const records = (k: number) => {
    if (k < 800) return k * 1e-4;
    const t = 0.1 + (k - 800) * 0.05;
    return t < END ? t : Infinity;
  };
  const input = (poison: boolean) =>
    streamInput(
      { shards: 4, batchSize: 100, batchingWindow: WINDOW, maximumRecordAge: 3600, ...(poison ? { poisonRecords: { records: [0] } } : {}) },
      {},
      END,
    );
  const poisoned = run(withArrivalTimes(resolveScenario(input(true)), records));
  const healthy = run(withArrivalTimes(resolveScenario(input(false)), records));

  it("stalls that shard until the batch is older than maximumRecordAge, then discards it", () => {
    const { f } = poisoned;
    const stream = f.stream!;
    expect(stream.discarded).toBe(100);
    expect(f.outcomes.dropped).toBe(100);
    expect(f.outcomes.inFlight).toBe(0);
    expect(stream.processed).toBe(stream.records - 100);
    expect(stream.records).toBe(f.arrivals);
    // The batch goes within the shard's first poll, at φ in [0, 1 s), with a cold start: its first
    // failure is by φ + INIT + HANDLER, then it is retried back to back every HANDLER and discarded
    // at the first retry with record 0 older than 3600 s, at D in (3600, 3600 + HANDLER].
    // Blocked: (3600 - 1 - INIT - HANDLER, 3600]. Only records older than D - 3600 <= 20 ms go
    // with it, and those (~50 of the burst's first 200) are all in the batch: exactly 100.
    expect(stream.blockedSeconds.max).toBeGreaterThan(3600 - 1 - INIT - HANDLER);
    expect(stream.blockedSeconds.max).toBeLessThanOrEqual(3600);
    expect(stream.blockedSeconds.total).toBe(stream.blockedSeconds.max);
    expect(stream.retries).toBeGreaterThanOrEqual(Math.floor((3600 - 1 - INIT - HANDLER) / HANDLER));
    expect(stream.retries).toBeLessThanOrEqual(Math.ceil(3600 / HANDLER));
    // IteratorAge peaks at the last retry (at D - HANDLER) or at the batch right after the discard
    // (at D), whose newest records arrived in the 80 ms burst: within [3600 - 0.08 - HANDLER,
    // 3600 + HANDLER] s.
    expect(stream.IteratorAge.max).toBeGreaterThanOrEqual(3600_000 - 80 - HANDLER * 1000);
    expect(stream.IteratorAge.max).toBeLessThanOrEqual(3600_000 + HANDLER * 1000);
  });

  it("leaves the other shards unaffected", () => {
    // Without the poison every shard keeps up: a batch's newest record waits at most a poll
    // interval and the window (plus, for the burst's backlog, the first invocation's cold start
    // and two handler times).
    expect(healthy.f.stream!.IteratorAge.max).toBeLessThan(1000 + (INIT + 2 * HANDLER) * 1000);
    expect(healthy.f.stream!.IteratorAge.max).toBeGreaterThan(0);
    expect(healthy.f.stream!.discarded).toBe(0);
    // The other shards run identically with the poison (constant times, no shared limit): during the
    // block only the poisoned shard's records pile up. At 30 min about a quarter of the records so
    // far wait (binomial share of one shard in 4 of ~36,800: sd 0.0023, so 0.25 ± 0.02 is > 8 sd).
    const minute29 = poisoned.metrics.series;
    let row = 0;
    while (minute29.minutes[row] !== 29) row++;
    const arrived = 800 + Math.floor(1800 / 0.05);
    expect(minute29.get(row, "QueueDepthEnd") / arrived).toBeGreaterThan(0.23);
    expect(minute29.get(row, "QueueDepthEnd") / arrived).toBeLessThan(0.27);
  });

  it("resumes: after catching up, every minute's IteratorAge stays under a poll interval, the window and a handler time", () => {
    // The shard's backlog (~18,000 records) drains at 100 records per 20 ms within seconds.
    const ages = iteratorAgeByMinute(poisoned.metrics);
    let minutes = 0;
    for (const [minute, age] of ages) {
      if (minute < 61 || minute >= END / 60) continue;
      minutes++;
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThan((1 + WINDOW + HANDLER) * 1000);
    }
    expect(minutes).toBe(END / 60 - 61);
  });
});

describe("bisectBatchOnFunctionError", () => {
  // 1,000 records all waiting at the first poll, batches of 100, record 150 poison.
  const RECORD = 0.001;
  const scenario = withArrivalTimes(
    resolveScenario(
      streamInput({
        batchSize: 100,
        maximumRetryAttempts: 2,
        bisectBatchOnFunctionError: true,
        poisonRecords: { records: [150] },
        recordDuration: RECORD,
      }),
    ),
    allAtZero(1000),
  );

  it("retries halves (ceil first) down to the poison record, then sends the pending halves", () => {
    // [100,200) fails; [100,150) succeeds; [150,200) fails and halves 25, 13, 7, 4, 2, 1; record
    // 150 alone fails 1 + 2 times and is discarded; then the second halves 1, 2, 3, 6, 12, 25.
    const episode = [100, 50, 50, 25, 13, 7, 4, 2, 1, 1, 1, 1, 2, 3, 6, 12, 25];
    expect(batchSizes(scenario, RECORD)).toEqual([100, ...episode, ...Array<number>(8).fill(100)]);
  });

  it("discards only the poison record", () => {
    const { f } = run(scenario);
    expect(f.stream!.discarded).toBe(1);
    expect(f.stream!.processed).toBe(999);
    expect(f.metrics.Invocations).toBe(26);
    // Every invocation after the first failure until the last pending half: 16.
    expect(f.stream!.retries).toBe(16);
    // Failures: 100, 50, 25, 13, 7, 4, 2, and 1 three times.
    expect(f.metrics.Errors).toBe(10);
    expect(f.outcomes.inFlight).toBe(0);
  });
});

describe("reportBatchItemFailures", () => {
  const RECORD = 0.001;
  const scenario = (retries: number) =>
    withArrivalTimes(
      resolveScenario(
        streamInput({
          batchSize: 100,
          maximumRetryAttempts: retries,
          reportBatchItemFailures: true,
          poisonRecords: { records: [150] },
          recordDuration: RECORD,
        }),
      ),
      allAtZero(1000),
    );

  it("checkpoints before the failed record and restarts the next batch from it", () => {
    // [100,200) reports record 150: 100..149 are processed; the lane re-reads [150,250), which
    // fails at its first record twice more (1 + 2 failures), and is discarded whole; then 250..999.
    expect(batchSizes(scenario(2), RECORD)).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50]);
    const { f } = run(scenario(2));
    expect(f.stream!.processed).toBe(900);
    expect(f.stream!.discarded).toBe(100);
    expect(f.stream!.retries).toBe(2);
    // The handler returns normally: a partial batch response is not an invocation error.
    expect(f.metrics.Errors).toBe(0);
  });

  it("with no retries discards only the failed record and the rest of its batch", () => {
    const { f } = run(scenario(0));
    expect(f.stream!.processed).toBe(950);
    expect(f.stream!.discarded).toBe(50);
    expect(f.metrics.Invocations).toBe(10);
  });
});

describe("maximumRetryAttempts", () => {
  it("invokes each failing batch exactly 1 + N times, then sends it to the failure destination", () => {
    const RECORD = 0.001;
    const scenario = withArrivalTimes(
      resolveScenario(streamInput({ batchSize: 100, maximumRetryAttempts: 3, onFailure: "dlq", recordDuration: RECORD }, { errorRate: 1 })),
      allAtZero(1000),
    );
    expect(batchSizes(scenario, RECORD)).toEqual(Array<number>(40).fill(100));
    const { f } = run(scenario);
    expect(f.metrics.Invocations).toBe(40);
    expect(f.metrics.Errors).toBe(40);
    expect(f.stream!.retries).toBe(30);
    expect(f.outcomes.deadLettered).toBe(1000);
    expect(f.outcomes.dropped).toBe(0);
    expect(f.stream!.discarded).toBe(1000);
    // Each batch is blocked from its first failure to its fourth: 3 handler times of 20 + 100 ms.
    expect(f.stream!.blockedSeconds.max).toBeCloseTo(3 * (HANDLER + 100 * RECORD), 9);
    expect(f.stream!.blockedSeconds.total).toBeCloseTo(10 * 3 * (HANDLER + 100 * RECORD), 9);
  });
});

describe("retention", () => {
  it("with infinite retries and no maximum age, the poisoned batch and records behind it expire after 24 h", () => {
    // One record a second for 600 s, record 0 poison, 7 s handler, 0.5 s init. The batch (record 0
    // alone) goes at phase φ in [0, 1), fails at φ + 7.5 and every 7 s after; the first retry with
    // record 0 older than 86,400 s is at φ + 0.5 + 7 x 12,343 = 86,401.5 + φ. Blocked 86,394 s
    // exactly. The next batch first drops records older than 24 h: t = 1, and t = 2 when φ > 0.5.
    const scenario = withArrivalTimes(
      resolveScenario(
        streamInput(
          { batchSize: 100, retention: "24h", poisonRecords: { records: [0] } },
          { duration: { constant: 7 }, init: { constant: 0.5 } },
          600,
        ),
      ),
      (k) => (k < 600 ? k : Infinity),
    );
    const { f, result } = run(scenario);
    const stream = f.stream!;
    expect(stream.expired).toBeGreaterThanOrEqual(2);
    expect(stream.expired).toBeLessThanOrEqual(3);
    expect(stream.discarded).toBe(0);
    expect(stream.processed).toBe(600 - stream.expired);
    expect(f.outcomes.dropped).toBe(stream.expired);
    expect(f.outcomes.inFlight).toBe(0);
    expect(stream.blockedSeconds.max).toBeCloseTo(86394, 6);
    // The last retry before expiry, at φ + 0.5 + 7 x 12,342, carries record 0.
    expect(stream.IteratorAge.max).toBeGreaterThanOrEqual(86394.5e3);
    expect(stream.IteratorAge.max).toBeLessThan(86395.5e3);
    expect(result.simulatedSeconds).toBeGreaterThan(86401.5);
  });
});

describe("polling cadence", () => {
  // Sparse Poisson records (mean gap per shard 20 s, much longer than a poll interval and a 20 ms
  // handler) each go alone at their lane's next poll. The lane polls on a grid with a uniform
  // random phase, so the wait, which is the batch's IteratorAge, is uniform on [0, P): mean P/2,
  // sd P/sqrt(12). With n records the mean's standard error is P/sqrt(12 n); allow 5 of them.
  // A record that arrives while its lane's batch runs (probability ~ 0.05/s x 20 ms) waits less:
  // a bias far below the tolerance.
  const check = (source: "kinesis" | "dynamodb-streams", interval: number) => {
    const input = streamInput({ source, shards: 4, records: { poisson: { rate: 0.2 } } }, { init: { constant: 0 } }, 20000);
    const { stats, f } = run(resolveScenario(input));
    const ages = stats.stream!.iteratorAge;
    const n = ages.count;
    expect(n).toBeGreaterThan(3600);
    const tolerance = 5 * ((interval * 1000) / Math.sqrt(12 * n));
    expect(Math.abs(ages.mean - (interval * 1000) / 2)).toBeLessThan(tolerance);
    expect(f.stream!.IteratorAge.max).toBeLessThan((interval + HANDLER) * 1000);
    expect(f.stream!.processed).toBe(f.arrivals);
  };

  it("DynamoDB Streams polls each shard 4 times a second: mean IteratorAge ≈ 125 ms", () => check("dynamodb-streams", 0.25));
  it("Kinesis polls each shard once a second: mean IteratorAge ≈ 500 ms", () => check("kinesis", 1));
});

describe("conservation and determinism over random stream configurations", () => {
  const configArb = fc.record({
    source: fc.constantFrom("kinesis", "dynamodb-streams"),
    shards: fc.integer({ min: 1, max: 8 }),
    shardSkew: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 2, noNaN: true })),
    parallelizationFactor: fc.integer({ min: 1, max: 3 }),
    batchSize: fc.integer({ min: 1, max: 200 }),
    batchingWindow: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 5, noNaN: true })),
    maximumRetryAttempts: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 5 })),
    maximumRecordAge: fc.oneof(fc.constant(-1), fc.integer({ min: 60, max: 300 })),
    bisectBatchOnFunctionError: fc.boolean(),
    reportBatchItemFailures: fc.boolean(),
    onFailure: fc.constantFrom("none", "dlq"),
    poisonRecords: fc.option(
      fc.oneof(
        fc.record({ rate: fc.double({ min: 0, max: 0.05, noNaN: true }) }),
        fc.record({ records: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 5 }) }),
      ),
      { nil: undefined },
    ),
    recordDuration: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.005, noNaN: true })),
    rate: fc.double({ min: 1, max: 40, noNaN: true }),
    duration: fc.integer({ min: 20, max: 120 }),
    handler: fc.double({ min: 0.1, max: 1, noNaN: true }),
    errorRate: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 0.5, noNaN: true })),
    errorWindow: fc.option(fc.record({ from: fc.integer({ min: 0, max: 100 }), length: fc.integer({ min: 1, max: 60 }) }), {
      nil: undefined,
    }),
    reserved: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    stopAfter: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    seed: fc.integer({ min: 0, max: 1000 }),
  });

  it("every record ends exactly once, concurrency stays within shards x parallelizationFactor, and runs repeat exactly", () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const { rate, duration, handler, errorRate, errorWindow, reserved, stopAfter, seed, poisonRecords, ...stream } = c;
        const input: ScenarioInput = {
          name: "random-stream",
          seed,
          duration,
          functions: [
            {
              name: "fn",
              timeout: 5,
              duration: { constant: handler },
              errorRate,
              errorWindows: errorWindow ? [{ from: errorWindow.from, to: errorWindow.from + errorWindow.length }] : [],
              ...(reserved === undefined ? {} : { reservedConcurrency: reserved }),
            },
          ],
          workload: [{ function: "fn", records: { poisson: { rate } }, ...stream, ...(poisonRecords ? { poisonRecords } : {}) } as never],
        };
        const scenario = resolveScenario(input);
        // Infinite retries can block a lane for 24 h (retention): such runs are cut short.
        const stopAt =
          stream.maximumRetryAttempts === -1 ? duration + (stopAfter ?? 300) : stopAfter === undefined ? undefined : duration + stopAfter;
        const options = stopAt === undefined ? {} : { stopAt };
        const first = buildSummary(simulate(scenario, options));
        const f = first.functions.fn;
        const o = f.outcomes;
        expect(o.succeeded + o.failed + o.throttled + o.dropped + o.deadLettered + o.inFlight).toBe(f.arrivals);
        expect(o.failed + o.throttled).toBe(0);
        expect(f.stream!.records).toBe(f.arrivals);
        expect(f.stream!.processed).toBe(o.succeeded);
        expect(f.stream!.discarded + f.stream!.expired).toBe(o.dropped + o.deadLettered);
        if (stream.onFailure === "none") expect(o.deadLettered).toBe(0);
        else expect(o.dropped).toBe(f.stream!.expired);
        if (stopAt === undefined) expect(o.inFlight).toBe(0);
        expect(f.metrics.ConcurrentExecutions.max).toBeLessThanOrEqual(stream.shards * stream.parallelizationFactor);
        expect(JSON.stringify(buildSummary(simulate(scenario, options)))).toBe(JSON.stringify(first));
      }),
      { numRuns: 30, seed: 20240611 },
    );
  });
});

const SCENARIOS = resolve(dirname(fileURLToPath(import.meta.url)), "../../scenarios");

describe("scenarios/kinesis-poison-record.yaml", () => {
  const result = simulate(loadScenarioFile(join(SCENARIOS, "kinesis-poison-record.yaml")));
  const summary = buildSummary(result);
  const unprotected = summary.functions["no-protection"];
  const aged = summary.functions["max-record-age-1h"];
  const bisect = summary.functions["bisect-3-retries"];
  const peakMinute = (name: string) => {
    const metrics = result.functions.find((f) => f.spec.name === name)!.metrics;
    let best = -1;
    let peak = -1;
    for (const [minute, age] of iteratorAgeByMinute(metrics)) if (age > peak) [best, peak] = [minute, age];
    return best;
  };

  it("tells the three stories: 10,001 attempts, an hour, a few seconds", () => {
    for (const f of [unprotected, aged, bisect]) {
      expect(f.outcomes.inFlight).toBe(0);
      expect(f.stream!.processed + f.stream!.discarded).toBe(f.stream!.records);
    }
    // 10,001 attempts of a batch of n records at 0.5 + 0.005 n s each (n ≈ 5: ~0.53 s): ~88 min.
    expect(unprotected.stream!.retries).toBe(10000);
    expect(unprotected.stream!.blockedSeconds.max).toBeGreaterThan(10001 * 0.505);
    expect(unprotected.stream!.blockedSeconds.max).toBeLessThan(10001 * 0.6);
    expect(unprotected.stream!.IteratorAge.max).toBeGreaterThan(10001 * 0.505 * 1000);
    // maximumRecordAge 1h: discarded once the batch's oldest record passes 3,600 s.
    expect(aged.stream!.IteratorAge.max).toBeGreaterThan(3595_000);
    expect(aged.stream!.IteratorAge.max).toBeLessThan(3605_000);
    expect(aged.stream!.blockedSeconds.max).toBeGreaterThan(3590);
    expect(aged.stream!.blockedSeconds.max).toBeLessThanOrEqual(3600);
    // Both discard the whole poisoned batch; bisecting discards the poison record alone, within seconds.
    expect(unprotected.stream!.discarded).toBeGreaterThan(1);
    expect(aged.stream!.discarded).toBeGreaterThan(1);
    expect(bisect.stream!.discarded).toBe(1);
    expect(bisect.stream!.blockedSeconds.max).toBeLessThan(10);
    expect(bisect.stream!.IteratorAge.max).toBeLessThan(15_000);
    // The poison arrives at minute 16 (record 40,000 at 25 ms): the peaks come when each shard resumes.
    expect(peakMinute("max-record-age-1h")).toBe(16 + 60);
    expect(peakMinute("no-protection")).toBeGreaterThan(16 + 60);
  });
});

describe("scenarios/dynamodb-stream-consumer.yaml", () => {
  const result = simulate(loadScenarioFile(join(SCENARIOS, "dynamodb-stream-consumer.yaml")));
  const f = buildSummary(result).functions["search-indexer"];
  const ages = iteratorAgeByMinute(result.functions[0].metrics);

  it("rides out the 5-minute outage without losing a record, IteratorAge rising to ~5 min and recovering", () => {
    expect(f.outcomes.inFlight).toBe(0);
    expect(f.stream!.processed).toBe(f.stream!.records);
    expect(f.stream!.discarded + f.stream!.expired).toBe(0);
    // Outage 70-75 min: the batches sent just after it ends carry records up to 5 min old.
    expect(f.stream!.IteratorAge.max).toBeGreaterThan(295_000);
    expect(f.stream!.IteratorAge.max).toBeLessThan(310_000);
    expect(f.stream!.blockedSeconds.max).toBeGreaterThan(295);
    expect(f.stream!.blockedSeconds.max).toBeLessThan(305);
    // All 16 lanes (4 shards x parallelizationFactor 4) are busy at the peak, so all block.
    expect(f.stream!.blockedSeconds.total).toBeGreaterThan(16 * 295);
    expect(f.stream!.blockedSeconds.total).toBeLessThan(16 * 305);
    expect(f.metrics.ConcurrentExecutions.max).toBe(16);
    // Normal minutes: a batching window of 1 s plus the 250 ms poll; the backlog drains within a minute.
    for (const [minute, age] of ages) {
      if (minute >= 70 && minute <= 75) continue;
      expect(age).toBeLessThan(2000);
    }
    expect(ages.get(74)!).toBeGreaterThan(200_000);
  });
});
