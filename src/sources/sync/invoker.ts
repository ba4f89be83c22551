import type { Uniform } from "../../engine/rng.js";
import type { Simulation } from "../../engine/simulation.js";
import { SUCCESS } from "../../model/environments.js";
import { ArrivalPump } from "../../model/arrivalPump.js";
import type { LambdaPlatform } from "../../model/platform.js";
import type { Delivered, SourceInvoker } from "../eventSource.js";
import type { ClientRetry } from "./compile.js";

/** The AWS SDK's retry quota: a retry costs 5 tokens, a success without retry returns 1. */
const RETRY_COST = 5;

/**
 * Synchronous callers (RequestResponse): each arrival invokes at once; a throttle is the
 * client's to retry, with the SDK's standard full-jitter backoff and retry quota, or its 429.
 * An invocation's token is its source index times two, plus one when it is a retry (so a
 * success refunds the right amount to the quota) — no per-request allocation.
 */
export class SyncClients implements SourceInvoker<null> {
  private readonly id: number;
  private readonly clients: ClientRetry[];
  private readonly retryQuota: number[];
  private readonly retryDraws: Uniform[];
  private readonly arrivals: ArrivalPump;
  private pendingRetries = 0;

  // Requests waiting out a client-retry backoff, in reusable slots.
  private retryFn: number[] = [];
  private retryArrival: number[] = [];
  private retrySource: number[] = [];
  private retryDuration: number[] = [];
  private retryAttempt: number[] = [];
  private freeRetrySlots: number[] = [];

  private readonly RETRY: number;

  constructor(
    private readonly sim: Simulation,
    private readonly platform: LambdaPlatform,
    private readonly sources: readonly Delivered<ClientRetry>[],
  ) {
    this.id = platform.addInvoker(this, { requestRateLimited: true });
    this.clients = sources.map((s) => s.settings);
    this.retryQuota = this.clients.map((c) => c.retryQuota);
    this.retryDraws = sources.map((s) => sim.rng.stream(`client:${s.name}`));
    this.RETRY = sim.defineEvent((slot) => this.onRetry(slot));
    this.arrivals = new ArrivalPump(sim, sources, { arrive: (s, now) => this.onArrival(s, now), sourceDone: () => platform.maybeStop() });
  }

  get exhausted(): boolean {
    return this.arrivals.done && this.pendingRetries === 0;
  }

  private onArrival(s: number, now: number): void {
    const source = this.sources[s];
    const fn = source.functionIndex;
    const metrics = this.platform.functions[fn].metrics;
    metrics.arrival(now);
    this.attempt(fn, now, s, source.duration, 1);
  }

  private onRetry(slot: number): void {
    this.pendingRetries--;
    this.freeRetrySlots.push(slot);
    this.attempt(this.retryFn[slot], this.retryArrival[slot], this.retrySource[slot], this.retryDuration[slot], this.retryAttempt[slot]);
  }

  private attempt(fn: number, arrival: number, s: number, duration: number, attempt: number): void {
    const token = s * 2 + (attempt > 1 ? 1 : 0);
    if (this.platform.tryInvoke(fn, this.id, token, arrival, arrival, duration, 0, false)) return;
    this.throttled(fn, arrival, s, duration, attempt);
  }

  /**
   * The client's answer to a throttle: retry after a backoff, or give up. Out of attempt(), which
   * V8 inlines into every arrival, so that its bytecode does not spend the arrival's inlining budget.
   */
  private throttled(fn: number, arrival: number, s: number, duration: number, attempt: number): void {
    const metrics = this.platform.functions[fn].metrics;
    const counted = metrics.counts(arrival);
    const client = this.clients[s];
    if (client.retry === "sdk-standard" && attempt < client.maxAttempts && this.retryQuota[s] >= RETRY_COST) {
      this.retryQuota[s] -= RETRY_COST;
      if (counted) metrics.clientRetries++;
      // Full jitter: uniform in [0, min(cap, base x 2^(attempt-1))], throttling base delay.
      const ceiling = Math.min(client.maxBackoff, client.throttleBaseDelay * 2 ** (attempt - 1));
      const delay = this.retryDraws[s]() * ceiling;
      const slot = this.freeRetrySlots.length > 0 ? this.freeRetrySlots.pop()! : this.retryFn.length;
      this.retryFn[slot] = fn;
      this.retryArrival[slot] = arrival;
      this.retrySource[slot] = s;
      this.retryDuration[slot] = duration;
      this.retryAttempt[slot] = attempt + 1;
      this.pendingRetries++;
      this.sim.schedule(this.sim.now + delay, this.RETRY, slot);
      return;
    }
    if (counted) metrics.throttled++;
    metrics.lastRequestAt = this.sim.now;
    this.platform.maybeStop();
  }

  invocationEnded(fn: number, token: number, outcome: number, counted: boolean): void {
    const s = token >> 1;
    const metrics = this.platform.functions[fn].metrics;
    if (outcome === SUCCESS) {
      if (counted) metrics.succeeded++;
      const refund = (token & 1) === 1 ? RETRY_COST : 1;
      this.retryQuota[s] = Math.min(this.clients[s].retryQuota, this.retryQuota[s] + refund);
    } else if (counted) {
      metrics.failed++;
    }
  }

  addPending(counts: number[], from: number): void {
    this.platform.forEachRunning(this.id, (fn, _token, counted) => {
      if (counted) counts[fn]++;
    });
    const free = new Set(this.freeRetrySlots);
    this.retryFn.forEach((fn, slot) => {
      if (!free.has(slot) && this.retryArrival[slot] >= from) counts[fn]++;
    });
  }

  /** Synchronous calls have no measures beyond the function's own. */
  statsOf(): null {
    return null;
  }

  close(): void {
    for (const source of this.sources) source.close();
  }
}
