import { simulate, type SimulationResult } from "../src/simulate.js";
import { steadyScenario } from "./steadyScenario.js";

export interface EndToEndRun {
  /** Invocations the simulator ran (the function's Invocations metric). */
  invocations: number;
  eventsProcessed: number;
  wallSeconds: number;
  invocationsPerSecond: number;
  /** User + system CPU time of the process during the run (includes V8's GC helper threads). */
  cpuSeconds: number;
}

export interface EndToEndResult {
  arrivals: number;
  runs: EndToEndRun[];
  /** Median over the runs of invocations / wall seconds. */
  medianInvocationsPerSecond: number;
  /** Median over the runs of invocations / CPU seconds: a diagnostic, less sensitive to other load. */
  medianInvocationsPerCpuSecond: number;
  /** Total wall time / total CPU time of the runs; well above 1 means the process was waiting for a core. */
  wallToCpu: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * One timed run of the steady scenario: scenario validation is outside the timed window (it is
 * a fixed cost of a few milliseconds), simulate() (building the platform, the whole event loop,
 * the invariant check and the bill) is inside it. Wall-clock time is measured here only; the
 * simulation itself never reads the clock.
 */
export function timeSteadyRun(arrivals: number): { run: EndToEndRun; result: SimulationResult } {
  const scenario = steadyScenario(arrivals);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = simulate(scenario);
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const invocations = result.functions[0].metrics.invocations;
  return {
    run: { invocations, eventsProcessed: result.eventsProcessed, wallSeconds, invocationsPerSecond: invocations / wallSeconds, cpuSeconds },
    result,
  };
}

/** Runs the steady scenario `runs` times (after one smaller warm-up run) and takes the median. */
export function benchEndToEnd(arrivals: number, runs: number, log: (line: string) => void = () => {}): EndToEndResult {
  // Warm-up: lets V8 optimise the hot path before the timed runs, as tinybench does for micro tasks.
  timeSteadyRun(Math.min(arrivals, 200_000));
  const results: EndToEndRun[] = [];
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const { run } = timeSteadyRun(arrivals);
    log(
      `  run ${i + 1}/${runs}: ${run.invocations.toLocaleString("en-US")} invocations, ` +
        `${run.eventsProcessed.toLocaleString("en-US")} events in ${run.wallSeconds.toFixed(2)} s ` +
        `(CPU ${run.cpuSeconds.toFixed(2)} s) ` +
        `= ${Math.round(run.invocationsPerSecond).toLocaleString("en-US")} invocations/s`,
    );
    results.push(run);
  }
  const wall = results.reduce((sum, r) => sum + r.wallSeconds, 0);
  const cpu = results.reduce((sum, r) => sum + r.cpuSeconds, 0);
  return {
    arrivals,
    runs: results,
    medianInvocationsPerSecond: median(results.map((r) => r.invocationsPerSecond)),
    medianInvocationsPerCpuSecond: median(results.map((r) => r.invocations / r.cpuSeconds)),
    wallToCpu: wall / cpu,
  };
}
