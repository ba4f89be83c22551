import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RngStreams } from "../../src/engine/rng.js";
import type { FunctionMetrics } from "../../src/metrics/functionMetrics.js";
import type { SeriesColumn } from "../../src/metrics/timeSeries.js";
import { buildSummary } from "../../src/report/summary.js";
import { resolveScenario } from "../../src/scenario/compile.js";
import { loadScenarioFile } from "../../src/scenario/read.js";
import { withArrivalTimes } from "./fidelityHelpers.js";
import { simulate, type SimulateOptions } from "../../src/simulate.js";

/*
 * The SQS event source mapping (src/model/sqsMapping.ts): receives, visibility timeouts and the
 * DLQ exactly; the backlog drain against the poller scaling rule; throttled batches; partial batch
 * responses; FIFO group blocking; conservation over random configurations; and the example's story.
 */

const SEED = 11;

/** A worker fed by one SQS queue; handler `duration` s, no init time, so times come out exact. */
function input(sqs: Record<string, unknown>, fn: Record<string, unknown> = {}, duration = 1): Record<string, unknown> {
  return {
    name: "sqs",
    seed: SEED,
    duration,
    functions: [{ name: "worker", runtime: "python3.12", init: { constant: 0 }, duration: { constant: 0.5 }, timeout: 10, ...fn }],
    workload: [{ function: "worker", source: "sqs", messages: { poisson: { rate: 1 } }, ...sqs }],
  };
}

function run(sqs: Record<string, unknown>, fn: Record<string, unknown>, times: readonly number[], options: SimulateOptions = {}) {
  const result = simulate(withArrivalTimes(resolveScenario(input(sqs, fn)), times), options);
  const summary = buildSummary(result);
  return { result, metrics: result.functions[0].metrics, f: summary.functions.worker, summary };
}

const at = (t: number, n: number) => new Array<number>(n).fill(t);

/** A per-minute column of the function's time series (0 for a minute with no row). */
function minute(metrics: FunctionMetrics, index: number, column: SeriesColumn): number {
  const series = metrics.series;
  for (let row = 0; row < series.rows; row++) if (series.minutes[row] === index) return series.get(row, column);
  return 0;
}

describe("SQS: an always-failing consumer", () => {
  const failing = { batchSize: 1, visibilityTimeout: 60, maxReceiveCount: 5 };
  const broken = { errorRate: 1 };

  it("receives a message exactly maxReceiveCount times, one visibility timeout apart, then dead-letters it", () => {
    const { f, metrics, summary } = run(failing, broken, [0]);
    expect(f.sqs).toMatchObject({ messages: 1, receives: 5, movedToDlq: 1, deleted: 0, expired: 0 });
    expect(f.outcomes).toMatchObject({ succeeded: 0, deadLettered: 1, dropped: 0, inFlight: 0 });
    expect(f.metrics.Invocations).toBe(5);
    // Received at 0, 60, 120, 180, 240; visible again at 300 with 5 receives: the queue moves it.
    expect(metrics.lastRequestAt).toBe(300);
    expect(summary.simulatedSeconds).toBe(300);
  });

  it("keeps the spacing for every message: receive k of a message that arrived at a is at a + 60 (k - 1)", () => {
    const times = [0, 7, 13];
    const receivesBy = (t: number) => run(failing, broken, times, { stopAt: t }).f.sqs!.receives;
    const dlqBy = (t: number) => run(failing, broken, times, { stopAt: t }).f.sqs!.movedToDlq;
    // Events at exactly stopAt still run, so each receive shows at its own time and not before.
    for (let k = 1; k <= 4; k++) {
      for (const [i, a] of times.entries()) {
        const t = a + 60 * k;
        expect(receivesBy(t - 1e-6)).toBe(3 * k + i);
        expect(receivesBy(t)).toBe(3 * k + i + 1);
      }
    }
    expect(dlqBy(300 - 1e-6)).toBe(0);
    expect(dlqBy(300)).toBe(1);
    expect(dlqBy(307 - 1e-6)).toBe(1);
    expect(dlqBy(307)).toBe(2);
    expect(dlqBy(313 - 1e-6)).toBe(2);
    const whole = run(failing, broken, times);
    expect(whole.f.sqs).toMatchObject({ messages: 3, receives: 15, movedToDlq: 3 });
    expect(whole.metrics.lastRequestAt).toBe(313);
  });

  it("with a steady stream: receives = 5 x messages, all dead-lettered, no poller growth", () => {
    // 2 messages/s, batches of up to 10, a 50 ms handler: ~10 receives/s x 0.05 s keeps 0.5 of the
    // 5 pollers busy on average, so a message almost never waits for one (Erlang C, 5 servers at
    // 0.5 Erlang: P(wait) ~ 2e-4) and its receives stay one visibility timeout apart.
    const scenario = resolveScenario(
      input({ ...failing, batchSize: 10, messages: { poisson: { rate: 2 } } }, { ...broken, duration: { constant: 0.05 } }, 600),
    );
    const f = buildSummary(simulate(scenario)).functions.worker;
    const messages = f.sqs!.messages;
    // 1,200 expected, Poisson sd ~35.
    expect(Math.abs(messages - 1200)).toBeLessThan(175);
    expect(f.sqs!.receives).toBe(5 * messages);
    expect(f.outcomes.deadLettered).toBe(messages);
    expect(f.outcomes.succeeded + f.outcomes.dropped + f.outcomes.inFlight).toBe(0);
    // Every invocation fails, so the mapping backs off instead of adding pollers.
    expect(f.sqs!.maxConcurrentPollers).toBe(5);
    // The oldest message is one at its fifth return: 300 s old, plus any rare wait for a poller
    // (each shorter than a handler run), minus the time since the last sample.
    expect(f.sqs!.oldestMessageAgeMs.max).toBeGreaterThan(299_000);
    expect(f.sqs!.oldestMessageAgeMs.max).toBeLessThan(300_250);
  });
});

/*
 * Backlog drain. N messages wait at t = 0; batches of b, a constant handler of d s (no init), no
 * other limit. The model revises the poller target once a second, on ticks at 1, 2, 3, ... after
 * messages first waited, so in second k (t in [k, k+1)) C_k = min(cap, 5 + s k) pollers run, all
 * starting together at the tick (the tick at k is queued before completions at k). With d = 1/4
 * each finishes 1/d batches in the second. The five pollers of the first wave take one message
 * each (long polling returns as soon as the first message is there), so
 *   P(K) = (b / d) * sum_{k<K} C_k - 5 (b - 1)   messages are done by t = K,
 * and in the last second K the remainder R = N - P(K) takes ceil(R / (C_K b)) more rounds of d:
 *   T = K + d * ceil((N - P(K)) / (C_K b)).
 * Continuous check: with C(t) = min(cap, 5 + s t), T solves  int_0^T C(t) b / d dt = N.  The step
 * C_k lags the line by less than one step, the first wave loses 45 messages (< one round) and
 * completions are quantised to d, so the two differ by less than one tick plus d.
 */
function drainTime(n: number, b: number, d: number, step: number, cap: number): number {
  let done = -5 * (b - 1);
  for (let k = 0; ; k++) {
    const pollers = Math.min(cap, 5 + step * k);
    const perSecond = (pollers * b) / d;
    if (done + perSecond >= n) return k + d * Math.ceil((n - done) / (pollers * b));
    done += perSecond;
  }
}

function continuousDrainTime(n: number, b: number, d: number, step: number, cap: number): number {
  // int_0^T min(cap, 5 + s t) dt = n d / b; the ramp ends at t1 = (cap - 5) / s.
  const area = (n * d) / b;
  const t1 = (cap - 5) / step;
  const rampArea = 5 * t1 + (step * t1 * t1) / 2;
  if (area <= rampArea) return (-5 + Math.sqrt(25 + 2 * step * area)) / step;
  return t1 + (area - rampArea) / cap;
}

describe("SQS: a backlog drains at the poller scaling rate", () => {
  const N = 20000;
  const b = 10;
  const d = 0.25;
  const cases = [
    // current: 5, 10, 15, ...; C_13 = 70 and P(13) = 40 x 455 - 45 = 18155, 1845 left: 3 rounds -> 13.75 s
    { label: "current rule (+300/min)", sqs: {}, step: 5, cap: 1250, expected: 13.75, pollers: 70 },
    // pre-2023: 5, 6, 7, ...; P(27) = 40 x 486 - 45 = 19395, 605 left with C = 32: 2 rounds -> 27.5 s
    { label: "pre-2023 rule (+60/min)", sqs: { pollerScaling: "pre-2023" }, step: 1, cap: 1000, expected: 27.5, pollers: 32 },
    // capped at 20: 5, 10, 15, 20, 20, ... drains linearly at 20 x 10 / 0.25 = 800 messages/s
    { label: "maximumConcurrency 20", sqs: { maximumConcurrency: 20 }, step: 5, cap: 20, expected: 26.75, pollers: 20 },
  ];
  it.each(cases)("$label", ({ sqs, step, cap, expected, pollers }) => {
    const { f, metrics } = run({ batchSize: b, ...sqs }, { duration: { constant: d } }, at(0, N));
    expect(drainTime(N, b, d, step, cap)).toBe(expected);
    expect(metrics.lastRequestAt).toBe(expected);
    expect(Math.abs(expected - continuousDrainTime(N, b, d, step, cap))).toBeLessThan(1 + d);
    expect(f.sqs).toMatchObject({ messages: N, deleted: N, receives: N, maxConcurrentPollers: pollers });
    expect(f.metrics.ConcurrentExecutions.max).toBe(pollers);
    // The last message waited for (almost) the whole drain: its age when received.
    expect(f.sqs!.oldestMessageAgeMs.max).toBeCloseTo((expected - d) * 1000, 6);
  });

  it("scales back down by one step a second once the queue is empty, to 5", () => {
    const { result } = run({ batchSize: b }, { duration: { constant: d } }, [...at(0, N), 60]);
    const metrics = result.functions[0].metrics;
    // 70 pollers at 13.75 s; ticks at 14, 15, ... take 5 each: 5 pollers again at t = 27.
    expect(metrics.pollers).toBe(5);
    expect(minute(metrics, 0, "PollersMax")).toBe(70);
    expect(minute(metrics, 0, "PollersEnd")).toBe(5);
  });
});

describe("SQS: throttled batches", () => {
  // Reserved concurrency 1 and five pollers: the first message runs for 40 s, the other four
  // batches are throttled at 0 and their pollers retry at 1, 3, 7, 15 and 31 s (1 s doubling);
  // the next retry (63 s) would come after the 60 s visibility timeout, so they let go.
  const sqs = { batchSize: 1, visibilityTimeout: 60 };
  const fn = { reservedConcurrency: 1, duration: { constant: 40 }, timeout: 60 };

  it("come back after the visibility timeout with a receive counted: maxReceiveCount 1 dead-letters them", () => {
    const { f, metrics } = run({ ...sqs, maxReceiveCount: 1 }, fn, at(0, 5));
    expect(f.metrics.Throttles).toBe(4 * 6);
    expect(f.metrics.Invocations).toBe(1);
    expect(f.sqs).toMatchObject({ messages: 5, receives: 5, deleted: 1, movedToDlq: 4 });
    expect(f.outcomes).toMatchObject({ succeeded: 1, deadLettered: 4 });
    expect(metrics.lastRequestAt).toBe(60);
  });

  it("with maxReceiveCount 2 one more message gets through at 60 s and the other three are dead-lettered at 120 s", () => {
    const { f, metrics } = run({ ...sqs, maxReceiveCount: 2 }, fn, at(0, 5));
    // At 60 s: one batch runs (60-100 s), three are throttled and retried at 61, 63, 67, 75, 91 s.
    expect(f.metrics.Throttles).toBe(4 * 6 + 3 * 6);
    expect(f.metrics.Invocations).toBe(2);
    expect(f.sqs).toMatchObject({ receives: 9, deleted: 2, movedToDlq: 3 });
    expect(metrics.lastRequestAt).toBe(120);
  });

  it("a throttled batch runs as soon as a retry finds room", () => {
    // The first message runs 0-2 s; the second batch is throttled at 0 and 1 s and runs at 3 s.
    const { f, metrics } = run({ ...sqs, maxReceiveCount: 1 }, { ...fn, duration: { constant: 2 } }, at(0, 2));
    expect(f.metrics.Throttles).toBe(2);
    expect(f.sqs).toMatchObject({ receives: 2, deleted: 2, movedToDlq: 0 });
    expect(metrics.lastRequestAt).toBe(5);
  });
});

describe("SQS: partial batch responses", () => {
  // Ten messages at 0 fill one batch at once (the 1 s window closes early when the batch is
  // full); message 3 is poison; visibility timeout 30 s, maxReceiveCount 2.
  const sqs = { batchSize: 10, batchingWindow: 1, visibilityTimeout: 30, maxReceiveCount: 2, poisonRecords: { records: [3] } };

  it("with reportBatchItemFailures only the poison message is retried and dead-lettered; the rest are deleted", () => {
    const { f, metrics } = run({ ...sqs, reportBatchItemFailures: true }, {}, at(0, 10));
    // Back at 30 s, received alone when the window closes at 31 s, back at 61 s: DLQ.
    expect(f.sqs).toMatchObject({ messages: 10, receives: 10 + 1, deleted: 9, movedToDlq: 1 });
    expect(f.metrics.Invocations).toBe(2);
    expect(f.metrics.Errors).toBe(0);
    expect(metrics.lastRequestAt).toBe(61);
  });

  it("without it the whole batch fails every time and goes to the DLQ", () => {
    const { f, metrics } = run(sqs, {}, at(0, 10));
    expect(f.sqs).toMatchObject({ receives: 20, deleted: 0, movedToDlq: 10 });
    expect(f.metrics.Errors).toBe(2);
    expect(metrics.lastRequestAt).toBe(60);
  });
});

describe("SQS: FIFO queues", () => {
  // 100 messages, one a second from t = 0, in 2 groups; message 0 is poison; batches of 10,
  // handler 0.1 s, visibility timeout 60 s, maxReceiveCount 3.
  const sqs = {
    fifo: true,
    messageGroups: 2,
    batchSize: 10,
    visibilityTimeout: 60,
    maxReceiveCount: 3,
    poisonRecords: { records: [0] },
    messages: { constant: { interval: 1 } },
  };
  const fn = { duration: { constant: 0.1 } };
  const fifoRun = (options: SimulateOptions = {}) => {
    const result = simulate(resolveScenario(input(sqs, fn, 100)), options);
    return { result, metrics: result.functions[0].metrics, f: buildSummary(result).functions.worker };
  };
  // The groups the mapping draws, from the same named stream.
  const draw = new RngStreams(SEED).stream("sqs-groups:worker:0");
  const groups = Array.from({ length: 100 }, () => Math.floor(draw() * 2));
  const blocked = groups.filter((g) => g === groups[0]).length;
  const free = 100 - blocked;

  it("a poison message blocks its group until it goes to the DLQ; the other group flows", () => {
    expect(blocked).toBeGreaterThan(10);
    expect(free).toBeGreaterThan(10);
    // By 150 s every message of the free group is deleted (each within 0.1 s of arriving); the
    // blocked group is all still queued behind its poison message.
    const early = fifoRun({ stopAt: 150 });
    expect(early.f.outcomes.succeeded).toBe(free);
    expect(early.f.outcomes.inFlight).toBe(blocked);
    expect(minute(early.metrics, 1, "QueueDepthEnd")).toBe(blocked);

    const { f, metrics } = fifoRun();
    expect(f.outcomes).toMatchObject({ succeeded: 99, deadLettered: 1, dropped: 0, inFlight: 0 });
    // The poison message is received at 0, 60 and 120 s, each time at the head of a batch of
    // ten; its nine companions fail with it twice and succeed the third time.
    expect(f.sqs).toMatchObject({ receives: 100 + 2 + 9 * 2, movedToDlq: 1 });
    expect(minute(metrics, 2, "QueueDepthEnd")).toBe(blocked);
    // It is 180 s old when the queue moves it; then the group drains one batch at a time.
    expect(f.sqs!.oldestMessageAgeMs.max).toBe(180000);
    expect(metrics.lastRequestAt).toBeCloseTo(180 + 0.1 * Math.ceil((blocked - 1) / 10), 9);
  });

  it("with reportBatchItemFailures the batch fails from the poison message on, which heads it, so nothing changes", () => {
    const result = simulate(resolveScenario(input({ ...sqs, reportBatchItemFailures: true }, fn, 100)));
    const f = buildSummary(result).functions.worker;
    expect(f.outcomes).toMatchObject({ succeeded: 99, deadLettered: 1 });
    expect(f.sqs!.receives).toBe(120);
  });
});

describe("SQS: message retention", () => {
  it("deletes every message at its deadline, visible or in flight: the oldest message is never older than retention", () => {
    // 20 messages/s against at most 2 one-second batches of 1: a backlog that only grows, so
    // messages wait far longer than the 2 h retention unless the queue deletes them in time.
    const scenario = resolveScenario(
      input(
        { batchSize: 1, maximumConcurrency: 2, messageRetention: "2h", messages: { poisson: { rate: 20 } } },
        { duration: { constant: 1 } },
        3 * 3600,
      ),
    );
    const f = buildSummary(simulate(scenario, { stopAt: 3 * 3600 })).functions.worker;
    expect(f.sqs!.oldestMessageAgeMs.max).toBeLessThanOrEqual(7_200_000);
    // Sampled at least once a second while pollers scale, so within a second of the deadline.
    expect(f.sqs!.oldestMessageAgeMs.max).toBeGreaterThan(7_199_000);
    // About 2/s are processed; the rest of the first hour's 72,000 arrivals (and more) expire.
    expect(f.sqs!.expired).toBeGreaterThan(50_000);
    expect(f.sqs!.expired).toBe(f.outcomes.dropped);
    const o = f.outcomes;
    expect(o.succeeded + o.dropped + o.inFlight).toBe(f.arrivals);
  });
});

describe("SQS: conservation over random configurations (fast-check)", () => {
  const configuration = fc.record({
    rate: fc.double({ min: 0.5, max: 40, noNaN: true }),
    span: fc.integer({ min: 20, max: 120 }),
    batch: fc.oneof(
      fc.record({ batchSize: fc.integer({ min: 1, max: 10 }), batchingWindow: fc.constantFrom(0, 0.5, 2) }),
      fc.record({ batchSize: fc.integer({ min: 11, max: 200 }), batchingWindow: fc.constantFrom(1, 3) }),
    ),
    maximumConcurrency: fc.option(fc.integer({ min: 2, max: 40 }), { nil: undefined }),
    timeout: fc.integer({ min: 1, max: 5 }),
    visibilityFactor: fc.integer({ min: 1, max: 6 }),
    maxReceiveCount: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    retention: fc.integer({ min: 60, max: 600 }),
    fifo: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    poison: fc.oneof(
      fc.constant(undefined),
      fc.record({ rate: fc.double({ min: 0, max: 0.2, noNaN: true }) }),
      fc.record({ records: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 4 }) }),
    ),
    reportBatchItemFailures: fc.boolean(),
    errorRate: fc.constantFrom(0, 0, 0.1, 0.5, 1),
    errorWindow: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    reservedConcurrency: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    handler: fc.double({ min: 0, max: 0.9, noNaN: true }),
    pollerScaling: fc.constantFrom("current", "pre-2023"),
    provisioned: fc.option(
      fc.record({
        minimum: fc.integer({ min: 2, max: 5 }),
        maximum: fc.integer({ min: 5, max: 20 }),
        messageSizeKb: fc.integer({ min: 1, max: 1024 }),
      }),
      { nil: undefined },
    ),
    stopAt: fc.option(fc.integer({ min: 5, max: 200 }), { nil: undefined }),
    seed: fc.integer({ min: 1, max: 1000 }),
  });

  it("never throws (conservation and limits are checked inside), outcomes sum to arrivals, and runs repeat exactly", () => {
    fc.assert(
      fc.property(configuration, (c) => {
        const batch = c.fifo === undefined ? c.batch : { batchSize: Math.min(10, c.batch.batchSize) };
        const scenario = resolveScenario({
          name: "sqs-property",
          seed: c.seed,
          duration: c.span,
          functions: [
            {
              name: "worker",
              runtime: "python3.12",
              duration: { constant: Math.min(c.handler, c.timeout * 0.9) },
              timeout: c.timeout,
              errorRate: c.errorRate,
              ...(c.reservedConcurrency === undefined ? {} : { reservedConcurrency: c.reservedConcurrency }),
              ...(c.errorWindow === undefined ? {} : { errorWindows: [{ from: c.errorWindow, to: c.errorWindow + 20 }] }),
            },
          ],
          workload: [
            {
              function: "worker",
              source: "sqs",
              messages: { poisson: { rate: c.rate } },
              ...batch,
              visibilityTimeout: c.timeout * c.visibilityFactor,
              messageRetention: c.retention,
              reportBatchItemFailures: c.reportBatchItemFailures,
              pollerScaling: c.pollerScaling,
              ...(c.maximumConcurrency === undefined || c.provisioned !== undefined ? {} : { maximumConcurrency: c.maximumConcurrency }),
              ...(c.provisioned === undefined
                ? {}
                : {
                    provisionedPollers: { minimum: c.provisioned.minimum, maximum: c.provisioned.maximum },
                    messageSizeKb: c.provisioned.messageSizeKb,
                  }),
              ...(c.maxReceiveCount === undefined ? {} : { maxReceiveCount: c.maxReceiveCount }),
              ...(c.fifo === undefined ? {} : { fifo: true, messageGroups: c.fifo }),
              ...(c.poison === undefined ? {} : { poisonRecords: c.poison }),
            },
          ],
        });
        const options = c.stopAt === undefined ? {} : { stopAt: c.stopAt };
        const first = buildSummary(simulate(scenario, options));
        const f = first.functions.worker;
        const o = f.outcomes;
        expect(o.succeeded + o.failed + o.throttled + o.dropped + o.deadLettered + o.inFlight).toBe(f.arrivals);
        expect(o.failed + o.throttled).toBe(0);
        expect(f.sqs!.messages).toBe(f.arrivals);
        expect(f.sqs!.deleted).toBe(o.succeeded);
        expect(f.sqs!.movedToDlq).toBe(o.deadLettered);
        expect(f.sqs!.expired).toBe(o.dropped);
        // The queue deletes a message at its retention deadline, wherever it is: none is ever older.
        expect(f.sqs!.oldestMessageAgeMs.max).toBeLessThanOrEqual(c.retention * 1000);
        if (c.provisioned !== undefined) {
          // The minimum is billed over the whole window, and nothing beyond the maximum all along plus a minute each.
          const window = first.window.to - first.window.from;
          const hours = f.sqs!.pollerHours as number;
          expect(hours).toBeGreaterThanOrEqual((c.provisioned.minimum * Math.ceil(window - 1e-9)) / 3600 - 1e-6);
          expect(hours).toBeLessThanOrEqual(((f.sqs!.eventPollersMax as number) * (window + 60)) / 3600 + 1e-6);
          expect(f.sqs!.eventPollersMax).toBeLessThanOrEqual(c.provisioned.maximum);
        }
        if (c.stopAt === undefined) expect(o.inFlight).toBe(0);
        if (c.maxReceiveCount === undefined) expect(o.deadLettered).toBe(0);
        const batchCap = c.provisioned === undefined ? (c.maximumConcurrency ?? 1250) : 10 * c.provisioned.maximum;
        expect(f.sqs!.maxConcurrentPollers).toBeLessThanOrEqual(batchCap);
        expect(f.metrics.ConcurrentExecutions.max).toBeLessThanOrEqual(batchCap);
        expect(JSON.stringify(buildSummary(simulate(scenario, options)))).toBe(JSON.stringify(first));
      }),
      { numRuns: 30, seed: 20240611 },
    );
  });
});

describe("scenarios/sqs-backlog-burst.yaml", () => {
  const file = join(dirname(fileURLToPath(import.meta.url)), "../../scenarios/sqs-backlog-burst.yaml");
  const result = simulate(loadScenarioFile(file));
  const summary = buildSummary(result);
  const open = summary.functions["worker-open"];
  const capped = summary.functions["worker-capped"];
  const metrics = (name: string) => result.functions.find((f) => f.spec.name === name)!.metrics;

  it("both queues take the same burst and deliver every message", () => {
    for (const f of [open, capped]) {
      // 600 s x 3,000/s + 1,200 s x 10/s = 1.812 million, Poisson: sd ~1,350.
      expect(Math.abs(f.sqs!.messages - 1_812_000)).toBeLessThan(7_000);
      expect(f.outcomes.succeeded).toBe(f.arrivals);
      expect(f.metrics.Throttles).toBe(0);
    }
  });

  it("without maximumConcurrency the pollers ramp for a minute, overshoot to ~600 and clear ~90,000 messages in another", () => {
    // The ramp leaves ~87,000 queued and drains them at ~595 pollers (see the comments in the file).
    expect(open.sqs!.maxConcurrentPollers).toBeGreaterThan(550);
    expect(open.sqs!.maxConcurrentPollers).toBeLessThan(650);
    expect(open.maxQueueDepth).toBeGreaterThan(75_000);
    expect(open.maxQueueDepth).toBeLessThan(100_000);
    expect(open.sqs!.oldestMessageAgeMs.max).toBeLessThan(60_000);
    // Minute 12 (720-780 s): the backlog is gone and the pollers are back near the ~300 needed.
    expect(minute(metrics("worker-open"), 12, "QueueDepthMax")).toBeLessThan(5_000);
  });

  it("capped at 100 it moves ~1,000 messages/s: the queue passes a million and clears ~20 minutes after the burst", () => {
    expect(capped.sqs!.maxConcurrentPollers).toBe(100);
    expect(capped.metrics.ConcurrentExecutions.max).toBe(100);
    // 600 s x (3,000 - ~1,000)/s.
    expect(capped.maxQueueDepth).toBeGreaterThan(1_100_000);
    expect(capped.maxQueueDepth).toBeLessThan(1_300_000);
    // 1.2 million at ~990/s: ~1,210 s after the burst ends at 1,200 s; the last message of the
    // burst waits about as long.
    const drained = metrics("worker-capped").lastRequestAt;
    expect(drained).toBeGreaterThan(2_300);
    expect(drained).toBeLessThan(2_500);
    expect(capped.sqs!.oldestMessageAgeMs.max).toBeGreaterThan(1_100_000);
    expect(capped.sqs!.oldestMessageAgeMs.max).toBeLessThan(1_300_000);
  });
});
