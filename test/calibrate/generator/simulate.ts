/**
 * The known truth and its simulation: one Lambda function's log events, in time order, in bounded
 * memory (a heap of the lines not yet due, about three per invocation in flight).
 *
 * The truth's rules, chosen to be AWS's documented behaviour (and what lambdasim models, so --check
 * can pass on them): arrivals are Poisson with a piecewise-constant rate; one request per
 * environment at a time; a free environment is reused most-recently-used first; an environment idle
 * longer than the keep-alive is gone; a new environment is a new log stream whose first REPORT has an
 * Init Duration; after a timeout the environment is reset, so its next REPORT (same stream) has an
 * Init Duration again; an error keeps the environment.
 */
import { Xoshiro128 } from "./prng.js";
import { type Lognormal, lognormalParams } from "./stats.js";

export interface RateSegment {
  seconds: number;
  perSecond: number;
}

export interface Truth {
  functionName: string;
  seed: number;
  /** Epoch milliseconds of the window's start. */
  startMs: number;
  /** Piecewise-constant Poisson rate, one segment after another; the window is their total length. */
  segments: RateSegment[];
  /** Repeat the segments until this many invocations (for the bench); otherwise the window ends with the last segment. */
  invocations?: number;
  memoryMb: number;
  duration: Lognormal;
  init: Lognormal;
  keepAliveSeconds: number;
  timeoutSeconds: number;
  errorRate: number;
  timeoutRate: number;
}

export type LogEvent =
  | { kind: "initStart"; ts: number; stream: string; requestId: string }
  | { kind: "start"; ts: number; stream: string; requestId: string }
  | { kind: "app"; ts: number; stream: string; requestId: string }
  | { kind: "end"; ts: number; stream: string; requestId: string }
  | { kind: "report"; ts: number; stream: string; requestId: string; report: Report };

export interface Report {
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  /** Present on the first invocation of an environment (and the first after a reset). */
  initDurationMs?: number;
  status: "success" | "error" | "timeout";
}

/** What the simulation actually produced, to compare fits with (beside the laws it drew from). */
export interface Realized {
  invocations: number;
  coldStarts: number;
  environments: number;
  errors: number;
  timeouts: number;
  /** Invocations whose REPORT has no Status (the duration law's own draws). */
  successes: number;
  windowStartMs: number;
  windowEndMs: number;
  /** Arrivals per truth segment (in order; repeated segments counted again). */
  segmentArrivals: number[];
  /** Longest idle gap after which an environment was used again (seconds). */
  longestReuseGapSeconds: number;
  /** Shortest time from an expired environment's last invocation to a later cold start (seconds); null if none expired. */
  shortestColdGapSeconds: number | null;
  peakConcurrency: number;
  /** Sum over invocations of (end − arrival), init included, in ms. */
  busyMs: number;
  /** Σ memory GB × billed seconds. */
  billedGbSeconds: number;
}

interface Env {
  stream: string;
  lastEndMs: number;
  needsInit: boolean;
}

interface Pending {
  ts: number;
  seq: number;
  event: LogEvent;
}

/** Min-heap of lines not yet due, by time then by the order they were produced. */
class EventHeap {
  private readonly items: Pending[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Pending | undefined {
    return this.items[0];
  }
  push(item: Pending): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }
  pop(): Pending | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(x: Pending, y: Pending): boolean {
  return x.ts < y.ts || (x.ts === y.ts && x.seq < y.seq);
}

/** Busy environments by the time they become free. */
class BusyHeap {
  private readonly items: { endMs: number; env: Env }[] = [];
  get size(): number {
    return this.items.length;
  }
  peekEnd(): number {
    return this.items.length > 0 ? this.items[0].endMs : Number.POSITIVE_INFINITY;
  }
  push(endMs: number, env: Env): void {
    const a = this.items;
    a.push({ endMs, env });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].endMs <= a[i].endMs) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Env {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].endMs < a[m].endMs) m = l;
        if (r < a.length && a[r].endMs < a[m].endMs) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top.env;
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** `YYYY/MM/DD/[$LATEST]<32 hex>`, the shape of a Lambda log stream name. */
function streamName(rng: Xoshiro128, atMs: number): string {
  const d = new Date(atMs);
  const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
  return `${day}/[$LATEST]${rng.hex32()}`;
}

/**
 * Simulates the truth, yielding its log events in time order (ties in the order produced). `realized`
 * is filled in as it goes and complete when the iteration ends.
 */
export function* simulate(truth: Truth, realized: Realized = emptyRealized()): Generator<LogEvent, Realized> {
  // Separate streams so that, e.g., changing the error rate does not move the arrival times.
  const arrivalRng = new Xoshiro128(truth.seed);
  const durationRng = new Xoshiro128(truth.seed ^ 0x5bd1e995);
  const initRng = new Xoshiro128(truth.seed ^ 0x1b873593);
  const outcomeRng = new Xoshiro128(truth.seed ^ 0x2545f491);
  const idRng = new Xoshiro128(truth.seed ^ 0x68e31da4);
  const duration = lognormalParams(truth.duration);
  const init = lognormalParams(truth.init);
  const keepAliveMs = truth.keepAliveSeconds * 1000;
  const timeoutMs = truth.timeoutSeconds * 1000;
  const gb = truth.memoryMb / 1024;
  // The memory an invocation reports: a fixed share of the size plus a little noise, whole MB.
  const memoryBase = Math.max(30, Math.round(truth.memoryMb * 0.3));

  const pending = new EventHeap();
  const busy = new BusyHeap();
  // Idle environments, oldest last use first (they are released in end order, so this stays sorted).
  let idle: Env[] = [];
  let idleHead = 0;
  let latestExpiredEndMs: number | undefined;
  let seq = 0;
  const emit = (event: LogEvent): void => pending.push({ ts: event.ts, seq: seq++, event });

  Object.assign(realized, emptyRealized(), { windowStartMs: truth.startMs, windowEndMs: truth.startMs });
  const limit = truth.invocations ?? Number.POSITIVE_INFINITY;
  if (truth.segments.length === 0 || !truth.segments.some((s) => s.perSecond > 0 && s.seconds > 0)) {
    throw new RangeError("truth.segments: at least one segment with a positive rate and length is needed");
  }
  let segmentStartMs = truth.startMs;
  let segmentIndex = 0;
  let lastSegmentEndMs = truth.startMs;

  while (realized.invocations < limit) {
    const segment = truth.segments[segmentIndex % truth.segments.length];
    const segmentEndMs = segmentStartMs + segment.seconds * 1000;
    realized.segmentArrivals.push(0);
    let t = segmentStartMs;
    while (realized.invocations < limit && segment.perSecond > 0) {
      t += arrivalRng.exponential(segment.perSecond / 1000);
      if (t >= segmentEndMs) break;
      // Everything due before this arrival is final: later arrivals only add later lines.
      while (pending.size > 0 && (pending.peek()?.ts ?? 0) < t) {
        const next = pending.pop();
        if (next) yield next.event;
      }
      while (busy.peekEnd() <= t) {
        const env = busy.pop();
        idle.push(env);
      }
      while (idleHead < idle.length && t - idle[idleHead].lastEndMs > keepAliveMs) {
        latestExpiredEndMs = Math.max(latestExpiredEndMs ?? 0, idle[idleHead].lastEndMs);
        idleHead++;
      }
      if (idleHead > 1024 && idleHead * 2 > idle.length) {
        idle = idle.slice(idleHead);
        idleHead = 0;
      }

      let env: Env;
      if (idle.length > idleHead) {
        env = idle.pop() as Env;
        realized.longestReuseGapSeconds = Math.max(realized.longestReuseGapSeconds, (t - env.lastEndMs) / 1000);
      } else {
        env = { stream: streamName(idRng, t), lastEndMs: t, needsInit: true };
        realized.environments++;
        if (latestExpiredEndMs !== undefined) {
          const gap = (t - latestExpiredEndMs) / 1000;
          realized.shortestColdGapSeconds = Math.min(realized.shortestColdGapSeconds ?? gap, gap);
        }
      }

      const requestId = idRng.uuid();
      let initMs: number | undefined;
      if (env.needsInit) {
        initMs = round2(initRng.lognormal(init.mu, init.sigma));
        emit({ kind: "initStart", ts: Math.floor(t), stream: env.stream, requestId });
        env.needsInit = false;
        realized.coldStarts++;
      }
      const u = outcomeRng.uniform();
      let status: Report["status"] = u < truth.errorRate ? "error" : u < truth.errorRate + truth.timeoutRate ? "timeout" : "success";
      let durationMs = round2(durationRng.lognormal(duration.mu, duration.sigma));
      if (status === "timeout" || durationMs >= timeoutMs) {
        status = "timeout";
        durationMs = timeoutMs;
        env.needsInit = true;
      }
      const handlerStartMs = t + (initMs ?? 0);
      const endMs = handlerStartMs + durationMs;
      const billedDurationMs = Math.ceil(durationMs + (initMs ?? 0));
      const report: Report = {
        durationMs,
        billedDurationMs,
        memorySizeMb: truth.memoryMb,
        maxMemoryUsedMb: Math.min(truth.memoryMb, memoryBase + (outcomeRng.nextUint32() % 16)),
        status,
      };
      if (initMs !== undefined) report.initDurationMs = initMs;
      emit({ kind: "start", ts: Math.floor(handlerStartMs), stream: env.stream, requestId });
      emit({ kind: "app", ts: Math.floor(handlerStartMs + durationMs / 2), stream: env.stream, requestId });
      emit({ kind: "end", ts: Math.floor(endMs), stream: env.stream, requestId });
      emit({ kind: "report", ts: Math.floor(endMs), stream: env.stream, requestId, report });

      env.lastEndMs = endMs;
      busy.push(endMs, env);
      realized.invocations++;
      realized.segmentArrivals[realized.segmentArrivals.length - 1]++;
      if (status === "error") realized.errors++;
      else if (status === "timeout") realized.timeouts++;
      else realized.successes++;
      realized.peakConcurrency = Math.max(realized.peakConcurrency, busy.size);
      realized.busyMs += endMs - t;
      realized.billedGbSeconds += (gb * billedDurationMs) / 1000;
      realized.windowEndMs = Math.max(realized.windowEndMs, endMs);
    }
    lastSegmentEndMs = segmentEndMs;
    segmentStartMs = segmentEndMs;
    segmentIndex++;
    if (truth.invocations === undefined && segmentIndex >= truth.segments.length) break;
  }
  realized.windowEndMs = Math.max(realized.windowEndMs, lastSegmentEndMs);
  for (let next = pending.pop(); next; next = pending.pop()) yield next.event;
  return realized;
}

export function emptyRealized(): Realized {
  return {
    invocations: 0,
    coldStarts: 0,
    environments: 0,
    errors: 0,
    timeouts: 0,
    successes: 0,
    windowStartMs: 0,
    windowEndMs: 0,
    segmentArrivals: [],
    longestReuseGapSeconds: 0,
    shortestColdGapSeconds: null,
    peakConcurrency: 0,
    busyMs: 0,
    billedGbSeconds: 0,
  };
}

/** Runs the simulation through without writing anything, for its realized figures. */
export function realize(truth: Truth): Realized {
  const realized = emptyRealized();
  for (const _ of simulate(truth, realized));
  return realized;
}
