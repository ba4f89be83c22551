/**
 * Issue 12's before-and-after, on one machine, one right after the other, as Markdown tables for
 * bench/RESULTS.md: start-up per command (bench/startup.sh, median of 10 whole processes), whole
 * process against simulate() alone at 10^6 and 10^7 invocations (wholeProcess.js), each path's
 * units/s (median of fresh processes, the two trees interleaved run by run, so that both share
 * whatever else the machine does) and peak RSS at 10^6 and 10^7 units.
 *
 *   node dist/bench/beforeAfter.js --before DIR [--after DIR] [--runs 5] [--only startup,whole,paths,memory]
 *
 * DIR is a built checkout (npm ci && npm run build). A path a tree does not have (Managed
 * Instances before issue 11) is shown as "–". Takes about 15 minutes with the defaults.
 */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./endToEnd.js";

interface Tree {
  label: string;
  root: string;
}

/** Each path at the size its figure in the issue is quoted at. */
const PATHS: readonly { name: string; size: number; unit: string }[] = [
  { name: "steady", size: 1e7, unit: "invocations" },
  { name: "tenant", size: 5e6, unit: "invocations" },
  { name: "managed-instances", size: 5e6, unit: "invocations" },
  { name: "async", size: 5e6, unit: "events" },
  { name: "stream", size: 5e6, unit: "records" },
  { name: "sqs", size: 5e6, unit: "messages" },
];

const HERE = resolve(fileURLToPath(new URL("../..", import.meta.url)));

function parseArgs(argv: readonly string[]): { before: Tree; after: Tree; runs: number; only: Set<string> } {
  let before: string | undefined;
  let after = HERE;
  let runs = 5;
  let only = new Set(["startup", "whole", "paths", "memory"]);
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === "--before") before = value;
    else if (argv[i] === "--after") after = value;
    else if (argv[i] === "--runs") runs = Number(value);
    else if (argv[i] === "--only") only = new Set(value.split(","));
    else throw new Error(`unknown argument ${argv[i]}`);
    i++;
  }
  if (before === undefined || !(Number.isInteger(runs) && runs > 0)) {
    console.error("usage: node dist/bench/beforeAfter.js --before DIR [--after DIR] [--runs 5] [--only startup,whole,paths,memory]");
    process.exit(2);
  }
  return { before: { label: "before", root: resolve(before) }, after: { label: "after", root: resolve(after) }, runs, only };
}

const loadAverage = (): string => execFileSync("cut", ["-d", " ", "-f1-3", "/proc/loadavg"], { encoding: "utf8" }).trim();

/** One JSON line from a bench script of `tree`, or undefined when that tree cannot run it. */
function probe(tree: Tree, script: string, args: readonly string[]): Record<string, number> | undefined {
  try {
    const out = execFileSync(process.execPath, ["--expose-gc", join(tree.root, "dist/bench", script), ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 1 << 26,
    });
    return JSON.parse(out.trim().split("\n").at(-1) ?? "");
  } catch {
    return undefined;
  }
}

const thousands = (value: number): string => Math.round(value).toLocaleString("en-US");
const change = (before: number | undefined, after: number | undefined): string =>
  before === undefined || after === undefined ? "–" : `${after >= before ? "+" : "−"}${Math.abs(Math.round((after / before - 1) * 100))} %`;

function startup(before: Tree, after: Tree): void {
  console.log(`\n### Start-up per command (median of 10 whole processes; load average ${loadAverage()})\n`);
  const text = execFileSync(
    "bash",
    [join(HERE, "bench/startup.sh"), join(before.root, "bin/lambdasim.js"), join(after.root, "bin/lambdasim.js")],
    { encoding: "utf8" },
  );
  const fence = "```";
  console.log(`${fence}\n${text.trimEnd()}\n${fence}`);
}

function whole(trees: readonly Tree[], runs: number): void {
  console.log(`\n### Whole process against simulate() alone (median of ${runs}; load average ${loadAverage()})\n`);
  console.log(
    "| tree | invocations | whole: wall s | whole: CPU s | simulate: wall s | simulate: CPU s | simulating, share of wall | of CPU | peak RSS |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const size of [1e6, 1e7]) {
    for (const tree of trees) {
      const out = execFileSync(
        process.execPath,
        [join(HERE, "dist/bench/wholeProcess.js"), "--root", tree.root, "--runs", String(runs), String(size)],
        {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
        },
      );
      const r = JSON.parse(out.trim().split("\n").at(-1) ?? "") as Record<string, number>;
      console.log(
        `| ${tree.label} | ${thousands(r.invocations)} | ${r.wholeWallSeconds.toFixed(2)} | ${r.wholeCpuSeconds.toFixed(2)} | ` +
          `${r.simulateWallSeconds.toFixed(2)} | ${r.simulateCpuSeconds.toFixed(2)} | ${(r.simulateShareOfWall * 100).toFixed(0)} % | ` +
          `${(r.simulateShareOfCpu * 100).toFixed(0)} % | ${(r.wholeMaxRssKb / 1024).toFixed(0)} MiB |`,
      );
    }
  }
}

function paths(before: Tree, after: Tree, runs: number): void {
  console.log(
    `\n### Each path, units/s (median of ${runs} fresh processes per tree, interleaved; load average ${loadAverage()} at the start)\n`,
  );
  console.log("| path (size) | before, wall | after, wall | change | before, CPU | after, CPU | target |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const path of PATHS) {
    const samples = new Map<Tree, { wall: number[]; cpu: number[] }>([
      [before, { wall: [], cpu: [] }],
      [after, { wall: [], cpu: [] }],
    ]);
    for (let run = 0; run < runs; run++) {
      for (const tree of [before, after]) {
        const r = probe(tree, "endToEndProbe.js", [path.name, String(path.size), "1"]);
        if (r === undefined) continue;
        samples.get(tree)?.wall.push(r.medianUnitsPerSecond);
        samples.get(tree)?.cpu.push(r.medianUnitsPerCpuSecond);
      }
    }
    const of = (tree: Tree, kind: "wall" | "cpu") => {
      const values = samples.get(tree)?.[kind] ?? [];
      return values.length === 0 ? undefined : median(values);
    };
    const shown = (value: number | undefined) => (value === undefined ? "–" : thousands(value));
    const target = path.name === "steady" ? "≥ 2,500,000" : "≥ 1,500,000";
    console.log(
      `| ${path.name}, ${path.unit}/s (${path.size.toExponential().replace("e+", "e")}) | ${shown(of(before, "wall"))} | ${shown(of(after, "wall"))} | ` +
        `${change(of(before, "wall"), of(after, "wall"))} | ${shown(of(before, "cpu"))} | ${shown(of(after, "cpu"))} | ${target} |`,
    );
  }
}

function memory(trees: readonly Tree[]): void {
  console.log(`\n### Peak RSS, 10^6 against 10^7 units (one fresh process per size; load average ${loadAverage()})\n`);
  console.log("| path | tree | 10^6 | 10^7 | ratio |");
  console.log("|---|---|---:|---:|---:|");
  for (const path of PATHS) {
    for (const tree of trees) {
      const small = probe(tree, "memoryProbe.js", [path.name, "1000000"]);
      const large = probe(tree, "memoryProbe.js", [path.name, "10000000"]);
      if (small === undefined || large === undefined) continue;
      console.log(
        `| ${path.name} | ${tree.label} | ${(small.maxRssKb / 1024).toFixed(1)} MiB | ${(large.maxRssKb / 1024).toFixed(1)} MiB | ` +
          `${(large.maxRssKb / small.maxRssKb).toFixed(2)} |`,
      );
    }
  }
}

const { before, after, runs, only } = parseArgs(process.argv.slice(2));
console.log(`Node ${process.version}; before: ${before.root}; after: ${after.root}`);
if (only.has("startup")) startup(before, after);
if (only.has("whole")) whole([before, after], runs);
if (only.has("paths")) paths(before, after, runs);
if (only.has("memory")) memory([before, after]);
