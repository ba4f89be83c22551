/**
 * Whole process against simulation alone: `lambdasim run` of a one-function scenario with Poisson
 * arrivals at 1 request/s for SIZE seconds (about SIZE invocations, SIZE / 60 time-series rows),
 * timed as a fresh process by /usr/bin/time (wall, user+sys CPU, peak RSS), next to simulate() of
 * the same scenario timed inside a fresh process of its own. Medians of `--runs` (default 3).
 *
 *   node dist/bench/wholeProcess.js [--root DIR] [--runs N] 1000000 10000000
 *
 * `--root` times another checkout's build (its bin/lambdasim.js and dist/src), for before/after.
 * Linux only (/usr/bin/time).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./endToEnd.js";
import { longRunYaml } from "./longRunScenario.js";

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

/** In the child: simulate() of the scenario file once, cold, as `lambdasim run` does. */
async function simulateOnce(root: string, file: string): Promise<void> {
  const load = (path: string) => import(pathToFileURL(join(root, "dist/src", path)).href);
  const { loadScenarioFile } = await load("scenario/read.js");
  const { simulate } = await load("simulate.js");
  const scenario = loadScenarioFile(file);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = simulate(scenario, { periodSeconds: 60 });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const invocations = result.functions[0].metrics.invocations;
  process.stdout.write(`${JSON.stringify({ wallSeconds, cpuSeconds: (used.user + used.system) / 1e6, invocations })}\n`);
}

function wholeRun(root: string, file: string, out: string): Timing & { maxRssKb: number } {
  rmSync(out, { recursive: true, force: true });
  const timeFile = `${out}.time`;
  const command = [process.execPath, join(root, "bin/lambdasim.js"), "run", file, "--out", out, "--quiet"];
  execFileSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", timeFile, ...command], { stdio: "inherit" });
  const [wall, user, system, rss] = readFileSync(timeFile, "utf8").trim().split(/\s+/).map(Number);
  return { wallSeconds: wall, cpuSeconds: user + system, maxRssKb: rss };
}

function inProcessRun(root: string, file: string): Timing & { invocations: number } {
  const self = fileURLToPath(import.meta.url);
  return JSON.parse(execFileSync(process.execPath, [self, "--simulate", root, file], { encoding: "utf8" }));
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--simulate") return simulateOnce(argv[1], argv[2]);
  let root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
  let runs = 3;
  const sizes: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--root") root = resolve(argv[++i]);
    else if (argv[i] === "--runs") runs = Number(argv[++i]);
    else sizes.push(Number(argv[i]));
  }
  const work = mkdtempSync(join(tmpdir(), "lambdasim-whole-"));
  try {
    for (const size of sizes.length > 0 ? sizes : [1e6]) {
      const file = join(work, `s${size}.yaml`);
      writeFileSync(file, longRunYaml(size));
      const whole: (Timing & { maxRssKb: number })[] = [];
      const inside: (Timing & { invocations: number })[] = [];
      for (let r = 0; r < runs; r++) {
        whole.push(wholeRun(root, file, join(work, "out")));
        inside.push(inProcessRun(root, file));
      }
      const w = median(whole.map((t) => t.wallSeconds));
      const wc = median(whole.map((t) => t.cpuSeconds));
      const s = median(inside.map((t) => t.wallSeconds));
      const sc = median(inside.map((t) => t.cpuSeconds));
      console.log(
        JSON.stringify({
          size,
          invocations: inside[0].invocations,
          wholeWallSeconds: w,
          wholeCpuSeconds: wc,
          simulateWallSeconds: s,
          simulateCpuSeconds: sc,
          simulateShareOfWall: s / w,
          simulateShareOfCpu: sc / wc,
          wholeMaxRssKb: median(whole.map((t) => t.maxRssKb)),
          runs: { whole, inside },
        }),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
