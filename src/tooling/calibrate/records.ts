import { InputError } from "../../common/inputError.js";

/*
 * One Lambda invocation as its REPORT record tells it, from any of the formats calibrate reads,
 * and the parsing of a log message (text or JSON log format) into one. docs/calibration.md says
 * what each field is taken to mean and where AWS documents it.
 */

export type Status = "success" | "error" | "timeout";

export interface ReportRecord {
  /** When the REPORT event was logged (epoch ms): the end of the invocation; undefined when the line has no timestamp. */
  time: number | undefined;
  /** The log stream: one per execution environment. */
  stream: string | undefined;
  /** The function's name from its log group (/aws/lambda/NAME) when the data carries it. */
  group: string | undefined;
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  maxMemoryMb: number;
  /** Present on cold starts only. */
  initMs: number | undefined;
  status: Status;
}

/** Where a record came from, for messages: the file and its 1-based line (or CSV row / JSON event). */
export interface Where {
  file: string;
  line: number;
}

/** A field value quoted for a message, never more than 40 characters of it: inputs are not echoed. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function problemAt(where: Where, message: string): InputError {
  return new InputError([{ path: `${where.file}:${where.line}`, message }]);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds of an ISO-8601 date-time (UTC without offset), keeping sub-millisecond digits; undefined if not one. */
export function parseIsoMs(text: string): number | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", zone = "Z"] = m;
  const base = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (!Number.isFinite(base) || +mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return undefined;
  const ms = fraction === "" ? 0 : Number(`0.${fraction}`) * 1000;
  let offset = 0;
  if (zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return base + ms - offset;
}

/** A log stream name as Lambda makes them: 2024/06/10/[$LATEST]0123abcd (a prefix before the bracket allowed). */
const STREAM = /^\d{4}\/\d{2}\/\d{2}\/\S*\[[^\]\s]*\]\S+$/;

export interface LogLine {
  time: number | undefined;
  stream: string | undefined;
  message: string;
}

/**
 * Splits a log line into its optional export timestamp, optional log stream (as `aws logs tail`
 * prints: `<time> <stream> <message>`) and the message.
 */
export function splitLogLine(line: string): LogLine {
  let rest = line;
  let time: number | undefined;
  let stream: string | undefined;
  const space = rest.search(/[ \t]/);
  if (space > 0) {
    const parsed = parseIsoMs(rest.slice(0, space));
    if (parsed !== undefined) {
      time = parsed;
      rest = rest.slice(space).replace(/^[ \t]+/, "");
      const next = rest.search(/[ \t]/);
      if (next > 0 && STREAM.test(rest.slice(0, next))) {
        stream = rest.slice(0, next);
        rest = rest.slice(next).replace(/^[ \t]+/, "");
      }
    }
  }
  return { time, stream, message: rest };
}

/** Whether a message is one Lambda's platform writes in the text format. */
export const PLATFORM_TEXT = /^(START|END|REPORT|INIT_START|INIT_REPORT|EXTENSION|TELEMETRY|RESTORE_START|RESTORE_REPORT) /;

const NUMBER = /^\d+(?:\.\d+)?$/;
const REPORT_FIELD =
  /(?:^|\s)(Billed Restore Duration|Billed Duration|Restore Duration|Init Duration|Max Memory Used|Memory Size|Duration|Status): *(\S+)/g;

function number(field: string, text: string, where: Where): number {
  if (!NUMBER.test(text)) {
    throw problemAt(where, `REPORT field "${field}" is ${quoted(text)}, not a number (digits with an optional decimal part)`);
  }
  return Number(text);
}

function statusOf(text: string | undefined, where: Where): Status {
  if (text === undefined || text === "success") return "success";
  if (text === "timeout") return "timeout";
  if (text === "error" || text === "failure") return "error";
  throw problemAt(where, `REPORT status ${quoted(text)} is none of success, error, failure, timeout`);
}

/** The layout Lambda writes (fields in this order, tab- or space-separated): one match, no per-field allocation. */
const USUAL_REPORT =
  /^REPORT RequestId: \S+\s+Duration: (\S+) ms\s+Billed Duration: (\S+) ms\s+Memory Size: (\S+) MB\s+Max Memory Used: (\S+) MB(?:\s+Init Duration: (\S+) ms)?(?:\s+Status: (\S+))?\s*$/;

/** A text-format REPORT line's figures; undefined when the message is no REPORT. */
function textReport(message: string, where: Where): Omit<ReportRecord, "time" | "stream" | "group"> | undefined {
  if (!message.startsWith("REPORT ")) return undefined;
  const usual = USUAL_REPORT.exec(message);
  if (usual !== null) {
    return {
      durationMs: number("Duration", usual[1], where),
      billedMs: number("Billed Duration", usual[2], where),
      memoryMb: number("Memory Size", usual[3], where),
      maxMemoryMb: number("Max Memory Used", usual[4], where),
      initMs: usual[5] === undefined ? undefined : number("Init Duration", usual[5], where),
      status: statusOf(usual[6], where),
    };
  }
  // Any other order or extra fields (X-Ray ids, SnapStart's Restore Duration): field by field.
  const fields = new Map<string, string>();
  for (const m of message.matchAll(REPORT_FIELD)) if (!fields.has(m[1])) fields.set(m[1], m[2]);
  const required = ["Duration", "Billed Duration", "Memory Size", "Max Memory Used"];
  const missing = required.filter((name) => !fields.has(name));
  if (missing.length > 0) throw problemAt(where, `REPORT line without ${missing.join(", ")}`);
  const init = fields.get("Init Duration");
  return {
    durationMs: number("Duration", fields.get("Duration")!, where),
    billedMs: number("Billed Duration", fields.get("Billed Duration")!, where),
    memoryMb: number("Memory Size", fields.get("Memory Size")!, where),
    maxMemoryMb: number("Max Memory Used", fields.get("Max Memory Used")!, where),
    initMs: init === undefined ? undefined : number("Init Duration", init, where),
    status: statusOf(fields.get("Status"), where),
  };
}

function jsonNumber(metrics: Record<string, unknown>, field: string, where: Where, optional = false): number | undefined {
  const value = metrics[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    const shown = typeof value === "string" ? quoted(value) : value === undefined ? "missing" : quoted(String(JSON.stringify(value)));
    throw problemAt(where, `platform.report record.metrics.${field} is ${shown}, not a number ≥ 0`);
  }
  return value;
}

interface JsonReport {
  time: number | undefined;
  figures: Omit<ReportRecord, "time" | "stream" | "group">;
}

/** A JSON log format platform.report record; undefined for any other JSON log record. */
function jsonReport(message: string, where: Where): JsonReport | undefined {
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof event !== "object" || event === null || (event as { type?: unknown }).type !== "platform.report") return undefined;
  const { time, record } = event as { time?: unknown; record?: unknown };
  if (typeof record !== "object" || record === null) throw problemAt(where, "platform.report without a record object");
  const { metrics, status } = record as { metrics?: unknown; status?: unknown };
  if (typeof metrics !== "object" || metrics === null) throw problemAt(where, "platform.report without record.metrics");
  const m = metrics as Record<string, unknown>;
  return {
    time: typeof time === "string" ? parseIsoMs(time) : undefined,
    figures: {
      durationMs: jsonNumber(m, "durationMs", where)!,
      billedMs: jsonNumber(m, "billedDurationMs", where)!,
      memoryMb: jsonNumber(m, "memorySizeMB", where)!,
      maxMemoryMb: jsonNumber(m, "maxMemoryUsedMB", where)!,
      initMs: jsonNumber(m, "initDurationMs", where, true),
      status: statusOf(typeof status === "string" ? status : undefined, where),
    },
  };
}

export type MessageKind = "text" | "json-log";

/**
 * The REPORT record in a log message, with the time and stream the line or event carried; undefined
 * for any other message (START, END, the function's own output).
 */
export function reportOf(
  message: string,
  context: { time: number | undefined; stream: string | undefined; group: string | undefined },
  where: Where,
): { record: ReportRecord; kind: MessageKind } | undefined {
  const trimmed = message.trim();
  if (trimmed.startsWith("{")) {
    const json = jsonReport(trimmed, where);
    if (json === undefined) return undefined;
    return { record: { ...json.figures, time: context.time ?? json.time, stream: context.stream, group: context.group }, kind: "json-log" };
  }
  const figures = textReport(trimmed, where);
  return figures === undefined ? undefined : { record: { ...figures, ...context }, kind: "text" };
}

/** The function name in a log group name /aws/lambda/NAME (a log group ARN or account:group prefix allowed). */
export function functionOfGroup(group: string): string | undefined {
  const m = /\/aws\/lambda\/([A-Za-z0-9_-]{1,64})(?::\*)?$/.exec(group);
  return m?.[1];
}
