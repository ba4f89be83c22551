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
 * and the published JSON Schema all come from these definitions.
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
  record({ constant: time }),
  record({ exponential: record({ mean: positiveTime }) }),
  record({
    lognormal: z.union(
      [record({ median: positiveTime, p99: positiveTime }), record({ mean: positiveTime, sd: positiveTime })],
      { error: "expected { median, p99 } or { mean, sd }" },
    ),
  }),
  record({ uniform: record({ min: time, max: time }) }),
  record({ empirical: z.array(time).min(1) }),
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
    record({ poisson: record({ rate }) }),
    record({ constant: record({ interval: positiveTime, start: time.default(0) }) }),
    record({
      steps: z
        .array(record({ at: time, rate }))
        .min(1)
        .superRefine((steps, ctx) => {
          steps.forEach((step, i) => {
            if (i > 0 && step.at <= steps[i - 1].at) {
              ctx.addIssue({ code: "custom", path: [i, "at"], message: `must be later than the previous step (${steps[i - 1].at} s), got ${step.at} s` });
            }
          });
        }),
    }),
    record({
      diurnal: record({ mean: rate, peak: rate, period: positiveTime.default(86400), peakAt: time.optional() })
        .superRefine((d, ctx) => {
          if (d.peak < d.mean || d.peak > 2 * d.mean) {
            ctx.addIssue({
              code: "custom",
              path: ["peak"],
              input: d.peak,
              message: `must lie between mean (${d.mean}) and 2 x mean (${2 * d.mean}), so that the trough (2 x mean - peak) is not negative`,
            });
          }
        }),
    }),
    record({
      trace: record({
        file: z.string().min(1),
        format: traceFormat.default("timestamps"),
        column: z.number().int().min(0).default(0),
        startAt: time.optional(),
        app: z.string().min(1).optional(),
        func: z.string().min(1).optional(),
        reorderWindow: time.default(3600),
      }),
    }),
  ],
  {
    error:
      "expected one of { poisson: { rate } }, { constant: { interval } }, { steps: [{ at, rate }] }, { diurnal: { mean, peak, period } }, { trace: { file, format } }",
  },
);

export const clientSchema = record({
  retry: z.enum(["none", "sdk-standard"]).default("none"),
  maxAttempts: z.number().int().min(1).max(100).default(3),
  baseDelay: time.default(0.1),
  throttleBaseDelay: time.default(0.5),
  maxBackoff: time.default(20),
  retryQuota: z.union([count, z.literal("infinite")]).default(500),
});

const provisionedSchema = z.union(
  [count, z.array(record({ at: time, value: count })).min(1)],
  { error: "expected a whole number of environments, or a list of { at, value }" },
);

const memory = z.number().int().min(128).max(10240);

/** The per-function fields a trace entry may also set for every function it creates. */
const functionSettings = {
  runtime: z.string().default("nodejs22.x").superRefine((runtime, ctx) => {
    if (KNOWN_RUNTIMES.includes(runtime)) return;
    const guess = closest(runtime, KNOWN_RUNTIMES);
    ctx.addIssue({
      code: "custom",
      input: runtime,
      message: `unknown runtime${guess ? ` (did you mean "${guess}"?)` : ""}; allowed: ${KNOWN_RUNTIMES.join(", ")}`,
    });
  }),
  package: z.enum(["zip", "image"]).default("zip"),
  memoryMb: memory.default(128),
  architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
  ephemeralStorageMb: z.number().int().min(512).max(10240).default(512),
  timeout: time
    .superRefine((seconds, ctx) => {
      if (seconds < 1 || seconds > 900) ctx.addIssue({ code: "custom", message: `must be between 1s and 900s, got ${seconds} s` });
    })
    .default(3),
  init: distributionSchema.optional(),
  durationAtMemoryMb: memory.optional(),
  cpuBoundFraction: probability.default(0),
  errorRate: probability.default(0),
  crashRate: probability.default(0),
};

const functionName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: "must be 1-64 letters, digits, hyphens or underscores" });

const errorWindowsSchema = z
  .array(
    record({ from: time, to: time }).superRefine((w, ctx) => {
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
  name: functionName,
  ...functionSettings,
  duration: distributionSchema,
  reservedConcurrency: count.optional(),
  provisionedConcurrency: provisionedSchema.optional(),
  errorWindows: errorWindowsSchema.default([]),
});

const onFailure = z.enum(["dlq", "none"]).default("none");

export const asyncSchema = record({
  maximumRetryAttempts: z.number().int().min(0).max(2).default(2),
  maximumEventAge: time
    .superRefine((seconds, ctx) => {
      if (seconds < 60 || seconds > 21600) ctx.addIssue({ code: "custom", message: `must be between 60s and 6h (21600 s), got ${seconds} s` });
    })
    .default(21600),
  onFailure,
  retryDelays: z.array(time).length(2, { message: "must list two delays: before the first and before the second retry" }).default([60, 120]),
  backoffInitial: positiveTime.default(1),
  backoffFactor: z.number().min(1).finite().default(2),
  backoffMax: positiveTime.default(300),
  duplicateProbability: probability.default(0),
});

const invocationWorkloadSchema = record({
  function: z.string().min(1),
  invocation: z.enum(["sync", "async"]).default("sync"),
  arrivals: arrivalsSchema,
  client: clientSchema.optional(),
  async: asyncSchema.optional(),
  // Refused outright, so that an event-source entry with a mistake is reported as one.
  source: z.never({ error: "an entry with a source is an event source mapping" }).optional(),
});

const poisonRecordsSchema = z.union(
  [record({ rate: probability }), record({ records: z.array(count).min(1) })],
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

const streamWorkloadSchema = record({
  function: z.string().min(1),
  source: z.enum(["kinesis", "dynamodb-streams"]),
  records: arrivalsSchema,
  shards: z.number().int().min(1).max(100000).default(1),
  shardSkew: z.number().min(0).finite().default(0),
  pollInterval: positiveTime.optional(),
  batchSize: z.number().int().min(1).max(10000).default(100),
  batchingWindow,
  parallelizationFactor: z.number().int().min(1).max(10).default(1),
  maximumRetryAttempts: countOrInfinite(0, 10000).prefault(-1),
  maximumRecordAge: timeOrOff(60, 604800, "60s and 7d (604800 s)").prefault(-1),
  bisectBatchOnFunctionError: z.boolean().default(false),
  reportBatchItemFailures: z.boolean().default(false),
  retention: time
    .superRefine((seconds, ctx) => {
      if (seconds < 86400 || seconds > 8760 * 3600) ctx.addIssue({ code: "custom", message: `must be between 24h and 8760h, got ${seconds} s` });
    })
    .default(86400),
  onFailure,
  poisonRecords: poisonRecordsSchema.optional(),
  recordDuration: time.default(0),
});

const sqsWorkloadSchema = record({
  function: z.string().min(1),
  source: z.literal("sqs"),
  messages: arrivalsSchema,
  batchSize: z.number().int().min(1).max(10000).default(10),
  batchingWindow,
  maximumConcurrency: z.number().int().min(2).max(1000).optional(),
  visibilityTimeout: time
    .superRefine((seconds, ctx) => {
      if (seconds > 43200) ctx.addIssue({ code: "custom", message: `must be between 0s and 12h (43200 s), got ${seconds} s` });
    })
    .default(30),
  maxReceiveCount: z.number().int().min(1).max(1000).optional(),
  messageRetention: time
    .superRefine((seconds, ctx) => {
      if (seconds < 60 || seconds > 1209600) ctx.addIssue({ code: "custom", message: `must be between 60s and 14d (1209600 s), got ${seconds} s` });
    })
    .default(345600),
  reportBatchItemFailures: z.boolean().default(false),
  fifo: z.boolean().default(false),
  messageGroups: z.number().int().min(1).max(1000000).optional(),
  pollerScaling: z.enum(["current", "pre-2023"]).default("current"),
  poisonRecords: poisonRecordsSchema.optional(),
  recordDuration: time.default(0),
});

const traceWorkloadSchema = record({
  trace: record({
    file: z.string().min(1),
    format: z.literal("azure-functions-2021", { error: 'expected "azure-functions-2021"' }),
    namePrefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,40}$/, { message: "must be 0-40 letters, digits, hyphens or underscores" })
      .default("azure"),
    reorderWindow: time.default(3600),
    client: clientSchema.prefault({}),
    ...functionSettings,
  }),
});

export const workloadEntrySchema = z.union([invocationWorkloadSchema, streamWorkloadSchema, sqsWorkloadSchema, traceWorkloadSchema], {
  error:
    "expected { function, arrivals, invocation: sync | async }, { function, source: kinesis | dynamodb-streams, records }, { function, source: sqs, messages }, or { trace: { file, format: azure-functions-2021 } }",
});

/** A what-if sweep over this scenario (read by `lambdasim sweep`; `run` simulates the scenario as written). */
export const sweepSchema = record({
  vary: z.record(z.string().min(1), z.array(z.unknown()).min(1, { message: "needs at least one value" })).default({}),
  replications: z.number().int().min(1).max(1000).optional(),
});

export const scenarioSchema = record({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { message: "must be 1-100 letters, digits, dots, hyphens or underscores" }).optional(),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(2 ** 53 - 1).default(1),
  duration: positiveTime.optional(),
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: "expected an AWS region such as us-east-1" }).default("us-east-1"),
  account: record({
    concurrencyLimit: z.number().int().min(1).default(1000),
    unreservedMinimum: count.default(100),
    scaling: z.enum(["per-function", "legacy", "unlimited"]).default("per-function"),
    scalingBucketSize: z.number().int().min(1).default(1000),
    scalingRefillPerSecond: z.number().positive().default(100),
    legacyBurst: z.number().int().min(1).optional(),
    legacyRefillPerMinute: z.number().positive().default(500),
    requestRateLimit: z.union([z.number().positive(), z.literal("infinite")]).optional(),
  }).prefault({}),
  platform: record({
    keepAlive: timeOrInfinite.default(600),
    activeKeepAlive: timeOrInfinite.optional(),
    activeSpares: z.union([z.literal("infinite"), count], { error: 'expected a whole number >= 0, or "infinite"' })
      .transform((value) => (value === "infinite" ? Infinity : value))
      .optional(),
    maxLifetime: timeOrInfinite.default(7200),
    lifetimeJitter: probability.default(0.1),
    earlyRetirementRate: rate.default(0),
    reuse: z.enum(["mru", "lru"]).default("mru"),
    initBilling: z.enum(["current", "pre-2025-08"]).default("current"),
    freeTier: z.boolean().default(false),
    initTimeout: positiveTime.default(10),
    provisionedAllocationDelay: time.default(90),
    provisionedRampPerSecond: z.number().positive().default(100),
  }).prefault({}),
  functions: z.array(functionSchema).default([]),
  workload: z.array(workloadEntrySchema).min(1, { message: "needs at least one workload entry" }),
  sweep: sweepSchema.optional(),
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
