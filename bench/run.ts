/**
 * `npm run bench` (builds, then runs `node --expose-gc dist/bench/run.js`).
 *
 * 1. Micro-benchmarks (tinybench): the event queue, the random streams and samplers, the histogram.
 * 2. End to end: the steady scenario (one function, Poisson 2,000 req/s, lognormal durations,
 *    10^7 arrivals), run several times; the median invocations per wall-clock second must be
 *    at least 1,000,000.
 * 3. Memory: the same scenario with 10^6 and with 10^7 arrivals, each in a fresh process; the
 *    larger run's peak RSS must be within 1.3x of the smaller one's.
 *
 * Exits with status 1 when a threshold is missed. Options:
 *   --quick     smaller runs (10^6 arrivals x 3 end to end, memory 10^5 vs 10^6, short micro budget)
 *   --no-micro  skip the micro-benchmarks
 *   --json F    also write every figure to file F as JSON
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { benchEndToEnd } from "./endToEnd.js";
import { benchMemory } from "./memory.js";
import { benchMicro, type MicroRow } from "./micro.js";

const MIN_INVOCATIONS_PER_SECOND = 1_000_000;
const MAX_MEMORY_RATIO = 1.3;

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const skipMicro = args.includes("--no-micro");
const jsonIndex = args.indexOf("--json");
const jsonPath = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
const known = new Set(["--quick", "--no-micro", "--json"]);
const unknown = args.filter((a, i) => !known.has(a) && !(jsonIndex >= 0 && i === jsonIndex + 1));
if (unknown.length > 0 || (jsonIndex >= 0 && !jsonPath)) {
  console.error(`usage: node --expose-gc dist/bench/run.js [--quick] [--no-micro] [--json FILE]; got ${args.join(" ")}`);
  process.exit(2);
}

const config = quick
  ? { microTimeMs: 200, arrivals: 1_000_000, runs: 3, memorySmall: 100_000, memoryLarge: 1_000_000 }
  : { microTimeMs: 1000, arrivals: 10_000_000, runs: 5, memorySmall: 1_000_000, memoryLarge: 10_000_000 };

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(header: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    "| " + cells.map((cell, c) => (rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(" | ") + " |";
  const rule = "|" + widths.map((w, c) => (rightAlign[c] ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|") + "|";
  return [line(header), rule, ...rows.map(line)].join("\n");
}

const cpuModel = cpus()[0]?.model ?? "unknown CPU";
if (globalThis.gc === undefined) console.warn("warning: run with --expose-gc for steadier end-to-end figures");
console.log(`lambdasim bench${quick ? " (--quick)" : ""}: node ${process.version}, ${cpus().length} x ${cpuModel}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM`);
// Other processes competing for the cores lower every figure below; the load average shows it.
const loadAtStart = loadavg();
console.log(`load average at start: ${loadAtStart.map((l) => l.toFixed(2)).join(", ")}`);

let micro: MicroRow[] = [];
if (!skipMicro) {
  console.log(`\nMicro-benchmarks (tinybench, ${config.microTimeMs} ms per task; ns per inner operation, mean of samples)\n`);
  micro = await benchMicro(config.microTimeMs);
  console.log(
    table(
      ["task", "ns/op", "ops/s", "±%", "samples"],
      micro.map((r) => [r.name, fmt(r.nsPerOp, 1), fmt(r.opsPerSecond), fmt(r.rme, 2), String(r.samples)]),
      [false, true, true, true, true],
    ),
  );
}

console.log(`\nEnd to end: steady scenario, ${fmt(config.arrivals)} arrivals (${fmt(config.arrivals / 2000)} s at 2,000 req/s), ${config.runs} runs after a warm-up`);
const e2e = benchEndToEnd(config.arrivals, config.runs, (line) => console.log(line));
const throughputOk = e2e.medianInvocationsPerSecond >= MIN_INVOCATIONS_PER_SECOND;
console.log(
  `  median ${fmt(e2e.medianInvocationsPerSecond)} invocations per wall second; ` +
    `${fmt(e2e.medianInvocationsPerCpuSecond)} per CPU second (diagnostic); wall/CPU ${fmt(e2e.wallToCpu, 2)}`,
);
if (e2e.wallToCpu > 1.1) {
  console.log(
    `  note: wall time exceeded CPU time by ${fmt((e2e.wallToCpu - 1) * 100)} %: the process waited for a core ` +
      `(load average ${loadavg()[0].toFixed(2)} on ${cpus().length} CPUs), so the wall-clock figure understates the simulator`,
  );
}

console.log(`\nMemory: peak RSS of the steady scenario, each size in a fresh process`);
const memory = benchMemory(config.memorySmall, config.memoryLarge);
const memoryOk = memory.ratio <= MAX_MEMORY_RATIO;
console.log(
  table(
    ["arrivals", "invocations", "wall s", "peak RSS MiB", "heap after GC MiB"],
    [memory.small, memory.large].map((m) => [
      fmt(m.arrivals),
      fmt(m.invocations),
      fmt(m.wallSeconds, 2),
      fmt(m.maxRssKb / 1024, 1),
      fmt(m.heapUsedAfterGc / 2 ** 20, 1),
    ]),
    [true, true, true, true, true],
  ),
);

console.log(`\nSummary (load average now: ${loadavg().map((l) => l.toFixed(2)).join(", ")})\n`);
console.log(
  table(
    ["check", "measured", "required", "result"],
    [
      [
        "end-to-end median invocations/s",
        fmt(e2e.medianInvocationsPerSecond),
        `>= ${fmt(MIN_INVOCATIONS_PER_SECOND)}`,
        throughputOk ? "PASS" : "FAIL",
      ],
      [
        `peak RSS ${fmt(config.memoryLarge)} / ${fmt(config.memorySmall)} arrivals`,
        `${fmt(memory.ratio, 3)}x`,
        `<= ${MAX_MEMORY_RATIO}x`,
        memoryOk ? "PASS" : "FAIL",
      ],
    ],
    [false, true, true, false],
  ),
);

if (jsonPath) {
  const report = {
    date: new Date().toISOString(),
    quick,
    node: process.version,
    cpus: cpus().length,
    cpuModel,
    totalMemBytes: totalmem(),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg(),
    micro,
    endToEnd: e2e,
    memory,
    thresholds: { minInvocationsPerSecond: MIN_INVOCATIONS_PER_SECOND, maxMemoryRatio: MAX_MEMORY_RATIO },
    pass: throughputOk && memoryOk,
  };
  writeFileSync(jsonPath, JSON.stringify(report, null, 2) + "\n");
  console.log(`\nwrote ${jsonPath}`);
}

if (!throughputOk || !memoryOk) {
  console.error(`\nbench FAILED: ${[!throughputOk && "throughput below 1,000,000 invocations/s", !memoryOk && "peak memory grows with invocation count"].filter(Boolean).join("; ")}`);
  process.exitCode = 1;
}
