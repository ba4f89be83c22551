import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSummary, type FunctionSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { loadScenarioFile } from "../../src/scenario/read.js";
import type { ScenarioInput } from "../../src/scenario/schema.js";
import type { Scenario } from "../../src/scenario/types.js";
import { withArrivalTimes } from "./fidelityHelpers.js";
import { simulate, type SimulationResult } from "../../src/simulate.js";

/*
 * Asynchronous invocation (docs/lambda-behaviour.md#asynchronous-invocation): retries after function errors at retryDelays, throttle
 * backoff, the event age limit, failure destinations, reserved concurrency 0 and duplicate
 * delivery. Handlers and inits are constants wherever the expected numbers are exact.
 */

interface Options {
  fn?: Record<string, unknown>;
  async?: Record<string, unknown>;
  arrivals?: { constant: { interval: number } };
  duration?: number;
}

/** One async function "fn": 1 s handler, 0.5 s init, unless `fn` says otherwise. */
function scenario(options: Options = {}): Scenario {
  const input: ScenarioInput = {
    duration: options.duration ?? 100,
    functions: [{ name: "fn", runtime: "python3.12", init: { constant: 0.5 }, duration: { constant: 1 }, ...options.fn }],
    workload: [
      { function: "fn", invocation: "async", arrivals: options.arrivals ?? { constant: { interval: 10 } }, async: options.async ?? {} },
    ],
  };
  return resolveScenario(input);
}

function only(result: SimulationResult): FunctionSummary {
  return buildSummary(result).functions.fn;
}

/** Invocations per minute from the function's per-minute series, as { minute: count }. */
function invocationsPerMinute(result: SimulationResult): Record<number, number> {
  const series = result.functions[0].metrics.series;
  const out: Record<number, number> = {};
  for (let row = 0; row < series.rows; row++) {
    const count = series.get(row, "Invocations");
    if (count > 0) out[series.minutes[row]] = count;
  }
  return out;
}

describe("async: function errors are retried maximumRetryAttempts times, then the event runs out", () => {
  // Events every 11 s at 0, 11, ..., 99. Each attempt ends 1 s after it starts (1.5 s for the
  // very first, cold one); retries start 60 s and then 120 s after the failed attempt ended.
  // With 11 s spacing no attempt ever overlaps another, so one environment serves them all.
  const events = Array.from({ length: 10 }, (_, k) => 11 * k);
  const attemptTimes = (retries: number) =>
    events.flatMap((t) => {
      const cold = t === 0 ? 0.5 : 0;
      return [t, t + 1 + cold + 60, t + 1 + cold + 60 + 1 + 120].slice(0, 1 + retries);
    });

  it.each([0, 1, 2])(
    "maximumRetryAttempts %i: each event invoked exactly 1 + that many times, at the documented spacing, then dead-lettered",
    (retries) => {
      const result = simulate(
        scenario({
          fn: { errorRate: 1 },
          async: { maximumRetryAttempts: retries, onFailure: "dlq" },
          arrivals: { constant: { interval: 11 } },
        }),
      );
      const f = only(result);
      expect(f.arrivals).toBe(10);
      expect(f.metrics.Invocations).toBe(10 * (1 + retries));
      expect(f.metrics.Errors).toBe(10 * (1 + retries));
      expect(f.metrics.Throttles).toBe(0);
      expect(f.coldStarts).toBe(1);
      expect(f.async).toMatchObject({
        AsyncEventsReceived: 10,
        AsyncEventsDropped: 10,
        retries: 10 * retries,
        deadLettered: 10,
        throttleRequeues: 0,
      });
      expect(f.outcomes).toEqual({ succeeded: 0, failed: 0, throttled: 0, dropped: 0, deadLettered: 10, inFlight: 0 });
      // The oldest attempt: the first event's last one, 61.5 s or 182.5 s after it was enqueued.
      expect(f.async!.eventAgeMs.max).toBe([0, 61500, 182500][retries]);
      const perMinute: Record<number, number> = {};
      for (const t of attemptTimes(retries)) perMinute[Math.floor(t / 60)] = (perMinute[Math.floor(t / 60)] ?? 0) + 1;
      expect(invocationsPerMinute(result)).toEqual(perMinute);
      // The run ends with the last event's last attempt (the span ends at 100 s): 99 + 1 + 61 + 121.
      expect(result.simulatedSeconds).toBe([100, 161, 282][retries]);
    },
  );

  it("with onFailure none the events are dropped instead, still counted in AsyncEventsDropped", () => {
    const f = only(simulate(scenario({ fn: { errorRate: 1 }, async: { maximumRetryAttempts: 1, onFailure: "none" } })));
    expect(f.outcomes).toEqual({ succeeded: 0, failed: 0, throttled: 0, dropped: 10, deadLettered: 0, inFlight: 0 });
    expect(f.async).toMatchObject({ AsyncEventsReceived: 10, AsyncEventsDropped: 10, deadLettered: 0, retries: 10 });
  });

  it("a retry that would land past maximumEventAge is not made: the event runs out exactly at its expiry", () => {
    // Attempts at 0 (ends 1.5) and 61.5 (ends 62.5); the second retry would be at 182.5 > 100.
    const result = simulate(
      withArrivalTimes(scenario({ fn: { errorRate: 1 }, async: { maximumEventAge: 100, onFailure: "dlq" }, duration: 1 }), [0]),
    );
    const f = only(result);
    expect(f.metrics.Invocations).toBe(2);
    expect(f.async).toMatchObject({ retries: 1, deadLettered: 1, AsyncEventsDropped: 1 });
    expect(f.async!.eventAgeMs.max).toBe(61500);
    expect(result.simulatedSeconds).toBe(100);
    expect(f.observedSeconds).toBe(100);
  });
});

describe("async: reserved concurrency 0", () => {
  it("sends every event to the failure destination without invoking and without a Throttle", () => {
    const result = simulate(
      scenario({ fn: { reservedConcurrency: 0 }, async: { onFailure: "dlq" }, arrivals: { constant: { interval: 1 } } }),
    );
    const f = only(result);
    expect(f.arrivals).toBe(100);
    expect(f.metrics.Invocations).toBe(0);
    expect(f.metrics.Throttles).toBe(0);
    expect(f.outcomes).toEqual({ succeeded: 0, failed: 0, throttled: 0, dropped: 0, deadLettered: 100, inFlight: 0 });
    expect(f.async).toMatchObject({
      AsyncEventsReceived: 100,
      AsyncEventsDropped: 100,
      deadLettered: 100,
      retries: 0,
      throttleRequeues: 0,
    });
    expect(result.functions[0].sources.async!.eventAge.count).toBe(0);
    expect(result.simulatedSeconds).toBe(100);
  });

  it("drops them when there is no destination", () => {
    const f = only(simulate(scenario({ fn: { reservedConcurrency: 0 }, arrivals: { constant: { interval: 1 } } })));
    expect(f.outcomes).toMatchObject({ dropped: 100, deadLettered: 0 });
    expect(f.async).toMatchObject({ AsyncEventsDropped: 100, deadLettered: 0 });
  });
});

describe("async: throttles go back to the queue with exponential backoff", () => {
  // Two events at 0 and reservedConcurrency 1: the first holds the only slot for 0.5 s of init
  // plus the handler; the second is throttled at once and tried again after 1, 2, 4, ... s
  // (capped at 300 s), i.e. at ages 0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 811, 1111, ...
  // It starts at the first of these after the slot is free, with that exact AsyncEventAge.
  it.each([
    { handler: 5, startsAt: 7, throttles: 3 },
    { handler: 100, startsAt: 127, throttles: 7 },
    { handler: 600, startsAt: 811, throttles: 10 },
    { handler: 899, startsAt: 1111, throttles: 11 },
  ])(
    "with a $handler s handler the second event starts at age $startsAt s after $throttles throttles",
    ({ handler, startsAt, throttles }) => {
      const resolved = scenario({ fn: { reservedConcurrency: 1, timeout: 900, duration: { constant: handler } }, duration: 1 });
      const result = simulate(withArrivalTimes(resolved, [0, 0]));
      const f = only(result);
      expect(f.metrics.Invocations).toBe(2);
      expect(f.metrics.Throttles).toBe(throttles);
      expect(f.async).toMatchObject({ throttleRequeues: throttles, retries: 0, AsyncEventsDropped: 0 });
      expect(f.async!.eventAgeMs.max).toBe(startsAt * 1000);
      expect(f.outcomes.succeeded).toBe(2);
      expect(result.simulatedSeconds).toBe(startsAt + handler);
    },
  );

  it("follows backoffInitial, backoffFactor and backoffMax", () => {
    // Delays 2, 6, 18, 54, then capped at 100: ages 0, 2, 8, 26, 80, 180, 280; the slot frees at 200.5.
    const resolved = scenario({
      fn: { reservedConcurrency: 1, duration: { constant: 200 }, timeout: 900 },
      async: { backoffInitial: 2, backoffFactor: 3, backoffMax: 100 },
      duration: 1,
    });
    const f = only(simulate(withArrivalTimes(resolved, [0, 0])));
    expect(f.metrics.Throttles).toBe(6);
    expect(f.async!.eventAgeMs.max).toBe(280000);
  });

  it("counts consecutive throttles only: an invocation that starts resets the backoff", () => {
    // Always failing, one retry, one slot, 5 s handler. A (0 s) runs 0-5.5, retry 65.5-70.5.
    // B (0 s) is throttled at ages 0, 1, 3, runs 7-12, and its retry at 72 s finds C (70 s,
    // throttled once, runs 71-76) in the slot: throttled at 72, 73, 75 (backoff 1, 2, 4 afresh,
    // not 8 as a fourth throttle in a row would be), it starts at 79 s, age 79.
    const resolved = scenario({
      fn: { reservedConcurrency: 1, errorRate: 1, duration: { constant: 5 }, timeout: 10 },
      async: { maximumRetryAttempts: 1, onFailure: "dlq" },
      duration: 71,
    });
    const f = only(simulate(withArrivalTimes(resolved, [0, 0, 70])));
    expect(f.metrics.Throttles).toBe(3 + 1 + 3);
    expect(f.async!.eventAgeMs.max).toBe(79000);
    expect(f.metrics.Invocations).toBe(6);
    expect(f.outcomes.deadLettered).toBe(3);
  });

  it("drops events that reach maximumEventAge while throttled, exactly at that age", () => {
    // The first event holds the slot until 50.5 s. Those at 1, 2 and 3 s are throttled at ages
    // 0, 1, 3, 7, 15 and 31 s; the next try (age 63) is past 60 s, so each leaves at age 60.
    const resolved = scenario({
      fn: { reservedConcurrency: 1, duration: { constant: 50 }, timeout: 60 },
      async: { maximumEventAge: 60 },
      duration: 4,
    });
    const result = simulate(withArrivalTimes(resolved, [0, 1, 2, 3]));
    const f = only(result);
    expect(f.outcomes).toEqual({ succeeded: 1, failed: 0, throttled: 0, dropped: 3, deadLettered: 0, inFlight: 0 });
    expect(f.metrics.Throttles).toBe(18);
    expect(f.async).toMatchObject({ throttleRequeues: 18, AsyncEventsDropped: 3 });
    expect(result.functions[0].sources.async!.eventAge.count).toBe(1);
    // The run ends with the last drop (63 s), not at a backoff that would never be tried.
    expect(result.simulatedSeconds).toBe(63);
    expect(result.functions[0].metrics.lastRequestAt).toBe(63);
    // Stopped at 62 s: the events of 1 s and 2 s have left, the one of 3 s is still queued.
    const stopped = only(simulate(withArrivalTimes(resolved, [0, 1, 2, 3]), { stopAt: 62 }));
    expect(stopped.outcomes).toMatchObject({ succeeded: 1, dropped: 2, inFlight: 1 });
  });
});

describe("async: errorWindows", () => {
  // One event a second for 600 s, 0.25 s handler; every invocation starting in [100, 200) fails.
  // The 100 events of 100..199 s fail; their first retry starts ~60.25 s later (60.75 s when a
  // cold start delayed the failure), inside the window for the 40 events of 100..139 s, after it
  // for the rest. Second retries start ~180.5 s after arrival, all after the window.
  const run = (maximumRetryAttempts: number) =>
    only(
      simulate(
        scenario({
          fn: { duration: { constant: 0.25 }, errorWindows: [{ from: 100, to: 200 }] },
          async: { maximumRetryAttempts, onFailure: "dlq" },
          arrivals: { constant: { interval: 1 } },
          duration: 600,
        }),
      ),
    );

  it.each([
    { retries: 2, errors: 140, retried: 140, deadLettered: 0 },
    { retries: 1, errors: 140, retried: 100, deadLettered: 40 },
    { retries: 0, errors: 100, retried: 0, deadLettered: 100 },
  ])(
    "maximumRetryAttempts $retries: $errors errors, $retried retries, $deadLettered dead-lettered",
    ({ retries, errors, retried, deadLettered }) => {
      const f = run(retries);
      expect(f.arrivals).toBe(600);
      expect(f.metrics.Errors).toBe(errors);
      expect(f.metrics.Invocations).toBe(600 + retried);
      expect(f.async).toMatchObject({ retries: retried, deadLettered, AsyncEventsDropped: deadLettered });
      expect(f.outcomes).toMatchObject({ succeeded: 600 - deadLettered, deadLettered, dropped: 0, inFlight: 0 });
    },
  );
});

describe("async: duplicate delivery", () => {
  it("delivers every event twice with probability 1, without extra arrivals or outcomes", () => {
    const f = only(simulate(scenario({ async: { duplicateProbability: 1 }, arrivals: { constant: { interval: 1 } } })));
    expect(f.arrivals).toBe(100);
    expect(f.metrics.Invocations).toBe(200);
    expect(f.async).toMatchObject({ AsyncEventsReceived: 100, duplicates: 100 });
    expect(f.outcomes).toMatchObject({ succeeded: 100, inFlight: 0 });
  });

  it("loses a throttled duplicate without affecting the event", () => {
    // Reserved concurrency 1: the original holds the slot, so each duplicate is throttled.
    const f = only(
      simulate(scenario({ fn: { reservedConcurrency: 1 }, async: { duplicateProbability: 1 }, arrivals: { constant: { interval: 10 } } })),
    );
    expect(f.metrics.Invocations).toBe(10);
    expect(f.metrics.Throttles).toBe(10);
    expect(f.async).toMatchObject({ duplicates: 10, throttleRequeues: 0 });
    expect(f.outcomes).toMatchObject({ succeeded: 10, dropped: 0 });
  });

  it("duplicates a fraction duplicateProbability of the events", () => {
    // 2,000 events at p = 0.3: Binomial mean 600, sd sqrt(2000 x 0.3 x 0.7) = 20.5; 4 sd = 82.
    const f = only(simulate(scenario({ async: { duplicateProbability: 0.3 }, arrivals: { constant: { interval: 0.05 } } })));
    expect(f.arrivals).toBe(2000);
    expect(Math.abs(f.async!.duplicates - 600)).toBeLessThan(82);
    expect(f.metrics.Invocations).toBe(2000 + f.async!.duplicates);
  });
});

describe("async: conservation and determinism over random scenarios", () => {
  const functionArb = fc.record({
    rate: fc.double({ min: 0.2, max: 20, noNaN: true }),
    handler: fc.oneof(
      fc.record({ constant: fc.double({ min: 0.01, max: 5, noNaN: true }) }),
      fc.record({ exponential: fc.record({ mean: fc.double({ min: 0.01, max: 3, noNaN: true }) }) }),
    ),
    timeout: fc.integer({ min: 1, max: 10 }),
    errorRate: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    crashRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.2, noNaN: true })),
    reserved: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    maximumRetryAttempts: fc.integer({ min: 0, max: 2 }),
    maximumEventAge: fc.integer({ min: 60, max: 600 }),
    onFailure: fc.constantFrom("dlq" as const, "none" as const),
    duplicateProbability: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
    window: fc.option(fc.record({ from: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 1, max: 120 }) }), { nil: undefined }),
  });
  const scenarioArb = fc.record({
    seed: fc.integer({ min: 1, max: 1_000_000 }),
    duration: fc.integer({ min: 10, max: 60 }),
    functions: fc.array(functionArb, { minLength: 1, maxLength: 3 }),
    stopAt: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  });
  type Drawn = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

  const build = (d: Drawn): Scenario =>
    resolveScenario({
      seed: d.seed,
      duration: d.duration,
      functions: d.functions.map((f, i) => ({
        name: `f${i}`,
        runtime: "python3.12",
        init: { constant: 0.3 },
        duration: f.handler,
        timeout: f.timeout,
        errorRate: f.errorRate * (1 - f.crashRate),
        crashRate: f.crashRate,
        reservedConcurrency: f.reserved,
        errorWindows: f.window ? [{ from: f.window.from, to: f.window.from + f.window.length }] : [],
      })),
      workload: d.functions.map((f, i) => ({
        function: `f${i}`,
        invocation: "async",
        arrivals: { poisson: { rate: f.rate } },
        async: {
          maximumRetryAttempts: f.maximumRetryAttempts,
          maximumEventAge: f.maximumEventAge,
          onFailure: f.onFailure,
          duplicateProbability: f.duplicateProbability,
        },
      })),
    });

  it("every event ends in exactly one outcome, the async counters agree, and a seed gives one result", () => {
    fc.assert(
      fc.property(scenarioArb, (d) => {
        const options = d.stopAt === undefined ? {} : { stopAt: d.stopAt };
        const summary = buildSummary(simulate(build(d), options));
        d.functions.forEach((drawn, i) => {
          const f = summary.functions[`f${i}`];
          const o = f.outcomes;
          const a = f.async!;
          expect(o.succeeded + o.dropped + o.deadLettered + o.inFlight).toBe(f.arrivals);
          expect(o.failed + o.throttled).toBe(0);
          if (d.stopAt === undefined) expect(o.inFlight).toBe(0);
          expect(a.AsyncEventsReceived).toBe(f.arrivals);
          expect(a.AsyncEventsDropped).toBe(o.dropped + o.deadLettered);
          expect(a.deadLettered).toBe(o.deadLettered);
          expect(drawn.onFailure === "dlq" ? o.dropped : o.deadLettered).toBe(0);
          expect(a.retries).toBeLessThanOrEqual(f.arrivals * drawn.maximumRetryAttempts);
          expect(f.metrics.Invocations).toBeLessThanOrEqual(f.arrivals + a.retries + a.duplicates);
          // Every Throttle is an event's requeue or a lost duplicate.
          expect(f.metrics.Throttles).toBeGreaterThanOrEqual(a.throttleRequeues);
          expect(f.metrics.Throttles).toBeLessThanOrEqual(a.throttleRequeues + a.duplicates);
          expect(a.eventAgeMs.max).toBeLessThanOrEqual(drawn.maximumEventAge * 1000 * (1 + 1e-12));
          if (drawn.reserved === 0) expect(f.metrics.Invocations + f.metrics.Throttles).toBe(0);
        });
        expect(JSON.stringify(buildSummary(simulate(build(d), options)))).toBe(JSON.stringify(summary));
      }),
      { numRuns: 30, seed: 20240603 },
    );
  });
});

describe("scenarios/async-retry-storm.yaml", () => {
  const file = join(dirname(fileURLToPath(import.meta.url)), "../../scenarios/async-retry-storm.yaml");
  let result: SimulationResult;
  let capped: FunctionSummary;
  let uncapped: FunctionSummary;
  beforeAll(() => {
    result = simulate(loadScenarioFile(file));
    const summary = buildSummary(result);
    capped = summary.functions.thumbnailer;
    uncapped = summary.functions["thumbnailer-uncapped"];
  });
  /** The function's per-minute series column over the minutes [from, to). */
  const column = (index: number, name: "ConcurrentExecutionsMean" | "ConcurrentExecutionsMax" | "Throttles", from: number, to: number) => {
    const series = result.functions[index].metrics.series;
    const out: number[] = [];
    for (let row = 0; row < series.rows; row++)
      if (series.minutes[row] >= from && series.minutes[row] < to) out.push(series.get(row, name));
    return out;
  };

  it("every event succeeds or is dead-lettered; nothing is lost to throttles or age", () => {
    for (const f of [capped, uncapped]) {
      expect(f.outcomes.dropped + f.outcomes.inFlight).toBe(0);
      expect(f.outcomes.succeeded + f.outcomes.deadLettered).toBe(f.arrivals);
      expect(f.async!.AsyncEventsDropped).toBe(f.outcomes.deadLettered);
    }
  });

  it("without the cap: ~20,950 events in the DLQ, and the retry wave triples concurrency", () => {
    // Events arriving in [600 s, 1019 s) fail all three attempts: 419 s x 50/s = 20,950; Poisson
    // sd ~145, so 4 sd is 580. The retry delays also include two handler times, a few tenths of
    // a second, which moves the boundary by ~20 events at most.
    expect(Math.abs(uncapped.outcomes.deadLettered - 20950)).toBeLessThan(600);
    expect(uncapped.metrics.Throttles).toBe(0);
    // 50/s x ~0.335 s mean handler = ~17 busy; minutes 13-19 run new events, first and second
    // retries: ~50. A minute's mean of a ~17 (or ~50) busy level varies by a few percent.
    for (const mean of column(1, "ConcurrentExecutionsMean", 2, 9)) expect(Math.abs(mean - 16.8)).toBeLessThan(2);
    for (const mean of column(1, "ConcurrentExecutionsMean", 13, 20)) expect(Math.abs(mean - 50.3)).toBeLessThan(4);
    // The oldest attempt is a second retry: 180 s of retry delays plus two handler times.
    expect(uncapped.async!.eventAgeMs.max).toBeGreaterThan(180000);
    expect(uncapped.async!.eventAgeMs.max).toBeLessThan(190000);
  });

  it("with reservedConcurrency 40: the wave is capped and throttled, retries slip past the outage, events wait", () => {
    expect(capped.maxClaimedConcurrency).toBe(40);
    for (const max of column(0, "ConcurrentExecutionsMax", 13, 21)) expect(max).toBe(40);
    // Before the outage no throttles; they start with the retry wave and end as its backlog drains.
    expect(column(0, "Throttles", 0, 10).every((n) => n === 0)).toBe(true);
    expect(Math.min(...column(0, "Throttles", 13, 21))).toBeGreaterThan(10000);
    expect(capped.async!.throttleRequeues).toBe(capped.metrics.Throttles);
    // Backoff up to 5 min pushes many retries past the end of the outage: thousands fewer in the DLQ.
    expect(capped.outcomes.deadLettered).toBeLessThan(uncapped.outcomes.deadLettered - 3000);
    // ... at the price of events waiting in the queue far beyond the 3 minutes of retry delays.
    expect(capped.async!.eventAgeMs.max).toBeGreaterThan(600000);
  });
});
