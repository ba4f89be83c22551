import { readFileSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { defaultInitDistribution } from "../model/runtimes.js";
import type { ArrivalSource, ClientRetry, Delivery, FunctionSpec, PoisonRecords, Scenario } from "../model/types.js";
import { constantArrivals, diurnalArrivals, poissonArrivals, stepArrivals, type ArrivalClock } from "../workload/arrivals.js";
import { whyUnreadable } from "../workload/lineReader.js";
import { AzureTraceReplay, scanAzureTrace, scanTimestampTrace, timestampArrivals, TraceFormatError } from "../workload/traces.js";
import { describeValue, formatPath, ScenarioError, type ScenarioProblem } from "./errors.js";
import {
  asyncSchema,
  clientSchema,
  scenarioSchema,
  sweepSchema,
  type ArrivalsSpec,
  type ClientConfig,
  type FunctionSettings,
  type InvocationWorkload,
  type ParsedScenario,
  type SqsWorkload,
  type StreamWorkload,
  type SweepBlock,
  type TraceWorkload,
} from "./schema.js";
import { closest } from "./units.js";

export interface LoadOptions {
  /** Trace files are resolved against this folder (the scenario file's own). */
  baseDir?: string;
  /** Used when the scenario has no name (the file name without extension). */
  defaultName?: string;
  /** Overrides the scenario's seed. */
  seed?: number;
}

/** Reads, parses and validates a scenario file; throws ScenarioError on any problem. */
export function loadScenarioFile(path: string, options: Omit<LoadOptions, "baseDir" | "defaultName"> = {}): Scenario {
  return resolveScenario(readScenarioDocument(path), { ...options, ...scenarioFileContext(path) });
}

/** Where a scenario file's relative paths start, and the name it gets when it has none. */
export function scenarioFileContext(path: string): { baseDir: string; defaultName: string } {
  return { baseDir: dirname(resolve(path)), defaultName: basename(path, extname(path)) };
}

/** Reads and parses a scenario file (YAML or JSON) without validating it. */
export function readScenarioDocument(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ScenarioError([{ path: "", message: `cannot read scenario file ${JSON.stringify(path)}: ${whyUnreadable(error)}` }]);
  }
  // merge: YAML anchors with "<<" let scenarios share blocks between functions.
  const document = parseDocument(text, { prettyErrors: true, merge: true });
  if (document.errors.length > 0) {
    throw new ScenarioError(
      document.errors.map((error) => {
        const position = error.linePos?.[0];
        const where = position ? `${path}:${position.line}:${position.col}` : path;
        const message = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        return { path: "", message: `${where}: ${extname(path) === ".json" ? "JSON" : "YAML"} syntax error: ${message}` };
      }),
    );
  }
  if (document.contents === null) {
    throw new ScenarioError([{ path: "", message: `${path}: the scenario file is empty; it needs at least workload (and functions)` }]);
  }
  return document.toJS();
}

/** Validates a scenario given as data (parsed YAML/JSON, or built in code). */
export function resolveScenario(input: unknown, options: LoadOptions = {}): Scenario {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ScenarioError([{ path: "", message: `a scenario must be a mapping of fields (name, functions, workload, ...), got ${describeValue(input)}` }]);
  }
  const parsed = scenarioSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) throw new ScenarioError(issuesToProblems(parsed.error.issues, []));
  return buildScenario(parsed.data, options);
}

/** Validates a scenario's `sweep` block on its own (a sweep strips it before resolving variants). */
export function parseSweepBlock(block: unknown): SweepBlock {
  const parsed = sweepSchema.safeParse(block ?? {}, { reportInput: true });
  if (!parsed.success) throw new ScenarioError(issuesToProblems(parsed.error.issues, ["sweep"]));
  return parsed.data;
}

type Issue = z.core.$ZodIssue;

function issuesToProblems(issues: readonly Issue[], base: readonly PropertyKey[]): ScenarioProblem[] {
  return issues.flatMap((issue) => issueToProblems(issue, [...base, ...issue.path]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The branch cannot take a value of this type at all (rather than failing on its content). */
function rejectsType(branch: readonly Issue[]): boolean {
  return branch.some(
    (i) => i.path.length === 0 && (i.code === "invalid_type" || (i.code === "invalid_union" && i.errors.every(rejectsType))),
  );
}

/**
 * A union fails with one list of issues per branch; the user meant one branch, so report that
 * branch's issues: for a mapping, the branch recognising most of its keys; for a plain value, the
 * only branch accepting its type. Undefined when no branch is a clear match.
 */
function chooseUnionBranch(issue: Extract<Issue, { code: "invalid_union" }>): readonly Issue[] | undefined {
  const input = issue.input;
  const candidates = issue.errors.filter((branch) => !rejectsType(branch));
  if (!isPlainObject(input)) return candidates.length === 1 ? candidates[0] : undefined;
  const keyCount = Object.keys(input).length;
  // A word-valued key that one branch takes as written (source: sqs) names the branch meant:
  // branches rejecting that key or its value are not it.
  const rejects = (branch: readonly Issue[], key: string) =>
    branch.some((i) => (i.path.length >= 1 && i.path[0] === key) || (i.path.length === 0 && i.code === "unrecognized_keys" && i.keys.includes(key)));
  const words = Object.keys(input).filter((key) => typeof input[key] === "string");
  const meant = candidates.filter((branch) =>
    !words.some((key) => rejects(branch, key) && candidates.some((other) => other !== branch && !rejects(other, key))),
  );
  return chooseAmong(meant.length > 0 ? meant : candidates, keyCount);
}

function chooseAmong(candidates: readonly (readonly Issue[])[], keyCount: number): readonly Issue[] | undefined {
  let best: readonly Issue[] | undefined;
  let bestUnknown = Infinity;
  for (const branch of candidates) {
    const unknown = branch.find((i) => i.path.length === 0 && i.code === "unrecognized_keys");
    const unknownCount = unknown && unknown.code === "unrecognized_keys" ? unknown.keys.length : 0;
    if (keyCount > 0 && unknownCount >= keyCount) continue;
    if (unknownCount < bestUnknown) {
      best = branch;
      bestUnknown = unknownCount;
    }
  }
  return best;
}

/** For a mapping no branch recognises, the branch key closest to what was written. */
function unionKeyHint(issue: Extract<Issue, { code: "invalid_union" }>): string {
  if (!isPlainObject(issue.input)) return "";
  const required = issue.errors.flatMap((branch) =>
    branch.filter((i) => i.path.length === 1 && i.code === "invalid_type" && i.input === undefined).map((i) => String(i.path[0])),
  );
  for (const key of Object.keys(issue.input)) {
    const guess = closest(key, required);
    if (guess && guess !== key) return ` ("${key}": did you mean "${guess}"?)`;
  }
  return "";
}

const DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized key)/;

function issueToProblems(issue: Issue, path: readonly PropertyKey[]): ScenarioProblem[] {
  // A message that already quotes the value (with its unit) needs no second "got".
  const got = issue.input === undefined || issue.message.includes(", got ") ? "" : `, got ${describeValue(issue.input)}`;
  const custom = !DEFAULT_MESSAGE.test(issue.message);
  switch (issue.code) {
    case "invalid_union": {
      if (issue.input === undefined) return [{ path: formatPath(path), message: `required (${issue.message})` }];
      const branch = chooseUnionBranch(issue);
      if (branch) return issuesToProblems(branch, path);
      return [{ path: formatPath(path), message: `${issue.message}${got}${unionKeyHint(issue)}` }];
    }
    case "unrecognized_keys": {
      const keyPath = issue.keys.length === 1 ? [...path, issue.keys[0]] : path;
      return [{ path: formatPath(keyPath), message: issue.message }];
    }
    case "invalid_type": {
      if (issue.input === undefined) return [{ path: formatPath(path), message: `required (${describeExpected(issue.expected)})` }];
      return [{ path: formatPath(path), message: custom ? `${issue.message}${got}` : `expected ${describeExpected(issue.expected)}${got}` }];
    }
    case "too_small":
    case "too_big": {
      if (custom) return [{ path: formatPath(path), message: `${issue.message}${got}` }];
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const relation = issue.code === "too_small" ? (inclusive ? ">=" : ">") : inclusive ? "<=" : "<";
      const what =
        issue.origin === "array"
          ? `must have ${issue.code === "too_small" ? "at least" : "at most"} ${bound} ${bound === 1 ? "entry" : "entries"}`
          : issue.origin === "string"
            ? `must have ${issue.code === "too_small" ? "at least" : "at most"} ${bound} characters`
            : `must be ${relation} ${bound}`;
      return [{ path: formatPath(path), message: `${what}${got}` }];
    }
    case "invalid_value": {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(" | ");
      return [{ path: formatPath(path), message: `${custom ? issue.message : `expected ${allowed}`}${got}` }];
    }
    default:
      return [{ path: formatPath(path), message: `${issue.message}${got}` }];
  }
}

function describeExpected(expected: string): string {
  const names: Record<string, string> = {
    int: "a whole number",
    number: "a number",
    string: "a string",
    object: "a mapping of fields",
    array: "a list",
    boolean: "true or false",
  };
  return names[expected] ?? expected;
}

function buildScenario(parsed: ParsedScenario, options: LoadOptions): Scenario {
  const problems: ScenarioProblem[] = [];
  const baseDir = options.baseDir ?? process.cwd();
  const functions: FunctionSpec[] = [];
  const indexByName = new Map<string, number>();

  parsed.functions.forEach((fn, i) => {
    if (indexByName.has(fn.name)) {
      problems.push({ path: `functions[${i}].name`, message: `"${fn.name}" is defined twice; function names must be unique` });
      return;
    }
    indexByName.set(fn.name, functions.length);
    functions.push(toFunctionSpec(fn.name, fn, {
      duration: fn.duration,
      reservedConcurrency: fn.reservedConcurrency,
      provisioned: fn.provisionedConcurrency === undefined ? [] : typeof fn.provisionedConcurrency === "number"
        ? [{ at: 0, value: fn.provisionedConcurrency }]
        : fn.provisionedConcurrency,
      errorWindows: fn.errorWindows,
    }));
    const schedule = fn.provisionedConcurrency;
    if (Array.isArray(schedule)) {
      schedule.forEach((step, k) => {
        if (k > 0 && step.at <= schedule[k - 1].at) {
          problems.push({ path: `functions[${i}].provisionedConcurrency[${k}].at`, message: `must be later than the previous step (${schedule[k - 1].at} s), got ${step.at} s` });
        }
      });
    }
  });

  const { keepAlive, activeKeepAlive } = parsed.platform;
  if (activeKeepAlive !== undefined && activeKeepAlive < keepAlive) {
    problems.push({ path: "platform.activeKeepAlive", message: `must be at least keepAlive (${keepAlive} s), got ${activeKeepAlive} s` });
  }

  const hasGeneratedArrivals = parsed.workload.some((entry) => "function" in entry && !("trace" in arrivalsOf(entry)));
  if (hasGeneratedArrivals && parsed.duration === undefined) {
    problems.push({ path: "duration", message: `required when a workload generates arrivals (a time such as 1h)` });
  }
  const end = parsed.duration ?? Infinity;

  type SourceFactory = (rng: (name: string) => () => number) => ArrivalSource;
  const sourceFactories: SourceFactory[] = [];
  const entriesPerFunction = new Map<string, number>();

  parsed.workload.forEach((entry, w) => {
    if ("trace" in entry) {
      const factory = resolveAzureTrace(entry, `workload[${w}].trace`, baseDir, end, functions, indexByName, problems);
      if (factory) sourceFactories.push(factory);
      return;
    }
    const functionIndex = indexByName.get(entry.function);
    if (functionIndex === undefined) {
      const names = [...indexByName.keys()];
      const guess = closest(entry.function, names);
      problems.push({
        path: `workload[${w}].function`,
        message: `"${entry.function}" is not a defined function${guess ? ` (did you mean "${guess}"?)` : ""}; defined: ${names.length > 0 ? names.join(", ") : "none"}`,
      });
      return;
    }
    const ordinal = entriesPerFunction.get(entry.function) ?? 0;
    entriesPerFunction.set(entry.function, ordinal + 1);
    const delivery = resolveDelivery(entry, `workload[${w}]`, functions[functionIndex], problems);
    const field = entry.source === undefined ? "arrivals" : entry.source === "sqs" ? "messages" : "records";
    const factory = resolveArrivals(entry.function, arrivalsOf(entry), delivery, `workload[${w}].${field}`, baseDir, end, functionIndex, ordinal, problems);
    if (factory) sourceFactories.push(factory);
  });

  checkConcurrency(parsed, functions, problems);
  if (problems.length > 0) throw new ScenarioError(problems);

  const limit = parsed.account.concurrencyLimit;
  return {
    name: parsed.name ?? options.defaultName ?? "scenario",
    description: parsed.description,
    seed: options.seed ?? parsed.seed,
    duration: end,
    region: parsed.region,
    account: {
      concurrencyLimit: limit,
      unreservedMinimum: parsed.account.unreservedMinimum,
      scaling: parsed.account.scaling,
      scalingBucketSize: parsed.account.scalingBucketSize,
      scalingRefillPerSecond: parsed.account.scalingRefillPerSecond,
      legacyBurst: parsed.account.legacyBurst ?? legacyBurstFor(parsed.region),
      legacyRefillPerMinute: parsed.account.legacyRefillPerMinute,
      requestRateLimit:
        parsed.account.requestRateLimit === "infinite" ? Infinity : (parsed.account.requestRateLimit ?? 10 * limit),
    },
    platform: {
      ...parsed.platform,
      activeKeepAlive: parsed.platform.activeKeepAlive ?? parsed.platform.keepAlive,
      activeSpares: parsed.platform.activeSpares ?? Infinity,
    },
    functions,
    createSources: (rng) => sourceFactories.map((factory) => factory(rng)),
  };
}

/** The legacy model's account-wide initial burst, by region (2023 Developer Guide). */
function legacyBurstFor(region: string): number {
  if (["us-east-1", "us-west-2", "eu-west-1"].includes(region)) return 3000;
  if (["ap-northeast-1", "eu-central-1", "us-east-2"].includes(region)) return 1000;
  return 500;
}

function toFunctionSpec(
  name: string,
  settings: FunctionSettings,
  rest: Pick<FunctionSpec, "duration" | "reservedConcurrency" | "provisioned" | "errorWindows">,
): FunctionSpec {
  const fitted = defaultInitDistribution(settings.runtime, settings.architecture, settings.package, settings.memoryMb);
  return {
    name,
    runtime: settings.runtime,
    package: settings.package,
    memoryMb: settings.memoryMb,
    architecture: settings.architecture,
    ephemeralStorageMb: settings.ephemeralStorageMb,
    timeout: settings.timeout,
    init: settings.init ?? { kind: "lognormal", mu: Math.log(fitted.median), sigma: fitted.sigma },
    durationAtMemoryMb: settings.durationAtMemoryMb ?? settings.memoryMb,
    cpuBoundFraction: settings.cpuBoundFraction,
    errorRate: settings.errorRate,
    crashRate: settings.crashRate,
    ...rest,
  };
}

function toClient(client: ClientConfig): ClientRetry {
  return { ...client, retryQuota: client.retryQuota === "infinite" ? Infinity : client.retryQuota };
}

type FunctionWorkload = InvocationWorkload | StreamWorkload | SqsWorkload;

function arrivalsOf(entry: FunctionWorkload): ArrivalsSpec {
  if (entry.source === undefined) return entry.arrivals;
  return entry.source === "sqs" ? entry.messages : entry.records;
}

function toPoison(poison: StreamWorkload["poisonRecords"]): PoisonRecords {
  if (poison === undefined) return null;
  return "rate" in poison ? { rate: poison.rate } : { records: [...new Set(poison.records)].sort((a, b) => a - b) };
}

/** The delivery settings of a function's workload entry, with the checks that span fields. */
function resolveDelivery(entry: FunctionWorkload, path: string, fn: FunctionSpec, problems: ScenarioProblem[]): Delivery {
  if (entry.source === undefined) {
    if (entry.invocation === "sync") {
      if (entry.async !== undefined) problems.push({ path: `${path}.async`, message: `applies only to invocation: async; this entry is invocation: sync` });
      return { kind: "sync", client: toClient(entry.client ?? clientSchema.parse({})) };
    }
    if (entry.client !== undefined) {
      problems.push({ path: `${path}.client`, message: `applies only to invocation: sync; an async invoke is accepted (202) at once and retried by Lambda, see async` });
    }
    const settings = entry.async ?? asyncSchema.parse({});
    if (settings.backoffMax < settings.backoffInitial) {
      problems.push({ path: `${path}.async.backoffMax`, message: `must be at least backoffInitial (${settings.backoffInitial} s), got ${settings.backoffMax} s` });
    }
    return { kind: "async", async: settings };
  }
  if (entry.source === "sqs") {
    if (entry.fifo && entry.batchingWindow > 0) {
      problems.push({ path: `${path}.batchingWindow`, message: `must be 0 for a FIFO queue (Lambda does not gather FIFO batches over a window), got ${entry.batchingWindow} s` });
    }
    if (entry.fifo && entry.batchSize > 10) {
      problems.push({ path: `${path}.batchSize`, message: `must be at most 10 for a FIFO queue, got ${entry.batchSize}` });
    } else if (entry.batchSize > 10 && entry.batchingWindow < 1) {
      problems.push({ path: `${path}.batchSize`, message: `${entry.batchSize} needs a batchingWindow of at least 1s (batches larger than 10 are gathered over a window), got batchingWindow ${entry.batchingWindow} s` });
    }
    if (entry.visibilityTimeout < fn.timeout) {
      problems.push({ path: `${path}.visibilityTimeout`, message: `must be at least the function's timeout (${fn.timeout} s; AWS recommends 6 x), got ${entry.visibilityTimeout} s` });
    }
    if (entry.messageGroups !== undefined && !entry.fifo) {
      problems.push({ path: `${path}.messageGroups`, message: `applies only to FIFO queues; set fifo: true or remove it` });
    }
    return {
      kind: "sqs",
      sqs: {
        batchSize: entry.batchSize,
        batchingWindow: entry.batchingWindow,
        maximumConcurrency: entry.maximumConcurrency ?? Infinity,
        visibilityTimeout: entry.visibilityTimeout,
        maxReceiveCount: entry.maxReceiveCount ?? Infinity,
        messageRetention: entry.messageRetention,
        reportBatchItemFailures: entry.reportBatchItemFailures,
        fifo: entry.fifo,
        messageGroups: entry.messageGroups ?? 1,
        pollerScaling: entry.pollerScaling,
        poisonRecords: toPoison(entry.poisonRecords),
        recordDuration: entry.recordDuration,
      },
    };
  }
  if (entry.source === "dynamodb-streams" && entry.retention !== 86400) {
    problems.push({ path: `${path}.retention`, message: `DynamoDB Streams keep records for 24h, which cannot be changed; got ${entry.retention} s` });
  }
  return {
    kind: "stream",
    stream: {
      source: entry.source,
      shards: entry.shards,
      shardSkew: entry.shardSkew,
      // Kinesis is polled about once a second per shard, DynamoDB Streams about four times.
      pollInterval: entry.pollInterval ?? (entry.source === "kinesis" ? 1 : 0.25),
      batchSize: entry.batchSize,
      batchingWindow: entry.batchingWindow,
      parallelizationFactor: entry.parallelizationFactor,
      maximumRetryAttempts: entry.maximumRetryAttempts,
      maximumRecordAge: entry.maximumRecordAge,
      bisectBatchOnFunctionError: entry.bisectBatchOnFunctionError,
      reportBatchItemFailures: entry.reportBatchItemFailures,
      retention: entry.retention,
      onFailure: entry.onFailure,
      poisonRecords: toPoison(entry.poisonRecords),
      recordDuration: entry.recordDuration,
    },
  };
}

function traceProblem(path: string, file: string, resolved: string, error: unknown): ScenarioProblem {
  if (!(error instanceof TraceFormatError)) throw error;
  if (error.unreadable) {
    const where = file === resolved ? "" : ` (${resolved}; relative paths start from the scenario file's folder)`;
    return { path, message: `cannot read trace file ${JSON.stringify(file)}${where}: ${error.unreadable}` };
  }
  return { path, message: error.line > 0 ? `${file}, line ${error.line}: ${error.message}` : error.message };
}

function resolveArrivals(
  functionName: string,
  spec: ArrivalsSpec,
  delivery: Delivery,
  path: string,
  baseDir: string,
  end: number,
  functionIndex: number,
  ordinal: number,
  problems: ScenarioProblem[],
): ((rng: (name: string) => () => number) => ArrivalSource) | undefined {
  const streamName = `arrivals:${functionName}:${ordinal}`;
  const source = (clock: ArrivalClock, close: () => void = () => {}): ArrivalSource => ({
    name: `${functionName}:${ordinal}`,
    next: clock,
    functionIndex,
    duration: NaN,
    delivery,
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
    let info;
    try {
      info = scanAzureTrace(file, trace.reorderWindow);
    } catch (error) {
      problems.push(traceProblem(`${path}.trace.file`, trace.file, file, error));
      return undefined;
    }
    // Every (app, func) pair the filters keep replays into this one function, with its durations.
    const keys = info.functions.filter((f) => (trace.app === undefined || f.app === trace.app) && (trace.func === undefined || f.func === trace.func));
    if (keys.length === 0) {
      problems.push({ path: `${path}.trace`, message: `no invocation in ${trace.file} matches app ${JSON.stringify(trace.app ?? "any")} and func ${JSON.stringify(trace.func ?? "any")}` });
      return undefined;
    }
    const indexByKey = new Map(keys.map((f) => [`${f.app}\u0000${f.func}`, functionIndex]));
    return () => {
      const replay = new AzureTraceReplay(file, indexByKey, trace.reorderWindow, end);
      const replayed = source(() => {
        const t = replay.next();
        replayed.duration = replay.duration;
        return t;
      }, () => replay.close());
      return replayed;
    };
  }
  try {
    const info = scanTimestampTrace(file, trace.column);
    const origin = trace.startAt ?? info.first;
    return () => {
      const replay = timestampArrivals(file, trace.column, origin, end);
      return source(replay.clock, replay.close);
    };
  } catch (error) {
    problems.push(traceProblem(`${path}.trace.file`, trace.file, file, error));
    return undefined;
  }
}

function resolveAzureTrace(
  entry: TraceWorkload,
  path: string,
  baseDir: string,
  end: number,
  functions: FunctionSpec[],
  indexByName: Map<string, number>,
  problems: ScenarioProblem[],
): ((rng: (name: string) => () => number) => ArrivalSource) | undefined {
  const trace = entry.trace;
  const file = resolve(baseDir, trace.file);
  let info;
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
    functions.push(toFunctionSpec(name, trace, { duration: undefined, reservedConcurrency: undefined, provisioned: [], errorWindows: [] }));
  }
  const client = toClient(trace.client);
  return () => {
    const replay = new AzureTraceReplay(file, indexByKey, trace.reorderWindow, end);
    const source: ArrivalSource = {
      name: `trace:${path}`,
      next: () => {
        const t = replay.next();
        source.functionIndex = replay.functionIndex;
        source.duration = replay.duration;
        return t;
      },
      functionIndex: -1,
      duration: NaN,
      delivery: { kind: "sync", client },
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

function checkConcurrency(parsed: ParsedScenario, functions: FunctionSpec[], problems: ScenarioProblem[]): void {
  const { concurrencyLimit, unreservedMinimum } = parsed.account;
  const reservable = concurrencyLimit - unreservedMinimum;
  let reservedTotal = 0;
  let unreservedProvisioned = 0;
  parsed.functions.forEach((fn, i) => {
    const spec = functions[i];
    if (!spec || spec.name !== fn.name) return;
    const peakProvisioned = spec.provisioned.reduce((max, step) => Math.max(max, step.value), 0);
    if (fn.reservedConcurrency !== undefined) {
      reservedTotal += fn.reservedConcurrency;
      if (reservedTotal > reservable) {
        problems.push({
          path: `functions[${i}].reservedConcurrency`,
          message: `${fn.reservedConcurrency} brings reserved concurrency to ${reservedTotal}; at most ${reservable} can be reserved in total (account.concurrencyLimit ${concurrencyLimit} - account.unreservedMinimum ${unreservedMinimum})`,
        });
      }
      if (peakProvisioned > fn.reservedConcurrency) {
        problems.push({
          path: `functions[${i}].provisionedConcurrency`,
          message: `${peakProvisioned} exceeds the function's reservedConcurrency (${fn.reservedConcurrency}); provisioned concurrency must not exceed reserved concurrency`,
        });
      }
    } else {
      unreservedProvisioned += peakProvisioned;
    }
  });
  const unreservedPool = concurrencyLimit - Math.min(reservedTotal, reservable);
  if (unreservedProvisioned > unreservedPool - unreservedMinimum) {
    const i = parsed.functions.findIndex((fn) => fn.reservedConcurrency === undefined && fn.provisionedConcurrency !== undefined);
    problems.push({
      path: `functions[${Math.max(i, 0)}].provisionedConcurrency`,
      message: `provisioned concurrency of functions without reserved concurrency totals ${unreservedProvisioned}; at most ${Math.max(0, unreservedPool - unreservedMinimum)} fits while ${unreservedMinimum} stays unreserved`,
    });
  }
}
