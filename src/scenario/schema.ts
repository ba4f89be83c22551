import { z } from "zod";
import { KNOWN_RUNTIMES } from "../model/runtimes.js";
import {
  lognormalFromMeanSd,
  lognormalFromMedianP99,
  type Distribution,
} from "../engine/distributions.js";
import { closest, parseTime, TIME_HELP } from "./units.js";

/*
 * The scenario format, defined once: the TypeScript types, the defaults, the validation messages
 * and the published JSON Schema all come from these definitions. Each field's description is the
 * hover help editors show; it says what the README's Scenario reference tables say.
 */

/** CloudFormation/SAM property names people carry over, and the scenario field they mean. */
const AWS_NAMES: Record<string, string> = {
  MemorySize: "memoryMb",
  memorySize: "memoryMb",
  Timeout: "timeout",
  Runtime: "runtime",
  Architectures: "architecture",
  architectures: "architecture",
  ReservedConcurrentExecutions: "reservedConcurrency",
  reservedConcurrentExecutions: "reservedConcurrency",
  ProvisionedConcurrentExecutions: "provisionedConcurrency",
  FunctionName: "name",
  PackageType: "package",
  EphemeralStorage: "ephemeralStorageMb",
};

/** A strict object whose unknown-key error lists what is allowed and the likeliest intended key. */
function record<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).filter((key) => !(shape[key] instanceof z.ZodOptional && shape[key].unwrap() instanceof z.ZodNever));
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const hints = issue.keys.map((key) => {
        const alias = AWS_NAMES[key];
        const guess = alias && allowed.includes(alias) ? alias : closest(key, allowed);
        return guess ? `"${key}" (did you mean "${guess}"?)` : `"${key}"`;
      });
      return `unknown field ${hints.join(", ")}; allowed: ${allowed.join(", ")}`;
    },
  });
}

const time = z
  .union([z.number(), z.string()], { error: `expected ${TIME_HELP}` })
  .transform((value, ctx) => {
    const seconds = parseTime(value);
    if (seconds === undefined) {
      ctx.addIssue({ code: "custom", message: `expected ${TIME_HELP}`, input: value });
      return z.NEVER;
    }
    return seconds;
  });

const positiveTime = time.refine((seconds) => seconds > 0, { message: "must be greater than 0" });

/** A time, or "infinite" where the limit can be switched off (becomes Infinity). */
const timeOrInfinite = z.union([z.literal("infinite"), time], {
  error: `expected ${TIME_HELP}, or "infinite"`,
}).transform((value) => (value === "infinite" ? Infinity : value));

const rate = z.number().min(0).finite();
const probability = z.number().min(0).max(1);
const count = z.number().int().min(0);

const distributionVariants = [
  record({ constant: time.meta({ description: "A fixed value (a time)." }) }),
  record({
    exponential: record({ mean: positiveTime.meta({ description: "Mean of the exponential distribution (time > 0)." }) })
      .meta({ description: "Exponentially distributed values." }),
  }),
  record({
    lognormal: z.union(
      [
        record({
          median: positiveTime.meta({ description: "Median (p50) of the lognormal distribution (time > 0)." }),
          p99: positiveTime.meta({ description: "99th percentile of the lognormal distribution, greater than median (time > 0)." }),
        }),
        record({
          mean: positiveTime.meta({ description: "Mean of the lognormal distribution (time > 0)." }),
          sd: positiveTime.meta({ description: "Standard deviation of the lognormal distribution (time > 0)." }),
        }),
      ],
      { error: "expected { median, p99 } or { mean, sd }" },
    ).meta({ description: "Lognormally distributed values, given as { median, p99 } or { mean, sd }." }),
  }),
  record({
    uniform: record({
      min: time.meta({ description: "Lower bound of the uniform distribution (a time)." }),
      max: time.meta({ description: "Upper bound of the uniform distribution, at least min (a time)." }),
    }).meta({ description: "Values uniformly distributed between min and max." }),
  }),
  record({ empirical: z.array(time).min(1).meta({ description: "A non-empty list of times, each drawn with equal probability." }) }),
] as const;

const DISTRIBUTION_HELP =
  "expected a time, or one of { constant }, { exponential: { mean } }, { lognormal: { median, p99 } | { mean, sd } }, { uniform: { min, max } }, { empirical: [times] }";

export const distributionSchema = z
  .union([time, ...distributionVariants], { error: DISTRIBUTION_HELP })
  .transform((spec, ctx): Distribution => {
    if (typeof spec === "number") return { kind: "constant", value: spec };
    if ("constant" in spec) return { kind: "constant", value: spec.constant };
    if ("exponential" in spec) return { kind: "exponential", mean: spec.exponential.mean };
    if ("uniform" in spec) {
      if (spec.uniform.max < spec.uniform.min) {
        ctx.addIssue({ code: "custom", path: ["uniform", "max"], message: "must be at least min", input: spec.uniform.max });
      }
      return { kind: "uniform", min: spec.uniform.min, max: spec.uniform.max };
    }
    if ("empirical" in spec) return { kind: "empirical", values: spec.empirical };
    const params = spec.lognormal;
    if ("median" in params) {
      if (!(params.p99 > params.median)) {
        ctx.addIssue({ code: "custom", path: ["lognormal", "p99"], message: "must be greater than median", input: params.p99 });
      }
      return lognormalFromMedianP99(params.median, params.p99);
    }
    return lognormalFromMeanSd(params.mean, params.sd);
  });

const traceFormat = z.enum(["timestamps", "azure-functions-2021"]);

const arrivalsSchema = z.union(
  [
    record({ poisson: record({ rate: rate.meta({ description: "Mean arrivals per second (≥ 0)." }) }).meta({ description: "Poisson arrivals at a constant mean rate." }) }),
    record({
      constant: record({
        interval: positiveTime.meta({ description: "Time between two arrivals (time > 0)." }),
        start: time.default(0).meta({ description: "Time of the first arrival (default 0s)." }),
      }).meta({ description: "One arrival every interval, from start." }),
    }),
    record({
      steps: z
        .array(
          record({
            at: time.meta({ description: "Time from which this step's rate applies." }),
            rate: rate.meta({ description: "Mean arrivals per second from at on (≥ 0)." }),
          }),
        )
        .min(1)
        .superRefine((steps, ctx) => {
          steps.forEach((step, i) => {
            if (i > 0 && step.at <= steps[i - 1].at) {
              ctx.addIssue({ code: "custom", path: [i, "at"], message: `must be later than the previous step (${steps[i - 1].at} s), got ${step.at} s` });
            }
          });
        })
        .meta({ description: "Poisson arrivals whose rate changes at each step's at (strictly increasing times); the rate is 0 before the first step." }),
    }),
    record({
      diurnal: record({
        mean: rate.meta({ description: "Mean arrivals per second over a period (≥ 0)." }),
        peak: rate.meta({ description: "Highest arrivals per second, between mean and 2 × mean." }),
        period: positiveTime.default(86400).meta({ description: "Length of one cycle (time > 0; default 1d)." }),
        peakAt: time.optional().meta({ description: "Time of the peak within the period (default: period/2)." }),
      })
        .superRefine((d, ctx) => {
          if (d.peak < d.mean || d.peak > 2 * d.mean) {
            ctx.addIssue({
              code: "custom",
              path: ["peak"],
              input: d.peak,
              message: `must lie between mean (${d.mean}) and 2 x mean (${2 * d.mean}), so that the trough (2 x mean - peak) is not negative`,
            });
          }
        })
        .meta({ description: "Poisson arrivals with rate mean + (peak − mean)·cos(2π(t − peakAt)/period)." }),
    }),
    record({
      trace: record({
        file: z.string().min(1).meta({ description: "The trace CSV file, relative to the scenario file's folder." }),
        format: traceFormat.default("timestamps")
          .meta({ description: "timestamps: request times in seconds, one per line (default); azure-functions-2021: an Azure Functions 2021 trace, replayed with its durations." }),
        column: z.number().int().min(0).default(0).meta({ description: "timestamps format: 0-based CSV column holding the request times (default 0)." }),
        startAt: time.optional().meta({ description: "timestamps format: the trace time that becomes time 0 (default: the first timestamp)." }),
        app: z.string().min(1).optional().meta({ description: "azure-functions-2021 format: replay only the invocations of this app." }),
        func: z.string().min(1).optional().meta({ description: "azure-functions-2021 format: replay only the invocations of this function." }),
        reorderWindow: time.default(3600).meta({ description: "azure-functions-2021 format: how far rows may be out of start order (time; default 1h)." }),
      }).meta({ description: "Replay of a trace file into this one function: a CSV of request times, or an Azure Functions 2021 trace." }),
    }),
  ],
  {
    error:
      "expected one of { poisson: { rate } }, { constant: { interval } }, { steps: [{ at, rate }] }, { diurnal: { mean, peak, period } }, { trace: { file, format } }",
  },
);

export const clientSchema = record({
  retry: z.enum(["none", "sdk-standard"]).default("none")
    .meta({ description: "What the caller does with a 429: none (it is final; default) or sdk-standard (the AWS SDK standard retry mode)." }),
  maxAttempts: z.number().int().min(1).max(100).default(3).meta({ description: "Attempts in total, the first included (1–100; default 3)." }),
  baseDelay: time.default(0.1)
    .meta({ description: "Backoff base for retryable errors other than throttles (default 100ms; on the synchronous path only throttles are retried)." }),
  throttleBaseDelay: time.default(0.5).meta({ description: "Backoff base for throttling errors, as in the JavaScript SDK v3 (default 500ms)." }),
  maxBackoff: time.default(20).meta({ description: "Cap on one backoff (default 20s)." }),
  retryQuota: z.union([count, z.literal("infinite")]).default(500)
    .meta({ description: "Retry token bucket: a retry costs 5, a success returns 5 (after a retry) or 1; infinite disables it (default 500)." }),
});

const provisionedSchema = z.union(
  [
    count,
    z
      .array(
        record({
          at: time.meta({ description: "Time from which value applies (entries in increasing order of at)." }),
          value: count.meta({ description: "Provisioned environments from at on (integer ≥ 0)." }),
        }),
      )
      .min(1),
  ],
  { error: "expected a whole number of environments, or a list of { at, value }" },
);

const memory = z.number().int().min(128).max(10240);

/** The per-function fields a trace entry may also set for every function it creates. */
const functionSettings = {
  runtime: z
    .string()
    .default("nodejs22.x")
    .superRefine((runtime, ctx) => {
      if (KNOWN_RUNTIMES.includes(runtime)) return;
      const guess = closest(runtime, KNOWN_RUNTIMES);
      ctx.addIssue({
        code: "custom",
        input: runtime,
        message: `unknown runtime${guess ? ` (did you mean "${guess}"?)` : ""}; allowed: ${KNOWN_RUNTIMES.join(", ")}`,
      });
    })
    .meta({ description: "Lambda runtime, such as nodejs22.x, python3.12 or provided.al2023/go; selects the default init distribution (default nodejs22.x)." }),
  package: z.enum(["zip", "image"]).default("zip")
    .meta({ description: "Deployment package, zip (default) or image; selects init figures, and an image's INIT is billed under the pre-2025-08 rule too." }),
  memoryMb: memory.default(128)
    .meta({ description: "Memory in MB (integer 128–10,240; default 128), which also sets the CPU share and the price." }),
  architecture: z.enum(["x86_64", "arm64"]).default("x86_64")
    .meta({ description: "Instruction set architecture, x86_64 (default) or arm64; selects init figures and prices." }),
  ephemeralStorageMb: z.number().int().min(512).max(10240).default(512)
    .meta({ description: "Ephemeral storage (/tmp) in MB (integer 512–10,240; default 512); storage above 512 MB is billed." }),
  timeout: time
    .superRefine((seconds, ctx) => {
      if (seconds < 1 || seconds > 900) ctx.addIssue({ code: "custom", message: `must be between 1s and 900s, got ${seconds} s` });
    })
    .default(3)
    .meta({ description: "Invocation time limit: a longer invocation is cut here, billed in full, counted as an error, and its environment reset (1s–900s; default 3s)." }),
  init: distributionSchema.optional()
    .meta({ description: "Cold-start init duration, a distribution (default: a lognormal fitted to measurements of the runtime, package, architecture and memory)." }),
  durationAtMemoryMb: memory.optional().meta({ description: "Memory in MB at which duration was measured (integer 128–10,240; default memoryMb)." }),
  cpuBoundFraction: probability.default(0)
    .meta({ description: "Share of the handler time that scales with the CPU share, min(MB / 1769, 6) vCPU, when memoryMb differs from durationAtMemoryMb (0–1; default 0)." }),
  errorRate: probability.default(0)
    .meta({ description: "Probability that an invocation fails with a handled error, which leaves the environment warm (0–1; default 0)." }),
  crashRate: probability.default(0).meta({ description: "Probability that the runtime crashes: an error that also resets the environment (0–1; default 0)." }),
};

const functionName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: "must be 1-64 letters, digits, hyphens or underscores" });

const errorWindowsSchema = z
  .array(
    record({
      from: time.meta({ description: "Start of the outage (a time)." }),
      to: time.meta({ description: "End of the outage, later than from (a time)." }),
    }).superRefine((w, ctx) => {
      if (w.to <= w.from) ctx.addIssue({ code: "custom", path: ["to"], input: w.to, message: `must be later than from (${w.from} s), got ${w.to} s` });
    }),
  )
  .superRefine((windows, ctx) => {
    windows.forEach((w, i) => {
      if (i > 0 && w.from < windows[i - 1].to) {
        ctx.addIssue({ code: "custom", path: [i, "from"], input: w.from, message: `must not be before the previous window's end (${windows[i - 1].to} s), got ${w.from} s` });
      }
    });
  });

export const functionSchema = record({
  name: functionName.meta({ description: "Function name, unique in the scenario: 1–64 letters, digits, hyphens or underscores." }),
  ...functionSettings,
  duration: distributionSchema
    .meta({ description: "Handler time at durationAtMemoryMb, a distribution: a time, or { constant | exponential | lognormal | uniform | empirical }." }),
  reservedConcurrency: count.optional()
    .meta({ description: "Reserved concurrency, both a cap and a guarantee; 0 throttles everything (integer ≥ 0; default none)." }),
  provisionedConcurrency: provisionedSchema.optional()
    .meta({ description: "Pre-initialised environments: a whole number, or a list of { at, value } that changes it over time (default none)." }),
  errorWindows: errorWindowsSchema.default([])
    .meta({ description: "Intervals { from, to }, in order and not overlapping, in which every invocation that starts fails, as in a downstream outage (default none)." }),
});

const onFailure = z.enum(["dlq", "none"]).default("none");

export const asyncSchema = record({
  maximumRetryAttempts: z.number().int().min(0).max(2).default(2).meta({ description: "Retries after a function error, crash or timeout (0–2; default 2)." }),
  maximumEventAge: time
    .superRefine((seconds, ctx) => {
      if (seconds < 60 || seconds > 21600) ctx.addIssue({ code: "custom", message: `must be between 60s and 6h (21600 s), got ${seconds} s` });
    })
    .default(21600)
    .meta({ description: "An event older than this is not tried again (60s–6h; default 6h)." }),
  onFailure: onFailure
    .meta({ description: "Where an event that runs out of retries or age goes: dlq, the dead-letter queue or on-failure destination (counted deadLettered), or none (dropped; default)." }),
  retryDelays: z
    .array(time)
    .length(2, { message: "must list two delays: before the first and before the second retry" })
    .default([60, 120])
    .meta({ description: "Waits before the first and before the second retry after a function error (two times; default [1m, 2m])." }),
  backoffInitial: positiveTime.default(1).meta({ description: "Wait before a throttled event is tried again the first time (time > 0; default 1s)." }),
  backoffFactor: z.number().min(1).finite().default(2)
    .meta({ description: "Factor by which the wait grows with each further throttle in a row (≥ 1; default 2)." }),
  backoffMax: positiveTime.default(300).meta({ description: "Cap on the wait before a throttled event is tried again (time ≥ backoffInitial; default 5m)." }),
  duplicateProbability: probability.default(0)
    .meta({ description: "Probability that an event is delivered a second time, as at-least-once delivery allows (0–1; default 0)." }),
});

const ARRIVAL_FORMS = "poisson, constant, steps, diurnal or trace";

const invocationWorkloadSchema = record({
  function: z.string().min(1).meta({ description: "Name of the invoked function, one defined under functions." }),
  invocation: z.enum(["sync", "async"]).default("sync").meta({ description: "Invocation type: sync for RequestResponse (default) or async for Event." }),
  arrivals: arrivalsSchema.meta({ description: `When invocations arrive: ${ARRIVAL_FORMS}.` }),
  client: clientSchema.optional().meta({ description: "What the caller does with a 429 (throttle) response (sync only; default: retry none)." }),
  async: asyncSchema.optional().meta({ description: "The function's asynchronous invocation configuration (invocation: async only)." }),
  // Refused outright, so that an event-source entry with a mistake is reported as one.
  source: z
    .never({ error: "an entry with a source is an event source mapping" })
    .optional()
    .meta({ description: "Not allowed with arrivals: an entry with a source (kinesis, dynamodb-streams or sqs) is an event source mapping." }),
});

const poisonRecordsSchema = z.union(
  [
    record({ rate: probability.meta({ description: "Probability that each record or message is poisoned (0–1)." }) }),
    record({ records: z.array(count).min(1).meta({ description: "0-based positions, in arrival order, of the poisoned records or messages." }) }),
  ],
  { error: "expected { rate } (each record poisoned with that probability) or { records: [n, ...] } (0-based arrival positions)" },
);

/** -1 (or "infinite") switches the limit off; otherwise a whole number in [min, max]. */
const countOrInfinite = (min: number, max: number) =>
  z
    .union([z.literal("infinite"), z.number().int()], { error: `expected -1 (infinite) or a whole number from ${min} to ${max}` })
    .superRefine((value, ctx) => {
      if (value !== "infinite" && value !== -1 && (value < min || value > max)) {
        ctx.addIssue({ code: "custom", message: `must be -1 (infinite) or a whole number from ${min} to ${max}, got ${value}` });
      }
    })
    .transform((value) => (value === -1 || value === "infinite" ? Infinity : value));

/** -1 (or "infinite") switches the limit off; otherwise a time in [min, max] seconds. */
const timeOrOff = (min: number, max: number, help: string) =>
  z
    .union([z.literal(-1), z.literal("infinite"), time], { error: `expected -1 (infinite) or ${TIME_HELP}` })
    .transform((value) => (value === -1 || value === "infinite" ? Infinity : value))
    .superRefine((seconds, ctx) => {
      if (seconds !== Infinity && (seconds < min || seconds > max)) ctx.addIssue({ code: "custom", message: `must be -1 (infinite) or between ${help}, got ${seconds} s` });
    });

const batchingWindow = time
  .superRefine((seconds, ctx) => {
    if (seconds > 300) ctx.addIssue({ code: "custom", message: `must be between 0s and 300s, got ${seconds} s` });
  })
  .default(0);

const POISON_FORMS = "{ rate } (each with that probability) or { records: [n, …] } (0-based positions in arrival order)";

const streamWorkloadSchema = record({
  function: z.string().min(1).meta({ description: "Name of the consuming function, one defined under functions." }),
  source: z.enum(["kinesis", "dynamodb-streams"]).meta({ description: "The stream: kinesis or dynamodb-streams." }),
  records: arrivalsSchema.meta({ description: `When records arrive on the stream, all shards together: ${ARRIVAL_FORMS}.` }),
  shards: z.number().int().min(1).max(100000).default(1).meta({ description: "Number of shards (1–100,000; default 1)." }),
  shardSkew: z.number().min(0).finite().default(0)
    .meta({ description: "Zipf exponent of the spread of records over shards, as with a hot partition key (≥ 0; default 0, uniform)." }),
  pollInterval: positiveTime.optional()
    .meta({ description: "How often an idle shard is polled (time > 0; default 1s for kinesis, 250ms for dynamodb-streams)." }),
  batchSize: z.number().int().min(1).max(10000).default(100).meta({ description: "Records per invocation at most (1–10,000; default 100)." }),
  batchingWindow: batchingWindow.meta({ description: "Wait up to this long after the previous invocation for a full batch (0–300s; default 0s)." }),
  parallelizationFactor: z.number().int().min(1).max(10).default(1)
    .meta({ description: "Concurrent batches per shard, each a key range that keeps its order (1–10; default 1)." }),
  maximumRetryAttempts: countOrInfinite(0, 10000).prefault(-1)
    .meta({ description: "Retries of a failed batch on function errors (throttles do not count): 0–10,000, or -1 or infinite for no limit (default -1)." }),
  maximumRecordAge: timeOrOff(60, 604800, "60s and 7d (604800 s)").prefault(-1)
    .meta({ description: "Records older than this are discarded instead of sent or retried: 60s–7d, or -1 or infinite for no limit (default -1)." }),
  bisectBatchOnFunctionError: z.boolean().default(false)
    .meta({ description: "Split a failed batch in two and retry the halves, without using up retries (default false)." }),
  reportBatchItemFailures: z.boolean().default(false)
    .meta({ description: "The function reports which records failed, and processing restarts from the first failed one (default false)." }),
  retention: time
    .superRefine((seconds, ctx) => {
      if (seconds < 86400 || seconds > 8760 * 3600) ctx.addIssue({ code: "custom", message: `must be between 24h and 8760h, got ${seconds} s` });
    })
    .default(86400)
    .meta({ description: "Records older than this are lost, counted expired (kinesis 24h–8760h, dynamodb-streams 24h only; default 24h)." }),
  onFailure: onFailure.meta({ description: "Where discarded batches go: dlq (counted deadLettered) or none (dropped; default)." }),
  poisonRecords: poisonRecordsSchema.optional().meta({ description: `Records that fail every batch they are in: ${POISON_FORMS}.` }),
  recordDuration: time.default(0).meta({ description: "Handler time added per record in the batch, on top of the function's duration (a time; default 0s)." }),
});

const sqsWorkloadSchema = record({
  function: z.string().min(1).meta({ description: "Name of the consuming function, one defined under functions." }),
  source: z.literal("sqs").meta({ description: "sqs: an SQS queue that this function consumes." }),
  messages: arrivalsSchema.meta({ description: `When messages are sent to the queue: ${ARRIVAL_FORMS}.` }),
  batchSize: z.number().int().min(1).max(10000).default(10)
    .meta({ description: "Messages per invocation at most (1–10,000, FIFO at most 10, above 10 only with a batchingWindow of at least 1s; default 10)." }),
  batchingWindow: batchingWindow.meta({ description: "How long a poller gathers messages for a batch (0–300s; default 0s)." }),
  maximumConcurrency: z.number().int().min(2).max(1000).optional()
    .meta({ description: "Cap on the concurrent batches of this mapping (2–1,000; default none)." }),
  visibilityTimeout: time
    .superRefine((seconds, ctx) => {
      if (seconds > 43200) ctx.addIssue({ code: "custom", message: `must be between 0s and 12h (43200 s), got ${seconds} s` });
    })
    .default(30)
    .meta({ description: "A received message that was not deleted reappears this long after the receive (at least the function's timeout, at most 12h; default 30s)." }),
  maxReceiveCount: z.number().int().min(1).max(1000).optional()
    .meta({ description: "Redrive policy: after this many receives a message moves to the dead-letter queue, counted deadLettered (1–1,000; default none)." }),
  messageRetention: time
    .superRefine((seconds, ctx) => {
      if (seconds < 60 || seconds > 1209600) ctx.addIssue({ code: "custom", message: `must be between 60s and 14d (1209600 s), got ${seconds} s` });
    })
    .default(345600)
    .meta({ description: "The queue deletes messages older than this, counted dropped (60s–14d; default 4d)." }),
  reportBatchItemFailures: z.boolean().default(false)
    .meta({ description: "Only the failed (poison) messages of a batch return to the queue (default false)." }),
  fifo: z.boolean().default(false)
    .meta({ description: "FIFO queue: order is kept within a message group, and a failing message blocks its group (default false)." }),
  messageGroups: z.number().int().min(1).max(1000000).optional()
    .meta({ description: "FIFO only: number of message groups, over which messages are spread uniformly (1–1,000,000; default 1)." }),
  pollerScaling: z.enum(["current", "pre-2023"]).default("current")
    .meta({ description: "Poller growth while messages wait: current, +300 per minute up to 1,250 (default), or pre-2023, +60 per minute up to 1,000." }),
  poisonRecords: poisonRecordsSchema.optional().meta({ description: `Messages that fail every batch they are in: ${POISON_FORMS}.` }),
  recordDuration: time.default(0).meta({ description: "Handler time added per message in the batch, on top of the function's duration (a time; default 0s)." }),
});

const traceWorkloadSchema = record({
  trace: record({
    file: z.string().min(1).meta({ description: "The trace CSV file (app,func,end_timestamp,duration), relative to the scenario file's folder." }),
    format: z.literal("azure-functions-2021", { error: 'expected "azure-functions-2021"' }).meta({ description: "The trace format: azure-functions-2021." }),
    namePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,40}$/, { message: "must be 0-40 letters, digits, hyphens or underscores" })
      .default("azure")
      .meta({ description: "Prefix of the created functions' names, <namePrefix>-<app[:8]>-<func[:8]> (0–40 letters, digits, hyphens or underscores; default azure)." }),
    reorderWindow: time.default(3600).meta({ description: "How far rows may be out of start order (a time; default 1h)." }),
    client: clientSchema.prefault({}).meta({ description: "What the callers of every created function do with a 429 (throttle) response (default: retry none)." }),
    ...functionSettings,
  }).meta({ description: "Replay of an Azure Functions 2021 trace: one function per (app, func) pair, with the trace's durations as handler times; the function fields given apply to all of them." }),
});

export const workloadEntrySchema = z.union([invocationWorkloadSchema, streamWorkloadSchema, sqsWorkloadSchema, traceWorkloadSchema], {
  error:
    "expected { function, arrivals, invocation: sync | async }, { function, source: kinesis | dynamodb-streams, records }, { function, source: sqs, messages }, or { trace: { file, format: azure-functions-2021 } }",
});

/** A what-if sweep over this scenario (read by `lambdasim sweep`; `run` simulates the scenario as written). */
export const sweepSchema = record({
  vary: z
    .record(z.string().min(1), z.array(z.unknown()).min(1, { message: "needs at least one value" }))
    .default({})
    .meta({ description: "Values to try, by path into the scenario as written (functions.api.memoryMb: [256, 512]); every combination is run (default none)." }),
  replications: z.number().int().min(1).max(1000).optional()
    .meta({ description: "Runs of each variant, with seeds seed, seed+1, …; tables then show means with 95 % confidence intervals (1–1000; default 1)." }),
  p99Limit: positiveTime
    .optional()
    .meta({ description: "A latency objective: the sweep names the cheapest variant whose slowest function's p99 is at most this (a time; default none)." }),
});

export const scenarioSchema = record({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, { message: "must be 1-100 letters, digits, dots, hyphens or underscores" })
    .optional()
    .meta({ description: "Scenario name, which names the report folder: 1–100 letters, digits, dots, hyphens or underscores (default: the file name)." }),
  description: z.string().optional().meta({ description: "Free text shown in report.md and summary.json." }),
  seed: z.number().int().min(0).max(2 ** 53 - 1).default(1)
    .meta({ description: "Root of every random stream: the same scenario and seed give identical results (integer ≥ 0; default 1; --seed overrides)." }),
  duration: positiveTime.optional()
    .meta({ description: "Arrivals are generated in [0, duration), then work still running is drained (time > 0; required unless the workload is only Azure trace replays, which default to the whole trace)." }),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: "expected an AWS region such as us-east-1" })
    .default("us-east-1")
    .meta({ description: "AWS region id, which selects the legacy burst size; prices are us-east-1's everywhere (default us-east-1)." }),
  account: record({
    concurrencyLimit: z.number().int().min(1).default(1000)
      .meta({ description: "Regional account concurrency, shared by all functions (integer ≥ 1; default 1000)." }),
    unreservedMinimum: count.default(100)
      .meta({ description: "Concurrency that must stay unreserved: reserved concurrency totals at most concurrencyLimit minus this (integer ≥ 0; default 100)." }),
    scaling: z.enum(["per-function", "legacy", "unlimited"]).default("per-function")
      .meta({ description: "Scaling-rate model: per-function, the Nov-2023 per-function bucket (default); legacy, the older account-wide burst + 500/min; or unlimited." }),
    scalingBucketSize: z.number().int().min(1).default(1000)
      .meta({ description: "Per-function scaling model: new environments a function may start at once (integer ≥ 1; default 1000)." }),
    scalingRefillPerSecond: z.number().positive().default(100)
      .meta({ description: "Per-function scaling model: new-environment tokens refilled per second (> 0; default 100, i.e. 1,000 per 10 s)." }),
    legacyBurst: z.number().int().min(1).optional()
      .meta({ description: "Legacy scaling model: account-wide initial burst of new environments (integer ≥ 1; default by region: 3000 in us-east-1, us-west-2, eu-west-1; 1000 in ap-northeast-1, eu-central-1, us-east-2; 500 elsewhere)." }),
    legacyRefillPerMinute: z.number().positive().default(500)
      .meta({ description: "Legacy scaling model: new environments added per minute after the burst (> 0; default 500)." }),
    requestRateLimit: z.union([z.number().positive(), z.literal("infinite")]).optional()
      .meta({ description: "Synchronous invokes per second for the account, > 0 or infinite (default 10 × concurrencyLimit)." }),
  })
    .prefault({})
    .meta({ description: "Account-wide limits: concurrency, the scaling rate of new environments, and the synchronous request rate." }),
  platform: record({
    keepAlive: timeOrInfinite.default(600)
      .meta({ description: "An environment idle longer than this is reclaimed (a time or infinite; default 10m, as measured: AWS documents nothing)." }),
    activeKeepAlive: timeOrInfinite.optional()
      .meta({ description: "While the function is still being invoked, an idle environment is kept up to this long after its own last invocation (a time ≥ keepAlive, or infinite; default keepAlive)." }),
    activeSpares: z
      .union([z.literal("infinite"), count], { error: 'expected a whole number >= 0, or "infinite"' })
      .transform((value) => (value === "infinite" ? Infinity : value))
      .optional()
      .meta({ description: "With activeKeepAlive: at most this many idle environments past keepAlive, the most recently used, are kept (whole number ≥ 0 or infinite; default infinite)." }),
    maxLifetime: timeOrInfinite.default(7200)
      .meta({ description: "Environments are recycled after this long even when used, a busy one once its invocation ends (a time or infinite; default 2h)." }),
    lifetimeJitter: probability.default(0.1)
      .meta({ description: "Each environment's lifetime is drawn uniformly in [maxLifetime × (1 − jitter), maxLifetime] (0–1; default 0.1)." }),
    earlyRetirementRate: rate.default(0)
      .meta({ description: "Environments are also retired at random at this rate per second of life (exponential), or at maxLifetime if sooner (≥ 0; default 0, never)." }),
    reuse: z.enum(["mru", "lru"]).default("mru")
      .meta({ description: "Which idle environment takes the next request: mru, the most recently used (default; matches AWS measurements), or lru, the least." }),
    initBilling: z.enum(["current", "pre-2025-08"]).default("current")
      .meta({ description: "INIT billing: current (default), billed for every on-demand function since 1 Aug 2025, or pre-2025-08, only for custom runtimes and container images." }),
    freeTier: z.boolean().default(false)
      .meta({ description: "Apply the free tier of 1 M requests and 400,000 GB-s, treating the run as the month's whole usage (default false)." }),
    initTimeout: positiveTime.default(10)
      .meta({ description: "On-demand init limit: a longer init is suppressed and retried inside the first invocation, against its timeout (time > 0; default 10s)." }),
    provisionedAllocationDelay: time.default(90)
      .meta({ description: "Preparation before provisioned environments start to appear (a time; default 90s, documented as 1–2 min)." }),
    provisionedRampPerSecond: z.number().positive().default(100)
      .meta({ description: "Provisioned environments started per second after the allocation delay (> 0; default 100, the scaling refill rate, as AWS documents none)." }),
  })
    .prefault({})
    .meta({ description: "Platform behaviour: environment keep-alive and lifetime, reuse order, INIT billing and timeout, free tier, provisioned ramp-up." }),
  functions: z.array(functionSchema).default([]).meta({ description: "The Lambda functions that the workload drives (default none)." }),
  workload: z
    .array(workloadEntrySchema)
    .min(1, { message: "needs at least one workload entry" })
    .meta({ description: "What drives the functions, at least one entry: invocations, a kinesis or dynamodb-streams stream, an SQS queue, or an Azure Functions trace replay." }),
  sweep: sweepSchema.optional()
    .meta({ description: "A what-if sweep over this scenario, read by lambdasim sweep only; lambdasim run simulates the scenario as written." }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type FunctionConfig = z.output<typeof functionSchema>;
export type FunctionSettings = z.output<z.ZodObject<typeof functionSettings>>;
export type WorkloadEntry = z.output<typeof workloadEntrySchema>;
export type InvocationWorkload = z.output<typeof invocationWorkloadSchema>;
export type StreamWorkload = z.output<typeof streamWorkloadSchema>;
export type SqsWorkload = z.output<typeof sqsWorkloadSchema>;
export type TraceWorkload = z.output<typeof traceWorkloadSchema>;
export type ArrivalsSpec = z.output<typeof arrivalsSchema>;
export type ClientConfig = z.output<typeof clientSchema>;
export type SweepBlock = z.output<typeof sweepSchema>;
export type AccountConfig = ParsedScenario["account"];
export type PlatformConfig = ParsedScenario["platform"];
