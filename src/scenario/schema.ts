import { z } from "zod";
import { closest } from "../common/editDistance.js";
import { KNOWN_RUNTIMES } from "../model/runtimes.js";
import { featureFields } from "./features.js";
import { WORKLOAD_ENTRY_SHAPES } from "../sources/index.js";
import { clientSchema } from "../sources/sync/schema.js";
import { computeSchema, managedInstancesSchema } from "./managedInstances.js";
import { count, distributionSchema, positiveTime, probability, rate, record, time, timeOrInfinite } from "./primitives.js";

/*
 * The scenario format, defined once: the TypeScript types, the defaults, the validation messages
 * and the published JSON Schema all come from these definitions. Each field's description is the
 * hover help editors show; it says what the README's Scenario reference tables say. The workload
 * entries come from the invocation paths (src/sources), the building blocks from primitives.ts.
 */

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
    .meta({
      description:
        "Lambda runtime, such as nodejs22.x, python3.12 or provided.al2023/go; selects the default init distribution (default nodejs22.x).",
    }),
  package: z.enum(["zip", "image"]).default("zip").meta({
    description:
      "Deployment package, zip (default) or image; selects init figures, and an image's INIT is billed under the pre-2025-08 rule too.",
  }),
  memoryMb: memory
    .default(128)
    .meta({ description: "Memory in MB (integer 128–10,240; default 128), which also sets the CPU share and the price." }),
  architecture: z
    .enum(["x86_64", "arm64"])
    .default("x86_64")
    .meta({ description: "Instruction set architecture, x86_64 (default) or arm64; selects init figures and prices." }),
  ephemeralStorageMb: z
    .number()
    .int()
    .min(512)
    .max(10240)
    .default(512)
    .meta({ description: "Ephemeral storage (/tmp) in MB (integer 512–10,240; default 512); storage above 512 MB is billed." }),
  timeout: time
    .superRefine((seconds, ctx) => {
      if (seconds < 1 || seconds > 900) ctx.addIssue({ code: "custom", message: `must be between 1s and 900s, got ${seconds} s` });
    })
    .default(3)
    .meta({
      description:
        "Invocation time limit: a longer invocation is cut here, billed in full, counted as an error, and its environment reset (1s–900s; default 3s).",
    }),
  init: distributionSchema.optional().meta({
    description:
      "Cold-start init duration, a distribution (default: a lognormal fitted to measurements of the runtime, package, architecture and memory).",
  }),
  durationAtMemoryMb: memory
    .optional()
    .meta({ description: "Memory in MB at which duration was measured (integer 128–10,240; default memoryMb)." }),
  cpuBoundFraction: probability.default(0).meta({
    description:
      "Share of the handler time that scales with the usable CPU, min(MB / 1769, 6, cpuThreads) vCPU, when memoryMb differs from the size the duration was measured at (0–1; default 0).",
  }),
  cpuThreads: z.number().int().min(1).max(6).default(1).meta({
    description:
      "Threads the CPU-bound part of the handler runs in parallel: vCPUs beyond this many (1,769 MB each) do not speed it up (integer 1–6; default 1).",
  }),
  errorRate: probability.default(0).meta({
    description: "Probability that an invocation fails with a handled error, which leaves the environment warm (0–1; default 0).",
  }),
  crashRate: probability
    .default(0)
    .meta({ description: "Probability that the runtime crashes: an error that also resets the environment (0–1; default 0)." }),
};

const MEMORY_KEY_HELP = "a whole number of MB from 128 to 10240";

/** { <MB>: distribution } read as measurements sorted by memory size. */
const durationByMemorySchema = z
  .record(z.string(), distributionSchema)
  .superRefine((map, ctx) => {
    const keys = Object.keys(map);
    if (keys.length === 0) ctx.addIssue({ code: "custom", input: map, message: "needs at least one memory size" });
    for (const key of keys) {
      const mb = Number(key);
      if (!/^[1-9]\d*$/.test(key) || mb < 128 || mb > 10240) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          input: key,
          message: `memory size must be ${MEMORY_KEY_HELP}, got ${JSON.stringify(key)}`,
        });
      }
    }
  })
  .transform((map) =>
    Object.entries(map)
      .map(([key, duration]) => ({ memoryMb: Number(key), duration }))
      .sort((a, b) => a.memoryMb - b.memoryMb),
  );

const functionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: "must be 1-64 letters, digits, hyphens or underscores" });

const errorWindowsSchema = z
  .array(
    record({
      from: time.meta({ description: "Start of the outage (a time)." }),
      to: time.meta({ description: "End of the outage, later than from (a time)." }),
    }).superRefine((w, ctx) => {
      if (w.to <= w.from)
        ctx.addIssue({ code: "custom", path: ["to"], input: w.to, message: `must be later than from (${w.from} s), got ${w.to} s` });
    }),
  )
  .superRefine((windows, ctx) => {
    windows.forEach((w, i) => {
      if (i > 0 && w.from < windows[i - 1].to) {
        ctx.addIssue({
          code: "custom",
          path: [i, "from"],
          input: w.from,
          message: `must not be before the previous window's end (${windows[i - 1].to} s), got ${w.from} s`,
        });
      }
    });
  });

export const functionSchema = record({
  name: functionName.meta({ description: "Function name, unique in the scenario: 1–64 letters, digits, hyphens or underscores." }),
  ...functionSettings,
  duration: distributionSchema.optional().meta({
    description:
      "Handler time at durationAtMemoryMb, a distribution: a time, or { constant | exponential | lognormal | uniform | empirical } (required unless durationByMemory is given).",
  }),
  durationByMemory: durationByMemorySchema.optional().meta({
    description:
      "Handler times measured at several memory sizes, { <MB>: distribution }, instead of duration: used exactly at a measured size, interpolated with the CPU model between two, scaled from the nearest outside them.",
  }),
  reservedConcurrency: count
    .optional()
    .meta({ description: "Reserved concurrency, both a cap and a guarantee; 0 throttles everything (integer ≥ 0; default none)." }),
  provisionedConcurrency: provisionedSchema.optional().meta({
    description:
      "Pre-initialised environments: a whole number, or a list of { at, value } that changes it over time; a number or a step at 0 is ready at t = 0 (default none).",
  }),
  prewarmedEnvironments: count.default(0).meta({
    description:
      "Idle on-demand environments that exist at t = 0, initialised before the run; at most the reserved concurrency less the provisioned concurrency at 0, or the unreserved pool (integer ≥ 0; default 0).",
  }),
  errorWindows: errorWindowsSchema.default([]).meta({
    description:
      "Intervals { from, to }, in order and not overlapping, in which every invocation that starts fails, as in a downstream outage (default none).",
  }),
  ...featureFields,
  compute: computeSchema,
  managedInstances: managedInstancesSchema.optional().meta({
    description:
      "Lambda Managed Instances settings with compute: managed-instances: { instanceType, memoryGiBPerVcpu, maxConcurrencyPerEnvironment, minEnvironments, maxEnvironments, savingsPlanDiscount, ... } (default: all their defaults).",
  }),
});

const traceWorkloadSchema = z.lazy(() =>
  record({
    trace: record({
      file: z
        .string()
        .min(1)
        .meta({ description: "The trace CSV file (app,func,end_timestamp,duration), relative to the scenario file's folder." }),
      format: z
        .literal("azure-functions-2021", { error: 'expected "azure-functions-2021"' })
        .meta({ description: "The trace format: azure-functions-2021." }),
      namePrefix: z
        .string()
        .regex(/^[A-Za-z0-9_-]{0,40}$/, { message: "must be 0-40 letters, digits, hyphens or underscores" })
        .default("azure")
        .meta({
          description:
            "Prefix of the created functions' names, <namePrefix>-<app[:8]>-<func[:8]> (0–40 letters, digits, hyphens or underscores; default azure).",
        }),
      reorderWindow: time.default(3600).meta({ description: "How far rows may be out of start order (a time; default 1h)." }),
      client: clientSchema
        .prefault({})
        .meta({ description: "What the callers of every created function do with a 429 (throttle) response (default: retry none)." }),
      ...functionSettings,
    }).meta({
      description:
        "Replay of an Azure Functions 2021 trace: one function per (app, func) pair, with the trace's durations as handler times; the function fields given apply to all of them.",
    }),
  }),
);

/** The workload entries the invocation paths define, then the trace replay that creates functions. */
export const workloadEntrySchema = z.union([...WORKLOAD_ENTRY_SHAPES.map((shape) => shape.schema), traceWorkloadSchema], {
  error: `expected ${WORKLOAD_ENTRY_SHAPES.map((shape) => shape.help).join(", ")}, or { trace: { file, format: azure-functions-2021 } }`,
});

/** A what-if sweep over this scenario (read by `lambdasim sweep`; `run` simulates the scenario as written). */
export const sweepSchema = record({
  vary: z
    .record(z.string().min(1), z.array(z.unknown()).min(1, { message: "needs at least one value" }))
    .default({})
    .meta({
      description:
        "Values to try, by path into the scenario as written (functions.api.memoryMb: [256, 512]); every combination is run (default none).",
    }),
  cases: z
    .array(
      record({
        name: z
          .string()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
            message: "expected 1-64 letters, digits, dots, hyphens or underscores, starting with a letter or digit",
          })
          .meta({ description: "The case's name, which labels its variants: 1–64 letters, digits, dots, hyphens or underscores." }),
        set: z.record(z.string().min(1), z.unknown()).default({}).meta({
          description:
            "Values by path into the scenario as written, one each (functions.api.snapStart: true); none for the scenario as it is.",
        }),
      }),
    )
    .min(1, { message: "needs at least one case" })
    .optional()
    .meta({
      description:
        "Named sets of changes tried as one dimension, before every vary path: options that exclude each other (SnapStart, provisioned concurrency, Managed Instances) compared in one sweep (default none).",
    }),
  replications: z.number().int().min(1).max(1000).optional().meta({
    description:
      "Runs of each variant, with seeds seed, seed+1, …; tables then show means with 95 % confidence intervals (1–1000; default 1).",
  }),
  p99Limit: positiveTime.optional().meta({
    description:
      "A latency limit: the sweep chooses only among variants whose slowest function's p99 is at most this, the cheapest unless objective says otherwise (a time; default none).",
  }),
  objective: z.enum(["cost", "speed", "balanced"]).optional().meta({
    description:
      "How the sweep chooses a variant, as AWS Lambda Power Tuning's strategies: cost (cheapest), speed (lowest p99 of the slowest function) or balanced (default: cost with a p99Limit, else none).",
  }),
  balancedWeight: probability.optional().meta({
    description:
      "The balanced objective minimises balancedWeight × cost / max cost + (1 − balancedWeight) × p99 / max p99 over the variants (0–1; default 0.5).",
  }),
});

export const scenarioSchema = record({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, { message: "must be 1-100 letters, digits, dots, hyphens or underscores" })
    // A refinement, not a stricter regex: zod leaves refinements out of the JSON Schema, which stays as published.
    .refine((name) => name !== "." && name !== "..", { message: "must not be . or .. (the name becomes the report folder)" })
    .optional()
    .meta({
      description:
        "Scenario name, which names the report folder: 1–100 letters, digits, dots, hyphens or underscores (default: the file name).",
    }),
  description: z.string().optional().meta({ description: "Free text shown in report.md and summary.json." }),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 53 - 1)
    .default(1)
    .meta({
      description:
        "Root of every random stream: the same scenario and seed give identical results (integer ≥ 0; default 1; --seed overrides).",
    }),
  duration: positiveTime.optional().meta({
    description:
      "Arrivals are generated in [0, duration), then work still running is drained (time > 0; required unless the workload is only Azure trace replays, which default to the whole trace).",
  }),
  warmup: time.default(0).meta({
    description:
      "Start of the measured window: summary.json counts only what arrives from then on, and averages over time from then on; earlier traffic only warms the platform up (a time < duration; default 0).",
  }),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: "expected an AWS region such as us-east-1" })
    .default("us-east-1")
    .meta({ description: "AWS region id, which selects the legacy burst size; prices are us-east-1's everywhere (default us-east-1)." }),
  account: record({
    concurrencyLimit: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .meta({ description: "Regional account concurrency, shared by all functions (integer ≥ 1; default 1000)." }),
    unreservedMinimum: count.default(100).meta({
      description:
        "Concurrency that must stay unreserved: reserved concurrency totals at most concurrencyLimit minus this (integer ≥ 0; default 100).",
    }),
    scaling: z.enum(["per-function", "legacy", "unlimited"]).default("per-function").meta({
      description:
        "Scaling-rate model: per-function, the Nov-2023 per-function bucket (default); legacy, the older account-wide burst + 500/min; or unlimited.",
    }),
    scalingBucketSize: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .meta({ description: "Per-function scaling model: new environments a function may start at once (integer ≥ 1; default 1000)." }),
    scalingRefillPerSecond: z.number().positive().default(100).meta({
      description: "Per-function scaling model: new-environment tokens refilled per second (> 0; default 100, i.e. 1,000 per 10 s).",
    }),
    legacyBurst: z.number().int().min(1).optional().meta({
      description:
        "Legacy scaling model: account-wide initial burst of new environments (integer ≥ 1; default by region: 3000 in us-east-1, us-west-2, eu-west-1; 1000 in ap-northeast-1, eu-central-1, us-east-2; 500 elsewhere).",
    }),
    legacyRefillPerMinute: z
      .number()
      .positive()
      .default(500)
      .meta({ description: "Legacy scaling model: new environments added per minute after the burst (> 0; default 500)." }),
    requestRateLimit: z
      .union([z.number().positive(), z.literal("infinite")])
      .optional()
      .meta({ description: "Synchronous invokes per second for the account, > 0 or infinite (default 10 × concurrencyLimit)." }),
  })
    .prefault({})
    .meta({ description: "Account-wide limits: concurrency, the scaling rate of new environments, and the synchronous request rate." }),
  platform: record({
    keepAlive: timeOrInfinite.default(600).meta({
      description:
        "An environment idle longer than this is reclaimed (a time or infinite; default 10m, as measured: AWS documents nothing).",
    }),
    activeKeepAlive: timeOrInfinite.optional().meta({
      description:
        "While the function is still being invoked, an idle environment is kept up to this long after its own last invocation (a time ≥ keepAlive, or infinite; default keepAlive).",
    }),
    activeSpares: z
      .union([z.literal("infinite"), count], { error: 'expected a whole number >= 0, or "infinite"' })
      .transform((value) => (value === "infinite" ? Infinity : value))
      .optional()
      .meta({
        description:
          "With activeKeepAlive: at most this many idle environments past keepAlive, the most recently used, are kept (whole number ≥ 0 or infinite; default infinite).",
      }),
    maxLifetime: timeOrInfinite.default(7200).meta({
      description:
        "Environments are recycled after this long even when used, a busy one once its invocation ends (a time or infinite; default 2h).",
    }),
    lifetimeJitter: probability.default(0.1).meta({
      description: "Each environment's lifetime is drawn uniformly in [maxLifetime × (1 − jitter), maxLifetime] (0–1; default 0.1).",
    }),
    earlyRetirementRate: rate.default(0).meta({
      description:
        "Environments are also retired at random at this rate per second of life (exponential), or at maxLifetime if sooner (≥ 0; default 0, never).",
    }),
    reuse: z.enum(["mru", "lru"]).default("mru").meta({
      description:
        "Which idle environment takes the next request: mru, the most recently used (default; matches AWS measurements), or lru, the least.",
    }),
    initBilling: z.enum(["current", "pre-2025-08"]).default("current").meta({
      description:
        "INIT billing: current (default), billed for every on-demand function since 1 Aug 2025, or pre-2025-08, only for custom runtimes and container images.",
    }),
    freeTier: z.boolean().default(false).meta({
      description:
        "Apply the free tier of 1 M requests and 400,000 GB-s a month: to the monthly projection, and to the window's own bill as if the window were the whole month (default false).",
    }),
    initTimeout: positiveTime.default(10).meta({
      description:
        "On-demand init limit: a longer init is suppressed and retried inside the first invocation, against its timeout (time > 0; default 10s).",
    }),
    provisionedAllocationDelay: time
      .default(90)
      .meta({ description: "Preparation before provisioned environments start to appear (a time; default 90s, documented as 1–2 min)." }),
    provisionedRampPerSecond: z.number().positive().default(100).meta({
      description:
        "Provisioned environments started per second after the allocation delay (> 0; default 100, the scaling refill rate, as AWS documents none).",
    }),
  })
    .prefault({})
    .meta({
      description:
        "Platform behaviour: environment keep-alive and lifetime, reuse order, INIT billing and timeout, free tier, provisioned ramp-up.",
    }),
  functions: z.array(functionSchema).default([]).meta({ description: "The Lambda functions that the workload drives (default none)." }),
  workload: z.array(workloadEntrySchema).min(1, { message: "needs at least one workload entry" }).meta({
    description:
      "What drives the functions, at least one entry: invocations, a kinesis or dynamodb-streams stream, an SQS queue, or an Azure Functions trace replay.",
  }),
  sweep: sweepSchema.optional().meta({
    description: "A what-if sweep over this scenario, read by lambdasim sweep only; lambdasim run simulates the scenario as written.",
  }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type FunctionConfig = z.output<typeof functionSchema>;
export type FunctionSettings = z.output<z.ZodObject<typeof functionSettings>>;
export type WorkloadEntry = z.output<typeof workloadEntrySchema>;
export type TraceWorkload = z.output<typeof traceWorkloadSchema>;
export type SweepBlock = z.output<typeof sweepSchema>;
export type AccountConfig = ParsedScenario["account"];
export type PlatformConfig = ParsedScenario["platform"];
