import { readFileSync } from "node:fs";
import { basename, dirname, extname, resolve } from "node:path";
import { parseDocument } from "yaml";
import { whyUnreadable } from "../common/fileErrors.js";
import { InputError } from "../common/inputError.js";
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
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError([{ path: "", message: `cannot read scenario file ${JSON.stringify(path)}: ${whyUnreadable(error)}` }]);
  }
  // merge: YAML anchors with "<<" let scenarios share blocks between functions.
  const document = parseDocument(text, { prettyErrors: true, merge: true });
  if (document.errors.length > 0) {
    throw new InputError(
      document.errors.map((error) => {
        const position = error.linePos?.[0];
        const where = position ? `${path}:${position.line}:${position.col}` : path;
        const message = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        return { path: "", message: `${where}: ${extname(path) === ".json" ? "JSON" : "YAML"} syntax error: ${message}` };
      }),
    );
  }
  if (document.contents === null) {
    throw new InputError([{ path: "", message: `${path}: the scenario file is empty; it needs at least workload (and functions)` }]);
  }
  return document.toJS();
}
