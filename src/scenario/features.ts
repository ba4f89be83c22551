import { z } from "zod";
import type { InputProblem } from "../common/inputError.js";
import { snapStartSupport } from "../model/features.js";
import { distributionSchema, record } from "./primitives.js";

/*
 * The function fields of the 2024–2025 Lambda options kept on-demand: SnapStart, tenant isolation
 * and response streaming (docs/lambda-behaviour.md#snapstart, #tenant-isolation,
 * #response-streaming), with the combinations AWS refuses.
 */

const popularitySchema = z.union(
  [
    z.literal("uniform"),
    record({
      zipf: z
        .number()
        .positive()
        .max(10)
        .meta({ description: "Exponent s of the Zipf law: tenant k (1-based) is chosen with probability ∝ 1 / k^s (> 0, ≤ 10)." }),
    }),
  ],
  { error: 'expected "uniform" or { zipf: s }' },
);

export const featureFields = {
  snapStart: z.boolean().default(false).meta({
    description:
      "SnapStart (Java 11+, Python 3.12+, .NET 8+): a new environment restores a snapshot (restore) instead of running init; not with provisioned concurrency, ephemeralStorageMb above 512 or compute: managed-instances (default false).",
  }),
  restore: distributionSchema.optional().meta({
    description:
      "With snapStart: the snapshot restore time of a new environment, a distribution (default lognormal, median 300 ms, p90 500 ms).",
  }),
  tenantIsolation: record({
    tenants: z
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .meta({ description: "Number of tenants the requests belong to (integer 1–1,000,000)." }),
    popularity: popularitySchema
      .default("uniform")
      .meta({ description: 'How requests spread over tenants: "uniform" (default) or { zipf: s }.' }),
  })
    .optional()
    .meta({
      description:
        "Tenant isolation mode: every request belongs to a tenant, an environment serves one tenant only, and each new environment is charged per GB (default off).",
    }),
  responseStreaming: record({
    sizeMb: z
      .number()
      .min(0)
      .max(200)
      .meta({ description: "Response size in MB (0–200): what lies past the first 6 MB streams at 2 MB/s and is billed per GB." }),
  })
    .optional()
    .meta({
      description:
        "Response streaming (InvokeWithResponseStream or a RESPONSE_STREAM function URL): bytes past 6 MB lengthen the invocation at 2 MB/s and cost $0.008 per GB (default off).",
    }),
};

const featureShape = z.object(featureFields);
export type FeatureFields = z.output<typeof featureShape>;

interface FeatureContext {
  runtime: string;
  ephemeralStorageMb: number;
  hasProvisioned: boolean;
  prewarmedEnvironments: number;
}

/** The combinations AWS refuses, one line each (docs/lambda-behaviour.md#snapstart, #tenant-isolation). */
export function featureProblems(fn: FeatureFields & FeatureContext, path: string): InputProblem[] {
  const problems: InputProblem[] = [];
  if (fn.snapStart) {
    const support = snapStartSupport(fn.runtime);
    if (support === "unsupported")
      problems.push({
        path: `${path}.snapStart`,
        message: `SnapStart supports java11 and later, python3.12 and later, and dotnet8 and later; runtime is "${fn.runtime}"`,
      });
    if (fn.hasProvisioned)
      problems.push({ path: `${path}.snapStart`, message: "SnapStart cannot be combined with provisionedConcurrency" });
    if (fn.ephemeralStorageMb > 512)
      problems.push({
        path: `${path}.snapStart`,
        message: `SnapStart supports ephemeral storage up to 512 MB; ephemeralStorageMb is ${fn.ephemeralStorageMb}`,
      });
  } else if (fn.restore !== undefined) {
    problems.push({ path: `${path}.restore`, message: "applies only with snapStart: true" });
  }
  if (fn.tenantIsolation !== undefined) {
    if (fn.snapStart) problems.push({ path: `${path}.tenantIsolation`, message: "tenant isolation cannot be combined with snapStart" });
    if (fn.hasProvisioned)
      problems.push({ path: `${path}.tenantIsolation`, message: "tenant isolation cannot be combined with provisionedConcurrency" });
    if (fn.prewarmedEnvironments > 0)
      problems.push({
        path: `${path}.tenantIsolation`,
        message: "tenant isolation cannot be combined with prewarmedEnvironments (a prewarmed environment belongs to no tenant)",
      });
  }
  return problems;
}
