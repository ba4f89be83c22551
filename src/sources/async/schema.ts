import { z } from "zod";
import { positiveTime, probability, record, time } from "../../scenario/primitives.js";
import { onFailure } from "../shared/mappingSchema.js";

export const asyncSchema = record({
  maximumRetryAttempts: z
    .number()
    .int()
    .min(0)
    .max(2)
    .default(2)
    .meta({ description: "Retries after a function error, crash or timeout (0–2; default 2)." }),
  maximumEventAge: time
    .superRefine((seconds, ctx) => {
      if (seconds < 60 || seconds > 21600)
        ctx.addIssue({ code: "custom", message: `must be between 60s and 6h (21600 s), got ${seconds} s` });
    })
    .default(21600)
    .meta({ description: "An event older than this is not tried again (60s–6h; default 6h)." }),
  onFailure: onFailure.meta({
    description:
      "Where an event that runs out of retries or age goes: dlq, the dead-letter queue or on-failure destination (counted deadLettered), or none (dropped; default).",
  }),
  retryDelays: z
    .array(time)
    .length(2, { message: "must list two delays: before the first and before the second retry" })
    .default([60, 120])
    .meta({ description: "Waits before the first and before the second retry after a function error (two times; default [1m, 2m])." }),
  backoffInitial: positiveTime
    .default(1)
    .meta({ description: "Wait before a throttled event is tried again the first time (time > 0; default 1s)." }),
  backoffFactor: z
    .number()
    .min(1)
    .finite()
    .default(2)
    .meta({ description: "Factor by which the wait grows with each further throttle in a row (≥ 1; default 2)." }),
  backoffMax: positiveTime
    .default(300)
    .meta({ description: "Cap on the wait before a throttled event is tried again (time ≥ backoffInitial; default 5m)." }),
  payloadKb: z.number().min(1).max(1024).default(1).meta({
    description:
      "Event size in KB (1–1,024; default 1): each invocation is billed as 1 request for the first 256 KB plus 1 per further 64 KB (1 MB = 13).",
  }),
  duplicateProbability: probability
    .default(0)
    .meta({ description: "Probability that an event is delivered a second time, as at-least-once delivery allows (0–1; default 0)." }),
});
