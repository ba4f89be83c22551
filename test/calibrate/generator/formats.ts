/**
 * Writes the simulated events in each input format `lambdasim calibrate` reads, streaming (bounded
 * memory whatever the size, except the per-stream layout, which is for small test outputs), gzip on
 * request. Line shapes follow AWS's: the text REPORT line's tab-separated fields, the JSON log format's
 * `platform.*` records (Lambda Telemetry API schema), `aws logs filter-log-events` and
 * `aws cloudwatch get-metric-data` output, a Logs Insights CSV export.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { emptyRealized, type LogEvent, type Realized, type Report, simulate, type Truth } from "./simulate.js";

export type Format = "text" | "json-log" | "filter-log-events" | "insights-csv" | "metric-data";
export const FORMATS: readonly Format[] = ["text", "json-log", "filter-log-events", "insights-csv", "metric-data"];

export interface WriteOptions {
  gzip?: boolean;
  /**
   * Text format only: the export's `<ISO timestamp> ` prefix (`space`), its tab form, none, or
   * `tail`, the lines `aws logs tail` prints: `<timestamp with microseconds and +00:00> <log stream> <message>`.
   */
  prefix?: Prefix;
  /** Text and JSON log formats: one file per log stream under the given folder (the S3 export layout `<stream>/000000[.gz]`). */
  perStream?: boolean;
  /** Include a line of the function's own output per invocation (calibrate must skip it). Default true. */
  appLines?: boolean;
  /** Insights CSV: only the REPORT rows (what `filter @type = "REPORT"` exports). Default true. */
  reportsOnly?: boolean;
}

export type Prefix = "space" | "tab" | "none" | "tail";

const iso = (ms: number): string => new Date(ms).toISOString();

/** A text-format line: the message after the chosen prefix. */
function textLine(e: LogEvent, prefix: Prefix): string {
  const message = textMessage(e);
  switch (prefix) {
    case "none":
      return `${message}\n`;
    case "tab":
      return `${iso(e.ts)}\t${message}\n`;
    case "space":
      return `${iso(e.ts)} ${message}\n`;
    case "tail":
      return `${iso(e.ts).replace("Z", "000+00:00")} ${e.stream} ${message}\n`;
  }
}

/** The message of a text-format line, without a trailing newline. */
export function textMessage(event: LogEvent): string {
  switch (event.kind) {
    case "initStart":
      return `INIT_START Runtime Version: nodejs:20.v40\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0000000000000000000000000000000000000000000000000000000000000000`;
    case "start":
      return `START RequestId: ${event.requestId} Version: $LATEST`;
    case "app":
      return `${iso(event.ts)}\t${event.requestId}\tINFO\thandled, took the usual path`;
    case "end":
      return `END RequestId: ${event.requestId}`;
    case "report":
      return reportLine(event.requestId, event.report);
  }
}

/** `REPORT RequestId: … Duration: … ms Billed Duration: … ms Memory Size: … MB Max Memory Used: … MB [Init Duration: … ms] [Status: …]`, tab separated as AWS writes it. */
export function reportLine(requestId: string, r: Report): string {
  let line = `REPORT RequestId: ${requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${r.billedDurationMs} ms\tMemory Size: ${r.memorySizeMb} MB\tMax Memory Used: ${r.maxMemoryUsedMb} MB\t`;
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  if (r.status === "timeout") line += "Status: timeout";
  else if (r.status === "error") line += "Status: error\tError Type: Runtime.ExitError";
  return line;
}

/** One JSON log format record (the `platform.*` shapes of the Lambda Telemetry API); undefined for END, which has no record there. */
export function jsonLogRecord(event: LogEvent, functionName: string): string | undefined {
  const time = iso(event.ts);
  switch (event.kind) {
    case "initStart":
      return JSON.stringify({
        time,
        type: "platform.initStart",
        record: {
          initializationType: "on-demand",
          phase: "init",
          runtimeVersion: "nodejs:20.v40",
          functionName,
          functionVersion: "$LATEST",
        },
      });
    case "start":
      return JSON.stringify({ time, type: "platform.start", record: { requestId: event.requestId, version: "$LATEST" } });
    case "app":
      return JSON.stringify({ timestamp: time, level: "INFO", requestId: event.requestId, message: "handled, took the usual path" });
    case "end":
      return undefined;
    case "report": {
      const r = event.report;
      const metrics: Record<string, number> = {
        durationMs: r.durationMs,
        billedDurationMs: r.billedDurationMs,
        memorySizeMB: r.memorySizeMb,
        maxMemoryUsedMB: r.maxMemoryUsedMb,
      };
      if (r.initDurationMs !== undefined) metrics.initDurationMs = r.initDurationMs;
      const record: Record<string, unknown> = { requestId: event.requestId, metrics, status: r.status };
      if (r.status === "error") record.errorType = "Runtime.ExitError";
      return JSON.stringify({ time, type: "platform.report", record });
    }
  }
}

const csvField = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** Insights shows and exports @timestamp as `YYYY-MM-DD HH:MM:SS.mmm` (UTC). */
const insightsTime = (ms: number): string => iso(ms).replace("T", " ").replace("Z", "");

/** Chunks of text (about 64 KiB) so writes are few and memory stays flat. */
async function* chunked(lines: Iterable<string>): AsyncGenerator<string> {
  let buffer = "";
  for (const line of lines) {
    buffer += line;
    if (buffer.length >= 65536) {
      yield buffer;
      buffer = "";
    }
  }
  if (buffer.length > 0) yield buffer;
}

async function writeLines(file: string, lines: Iterable<string>, gzip: boolean): Promise<void> {
  mkdirSync(dirname(file), { recursive: true });
  const source = Readable.from(chunked(lines));
  if (gzip) await pipeline(source, createGzip({ level: 1 }), createWriteStream(file));
  else await pipeline(source, createWriteStream(file));
}

function* textLines(events: Iterable<LogEvent>, prefix: Prefix, appLines: boolean): Generator<string> {
  for (const e of events) {
    if (!appLines && e.kind === "app") continue;
    yield textLine(e, prefix);
  }
}

function* jsonLogLines(events: Iterable<LogEvent>, functionName: string, appLines: boolean): Generator<string> {
  for (const e of events) {
    if (!appLines && e.kind === "app") continue;
    const record = jsonLogRecord(e, functionName);
    if (record !== undefined) yield `${record}\n`;
  }
}

function* filterLogEventsLines(events: Iterable<LogEvent>, appLines: boolean): Generator<string> {
  yield '{\n    "events": [';
  let first = true;
  let eventId = 0;
  for (const e of events) {
    if (!appLines && e.kind === "app") continue;
    const event = {
      logStreamName: e.stream,
      timestamp: e.ts,
      message: `${textMessage(e)}\n`,
      ingestionTime: e.ts + 200,
      eventId: String(37000000000000000000000000000000000000000000000000000000n + BigInt(eventId++)),
    };
    yield `${first ? "" : ","}\n        ${JSON.stringify(event)}`;
    first = false;
  }
  yield '\n    ],\n    "searchedLogStreams": []\n}\n';
}

function* insightsCsvLines(events: Iterable<LogEvent>, reportsOnly: boolean, appLines: boolean): Generator<string> {
  yield "@timestamp,@message,@logStream\n";
  for (const e of events) {
    if (reportsOnly && e.kind !== "report") continue;
    if (!appLines && e.kind === "app") continue;
    yield `${insightsTime(e.ts)},${csvField(textMessage(e))},${csvField(e.stream)}\n`;
  }
}

interface MinuteRow {
  invocations: number;
  durationSum: number;
  concurrencyMax: number;
}

/**
 * Per-minute metrics as CloudWatch computes them: Invocations (Sum) and Duration (Average) counted in
 * the minute of the invocation's REPORT, ConcurrentExecutions (Maximum) the most environments busy at
 * once in the minute, Throttles (Sum) zero (the truth has no concurrency limit). Holds one row per
 * minute of the window, not per invocation.
 */
function metricDataJson(events: Iterable<LogEvent>): string {
  const rows = new Map<number, MinuteRow>();
  const row = (minute: number): MinuteRow => {
    let r = rows.get(minute);
    if (!r) {
      r = { invocations: 0, durationSum: 0, concurrencyMax: 0 };
      rows.set(minute, r);
    }
    return r;
  };
  // Busy from the first line of an invocation (INIT_START or START) to its REPORT.
  const inFlight = new Set<string>();
  for (const e of events) {
    const minute = Math.floor(e.ts / 60000) * 60000;
    if (e.kind === "initStart" || (e.kind === "start" && !inFlight.has(e.requestId))) {
      inFlight.add(e.requestId);
      const r = row(minute);
      r.concurrencyMax = Math.max(r.concurrencyMax, inFlight.size);
    } else if (e.kind === "report") {
      inFlight.delete(e.requestId);
      const r = row(minute);
      r.invocations++;
      r.durationSum += e.report.durationMs;
    }
  }
  const minutes = [...rows.keys()].sort((a, b) => b - a);
  // The CLI prints newest first (ScanBy TimestampDescending, its default) with a +00:00 offset.
  const stamp = (ms: number): string => iso(ms).replace(".000Z", "+00:00");
  const result = (id: string, label: string, value: (r: MinuteRow) => number) => ({
    Id: id,
    Label: label,
    Timestamps: minutes.map(stamp),
    Values: minutes.map((m) => value(rows.get(m) as MinuteRow)),
    StatusCode: "Complete",
  });
  return `${JSON.stringify(
    {
      MetricDataResults: [
        result("invocations", "Invocations", (r) => r.invocations),
        result("concurrent", "ConcurrentExecutions", (r) => r.concurrencyMax),
        result("throttles", "Throttles", () => 0),
        result("duration", "Duration", (r) => (r.invocations > 0 ? r.durationSum / r.invocations : 0)),
      ],
      Messages: [],
    },
    null,
    4,
  )}\n`;
}

/**
 * Simulates `truth` and writes it as `format` to `file` (a folder with `perStream`). Returns what the
 * simulation realized. With `perStream` the stream files are `<file>/<stream>/000000[.gz]`.
 */
export async function writeLogs(truth: Truth, format: Format, file: string, options: WriteOptions = {}): Promise<Realized> {
  const realized = emptyRealized();
  const events = simulate(truth, realized);
  const gzip = options.gzip ?? false;
  const appLines = options.appLines ?? true;
  const iterable: Iterable<LogEvent> = { [Symbol.iterator]: () => events };
  if (options.perStream && (format === "text" || format === "json-log")) {
    const byStream = new Map<string, string[]>();
    for (const e of iterable) {
      if (!appLines && e.kind === "app") continue;
      const record = format === "text" ? undefined : jsonLogRecord(e, truth.functionName);
      if (format === "json-log" && record === undefined) continue;
      const line =
        format === "text"
          ? `${options.prefix === "none" ? "" : `${iso(e.ts)}${options.prefix === "tab" ? "\t" : " "}`}${textMessage(e)}\n`
          : `${record}\n`;
      const list = byStream.get(e.stream) ?? [];
      list.push(line);
      byStream.set(e.stream, list);
    }
    for (const [stream, lines] of byStream) await writeLines(join(file, stream, gzip ? "000000.gz" : "000000"), lines, gzip);
    return realized;
  }
  switch (format) {
    case "text":
      await writeLines(file, textLines(iterable, options.prefix ?? "space", appLines), gzip);
      break;
    case "json-log":
      await writeLines(file, jsonLogLines(iterable, truth.functionName, appLines), gzip);
      break;
    case "filter-log-events":
      await writeLines(file, filterLogEventsLines(iterable, appLines), gzip);
      break;
    case "insights-csv":
      await writeLines(file, insightsCsvLines(iterable, options.reportsOnly ?? true, appLines), gzip);
      break;
    case "metric-data":
      await writeLines(file, [metricDataJson(iterable)], gzip);
      break;
  }
  return realized;
}
