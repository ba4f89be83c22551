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

function openTrace(path: string): LineReader {
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    return new LineReader(path);
  } catch (error) {
    const reason = whyUnreadable(error);
    throw new TraceFormatError(`cannot read trace file ${JSON.stringify(path)}: ${reason}`, 0, reason);
  }
}

/** Timestamps (seconds), one per line in a chosen CSV column, non-decreasing; a header line is allowed. */
export interface TimestampTraceInfo {
  arrivals: number;
  first: number;
  last: number;
}

function timestampCell(line: string, column: number): string {
  return (column === 0 ? line.split(",", 1)[0] : (line.split(",")[column] ?? "")).trim();
}

export function scanTimestampTrace(path: string, column: number): TimestampTraceInfo {
  return remembered(`timestamps\u0000${column}\u0000${path}`, path, () => scanTimestampFile(path, column));
}

function scanTimestampFile(path: string, column: number): TimestampTraceInfo {
  const reader = openTrace(path);
  let arrivals = 0;
  let first = NaN;
  let last = -Infinity;
  for (let line = reader.next(); line !== undefined; line = reader.next()) {
    if (line.trim() === "") continue;
    const cell = timestampCell(line, column);
    const t = Number(cell);
    if (cell === "" || !Number.isFinite(t)) {
      if (arrivals === 0 && reader.lineNumber === 1) continue;
      reader.close();
      throw new TraceFormatError(`expected a timestamp in seconds in column ${column}, got ${JSON.stringify(cell)}`, reader.lineNumber);
    }
    if (t < last) {
      reader.close();
      throw new TraceFormatError(`timestamps must not decrease (${t} after ${last})`, reader.lineNumber);
    }
    if (arrivals === 0) first = t;
    last = t;
    arrivals++;
  }
  if (arrivals === 0) throw new TraceFormatError("the trace has no timestamps", 0);
  return { arrivals, first, last };
}

export function timestampArrivals(path: string, column: number, origin: number, end: number): { clock: ArrivalClock; close: () => void } {
  const reader = openTrace(path);
  const clock = () => {
    for (let line = reader.next(); line !== undefined; line = reader.next()) {
      const t = Number(timestampCell(line, column));
      if (line.trim() === "" || !Number.isFinite(t)) continue;
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
  const cells = line.split(",");
  if (cells.length !== 4) {
    throw new TraceFormatError(`expected 4 columns (${AZURE_HEADER}), got ${cells.length}`, lineNumber);
  }
  const [app, func, endText, durationText] = cells;
  const end = Number(endText);
  const duration = Number(durationText);
  if (app === "" || func === "") throw new TraceFormatError("app and func must not be empty", lineNumber);
  if (endText.trim() === "" || !Number.isFinite(end)) {
    throw new TraceFormatError(`end_timestamp must be a number of seconds, got ${JSON.stringify(endText)}`, lineNumber);
  }
  if (durationText.trim() === "" || !Number.isFinite(duration) || duration < 0) {
    throw new TraceFormatError(`duration must be a non-negative number of seconds, got ${JSON.stringify(durationText)}`, lineNumber);
  }
  return { key: `${app}\u0000${func}`, start: Math.max(0, end - duration), duration };
}

function readAzureHeader(reader: LineReader): void {
  const header = reader.next();
  if (header === undefined || header.trim() !== AZURE_HEADER) {
    reader.close();
    throw new TraceFormatError(`expected the header "${AZURE_HEADER}", got ${JSON.stringify(header ?? "")}`, 1);
  }
}

export interface AzureTraceInfo {
  /** Each (app, func) pair in order of first appearance, with its invocation count. */
  functions: { app: string; func: string; invocations: number }[];
  invocations: number;
  lastStart: number;
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
  return { functions: [...byKey.values()], invocations, lastStart: latestStart };
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
    /** The function each (app, func) key replays into; keys it does not hold are skipped. */
    private readonly functionIndexByKey: ReadonlyMap<string, number>,
    private readonly reorderWindow: number,
    private readonly end: number,
  ) {
    this.reader = openTrace(path);
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
