import { parse as parseCsv } from "csv-parse/sync";
import { statSync } from "node:fs";
import { whyUnreadable } from "../common/fileErrors.js";
import { LineReader } from "./lineReader.js";
import type { ArrivalClock } from "./arrivals.js";

/** Scans kept, keyed by kind, settings and path; the oldest goes beyond this many. */
const REMEMBERED_SCANS = 32;
const scans = new Map<string, { stamp: string; info: unknown }>();

/**
 * A scan is a pure function of the file's bytes, and a sweep resolves its scenario once per
 * variant: a multi-gigabyte trace is read once, not once per variant. A changed size or
 * modification time means a changed file and a new scan; a failed scan is not remembered.
 */
function remembered<T>(key: string, path: string, scan: () => T): T {
  let stamp: string;
  try {
    const stat = statSync(path);
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return scan();
  }
  const hit = scans.get(key);
  if (hit !== undefined && hit.stamp === stamp) return hit.info as T;
  const info = scan();
  scans.set(key, { stamp, info });
  if (scans.size > REMEMBERED_SCANS) scans.delete(scans.keys().next().value!);
  return info;
}

/** A trace file that cannot be replayed; `line` is 1-based, 0 when the file itself is the problem. */
export class TraceFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
    /** Set when the file could not be opened at all: why not. */
    readonly unreadable?: string,
  ) {
    super(message);
    this.name = "TraceFormatError";
  }
}

/** No real trace has longer lines; a longer one is a wrong file, refused before it fills memory. */
const MAX_LINE_BYTES = 1 << 20;
/** The most of a line's text a message shows: enough to recognise it, too little to leak a file. */
const EXCERPT_CHARS = 40;

/*
 * A file named as a trace may be anything (a private key, /etc/passwd), so a message quotes its
 * text only where it looks like what a trace holds there: numbers and dates in a cell, plain
 * column names in a header. Anything else is only described.
 */
const DATA_LIKE = /^[\d\s.,:+\-eETZ]*$/;
const HEADER_LIKE = /^[A-Za-z0-9_ ,.-]*$/;

/** Text from a trace as a message shows it: quoted, control characters escaped, cut short. */
function quoted(text: string): string {
  return text.length > EXCERPT_CHARS ? `${JSON.stringify(text.slice(0, EXCERPT_CHARS))}...` : JSON.stringify(text);
}

/** A cell that should hold a number or a date, as a message may show it. */
function excerpt(text: string): string {
  return DATA_LIKE.test(text) ? quoted(text) : `text (${text.length} characters)`;
}

/** A first line that should be the header, as a message may show it. */
function headerExcerpt(text: string): string {
  return HEADER_LIKE.test(text) ? quoted(text) : `a line of other text (${text.length} characters)`;
}

/** A validated cell (a number or a date) as written, cut short. */
function cut(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}...` : text;
}

/**
 * Opens a trace for reading, no further than `byteLimit` bytes. A replay reads only the bytes its
 * scan checked: rows appended since (a trace still being written) are not part of the run, and a
 * file that shrank has lost rows the scan counted.
 */
function openTrace(path: string, byteLimit?: number): LineReader {
  let reader: LineReader;
  try {
    reader = new LineReader(path, {
      maxLineBytes: MAX_LINE_BYTES,
      tooLong: (line) => new TraceFormatError("line longer than 1 MiB", line),
      byteLimit,
    });
  } catch (error) {
    const reason = whyUnreadable(error);
    throw new TraceFormatError(`cannot read trace file ${JSON.stringify(path)}: ${reason}`, 0, reason);
  }
  if (byteLimit !== undefined && reader.size < byteLimit) {
    reader.close();
    throw new TraceFormatError(`the file changed after it was checked (${byteLimit} bytes then, ${reader.size} now); run again`, 0);
  }
  return reader;
}

/** A scanned line holding a NUL byte: not a CSV file at all (say, /proc/self/environ), so nothing of it is shown. */
function refuseBinary(reader: LineReader, line: string): void {
  if (!line.includes("\u0000")) return;
  reader.close();
  throw new TraceFormatError("not a text file (it holds NUL bytes); a trace is a CSV file", reader.lineNumber);
}

/**
 * The cells of one CSV line. Most lines hold no quote and are split directly; a quoted field
 * ("Acme, Inc") goes through the CSV parser. A record spans one line: traces hold no line breaks
 * inside fields, and a line-at-a-time read keeps the replay streaming.
 */
function csvCells(line: string, lineNumber: number): string[] {
  if (!line.includes('"')) return line.split(",");
  try {
    const [cells] = parseCsv(line, { relax_quotes: true, relax_column_count: true }) as string[][];
    return cells ?? [""];
  } catch {
    throw new TraceFormatError("a quoted field is not closed on its line (a field cannot span lines)", lineNumber);
  }
}

export type TimeUnit = "s" | "ms" | "us";

const UNIT_DIVISORS: Record<TimeUnit, number> = { s: 1, ms: 1e3, us: 1e6 };
const UNIT_NAMES: Record<TimeUnit, string> = { s: "seconds", ms: "milliseconds", us: "microseconds" };

/**
 * Epoch seconds stay below 1e11 until the year 5138, while epoch milliseconds passed 1e11 in 1973
 * and epoch microseconds passed 1e14 the same year: a first timestamp above either bound is read
 * in the smaller unit.
 */
function guessUnit(first: number): TimeUnit {
  return first > 1e14 ? "us" : first > 1e11 ? "ms" : "s";
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * An ISO-8601 date or date-time in seconds since the epoch, NaN when the text is not one. Without
 * an offset the time is UTC, not the machine's zone: a trace replays the same everywhere. The
 * fraction is added apart from the date so that microseconds survive.
 */
function isoSeconds(text: string): number {
  const m = ISO_8601.exec(text);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => Number(part ?? 0));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return NaN;
  let offset = 0;
  if (m[8] !== undefined && m[8] !== "Z") {
    const digits = m[8].replace(":", "");
    offset = (digits[0] === "-" ? -1 : 1) * (Number(digits.slice(1, 3)) * 3600 + Number(digits.slice(3, 5)) * 60);
  }
  return ms / 1000 + Number(m[7] ?? 0) - offset;
}

/** A cell's number, NaN for an empty or non-numeric cell. */
function numberIn(cell: string): number {
  const value = cell === "" ? NaN : Number(cell);
  return Number.isFinite(value) ? value : NaN;
}

function timestampCell(line: string, column: number, lineNumber: number): string {
  if (column === 0 && !line.includes('"')) return line.split(",", 1)[0].trim();
  return (csvCells(line, lineNumber)[column] ?? "").trim();
}

/** Timestamps, one per line in a chosen CSV column, non-decreasing; a header line is allowed. */
export interface TimestampTraceSettings {
  column: number;
  /** The unit of numeric timestamps; unset, it is seconds unless the first timestamp is too large for that. */
  timeUnit?: TimeUnit;
}

export interface TimestampTraceInfo {
  arrivals: number;
  /** First and last timestamps, in seconds. */
  first: number;
  last: number;
  /** The unit numeric timestamps are read in, and whether it was guessed from their size. */
  unit: TimeUnit;
  guessed: boolean;
  /** The bytes checked: a replay reads no more. */
  bytes: number;
}

export function scanTimestampTrace(path: string, settings: TimestampTraceSettings): TimestampTraceInfo {
  const key = `timestamps\u0000${settings.column}\u0000${settings.timeUnit ?? ""}\u0000${path}`;
  return remembered(key, path, () => scanTimestampFile(path, settings));
}

function scanTimestampFile(path: string, { column, timeUnit }: TimestampTraceSettings): TimestampTraceInfo {
  const reader = openTrace(path);
  let arrivals = 0;
  let first = NaN;
  let last = -Infinity;
  let lastCell = "";
  let unit = timeUnit;
  try {
    for (let line = reader.next(); line !== undefined; line = reader.next()) {
      if (line.trim() === "") continue;
      refuseBinary(reader, line);
      const cell = timestampCell(line, column, reader.lineNumber);
      let t = numberIn(cell);
      if (Number.isNaN(t)) {
        t = isoSeconds(cell);
      } else {
        unit ??= guessUnit(t);
        t /= UNIT_DIVISORS[unit];
      }
      if (Number.isNaN(t)) {
        if (arrivals === 0 && reader.lineNumber === 1) continue;
        throw new TraceFormatError(
          `expected a timestamp in ${UNIT_NAMES[unit ?? "s"]} in column ${column}, got ${excerpt(cell)}`,
          reader.lineNumber,
        );
      }
      if (t < last) throw new TraceFormatError(`timestamps must not decrease (${cut(cell)} after ${cut(lastCell)})`, reader.lineNumber);
      if (arrivals === 0) first = t;
      last = t;
      lastCell = cell;
      arrivals++;
    }
  } finally {
    reader.close();
  }
  if (arrivals === 0) throw new TraceFormatError("the trace has no timestamps", 0);
  return {
    arrivals,
    first,
    last,
    unit: unit ?? "s",
    guessed: timeUnit === undefined && (unit === "ms" || unit === "us"),
    bytes: reader.bytesRead,
  };
}

/** Replays a scanned timestamp trace as arrival times from `origin` (seconds), up to `end`. */
export function timestampArrivals(
  path: string,
  column: number,
  scanned: Pick<TimestampTraceInfo, "unit" | "bytes">,
  origin: number,
  end: number,
): { clock: ArrivalClock; close: () => void } {
  const reader = openTrace(path, scanned.bytes);
  const divisor = UNIT_DIVISORS[scanned.unit];
  const clock = () => {
    for (let line = reader.next(); line !== undefined; line = reader.next()) {
      if (line.trim() === "") continue;
      const cell = timestampCell(line, column, reader.lineNumber);
      const value = numberIn(cell);
      const t = Number.isNaN(value) ? isoSeconds(cell) : value / divisor;
      if (Number.isNaN(t)) continue;
      const at = Math.max(0, t - origin);
      if (at >= end) break;
      return at;
    }
    reader.close();
    return Infinity;
  };
  return { clock, close: () => reader.close() };
}

/** One invocation of the Azure Functions 2021 trace: app,func,end_timestamp,duration. */
interface AzureRow {
  key: string;
  start: number;
  duration: number;
}

const AZURE_HEADER = "app,func,end_timestamp,duration";

function parseAzureRow(line: string, lineNumber: number): AzureRow | undefined {
  if (line.trim() === "") return undefined;
  const cells = csvCells(line, lineNumber);
  if (cells.length !== 4) {
    throw new TraceFormatError(`expected 4 columns (${AZURE_HEADER}), got ${cells.length}`, lineNumber);
  }
  const [app, func, endText, durationText] = cells;
  const end = Number(endText);
  const duration = Number(durationText);
  if (app === "" || func === "") throw new TraceFormatError("app and func must not be empty", lineNumber);
  if (endText.trim() === "" || !Number.isFinite(end)) {
    throw new TraceFormatError(`end_timestamp must be a number of seconds, got ${excerpt(endText)}`, lineNumber);
  }
  if (durationText.trim() === "" || !Number.isFinite(duration) || duration < 0) {
    throw new TraceFormatError(`duration must be a non-negative number of seconds, got ${excerpt(durationText)}`, lineNumber);
  }
  return { key: `${app}\u0000${func}`, start: Math.max(0, end - duration), duration };
}

function readAzureHeader(reader: LineReader): void {
  const header = reader.next();
  if (header !== undefined) refuseBinary(reader, header);
  if (header === undefined || header.trim() !== AZURE_HEADER) {
    reader.close();
    throw new TraceFormatError(`expected the header "${AZURE_HEADER}", got ${headerExcerpt(header ?? "")}`, 1);
  }
}

export interface AzureTraceInfo {
  /** Each (app, func) pair in order of first appearance, with its invocation count. */
  functions: { app: string; func: string; invocations: number }[];
  invocations: number;
  lastStart: number;
  /** The bytes checked: a replay reads no more. */
  bytes: number;
}

/**
 * Validates the whole file and lists its functions in one streaming pass: the functions must be
 * known before the run starts, and a malformed row must fail before any report is written.
 */
export function scanAzureTrace(path: string, reorderWindow: number): AzureTraceInfo {
  return remembered(`azure\u0000${reorderWindow}\u0000${path}`, path, () => scanAzureFile(path, reorderWindow));
}

function scanAzureFile(path: string, reorderWindow: number): AzureTraceInfo {
  const reader = openTrace(path);
  readAzureHeader(reader);
  const byKey = new Map<string, { app: string; func: string; invocations: number }>();
  let invocations = 0;
  let latestStart = -Infinity;
  try {
    for (let line = reader.next(); line !== undefined; line = reader.next()) {
      refuseBinary(reader, line);
      const row = parseAzureRow(line, reader.lineNumber);
      if (!row) continue;
      if (row.start < latestStart - reorderWindow) {
        throw new TraceFormatError(
          `invocation starts at ${row.start.toFixed(3)} s, more than reorderWindow (${reorderWindow} s) before one already read at ${latestStart.toFixed(3)} s; raise trace.reorderWindow`,
          reader.lineNumber,
        );
      }
      latestStart = Math.max(latestStart, row.start);
      let entry = byKey.get(row.key);
      if (!entry) {
        const [app, func] = row.key.split("\u0000");
        entry = { app, func, invocations: 0 };
        byKey.set(row.key, entry);
      }
      entry.invocations++;
      invocations++;
    }
  } finally {
    reader.close();
  }
  if (invocations === 0) throw new TraceFormatError("the trace has no invocations", 0);
  return { functions: [...byKey.values()], invocations, lastStart: latestStart, bytes: reader.bytesRead };
}

/**
 * Replays an Azure 2021 trace in start-time order. The file is sorted by start only up to
 * rounding, so rows wait in a small min-heap until the file has been read `reorderWindow`
 * seconds past them; memory is bounded by the rows inside that window.
 */
export class AzureTraceReplay {
  private readonly reader: LineReader;
  private readonly starts: number[] = [];
  private readonly durations: number[] = [];
  private readonly functions: number[] = [];
  private readFrontier = -Infinity;
  private exhausted = false;
  functionIndex = -1;
  duration = NaN;

  constructor(
    path: string,
    /** The bytes its scan checked: the replay reads no more. */
    bytes: number,
    /** The function each (app, func) key replays into; keys it does not hold are skipped. */
    private readonly functionIndexByKey: ReadonlyMap<string, number>,
    private readonly reorderWindow: number,
    private readonly end: number,
  ) {
    this.reader = openTrace(path, bytes);
    readAzureHeader(this.reader);
  }

  next(): number {
    while (!this.exhausted && (this.starts.length === 0 || this.readFrontier < this.starts[0] + this.reorderWindow)) {
      this.readRow();
    }
    if (this.starts.length === 0) return Infinity;
    const start = this.starts[0];
    if (start >= this.end) {
      this.close();
      this.starts.length = 0;
      return Infinity;
    }
    this.duration = this.durations[0];
    this.functionIndex = this.functions[0];
    this.removeTop();
    return start;
  }

  close(): void {
    this.exhausted = true;
    this.reader.close();
  }

  private readRow(): void {
    const line = this.reader.next();
    if (line === undefined) {
      this.exhausted = true;
      return;
    }
    const row = parseAzureRow(line, this.reader.lineNumber);
    if (!row) return;
    this.readFrontier = Math.max(this.readFrontier, row.start);
    const index = this.functionIndexByKey.get(row.key);
    if (index === undefined) return;
    this.insert(row.start, row.duration, index);
  }

  private insert(start: number, duration: number, functionIndex: number): void {
    const { starts, durations, functions } = this;
    let i = starts.length;
    starts.push(start);
    durations.push(duration);
    functions.push(functionIndex);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (starts[parent] <= start) break;
      starts[i] = starts[parent];
      durations[i] = durations[parent];
      functions[i] = functions[parent];
      i = parent;
    }
    starts[i] = start;
    durations[i] = duration;
    functions[i] = functionIndex;
  }

  private removeTop(): void {
    const { starts, durations, functions } = this;
    const lastStart = starts.pop()!;
    const lastDuration = durations.pop()!;
    const lastFunction = functions.pop()!;
    const n = starts.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && starts[child + 1] < starts[child]) child++;
      if (starts[child] >= lastStart) break;
      starts[i] = starts[child];
      durations[i] = durations[child];
      functions[i] = functions[child];
      i = child;
    }
    starts[i] = lastStart;
    durations[i] = lastDuration;
    functions[i] = lastFunction;
  }
}
