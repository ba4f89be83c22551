/**
 * A small CSV reader for the validation data: comma-separated, double-quoted fields may hold
 * commas and doubled quotes, no field spans lines. Pure: text in, rows out.
 */

/** Splits one CSV line into fields, honouring double quotes. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  if (quoted) throw new Error(`unterminated quoted field in CSV line: ${line.slice(0, 80)}`);
  fields.push(field);
  return fields;
}

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** Parses CSV text with a header line; blank lines are skipped, "\r\n" endings accepted. */
export function parseCsv(text: string): CsvTable {
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  if (lines.length === 0) throw new Error("empty CSV: no header line");
  const header = splitCsvLine(lines[0]);
  const rows = lines.slice(1).map((line, i) => {
    const fields = splitCsvLine(line);
    if (fields.length !== header.length) {
      throw new Error(`CSV line ${i + 2}: ${fields.length} fields, the header has ${header.length}`);
    }
    return fields;
  });
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
