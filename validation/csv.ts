import { parse } from "csv-parse/sync";

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** Parses CSV text with a header line (quoted fields, blank lines and "\r\n" endings allowed). */
export function parseCsv(text: string): CsvTable {
  const records: string[][] = parse(text, { skip_empty_lines: true, relax_column_count: false });
  if (records.length === 0) throw new Error("empty CSV: no header line");
  const [header, ...rows] = records;
  return { header, rows };
}

/** The index of a named column; throws with the available names when it is missing. */
export function columnIndex(table: CsvTable, name: string): number {
  const index = table.header.indexOf(name);
  if (index < 0) throw new Error(`CSV has no column "${name}"; columns: ${table.header.join(", ")}`);
  return index;
}

/** A finite number from a CSV field; throws naming the field when it is not one. */
export function numberField(value: string, what: string): number {
  const n = Number(value.trim());
  if (value.trim() === "" || !Number.isFinite(n)) throw new Error(`${what}: expected a number, got ${JSON.stringify(value)}`);
  return n;
}
