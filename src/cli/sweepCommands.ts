import { join } from "node:path";
import { availableParallelism } from "node:os";
import { asComparedSummary, compareSummaries, parseThreshold, renderComparison } from "../report/compare.js";
import { readScenarioDocument, scenarioFileContext } from "../scenario/read.js";
import {
  buildSweepDocument,
  objectiveLine,
  sweepCsv,
  sweepHtml,
  sweepMarkdown,
  sweepWarningLines,
  type SweepDocument,
  type VariantInfo,
} from "../sweep/outputs.js";
import { planSweep, SWEEP_OBJECTIVES, type SweepDefinition, type SweepObjective, type SweepPlan } from "../sweep/plan.js";
import { runSweep, type VariantResult } from "../sweep/run.js";
import { mergeShards, parseShard, shardDocument, shardFileName } from "../sweep/shards.js";
import { calibrate, renderTimePlan, timePlan } from "../sweep/timePlan.js";
import { parseTime } from "../scenario/units.js";
import { EXIT_OK, EXIT_REGRESSION, progressBar, readJsonFile, UsageError, wholeNumber, type CliIo } from "./io.js";
import { checkOutputFolder, defaultReportFolder, writeOneFile, writeReportFiles } from "./output.js";

export interface SweepArgs {
  scenario: string;
  vary?: string[];
  replications?: string;
  workers?: string;
  shard?: string;
  seed?: string;
  p99Limit?: string;
  objective?: string;
  balancedWeight?: string;
  out?: string;
  quiet: boolean;
  allowLarge: boolean;
  plan: boolean;
  json: boolean;
}

function positiveTime(option: string, text: string): number {
  const seconds = parseTime(text);
  if (seconds === undefined || seconds <= 0)
    throw new UsageError(`${option}: expected a time greater than 0 such as 300ms or 2s, got ${text}`);
  return seconds;
}

function objectiveOption(text: string): SweepObjective {
  const objective = SWEEP_OBJECTIVES.find((name) => name === text);
  if (objective === undefined) throw new UsageError(`--objective: expected ${SWEEP_OBJECTIVES.join(", ")}, got ${text}`);
  return objective;
}

function weightOption(text: string): number {
  const weight = Number(text);
  if (text.trim() === "" || !(weight >= 0 && weight <= 1))
    throw new UsageError(`--balanced-weight: expected a number from 0 to 1, got ${text}`);
  return weight;
}

export async function sweepCommand(args: SweepArgs, io: CliIo): Promise<number> {
  if (args.json && !args.plan) throw new UsageError("--json: only with --plan (the sweep's own outputs are files)");
  const ignored = [args.shard !== undefined && "--shard", args.out !== undefined && "--out", args.quiet && "--quiet"].filter(Boolean);
  if (args.plan && ignored.length > 0)
    throw new UsageError(`--plan prints the plan of the whole sweep and writes nothing; drop ${ignored.join(", ")}`);
  const raw = readScenarioDocument(args.scenario);
  const context = scenarioFileContext(args.scenario);
  const plan = planSweep(raw, {
    ...context,
    vary: args.vary,
    seed: args.seed === undefined ? undefined : wholeNumber("--seed", args.seed, 0),
    replications: args.replications === undefined ? undefined : wholeNumber("--replications", args.replications, 1, 1000),
    p99Limit: args.p99Limit === undefined ? undefined : positiveTime("--p99-limit", args.p99Limit),
    objective: args.objective === undefined ? undefined : objectiveOption(args.objective),
    balancedWeight: args.balancedWeight === undefined ? undefined : weightOption(args.balancedWeight),
    allowLarge: args.allowLarge,
  });
  const workers = args.workers === undefined ? availableParallelism() : wholeNumber("--workers", args.workers, 1, 1024);
  if (args.plan) return planCommand(plan, workers, args.json, io);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  const dir = checkOutputFolder(args.out, () => defaultReportFolder(plan.definition.name, args.scenario, "-sweep"));
  const bar = args.quiet ? undefined : progressBar(io);
  const results = await runSweep(plan, { workers, shard, onProgress: bar && ((done, total) => bar(done / total)) });
  if (shard !== undefined) {
    const document = shardDocument(plan, shard, results);
    const file = await writeOneFile(dir, { name: shardFileName(shard), content: `${JSON.stringify(document)}\n` });
    if (!args.quiet)
      io.out(
        `${plan.definition.name}: shard ${shard.part}/${shard.count}, ${results.length} of ${plan.variants.length} variants\nwrote ${file}\n`,
      );
    return EXIT_OK;
  }
  return writeSweep(plan.definition, plan.variants, results, dir, args.quiet, io);
}

export interface MergeArgs {
  shards: string[];
  out?: string;
  quiet: boolean;
}

/** Prints how long the sweep would take per shard count, calibrated by timing a short simulation here. */
function planCommand(plan: SweepPlan, workers: number, json: boolean, io: CliIo): number {
  const estimate = timePlan(
    plan,
    calibrate(plan, () => performance.now() / 1000),
    workers,
  );
  io.out(json ? `${JSON.stringify(estimate, null, 2)}\n` : renderTimePlan(estimate));
  return EXIT_OK;
}

export async function mergeCommand(args: MergeArgs, io: CliIo): Promise<number> {
  const merged = mergeShards(args.shards.map((file) => ({ file, document: readJsonFile(file) })));
  // mergeShards has checked the sweep's name, so the default folder stays under reports/.
  const dir = checkOutputFolder(args.out, () => join("reports", `${merged.definition.name}-sweep`));
  return writeSweep(merged.definition, merged.variants, merged.results, dir, args.quiet, io);
}

async function writeSweep(
  definition: SweepDefinition,
  variants: readonly VariantInfo[],
  results: readonly VariantResult[],
  dir: string,
  quiet: boolean,
  io: CliIo,
): Promise<number> {
  const doc = buildSweepDocument(definition, variants, results);
  const files = await writeReportFiles(dir, sweepFiles(doc));
  if (!quiet) {
    // As for run: --quiet prints errors only; the warnings stay in sweep.json and sweep.md.
    for (const line of sweepWarningLines(doc)) io.err(`warning: ${line}\n`);
    const named = (status: string) => doc.variants.filter((v) => v.frontierStatus === status).map((v) => `#${v.index} (${v.label})`);
    const ties = named("indistinguishable");
    io.out(
      `${definition.name}: ${doc.variants.length} variants × ${definition.replications} replication${definition.replications > 1 ? "s" : ""}; frontier: ${named("frontier").join(", ")}` +
        `${ties.length > 0 ? `; indistinguishable from it: ${ties.join(", ")}` : ""}\n`,
    );
    const answer = objectiveLine(doc);
    if (answer !== null) io.out(`${answer}\n`);
    io.out(`wrote ${files.join(", ")}\n`);
  }
  return EXIT_OK;
}

function sweepFiles(doc: SweepDocument) {
  return [
    { name: "sweep.json", content: `${JSON.stringify(doc, null, 2)}\n` },
    { name: "sweep.csv", content: sweepCsv(doc) },
    { name: "sweep.md", content: sweepMarkdown(doc) },
    { name: "report.html", content: sweepHtml(doc) },
  ];
}

export interface CompareArgs {
  baseline: string;
  candidate: string;
  maxRegression?: string[];
  json: boolean;
}

export function compareCommand(args: CompareArgs, io: CliIo): number {
  const thresholds = (args.maxRegression ?? []).map(parseThreshold);
  const baseline = asComparedSummary(readJsonFile(args.baseline), args.baseline);
  const candidate = asComparedSummary(readJsonFile(args.candidate), args.candidate);
  const comparison = compareSummaries(baseline, candidate, thresholds);
  io.out(args.json ? `${JSON.stringify(comparison, null, 2)}\n` : renderComparison(comparison));
  return comparison.regressions.length > 0 ? EXIT_REGRESSION : EXIT_OK;
}
