/**
 * Runs one benchmark scenario once at the size given on the command line and prints one JSON line
 * with the process's peak resident set size. Meant to be spawned in a fresh process per size (see
 * memory.ts), so each peak belongs to that run alone.
 *
 *   node --expose-gc dist/bench/memoryProbe.js steady 10000000
 */
import { timeRun } from "./endToEnd.js";
import { isWorkloadName } from "./workloads.js";

export interface MemoryProbeReport {
  size: number;
  /** Units handled: invocations, records, events or messages. */
  units: number;
  eventsProcessed: number;
  wallSeconds: number;
  /** Peak resident set size of the whole process, in KiB (process.resourceUsage().maxRSS). */
  maxRssKb: number;
  /** Heap in use after the run and a full GC, in bytes. */
  heapUsedAfterGc: number;
}

const workload = process.argv[2];
const size = Number(process.argv[3]);
if (!isWorkloadName(workload) || !(Number.isFinite(size) && size > 0)) {
  console.error("usage: node --expose-gc dist/bench/memoryProbe.js steady|tenant|managed-instances|stream|async|sqs|azure-trace <size>");
  process.exit(2);
}
const { run, result } = timeRun(workload, size);
globalThis.gc?.();
const report: MemoryProbeReport = {
  size,
  units: run.units,
  eventsProcessed: run.eventsProcessed,
  wallSeconds: run.wallSeconds,
  maxRssKb: process.resourceUsage().maxRSS,
  heapUsedAfterGc: process.memoryUsage().heapUsed,
};
// Keep the result reachable until after the measurement so its memory is counted.
if (result.functions.length === 0) throw new Error("unexpected result");
process.stdout.write(`${JSON.stringify(report)}\n`);
