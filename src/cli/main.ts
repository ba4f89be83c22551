import yargs, { type Options } from "yargs";
import { DEMO_SCENARIO } from "./demo.js";
import {
  EXIT_BAD_INPUT,
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_REGRESSION,
  environmentProblem,
  internalErrorText,
  packageVersion,
  standardOutputProblem,
  progressBar,
  UsageError,
  wholeNumber,
  type CliIo,
} from "./io.js";
import { checkOutputFolder, defaultReportFolder, writeReportFiles } from "./output.js";
import { compareCommand, mergeCommand, sweepCommand } from "./sweepCommands.js";
import { fromSamCommand, initCommand, schemaCommand } from "./toolingCommands.js";
import { closest } from "../common/editDistance.js";
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

export { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_REGRESSION, internalErrorText, standardOutputProblem, type CliIo };

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  progress: Boolean(process.stderr.isTTY),
};

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
  const dir = checkOutputFolder(args.out, () => defaultReportFolder(scenario.name, args.scenario));
  if (!args.quiet) printWarnings(scenario, io);
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
  const files = await writeReportFiles(dir, [
    { name: "summary.json", content: `${JSON.stringify(summary, null, 2)}\n` },
    { name: "timeseries.csv", content: { header: TIMESERIES_HEADER, rows: timeSeriesRows(result) } },
    { name: "report.md", content: renderMarkdown(summary) },
    { name: "report.html", content: renderHtmlReport(result) },
  ]);
  if (!args.quiet) {
    // --quiet prints errors only; the warnings stay in summary.json and report.md.
    // The scenario's own warnings were printed before the run, as they were found.
    for (const warning of (summary.warnings ?? []).slice(scenario.warnings.length))
      io.err(`warning: ${warning.code}: ${warning.message}\n`);
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

/** A valid scenario's warnings go to stderr (run: unless --quiet): each names a guess the results rest on. */
function printWarnings(scenario: Scenario, io: CliIo): void {
  for (const warning of scenario.warnings) io.err(`warning: ${warning.path}: ${warning.message}\n`);
}

function validateCommand(args: { scenario: string }, io: CliIo): number {
  const scenario = loadScenarioFile(args.scenario);
  printWarnings(scenario, io);
  io.out(`${args.scenario}: valid (${scenario.functions.length} function${scenario.functions.length === 1 ? "" : "s"})\n`);
  return EXIT_OK;
}

/** Every command's options: yargs is built from them, and the scan of the command line checks against them. */
const OPTIONS = {
  run: {
    seed: { type: "string", describe: "override the scenario's seed (a whole number >= 0)" },
    out: { type: "string", describe: "output folder (default reports/<name>/)" },
    replications: {
      type: "string",
      describe: "rerun with seeds seed, seed+1, ... and add every figure's mean and 95 % interval to summary.json (default 1)",
    },
    quiet: { type: "boolean", default: false, describe: "print nothing but errors" },
    "allow-large": { type: "boolean", default: false, describe: ALLOW_LARGE },
  },
  validate: {},
  sweep: {
    vary: {
      type: "string",
      array: true,
      describe: "<path>=<v1>,<v2>,... e.g. functions.api.memoryMb=128,256,512 (repeatable; replaces the file's sweep.vary)",
    },
    replications: { type: "string", describe: "runs per variant with seeds seed, seed+1, ... (means and 95 % intervals)" },
    workers: { type: "string", describe: "worker threads (default: the number of cores)" },
    shard: { type: "string", describe: "i/n: run only slice i of n of the variants and write a shard file for lambdasim merge" },
    seed: { type: "string", describe: "override the scenario's seed" },
    "p99-limit": {
      type: "string",
      describe: "a latency objective such as 300ms: name the cheapest variant whose slowest function's p99 is within it",
    },
    out: { type: "string", describe: "output folder (default reports/<name>-sweep/)" },
    quiet: { type: "boolean", default: false, describe: "print nothing but errors" },
    "allow-large": { type: "boolean", default: false, describe: ALLOW_LARGE },
  },
  merge: {
    out: { type: "string", describe: "output folder (default reports/<name>-sweep/)" },
    quiet: { type: "boolean", default: false, describe: "print nothing but errors" },
  },
  compare: {
    "max-regression": {
      type: "string",
      array: true,
      describe: "<metric>=<limit>[%], metric one of p50 p90 p99 p999 duration cost coldStarts throttles errors (repeatable)",
    },
    json: { type: "boolean", default: false, describe: "print the comparison as JSON" },
  },
  schema: {},
  init: {},
  "from-sam": { out: { type: "string", describe: "write the scenario here instead of to stdout (never overwrites)" } },
} satisfies Record<string, Record<string, Options>>;

type Command = keyof typeof OPTIONS;
const COMMANDS = Object.keys(OPTIONS) as Command[];

/** Options of every command, wherever they appear; yargs adds help (-h) and version itself. */
const GLOBAL_OPTIONS = {
  debug: { type: "boolean", describe: "on an internal error print the stack too (or set LAMBDASIM_DEBUG=1)" },
} satisfies Record<string, Options>;
const BUILT_IN_FLAGS = ["help", "h", "version"];

const commandOptions = (command: Command | undefined): Record<string, Options> =>
  command === undefined ? Object.assign({}, ...Object.values(OPTIONS), GLOBAL_OPTIONS) : { ...OPTIONS[command], ...GLOBAL_OPTIONS };

/** `--p99Limit=3` -> `p99-limit`: yargs accepts the camel-case spelling of every option, and a value after `=`. */
const optionName = (arg: string): string =>
  arg
    .replace(/^--?/, "")
    .replace(/=.*$/s, "")
    .replace(/(?<=[a-z0-9])[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Whether an option consumes the next argument as its value, in any command (none differs between commands). */
const takesValue = (name: string): boolean => {
  const option = commandOptions(undefined)[name];
  return option !== undefined && option.type !== "boolean";
};

interface CommandLine {
  /** Arguments that are not options or their values, with where they stand in argv. */
  positionals: { text: string; at: number }[];
  /** Options as written, e.g. `--seed=3` or `-h`. */
  options: string[];
}

/** Separates options (and their values) from positionals, so that options may come before the command. */
function scanCommandLine(argv: readonly string[]): CommandLine {
  const line: CommandLine = { positionals: [], options: [] };
  for (let at = 0; at < argv.length; at++) {
    const arg = argv[at];
    if (arg === "--") {
      line.positionals.push(...argv.slice(at + 1).map((text, i) => ({ text, at: at + 1 + i })));
      break;
    }
    if (arg.length > 1 && arg.startsWith("-")) {
      line.options.push(arg);
      if (!arg.includes("=") && takesValue(optionName(arg))) at++;
    } else {
      line.positionals.push({ text: arg, at });
    }
  }
  return line;
}

/** A suggestion only within about half the name's length: "-V" is no typo of "--out". */
const guess = (name: string, candidates: readonly string[]): string | undefined =>
  closest(name, candidates, Math.min(3, Math.ceil(name.length / 2)));

function knownCommand(name: string): Command {
  if ((COMMANDS as string[]).includes(name)) return name as Command;
  const meant = guess(name, [...COMMANDS, "help"]);
  const hint = meant === undefined ? "" : ` (did you mean ${JSON.stringify(meant)}?)`;
  throw new UsageError(`unknown command ${JSON.stringify(name)}${hint}; commands: ${COMMANDS.join(", ")}`);
}

function checkOptions(options: readonly string[], command: Command | undefined): void {
  const known = commandOptions(command);
  const names = [...Object.keys(known), ...BUILT_IN_FLAGS];
  const longNames = names.filter((name) => name.length > 1);
  for (const option of options) {
    const name = optionName(option);
    const negated = name.startsWith("no-") && known[name.slice(3)]?.type === "boolean";
    if (names.includes(name) || negated) continue;
    const meant = guess(name, longNames);
    throw new UsageError(`unknown option ${option.replace(/=.*$/s, "")}${meant === undefined ? "" : ` (did you mean --${meant}?)`}`);
  }
}

const EPILOGUE =
  "Options may come before or after the command. Exit codes: 0 success, 1 a regression (compare), " +
  "2 bad input or environment (one line per problem), 3 an internal error (a bug; --debug prints its stack).";

async function parse(argv: readonly string[], io: CliIo): Promise<number> {
  let code = EXIT_OK;
  const parser = yargs([...argv])
    .scriptName("lambdasim")
    .usage("$0 <command> [options]")
    .command(
      "run [scenario]",
      "simulate a scenario (the built-in demo when no file is given) and write summary.json, timeseries.csv, report.md and report.html",
      (y) => y.positional("scenario", { type: "string", describe: "scenario file (YAML or JSON)" }).options(OPTIONS.run),
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
          .options(OPTIONS.sweep),
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
          .options(OPTIONS.merge),
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
          .options(OPTIONS.compare),
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
          .options(OPTIONS["from-sam"]),
      async (args) => {
        code = await fromSamCommand(args as { template: string; out?: string }, io);
      },
    )
    .options(GLOBAL_OPTIONS)
    .demandCommand(1, `name a command: ${COMMANDS.join(", ")}`)
    .strict()
    // Repeat an array option (--vary a=1 --vary b=2) rather than let it swallow the positionals after it.
    .parserConfiguration({ "greedy-arrays": false })
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    })
    .help("help", "print usage; lambdasim help <command> prints a command's")
    .alias("help", "h")
    .version("version", "print the version of lambdasim", packageVersion())
    .group([...Object.keys(GLOBAL_OPTIONS), "help", "version"], "Options of every command:")
    .epilogue(EPILOGUE)
    .wrap(null);
  await parser.parseAsync(argv, {}, (error, _argv, output) => {
    if (output && !error) io.out(`${output}\n`);
  });
  return code;
}

/** Whether an internal error should print its stack: `--debug` anywhere, or LAMBDASIM_DEBUG=1. */
export function wantsDebug(argv: readonly string[]): boolean {
  return scanCommandLine(argv).options.includes("--debug") || process.env.LAMBDASIM_DEBUG === "1";
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const line = scanCommandLine(argv);
  const debug = wantsDebug(argv);
  try {
    const [first, second] = line.positionals;
    if (first?.text === "help") return await parse(second === undefined ? ["--help"] : [knownCommand(second.text), "--help"], io);
    // An unknown option before the command would hide it (is `3` in `--sed 3 run` a value?), so check options first.
    checkOptions(line.options, undefined);
    const command = first === undefined ? undefined : knownCommand(first.text);
    checkOptions(line.options, command);
    // The command first, so that yargs reads options written before it with that command's definitions.
    return await parse(first === undefined ? argv : [first.text, ...argv.slice(0, first.at), ...argv.slice(first.at + 1)], io);
  } catch (error) {
    if (error instanceof InputError) {
      for (const problem of error.message.split("\n")) io.err(`error: ${problem}\n`);
      return EXIT_BAD_INPUT;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nrun "lambdasim --help" for usage\n`);
      return EXIT_BAD_INPUT;
    }
    const problem = environmentProblem(error);
    if (problem !== undefined) {
      io.err(`error: ${problem}\n`);
      return EXIT_BAD_INPUT;
    }
    io.err(internalErrorText(error, debug));
    return EXIT_INTERNAL;
  }
}
