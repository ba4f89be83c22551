/**
 * Runs the steady scenario once with the number of arrivals given on the command line and prints
 * one JSON line with the process's peak resident set size. Meant to be spawned in a fresh process
 * per size (see memory.ts), so each peak belongs to that run alone.
 *
 *   node --expose-gc dist/bench/memoryProbe.js 10000000
 */
import { timeSteadyRun } from "./endToEnd.js";

export interface MemoryProbeReport {
  arrivals: number;
  invocations: number;
  eventsProcessed: number;
  wallSeconds: number;
  /** Peak resident set size of the whole process, in KiB (process.resourceUsage().maxRSS). */
  maxRssKb: number;
  /** Heap in use after the run and a full GC, in bytes. */
  heapUsedAfterGc: number;
}

const arrivals = Number(process.argv[2]);
if (!(Number.isFinite(arrivals) && arrivals > 0)) {
  console.error("usage: node --expose-gc dist/bench/memoryProbe.js <arrivals>");
  process.exit(2);
}
const { run, result } = timeSteadyRun(arrivals);
globalThis.gc?.();
const report: MemoryProbeReport = {
  arrivals,
  invocations: run.invocations,
  eventsProcessed: run.eventsProcessed,
  wallSeconds: run.wallSeconds,
  maxRssKb: process.resourceUsage().maxRSS,
  heapUsedAfterGc: process.memoryUsage().heapUsed,
};
// Keep the result reachable until after the measurement so its memory is counted.
if (result.functions.length !== 1) throw new Error("unexpected result");
process.stdout.write(JSON.stringify(report) + "\n");
