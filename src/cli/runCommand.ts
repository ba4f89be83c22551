import { DEMO_SCENARIO } from "./demo.js";
import { enUsNumber } from "../common/enUsNumber.js";
import { EXIT_OK, progressBar, type CliIo } from "./io.js";
import { checkOutputFolder, defaultReportFolder, writeReportFiles } from "./output.js";
import { type LoadOptions, resolveScenario } from "../scenario/compile.js";
import { loadScenarioFile } from "../scenario/read.js";
import { simulate } from "../simulate.js";
import { replicationFigures } from "../report/figures.js";
import { renderHtmlReport, runReportData, type RunReportData } from "../report/html.js";
import { renderMarkdown } from "../report/markdown.js";
import { buildSummary } from "../report/summary.js";
import { timeSeriesCsv } from "../report/timeseries.js";
import { replicationSeeds } from "../sweep/plan.js";
import type { Scenario } from "../scenario/types.js";
import { printWarnings } from "./validateCommand.js";

/*
 * run, apart from main.ts so that the command line loads the simulator and the report writers
 * only for the commands that use them.
 */

/** Functions listed on stdout after a run, busiest first; report.md has them all. */
const SHOWN_FUNCTIONS = 10;

function loadScenario(file: string | undefined, options: LoadOptions): Scenario {
  if (file === undefined) return resolveScenario(DEMO_SCENARIO, options);
  return loadScenarioFile(file, options);
}

export interface RunArgs {
  scenario?: string;
  seed?: number;
  out?: string;
  quiet?: boolean;
  replications: number;
  /** Seconds per timeseries.csv row and report.html point. */
  period: number;
  allowLarge: boolean;
}

export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const scenario = loadScenario(args.scenario, {
    seed: args.seed,
    allowLarge: args.allowLarge,
    runs: args.replications,
    periodSeconds: args.period,
  });
  // Checked before the first run: the seeds of every replication must be distinct.
  const seeds = replicationSeeds(scenario.seed, args.replications);
  const dir = checkOutputFolder(args.out, () => defaultReportFolder(scenario.name, args.scenario));
  if (!args.quiet) printWarnings(scenario, io);
  const bar = args.quiet ? undefined : progressBar(io);
  const n = args.replications;
  const periodSeconds = args.period;
  const result = simulate(scenario, { periodSeconds, onProgress: bar && ((fraction) => bar(fraction / n)) });
  let summary: ReturnType<typeof buildSummary> & { replications?: ReturnType<typeof replicationFigures> } = buildSummary(result);
  // The other replications' report data (summary, series): report.html draws their means and intervals.
  const others: RunReportData[] = [];
  if (n > 1) {
    // Replications rerun the scenario with seeds seed+1, seed+2, ...: the files describe the first, summary.json adds every figure's mean and 95 % interval.
    const summaries = seeds.map((seed, r) => {
      if (r === 0) return summary;
      const data = runReportData(
        simulate(loadScenario(args.scenario, { seed, allowLarge: true }), {
          periodSeconds,
          onProgress: bar && ((fraction) => bar((r + fraction) / n)),
        }),
      );
      others.push(data);
      return data.summary;
    });
    summary = { ...summary, replications: replicationFigures(summaries, seeds) };
  }
  const files = await writeReportFiles(dir, [
    { name: "summary.json", content: `${JSON.stringify(summary, null, 2)}\n` },
    { name: "timeseries.csv", content: { chunks: timeSeriesCsv(result) } },
    { name: "report.md", content: renderMarkdown(summary) },
    { name: "report.html", content: renderHtmlReport(result, others) },
  ]);
  if (!args.quiet) {
    // --quiet prints errors only; the warnings stay in summary.json and report.md.
    // The scenario's own warnings were printed before the run, as they were found.
    for (const warning of (summary.warnings ?? []).slice(scenario.warnings.length))
      io.err(`warning: ${warning.code}: ${warning.message}\n`);
    const t = summary.totals;
    io.out(
      `${scenario.name}: ${enUsNumber(t.arrivals)} arrivals, ${enUsNumber(t.Invocations)} invocations, ` +
        `${enUsNumber(t.coldStarts)} cold starts, ${enUsNumber(t.Throttles)} throttles, ` +
        `${enUsNumber(t.Errors)} errors, $${t.cost.totalUsd.toFixed(6)}\n`,
    );
    const busiest = Object.entries(summary.functions).sort((a, b) => b[1].arrivals - a[1].arrivals);
    for (const [name, f] of busiest.slice(0, SHOWN_FUNCTIONS)) {
      io.out(`  ${name}: p50 ${f.latencyMs.p50} ms, p99 ${f.latencyMs.p99} ms, max concurrency ${f.metrics.ConcurrentExecutions.max}\n`);
    }
    if (busiest.length > SHOWN_FUNCTIONS) io.out(`  ... and ${busiest.length - SHOWN_FUNCTIONS} more functions in report.md\n`);
    io.out(`wrote ${files.join(", ")}\n`);
  }
  return EXIT_OK;
}
