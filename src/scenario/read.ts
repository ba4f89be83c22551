import { basename, dirname, extname, resolve } from "node:path";
import { whyUnreadable } from "../common/fileErrors.js";
import { InputError } from "../common/inputError.js";
import { readRegularTextFile } from "../common/regularFile.js";
import { parseYamlInput } from "../common/yamlInput.js";
import { resolveScenario, type LoadOptions } from "./compile.js";
import type { Scenario } from "./types.js";

/* Reading scenario files: YAML or JSON, with line and column in every syntax error. */

/** Reads, parses and validates a scenario file; throws InputError on any problem. */
export function loadScenarioFile(path: string, options: Omit<LoadOptions, "baseDir" | "defaultName"> = {}): Scenario {
  return resolveScenario(readScenarioDocument(path), { ...options, ...scenarioFileContext(path) });
}

/** Where a scenario file's relative paths start, and the name it gets when it has none. */
export function scenarioFileContext(path: string): { baseDir: string; defaultName: string } {
  return { baseDir: dirname(resolve(path)), defaultName: basename(path, extname(path)) };
}

/** Reads and parses a scenario file (YAML or JSON) without validating it. */
export function readScenarioDocument(path: string): unknown {
  let text: string;
  try {
    text = readRegularTextFile(path);
  } catch (error) {
    throw new InputError([{ path: "", message: `cannot read scenario file ${JSON.stringify(path)}: ${whyUnreadable(error)}` }]);
  }
  const { data, empty } = parseYamlInput(text, path);
  if (empty) {
    throw new InputError([{ path: "", message: `${path}: the scenario file is empty; it needs at least workload (and functions)` }]);
  }
  return data;
}
