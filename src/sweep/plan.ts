import { InputError, type InputProblem } from "../common/inputError.js";
import { parseSweepBlock, resolveScenario } from "../scenario/compile.js";
import { dimension, expandVariants, parseVary, variantLabel, type Dimension, type Variant } from "./variants.js";

/** Everything that decides a sweep's results; shards of one sweep must agree on it. */
export interface SweepDefinition {
  name: string;
  seed: number;
  replications: number;
  dimensions: { path: string; values: unknown[] }[];
  /** The latency objective (ms): the cheapest variant whose worst p99 is within it is named; null for none. */
  p99LimitMs: number | null;
}

export interface SweepPlan {
  definition: SweepDefinition;
  /** Trace files in variants are resolved from here (the scenario file's folder). */
  baseDir: string;
  variants: (Variant & { label: string })[];
}

export interface PlanOptions {
  /** `--vary` arguments; when given they replace the file's `sweep.vary`. */
  vary?: readonly string[];
  seed?: number;
  replications?: number;
  /** Seconds; replaces the file's sweep.p99Limit. */
  p99Limit?: number;
  baseDir: string;
  defaultName: string;
}

/**
 * Seeds of `count` replications, the first being `seed` itself: consecutive seeds give independent
 * streams (each is hashed with its name). The CLI's run and the sweep both replicate by this list.
 */
export function replicationSeeds(seed: number, count: number): number[] {
  return Array.from({ length: count }, (_, replication) => seed + replication);
}

/**
 * Builds the variants of a sweep from a scenario as written and validates every one of them, so
 * a bad value fails before anything runs, with the variant named in the message.
 */
export function planSweep(raw: unknown, options: PlanOptions): SweepPlan {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new InputError([{ path: "", message: "a scenario must be a mapping of fields (name, functions, workload, ...)" }]);
  }
  const { sweep, ...written } = raw as Record<string, unknown>;
  const base = structuredClone(written);
  const block = parseSweepBlock(sweep);
  const dims: Dimension[] =
    options.vary && options.vary.length > 0
      ? options.vary.map(parseVary)
      : Object.entries(block.vary).map(([path, values]) => dimension(path, values, `sweep.vary.${path}`));
  if (dims.length === 0) {
    throw new InputError([
      { path: "--vary", message: "nothing to vary: give --vary <path>=<v1>,<v2>,... or a sweep: { vary: { <path>: [values] } } block" },
    ]);
  }
  const seen = new Set<string>();
  for (const dim of dims) {
    if (seen.has(dim.path)) throw new InputError([{ path: "--vary", message: `${dim.path} is varied twice` }]);
    seen.add(dim.path);
  }
  const replications = options.replications ?? block.replications ?? 1;
  pinMeasuredMemory(base, dims);
  const variants = expandVariants(base, dims).map((v) => ({ ...v, label: variantLabel(v.vary) }));
  const problems: InputProblem[] = [];
  let seed = options.seed;
  let name = options.defaultName;
  for (const variant of variants) {
    try {
      const scenario = resolveScenario(variant.input, { baseDir: options.baseDir, defaultName: options.defaultName, seed: options.seed });
      seed ??= scenario.seed;
      name = scenario.name;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      for (const problem of error.problems) {
        problems.push({ path: problem.path, message: `${problem.message} (in variant ${variant.index}: ${variant.label})` });
      }
    }
  }
  if (problems.length > 0) throw new InputError(dedupe(problems));
  const p99Limit = options.p99Limit ?? block.p99Limit;
  return {
    definition: {
      name,
      seed: seed ?? 1,
      replications,
      dimensions: dims.map((d) => ({ path: d.path, values: d.values })),
      p99LimitMs: p99Limit === undefined ? null : p99Limit * 1000,
    },
    baseDir: options.baseDir,
    variants,
  };
}

/**
 * A function's `duration` is measured at `durationAtMemoryMb`, which defaults to its `memoryMb`.
 * When a sweep varies the memory, the duration must stay the one measured at the scenario's own
 * memory, or every variant would run at the same speed and the power-tuning curve would be flat.
 */
function pinMeasuredMemory(base: Record<string, unknown>, dims: readonly Dimension[]): void {
  const functions = base.functions;
  if (!Array.isArray(functions)) return;
  for (const dim of dims) {
    const [root, entry, field] = dim.segments;
    if (root !== "functions" || field !== "memoryMb" || dim.segments.length !== 3) continue;
    const fn = functions.find((f, i) => f !== null && typeof f === "object" && (f.name === entry || String(i) === entry)) as
      | Record<string, unknown>
      | undefined;
    if (fn && fn.durationAtMemoryMb === undefined) fn.durationAtMemoryMb = fn.memoryMb ?? 128;
  }
}

/** One line per distinct problem: a base-scenario mistake would otherwise repeat once per variant. */
function dedupe(problems: InputProblem[]): InputProblem[] {
  const byText = new Map<string, InputProblem>();
  for (const p of problems) {
    const key = `${p.path}\u0000${p.message.replace(/ \(in variant \d+: .*\)$/, "")}`;
    if (!byText.has(key)) byText.set(key, p);
  }
  return [...byText.values()];
}
