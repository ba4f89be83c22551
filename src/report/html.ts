/*
 * report.html: one self-contained page (inline CSS and SVG, no script, no external resource), so it
 * can be mailed, archived with a run or opened offline. A pure function of the results: no date,
 * no random ids, so the same scenario and seed give the same bytes.
 */
import type { SeriesColumn, SparseMinuteSeries } from "../metrics/timeSeries.js";
import type { ProvisionedStep } from "../model/types.js";
import type { SimulationResult } from "../simulate.js";
import { cdfPoints } from "./cdf.js";
import { buildSummary, type FunctionSummary, type Summary } from "./summary.js";
import { escapeXml, formatNumber, lineChart, PALETTE, scatterChart, stackedBarChart, type LimitLine, type Series } from "./svg.js";

/**
 * Charts with one line or bar per function draw at most this many (the ones with the most
 * arrivals; the rest are summed into one cost bar): more lines are unreadable, and a trace of
 * hundreds of functions would make the file huge. The tables list every function.
 */
const MAX_DRAWN_FUNCTIONS = 10;

/**
 * Per-minute series are reduced to at most this many points per line (a two-week trace has 20,160
 * minutes), in buckets of a round number of minutes.
 */
const MAX_POINTS = 600;
const BUCKET_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];

// Per-function concurrency charts use fixed colours: each chart shows one function.
const PEAK_COLOR = PALETTE[0];
const PROVISIONED_COLOR = PALETTE[2];
const FUNCTION_LIMIT_COLOR = PALETTE[3];
const ACCOUNT_LIMIT_COLOR = "#555555";
const COST_PARTS = [
  { key: "requestUsd", label: "requests", color: PALETTE[0] },
  { key: "computeUsd", label: "compute (on-demand duration)", color: PALETTE[1] },
  { key: "provisionedUsd", label: "provisioned concurrency", color: PALETTE[2] },
  { key: "ephemeralStorageUsd", label: "ephemeral storage", color: PALETTE[4] },
] as const;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:24px;margin:0 0 8px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px}
.meta{color:#444}.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px;font-variant-numeric:tabular-nums}
th,td{padding:3px 7px;border-bottom:1px solid #ddd;text-align:left}td{white-space:nowrap}th{background:#f4f4f4;vertical-align:bottom}
.n{text-align:right}tr.total td{font-weight:600;border-top:2px solid #999}
figure{margin:16px 0}svg{max-width:100%;height:auto;background:#fff}
svg text{font:12px sans-serif;fill:#222}svg .chart-title{font-size:15px;font-weight:600}svg .chart-note{fill:#555}
svg .axis line{stroke:#444}svg .axis .grid{stroke:#e4e4e4}svg .axis-label{font-size:13px}
footer{margin:32px 0;color:#666;font-size:12px}
`;

function page(title: string, body: string[]): string {
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function figure(kind: string, svg: string): string {
  return `<figure data-chart="${kind}">${svg}</figure>`;
}

interface Column {
  head: string;
  numeric?: boolean;
}

/** A table; cells are already-escaped HTML. The optional total row is set in bold. */
function table(columns: Column[], rows: string[][], total?: string[]): string {
  const cell = (tag: "th" | "td", html: string, i: number) => `<${tag}${columns[i].numeric ? ' class="n"' : ""}>${html}</${tag}>`;
  const line = (cells: string[], tag: "th" | "td", cls = "") => `<tr${cls}>${cells.map((html, i) => cell(tag, html, i)).join("")}</tr>`;
  return [
    '<div class="scroll"><table>',
    `<thead>${line(
      columns.map((c) => escapeXml(c.head)),
      "th",
    )}</thead>`,
    "<tbody>",
    ...rows.map((r) => line(r, "td")),
    ...(total ? [line(total, "td", ' class="total"')] : []),
    "</tbody></table></div>",
  ].join("\n");
}

const count = (value: number) => formatNumber(value);
const ms = (value: number) => formatNumber(value, 1);
const usd = (value: number) => `$${formatNumber(value, value >= 100 ? 2 : 6)}`;
const percent = (part: number, whole: number) => (whole > 0 ? `${formatNumber((100 * part) / whole, 2)} %` : "–");

function seconds(value: number): string {
  if (value < 120) return `${formatNumber(value, 1)} s`;
  if (value < 7200) return `${formatNumber(value / 60, 1)} min`;
  if (value < 172_800) return `${formatNumber(value / 3600, 2)} h`;
  return `${formatNumber(value / 86_400, 2)} days`;
}

/** A unit for times and ages, picked from the largest value so the axis reads in small numbers. */
function durationUnit(maxMs: number): { label: string; ms: number } {
  if (maxMs < 10_000) return { label: "ms", ms: 1 };
  if (maxMs < 600_000) return { label: "s", ms: 1000 };
  if (maxMs < 36_000_000) return { label: "min", ms: 60_000 };
  return { label: "h", ms: 3_600_000 };
}

// ----- Per-minute series, reduced for drawing -----

/** How each drawn column is reduced over a bucket: peaks and counts keep the busiest minute. */
const REDUCTION = {
  ConcurrentExecutionsMax: "max",
  ConcurrentExecutionsMean: "mean",
  ColdStarts: "max",
  Throttles: "max",
  IteratorAgeMax: "max",
  AsyncEventAgeMax: "max",
  QueueDepthMax: "max",
  PollersMax: "max",
} as const;
type DrawnColumn = keyof typeof REDUCTION;
const DRAWN_COLUMNS = Object.keys(REDUCTION) as DrawnColumn[];

/**
 * A minute without a stored row had no event (see SparseMinuteSeries): its counts and ages are 0
 * and its levels are the previous row's end levels, exactly as timeseries.csv fills it.
 */
const QUIET_MINUTE_LEVEL: Record<DrawnColumn, SeriesColumn | null> = {
  ConcurrentExecutionsMax: "ConcurrentExecutionsEnd",
  ConcurrentExecutionsMean: "ConcurrentExecutionsEnd",
  ColdStarts: null,
  Throttles: null,
  IteratorAgeMax: null,
  AsyncEventAgeMax: null,
  QueueDepthMax: "QueueDepthEnd",
  PollersMax: "PollersEnd",
};

/** One function's column minute by minute into `out` (one entry per minute of the run). */
export function denseColumn(series: SparseMinuteSeries, column: DrawnColumn, out: Float64Array): void {
  out.fill(0);
  const levelColumn = QUIET_MINUTE_LEVEL[column];
  let level = 0;
  let next = 0;
  for (let row = 0; row < series.rows; row++) {
    const minute = series.minutes[row];
    // A row opened by the final bookkeeping at the very end of the run is past the last minute.
    if (minute >= out.length) break;
    if (level !== 0) out.fill(level, next, minute);
    out[minute] = series.get(row, column);
    level = levelColumn === null ? 0 : series.get(row, levelColumn);
    next = minute + 1;
  }
  if (level !== 0) out.fill(level, next);
}

interface Timeline {
  /** Minutes covered (the last one possibly partial). */
  minutes: number;
  /** Minutes per drawn point. */
  bucket: number;
  unit: { label: string; minutes: number };
  /** Bucket edges in `unit`: one more than the values of each series. */
  edges: Float64Array;
  byFunction: Map<string, Record<DrawnColumn, Float64Array>>;
  /** The account's concurrency: the functions' per-minute values summed, then reduced. */
  account: { ConcurrentExecutionsMax: Float64Array; ConcurrentExecutionsMean: Float64Array };
}

/**
 * The drawn columns of the drawn functions, and the account's concurrency, in buckets of whole
 * minutes. Work is proportional to functions × minutes, not to the CSV's rows.
 */
function timeline(result: SimulationResult, drawn: Drawn[]): Timeline {
  const minutes = Math.max(1, Math.ceil(result.simulatedSeconds / 60));
  const bucket = BUCKET_MINUTES.find((b) => minutes / b <= MAX_POINTS) ?? Math.ceil(minutes / MAX_POINTS);
  const buckets = Math.ceil(minutes / bucket);
  const unit = minutes <= 180 ? { label: "min", minutes: 1 } : minutes <= 72 * 60 ? { label: "h", minutes: 60 } : { label: "days", minutes: 1440 };
  const edges = Float64Array.from({ length: buckets + 1 }, (_, k) => Math.min(k * bucket, minutes) / unit.minutes);
  const reduce = (dense: Float64Array, how: "max" | "mean") => {
    const values = new Float64Array(buckets);
    for (let k = 0; k < buckets; k++) {
      const slice = dense.subarray(k * bucket, Math.min(minutes, (k + 1) * bucket));
      values[k] = how === "max" ? Math.max(...slice) : slice.reduce((sum, v) => sum + v, 0) / slice.length;
    }
    return values;
  };
  const scratch = new Float64Array(minutes);
  const byFunction = new Map(
    drawn.map((d) => {
      const series = result.functions[d.index].metrics.series;
      const columns = DRAWN_COLUMNS.map((column) => {
        denseColumn(series, column, scratch);
        return [column, reduce(scratch, REDUCTION[column])];
      });
      return [d.name, Object.fromEntries(columns) as Record<DrawnColumn, Float64Array>];
    }),
  );
  const peakSum = new Float64Array(minutes);
  const meanSum = new Float64Array(minutes);
  for (const f of result.functions) {
    denseColumn(f.metrics.series, "ConcurrentExecutionsMax", scratch);
    for (let m = 0; m < minutes; m++) peakSum[m] += scratch[m];
    denseColumn(f.metrics.series, "ConcurrentExecutionsMean", scratch);
    for (let m = 0; m < minutes; m++) meanSum[m] += scratch[m];
  }
  return {
    minutes,
    bucket,
    unit,
    edges,
    byFunction,
    account: { ConcurrentExecutionsMax: reduce(peakSum, "max"), ConcurrentExecutionsMean: reduce(meanSum, "mean") },
  };
}

function bucketName(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "day" : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "hour" : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

/** Says how a chart's per-minute data was reduced, when it was: a note line, or none. */
function reductionNote(t: Timeline, what: string): string[] {
  if (t.bucket === 1) return [];
  return [`${formatNumber(t.minutes)} minutes drawn as ${formatNumber(t.edges.length - 1)} points, one per ${bucketName(t.bucket)}: ${what}.`];
}

function timeAxis(t: Timeline) {
  return { label: `time since start (${t.unit.label})`, min: 0 };
}

/** The configured provisioned concurrency as a step series over the timeline (0 before its first step). */
function provisionedSeries(steps: ProvisionedStep[], t: Timeline): { x: number[]; y: number[] } {
  const x = [0];
  const y: number[] = [];
  let value = 0;
  for (const step of steps) {
    const at = Math.min(step.at / 60, t.minutes) / t.unit.minutes;
    if (at > x[x.length - 1]) {
      y.push(value);
      x.push(at);
    }
    value = step.value;
  }
  y.push(value);
  x.push(t.minutes / t.unit.minutes);
  return { x, y };
}

// ----- The single-run report -----

interface Drawn {
  index: number;
  name: string;
  color: string;
  summary: FunctionSummary;
}

/** The functions charts draw: the busiest by arrivals (ties: scenario order), in scenario order. */
function drawnFunctions(result: SimulationResult, summary: Summary): Drawn[] {
  const busiest = result.functions
    .map((f, index) => ({ index, arrivals: f.metrics.arrivals }))
    .sort((a, b) => b.arrivals - a.arrivals || a.index - b.index)
    .slice(0, MAX_DRAWN_FUNCTIONS)
    .sort((a, b) => a.index - b.index);
  return busiest.map(({ index }, i) => {
    const name = result.functions[index].spec.name;
    return { index, name, color: PALETTE[i % PALETTE.length], summary: summary.functions[name] };
  });
}

/** HTML for the single-run report.html: summary tables and inline SVG charts. */
export function renderHtmlReport(result: SimulationResult): string {
  const summary = buildSummary(result);
  const drawn = drawnFunctions(result, summary);
  const t = timeline(result, drawn);
  const omitted = result.functions.length - drawn.length;
  const omittedNote =
    omitted > 0 ? [`<p>Charts draw the ${drawn.length} functions with the most arrivals; the other ${formatNumber(omitted)} are in the tables and in summary.json.</p>`] : [];
  const ids = { next: 0 };
  const id = () => `chart-${++ids.next}`;
  return page(`lambdasim report: ${summary.scenario}`, [
    ...header(summary),
    ...outcomes(summary),
    ...omittedNote,
    ...latency(result, summary, drawn, id),
    ...concurrency(result, summary, drawn, t, id),
    ...coldStartsAndThrottles(drawn, t, id),
    ...eventSources(summary, drawn, t, id),
    ...cost(summary, id),
    "<footer>Generated by lambdasim: a pure function of the scenario and seed above, so the same inputs give this same file. " +
      "summary.json and timeseries.csv beside it hold every figure (field reference in the README).</footer>",
  ]);
}

function header(s: Summary): string[] {
  const span = s.arrivalSpanSeconds === null ? "the whole trace" : seconds(s.arrivalSpanSeconds);
  return [
    `<h1>lambdasim report: ${escapeXml(s.scenario)}</h1>`,
    ...(s.description ? [`<p>${escapeXml(s.description)}</p>`] : []),
    `<p class="meta">Seed ${s.seed}, region ${escapeXml(s.region)}. Arrivals over ${span}; ${seconds(s.simulatedSeconds)} simulated (with the drain after the last arrival). ` +
      `Account concurrency limit ${count(s.account.concurrencyLimit)} (${escapeXml(s.account.scaling)} scaling), unreserved capacity ${count(s.account.unreservedCapacity)}, ` +
      `highest concurrency claimed ${count(s.account.maxClaimedConcurrency)}.</p>`,
  ];
}

/** One row of the outcomes table, for a function or for the totals (the same figures). */
function outcomeCells(label: string, arrivals: number, o: Summary["totals"]["outcomes"], invocations: number, throttles: number, coldStarts: number): string[] {
  const counts = [arrivals, o.succeeded, o.failed, o.throttled, o.dropped, o.deadLettered, o.inFlight, invocations, throttles, coldStarts];
  return [label, ...counts.map(count), percent(coldStarts, invocations)];
}

function outcomes(s: Summary): string[] {
  const rows = Object.entries(s.functions).map(([name, f]) =>
    outcomeCells(escapeXml(name), f.arrivals, f.outcomes, f.metrics.Invocations, f.metrics.Throttles, f.coldStarts),
  );
  const t = s.totals;
  const total = outcomeCells("total", t.arrivals, t.outcomes, t.Invocations, t.Throttles, t.coldStarts);
  const heads = ["function", "arrivals", "succeeded", "failed", "throttled (final)", "dropped", "dead-lettered", "in flight", "Invocations", "Throttles (429s)", "cold starts", "cold-start rate"];
  return [
    "<h2>Outcomes</h2>",
    "<p>How each arrival (request, event, record or message) ended; the outcomes sum to the arrivals. Throttles counts every 429, retried ones included.</p>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 0 })),
      rows,
      several(s) ? total : undefined,
    ),
  ];
}

const several = (s: Summary) => Object.keys(s.functions).length > 1;

function latency(result: SimulationResult, s: Summary, drawn: Drawn[], id: () => string): string[] {
  const rows = Object.entries(s.functions).map(([name, f]) => [
    escapeXml(name),
    ms(f.latencyMs.p50),
    ms(f.latencyMs.p90),
    ms(f.latencyMs.p99),
    ms(f.latencyMs.p999),
    ms(f.latencyMs.max),
    ms(f.durationMs.mean),
    ms(f.durationMs.p99),
    ms(f.initDurationMs.p50),
    ms(f.initDurationMs.max),
  ]);
  const heads = ["function", "latency p50", "p90", "p99", "p99.9", "max", "duration mean", "duration p99", "init p50", "init max"];
  const series: Series[] = drawn
    .filter((d) => result.functions[d.index].metrics.latency.count > 0)
    .map((d) => {
      const points = cdfPoints(result.functions[d.index].metrics.latency);
      return {
        label: `${d.name} (p99 ${ms(d.summary.latencyMs.p99)} ms)`,
        color: d.color,
        shape: "line",
        x: points.map((p) => p.value),
        y: points.map((p) => p.p),
      };
    });
  const chart = lineChart({
    id: id(),
    title: "Latency: share of invocations at or below each latency",
    notes:
      series.length === 0
        ? ["No invocation ran."]
        : ["Spread so that 90 %, 99 %, 99.9 % … are equally spaced; the top edge is the maximum.", "Exact up to 2,048 invocations per function, then from a histogram within 0.4 %."],
    x: { label: "latency (ms, log scale)", scale: "log" },
    y: { label: "invocations at or below", scale: "nines" },
    series,
  });
  return [
    "<h2>Latency</h2>",
    "<p>Latency as the caller sees it, init included: for synchronous requests from the first attempt to the response (client retries and backoff included); " +
      "for event sources from the invoke to the response (the wait before it is under Event sources). Duration is the handler alone (CloudWatch Duration). All in ms.</p>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 0 })),
      rows,
    ),
    figure("latency-cdf", chart),
  ];
}

function concurrency(result: SimulationResult, s: Summary, drawn: Drawn[], t: Timeline, id: () => string): string[] {
  const notes = reductionNote(t, "the peak is the busiest minute's, the mean the bucket's average");
  const account = s.account;
  const charts: string[] = [];
  if (several(s)) {
    const series = t.account;
    charts.push(
      figure(
        "account-concurrency",
        lineChart({
          id: id(),
          title: "Account: concurrent executions against the account limit",
          notes: ["The peak line sums each function's busiest moment in the minute, so it can exceed what was running at once.", ...notes],
          x: timeAxis(t),
          y: { label: "concurrent executions", integer: true },
          series: [
            { label: "sum of the functions' peaks per minute", color: PEAK_COLOR, shape: "step", x: t.edges, y: series.ConcurrentExecutionsMax },
            { label: "mean", color: PEAK_COLOR, shape: "step", x: t.edges, y: series.ConcurrentExecutionsMean, faint: true },
          ],
          limits: [{ label: "account concurrency limit", value: account.concurrencyLimit, color: ACCOUNT_LIMIT_COLOR }],
        }),
      ),
    );
  }
  for (const d of drawn) {
    const values = t.byFunction.get(d.name)!;
    const spec = result.functions[d.index].spec;
    const series: Series[] = [
      { label: "peak per minute (ConcurrentExecutions max)", color: PEAK_COLOR, shape: "step", x: t.edges, y: values.ConcurrentExecutionsMax },
      { label: "mean", color: PEAK_COLOR, shape: "step", x: t.edges, y: values.ConcurrentExecutionsMean, faint: true },
    ];
    if (spec.provisioned.length > 0) {
      const pc = provisionedSeries(spec.provisioned, t);
      series.push({ label: "provisioned concurrency (configured)", color: PROVISIONED_COLOR, shape: "step", x: pc.x, y: pc.y, dashed: true });
    }
    const limits: LimitLine[] = [];
    if (spec.reservedConcurrency !== undefined) {
      limits.push({ label: "reserved concurrency", value: spec.reservedConcurrency, color: FUNCTION_LIMIT_COLOR });
    } else if (account.unreservedCapacity < account.concurrencyLimit) {
      limits.push({ label: "unreserved pool (shared)", value: account.unreservedCapacity, color: FUNCTION_LIMIT_COLOR });
    }
    limits.push({ label: "account concurrency limit", value: account.concurrencyLimit, color: ACCOUNT_LIMIT_COLOR });
    charts.push(
      figure(
        "concurrency",
        lineChart({ id: id(), title: `${d.name}: concurrent executions against its limits`, notes, x: timeAxis(t), y: { label: "concurrent executions", integer: true }, series, limits }),
      ),
    );
  }
  const rows = Object.entries(s.functions).map(([name, f]) => {
    const provisioned = f.config.provisionedConcurrency.reduce((max, step) => Math.max(max, step.value), 0);
    return [
      escapeXml(name),
      f.config.reservedConcurrency === null ? "–" : count(f.config.reservedConcurrency),
      provisioned > 0 ? count(provisioned) : "–",
      formatNumber(f.metrics.ConcurrentExecutions.mean, 2),
      count(f.metrics.ConcurrentExecutions.max),
      count(f.maxClaimedConcurrency),
      count(f.environments.created),
      count(f.environments.max),
      formatNumber(f.environments.meanAlive, 2),
      formatNumber(f.environments.meanIdle, 2),
    ];
  });
  const heads = ["function", "reserved", "provisioned (peak)", "ConcurrentExecutions mean", "max", "max claimed", "environments created", "max alive", "mean alive", "mean idle"];
  return [
    "<h2>Concurrency</h2>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 0 })),
      rows,
    ),
    ...charts,
  ];
}

function perFunctionSeries(drawn: Drawn[], t: Timeline, column: DrawnColumn, scale = 1): Series[] {
  return drawn.map((d) => {
    const values = t.byFunction.get(d.name)![column];
    return { label: d.name, color: d.color, shape: "step", x: t.edges, y: scale === 1 ? values : values.map((v) => v / scale) };
  });
}

function coldStartsAndThrottles(drawn: Drawn[], t: Timeline, id: () => string): string[] {
  const notes = reductionNote(t, "the busiest minute in each");
  const chart = (kind: string, column: DrawnColumn, title: string, label: string) =>
    figure(kind, lineChart({ id: id(), title, notes, x: timeAxis(t), y: { label, integer: true }, series: perFunctionSeries(drawn, t, column) }));
  return [
    "<h2>Cold starts and throttles</h2>",
    chart("cold-starts", "ColdStarts", "Cold starts per minute", "cold starts per minute"),
    chart("throttles", "Throttles", "Throttles (429s) per minute", "throttles per minute"),
  ];
}

/** Charts and tables for asynchronous invocation, streams and SQS, only for the functions that have them. */
function eventSources(s: Summary, drawn: Drawn[], t: Timeline, id: () => string): string[] {
  const withAsync = drawn.filter((d) => d.summary.async !== null);
  const withStream = drawn.filter((d) => d.summary.stream !== null);
  const withSqs = drawn.filter((d) => d.summary.sqs !== null);
  const queued = drawn.filter((d) => d.summary.async !== null || d.summary.stream !== null || d.summary.sqs !== null);
  const tables = eventSourceTables(s);
  if (queued.length === 0 && tables.length === 0) return [];
  const notes = reductionNote(t, "the highest minute in each");
  const ageChart = (kind: string, of: Drawn[], column: DrawnColumn, title: string, what: string) => {
    const peak = Math.max(0, ...of.map((d) => Math.max(0, ...t.byFunction.get(d.name)![column])));
    const unit = durationUnit(peak);
    return figure(kind, lineChart({ id: id(), title, notes, x: timeAxis(t), y: { label: `${what} (${unit.label})` }, series: perFunctionSeries(of, t, column, unit.ms) }));
  };
  const charts: string[] = [];
  if (withAsync.length > 0) charts.push(ageChart("async-event-age", withAsync, "AsyncEventAgeMax", "Asynchronous events: oldest event invoked per minute (AsyncEventAge max)", "event age"));
  if (withStream.length > 0) charts.push(ageChart("iterator-age", withStream, "IteratorAgeMax", "Streams: IteratorAge, highest per minute", "iterator age"));
  if (queued.length > 0) {
    charts.push(
      figure(
        "queue-depth",
        lineChart({
          id: id(),
          title: "Waiting work: units received but not finished, most per minute",
          notes: ["In the async queue, stream shards and SQS queues: queued, waiting to retry, or in a running batch.", ...notes],
          x: timeAxis(t),
          y: { label: "events, records or messages", integer: true },
          series: perFunctionSeries(queued, t, "QueueDepthMax"),
        }),
      ),
    );
  }
  if (withSqs.length > 0) {
    charts.push(
      figure(
        "pollers",
        lineChart({ id: id(), title: "SQS: concurrent batches the pollers allowed, most per minute", notes, x: timeAxis(t), y: { label: "concurrent batches", integer: true }, series: perFunctionSeries(withSqs, t, "PollersMax") }),
      ),
    );
  }
  return ["<h2>Event sources</h2>", ...tables, ...charts];
}

function eventSourceTables(s: Summary): string[] {
  const functions = Object.entries(s.functions);
  const numeric = (heads: string[]) => heads.map((head, i) => ({ head, numeric: i > 0 }));
  const html: string[] = [];
  const asyncRows = functions.flatMap(([name, f]) => {
    const a = f.async;
    if (a === null) return [];
    return [
      [escapeXml(name), count(a.AsyncEventsReceived), count(a.retries), count(a.throttleRequeues), count(a.deadLettered), count(a.AsyncEventsDropped), count(a.duplicates), ms(a.eventAgeMs.p50), ms(a.eventAgeMs.p99), ms(a.eventAgeMs.max)],
    ];
  });
  if (asyncRows.length > 0) {
    html.push(
      "<h3>Asynchronous invocation</h3>",
      table(
        numeric(["function", "events received", "retries", "throttle requeues", "dead-lettered", "AsyncEventsDropped", "duplicates", "event age p50 ms", "p99 ms", "max ms"]),
        asyncRows,
      ),
    );
  }
  const streamRows = functions.flatMap(([name, f]) => {
    const st = f.stream;
    if (st === null) return [];
    return [
      [escapeXml(name), count(st.records), count(st.processed), count(st.discarded), count(st.expired), count(st.retries), ms(st.IteratorAge.p99), ms(st.IteratorAge.max), formatNumber(st.blockedSeconds.max, 1), formatNumber(st.blockedSeconds.total, 1)],
    ];
  });
  if (streamRows.length > 0) {
    html.push(
      "<h3>Streams</h3>",
      table(numeric(["function", "records", "processed", "discarded", "expired", "batch retries", "IteratorAge p99 ms", "max ms", "blocked s (longest)", "blocked s (total)"]), streamRows),
    );
  }
  const sqsRows = functions.flatMap(([name, f]) => {
    const q = f.sqs;
    if (q === null) return [];
    return [
      [escapeXml(name), count(q.messages), count(q.deleted), count(q.receives), count(q.movedToDlq), count(q.expired), count(q.maxConcurrentPollers), formatNumber(q.oldestMessageAgeMs.max / 1000, 1), count(f.maxQueueDepth)],
    ];
  });
  if (sqsRows.length > 0) {
    html.push(
      "<h3>SQS</h3>",
      table(numeric(["function", "messages", "deleted", "receives", "moved to DLQ", "expired", "most pollers", "oldest message age max s", "max queue depth"]), sqsRows),
    );
  }
  return html;
}

function cost(s: Summary, id: () => string): string[] {
  const functions = Object.entries(s.functions);
  const rows = functions.map(([name, f]) => [
    escapeXml(name),
    `${count(f.config.memoryMb)} MB`,
    escapeXml(f.config.architecture),
    count(f.cost.requests),
    formatNumber(f.cost.gbSeconds, 2),
    ...COST_PARTS.map((p) => usd(f.cost[p.key])),
    usd(f.cost.totalUsd),
  ]);
  const t = s.totals.cost;
  const total = ["total", "", "", count(t.requests), formatNumber(t.gbSeconds, 2), ...COST_PARTS.map((p) => usd(t[p.key])), usd(t.totalUsd)];
  const heads = ["function", "memory", "arch", "requests", "on-demand GB-s", ...COST_PARTS.map((p) => `${p.label} $`), "total $"];

  // The most expensive functions get a bar each, the rest one bar together, so the sum is the total.
  const ranked = functions.map(([name, f], index) => ({ name, cost: f.cost, index })).sort((a, b) => b.cost.totalUsd - a.cost.totalUsd || a.index - b.index);
  const barred = ranked.length > MAX_DRAWN_FUNCTIONS + 1 ? ranked.slice(0, MAX_DRAWN_FUNCTIONS) : ranked;
  const rest = ranked.slice(barred.length);
  const categories = [...barred.map((b) => b.name), ...(rest.length > 0 ? [`${formatNumber(rest.length)} other functions`] : [])];
  const parts = COST_PARTS.map((p) => ({
    label: p.label,
    color: p.color,
    values: [...barred.map((b) => b.cost[p.key]), ...(rest.length > 0 ? [rest.reduce((sum, r) => sum + r.cost[p.key], 0)] : [])],
  }));
  const chart = stackedBarChart({
    id: id(),
    title: "Cost by function and component",
    notes: ["us-east-1 list prices; the tiers and free tier apply to the whole run, shared out pro rata."],
    categories,
    parts,
    axisLabel: "cost (USD)",
    format: usd,
  });
  return [
    "<h2>Cost</h2>",
    table(
      heads.map((head, i) => ({ head, numeric: i > 2 || i === 1 })),
      rows,
      several(s) ? total : undefined,
    ),
    figure("cost", chart),
  ];
}

// ----- The sweep page -----

/**
 * One variant of a sweep. `onFrontier`: no other variant is at least as cheap and as fast and
 * strictly better in one (the sweep computes it). Any other fields (the swept parameters, other
 * figures) become extra table columns, in the order they first appear.
 */
export interface SweepRow {
  label: string;
  costUsd: number;
  p99Ms: number;
  onFrontier: boolean;
  [field: string]: unknown;
}

const SWEEP_FIELDS = new Set(["label", "costUsd", "p99Ms", "onFrontier"]);

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number") return Number.isInteger(value) ? formatNumber(value) : formatNumber(value, Math.abs(value) >= 100 ? 2 : 4);
  if (typeof value === "boolean") return value ? "yes" : "no";
  return escapeXml(typeof value === "string" ? value : JSON.stringify(value));
}

/**
 * A memory sweep's power-tuning curve: for each memory size, the function's cost per million
 * invocations and its mean duration (CPU share grows with memory, so duration falls).
 */
export interface PowerTuningCurve {
  functionName: string;
  memoryMb: number[];
  usdPerMillion: number[];
  durationMeanMs: number[];
}

function powerTuningCharts(curve: PowerTuningCurve): string[] {
  const x = Float64Array.from(curve.memoryMb);
  const chart = (id: string, title: string, label: string, y: number[], color: string) =>
    lineChart({
      id,
      title,
      notes: [`${curve.functionName}, one point per memory size of the sweep.`],
      x: { label: "memory (MB)" },
      y: { label },
      series: [{ label: curve.functionName, color, shape: "line", x, y: Float64Array.from(y) }],
    });
  return [
    figure("power-tuning-cost", chart("chart-2", "Power tuning: cost per million invocations", "USD per million invocations", curve.usdPerMillion, PALETTE[0])),
    figure("power-tuning-duration", chart("chart-3", "Power tuning: mean duration", "mean duration (ms)", curve.durationMeanMs, PALETTE[1])),
  ];
}

/**
 * HTML for a sweep: every variant in a table, cost against p99 latency with the Pareto frontier,
 * and for a memory sweep the power-tuning curve.
 */
export function renderSweepHtml(rows: SweepRow[], title: string, powerTuning?: PowerTuningCurve): string {
  const extra: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!SWEEP_FIELDS.has(key) && !extra.includes(key)) extra.push(key);
  const columns: Column[] = [{ head: "variant" }, { head: "cost", numeric: true }, { head: "p99 latency ms", numeric: true }, { head: "on the frontier" }, ...extra.map((head) => ({ head, numeric: rows.some((r) => typeof r[head] === "number") }))];
  const cells = rows.map((r) => [escapeXml(r.label), usd(r.costUsd), ms(r.p99Ms), r.onFrontier ? "yes" : "–", ...extra.map((key) => cellText(r[key]))]);
  const frontier = rows.filter((r) => r.onFrontier).length;
  const chart = scatterChart({
    id: "chart-1",
    title: "Cost against p99 latency",
    notes: ["Lower left is better. On the frontier, no other variant is both cheaper and faster at p99."],
    x: { label: "p99 latency (ms)" },
    y: { label: "cost (USD)" },
    points: rows.map((r) => ({ label: r.label, x: r.p99Ms, y: r.costUsd, highlight: r.onFrontier })),
    highlightLabel: `on the frontier (${frontier})`,
    otherLabel: `dominated (${rows.length - frontier})`,
    lineLabel: "frontier",
  });
  return page(title, [
    `<h1>${escapeXml(title)}</h1>`,
    `<p class="meta">${formatNumber(rows.length)} variants, ${formatNumber(frontier)} on the cost / p99 frontier.</p>`,
    figure("sweep-frontier", chart),
    ...(powerTuning ? powerTuningCharts(powerTuning) : []),
    table(columns, cells),
    "<footer>Generated by lambdasim: a pure function of the sweep's results.</footer>",
  ]);
}
