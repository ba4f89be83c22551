import type { z } from "zod";
import type { Simulation } from "../engine/simulation.js";
import type { LambdaPlatform } from "../model/platform.js";
import { asyncSource } from "./async/index.js";
import type { CompileContext, Delivered, EventSource, SourceInvoker, WorkloadEntryShape } from "./eventSource.js";
import { SOURCE_KINDS, type SourceKind } from "./kinds.js";
import { sqsSource } from "./sqs/index.js";
import { streamSource } from "./stream/index.js";
import { syncSource } from "./sync/index.js";

/*
 * The registry of invocation paths. Adding one (EventBridge Pipes, Kafka) is a folder beside
 * these, a name in kinds.ts and a line here; the compiler then names every other registry
 * (report sections, the SAM importer) that still lacks its part.
 */

type AnyEventSource = EventSource<z.ZodType, unknown, unknown>;

/**
 * The order of this object is the order the invokers are created in (see createInvokers), which
 * decides how simultaneous events of different paths tie. It is the order lambdasim has always
 * used, so that a scenario mixing paths gives the results it gave before.
 */
export const SOURCES = {
  sync: syncSource,
  sqs: sqsSource,
  async: asyncSource,
  stream: streamSource,
} satisfies Record<SourceKind, AnyEventSource>;

const INVOKER_ORDER = Object.keys(SOURCES) as SourceKind[];

type StatsOf<Source> = Source extends EventSource<z.ZodType, unknown, infer Stats> ? Stats : never;

/** Per kind, what that path measured about one function (null where no source of the kind feeds it). */
export type SourceStats = { [K in SourceKind]: StatsOf<(typeof SOURCES)[K]> | null };

export type WorkloadEntrySchema = (typeof SOURCES)[SourceKind]["entry"]["schema"];
export type FunctionEntry = z.output<WorkloadEntrySchema>;

/** The shapes of workload entry, in registry order, each once (sync and async share one). */
export const WORKLOAD_ENTRY_SHAPES: readonly WorkloadEntryShape<WorkloadEntrySchema>[] = [
  ...new Set(SOURCE_KINDS.map((kind) => SOURCES[kind].entry as WorkloadEntryShape<WorkloadEntrySchema>)),
];

/** An arrival source of the compiled scenario: its path, and that path's settings. */
export interface ScenarioSource extends Delivered<unknown> {
  readonly kind: SourceKind;
}

/** The path that delivers a parsed workload entry, and its settings; problems go to the context. */
export function compileEntry(entry: FunctionEntry, context: CompileContext): { kind: SourceKind; settings: unknown } {
  for (const kind of SOURCE_KINDS) {
    const source: AnyEventSource = SOURCES[kind];
    if (source.entry.arrivalsField in entry && source.accepts(entry)) return { kind, settings: source.compile(entry, context) };
  }
  throw new Error(`no invocation path delivers the workload entry of ${entry.function}`);
}

/** The field of a parsed workload entry that holds its arrival process. */
export function arrivalsFieldOf(entry: FunctionEntry): string {
  const shape = WORKLOAD_ENTRY_SHAPES.find((s) => s.arrivalsField in entry);
  if (shape === undefined) throw new Error(`workload entry of ${entry.function} has no arrivals`);
  return shape.arrivalsField;
}

export type SourceInvokers = { [K in SourceKind]: SourceInvoker<StatsOf<(typeof SOURCES)[K]>> };

/**
 * One invoker per path, each given the sources of its kind. Creating one defines its engine
 * events and schedules its first arrivals, so the order (SOURCES') decides how simultaneous
 * events of different paths tie: changing it changes the results of such scenarios.
 */
export function createInvokers(sim: Simulation, platform: LambdaPlatform, sources: readonly ScenarioSource[]): SourceInvokers {
  const invokers: Partial<Record<SourceKind, SourceInvoker<unknown>>> = {};
  for (const kind of INVOKER_ORDER) {
    const source: AnyEventSource = SOURCES[kind];
    invokers[kind] = source.createInvoker(
      sim,
      platform,
      sources.filter((s) => s.kind === kind),
    );
  }
  // Each kind's invoker came from that kind's own part, so the per-kind stats types hold.
  return invokers as SourceInvokers;
}

/** What every path measured about function `fn`. */
export function sourceStatsOf(invokers: SourceInvokers, fn: number): SourceStats {
  const stats: Partial<Record<SourceKind, unknown>> = {};
  for (const kind of SOURCE_KINDS) stats[kind] = invokers[kind].statsOf(fn);
  return stats as SourceStats;
}

export { SOURCE_KINDS, type SourceKind };
