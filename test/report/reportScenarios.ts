/*
 * Small simulated runs for the HTML report tests: real results (not hand-built objects), so the
 * report is tested on the shapes the simulator actually produces.
 */
import { resolveScenario } from "../../src/scenario/compile.js";
import { simulate, type SimulationResult } from "../../src/simulate.js";

const fn = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  runtime: "nodejs22.x",
  memoryMb: 512,
  timeout: "10s",
  duration: { lognormal: { median: "200ms", p99: "1s" } },
  ...extra,
});

export const DESCRIPTION_WITH_MARKUP = `Burst <script>alert("x")</script> & 'quotes'`;

/**
 * Two synchronous functions over 10 minutes: "api" (reserved concurrency 20) gets a 4x burst in
 * minutes 4-6 that needs ~50 environments, so it is throttled; "checkout" has provisioned
 * concurrency scheduled from 5 to 15 and spills over.
 */
export function twoSyncFunctions(): SimulationResult {
  return simulate(
    resolveScenario({
      name: "two-sync",
      description: DESCRIPTION_WITH_MARKUP,
      seed: 3,
      duration: "10m",
      functions: [
        fn("api", { reservedConcurrency: 20 }),
        fn("checkout", {
          provisionedConcurrency: [
            { at: 0, value: 5 },
            { at: "5m", value: 15 },
          ],
        }),
      ],
      workload: [
        {
          function: "api",
          arrivals: {
            steps: [
              { at: 0, rate: 50 },
              { at: "4m", rate: 200 },
              { at: "6m", rate: 50 },
            ],
          },
        },
        { function: "checkout", arrivals: { poisson: { rate: 30 } } },
      ],
    }),
  );
}

/** One function fed by each kind of event source: async invocation, a Kinesis stream, an SQS queue. */
export function eventSources(): SimulationResult {
  return simulate(
    resolveScenario({
      name: "event-sources",
      seed: 5,
      duration: "5m",
      functions: [fn("worker", { reservedConcurrency: 5 }), fn("indexer"), fn("consumer")],
      workload: [
        { function: "worker", invocation: "async", arrivals: { poisson: { rate: 30 } } },
        { function: "indexer", source: "kinesis", records: { poisson: { rate: 50 } } },
        { function: "consumer", source: "sqs", messages: { poisson: { rate: 30 } } },
      ],
    }),
  );
}

/**
 * A two-week run (20,160 minutes) of 12 quiet functions: long enough that the per-minute series
 * must be reduced for drawing, and more functions than the charts draw.
 */
export function twoWeeksOfTwelveFunctions(): SimulationResult {
  const names = Array.from({ length: 12 }, (_, i) => `fn-${String(i + 1).padStart(2, "0")}`);
  return simulate(
    resolveScenario({
      name: "two-weeks",
      seed: 9,
      duration: "14d",
      functions: names.map((name) => fn(name)),
      // Different rates, so which functions are drawn (the ten busiest) is well defined.
      workload: names.map((name, i) => ({ function: name, arrivals: { poisson: { rate: 0.004 * (i + 1) } } })),
    }),
  );
}
