import { OPTIONAL_COST_KEYS } from "./costColumns.js";
import { meanInterval } from "./statistics.js";
import { round } from "./rounding.js";
import type { Summary } from "./summary.js";

/** Separates a function's name from the figure in flat figure names ("api.p99Ms"). */
export const TOTAL = "(total)";

/**
 * The headline figures of one run by flat name — `<function>.<figure>` for each function and
 * `(total).<figure>` for the account — plus `totalUsd` and `worstP99Ms` (the slowest function's
 * p99, the latency axis of a sweep's frontier). Sweeps tabulate them, replications average them
 * and `compare` checks them. The optional cost lines (SnapStart, Managed Instances, pollers…) are
 * figures only where the run has them, so runs without them keep the figures they always had.
 */
export function summaryFigures(summary: Summary): Record<string, number> {
  const figures: Record<string, number> = { totalUsd: summary.totals.cost.totalUsd };
  let worstP99 = 0;
  for (const [name, f] of Object.entries(summary.functions)) {
    if (f.metrics.Invocations > 0) worstP99 = Math.max(worstP99, f.latencyMs.p99);
    figures[`${name}.p50Ms`] = f.latencyMs.p50;
    figures[`${name}.p90Ms`] = f.latencyMs.p90;
    figures[`${name}.p99Ms`] = f.latencyMs.p99;
    figures[`${name}.p999Ms`] = f.latencyMs.p999;
    figures[`${name}.durationMeanMs`] = f.durationMs.mean;
    figures[`${name}.coldStarts`] = f.coldStarts;
    figures[`${name}.Throttles`] = f.metrics.Throttles;
    figures[`${name}.Errors`] = f.metrics.Errors;
    figures[`${name}.costUsd`] = f.cost.totalUsd;
    addCostLines(figures, name, f.cost);
  }
  figures[`${TOTAL}.coldStarts`] = summary.totals.coldStarts;
  figures[`${TOTAL}.Throttles`] = summary.totals.Throttles;
  figures[`${TOTAL}.Errors`] = summary.totals.Errors;
  figures[`${TOTAL}.costUsd`] = summary.totals.cost.totalUsd;
  addCostLines(figures, TOTAL, summary.totals.cost);
  figures.worstP99Ms = worstP99;
  return figures;
}

function addCostLines(figures: Record<string, number>, scope: string, cost: object): void {
  const lines = cost as Partial<Record<(typeof OPTIONAL_COST_KEYS)[number], number>>;
  for (const key of OPTIONAL_COST_KEYS) {
    const usd = lines[key];
    if (usd !== undefined) figures[`${scope}.${key}`] = usd;
  }
}

export interface FigureStatistics {
  mean: number;
  /** 95 % confidence interval of the mean over the replications (Student t). */
  ci95: [number, number];
  values: number[];
}

/** The `replications` block: the seeds run, and every figure's values, mean and 95 % interval. */
export interface ReplicationBlock {
  seeds: number[];
  figures: Record<string, FigureStatistics>;
}

export function replicationFigures(summaries: readonly Summary[], seeds: readonly number[]): ReplicationBlock {
  const all = summaries.map(summaryFigures);
  const figures: Record<string, FigureStatistics> = {};
  for (const key of Object.keys(all[0])) {
    const values = all.map((f) => f[key]);
    const m = meanInterval(values);
    figures[key] = { mean: round(m.mean, 9), ci95: [round(m.low, 9), round(m.high, 9)], values };
  }
  return { seeds: [...seeds], figures };
}
