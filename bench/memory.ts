import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { MemoryProbeReport } from "./memoryProbe.js";
import type { WorkloadName } from "./workloads.js";

const PROBE = fileURLToPath(new URL("./memoryProbe.js", import.meta.url));

/** Runs a benchmark scenario of `size` in a fresh Node process and returns its report. */
export function probeMemory(workload: WorkloadName, size: number): MemoryProbeReport {
  const child = spawnSync(process.execPath, ["--expose-gc", PROBE, workload, String(size)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) {
    throw new Error(`memory probe for ${workload} at ${size} failed (status ${child.status}, signal ${child.signal}):\n${child.stderr}`);
  }
  const line = child.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as MemoryProbeReport;
}

export interface MemoryResult {
  workload: WorkloadName;
  small: MemoryProbeReport;
  large: MemoryProbeReport;
  /** large.maxRssKb / small.maxRssKb. */
  ratio: number;
}

/** Peak RSS of a run of size `small` and one of size `large`, each in its own process. */
export function benchMemory(workload: WorkloadName, small: number, large: number): MemoryResult {
  const smallReport = probeMemory(workload, small);
  const largeReport = probeMemory(workload, large);
  return { workload, small: smallReport, large: largeReport, ratio: largeReport.maxRssKb / smallReport.maxRssKb };
}
