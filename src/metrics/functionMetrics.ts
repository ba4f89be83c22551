import { gbSeconds } from "../common/billing.js";
import { LatencyHistogram } from "./histogram.js";
import { COL, SERIES_WIDTH, SparseMinuteSeries } from "./timeSeries.js";

/**
 * Samples a period's histogram holds verbatim before it folds them into buckets: enough for the
 * invocations of most periods, few enough that sorting them when the period closes stays cheap.
 */
const PERIOD_EXACT_SAMPLES = 256;

/**
 * Everything measured about one function during a run: CloudWatch-style counters, time-weighted
 * levels (busy and live environments), streaming histograms and per-minute rows. Memory does not
 * grow with the number of invocations.
 *
 * The counters, histograms and cost figures cover the measured window only: what arrived at or
 * after `from` (the scenario's warm-up), each invocation and outcome counted by the arrival it
 * serves, so outcomes still sum to the arrivals counted. Levels are averaged and maximised over
 * the time from `from` on (openWindow). The per-minute rows cover the whole run.
 */
export class FunctionMetrics {
  // Outcomes of what arrived (requests, events, records, messages): each ends in exactly one.
  arrivals = 0;
  succeeded = 0;
  failed = 0;
  throttled = 0;
  dropped = 0;
  deadLettered = 0;
  // Per invocation (a batch of records is one).
  invocations = 0;
  completions = 0;
  errors = 0;
  throttles = 0;
  timeouts = 0;
  crashes = 0;
  provisionedInvocations = 0;
  spilloverInvocations = 0;
  coldStarts = 0;
  clientRetries = 0;
  environmentsCreated = 0;
  /** Requests billed beyond one per invocation: asynchronous events over 256 KB (docs/pricing.md#large-async-payloads). */
  extraBilledRequests = 0;

  /** Invocations running (init included) = CloudWatch ConcurrentExecutions. */
  busy = 0;
  /** Environments that exist: busy, idle, or initialising provisioned ones. */
  alive = 0;
  /** Provisioned environments still running their allocation-time init. */
  initializing = 0;
  /** When the function's last request ended (completed, or throttled for good). */
  lastRequestAt = 0;
  maxBusy = 0;
  maxAlive = 0;
  busyArea = 0;
  aliveArea = 0;
  initializingArea = 0;

  /** Invocations running on provisioned environments = CloudWatch ProvisionedConcurrentExecutions. */
  provisionedBusy = 0;
  /** Provisioned concurrency configured now (the schedule's value, not the environments ready). */
  provisionedConfigured = 0;
  /**
   * ProvisionedConcurrencyUtilization = provisionedBusy / provisionedConfigured, while something is
   * configured: its time integral, the time it covers, and its highest value (the maximum of the
   * per-minute maxima CloudWatch shows).
   */
  utilizationArea = 0;
  configuredSeconds = 0;
  maxUtilization = 0;

  /** Billed milliseconds, summed as integers so GB-s come out exact. */
  onDemandBilledMs = 0;
  provisionedBilledMs = 0;
  provisionedInitMs = 0;

  /**
   * Units waiting on the function's async queue, stream shards or SQS queues, received but not yet
   * finished (in a running batch included); and SQS pollers. Levels, like busy.
   */
  queueDepth = 0;
  maxQueueDepth = 0;
  pollers = 0;
  /** The most SQS pollers at once, over every mapping feeding the function. */
  maxPollers = 0;

  readonly latency = new LatencyHistogram();
  readonly duration = new LatencyHistogram();
  readonly initDuration = new LatencyHistogram();

  /**
   * The latencies and durations of the invocations ending in the current period only, cleared
   * when the period closes: one pair per function, whatever the number of periods.
   */
  private readonly periodLatency = new LatencyHistogram(PERIOD_EXACT_SAMPLES);
  private readonly periodDuration = new LatencyHistogram(PERIOD_EXACT_SAMPLES);

  readonly series = new SparseMinuteSeries();
  private lastChange = 0;
  private minuteStart = -Infinity;
  private minuteEnd = -Infinity;
  private rowOffset = -1;
  private rowBusyArea = 0;
  private rowAliveArea = 0;

  /**
   * `periodSeconds`: the length of a series row (60 unless `run --period` chose another); `from`:
   * the start of the measured window (s), units that arrived earlier are not counted.
   */
  constructor(
    private readonly memoryMb: number,
    private readonly periodSeconds = 60,
    readonly from = 0,
  ) {}

  /** Whether a unit (request, event, record, message) that arrived at `arrivedAt` is counted. */
  counts(arrivedAt: number): boolean {
    return arrivedAt >= this.from;
  }

  /**
   * Starts the measured window at `now` (= from): the time averages and maxima so far, and what
   * was created or initialised before it, are left out.
   */
  openWindow(now: number): void {
    this.touch(now);
    this.busyArea = 0;
    this.aliveArea = 0;
    this.initializingArea = 0;
    this.utilizationArea = 0;
    this.configuredSeconds = 0;
    this.maxUtilization = this.provisionedConfigured > 0 ? this.provisionedBusy / this.provisionedConfigured : 0;
    this.maxBusy = this.busy;
    this.maxAlive = this.alive;
    this.maxQueueDepth = this.queueDepth;
    this.maxPollers = this.pollers;
    this.environmentsCreated = 0;
    this.provisionedInitMs = 0;
  }

  /** Brings the time integrals up to `now`; call before changing a level or counting an event. */
  touch(now: number): void {
    const dt = now - this.lastChange;
    if (dt > 0) {
      this.busyArea += this.busy * dt;
      this.aliveArea += this.alive * dt;
      this.initializingArea += this.initializing * dt;
      if (this.provisionedConfigured > 0) this.accumulateUtilization(dt);
    }
    if (now >= this.minuteEnd) {
      this.rollMinute(now);
    } else if (dt > 0) {
      this.rowBusyArea += this.busy * dt;
      this.rowAliveArea += this.alive * dt;
    }
    this.lastChange = now;
  }

  /** Kept out of touch(), so that touch() fits V8's inlining budget where invocations end. */
  private accumulateUtilization(dt: number): void {
    this.utilizationArea += (this.provisionedBusy / this.provisionedConfigured) * dt;
    this.configuredSeconds += dt;
  }

  private rollMinute(now: number): void {
    if (this.rowOffset >= 0) this.closeRow(this.minuteEnd);
    const minute = Math.floor(now / this.periodSeconds);
    this.minuteStart = minute * this.periodSeconds;
    this.minuteEnd = this.minuteStart + this.periodSeconds;
    this.rowOffset = this.series.open(minute);
    const values = this.series.values;
    values[this.rowOffset + COL.ConcurrentExecutionsMax] = this.busy;
    values[this.rowOffset + COL.QueueDepthMax] = this.queueDepth;
    values[this.rowOffset + COL.PollersMax] = this.pollers;
    this.rowBusyArea = this.busy * (now - this.minuteStart);
    this.rowAliveArea = this.alive * (now - this.minuteStart);
  }

  private closeRow(rowEnd: number): void {
    const span = rowEnd - this.minuteStart;
    const tail = rowEnd - Math.max(this.lastChange, this.minuteStart);
    const values = this.series.values;
    const o = this.rowOffset;
    values[o + COL.ConcurrentExecutionsMean] = span > 0 ? (this.rowBusyArea + this.busy * tail) / span : this.busy;
    values[o + COL.EnvironmentsMean] = span > 0 ? (this.rowAliveArea + this.alive * tail) / span : this.alive;
    values[o + COL.ConcurrentExecutionsEnd] = this.busy;
    values[o + COL.EnvironmentsEnd] = this.alive;
    values[o + COL.QueueDepthEnd] = this.queueDepth;
    values[o + COL.PollersEnd] = this.pollers;
    if (this.periodLatency.count > 0) {
      values[o + COL.LatencyP50] = this.periodLatency.quantile(0.5);
      values[o + COL.LatencyP99] = this.periodLatency.quantile(0.99);
      values[o + COL.LatencyMax] = this.periodLatency.max;
      values[o + COL.DurationP99] = this.periodDuration.quantile(0.99);
      this.periodLatency.clear();
      this.periodDuration.clear();
    }
  }

  /**
   * An invocation ended: it no longer counts as running, and its handler time and the latency
   * its caller saw (ms) are recorded. One call and one touch() per invocation, so that the
   * histograms' record() fits in V8's inlining budget where invocations end.
   */
  ended(now: number, provisioned: boolean, durationMs: number, latencyMs: number, counted: boolean): void {
    this.touch(now);
    this.busy--;
    if (provisioned) this.provisionedBusy--;
    this.lastRequestAt = now;
    if (counted) {
      this.duration.record(durationMs);
      this.latency.record(latencyMs);
      this.completions++;
    }
    this.periodDuration.record(durationMs);
    this.periodLatency.record(latencyMs);
  }

  /** Something arrived for the function: a request, an event, a record or a message. */
  arrival(now: number): void {
    this.touch(now);
    if (now >= this.from) this.arrivals++;
    this.count(COL.arrivals);
  }

  /** Adds to a column of the current minute's row (touch() first). */
  count(column: number, amount = 1): void {
    this.series.values[this.rowOffset + column] += amount;
  }

  /** An invocation starts; `provisioned` when it runs on a provisioned environment. */
  busyUp(now: number, provisioned: boolean): void {
    this.touch(now);
    const busy = ++this.busy;
    if (busy > this.maxBusy) this.maxBusy = busy;
    const slot = this.rowOffset + COL.ConcurrentExecutionsMax;
    if (busy > this.series.values[slot]) this.series.values[slot] = busy;
    if (provisioned) {
      this.provisionedBusy++;
      this.raiseUtilization();
    }
  }

  /**
   * Provisioned concurrency configured from `now` on. Lowered below what is running, the
   * utilisation exceeds 1 until those invocations end: it is measured against the new value.
   */
  configureProvisioned(now: number, value: number): void {
    this.touch(now);
    this.provisionedConfigured = value;
    this.raiseUtilization();
  }

  private raiseUtilization(): void {
    if (this.provisionedConfigured <= 0) return;
    const utilization = this.provisionedBusy / this.provisionedConfigured;
    if (utilization > this.maxUtilization) this.maxUtilization = utilization;
  }

  aliveUp(now: number): void {
    this.touch(now);
    if (++this.alive > this.maxAlive) this.maxAlive = this.alive;
  }

  aliveDown(now: number): void {
    this.touch(now);
    this.alive--;
  }

  /** Bills an invocation that finished now; `counted`: whether the arrival it served is in the window. */
  billOnDemand(milliseconds: number, counted: boolean): void {
    if (counted) this.onDemandBilledMs += milliseconds;
    // count() written out: one call less where invocations end.
    this.series.values[this.rowOffset + COL.BilledGbSeconds] += gbSeconds(milliseconds, this.memoryMb);
  }

  billProvisioned(milliseconds: number, counted: boolean): void {
    if (counted) this.provisionedBilledMs += milliseconds;
    this.count(COL.BilledGbSeconds, gbSeconds(milliseconds, this.memoryMb));
  }

  /** Raises a per-minute maximum column to `value` (touch() first). */
  private raise(column: number, value: number): void {
    const slot = this.rowOffset + column;
    if (value > this.series.values[slot]) this.series.values[slot] = value;
  }

  /** Raises this minute's maximum of `column` (an age a source measured now) to `value`. */
  raiseMax(now: number, column: number, value: number): void {
    this.touch(now);
    this.raise(column, value);
  }

  queueChange(now: number, delta: number): void {
    this.touch(now);
    this.queueDepth += delta;
    if (this.queueDepth > this.maxQueueDepth) this.maxQueueDepth = this.queueDepth;
    this.raise(COL.QueueDepthMax, this.queueDepth);
  }

  pollersChange(now: number, delta: number): void {
    this.touch(now);
    this.pollers += delta;
    if (this.pollers > this.maxPollers) this.maxPollers = this.pollers;
    this.raise(COL.PollersMax, this.pollers);
  }

  /** Closes the integrals and the last (possibly partial) minute at the end of the run. */
  finish(end: number): void {
    this.touch(end);
    if (this.rowOffset >= 0) this.closeRow(Math.max(end, this.minuteStart));
  }
}

export { COL, SERIES_WIDTH };
