/*
 * Text that every report format shares: escaping for HTML and SVG, and locale-independent
 * numbers, so that tables and charts print a figure identically.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML/SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Fixed-point with thousands separators ("12,345.68"), independent of the machine's locale. */
export function formatNumber(value: number, digits = 0): string {
  if (Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  const fixed = Math.abs(value).toFixed(digits);
  const [whole, fraction] = fixed.split(".");
  // No "-0.00": a value that rounds to zero has no sign.
  const sign = value < 0 && /[1-9]/.test(fixed) ? "−" : "";
  return sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (fraction === undefined ? "" : `.${fraction}`);
}

/** A plain decimal number: a spreadsheet reads it as a number, never as a formula. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A CSV cell a spreadsheet cannot run: text starting with =, +, -, @, a tab or a carriage return
 * gets a leading single quote, as the OWASP CSV-injection guidance says. Numbers, and text that is
 * just a number (-0.5 from a sweep value), are left alone: they are values, not formulas.
 */
export function csvCell(value: string): string;
export function csvCell(value: string | number): string | number;
export function csvCell(value: string | number): string | number {
  if (typeof value !== "string" || PLAIN_NUMBER.test(value)) return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const NEEDS_QUOTES = /[,"\n\r]/;

/**
 * One CSV line (without its line break) as csv-stringify wrote it with its defaults: a number as
 * JavaScript prints it, a text quoted when it holds a comma, a quote or a line break, with its
 * quotes doubled.
 */
export function csvLine(cells: readonly (string | number)[]): string {
  let line = "";
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (i > 0) line += ",";
    if (typeof cell === "number") line += cell;
    else line += NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return line;
}

/**
 * Lines as text in pieces of about `chunkChars` characters, each line ended by "\n": a long file is
 * written piece by piece, never held whole.
 */
export function* textChunks(lines: Iterable<string>, chunkChars = 1 << 16): Generator<string> {
  let text = "";
  for (const line of lines) {
    text += `${line}\n`;
    if (text.length >= chunkChars) {
      yield text;
      text = "";
    }
  }
  yield text;
}

const MARKDOWN_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|" };

/**
 * User text (a description, a swept value) for a Markdown paragraph or table cell: no raw HTML,
 * no cell break, and no line break that would start a heading, list or table of its own. A
 * trailing line break (YAML's folded `>` leaves one) only ends the paragraph, so it stays.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[&<>|]/g, (c) => MARKDOWN_ENTITIES[c]).replace(/[ \t]*(\r\n|\r|\n)(?![\r\n]*$)[ \t]*/g, " ");
}
