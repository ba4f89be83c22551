import { simulate, type SimulationResult } from "../src/simulate.js";
import { WORKLOADS, type WorkloadName } from "./workloads.js";

export interface EndToEndRun {
  /** Units the run handled: invocations (steady), records, events or messages. */
  units: number;
  eventsProcessed: number;
  wallSeconds: number;
  unitsPerSecond: number;
  /** User + system CPU time of the process during the run (includes V8's GC helper threads). */
  cpuSeconds: number;
}

export interface EndToEndResult {
  workload: WorkloadName;
  unit: string;
  /** The size asked for (arrivals generated; the units counted vary a little with the draws). */
  size: number;
  runs: EndToEndRun[];
  /** Median over the runs of units / wall seconds. */
  medianUnitsPerSecond: number;
  /** Median over the runs of units / CPU seconds: a diagnostic, less sensitive to other load. */
  medianUnitsPerCpuSecond: number;
  /** Total wall time / total CPU time of the runs; well above 1 means the process was waiting for a core. */
  wallToCpu: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * One timed run of a benchmark scenario: scenario validation is outside the timed window (it is
 * a fixed cost of a few milliseconds), simulate() (building the platform, the whole event loop,
 * the invariant check and the bill) is inside it. Wall-clock time is measured here only; the
 * simulation itself never reads the clock.
 */
export function timeRun(workload: WorkloadName, size: number): { run: EndToEndRun; result: SimulationResult } {
  const scenario = WORKLOADS[workload].build(size);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = simulate(scenario);
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const units = WORKLOADS[workload].count(result);
  return {
    run: { units, eventsProcessed: result.eventsProcessed, wallSeconds, unitsPerSecond: units / wallSeconds, cpuSeconds },
    result,
  };
}

/** Runs a benchmark scenario `runs` times (after one smaller warm-up run) and takes the median. */
export function benchEndToEnd(workload: WorkloadName, size: number, runs: number, log: (line: string) => void = () => {}): EndToEndResult {
  const unit = WORKLOADS[workload].unit;
  // Warm-up: lets V8 optimise the hot path before the timed runs, as tinybench does for micro tasks.
  timeRun(workload, Math.min(size, 200_000));
  const results: EndToEndRun[] = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const { run } = timeRun(workload, size);
    log(
      `  run ${i + 1}/${runs}: ${run.units.toLocaleString("en-US")} ${unit}, ` +
        `${run.eventsProcessed.toLocaleString("en-US")} events in ${run.wallSeconds.toFixed(2)} s ` +
        `(CPU ${run.cpuSeconds.toFixed(2)} s) ` +
        `= ${Math.round(run.unitsPerSecond).toLocaleString("en-US")} ${unit}/s`,
    );
    results.push(run);
  }
  const wall = results.reduce((sum, r) => sum + r.wallSeconds, 0);
  const cpu = results.reduce((sum, r) => sum + r.cpuSeconds, 0);
  return {
    workload,
    unit,
    size,
    runs: results,
    medianUnitsPerSecond: median(results.map((r) => r.unitsPerSecond)),
    medianUnitsPerCpuSecond: median(results.map((r) => r.units / r.cpuSeconds)),
    wallToCpu: wall / cpu,
  };
}
