import { isDeepStrictEqual } from "node:util";
import { describeValue, InputError } from "../common/inputError.js";
import { isFolderName, NAME_RULE } from "../common/names.js";
import type { SweepDefinition, SweepPlan } from "./plan.js";
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
    if (
      doc === null ||
      typeof doc !== "object" ||
      doc.format !== "lambdasim-sweep-shard/1" ||
      !doc.definition ||
      !doc.shard ||
      !Array.isArray(doc.results) ||
      !Array.isArray(doc.variants)
    ) {
      throw new InputError([{ path: file, message: "not a lambdasim sweep shard (written by lambdasim sweep --shard i/n)" }]);
    }
    // The sweep's name becomes the output folder of merge: a crafted shard must not lead it elsewhere.
    if (!isFolderName(doc.definition.name)) {
      throw new InputError([
        { path: file, message: `sweep name ${describeValue(doc.definition.name)} cannot name a report folder (${NAME_RULE})` },
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
  const results = docs.flatMap(({ doc }) => doc.results).sort((a, b) => a.index - b.index);
  return { definition: first.doc.definition, variants: first.doc.variants, results };
}
