import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { MemoryProbeReport } from "./memoryProbe.js";

const PROBE = fileURLToPath(new URL("./memoryProbe.js", import.meta.url));

/** Runs the steady scenario with `arrivals` arrivals in a fresh Node process and returns its report. */
export function probeMemory(arrivals: number): MemoryProbeReport {
  const child = spawnSync(process.execPath, ["--expose-gc", PROBE, String(arrivals)], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) {
    throw new Error(`memory probe for ${arrivals} arrivals failed (status ${child.status}, signal ${child.signal}):\n${child.stderr}`);
  }
  const line = child.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as MemoryProbeReport;
}

export interface MemoryResult {
  small: MemoryProbeReport;
  large: MemoryProbeReport;
  /** large.maxRssKb / small.maxRssKb. */
  ratio: number;
}

/** Peak RSS of a run with `small` arrivals and one with `large` arrivals, each in its own process. */
export function benchMemory(small: number, large: number): MemoryResult {
  const smallReport = probeMemory(small);
  const largeReport = probeMemory(large);
  return { small: smallReport, large: largeReport, ratio: largeReport.maxRssKb / smallReport.maxRssKb };
}
