import { z } from "zod";
import { lognormalFromMeanSd, lognormalFromMedianP99, type Distribution } from "../engine/distributions.js";
import { closest } from "../common/editDistance.js";
import { parseTime, TIME_HELP } from "./units.js";

/*
 * The building blocks every part of the scenario format uses: strict records with "did you mean"
 * hints, times, rates, counts, distributions and arrival processes. The sources' schema parts and
 * the scenario schema are composed from these, so a time or a distribution is read the same way
 * wherever it appears.
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
  ProvisionedPollerConfig: "provisionedPollers",
  MinimumPollers: "minimum",
  MaximumPollers: "maximum",
};

/** A strict object whose unknown-key error lists what is allowed and the likeliest intended key. */
export function record<Shape extends z.ZodRawShape>(shape: Shape) {
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

/**
 * The longest time a scenario may give (about 3,170 years). Up to it a double still resolves
 * simulated time to 15 µs and milliseconds stay exact integers, and Unix timestamps (trace startAt)
 * fit; beyond it sums of times lose their milliseconds and reach Infinity (an init of 1e308 s).
 */
export const MAX_TIME = 1e11;

export const time = z.union([z.number(), z.string()], { error: `expected ${TIME_HELP}` }).transform((value, ctx) => {
  const seconds = parseTime(value);
  if (seconds === undefined) {
    ctx.addIssue({ code: "custom", message: `expected ${TIME_HELP}`, input: value });
    return z.NEVER;
  }
  if (seconds > MAX_TIME) {
    ctx.addIssue({ code: "custom", message: `must be at most 1e11 s (about 3,170 years), got ${seconds} s`, input: value });
    return z.NEVER;
  }
  return seconds;
});

export const positiveTime = time.refine((seconds) => seconds > 0, { message: "must be greater than 0" });

/** A time, or "infinite" where the limit can be switched off (becomes Infinity). */
export const timeOrInfinite = z
  .union([z.literal("infinite"), time], {
    error: `expected ${TIME_HELP}, or "infinite"`,
  })
  .transform((value) => (value === "infinite" ? Infinity : value));

export const rate = z.number().min(0).finite();
export const probability = z.number().min(0).max(1);
export const count = z.number().int().min(0);

const distributionVariants = [
  record({ constant: time.meta({ description: "A fixed value (a time)." }) }),
  record({
    exponential: record({ mean: positiveTime.meta({ description: "Mean of the exponential distribution (time > 0)." }) }).meta({
      description: "Exponentially distributed values.",
    }),
  }),
  record({
    lognormal: z
      .union(
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
      )
      .meta({ description: "Lognormally distributed values, given as { median, p99 } or { mean, sd }." }),
  }),
  record({
    uniform: record({
      min: time.meta({ description: "Lower bound of the uniform distribution (a time)." }),
      max: time.meta({ description: "Upper bound of the uniform distribution, at least min (a time)." }),
    }).meta({ description: "Values uniformly distributed between min and max." }),
  }),
  record({ empirical: z.array(time).min(1).meta({ description: "A non-empty list of times, each drawn with equal probability." }) }),
] as const;

export const DISTRIBUTION_HELP =
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

export const arrivalsSchema = z.union(
  [
    record({
      poisson: record({ rate: rate.meta({ description: "Mean arrivals per second (≥ 0)." }) }).meta({
        description: "Poisson arrivals at a constant mean rate.",
      }),
    }),
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
              ctx.addIssue({
                code: "custom",
                path: [i, "at"],
                message: `must be later than the previous step (${steps[i - 1].at} s), got ${step.at} s`,
              });
            }
          });
        })
        .meta({
          description:
            "Poisson arrivals whose rate changes at each step's at (strictly increasing times); the rate is 0 before the first step.",
        }),
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
        format: traceFormat.default("timestamps").meta({
          description:
            "timestamps: request times in seconds, one per line (default); azure-functions-2021: an Azure Functions 2021 trace, replayed with its durations.",
        }),
        column: z
          .number()
          .int()
          .min(0)
          .default(0)
          .meta({ description: "timestamps format: 0-based CSV column holding the request times (default 0)." }),
        timeUnit: z.enum(["s", "ms", "us"]).optional().meta({
          description:
            "timestamps format: the unit of numeric timestamps: s, ms or us since the trace's zero (default: s, or ms/us with a warning when the first timestamp is too large for seconds, as epoch milliseconds are). ISO-8601 date-times (2024-06-10T09:00:00.125Z; UTC when no offset is given) need no unit.",
        }),
        startAt: time
          .optional()
          .meta({ description: "timestamps format: the trace time that becomes time 0 (default: the first timestamp)." }),
        app: z.string().min(1).optional().meta({ description: "azure-functions-2021 format: replay only the invocations of this app." }),
        func: z
          .string()
          .min(1)
          .optional()
          .meta({ description: "azure-functions-2021 format: replay only the invocations of this function." }),
        reorderWindow: time
          .default(3600)
          .meta({ description: "azure-functions-2021 format: how far rows may be out of start order (time; default 1h)." }),
      }).meta({ description: "Replay of a trace file into this one function: a CSV of request times, or an Azure Functions 2021 trace." }),
    }),
  ],
  {
    error:
      "expected one of { poisson: { rate } }, { constant: { interval } }, { steps: [{ at, rate }] }, { diurnal: { mean, peak, period } }, { trace: { file, format } }",
  },
);

export const ARRIVAL_FORMS = "poisson, constant, steps, diurnal or trace";

/** -1 (or "infinite") switches the limit off; otherwise a whole number in [min, max]. */
export const countOrInfinite = (min: number, max: number) =>
  z
    .union([z.literal("infinite"), z.number().int()], { error: `expected -1 (infinite) or a whole number from ${min} to ${max}` })
    .superRefine((value, ctx) => {
      if (value !== "infinite" && value !== -1 && (value < min || value > max)) {
        ctx.addIssue({ code: "custom", message: `must be -1 (infinite) or a whole number from ${min} to ${max}, got ${value}` });
      }
    })
    .transform((value) => (value === -1 || value === "infinite" ? Infinity : value));

/** -1 (or "infinite") switches the limit off; otherwise a time in [min, max] seconds. */
export const timeOrOff = (min: number, max: number, help: string) =>
  z
    .union([z.literal(-1), z.literal("infinite"), time], { error: `expected -1 (infinite) or ${TIME_HELP}` })
    .transform((value) => (value === -1 || value === "infinite" ? Infinity : value))
    .superRefine((seconds, ctx) => {
      if (seconds !== Infinity && (seconds < min || seconds > max))
        ctx.addIssue({ code: "custom", message: `must be -1 (infinite) or between ${help}, got ${seconds} s` });
    });

export type ArrivalsSpec = z.output<typeof arrivalsSchema>;
