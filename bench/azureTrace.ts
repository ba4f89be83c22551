import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, renameSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import type { Scenario } from "../src/scenario/types.js";
import { resolveScenario } from "../src/scenario/compile.js";

const APPS = 50;
const FUNCTIONS_PER_APP = 8;
/** Invocations per second of trace time, over all functions: 2 million rows span ~2.8 h. */
const RATE = 200;

const id = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * A synthetic trace in the Azure Functions 2021 format (app,func,end_timestamp,duration) with
 * `rows` rows: 400 functions whose popularity follows a Zipf law, Poisson arrivals, lognormal
 * durations, rows in end-time order as in the real trace (so starts are out of order by up to
 * the longest duration). Written once per size to the temp folder, from a fixed seed.
 */
export function syntheticAzureTrace(rows: number): string {
  const path = join(tmpdir(), `lambdasim-bench-azure-${rows}.csv`);
  if (existsSync(path)) return path;
  const random = seedrandom.alea("lambdasim-bench-azure");
  const keys: string[] = [];
  for (let a = 0; a < APPS; a++) for (let f = 0; f < FUNCTIONS_PER_APP; f++) keys.push(`${id(`app${a}`)},${id(`app${a}func${f}`)}`);
  const weights = keys.map((_, k) => 1 / (k + 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const cdf: number[] = [];
  let cumulative = 0;
  for (const w of weights) {
    cumulative += w;
    cdf.push(cumulative / total);
  }
  // Rows are kept in a small buffer sorted by end time; a row is written once no later start can end before it.
  const pending: { end: number; line: string }[] = [];
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, "w");
  let chunk = "app,func,end_timestamp,duration\n";
  const flush = (upTo: number) => {
    pending.sort((x, y) => x.end - y.end);
    let k = 0;
    while (k < pending.length && pending[k].end <= upTo) chunk += pending[k++].line;
    pending.splice(0, k);
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = "";
    }
  };
  let now = 0;
  const longest = 60;
  for (let r = 0; r < rows; r++) {
    now += -Math.log(1 - random()) / RATE;
    const u = random();
    let key = 0;
    while (cdf[key] < u) key++;
    const duration = Math.min(
      longest,
      Math.exp(Math.log(0.3) + 1.2 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
    );
    const end = now + duration;
    pending.push({ end, line: `${keys[key]},${end.toFixed(6)},${duration.toFixed(3)}\n` });
    if (pending.length >= 4096) flush(now);
  }
  flush(Infinity);
  writeSync(fd, chunk);
  closeSync(fd);
  renameSync(temp, path);
  return path;
}

/**
 * Replays the synthetic trace of `rows` rows, one Lambda function per (app, func). Its rows are out
 * of start order by at most the longest duration (60 s), so a 2-minute reorder window suffices;
 * the replay buffers that window's rows (rate x window), not the file.
 */
export function azureTraceScenario(rows: number): Scenario {
  return resolveScenario({
    name: "bench-azure-trace",
    workload: [
      { trace: { file: syntheticAzureTrace(rows), format: "azure-functions-2021", memoryMb: 256, timeout: "900s", reorderWindow: "2m" } },
    ],
  });
}
