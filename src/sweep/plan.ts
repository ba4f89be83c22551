import { InputError, type InputProblem } from "../common/inputError.js";
import { parseSweepBlock, resolveScenario } from "../scenario/compile.js";
import { estimateProblem, lanesProblem } from "../scenario/estimate.js";
import { casesDimension, dimension, expandVariants, parseVary, variantLabel, type Dimension, type Variant } from "./variants.js";

/** Everything that decides a sweep's results; shards of one sweep must agree on it. */
export interface SweepDefinition {
  name: string;
  seed: number;
  replications: number;
  dimensions: { path: string; values: unknown[] }[];
  /** The latency objective (ms): only variants whose worst p99 is within it may be chosen; null for none. */
  p99LimitMs: number | null;
  /** How the sweep chooses a variant, as Power Tuning's strategies; null when nothing is asked (no objective, no limit). */
  objective: SweepObjective | null;
  /** The balanced objective's weight of cost (0–1); null for the other objectives. */
  balancedWeight: number | null;
}

export const SWEEP_OBJECTIVES = ["cost", "speed", "balanced"] as const;
export type SweepObjective = (typeof SWEEP_OBJECTIVES)[number];

/** Power Tuning's default balancedWeight (its analyzer's defaultBalancedWeight). */
export const DEFAULT_BALANCED_WEIGHT = 0.5;

export interface SweepPlan {
  definition: SweepDefinition;
  /** Trace files in variants are resolved from here (the scenario file's folder). */
  baseDir: string;
  variants: (Variant & { label: string })[];
  /** Each variant's estimated arrival attempts (src/scenario/estimate.ts; trace replays count 0), by index. */
  attempts: number[];
}

export interface PlanOptions {
  /** `--vary` arguments; when given they replace the file's `sweep.vary`. */
  vary?: readonly string[];
  seed?: number;
  replications?: number;
  /** Seconds; replaces the file's sweep.p99Limit. */
  p99Limit?: number;
  /** Replaces the file's sweep.objective. */
  objective?: SweepObjective;
  /** Replaces the file's sweep.balancedWeight. */
  balancedWeight?: number;
  baseDir: string;
  defaultName: string;
  /** Lifts the limits on the variants and the arrivals a sweep may simulate. */
  allowLarge?: boolean;
}

/**
 * The most variants a sweep builds without --allow-large. Every variant is a copy of the scenario,
 * validated and run, and a row in each output; sweeps that tune a few settings have tens to
 * hundreds, and a hundred thousand still plans in seconds.
 */
export const VARIANT_LIMIT = 100_000;

/**
 * Seeds of `count` replications, the first being `seed` itself: consecutive seeds give independent
 * streams (each is hashed with its name). The CLI's run and the sweep both replicate by this list.
 */
export function replicationSeeds(seed: number, count: number): number[] {
  // Beyond 2^53 - 1 consecutive integers are no longer distinct doubles: two replications would share a
  // seed. Compared as a difference, since seed + count - 1 itself would be rounded.
  if (count - 1 > Number.MAX_SAFE_INTEGER - seed) {
    throw new InputError([
      {
        path: "seed",
        message: `${seed} with ${count} replications needs seeds up to ${seed} + ${count - 1}, beyond ${Number.MAX_SAFE_INTEGER} (2^53 - 1); lower the seed or the replications`,
      },
    ]);
  }
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
  const varied: Dimension[] =
    options.vary && options.vary.length > 0
      ? options.vary.map(parseVary)
      : Object.entries(block.vary).map(([path, values]) => dimension(path, values, `sweep.vary.${path}`));
  const dims = block.cases ? [casesDimension(block.cases, "sweep.cases"), ...varied] : varied;
  if (dims.length === 0) {
    throw new InputError([
      {
        path: "--vary",
        message:
          "nothing to vary: give --vary <path>=<v1>,<v2>,..., a sweep: { vary: { <path>: [values] } } block or sweep: { cases: [{ name, set }] }",
      },
    ]);
  }
  const seen = new Set<string>();
  for (const dim of dims) {
    if (seen.has(dim.path)) throw new InputError([{ path: "--vary", message: `${dim.path} is varied twice` }]);
    seen.add(dim.path);
  }
  const replications = options.replications ?? block.replications ?? 1;
  const allowLarge = options.allowLarge ?? false;
  // Counted before any variant is built: the product of a few long lists is astronomically large.
  const count = dims.reduce((n, d) => n * d.values.length, 1);
  if (count > VARIANT_LIMIT && !allowLarge) {
    throw new InputError([
      {
        path: options.vary && options.vary.length > 0 ? "--vary" : "sweep.vary",
        message: `${dims.map((d) => d.values.length).join(" × ")} values make ${count.toExponential(1)} variants, more than the ${VARIANT_LIMIT.toLocaleString("en-US")} a sweep may run without --allow-large; vary fewer settings or values, or pass --allow-large`,
      },
    ]);
  }
  pinMeasuredMemory(base, dims);
  const variants = expandVariants(base, dims).map((v) => ({ ...v, label: variantLabel(v.vary) }));
  const problems: InputProblem[] = [];
  let seed = options.seed;
  let name = options.defaultName;
  const estimated = variants.map(() => 0);
  for (const variant of variants) {
    try {
      const scenario = resolveScenario(variant.input, {
        baseDir: options.baseDir,
        defaultName: options.defaultName,
        seed: options.seed,
        // The limit applies to the sweep as a whole, checked below; an overflowing variant is refused still.
        allowLarge: true,
        onEstimate: (estimate) => {
          estimated[variant.index] = estimate.attempts;
          // Each variant's streams are allocated in its own run: their lanes count variant by variant.
          const lanes = lanesProblem(estimate, allowLarge);
          if (lanes) problems.push({ path: lanes.path, message: `${lanes.message} (in variant ${variant.index}: ${variant.label})` });
        },
      });
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
  const attempts = estimated.reduce((sum, a) => sum + a, 0);
  const runs = variants.length * replications;
  const tooLarge = estimateProblem(
    {
      attempts,
      entries: [{ path: "sweep", attempts, reckoning: `${variants.length} variants = ${attempts.toExponential(1)}` }],
      lanes: [],
    },
    { allowLarge, runs: replications, what: `${replications} replications` },
  );
  if (tooLarge)
    throw new InputError([
      { ...tooLarge, message: tooLarge.message.replace("this run", `this sweep of ${runs} runs`).replace("a run may", "a sweep may") },
    ]);
  replicationSeeds(seed ?? 1, replications);
  const p99Limit = options.p99Limit ?? block.p99Limit;
  const choice = chooseObjective(options, block, p99Limit !== undefined);
  return {
    definition: {
      name,
      seed: seed ?? 1,
      replications,
      dimensions: dims.map((d) => ({ path: d.path, values: d.values })),
      p99LimitMs: p99Limit === undefined ? null : p99Limit * 1000,
      ...choice,
    },
    baseDir: options.baseDir,
    variants,
    attempts: estimated,
  };
}

/**
 * The objective the command line or the sweep block asks for. A latency limit alone keeps its
 * meaning from before objectives existed: the cheapest variant within it.
 */
function chooseObjective(
  options: PlanOptions,
  block: ReturnType<typeof parseSweepBlock>,
  hasLimit: boolean,
): Pick<SweepDefinition, "objective" | "balancedWeight"> {
  const objective = options.objective ?? block.objective ?? (hasLimit ? "cost" : null);
  const weightFrom = options.balancedWeight !== undefined ? "--balanced-weight" : "sweep.balancedWeight";
  const weight = options.balancedWeight ?? block.balancedWeight;
  if (weight !== undefined && objective !== "balanced") {
    throw new InputError([
      { path: weightFrom, message: `applies to the balanced objective only, but the objective is ${objective ?? "not set"}` },
    ]);
  }
  return { objective, balancedWeight: objective === "balanced" ? (weight ?? DEFAULT_BALANCED_WEIGHT) : null };
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
    // durationByMemory names the size of each measurement itself.
    if (fn && fn.durationAtMemoryMb === undefined && fn.durationByMemory === undefined) fn.durationAtMemoryMb = fn.memoryMb ?? 128;
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
