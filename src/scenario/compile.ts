import { closest } from "../common/editDistance.js";
import { describeDocument, InputError, type InputProblem } from "../common/inputError.js";
import { checkConcurrencyBudget } from "../model/concurrencyBudget.js";
import { durationFromMeasurements } from "../model/cpuModel.js";
import type { FunctionSpec } from "../model/types.js";
import { arrivalsFieldOf, compileEntry, type FunctionEntry } from "../sources/index.js";
import { resolveArrivals, resolveAzureTrace, type SourceFactory } from "./arrivals.js";
import { type ArrivalEstimate, estimateArrivals, estimateProblem, lanesProblem, rowsProblem } from "./estimate.js";
import { issuesToProblems } from "./messages.js";
import { type ArrivalsSpec, DISTRIBUTION_HELP } from "./primitives.js";
import { featureProblems } from "./features.js";
import { featureSpec, toFunctionSpec } from "./functions.js";
import { resolveManagedInstances } from "./managedInstances.js";
import { scenarioSchema, sweepSchema, type FunctionConfig, type ParsedScenario, type SweepBlock } from "./schema.js";
import type { Scenario, ScenarioWarning } from "./types.js";

/*
 * Compiling a parsed scenario into what the simulator runs: function specs with their defaults,
 * each workload entry through its invocation path's compile step, arrival sources, and the checks
 * that span fields, entries or functions. Every problem is collected, then thrown at once.
 */

export interface LoadOptions {
  /** Trace files are resolved against this folder (the scenario file's own). */
  baseDir?: string;
  /** Used when the scenario has no name (the file name without extension). */
  defaultName?: string;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Lifts the limit on the arrivals a run may simulate (an overflowing estimate is refused still). */
  allowLarge?: boolean;
  /** Seconds per time-series row the run will keep (`run --period`); when given, their number is limited too. */
  periodSeconds?: number;
  /** Runs of this scenario the caller will make (replications): the limit applies to all of them. */
  runs?: number;
  /** Receives the scenario's estimate, for a caller that totals several scenarios (a sweep). */
  onEstimate?: (estimate: ArrivalEstimate) => void;
}

/** Validates a scenario given as data (parsed YAML/JSON, or built in code). */
export function resolveScenario(input: unknown, options: LoadOptions = {}): Scenario {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new InputError([
      { path: "", message: `a scenario must be a mapping of fields (name, functions, workload, ...), got ${describeDocument(input)}` },
    ]);
  }
  const parsed = scenarioSchema.safeParse(input, { reportInput: true, jitless: true });
  if (!parsed.success) {
    // With the schema's problems, the references between fields that can already be checked, so
    // that fixing the first list does not reveal a second.
    const problems = issuesToProblems(parsed.error.issues, []);
    const reported = new Set(problems.map((p) => p.path));
    const references = referenceProblems(input as Record<string, unknown>).filter((p) => !reported.has(p.path));
    throw new InputError([...problems, ...references]);
  }
  return buildScenario(parsed.data, options);
}

const duplicateName = (name: string) => `"${name}" is defined twice; function names must be unique`;

function unknownFunction(name: string, names: readonly string[]): string {
  const guess = closest(name, names);
  return `"${name}" is not a defined function${guess ? ` (did you mean "${guess}"?)` : ""}; defined: ${names.length > 0 ? names.join(", ") : "none"}`;
}

/**
 * Function names defined twice and workload entries naming no function, read from the document
 * as written (its other fields may be invalid): the messages buildScenario gives.
 */
function referenceProblems(input: Record<string, unknown>): InputProblem[] {
  const problems: InputProblem[] = [];
  const functions = Array.isArray(input.functions) ? (input.functions as unknown[]) : [];
  const workload = Array.isArray(input.workload) ? (input.workload as unknown[]) : [];
  const field = (value: unknown, key: string): unknown =>
    value !== null && typeof value === "object" && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  const names: string[] = [];
  functions.forEach((fn, i) => {
    const name = field(fn, "name");
    if (typeof name !== "string") return;
    if (names.includes(name)) problems.push({ path: `functions[${i}].name`, message: duplicateName(name) });
    else names.push(name);
  });
  // Without a readable list of functions, every reference would be reported as unknown.
  if (!Array.isArray(input.functions)) return problems;
  workload.forEach((entry, w) => {
    const name = field(entry, "function");
    if (typeof name === "string" && !names.includes(name)) {
      problems.push({ path: `workload[${w}].function`, message: unknownFunction(name, names) });
    }
  });
  return problems;
}

/** Validates a scenario's `sweep` block on its own (a sweep strips it before resolving variants). */
export function parseSweepBlock(block: unknown): SweepBlock {
  const parsed = sweepSchema.safeParse(block ?? {}, { reportInput: true });
  if (!parsed.success) throw new InputError(issuesToProblems(parsed.error.issues, ["sweep"]));
  return parsed.data;
}

/** A function's handler time comes from duration or from durationByMemory: exactly one of them. */
function handlerTimeProblems(fn: FunctionConfig, i: number): InputProblem[] {
  if (fn.durationByMemory === undefined) {
    return fn.duration === undefined
      ? [{ path: `functions[${i}].duration`, message: `required (${DISTRIBUTION_HELP}), or give durationByMemory` }]
      : [];
  }
  const problems: InputProblem[] = [];
  if (fn.duration !== undefined)
    problems.push({ path: `functions[${i}].durationByMemory`, message: "give duration or durationByMemory, not both" });
  if (fn.durationAtMemoryMb !== undefined)
    problems.push({
      path: `functions[${i}].durationAtMemoryMb`,
      message: "applies to duration only; durationByMemory names the size of each measurement",
    });
  return problems;
}

function buildScenario(parsed: ParsedScenario, options: LoadOptions): Scenario {
  const problems: InputProblem[] = [];
  const baseDir = options.baseDir ?? process.cwd();
  const functions: FunctionSpec[] = [];
  const indexByName = new Map<string, number>();

  parsed.functions.forEach((fn, i) => {
    if (indexByName.has(fn.name)) {
      problems.push({ path: `functions[${i}].name`, message: duplicateName(fn.name) });
      return;
    }
    indexByName.set(fn.name, functions.length);
    problems.push(...handlerTimeProblems(fn, i));
    // Measured sizes take precedence over the CPU model, which only bridges the sizes between and beyond them.
    const measured = fn.durationByMemory && durationFromMeasurements(fn.durationByMemory, fn.memoryMb, fn.cpuThreads);
    const managedInstances = resolveManagedInstances(fn, i, problems);
    functions.push(
      toFunctionSpec(fn.name, fn, {
        duration: measured ? measured.duration : fn.duration,
        ...(measured && { durationAtMemoryMb: measured.memoryMb }),
        reservedConcurrency: fn.reservedConcurrency,
        provisioned:
          fn.provisionedConcurrency === undefined
            ? []
            : typeof fn.provisionedConcurrency === "number"
              ? [{ at: 0, value: fn.provisionedConcurrency }]
              : fn.provisionedConcurrency,
        prewarmedEnvironments: fn.prewarmedEnvironments,
        errorWindows: fn.errorWindows,
        ...featureSpec(fn),
        ...(managedInstances && { compute: fn.compute, managedInstances }),
      }),
    );
    problems.push(
      ...featureProblems(
        {
          ...fn,
          hasProvisioned:
            typeof fn.provisionedConcurrency === "number"
              ? fn.provisionedConcurrency > 0
              : (fn.provisionedConcurrency ?? []).some((step) => step.value > 0),
        },
        `functions[${i}]`,
      ),
    );
    const schedule = fn.provisionedConcurrency;
    if (Array.isArray(schedule)) {
      schedule.forEach((step, k) => {
        if (k > 0 && step.at <= schedule[k - 1].at) {
          problems.push({
            path: `functions[${i}].provisionedConcurrency[${k}].at`,
            message: `must be later than the previous step (${schedule[k - 1].at} s), got ${step.at} s`,
          });
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
  if (parsed.warmup > 0 && parsed.warmup >= end) {
    problems.push({ path: "warmup", message: `must be shorter than duration (${end} s), got ${parsed.warmup} s` });
  }

  // Before any trace is read or source built: a run that could never finish is refused at once.
  const estimate = estimateArrivals(parsed);
  options.onEstimate?.(estimate);
  const runs = options.runs ?? 1;
  const allowLarge = options.allowLarge ?? false;
  const tooLarge = [
    estimateProblem(estimate, { allowLarge, runs, what: `${runs} replications` }),
    lanesProblem(estimate, allowLarge),
    options.periodSeconds === undefined
      ? undefined
      : rowsProblem(parsed.duration, parsed.functions.length, options.periodSeconds, { allowLarge, runs }),
  ];
  if (tooLarge.some(Boolean)) throw new InputError([...problems, ...tooLarge.filter((p) => p !== undefined)]);

  const sourceFactories: SourceFactory[] = [];
  const warnings: ScenarioWarning[] = [];
  const entriesPerFunction = new Map<string, number>();

  parsed.workload.forEach((entry, w) => {
    if ("trace" in entry) {
      const factory = resolveAzureTrace(entry, `workload[${w}].trace`, baseDir, end, functions, indexByName, problems);
      if (factory) sourceFactories.push(factory);
      return;
    }
    const functionIndex = indexByName.get(entry.function);
    if (functionIndex === undefined) {
      problems.push({ path: `workload[${w}].function`, message: unknownFunction(entry.function, [...indexByName.keys()]) });
      return;
    }
    const ordinal = entriesPerFunction.get(entry.function) ?? 0;
    entriesPerFunction.set(entry.function, ordinal + 1);
    const delivery = compileEntry(entry, { path: `workload[${w}]`, fn: functions[functionIndex], problems });
    const factory = resolveArrivals(
      entry.function,
      arrivalsOf(entry),
      delivery,
      `workload[${w}].${arrivalsFieldOf(entry)}`,
      baseDir,
      end,
      functionIndex,
      ordinal,
      problems,
      warnings,
    );
    if (factory) sourceFactories.push(factory);
  });

  checkConcurrency(parsed, functions, problems);
  if (problems.length > 0) throw new InputError(problems);

  const limit = parsed.account.concurrencyLimit;
  return {
    name: parsed.name ?? options.defaultName ?? "scenario",
    description: parsed.description,
    seed: options.seed ?? parsed.seed,
    duration: end,
    warmup: parsed.warmup,
    region: parsed.region,
    warnings,
    account: {
      concurrencyLimit: limit,
      unreservedMinimum: parsed.account.unreservedMinimum,
      scaling: parsed.account.scaling,
      scalingBucketSize: parsed.account.scalingBucketSize,
      scalingRefillPerSecond: parsed.account.scalingRefillPerSecond,
      legacyBurst: parsed.account.legacyBurst ?? legacyBurstFor(parsed.region),
      legacyRefillPerMinute: parsed.account.legacyRefillPerMinute,
      requestRateLimit: parsed.account.requestRateLimit === "infinite" ? Infinity : (parsed.account.requestRateLimit ?? 10 * limit),
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

/** The legacy model's account-wide initial burst, by region (docs/lambda-behaviour.md#legacy-scaling). */
function legacyBurstFor(region: string): number {
  if (["us-east-1", "us-west-2", "eu-west-1"].includes(region)) return 3000;
  if (["ap-northeast-1", "eu-central-1", "us-east-2"].includes(region)) return 1000;
  return 500;
}

function arrivalsOf(entry: FunctionEntry): ArrivalsSpec {
  return (entry as Record<string, unknown>)[arrivalsFieldOf(entry)] as ArrivalsSpec;
}

function checkConcurrency(parsed: ParsedScenario, functions: FunctionSpec[], problems: InputProblem[]): void {
  const { concurrencyLimit, unreservedMinimum } = parsed.account;
  const claims = parsed.functions.map((fn, i) => {
    const spec = functions[i];
    // A function defined twice was reported already: only its first definition claims concurrency.
    if (spec?.name !== fn.name) return { reserved: undefined, provisioned: 0 };
    return { reserved: fn.reservedConcurrency, provisioned: spec.provisioned.reduce((max, step) => Math.max(max, step.value), 0) };
  });
  checkPrewarmed(parsed, functions, problems);
  for (const problem of checkConcurrencyBudget(claims, parsed.account)) {
    switch (problem.kind) {
      case "reserved-over-limit":
        problems.push({
          path: `functions[${problem.index}].reservedConcurrency`,
          message: `${problem.reserved} brings reserved concurrency to ${problem.reservedTotal}; at most ${problem.reservable} can be reserved in total (account.concurrencyLimit ${concurrencyLimit} - account.unreservedMinimum ${unreservedMinimum})`,
        });
        break;
      case "provisioned-over-reserved":
        problems.push({
          path: `functions[${problem.index}].provisionedConcurrency`,
          message: `${problem.provisioned} exceeds the function's reservedConcurrency (${problem.reserved}); provisioned concurrency must not exceed reserved concurrency`,
        });
        break;
      case "unreserved-provisioned-over-pool":
        problems.push({
          path: `functions[${Math.max(problem.index, 0)}].provisionedConcurrency`,
          message: `provisioned concurrency of functions without reserved concurrency totals ${problem.unreservedProvisioned}; at most ${problem.room} fits while ${unreservedMinimum} stays unreserved`,
        });
        break;
    }
  }
}

/**
 * Prewarmed environments are what earlier traffic left behind: idle ones hold no concurrency, but
 * each once ran an on-demand invocation, so a function cannot have more than it could run on
 * demand at once: its reservation less its provisioned concurrency at t = 0, or without one the
 * unreserved pool (the limit less every reservation and the unreserved functions' provisioned
 * concurrency at t = 0) (docs/lambda-behaviour.md#start-warm).
 */
function checkPrewarmed(parsed: ParsedScenario, functions: FunctionSpec[], problems: InputProblem[]): void {
  const atStart = (spec: FunctionSpec) => (spec.provisioned.length > 0 && spec.provisioned[0].at === 0 ? spec.provisioned[0].value : 0);
  const defined = functions.filter((spec, i) => parsed.functions[i]?.name === spec.name);
  const reservedTotal = defined.reduce((sum, spec) => sum + (spec.reservedConcurrency ?? 0), 0);
  const unreservedProvisioned = defined.reduce((sum, spec) => sum + (spec.reservedConcurrency === undefined ? atStart(spec) : 0), 0);
  const pool = Math.max(0, parsed.account.concurrencyLimit - reservedTotal - unreservedProvisioned);
  parsed.functions.forEach((fn, i) => {
    const spec = functions[i];
    if (spec?.name !== fn.name || fn.prewarmedEnvironments === 0) return;
    const reserved = fn.reservedConcurrency;
    const room = reserved === undefined ? pool : Math.max(0, reserved - atStart(spec));
    if (fn.prewarmedEnvironments <= room) return;
    const why =
      reserved === undefined
        ? `the unreserved pool (account.concurrencyLimit ${parsed.account.concurrencyLimit} - reserved ${reservedTotal} - provisioned at 0 of functions without reservedConcurrency ${unreservedProvisioned})`
        : `reservedConcurrency ${reserved} - provisionedConcurrency at 0 (${atStart(spec)})`;
    problems.push({
      path: `functions[${i}].prewarmedEnvironments`,
      message: `must be at most ${room}, the on-demand concurrency the function has: ${why}; got ${fn.prewarmedEnvironments}`,
    });
  });
}
