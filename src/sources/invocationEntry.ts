import { z } from "zod";
import { ARRIVAL_FORMS, arrivalsSchema, record } from "../scenario/primitives.js";
import { asyncSchema } from "./async/schema.js";
import type { WorkloadEntryShape } from "./eventSource.js";
import { clientSchema } from "./sync/schema.js";

/*
 * Invocations a caller makes directly, synchronous or asynchronous, written as one kind of entry
 * (invocation: sync | async); the sync and async paths share it.
 */

export const invocationEntrySchema = record({
  function: z.string().min(1).meta({ description: "Name of the invoked function, one defined under functions." }),
  invocation: z
    .enum(["sync", "async"])
    .default("sync")
    .meta({ description: "Invocation type: sync for RequestResponse (default) or async for Event." }),
  arrivals: arrivalsSchema.meta({ description: `When invocations arrive: ${ARRIVAL_FORMS}.` }),
  client: clientSchema
    .optional()
    .meta({ description: "What the caller does with a 429 (throttle) response (sync only; default: retry none)." }),
  async: asyncSchema.optional().meta({ description: "The function's asynchronous invocation configuration (invocation: async only)." }),
  // Refused outright, so that an event-source entry with a mistake is reported as one.
  source: z.never({ error: "an entry with a source is an event source mapping" }).optional().meta({
    description: "Not allowed with arrivals: an entry with a source (kinesis, dynamodb-streams or sqs) is an event source mapping.",
  }),
});

export type InvocationEntry = z.output<typeof invocationEntrySchema>;

export const INVOCATION_ENTRY: WorkloadEntryShape<typeof invocationEntrySchema> = {
  schema: invocationEntrySchema,
  help: "{ function, arrivals, invocation: sync | async }",
  arrivalsField: "arrivals",
};
