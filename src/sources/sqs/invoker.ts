import type { Uniform } from "../../engine/rng.js";
import type { Simulation } from "../../engine/simulation.js";
import { Timers } from "../../engine/timers.js";
import type { FunctionMetrics } from "../../metrics/functionMetrics.js";
import { SqsStats } from "./stats.js";
import { SUCCESS } from "../../model/environments.js";
import { InvariantError } from "../../model/invariants.js";
import { Batches, IntRing, Messages } from "./storage.js";
import { ArrivalPump } from "../../model/arrivalPump.js";
import type { LambdaPlatform } from "../../model/platform.js";
import type { Delivered, SourceInvoker } from "../eventSource.js";
import { PoisonSelector } from "../shared/poison.js";
import type { SqsSettings } from "./compile.js";
import { INVOKES_PER_POLLER, POLLER_KB_PER_SECOND, PollerLedger, PROVISIONED_STEP, PROVISIONED_TICK } from "./pollers.js";

/*
 * SQS queues and their Lambda event source mappings (docs/lambda-behaviour.md#sqs). Where AWS documents no
 * number, the choice made here:
 * - Pollers. The mapping's concurrency target C (concurrent batches) starts at 5 and is revised
 *   once a second, on a tick that runs only while C can change: +5 (pre-2023: +1) while messages
 *   wait for a poller at the tick, up to 1,250 (1,000) and maximumConcurrency; -5 (-1) while a
 *   poller sits idle, never below 5 nor below the pollers holding a batch. AWS backs off "gradually"
 *   on function errors and throttles: here, a second in which at least half of the mapping's
 *   invoke attempts were throttled or failed (function errors do not count with
 *   reportBatchItemFailures, as AWS then does not scale down) lowers C by one step instead.
 * - Batching window: one free poller at a time gathers; its batch goes when batchSize messages are
 *   visible or the window has run since it opened. AWS has no window on FIFO queues, so none is
 *   applied there.
 * - Throttles: a poller keeps its throttled batch and retries the invoke after 1 s, doubling up to
 *   5 min (the async path's documented throttle backoff), while the batch's visibility timeout
 *   lasts; when the next retry would come too late it lets go, and the messages become visible
 *   again one visibility timeout after they were received, that receive counted.
 * - A batch still running when its visibility timeout ends keeps its messages (no duplicate
 *   delivery); failed, they return when it ends. Validation keeps the timeout ≥ the function's.
 * - Retention: the queue deletes a message messageRetention after it was sent, wherever it is
 *   (visible, or received and in flight: AWS deletes in-flight messages too), on a timer at the
 *   oldest message's deadline; a batch that still runs keeps its copy, and its delete finds
 *   nothing. Returned messages: those received maxReceiveCount times move to the DLQ. A standard queue puts the rest at the back (AWS
 *   promises no order); a FIFO queue puts them back at the head of their group.
 * - FIFO: a batch holds messages of one group (AWS may mix groups in a batch); a group with
 *   messages in a batch or waiting out a visibility timeout is locked. With
 *   reportBatchItemFailures a FIFO handler stops at its first failure, so that message and all
 *   after it in the batch fail (AWS documents this); on a standard queue only the poison ones do.
 * - ApproximateAgeOfOldestMessage covers every undeleted message, visible or not; it is sampled
 *   when a batch is received, on each scaling tick and when messages become visible again.
 * - Provisioned mode (src/sources/sqs/pollers.ts): P event pollers, minimum ≤ P ≤ maximum, allow
 *   10 P concurrent batches and receive P MB/s between them: a receive of n messages books the
 *   mapping's receive capacity for n × messageSizeKb / (1,024 P) s, and the next receive waits for
 *   it (no burst credit). The target is revised every 3 s: +5 pollers while messages wait (every
 *   poller's batch slots busy, or more visible than the pollers receive in a tick), otherwise −5
 *   at most and never below the minimum or the pollers the running batches need; the same
 *   back-off on throttles and errors as above. Pollers go newest first, and only once the newest
 *   has served the minute it is billed for.
 */

/** AWS starts an SQS mapping with five concurrent batches. */
const INITIAL_POLLERS = 5;
const SCALING = {
  current: { step: 5, max: 1250 },
  "pre-2023": { step: 1, max: 1000 },
} as const;
const SCALING_TICK = 1;
const THROTTLE_RETRY_FIRST = 1;
const THROTTLE_RETRY_FACTOR = 2;
const THROTTLE_RETRY_MAX = 300;
/** Share of failed or throttled invoke attempts in a second that makes the mapping back off. */
const BACK_OFF_SHARE = 0.5;

/** One queue and its event source mapping. */
class Queue {
  readonly fn: number;
  readonly metrics: FunctionMetrics;
  readonly stats: SqsStats;
  readonly batchSize: number;
  readonly window: number;
  readonly visibilityTimeout: number;
  readonly maxReceiveCount: number;
  readonly retention: number;
  readonly maximumConcurrency: number;
  readonly partial: boolean;
  readonly fifo: boolean;
  readonly groups: number;
  readonly recordDuration: number;
  readonly floor: number;
  readonly cap: number;
  readonly step: number;
  /** Seconds between scaling revisions. */
  readonly tick: number;
  /** Provisioned mode's pollers, or null for the default scaling. */
  readonly ledger: PollerLedger | null;
  readonly messageKb: number;
  /** Until when the receives already made use the provisioned pollers' throughput. */
  receiveBusyUntil = 0;
  /** Which messages are poison, or null when none are. */
  readonly poison: PoisonSelector | null;
  readonly groupDraw: Uniform | null;

  concurrency: number;
  /** Pollers holding a batch: running it, or retrying a throttled invoke. */
  occupied = 0;
  running = 0;
  /** Visible messages: on the queue, or in a FIFO queue's groups (locked ones included). */
  visible = 0;
  visibleHead = -1;
  visibleTail = -1;
  readonly groupHead: Int32Array;
  readonly groupTail: Int32Array;
  readonly groupLocked: Uint8Array;
  /** FIFO groups that are unlocked and have visible messages, in the order they became so. */
  readonly ready = new IntRing();
  oldest = -1;
  newest = -1;
  /** Batches waiting out their visibility timeout, by return time. */
  readonly invisible = new IntRing();
  tickPending = false;
  attempts = 0;
  failures = 0;

  peakOccupied = 0;
  peakRunning = 0;
  mostReceives = 0;
  startedAboveTarget = false;

  constructor(
    readonly index: number,
    readonly source: Delivered<SqsSettings>,
    metrics: FunctionMetrics,
    stats: SqsStats,
    stream: (name: string) => Uniform,
    span: number,
  ) {
    const settings = source.settings;
    this.fn = source.functionIndex;
    this.metrics = metrics;
    this.stats = stats;
    this.batchSize = settings.batchSize;
    this.window = settings.fifo ? 0 : settings.batchingWindow;
    this.visibilityTimeout = settings.visibilityTimeout;
    this.maxReceiveCount = settings.maxReceiveCount;
    this.retention = settings.messageRetention;
    this.maximumConcurrency = settings.maximumConcurrency;
    this.partial = settings.reportBatchItemFailures;
    this.fifo = settings.fifo;
    this.groups = settings.fifo ? settings.messageGroups : 0;
    this.recordDuration = settings.recordDuration;
    this.messageKb = settings.messageSizeKb;
    const pollers = settings.provisionedPollers;
    if (pollers === null) {
      const scaling = SCALING[settings.pollerScaling];
      this.cap = Math.min(scaling.max, settings.maximumConcurrency);
      this.floor = Math.min(INITIAL_POLLERS, this.cap);
      this.step = scaling.step;
      this.tick = SCALING_TICK;
      this.ledger = null;
    } else {
      this.cap = pollers.maximum * INVOKES_PER_POLLER;
      this.floor = pollers.minimum * INVOKES_PER_POLLER;
      this.step = PROVISIONED_STEP * INVOKES_PER_POLLER;
      this.tick = PROVISIONED_TICK;
      this.ledger = new PollerLedger(metrics.from, span);
      this.ledger.add(0, pollers.minimum);
      stats.pollerLedgers.push(this.ledger);
    }
    this.concurrency = this.floor;
    this.poison = PoisonSelector.of(settings.poisonRecords, () => stream(`sqs-poison:${source.name}`));
    this.groupDraw = this.groups > 1 ? stream(`sqs-groups:${source.name}`) : null;
    this.groupHead = new Int32Array(this.groups).fill(-1);
    this.groupTail = new Int32Array(this.groups).fill(-1);
    this.groupLocked = new Uint8Array(this.groups);
  }

  /** No message is visible, invisible or held by a poller. */
  get drained(): boolean {
    return this.visible === 0 && this.invisible.length === 0 && this.occupied === 0;
  }

  /**
   * Messages a free poller could take now are waiting for one; in provisioned mode also when more
   * are visible than the pollers' throughput receives before the next revision.
   */
  get waiting(): boolean {
    const takeable = this.fifo ? this.ready.length > 0 : this.visible > 0;
    if (!takeable) return false;
    if (this.occupied >= this.concurrency) return true;
    return this.ledger !== null && this.visible * this.messageKb > this.throughputKbPerSecond * this.tick;
  }

  /** What the provisioned pollers receive together, KB per second. */
  get throughputKbPerSecond(): number {
    return (this.concurrency / INVOKES_PER_POLLER) * POLLER_KB_PER_SECOND;
  }
}

/**
 * SQS event source mappings: each source is one queue with its mapping. Messages live in a pool of
 * typed arrays, linked into the queue (or their FIFO group), a batch, and an arrival-order list
 * for the oldest message's age. A batch's token is its slot. Batches waiting out the visibility
 * timeout sit in a per-queue list ordered by return time, under a single timer.
 */
export class SqsMappings implements SourceInvoker<SqsStats> {
  private readonly id: number;
  private readonly queues: Queue[];
  /** Per function: its measures, for the functions a queue feeds (queues of one function share). */
  private readonly stats: (SqsStats | null)[];
  private readonly messages = new Messages();
  private readonly batches = new Batches();

  private readonly TICK: number;
  private readonly windows: Timers;
  private readonly RETRY: number;
  private readonly arrivals: ArrivalPump;
  private readonly returns: Timers;
  private readonly expiries: Timers;
  private readonly paced: Timers;

  constructor(
    private readonly sim: Simulation,
    private readonly platform: LambdaPlatform,
    sources: readonly Delivered<SqsSettings>[],
  ) {
    this.id = platform.addInvoker(this, { requestRateLimited: false });
    this.stats = platform.functions.map(() => null);
    this.queues = sources.map((source, index) => {
      const fn = source.functionIndex;
      const stats = (this.stats[fn] ??= new SqsStats());
      return new Queue(index, source, platform.functions[fn].metrics, stats, (name) => sim.rng.stream(name), platform.span);
    });
    for (const stats of this.stats) if (stats !== null) stats.eventPollersMax = livePollers(stats);
    this.TICK = sim.defineEvent((q) => this.onTick(q));
    this.windows = new Timers(sim, this.queues.length, (q) => this.onWindow(q));
    this.RETRY = sim.defineEvent((slot) => this.onRetry(slot));
    this.returns = new Timers(sim, this.queues.length, (q) => this.onReturn(q));
    this.expiries = new Timers(sim, this.queues.length, (q) => this.onExpiry(q));
    this.paced = new Timers(sim, this.queues.length, (q) => this.onPaced(q));
    for (const q of this.queues) q.metrics.pollersChange(sim.now, q.concurrency);
    this.arrivals = new ArrivalPump(sim, sources, {
      arrive: (index, now) => this.onArrival(this.queues[index], now),
      afterArrivals: (index) => {
        const q = this.queues[index];
        this.dispatch(q);
        this.ensureTick(q);
      },
    });
  }

  /** The queue's source has nothing more to send and every message has been settled. */
  private finished(q: Queue): boolean {
    return this.arrivals.active[q.index] === 0 && q.drained;
  }

  get exhausted(): boolean {
    for (const q of this.queues) if (!this.finished(q)) return false;
    return true;
  }

  private onArrival(q: Queue, now: number): void {
    const metrics = q.metrics;
    metrics.arrival(now);
    metrics.queueChange(now, 1);
    if (metrics.counts(now)) q.stats.messages++;
    const msgs = this.messages;
    const m = msgs.allocate();
    msgs.arrival[m] = now;
    msgs.receives[m] = 0;
    msgs.expired[m] = 0;
    msgs.held[m] = 0;
    // biome-ignore lint/complexity/useOptionalChain: poison is null, never undefined; the explicit test keeps this a boolean.
    msgs.poison[m] = q.poison !== null && q.poison.next() ? 1 : 0;
    msgs.next[m] = -1;
    msgs.older[m] = q.newest;
    msgs.newer[m] = -1;
    if (q.newest >= 0) msgs.newer[q.newest] = m;
    else q.oldest = m;
    q.newest = m;
    if (q.fifo) {
      const g = q.groupDraw === null ? 0 : Math.floor(q.groupDraw() * q.groups);
      msgs.group[m] = g;
      if (q.groupTail[g] >= 0) msgs.next[q.groupTail[g]] = m;
      else {
        q.groupHead[g] = m;
        if (q.groupLocked[g] === 0) q.ready.push(g);
      }
      q.groupTail[g] = m;
    } else {
      if (q.visibleTail >= 0) msgs.next[q.visibleTail] = m;
      else q.visibleHead = m;
      q.visibleTail = m;
    }
    q.visible++;
    // An armed timer is never later than the oldest message's deadline: deadlines only grow.
    if (!this.expiries.isArmed(q.index)) this.expiries.arm(q.index, now + q.retention);
  }

  /** The queue deletes every message whose retention is over, and waits for the next deadline. */
  private onExpiry(index: number): void {
    const q = this.queues[index];
    const now = this.sim.now;
    const msgs = this.messages;
    let expired = 0;
    let expiredCounted = 0;
    // The deadline as the timer was armed with (arrival + retention), so a firing always finds it due.
    while (q.oldest >= 0 && msgs.arrival[q.oldest] + q.retention <= now) {
      const m = q.oldest;
      this.unlinkArrival(q, m);
      msgs.expired[m] = 1;
      if (msgs.held[m] === 0) q.visible--;
      expired++;
      if (msgs.arrival[m] >= q.metrics.from) expiredCounted++;
    }
    if (expired > 0) this.expire(q, expiredCounted, expired);
    if (q.oldest >= 0) this.expiries.arm(q.index, msgs.arrival[q.oldest] + q.retention);
    this.dispatch(q);
    this.ensureTick(q);
    this.platform.maybeStop();
  }

  /** Free pollers take what they can; long polling returns as soon as a message is visible. */
  private dispatch(q: Queue): void {
    while (q.occupied < q.concurrency) {
      if (q.ledger !== null && this.sim.now < q.receiveBusyUntil) {
        if ((q.fifo ? q.ready.length > 0 : q.visible > 0) && !this.paced.isArmed(q.index)) this.paced.arm(q.index, q.receiveBusyUntil);
        return;
      }
      if (q.fifo) {
        if (q.ready.length === 0) return;
      } else {
        if (q.visible === 0) return;
        if (q.visible < q.batchSize && q.window > 0) {
          if (!this.windows.isArmed(q.index)) this.windows.arm(q.index, this.sim.now + q.window);
          return;
        }
        this.windows.cancel(q.index);
      }
      this.receive(q);
    }
  }

  /** The provisioned pollers' throughput is free again. */
  private onPaced(index: number): void {
    const q = this.queues[index];
    this.dispatch(q);
    this.ensureTick(q);
    this.platform.maybeStop();
  }

  private onWindow(index: number): void {
    const q = this.queues[index];
    if (q.occupied < q.concurrency && q.visible > 0) this.receive(q);
    this.dispatch(q);
    this.ensureTick(q);
    this.platform.maybeStop();
  }

  /** One poller receives a batch (messages past retention are deleted on the way) and invokes. */
  private receive(q: Queue): void {
    const now = this.sim.now;
    const msgs = this.messages;
    const limit = q.batchSize;
    let group = -1;
    if (q.fifo) {
      group = q.ready.shift();
      q.groupLocked[group] = 1;
    }
    let head = -1;
    let tail = -1;
    let size = 0;
    let poison = 0;
    let expired = 0;
    let expiredCounted = 0;
    let countedSize = 0;
    const from = q.metrics.from;
    while (size < limit) {
      let m: number;
      if (q.fifo) {
        m = q.groupHead[group];
        if (m < 0) break;
        q.groupHead[group] = msgs.next[m];
      } else {
        m = q.visibleHead;
        if (m < 0) break;
        q.visibleHead = msgs.next[m];
      }
      if (msgs.expired[m] === 1) {
        msgs.release(m);
        continue;
      }
      q.visible--;
      if (now - msgs.arrival[m] >= q.retention) {
        if (msgs.arrival[m] >= from) expiredCounted++;
        this.forget(q, m);
        expired++;
        continue;
      }
      msgs.held[m] = 1;
      msgs.next[m] = -1;
      if (tail >= 0) msgs.next[tail] = m;
      else head = m;
      tail = m;
      const receives = ++msgs.receives[m];
      if (receives > q.mostReceives) q.mostReceives = receives;
      poison += msgs.poison[m];
      if (msgs.arrival[m] >= from) countedSize++;
      size++;
    }
    if (q.fifo) {
      if (q.groupHead[group] < 0) q.groupTail[group] = -1;
    } else if (q.visibleHead < 0) {
      q.visibleTail = -1;
    }
    this.expire(q, expiredCounted, expired);
    if (size === 0) {
      if (q.fifo) q.groupLocked[group] = 0;
      return;
    }
    const b = this.batches;
    const slot = b.allocate();
    b.queue[slot] = q.index;
    b.head[slot] = head;
    b.tail[slot] = tail;
    b.size[slot] = size;
    b.poison[slot] = poison;
    b.group[slot] = group;
    b.receivedAt[slot] = now;
    q.stats.receives += countedSize;
    if (q.ledger !== null) q.receiveBusyUntil = Math.max(now, q.receiveBusyUntil) + (size * q.messageKb) / q.throughputKbPerSecond;
    if (++q.occupied > q.peakOccupied) q.peakOccupied = q.occupied;
    if (q.occupied > q.concurrency) q.startedAboveTarget = true;
    this.sampleAge(q);
    this.attempt(q, slot);
  }

  /** Invokes the batch's function; a throttled poller retries or lets the batch go invisible. */
  private attempt(q: Queue, slot: number): void {
    const b = this.batches;
    const now = this.sim.now;
    q.attempts++;
    const size = b.size[slot];
    // A batch belongs to the arrival of its first message (for the measured window).
    const first = this.messages.arrival[b.head[slot]];
    if (this.platform.tryInvoke(q.fn, this.id, slot, now, first, NaN, q.recordDuration * size, b.poison[slot] > 0 && !q.partial)) {
      if (++q.running > q.peakRunning) q.peakRunning = q.running;
      return;
    }
    q.failures++;
    const delay =
      b.retryDelay[slot] === 0 ? THROTTLE_RETRY_FIRST : Math.min(THROTTLE_RETRY_MAX, b.retryDelay[slot] * THROTTLE_RETRY_FACTOR);
    b.retryDelay[slot] = delay;
    const visibleAgain = b.receivedAt[slot] + q.visibilityTimeout;
    if (now + delay < visibleAgain) {
      this.sim.schedule(now + delay, this.RETRY, slot);
      return;
    }
    q.occupied--;
    this.hide(q, slot, visibleAgain);
  }

  private onRetry(slot: number): void {
    const q = this.queues[this.batches.queue[slot]];
    this.attempt(q, slot);
    this.dispatch(q);
    this.ensureTick(q);
    this.platform.maybeStop();
  }

  invocationEnded(_fn: number, slot: number, outcome: number): void {
    const b = this.batches;
    const q = this.queues[b.queue[slot]];
    q.running--;
    q.occupied--;
    if (outcome !== SUCCESS) {
      if (!q.partial) q.failures++;
      this.hide(q, slot, Math.max(b.receivedAt[slot] + q.visibilityTimeout, this.sim.now));
    } else if (b.poison[slot] > 0) {
      this.settleReportedFailures(q, slot);
    } else {
      this.deleteBatch(q, slot);
    }
    this.dispatch(q);
    this.ensureTick(q);
  }

  private deleteBatch(q: Queue, slot: number): void {
    const b = this.batches;
    const msgs = this.messages;
    let deleted = 0;
    let counted = 0;
    for (let m = b.head[slot]; m >= 0; ) {
      const next = msgs.next[m];
      if (msgs.expired[m] === 1) msgs.release(m);
      else {
        if (msgs.arrival[m] >= q.metrics.from) counted++;
        this.forget(q, m);
        deleted++;
      }
      m = next;
    }
    this.deleted(q, counted, deleted);
    if (q.fifo) this.unlock(q, b.group[slot]);
    b.release(slot);
  }

  /**
   * The handler succeeded and reported its poison messages as failed: the others are deleted,
   * the failed ones wait out the visibility timeout. A FIFO handler stops at its first failure.
   */
  private settleReportedFailures(q: Queue, slot: number): void {
    const b = this.batches;
    const msgs = this.messages;
    let head = -1;
    let tail = -1;
    let kept = 0;
    let deleted = 0;
    let counted = 0;
    let failing = false;
    for (let m = b.head[slot]; m >= 0; ) {
      const next = msgs.next[m];
      if (msgs.poison[m] === 1) failing = true;
      if (msgs.expired[m] === 1) msgs.release(m);
      else if (failing) {
        msgs.next[m] = -1;
        if (tail >= 0) msgs.next[tail] = m;
        else head = m;
        tail = m;
        kept++;
      } else {
        if (msgs.arrival[m] >= q.metrics.from) counted++;
        this.forget(q, m);
        deleted++;
      }
      if (!q.fifo) failing = false;
      m = next;
    }
    this.deleted(q, counted, deleted);
    b.head[slot] = head;
    b.tail[slot] = tail;
    b.size[slot] = kept;
    this.hide(q, slot, Math.max(b.receivedAt[slot] + q.visibilityTimeout, this.sim.now));
  }

  private hide(q: Queue, slot: number, returnAt: number): void {
    this.batches.returnAt[slot] = returnAt;
    q.invisible.insertSorted(slot, this.batches.returnAt);
    this.armReturn(q);
  }

  private armReturn(q: Queue): void {
    if (q.invisible.length === 0) return;
    const due = this.batches.returnAt[q.invisible.head];
    if (due < this.returns.dueAt(q.index)) this.returns.arm(q.index, due);
  }

  private onReturn(index: number): void {
    const q = this.queues[index];
    const now = this.sim.now;
    this.sampleAge(q);
    const returnAt = this.batches.returnAt;
    while (q.invisible.length > 0 && returnAt[q.invisible.head] <= now) this.reappear(q, q.invisible.shift());
    this.armReturn(q);
    this.dispatch(q);
    this.ensureTick(q);
    this.platform.maybeStop();
  }

  /** The batch's visibility timeout is over: each message expires, goes to the DLQ, or is visible again. */
  private reappear(q: Queue, slot: number): void {
    const b = this.batches;
    const msgs = this.messages;
    const now = this.sim.now;
    let head = -1;
    let tail = -1;
    let back = 0;
    let expired = 0;
    let deadLettered = 0;
    let expiredCounted = 0;
    let deadLetteredCounted = 0;
    const from = q.metrics.from;
    for (let m = b.head[slot]; m >= 0; ) {
      const next = msgs.next[m];
      const counted = msgs.arrival[m] >= from ? 1 : 0;
      if (msgs.expired[m] === 1) {
        msgs.release(m);
      } else if (now - msgs.arrival[m] >= q.retention) {
        this.forget(q, m);
        expired++;
        expiredCounted += counted;
      } else if (msgs.receives[m] >= q.maxReceiveCount) {
        this.forget(q, m);
        deadLettered++;
        deadLetteredCounted += counted;
      } else {
        msgs.held[m] = 0;
        msgs.next[m] = -1;
        if (tail >= 0) msgs.next[tail] = m;
        else head = m;
        tail = m;
        back++;
      }
      m = next;
    }
    this.expire(q, expiredCounted, expired);
    if (deadLettered > 0) {
      const metrics = q.metrics;
      metrics.deadLettered += deadLetteredCounted;
      q.stats.movedToDlq += deadLetteredCounted;
      metrics.queueChange(now, -deadLettered);
      metrics.lastRequestAt = now;
    }
    q.visible += back;
    if (q.fifo) {
      const g = b.group[slot];
      if (back > 0) {
        msgs.next[tail] = q.groupHead[g];
        if (q.groupHead[g] < 0) q.groupTail[g] = tail;
        q.groupHead[g] = head;
      }
      this.unlock(q, g);
    } else if (back > 0) {
      if (q.visibleTail >= 0) msgs.next[q.visibleTail] = head;
      else q.visibleHead = head;
      q.visibleTail = tail;
    }
    b.release(slot);
  }

  private unlock(q: Queue, group: number): void {
    q.groupLocked[group] = 0;
    if (q.groupHead[group] >= 0) q.ready.push(group);
  }

  /** Takes a message off the arrival-order list and frees it (deleted, expired or dead-lettered). */
  private forget(q: Queue, m: number): void {
    this.unlinkArrival(q, m);
    this.messages.release(m);
  }

  /** Takes a message off its queue's arrival-order list. */
  private unlinkArrival(q: Queue, m: number): void {
    const msgs = this.messages;
    const older = msgs.older[m];
    const newer = msgs.newer[m];
    if (older >= 0) msgs.newer[older] = newer;
    else q.oldest = newer;
    if (newer >= 0) msgs.older[newer] = older;
    else q.newest = older;
  }

  /** `count` messages were deleted, `counted` of them arrived in the measured window. */
  private deleted(q: Queue, counted: number, count: number): void {
    if (count === 0) return;
    q.metrics.succeeded += counted;
    q.stats.deleted += counted;
    q.metrics.queueChange(this.sim.now, -count);
  }

  /** `count` messages passed their retention, `counted` of them arrived in the measured window. */
  private expire(q: Queue, counted: number, count: number): void {
    if (count === 0) return;
    const metrics = q.metrics;
    metrics.dropped += counted;
    q.stats.expired += counted;
    metrics.queueChange(this.sim.now, -count);
    metrics.lastRequestAt = this.sim.now;
  }

  private sampleAge(q: Queue): void {
    if (q.oldest < 0) return;
    // ApproximateAgeOfOldestMessage is sampled over the measured window only.
    if (this.sim.now < q.metrics.from) return;
    const age = (this.sim.now - this.messages.arrival[q.oldest]) * 1000;
    if (age > q.stats.oldestMessageAgeMax) q.stats.oldestMessageAgeMax = age;
  }

  /**
   * The scaling tick runs only while the target can move, and never once the queue is done,
   * except that provisioned pollers above the minimum still scale down until the span ends
   * (they are billed until then).
   */
  private ensureTick(q: Queue): void {
    if (q.tickPending) return;
    if (this.finished(q) && (q.ledger === null || q.concurrency <= q.floor || this.sim.now >= this.platform.span)) return;
    if (q.concurrency > q.floor || (q.concurrency < q.cap && q.waiting)) {
      q.tickPending = true;
      this.sim.schedule(this.sim.now + q.tick, this.TICK, q.index);
    }
  }

  private onTick(index: number): void {
    const q = this.queues[index];
    q.tickPending = false;
    this.sampleAge(q);
    const backOff = q.failures > 0 && q.failures >= BACK_OFF_SHARE * q.attempts;
    q.attempts = 0;
    q.failures = 0;
    // A poller gathering a batching window is not idle.
    const holding = q.occupied + (this.windows.isArmed(q.index) ? 1 : 0);
    let target = q.concurrency;
    if (!backOff && q.waiting) target = Math.min(q.cap, target + q.step);
    else if ((backOff || holding < target) && (q.ledger === null || q.ledger.canRemove(this.sim.now)))
      target = Math.max(q.floor, wholePollers(q, holding), target - q.step);
    if (target !== q.concurrency) {
      q.metrics.pollersChange(this.sim.now, target - q.concurrency);
      if (q.ledger !== null) this.repoll(q, target);
      q.concurrency = target;
    }
    this.dispatch(q);
    this.ensureTick(q);
    this.platform.maybeStop();
  }

  /** Provisioned mode: the event pollers follow the new target, newest removed first. */
  private repoll(q: Queue, target: number): void {
    const ledger = q.ledger as PollerLedger;
    const change = (target - q.concurrency) / INVOKES_PER_POLLER;
    if (change > 0) ledger.add(this.sim.now, change);
    else ledger.remove(this.sim.now, -change);
    const live = livePollers(q.stats);
    if (live > q.stats.eventPollersMax) q.stats.eventPollersMax = live;
  }

  addPending(counts: number[], from: number): void {
    const msgs = this.messages;
    const countList = (head: number) => {
      let n = 0;
      // Messages the queue deleted at retention wait on their list only to be freed.
      for (let m = head; m >= 0; m = msgs.next[m]) if (msgs.expired[m] === 0 && msgs.arrival[m] >= from) n++;
      return n;
    };
    for (const q of this.queues) {
      if (q.fifo) for (let g = 0; g < q.groups; g++) counts[q.fn] += countList(q.groupHead[g]);
      else counts[q.fn] += countList(q.visibleHead);
    }
    const b = this.batches;
    for (let slot = 0; slot < b.capacity; slot++) {
      if (b.live[slot] === 1) counts[this.queues[b.queue[slot]].fn] += countList(b.head[slot]);
    }
  }

  checkInvariants(): void {
    for (const q of this.queues) {
      const name = `SQS mapping ${q.source.name}`;
      if (q.startedAboveTarget) throw new InvariantError(`${name}: a batch started with every one of its pollers already busy`);
      if (q.peakOccupied > q.cap) throw new InvariantError(`${name}: ${q.peakOccupied} batches at once, above its limit ${q.cap}`);
      if (q.peakRunning > q.maximumConcurrency) {
        throw new InvariantError(`${name}: ${q.peakRunning} invocations at once, above maximumConcurrency ${q.maximumConcurrency}`);
      }
      if (q.mostReceives > q.maxReceiveCount) {
        throw new InvariantError(`${name}: a message was received ${q.mostReceives} times, above maxReceiveCount ${q.maxReceiveCount}`);
      }
    }
  }

  statsOf(fn: number): SqsStats | null {
    const stats = this.stats[fn];
    // Pollers of every mapping feeding the function count together: the function's level, maximised over the window.
    if (stats !== null) stats.maxConcurrentPollers = this.platform.functions[fn].metrics.maxPollers;
    return stats;
  }

  close(): void {
    for (const q of this.queues) q.source.close();
  }
}

/** In provisioned mode, the batches `holding` rounded up to whole pollers' worth; as is otherwise. */
function wholePollers(q: Queue, holding: number): number {
  return q.ledger === null ? holding : Math.ceil(holding / INVOKES_PER_POLLER) * INVOKES_PER_POLLER;
}

/** Event pollers of a function's provisioned mappings, now. */
function livePollers(stats: SqsStats): number {
  return stats.pollerLedgers.reduce((sum, ledger) => sum + ledger.live, 0);
}
