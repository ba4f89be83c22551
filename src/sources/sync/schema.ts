import { z } from "zod";
import { count, record, time } from "../../scenario/primitives.js";

export const clientSchema = record({
  retry: z.enum(["none", "sdk-standard"]).default("none").meta({
    description: "What the caller does with a 429: none (it is final; default) or sdk-standard (the AWS SDK standard retry mode).",
  }),
  maxAttempts: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .meta({ description: "Attempts in total, the first included (1–100; default 3)." }),
  baseDelay: time.default(0.1).meta({
    description:
      "Backoff base for retryable errors other than throttles (default 100ms; on the synchronous path only throttles are retried).",
  }),
  throttleBaseDelay: time
    .default(0.5)
    .meta({ description: "Backoff base for throttling errors, as in the JavaScript SDK v3 (default 500ms)." }),
  maxBackoff: time.default(20).meta({ description: "Cap on one backoff (default 20s)." }),
  retryQuota: z
    .union([count, z.literal("infinite")])
    .default(500)
    .meta({
      description: "Retry token bucket: a retry costs 5, a success returns 5 (after a retry) or 1; infinite disables it (default 500).",
    }),
});

export type ClientConfig = z.output<typeof clientSchema>;
