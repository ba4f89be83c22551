import { DEFAULT_RESTORE } from "../model/features.js";
import { defaultInitDistribution } from "../model/runtimes.js";
import type { FunctionSpec } from "../model/types.js";
import type { FeatureFields } from "./features.js";
import type { FunctionSettings } from "./schema.js";

/**
 * A function as the model takes it, from the settings a functions[] entry (or a trace entry, for
 * every function it creates) gives: the init distribution defaults to the runtime's measured one.
 */
export function toFunctionSpec(
  name: string,
  settings: FunctionSettings,
  rest: Pick<FunctionSpec, "duration" | "reservedConcurrency" | "provisioned" | "prewarmedEnvironments" | "errorWindows"> &
    Partial<
      Pick<
        FunctionSpec,
        "durationAtMemoryMb" | "snapStartRestore" | "tenantIsolation" | "responseStreamingMb" | "compute" | "managedInstances"
      >
    >,
): FunctionSpec {
  const fitted = defaultInitDistribution(settings.runtime, settings.architecture, settings.package, settings.memoryMb);
  return {
    name,
    runtime: settings.runtime,
    package: settings.package,
    memoryMb: settings.memoryMb,
    architecture: settings.architecture,
    ephemeralStorageMb: settings.ephemeralStorageMb,
    timeout: settings.timeout,
    init: settings.init ?? { kind: "lognormal", mu: Math.log(fitted.median), sigma: fitted.sigma },
    durationAtMemoryMb: settings.durationAtMemoryMb ?? settings.memoryMb,
    cpuBoundFraction: settings.cpuBoundFraction,
    cpuThreads: settings.cpuThreads,
    errorRate: settings.errorRate,
    crashRate: settings.crashRate,
    ...rest,
  };
}

/** The model's fields for the options a function turns on; none for a function that uses none (its spec stays as it was). */
export function featureSpec(
  fn: FeatureFields,
): Partial<Pick<FunctionSpec, "snapStartRestore" | "tenantIsolation" | "responseStreamingMb">> {
  return {
    ...(fn.snapStart && { snapStartRestore: fn.restore ?? DEFAULT_RESTORE }),
    ...(fn.tenantIsolation && { tenantIsolation: fn.tenantIsolation }),
    ...(fn.responseStreaming && { responseStreamingMb: fn.responseStreaming.sizeMb }),
  };
}
