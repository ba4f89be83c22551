import { z } from "zod";
import type { InputProblem } from "../common/inputError.js";
import { environmentsPerInstance } from "../model/managedInstances.js";
import { INSTANCE_TYPE_NAMES, INSTANCE_TYPES, instanceArchitecture } from "../model/managedInstanceTypes.js";
import type { ManagedInstancesSpec } from "../model/types.js";
import { positiveTime, record, time } from "./primitives.js";

/*
 * The scenario fields of Lambda Managed Instances (compute, managedInstances), their defaults, and
 * the combinations they refuse (docs/lambda-behaviour.md#lambda-managed-instances).
 */

/** Lambda's default maximum concurrency per vCPU of an environment, by runtime family. */
const CONCURRENCY_PER_VCPU: readonly (readonly [string, number])[] = [
  ["nodejs", 64],
  ["java", 32],
  ["dotnet", 32],
  ["python", 16],
];

const concurrencyPerVcpu = (runtime: string): number | undefined =>
  CONCURRENCY_PER_VCPU.find(([prefix]) => runtime.startsWith(prefix))?.[1];

/** The smallest function Managed Instances runs: 2 GB and one vCPU. */
const MIN_MEMORY_MB = 2048;
const MAX_ENVIRONMENTS = 15000;

const customInstanceSchema = record({
  vcpus: z.number().int().min(1).max(448).meta({ description: "vCPUs of the instance (integer 1–448)." }),
  memoryGiB: z.number().positive().max(24576).meta({ description: "Memory of the instance in GiB (> 0)." }),
  hourlyUsd: z.number().positive().finite().meta({ description: "On-demand price of the instance in USD per hour (> 0)." }),
});

const instanceTypeSchema = z.union(
  [
    z.string().refine((name) => Object.hasOwn(INSTANCE_TYPES, name), {
      error: (issue) =>
        `unknown instance type ${JSON.stringify(issue.input)}; built in: ${INSTANCE_TYPE_NAMES.join(", ")}, or give { vcpus, memoryGiB, hourlyUsd }`,
    }),
    customInstanceSchema,
  ],
  { error: `expected a built-in instance type (${INSTANCE_TYPE_NAMES.join(", ")}) or { vcpus, memoryGiB, hourlyUsd }` },
);

export const computeSchema = z.enum(["on-demand", "managed-instances"]).default("on-demand").meta({
  description:
    "Where the function runs: on-demand (default), Lambda's own execution environments, or managed-instances, EC2 instances of a capacity provider (see managedInstances).",
});

export const managedInstancesSchema = record({
  instanceType: instanceTypeSchema.optional().meta({
    description:
      "EC2 instance type of the capacity provider: a built-in name such as m7g.xlarge, or { vcpus, memoryGiB, hourlyUsd } (default m7g.xlarge for arm64, m7i.xlarge for x86_64).",
  }),
  memoryGiBPerVcpu: z.number().min(2).max(8).default(2).meta({
    description:
      "Memory per vCPU of an execution environment in GiB (2–8; default 2): memoryMb / 1024 / this is its vCPUs, a whole number.",
  }),
  maxConcurrencyPerEnvironment: z.number().int().min(1).max(1600).optional().meta({
    description:
      "Requests one execution environment runs at once (integer 1–1,600; default per vCPU: Node.js 64, Java and .NET 32, Python 16).",
  }),
  minEnvironments: z.number().int().min(0).max(MAX_ENVIRONMENTS).default(3).meta({
    description: "Execution environments kept however low the traffic, spread over 3 Availability Zones (integer 0–15,000; default 3).",
  }),
  maxEnvironments: z.number().int().min(1).max(MAX_ENVIRONMENTS).default(MAX_ENVIRONMENTS).meta({
    description: "Most execution environments the scaler starts (integer 1–15,000; default 15,000).",
  }),
  savingsPlanDiscount: z.number().min(0).lt(1).default(0).meta({
    description:
      "Share taken off the EC2 on-demand instance price by a Savings Plan or Reserved Instances (0 to below 1; default 0); the management fee stays 15 % of the on-demand price.",
  }),
  targetUtilization: z.number().gt(0).max(1).default(0.5).meta({
    description:
      "CPU utilisation and concurrency the scaler sizes environments for (above 0 to 1; default 0.5, headroom for traffic to double before new capacity arrives).",
  }),
  instanceLaunchDelay: time.default(60).meta({
    description:
      "From the scaler's decision to a new instance starting environments (a time; default 60s); the environment's init follows.",
  }),
  scalingInterval: positiveTime.default(15).meta({ description: "How often the scaler looks at utilisation (a time > 0; default 15s)." }),
  scaleDownDelay: time.default(300).meta({
    description: "The scaler removes idle environments only when it has needed fewer for this long (a time; default 5min).",
  }),
  maxCpuQueuePerVcpu: z.number().positive().finite().default(16).meta({
    description:
      "An environment takes no new request while this many CPU-bound requests per vCPU share it; the request is throttled with reason CPU (> 0; default 16).",
  }),
});

export type ManagedInstancesConfig = z.output<typeof managedInstancesSchema>;

interface ComputeFields {
  runtime: string;
  memoryMb: number;
  architecture: "x86_64" | "arm64";
  compute: "on-demand" | "managed-instances";
  managedInstances?: ManagedInstancesConfig;
  reservedConcurrency?: number;
  provisionedConcurrency?: unknown;
  prewarmedEnvironments: number;
  snapStart: boolean;
  tenantIsolation?: unknown;
}

/**
 * The Managed Instances settings of functions[i] with their defaults, or undefined for an
 * on-demand function; each combination that cannot run is one problem.
 */
export function resolveManagedInstances(fn: ComputeFields, i: number, problems: InputProblem[]): ManagedInstancesSpec | undefined {
  const at = (field: string) => `functions[${i}].${field}`;
  if (fn.compute !== "managed-instances") {
    if (fn.managedInstances !== undefined) {
      problems.push({ path: at("managedInstances"), message: `applies only with compute: managed-instances, got compute: ${fn.compute}` });
    }
    return undefined;
  }
  const before = problems.length;
  const refuse = (field: string, message: string) => problems.push({ path: at(field), message });
  const perVcpu = concurrencyPerVcpu(fn.runtime);
  if (perVcpu === undefined) {
    refuse("runtime", `"${fn.runtime}" cannot run on managed-instances; allowed: Node.js, Java, .NET and Python runtimes`);
  }
  if (fn.reservedConcurrency !== undefined) {
    refuse(
      "reservedConcurrency",
      "not with compute: managed-instances; its capacity is set by managedInstances.minEnvironments and maxEnvironments",
    );
  }
  if (fn.provisionedConcurrency !== undefined) {
    refuse("provisionedConcurrency", "not with compute: managed-instances, whose environments are always ready (no cold starts)");
  }
  if (fn.prewarmedEnvironments > 0) {
    refuse("prewarmedEnvironments", "not with compute: managed-instances; give managedInstances.minEnvironments instead");
  }
  // Both rest on Firecracker microVMs, which Managed Instances replace with containers on the instances.
  if (fn.snapStart) {
    refuse(
      "snapStart",
      "not with compute: managed-instances: SnapStart restores Firecracker microVM snapshots, and Managed Instances run containers on EC2 instances with no cold start on the request path",
    );
  }
  if (fn.tenantIsolation !== undefined) {
    refuse(
      "tenantIsolation",
      "not with compute: managed-instances: tenant isolation gives each tenant its own Firecracker environment, and on Managed Instances one environment runs many requests with the capacity provider as the isolation boundary",
    );
  }
  const config = fn.managedInstances ?? managedInstancesSchema.parse({});
  if (fn.memoryMb < MIN_MEMORY_MB) {
    refuse(
      "memoryMb",
      `must be at least ${MIN_MEMORY_MB} with compute: managed-instances (2 GB and one vCPU is the smallest function), got ${fn.memoryMb}`,
    );
  }
  const vcpus = fn.memoryMb / 1024 / config.memoryGiBPerVcpu;
  if (fn.memoryMb >= MIN_MEMORY_MB && (!Number.isInteger(vcpus) || vcpus < 1)) {
    refuse(
      "managedInstances.memoryGiBPerVcpu",
      `memoryMb ${fn.memoryMb} / 1024 / memoryGiBPerVcpu ${config.memoryGiBPerVcpu} must be a whole number of vCPUs (at least 1), got ${round(vcpus)}`,
    );
  }
  if (config.minEnvironments > config.maxEnvironments) {
    refuse(
      "managedInstances.minEnvironments",
      `must be at most maxEnvironments (${config.maxEnvironments}), got ${config.minEnvironments}`,
    );
  }
  const typeName = typeof config.instanceType === "string" ? config.instanceType : config.instanceType === undefined ? undefined : "custom";
  const instance =
    config.instanceType === undefined
      ? INSTANCE_TYPES[fn.architecture === "arm64" ? "m7g.xlarge" : "m7i.xlarge"]
      : typeof config.instanceType === "string"
        ? INSTANCE_TYPES[config.instanceType]
        : config.instanceType;
  const instanceType = typeName ?? (fn.architecture === "arm64" ? "m7g.xlarge" : "m7i.xlarge");
  if (typeName !== undefined && typeName !== "custom" && instanceArchitecture(typeName) !== fn.architecture) {
    refuse(
      "managedInstances.instanceType",
      `${typeName} is ${instanceArchitecture(typeName)}, the function is ${fn.architecture}; choose an instance of its architecture`,
    );
  }
  if (problems.length > before || instance === undefined || perVcpu === undefined) return undefined;
  const spec: ManagedInstancesSpec = {
    instanceType,
    instanceVcpus: instance.vcpus,
    instanceMemoryGiB: instance.memoryGiB,
    hourlyUsd: instance.hourlyUsd,
    memoryGiBPerVcpu: config.memoryGiBPerVcpu,
    environmentVcpus: vcpus,
    maxConcurrencyPerEnvironment: config.maxConcurrencyPerEnvironment ?? Math.min(1600, perVcpu * vcpus),
    minEnvironments: config.minEnvironments,
    maxEnvironments: config.maxEnvironments,
    savingsPlanDiscount: config.savingsPlanDiscount,
    targetUtilization: config.targetUtilization,
    instanceLaunchDelay: config.instanceLaunchDelay,
    scalingInterval: config.scalingInterval,
    scaleDownDelay: config.scaleDownDelay,
    maxCpuQueuePerVcpu: config.maxCpuQueuePerVcpu,
  };
  if (environmentsPerInstance(spec, fn.memoryMb) < 1) {
    refuse(
      "managedInstances.instanceType",
      `an environment of ${vcpus} vCPU and ${fn.memoryMb} MB does not fit on ${instanceType} (${instance.vcpus} vCPU, ${instance.memoryGiB} GiB); choose a larger instance or less memory`,
    );
    return undefined;
  }
  return spec;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
