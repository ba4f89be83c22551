import { extname } from "node:path";
import { type Document, isScalar, LineCounter, parseDocument, type Tags, visit } from "yaml";
import { InputError } from "./inputError.js";

/*
 * Parsing YAML or JSON the user wrote (scenarios, SAM templates) so that no document can crash,
 * hang or reach into the process: keys JavaScript gives a meaning to are refused, an alias may
 * not contain itself, and aliases have a budget far above what a real file uses but far below a
 * "billion laughs" expansion.
 */

/** Keys that, assigned into a plain object, change what every object inherits. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The yaml package counts each alias use times the aliases inside what it points to. */
export const MAX_YAML_ALIASES = 10_000;

/** A parsed document and its data; `empty` when it holds no value at all. */
export interface YamlInput {
  data: unknown;
  empty: boolean;
  document: Document.Parsed;
}

export function parseYamlInput(text: string, fileName: string, options: { customTags?: Tags } = {}): YamlInput {
  const language = extname(fileName).toLowerCase() === ".json" ? "JSON" : "YAML";
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${fileName}:${line}:${col}`;
  };
  try {
    // merge: YAML anchors with "<<" let files share blocks.
    const document = parseDocument(text, { ...options, lineCounter, prettyErrors: true, merge: true });
    if (document.errors.length > 0) {
      throw new InputError(
        document.errors.map((error) => {
          const position = error.linePos?.[0];
          const where = position ? `${fileName}:${position.line}:${position.col}` : fileName;
          const message = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
          return { path: "", message: `${where}: ${language} syntax error: ${message}` };
        }),
      );
    }
    const problems: string[] = [];
    visit(document, {
      Pair(_, pair) {
        if (isScalar(pair.key) && RESERVED_KEYS.has(String(pair.key.value))) {
          problems.push(
            `${at(pair.key.range?.[0] ?? 0)}: the key ${JSON.stringify(pair.key.value)} is not allowed (reserved in JavaScript)`,
          );
        }
      },
      Alias(_, alias, path) {
        const target = alias.resolve(document);
        if (target !== undefined && path.includes(target)) {
          problems.push(`${at(alias.range?.[0] ?? 0)}: the alias *${alias.source} is inside the node it refers to (a cycle)`);
        }
      },
    });
    if (problems.length > 0) throw new InputError(problems.map((message) => ({ path: "", message })));
    return { data: document.toJS({ maxAliasCount: MAX_YAML_ALIASES }), empty: document.contents === null, document };
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof ReferenceError && error.message.startsWith("Excessive alias count")) {
      throw new InputError([
        {
          path: "",
          message: `${fileName}: uses more than ${MAX_YAML_ALIASES.toLocaleString("en-US")} aliases; write the repeated parts out`,
        },
      ]);
    }
    if (error instanceof ReferenceError) throw new InputError([{ path: "", message: `${fileName}: ${language} error: ${error.message}` }]);
    if (error instanceof RangeError) throw new InputError([{ path: "", message: `${fileName}: nested too deeply to read` }]);
    throw error;
  }
}
