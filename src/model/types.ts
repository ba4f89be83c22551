import type { Distribution } from "../engine/distributions.js";
import type { TenantIsolationSpec } from "./features.js";
import type { Architecture, PackageType } from "./runtimes.js";

/*
 * The scenario as the model consumes it: validated, defaults filled, times in seconds, limits that
 * are off as Infinity. Nothing here refers to files or to the paths that deliver arrivals.
 */

export type ScalingModel = "per-function" | "legacy" | "unlimited";
export type ReusePolicy = "mru" | "lru";
export type InitBillingRule = "current" | "pre-2025-08";

export interface AccountSettings {
  concurrencyLimit: number;
  unreservedMinimum: number;
  scaling: ScalingModel;
  scalingBucketSize: number;
  scalingRefillPerSecond: number;
  legacyBurst: number;
  legacyRefillPerMinute: number;
  /** Synchronous invokes per second for the whole account (Lambda's own pollers are exempt). */
  requestRateLimit: number;
}

export interface PlatformSettings {
  /** An idle environment is reclaimed after this long (s); see activeKeepAlive for the exception. */
  keepAlive: number;
  /**
   * While its function is still active (something ran within the last keepAlive), an idle
   * environment is kept up to this long after its own last invocation (s); >= keepAlive. Equal to
   * keepAlive (the default) gives the plain per-environment idle timeout.
   */
  activeKeepAlive: number;
  /**
   * How many of a function's idle environments past keepAlive activeKeepAlive may keep (the most
   * recently used ones); the rest are reclaimed at keepAlive. Infinity: all of them.
   */
  activeSpares: number;
  maxLifetime: number;
  lifetimeJitter: number;
  /** Environments are also retired at random at this rate (per second of life); 0: never. */
  earlyRetirementRate: number;
  reuse: ReusePolicy;
  initBilling: InitBillingRule;
  freeTier: boolean;
  initTimeout: number;
  provisionedAllocationDelay: number;
  provisionedRampPerSecond: number;
}

export interface ProvisionedStep {
  at: number;
  value: number;
}

export interface FunctionSpec {
  name: string;
  runtime: string;
  package: PackageType;
  memoryMb: number;
  architecture: Architecture;
  ephemeralStorageMb: number;
  timeout: number;
  init: Distribution;
  /** Handler time; undefined when every arrival carries its own (trace replay). */
  duration: Distribution | undefined;
  /** Handler time is scaled from this memory size by the CPU-bound fraction. */
  durationAtMemoryMb: number;
  cpuBoundFraction: number;
  /** CPU-bound threads of the handler (1–6): vCPUs beyond this many do not speed it up. */
  cpuThreads: number;
  errorRate: number;
  crashRate: number;
  reservedConcurrency: number | undefined;
  /**
   * Provisioned concurrency over time, sorted by `at`; empty when none is configured. A step at 0
   * was configured before the run: its environments are ready at t = 0.
   */
  provisioned: ProvisionedStep[];
  /** Idle on-demand environments that exist at t = 0, created (and initialised) before the run. */
  prewarmedEnvironments: number;
  /** Intervals [from, to) in which every invocation fails (a downstream outage); sorted, disjoint. */
  errorWindows: TimeWindow[];
  /** SnapStart: a new environment restores a snapshot, drawn from this distribution, instead of running init. */
  snapStartRestore?: Distribution;
  /** Tenant isolation: each environment serves the requests of one tenant only. */
  tenantIsolation?: TenantIsolationSpec;
  /** Response streaming: the size of each response, in MB. */
  responseStreamingMb?: number;
  /** Where the function runs: Lambda's own on-demand environments, or EC2 instances of a capacity provider. */
  compute?: "on-demand" | "managed-instances";
  /** The capacity provider and scaling of a managed-instances function; absent for on-demand. */
  managedInstances?: ManagedInstancesSpec;
}

/** Lambda Managed Instances settings, defaults filled (docs/lambda-behaviour.md#lambda-managed-instances). */
export interface ManagedInstancesSpec {
  /** The instance type's name, or "custom" for one given by its figures. */
  instanceType: string;
  instanceVcpus: number;
  instanceMemoryGiB: number;
  /** On-demand price of one instance (USD per hour). */
  hourlyUsd: number;
  memoryGiBPerVcpu: number;
  /** vCPUs of one execution environment: its memory over memoryGiBPerVcpu. */
  environmentVcpus: number;
  maxConcurrencyPerEnvironment: number;
  minEnvironments: number;
  maxEnvironments: number;
  /** Share taken off the EC2 on-demand price by a Savings Plan or reservation (0–1). */
  savingsPlanDiscount: number;
  /** Target CPU utilisation of the environments the scaler keeps (0–1). */
  targetUtilization: number;
  /** From the scaler's decision to a new instance being able to start environments (s). */
  instanceLaunchDelay: number;
  /** How often the scaler looks at utilisation (s). */
  scalingInterval: number;
  /** The scaler keeps the largest need it saw over this long before it removes environments (s). */
  scaleDownDelay: number;
  /** An environment takes no new request while this many CPU-bound requests per vCPU are running in it. */
  maxCpuQueuePerVcpu: number;
}

export interface TimeWindow {
  from: number;
  to: number;
}

/** A stream of arrivals, pulled one at a time in time order. */
export interface ArrivalSource {
  /** Names the source's random streams: stable when other workload entries change. */
  readonly name: string;
  /** Moves to the next arrival and returns its time, or Infinity when there are no more. */
  next(): number;
  /** Index into the scenario's functions of the arrival last returned by next(). */
  functionIndex: number;
  /** Handler duration the arrival carries (seconds), or NaN to draw from the function's distribution. */
  duration: number;
  /** Releases files and buffers; called when the run ends, even early. */
  close(): void;
}

/** What the platform needs of a scenario: its limits, its behaviour and its functions. */
export interface PlatformConfig {
  /** Arrivals are generated in [0, duration); Infinity for a trace replayed to its end. */
  duration: number;
  /** Start of the measured window (s): what arrives earlier only warms the platform up. */
  warmup: number;
  account: AccountSettings;
  platform: PlatformSettings;
  functions: FunctionSpec[];
}
