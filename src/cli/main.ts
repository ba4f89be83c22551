import { readFileSync, writeSync } from "node:fs";
import type { Options, PositionalOptions } from "yargs";
import type { RunArgs } from "./runCommand.js";
import type { CompareArgs, MergeArgs, SweepArgs } from "./sweepCommands.js";
import type { CalibrateArgs } from "./calibrateCommand.js";
import {
  EXIT_BAD_INPUT,
  EXIT_INTERNAL,
  EXIT_OK,
  EXIT_REGRESSION,
  environmentProblem,
  internalErrorText,
  packageVersion,
  standardOutputProblem,
  standardWriter,
  UsageError,
  periodOption,
  wholeNumber,
  type CliIo,
} from "./io.js";
import { closest } from "../common/editDistance.js";
import { InputError } from "../common/inputError.js";

export { EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_REGRESSION, internalErrorText, type CliIo };

/**
 * A reader that stops early (| head) closes the pipe: not an error of ours, so the exit status is
 * what it would have been. Any other failure to write is the environment's: one line, exit 2.
 */
function standardOutputFailed(error: unknown): never {
  if ((error as NodeJS.ErrnoException).code === "EPIPE") process.exit(process.exitCode ?? EXIT_OK);
  try {
    writeSync(2, `error: ${standardOutputProblem(error)}\n`);
  } catch {
    // Standard error is gone too: the exit status is all that is left to say it.
  }
  process.exit(EXIT_BAD_INPUT);
}

/** Like standardOutputFailed, with nowhere left to say what went wrong. */
function standardErrorFailed(error: unknown): never {
  process.exit((error as NodeJS.ErrnoException).code === "EPIPE" ? (process.exitCode ?? EXIT_OK) : EXIT_BAD_INPUT);
}

const processIo: CliIo = {
  out: standardWriter(1, () => process.stdout, standardOutputFailed),
  err: standardWriter(2, () => process.stderr, standardErrorFailed),
  // Asked only by a command that would draw one: process.stderr costs what standardWriter saves.
  get progress() {
    return process.stderr.isTTY === true;
  },
};

const ALLOW_LARGE =
  "run even beyond the limits on size: 2e9 simulated arrivals, 100,000 sweep variants, 1,000,000 stream lanes, 1e7 time-series rows";

/** Every command's options: yargs is built from them, and the scan of the command line checks against them. */
const OPTIONS = {
  run: {
    seed: { type: "string", describe: "override the scenario's seed (a whole number >= 0)" },
    out: { type: "string", describe: "output folder (default reports/<name>/)" },
    replications: {
      type: "string",
      describe: "rerun with seeds seed, seed+1, ... and add every figure's mean and 95 % interval to summary.json (default 1)",
    },
    period: {
      type: "string",
      describe: "seconds per timeseries.csv row and report.html point: 1s, 10s, 30s or 60s (default 60s)",
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
      describe:
        "a latency limit such as 300ms: choose only among variants whose slowest function's p99 is within it (the cheapest by default)",
    },
    objective: {
      type: "string",
      describe: "cost, speed or balanced: how to choose a variant, as AWS Lambda Power Tuning's strategies (default cost with --p99-limit)",
    },
    "balanced-weight": {
      type: "string",
      describe: "0-1, with --objective balanced: minimise W x cost / max cost + (1 - W) x p99 / max p99 (default 0.5)",
    },
    out: { type: "string", describe: "output folder (default reports/<name>-sweep/)" },
    quiet: { type: "boolean", default: false, describe: "print nothing but errors" },
    "allow-large": { type: "boolean", default: false, describe: ALLOW_LARGE },
    plan: {
      type: "boolean",
      default: false,
      describe: "print the number of variants and the estimated time per shard count (timed on this machine), and run nothing",
    },
    json: { type: "boolean", default: false, describe: "with --plan: print the plan as JSON" },
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
  "from-power-tuning": {
    function: { type: "string", describe: "write a functions[] entry of this name rather than the bare durationByMemory block" },
    out: { type: "string", describe: "write the YAML here instead of to stdout (never overwrites)" },
  },
  calibrate: {
    function: {
      type: "string",
      describe: "the function's name (default: the log group /aws/lambda/NAME in the data, else the input file's name up to its first dot)",
    },
    out: {
      type: "string",
      describe:
        "the replay scenario to write (default calibrated.yaml; never overwrites); <base>.rate.yaml and <base>.<function>.trace.csv go beside it",
    },
    report: {
      type: "string",
      describe: "folder for calibration.json, calibration.md and calibration.html (default reports/<base>-calibration/)",
    },
    check: {
      type: "boolean",
      default: false,
      describe:
        "simulate the calibrated scenario over the logs' window and compare it with the logs; exit 1 when a figure is outside its tolerance",
    },
    scenario: {
      type: "string",
      describe: "with --check: simulate this scenario instead of the calibrated one (its functions matched by name)",
    },
    step: { type: "string", describe: "width of a step of the rate profile in <base>.rate.yaml, a time such as 10m (default 10m)" },
    quiet: { type: "boolean", default: false, describe: "print nothing but errors, warnings and failed checks" },
  },
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

type Args = Record<string, unknown>;

interface CommandDefinition {
  /** The command and its positionals as yargs reads them: `<x>` required, `[x]` optional, `<x..>` one or more. */
  usage: string;
  describe: string;
  positionals: Record<string, PositionalOptions>;
  run: (args: Args, io: CliIo) => Promise<number>;
}

/*
 * What each command is and does, in the order `--help` lists them. Each `run` imports its module
 * when the command runs, so start-up costs what that command needs, not what every command needs
 * (bench/RESULTS.md). A new command is an OPTIONS entry and an entry here whose `run` does
 * `(await import("./itsModule.js")).itsCommand(args as ItsArgs, io)`: a static import in this file
 * would load that module for every command again.
 */
const DEFINITIONS: Record<Command, CommandDefinition> = {
  run: {
    usage: "run [scenario]",
    describe:
      "simulate a scenario (the built-in demo when no file is given) and write summary.json, timeseries.csv, report.md and report.html",
    positionals: { scenario: { type: "string", describe: "scenario file (YAML or JSON)" } },
    run: async (args, io) => {
      const seed = args.seed === undefined ? undefined : wholeNumber("--seed", args.seed, 0);
      const replications = args.replications === undefined ? 1 : wholeNumber("--replications", args.replications, 1, 1000);
      const period = args.period === undefined ? 60 : periodOption(args.period);
      return (await import("./runCommand.js")).runCommand({ ...args, seed, replications, period } as unknown as RunArgs, io);
    },
  },
  sweep: {
    usage: "sweep <scenario>",
    describe:
      "run every combination of the varied values (common random numbers) and write sweep.json, sweep.csv, sweep.md and report.html",
    positionals: {
      scenario: { type: "string", demandOption: true, describe: "scenario file (YAML or JSON), optionally with a sweep: block" },
    },
    run: async (args, io) => (await import("./sweepCommands.js")).sweepCommand(args as unknown as SweepArgs, io),
  },
  merge: {
    usage: "merge <shards..>",
    describe: "combine the shard files of a sweep (lambdasim sweep --shard i/n) into the outputs of the whole sweep",
    positionals: { shards: { type: "string", array: true, demandOption: true, describe: "every shard file of the sweep" } },
    run: async (args, io) => (await import("./sweepCommands.js")).mergeCommand(args as unknown as MergeArgs, io),
  },
  compare: {
    usage: "compare <baseline> <candidate>",
    describe: "compare two summary.json files function by function; exit 1 when a metric regresses beyond its threshold",
    positionals: {
      baseline: { type: "string", demandOption: true, describe: "summary.json of the baseline" },
      candidate: { type: "string", demandOption: true, describe: "summary.json of the candidate" },
    },
    run: async (args, io) => (await import("./sweepCommands.js")).compareCommand(args as unknown as CompareArgs, io),
  },
  validate: {
    usage: "validate <scenario>",
    describe: "check a scenario file; exit 0 when valid, 2 with one line per problem",
    positionals: { scenario: { type: "string", demandOption: true, describe: "scenario file" } },
    run: async (args, io) => (await import("./validateCommand.js")).validateCommand(args as { scenario: string }, io),
  },
  schema: {
    usage: "schema",
    describe: "print the JSON Schema of the scenario format (for editors: autocompletion and checks)",
    positionals: {},
    run: async (_args, io) => {
      const schema = prebuiltTexts()?.schema;
      if (schema === undefined) return (await import("./toolingCommands.js")).schemaCommand(io);
      io.out(schema);
      return EXIT_OK;
    },
  },
  init: {
    usage: "init [file]",
    describe: "write a commented starter scenario (default scenario.yaml; never overwrites)",
    positionals: { file: { type: "string", default: "scenario.yaml", describe: "where to write it" } },
    run: async (args, io) => (await import("./toolingCommands.js")).initCommand(args as { file: string }, io),
  },
  "from-sam": {
    usage: "from-sam <template>",
    describe: "turn an AWS SAM / CloudFormation template into a scenario skeleton with traffic placeholders",
    positionals: { template: { type: "string", demandOption: true, describe: "template.yaml or template.json" } },
    run: async (args, io) => (await import("./toolingCommands.js")).fromSamCommand(args as { template: string; out?: string }, io),
  },
  "from-power-tuning": {
    usage: "from-power-tuning <results>",
    describe: "turn the output of an AWS Lambda Power Tuning execution (its per-memory statistics) into a function's durationByMemory",
    positionals: {
      results: { type: "string", demandOption: true, describe: "the execution's output JSON (run with includeOutputResults: true)" },
    },
    run: async (args, io) =>
      (await import("./toolingCommands.js")).fromPowerTuningCommand(args as { results: string; function?: string; out?: string }, io),
  },
  calibrate: {
    usage: "calibrate <inputs..>",
    describe:
      "turn CloudWatch logs and metrics of your functions into a scenario (trace replay and rate profile), with a calibration report; --check compares the model with the logs",
    positionals: {
      inputs: {
        type: "string",
        array: true,
        demandOption: true,
        describe:
          "log exports (text or JSON log format lines, filter-log-events JSON, Logs Insights CSV) and get-metric-data JSON; gzip accepted",
      },
    },
    run: async (args, io) => (await import("./calibrateCommand.js")).calibrateCommand(args as unknown as CalibrateArgs, io),
  },
};

/** What the command line asks for: a command with its arguments, or text (help, the version) to print. */
export type Parsed = { command: Command; args: Args } | { text: string };

/** Parses the command line (command first) with yargs, which also writes help and the version. */
export async function parseWithYargs(argv: readonly string[]): Promise<Parsed> {
  let parsed: Parsed | undefined;
  let text = "";
  const { default: yargs } = await import("yargs");
  const parser = yargs([...argv])
    .scriptName("lambdasim")
    .usage("$0 <command> [options]")
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
  for (const [command, definition] of Object.entries(DEFINITIONS) as [Command, CommandDefinition][]) {
    parser.command(
      definition.usage,
      definition.describe,
      (y) => {
        for (const [name, positional] of Object.entries(definition.positionals)) y.positional(name, positional);
        return y.options(OPTIONS[command]);
      },
      (args) => {
        parsed = { command, args };
      },
    );
  }
  await parser.parseAsync(argv, {}, (error, _argv, output) => {
    if (output && !error) text = `${output}\n`;
  });
  return parsed ?? { text };
}

const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Parses the plain command lines (command first) without yargs, which takes longer to load than
 * most commands take to run: `--name value` and boolean `--flag`, each option once, and the
 * positionals the command's usage allows. Anything else (`--name=value`, `--no-flag`, camel case,
 * arrays, repeats, a value starting with `-`, a wrong number of positionals) is undefined: yargs
 * parses it, and reports what is wrong. test/cli/quickParse.test.ts holds both to the same args.
 */
export function quickParse(argv: readonly string[]): Parsed | undefined {
  const [first = "", ...rest] = argv;
  if (!Object.hasOwn(DEFINITIONS, first)) {
    const texts = prebuiltTexts();
    if (texts !== undefined && argv.length === 1 && (first === "--help" || first === "-h")) return { text: texts.help[""] };
    if (argv.length === 1 && first === "--version") return { text: `${packageVersion()}\n` };
    return undefined;
  }
  const command = first as Command;
  const definition = DEFINITIONS[command];
  if (rest.length === 1 && (rest[0] === "--help" || rest[0] === "-h")) {
    const text = prebuiltTexts()?.help[command];
    return text === undefined ? undefined : { text };
  }
  const options: Record<string, Options> = { ...OPTIONS[command], ...GLOBAL_OPTIONS };
  const args: Args = {};
  for (const [name, option] of Object.entries(options)) if (option.default !== undefined) args[camelCase(name)] = option.default;
  const positionals: string[] = [];
  const seen = new Set<string>();
  for (let at = 0; at < rest.length; at++) {
    const arg = rest[at];
    if (!arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const option = arg.startsWith("--") && Object.hasOwn(options, name) ? options[name] : undefined;
    if (option === undefined || option.array || seen.has(name)) return undefined;
    seen.add(name);
    if (option.type === "boolean") {
      args[camelCase(name)] = true;
    } else {
      const value = rest[++at];
      if (value === undefined || value.startsWith("-")) return undefined;
      args[camelCase(name)] = value;
    }
  }
  const specs = Object.entries(definition.positionals);
  const required = specs.filter(([, spec]) => spec.demandOption).length;
  const variadic = specs.some(([, spec]) => spec.array);
  if (positionals.length < required || (!variadic && positionals.length > specs.length)) return undefined;
  specs.forEach(([name, spec], i) => {
    const value = spec.array ? positionals.slice(i) : (positionals[i] ?? spec.default);
    if (value !== undefined) args[name] = value;
  });
  return { command, args };
}

/** Help texts and the JSON Schema, written beside the bundled CLI when it is built (scripts/bundle-cli.ts). */
export interface PrebuiltTexts {
  /** `--help` under "", each command's under its name. */
  help: Record<string, string>;
  schema: string;
}

let prebuilt: PrebuiltTexts | null | undefined;

/** The bundled CLI's prebuilt texts; undefined when running from the sources or tsc's output, which ask yargs. */
function prebuiltTexts(): PrebuiltTexts | undefined {
  if (prebuilt === undefined) {
    try {
      prebuilt = JSON.parse(readFileSync(new URL("./texts.json", import.meta.url), "utf8")) as PrebuiltTexts;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      prebuilt = null;
    }
  }
  return prebuilt ?? undefined;
}

/** The texts that the bundled CLI prints without loading yargs or the scenario schema, as yargs and `schema` print them. */
export async function buildPrebuiltTexts(): Promise<PrebuiltTexts> {
  const helpOf = async (argv: string[]) => {
    const parsed = await parseWithYargs(argv);
    if (!("text" in parsed)) throw new Error(`${argv.join(" ")} printed no help`);
    return parsed.text;
  };
  const help: Record<string, string> = { "": await helpOf(["--help"]) };
  for (const command of COMMANDS) help[command] = await helpOf([command, "--help"]);
  let schema = "";
  await (await import("./toolingCommands.js")).schemaCommand({ out: (text) => (schema += text), err: () => {}, progress: false });
  return { help, schema };
}

/** Whether an internal error should print its stack: `--debug` anywhere, or LAMBDASIM_DEBUG=1. */
export function wantsDebug(argv: readonly string[]): boolean {
  return scanCommandLine(argv).options.includes("--debug") || process.env.LAMBDASIM_DEBUG === "1";
}

/** Parses the command line (command first) and does what it asks. */
async function perform(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = quickParse(argv) ?? (await parseWithYargs(argv));
  if ("command" in parsed) return DEFINITIONS[parsed.command].run(parsed.args, io);
  io.out(parsed.text);
  return EXIT_OK;
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const line = scanCommandLine(argv);
  const debug = wantsDebug(argv);
  try {
    const [first, second] = line.positionals;
    if (first?.text === "help") return await perform(second === undefined ? ["--help"] : [knownCommand(second.text), "--help"], io);
    // An unknown option before the command would hide it (is `3` in `--sed 3 run` a value?), so check options first.
    checkOptions(line.options, undefined);
    const command = first === undefined ? undefined : knownCommand(first.text);
    checkOptions(line.options, command);
    // The command first, so that yargs reads options written before it with that command's definitions.
    return await perform(first === undefined ? argv : [first.text, ...argv.slice(0, first.at), ...argv.slice(first.at + 1)], io);
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
