/**
 * What building the report files of a long run costs in the process that simulated it: a fresh
 * process per run simulates the whole-process scenario (1 request/s for SIZE seconds, SIZE / 60
 * time-series rows), then times buildSummary, summary.json's text, timeseries.csv, report.md and
 * report.html once each, as `lambdasim run` builds them. That code runs once per process, mostly
 * before V8 has optimized it, which a warm loop in one process would hide. With several --root
 * trees (built checkouts), runs alternate between them, so that they share the machine's moods;
 * each tree's SHA-256 of the bytes built shows whether they agree.
 *
 *   node dist/bench/reportPhase.js [--root DIR ...] [--runs 15] [SIZE (default 1000000)]
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { longRunYaml } from "./longRunScenario.js";

const PHASES = ["summary", "summaryJson", "timeseriesCsv", "reportMd", "reportHtml"] as const;
type Phase = (typeof PHASES)[number];
type Sample = Record<Phase | "total", number> & { sha256: string };

/** In the child: simulate, then build each file once, timed (ms). */
async function buildOnce(root: string, file: string): Promise<void> {
  const load = (path: string) => import(pathToFileURL(join(root, "dist/src", path)).href);
  const { loadScenarioFile } = await load("scenario/read.js");
  const { simulate } = await load("simulate.js");
  const { buildSummary } = await load("report/summary.js");
  const { timeSeriesCsv } = await load("report/timeseries.js");
  const { renderMarkdown } = await load("report/markdown.js");
  const { renderHtmlReport } = await load("report/html.js");
  const result = simulate(loadScenarioFile(file), { periodSeconds: 60 });
  const hash = createHash("sha256");
  const sample: Partial<Sample> = {};
  let last = performance.now();
  const lap = (phase: Phase) => {
    const now = performance.now();
    sample[phase] = now - last;
    last = now;
  };
  const summary = buildSummary(result);
  lap("summary");
  hash.update(`${JSON.stringify(summary, null, 2)}\n`);
  lap("summaryJson");
  for (const chunk of timeSeriesCsv(result)) hash.update(chunk);
  lap("timeseriesCsv");
  hash.update(renderMarkdown(summary));
  lap("reportMd");
  hash.update(renderHtmlReport(result, []));
  lap("reportHtml");
  sample.total = PHASES.reduce((sum, phase) => sum + (sample[phase] ?? 0), 0);
  sample.sha256 = hash.digest("hex");
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

/** The value at fraction `p` of the sorted values (nearest rank below), to 0.1 ms. */
function quantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(p * (sorted.length - 1))] * 10) / 10;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--child") return buildOnce(argv[1], argv[2]);
  const roots: string[] = [];
  let runs = 15;
  let size = 1e6;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--root") roots.push(resolve(argv[++i]));
    else if (argv[i] === "--runs") runs = Number(argv[++i]);
    else size = Number(argv[i]);
  }
  if (roots.length === 0) roots.push(resolve(fileURLToPath(new URL("../..", import.meta.url))));
  const work = mkdtempSync(join(tmpdir(), "lambdasim-report-phase-"));
  try {
    const file = join(work, "long.yaml");
    writeFileSync(file, longRunYaml(size));
    const samples = new Map<string, Sample[]>(roots.map((root) => [root, []]));
    const self = fileURLToPath(import.meta.url);
    for (let r = 0; r < runs; r++) {
      for (const root of roots) {
        const output = execFileSync(process.execPath, [self, "--child", root, file], { encoding: "utf8" });
        samples.get(root)?.push(JSON.parse(output));
      }
    }
    for (const [root, list] of samples) {
      const figures = Object.fromEntries(
        (["total", ...PHASES] as const).map((phase) => {
          const values = list.map((sample) => sample[phase]);
          return [phase, { q25: quantile(values, 0.25), median: quantile(values, 0.5), q75: quantile(values, 0.75) }];
        }),
      );
      const hashes = [...new Set(list.map((sample) => sample.sha256))];
      console.log(JSON.stringify({ root, size, runs, ms: figures, sha256: hashes.length === 1 ? hashes[0] : hashes }));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
