import { join } from "node:path";
import yargs from "yargs";
import { DEMO_SCENARIO } from "./demo.js";
import { writeReportFiles } from "./output.js";
import { ScenarioError } from "../scenario/errors.js";
import { loadScenarioFile, resolveScenario } from "../scenario/load.js";
import { simulate } from "../simulate.js";
import { renderMarkdown } from "../report/markdown.js";
import { buildSummary } from "../report/summary.js";
import { TIMESERIES_HEADER, timeSeriesRows } from "../report/timeseries.js";
import type { Scenario } from "../model/types.js";

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
export const EXIT_BAD_INPUT = 2;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether to draw a progress bar (stderr is a terminal). */
  progress: boolean;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  progress: Boolean(process.stderr.isTTY),
};

class UsageError extends Error {}

const COMMANDS = ["run", "validate"];

/** Functions listed on stdout after a run, busiest first; report.md has them all. */
const SHOWN_FUNCTIONS = 10;

function loadScenario(file: string | undefined, seed: number | undefined): Scenario {
  if (file === undefined) return resolveScenario(DEMO_SCENARIO, { seed });
  return loadScenarioFile(file, { seed });
}

function progressBar(io: CliIo): ((fraction: number) => void) | undefined {
  if (!io.progress) return undefined;
  let last = -1;
  return (fraction) => {
    const percent = Math.floor(fraction * 100);
    if (percent === last) return;
    last = percent;
    const filled = Math.round(fraction * 30);
    io.err(`\r[${"#".repeat(filled)}${".".repeat(30 - filled)}] ${String(percent).padStart(3)} %`);
    if (percent === 100) io.err("\r\x1b[K");
  };
}

async function runCommand(args: { scenario?: string; seed?: number; out?: string; quiet?: boolean }, io: CliIo): Promise<number> {
  const scenario = loadScenario(args.scenario, args.seed);
  const result = simulate(scenario, { onProgress: args.quiet ? undefined : progressBar(io) });
  const summary = buildSummary(result);
  const dir = args.out ?? join("reports", scenario.name);
  const files = await writeReportFiles(dir, [
    { name: "summary.json", content: `${JSON.stringify(summary, null, 2)}\n` },
    { name: "timeseries.csv", content: { header: TIMESERIES_HEADER, rows: timeSeriesRows(result) } },
    { name: "report.md", content: renderMarkdown(summary) },
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
      "simulate a scenario (the built-in demo when no file is given) and write summary.json, timeseries.csv and report.md",
      (y) =>
        y
          .positional("scenario", { type: "string", describe: "scenario file (YAML or JSON)" })
          .option("seed", { type: "string", describe: "override the scenario's seed (a whole number >= 0)" })
          .option("out", { type: "string", describe: "output folder (default reports/<name>/)" })
          .option("quiet", { type: "boolean", default: false, describe: "print nothing but errors" }),
      async (args) => {
        const seed = args.seed === undefined ? undefined : Number(args.seed);
        if (seed !== undefined && (!/^\d+$/.test(String(args.seed)) || !Number.isSafeInteger(seed))) {
          throw new UsageError(`--seed: expected a whole number >= 0, got ${String(args.seed)}`);
        }
        code = await runCommand({ ...args, seed }, io);
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
    .demandCommand(1, "name a command: run or validate")
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
    if (error instanceof ScenarioError) {
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
