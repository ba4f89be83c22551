import { z } from "zod";
import { ARRIVAL_FORMS, arrivalsSchema, countOrInfinite, positiveTime, record, time, timeOrOff } from "../../scenario/primitives.js";
import type { WorkloadEntryShape } from "../eventSource.js";
import { batchingWindow, onFailure, POISON_FORMS, poisonRecordsSchema } from "../shared/mappingSchema.js";

export const streamEntrySchema = z.lazy(() =>
  record({
    function: z.string().min(1).meta({ description: "Name of the consuming function, one defined under functions." }),
    source: z.enum(["kinesis", "dynamodb-streams"]).meta({ description: "The stream: kinesis or dynamodb-streams." }),
    records: arrivalsSchema.meta({ description: `When records arrive on the stream, all shards together: ${ARRIVAL_FORMS}.` }),
    shards: z.number().int().min(1).max(100000).default(1).meta({ description: "Number of shards (1–100,000; default 1)." }),
    shardSkew: z
      .number()
      .min(0)
      .finite()
      .default(0)
      .meta({ description: "Zipf exponent of the spread of records over shards, as with a hot partition key (≥ 0; default 0, uniform)." }),
    pollInterval: positiveTime
      .optional()
      .meta({ description: "How often an idle shard is polled (time > 0; default 1s for kinesis, 250ms for dynamodb-streams)." }),
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(100)
      .meta({ description: "Records per invocation at most (1–10,000; default 100)." }),
    batchingWindow: batchingWindow.meta({
      description: "Wait up to this long after the previous invocation for a full batch (0–300s; default 0s).",
    }),
    parallelizationFactor: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .meta({ description: "Concurrent batches per shard, each a key range that keeps its order (1–10; default 1)." }),
    maximumRetryAttempts: countOrInfinite(0, 10000).prefault(-1).meta({
      description:
        "Retries of a failed batch on function errors (throttles do not count): 0–10,000, or -1 or infinite for no limit (default -1).",
    }),
    maximumRecordAge: timeOrOff(60, 604800, "60s and 7d (604800 s)").prefault(-1).meta({
      description: "Records older than this are discarded instead of sent or retried: 60s–7d, or -1 or infinite for no limit (default -1).",
    }),
    bisectBatchOnFunctionError: z
      .boolean()
      .default(false)
      .meta({ description: "Split a failed batch in two and retry the halves, without using up retries (default false)." }),
    reportBatchItemFailures: z.boolean().default(false).meta({
      description: "The function reports which records failed, and processing restarts from the first failed one (default false).",
    }),
    retention: time
      .superRefine((seconds, ctx) => {
        if (seconds < 86400 || seconds > 8760 * 3600)
          ctx.addIssue({ code: "custom", message: `must be between 24h and 8760h, got ${seconds} s` });
      })
      .default(86400)
      .meta({
        description: "Records older than this are lost, counted expired (kinesis 24h–8760h, dynamodb-streams 24h only; default 24h).",
      }),
    onFailure: onFailure.meta({ description: "Where discarded batches go: dlq (counted deadLettered) or none (dropped; default)." }),
    poisonRecords: poisonRecordsSchema.optional().meta({ description: `Records that fail every batch they are in: ${POISON_FORMS}.` }),
    recordDuration: time
      .default(0)
      .meta({ description: "Handler time added per record in the batch, on top of the function's duration (a time; default 0s)." }),
  }),
);

export type StreamEntry = z.output<typeof streamEntrySchema>;

export const STREAM_ENTRY: WorkloadEntryShape<typeof streamEntrySchema> = {
  schema: streamEntrySchema,
  help: "{ function, source: kinesis | dynamodb-streams, records }",
  arrivalsField: "records",
};
