import { closeSync, createReadStream, readSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { parse as parseCsv } from "csv-parse";
import { InputError } from "../../common/inputError.js";
import { whyUnreadable } from "../../common/fileErrors.js";
import { openRegularFile } from "../../common/regularFile.js";
import {
  functionOfGroup,
  type MessageKind,
  PLATFORM_TEXT,
  parseIsoMs,
  problemAt,
  quoted,
  type ReportRecord,
  reportOf,
  splitLogLine,
  type Where,
} from "./records.js";

/*
 * Reading calibrate's inputs: each file's format is recognised from its first line (never its
 * name), gzip from its magic bytes, and log lines are streamed one at a time so that memory does
 * not grow with the file. The two JSON documents the AWS CLI prints (filter-log-events,
 * get-metric-data) are parsed whole, up to MAX_JSON_BYTES: the CLI pages them, and a page fits.
 */

export type InputFormat = MessageKind | "filter-log-events" | "insights-csv" | "metric-data";

export const METRIC_NAMES = ["Invocations", "ConcurrentExecutions", "Throttles", "Duration"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricSeries {
  metric: MetricName;
  label: string;
  /** Epoch ms of each period's start, and the value for it. */
  timestamps: number[];
  values: number[];
}

export interface InputSink {
  report(record: ReportRecord, where: Where): void;
  metric(series: MetricSeries, where: Where): void;
}

/** Longest line (or CSV field) accepted: a REPORT line is ~200 bytes, an application's log line may be long but not this long. */
const MAX_LINE_CHARS = 1 << 20;
/** Largest filter-log-events or get-metric-data document read whole. */
const MAX_JSON_BYTES = 256 << 20;
const GZIP_MAGIC = [0x1f, 0x8b];

function opened(file: string): { gzip: boolean } {
  let fd: number;
  try {
    fd = openRegularFile(file).fd;
  } catch (error) {
    throw new InputError([{ path: file, message: `cannot read: ${whyUnreadable(error)}` }]);
  }
  try {
    const head = Buffer.alloc(2);
    const n = readSync(fd, head, 0, 2, 0);
    return { gzip: n === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1] };
  } finally {
    closeSync(fd);
  }
}

/**
 * The file's text, decompressed when gzip. Its first error is kept in `failure` (a listener is
 * always attached, so an error after the reader stopped early is never an uncaught one), and
 * `close` releases the file whether or not it was read to the end.
 */
function textStream(file: string, gzip: boolean): { text: Readable; failure: () => unknown; close: () => void } {
  const raw = createReadStream(file);
  let failure: unknown;
  const keep = (error: unknown) => {
    failure ??= error;
  };
  raw.on("error", keep);
  if (!gzip) return { text: raw.setEncoding("utf8"), failure: () => failure, close: () => raw.destroy() };
  const gunzip = createGunzip();
  gunzip.on("error", keep);
  raw.on("error", (error) => gunzip.destroy(error));
  raw.pipe(gunzip);
  return {
    text: gunzip.setEncoding("utf8"),
    failure: () => failure,
    close: () => {
      raw.destroy();
      gunzip.destroy();
    },
  };
}

function streamProblem(file: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code?.startsWith("Z_"))
    return new InputError([{ path: file, message: "starts like gzip but is not a valid gzip stream (cut short or corrupt)" }]);
  return new InputError([{ path: file, message: `cannot read: ${whyUnreadable(error)}` }]);
}

/** The file's lines, with their 1-based numbers, refusing a line that is not text or is too long. */
async function* lines(file: string, gzip: boolean): AsyncGenerator<[string, number]> {
  const input = textStream(file, gzip);
  const reader = createInterface({ input: input.text, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of reader) {
      n++;
      if (line.length > MAX_LINE_CHARS) throw problemAt({ file, line: n }, `a line longer than ${MAX_LINE_CHARS} characters`);
      if (line.includes("\u0000")) throw problemAt({ file, line: n }, "not text (a NUL byte)");
      yield [line, n];
    }
    // readline ends its iteration quietly when the input fails: a cut-short gzip file would look complete.
    if (input.failure() !== undefined) throw input.failure();
  } catch (error) {
    throw streamProblem(file, error);
  } finally {
    reader.close();
    input.close();
  }
}

type Detected = "log-lines" | "json-document" | "insights-csv";

const FORMATS_HELP =
  "expected CloudWatch Logs lines (START/END/REPORT text or JSON log format records, optionally after a timestamp and log stream), " +
  "aws logs filter-log-events JSON, a Logs Insights CSV export (@timestamp,@message,@logStream) or aws cloudwatch get-metric-data JSON";

async function detect(file: string, gzip: boolean): Promise<{ kind: Detected; line: number }> {
  for await (const [text, n] of lines(file, gzip)) {
    const line = text.replace(/^\uFEFF/, "").trim();
    if (line === "") continue;
    if (line.startsWith("{") || line.startsWith("[")) {
      try {
        const value = JSON.parse(line) as unknown;
        if (typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string") {
          return { kind: "log-lines", line: n };
        }
      } catch {
        // Not one JSON object per line: the start of a pretty-printed document.
      }
      return { kind: "json-document", line: n };
    }
    if (/^"?@timestamp"?,/.test(line) || (line.includes("@message") && line.includes(","))) return { kind: "insights-csv", line: n };
    const { time, message } = splitLogLine(line);
    if (time !== undefined || PLATFORM_TEXT.test(message)) return { kind: "log-lines", line: n };
    throw problemAt({ file, line: n }, `not a format calibrate reads: ${FORMATS_HELP}`);
  }
  throw new InputError([{ path: file, message: "is empty" }]);
}

export interface InputResult {
  format: InputFormat;
  /** REPORT records (or metric series) read. */
  records: number;
}

/** The function a file's records belong to when nothing in them names it: the file name up to its first dot. */
export function functionOfFileName(file: string): string {
  const base = file.replace(/^.*[\\/]/, "");
  return base.replace(/\..*$/s, "");
}

async function readLogLines(file: string, gzip: boolean, sink: InputSink): Promise<InputResult> {
  let records = 0;
  let kind: MessageKind | undefined;
  for await (const [text, line] of lines(file, gzip)) {
    const { time, stream, message } = splitLogLine(text.replace(/^\uFEFF/, ""));
    const where = { file, line };
    const found = reportOf(message, { time, stream, group: undefined }, where);
    if (found === undefined) continue;
    kind ??= found.kind;
    records++;
    sink.report(found.record, where);
  }
  return { format: kind ?? "text", records };
}

async function readInsightsCsv(file: string, gzip: boolean, sink: InputSink): Promise<InputResult> {
  const input = textStream(file, gzip);
  const parser = input.text.pipe(
    parseCsv({ bom: true, relax_column_count: false, max_record_size: MAX_LINE_CHARS, skip_empty_lines: true }),
  );
  let header: string[] | undefined;
  let columns = { time: -1, message: -1, stream: -1, group: -1 };
  let records = 0;
  let row = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      row++;
      if (header === undefined) {
        header = fields.map((f) => f.trim());
        columns = {
          time: header.indexOf("@timestamp"),
          message: header.indexOf("@message"),
          stream: header.indexOf("@logStream"),
          group: header.indexOf("@log"),
        };
        if (columns.time < 0 || columns.message < 0) {
          throw problemAt(
            { file, line: 1 },
            "a Logs Insights CSV export needs the columns @timestamp and @message (and @logStream for environments)",
          );
        }
        continue;
      }
      const where = { file, line: row };
      const stamp = fields[columns.time];
      const time = parseIsoMs(stamp.trim()) ?? parseIsoMs(stamp.trim().replace(" ", "T"));
      if (time === undefined) throw problemAt(where, `@timestamp ${quoted(stamp)} is not a date-time such as 2024-06-10 09:00:00.125`);
      const stream = columns.stream >= 0 ? fields[columns.stream] || undefined : undefined;
      const group = columns.group >= 0 ? functionOfGroup(fields[columns.group]) : undefined;
      const found = reportOf(fields[columns.message], { time, stream, group }, where);
      if (found === undefined) continue;
      records++;
      sink.report(found.record, where);
    }
    if (input.failure() !== undefined) throw input.failure();
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as { code?: string }).code;
    if (code?.startsWith("CSV_")) throw problemAt({ file, line: row + 1 }, `not valid CSV (${code})`);
    throw streamProblem(file, error);
  } finally {
    input.close();
  }
  return { format: "insights-csv", records };
}

async function wholeText(file: string, gzip: boolean): Promise<string> {
  const parts: string[] = [];
  let size = 0;
  const input = textStream(file, gzip);
  try {
    for await (const chunk of input.text) {
      size += (chunk as string).length;
      if (size > MAX_JSON_BYTES) {
        throw new InputError([
          { path: file, message: `a JSON document larger than ${MAX_JSON_BYTES >> 20} MB; export in pages (--max-items) or as log lines` },
        ]);
      }
      parts.push(chunk as string);
    }
    if (input.failure() !== undefined) throw input.failure();
  } catch (error) {
    throw streamProblem(file, error);
  } finally {
    input.close();
  }
  return parts.join("");
}

function readFilterLogEvents(file: string, events: unknown[], sink: InputSink): InputResult {
  let records = 0;
  events.forEach((event, i) => {
    const where = { file, line: i + 1 };
    const at = `events[${i}]`;
    if (typeof event !== "object" || event === null) throw problemAt(where, `${at} is not an object`);
    const { timestamp, message, logStreamName, logGroupName } = event as Record<string, unknown>;
    if (typeof message !== "string") throw problemAt(where, `${at}.message is not a string`);
    if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) throw problemAt(where, `${at}.timestamp is not epoch milliseconds`);
    const found = reportOf(
      message,
      {
        time: timestamp,
        stream: typeof logStreamName === "string" ? logStreamName : undefined,
        group: typeof logGroupName === "string" ? functionOfGroup(logGroupName) : undefined,
      },
      where,
    );
    if (found === undefined) return;
    records++;
    sink.report(found.record, where);
  });
  return { format: "filter-log-events", records };
}

function readMetricData(file: string, results: unknown[], sink: InputSink): InputResult {
  let records = 0;
  results.forEach((result, i) => {
    const where = { file, line: i + 1 };
    const at = `MetricDataResults[${i}]`;
    if (typeof result !== "object" || result === null) throw problemAt(where, `${at} is not an object`);
    const { Label, Id, Timestamps, Values } = result as Record<string, unknown>;
    const label = typeof Label === "string" ? Label : typeof Id === "string" ? Id : "";
    const metric = METRIC_NAMES.find((name) => label.toLowerCase().includes(name.toLowerCase()));
    if (metric === undefined) {
      throw problemAt(where, `${at}.Label ${quoted(label)} names none of the metrics calibrate reads: ${METRIC_NAMES.join(", ")}`);
    }
    if (!Array.isArray(Timestamps) || !Array.isArray(Values) || Timestamps.length !== Values.length) {
      throw problemAt(where, `${at}: Timestamps and Values must be arrays of the same length`);
    }
    const timestamps = Timestamps.map((t, j) => {
      const ms = typeof t === "string" ? parseIsoMs(t) : undefined;
      if (ms === undefined) throw problemAt(where, `${at}.Timestamps[${j}] ${quoted(String(t))} is not an ISO-8601 date-time`);
      return ms;
    });
    const values = Values.map((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw problemAt(where, `${at}.Values[${j}] is not a number ≥ 0`);
      return v;
    });
    records++;
    sink.metric({ metric, label, timestamps, values }, where);
  });
  return { format: "metric-data", records };
}

/** Reads one input file into the sink; throws InputError (file and line) for anything it cannot take. */
export async function readInput(file: string, sink: InputSink): Promise<InputResult> {
  const { gzip } = opened(file);
  const detected = await detect(file, gzip);
  if (detected.kind === "log-lines") return readLogLines(file, gzip, sink);
  if (detected.kind === "insights-csv") return readInsightsCsv(file, gzip, sink);
  const text = await wholeText(file, gzip);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw problemAt({ file, line: detected.line }, `not valid JSON; ${FORMATS_HELP}`);
  }
  if (typeof document === "object" && document !== null) {
    const { events, MetricDataResults } = document as Record<string, unknown>;
    if (Array.isArray(events)) return readFilterLogEvents(file, events, sink);
    if (Array.isArray(MetricDataResults)) return readMetricData(file, MetricDataResults, sink);
  }
  throw problemAt({ file, line: detected.line }, `a JSON document with neither events[] nor MetricDataResults[]: ${FORMATS_HELP}`);
}
