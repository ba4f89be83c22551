import type { z } from "zod";
import type { Uniform } from "../../engine/rng.js";
import type { poisonRecordsSchema } from "./mappingSchema.js";

export type FailureDestination = "dlq" | "none";

/** Records that fail every batch they are in: each with probability `rate`, or listed by ordinal. */
export type PoisonRecords = { rate: number } | { records: number[] } | null;

/** The scenario's poisonRecords as the model takes it: ordinals sorted and unique. */
export function compilePoison(poison: z.output<typeof poisonRecordsSchema> | undefined): PoisonRecords {
  if (poison === undefined) return null;
  return "rate" in poison ? { rate: poison.rate } : { records: [...new Set(poison.records)].sort((a, b) => a - b) };
}

/**
 * Decides, record by record in arrival order, which records are poison: a draw per record from
 * the source's own stream for { rate }, a walk along the sorted ordinals for { records }. Streams
 * and queues share it so that "the n-th record" means the same on both.
 */
export class PoisonSelector {
  private ordinal = 0;
  private nextListed = 0;

  private constructor(
    private readonly rate: number,
    private readonly listed: readonly number[],
    private readonly draw: Uniform | null,
  ) {}

  /** A selector for `poison`, or null when the source has none (so callers skip the check). */
  static of(poison: PoisonRecords, stream: () => Uniform): PoisonSelector | null {
    if (poison === null) return null;
    if ("rate" in poison) return poison.rate > 0 ? new PoisonSelector(poison.rate, [], stream()) : null;
    return new PoisonSelector(0, poison.records, null);
  }

  /** Whether the next record in arrival order is poison. */
  next(): boolean {
    if (this.draw !== null) return this.draw() < this.rate;
    const ordinal = this.ordinal++;
    const listed = this.listed;
    while (this.nextListed < listed.length && listed[this.nextListed] < ordinal) this.nextListed++;
    return this.nextListed < listed.length && listed[this.nextListed] === ordinal;
  }
}
