// Regenerates src/model/runtimeInitData.ts from the lambda-perf summary CSV, so the default
// cold-start figures can be refreshed from new measurements without hand-editing numbers.
//
//   npx tsc -p tsconfig.build.json && node dist/scripts/gen-runtime-init.js [csvPath]
//
// Paths are relative to the working directory (the repository root). If the data file is missing,
// tsc reports that src/model/runtimes.ts cannot import it but still emits this script: run it anyway.
import { parse } from "csv-parse/sync";
import type { RuntimeInitRow } from "../src/model/runtimes.js";
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const DEFAULT_CSV_PATH = "../shared/data/lambda-perf/summary_last30days.csv";
const OUTPUT_PATH = "src/model/runtimeInitData.ts";

const REQUIRED_COLUMNS = [
  "runtime",
  "package",
  "arch",
  "memory_mb",
  "n_samples",
  "init_ms_p10",
  "init_ms_p50",
  "init_ms_p90",
  "init_ms_mean",
  "first_day",
  "last_day",
] as const;
type Column = (typeof REQUIRED_COLUMNS)[number];

interface Row extends RuntimeInitRow {
  sourceName: string;
  firstDay: string;
  lastDay: string;
}

const CUSTOM_RUNTIME = /^(.+?)\s*\(prov\.(al2|al2023)\)$/;
const MANAGED_RUNTIME = /^[a-z][a-z0-9.]*$/;

// lambda-perf names custom-runtime functions "<language> (prov.<os>)"; AWS only knows the
// provided.<os> part, so the language becomes a path-like suffix that keeps them apart.
function runtimeId(sourceName: string): string {
  const custom = CUSTOM_RUNTIME.exec(sourceName);
  if (custom) return `provided.${custom[2]}/${slug(custom[1])}`;
  if (MANAGED_RUNTIME.test(sourceName)) return sourceName;
  throw new Error(`cannot map lambda-perf runtime name "${sourceName}" to a runtime id`);
}

function slug(language: string): string {
  return language
    .trim()
    .toLowerCase()
    .replace(/^apple\s+/, "")
    .replace(/\+/g, "p")
    .replace(/\s+(?=\d)/g, "")
    .replace(/\s+/g, "-");
}

function parseNumber(text: string, column: Column, line: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new Error(`line ${line}: ${column} is not a number: "${text}"`);
  }
  return value;
}

function parseRows(csv: string): Row[] {
  const [header, ...records]: string[][] = parse(csv, { relax_column_count: true });
  const index = new Map(header.map((name, i) => [name, i]));
  for (const column of REQUIRED_COLUMNS) {
    if (!index.has(column)) throw new Error(`CSV lacks column "${column}"`);
  }
  const rows: Row[] = [];
  const seen = new Set<string>();
  records.forEach((fields, i) => {
    if (fields.every((field) => field.trim() === "")) return;
    const lineNo = i + 2;
    if (fields.length !== header.length) {
      throw new Error(`line ${lineNo}: ${fields.length} fields, header has ${header.length}`);
    }
    const get = (c: Column): string => fields[index.get(c)!];
    const num = (c: Column): number => parseNumber(get(c), c, lineNo);
    const pkg = get("package");
    const arch = get("arch");
    if (pkg !== "zip" && pkg !== "image") throw new Error(`line ${lineNo}: package "${pkg}"`);
    if (arch !== "x86_64" && arch !== "arm64") throw new Error(`line ${lineNo}: arch "${arch}"`);
    const row: Row = {
      sourceName: get("runtime"),
      runtime: runtimeId(get("runtime")),
      package: pkg,
      arch,
      memoryMb: num("memory_mb"),
      samples: num("n_samples"),
      p10Ms: num("init_ms_p10"),
      p50Ms: num("init_ms_p50"),
      p90Ms: num("init_ms_p90"),
      meanMs: num("init_ms_mean"),
      firstDay: get("first_day"),
      lastDay: get("last_day"),
    };
    // The lognormal fit takes ln(p90/p50): it needs positive, ordered percentiles.
    if (!(row.p10Ms > 0 && row.p10Ms <= row.p50Ms && row.p50Ms <= row.p90Ms)) {
      throw new Error(`line ${lineNo}: percentiles not positive and ordered`);
    }
    if (!(row.samples > 0 && row.memoryMb > 0)) {
      throw new Error(`line ${lineNo}: samples and memory_mb must be positive`);
    }
    const key = `${row.runtime} ${row.package} ${row.arch} ${row.memoryMb}`;
    if (seen.has(key)) throw new Error(`line ${lineNo}: duplicate row for ${key}`);
    seen.add(key);
    rows.push(row);
  });
  if (rows.length === 0) throw new Error("CSV has no data rows");
  return rows;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function render(rows: readonly Row[], csvName: string): string {
  const sorted = [...rows].sort(
    (a, b) =>
      compareText(a.runtime, b.runtime) || compareText(a.package, b.package) || compareText(a.arch, b.arch) || a.memoryMb - b.memoryMb,
  );
  const firstDay = rows.map((r) => r.firstDay).sort(compareText)[0];
  const lastDay = rows
    .map((r) => r.lastDay)
    .sort(compareText)
    .at(-1);
  const names = new Map(sorted.map((r) => [r.sourceName, r.runtime]));
  const renamed = [...names].filter(([name, id]) => name !== id);

  const out: string[] = [
    `// GENERATED by scripts/gen-runtime-init.ts from ${csvName}; do not edit by hand.`,
    "// Regenerate: npx tsc -p tsconfig.build.json && node dist/scripts/gen-runtime-init.js [csvPath]",
    "//",
    "// Cold-start Init Duration of hello-world functions measured on real AWS Lambda,",
    `// ${firstDay} to ${lastDay}: each configuration freshly deployed and invoked cold 10 times a day.`,
    "// Percentiles in milliseconds; `samples` counts the REPORT lines behind each row.",
    "// Source: maxday/lambda-perf (https://github.com/maxday/lambda-perf), Apache License 2.0;",
    `// summarised in ${csvName} (docs/sources.md#lambda-perf). Keep this attribution with the data.`,
    "//",
    "// Runtime ids: managed runtimes keep their lambda-perf name, which is the AWS identifier.",
    '// Custom-runtime rows "<language> (prov.<os>)" become "provided.<os>/<slug>", where the slug is',
    '// the language lower-cased, with the vendor prefix "apple " dropped, "+" written "p", spaces',
    '// before a digit removed (a version stays attached: "c++ 11" -> cpp11) and other spaces "-":',
    ...renamed.map(([name, id]) => `//   ${name} -> ${id}`),
    "",
    'import type { RuntimeInitRow } from "./runtimes.js";',
    "",
    "export const RUNTIME_INIT_ROWS: readonly RuntimeInitRow[] = [",
    ...sorted.map(
      (r) =>
        `  { runtime: ${JSON.stringify(r.runtime)}, package: "${r.package}", arch: "${r.arch}", ` +
        `memoryMb: ${r.memoryMb}, samples: ${r.samples}, p10Ms: ${r.p10Ms}, p50Ms: ${r.p50Ms}, ` +
        `p90Ms: ${r.p90Ms}, meanMs: ${r.meanMs} },`,
    ),
    "];",
    "",
  ];
  return out.join("\n");
}

function main(): void {
  const csvPath = process.argv[2] ?? DEFAULT_CSV_PATH;
  const rows = parseRows(readFileSync(csvPath, "utf8"));
  writeFileSync(OUTPUT_PATH, render(rows, basename(csvPath)));
  const runtimes = new Set(rows.map((r) => r.runtime)).size;
  console.log(`wrote ${rows.length} rows for ${runtimes} runtimes to ${OUTPUT_PATH}`);
}

main();
