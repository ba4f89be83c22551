import { z } from "zod";
import { count, probability, record, time } from "../../scenario/primitives.js";

/* Scenario fields that several event source mappings (and the async configuration) share. */

/** Where work that is given up on goes: the dead-letter queue / on-failure destination, or nowhere. */
export const onFailure = z.enum(["dlq", "none"]).default("none");

export const poisonRecordsSchema = z.union(
  [
    record({ rate: probability.meta({ description: "Probability that each record or message is poisoned (0–1)." }) }),
    record({
      records: z.array(count).min(1).meta({ description: "0-based positions, in arrival order, of the poisoned records or messages." }),
    }),
  ],
  { error: "expected { rate } (each record poisoned with that probability) or { records: [n, ...] } (0-based arrival positions)" },
);

export const POISON_FORMS = "{ rate } (each with that probability) or { records: [n, …] } (0-based positions in arrival order)";

export const batchingWindow = time
  .superRefine((seconds, ctx) => {
    if (seconds > 300) ctx.addIssue({ code: "custom", message: `must be between 0s and 300s, got ${seconds} s` });
  })
  .default(0);
