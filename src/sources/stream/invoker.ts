import type { Uniform } from "../../engine/rng.js";
import type { Simulation } from "../../engine/simulation.js";
import { Timers } from "../../engine/timers.js";
import type { FunctionMetrics } from "../../metrics/functionMetrics.js";
import { COL } from "../../metrics/functionMetrics.js";
import { StreamStats } from "./stats.js";
import { SUCCESS } from "../../model/environments.js";
import { InvariantError } from "../../model/invariants.js";
import { ArrivalPump } from "../../model/arrivalPump.js";
import type { LambdaPlatform } from "../../model/platform.js";
import type { Delivered, SourceInvoker } from "../eventSource.js";
import { PoisonSelector } from "../shared/poison.js";
import type { StreamSettings } from "./compile.js";
import { grownRing } from "../../common/typedArrays.js";

// What a lane is doing. Only POLLING, WINDOW and THROTTLED have a timer armed.
/** Empty and waiting for nothing: the next record arms a poll. */
const SLEEPING = 0;
/** Records wait for the lane's next poll. */
const POLLING = 1;
/** Gathering a batch until batchSize records wait or the batching window ends. */
const WINDOW = 2;
/** A batch is being invoked. */
const RUNNING = 3;
/** The current batch was throttled and is sent again one poll interval later. */
const THROTTLED = 4;

// How the records leaving a lane end.
const PROCESSED = 0;
const DISCARDED = 1;
const EXPIRED = 2;

/**
 * Halves of a bisected batch still to be sent, per lane. A half sits at depth d only if its size is
 * at most batchSize / 2^d, so ceil(log2(10,000)) = 14 levels cover the largest batch.
 */
const STACK = 16;

/** Zipf weights 1/k^skew over shard ranks, as a cumulative distribution ending exactly at 1. */
function zipfCdf(shards: number, skew: number): Float64Array {
  const cdf = new Float64Array(shards);
  let total = 0;
  for (let k = 0; k < shards; k++) {
    total += (k + 1) ** -skew;
    cdf[k] = total;
  }
  for (let k = 0; k < shards; k++) cdf[k] /= total;
  cdf[shards - 1] = 1;
  return cdf;
}

/**
 * Kinesis and DynamoDB Streams event source mappings. Each record goes to a shard (uniform, or
 * Zipf-skewed over shard ranks for hot keys) and, with parallelizationFactor F, to one of the
 * shard's F lanes (its partition key's lane; keys are drawn at random, so the lane is too). A lane
 * is the unit that polls, batches, invokes, blocks and retries; its records wait in a ring buffer,
 * and a batch is always the lane's oldest records, kept there until they are processed or given
 * up on. An invocation's token is its lane.
 *
 * Choices where AWS documents nothing:
 * - A lane polls on a fixed grid, every pollInterval from its own random phase (uniform in one
 *   interval, stream `stream-polls:<source>`). A poll that would find nothing is not simulated: an
 *   empty lane sleeps and its next record arms the first grid poll at or after its arrival.
 * - After a batch completes, the next one starts at once if records wait (back to back); with a
 *   batching window the window opens at that completion (or at the poll that finds an idle lane's
 *   first record) and the batch goes when batchSize records wait or the window ends.
 * - A fresh batch first drops records past retention (expired) or maximumRecordAge (discarded)
 *   from the lane head, one by one. A batch sent again (after a function error or a throttle) is
 *   given up on whole once its oldest record is past retention (all expired) or maximumRecordAge
 *   (all discarded).
 * - A throttled batch is sent again after one poll interval; throttles never count as retries.
 * - Bisecting splits a failed batch of n > 1 into ceil(n/2) then floor(n/2) records, sent in that
 *   order; only failures of single-record batches count toward maximumRetryAttempts.
 * - With reportBatchItemFailures a poison record does not fail the invocation: the records before
 *   the first poison one are processed, the failure counts toward maximumRetryAttempts, and the
 *   lane re-reads a batch (up to batchSize records, but not into a pending bisected half) from the
 *   poison record. When the retries run out, the rest of the failed batch is discarded. Bisecting
 *   applies only to invocations that fail whole (errorRate, errorWindows, timeouts).
 * - streamStats.retries counts every invocation sent while its lane is blocked (bisected halves
 *   and re-read batches included); blocked time runs from the first failure until the failed
 *   records are processed or given up on. A block still open when the run ends counts up to then.
 * - IteratorAge is noted for every invocation sent, retries included; a throttled attempt sends
 *   nothing and notes nothing.
 */
export class StreamMappings implements SourceInvoker<StreamStats> {
  private readonly id: number;
  private readonly settings: StreamSettings[];
  private readonly fnOf: Int32Array;
  private readonly metricsOf: FunctionMetrics[];
  /** Per source, and per function for the functions a stream feeds (sources of one function share). */
  private readonly statsBySource: StreamStats[];
  private readonly stats: (StreamStats | null)[];
  private readonly firstLane: Int32Array;
  private readonly laneCount: Int32Array;
  /** Per source: the Zipf CDF over shards, or null when records spread uniformly. */
  private readonly shardCdf: (Float64Array | null)[];
  /** Per source: draws the lane of each record, or null when the source has a single lane. */
  private readonly laneDraw: (Uniform | null)[];
  /** Per source: which records are poison, or null when none are. */
  private readonly poisonOf: (PoisonSelector | null)[];
  private readonly running: Int32Array;
  private readonly maxRunning: Int32Array;
  private readonly arrivals: ArrivalPump;
  /** Records in every lane, the batches being invoked included. */
  private queued = 0;

  // Per lane.
  private readonly laneSource: Int32Array;
  private readonly state: Uint8Array;
  private readonly phase: Float64Array;
  private readonly head: Int32Array;
  private readonly count: Int32Array;
  private readonly times: Float64Array[];
  /** Per lane, 1 for a poison record; null for lanes of sources without poison. */
  private readonly poison: (Uint8Array | null)[];
  /** The current batch: this many records from the lane head. */
  private readonly batchLen: Int32Array;
  /** Function errors of the current batch that count toward maximumRetryAttempts. */
  private readonly failures: Int32Array;
  /** When the lane's current block began; NaN while it is not blocked. */
  private readonly blockedSince: Float64Array;
  private readonly halves: Int32Array;
  private readonly depth: Uint8Array;

  private readonly timers: Timers;

  constructor(
    private readonly sim: Simulation,
    private readonly platform: LambdaPlatform,
    private readonly sources: readonly Delivered<StreamSettings>[],
  ) {
    this.id = platform.addInvoker(this, { requestRateLimited: false });
    this.settings = sources.map((s) => s.settings);
    const count = sources.length;
    this.fnOf = Int32Array.from(sources, (s) => s.functionIndex);
    this.metricsOf = sources.map((s) => platform.functions[s.functionIndex].metrics);
    this.stats = platform.functions.map(() => null);
    this.statsBySource = sources.map((s) => (this.stats[s.functionIndex] ??= new StreamStats()));
    this.laneCount = Int32Array.from(this.settings, (st) => st.shards * st.parallelizationFactor);
    this.firstLane = new Int32Array(count);
    let lanes = 0;
    for (let s = 0; s < count; s++) {
      this.firstLane[s] = lanes;
      lanes += this.laneCount[s];
    }
    this.shardCdf = this.settings.map((st) => (st.shardSkew > 0 && st.shards > 1 ? zipfCdf(st.shards, st.shardSkew) : null));
    this.laneDraw = sources.map((s, i) => (this.laneCount[i] > 1 ? sim.rng.stream(`stream-shards:${s.name}`) : null));
    this.poisonOf = sources.map((s) => PoisonSelector.of(s.settings.poisonRecords, () => sim.rng.stream(`stream-poison:${s.name}`)));
    this.running = new Int32Array(count);
    this.maxRunning = new Int32Array(count);

    this.laneSource = new Int32Array(lanes);
    this.state = new Uint8Array(lanes);
    this.phase = new Float64Array(lanes);
    this.head = new Int32Array(lanes);
    this.count = new Int32Array(lanes);
    this.times = [];
    this.poison = [];
    this.batchLen = new Int32Array(lanes);
    this.failures = new Int32Array(lanes);
    this.blockedSince = new Float64Array(lanes).fill(NaN);
    this.halves = new Int32Array(lanes * STACK);
    this.depth = new Uint8Array(lanes);
    sources.forEach((source, s) => {
      const phaseDraw = sim.rng.stream(`stream-polls:${source.name}`);
      const hasPoison = this.poisonOf[s] !== null;
      for (let lane = this.firstLane[s]; lane < this.firstLane[s] + this.laneCount[s]; lane++) {
        this.laneSource[lane] = s;
        this.phase[lane] = phaseDraw() * this.settings[s].pollInterval;
        this.times.push(new Float64Array(16));
        this.poison.push(hasPoison ? new Uint8Array(16) : null);
      }
    });

    this.timers = new Timers(sim, lanes, (lane) => this.onTimer(lane));
    this.arrivals = new ArrivalPump(
      sim,
      sources,
      { arrive: (s, now) => this.receive(s, now), sourceDone: () => platform.maybeStop() },
      true,
    );
  }

  get exhausted(): boolean {
    return this.arrivals.done && this.queued === 0;
  }

  private receive(s: number, now: number): void {
    const metrics = this.metricsOf[s];
    metrics.arrival(now);
    metrics.queueChange(now, 1);
    if (metrics.counts(now)) this.statsBySource[s].records++;
    const poison = this.poisonOf[s];
    const lane = this.firstLane[s] + this.pickLane(s);
    // biome-ignore lint/complexity/useOptionalChain: push() takes a boolean; poison?.next() would be boolean | undefined.
    this.push(lane, now, poison !== null && poison.next());
    this.queued++;
    const state = this.state[lane];
    if (state === SLEEPING) {
      this.state[lane] = POLLING;
      this.timers.arm(lane, this.nextPoll(lane, now));
    } else if (state === WINDOW && this.count[lane] >= this.settings[s].batchSize) {
      this.sendFresh(lane);
    }
  }

  /**
   * The record's lane within its source. One uniform picks the shard from the CDF and, from where
   * it fell inside the shard's share, one of the shard's lanes (uniform given the shard).
   */
  private pickLane(s: number): number {
    const draw = this.laneDraw[s];
    if (draw === null) return 0;
    const u = draw();
    const cdf = this.shardCdf[s];
    if (cdf === null) return Math.floor(u * this.laneCount[s]);
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    const below = lo > 0 ? cdf[lo - 1] : 0;
    const lanesPerShard = this.settings[s].parallelizationFactor;
    return lo * lanesPerShard + Math.min(lanesPerShard - 1, Math.floor(((u - below) / (cdf[lo] - below)) * lanesPerShard));
  }

  private push(lane: number, now: number, poisoned: boolean): void {
    let times = this.times[lane];
    const n = this.count[lane];
    if (n === times.length) times = this.grow(lane);
    const slot = (this.head[lane] + n) & (times.length - 1);
    times[slot] = now;
    const flags = this.poison[lane];
    if (flags !== null) flags[slot] = poisoned ? 1 : 0;
    this.count[lane] = n + 1;
  }

  /** Doubles the lane's ring, oldest record first. */
  private grow(lane: number): Float64Array {
    const head = this.head[lane];
    const capacity = this.times[lane].length * 2;
    const times = grownRing(this.times[lane], head, capacity);
    this.times[lane] = times;
    const flags = this.poison[lane];
    if (flags !== null) this.poison[lane] = grownRing(flags, head, capacity);
    this.head[lane] = 0;
    return times;
  }

  /** The first grid poll of the lane at or after `now`. */
  private nextPoll(lane: number, now: number): number {
    const interval = this.settings[this.laneSource[lane]].pollInterval;
    const phase = this.phase[lane];
    const at = phase + Math.ceil((now - phase) / interval) * interval;
    return at >= now ? at : at + interval;
  }

  private onTimer(lane: number): void {
    const state = this.state[lane];
    if (state === POLLING) {
      if (this.settings[this.laneSource[lane]].batchingWindow > 0) this.openWindow(lane);
      else this.sendFresh(lane);
    } else if (state === WINDOW) {
      if (this.count[lane] > 0) this.sendFresh(lane);
      else this.state[lane] = SLEEPING;
    } else if (state === THROTTLED) {
      this.resend(lane);
    }
    if (this.exhausted) this.platform.maybeStop();
  }

  private openWindow(lane: number): void {
    const st = this.settings[this.laneSource[lane]];
    if (this.count[lane] >= st.batchSize) {
      this.sendFresh(lane);
      return;
    }
    this.state[lane] = WINDOW;
    this.timers.arm(lane, this.sim.now + st.batchingWindow);
  }

  /** Starts a new batch from the lane head, after dropping records too old to send. */
  private sendFresh(lane: number): void {
    const s = this.laneSource[lane];
    const st = this.settings[s];
    const now = this.sim.now;
    const times = this.times[lane];
    const mask = times.length - 1;
    const head = this.head[lane];
    const n = this.count[lane];
    let expired = 0;
    while (expired < n && now - times[(head + expired) & mask] > st.retention) expired++;
    let aged = expired;
    while (aged < n && now - times[(head + aged) & mask] > st.maximumRecordAge) aged++;
    if (expired > 0) this.settle(lane, expired, EXPIRED);
    if (aged > expired) this.settle(lane, aged - expired, DISCARDED);
    if (this.count[lane] === 0) {
      this.state[lane] = SLEEPING;
      return;
    }
    this.batchLen[lane] = Math.min(st.batchSize, this.count[lane]);
    this.attempt(lane);
  }

  /** Sends the current batch again, unless its oldest record is past retention or its maximum age. */
  private resend(lane: number): void {
    const st = this.settings[this.laneSource[lane]];
    const age = this.sim.now - this.times[lane][this.head[lane]];
    if (age > st.retention) {
      this.settle(lane, this.batchLen[lane], EXPIRED);
      this.continueAfterBatch(lane);
    } else if (age > st.maximumRecordAge) {
      this.settle(lane, this.batchLen[lane], DISCARDED);
      this.continueAfterBatch(lane);
    } else {
      this.attempt(lane);
    }
  }

  private attempt(lane: number): void {
    const s = this.laneSource[lane];
    const st = this.settings[s];
    const n = this.batchLen[lane];
    const now = this.sim.now;
    const forceError = !st.reportBatchItemFailures && this.firstPoison(lane, n) >= 0;
    const times = this.times[lane];
    // A batch belongs to the arrival of its first record (for the measured window).
    const first = times[this.head[lane]];
    if (this.platform.tryInvoke(this.fnOf[s], this.id, lane, now, first, NaN, st.recordDuration * n, forceError)) {
      this.state[lane] = RUNNING;
      // A window timer still pending (the batch filled up before the window ended) is void now.
      this.timers.cancel(lane);
      const running = ++this.running[s];
      if (running > this.maxRunning[s]) this.maxRunning[s] = running;
      const newest = times[(this.head[lane] + n - 1) & (times.length - 1)];
      const age = (now - newest) * 1000;
      const metrics = this.metricsOf[s];
      metrics.raiseMax(now, COL.IteratorAgeMax, age);
      if (metrics.counts(first)) {
        this.statsBySource[s].iteratorAge.record(age);
        if (this.blockedSince[lane] === this.blockedSince[lane]) this.statsBySource[s].retries++;
      }
    } else {
      this.state[lane] = THROTTLED;
      this.timers.arm(lane, now + st.pollInterval);
    }
  }

  /** Position of the first poison record among the lane's first n, or -1. */
  private firstPoison(lane: number, n: number): number {
    const flags = this.poison[lane];
    if (flags === null) return -1;
    const mask = flags.length - 1;
    const head = this.head[lane];
    for (let i = 0; i < n; i++) if (flags[(head + i) & mask] === 1) return i;
    return -1;
  }

  invocationEnded(_fn: number, lane: number, outcome: number): void {
    const s = this.laneSource[lane];
    const st = this.settings[s];
    this.running[s]--;
    const n = this.batchLen[lane];
    if (outcome === SUCCESS) {
      const failedAt = st.reportBatchItemFailures ? this.firstPoison(lane, n) : -1;
      if (failedAt < 0) {
        this.settle(lane, n, PROCESSED);
        this.continueAfterBatch(lane);
        return;
      }
      // The handler reported the poison record as failed: checkpoint before it, restart from it.
      this.settle(lane, failedAt, PROCESSED);
      this.block(lane);
      if (++this.failures[lane] > st.maximumRetryAttempts) {
        this.settle(lane, n - failedAt, DISCARDED);
        this.continueAfterBatch(lane);
        return;
      }
      this.batchLen[lane] = this.depth[lane] > 0 ? n - failedAt : Math.min(st.batchSize, this.count[lane]);
      this.resend(lane);
      return;
    }
    this.block(lane);
    if (st.bisectBatchOnFunctionError && n > 1) {
      this.halves[lane * STACK + this.depth[lane]++] = n >> 1;
      this.batchLen[lane] = n - (n >> 1);
      this.resend(lane);
      return;
    }
    if (++this.failures[lane] > st.maximumRetryAttempts) {
      this.settle(lane, n, DISCARDED);
      this.continueAfterBatch(lane);
      return;
    }
    this.resend(lane);
  }

  private block(lane: number): void {
    if (this.blockedSince[lane] !== this.blockedSince[lane]) this.blockedSince[lane] = this.sim.now;
  }

  /** The lane's block ends now; only the part of it in the measured window (from the warm-up on) is counted. */
  private unblock(lane: number, now: number): void {
    const s = this.laneSource[lane];
    const blocked = Math.max(0, now - Math.max(this.blockedSince[lane], this.metricsOf[s].from));
    const stats = this.statsBySource[s];
    stats.blockedTotal += blocked;
    if (blocked > stats.blockedMax) stats.blockedMax = blocked;
    this.blockedSince[lane] = NaN;
  }

  /** The current batch is settled: the next bisected half, or the lane's next batch. */
  private continueAfterBatch(lane: number): void {
    this.failures[lane] = 0;
    if (this.depth[lane] > 0) {
      this.batchLen[lane] = this.halves[lane * STACK + --this.depth[lane]];
      this.resend(lane);
      return;
    }
    if (this.blockedSince[lane] === this.blockedSince[lane]) this.unblock(lane, this.sim.now);
    const s = this.laneSource[lane];
    if (this.settings[s].batchingWindow > 0 && (this.count[lane] > 0 || this.arrivals.active[s] === 1)) {
      this.openWindow(lane);
    } else if (this.count[lane] > 0) {
      this.sendFresh(lane);
    } else {
      this.state[lane] = SLEEPING;
    }
  }

  /** Takes k records off the lane head, ending as `how`. */
  private settle(lane: number, k: number, how: number): void {
    if (k === 0) return;
    const s = this.laneSource[lane];
    const metrics = this.metricsOf[s];
    const stats = this.statsBySource[s];
    const now = this.sim.now;
    const counted = this.countedAmong(lane, k, metrics.from);
    this.head[lane] = (this.head[lane] + k) & (this.times[lane].length - 1);
    this.count[lane] -= k;
    this.queued -= k;
    metrics.queueChange(now, -k);
    if (how === PROCESSED) {
      metrics.succeeded += counted;
      stats.processed += counted;
      return;
    }
    metrics.lastRequestAt = now;
    if (how === EXPIRED) {
      stats.expired += counted;
      metrics.dropped += counted;
    } else {
      stats.discarded += counted;
      if (this.settings[s].onFailure === "dlq") metrics.deadLettered += counted;
      else metrics.dropped += counted;
    }
  }

  /** How many of the lane's first k records arrived at or after `from` (a lane holds them in arrival order). */
  private countedAmong(lane: number, k: number, from: number): number {
    const times = this.times[lane];
    const mask = times.length - 1;
    const head = this.head[lane];
    let before = 0;
    while (before < k && times[(head + before) & mask] < from) before++;
    return k - before;
  }

  addPending(counts: number[], from: number): void {
    for (let lane = 0; lane < this.count.length; lane++) {
      counts[this.fnOf[this.laneSource[lane]]] += this.countedAmong(lane, this.count[lane], from);
    }
  }

  checkInvariants(): void {
    this.sources.forEach((source, s) => {
      const name = source.name;
      if (this.maxRunning[s] > this.laneCount[s]) {
        throw new InvariantError(
          `stream ${name}: ${this.maxRunning[s]} concurrent batches above shards x parallelizationFactor = ${this.laneCount[s]}`,
        );
      }
      if (this.running[s] < 0) throw new InvariantError(`stream ${name}: ${this.running[s]} batches running`);
    });
    let queued = 0;
    for (let lane = 0; lane < this.count.length; lane++) {
      if (this.count[lane] < 0 || this.count[lane] > this.times[lane].length) {
        throw new InvariantError(`stream lane ${lane}: ${this.count[lane]} records in a ring of ${this.times[lane].length}`);
      }
      queued += this.count[lane];
    }
    if (queued !== this.queued) throw new InvariantError(`streams: ${queued} records in lanes, ${this.queued} counted`);
  }

  statsOf(fn: number): StreamStats | null {
    return this.stats[fn];
  }

  close(): void {
    const now = this.sim.now;
    for (let lane = 0; lane < this.blockedSince.length; lane++) {
      if (this.blockedSince[lane] === this.blockedSince[lane]) this.unblock(lane, now);
    }
    for (const source of this.sources) source.close();
  }
}
