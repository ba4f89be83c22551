import type { FunctionUsage } from "../../src/cost/bill.js";
import type { FunctionSpec } from "../../src/model/types.js";

/** A 512 MB x86 zip function with constant 100 ms handlers and no init: every billed ms is exact. */
export function spec(overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name: "f",
    runtime: "nodejs22.x",
    package: "zip",
    memoryMb: 512,
    architecture: "x86_64",
    ephemeralStorageMb: 512,
    timeout: 3,
    init: { kind: "constant", value: 0 },
    duration: { kind: "constant", value: 0.1 },
    durationAtMemoryMb: 512,
    cpuBoundFraction: 0,
    cpuThreads: 1,
    errorRate: 0,
    crashRate: 0,
    reservedConcurrency: undefined,
    provisioned: [],
    prewarmedEnvironments: 0,
    errorWindows: [],
    ...overrides,
  };
}

/** What a function used in a window, nothing unless given. */
export function usage(overrides: Partial<FunctionUsage> = {}): FunctionUsage {
  return { spec: spec(), requests: 0, onDemandBilledMs: 0, provisionedBilledMs: 0, provisionedInitMs: 0, ...overrides };
}
