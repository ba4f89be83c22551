import { EXIT_OK, type CliIo } from "./io.js";
import { loadScenarioFile } from "../scenario/read.js";
import type { Scenario } from "../scenario/types.js";

/*
 * validate, apart from runCommand.ts so that checking a file loads neither the simulator's run
 * nor the report writers (bench/RESULTS.md, "Start-up").
 */

/** A valid scenario's warnings go to stderr (run: unless --quiet): each names a guess the results rest on. */
export function printWarnings(scenario: Scenario, io: CliIo): void {
  for (const warning of scenario.warnings) io.err(`warning: ${warning.path}: ${warning.message}\n`);
}

export function validateCommand(args: { scenario: string }, io: CliIo): number {
  const scenario = loadScenarioFile(args.scenario);
  printWarnings(scenario, io);
  io.out(`${args.scenario}: valid (${scenario.functions.length} function${scenario.functions.length === 1 ? "" : "s"})\n`);
  return EXIT_OK;
}
