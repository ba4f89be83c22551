/*
 * Every invocation path at once, sharing functions and concurrency: synchronous clients, async
 * events, Kinesis/DynamoDB streams and SQS queues feeding the same few functions, under tight
 * reserved and account limits, error windows and poison records. simulate() checks conservation
 * (from each invoker's own queues) and every limit at the end of each run; here fast-check
 * searches for a scenario that breaks them, and checks from the summary that outcomes add up for
 * every function and that a rerun is byte-identical, with and without a warm-up.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate } from "../../src/simulate.js";

const NAMES = ["a", "b", "c"] as const;

const arrivals = fc.oneof(
  fc.record({ poisson: fc.record({ rate: fc.double({ min: 0.5, max: 30, noNaN: true }) }) }),
  fc.record({ constant: fc.record({ interval: fc.double({ min: 0.05, max: 3, noNaN: true }) }) }),
);

const poison = fc.option(
  fc.oneof(
    fc.record({ rate: fc.double({ min: 0, max: 0.02, noNaN: true }) }),
    fc.record({ records: fc.array(fc.nat(300), { minLength: 1, maxLength: 3 }) }),
  ),
  { nil: undefined },
);

const entry = fc.oneof(
  fc.record({
    function: fc.constantFrom(...NAMES),
    invocation: fc.constant("sync"),
    arrivals,
    client: fc.record({ retry: fc.constantFrom("none", "sdk-standard") }),
  }),
  fc.record({
    function: fc.constantFrom(...NAMES),
    invocation: fc.constant("async"),
    arrivals,
    async: fc.record({
      maximumRetryAttempts: fc.integer({ min: 0, max: 2 }),
      maximumEventAge: fc.integer({ min: 60, max: 400 }),
      onFailure: fc.constantFrom("dlq", "none"),
    }),
  }),
  fc.record({
    function: fc.constantFrom(...NAMES),
    source: fc.constantFrom("kinesis", "dynamodb-streams"),
    records: arrivals,
    shards: fc.integer({ min: 1, max: 4 }),
    batchSize: fc.integer({ min: 1, max: 50 }),
    parallelizationFactor: fc.integer({ min: 1, max: 3 }),
    maximumRetryAttempts: fc.integer({ min: 0, max: 5 }),
    maximumRecordAge: fc.integer({ min: 60, max: 300 }),
    bisectBatchOnFunctionError: fc.boolean(),
    reportBatchItemFailures: fc.boolean(),
    onFailure: fc.constantFrom("dlq", "none"),
    poisonRecords: poison,
  }),
  fc.record({
    function: fc.constantFrom(...NAMES),
    source: fc.constant("sqs"),
    messages: arrivals,
    batchSize: fc.integer({ min: 1, max: 10 }),
    maximumConcurrency: fc.option(fc.integer({ min: 2, max: 20 }), { nil: undefined }),
    visibilityTimeout: fc.integer({ min: 10, max: 60 }),
    maxReceiveCount: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    messageRetention: fc.integer({ min: 60, max: 600 }),
    reportBatchItemFailures: fc.boolean(),
    poisonRecords: poison,
  }),
);

const fn = (name: string) =>
  fc.record({
    name: fc.constant(name),
    timeout: fc.constant(10),
    duration: fc.double({ min: 0.01, max: 2, noNaN: true }),
    errorRate: fc.constantFrom(0, 0.05, 0.5),
    reservedConcurrency: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    errorWindows: fc.constantFrom([], [{ from: 20, to: 60 }]),
  });

const scenario = fc.record({
  seed: fc.nat(1000),
  duration: fc.integer({ min: 30, max: 180 }),
  // A warm-up: outcomes must still add up for the arrivals counted from it on, on every path.
  warmup: fc.constantFrom(0, 10, 25),
  account: fc.record({ concurrencyLimit: fc.integer({ min: 20, max: 40 }), unreservedMinimum: fc.constant(2) }),
  functions: fc.tuple(...NAMES.map(fn)),
  workload: fc.array(entry, { minLength: 1, maxLength: 5 }),
  stopAt: fc.option(fc.integer({ min: 10, max: 400 }), { nil: undefined }),
});

describe("every invocation path together", () => {
  it("accounts for every request, event, record and message, within every limit, deterministically", () => {
    fc.assert(
      fc.property(scenario, ({ stopAt, ...input }) => {
        const resolved = resolveScenario({ name: "mixed", ...input });
        const summary = buildSummary(simulate(resolved, { stopAt }));
        for (const [name, f] of Object.entries(summary.functions)) {
          const o = f.outcomes;
          expect(o.succeeded + o.failed + o.throttled + o.dropped + o.deadLettered + o.inFlight, name).toBe(f.arrivals);
          if (stopAt === undefined) expect(o.inFlight, name).toBe(0);
          if (f.config.reservedConcurrency !== null) expect(f.maxClaimedConcurrency).toBeLessThanOrEqual(f.config.reservedConcurrency);
        }
        expect(summary.account.maxClaimedConcurrency).toBeLessThanOrEqual(input.account.concurrencyLimit);
        const again = buildSummary(simulate(resolveScenario({ name: "mixed", ...input }), { stopAt }));
        expect(JSON.stringify(again)).toBe(JSON.stringify(summary));
      }),
      { numRuns: 60, seed: 20261123 },
    );
  });
});
