import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../common/inputError.js";
import { isFunctionName } from "../../common/names.js";
import { LatencyHistogram } from "../../metrics/histogram.js";
import { empiricalTable, fitSample, LogMoments, type SampleFit } from "./fit.js";
import { functionOfFileName, type InputFormat, type MetricSeries, readInput } from "./inputs.js";
import { type Observed, observedCost } from "./check.js";
import { problemAt, type ReportRecord, type Where } from "./records.js";
import { IntervalRuns } from "./runs.js";

/*
 * Calibration: every input streamed once into per-function, per-memory-size accumulators
 * (sketches, sums, one entry per log stream, interval runs on disk), then for each function one
 * pass over its intervals in start order that writes the trace, measures concurrency and reads the
 * keep-alive evidence. Nothing holds all records.
 */

/** Fewest REPORT records a function is calibrated from: the fits and the check need that many. */
export const MIN_RECORDS = 30;
/** A cold start is evidence of reclamation only when the most recently used idle environment had been idle this long (s): below it, the routing race around an environment that just finished explains a cold start as well. */
export const MIN_EVIDENCE_IDLE_SECONDS = 10;
/** Idle streams older than this (s) are forgotten in the keep-alive pass: no keep-alive measured on AWS comes near it. */
const FORGET_IDLE_SECONDS = 6 * 3600;
/** The keep-alive is estimated only when the bracket [longest warm gap, shortest cold gap) is at most this wide relative to its lower end. */
export const KEEP_ALIVE_BRACKET = 0.5;

export interface CalibrateOptions {
  inputs: readonly string[];
  function?: string;
  /** Width of a rate-profile step (s). */
  stepSeconds: number;
  /** A folder calibrate may fill with scratch files (interval runs, traces). */
  scratch: string;
}

class Span {
  invocations = 0;
  errors = 0;
  timeouts = 0;
  timeoutMaxMs = 0;
  coldStarts = 0;
  firstTime = Infinity;
  lastTime = -Infinity;
  /** Position of the span's last record among all records read: orders spans when records have no time. */
  lastSeq = 0;
  /** Where the span's first and last records are, for messages. */
  firstWhere: Where | undefined;
  lastWhere: Where | undefined;
  /** Streams whose first record (in file order) has no Init Duration: what untimed records say of prewarmed environments. */
  streamsFirstWarm = 0;
  minStart = Infinity;
  readonly duration = new LatencyHistogram();
  readonly durationLogs = new LogMoments();
  readonly init = new LatencyHistogram();
  readonly initLogs = new LogMoments();
  billedSum = 0;
  billedSumSq = 0;
  durationSumSq = 0;
  readonly streams = new Map<string, number>();
  readonly streamLast: number[] = [];
  outOfOrder = 0;
  firstOutOfOrder: Where | undefined;
  readonly runs: IntervalRuns;

  constructor(
    readonly memoryMb: number,
    scratch: string,
    prefix: string,
  ) {
    this.runs = new IntervalRuns(scratch, prefix);
  }

  add(record: ReportRecord, time: number | undefined, stream: string, where: Where, seq: number): void {
    this.invocations++;
    this.lastSeq = seq;
    this.firstWhere ??= where;
    this.lastWhere = where;
    if (record.status === "error") this.errors++;
    if (record.status === "timeout") {
      this.timeouts++;
      this.timeoutMaxMs = Math.max(this.timeoutMaxMs, record.durationMs);
    }
    this.duration.record(record.durationMs);
    this.durationLogs.add(record.durationMs);
    this.durationSumSq += record.durationMs ** 2;
    this.billedSum += record.billedMs;
    this.billedSumSq += record.billedMs ** 2;
    const init = record.initMs ?? 0;
    if (record.initMs !== undefined) {
      this.coldStarts++;
      this.init.record(record.initMs);
      this.initLogs.add(record.initMs);
    }
    let index = this.streams.get(stream);
    if (index === undefined) {
      index = this.streams.size;
      this.streams.set(stream, index);
      this.streamLast.push(-Infinity);
      if (record.initMs === undefined) this.streamsFirstWarm++;
    }
    // Without a timestamp there is no interval: the record counts for the distributions and rates only.
    if (time === undefined) return;
    if (time < this.streamLast[index]) {
      this.outOfOrder++;
      this.firstOutOfOrder ??= where;
    }
    this.streamLast[index] = Math.max(this.streamLast[index], time);
    const start = time - record.durationMs - init;
    this.firstTime = Math.min(this.firstTime, time);
    this.lastTime = Math.max(this.lastTime, time);
    this.minStart = Math.min(this.minStart, start);
    this.runs.add(start, time, index, record.initMs !== undefined);
  }
}

interface FunctionData {
  spans: Map<number, Span>;
  metrics: MetricSeries[];
}

export interface KeepAliveEvidence {
  status: "estimated" | "insufficient-evidence";
  seconds: number | null;
  /** null when the records have no timestamps. */
  longestWarmGapSeconds: number | null;
  shortestColdGapSeconds: number | null;
  warmGaps: number;
  coldStartsWithIdleEnvironment: number;
  evidence: string;
}

export interface FunctionCalibration {
  invocations: number;
  memoryMb: number;
  /** from/to are null when the records have no timestamps. */
  memorySpans: { memoryMb: number; from: string | null; to: string | null; invocations: number }[];
  timeoutSeconds: number | null;
  errorRate: number;
  timeoutRate: number;
  coldStarts: number;
  environments: number;
  /** Log streams whose first invocation in the window was warm: environments alive before it. */
  prewarmedEnvironments: number;
  duration: SampleFit;
  init: SampleFit | null;
  /** null when the records have no timestamps. */
  rate: { stepSeconds: number; steps: { atSeconds: number; perSecond: number }[] } | null;
  keepAlive: KeepAliveEvidence;
  metrics?: { Invocations?: number; Throttles?: number; ConcurrentExecutionsMax?: number; DurationMeanMs?: number };
}

/** What only timestamped records give a function: its arrivals over the window. */
export interface FunctionTimeline {
  /** Per minute of the window: invocations started, highest and mean concurrency. */
  perMinute: { invocations: number[]; peakConcurrency: number[]; meanConcurrency: number[] };
  observed: Observed;
  /** The trace written in the scratch folder: seconds since the window's start. */
  traceFile: string;
}

/** What a function's calibration keeps beside its JSON: for the scenario, the charts and the check. */
export interface FunctionDetail {
  name: string;
  calibration: FunctionCalibration;
  durationTable: number[];
  initTable: number[];
  durationSketch: LatencyHistogram;
  initSketch: LatencyHistogram;
  /** null when the records have no timestamps: no trace, rate profile, concurrency or check. */
  timeline: FunctionTimeline | null;
}

/** A calibration from timestamped records: what the scenarios and the check are written from. */
export type TimedCalibration = Omit<Calibration, "window" | "functions"> & {
  window: NonNullable<Calibration["window"]>;
  functions: (FunctionDetail & { timeline: FunctionTimeline })[];
};

export function isTimed(calibration: Calibration): calibration is TimedCalibration {
  return calibration.window !== null;
}

export interface Calibration {
  /** null when no record has a timestamp (bare REPORT lines): distributions and rates only. */
  window: { start: string; end: string; seconds: number } | null;
  startMs: number;
  inputs: { file: string; format: InputFormat; records: number }[];
  warnings: string[];
  functions: FunctionDetail[];
}

function functionNameFor(record: ReportRecord, fromFile: string, option: string | undefined, where: Where): string {
  const name = option ?? record.group ?? fromFile;
  if (!isFunctionName(name)) {
    throw problemAt(
      where,
      `the function's name, from the file name, would be ${JSON.stringify(String(name).slice(0, 40))}, which is not 1-64 letters, digits, hyphens or underscores; give --function NAME`,
    );
  }
  return name;
}

const iso = (ms: number): string => new Date(Math.round(ms)).toISOString();
const at = (where: Where): string => `${where.file}:${where.line}`;

interface TimedContext {
  pass: PassResult;
  startMs: number;
  endMs: number;
  windowSeconds: number;
  stepSeconds: number;
}

/** A function's figures from its chosen span; `timed` carries what the timestamps add (null without them). */
function functionDetail(name: string, span: Span, data: FunctionData, timed: TimedContext | null, warnings: string[]): FunctionDetail {
  const durationFit = fitSample(span.duration, span.durationLogs);
  const initFit = span.coldStarts > 0 ? fitSample(span.init, span.initLogs) : null;
  if (span.coldStarts > 0 && span.coldStarts < MIN_RECORDS) {
    warnings.push(
      `function ${name}: ${span.coldStarts} cold start(s) with Init Duration; fitting a family needs ${MIN_RECORDS}: the scenario's init is the ${span.coldStarts} value(s) as observed`,
    );
  }
  const n = span.invocations;
  const billedMean = span.billedSum / n;
  const billedCv = Math.sqrt(Math.max(0, span.billedSumSq / n - billedMean ** 2)) / billedMean;
  const durationCv = Math.sqrt(Math.max(0, span.durationSumSq / n - span.duration.mean ** 2)) / span.duration.mean;
  const billedGbSeconds = (span.billedSum * span.memoryMb) / 1024 / 1000;
  const metrics =
    timed === null ? metricSummary(data.metrics, -Infinity, Infinity) : metricSummary(data.metrics, timed.startMs, timed.endMs);
  if (metrics?.Throttles !== undefined && metrics.Throttles > 0) {
    warnings.push(
      `function ${name}: ${metrics.Throttles} throttled request(s) in the metrics; a throttled request writes no REPORT, so the trace replays only what ran`,
    );
  }
  const calibration: FunctionCalibration = {
    invocations: n,
    memoryMb: span.memoryMb,
    memorySpans: [...data.spans.values()]
      .sort((a, b) => a.firstTime - b.firstTime || a.lastSeq - b.lastSeq)
      .map((s) => ({
        memoryMb: s.memoryMb,
        from: timed === null ? null : iso(s.firstTime),
        to: timed === null ? null : iso(s.lastTime),
        invocations: s.invocations,
      })),
    // Lambda's timeout is set in whole seconds; a timed-out REPORT's Duration is that timeout (plus a few ms).
    timeoutSeconds: span.timeouts > 0 ? Math.max(1, Math.round(span.timeoutMaxMs / 1000)) : null,
    errorRate: span.errors / n,
    timeoutRate: span.timeouts / n,
    coldStarts: span.coldStarts,
    environments: span.streams.size,
    prewarmedEnvironments: timed === null ? span.streamsFirstWarm : timed.pass.prewarmed,
    duration: durationFit,
    init: initFit,
    rate: timed === null ? null : rateSteps(timed.pass.starts, timed.windowSeconds, timed.stepSeconds),
    keepAlive: timed === null ? UNTIMED_KEEP_ALIVE : timed.pass.keepAlive,
    ...(metrics === undefined ? {} : { metrics }),
  };
  let timeline: FunctionTimeline | null = null;
  if (timed !== null) {
    const { pass, windowSeconds } = timed;
    timeline = {
      perMinute: pass.perMinute,
      traceFile: pass.traceFile,
      observed: {
        invocations: n,
        coldStarts: span.coldStarts,
        environments: span.streams.size,
        peakConcurrency: pass.peak,
        meanConcurrency: pass.busyMs / 1000 / windowSeconds,
        billedGbSeconds,
        cost: observedCost(n, billedGbSeconds, "x86_64"),
        p50DurationMs: durationFit.p50Ms,
        p99DurationMs: durationFit.p99Ms,
        durationCv,
        billedCv,
        durationQuantile: (p) => span.duration.quantile(Math.min(1, Math.max(0, p))),
      },
    };
  }
  return {
    name,
    calibration,
    durationTable: empiricalTable(span.duration),
    initTable: span.coldStarts > 0 ? empiricalTable(span.init) : [],
    durationSketch: span.duration,
    initSketch: span.init,
    timeline,
  };
}

const UNTIMED_KEEP_ALIVE: KeepAliveEvidence = {
  status: "insufficient-evidence",
  seconds: null,
  longestWarmGapSeconds: null,
  shortestColdGapSeconds: null,
  warmGaps: 0,
  coldStartsWithIdleEnvironment: 0,
  evidence: "the records have no timestamps, so no idle gap between invocations can be measured",
};

export async function calibrate(options: CalibrateOptions): Promise<Calibration> {
  const functions = new Map<string, FunctionData>();
  const inputs: Calibration["inputs"] = [];
  const warnings: string[] = [];
  const dataOf = (name: string): FunctionData => {
    let data = functions.get(name);
    if (data === undefined) {
      data = { spans: new Map(), metrics: [] };
      functions.set(name, data);
    }
    return data;
  };
  let spanCount = 0;
  let seq = 0;
  // Whether records carry timestamps, decided by the first one: a mix would give a window that half the records lie outside.
  let firstRecord: { where: Where; timed: boolean } | undefined;
  const metricFiles: { file: string; series: MetricSeries; where: Where }[] = [];
  for (const file of options.inputs) {
    const fromFile = functionOfFileName(file);
    let lastName = "";
    let lastData: FunctionData | undefined;
    const result = await readInput(file, {
      report(record, where) {
        const hasTime = record.time !== undefined;
        firstRecord ??= { where, timed: hasTime };
        if (hasTime !== firstRecord.timed) {
          const first = at(firstRecord.where);
          throw problemAt(
            where,
            hasTime
              ? `a REPORT record with a timestamp, but the first one (${first}) has none: give either exports with timestamps or bare lines, not both`
              : `a REPORT record without a timestamp, but the first one (${first}) has one: give either exports with timestamps or bare lines, not both`,
          );
        }
        const name = record.group ?? options.function ?? fromFile;
        if (lastData === undefined || name !== lastName) {
          lastName = functionNameFor(record, fromFile, options.function, where);
          lastData = dataOf(lastName);
        }
        const data = lastData;
        let span = data.spans.get(record.memoryMb);
        if (span === undefined) {
          span = new Span(record.memoryMb, options.scratch, `runs-${spanCount++}`);
          data.spans.set(record.memoryMb, span);
        }
        span.add(record, record.time, record.stream ?? `file:${file}`, where, seq++);
      },
      metric(series, where) {
        metricFiles.push({ file, series, where });
      },
    });
    inputs.push({ file, format: result.format, records: result.records });
  }
  if (functions.size === 0) {
    throw new InputError([
      { path: options.inputs.join(", "), message: "no REPORT record in the inputs: calibrate needs the function's logs" },
    ]);
  }
  const timed = firstRecord?.timed ?? true;
  for (const { file, series } of metricFiles) {
    const name = options.function ?? (functions.size === 1 ? [...functions.keys()][0] : functionOfFileName(file));
    const data = functions.get(name);
    if (data === undefined) {
      throw new InputError([
        {
          path: file,
          message: `metrics for function ${JSON.stringify(name.slice(0, 64))}, which has no REPORT record in the inputs; give --function NAME`,
        },
      ]);
    }
    data.metrics.push(series);
  }

  const chosen: { name: string; span: Span; data: FunctionData }[] = [];
  for (const [name, data] of functions) {
    const spans = [...data.spans.values()].sort((a, b) => a.lastTime - b.lastTime || a.lastSeq - b.lastSeq);
    const span = spans[spans.length - 1];
    if (spans.length > 1) {
      const list = spans
        .map((s) => `${s.memoryMb} MB (${s.invocations} records${timed ? `, ${iso(s.firstTime)} to ${iso(s.lastTime)}` : ""})`)
        .join(", ");
      warnings.push(
        `${at(span.firstWhere!)}: function ${name}: REPORT records of ${spans.length} memory sizes, ${list}: a deployment changed the memory; calibrated the latest span${timed ? "" : " (the last in the order read)"}, ${span.memoryMb} MB, from its first record here`,
      );
    }
    if (span.invocations < MIN_RECORDS) {
      throw new InputError([
        {
          path: at(span.firstWhere!),
          message: `function ${name}: ${span.invocations} REPORT record(s)${spans.length > 1 ? ` at ${span.memoryMb} MB` : ""}, the first here, the last at ${at(span.lastWhere!)}; calibrating needs at least ${MIN_RECORDS}`,
        },
      ]);
    }
    if (span.outOfOrder > 0) {
      warnings.push(
        `${at(span.firstOutOfOrder!)}: function ${name}: ${span.outOfOrder} REPORT record(s) earlier than the one before them in the same log stream (clock skew or a merged export); they were sorted by start time`,
      );
    }
    chosen.push({ name, span, data });
  }
  if (!timed) {
    warnings.push(
      "no REPORT record has a timestamp (bare lines, as copied from the console): calibrated the memory, the duration and init distributions, cold starts, environments (one per file) and the error and timeout rates; no trace, rate profile, keep-alive, concurrency or scenario, which need when each invocation ran, and no --check. Export the lines with their timestamps (aws logs tail, filter-log-events or a Logs Insights CSV) for those",
    );
    return {
      window: null,
      startMs: 0,
      inputs,
      warnings,
      functions: chosen.map((c) => functionDetail(c.name, c.span, c.data, null, warnings)),
    };
  }
  const startMs = Math.floor(Math.min(...chosen.map((c) => c.span.minStart)));
  const endMs = Math.max(...chosen.map((c) => c.span.lastTime));
  const windowSeconds = Math.max(0.001, (endMs - startMs) / 1000);

  const details = chosen.map(({ name, span, data }) => {
    const pass = intervalPass(span, startMs, windowSeconds, options, name);
    return functionDetail(name, span, data, { pass, startMs, endMs, windowSeconds, stepSeconds: options.stepSeconds }, warnings);
  });
  return { window: { start: iso(startMs), end: iso(endMs), seconds: windowSeconds }, startMs, inputs, warnings, functions: details };
}

function metricSummary(series: MetricSeries[], startMs: number, endMs: number): FunctionCalibration["metrics"] | undefined {
  if (series.length === 0) return undefined;
  const summary: NonNullable<FunctionCalibration["metrics"]> = {};
  const inWindow = (s: MetricSeries) => s.values.filter((_, i) => s.timestamps[i] >= startMs - 60_000 && s.timestamps[i] <= endMs);
  for (const s of series) {
    const values = inWindow(s);
    if (s.metric === "Invocations") summary.Invocations = (summary.Invocations ?? 0) + values.reduce((a, b) => a + b, 0);
    if (s.metric === "Throttles") summary.Throttles = (summary.Throttles ?? 0) + values.reduce((a, b) => a + b, 0);
    if (s.metric === "ConcurrentExecutions") summary.ConcurrentExecutionsMax = Math.max(summary.ConcurrentExecutionsMax ?? 0, ...values);
    if (s.metric === "Duration" && values.length > 0) summary.DurationMeanMs = values.reduce((a, b) => a + b, 0) / values.length;
  }
  return summary;
}

function rateSteps(starts: number[], windowSeconds: number, stepSeconds: number): FunctionCalibration["rate"] {
  const steps = starts.map((count, i) => {
    const length = Math.min(stepSeconds, windowSeconds - i * stepSeconds);
    return { atSeconds: i * stepSeconds, perSecond: length > 0 ? count / length : 0 };
  });
  return { stepSeconds, steps };
}

/** A binary min-heap of numbers (the ends of running invocations). */
class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  get top(): number {
    return this.items[0];
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/** A trace file written in blocks, so that millions of lines cost one write per 64 KB. */
class TraceWriter {
  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;
  constructor(path: string) {
    this.fd = openSync(path, "w");
    this.line("seconds");
  }
  line(text: string): void {
    this.pending.push(text);
    this.size += text.length + 1;
    if (this.size >= 1 << 16) this.flush();
  }
  private flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, `${this.pending.join("\n")}\n`);
    this.pending = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

interface PassResult {
  traceFile: string;
  starts: number[];
  peak: number;
  busyMs: number;
  prewarmed: number;
  perMinute: FunctionTimeline["perMinute"];
  keepAlive: KeepAliveEvidence;
}

/**
 * The pass over one function's intervals in start order: the trace, concurrency (a heap of the
 * running invocations' ends), per-step and per-minute counts, and the keep-alive evidence. At an
 * invocation of a stream seen before, the idle gap since that stream's last end is a gap the
 * environment survived (keep-alive ≥ gap). At a cold start while other environments sat idle, the
 * most recently used of them (the one Lambda would have routed to) had been idle for a gap it did
 * not survive (keep-alive < gap).
 */
function intervalPass(span: Span, startMs: number, windowSeconds: number, options: CalibrateOptions, name: string): PassResult {
  const traceFile = join(options.scratch, `${name}.trace.csv`);
  const trace = new TraceWriter(traceFile);
  const minutes = Math.max(1, Math.ceil(windowSeconds / 60));
  const perMinute = {
    invocations: new Array<number>(minutes).fill(0),
    peakConcurrency: new Array<number>(minutes).fill(0),
    meanConcurrency: new Array<number>(minutes).fill(0),
  };
  const starts = new Array<number>(Math.max(1, Math.ceil(windowSeconds / options.stepSeconds))).fill(0);
  const running = new MinHeap();
  const lastEnd = new Map<number, number>();
  // Streams met so far (lastEnd forgets long-idle ones): a stream's first invocation is counted once.
  const seen = new Set<number>();
  let peak = 0;
  let busyMs = 0;
  let longestWarm = 0;
  let warmGaps = 0;
  let shortestCold = Infinity;
  let coldEvidence = 0;
  let prewarmed = 0;
  try {
    for (const interval of span.runs.sorted()) {
      const t = interval.start;
      const offset = Math.max(0, (t - startMs) / 1000);
      trace.line(offset.toFixed(3));
      const minute = Math.min(minutes - 1, Math.floor(offset / 60));
      perMinute.invocations[minute]++;
      starts[Math.min(starts.length - 1, Math.floor(offset / options.stepSeconds))]++;
      while (running.size > 0 && running.top <= t) running.pop();
      running.push(interval.end);
      peak = Math.max(peak, running.size);
      perMinute.peakConcurrency[minute] = Math.max(perMinute.peakConcurrency[minute], running.size);
      busyMs += interval.end - interval.start;
      for (let m = minute; m < minutes; m++) {
        const from = Math.max(interval.start, startMs + m * 60_000);
        const to = Math.min(interval.end, startMs + (m + 1) * 60_000);
        if (to <= from) break;
        perMinute.meanConcurrency[m] += (to - from) / 60_000;
        if (m > minute) perMinute.peakConcurrency[m] = Math.max(perMinute.peakConcurrency[m], 1);
      }
      const previous = lastEnd.get(interval.stream);
      if (previous === undefined && !interval.cold && !seen.has(interval.stream)) prewarmed++;
      seen.add(interval.stream);
      if (previous !== undefined && !interval.cold) {
        warmGaps++;
        longestWarm = Math.max(longestWarm, (t - previous) / 1000);
      } else if (interval.cold && previous === undefined) {
        let mostRecentIdle = -Infinity;
        for (const [stream, end] of lastEnd) {
          if ((t - end) / 1000 > FORGET_IDLE_SECONDS) lastEnd.delete(stream);
          else if (end <= t && end > mostRecentIdle) mostRecentIdle = end;
        }
        const idle = (t - mostRecentIdle) / 1000;
        if (Number.isFinite(idle) && idle >= MIN_EVIDENCE_IDLE_SECONDS) {
          coldEvidence++;
          shortestCold = Math.min(shortestCold, idle);
        }
      }
      lastEnd.set(interval.stream, Math.max(previous ?? -Infinity, interval.end));
    }
  } finally {
    trace.close();
  }
  return {
    traceFile,
    starts,
    peak,
    busyMs,
    prewarmed,
    perMinute,
    keepAlive: keepAliveVerdict(longestWarm, warmGaps, shortestCold, coldEvidence),
  };
}

function keepAliveVerdict(longestWarm: number, warmGaps: number, shortestCold: number, coldEvidence: number): KeepAliveEvidence {
  const base = {
    longestWarmGapSeconds: longestWarm,
    shortestColdGapSeconds: Number.isFinite(shortestCold) ? shortestCold : null,
    warmGaps,
    coldStartsWithIdleEnvironment: coldEvidence,
  };
  const seconds = (x: number) => `${x.toFixed(1)} s`;
  if (coldEvidence === 0) {
    return {
      ...base,
      status: "insufficient-evidence",
      seconds: null,
      evidence: `no cold start while an environment had been idle ${MIN_EVIDENCE_IDLE_SECONDS} s or more, so nothing bounds the keep-alive from above; environments survived idle gaps up to ${seconds(longestWarm)} (${warmGaps} warm invocations)`,
    };
  }
  if (shortestCold <= longestWarm) {
    return {
      ...base,
      status: "insufficient-evidence",
      seconds: null,
      evidence: `contradictory: an environment survived an idle gap of ${seconds(longestWarm)}, yet a cold start came while one had been idle only ${seconds(shortestCold)} (environments are also recycled, or requests not routed to the most recently used one)`,
    };
  }
  if (shortestCold - longestWarm > KEEP_ALIVE_BRACKET * Math.max(longestWarm, MIN_EVIDENCE_IDLE_SECONDS)) {
    return {
      ...base,
      status: "insufficient-evidence",
      seconds: null,
      evidence: `the keep-alive lies between ${seconds(longestWarm)} (longest idle gap survived, of ${warmGaps}) and ${seconds(shortestCold)} (shortest idle gap before a cold start, of ${coldEvidence}), too wide a bracket to estimate from`,
    };
  }
  const estimate = Math.round((longestWarm + shortestCold) / 2);
  return {
    ...base,
    status: "estimated",
    seconds: estimate,
    evidence: `environments survived idle gaps up to ${seconds(longestWarm)} (${warmGaps} warm invocations) and a cold start came while one had been idle ${seconds(shortestCold)} (${coldEvidence} such cold starts): keep-alive ≈ ${estimate} s, the middle of that bracket`,
  };
}
