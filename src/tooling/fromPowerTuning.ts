import { z } from "zod";
import { formatPath, InputError, type InputProblem } from "../common/inputError.js";

/*
 * `lambdasim from-power-tuning`: the per-memory statistics of an AWS Lambda Power Tuning execution
 * as a function's durationByMemory. The output shape is Power Tuning's own, from its README's
 * "State Machine Output" and lambda/analyzer.js (docs/sources.md#aws-lambda-power-tuning):
 *
 *   { "results": { "power": "128", "cost": …, "duration": …,
 *                  "stateMachine": { "executionCost", "lambdaCost", "visualization" },
 *                  "stats": [{ "value": 128, "averagePrice": …, "averageDuration": … }, …] } }
 *
 * where the state machine's own output (OutputPath $.analysis) is the object inside "results",
 * also accepted. `stats` is there only when the execution ran with includeOutputResults: true;
 * averageDuration is in milliseconds, the mean of the invocations' duration plus init, trimmed of
 * the fastest and slowest discardTopBottom share (default 20 %); averagePrice is US$ per
 * invocation. The file is untrusted: no text of it reaches the output or the messages, only
 * validated numbers.
 */

const finite = z.number().finite().min(0);

const statSchema = z.object({
  value: z.number().int().min(128).max(10240),
  averagePrice: finite,
  averageDuration: finite,
  // Executor output has it; the analyzer drops it from the execution's output.
  totalCost: finite.optional(),
});

const analysisSchema = z.object({
  power: z.union([z.number().int(), z.string().regex(/^\d{1,5}$/, { message: "expected a memory size in MB" })]),
  cost: finite,
  duration: finite,
  stateMachine: z.object({ executionCost: finite, lambdaCost: finite, visualization: z.string() }).optional(),
  stats: z
    .array(statSchema, { error: "missing: run Power Tuning with includeOutputResults: true to get the per-memory statistics" })
    .min(1),
});

export interface PowerTuningConversion {
  /** YAML to paste into a functions[] entry, or the whole entry when a function name is given. */
  yaml: string;
  warnings: string[];
}

/** What a value is, without its content: the file is untrusted. */
function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "number") return String(value);
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "a mapping" : `a ${typeof value}`;
}

function problems(file: string, issues: readonly z.core.$ZodIssue[], base: string[]): InputProblem[] {
  const shown = issues.slice(0, 10).map((issue) => {
    const where = formatPath([...base, ...issue.path]);
    const message = issue.message.replace(/^Invalid input: /, "");
    return { path: file, message: `${where}: ${message}, got ${kindOf(issue.input)}` };
  });
  if (issues.length > 10) shown.push({ path: file, message: `and ${issues.length - 10} more problems` });
  return shown;
}

/** Milliseconds as a scenario time, to the microsecond. */
const milliseconds = (ms: number) => `${Number(ms.toFixed(3))}ms`;

/** Converts a parsed Power Tuning results document (the execution output) into durationByMemory YAML. */
export function fromPowerTuning(document: unknown, file: string, functionName?: string): PowerTuningConversion {
  const wrapped = document !== null && typeof document === "object" && !Array.isArray(document) && "results" in document;
  const analysis = wrapped ? (document as { results: unknown }).results : document;
  const base = wrapped ? ["results"] : [];
  if (analysis === null || typeof analysis !== "object" || Array.isArray(analysis)) {
    throw new InputError([
      {
        path: file,
        message: `${wrapped ? "results: " : ""}expected the output of an AWS Lambda Power Tuning execution, { results: { power, cost, duration, stats } }, got ${kindOf(analysis)}`,
      },
    ]);
  }
  const parsed = analysisSchema.safeParse(analysis, { reportInput: true });
  if (!parsed.success) throw new InputError(problems(file, parsed.error.issues, base));
  const seen = new Set<number>();
  const duplicates: InputProblem[] = [];
  parsed.data.stats.forEach((stat, i) => {
    if (seen.has(stat.value))
      duplicates.push({ path: file, message: `${formatPath([...base, "stats", i, "value"])}: ${stat.value} MB is given twice` });
    seen.add(stat.value);
  });
  if (duplicates.length > 0) throw new InputError(duplicates);

  // Power Tuning's analyzer skips sizes whose executor returned no duration; so does the conversion.
  const measured = parsed.data.stats.filter((stat) => stat.averageDuration > 0).sort((a, b) => a.value - b.value);
  const skipped = parsed.data.stats.filter((stat) => stat.averageDuration === 0).map((stat) => `${stat.value} MB`);
  const warnings = skipped.length > 0 ? [`skipped ${skipped.join(", ")}: no measured duration (averageDuration 0)`] : [];
  if (measured.length === 0) {
    throw new InputError([{ path: file, message: `${formatPath([...base, "stats"])}: no memory size has a measured duration` }]);
  }

  const indent = functionName === undefined ? "" : "  ";
  const lines = [
    `# From AWS Lambda Power Tuning results (${measured.length} memory size${measured.length === 1 ? "" : "s"}; its choice: ${Number(parsed.data.power)} MB).`,
    "# Power Tuning reports each size's mean duration (trimmed of the fastest and slowest",
    "# invocations, discardTopBottom) and no spread, so each size is a constant; put a",
    "# distribution such as { lognormal: { median, p99 } } where you have percentiles.",
    ...(functionName === undefined
      ? ["# Paste into a functions[] entry, in place of duration and durationAtMemoryMb."]
      : ["# A functions[] entry: add the other fields (runtime, memoryMb, ...)."]),
    ...(functionName === undefined ? [] : [`- name: ${functionName}`]),
    `${indent}durationByMemory:`,
    ...measured.map(
      (stat) =>
        `${indent}  ${stat.value}: ${milliseconds(stat.averageDuration)}   # $${stat.averagePrice.toPrecision(4)} per invocation in Power Tuning`,
    ),
  ];
  return { yaml: `${lines.join("\n")}\n`, warnings };
}
