import { existsSync } from "node:fs";
import { InputError } from "../common/inputError.js";
import { fromPowerTuning } from "../tooling/fromPowerTuning.js";
import { fromSam } from "../tooling/fromSam.js";
import { starterScenario } from "../tooling/init.js";
import { scenarioJsonSchema } from "../tooling/jsonSchema.js";
import { EXIT_OK, readJsonFile, readTextFile, UsageError, type CliIo } from "./io.js";
import { createFile } from "./output.js";

export function schemaCommand(io: CliIo): number {
  io.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return EXIT_OK;
}

/** Writes `content` to `file` atomically, refusing to replace a file the user already has. */
async function writeNewFile(file: string, content: string): Promise<void> {
  if (existsSync(file)) throw new InputError([{ path: file, message: "already exists; choose another name or remove it first" }]);
  await createFile(file, content);
}

export async function initCommand(args: { file: string }, io: CliIo): Promise<number> {
  await writeNewFile(args.file, starterScenario());
  io.out(`wrote ${args.file}; try: lambdasim run ${args.file}\n`);
  return EXIT_OK;
}

export async function fromSamCommand(args: { template: string; out?: string }, io: CliIo): Promise<number> {
  const { yaml, warnings } = fromSam(readTextFile(args.template), args.template);
  for (const warning of warnings) io.err(`warning: ${warning}\n`);
  if (args.out === undefined) {
    io.out(yaml);
  } else {
    await writeNewFile(args.out, yaml);
    io.out(
      `wrote ${args.out} (${warnings.length} warning${warnings.length === 1 ? "" : "s"}); set the placeholders, then: lambdasim run ${args.out}\n`,
    );
  }
  return EXIT_OK;
}

export async function fromPowerTuningCommand(args: { results: string; function?: string; out?: string }, io: CliIo): Promise<number> {
  // The name lands in YAML: only what a scenario accepts as a function name may pass.
  if (args.function !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(args.function)) {
    throw new UsageError(`--function: must be 1-64 letters, digits, hyphens or underscores, got ${JSON.stringify(args.function)}`);
  }
  const { yaml, warnings } = fromPowerTuning(readJsonFile(args.results), args.results, args.function);
  for (const warning of warnings) io.err(`warning: ${warning}\n`);
  if (args.out === undefined) {
    io.out(yaml);
  } else {
    await writeNewFile(args.out, yaml);
    io.out(`wrote ${args.out}\n`);
  }
  return EXIT_OK;
}
