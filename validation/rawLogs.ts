import { columnIndex, numberField, parseCsv } from "./csv.js";

/*
 * The per-request logs (raw/res-01-*.csv) of 11 of the 20 AWS experiments: what the simulator's
 * inputs are fitted from, and how the study turned them into the figures of experiments.csv.
 * Pure functions: text in, numbers out.
 */

/** One logged request; times in seconds (client clock, epoch). */
export interface RawRequest {
  isCold: boolean;
  instId: string;
  clientStart: number;
  clientEnd: number;
  /** Client-side response time (s): includes the network round trip. */
  clientElapsed: number;
}

/** Parses a raw log, keeping the file's row order (the study's chunking depends on it). */
export function parseRawLog(text: string): RawRequest[] {
  const table = parseCsv(text);
  const cold = columnIndex(table, "is_cold");
  const inst = columnIndex(table, "inst_id");
  const start = columnIndex(table, "client_start_time");
  const end = columnIndex(table, "client_end_time");
  const elapsed = columnIndex(table, "client_elapsed_time");
  return table.rows.map((fields, i) => {
    const flag = fields[cold].trim();
    if (flag !== "True" && flag !== "False")
      throw new Error(`raw log row ${i + 1}: is_cold must be True or False, got ${JSON.stringify(flag)}`);
    return {
      isCold: flag === "True",
      instId: fields[inst],
      clientStart: numberField(fields[start], `raw log row ${i + 1} client_start_time`),
      clientEnd: numberField(fields[end], `raw log row ${i + 1} client_end_time`),
      clientElapsed: numberField(fields[elapsed], `raw log row ${i + 1} client_elapsed_time`),
    };
  });
}

/** Which experiment each raw log belongs to, by the date in its file name (data README). */
export const RAW_LOG_EXPERIMENTS: Readonly<Record<string, string>> = Object.freeze({
  "2020-04-24": "experiment_0",
  "2020-05-17": "experiment_10",
  "2020-05-23": "experiment_11",
  "2020-05-26": "experiment_12",
  "2020-05-28": "experiment_13",
  "2020-06-04": "experiment_14",
  "2020-06-06": "experiment_15",
  "2020-06-09": "experiment_16",
  "2020-06-10": "experiment_17",
  "2020-06-18": "experiment_18",
  "2020-06-13": "experiment_19",
});

/** The experiment a raw log file name (res-01-YYYY-MM-DD_hh-mm-ss.csv) belongs to, if known. */
export function rawLogExperiment(fileName: string): string | undefined {
  const match = /res-01-(\d{4}-\d{2}-\d{2})_/.exec(fileName);
  return match ? RAW_LOG_EXPERIMENTS[match[1]] : undefined;
}

/** The standard normal's 99th percentile. */
const Z99 = 2.3263478740408408;

function quantile(sorted: readonly number[], q: number): number {
  // Linear interpolation between order statistics (type 7, numpy's default).
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface HandlerSpreadFit {
  /** Log-space standard deviation of the lognormal handler time. */
  sigma: number;
  /** The plain moment estimate, for comparison (inflated by a few multi-second outliers). */
  sigmaMoment: number;
  samples: number;
  logs: number;
}

/**
 * Fits the spread of the warm handler time: the logarithms of client_elapsed_time of every warm
 * request, centred on each log's own mean (experiments differ slightly in level, which the model
 * takes from ServiceTimeWarm), pooled; sigma = (p99 - p1) / (2 z99) of the pooled values: the
 * lognormal whose central 98 % matches the data's. Robust to the rare multi-second outliers (a single
 * 11.9 s request in the 2020-05-26 log noticeably raises the moment estimate).
 */
export function fitHandlerSpread(logs: readonly (readonly RawRequest[])[]): HandlerSpreadFit {
  const centred: number[] = [];
  for (const log of logs) {
    const values = log.filter((r) => !r.isCold && r.clientElapsed > 0).map((r) => Math.log(r.clientElapsed));
    if (values.length === 0) continue;
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    for (const v of values) centred.push(v - mean);
  }
  if (centred.length < 2) throw new Error("no warm requests to fit the handler spread from");
  const sorted = [...centred].sort((a, b) => a - b);
  const sigma = (quantile(sorted, 0.99) - quantile(sorted, 0.01)) / (2 * Z99);
  const sigmaMoment = Math.sqrt(centred.reduce((s, v) => s + v * v, 0) / centred.length);
  return { sigma, sigmaMoment, samples: centred.length, logs: logs.length };
}

/** The figures of experiments.csv, recomputed from a raw log the way the study computed them. */
export interface StudyFigures {
  arrivalRate: number;
  serviceTimeWarmMs: number;
  serviceTimeColdMs: number;
  coldStartProbability: number;
  coldStartProbabilitySE: number;
  averageInstanceCount: number;
  averageRunningInstances: number;
  /**
   * AverageInstanceCount with the 10-minute tail of each environment that was evidently
   * reclaimed before 10 idle minutes (a cold start came while it sat idle) cut at that cold start:
   * the part of the measured count that is inference, not an environment that existed.
   */
  averageInstanceCountWithoutLingering: number;
}

const COLD_BLOCKS = 10;

/**
 * Recomputes the study's figures (pacslab/serverless-performance-modeling, exp_parser.py and
 * 02-overall-plots.py): see AWS_2020_PROTOCOL in awsExperiments.ts for the definitions.
 */
export function studyFigures(log: readonly RawRequest[], idleMinutesBeforeKill = 10): StudyFigures {
  if (log.length < COLD_BLOCKS * 2) throw new Error(`a raw log needs at least ${COLD_BLOCKS * 2} requests, got ${log.length}`);
  const keep = idleMinutesBeforeKill * 60;
  const starts = log.map((r) => r.clientStart);
  const first = Math.min(...starts);
  const span = Math.max(...starts) - first;
  const steady = log.filter((r) => r.clientStart > first + span / 4);
  const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  const warm = steady.filter((r) => !r.isCold).map((r) => r.clientElapsed * 1000);
  const cold = steady.filter((r) => r.isCold).map((r) => r.clientElapsed * 1000);

  // P(cold): 10 blocks of equal request count, the last row of each left out (an off-by-one in
  // the original slicing, kept), the first quarter of each block's time span dropped.
  const step = Math.floor(log.length / COLD_BLOCKS);
  const blockProbabilities: number[] = [];
  for (let b = 0; b < COLD_BLOCKS; b++) {
    const block = log.slice(b * step, (b + 1) * step - 1);
    const blockStarts = block.map((r) => r.clientStart);
    const t0 = Math.min(...blockStarts);
    const quarter = (Math.max(...blockStarts) - t0) / 4;
    const kept = block.filter((r) => r.clientStart > t0 + quarter);
    blockProbabilities.push(kept.filter((r) => r.isCold).length / kept.length);
  }
  const pCold = mean(blockProbabilities);
  const pSe = Math.sqrt(mean(blockProbabilities.map((p) => (p - pCold) ** 2)) / COLD_BLOCKS);

  // Environments: from the first request's client start to the last one's client end + 10 min.
  const envs = new Map<string, { start: number; end: number }>();
  for (const r of log) {
    const e = envs.get(r.instId);
    if (e) {
      e.start = Math.min(e.start, r.clientStart);
      e.end = Math.max(e.end, r.clientEnd);
    } else {
      envs.set(r.instId, { start: r.clientStart, end: r.clientEnd });
    }
  }
  // Evidence of early reclaim: a cold start while the environment sat idle within keep-alive.
  const coldStarts = log
    .filter((r) => r.isCold)
    .map((r) => r.clientStart)
    .sort((a, b) => a - b);
  const tailEnd = new Map<string, number>();
  for (const [id, e] of envs) {
    const next = coldStarts.find((t) => t > e.end);
    tailEnd.set(id, next !== undefined && next < e.end + keep ? next : e.end + keep);
  }
  // Sample every 60 s from the first to the last steady-state request start, less the last sample.
  const steadyStarts = steady.map((r) => r.clientStart);
  const g0 = Math.min(...steadyStarts);
  const samples = Math.floor((Math.max(...steadyStarts) - g0) / 60);
  let instances = 0;
  let instancesCut = 0;
  for (let k = 0; k < samples; k++) {
    const t = g0 + 60 * k;
    for (const [id, e] of envs) {
      if (e.start < t && t < e.end + keep) instances++;
      if (e.start < t && t < tailEnd.get(id)!) instancesCut++;
    }
  }
  const running = new Array<Set<string>>(samples);
  for (const r of log) {
    // Samples strictly inside (clientStart, clientEnd).
    const from = Math.max(0, Math.floor((r.clientStart - g0) / 60) + 1);
    for (let k = from; k < samples && g0 + 60 * k < r.clientEnd; k++) {
      if (g0 + 60 * k > r.clientStart) (running[k] ??= new Set()).add(r.instId);
    }
  }
  const runningTotal = running.reduce((s, set) => s + (set ? set.size : 0), 0);
  return {
    arrivalRate: log.length / span,
    serviceTimeWarmMs: mean(warm),
    serviceTimeColdMs: cold.length > 0 ? mean(cold) : NaN,
    coldStartProbability: pCold,
    coldStartProbabilitySE: pSe,
    averageInstanceCount: instances / samples,
    averageRunningInstances: runningTotal / samples,
    averageInstanceCountWithoutLingering: instancesCut / samples,
  };
}

/** How environments lived and were reused in one raw log. */
export interface LifecycleFacts {
  requests: number;
  hours: number;
  environments: number;
  /** Warm requests that went to the most recently used idle environment, of those with a choice. */
  mruShare: number;
  /** Longest idle time (s) after which an environment still served a warm request. */
  longestWarmIdle: number;
  /** The same among idle times up to `keepAlive` + 60 s (leaves out the rare long-idle reuses). */
  longestUsualWarmIdle: number;
  /** Warm requests served after more than `keepAlive` + 60 s idle. */
  warmAfterLongIdle: number;
  /** At each cold start after the first, how long (s) the most recently used environment had been idle; ascending. */
  idleAtColdStarts: number[];
  /** Environments evidently reclaimed before `keepAlive` idle: a cold start came while they sat idle. */
  reclaimedEarly: number;
  /** First-to-last-request spans (s) of those environments, ascending. */
  reclaimedSpans: number[];
}

/**
 * Facts about environment lifecycles, read from the log's client times (which include a ~0.1 s
 * round trip, negligible at these time scales).
 */
export function lifecycleFacts(log: readonly RawRequest[], keepAlive = 600): LifecycleFacts {
  const ordered = [...log].sort((a, b) => a.clientStart - b.clientStart);
  const lastEnd = new Map<string, number>();
  const firstStart = new Map<string, number>();
  let mruChoices = 0;
  let mruHits = 0;
  let longestWarmIdle = 0;
  let longestUsualWarmIdle = 0;
  let warmAfterLongIdle = 0;
  const idleAtColdStarts: number[] = [];
  for (const r of ordered) {
    if (!firstStart.has(r.instId)) firstStart.set(r.instId, r.clientStart);
    // Environments idle at this arrival: their last request has ended.
    let newestIdle: string | undefined;
    let newestEnd = -Infinity;
    let idleCount = 0;
    for (const [id, end] of lastEnd) {
      if (end < r.clientStart && r.clientStart - end < keepAlive) {
        idleCount++;
        if (end > newestEnd) {
          newestEnd = end;
          newestIdle = id;
        }
      }
    }
    const previous = lastEnd.get(r.instId);
    if (!r.isCold && previous !== undefined && previous < r.clientStart) {
      const idle = r.clientStart - previous;
      longestWarmIdle = Math.max(longestWarmIdle, idle);
      if (idle > keepAlive + 60) warmAfterLongIdle++;
      else longestUsualWarmIdle = Math.max(longestUsualWarmIdle, idle);
      if (idleCount > 1 && r.clientStart - previous < keepAlive) {
        mruChoices++;
        if (newestIdle === r.instId) mruHits++;
      }
    }
    if (r.isCold) {
      let newest = -Infinity;
      for (const end of lastEnd.values()) if (end < r.clientStart) newest = Math.max(newest, end);
      if (newest > -Infinity) idleAtColdStarts.push(r.clientStart - newest);
    }
    lastEnd.set(r.instId, Math.max(previous ?? -Infinity, r.clientEnd));
  }
  const coldStarts = ordered.filter((r) => r.isCold).map((r) => r.clientStart);
  const lastArrival = ordered[ordered.length - 1].clientStart;
  const reclaimedSpans: number[] = [];
  for (const [id, end] of lastEnd) {
    if (end > lastArrival - keepAlive) continue;
    const next = coldStarts.find((t) => t > end);
    if (next !== undefined && next - end < keepAlive - 10) reclaimedSpans.push(end - firstStart.get(id)!);
  }
  reclaimedSpans.sort((a, b) => a - b);
  return {
    requests: log.length,
    hours: (lastArrival - ordered[0].clientStart) / 3600,
    environments: lastEnd.size,
    mruShare: mruChoices > 0 ? mruHits / mruChoices : NaN,
    longestWarmIdle,
    longestUsualWarmIdle,
    warmAfterLongIdle,
    idleAtColdStarts: idleAtColdStarts.sort((a, b) => a - b),
    reclaimedEarly: reclaimedSpans.length,
    reclaimedSpans,
  };
}

/**
 * One current-status observation of an idle environment: at an arrival, the most recently used
 * environment that was idle and not yet known to be gone (the one MRU reuse would pick) had been
 * idle `idle` seconds; it was either still there (it served the request warm) or gone (a cold
 * start came, or the request went elsewhere and the environment never served again).
 */
export interface IdleProbe {
  idle: number;
  alive: boolean;
  /** Time since the environment's first request (s). */
  age: number;
  /**
   * Whether the function had a request in flight at the arrival. If not, the probed environment
   * (the most recently used one) finished the function's last request: the function had been
   * quiet for `idle`.
   */
  active: boolean;
}

/**
 * The current-status observations of idle environments in one raw log (client times). Requests
 * that went to another environment while the most recently used one was still there (MRU is
 * followed >99.5 % of the time, not always) are left out.
 */
export function idleProbes(log: readonly RawRequest[]): IdleProbe[] {
  const ordered = [...log].sort((a, b) => a.clientStart - b.clientStart);
  const lastUse = new Map<string, number>();
  for (const r of ordered) lastUse.set(r.instId, r.clientStart);
  const lastEnd = new Map<string, number>();
  const firstStart = new Map<string, number>();
  const gone = new Set<string>();
  const probes: IdleProbe[] = [];
  for (const r of ordered) {
    const t = r.clientStart;
    let active = false;
    let newest: string | undefined;
    let newestEnd = -Infinity;
    for (const [id, end] of lastEnd) {
      if (end >= t) active = true;
      else if (!gone.has(id) && end > newestEnd) {
        newestEnd = end;
        newest = id;
      }
    }
    if (newest !== undefined) {
      const probe = { idle: t - newestEnd, age: t - firstStart.get(newest)!, active };
      if (!r.isCold && r.instId === newest) probes.push({ ...probe, alive: true });
      else if (lastUse.get(newest)! <= t) {
        probes.push({ ...probe, alive: false });
        gone.add(newest);
      }
      if (r.isCold) {
        // No idle environment was left: every idle one that never serves again is gone.
        for (const [id, end] of lastEnd) if (end < t && lastUse.get(id)! <= t) gone.add(id);
      }
    }
    gone.delete(r.instId);
    lastEnd.set(r.instId, Math.max(lastEnd.get(r.instId) ?? -Infinity, r.clientEnd));
    if (!firstStart.has(r.instId)) firstStart.set(r.instId, t);
  }
  return probes;
}

/** A sharp idle limit fitted to current-status observations, with a constant background hazard. */
export interface IdleLimitFit {
  /** Maximum-likelihood limits (s): every value in [low, high] fits equally well. */
  low: number;
  high: number;
  /** The midpoint of [low, high], rounded to 10 s. */
  estimate: number;
  /** Background hazard (per idle second) at the estimate: environments gone early, for any reason. */
  background: number;
  /** Observations used, and those with idle > 500 s (the ones that locate the limit). */
  probes: number;
  longIdleProbes: number;
}

const HAZARDS = Array.from({ length: 61 }, (_, k) => 1e-6 * 10 ** (k / 24)); // 1e-6 .. ~3.2e-4 per s
const CLIP = 1e-12;

/**
 * Maximum likelihood for "an environment idle longer than L is gone; before that it is gone with
 * probability 1 - exp(-h x idle)": L on a 1 s grid over [from, to], h on a log grid.
 */
export function fitIdleLimit(probes: readonly IdleProbe[], from: number, to: number): IdleLimitFit {
  const logs = (alive: boolean, idle: number, h: number) => {
    const s = Math.min(Math.max(Math.exp(-h * idle), CLIP), 1 - CLIP);
    return alive ? Math.log(s) : Math.log(1 - s);
  };
  const short = probes.filter((p) => p.idle <= from);
  const long = probes.filter((p) => p.idle > from).sort((a, b) => a.idle - b.idle);
  let best = Infinity;
  const scores: { limit: number; nll: number; h: number }[] = [];
  const base = HAZARDS.map((h) => short.reduce((sum, p) => sum - logs(p.alive, Math.max(p.idle, 1e-3), h), 0));
  for (let limit = from; limit <= to; limit++) {
    let bestHere = Infinity;
    let bestH = HAZARDS[0];
    HAZARDS.forEach((h, k) => {
      let nll = base[k];
      for (const p of long) {
        if (p.idle <= limit) nll -= logs(p.alive, p.idle, h);
        else nll -= p.alive ? Math.log(CLIP) : Math.log(1 - CLIP);
      }
      if (nll < bestHere) {
        bestHere = nll;
        bestH = h;
      }
    });
    scores.push({ limit, nll: bestHere, h: bestH });
    best = Math.min(best, bestHere);
  }
  const flat = scores.filter((s) => s.nll <= best + 1e-9);
  const low = flat[0].limit;
  const high = flat[flat.length - 1].limit;
  const estimate = Math.round((low + high) / 20) * 10;
  const at = scores.reduce((a, b) => (Math.abs(b.limit - estimate) < Math.abs(a.limit - estimate) ? b : a));
  return { low, high, estimate, background: at.h, probes: probes.length, longIdleProbes: long.length };
}

/** What the raw logs say about idle reclaim (see IdleProbe), for the activity-dependent model. */
export interface IdleReclaimFit {
  /** Environments of a quiet function (nothing in flight): the function-level keep-alive. */
  quiet: IdleLimitFit;
  /** Idle environments of an active function: the per-environment limit while it is active. */
  active: IdleLimitFit;
  /** Probe counts by idle time: [upper bound of the bin (s), quiet alive, quiet gone, active alive, active gone]. */
  table: [number, number, number, number, number][];
}

/** Environments older than this are left out: from ~1.5 h on, recycling at ~2 h confounds reclaim. */
export const PROBE_MAX_AGE = 1.5 * 3600;

export function fitIdleReclaim(logs: readonly (readonly RawRequest[])[]): IdleReclaimFit {
  const probes = logs.flatMap((log) => idleProbes(log)).filter((p) => p.age < PROBE_MAX_AGE);
  const quiet = probes.filter((p) => !p.active);
  const active = probes.filter((p) => p.active);
  const bins = [300, 600, 630, 660, 900, 1200, 1500, 1800, Infinity];
  const table = bins.map((upper, i) => {
    const lower = i === 0 ? 0 : bins[i - 1];
    const inBin = (p: IdleProbe) => p.idle > lower && p.idle <= upper;
    const count = (list: IdleProbe[], alive: boolean) => list.filter((p) => inBin(p) && p.alive === alive).length;
    return [upper, count(quiet, true), count(quiet, false), count(active, true), count(active, false)] as [
      number,
      number,
      number,
      number,
      number,
    ];
  });
  return { quiet: fitIdleLimit(quiet, 500, 900), active: fitIdleLimit(active, 600, 2400), table };
}

/** The raw log's counterpart of LifecycleFigures: environment ids, and first-to-last-request spans. */
export function logLifecycles(log: readonly RawRequest[]): { environments: number; meanSpan: number; hours: number } {
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const r of log) {
    first.set(r.instId, Math.min(first.get(r.instId) ?? Infinity, r.clientStart));
    last.set(r.instId, Math.max(last.get(r.instId) ?? -Infinity, r.clientEnd));
    t0 = Math.min(t0, r.clientStart);
    t1 = Math.max(t1, r.clientStart);
  }
  let spans = 0;
  for (const [id, start] of first) spans += last.get(id)! - start;
  return { environments: first.size, meanSpan: spans / first.size, hours: (t1 - t0) / 3600 };
}
