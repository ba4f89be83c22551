/**
 * `npm run bench` (builds, then runs `node --expose-gc dist/bench/run.js`).
 *
 * 1. Micro-benchmarks (tinybench): the event queue, the random streams and samplers, the histogram.
 * 2. End to end, each scenario in a fresh process and run several times, medians of units per
 *    wall-clock second:
 *    - the steady sync scenario (one function, Poisson 2,000 req/s, 10^7 arrivals): >= 1,000,000 invocations/s;
 *    - the same with tenant isolation (1,000 Zipf tenants, 10^7 arrivals): >= 1,000,000 invocations/s;
 *    - the same traffic on Lambda Managed Instances (processor sharing, scaler): >= 1,000,000 invocations/s;
 *    - a 100-shard Kinesis stream (5 x 10^6 records): >= 500,000 records/s;
 *    - a healthy async function (5 x 10^6 events): >= 1,000,000 events/s;
 *    - an SQS consumer (5 x 10^6 messages): reported.
 * 3. Sweep: 8 memory variants of the steady scenario on 1 thread and on 2 worker threads: the
 *    speed-up must be at least 1.7x (on a machine with 2 or more cores).
 * 4. Memory: each scenario at 10^6 and at 10^7 units, each in a fresh process; the larger run's
 *    peak RSS must be within 1.3x of the smaller one's.
 * 5. Calibrate: `lambdasim calibrate` on generated CloudWatch text exports of 10^6 and 10^7 REPORT
 *    lines (calibrate.ts): REPORT lines per wall second, reported; the larger run's peak RSS must be
 *    within 1.3x of the smaller one's.
 *
 * Exits with status 1 when a threshold is missed. Options:
 *   --quick     smaller runs (10^6 arrivals x 3 end to end, memory and calibrate 10^5 vs 10^6, short micro budget)
 *   --no-micro  skip the micro-benchmarks
 *   --scale     also the scale runs (about 15 minutes): 10^9 invocations of the steady scenario
 *               and a 2-million-row Azure Functions 2021 trace replay, each in a fresh process
 *               (time and peak RSS)
 *   --json F    also write every figure to file F as JSON
 */
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EndToEndResult } from "./endToEnd.js";
import { benchCalibrate } from "./calibrate.js";
import { benchMemory, probeMemory } from "./memory.js";
import type { MemoryProbeReport } from "./memoryProbe.js";
import { benchMicro, type MicroRow } from "./micro.js";
import { benchSweepSpeedup } from "./sweepSpeedup.js";
import { WORKLOADS, type WorkloadName } from "./workloads.js";

const MAX_MEMORY_RATIO = 1.3;
const MIN_SWEEP_SPEEDUP = 1.7;

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const skipMicro = args.includes("--no-micro");
const scale = args.includes("--scale");
const jsonIndex = args.indexOf("--json");
const jsonPath = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
const known = new Set(["--quick", "--no-micro", "--scale", "--json"]);
const unknown = args.filter((a, i) => !known.has(a) && !(jsonIndex >= 0 && i === jsonIndex + 1));
if (unknown.length > 0 || (jsonIndex >= 0 && !jsonPath)) {
  console.error(`usage: node --expose-gc dist/bench/run.js [--quick] [--no-micro] [--scale] [--json FILE]; got ${args.join(" ")}`);
  process.exit(2);
}

const config = quick
  ? {
      microTimeMs: 200,
      arrivals: 1_000_000,
      runs: 3,
      memorySmall: 100_000,
      memoryLarge: 1_000_000,
      sourceSize: 1_000_000,
      sourceRuns: 3,
      sourceMemorySmall: 100_000,
      sourceMemoryLarge: 1_000_000,
      sweepArrivals: 500_000,
      calibrateSizes: [100_000, 1_000_000],
    }
  : {
      microTimeMs: 1000,
      arrivals: 10_000_000,
      runs: 5,
      memorySmall: 1_000_000,
      memoryLarge: 10_000_000,
      sourceSize: 5_000_000,
      sourceRuns: 3,
      sourceMemorySmall: 1_000_000,
      sourceMemoryLarge: 10_000_000,
      sweepArrivals: 2_000_000,
      calibrateSizes: [1_000_000, 10_000_000],
    };

const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(header: string[], rows: string[][], rightAlign: boolean[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (rightAlign[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(" | ")} |`;
  const rule = `|${widths.map((w, c) => (rightAlign[c] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

const cpuModel = cpus()[0]?.model ?? "unknown CPU";
if (globalThis.gc === undefined) console.warn("warning: run with --expose-gc for steadier end-to-end figures");
console.log(
  `lambdasim bench${quick ? " (--quick)" : ""}: node ${process.version}, ${cpus().length} x ${cpuModel}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM`,
);
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

interface Check {
  workload: WorkloadName;
  what: string;
  size: number;
  runs: number;
  /** Median units per wall second required; undefined: reported, not required. */
  minimum: number | undefined;
}

const checks: Check[] = [
  {
    workload: "steady",
    what: "steady sync scenario (Poisson 2,000 req/s, lognormal 80 ms median)",
    size: config.arrivals,
    runs: config.runs,
    minimum: 1_000_000,
  },
  {
    workload: "tenant",
    what: "tenant-isolated steady scenario (1,000 Zipf tenants, Poisson 2,000 req/s)",
    size: config.arrivals,
    runs: config.runs,
    minimum: 1_000_000,
  },
  {
    workload: "managed-instances",
    what: "the steady traffic on Lambda Managed Instances (m7g.xlarge, 2-vCPU environments, 30 % CPU-bound)",
    size: config.arrivals,
    runs: config.runs,
    minimum: 1_000_000,
  },
  {
    workload: "stream",
    what: "100-shard Kinesis stream (50,000 records/s, batches of 100)",
    size: config.sourceSize,
    runs: config.sourceRuns,
    minimum: 500_000,
  },
  {
    workload: "async",
    what: "healthy async function (2,000 events/s)",
    size: config.sourceSize,
    runs: config.sourceRuns,
    minimum: 1_000_000,
  },
  {
    workload: "sqs",
    what: "SQS consumer (20,000 messages/s, batches of 10)",
    size: config.sourceSize,
    runs: config.sourceRuns,
    minimum: undefined,
  },
];

/** Times a scenario in its own process (progress lines pass through to this one's output). */
function endToEndInFreshProcess(workload: WorkloadName, size: number, runs: number): EndToEndResult {
  const probe = fileURLToPath(new URL("./endToEndProbe.js", import.meta.url));
  const child = spawnSync(process.execPath, ["--expose-gc", probe, workload, String(size), String(runs)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 24,
  });
  process.stdout.write(`${child.stderr.replace(/^/gm, "").trimEnd()}\n`);
  if (child.status !== 0) throw new Error(`end-to-end probe for ${workload} failed (status ${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as EndToEndResult;
}

const endToEnd: EndToEndResult[] = [];
for (const check of checks) {
  console.log(`\nEnd to end: ${check.what}, ${fmt(check.size)} ${WORKLOADS[check.workload].unit}, ${check.runs} runs after a warm-up`);
  const e2e = endToEndInFreshProcess(check.workload, check.size, check.runs);
  endToEnd.push(e2e);
  console.log(
    `  median ${fmt(e2e.medianUnitsPerSecond)} ${e2e.unit} per wall second; ` +
      `${fmt(e2e.medianUnitsPerCpuSecond)} per CPU second (diagnostic); wall/CPU ${fmt(e2e.wallToCpu, 2)}`,
  );
  if (e2e.wallToCpu > 1.1) {
    console.log(
      `  note: wall time exceeded CPU time by ${fmt((e2e.wallToCpu - 1) * 100)} %: the process waited for a core ` +
        `(load average ${loadavg()[0].toFixed(2)} on ${cpus().length} CPUs), so the wall-clock figure understates the simulator`,
    );
  }
}

const threads = Math.min(2, availableParallelism());
console.log(
  `\nSweep: 8 memory variants of the steady scenario (${fmt(config.sweepArrivals)} arrivals each) on 1 thread, then on ${threads}`,
);
const sweep = await benchSweepSpeedup(config.sweepArrivals, threads);
console.log(
  `  1 thread ${fmt(sweep.serialSeconds, 2)} s, ${threads} threads ${fmt(sweep.parallelSeconds, 2)} s: speed-up ${fmt(sweep.speedup, 2)}x`,
);

console.log(`\nMemory: peak RSS of each scenario at two sizes, each run in a fresh process`);
const memory = checks.map((check) =>
  check.workload === "steady"
    ? benchMemory("steady", config.memorySmall, config.memoryLarge)
    : benchMemory(check.workload, config.sourceMemorySmall, config.sourceMemoryLarge),
);
console.log(
  table(
    ["scenario", "size", "units", "wall s", "peak RSS MiB", "heap after GC MiB"],
    memory.flatMap((m) =>
      [m.small, m.large].map((r) => [
        m.workload,
        fmt(r.size),
        fmt(r.units),
        fmt(r.wallSeconds, 2),
        fmt(r.maxRssKb / 1024, 1),
        fmt(r.heapUsedAfterGc / 2 ** 20, 1),
      ]),
    ),
    [false, true, true, true, true, true],
  ),
);

console.log(`\nCalibrate: lambdasim calibrate on generated CloudWatch text exports (gzipped), each in a fresh process`);
const calibrateRows = await benchCalibrate(config.calibrateSizes);
console.log(
  table(
    ["REPORT lines", "input lines", "gzip MiB", "wall s", "CPU s", "REPORT lines/s", "peak RSS MiB"],
    calibrateRows.map((r) => [
      fmt(r.reportLines),
      fmt(r.inputLines),
      fmt(r.inputBytes / 2 ** 20, 1),
      fmt(r.wallSeconds, 2),
      fmt(r.cpuSeconds, 2),
      fmt(r.reportLinesPerSecond),
      fmt(r.maxRssKb / 1024, 1),
    ]),
    [true, true, true, true, true, true, true],
  ),
);
const [calibrateSmall, calibrateLarge] = [calibrateRows[0], calibrateRows[calibrateRows.length - 1]];
const calibrateRatio = calibrateLarge.maxRssKb / calibrateSmall.maxRssKb;

let scaleRuns: MemoryProbeReport[] = [];
if (scale) {
  console.log(`\nScale: each in a fresh process (the trace file is generated into the temp folder first)`);
  scaleRuns = [probeMemory("azure-trace", 2_000_000), probeMemory("steady", 1_000_000_000)];
  console.log(
    table(
      ["run", "units", "wall s", "units/s", "peak RSS MiB", "heap after GC MiB"],
      scaleRuns.map((r, i) => [
        i === 0 ? "Azure 2021 trace replay" : "steady scenario",
        fmt(r.units),
        fmt(r.wallSeconds, 1),
        fmt(r.units / r.wallSeconds),
        fmt(r.maxRssKb / 1024, 1),
        fmt(r.heapUsedAfterGc / 2 ** 20, 1),
      ]),
      [false, true, true, true, true, true],
    ),
  );
}

const rows = [
  ...checks.map((check, i) => {
    const e2e = endToEnd[i];
    const ok = check.minimum === undefined || e2e.medianUnitsPerSecond >= check.minimum;
    return {
      ok,
      cells: [
        `${check.workload}: median ${e2e.unit}/s`,
        fmt(e2e.medianUnitsPerSecond),
        check.minimum === undefined ? "(reported)" : `>= ${fmt(check.minimum)}`,
        check.minimum === undefined ? "-" : ok ? "PASS" : "FAIL",
      ],
    };
  }),
  {
    ok: threads < 2 || sweep.speedup >= MIN_SWEEP_SPEEDUP,
    cells: [
      `sweep of 8 variants: speed-up on ${threads} threads`,
      `${fmt(sweep.speedup, 2)}x`,
      `>= ${MIN_SWEEP_SPEEDUP}x`,
      threads < 2 ? "-" : sweep.speedup >= MIN_SWEEP_SPEEDUP ? "PASS" : "FAIL",
    ],
  },
  ...memory.map((m) => {
    const ok = m.ratio <= MAX_MEMORY_RATIO;
    return {
      ok,
      cells: [
        `${m.workload}: peak RSS ${fmt(m.large.size)} / ${fmt(m.small.size)}`,
        `${fmt(m.ratio, 3)}x`,
        `<= ${MAX_MEMORY_RATIO}x`,
        ok ? "PASS" : "FAIL",
      ],
    };
  }),
  {
    ok: true,
    cells: [`calibrate: REPORT lines/s at ${fmt(calibrateLarge.reportLines)}`, fmt(calibrateLarge.reportLinesPerSecond), "(reported)", "-"],
  },
  {
    ok: calibrateRatio <= MAX_MEMORY_RATIO,
    cells: [
      `calibrate: peak RSS ${fmt(calibrateLarge.reportLines)} / ${fmt(calibrateSmall.reportLines)} REPORT lines`,
      `${fmt(calibrateRatio, 3)}x`,
      `<= ${MAX_MEMORY_RATIO}x`,
      calibrateRatio <= MAX_MEMORY_RATIO ? "PASS" : "FAIL",
    ],
  },
];
const failed = rows.filter((row) => !row.ok).map((row) => row.cells[0]);

console.log(
  `\nSummary (load average now: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")})\n`,
);
console.log(
  table(
    ["check", "measured", "required", "result"],
    rows.map((row) => row.cells),
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
    endToEnd,
    sweep,
    memory,
    calibrate: calibrateRows,
    scaleRuns,
    thresholds: {
      ...Object.fromEntries(checks.map((c) => [c.workload, c.minimum ?? null])),
      maxMemoryRatio: MAX_MEMORY_RATIO,
      minSweepSpeedup: MIN_SWEEP_SPEEDUP,
    },
    pass: failed.length === 0,
  };
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\nwrote ${jsonPath}`);
}

if (failed.length > 0) {
  console.error(`\nbench FAILED: ${failed.join("; ")}`);
  process.exitCode = 1;
}
