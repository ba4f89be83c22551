import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { SOURCE_REPORTS } from "../../src/report/sources/index.js";
import { SOURCE_KINDS, SOURCES } from "../../src/sources/index.js";
import { SAM_SOURCES } from "../../src/tooling/samSources/index.js";

/*
 * Every registry of per-path parts is typed against SourceKind, so that a path missing from one
 * is a compile error. This compiles the project with one entry taken out of each registry in turn
 * (the file served from memory; nothing on disk changes) and expects tsc to name the gap.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function compileWithout(registryFile: string, entryLine: RegExp, oldProgram?: ts.Program) {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error("tsconfig.json unreadable");
  const host = ts.createCompilerHost(config.options);
  const target = join(ROOT, registryFile);
  const original = ts.sys.readFile(target) ?? "";
  expect(original, `${registryFile} has the entry to remove`).toMatch(entryLine);
  const edited = original.replace(entryLine, "");
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    resolve(fileName) === target
      ? ts.createSourceFile(fileName, edited, languageVersion, true)
      : getSourceFile(fileName, languageVersion, ...rest);
  // The registry and what it imports is all tsc needs to check to see the gap.
  const program = ts.createProgram({ rootNames: [target], options: { ...config.options, noEmit: true }, host, oldProgram });
  const errors = ts.getPreEmitDiagnostics(program, program.getSourceFile(target)).filter((d) => d.category === ts.DiagnosticCategory.Error);
  return {
    program,
    errors: errors.map(
      (d) => `${d.file ? d.file.fileName.slice(ROOT.length + 1) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
    ),
  };
}

describe("the per-path registries", () => {
  it("each has exactly one part per SourceKind", () => {
    for (const registry of [SOURCES, SOURCE_REPORTS, SAM_SOURCES]) expect(Object.keys(registry).sort()).toEqual([...SOURCE_KINDS].sort());
  });

  it("a kind taken out of any registry fails tsc, naming the registry and the kind", () => {
    let program: ts.Program | undefined;
    for (const [file, line, kind] of [
      ["src/sources/index.ts", /^ {2}sqs: sqsSource,\n/m, "sqs"],
      ["src/report/sources/index.ts", /^ {2}stream: streamReport,\n/m, "stream"],
      ["src/tooling/samSources/index.ts", /^ {2}async: samAsync,\n/m, "async"],
    ] as const) {
      const result = compileWithout(file, line, program);
      program = result.program;
      expect(result.errors.join("\n")).toMatch(new RegExp(`^${file}: .*Property '${kind}' is missing`, "s"));
    }
  });
});
