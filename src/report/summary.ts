import type { MonthlyBill, MonthlyCost } from "../cost/monthly.js";
import { perMillionRequests } from "../cost/monthly.js";
import { summarize, type QuantileSummary } from "../metrics/histogram.js";
import type { FunctionResult, SimulationResult } from "../simulate.js";
import { featureBlocks, featureConfig, featureCostLines } from "./features.js";
import { round } from "./rounding.js";
import { sourceBlocks } from "./sources/index.js";
import { runWarnings } from "./warnings.js";

function quantiles(summary: QuantileSummary) {
  return {
    mean: round(summary.mean, 3),
    p50: round(summary.p50, 3),
    p90: round(summary.p90, 3),
    p99: round(summary.p99, 3),
    p999: round(summary.p999, 3),
    max: round(summary.max, 3),
  };
}

const usd = (value: number) => round(value, 10);
const perMillion = (totalUsd: number, requests: number) => {
  const value = perMillionRequests(totalUsd, requests);
  return value === null ? null : usd(value);
};

/** SQS provisioned pollers' cost line, only in a run that has them (other runs keep their summary as it was). */
function pollerLines(pollers: boolean, c: { pollerHours: number; pollersUsd: number }) {
  return pollers ? { pollerHours: round(c.pollerHours, 6), pollersUsd: usd(c.pollersUsd) } : {};
}

/** Managed Instances cost lines, only where a function runs on them: other summaries stay as they were. */
function managedLines(c: { managedInstancesEc2Usd: number; managedInstancesFeeUsd: number }, show: boolean) {
  return show ? { managedInstancesEc2Usd: usd(c.managedInstancesEc2Usd), managedInstancesFeeUsd: usd(c.managedInstancesFeeUsd) } : {};
}

function monthlyCost(c: MonthlyCost, pollers: boolean, managed: boolean) {
  return {
    requests: round(c.requests, 6),
    gbSeconds: round(c.gbSeconds, 6),
    provisionedGbSeconds: round(c.provisionedGbSeconds, 6),
    requestUsd: usd(c.requestUsd),
    computeUsd: usd(c.computeUsd),
    provisionedUsd: usd(c.provisionedUsd),
    ephemeralStorageUsd: usd(c.ephemeralStorageUsd),
    ...featureCostLines(c.features),
    ...pollerLines(pollers, c),
    ...(managed ? { managedInstanceHours: round(c.managedInstanceHours, 6) } : {}),
    ...managedLines(c, managed),
    totalUsd: usd(c.totalUsd),
    perMillionRequestsUsd: c.perMillionRequestsUsd === null ? null : usd(c.perMillionRequestsUsd),
  };
}

/** The block to plan with: the measured window's rates over a 730-hour month (null without a window). */
function monthlySummary(monthly: MonthlyBill | null, names: readonly string[], pollers: boolean, managed: readonly boolean[]) {
  if (monthly === null) return null;
  const functions: Record<string, ReturnType<typeof monthlyCost>> = {};
  monthly.functions.forEach((c, i) => (functions[names[i]] = monthlyCost(c, pollers, managed[i])));
  return {
    hours: monthly.hours,
    windowSeconds: round(monthly.windowSeconds, 6),
    freeTier: monthly.freeTier,
    ...monthlyCost(monthly.totals, pollers, managed.some(Boolean)),
    functions,
  };
}

function functionSummary(f: FunctionResult, pollers: boolean) {
  const m = f.metrics;
  const seconds = f.observedSeconds;
  const per = (area: number) => (seconds > 0 ? round(area / seconds, 6) : 0);
  const { spec, cost } = f;
  return {
    config: {
      runtime: spec.runtime,
      package: spec.package,
      architecture: spec.architecture,
      memoryMb: spec.memoryMb,
      timeoutSeconds: spec.timeout,
      reservedConcurrency: spec.reservedConcurrency ?? null,
      provisionedConcurrency: spec.provisioned,
      prewarmedEnvironments: spec.prewarmedEnvironments,
      ...featureConfig(spec),
    },
    observedSeconds: round(seconds, 6),
    arrivals: m.arrivals,
    outcomes: {
      succeeded: m.succeeded,
      failed: m.failed,
      throttled: m.throttled,
      dropped: m.dropped,
      deadLettered: m.deadLettered,
      inFlight: f.inFlight,
    },
    metrics: {
      Invocations: m.invocations,
      Errors: m.errors,
      Throttles: m.throttles,
      ProvisionedConcurrencyInvocations: m.provisionedInvocations,
      ProvisionedConcurrencySpilloverInvocations: m.spilloverInvocations,
      ConcurrentExecutions: { mean: per(m.busyArea), max: m.maxBusy },
    },
    // CloudWatch ProvisionedConcurrencyUtilization; null when none was configured in the window.
    provisioned: {
      utilizationMax: m.configuredSeconds > 0 ? round(m.maxUtilization, 6) : null,
      utilizationMean: m.configuredSeconds > 0 ? round(m.utilizationArea / m.configuredSeconds, 6) : null,
    },
    coldStarts: m.coldStarts,
    coldStartRate: m.invocations > 0 ? round(m.coldStarts / m.invocations, 9) : 0,
    ...featureBlocks(spec, m.coldStarts),
    timeouts: m.timeouts,
    crashes: m.crashes,
    clientRetries: m.clientRetries,
    maxClaimedConcurrency: f.maxClaimedConcurrency,
    maxQueueDepth: m.maxQueueDepth,
    ...sourceBlocks(f.sources),
    latencyMs: quantiles(summarize(m.latency)),
    durationMs: quantiles(summarize(m.duration)),
    initDurationMs: quantiles(summarize(m.initDuration)),
    ...managedInstancesBlock(f),
    environments: {
      created: m.environmentsCreated,
      max: m.maxAlive,
      meanAlive: per(m.aliveArea),
      // On Managed Instances an environment runs many requests: idle is one that runs none.
      meanIdle: per(m.aliveArea - (f.managedInstances?.busyEnvironmentSeconds ?? m.busyArea) - m.initializingArea),
    },
    cost: {
      requests: cost.requests,
      gbSeconds: round(cost.gbSeconds, 6),
      provisionedAllocatedGbSeconds: round(cost.provisionedAllocatedGbSeconds, 6),
      provisionedDurationGbSeconds: round(cost.provisionedDurationGbSeconds, 6),
      requestUsd: usd(cost.requestUsd),
      computeUsd: usd(cost.computeUsd),
      ephemeralStorageUsd: usd(cost.ephemeralStorageUsd),
      provisionedUsd: usd(cost.provisionedUsd),
      ...featureCostLines(cost.features),
      ...pollerLines(pollers, cost),
      ...managedLines(cost, f.managedInstances !== undefined),
      totalUsd: usd(cost.totalUsd),
      perMillionRequestsUsd: perMillion(cost.totalUsd, cost.invocations),
    },
  };
}

/** The capacity a Managed Instances function used; nothing for an on-demand one. */
function managedInstancesBlock(f: FunctionResult) {
  const u = f.managedInstances;
  if (u === undefined) return {};
  return {
    managedInstances: {
      instanceType: f.spec.managedInstances?.instanceType ?? null,
      instancesMax: u.instancesMax,
      instanceHours: round(u.instanceHours, 6),
      environmentsMax: u.environmentsMax,
      cpuUtilizationMean: round(u.cpuUtilizationMean, 6),
      throttleReasons: u.throttleReasons,
    },
  };
}

export type FunctionSummary = ReturnType<typeof functionSummary>;

/** The summary.json document: a pure function of the results. */
export function buildSummary(result: SimulationResult) {
  const seconds = result.simulatedSeconds;
  const functions: Record<string, FunctionSummary> = {};
  const pollers = result.functions.some((f) => f.sources.sqs?.provisioned === true);
  for (const f of result.functions) functions[f.spec.name] = functionSummary(f, pollers);
  const all = result.functions.map((f) => f.metrics);
  const total = (pick: (m: (typeof all)[number]) => number) => all.reduce((sum, m) => sum + pick(m), 0);
  const warnings = runWarnings(result);
  const managed = result.functions.map((f) => f.managedInstances !== undefined);
  const anyManaged = managed.some(Boolean);
  return {
    scenario: result.name,
    description: result.description ?? null,
    seed: result.seed,
    region: result.region,
    arrivalSpanSeconds: Number.isFinite(result.arrivalSpan) ? result.arrivalSpan : null,
    simulatedSeconds: round(seconds, 6),
    window: { from: round(result.window.from, 6), to: round(result.window.to, 6) },
    account: {
      concurrencyLimit: result.account.concurrencyLimit,
      unreservedCapacity: result.account.unreservedCapacity,
      scaling: result.account.scaling,
      maxClaimedConcurrency: result.account.maxClaimedConcurrency,
      maxUnreservedConcurrency: result.account.maxUnreservedConcurrency,
    },
    functions,
    totals: {
      arrivals: total((m) => m.arrivals),
      Invocations: total((m) => m.invocations),
      Errors: total((m) => m.errors),
      Throttles: total((m) => m.throttles),
      coldStarts: total((m) => m.coldStarts),
      outcomes: {
        succeeded: total((m) => m.succeeded),
        failed: total((m) => m.failed),
        throttled: total((m) => m.throttled),
        dropped: total((m) => m.dropped),
        deadLettered: total((m) => m.deadLettered),
        inFlight: result.functions.reduce((sum, f) => sum + f.inFlight, 0),
      },
      cost: {
        requests: result.cost.requests,
        gbSeconds: round(result.cost.gbSeconds, 6),
        provisionedGbSeconds: round(result.cost.provisionedGbSeconds, 6),
        requestUsd: usd(result.cost.requestUsd),
        computeUsd: usd(result.cost.computeUsd),
        ephemeralStorageUsd: usd(result.cost.ephemeralStorageUsd),
        provisionedUsd: usd(result.cost.provisionedUsd),
        ...featureCostLines(result.cost.features),
        ...pollerLines(pollers, result.cost),
        ...managedLines(result.cost, anyManaged),
        totalUsd: usd(result.cost.totalUsd),
        perMillionRequestsUsd: perMillion(result.cost.totalUsd, result.cost.invocations),
      },
    },
    monthly: monthlySummary(
      result.monthly,
      result.functions.map((f) => f.spec.name),
      pollers,
      managed,
    ),
    // Only when there is one: a run without warnings keeps the summary it always had.
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

export type Summary = ReturnType<typeof buildSummary>;
