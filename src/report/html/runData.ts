/*
 * What the run report draws, taken out of a run's results once: the summary, and per function its
 * latency distribution as points and its per-period rows. The page is a pure function of this
 * plain data; it never reads the recorders the simulation wrote.
 */
import type { MinuteRows } from "../../metrics/timeSeries.js";
import type { SimulationResult } from "../../simulate.js";
import { cdfPoints, type CdfPoint } from "../cdf.js";
import { buildSummary, type Summary } from "../summary.js";

export interface FunctionRunData {
  name: string;
  arrivals: number;
  /** The latency CDF (empty when nothing ran). */
  latency: CdfPoint[];
  series: MinuteRows;
}

export interface RunReportData {
  summary: Summary;
  /** Unrounded, so that the time axis covers exactly the minutes the series do. */
  simulatedSeconds: number;
  /** Seconds per row of the series. */
  periodSeconds: number;
  /** In scenario order. */
  functions: FunctionRunData[];
}

export function runReportData(result: SimulationResult): RunReportData {
  return {
    summary: buildSummary(result),
    simulatedSeconds: result.simulatedSeconds,
    periodSeconds: result.periodSeconds,
    functions: result.functions.map((f) => ({
      name: f.spec.name,
      arrivals: f.metrics.arrivals,
      latency: f.metrics.latency.count > 0 ? cdfPoints(f.metrics.latency) : [],
      series: f.metrics.series,
    })),
  };
}
