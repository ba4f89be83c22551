import type { z } from "zod";
import type { InputProblem } from "../common/inputError.js";
import type { Simulation } from "../engine/simulation.js";
import type { Invoker } from "../model/invoker.js";
import type { LambdaPlatform } from "../model/platform.js";
import type { ArrivalSource, FunctionSpec } from "../model/types.js";

/*
 * What an invocation path brings: the workload entry users write, the compile step from that
 * entry to the model's settings (with the checks that span fields), and the invoker that delivers
 * its arrivals to the platform and measures what only this path has. sources/index.ts collects
 * one of these per SourceKind.
 */

/** A shape of workload entry; kinds written as one entry (sync and async) share the same object. */
export interface WorkloadEntryShape<Schema extends z.ZodType = z.ZodType> {
  readonly schema: Schema;
  /** How the entry is written, for the message when an entry matches no shape. */
  readonly help: string;
  /** The entry's field holding its arrival process (arrivals, records, messages). */
  readonly arrivalsField: string;
}

export interface CompileContext {
  /** The entry's field path, such as workload[2]. */
  readonly path: string;
  /** The function the entry drives. */
  readonly fn: FunctionSpec;
  readonly problems: InputProblem[];
}

/** An arrival source with the settings of the path that delivers it. */
export interface Delivered<Settings> extends ArrivalSource {
  readonly settings: Settings;
}

export interface SourceInvoker<Stats> extends Invoker {
  /** What this path measured about function `fn`, or null when no source of this kind feeds it. */
  statsOf(fn: number): Stats | null;
}

export interface EventSource<Schema extends z.ZodType, Settings, Stats> {
  readonly entry: WorkloadEntryShape<Schema>;
  /** Whether a parsed entry of `entry.schema` is delivered by this path (invocation: async is). */
  accepts(entry: z.output<Schema>): boolean;
  compile(entry: z.output<Schema>, context: CompileContext): Settings;
  createInvoker(sim: Simulation, platform: LambdaPlatform, sources: readonly Delivered<Settings>[]): SourceInvoker<Stats>;
}
