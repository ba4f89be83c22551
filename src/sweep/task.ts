import { buildSummary, type Summary } from "../report/summary.js";
import { resolveScenario } from "../scenario/compile.js";
import { simulate } from "../simulate.js";

/** One simulation of a sweep: a variant's scenario at one replication's seed. */
export interface SweepTask {
  /** Position of the result: variant index × replications + replication. */
  id: number;
  input: Record<string, unknown>;
  baseDir: string;
  defaultName: string;
  seed: number;
}

export function runTask(task: SweepTask): Summary {
  const scenario = resolveScenario(task.input, { baseDir: task.baseDir, defaultName: task.defaultName, seed: task.seed });
  return buildSummary(simulate(scenario));
}
