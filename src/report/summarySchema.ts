import { z } from "zod";
import { describeValue, formatPath, type InputProblem } from "../common/inputError.js";

/*
 * The parts of a summary.json that `compare` and `merge` compute with, checked before they are
 * used: a hand-edited or truncated file whose cost is null would otherwise compare as 0 and pass a
 * regression gate. Other fields pass through as written (they are only copied into outputs).
 */

/** Counts and measures: JSON has no NaN or Infinity, so a null or a string here was not written by lambdasim. */
const figure = z.number({ error: "expected a finite number" });
const count = z.number({ error: "expected a whole number >= 0" }).int({ error: "expected a whole number >= 0" }).min(0);

const functionSummarySchema = z.looseObject({
  latencyMs: z.looseObject({ p50: figure, p90: figure, p99: figure, p999: figure }),
  durationMs: z.looseObject({ mean: figure }),
  coldStarts: count,
  metrics: z.looseObject({ Invocations: count, Throttles: count, Errors: count }),
  cost: z.looseObject({ totalUsd: figure }),
});

const replicationBlockSchema = z
  .strictObject({
    seeds: z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).min(1),
    figures: z.record(z.string(), z.strictObject({ mean: figure, ci95: z.tuple([figure, figure]), values: z.array(figure) })),
  })
  .superRefine((block, ctx) => {
    // The significance tests pair values by replication: one value per seed.
    for (const [key, statistics] of Object.entries(block.figures)) {
      if (statistics.values.length !== block.seeds.length) {
        ctx.addIssue({
          code: "custom",
          path: ["figures", key, "values"],
          message: `expected one value per seed (${block.seeds.length}), got ${statistics.values.length}`,
        });
      }
    }
  });

export const summarySchema = z.looseObject({
  functions: z.record(z.string(), functionSummarySchema),
  totals: z.looseObject({ coldStarts: count, Throttles: count, Errors: count, cost: z.looseObject({ totalUsd: figure }) }),
});

/** A summary.json as `compare` reads it: with the `replications` block of a replicated run when it has one. */
export const comparedSummarySchema = summarySchema.extend({ replications: replicationBlockSchema.optional() });

const EXPECTED: Record<string, string> = { number: "a finite number", object: "a mapping", array: "a list", string: "a string" };

/** Lines listed for one file at most: a file with thousands of bad values needs only the first few. */
const SHOWN_PROBLEMS = 10;

/** One line per issue, under the file's name: "<file>: functions.api.cost.totalUsd: expected a finite number, got null". */
export function fileProblems(file: string, issues: readonly z.core.$ZodIssue[]): InputProblem[] {
  const problems = issues.slice(0, SHOWN_PROBLEMS).map((issue) => {
    const where = formatPath(issue.path);
    const message =
      issue.code === "invalid_type" && !issue.message.startsWith("expected ")
        ? `expected ${EXPECTED[issue.expected] ?? issue.expected}`
        : issue.message;
    // A message that already quotes the value needs no second "got".
    const quoted =
      message.includes(", got ") || issue.code === "unrecognized_keys" || (issue.code === "custom" && issue.input === undefined);
    const got = quoted ? "" : `, got ${describeValue(issue.input)}`;
    return { path: file, message: `${where ? `${where}: ` : ""}${message}${got}` };
  });
  if (issues.length > SHOWN_PROBLEMS) problems.push({ path: file, message: `and ${issues.length - SHOWN_PROBLEMS} more problems` });
  return problems;
}
