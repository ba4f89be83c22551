import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { describeValue, InputError } from "../common/inputError.js";
import { isFolderName, NAME_RULE } from "../common/names.js";
import { fileProblems, summarySchema } from "../report/summarySchema.js";
import { SWEEP_OBJECTIVES, type SweepDefinition, type SweepPlan } from "./plan.js";
import type { VariantInfo } from "./outputs.js";
import type { VariantResult } from "./run.js";

/** What one shard of a sweep writes: enough for `merge` to rebuild the whole sweep's outputs. */
export interface ShardDocument {
  format: "lambdasim-sweep-shard/1";
  definition: SweepDefinition;
  shard: { part: number; count: number };
  variants: VariantInfo[];
  results: VariantResult[];
}

const wholeNumber = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.number().refine((value) => Number.isSafeInteger(value) && value >= min && value <= max, {
    message: `expected a whole number from ${min} to ${max}`,
  });

/** Printable text on one line (no C0 or C1 control, Unicode's Cc): a shard's messages reach the terminal and sweep.md. */
const oneLine = z.string().regex(/^\P{Cc}*$/u, { message: "expected text on one line without control characters" });

/** A run's warnings as summary.json holds them: merge carries them into the sweep's outputs. */
const warningSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: "expected a warning code such as no-steady-state" }),
  path: oneLine.optional(),
  message: oneLine,
});
const shardSummarySchema = summarySchema.extend({ warnings: z.array(warningSchema).min(1).optional() });

/** A shard as `sweep --shard` writes it; the checks across shards are in mergeShards. */
const shardSchema = z
  .strictObject({
    format: z.literal("lambdasim-sweep-shard/1"),
    definition: z.strictObject({
      name: z.string().min(1),
      seed: wholeNumber(0),
      replications: wholeNumber(1, 1000),
      dimensions: z.array(z.strictObject({ path: z.string().min(1), values: z.array(z.unknown()).min(1) })).min(1),
      p99LimitMs: z.number().positive().nullable(),
      objective: z.enum(SWEEP_OBJECTIVES).nullable(),
      balancedWeight: z.number().min(0).max(1).nullable(),
    }),
    shard: z.strictObject({ part: wholeNumber(1), count: wholeNumber(1) }),
    variants: z.array(z.strictObject({ index: wholeNumber(0), label: z.string(), vary: z.record(z.string(), z.unknown()) })),
    results: z.array(z.strictObject({ index: wholeNumber(0), summaries: z.array(shardSummarySchema) })),
  })
  .superRefine((doc, ctx) => {
    const { definition, shard, variants, results } = doc;
    if ((definition.objective === "balanced") !== (definition.balancedWeight !== null)) {
      ctx.addIssue({
        code: "custom",
        path: ["definition", "balancedWeight"],
        message: `must be a number from 0 to 1 with the balanced objective and null otherwise, got ${definition.balancedWeight} with ${definition.objective}`,
      });
    }
    if (definition.p99LimitMs !== null && definition.objective === null) {
      ctx.addIssue({ code: "custom", path: ["definition", "objective"], message: "must be set when p99LimitMs is, got null" });
    }
    if (shard.part > shard.count) {
      ctx.addIssue({ code: "custom", path: ["shard", "part"], message: `must be at most shard.count (${shard.count}), got ${shard.part}` });
    }
    const seedsFit = definition.replications - 1 <= Number.MAX_SAFE_INTEGER - definition.seed;
    if (Number.isSafeInteger(definition.seed) && !seedsFit) {
      ctx.addIssue({ code: "custom", path: ["definition", "seed"], message: `seed + replications - 1 exceeds 2^53 - 1` });
    }
    const expected = definition.dimensions.reduce((n, d) => n * d.values.length, 1);
    if (variants.length !== expected) {
      ctx.addIssue({
        code: "custom",
        path: ["variants"],
        message: `expected ${expected} variants (every combination of definition.dimensions), got ${variants.length}`,
      });
    }
    variants.forEach((variant, i) => {
      if (variant.index !== i)
        ctx.addIssue({ code: "custom", path: ["variants", i, "index"], message: `expected ${i}, got ${variant.index}` });
    });
    results.forEach((result, r) => {
      if (result.index >= variants.length) {
        ctx.addIssue({
          code: "custom",
          path: ["results", r, "index"],
          message: `expected a variant index below ${variants.length}, got ${result.index}`,
        });
      }
      if (result.summaries.length !== definition.replications) {
        ctx.addIssue({
          code: "custom",
          path: ["results", r, "summaries"],
          message: `expected one summary per replication (${definition.replications}), got ${result.summaries.length}`,
        });
      }
    });
  });

/** Parses "i/n" (1-based part i of n). */
export function parseShard(text: string): { part: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const part = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || part < 1 || part > count) {
    throw new InputError([{ path: "--shard", message: `expected i/n with 1 <= i <= n (e.g. 2/8), got ${JSON.stringify(text)}` }]);
  }
  return { part, count };
}

export const shardFileName = (shard: { part: number; count: number }) => `sweep-shard-${shard.part}-of-${shard.count}.json`;

export function shardDocument(plan: SweepPlan, shard: { part: number; count: number }, results: VariantResult[]): ShardDocument {
  return {
    format: "lambdasim-sweep-shard/1",
    definition: plan.definition,
    shard,
    variants: plan.variants.map(({ index, label, vary }) => ({ index, label, vary })),
    results,
  };
}

/**
 * Checks that the shards belong to one sweep and cover it exactly once, and returns its
 * definition, variants and every variant's results in order.
 */
export function mergeShards(shards: readonly { file: string; document: unknown }[]): {
  definition: SweepDefinition;
  variants: VariantInfo[];
  results: VariantResult[];
} {
  if (shards.length === 0) throw new InputError([{ path: "merge", message: "give the shard files to merge" }]);
  const docs = shards.map(({ file, document }) => {
    const doc = document as Partial<ShardDocument> | null;
    if (doc === null || typeof doc !== "object" || doc.format !== "lambdasim-sweep-shard/1") {
      throw new InputError([{ path: file, message: "not a lambdasim sweep shard (written by lambdasim sweep --shard i/n)" }]);
    }
    const parsed = shardSchema.safeParse(doc, { reportInput: true });
    if (!parsed.success) throw new InputError(fileProblems(file, parsed.error.issues));
    // The sweep's name becomes the output folder of merge: a crafted shard must not lead it elsewhere.
    if (!isFolderName(parsed.data.definition.name)) {
      throw new InputError([
        { path: file, message: `sweep name ${describeValue(parsed.data.definition.name)} cannot name a report folder (${NAME_RULE})` },
      ]);
    }
    return { file, doc: doc as ShardDocument };
  });
  const first = docs[0];
  const parts = new Map<number, string>();
  for (const { file, doc } of docs) {
    if (!isDeepStrictEqual(doc.definition, first.doc.definition) || !isDeepStrictEqual(doc.variants, first.doc.variants)) {
      throw new InputError([
        { path: file, message: `belongs to a different sweep than ${first.file} (scenario, seed, replications or varied values differ)` },
      ]);
    }
    if (doc.shard.count !== first.doc.shard.count) {
      throw new InputError([{ path: file, message: `is part of ${doc.shard.count} shards, ${first.file} of ${first.doc.shard.count}` }]);
    }
    const twice = parts.get(doc.shard.part);
    if (twice !== undefined) throw new InputError([{ path: file, message: `shard ${doc.shard.part} is given twice (also ${twice})` }]);
    parts.set(doc.shard.part, file);
  }
  const count = first.doc.shard.count;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((part) => !parts.has(part));
  if (missing.length > 0) {
    throw new InputError([
      { path: "merge", message: `missing shard${missing.length > 1 ? "s" : ""} ${missing.map((p) => `${p}/${count}`).join(", ")}` },
    ]);
  }
  // Every variant's results once, from the shard that owns it: a duplicated or missing index would
  // misalign the outputs' rows with the variants they name.
  const owner = new Map<number, string>();
  for (const { file, doc } of docs) {
    for (const [r, result] of doc.results.entries()) {
      const where = `${file}: results[${r}].index`;
      if (result.index % count !== doc.shard.part - 1) {
        throw new InputError([{ path: where, message: `variant ${result.index} is not in shard ${doc.shard.part}/${count}` }]);
      }
      const twice = owner.get(result.index);
      if (twice !== undefined)
        throw new InputError([{ path: where, message: `variant ${result.index} is given twice (also in ${twice})` }]);
      owner.set(result.index, file);
    }
  }
  const absent = first.doc.variants.map((v) => v.index).filter((index) => !owner.has(index));
  if (absent.length > 0) {
    throw new InputError([
      {
        path: "merge",
        message: `no results for variant${absent.length > 1 ? "s" : ""} ${absent.slice(0, 10).join(", ")}${absent.length > 10 ? ", ..." : ""}`,
      },
    ]);
  }
  const results = docs.flatMap(({ doc }) => doc.results).sort((a, b) => a.index - b.index);
  return { definition: first.doc.definition, variants: first.doc.variants, results };
}
