/**
 * `lambdasim calibrate` on large logs: REPORT lines per wall second and peak RSS. For each size the
 * independent generator (test/calibrate/generator) writes that many invocations of steady traffic as a
 * gzipped CloudWatch text export (START, END, REPORT lines with the timestamp prefix, INIT_START on cold
 * starts) into a temp folder; then `bin/lambdasim.js calibrate` runs on it in a fresh process, timed
 * from outside, its peak RSS read by a preload (peakRss.ts).
 *
 *   node dist/bench/calibrate.js [SIZE...]      # default 1000000 10000000
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeLogs } from "../test/calibrate/generator/formats.js";
import { benchTruth } from "../test/calibrate/generator/truths.js";

const BIN = fileURLToPath(new URL("../../bin/lambdasim.js", import.meta.url));
const PRELOAD = fileURLToPath(new URL("./peakRss.js", import.meta.url));

export interface CalibrateBenchRow {
  reportLines: number;
  /** Bytes of the gzipped input, and lines in it once decompressed. */
  inputBytes: number;
  inputLines: number;
  generateSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  reportLinesPerSecond: number;
  maxRssKb: number;
  exitCode: number;
}

/** Generates `invocations` REPORT records and times calibrate on them; removes its files afterwards. */
export async function benchCalibrateOnce(invocations: number): Promise<CalibrateBenchRow> {
  const dir = mkdtempSync(join(tmpdir(), "calibrate-bench-"));
  try {
    const input = join(dir, "bench.log.gz");
    const generateStart = process.hrtime.bigint();
    const realized = await writeLogs(benchTruth(invocations), "text", input, { gzip: true, appLines: false });
    const generateSeconds = Number(process.hrtime.bigint() - generateStart) / 1e9;
    const usageFile = join(dir, "usage.json");
    const start = process.hrtime.bigint();
    const child = spawnSync(
      process.execPath,
      [
        "--import",
        PRELOAD,
        BIN,
        "calibrate",
        input,
        "--function",
        "bench",
        "--out",
        join(dir, "out", "bench.yaml"),
        "--report",
        join(dir, "report"),
        "--quiet",
      ],
      { encoding: "utf8", env: { ...process.env, LAMBDASIM_BENCH_USAGE: usageFile }, maxBuffer: 1 << 24 },
    );
    const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (child.status !== 0) {
      throw new Error(
        `calibrate on ${invocations} REPORT lines exited ${child.status} (signal ${child.signal}):\n${child.stderr.slice(0, 2000)}`,
      );
    }
    const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { maxRssKb: number; cpuSeconds: number };
    // START, END and REPORT per invocation, INIT_START per cold start.
    const inputLines = 3 * realized.invocations + realized.coldStarts;
    return {
      reportLines: realized.invocations,
      inputBytes: statSync(input).size,
      inputLines,
      generateSeconds,
      wallSeconds,
      cpuSeconds: usage.cpuSeconds,
      reportLinesPerSecond: realized.invocations / wallSeconds,
      maxRssKb: usage.maxRssKb,
      exitCode: child.status,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCalibrate(sizes: readonly number[]): Promise<CalibrateBenchRow[]> {
  const rows: CalibrateBenchRow[] = [];
  for (const size of sizes) rows.push(await benchCalibrateOnce(size));
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = process.argv.slice(2).map(Number);
  if (sizes.some((n) => !(Number.isInteger(n) && n > 0))) {
    console.error(`usage: node dist/bench/calibrate.js [SIZE...]; got ${process.argv.slice(2).join(" ")}`);
    process.exit(2);
  }
  for (const row of await benchCalibrate(sizes.length > 0 ? sizes : [1_000_000, 10_000_000])) console.log(JSON.stringify(row));
}
