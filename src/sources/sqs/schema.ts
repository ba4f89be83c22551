import { z } from "zod";
import { ARRIVAL_FORMS, arrivalsSchema, record, time } from "../../scenario/primitives.js";
import type { WorkloadEntryShape } from "../eventSource.js";
import { batchingWindow, POISON_FORMS, poisonRecordsSchema } from "../shared/mappingSchema.js";

export const sqsEntrySchema = z.lazy(() =>
  record({
    function: z.string().min(1).meta({ description: "Name of the consuming function, one defined under functions." }),
    source: z.literal("sqs").meta({ description: "sqs: an SQS queue that this function consumes." }),
    messages: arrivalsSchema.meta({ description: `When messages are sent to the queue: ${ARRIVAL_FORMS}.` }),
    batchSize: z.number().int().min(1).max(10000).default(10).meta({
      description:
        "Messages per invocation at most (1–10,000, FIFO at most 10, above 10 only with a batchingWindow of at least 1s; default 10).",
    }),
    batchingWindow: batchingWindow.meta({ description: "How long a poller gathers messages for a batch (0–300s; default 0s)." }),
    maximumConcurrency: z
      .number()
      .int()
      .min(2)
      .max(1000)
      .optional()
      .meta({ description: "Cap on the concurrent batches of this mapping (2–1,000; default none)." }),
    provisionedPollers: record({
      minimum: z.number().int().min(2).max(200).default(2).meta({
        description: "Event pollers kept at all times, billed even when idle (2–200; default 2, as AWS).",
      }),
      maximum: z.number().int().min(2).max(10000).default(200).meta({
        description: "Event pollers the mapping may scale up to (2–10,000; default 200, as AWS).",
      }),
    })
      .optional()
      .meta({
        description:
          "Provisioned mode: dedicated event pollers, each receiving up to 1 MB/s and running up to 10 batches at once, scaling by up to 100 pollers a minute, billed per event poller unit hour (not with maximumConcurrency; default off).",
      }),
    messageSizeKb: z.number().min(1).max(1024).default(1).meta({
      description: "Size of each message in KB, which sets how many messages a provisioned poller's 1 MB/s receives (1–1,024; default 1).",
    }),
    visibilityTimeout: time
      .superRefine((seconds, ctx) => {
        if (seconds > 43200) ctx.addIssue({ code: "custom", message: `must be between 0s and 12h (43200 s), got ${seconds} s` });
      })
      .default(30)
      .meta({
        description:
          "A received message that was not deleted reappears this long after the receive (at least the function's timeout, at most 12h; default 30s).",
      }),
    maxReceiveCount: z.number().int().min(1).max(1000).optional().meta({
      description:
        "Redrive policy: after this many receives a message moves to the dead-letter queue, counted deadLettered (1–1,000; default none).",
    }),
    messageRetention: time
      .superRefine((seconds, ctx) => {
        if (seconds < 60 || seconds > 1209600)
          ctx.addIssue({ code: "custom", message: `must be between 60s and 14d (1209600 s), got ${seconds} s` });
      })
      .default(345600)
      .meta({ description: "The queue deletes messages older than this, counted dropped (60s–14d; default 4d)." }),
    reportBatchItemFailures: z
      .boolean()
      .default(false)
      .meta({ description: "Only the failed (poison) messages of a batch return to the queue (default false)." }),
    fifo: z
      .boolean()
      .default(false)
      .meta({ description: "FIFO queue: order is kept within a message group, and a failing message blocks its group (default false)." }),
    messageGroups: z
      .number()
      .int()
      .min(1)
      .max(1000000)
      .optional()
      .meta({ description: "FIFO only: number of message groups, over which messages are spread uniformly (1–1,000,000; default 1)." }),
    pollerScaling: z.enum(["current", "pre-2023"]).default("current").meta({
      description:
        "Poller growth while messages wait: current, +300 per minute up to 1,250 (default), or pre-2023, +60 per minute up to 1,000.",
    }),
    poisonRecords: poisonRecordsSchema.optional().meta({ description: `Messages that fail every batch they are in: ${POISON_FORMS}.` }),
    recordDuration: time
      .default(0)
      .meta({ description: "Handler time added per message in the batch, on top of the function's duration (a time; default 0s)." }),
  }),
);

export type SqsEntry = z.output<typeof sqsEntrySchema>;

export const SQS_ENTRY: WorkloadEntryShape<typeof sqsEntrySchema> = {
  schema: sqsEntrySchema,
  help: "{ function, source: sqs, messages }",
  arrivalsField: "messages",
};
