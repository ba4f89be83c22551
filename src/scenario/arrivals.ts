import { resolve } from "node:path";
import { InputError, type InputProblem } from "../common/inputError.js";
import type { FunctionSpec } from "../model/types.js";
import type { ScenarioSource, SourceKind } from "../sources/index.js";
import { compileClient } from "../sources/sync/compile.js";
import { constantArrivals, diurnalArrivals, poissonArrivals, stepArrivals, type ArrivalClock } from "../workload/arrivals.js";
import {
  type AzureTraceInfo,
  AzureTraceReplay,
  scanAzureTrace,
  scanTimestampTrace,
  timestampArrivals,
  TraceFormatError,
} from "../workload/traces.js";
import type { ArrivalsSpec } from "./primitives.js";
import { toFunctionSpec } from "./functions.js";
import type { TraceWorkload } from "./schema.js";
import type { ScenarioWarning } from "./types.js";

/*
 * Arrival processes and trace replays into arrival sources. Trace files are scanned once here, at
 * compile time, so that a bad file is reported with the scenario's other problems; each run then
 * replays them afresh.
 */

/** Builds one arrival source afresh for each run, drawing from the named random streams. */
export type SourceFactory = (rng: (name: string) => () => number) => ScenarioSource;

function traceProblem(path: string, file: string, resolved: string, error: unknown): InputProblem {
  if (!(error instanceof TraceFormatError)) throw error;
  if (error.unreadable) {
    const where = file === resolved ? "" : ` (${resolved}; relative paths start from the scenario file's folder)`;
    return { path, message: `cannot read trace file ${JSON.stringify(file)}${where}: ${error.unreadable}` };
  }
  return { path, message: error.line > 0 ? `${file}, line ${error.line}: ${error.message}` : error.message };
}

/**
 * A replay reads its trace again while the run goes on. A file changed since its scan (cut short,
 * replaced) fails there: bad input like any other, named by the field that gives the file.
 */
function replaying<T>(path: string, file: string, resolved: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new InputError([traceProblem(path, file, resolved, error)]);
  }
}

export function resolveArrivals(
  functionName: string,
  spec: ArrivalsSpec,
  delivery: { kind: SourceKind; settings: unknown },
  path: string,
  baseDir: string,
  end: number,
  functionIndex: number,
  ordinal: number,
  problems: InputProblem[],
  warnings: ScenarioWarning[],
): SourceFactory | undefined {
  const streamName = `arrivals:${functionName}:${ordinal}`;
  const source = (clock: ArrivalClock, close: () => void = () => {}): ScenarioSource => ({
    name: `${functionName}:${ordinal}`,
    next: clock,
    functionIndex,
    duration: NaN,
    kind: delivery.kind,
    settings: delivery.settings,
    close,
  });
  if ("poisson" in spec) return (rng) => source(poissonArrivals(spec.poisson.rate, end, rng(streamName)));
  if ("constant" in spec) return () => source(constantArrivals(spec.constant.interval, spec.constant.start, end));
  if ("steps" in spec) return (rng) => source(stepArrivals(spec.steps, end, rng(streamName)));
  if ("diurnal" in spec) {
    const d = spec.diurnal;
    return (rng) => source(diurnalArrivals(d.mean, d.peak, d.period, d.peakAt ?? d.period / 2, end, rng(streamName)));
  }
  const trace = spec.trace;
  const file = resolve(baseDir, trace.file);
  if (trace.format === "azure-functions-2021") {
    let info: AzureTraceInfo;
    try {
      info = scanAzureTrace(file, trace.reorderWindow);
    } catch (error) {
      problems.push(traceProblem(`${path}.trace.file`, trace.file, file, error));
      return undefined;
    }
    // Every (app, func) pair the filters keep replays into this one function, with its durations.
    const keys = info.functions.filter(
      (f) => (trace.app === undefined || f.app === trace.app) && (trace.func === undefined || f.func === trace.func),
    );
    if (keys.length === 0) {
      problems.push({
        path: `${path}.trace`,
        message: `no invocation in ${trace.file} matches app ${JSON.stringify(trace.app ?? "any")} and func ${JSON.stringify(trace.func ?? "any")}`,
      });
      return undefined;
    }
    const indexByKey = new Map(keys.map((f) => [`${f.app}\u0000${f.func}`, functionIndex]));
    const field = `${path}.trace.file`;
    return () => {
      const replay = replaying(field, trace.file, file, () => new AzureTraceReplay(file, info.bytes, indexByKey, trace.reorderWindow, end));
      const replayed = source(
        () => {
          const t = replaying(field, trace.file, file, () => replay.next());
          replayed.duration = replay.duration;
          return t;
        },
        () => replay.close(),
      );
      return replayed;
    };
  }
  const field = `${path}.trace.file`;
  try {
    const info = scanTimestampTrace(file, { column: trace.column, timeUnit: trace.timeUnit });
    if (info.guessed) {
      warnings.push({
        code: "trace-time-unit-guessed",
        path: `${path}.trace.timeUnit`,
        message: `not set, and ${trace.file} starts with a timestamp too large for seconds: read as ${info.unit === "ms" ? "milliseconds" : "microseconds"} since the epoch; set timeUnit: ${info.unit} to say so`,
      });
    }
    const origin = trace.startAt ?? info.first;
    return () => {
      const replay = replaying(field, trace.file, file, () => timestampArrivals(file, trace.column, info, origin, end));
      return source(() => replaying(field, trace.file, file, replay.clock), replay.close);
    };
  } catch (error) {
    problems.push(traceProblem(field, trace.file, file, error));
    return undefined;
  }
}

export function resolveAzureTrace(
  entry: TraceWorkload,
  path: string,
  baseDir: string,
  end: number,
  functions: FunctionSpec[],
  indexByName: Map<string, number>,
  problems: InputProblem[],
): SourceFactory | undefined {
  const trace = entry.trace;
  const file = resolve(baseDir, trace.file);
  let info: AzureTraceInfo;
  try {
    info = scanAzureTrace(file, trace.reorderWindow);
  } catch (error) {
    problems.push(traceProblem(`${path}.file`, trace.file, file, error));
    return undefined;
  }
  const indexByKey = new Map<string, number>();
  for (const { app, func } of info.functions) {
    const name = uniqueName(trace.namePrefix, app, func, indexByName);
    indexByName.set(name, functions.length);
    indexByKey.set(`${app}\u0000${func}`, functions.length);
    functions.push(
      toFunctionSpec(name, trace, {
        duration: undefined,
        reservedConcurrency: undefined,
        provisioned: [],
        prewarmedEnvironments: 0,
        errorWindows: [],
      }),
    );
  }
  const client = compileClient(trace.client);
  return () => {
    const replay = replaying(
      `${path}.file`,
      trace.file,
      file,
      () => new AzureTraceReplay(file, info.bytes, indexByKey, trace.reorderWindow, end),
    );
    const source: ScenarioSource = {
      name: `trace:${path}`,
      next: () => {
        const t = replaying(`${path}.file`, trace.file, file, () => replay.next());
        source.functionIndex = replay.functionIndex;
        source.duration = replay.duration;
        return t;
      },
      functionIndex: -1,
      duration: NaN,
      kind: "sync",
      settings: client,
      close: () => replay.close(),
    };
    return source;
  };
}

/** Short readable names from the hashed ids, lengthened only where two would collide. */
function uniqueName(prefix: string, app: string, func: string, taken: Map<string, number>): string {
  for (let length = 8; ; length += 4) {
    const name = `${prefix ? `${prefix}-` : ""}${app.slice(0, length)}-${func.slice(0, length)}`.slice(0, 64);
    if (!taken.has(name)) return name;
    if (length > Math.max(app.length, func.length)) return `${name}-${taken.size}`;
  }
}
