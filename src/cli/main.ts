import { join } from "node:path";
import yargs from "yargs";
import { DEMO_SCENARIO } from "./demo.js";
import { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, progressBar, UsageError, wholeNumber, type CliIo } from "./io.js";
import { writeReportFiles } from "./output.js";
import { compareCommand, mergeCommand, sweepCommand } from "./sweepCommands.js";
import { fromSamCommand, initCommand, schemaCommand } from "./toolingCommands.js";
import { InputError } from "../common/inputError.js";
import { type LoadOptions, resolveScenario } from "../scenario/compile.js";
import { loadScenarioFile } from "../scenario/read.js";
import { simulate } from "../simulate.js";
import { replicationFigures } from "../report/figures.js";
import { renderHtmlReport } from "../report/html.js";
import { renderMarkdown } from "../report/markdown.js";
import { buildSummary } from "../report/summary.js";
import { TIMESERIES_HEADER, timeSeriesRows } from "../report/timeseries.js";
import { replicationSeeds } from "../sweep/plan.js";
import type { Scenario } from "../scenario/types.js";

export { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, type CliIo };

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  progress: Boolean(process.stderr.isTTY),
};

const COMMANDS = ["run", "validate", "sweep", "merge", "compare", "schema", "init", "from-sam"];

const ALLOW_LARGE = "run even beyond the limits on size: 2e9 simulated arrivals, 100,000 sweep variants, 1,000,000 stream lanes";

/** Functions listed on stdout after a run, busiest first; report.md has them all. */
const SHOWN_FUNCTIONS = 10;

function loadScenario(file: string | undefined, options: LoadOptions): Scenario {
  if (file === undefined) return resolveScenario(DEMO_SCENARIO, options);
  return loadScenarioFile(file, options);
}

async function runCommand(
  args: { scenario?: string; seed?: number; out?: string; quiet?: boolean; replications: number; allowLarge: boolean },
  io: CliIo,
): Promise<number> {
  const scenario = loadScenario(args.scenario, { seed: args.seed, allowLarge: args.allowLarge, runs: args.replications });
  // Checked before the first run: the seeds of every replication must be distinct.
  const seeds = replicationSeeds(scenario.seed, args.replications);
  const bar = args.quiet ? undefined : progressBar(io);
  const n = args.replications;
  const result = simulate(scenario, { onProgress: bar && ((fraction) => bar(fraction / n)) });
  let summary: ReturnType<typeof buildSummary> & { replications?: ReturnType<typeof replicationFigures> } = buildSummary(result);
  if (n > 1) {
    // Replications rerun the scenario with seeds seed+1, seed+2, ...: the files describe the first, summary.json adds every figure's mean and 95 % interval.
    const summaries = seeds.map((seed, r) =>
      r === 0
        ? summary
        : buildSummary(
            simulate(loadScenario(args.scenario, { seed, allowLarge: true }), {
              onProgress: bar && ((fraction) => bar((r + fraction) / n)),
            }),
          ),
    );
    summary = { ...summary, replications: replicationFigures(summaries, seeds) };
  }
  const dir = args.out ?? join("reports", scenario.name);
  const files = await writeReportFiles(dir, [
    { name: "summary.json", content: `${JSON.stringify(summary, null, 2)}\n` },
    { name: "timeseries.csv", content: { header: TIMESERIES_HEADER, rows: timeSeriesRows(result) } },
    { name: "report.md", content: renderMarkdown(summary) },
    { name: "report.html", content: renderHtmlReport(result) },
  ]);
  if (!args.quiet) {
    const t = summary.totals;
    io.out(
      `${scenario.name}: ${t.arrivals.toLocaleString("en-US")} arrivals, ${t.Invocations.toLocaleString("en-US")} invocations, ` +
        `${t.coldStarts.toLocaleString("en-US")} cold starts, ${t.Throttles.toLocaleString("en-US")} throttles, ` +
        `${t.Errors.toLocaleString("en-US")} errors, $${t.cost.totalUsd.toFixed(6)}\n`,
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

function validateCommand(args: { scenario: string }, io: CliIo): number {
  const scenario = loadScenarioFile(args.scenario);
  io.out(`${args.scenario}: valid (${scenario.functions.length} function${scenario.functions.length === 1 ? "" : "s"})\n`);
  return EXIT_OK;
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let code = EXIT_OK;
  const command = argv.find((arg) => !arg.startsWith("-"));
  if (command !== undefined && !COMMANDS.includes(command)) {
    io.err(`error: unknown command ${JSON.stringify(command)}; commands: ${COMMANDS.join(", ")}\nrun "lambdasim --help" for usage\n`);
    return EXIT_BAD_INPUT;
  }
  const parser = yargs([...argv])
    .scriptName("lambdasim")
    .usage("$0 <command> [options]")
    .command(
      "run [scenario]",
      "simulate a scenario (the built-in demo when no file is given) and write summary.json, timeseries.csv, report.md and report.html",
      (y) =>
        y
          .positional("scenario", { type: "string", describe: "scenario file (YAML or JSON)" })
          .option("seed", { type: "string", describe: "override the scenario's seed (a whole number >= 0)" })
          .option("out", { type: "string", describe: "output folder (default reports/<name>/)" })
          .option("replications", {
            type: "string",
            describe: "rerun with seeds seed, seed+1, ... and add every figure's mean and 95 % interval to summary.json (default 1)",
          })
          .option("quiet", { type: "boolean", default: false, describe: "print nothing but errors" })
          .option("allow-large", { type: "boolean", default: false, describe: ALLOW_LARGE }),
      async (args) => {
        const seed = args.seed === undefined ? undefined : wholeNumber("--seed", args.seed, 0);
        const replications = args.replications === undefined ? 1 : wholeNumber("--replications", args.replications, 1, 1000);
        code = await runCommand({ ...args, seed, replications }, io);
      },
    )
    .command(
      "sweep <scenario>",
      "run every combination of the varied values (common random numbers) and write sweep.json, sweep.csv, sweep.md and report.html",
      (y) =>
        y
          .positional("scenario", {
            type: "string",
            demandOption: true,
            describe: "scenario file (YAML or JSON), optionally with a sweep: block",
          })
          .option("vary", {
            type: "string",
            array: true,
            describe: "<path>=<v1>,<v2>,... e.g. functions.api.memoryMb=128,256,512 (repeatable; replaces the file's sweep.vary)",
          })
          .option("replications", { type: "string", describe: "runs per variant with seeds seed, seed+1, ... (means and 95 % intervals)" })
          .option("workers", { type: "string", describe: "worker threads (default: the number of cores)" })
          .option("shard", {
            type: "string",
            describe: "i/n: run only slice i of n of the variants and write a shard file for lambdasim merge",
          })
          .option("seed", { type: "string", describe: "override the scenario's seed" })
          .option("p99-limit", {
            type: "string",
            describe: "a latency objective such as 300ms: name the cheapest variant whose slowest function's p99 is within it",
          })
          .option("out", { type: "string", describe: "output folder (default reports/<name>-sweep/)" })
          .option("quiet", { type: "boolean", default: false, describe: "print nothing but errors" })
          .option("allow-large", { type: "boolean", default: false, describe: ALLOW_LARGE }),
      async (args) => {
        code = await sweepCommand(args as Parameters<typeof sweepCommand>[0], io);
      },
    )
    .command(
      "merge <shards..>",
      "combine the shard files of a sweep (lambdasim sweep --shard i/n) into the outputs of the whole sweep",
      (y) =>
        y
          .positional("shards", { type: "string", array: true, demandOption: true, describe: "every shard file of the sweep" })
          .option("out", { type: "string", describe: "output folder (default reports/<name>-sweep/)" })
          .option("quiet", { type: "boolean", default: false, describe: "print nothing but errors" }),
      async (args) => {
        code = await mergeCommand(args as Parameters<typeof mergeCommand>[0], io);
      },
    )
    .command(
      "compare <baseline> <candidate>",
      "compare two summary.json files function by function; exit 1 when a metric regresses beyond its threshold",
      (y) =>
        y
          .positional("baseline", { type: "string", demandOption: true, describe: "summary.json of the baseline" })
          .positional("candidate", { type: "string", demandOption: true, describe: "summary.json of the candidate" })
          .option("max-regression", {
            type: "string",
            array: true,
            describe: "<metric>=<limit>[%], metric one of p50 p90 p99 p999 duration cost coldStarts throttles errors (repeatable)",
          })
          .option("json", { type: "boolean", default: false, describe: "print the comparison as JSON" }),
      (args) => {
        code = compareCommand(args as Parameters<typeof compareCommand>[0], io);
      },
    )
    .command(
      "validate <scenario>",
      "check a scenario file; exit 0 when valid, 2 with one line per problem",
      (y) => y.positional("scenario", { type: "string", demandOption: true, describe: "scenario file" }),
      (args) => {
        code = validateCommand(args as { scenario: string }, io);
      },
    )
    .command(
      "schema",
      "print the JSON Schema of the scenario format (for editors: autocompletion and checks)",
      (y) => y,
      () => {
        code = schemaCommand(io);
      },
    )
    .command(
      "init [file]",
      "write a commented starter scenario (default scenario.yaml; never overwrites)",
      (y) => y.positional("file", { type: "string", default: "scenario.yaml", describe: "where to write it" }),
      async (args) => {
        code = await initCommand(args as { file: string }, io);
      },
    )
    .command(
      "from-sam <template>",
      "turn an AWS SAM / CloudFormation template into a scenario skeleton with traffic placeholders",
      (y) =>
        y
          .positional("template", { type: "string", demandOption: true, describe: "template.yaml or template.json" })
          .option("out", { type: "string", describe: "write the scenario here instead of to stdout (never overwrites)" }),
      async (args) => {
        code = await fromSamCommand(args as { template: string; out?: string }, io);
      },
    )
    .demandCommand(1, `name a command: ${COMMANDS.join(", ")}`)
    .strict()
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    })
    .help()
    .version(false)
    .wrap(null);
  try {
    await parser.parseAsync(argv, {}, (error, _argv, output) => {
      if (output && !error) io.out(`${output}\n`);
    });
    return code;
  } catch (error) {
    if (error instanceof InputError) {
      for (const line of error.message.split("\n")) io.err(`error: ${line}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nrun "lambdasim --help" for usage\n`);
      return EXIT_BAD_INPUT;
    }
    io.err(`internal error (please report): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INTERNAL;
  }
}
