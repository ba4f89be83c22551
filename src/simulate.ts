import { Simulation } from "./engine/simulation.js";
import { bill, type CostTotals, type FunctionCost, type FunctionUsage } from "./cost/bill.js";
import { monthlyBill, type MeasuredWindow, type MonthlyBill } from "./cost/monthly.js";
import type { FunctionMetrics } from "./metrics/functionMetrics.js";
import { checkInvariants } from "./model/invariants.js";
import { LambdaPlatform } from "./model/platform.js";
import type { ManagedInstancesUsage } from "./model/managedInstances.js";
import type { AccountSettings, FunctionSpec, PlatformSettings } from "./model/types.js";
import type { Scenario, ScenarioWarning } from "./scenario/types.js";
import { createInvokers, sourceStatsOf, type SourceInvokers, type SourceStats } from "./sources/index.js";

export interface SimulateOptions {
  /** Called now and then with the fraction of the arrival span simulated so far. */
  onProgress?: (fraction: number) => void;
  /** Ends the run at this simulated time even if work remains; it is then counted as in flight. */
  stopAt?: number;
  /**
   * Told when each on-demand environment ends (reclaimed, recycled, or alive at the end of the run):
   * its function's index, creation time, the end of its last invocation, and its end time.
   */
  onEnvironmentEnd?: (functionIndex: number, createdAt: number, lastFinished: number, end: number) => void;
  /** Seconds per row of the time series (default 60): `run --period`. */
  periodSeconds?: number;
}

export interface FunctionResult {
  spec: FunctionSpec;
  metrics: FunctionMetrics;
  /** What each invocation path that feeds the function measured (null for the paths that do not). */
  sources: SourceStats;
  /**
   * Units (requests, events, records, messages) not finished when the run ended: running, waiting
   * out a retry backoff, queued, or waiting in a shard.
   */
  inFlight: number;
  /**
   * Length of the function's own observation window: from the warm-up to the end of the arrival
   * span, extended by its own drain; its time averages use it.
   */
  observedSeconds: number;
  /**
   * Highest contribution of the function to ClaimedAccountConcurrency in the window: its reserved
   * concurrency, or without one its running on-demand invocations + provisioned environments.
   */
  maxClaimedConcurrency: number;
  cost: FunctionCost;
  /** What a Managed Instances function's capacity did; absent for an on-demand function. */
  managedInstances?: ManagedInstancesUsage;
}

export interface SimulationResult {
  name: string;
  description: string | undefined;
  seed: number;
  region: string;
  /** The span over which arrivals were generated (Infinity for a trace replayed to its end). */
  arrivalSpan: number;
  /** Simulated time covered, including the drain of work still running at the end of the span. */
  simulatedSeconds: number;
  /**
   * The measured window (s): every counted figure covers the arrivals in [from, to), time
   * averages start at from; from is the scenario's warm-up, to the end of the arrival span (or of
   * the run, for a trace replayed to its end or a run stopped early). Its length, to − from, is
   * the time the counts and the cost were measured over.
   */
  window: { from: number; to: number };
  /** Seconds per row of each function's time series (`metrics.series`). */
  periodSeconds: number;
  eventsProcessed: number;
  /**
   * maxClaimedConcurrency: the highest CloudWatch ClaimedAccountConcurrency in the window (unreserved
   * running + all reserved + provisioned of functions without a reservation); maxUnreservedConcurrency:
   * the highest unreserved running + provisioned of unreserved functions.
   */
  account: AccountSettings & { maxClaimedConcurrency: number; unreservedCapacity: number; maxUnreservedConcurrency: number };
  platform: PlatformSettings;
  functions: FunctionResult[];
  cost: CostTotals;
  /** The window's rates over a 730-hour month, priced as AWS bills a month; null for a window of no length. */
  monthly: MonthlyBill | null;
  /** What compiling the scenario warned of (a guessed trace time unit, ...), carried into the reports. */
  scenarioWarnings: readonly ScenarioWarning[];
}

/**
 * The window the run's cost is measured over, and the monthly rates are projected from: from the
 * warm-up to the end of the arrival span (the run's end for a trace replayed to its end, or when
 * stopped early). Provisioned
 * concurrency is configured for the span, not for the drain after it; the drain only finishes
 * work (and its billed duration) that arrived within the span.
 */
function measuredWindow(warmup: number, span: number, end: number): MeasuredWindow {
  return { from: warmup, to: Math.max(warmup, Number.isFinite(span) ? Math.min(span, end) : end) };
}

function managedUsage(platform: LambdaPlatform, i: number): { managedInstances?: ManagedInstancesUsage } {
  const managed = platform.managed[i];
  return managed === null ? {} : { managedInstances: managed.usage() };
}

/** Runs a validated scenario to completion and returns everything measured. Deterministic. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): SimulationResult {
  const sim = new Simulation(scenario.seed);
  const periodSeconds = options.periodSeconds ?? 60;
  const platform = new LambdaPlatform(sim, scenario, periodSeconds);
  if (options.onEnvironmentEnd) platform.onEnvironmentEnd = options.onEnvironmentEnd;
  const span = scenario.duration;
  const stopAt = options.stopAt ?? Infinity;
  const onProgress = options.onProgress;
  const progress = onProgress && Number.isFinite(span) ? (now: number) => onProgress(Math.min(1, now / span)) : undefined;
  const sources = scenario.createSources((name) => sim.rng.stream(name));
  let end = 0;
  let windows: number[] = [];
  let invokers: SourceInvokers;
  try {
    invokers = createInvokers(sim, platform, sources);
    platform.start();
    if (Number.isFinite(span)) sim.run({ until: Math.min(span, stopAt), onProgress: progress });
    if (!platform.idleForever && sim.now < stopAt) sim.run({ until: stopAt, onProgress: progress });
    end = Math.min(stopAt, Math.max(Number.isFinite(span) ? span : 0, sim.now));
  } finally {
    windows = platform.finish(end);
  }
  const pending = platform.pendingByFunction();
  checkInvariants(
    platform.functions.map((f) => f.spec.name),
    platform.functions.map((f) => f.metrics),
    pending,
    platform.runningCountedByFunction(),
    platform.pools,
    platform.functions.map((f) => f.spec.managedInstances?.maxConcurrencyPerEnvironment ?? 1),
  );
  platform.checkInvokers();
  const window = measuredWindow(scenario.warmup, span, end);
  const measured = platform.functions.map((_, i) => sourceStatsOf(invokers, i));
  const usages: FunctionUsage[] = platform.functions.map((f, i) => ({
    spec: f.spec,
    requests: f.metrics.invocations + f.metrics.extraBilledRequests,
    onDemandBilledMs: f.metrics.onDemandBilledMs,
    provisionedBilledMs: f.metrics.provisionedBilledMs,
    provisionedInitMs: f.metrics.provisionedInitMs,
    features: {
      invocations: f.metrics.invocations,
      restores: f.spec.snapStartRestore === undefined ? 0 : f.metrics.coldStarts,
      environmentsCreated: f.metrics.environmentsCreated,
    },
    pollerSeconds: measured[i].sqs?.settlePollers(window) ?? 0,
    managedInstanceHours: platform.managed[i]?.usage().instanceHours ?? 0,
  }));
  const costs = bill(usages, window, scenario.platform.freeTier);
  const monthly = monthlyBill(usages, window, scenario.platform.freeTier);
  onProgress?.(1);
  return {
    name: scenario.name,
    description: scenario.description,
    seed: scenario.seed,
    region: scenario.region,
    arrivalSpan: span,
    simulatedSeconds: end,
    window,
    periodSeconds,
    eventsProcessed: sim.eventsProcessed,
    account: {
      ...scenario.account,
      maxClaimedConcurrency: platform.pools.maxClaimedAccountConcurrency,
      unreservedCapacity: platform.pools.unreservedCapacity,
      maxUnreservedConcurrency: platform.pools.windowMaxUnreservedClaimed,
    },
    platform: scenario.platform,
    functions: platform.functions.map((f, i) => ({
      spec: f.spec,
      metrics: f.metrics,
      sources: measured[i],
      inFlight: pending[i],
      observedSeconds: Math.max(0, windows[i] - scenario.warmup),
      maxClaimedConcurrency: platform.pools.maxClaimedBy(i),
      cost: costs.functions[i],
      ...managedUsage(platform, i),
    })),
    cost: costs.totals,
    monthly,
    scenarioWarnings: scenario.warnings,
  };
}
