import type { Uniform } from "../../engine/rng.js";
import type { Simulation } from "../../engine/simulation.js";
import { COL, type FunctionMetrics } from "../../metrics/functionMetrics.js";
import { AsyncStats } from "./stats.js";
import { SUCCESS } from "../../model/environments.js";
import { InvariantError } from "../../model/invariants.js";
import { ArrivalPump } from "../../model/arrivalPump.js";
import type { LambdaPlatform } from "../../model/platform.js";
import type { Delivered, SourceInvoker } from "../eventSource.js";
import type { AsyncSettings } from "./compile.js";
import { grown } from "../../common/typedArrays.js";

/** Token of a duplicate delivery: its outcome changes nothing, so it needs to name no event. */
const DUPLICATE = -1;

/**
 * Asynchronous invocation (InvocationType Event): each event is accepted at once (202) onto the
 * function's internal queue, and the service invokes it, retrying function errors after
 * retryDelays and throttles with exponential backoff, until it succeeds or runs out of retries or
 * age; then it goes to the failure destination or is dropped.
 *
 * Each live event (queued, waiting out a delay, or running) is a slot in parallel typed arrays
 * with a free list, and its slot index is its tryInvoke token; a waiting event has exactly one
 * scheduled engine event. Rules where AWS documents no detail:
 * - The throttle backoff counts consecutive throttles: every invocation that starts resets it, so
 *   a retry after a function error that is throttled backs off from backoffInitial again.
 *   Throttles never use up maximumRetryAttempts.
 * - An event may be invoked while its age is at most maximumEventAge. A retry or backoff that
 *   would land later is not scheduled; the event runs out at its exact expiry (enqueuedAt +
 *   maximumEventAge) instead, or at once if a long invocation already took it past that.
 * - asyncStats.retries counts retry invocations that start; a retry lost to the age limit is not
 *   one. throttleRequeues counts every throttle of an event (it goes back to the queue each time).
 * - A duplicate delivery (probability duplicateProbability per event, decided on acceptance) is
 *   one extra invocation asked for right after the event's first invocation that starts; it
 *   counts in asyncStats.duplicates even if it is throttled. It is not an arrival and its outcome
 *   is ignored: if it is throttled or fails it is simply lost, which is harmless because the
 *   original delivery carries the event's outcome.
 * - AsyncEventAge is recorded for every invocation that starts (a duplicate's included), never
 *   for a throttled attempt.
 * - Reserved concurrency 0: the event goes straight to its failure destination (or is dropped)
 *   on arrival, with no invocation attempt and no Throttle counted.
 */
export class AsyncQueue implements SourceInvoker<AsyncStats> {
  private readonly id: number;
  private readonly settings: AsyncSettings[];
  /** Per function: its measures, for the functions an async source feeds. */
  private readonly stats: (AsyncStats | null)[];
  /** Per source; null when duplicateProbability is 0, so no draw is taken. */
  private readonly duplicateDraws: (Uniform | null)[];
  /** Per function: reserved concurrency 0, so nothing can ever be invoked. */
  private readonly blocked: Uint8Array;
  /** Per source: the most invocations for function errors any of its events has started. */
  private readonly mostAttempts: Int32Array;
  private readonly arrivals: ArrivalPump;
  private live = 0;

  // Event slots.
  private fn = new Int32Array(0);
  private source = new Int32Array(0);
  private enqueuedAt = new Float64Array(0);
  /** Handler time the arrival carried (NaN: draw one per invocation). */
  private duration = new Float64Array(0);
  /** Retries after function errors used so far. */
  private retries = new Uint8Array(0);
  /** Consecutive throttles since the last invocation started. */
  private throttles = new Int32Array(0);
  /** A duplicate delivery is still owed at the next invocation that starts. */
  private duplicate = new Uint8Array(0);
  private inUse = new Uint8Array(0);
  private freeSlots = new Int32Array(0);
  private freeCount = 0;
  private used = 0;

  private readonly ATTEMPT: number;
  private readonly EXPIRE: number;

  constructor(
    private readonly sim: Simulation,
    private readonly platform: LambdaPlatform,
    private readonly sources: readonly Delivered<AsyncSettings>[],
  ) {
    this.id = platform.addInvoker(this, { requestRateLimited: false });
    this.settings = sources.map((s) => s.settings);
    this.duplicateDraws = sources.map((s, i) =>
      this.settings[i].duplicateProbability > 0 ? sim.rng.stream(`async-duplicates:${s.name}`) : null,
    );
    this.blocked = Uint8Array.from(platform.functions, (f) => (f.spec.reservedConcurrency === 0 ? 1 : 0));
    this.mostAttempts = new Int32Array(sources.length);
    this.grow(256);
    this.ATTEMPT = sim.defineEvent((slot) => this.attempt(slot));
    this.EXPIRE = sim.defineEvent((slot) => this.runOut(slot));
    this.stats = platform.functions.map(() => null);
    for (const source of sources) this.stats[source.functionIndex] ??= new AsyncStats();
    this.arrivals = new ArrivalPump(sim, sources, { arrive: (s, now) => this.onArrival(s, now), sourceDone: () => platform.maybeStop() });
  }

  get exhausted(): boolean {
    return this.arrivals.done && this.live === 0;
  }

  private onArrival(s: number, now: number): void {
    const source = this.sources[s];
    const fn = source.functionIndex;
    const metrics = this.platform.functions[fn].metrics;
    metrics.arrival(now);
    metrics.queueChange(now, 1);
    const counted = metrics.counts(now);
    if (counted) this.stats[fn]!.received++;
    if (this.blocked[fn] === 1) {
      this.giveUp(fn, s, metrics, counted);
    } else {
      const slot = this.allocate();
      this.fn[slot] = fn;
      this.source[slot] = s;
      this.enqueuedAt[slot] = now;
      this.duration[slot] = source.duration;
      this.retries[slot] = 0;
      this.throttles[slot] = 0;
      const draw = this.duplicateDraws[s];
      this.duplicate[slot] = draw !== null && draw() < this.settings[s].duplicateProbability ? 1 : 0;
      this.attempt(slot);
    }
  }

  /** Invokes the event now; it is within its age limit by construction (see waitFor). */
  private attempt(slot: number): void {
    const now = this.sim.now;
    const fn = this.fn[slot];
    const platform = this.platform;
    const enqueuedAt = this.enqueuedAt[slot];
    if (!platform.tryInvoke(fn, this.id, slot, now, enqueuedAt, this.duration[slot], 0, false)) {
      this.throttled(slot);
      return;
    }
    const metrics = platform.functions[fn].metrics;
    const counted = metrics.counts(enqueuedAt);
    const stats = this.stats[fn]!;
    const age = (now - enqueuedAt) * 1000;
    this.noteEventAge(stats, metrics, now, age, counted);
    if (counted) metrics.extraBilledRequests += this.settings[this.source[slot]].extraRequests;
    this.throttles[slot] = 0;
    const retries = this.retries[slot];
    if (retries > 0 && counted) stats.retries++;
    const s = this.source[slot];
    if (retries + 1 > this.mostAttempts[s]) this.mostAttempts[s] = retries + 1;
    if (this.duplicate[slot] === 1) {
      this.duplicate[slot] = 0;
      if (counted) stats.duplicates++;
      if (platform.tryInvoke(fn, this.id, DUPLICATE, now, enqueuedAt, this.duration[slot], 0, false)) {
        this.noteEventAge(stats, metrics, now, age, counted);
        if (counted) metrics.extraBilledRequests += this.settings[s].extraRequests;
      }
    }
  }

  /** AsyncEventAge of an event invoked now (ms); `counted`: whether the event arrived in the measured window. */
  private noteEventAge(stats: AsyncStats, metrics: FunctionMetrics, now: number, ageMs: number, counted: boolean): void {
    if (counted) stats.eventAge.record(ageMs);
    metrics.raiseMax(now, COL.AsyncEventAgeMax, ageMs);
  }

  private throttled(slot: number): void {
    const settings = this.settings[this.source[slot]];
    const n = ++this.throttles[slot];
    const fn = this.fn[slot];
    if (this.platform.functions[fn].metrics.counts(this.enqueuedAt[slot])) this.stats[fn]!.throttleRequeues++;
    this.waitFor(slot, Math.min(settings.backoffMax, settings.backoffInitial * settings.backoffFactor ** (n - 1)));
  }

  /** Schedules the event's next attempt `delay` from now, or its end at expiry if that is sooner. */
  private waitFor(slot: number, delay: number): void {
    const now = this.sim.now;
    const expiry = this.enqueuedAt[slot] + this.settings[this.source[slot]].maximumEventAge;
    const at = now + delay;
    if (at <= expiry) this.sim.schedule(at, this.ATTEMPT, slot);
    else if (expiry > now) this.sim.schedule(expiry, this.EXPIRE, slot);
    else this.runOut(slot);
  }

  invocationEnded(fn: number, token: number, outcome: number, counted: boolean): void {
    if (token === DUPLICATE) return;
    const slot = token;
    const metrics = this.platform.functions[fn].metrics;
    if (outcome === SUCCESS) {
      if (counted) metrics.succeeded++;
      metrics.queueChange(this.sim.now, -1);
      this.release(slot);
      return;
    }
    const used = this.retries[slot];
    const settings = this.settings[this.source[slot]];
    if (used < settings.maximumRetryAttempts) {
      this.retries[slot] = used + 1;
      this.waitFor(slot, settings.retryDelays[used]);
    } else {
      this.runOut(slot);
    }
  }

  private runOut(slot: number): void {
    const fn = this.fn[slot];
    const s = this.source[slot];
    const metrics = this.platform.functions[fn].metrics;
    const counted = metrics.counts(this.enqueuedAt[slot]);
    this.release(slot);
    this.giveUp(fn, s, metrics, counted);
  }

  /** The event leaves without succeeding: to the failure destination, or dropped. */
  private giveUp(fn: number, s: number, metrics: FunctionMetrics, counted: boolean): void {
    const now = this.sim.now;
    const stats = this.stats[fn]!;
    if (counted) {
      // AWS counts AsyncEventsDropped for events sent to a destination too.
      stats.dropped++;
      if (this.settings[s].onFailure === "dlq") {
        metrics.deadLettered++;
        stats.deadLettered++;
      } else {
        metrics.dropped++;
      }
    }
    metrics.queueChange(now, -1);
    metrics.lastRequestAt = now;
    this.platform.maybeStop();
  }

  private allocate(): number {
    if (this.freeCount === 0) {
      if (this.used === this.fn.length) this.grow(this.fn.length * 2);
      this.freeSlots[this.freeCount++] = this.used++;
    }
    const slot = this.freeSlots[--this.freeCount];
    this.inUse[slot] = 1;
    this.live++;
    return slot;
  }

  private release(slot: number): void {
    this.inUse[slot] = 0;
    this.freeSlots[this.freeCount++] = slot;
    this.live--;
  }

  private grow(capacity: number): void {
    this.fn = grown(this.fn, capacity);
    this.source = grown(this.source, capacity);
    this.enqueuedAt = grown(this.enqueuedAt, capacity);
    this.duration = grown(this.duration, capacity);
    this.retries = grown(this.retries, capacity);
    this.throttles = grown(this.throttles, capacity);
    this.duplicate = grown(this.duplicate, capacity);
    this.inUse = grown(this.inUse, capacity);
    this.freeSlots = grown(this.freeSlots, capacity);
  }

  addPending(counts: number[], from: number): void {
    for (let slot = 0; slot < this.used; slot++) if (this.inUse[slot] === 1 && this.enqueuedAt[slot] >= from) counts[this.fn[slot]]++;
  }

  checkInvariants(): void {
    this.sources.forEach((source, s) => {
      const limit = 1 + this.settings[s].maximumRetryAttempts;
      if (this.mostAttempts[s] > limit) {
        throw new InvariantError(
          `async source ${source.name}: an event was invoked ${this.mostAttempts[s]} times for function errors, above 1 + maximumRetryAttempts = ${limit}`,
        );
      }
    });
    let inUse = 0;
    for (let slot = 0; slot < this.used; slot++) inUse += this.inUse[slot];
    if (inUse !== this.live) throw new InvariantError(`async queue: ${inUse} event slots in use but ${this.live} live events counted`);
  }

  statsOf(fn: number): AsyncStats | null {
    return this.stats[fn];
  }

  close(): void {
    for (const source of this.sources) source.close();
  }
}
