import type { Scenario } from "../src/scenario/types.js";
import type { SimulationResult } from "../src/simulate.js";
import { azureTraceScenario } from "./azureTrace.js";
import { asyncScenario, sqsScenario, streamScenario } from "./eventSourceScenarios.js";
import { steadyScenario, tenantScenario } from "./steadyScenario.js";
import { managedInstancesScenario } from "./managedInstancesScenario.js";

/** A benchmark scenario sized by its units, and how to count the units a run handled. */
export interface Workload {
  /** What one unit is: invocations, records, events, messages. */
  unit: string;
  build(units: number): Scenario;
  count(result: SimulationResult): number;
}

const arrivals = (result: SimulationResult) => result.functions[0].metrics.arrivals;

export const WORKLOADS = {
  steady: { unit: "invocations", build: steadyScenario, count: (result) => result.functions[0].metrics.invocations },
  tenant: { unit: "invocations", build: tenantScenario, count: (result) => result.functions[0].metrics.invocations },
  "managed-instances": {
    unit: "invocations",
    build: managedInstancesScenario,
    count: (result) => result.functions[0].metrics.invocations,
  },
  stream: { unit: "records", build: streamScenario, count: arrivals },
  async: { unit: "events", build: asyncScenario, count: arrivals },
  sqs: { unit: "messages", build: sqsScenario, count: arrivals },
  "azure-trace": {
    unit: "rows",
    build: azureTraceScenario,
    count: (result) => result.functions.reduce((sum, f) => sum + f.metrics.arrivals, 0),
  },
} satisfies Record<string, Workload>;

export type WorkloadName = keyof typeof WORKLOADS;

export function isWorkloadName(name: string): name is WorkloadName {
  return Object.hasOwn(WORKLOADS, name);
}
