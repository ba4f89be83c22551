import { existsSync } from "node:fs";
import { InputError } from "../common/inputError.js";
import { fromSam } from "../tooling/fromSam.js";
import { starterScenario } from "../tooling/init.js";
import { scenarioJsonSchema } from "../tooling/jsonSchema.js";
import { EXIT_OK, readTextFile, type CliIo } from "./io.js";
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
